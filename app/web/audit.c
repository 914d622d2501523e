/*
 * audit.c - the audit trail from a request (see audit.h).
 */
#include <stdarg.h>

#include "../core/arena.h"
#include "../core/err.h"
#include "../core/log.h"
#include "../db/db_audit.h"
#include "audit.h"

static int
audit_v(struct req *r, const char *actor, const char *action,
    const char *target, const char *fmt, va_list ap)
{
	struct err	 e;
	char		*detail;

	detail = arena_vprintf(r->a, fmt, ap);
	err_clear(&e);
	if (db_audit_add(r->db, actor, r->client_text, action, target,
	    detail ? detail : "", &e) == -1) {
		log_err("audit %s %s: %s", action, target ? target : "",
		    e.msg);
		return -1;
	}
	return 0;
}

int
audit(struct req *r, const char *action, const char *target,
    const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = audit_v(r, r->has_session ? r->sess.user.login : "", action,
	    target, fmt, ap);
	va_end(ap);
	return rc;
}

int
audit_as(struct req *r, const char *actor, const char *action,
    const char *target, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = audit_v(r, actor, action, target, fmt, ap);
	va_end(ap);
	return rc;
}
