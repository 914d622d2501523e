/*
 * db_audit.c - the audit_log table (see db_audit.h). Filters are bound
 * parameters; an empty filter value matches everything through
 * "(? = '' OR col = ?)", so one literal statement serves every filter.
 */
#include <string.h>

#include "../core/arena.h"
#include "../core/clock.h"
#include "../core/err.h"
#include "db.h"
#include "db_audit.h"

int
db_audit_add(struct db *db, const char *actor, const char *ip,
    const char *action, const char *target, const char *detail,
    struct err *e)
{
	return db_exec(db, e, NULL, NULL, "INSERT INTO audit_log (at, actor, "
	    "ip, action, target, detail) VALUES (?, LEFT(?, 64), LEFT(?, 45), "
	    "LEFT(?, 32), LEFT(?, 128), LEFT(?, 1024))", "isssss",
	    (int64_t)clock_now(), actor ? actor : "", ip ? ip : "", action,
	    target ? target : "", detail ? detail : "");
}

static const char *
nz(const char *s)
{
	return s ? s : "";
}

int
db_audit_list(struct db *db, struct arena *a, const struct audit_filter *f,
    struct audit_row **out, size_t *n, struct err *e)
{
	struct dbq	*q;
	struct audit_row *v;
	size_t		 lim = f->limit && f->limit <= AUDIT_PAGE_MAX ?
			    f->limit : AUDIT_PAGE_MAX;
	int		 rc = 0;

	*n = 0;
	if ((v = arena_calloc(a, lim + 1, sizeof(*v))) == NULL)
		return err_set(e, ERR_ENV, "out of memory");
	if (f->after_id != 0)
		/* "Previous" page: oldest first above the key, then reversed. */
		q = db_query(db, a, e, "SELECT id, at, actor, ip, action, "
		    "target, detail FROM audit_log WHERE id > ? "
		    "AND (? = '' OR actor = ?) AND (? = '' OR action = ?) "
		    "AND (? = 0 OR at >= ?) AND (? = 0 OR at < ?) "
		    "ORDER BY id ASC LIMIT ?", "ussssiiiii", f->after_id,
		    nz(f->actor), nz(f->actor), nz(f->action), nz(f->action),
		    f->since, f->since, f->until, f->until, (int64_t)lim + 1);
	else
		q = db_query(db, a, e, "SELECT id, at, actor, ip, action, "
		    "target, detail FROM audit_log WHERE (? = 0 OR id < ?) "
		    "AND (? = '' OR actor = ?) AND (? = '' OR action = ?) "
		    "AND (? = 0 OR at >= ?) AND (? = 0 OR at < ?) "
		    "ORDER BY id DESC LIMIT ?", "uussssiiiii", f->before_id,
		    f->before_id, nz(f->actor), nz(f->actor), nz(f->action),
		    nz(f->action), f->since, f->since, f->until, f->until,
		    (int64_t)lim + 1);
	if (q == NULL)
		return -1;
	while (*n <= lim && (rc = dbq_next(q, e, "uisssss", &v[*n].id,
	    &v[*n].at, &v[*n].actor, &v[*n].ip, &v[*n].action,
	    &v[*n].target, &v[*n].detail)) == 1)
		(*n)++;
	dbq_close(q);
	if (rc == -1)
		return -1;
	if (f->after_id != 0) {
		size_t	 i;

		for (i = 0; i < *n / 2; i++) {
			struct audit_row t = v[i];

			v[i] = v[*n - 1 - i];
			v[*n - 1 - i] = t;
		}
	}
	*out = v;
	return 0;
}

int
db_audit_count(struct db *db, const struct audit_filter *f, int64_t *n,
    struct err *e)
{
	int	 rc;

	rc = db_query_row(db, NULL, e, "SELECT COUNT(*) FROM audit_log "
	    "WHERE (? = '' OR actor = ?) AND (? = '' OR action = ?) "
	    "AND (? = 0 OR at >= ?) AND (? = 0 OR at < ?)", "ssssiiii", "i",
	    nz(f->actor), nz(f->actor), nz(f->action), nz(f->action),
	    f->since, f->since, f->until, f->until, n);
	return rc == -1 ? -1 : 0;
}
