/*
 * window_test.c - sending hours: the schedule parser (strict, hostile
 * inputs), its canonical text form, the TZif reader checked against
 * glibc's localtime_r over 1970-2099 for several zones (this test is one
 * thread, so switching TZ here is harmless), and "open now / next start"
 * cases in Asia/Tokyo and around America/New_York's DST changes, plus a
 * brute-force minute scan as an oracle for window_next_open().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../app/core/arena.h"
#include "../../app/core/err.h"
#include "../../app/db/db_queue.h"
#include "../../app/sender/window.h"
#include "t.h"

static struct arena *A;

/* Unix time of a UTC date and time. */
static int64_t
utc(int y, int mo, int d, int h, int mi)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	return (int64_t)timegm(&tm);
}

static int
mkwin(struct window *w, const char *tz, const char *hours)
{
	struct queue_hours h;
	struct err	 e;

	err_clear(&e);
	if (db_queue_hours_parse(hours, &h, &e) == -1 ||
	    window_init(w, A, tz, &h, &e) == -1) {
		printf("# %s %s: %s\n", tz, hours, e.msg);
		return -1;
	}
	return 0;
}

static void
test_parse_ok(void)
{
	static const struct {
		const char	*name, *in, *want;
	} cases[] = {
		{ "weekdays and saturday",
		    "mon-fri 09:00-20:00, sat 10:00-18:00",
		    "mon-fri 09:00-20:00, sat 10:00-18:00" },
		{ "upper case and extra spaces", "  MON-Fri   09:00-20:00 ,sat "
		    "10:00-18:00  ", "mon-fri 09:00-20:00, sat 10:00-18:00" },
		{ "daily", "daily 06:00-22:00", "mon-sun 06:00-22:00" },
		{ "whole day with 24:00", "sun 00:00-24:00",
		    "sun 00:00-24:00" },
		{ "two spans a day", "mon 13:00-18:00 09:00-12:00",
		    "mon 09:00-12:00 13:00-18:00" },
		{ "day range wraps over the week", "fri-mon 10:00-11:00",
		    "mon 10:00-11:00, fri-sun 10:00-11:00" },
		{ "overnight span runs into the next day", "fri 22:00-06:00",
		    "fri 22:00-24:00, sat 00:00-06:00" },
		{ "overnight daily", "daily 22:00-06:00",
		    "mon-sun 00:00-06:00 22:00-24:00" },
		{ "sunday night into monday", "sun 23:00-01:00",
		    "mon 00:00-01:00, sun 23:00-24:00" },
		{ "overnight ending at midnight is one day", "mon 22:00-00:00",
		    "mon 22:00-24:00" },
		{ "adjacent spans do not overlap",
		    "mon 09:00-12:00 12:00-13:00",
		    "mon 09:00-12:00 12:00-13:00" },
		{ "trailing comma", "tue 09:00-10:00,", "tue 09:00-10:00" },
	};
	struct queue_hours h;
	struct err	 e;
	char		 out[QUEUE_HOURS_TEXT_MAX];
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err_clear(&e);
		if (db_queue_hours_parse(cases[i].in, &h, &e) == -1) {
			T_OK(0, "%s: refused: %s", cases[i].name, e.msg);
			continue;
		}
		db_queue_hours_format(&h, out, sizeof(out));
		T_STREQ(out, cases[i].want, cases[i].name);
	}
}

