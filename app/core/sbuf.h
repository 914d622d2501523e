/*
 * sbuf.h - growable byte buffer with a hard maximum.
 *
 * Backed by an arena (a != NULL) or by malloc (a == NULL, release with
 * sbuf_free). Once an append fails (limit or memory), the buffer is marked
 * failed and further appends are ignored; check sbuf_failed() once at the end.
 * The content is always NUL-terminated past len.
 */
#ifndef CORE_SBUF_H
#define CORE_SBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "str.h"

struct arena;

struct sbuf {
	char		*p;
	size_t		 len;
	size_t		 cap;
	size_t		 max;		/* 0: no limit beyond memory */
	struct arena	*a;
	bool		 failed;
};

void	 sbuf_init(struct sbuf *, struct arena *a, size_t max);
void	 sbuf_free(struct sbuf *);	/* only for malloc-backed buffers */
void	 sbuf_reset(struct sbuf *);	/* len = 0, keeps memory */
/* Makes room for n more bytes now (one allocation instead of several). */
void	 sbuf_reserve(struct sbuf *, size_t n);
void	 sbuf_put(struct sbuf *, const void *p, size_t n);
void	 sbuf_puts(struct sbuf *, const char *s);
void	 sbuf_putc(struct sbuf *, char c);
void	 sbuf_putstr(struct sbuf *, struct str);
void	 sbuf_printf(struct sbuf *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 sbuf_vprintf(struct sbuf *, const char *fmt, va_list);
bool	 sbuf_failed(const struct sbuf *);
struct str sbuf_str(const struct sbuf *);

#endif
