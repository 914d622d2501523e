/*
 * db_control.c - live delivery control tables (see db_control.h).
 * Prepared statements through db.h only.
 */
#include <string.h>

#include "../core/arena.h"
#include "../core/err.h"
#include "db.h"
#include "db_control.h"

int
db_control_version(struct db *db, int64_t *v, struct err *e)
{
	struct arena	*a;
	char		*s = NULL;
	int		 rc;

	*v = 0;
	if ((a = arena_new(0)) == NULL)
		return err_set(e, ERR_ENV, "out of memory");
	rc = db_query_row(db, a, e, "SELECT v FROM settings "
	    "WHERE k = 'delivery_version'", "", "s", &s);
	if (rc == 1 && s != NULL) {
		int64_t	 n = 0;
		const char *p;

		/* The column is text; the web and CLI only ever add one. */
		for (p = s; *p >= '0' && *p <= '9' && n < INT64_MAX / 10; p++)
			n = n * 10 + (*p - '0');
		*v = n;
	}
	arena_free(a);
	return rc == -1 ? -1 : 0;
}

int
db_control_bump(struct db *db, struct err *e)
{
	uint64_t	 n = 0;

	if (db_exec(db, e, &n, NULL, "UPDATE settings SET v = v + 1 "
	    "WHERE k = 'delivery_version'", "") == -1)
		return -1;
	if (n == 0 && db_exec(db, e, NULL, NULL, "INSERT INTO settings "
	    "(k, v) VALUES ('delivery_version', '1')", "") == -1)
		return -1;
	return 0;
}

int
db_control_state_put(struct db *db, const char *destination,
    const char *campaign, const char *action, int64_t until_at,
    const char *reason, const char *sender, int64_t now, struct err *e)
{
	return db_exec(db, e, NULL, NULL, "INSERT INTO shaping_state "
	    "(destination, campaign, action, until_at, reason, sender, "
	    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
	    "action = VALUES(action), until_at = VALUES(until_at), "
	    "reason = VALUES(reason), sender = VALUES(sender), "
	    "updated_at = VALUES(updated_at)", "sssissi", destination,
	    campaign, action, until_at, reason, sender, now);
}

int
db_control_state_prune(struct db *db, const char *sender, int64_t since,
    int64_t now, struct err *e)
{
	return db_exec(db, e, NULL, NULL, "DELETE FROM shaping_state "
	    "WHERE (sender = ? AND updated_at < ?) OR until_at <= ? OR "
	    "updated_at < ?", "siii", sender, since, now,
	    now - DB_CONTROL_STALE_S);
}

int
db_control_state_list(struct db *db, struct arena *a, int64_t now,
    struct db_shaping_state **out, size_t *n, struct err *e)
{
	struct dbq		*q;
	struct db_shaping_state	*v;
	int			 rc = 0;

	*out = NULL;
	*n = 0;
	if ((v = arena_calloc(a, DB_CONTROL_STATE_MAX, sizeof(*v))) == NULL)
		return err_set(e, ERR_ENV, "out of memory");
	if ((q = db_query(db, a, e, "SELECT destination, campaign, action, "
	    "until_at, reason, sender, updated_at FROM shaping_state "
	    "WHERE until_at > ? AND updated_at >= ? "
	    "ORDER BY destination, campaign LIMIT 2000", "ii", now,
	    now - DB_CONTROL_STALE_S)) == NULL)
		return -1;
	while (*n < DB_CONTROL_STATE_MAX && (rc = dbq_next(q, e, "sssissi",
	    &v[*n].destination, &v[*n].campaign, &v[*n].action,
	    &v[*n].until_at, &v[*n].reason, &v[*n].sender,
	    &v[*n].updated_at)) == 1)
		(*n)++;
	if (*n == DB_CONTROL_STATE_MAX)
		rc = 0;		/* the rest is not shown */
	dbq_close(q);
	if (rc == -1)
		return -1;
	*out = v;
	return 0;
}

int
db_control_lift_add(struct db *db, const char *destination,
    const char *campaign, const char *by, int64_t now, struct err *e)
{
	return db_exec(db, e, NULL, NULL, "INSERT INTO shaping_lift "
	    "(destination, campaign, requested_by, requested_at) "
	    "VALUES (?, ?, ?, ?)", "sssi", destination, campaign, by, now);
}

int
db_control_lift_last(struct db *db, uint64_t *id, struct err *e)
{
	struct arena	*a;
	int64_t		 v = 0;
	int		 rc;

	*id = 0;
	if ((a = arena_new(0)) == NULL)
		return err_set(e, ERR_ENV, "out of memory");
	rc = db_query_row(db, a, e, "SELECT COALESCE(MAX(id), 0) "
	    "FROM shaping_lift", "", "i", &v);
	arena_free(a);
	if (rc == -1)
		return -1;
	*id = v > 0 ? (uint64_t)v : 0;
	return 0;
}

int
db_control_lift_since(struct db *db, struct arena *a, uint64_t after,
    struct db_shaping_lift **out, size_t *n, struct err *e)
{
	struct dbq		*q;
	struct db_shaping_lift	*v;
	int			 rc = 0;

	*out = NULL;
	*n = 0;
	if ((v = arena_calloc(a, DB_CONTROL_LIFTS_MAX, sizeof(*v))) == NULL)
		return err_set(e, ERR_ENV, "out of memory");
	if ((q = db_query(db, a, e, "SELECT id, destination, campaign, "
	    "requested_by, requested_at FROM shaping_lift WHERE id > ? "
	    "ORDER BY id LIMIT 100", "u", after)) == NULL)
		return -1;
	while (*n < DB_CONTROL_LIFTS_MAX && (rc = dbq_next(q, e, "usssi",
	    &v[*n].id, &v[*n].destination, &v[*n].campaign,
	    &v[*n].requested_by, &v[*n].requested_at)) == 1)
		(*n)++;
	if (*n == DB_CONTROL_LIFTS_MAX)
		rc = 0;
	dbq_close(q);
	if (rc == -1)
		return -1;
	*out = v;
	return 0;
}

int
db_control_lift_done(struct db *db, uint64_t id, int64_t now, struct err *e)
{
	return db_exec(db, e, NULL, NULL, "UPDATE shaping_lift SET done_at = ? "
	    "WHERE id = ? AND done_at IS NULL", "iu", now, id);
}
