/*
 * clock.h - the time, through one function unit tests may replace.
 * Integration code never replaces it.
 */
#ifndef CORE_CLOCK_H
#define CORE_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Seconds since the epoch (wall clock). */
time_t	 clock_now(void);
/* Monotonic milliseconds, for timeouts and rates. */
int64_t	 clock_mono_ms(void);
/* Tests only: fixed wall time (0 restores the real clock). */
void	 clock_fake(time_t t);

#endif
