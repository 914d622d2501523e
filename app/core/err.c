/*
 * err.c - errors as human sentences (see err.h).
 */
#include <stdio.h>
#include <string.h>

#include "err.h"

static const char *const err_kind_names[ERR__MAX] = {
	"none", "input", "too large", "forbidden", "not found", "conflict",
	"environment", "retry",
};

void
err_clear(struct err *e)
{
	if (e == NULL)
		return;
	e->kind = ERR_NONE;
	e->line = 0;
	e->field[0] = '\0';
	e->msg[0] = '\0';
}

int
err_vset(struct err *e, enum err_kind kind, const char *fmt, va_list ap)
{
	if (e == NULL)
		return -1;
	e->kind = kind;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	return -1;
}

int
err_set(struct err *e, enum err_kind kind, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	err_vset(e, kind, fmt, ap);
	va_end(ap);
	return -1;
}

int
err_field(struct err *e, enum err_kind kind, const char *field,
    const char *fmt, ...)
{
	va_list	 ap;

	if (e == NULL)
		return -1;
	snprintf(e->field, sizeof(e->field), "%s", field);
	va_start(ap, fmt);
	err_vset(e, kind, fmt, ap);
	va_end(ap);
	return -1;
}

const char *
err_kind_name(enum err_kind k)
{
	return k < ERR__MAX ? err_kind_names[k] : "?";
}
