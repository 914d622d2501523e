/*
 * csrf.h - form tokens against cross-site request forgery. Signed-in forms
 * carry the session's random CSRF secret; anonymous forms (sign-in) carry a
 * MAC of a random pre-session cookie under a server key (double submit), so
 * the sign-in page needs no database work.
 */
#ifndef WEB_CSRF_H
#define WEB_CSRF_H

#include <stdbool.h>

#include "req.h"

/* Fills r->csrf for the forms of this page (sets the pre-session cookie
 * when the browser has none). */
void	 csrf_prepare(struct req *);
/* True when the POSTed csrf field matches, compared in constant time. */
bool	 csrf_check(struct req *);

#endif
