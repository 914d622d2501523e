/*
 * db_profile.c - domain profiles and shaping rules (see db_profile.h).
 * Prepared statements through db.h only.
 */
#include <string.h>

#include "../core/arena.h"
#include "../core/err.h"
#include "db.h"
#include "db_profile.h"

/* Grows an arena array by doubling (arena memory is not freed singly). */
/* v with room for one more row (grown in the arena when full), or NULL
 * with e set: over DB_PROFILE_ROWS_MAX rows, or out of memory. */
static void *
room(struct arena *a, void *v, size_t n, size_t *cap, size_t sz,
    const char *what, struct err *e)
{
	if (n == DB_PROFILE_ROWS_MAX) {
		err_set(e, ERR_TOO_LARGE, "more than %d %s",
		    DB_PROFILE_ROWS_MAX, what);
		return NULL;
	}
	if (n == *cap && (v = arena_grow(a, v, n, cap, sz)) == NULL)
		err_set(e, ERR_ENV, "out of memory");
	return v;
}

int
db_profile_load(struct db *db, struct arena *a, struct db_profile **out,
    size_t *n, struct err *e)
{
	struct dbq		*q;
	struct db_profile	 p, *v = NULL;
	size_t			 cap = 0;
	int			 rc;

	*out = NULL;
	*n = 0;
	if ((q = db_query(db, a, e, "SELECT id, domain, max_conns, "
	    "msgs_per_conn, msgs_per_min, slow_start, tls_policy "
	    "FROM domain_profile WHERE enabled = 1 ORDER BY domain",
	    "")) == NULL)
		return -1;
	while ((rc = dbq_next(q, e, "usiiiis", &p.id, &p.domain, &p.max_conns,
	    &p.msgs_per_conn, &p.msgs_per_min, &p.slow_start,
	    &p.tls_policy)) == 1) {
		if ((v = room(a, v, *n, &cap, sizeof(*v), "domain profiles",
		    e)) == NULL) {
			rc = -1;
			break;
		}
		v[(*n)++] = p;
	}
	dbq_close(q);
	if (rc == -1)
		return -1;
	*out = v;
	return 0;
}

int
db_profile_rules(struct db *db, struct arena *a, struct db_shaping **out,
    size_t *n, struct err *e)
{
	struct dbq		*q;
	struct db_shaping	 r, *v = NULL;
	size_t			 cap = 0;
	int			 rc;

	*out = NULL;
	*n = 0;
	if ((q = db_query(db, a, e, "SELECT id, domain, code, enhanced, "
	    "text_match, action, scope, seconds FROM shaping_rule "
	    "WHERE enabled = 1 ORDER BY position, id", "")) == NULL)
		return -1;
	while ((rc = dbq_next(q, e, "usissssi", &r.id, &r.domain, &r.code,
	    &r.enhanced, &r.text, &r.action, &r.scope, &r.seconds)) == 1) {
		if ((v = room(a, v, *n, &cap, sizeof(*v), "shaping rules",
		    e)) == NULL) {
			rc = -1;
			break;
		}
		v[(*n)++] = r;
	}
	dbq_close(q);
	if (rc == -1)
		return -1;
	*out = v;
	return 0;
}

/* --- the delivery screens: every row, CRUD -------------------------- */

#define PROFILE_COLS	"id, domain, max_conns, msgs_per_conn, " \
	"msgs_per_min, slow_start, tls_policy, enabled, note"
#define PROFILE_RFMT	"usiiiisis"
#define RULE_COLS	"id, position, domain, code, enhanced, text_match, " \
	"action, scope, seconds, enabled, note"
#define RULE_RFMT	"uisissssiis"

int
db_profile_list_all(struct db *db, struct arena *a,
    struct db_profile_row **out, size_t *n, struct err *e)
{
	struct dbq		*q;
	struct db_profile_row	 p, *v = NULL;
	size_t			 cap = 0;
	int			 rc;

	*out = NULL;
	*n = 0;
	if ((q = db_query(db, a, e, "SELECT SQL_CACHE " PROFILE_COLS
	    " FROM domain_profile ORDER BY domain", "")) == NULL)
		return -1;
	while ((rc = dbq_next(q, e, PROFILE_RFMT, &p.id, &p.domain,
	    &p.max_conns, &p.msgs_per_conn, &p.msgs_per_min, &p.slow_start,
	    &p.tls_policy, &p.enabled, &p.note)) == 1) {
		if ((v = room(a, v, *n, &cap, sizeof(*v), "domain profiles",
		    e)) == NULL) {
			rc = -1;
			break;
		}
		v[(*n)++] = p;
	}
	dbq_close(q);
	if (rc == -1)
		return -1;
	*out = v;
	return 0;
}

int
db_profile_rule_list_all(struct db *db, struct arena *a,
    struct db_rule_row **out, size_t *n, struct err *e)
{
	struct dbq		*q;
	struct db_rule_row	 r, *v = NULL;
	size_t			 cap = 0;
	int			 rc;

	*out = NULL;
	*n = 0;
	if ((q = db_query(db, a, e, "SELECT SQL_CACHE " RULE_COLS
	    " FROM shaping_rule ORDER BY position, id", "")) == NULL)
		return -1;
	while ((rc = dbq_next(q, e, RULE_RFMT, &r.id, &r.position,
	    &r.domain, &r.code, &r.enhanced, &r.text, &r.action, &r.scope,
	    &r.seconds, &r.enabled, &r.note)) == 1) {
		if ((v = room(a, v, *n, &cap, sizeof(*v), "shaping rules",
		    e)) == NULL) {
			rc = -1;
			break;
		}
		v[(*n)++] = r;
	}
	dbq_close(q);
	if (rc == -1)
		return -1;
	*out = v;
	return 0;
}

