/*
 * db_domain.c - sending domains and DKIM keys (see db_domain.h).
 * Literal SQL with bound parameters only.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../core/arena.h"
#include "../core/err.h"
#include "db.h"
#include "db_domain.h"

int
db_domain_add(struct db *db, const char *name, uint64_t *id, struct err *e)
{
	return db_exec(db, e, NULL, id,
	    "INSERT INTO sending_domain (name) VALUES (?)", "s", name);
}

int
db_domain_find(struct db *db, const char *name, uint64_t *id, struct err *e)
{
	return db_query_row(db, NULL, e,
	    "SELECT id FROM sending_domain WHERE name = ?", "s", "u", name,
	    id);
}

int
db_domain_first(struct db *db, struct arena *a, char **name, struct err *e)
{
	return db_query_row(db, a, e,
	    "SELECT name FROM sending_domain WHERE enabled = 1 "
	    "ORDER BY id LIMIT 1", "", "s", name);
}

int
db_domain_key_put(struct db *db, uint64_t domain_id, const char *selector,
    const char *algorithm, unsigned bits, const void *sealed,
    size_t sealed_len, const char *public_txt, struct err *e)
{
	return db_exec(db, e, NULL, NULL,
	    "INSERT INTO dkim_key (domain_id, selector, algorithm, bits, "
	    "private_sealed, public_txt) VALUES (?, ?, ?, ?, ?, ?) "
	    "ON DUPLICATE KEY UPDATE algorithm = VALUES(algorithm), "
	    "bits = VALUES(bits), private_sealed = VALUES(private_sealed), "
	    "public_txt = VALUES(public_txt), active = 1, "
	    "created_at = CURRENT_TIMESTAMP",
	    "ussubs", domain_id, selector, algorithm, (uint64_t)bits, sealed,
	    sealed_len, public_txt);
}

int
db_domain_keys(struct db *db, struct arena *a, struct domain_key **keys,
    size_t *n, struct err *e)
{
	struct dbq		*q;
	struct domain_key	*k, *arr;
	size_t			 cap = 16, cnt = 0;
	int			 r;

	if ((arr = arena_calloc(a, cap, sizeof(*arr))) == NULL)
		return err_set(e, ERR_ENV, "out of memory");
	q = db_query(db, a, e,
	    "SELECT k.id, d.name, k.selector, k.algorithm, k.bits, "
	    "k.private_sealed, k.public_txt FROM dkim_key k "
	    "JOIN sending_domain d ON d.id = k.domain_id "
	    "WHERE k.active = 1 AND d.enabled = 1 ORDER BY d.name, k.id", "");
	if (q == NULL)
		return -1;
	for (;;) {
		struct domain_key	 tmp;

		memset(&tmp, 0, sizeof(tmp));
		r = dbq_next(q, e, "usssubs", &tmp.id, &tmp.domain,
		    &tmp.selector, &tmp.algorithm, &tmp.bits, &tmp.sealed,
		    &tmp.public_txt);
		if (r <= 0)
			break;
		if (cnt == DOMAIN_KEYS_MAX) {
			r = err_set(e, ERR_ENV, "more than %d DKIM keys",
			    DOMAIN_KEYS_MAX);
			break;
		}
		if (cnt == cap) {
			if ((k = arena_calloc(a, cap * 2, sizeof(*k))) ==
			    NULL) {
				r = err_set(e, ERR_ENV, "out of memory");
				break;
			}
			memcpy(k, arr, cap * sizeof(*k));
			arr = k;
			cap *= 2;
		}
		arr[cnt++] = tmp;
	}
	dbq_close(q);
	if (r == -1)
		return -1;
	*keys = arr;
	*n = cnt;
	return 0;
}