static void
test_parse_bad(void)
{
	static const struct {
		const char	*name, *in, *msg;	/* msg: a part */
	} cases[] = {
		{ "empty schedule is never open", "", "never open" },
		{ "only spaces", "   ", "never open" },
		{ "only commas", ",", "expected a day" },
		{ "day without hours", "mon", "expected a space" },
		{ "day and space, no hours", "mon ", "no hours" },
		{ "single-digit hour", "mon 9:00-10:00", "HH:MM" },
		{ "minute 60", "mon 09:60-10:00", "HH:MM" },
		{ "hour 25", "mon 25:00-26:00", "HH:MM" },
		{ "24:01", "mon 09:00-24:01", "HH:MM" },
		{ "start at 24:00", "mon 24:00-10:00", "HH:MM" },
		{ "empty span", "mon 09:00-09:00", "empty" },
		{ "unknown day", "xyz 09:00-10:00", "expected a day" },
		{ "full day name", "monday 09:00-10:00", "expected a space" },
		{ "bad range end", "mon-xyz 09:00-10:00", "after \"-\"" },
		{ "double comma", "mon 09:00-10:00,, tue 09:00-10:00",
		    "expected a day" },
		{ "overlap in one day", "mon 09:00-12:00 11:00-13:00",
		    "overlap" },
		{ "overlap across items",
		    "mon-fri 09:00-20:00, fri 19:00-21:00",
		    "overlap" },
		{ "overnight overlaps next day", "mon 22:00-06:00, tue "
		    "05:00-07:00", "overlap" },
		{ "garbage after a span", "mon 09:00-10:00x", "HH:MM" },
		{ "missing dash", "mon 09:00 10:00", "HH:MM" },
		{ "semicolon separator", "mon 09:00-10:00; tue 09:00-10:00",
		    "HH:MM" },
		{ "NUL-free control byte", "mon\x01 09:00-10:00",
		    "expected a space" },
		{ "non-ASCII day", "月 09:00-10:00", "expected a day" },
	};
	struct queue_hours h;
	struct err	 e;
	char		 big[QUEUE_HOURS_TEXT_MAX + 10];
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err_clear(&e);
		T_OK(db_queue_hours_parse(cases[i].in, &h, &e) == -1 &&
		    e.kind == ERR_INPUT && strstr(e.msg, cases[i].msg) != NULL,
		    "%s refused (%s)", cases[i].name, e.msg);
	}
	memset(big, ' ', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "mon 09:00-10:00", 15);
	err_clear(&e);
	T_OK(db_queue_hours_parse(big, &h, &e) == -1, "over %d characters "
	    "refused", QUEUE_HOURS_TEXT_MAX - 1);
	T_OK(db_queue_hours_parse(NULL, &h, &e) == -1, "NULL refused");
	/* Eight spans a day, every day: the limit; one more is refused. */
	{
		char	 s[QUEUE_HOURS_TEXT_MAX];
		int	 k, n = snprintf(s, sizeof(s), "daily");

		for (k = 0; k < 8; k++)
			n += snprintf(s + n, sizeof(s) - (size_t)n,
			    " %02d:00-%02d:30", k, k);
		err_clear(&e);
		T_OK(db_queue_hours_parse(s, &h, &e) == 0 &&
		    h.n == QUEUE_SPANS_MAX, "56 spans accepted (%s)", e.msg);
		snprintf(s + n, sizeof(s) - (size_t)n, " 23:00-23:30");
		T_OK(db_queue_hours_parse(s, &h, &e) == -1, "57 spans refused");
	}
}

