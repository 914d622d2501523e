/*
 * window.c - sending hours: local time from the zone's TZif file and the
 * weekly schedule (see window.h, docs/queue.md "Sending hours").
 *
 * Follows RFC 8536 (TZif versions 1 to 4; the 64-bit data block of
 * version 2 and later is used, version 1 files use the 32-bit block) and
 * the POSIX TZ string of its footer (RFC 8536 §3.3: Mm.w.d, Jn and n
 * rules, times up to ±167 h). Zone files come from the system and are
 * trusted to be files, not to be well-formed: every count is bounded.
 * Zones with leap seconds ("right/...") are refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/arena.h"
#include "../core/err.h"
#include "../db/db_queue.h"
#include "window.h"

#define DAY_S	86400

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t		 era;
	unsigned	 yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

/* The Gregorian year of a day count. */
static int64_t
year_of_days(int64_t z)
{
	int64_t		 era, y;
	unsigned	 doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	return y + (mp >= 10);
}

static bool
leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* POSIX TZ rule pieces (RFC 8536 §3.3). */
struct tzrule {
	char	 kind;		/* 'M', 'J' or 'n' (zero-based day) */
	int	 m, w, d;	/* M: month, week, weekday; J/n: day in d */
	int32_t	 time;		/* seconds after local midnight */
};

struct tzposix {
	int32_t		 std, dst;	/* seconds east of UTC */
	bool		 has_dst;
	struct tzrule	 start, end;
};

static bool
p_name(const char **p)
{
	const char	*s = *p;
	size_t		 n = 0;

	if (*s == '<') {
		for (s++; *s != '\0' && *s != '>'; s++, n++)
			;
		if (*s != '>' || n < 3)
			return false;
		*p = s + 1;
		return true;
	}
	for (; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'); s++)
		n++;
	if (n < 3)
		return false;
	*p = s;
	return true;
}

/* [+-]hh[:mm[:ss]], hours up to max_h; seconds into *v. */
static bool
p_hms(const char **p, int max_h, int32_t *v)
{
	const char	*s = *p;
	int		 sign = 1, part[3] = { 0, 0, 0 }, i, digits;

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	for (i = 0; i < 3; i++) {
		if (i > 0) {
			if (*s != ':')
				break;
			s++;
		}
		for (digits = 0; *s >= '0' && *s <= '9' && digits < 3;
		    s++, digits++)
			part[i] = part[i] * 10 + (*s - '0');
		if (digits == 0 || (i > 0 && part[i] > 59))
			return false;
	}
	if (part[0] > max_h)
		return false;
	*v = sign * (part[0] * 3600 + part[1] * 60 + part[2]);
	*p = s;
	return true;
}

static bool
p_num(const char **p, int lo, int hi, int *v)
{
	const char	*s = *p;
	int		 n = 0, digits = 0;

	for (; *s >= '0' && *s <= '9' && digits < 4; s++, digits++)
		n = n * 10 + (*s - '0');
	if (digits == 0 || n < lo || n > hi)
		return false;
	*v = n;
	*p = s;
	return true;
}

static bool
p_rule(const char **p, struct tzrule *r)
{
	const char	*s = *p;

	if (*s == 'M') {
		s++;
		r->kind = 'M';
		if (!p_num(&s, 1, 12, &r->m) || *s++ != '.' ||
		    !p_num(&s, 1, 5, &r->w) || *s++ != '.' ||
		    !p_num(&s, 0, 6, &r->d))
			return false;
	} else if (*s == 'J') {
		s++;
		r->kind = 'J';
		if (!p_num(&s, 1, 365, &r->d))
			return false;
	} else {
		r->kind = 'n';
		if (!p_num(&s, 0, 365, &r->d))
			return false;
	}
	r->time = 7200;
	if (*s == '/') {
		s++;
		if (!p_hms(&s, 167, &r->time))
			return false;
	}
	*p = s;
	return true;
}

static bool
p_posix(const char *s, struct tzposix *z)
{
	int32_t	 v;

	memset(z, 0, sizeof(*z));
	/* POSIX offsets are west of UTC: "JST-9" is UTC+9. */
	if (!p_name(&s) || !p_hms(&s, 24, &v))
		return false;
	z->std = -v;
	if (*s == '\0')
		return true;
	if (!p_name(&s))
		return false;
	z->has_dst = true;
	z->dst = z->std + 3600;
	if (*s != ',' && *s != '\0') {
		if (!p_hms(&s, 24, &v))
			return false;
		z->dst = -v;
	}
	/* A DST name without rules: no date to apply it; refused. */
	if (*s++ != ',' || !p_rule(&s, &z->start) || *s++ != ',' ||
	    !p_rule(&s, &z->end))
		return false;
	return *s == '\0';
}

/* The UTC instant a rule fires in year y, local offset before it off. */
static int64_t
rule_at(const struct tzrule *r, int64_t y, int32_t off)
{
	static const unsigned mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31,
	    30, 31, 30, 31 };
	int64_t		 day;
	unsigned	 dim;
	int		 wd1, md;

	if (r->kind == 'J')	/* 1..365, February 29 never counted */
		day = days_from_civil(y, 1, 1) + r->d - 1 +
		    (leap(y) && r->d >= 60);
	else if (r->kind == 'n')
		day = days_from_civil(y, 1, 1) + r->d;
	else {
		day = days_from_civil(y, (unsigned)r->m, 1);
		wd1 = (int)((day % 7 + 11) % 7);	/* 0 Sunday */
		md = 1 + (r->d - wd1 + 7) % 7 + 7 * (r->w - 1);
		dim = mdays[r->m - 1] + (r->m == 2 && leap(y));
		while (md > (int)dim)
			md -= 7;
		day += md - 1;
	}
	return day * DAY_S + r->time - off;
}

