/*
 * db_alert.c - alerts for administrators (see db_alert.h,
 * migrations/0008_alerts.sql). Prepared statements through db.h only.
 *
 * Trusts nothing in the reply text (a remote server wrote it): it is
 * bound, never spliced, and cut to the column on a UTF-8 boundary.
 */
#include <string.h>

#include "../core/arena.h"
#include "../core/err.h"
#include "../core/str.h"
#include "db.h"
#include "db_alert.h"

const char *const db_alert_kind_names[DB_ALERT__MAX] = {
	"policy",
};

/* Length of s cut to at most max characters, never inside a UTF-8
 * sequence. */
static size_t
cut(const char *s, size_t max)
{
	size_t	 i, chars = 0;

	for (i = 0; s[i] != '\0'; i++) {
		/* A continuation byte belongs to the character before. */
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			continue;
		if (chars == max)
			break;
		chars++;
	}
	return i;
}

static enum db_alert_kind
kind_parse(const char *s)
{
	int	 i;

	for (i = 0; i < DB_ALERT__MAX; i++)
		if (s != NULL && strcmp(s, db_alert_kind_names[i]) == 0)
			return (enum db_alert_kind)i;
	return DB_ALERT_POLICY;
}

int
db_alert_raise_n(struct db *db, enum db_alert_kind kind, const char *domain,
    int code, const char *enhanced, const char *reply, uint64_t n,
    struct err *e)
{
	struct str	 text;
	const char	*k;

	if (kind < 0 || kind >= DB_ALERT__MAX)
		return err_set(e, ERR_INPUT, "unknown alert kind %d",
		    (int)kind);
	if (enhanced == NULL)
		enhanced = "";
	if (reply == NULL)
		reply = "";
	if (domain == NULL || domain[0] == '\0' ||
	    strlen(domain) > DB_ALERT_DOMAIN_MAX)
		return err_set(e, ERR_INPUT, "alert domain empty or longer "
		    "than %d characters", DB_ALERT_DOMAIN_MAX);
	if (strlen(enhanced) > DB_ALERT_ENHANCED_MAX)
		return err_set(e, ERR_INPUT, "enhanced code longer than %d "
		    "characters", DB_ALERT_ENHANCED_MAX);
	if (n == 0)
		return err_set(e, ERR_INPUT, "an alert counts at least one "
		    "refusal");
	k = db_alert_kind_names[kind];
	text.p = reply;
	text.n = cut(reply, DB_ALERT_REPLY_MAX);
	/* The open row of (kind, domain, enhanced) grows; see db_alert.h. */
	return db_exec(db, e, NULL, NULL, "INSERT INTO alert (kind, domain, "
	    "code, enhanced, reply, first_seen, last_seen, count, open_key) "
	    "VALUES (?, ?, ?, ?, ?, UNIX_TIMESTAMP(), UNIX_TIMESTAMP(), ?, "
	    "CONCAT(?, '|', ?, '|', ?)) ON DUPLICATE KEY UPDATE "
	    "count = count + VALUES(count), last_seen = VALUES(last_seen), "
	    "code = VALUES(code), reply = VALUES(reply)", "ssisSusss", k,
	    domain, (int64_t)code, enhanced, &text, n, k, domain, enhanced);
}

int
db_alert_raise(struct db *db, enum db_alert_kind kind, const char *domain,
    int code, const char *enhanced, const char *reply, struct err *e)
{
	return db_alert_raise_n(db, kind, domain, code, enhanced, reply, 1, e);
}

#define ALERT_COLUMNS "id, kind, domain, code, enhanced, reply, " \
	"first_seen, last_seen, count, COALESCE(acked_at, 0), " \
	"COALESCE(acked_by, 0)"
#define ALERT_RFMT "ussissiiuiu"

/* One row of ALERT_COLUMNS into *v. */
static int
row(struct dbq *q, struct db_alert *v, struct err *e)
{
	char	*kind = NULL;
	int64_t	 code = 0;
	int	 rc;

	memset(v, 0, sizeof(*v));
	rc = dbq_next(q, e, ALERT_RFMT, &v->id, &kind, &v->domain, &code,
	    &v->enhanced, &v->reply, &v->first_seen, &v->last_seen,
	    &v->count, &v->acked_at, &v->acked_by);
	if (rc == 1) {
		v->kind = kind_parse(kind);
		v->code = (int)code;
		if (v->enhanced == NULL)
			v->enhanced = "";
		if (v->reply == NULL)
			v->reply = "";
	}
	return rc;
}

int
db_alert_list(struct db *db, struct arena *a, bool open_only, size_t limit,
    struct db_alert **out, size_t *n, struct err *e)
{
	struct dbq	*q;
	struct db_alert	*v;
	int		 rc = 0;

	*out = NULL;
	*n = 0;
	if (limit == 0 || limit > DB_ALERT_LIST_MAX)
		limit = DB_ALERT_LIST_MAX;
	if ((v = arena_calloc(a, limit, sizeof(*v))) == NULL)
		return err_set(e, ERR_ENV, "out of memory");
	if (open_only)
		q = db_query(db, a, e, "SELECT " ALERT_COLUMNS " FROM alert "
		    "WHERE acked_at IS NULL ORDER BY last_seen DESC, id DESC "
		    "LIMIT ?", "i", (int64_t)limit);
	else
		q = db_query(db, a, e, "SELECT " ALERT_COLUMNS " FROM alert "
		    "ORDER BY acked_at IS NULL DESC, last_seen DESC, id DESC "
		    "LIMIT ?", "i", (int64_t)limit);
	if (q == NULL)
		return -1;
	while (*n < limit && (rc = row(q, &v[*n], e)) == 1)
		(*n)++;
	if (*n == limit)
		rc = 0;		/* the rest is not shown */
	dbq_close(q);
	if (rc == -1)
		return -1;
	*out = v;
	return 0;
}

int
db_alert_get(struct db *db, struct arena *a, uint64_t id,
    struct db_alert *v, struct err *e)
{
	struct dbq	*q;
	int		 rc;

	if ((q = db_query(db, a, e, "SELECT " ALERT_COLUMNS " FROM alert "
	    "WHERE id = ?", "u", id)) == NULL)
		return -1;
	rc = row(q, v, e);
	dbq_close(q);
	return rc;
}

int
db_alert_ack(struct db *db, uint64_t id, uint64_t user_id, struct err *e)
{
	uint64_t	 n = 0;

	/* open_key NULL closes the row: the next raise opens a new one. */
	if (db_exec(db, e, &n, NULL, "UPDATE alert SET "
	    "acked_at = UNIX_TIMESTAMP(), acked_by = ?, open_key = NULL "
	    "WHERE id = ? AND acked_at IS NULL", "uu", user_id, id) == -1)
		return -1;
	return n > 0 ? 1 : 0;
}

int
db_alert_open_count(struct db *db, int64_t *n, struct err *e)
{
	int	 rc;

	*n = 0;
	rc = db_query_row(db, NULL, e, "SELECT COUNT(*) FROM alert "
	    "WHERE acked_at IS NULL", "", "i", n);
	return rc == -1 ? -1 : 0;
}