static void
test_tz_names(void)
{
	static const struct {
		const char	*in;
		bool		 ok;
	} cases[] = {
		{ "Asia/Tokyo", true }, { "America/New_York", true },
		{ "Etc/GMT+9", true }, { "UTC", true },
		{ "America/Argentina/Buenos_Aires", true },
		{ "", false }, { "/etc/passwd", false },
		{ "../../etc/passwd", false }, { "Asia/../../x", false },
		{ "Asia//Tokyo", false }, { "Asia/Tokyo/", false },
		{ "Asia/.hidden", false }, { "Asia/Tok yo", false },
		{ "Asia/Tokyo\t", false },
		{ "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		    "AAAAAAAAA", false },
	};
	struct window	 w;
	struct queue_hours h;
	struct err	 e;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		T_OK(db_queue_tz_name_ok(cases[i].in) == cases[i].ok,
		    "zone name \"%s\" %s", cases[i].in,
		    cases[i].ok ? "accepted" : "refused");
	T_OK(db_queue_hours_parse("daily 09:00-17:00", &h, &e) == 0,
	    "parse daily");
	err_clear(&e);
	T_OK(window_init(&w, A, "Asia/Nowhere", &h, &e) == -1 &&
	    strstr(e.msg, "unknown time zone") != NULL,
	    "a missing zone is refused (%s)", e.msg);
	err_clear(&e);
	T_OK(window_init(&w, A, "../../etc/passwd", &h, &e) == -1,
	    "a path is refused (%s)", e.msg);
	err_clear(&e);
	T_OK(window_init(&w, A, "right/Asia/Tokyo", &h, &e) == -1,
	    "leap-second zones are refused (%s)", e.msg);
	memset(&h, 0, sizeof(h));
	err_clear(&e);
	T_OK(window_init(&w, A, "Asia/Tokyo", &h, &e) == -1 &&
	    strstr(e.msg, "never open") != NULL,
	    "an empty schedule is refused (%s)", e.msg);
}

/* The TZif reader and footer rules against glibc over 1970-2099. */
static void
test_offsets_vs_libc(void)
{
	static const char *zones[] = {
		"Asia/Tokyo", "America/New_York", "Europe/London",
		"Australia/Sydney", "Pacific/Chatham", "America/St_Johns",
		"Asia/Kolkata", "America/Sao_Paulo", "Europe/Dublin",
		"Africa/Casablanca", "Pacific/Kiritimati", "UTC",
	};
	struct queue_hours h;
	struct window	 w;
	struct err	 e;
	struct tm	 tm;
	size_t		 i, k;
	int64_t		 t, d, end = utc(2099, 12, 1, 0, 0);
	time_t		 tt;
	long		 bad, n;

	T_OK(db_queue_hours_parse("daily 09:00-17:00", &h, &e) == 0,
	    "parse");
	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		err_clear(&e);
		if (window_init(&w, A, zones[i], &h, &e) == -1) {
			T_OK(0, "%s loads: %s", zones[i], e.msg);
			continue;
		}
		setenv("TZ", zones[i], 1);
		tzset();
		bad = n = 0;
		/* Every 5 days and 7 hours: all hours, all weekdays. */
		for (t = 0; t < end; t += 5 * 86400 + 7 * 3600 + 60, n++) {
			tt = (time_t)t;
			if (localtime_r(&tt, &tm) == NULL ||
			    tm.tm_gmtoff != window_utc_offset(&w, t)) {
				if (bad++ < 3)
					printf("# %s at %lld: libc %ld, ours "
					    "%d\n", zones[i], (long long)t,
					    tm.tm_gmtoff,
					    window_utc_offset(&w, t));
			}
		}
		T_OK(bad == 0, "%s: UTC offsets equal glibc's at %ld instants "
		    "1970-2099 (%ld differ)", zones[i], n, bad);
		/* Exactly at and just before every change up to 2099, those
		 * of the footer rule included. */
		bad = n = 0;
		for (k = 0; k < w.n && w.at[k] < end; k++) {
			for (d = -1; d <= 0; d++, n++) {
				tt = (time_t)(w.at[k] + d);
				if (localtime_r(&tt, &tm) == NULL ||
				    tm.tm_gmtoff != window_utc_offset(&w,
				    w.at[k] + d))
					bad++;
			}
		}
		T_OK(bad == 0, "%s: offsets equal glibc's around each of %ld "
		    "changes (%ld differ)", zones[i], n / 2, bad);
	}
	unsetenv("TZ");
	tzset();
}

