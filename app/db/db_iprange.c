/*
 * db_iprange.c - the ip_ranges table (see db_iprange.h). Every change bumps
 * settings.ip_ranges_version in the same transaction so that every
 * tegami-web process sees it within its poll interval.
 */
#include <stdlib.h>
#include <string.h>

#include "../core/arena.h"
#include "../core/clock.h"
#include "../core/err.h"
#include "db.h"
#include "db_iprange.h"

static int
row_cmp(const void *a, const void *b)
{
	return strcmp(((const struct iprange_row *)a)->cidr,
	    ((const struct iprange_row *)b)->cidr);
}

static int
bump(struct db *db, struct err *e)
{
	return db_exec(db, e, NULL, NULL, "UPDATE settings SET v = v + 1 "
	    "WHERE k = 'ip_ranges_version'", "");
}

int
db_iprange_list(struct db *db, struct arena *a, struct iprange_row **out,
    size_t *n, struct err *e)
{
	struct dbq		*q;
	struct iprange_row	*v;
	size_t			 cap = 32;
	int			 rc;

	*n = 0;
	if ((v = arena_calloc(a, cap, sizeof(*v))) == NULL)
		return err_set(e, ERR_ENV, "out of memory");
	if ((q = db_query(db, a, e, "SELECT SQL_CACHE id, cidr, label, "
	    "created_by, created_at, updated_at FROM ip_ranges LIMIT 10000",
	    "")) == NULL)
		return -1;
	for (;;) {
		struct iprange_row	 r;

		rc = dbq_next(q, e, "usssii", &r.id, &r.cidr, &r.label,
		    &r.created_by, &r.created_at, &r.updated_at);
		if (rc <= 0)
			break;
		if (*n == cap && (v = arena_grow(a, v, *n, &cap,
		    sizeof(*v))) == NULL) {
			rc = err_set(e, ERR_ENV, "out of memory");
			break;
		}
		v[(*n)++] = r;
	}
	dbq_close(q);
	/* Sorted here rather than by a server-side filesort. */
	qsort(v, *n, sizeof(*v), row_cmp);
	*out = v;
	return rc == -1 ? -1 : 0;
}

int
db_iprange_get(struct db *db, struct arena *a, uint64_t id,
    struct iprange_row *r, struct err *e)
{
	memset(r, 0, sizeof(*r));
	return db_query_row(db, a, e, "SELECT id, cidr, label, created_by, "
	    "created_at, updated_at FROM ip_ranges WHERE id = ?", "u",
	    "usssii", id, &r->id, &r->cidr, &r->label, &r->created_by,
	    &r->created_at, &r->updated_at);
}

int
db_iprange_insert(struct db *db, const char *cidr, const char *label,
    const char *by, uint64_t *id, struct err *e)
{
	int64_t	 now = clock_now();

	if (db_begin(db, e) == -1)
		return -1;
	if (db_exec(db, e, NULL, id, "INSERT INTO ip_ranges (cidr, label, "
	    "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
	    "sssii", cidr, label, by, now, now) == -1 || bump(db, e) == -1) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, e);
}

int
db_iprange_update(struct db *db, uint64_t id, const char *cidr,
    const char *label, struct err *e)
{
	if (db_begin(db, e) == -1)
		return -1;
	if (db_exec(db, e, NULL, NULL, "UPDATE ip_ranges SET cidr = ?, "
	    "label = ?, updated_at = ? WHERE id = ?", "ssiu", cidr, label,
	    (int64_t)clock_now(), id) == -1 || bump(db, e) == -1) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, e);
}

int
db_iprange_delete(struct db *db, uint64_t id, struct err *e)
{
	if (db_begin(db, e) == -1)
		return -1;
	if (db_exec(db, e, NULL, NULL, "DELETE FROM ip_ranges WHERE id = ?",
	    "u", id) == -1 || bump(db, e) == -1) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, e);
}

int
db_iprange_delete_cidr(struct db *db, const char *cidr, int *deleted,
    struct err *e)
{
	uint64_t	 n = 0;

	if (db_begin(db, e) == -1)
		return -1;
	if (db_exec(db, e, &n, NULL, "DELETE FROM ip_ranges WHERE cidr = ?",
	    "s", cidr) == -1 || bump(db, e) == -1) {
		db_rollback(db);
		return -1;
	}
	*deleted = (int)n;
	return db_commit(db, e);
}

int
db_iprange_version(struct db *db, int64_t *v, struct err *e)
{
	int	 rc;

	*v = 0;
	rc = db_query_row(db, NULL, e, "SELECT v FROM settings "
	    "WHERE k = 'ip_ranges_version'", "", "i", v);
	return rc == -1 ? -1 : 0;
}
