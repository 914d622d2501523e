/*
 * backoff.c - retry schedule for deferred messages (see backoff.h).
 * RFC 5321 §4.5.4.1 (retry strategy), §4.5.4.1 "give up" time.
 */
#include <stdint.h>
#include <time.h>

#include "backoff.h"

int64_t
backoff_delay(unsigned attempts, uint32_t rnd)
{
	int64_t	 d = BACKOFF_BASE_S, span;
	unsigned i;

	if (attempts == 0)
		attempts = 1;
	for (i = 1; i < attempts && d < BACKOFF_CAP_S; i++)
		d *= 2;
	if (d > BACKOFF_CAP_S)
		d = BACKOFF_CAP_S;
	/* Jitter spreads retries of one failed batch over time. */
	span = d * 2 * BACKOFF_JITTER_PCT / 100;
	d = d - span / 2 + (int64_t)(((uint64_t)span * rnd) >> 32);
	return d < 1 ? 1 : d;
}

enum backoff_verdict
backoff_next(time_t now, time_t created, unsigned attempts, int64_t max_age,
    int64_t slow_down_s, uint32_t rnd, time_t *next)
{
	time_t	 deadline = created + (time_t)max_age;
	time_t	 t;

	if (now >= deadline)
		return BACKOFF_EXPIRED;
	t = now + (time_t)backoff_delay(attempts, rnd);
	if (slow_down_s > 0 && t < now + slow_down_s)
		t = now + (time_t)slow_down_s;
	/* One last try at the deadline rather than none past it. */
	if (t > deadline)
		t = deadline;
	*next = t;
	return BACKOFF_RETRY;
}
