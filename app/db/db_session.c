/*
 * db_session.c - the sessions table (see db_session.h).
 */
#include <string.h>

#include "../core/clock.h"
#include "../core/err.h"
#include "../core/str.h"
#include "db.h"
#include "db_session.h"

int
db_session_insert(struct db *db, const uint8_t token_hash[32],
    uint64_t user_id, const uint8_t csrf[32], enum session_stage stage,
    const char *ip, const char *user_agent, struct err *e)
{
	int64_t	 now = clock_now();

	return db_exec(db, e, NULL, NULL, "INSERT INTO sessions (token_hash, "
	    "user_id, csrf, stage, created_at, last_seen, ip, user_agent) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, LEFT(?, 255))", "bubiiiss",
	    token_hash, (size_t)32, user_id, csrf, (size_t)32,
	    (int64_t)stage, now, now, ip, user_agent);
}

int
db_session_find(struct db *db, struct arena *a, const uint8_t token_hash[32],
    struct session_row *s, struct err *e)
{
	struct str	 csrf, tz;
	char		*role = NULL;
	int64_t		 stage, must, active, totp;
	int		 rc;

	memset(s, 0, sizeof(*s));
	rc = db_query_row(db, a, e, "SELECT s.id, s.csrf, s.stage, "
	    "s.created_at, s.last_seen, u.id, u.login, u.display_name, "
	    "u.role, u.must_change, u.active, u.lang, u.tz, u.totp_enabled "
	    "FROM sessions s JOIN users u ON u.id = s.user_id "
	    "WHERE s.token_hash = ?", "b", "ubiiiusssiisSi", token_hash,
	    (size_t)32, &s->id, &csrf, &stage, &s->created_at, &s->last_seen,
	    &s->user.id, &s->user.login, &s->user.display_name, &role, &must,
	    &active, &s->user.lang, &tz, &totp);
	if (rc != 1)
		return rc;
	if (csrf.n != 32)
		return err_set(e, ERR_ENV, "session row is damaged");
	memcpy(s->csrf, csrf.p, 32);
	s->stage = stage == SESSION_NEED_TOTP ? SESSION_NEED_TOTP :
	    SESSION_FULL;
	s->user.role = role_parse(role);
	s->user.must_change = must != 0;
	s->user.active = active != 0;
	s->user.totp_enabled = totp != 0;
	s->user.tz = (char *)tz.p;
	return 1;
}

int
db_session_touch(struct db *db, uint64_t id, int64_t now, struct err *e)
{
	return db_exec(db, e, NULL, NULL, "UPDATE sessions SET last_seen = ? "
	    "WHERE id = ?", "iu", now, id);
}

int
db_session_set_stage(struct db *db, uint64_t id, enum session_stage st,
    struct err *e)
{
	return db_exec(db, e, NULL, NULL, "UPDATE sessions SET stage = ? "
	    "WHERE id = ?", "iu", (int64_t)st, id);
}

int
db_session_delete(struct db *db, uint64_t id, struct err *e)
{
	return db_exec(db, e, NULL, NULL, "DELETE FROM sessions WHERE id = ?",
	    "u", id);
}

int
db_session_delete_user(struct db *db, uint64_t user_id, uint64_t keep_id,
    struct err *e)
{
	return db_exec(db, e, NULL, NULL, "DELETE FROM sessions "
	    "WHERE user_id = ? AND id <> ?", "uu", user_id, keep_id);
}

int
db_session_purge(struct db *db, int64_t idle_before, int64_t created_before,
    struct err *e)
{
	return db_exec(db, e, NULL, NULL, "DELETE FROM sessions "
	    "WHERE last_seen < ? OR created_at < ?", "ii", idle_before,
	    created_before);
}