int
db_profile_get(struct db *db, struct arena *a, uint64_t id,
    struct db_profile_row *p, struct err *e)
{
	memset(p, 0, sizeof(*p));
	return db_query_row(db, a, e, "SELECT " PROFILE_COLS
	    " FROM domain_profile WHERE id = ?", "u", PROFILE_RFMT, id,
	    &p->id, &p->domain, &p->max_conns, &p->msgs_per_conn,
	    &p->msgs_per_min, &p->slow_start, &p->tls_policy, &p->enabled,
	    &p->note);
}

int
db_profile_rule_get(struct db *db, struct arena *a, uint64_t id,
    struct db_rule_row *r, struct err *e)
{
	memset(r, 0, sizeof(*r));
	return db_query_row(db, a, e, "SELECT " RULE_COLS
	    " FROM shaping_rule WHERE id = ?", "u", RULE_RFMT, id,
	    &r->id, &r->position, &r->domain, &r->code, &r->enhanced,
	    &r->text, &r->action, &r->scope, &r->seconds, &r->enabled,
	    &r->note);
}

int
db_profile_insert(struct db *db, const struct db_profile_row *p,
    uint64_t *id, struct err *e)
{
	return db_exec(db, e, NULL, id, "INSERT INTO domain_profile "
	    "(domain, max_conns, msgs_per_conn, msgs_per_min, slow_start, "
	    "tls_policy, enabled, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	    "siiiisis", p->domain, p->max_conns, p->msgs_per_conn,
	    p->msgs_per_min, p->slow_start, p->tls_policy, p->enabled,
	    p->note);
}

/* 0 rows matched: the row is gone (connections use CLIENT_FOUND_ROWS,
 * so an unchanged row still counts). */
static int
changed(int rc, uint64_t matched, struct err *e)
{
	if (rc == -1)
		return -1;
	if (matched == 0)
		return err_set(e, ERR_NOT_FOUND, "no such row");
	return 0;
}

int
db_profile_update(struct db *db, const struct db_profile_row *p,
    struct err *e)
{
	uint64_t	 n = 0;
	int		 rc;

	rc = db_exec(db, e, &n, NULL, "UPDATE domain_profile SET domain = ?, "
	    "max_conns = ?, msgs_per_conn = ?, msgs_per_min = ?, "
	    "slow_start = ?, tls_policy = ?, enabled = ?, note = ? "
	    "WHERE id = ?", "siiiisisu", p->domain, p->max_conns,
	    p->msgs_per_conn, p->msgs_per_min, p->slow_start, p->tls_policy,
	    p->enabled, p->note, p->id);
	return changed(rc, n, e);
}

int
db_profile_delete(struct db *db, uint64_t id, struct err *e)
{
	uint64_t	 n = 0;
	int		 rc;

	rc = db_exec(db, e, &n, NULL, "DELETE FROM domain_profile "
	    "WHERE id = ?", "u", id);
	return changed(rc, n, e);
}

int
db_profile_rule_insert(struct db *db, const struct db_rule_row *r,
    uint64_t *id, struct err *e)
{
	return db_exec(db, e, NULL, id, "INSERT INTO shaping_rule "
	    "(position, domain, code, enhanced, text_match, action, scope, "
	    "seconds, enabled, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    "isissssiis", r->position, r->domain, r->code, r->enhanced,
	    r->text, r->action, r->scope, r->seconds, r->enabled, r->note);
}

int
db_profile_rule_update(struct db *db, const struct db_rule_row *r,
    struct err *e)
{
	uint64_t	 n = 0;
	int		 rc;

	rc = db_exec(db, e, &n, NULL, "UPDATE shaping_rule SET position = ?, "
	    "domain = ?, code = ?, enhanced = ?, text_match = ?, action = ?, "
	    "scope = ?, seconds = ?, enabled = ?, note = ? WHERE id = ?",
	    "isissssiisu", r->position, r->domain, r->code, r->enhanced,
	    r->text, r->action, r->scope, r->seconds, r->enabled, r->note,
	    r->id);
	return changed(rc, n, e);
}

int
db_profile_rule_delete(struct db *db, uint64_t id, struct err *e)
{
	uint64_t	 n = 0;
	int		 rc;

	rc = db_exec(db, e, &n, NULL, "DELETE FROM shaping_rule "
	    "WHERE id = ?", "u", id);
	return changed(rc, n, e);
}

int
db_profile_rule_exists(struct db *db, const struct db_rule_row *r,
    uint64_t except, struct err *e)
{
	struct arena	*a;
	int64_t		 one;
	int		 rc;

	if ((a = arena_new(0)) == NULL)
		return err_set(e, ERR_ENV, "out of memory");
	rc = db_query_row(db, a, e, "SELECT 1 FROM shaping_rule "
	    "WHERE domain = ? AND code = ? AND enhanced = ? AND "
	    "text_match = ? AND action = ? AND scope = ? AND id <> ? LIMIT 1",
	    "sissssu", "i", r->domain, r->code, r->enhanced, r->text,
	    r->action, r->scope, except, &one);
	arena_free(a);
	return rc;
}
