/*
 * err.h - an error as a human sentence, with the field or line it concerns.
 *
 * Whoever detects a problem fills a struct err; callers pass it up unchanged
 * and it reaches the user (form message, 4xx page) or the log, once.
 */
#ifndef CORE_ERR_H
#define CORE_ERR_H

#include <stdarg.h>

#define ERR_MSG_MAX	512
#define ERR_FIELD_MAX	64

enum err_kind {
	ERR_NONE = 0,
	ERR_INPUT,		/* the caller's input is bad: 400/422/form */
	ERR_TOO_LARGE,		/* input over a limit: 413 */
	ERR_FORBIDDEN,		/* 403 */
	ERR_NOT_FOUND,		/* 404 */
	ERR_CONFLICT,		/* duplicate, stale: 409/form */
	ERR_ENV,		/* database, memory, I/O: 5xx and a log line */
	ERR_RETRY,		/* transient (a deadlock victim): try again */
	ERR__MAX
};

struct err {
	enum err_kind	 kind;
	int		 line;			/* 0: not about a line */
	char		 field[ERR_FIELD_MAX];	/* "": not about a field */
	char		 msg[ERR_MSG_MAX];
};

void	 err_clear(struct err *);
/* Sets kind and message; returns -1 so callers can `return err_set(...)`. */
int	 err_set(struct err *, enum err_kind, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
int	 err_field(struct err *, enum err_kind, const char *field,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int	 err_vset(struct err *, enum err_kind, const char *fmt, va_list);
const char *err_kind_name(enum err_kind);

#endif
