/*
 * iprange.c - the in-memory allow-list (see iprange.h).
 *
 * Readers take a read lock for the few nanoseconds of a linear scan; writers
 * build the new list aside and swap it in under the write lock, so a change
 * is seen by every thread on its next request. An empty list admits nobody:
 * a fresh install always holds loopback (the installer adds it).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../core/arena.h"
#include "../core/err.h"
#include "../core/log.h"
#include "../db/db_iprange.h"
#include "iprange.h"

static pthread_rwlock_t	 lock = PTHREAD_RWLOCK_INITIALIZER;
static struct cidr	*ranges;
static size_t		 nranges;
static int64_t		 version = -1;

int
iprange_set(const struct cidr *v, size_t n, int64_t ver, struct err *e)
{
	struct cidr	*copy = NULL, *old;

	if (n > IPRANGE_MAX)
		return err_set(e, ERR_TOO_LARGE, "more than %d ranges",
		    IPRANGE_MAX);
	if (n > 0) {
		if ((copy = malloc(n * sizeof(*copy))) == NULL)
			return err_set(e, ERR_ENV, "out of memory");
		memcpy(copy, v, n * sizeof(*copy));
	}
	pthread_rwlock_wrlock(&lock);
	old = ranges;
	ranges = copy;
	nranges = n;
	version = ver;
	pthread_rwlock_unlock(&lock);
	free(old);
	return 0;
}

bool
iprange_list_allows(const struct cidr *v, size_t n, const struct ipaddr *a)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (cidr_contains(&v[i], a))
			return true;
	return false;
}

bool
iprange_allows(const struct ipaddr *a)
{
	bool	 ok;

	pthread_rwlock_rdlock(&lock);
	ok = iprange_list_allows(ranges, nranges, a);
	pthread_rwlock_unlock(&lock);
	return ok;
}

size_t
iprange_count(void)
{
	size_t	 n;

	pthread_rwlock_rdlock(&lock);
	n = nranges;
	pthread_rwlock_unlock(&lock);
	return n;
}

int
iprange_reload(struct db *db, struct err *e)
{
	struct arena		*a;
	struct iprange_row	*rows;
	struct cidr		*v = NULL;
	size_t			 n, i, k = 0;
	int64_t			 ver;
	int			 rc = -1;

	if ((a = arena_new(0)) == NULL)
		return err_set(e, ERR_ENV, "out of memory");
	/* Read the version first: a change racing with the list read makes
	 * the next refresh load again, never miss it. */
	if (db_iprange_version(db, &ver, e) == -1 ||
	    db_iprange_list(db, a, &rows, &n, e) == -1)
		goto out;
	if (n > 0 && (v = arena_calloc(a, n, sizeof(*v))) == NULL) {
		err_set(e, ERR_ENV, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct err	 pe;

		err_clear(&pe);
		if (cidr_parse(str_from(rows[i].cidr), &v[k], &pe) == -1) {
			log_err("allow-list: stored range \"%s\" is invalid "
			    "and ignored: %s", rows[i].cidr, pe.msg);
			continue;
		}
		k++;
	}
	rc = iprange_set(v, k, ver, e);
	if (rc == 0)
		log_info("allow-list loaded: %zu range(s), version %lld", k,
		    (long long)ver);
out:
	arena_free(a);
	return rc;
}

int
iprange_refresh(struct db *db, struct err *e)
{
	int64_t	 ver, have;

	if (db_iprange_version(db, &ver, e) == -1)
		return -1;
	pthread_rwlock_rdlock(&lock);
	have = version;
	pthread_rwlock_unlock(&lock);
	if (ver == have)
		return 0;
	return iprange_reload(db, e);
}
