/*
 * audit.h - writing the audit trail from a request: the actor, the client
 * address and the time come from the request; the caller says what changed.
 */
#ifndef WEB_AUDIT_H
#define WEB_AUDIT_H

#include "req.h"

/* Records action on target with a printf-style detail. Failures are logged
 * and reported (-1) so that a change is not made without its trail. */
int	 audit(struct req *, const char *action, const char *target,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The same with an explicit actor (sign-in attempts: the login typed). */
int	 audit_as(struct req *, const char *actor, const char *action,
	    const char *target, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));

#endif
