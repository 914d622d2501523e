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
static void *
grow(struct arena *a, void *old, size_t n, size_t *cap, size_t sz)
{
	void	*p;
	size_t	 nc = *cap ? *cap * 2 : 16;

	if ((p = arena_calloc(a, nc, sz)) == NULL)
		return NULL;
	if (old != NULL)
		memcpy(p, old, n * sz);
	*cap = nc;
	return p;
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
		if (*n == DB_PROFILE_ROWS_MAX) {
			rc = err_set(e, ERR_TOO_LARGE,
			    "more than %d domain profiles",
			    DB_PROFILE_ROWS_MAX);
			break;
		}
		if (*n == cap && (v = grow(a, v, *n, &cap,
		    sizeof(*v))) == NULL) {
			rc = err_set(e, ERR_ENV, "out of memory");
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
		if (*n == DB_PROFILE_ROWS_MAX) {
			rc = err_set(e, ERR_TOO_LARGE,
			    "more than %d shaping rules", DB_PROFILE_ROWS_MAX);
			break;
		}
		if (*n == cap && (v = grow(a, v, *n, &cap,
		    sizeof(*v))) == NULL) {
			rc = err_set(e, ERR_ENV, "out of memory");
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
