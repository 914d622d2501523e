/*
 * session.c - sessions (see session.h). The cookie holds the token in
 * base64url; the database holds SHA-256(token), so a stolen database dump
 * opens no session. last_seen is written at most once a minute, and
 * lookups go through a short-lived cache (sesscache.h).
 */
#include <string.h>

#include "../conf/config.h"
#include "../core/clock.h"
#include "../core/err.h"
#include "../core/log.h"
#include "resp.h"
#include "sesscache.h"
#include "session.h"
#include "token.h"

#define SESSION_TOUCH_EVERY	60	/* seconds between last_seen writes */

int
session_load(struct req *r, bool *expired)
{
	const struct config	*cfg = r->web->cfg;
	const char		*cookie;
	uint8_t			 raw[TOKEN_BYTES], hash[32];
	struct err		 e;
	int64_t			 now = clock_now();
	int			 rc;

	*expired = false;
	cookie = req_cookie(r, r->web->session_cookie);
	if (cookie == NULL || token_decode(str_from(cookie), raw) == -1)
		return 0;
	token_hash(raw, hash);
	err_clear(&e);
	if (!sesscache_get(hash, now, r->a, &r->sess)) {
		if ((rc = db_session_find(r->db, r->a, hash, &r->sess, &e)) ==
		    -1)
			return -1;
		if (rc == 0) {
			resp_cookie(r, r->web->session_cookie, "", 0);
			return 0;
		}
		sesscache_put(hash, now, &r->sess);
	}
	if (!r->sess.user.active ||
	    now - r->sess.last_seen > cfg->session_idle ||
	    now - r->sess.created_at > cfg->session_absolute) {
		sesscache_drop_session(r->sess.id);
		if (db_session_delete(r->db, r->sess.id, &e) == -1)
			return -1;
		resp_cookie(r, r->web->session_cookie, "", 0);
		memset(&r->sess, 0, sizeof(r->sess));
		*expired = true;
		return 0;
	}
	if (now - r->sess.last_seen >= SESSION_TOUCH_EVERY) {
		if (db_session_touch(r->db, r->sess.id, now, &e) == -1)
			return -1;
		sesscache_touch(r->sess.id, now);
	}
	r->has_session = true;
	r->signed_in = r->sess.stage == SESSION_FULL;
	return 0;
}

int
session_start(struct req *r, const struct user *u, enum session_stage st)
{
	uint8_t		 raw[TOKEN_BYTES], hash[32], csrf[32];
	char		 text[TOKEN_TEXT];
	struct err	 e;
	int		 rc;

	err_clear(&e);
	/* A fresh token at every sign-in: a planted cookie buys nothing. */
	if (r->has_session) {
		sesscache_drop_session(r->sess.id);
		if (db_session_delete(r->db, r->sess.id, &e) == -1)
			return -1;
	}
	token_new(raw);
	token_new(csrf);
	token_hash(raw, hash);
	rc = db_session_insert(r->db, hash, u->id, csrf, st, r->client_text,
	    r->user_agent ? r->user_agent : "", &e);
	if (rc == -1)
		return -1;
	token_encode(raw, text);
	resp_cookie(r, r->web->session_cookie, text, -1);
	memset(raw, 0, sizeof(raw));
	memset(&r->sess, 0, sizeof(r->sess));
	r->sess.user = *u;
	r->sess.stage = st;
	memcpy(r->sess.csrf, csrf, sizeof(csrf));
	r->has_session = true;
	r->signed_in = st == SESSION_FULL;
	/* Find the row again for its id (used by logout, password change). */
	{
		struct session_row	 s;

		if (db_session_find(r->db, r->a, hash, &s, &e) == 1)
			r->sess.id = s.id;
	}
	return 0;
}

int
session_end(struct req *r)
{
	struct err	 e;

	err_clear(&e);
	if (r->has_session) {
		sesscache_drop_session(r->sess.id);
		if (db_session_delete(r->db, r->sess.id, &e) == -1)
			return -1;
	}
	resp_cookie(r, r->web->session_cookie, "", 0);
	r->has_session = r->signed_in = false;
	return 0;
}