/* Appends the footer rule's changes after `after` up to the limit year. */
static void
expand_rule(struct window *w, const struct tzposix *z, int64_t after,
    size_t cap)
{
	int64_t	 y, a, b;
	int32_t	 oa, ob;

	if (!z->has_dst) {
		if (w->n == 0 || w->off[w->n - 1] != z->std) {
			if (w->n == 0)
				w->off0 = z->std;
			else if (w->n < cap) {
				w->at[w->n] = after + 1;
				w->off[w->n++] = z->std;
			}
		}
		return;
	}
	for (y = year_of_days(floor_div(after, DAY_S));
	    y <= WINDOW_RULE_YEAR_MAX && w->n + 2 <= cap; y++) {
		a = rule_at(&z->start, y, z->std);
		b = rule_at(&z->end, y, z->dst);
		oa = z->dst;
		ob = z->std;
		if (b < a) {	/* southern hemisphere: DST over new year */
			int64_t	 t = a;

			a = b;
			b = t;
			oa = z->std;
			ob = z->dst;
		}
		if (a > after && (w->n == 0 || a > w->at[w->n - 1])) {
			w->at[w->n] = a;
			w->off[w->n++] = oa;
		}
		if (b > after && (w->n == 0 || b > w->at[w->n - 1])) {
			w->at[w->n] = b;
			w->off[w->n++] = ob;
		}
	}
	if (w->n == 0)
		w->off0 = z->std;
}

int
window_init_tzif(struct window *w, struct arena *a, const char *tz,
    const unsigned char *buf, size_t len, const struct queue_hours *h,
    struct err *e)
{
	const unsigned char *p = buf, *times, *idx, *types;
	struct tzposix	 z;
	uint32_t	 isut, isstd, leapc, timec, typec, charc;
	size_t		 tsz = 4, need, cap, i;
	char		 footer[128];
	bool		 have_footer = false;