static void
test_tokyo(void)
{
	/* 2026-11-30 is a Monday; JST is UTC+9 all year. */
	static const struct {
		const char	*name;
		int64_t		 at, want;	/* want: -2 open now */
	} cases[] = {
		{ "mon 10:00 JST open", 0, -2 },
		{ "mon 08:59 JST: opens 09:00", 1, 2 },
		{ "mon 20:00 JST (end excluded): tue 09:00", 3, 4 },
		{ "fri 21:00 JST: sat 10:00", 5, 6 },
		{ "sat 18:30 JST: week wraps to mon 09:00", 7, 8 },
		{ "sun 23:59 JST across midnight: mon 09:00", 9, 8 },
		{ "sat 09:59:59 JST: sat 10:00", 10, 6 },
	};
	int64_t	 T[] = {
		utc(2026, 11, 30, 1, 0),	/* 0 mon 10:00 */
		utc(2026, 11, 29, 23, 59),	/* 1 mon 08:59 */
		utc(2026, 11, 30, 0, 0),	/* 2 mon 09:00 */
		utc(2026, 11, 30, 11, 0),	/* 3 mon 20:00 */
		utc(2026, 12, 1, 0, 0),		/* 4 tue 09:00 */
		utc(2026, 12, 4, 12, 0),	/* 5 fri 21:00 */
		utc(2026, 12, 5, 1, 0),		/* 6 sat 10:00 */
		utc(2026, 12, 5, 9, 30),	/* 7 sat 18:30 */
		utc(2026, 12, 7, 0, 0),		/* 8 mon 09:00 */
		utc(2026, 12, 6, 14, 59),	/* 9 sun 23:59 */
		utc(2026, 12, 5, 1, 0) - 1,	/* 10 sat 09:59:59 */
	};
	struct window	 w;
	size_t		 i;

	if (mkwin(&w, "Asia/Tokyo", "mon-fri 09:00-20:00, sat 10:00-18:00")
	    == -1) {
		T_OK(0, "Asia/Tokyo window");
		return;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t	 t = T[cases[i].at];
		int64_t	 want = cases[i].want == -2 ? t : T[cases[i].want];
		int64_t	 got = window_next_open(&w, t);

		T_OK(got == want && window_is_open(&w, got) &&
		    window_is_open(&w, t) == (cases[i].want == -2),
		    "%s (got %lld want %lld)", cases[i].name, (long long)got,
		    (long long)want);
	}
}

struct nextcase {
	const char	*name, *tz, *hours;
	int64_t		 at, want;	/* want == at: open now */
};

static void
run_next(const struct nextcase *c, size_t n)
{
	struct window	 w;
	size_t		 i;
	int64_t		 got;

	for (i = 0; i < n; i++) {
		if (mkwin(&w, c[i].tz, c[i].hours) == -1) {
			T_OK(0, "%s: window", c[i].name);
			continue;
		}
		got = window_next_open(&w, c[i].at);
		T_OK(got == c[i].want, "%s (got %lld want %lld)", c[i].name,
		    (long long)got, (long long)c[i].want);
	}
}

