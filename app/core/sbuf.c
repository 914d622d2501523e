/*
 * sbuf.c - growable byte buffer with a hard maximum (see sbuf.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "sbuf.h"

void
sbuf_init(struct sbuf *b, struct arena *a, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->a = a;
	b->max = max;
}

void
sbuf_free(struct sbuf *b)
{
	if (b->a == NULL)
		free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

void
sbuf_reset(struct sbuf *b)
{
	b->len = 0;
	b->failed = false;
	if (b->p != NULL)
		b->p[0] = '\0';
}

static int
grow(struct sbuf *b, size_t extra)
{
	size_t	 need, cap;
	char	*p;

	if (b->failed)
		return -1;
	if (extra > SIZE_MAX / 2 - b->len ||
	    (b->max != 0 && b->len + extra > b->max)) {
		b->failed = true;
		return -1;
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	if (b->a != NULL) {
		if ((p = arena_alloc(b->a, cap)) != NULL && b->len > 0)
			memcpy(p, b->p, b->len);
	} else
		p = realloc(b->p, cap);
	if (p == NULL) {
		b->failed = true;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

void
sbuf_reserve(struct sbuf *b, size_t n)
{
	if (grow(b, n) == 0 && b->p != NULL)
		b->p[b->len] = '\0';
}

void
sbuf_put(struct sbuf *b, const void *p, size_t n)
{
	if (grow(b, n) == -1)
		return;
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
sbuf_puts(struct sbuf *b, const char *s)
{
	sbuf_put(b, s, strlen(s));
}

void
sbuf_putc(struct sbuf *b, char c)
{
	sbuf_put(b, &c, 1);
}

void
sbuf_putstr(struct sbuf *b, struct str s)
{
	sbuf_put(b, s.p, s.n);
}

void
sbuf_vprintf(struct sbuf *b, const char *fmt, va_list ap)
{
	va_list	 cp;
	size_t	 room;
	int	 n;

	if (b->failed)
		return;
	/* Format straight into the free space; only a miss formats twice. */
	room = b->cap > b->len ? b->cap - b->len : 0;
	va_copy(cp, ap);
	n = vsnprintf(room ? b->p + b->len : NULL, room, fmt, cp);
	va_end(cp);
	if (n < 0) {
		b->failed = true;
		return;
	}
	if ((size_t)n < room && (b->max == 0 || b->len + (size_t)n <= b->max)) {
		b->len += (size_t)n;
		return;
	}
	if (room > 0)
		b->p[b->len] = '\0';
	if (grow(b, (size_t)n) == -1)
		return;
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	sbuf_vprintf(b, fmt, ap);
	va_end(ap);
}

bool
sbuf_failed(const struct sbuf *b)
{
	return b->failed;
}

struct str
sbuf_str(const struct sbuf *b)
{
	return b->p == NULL ? (struct str){ "", 0 } :
	    (struct str){ b->p, b->len };
}