	memset(w, 0, sizeof(*w));
	if (h == NULL || h->n == 0)
		return err_set(e, ERR_INPUT, "no sending hours: the window "
		    "would never open");
	w->hours = *h;
	if (strlen(tz) > QUEUE_WINDOW_TZ_MAX)
		return err_set(e, ERR_INPUT, "time zone name too long");
	memcpy(w->tz, tz, strlen(tz) + 1);
	if (len < 44 || memcmp(p, "TZif", 4) != 0)
		goto bad;
	/* Version 2+: skip the 32-bit block to the 64-bit one. */
	if (p[4] >= '2') {
		isut = be32(p + 20);
		isstd = be32(p + 24);
		leapc = be32(p + 28);
		timec = be32(p + 32);
		typec = be32(p + 36);
		charc = be32(p + 40);
		if (timec > WINDOW_TRANS_MAX || typec > 256 || charc > 4096 ||
		    leapc > 1000 || isut > 256 || isstd > 256)
			goto bad;
		need = 44 + (size_t)timec * 5 + typec * 6 + charc +
		    leapc * 8 + isstd + isut;
		if (len < need + 44)
			goto bad;
		p += need;
		if (memcmp(p, "TZif", 4) != 0)
			goto bad;
		tsz = 8;
	}
	isut = be32(p + 20);
	isstd = be32(p + 24);
	leapc = be32(p + 28);
	timec = be32(p + 32);
	typec = be32(p + 36);
	charc = be32(p + 40);
	if (timec > WINDOW_TRANS_MAX || typec == 0 || typec > 256 ||
	    charc > 4096 || leapc > 1000 || isut > 256 || isstd > 256)
		goto bad;
	if (leapc > 0)
		return err_set(e, ERR_INPUT, "time zone %s counts leap "
		    "seconds; use the zone without them", tz);
	need = 44 + (size_t)timec * (tsz + 1) + typec * 6 + charc +
	    isstd + isut;
	if ((size_t)(buf + len - p) < need)
		goto bad;
	times = p + 44;
	idx = times + timec * tsz;
	types = idx + timec;
	if (tsz == 8) {
		const unsigned char *f = p + need, *end = buf + len, *nl;

		if (f < end && *f == '\n' && (nl = memchr(f + 1, '\n',
		    (size_t)(end - f - 1))) != NULL &&
		    (size_t)(nl - f - 1) < sizeof(footer)) {
			memcpy(footer, f + 1, (size_t)(nl - f - 1));
			footer[nl - f - 1] = '\0';
			have_footer = footer[0] != '\0';
		}
	}
	if (have_footer && !p_posix(footer, &z))
		return err_set(e, ERR_INPUT, "time zone %s: rule \"%s\" not "
		    "understood", tz, footer);
	cap = timec + 2 * (WINDOW_RULE_YEAR_MAX - 1900 + 2);
	w->at = arena_calloc(a, cap, sizeof(*w->at));
	w->off = arena_calloc(a, cap, sizeof(*w->off));
	if (w->at == NULL || w->off == NULL)
		return err_set(e, ERR_ENV, "out of memory");
	/* RFC 8536 §3.2: type 0 applies before the first transition. */
	w->off0 = (int32_t)be32(types);
	for (i = 0; i < timec; i++) {
		int64_t	 t = tsz == 8 ? be64(times + i * 8) :
		    (int64_t)(int32_t)be32(times + i * 4);

		if (idx[i] >= typec || (i > 0 && t <= w->at[w->n - 1]))
			goto bad;
		w->at[w->n] = t;
		w->off[w->n++] = (int32_t)be32(types + idx[i] * 6);
	}
	for (i = 0; i < typec; i++) {
		int32_t	 o = (int32_t)be32(types + i * 6);

		if (o <= -25 * 3600 || o >= 26 * 3600)
			goto bad;
	}
	if (have_footer)
		expand_rule(w, &z, w->n ? w->at[w->n - 1] : INT64_MIN / 2,
		    cap);
	return 0;
bad:
	return err_set(e, ERR_INPUT, "time zone %s: the zone file is not "
	    "valid TZif", tz);
}