static void
test_overnight_and_wrap(void)
{
	const struct nextcase c[] = {
		{ "blackout 22:00-06:00: 23:00 waits for 06:00 next day",
		    "Asia/Tokyo", "daily 06:00-22:00",
		    utc(2026, 11, 30, 14, 0), utc(2026, 11, 30, 21, 0) },
		{ "blackout 22:00-06:00: 05:59:59 waits one second",
		    "Asia/Tokyo", "daily 06:00-22:00",
		    utc(2026, 11, 30, 21, 0) - 1, utc(2026, 11, 30, 21, 0) },
		{ "blackout 22:00-06:00: 22:00 exactly is closed",
		    "Asia/Tokyo", "daily 06:00-22:00",
		    utc(2026, 11, 30, 13, 0), utc(2026, 11, 30, 21, 0) },
		{ "night window 22:00-06:00: 03:00 is open", "Asia/Tokyo",
		    "daily 22:00-06:00", utc(2026, 11, 30, 18, 0),
		    utc(2026, 11, 30, 18, 0) },
		{ "night window 22:00-06:00: noon waits for 22:00",
		    "Asia/Tokyo", "daily 22:00-06:00",
		    utc(2026, 11, 30, 3, 0), utc(2026, 11, 30, 13, 0) },
		{ "sunday-only window seen from monday: six days on",
		    "Asia/Tokyo", "sun 23:00-24:00",
		    utc(2026, 11, 30, 3, 0), utc(2026, 12, 6, 14, 0) },
		{ "sunday night into monday: monday 00:30 open", "Asia/Tokyo",
		    "sun 23:00-01:00", utc(2026, 11, 29, 15, 30),
		    utc(2026, 11, 29, 15, 30) },
		{ "fixed offset zone Etc/GMT-9 same as Tokyo", "Etc/GMT-9",
		    "daily 06:00-22:00", utc(2026, 11, 30, 14, 0),
		    utc(2026, 11, 30, 21, 0) },
		{ "UTC", "UTC", "mon-fri 09:00-17:00",
		    utc(2026, 12, 4, 17, 0), utc(2026, 12, 7, 9, 0) },
		{ "half-hour zone Asia/Kolkata", "Asia/Kolkata",
		    "daily 09:00-18:00", utc(2026, 11, 30, 12, 30),
		    utc(2026, 12, 1, 3, 30) },
	};

	run_next(c, sizeof(c) / sizeof(c[0]));
}

static void
test_new_york_dst(void)
{
	/* 2026: EDT from 03-08 07:00 UTC to 11-01 06:00 UTC. */
	const struct nextcase c[] = {
		{ "sat before the March change: sunday 09:00 EDT",
		    "America/New_York", "daily 09:00-17:00",
		    utc(2026, 3, 7, 23, 0), utc(2026, 3, 8, 13, 0) },
		{ "span in the March gap opens at the jump (03:00 EDT)",
		    "America/New_York", "sun 02:30-04:00",
		    utc(2026, 3, 8, 6, 0), utc(2026, 3, 8, 7, 0) },
		{ "span starting at 03:00 EDT after the jump",
		    "America/New_York", "sun 03:00-04:00",
		    utc(2026, 3, 8, 6, 59), utc(2026, 3, 8, 7, 0) },
		{ "sat before the November change: sunday 09:00 EST",
		    "America/New_York", "daily 09:00-17:00",
		    utc(2026, 10, 31, 22, 0), utc(2026, 11, 1, 14, 0) },
		{ "repeated hour: first 01:30 (EDT) counts",
		    "America/New_York", "sun 01:30-01:45",
		    utc(2026, 11, 1, 4, 0), utc(2026, 11, 1, 5, 30) },
		{ "repeated hour: after 01:45 EDT, 01:30 EST opens again",
		    "America/New_York", "sun 01:30-01:45",
		    utc(2026, 11, 1, 5, 50), utc(2026, 11, 1, 6, 30) },
		{ "far future March change from the footer rule (2090)",
		    "America/New_York", "daily 09:00-17:00",
		    utc(2090, 3, 11, 23, 0), utc(2090, 3, 12, 13, 0) },
		{ "southern hemisphere: Sydney in April (DST ends)",
		    "Australia/Sydney", "daily 09:00-17:00",
		    utc(2026, 4, 4, 12, 0), utc(2026, 4, 4, 23, 0) },
	};

	run_next(c, sizeof(c) / sizeof(c[0]));
}

/* Oracle: the first whole minute after t that is open, by scanning. */
static int64_t
scan(const struct window *w, int64_t t)
{
	int64_t	 c;

	if (window_is_open(w, t))
		return t;
	for (c = t - ((t % 60) + 60) % 60 + 60; c < t + 10 * 86400; c += 60)
		if (window_is_open(w, c))
			return c;
	return -1;
}

