/*
 * timefmt.h - times for people: a Unix time in a named zone
 * ("2026-11-29 16:05 JST"). Zones come from the system's tz database.
 */
#ifndef WEB_TIMEFMT_H
#define WEB_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Formats t in zone tz (e.g. "Asia/Tokyo") into out; "-" for t == 0. */
void	 timefmt(int64_t t, const char *tz, char *out, size_t outsz);
/* Seconds east of UTC in zone tz at time t. */
int64_t	 timefmt_offset(int64_t t, const char *tz);
/* True for a zone name we offer (see the list in timefmt.c). */
bool	 timefmt_zone_valid(const char *tz);
/* The offered zones, NULL-terminated. */
const char *const *timefmt_zones(void);

#endif
