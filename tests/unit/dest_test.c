/*
 * dest_test.c - per-destination arithmetic with an injected clock:
 * slow start, token bucket per minute, suspension and slow-down.
 */
#include "../../app/sender/dest.h"
#include "t.h"

static void
test_slow_start(void)
{
	struct dest_limits	 l;
	struct dest_state	 s;
	int			 i;

	dest_limits_default(&l);
	l.conns = 5;
	l.slow_start = 1;
	dest_init(&s, &l, 0);
	T_OK(dest_conn_limit(&s, 0) == 1, "starts at the slow-start window");
	dest_success(&s);
	T_OK(dest_conn_limit(&s, 0) == 2, "1 success opens to 2");
	dest_success(&s);
	T_OK(dest_conn_limit(&s, 0) == 2, "2 needs 2 successes");
	dest_success(&s);
	T_OK(dest_conn_limit(&s, 0) == 3, "then 3");
	for (i = 0; i < 100; i++)
		dest_success(&s);
	T_OK(dest_conn_limit(&s, 0) == 5, "capped at the limit");
	dest_failure(&s);
	T_OK(dest_conn_limit(&s, 0) == 4, "a failure closes by one");
	for (i = 0; i < 10; i++)
		dest_failure(&s);
	T_OK(dest_conn_limit(&s, 0) == 1, "never below one");
	l.conns = 0;
	l.slow_start = 99;
	l.msgs_per_conn = -3;
	dest_limits_clamp(&l);
	T_OK(l.conns == 1 && l.slow_start == 1 && l.msgs_per_conn == 1,
	    "clamped to sane bounds");
}

static void
test_rate(void)
{
	struct dest_limits	 l;
	struct dest_state	 s;
	int64_t			 t = 1000000;
	int			 sent = 0, i;

	dest_limits_default(&l);
	l.msgs_per_min = 60;		/* one a second */
	dest_init(&s, &l, t);
	T_OK(dest_rate_wait(&s, t) == 0, "first message at once");
	dest_rate_take(&s, t);
	T_OK(dest_rate_wait(&s, t) == 1000, "next in 1000 ms");
	T_OK(dest_rate_wait(&s, t + 400) == 600, "600 ms left after 400");
	T_OK(dest_rate_wait(&s, t + 1000) == 0, "allowed after a second");
	/* Over one simulated minute at 10 ms steps: about 60 messages. */
	dest_init(&s, &l, t);
	for (i = 0; i < 6000; i++, t += 10)
		if (dest_rate_wait(&s, t) == 0) {
			dest_rate_take(&s, t);
			sent++;
		}
	T_OK(sent >= 60 && sent <= 67, "60/min gives ~60 in a minute (%d)",
	    sent);
	/* Burst after an idle hour is bounded by the bucket (6 s worth). */
	t += 3600 * 1000;
	for (sent = 0; dest_rate_wait(&s, t) == 0 && sent < 1000; sent++)
		dest_rate_take(&s, t);
	T_OK(sent == 6, "burst after idle capped at 6 (%d)", sent);
	l.msgs_per_min = 0;
	dest_init(&s, &l, t);
	for (sent = 0; dest_rate_wait(&s, t) == 0 && sent < 1000; sent++)
		dest_rate_take(&s, t);
	T_OK(sent == 1000, "0 means unlimited");
}

static void
test_suspend(void)
{
	struct dest_limits	 l;
	struct dest_state	 s;
	int64_t			 t = 5000;

	dest_limits_default(&l);
	l.conns = 8;
	l.slow_start = 8;
	l.msgs_per_min = 600;
	dest_init(&s, &l, t);
	dest_suspend(&s, t, 30000);
	T_OK(dest_conn_limit(&s, t) == 0, "suspended: no connection");
	T_OK(dest_rate_wait(&s, t + 1000) == 29000, "wait = time left");
	T_OK(dest_suspended_for(&s, t + 29999) == 1, "1 ms left");
	dest_suspend(&s, t, 1000);
	T_OK(dest_suspended_for(&s, t) == 30000, "never shortened");
	T_OK(dest_suspended_for(&s, t + 30000) == 0, "expires");
	T_OK(dest_conn_limit(&s, t + 30000) == 8, "window back after");
	t += 30000;
	dest_slow(&s, t, 60000);
	T_OK(dest_is_slowed(&s, t + 1) && dest_conn_limit(&s, t + 1) == 1,
	    "slowed: one connection");
	/* 600/min slowed by 4 = 150/min = one per 400 ms */
	T_OK(dest_rate_wait(&s, t) == 400, "slowed rate (%lld ms)",
	    (long long)dest_rate_wait(&s, t));
	dest_lift(&s);
	T_OK(!dest_is_slowed(&s, t + 1) && dest_suspended_for(&s, t) == 0,
	    "lifted early");
	l.msgs_per_min = 0;
	dest_init(&s, &l, t);
	dest_slow(&s, t, 10000);
	T_OK(dest_rate_wait(&s, t) == 1000, "unlimited slowed to 1/s");
}

int
main(void)
{
	T_SUITE("dest");
	T_RUN(test_slow_start);
	T_RUN(test_rate);
	T_RUN(test_suspend);
	return t_done("dest");
}