static void
test_scan_oracle(void)
{
	static const struct {
		const char	*tz, *hours;
	} cases[] = {
		{ "America/New_York", "mon-fri 09:00-20:00, sat 10:00-18:00" },
		{ "America/New_York", "sun 01:00-03:00 23:30-24:00" },
		{ "Europe/London", "daily 00:30-01:30" },
		{ "Australia/Sydney", "sun 02:00-03:00, wed 22:00-06:00" },
		{ "Pacific/Chatham", "daily 02:45-03:45" },
		{ "Asia/Tokyo", "fri-mon 22:00-06:00" },
	};
	struct window	 w;
	size_t		 i;
	int64_t		 t, start = utc(2026, 1, 1, 0, 0), got, want;
	long		 bad, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (mkwin(&w, cases[i].tz, cases[i].hours) == -1) {
			T_OK(0, "%s window", cases[i].tz);
			continue;
		}
		bad = n = 0;
		/* Two years in uneven steps, around every DST change. */
		for (t = start; t < start + 2 * 365 * 86400;
		    t += 3 * 86400 + 5 * 3600 + 17 * 60 + 13, n++) {
			got = window_next_open(&w, t);
			want = scan(&w, t);
			if (got != want && bad++ < 3)
				printf("# %s at %lld: got %lld want %lld\n",
				    cases[i].tz, (long long)t,
				    (long long)got, (long long)want);
		}
		T_OK(bad == 0, "%s \"%s\": next start equals a minute scan at "
		    "%ld instants", cases[i].tz, cases[i].hours, n);
	}
}

/* Hostile TZif bytes: every truncation and byte flips of a real file. */
static void
test_tzif_hostile(void)
{
	static unsigned char buf[8192];
	struct queue_hours h;
	struct window	 w;
	struct err	 e;
	FILE		*f;
	size_t		 len, i;
	int		 ok = 0;

	T_OK(db_queue_hours_parse("daily 09:00-17:00", &h, &e) == 0,
	    "parse");
	if ((f = fopen("/usr/share/zoneinfo/America/New_York", "rb")) ==
	    NULL) {
		T_OK(0, "America/New_York readable");
		return;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	T_OK(window_init_tzif(&w, A, "x", buf, len, &h, &e) == 0,
	    "whole file accepted");
	for (i = 0; i < len; i++) {
		arena_reset(A);
		if (window_init_tzif(&w, A, "x", buf, i, &h, &e) == 0) {
			/* A prefix may be a valid v1/v2 file: must work. */
			(void)window_next_open(&w, 1800000000);
			ok++;
		}
	}
	T_OK(1, "every truncation handled (%d prefixes usable)", ok);
	for (i = 0; i < len; i += 7) {
		unsigned char	 save = buf[i];

		arena_reset(A);
		buf[i] ^= 0xff;
		if (window_init_tzif(&w, A, "x", buf, len, &h, &e) == 0)
			(void)window_next_open(&w, 1800000000);
		buf[i] = save;
	}
	T_OK(1, "byte flips handled without a crash");
	T_OK(window_init_tzif(&w, A, "x", (const unsigned char *)"TZif", 4,
	    &h, &e) == -1, "4 bytes refused");
	T_OK(window_init_tzif(&w, A, "x", (const unsigned char *)
	    "NOTATZIFFILE........................................", 50,
	    &h, &e) == -1, "bad magic refused");
}

int
main(void)
{
	T_SUITE("window");
	if ((A = arena_new(0)) == NULL)
		return 1;
	T_RUN(test_parse_ok);
	T_RUN(test_parse_bad);
	T_RUN(test_tz_names);
	T_RUN(test_offsets_vs_libc);
	T_RUN(test_tokyo);
	T_RUN(test_overnight_and_wrap);
	T_RUN(test_new_york_dst);
	T_RUN(test_scan_oracle);
	T_RUN(test_tzif_hostile);
	arena_free(A);
	return t_done("window");
}
