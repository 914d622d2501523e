/*
 * dest.c - per-destination limits: slow start, token bucket, suspension
 * (see dest.h). Times are milliseconds given by the caller.
 */
#include <string.h>

#include "dest.h"

void
dest_limits_default(struct dest_limits *l)
{
	memset(l, 0, sizeof(*l));
	l->conns = DEST_CONNS_DEFAULT;
	l->msgs_per_conn = DEST_MSGS_PER_CONN_DEFAULT;
	l->msgs_per_min = DEST_MSGS_PER_MIN_DEFAULT;
	l->slow_start = DEST_SLOW_START_DEFAULT;
	l->tls = 1;
}

void
dest_limits_clamp(struct dest_limits *l)
{
	if (l->conns < 1)
		l->conns = 1;
	if (l->conns > DEST_CONNS_MAX)
		l->conns = DEST_CONNS_MAX;
	if (l->slow_start < 1)
		l->slow_start = 1;
	if (l->slow_start > l->conns)
		l->slow_start = l->conns;
	if (l->msgs_per_conn < 1)
		l->msgs_per_conn = 1;
	if (l->msgs_per_min < 0)
		l->msgs_per_min = 0;
}

/* Messages per minute allowed now; 0 means unlimited. Slowed: a
 * DEST_SLOW_FACTOR-th of the limit, or one a second when unlimited. */
static int64_t
eff_per_min(const struct dest_state *s, int64_t now)
{
	int64_t	 per_min = s->lim.msgs_per_min;

	if (!dest_is_slowed(s, now))
		return per_min;
	if (per_min == 0)
		return 60;
	return per_min / DEST_SLOW_FACTOR > 0 ? per_min / DEST_SLOW_FACTOR : 1;
}

/* Bucket capacity in thousandths: a tenth of a minute's allowance, at
 * least one message, so a burst never exceeds 6 s worth of sending. */
static int64_t
bucket_cap(int64_t per_min)
{
	int64_t	 cap = per_min * 1000 / 10;

	return cap < 1000 ? 1000 : cap;
}

void
dest_init(struct dest_state *s, const struct dest_limits *l, int64_t now)
{
	memset(s, 0, sizeof(*s));
	s->lim = *l;
	dest_limits_clamp(&s->lim);
	s->window = s->lim.slow_start;
	s->refill_ms = now;
	s->tokens = 1000;
}

void
dest_set_limits(struct dest_state *s, const struct dest_limits *l)
{
	s->lim = *l;
	dest_limits_clamp(&s->lim);
	if (s->window > s->lim.conns)
		s->window = s->lim.conns;
	if (s->window < 1)
		s->window = 1;
}

int
dest_conn_limit(const struct dest_state *s, int64_t now)
{
	if (dest_suspended_for(s, now) > 0)
		return 0;
	if (dest_is_slowed(s, now))
		return 1;
	return s->window;
}

static void
refill(struct dest_state *s, int64_t now, int64_t per_min)
{
	int64_t	 dt = now - s->refill_ms;

	if (dt <= 0)
		return;
	/* per_min messages per 60000 ms, in thousandths of a message */
	s->tokens += dt * per_min / 60;
	if (s->tokens > bucket_cap(per_min))
		s->tokens = bucket_cap(per_min);
	s->refill_ms = now;
}

int64_t
dest_rate_wait(struct dest_state *s, int64_t now)
{
	int64_t	 per_min, left;

	if ((left = dest_suspended_for(s, now)) > 0)
		return left;
	if ((per_min = eff_per_min(s, now)) == 0)
		return 0;
	refill(s, now, per_min);
	if (s->tokens >= 1000)
		return 0;
	/* ceil(missing * 60 / per_min) ms */
	return ((1000 - s->tokens) * 60 + per_min - 1) / per_min;
}

void
dest_rate_take(struct dest_state *s, int64_t now)
{
	int64_t	 per_min;

	if ((per_min = eff_per_min(s, now)) == 0)
		return;
	refill(s, now, per_min);
	s->tokens -= 1000;
}

void
dest_success(struct dest_state *s)
{
	if (s->window >= s->lim.conns)
		return;
	if (++s->credit >= s->window) {
		s->credit = 0;
		s->window++;
	}
}

void
dest_failure(struct dest_state *s)
{
	s->credit = 0;
	if (s->window > 1)
		s->window--;
}

void
dest_suspend(struct dest_state *s, int64_t now, int64_t ms)
{
	if (now + ms > s->suspended_until)
		s->suspended_until = now + ms;
}

void
dest_slow(struct dest_state *s, int64_t now, int64_t ms)
{
	if (!dest_is_slowed(s, now)) {
		/* Start the slowed bucket from empty-but-one. */
		s->tokens = 0;
		s->refill_ms = now;
	}
	if (now + ms > s->slowed_until)
		s->slowed_until = now + ms;
	s->window = 1;
	s->credit = 0;
}

void
dest_lift(struct dest_state *s)
{
	s->suspended_until = 0;
	s->slowed_until = 0;
}

int64_t
dest_suspended_for(const struct dest_state *s, int64_t now)
{
	return s->suspended_until > now ? s->suspended_until - now : 0;
}

bool
dest_is_slowed(const struct dest_state *s, int64_t now)
{
	return s->slowed_until > now;
}
