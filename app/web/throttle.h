/*
 * throttle.h - the sign-in throttle: per account name and per client
 * address, a growing delay after a few failures, then a timed lock. The
 * same answer whether the account exists or not.
 */
#ifndef WEB_THROTTLE_H
#define WEB_THROTTLE_H

#include <stdint.h>

struct db;
struct err;

/* Thresholds (failures within THROTTLE_WINDOW seconds). */
#define THROTTLE_WINDOW		3600
#define THROTTLE_ACCOUNT_FREE	3	/* failures before delays start */
#define THROTTLE_ACCOUNT_LOCK	10	/* failures that lock the account */
#define THROTTLE_ADDRESS_FREE	10
#define THROTTLE_ADDRESS_LOCK	50
#define THROTTLE_DELAY_MAX	60	/* seconds, growing delay cap */
#define THROTTLE_LOCK_SECONDS	900

/* Seconds the next attempt must wait (0: go ahead). */
int	 throttle_wait(struct db *, const char *login, const char *addr,
	    int64_t *wait, struct err *) __attribute__((warn_unused_result));
int	 throttle_failed(struct db *, const char *login, const char *addr,
	    struct err *) __attribute__((warn_unused_result));
int	 throttle_passed(struct db *, const char *login, struct err *)
	    __attribute__((warn_unused_result));
/* The delay after f failures (exposed for unit tests). */
int64_t	 throttle_delay(int64_t failures, int64_t free, int64_t lock);

#endif
