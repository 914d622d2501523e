/*
 * window.h - sending hours (配信禁止時間帯, blackout hours): is a moment
 * inside a sending window, and if not, when does the window next open.
 *
 * A window is a weekly schedule of allowed local wall-clock spans
 * (struct queue_hours, db_queue.h) in one IANA time zone. Local time is
 * computed from the zone's TZif file (RFC 8536) read once into a table of
 * UTC offset changes: no TZ environment switching, no localtime(), so any
 * thread may ask at any time. Past the file's last transition the zone's
 * POSIX TZ footer rule (RFC 8536 §3.3) is expanded up to the year
 * WINDOW_RULE_YEAR_MAX; after that the last offset holds.
 */
#ifndef SENDER_WINDOW_H
#define SENDER_WINDOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../db/db_queue.h"

struct arena;
struct err;

#define WINDOW_TZIF_MAX		(256 * 1024)	/* zone file size */
#define WINDOW_TRANS_MAX	4096		/* transitions in a file */
#define WINDOW_RULE_YEAR_MAX	2100
#define WINDOW_TZDIR		"/usr/share/zoneinfo"	/* or $TZDIR */

struct window {
	char		 tz[QUEUE_WINDOW_TZ_MAX + 1];
	struct queue_hours hours;
	int64_t		*at;		/* UTC instants of offset changes */
	int32_t		*off;		/* seconds east of UTC from at[i] */
	size_t		 n;
	int32_t		 off0;		/* before at[0] */
};

/*
 * Loads zone tz from $TZDIR or WINDOW_TZDIR and copies the hours; tables
 * live in a. -1 with a sentence in e for a bad name, a missing or
 * malformed zone file, or an empty schedule.
 */
int	 window_init(struct window *, struct arena *, const char *tz,
	    const struct queue_hours *, struct err *)
	    __attribute__((warn_unused_result));
/* The same from the bytes of a TZif file (tests, fuzzing). */
int	 window_init_tzif(struct window *, struct arena *, const char *tz,
	    const unsigned char *buf, size_t len, const struct queue_hours *,
	    struct err *) __attribute__((warn_unused_result));

/* Seconds east of UTC in the window's zone at Unix time t. */
int32_t	 window_utc_offset(const struct window *, int64_t t);
/* True when t falls inside an allowed span. */
bool	 window_is_open(const struct window *, int64_t t);
/* t when open, else the first instant after t at which the window
 * opens; -1 when it never opens (empty schedule). */
int64_t	 window_next_open(const struct window *, int64_t t);

#endif
