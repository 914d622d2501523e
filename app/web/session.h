/*
 * session.h - sign-in sessions: a 256-bit random token in a cookie, only its
 * hash in the database, idle and absolute timeouts, a new token at every
 * sign-in, ended on the server at sign-out and password change.
 */
#ifndef WEB_SESSION_H
#define WEB_SESSION_H

#include "../db/db_session.h"
#include "req.h"

/* Reads the session cookie and loads the session. Sets r->has_session (any
 * stage) and r->signed_in (full stage). An expired session is deleted and
 * *expired set. -1 only on a database failure. */
int	 session_load(struct req *, bool *expired)
	    __attribute__((warn_unused_result));
/* Starts a new session for the user (any old one of this browser ends). */
int	 session_start(struct req *, const struct user *, enum session_stage)
	    __attribute__((warn_unused_result));
/* Ends this browser's session and clears its cookie. */
int	 session_end(struct req *) __attribute__((warn_unused_result));

#endif
