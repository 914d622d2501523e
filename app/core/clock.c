/*
 * clock.c - wall and monotonic time (see clock.h). The fake time exists
 * for unit tests of throttling and expiry; only they call clock_fake().
 */
#include <stdatomic.h>

#include "clock.h"

static _Atomic time_t	 clock_fixed;

time_t
clock_now(void)
{
	time_t	 t = atomic_load(&clock_fixed);

	return t != 0 ? t : time(NULL);
}

int64_t
clock_mono_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
clock_fake(time_t t)
{
	atomic_store(&clock_fixed, t);
}
