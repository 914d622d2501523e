/*
 * throttle.c - the sign-in throttle policy (see throttle.h).
 */
#include "../core/clock.h"
#include "../db/db_throttle.h"
#include "throttle.h"

int64_t
throttle_delay(int64_t f, int64_t free, int64_t lock)
{
	int64_t	 d;

	if (f >= lock)
		return THROTTLE_LOCK_SECONDS;
	if (f < free)
		return 0;
	/* 2, 4, 8, ... seconds, capped. */
	d = (int64_t)1 << (f - free < 6 ? f - free + 1 : 7);
	return d > THROTTLE_DELAY_MAX ? THROTTLE_DELAY_MAX : d;
}

static int
wait_for(struct db *db, enum throttle_kind k, const char *key, int64_t now,
    int64_t *wait, struct err *e)
{
	struct throttle_row	 t;

	if (db_throttle_get(db, k, key, &t, e) == -1)
		return -1;
	if (t.next_allowed > now && t.next_allowed - now > *wait)
		*wait = t.next_allowed - now;
	return 0;
}

int
throttle_wait(struct db *db, const char *login, const char *addr,
    int64_t *wait, struct err *e)
{
	int64_t	 now = clock_now();

	*wait = 0;
	if (wait_for(db, THROTTLE_ACCOUNT, login, now, wait, e) == -1 ||
	    wait_for(db, THROTTLE_ADDRESS, addr, now, wait, e) == -1)
		return -1;
	return 0;
}

static int
count(struct db *db, enum throttle_kind k, const char *key, int64_t free,
    int64_t lock, int64_t now, struct err *e)
{
	struct throttle_row	 t;

	if (db_throttle_get(db, k, key, &t, e) == -1)
		return -1;
	if (now - t.last_failure > THROTTLE_WINDOW)
		t.failures = 0;
	t.failures++;
	t.last_failure = now;
	t.next_allowed = now + throttle_delay(t.failures, free, lock);
	return db_throttle_put(db, k, key, &t, e);
}

int
throttle_failed(struct db *db, const char *login, const char *addr,
    struct err *e)
{
	int64_t	 now = clock_now();

	if (count(db, THROTTLE_ACCOUNT, login, THROTTLE_ACCOUNT_FREE,
	    THROTTLE_ACCOUNT_LOCK, now, e) == -1)
		return -1;
	return count(db, THROTTLE_ADDRESS, addr, THROTTLE_ADDRESS_FREE,
	    THROTTLE_ADDRESS_LOCK, now, e);
}

int
throttle_passed(struct db *db, const char *login, struct err *e)
{
	return db_throttle_clear(db, THROTTLE_ACCOUNT, login, e);
}
