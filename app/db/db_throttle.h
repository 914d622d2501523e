/*
 * db_throttle.h - failed sign-in counters per account name and per client
 * address. The policy (delays, lock times) lives in web/throttle.c.
 */
#ifndef DB_DB_THROTTLE_H
#define DB_DB_THROTTLE_H

#include <stdint.h>

struct db;
struct err;

enum throttle_kind { THROTTLE_ACCOUNT, THROTTLE_ADDRESS, THROTTLE__MAX };

struct throttle_row {
	int64_t	 failures;
	int64_t	 last_failure;
	int64_t	 next_allowed;
};

/* 1 found, 0 none (all zero), -1 error. */
int	 db_throttle_get(struct db *, enum throttle_kind, const char *key,
	    struct throttle_row *, struct err *)
	    __attribute__((warn_unused_result));
int	 db_throttle_put(struct db *, enum throttle_kind, const char *key,
	    const struct throttle_row *, struct err *)
	    __attribute__((warn_unused_result));
int	 db_throttle_clear(struct db *, enum throttle_kind, const char *key,
	    struct err *) __attribute__((warn_unused_result));

#endif
