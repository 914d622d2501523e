/*
 * db_throttle.c - the login_throttle table (see db_throttle.h).
 */
#include <string.h>

#include "../core/err.h"
#include "db.h"
#include "db_throttle.h"

static const char *const kinds[THROTTLE__MAX] = { "account", "address" };

int
db_throttle_get(struct db *db, enum throttle_kind k, const char *key,
    struct throttle_row *r, struct err *e)
{
	memset(r, 0, sizeof(*r));
	return db_query_row(db, NULL, e, "SELECT failures, last_failure, "
	    "next_allowed FROM login_throttle WHERE kind = ? AND "
	    "k = LEFT(?, 128)", "ss", "iii", kinds[k], key, &r->failures,
	    &r->last_failure, &r->next_allowed);
}

int
db_throttle_put(struct db *db, enum throttle_kind k, const char *key,
    const struct throttle_row *r, struct err *e)
{
	return db_exec(db, e, NULL, NULL, "INSERT INTO login_throttle (kind, "
	    "k, failures, last_failure, next_allowed) VALUES (?, LEFT(?, 128), "
	    "?, ?, ?) ON DUPLICATE KEY UPDATE failures = VALUES(failures), "
	    "last_failure = VALUES(last_failure), "
	    "next_allowed = VALUES(next_allowed)", "ssiii", kinds[k], key,
	    r->failures, r->last_failure, r->next_allowed);
}

int
db_throttle_clear(struct db *db, enum throttle_kind k, const char *key,
    struct err *e)
{
	return db_exec(db, e, NULL, NULL, "DELETE FROM login_throttle "
	    "WHERE kind = ? AND k = LEFT(?, 128)", "ss", kinds[k], key);
}
