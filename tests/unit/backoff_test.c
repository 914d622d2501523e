/*
 * backoff_test.c - the retry schedule: growth, cap, jitter bounds, slow-down
 * requests and the maximum age (sender.max_age, default 4 days).
 */
#include <stdint.h>
#include <time.h>

#include "../../app/sender/backoff.h"
#include "t.h"

#define MID	0x80000000u	/* jitter draw in the middle: no jitter */
#define DAY	(24 * 3600)

static void
test_growth(void)
{
	static const struct {
		const char	*name;
		unsigned	 attempts;
		int64_t		 want;
	} cases[] = {
		{ "first retry is the base", 1, BACKOFF_BASE_S },
		{ "attempt 0 treated as 1", 0, BACKOFF_BASE_S },
		{ "second doubles", 2, 2 * BACKOFF_BASE_S },
		{ "third doubles again", 3, 4 * BACKOFF_BASE_S },
		{ "sixth is not yet capped", 6, 32 * BACKOFF_BASE_S },
		{ "seventh is capped", 7, BACKOFF_CAP_S },
		{ "hundredth is capped", 100, BACKOFF_CAP_S },
		{ "huge attempt count is capped", 65535, BACKOFF_CAP_S },
	};
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t	 got = backoff_delay(cases[i].attempts, MID);

		T_OK(got == cases[i].want, "%s (got %lld want %lld)",
		    cases[i].name, (long long)got, (long long)cases[i].want);
	}
}

static void
test_jitter(void)
{
	unsigned a;
	int64_t	 prev_hi = 0;

	for (a = 1; a <= 8; a++) {
		int64_t	 lo = backoff_delay(a, 0);
		int64_t	 hi = backoff_delay(a, UINT32_MAX);
		int64_t	 mid = backoff_delay(a, MID);

		T_OK(lo < mid && mid < hi, "attempt %u: jitter spreads", a);
		T_OK(lo >= mid * (100 - BACKOFF_JITTER_PCT) / 100 - 1 &&
		    hi <= mid * (100 + BACKOFF_JITTER_PCT) / 100,
		    "attempt %u: jitter within ±%d%%", a, BACKOFF_JITTER_PCT);
		T_OK(a == 1 || mid >= prev_hi / 2,
		    "attempt %u: never shrinks much", a);
		prev_hi = hi;
	}
}

static void
test_next(void)
{
	const time_t	 created = 1700000000;
	time_t		 next = 0;
	enum backoff_verdict v;

	v = backoff_next(created + 10, created, 1, 4 * DAY, 0, MID, &next);
	T_OK(v == BACKOFF_RETRY && next == created + 10 + BACKOFF_BASE_S,
	    "first deferral retries after the base delay");
	v = backoff_next(created + 10, created, 1, 4 * DAY, 3600, MID, &next);
	T_OK(v == BACKOFF_RETRY && next == created + 10 + 3600,
	    "a destination's slow-down request is honoured");
	v = backoff_next(created + 10, created, 1, 4 * DAY, 5, MID, &next);
	T_OK(v == BACKOFF_RETRY && next == created + 10 + BACKOFF_BASE_S,
	    "a short slow-down does not shorten the back-off");
	v = backoff_next(created + 4 * DAY - 60, created, 30, 4 * DAY, 0,
	    MID, &next);
	T_OK(v == BACKOFF_RETRY && next == created + 4 * DAY,
	    "the last retry lands on the deadline, not past it");
	v = backoff_next(created + 4 * DAY, created, 31, 4 * DAY, 0, MID,
	    &next);
	T_OK(v == BACKOFF_EXPIRED, "at max_age the message expires");
	v = backoff_next(created + 5 * DAY, created, 2, 4 * DAY, 0, MID,
	    &next);
	T_OK(v == BACKOFF_EXPIRED, "past max_age the message expires");
	v = backoff_next(created - 100, created, 1, 60, 0, MID, &next);
	T_OK(v == BACKOFF_RETRY && next <= created + 60,
	    "clock behind creation: still bounded by the deadline");
}

static void
test_schedule_total(void)
{
	/* Retrying on schedule reaches the 4-day deadline in bounded tries. */
	const time_t	 created = 1700000000;
	time_t		 now = created, next;
	unsigned	 tries = 0;

	while (backoff_next(now, created, tries + 1, 4 * DAY, 0,
	    (uint32_t)(tries * 2654435761u), &next) == BACKOFF_RETRY) {
		T_OK(next > now || next == created + 4 * DAY,
		    "try %u moves forward", tries + 1);
		if (next == now)
			break;
		now = next;
		if (++tries > 100)
			break;
	}
	T_OK(tries > 20 && tries < 40, "4 days take %u retries", tries);
}

int
main(void)
{
	T_SUITE("backoff");
	T_RUN(test_growth);
	T_RUN(test_jitter);
	T_RUN(test_next);
	T_RUN(test_schedule_total);
	return t_done("backoff");
}
