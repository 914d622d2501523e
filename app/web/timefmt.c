/*
 * timefmt.c - local times in a user's zone (see timefmt.h). glibc keeps one
 * process-wide zone, so conversions take a mutex while TZ is switched.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "timefmt.h"

static pthread_mutex_t	 tz_lock = PTHREAD_MUTEX_INITIALIZER;
static char		 tz_current[64];

static const char *const zones[] = {
	"Asia/Tokyo", "UTC", "Asia/Seoul", "Asia/Shanghai", "Asia/Taipei",
	"Asia/Singapore", "Asia/Bangkok", "Asia/Kolkata", "Australia/Sydney",
	"Europe/London", "Europe/Berlin", "America/New_York",
	"America/Los_Angeles", NULL,
};

const char *const *
timefmt_zones(void)
{
	return zones;
}

bool
timefmt_zone_valid(const char *tz)
{
	size_t	 i;

	if (tz == NULL)
		return false;
	for (i = 0; zones[i] != NULL; i++)
		if (strcmp(zones[i], tz) == 0)
			return true;
	return false;
}

/* localtime_r in zone tz; the caller holds tz_lock. */
static void
local_locked(time_t tt, const char *tz, struct tm *tm)
{
	if (!timefmt_zone_valid(tz))
		tz = "Asia/Tokyo";
	if (strcmp(tz_current, tz) != 0) {
		setenv("TZ", tz, 1);
		tzset();
		snprintf(tz_current, sizeof(tz_current), "%s", tz);
	}
	localtime_r(&tt, tm);
}

void
timefmt(int64_t t, const char *tz, char *out, size_t outsz)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	if (t == 0) {
		snprintf(out, outsz, "-");
		return;
	}
	pthread_mutex_lock(&tz_lock);
	local_locked(tt, tz, &tm);
	if (strftime(out, outsz, "%Y-%m-%d %H:%M %Z", &tm) == 0)
		snprintf(out, outsz, "-");
	pthread_mutex_unlock(&tz_lock);
}

int64_t
timefmt_offset(int64_t t, const char *tz)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	pthread_mutex_lock(&tz_lock);
	local_locked(tt, tz, &tm);
	pthread_mutex_unlock(&tz_lock);
	return (int64_t)tm.tm_gmtoff;
}
