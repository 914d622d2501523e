/*
 * dispatch.h - one request through the fixed pipeline: client address →
 * IP allow-list → session → CSRF (unsafe methods) → role → handler.
 */
#ifndef WEB_DISPATCH_H
#define WEB_DISPATCH_H

#include "clientip.h"
#include "req.h"

/* Set once at start, before threads. */
void	 dispatch_set_proxies(const struct proxies *);
/* Runs the request; the response is left in r for resp_send(). */
void	 dispatch(struct req *);

#endif
