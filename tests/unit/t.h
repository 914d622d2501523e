/*
 * t.h - the unit-test harness: named checks, one output line each.
 *
 * Each check prints "ok - <suite>: <name>" or "not ok - <suite>: <name>: why";
 * tests/run.sh counts those lines across every test program. A test program
 * exits 1 when any of its checks failed.
 *
 *	static void test_parse(void) { T_OK(cidr_parse(...) == 0, "v4 /8"); }
 *	int main(void) { T_RUN(test_parse); return t_done("cidr"); }
 */
#ifndef TESTS_UNIT_T_H
#define TESTS_UNIT_T_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *t_suite_name = "";
static const char *t_case_name = "";
static int t_failed_count;
static int t_passed_count;

static void __attribute__((format(printf, 4, 5)))
t_report(int ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		t_passed_count++;
	else
		t_failed_count++;
	printf("%s - %s: %s: ", ok ? "ok" : "not ok", t_suite_name,
	    t_case_name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (!ok)
		printf(" (%s:%d)", file, line);
	putchar('\n');
	fflush(stdout);
}

/* T_OK(cond, "what is checked", ...) */
#define T_OK(cond, ...) t_report(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
/* String equality with both values printed on failure. */
#define T_STREQ(got, want, name) do {					\
	const char *t_g_ = (got), *t_w_ = (want);			\
	int t_ok_ = t_g_ != NULL && t_w_ != NULL && strcmp(t_g_, t_w_) == 0; \
	if (t_ok_)							\
		t_report(1, __FILE__, __LINE__, "%s", (name));		\
	else								\
		t_report(0, __FILE__, __LINE__, "%s: got \"%s\" want \"%s\"", \
		    (name), t_g_ ? t_g_ : "(null)", t_w_ ? t_w_ : "(null)"); \
} while (0)
#define T_RUN(fn) do { t_case_name = #fn; fn(); } while (0)

static int __attribute__((unused))
t_done(const char *suite)
{
	(void)suite;
	fprintf(stderr, "%s: %d passed, %d failed\n", t_suite_name,
	    t_passed_count, t_failed_count);
	return t_failed_count ? 1 : 0;
}

#define T_SUITE(name) (t_suite_name = (name))

#endif
