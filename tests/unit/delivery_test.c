/*
 * delivery_test.c - the pure validators of the Delivery profiles screens
 * (app/web/h_delivery.c): domain names (RFC 1123 §2.1), integers with
 * bounds, reply codes, enhanced status codes (RFC 3463 §2). Tables of
 * named cases, hostile inputs included.
 */
#include <stdio.h>
#include <string.h>

#include "web/h_delivery.h"
#include "t.h"

/* The case text for a test name, control characters as '?'. */
static const char *
shown(const char *s)
{
	static char	 b[80];
	size_t		 i;

	for (i = 0; i < sizeof(b) - 1 && s[i] != '\0'; i++)
		b[i] = (unsigned char)s[i] < 0x20 ? '?' : s[i];
	b[i] = '\0';
	return b;
}

static void
test_domain(void)
{
	static const struct {
		const char	*in;
		bool		 ok;
	} v[] = {
		{ "docomo.ne.jp", true },
		{ "i.softbank.jp", true },
		{ "xn--eckwd4c7c.xn--zckzah", true },
		{ "a", true },
		{ "127.0.0.1", true },
		{ "a-b.example", true },
		{ "", false },
		{ ".", false },
		{ "example.com.", false },
		{ ".example.com", false },
		{ "a..b", false },
		{ "-a.example", false },
		{ "a-.example", false },
		{ "Docomo.ne.jp", false },	/* callers lower-case first */
		{ "a b.example", false },
		{ "a_b.example", false },
		{ "ex\tample.com", false },
		{ "example.com\r\nX: y", false },
		{ "<script>.example", false },
		{ "例え.jp", false },
		{ "a/b", false },
		{ "user@example.com", false },
	};
	char	 buf[400];
	size_t	 i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		T_OK(h_delivery_domain_valid(v[i].in) == v[i].ok,
		    "domain \"%s\" %s", shown(v[i].in), v[i].ok ? "valid" : "refused");
	/* 63-character label passes, 64 does not. */
	memset(buf, 'a', 63);
	memcpy(buf + 63, ".jp", 4);
	T_OK(h_delivery_domain_valid(buf), "a 63-character label");
	memset(buf, 'a', 64);
	memcpy(buf + 64, ".jp", 4);
	T_OK(!h_delivery_domain_valid(buf), "a 64-character label refused");
	/* 253 characters pass, 254 do not. */
	for (i = 0; i < 253; i++)
		buf[i] = i % 2 ? '.' : 'a';
	buf[253] = '\0';
	T_OK(h_delivery_domain_valid(buf), "253 characters");
	buf[253] = 'a';
	buf[254] = '\0';
	buf[252] = '.';
	T_OK(!h_delivery_domain_valid(buf), "254 characters refused");
}

static void
test_int(void)
{
	static const struct {
		const char	*in;
		int64_t		 min, max;
		int		 rc;
		int64_t		 want;
	} v[] = {
		{ "0", 0, 100000, 0, 0 },
		{ "100000", 0, 100000, 0, 100000 },
		{ "100001", 0, 100000, -1, 0 },
		{ "-1", 0, 100000, -1, 0 },
		{ "1", 1, 604800, 0, 1 },
		{ "0", 1, 604800, -1, 0 },
		{ "604800", 1, 604800, 0, 604800 },
		{ "604801", 1, 604800, -1, 0 },
		{ "", 0, 10, -1, 0 },
		{ "-", 0, 10, -1, 0 },
		{ "+5", 0, 10, -1, 0 },
		{ " 5", 0, 10, -1, 0 },
		{ "5 ", 0, 10, -1, 0 },
		{ "05", 0, 10, -1, 0 },
		{ "1e3", 0, 10000, -1, 0 },
		{ "0x10", 0, 100, -1, 0 },
		{ "3.5", 0, 10, -1, 0 },
		{ "99999999999", 0, INT64_MAX, -1, 0 },
		{ "9999999999", 0, INT64_MAX, 0, 9999999999LL },
		{ "-20", -100, 100, 0, -20 },
	};
	size_t	 i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int64_t	 got = -12345;
		int	 rc = h_delivery_int(v[i].in, v[i].min, v[i].max, &got);

		T_OK(rc == v[i].rc && (rc == -1 || got == v[i].want),
		    "int \"%s\" in %lld..%lld", v[i].in, (long long)v[i].min,
		    (long long)v[i].max);
	}
}

static void
test_code(void)
{
	static const struct {
		int64_t		 code;
		bool		 ok;
	} v[] = {
		{ 0, true }, { 4, true }, { 5, true }, { 200, true },
		{ 421, true }, { 599, true }, { 1, false }, { 2, false },
		{ 3, false }, { 6, false }, { 42, false }, { 199, false },
		{ 600, false }, { -4, false }, { 1000, false },
	};
	size_t	 i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		T_OK(h_delivery_code_valid(v[i].code) == v[i].ok,
		    "code %lld %s", (long long)v[i].code,
		    v[i].ok ? "valid" : "refused");
}

static void
test_enhanced(void)
{
	static const struct {
		const char	*in;
		bool		 ok;
	} v[] = {
		{ "", true },
		{ "4.7.0", true },
		{ "5.7.1", true },
		{ "4.7.650", true },
		{ "2.0.0", true },
		{ "4.7.", true },		/* prefix (shipped rows) */
		{ "5.123.999", true },
		{ "3.7.0", false },
		{ "4.7", false },
		{ "4", false },
		{ "4.", false },
		{ "4..0", false },
		{ "4.7.0.", false },
		{ "4.7.0 ", false },
		{ "4.7.1234", false },
		{ "4.1234.0", false },
		{ "a.b.c", false },
		{ "4.7.0\n", false },
		{ "-4.7.0", false },
	};
	size_t	 i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		T_OK(h_delivery_enhanced_valid(v[i].in) == v[i].ok,
		    "enhanced \"%s\" %s", shown(v[i].in),
		    v[i].ok ? "valid" : "refused");
}

static void
test_lower(void)
{
	char	 s[] = "DoCoMo.NE.jp-9";

	h_delivery_lower(s);
	T_STREQ(s, "docomo.ne.jp-9", "lower-casing ASCII only");
}

int
main(void)
{
	T_SUITE("delivery");
	T_RUN(test_domain);
	T_RUN(test_int);
	T_RUN(test_code);
	T_RUN(test_enhanced);
	T_RUN(test_lower);
	return t_done("delivery");
}
