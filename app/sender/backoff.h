/*
 * backoff.h - when to try a deferred message again.
 *
 * Exponential back-off with jitter (RFC 5321 §4.5.4.1 asks for a retry
 * interval of at least 30 minutes; we start sooner for the first retry
 * because most 4xx replies are greylisting) up to a cap, and a maximum age
 * after which the message is bounced (sender.max_age, default 4 days).
 * Pure arithmetic: the caller passes the time and the random draw, so the
 * schedule is testable.
 */
#ifndef SENDER_BACKOFF_H
#define SENDER_BACKOFF_H

#include <stdint.h>
#include <time.h>

#define BACKOFF_BASE_S		300		/* first retry after ~5 min */
#define BACKOFF_CAP_S		(4 * 3600)	/* never wait more than 4 h */
#define BACKOFF_JITTER_PCT	20		/* delay ±20 % */

enum backoff_verdict {
	BACKOFF_RETRY,		/* try again at *next */
	BACKOFF_EXPIRED,	/* past max_age: bounce */
	BACKOFF__MAX
};

/*
 * Delay before the next try once `attempts` tries have failed (attempts
 * >= 1): BASE * 2^(attempts-1) capped at CAP, then scaled by a jitter
 * factor in [1 - J, 1 + J) taken from rnd (uniform 32-bit draw).
 */
int64_t	 backoff_delay(unsigned attempts, uint32_t rnd);

/*
 * The fate of a message that just failed temporarily: created is when it
 * was queued, attempts counts tries including this one, slow_down_s is a
 * wait a destination asked for (0: none). A retry never lands after
 * created + max_age; a message already that old is EXPIRED.
 */
enum backoff_verdict backoff_next(time_t now, time_t created,
	    unsigned attempts, int64_t max_age, int64_t slow_down_s,
	    uint32_t rnd, time_t *next);

#endif