int
window_init(struct window *w, struct arena *a, const char *tz,
    const struct queue_hours *h, struct err *e)
{
	const char	*dir = getenv("TZDIR");
	unsigned char	*buf;
	char		*path;
	struct stat	 st;
	ssize_t		 r;
	size_t		 got = 0;
	int		 fd, rc;

	memset(w, 0, sizeof(*w));
	if (!db_queue_tz_name_ok(tz))
		return err_set(e, ERR_INPUT, "\"%s\" is not a time zone name",
		    tz ? tz : "");
	if (dir == NULL || dir[0] == '\0')
		dir = WINDOW_TZDIR;
	if ((path = arena_printf(a, "%s/%s", dir, tz)) == NULL)
		return err_set(e, ERR_ENV, "out of memory");
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return err_set(e, errno == ENOENT ? ERR_INPUT : ERR_ENV,
		    "unknown time zone %s (%s)", tz, strerror(errno));
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > WINDOW_TZIF_MAX || st.st_size < 44) {
		close(fd);
		return err_set(e, ERR_INPUT, "unknown time zone %s", tz);
	}
	if ((buf = arena_alloc(a, (size_t)st.st_size)) == NULL) {
		close(fd);
		return err_set(e, ERR_ENV, "out of memory");
	}
	while (got < (size_t)st.st_size) {
		r = read(fd, buf + got, (size_t)st.st_size - got);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got != (size_t)st.st_size)
		return err_set(e, ERR_ENV, "cannot read time zone %s", tz);
	rc = window_init_tzif(w, a, tz, buf, got, h, e);
	return rc;
}

int32_t
window_utc_offset(const struct window *w, int64_t t)
{
	size_t	 lo = 0, hi = w->n, mid;

	if (w->n == 0 || t < w->at[0])
		return w->off0;
	/* The last change at or before t. */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (w->at[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return w->off[lo];
}

bool
window_is_open(const struct window *w, int64_t t)
{
	int64_t		 loc = t + window_utc_offset(w, t);
	int64_t		 days = floor_div(loc, DAY_S);
	int64_t		 sec = loc - days * DAY_S;
	unsigned	 wday = (unsigned)((days % 7 + 10) % 7); /* 0 Monday */
	size_t		 i;

	for (i = 0; i < w->hours.n; i++)
		if (w->hours.span[i].wday == wday &&
		    sec >= (int64_t)w->hours.span[i].start * 60 &&
		    sec < (int64_t)w->hours.span[i].end * 60)
			return true;
	return false;
}

static void
consider(const struct window *w, int64_t t, int64_t c, int64_t *best)
{
	if (c > t && (*best == -1 || c < *best) && window_is_open(w, c))
		*best = c;
}

int64_t
window_next_open(const struct window *w, int64_t t)
{
	int64_t	 best = -1, day0, d, l, lim = t + 10 * DAY_S;
	size_t	 i, lo, hi, mid;

	if (window_is_open(w, t))
		return t;
	/*
	 * Openness changes only where local time reaches a span's start
	 * (local start minus the offset in force then, which is the offset
	 * a day before or a day after) or where the offset itself changes
	 * (a DST jump into a span). The earliest open candidate is it.
	 */
	day0 = floor_div(t + window_utc_offset(w, t), DAY_S);
	for (d = day0 - 1; d <= day0 + 8; d++) {
		unsigned wday = (unsigned)((d % 7 + 10) % 7);

		for (i = 0; i < w->hours.n; i++) {
			if (w->hours.span[i].wday != wday)
				continue;
			l = d * DAY_S + (int64_t)w->hours.span[i].start * 60;
			consider(w, t, l - window_utc_offset(w, l - DAY_S),
			    &best);
			consider(w, t, l - window_utc_offset(w, l + DAY_S),
			    &best);
		}
	}
	/* Offset changes in (t, t + 10 days]. */
	lo = 0;
	hi = w->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (w->at[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < w->n && w->at[i] <= lim; i++)
		consider(w, t, w->at[i], &best);
	return best;
}
