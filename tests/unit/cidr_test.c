/*
 * cidr_test.c - IP address and CIDR parsing, matching and formatting
 * (app/core/cidr.c). Tables here; more cases in tests/data/cidr/
 * (valid.tsv, invalid.tsv).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cidr.h"
#include "core/err.h"
#include "core/log.h"
#include "t.h"

static const char *
data_dir(void)
{
	static char	 dir[512];
	const char	*src = getenv("TEGAMI_ROOT");

	snprintf(dir, sizeof(dir), "%s%stests/data/cidr", src ? src : "",
	    src ? "/" : "");
	return dir;
}

static void
test_contains(void)
{
	static const struct {
		const char	*range, *addr;
		bool		 in;
	} c[] = {
		{ "10.0.0.0/8", "10.1.2.3", true },
		{ "10.0.0.0/8", "::ffff:10.1.2.3", true },
		{ "10.0.0.0/8", "::ffff:11.0.0.0", false },
		{ "10.0.0.0/8", "10.0.0.0", true },		/* first */
		{ "10.0.0.0/8", "10.255.255.255", true },	/* last */
		{ "10.0.0.0/8", "9.255.255.255", false },
		{ "10.0.0.0/8", "11.0.0.0", false },
		{ "192.168.1.0/24", "192.168.1.255", true },
		{ "192.168.1.0/24", "192.168.2.0", false },
		{ "172.16.0.0/12", "172.31.255.255", true },
		{ "172.16.0.0/12", "172.32.0.0", false },
		{ "192.0.2.1/32", "192.0.2.1", true },
		{ "192.0.2.1/32", "192.0.2.2", false },
		{ "192.0.2.1/32", "192.0.2.0", false },
		{ "0.0.0.0/0", "1.2.3.4", true },
		{ "0.0.0.0/0", "255.255.255.255", true },
		{ "0.0.0.0/0", "::1", false },		/* v4 /0 is v4 only */
		{ "0.0.0.0/0", "2001:db8::1", false },
		{ "::/0", "2001:db8::1", true },
		{ "::/0", "10.1.2.3", true },
		{ "2001:db8::/32", "2001:db8::", true },
		{ "2001:db8::/32", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
		    true },
		{ "2001:db8::/32", "2001:db9::", false },
		{ "2001:db8::/32", "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff",
		    false },
		{ "::1/128", "::1", true },
		{ "::1/128", "::2", false },
		{ "::1/128", "::", false },
		{ "fe80::/10", "febf::1", true },
		{ "fe80::/10", "fec0::1", false },
		{ "::ffff:10.0.0.0/104", "10.9.8.7", true },
		{ "::ffff:10.0.0.0/104", "11.9.8.7", false },
		{ "10.0.0.0/31", "10.0.0.1", true },
		{ "10.0.0.0/31", "10.0.0.2", false },
		{ "2001:db8::/127", "2001:db8::1", true },
		{ "2001:db8::/127", "2001:db8::2", false },
	};
	size_t	 i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct cidr	 r;
		struct ipaddr	 a;
		struct err	 e;

		err_clear(&e);
		if (cidr_parse(str_from(c[i].range), &r, &e) == -1 ||
		    ip_parse(str_from(c[i].addr), &a, &e) == -1) {
			T_OK(0, "%s in %s: parse failed: %s", c[i].addr,
			    c[i].range, e.msg);
			continue;
		}
		T_OK(cidr_contains(&r, &a) == c[i].in, "%s %s %s", c[i].addr,
		    c[i].in ? "in" : "not in", c[i].range);
	}
}

static void
test_ip(void)
{
	static const struct {
		const char	*in, *want;	/* want NULL: refused */
		bool		 v4;
	} c[] = {
		{ "10.1.2.3", "10.1.2.3", true },
		{ "::ffff:10.1.2.3", "10.1.2.3", true },
		{ "::FFFF:a01:203", "10.1.2.3", true },
		{ "0.0.0.0", "0.0.0.0", true },
		{ "2001:db8::1", "2001:db8::1", false },
		{ "2001:db8:0:0:0:0:2:1", "2001:db8::2:1", false },
		{ "2001:db8::0:1", "2001:db8::1", false },
		{ "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1", false },
		{ "2001:0:0:1:0:0:0:1", "2001:0:0:1::1", false },
		{ "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", false },
		{ "::", "::", false },
		{ "::1", "::1", false },
		{ "1::", "1::", false },
		{ "", NULL, false },
		{ "1.2.3", NULL, false },
		{ "01.2.3.4", NULL, false },
		{ "1.2.3.4/32", NULL, false },
		{ "::1/128", NULL, false },
		{ "fe80::1%lo", NULL, false },
		{ "1.2.3.4 ", NULL, false },
		{ "0x7f.0.0.1", NULL, false },
		{ "2130706433", NULL, false },
		{ "127.1", NULL, false },
	};
	size_t	 i;
	char	 buf[CIDR_TEXT_MAX];

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct ipaddr	 a;
		struct err	 e;
		int		 rc;

		err_clear(&e);
		rc = ip_parse(str_from(c[i].in), &a, &e);
		if (c[i].want == NULL) {
			T_OK(rc == -1 && e.kind == ERR_INPUT && e.msg[0] != 0,
			    "refuses ip \"%s\" (%s)", c[i].in, e.msg);
			continue;
		}
		if (rc == -1) {
			T_OK(0, "ip %s: %s", c[i].in, e.msg);
			continue;
		}
		ip_format(&a, buf, sizeof(buf));
		T_STREQ(buf, c[i].want, c[i].in);
		T_OK(a.v4 == c[i].v4, "ip %s v4 flag", c[i].in);
	}
}

static void
test_refusals(void)
{
	static const struct {
		const char	*in, *msg;
	} c[] = {
		{ "10.0.0.0/33", "10.0.0.0/33: prefix must be 0 to 32" },
		{ "::/129", "::/129: prefix must be 0 to 128" },
		{ "1.2.3", "1.2.3: not an IP range" },
		{ "10.0.0.1/8", "10.0.0.1/8: host bits are set past the /8 "
		    "prefix (the range is 10.0.0.0/8)" },
		{ "01.2.3.4", "01.2.3.4: not an IP range" },
		{ "garbage", "garbage: not an IP range" },
		{ "", "empty IP range" },
		{ "1.2.3.4\n", "1.2.3.4\\x0a: not an IP range" },
		{ "1.1.1.1/8888", "prefix must be 0 to 32" },
		{ "1111:2222:3333:4444:5555:6666:7777:8888:9999/128",
		    "not an IP range" },
		{ "1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa:bbbb:"
		    "cccc:dddd/128", "IP range is too long" },
	};
	size_t	 i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct cidr	 r;
		struct err	 e;
		int		 rc;
		char		 shown[128];

		err_clear(&e);
		rc = cidr_parse(str_from(c[i].in), &r, &e);
		log_escape(shown, sizeof(shown), c[i].in, strlen(c[i].in));
		T_OK(rc == -1 && e.kind == ERR_INPUT &&
		    strstr(e.msg, c[i].msg) != NULL,
		    "refuses \"%s\": want \"%s\", got \"%s\"", shown,
		    c[i].msg, e.msg);
	}
}

/* A view that is not NUL-terminated must not be read past its end. */
static void
test_views(void)
{
	struct cidr	 r;
	struct err	 e;
	char		 buf[64];

	err_clear(&e);
	T_OK(cidr_parse((struct str){ "10.0.0.0/8999", 10 }, &r, &e) == 0,
	    "view \"10.0.0.0/8\" of a longer string: %s", e.msg);
	cidr_format(&r, buf, sizeof(buf));
	T_STREQ(buf, "10.0.0.0/8", "view formats as 10.0.0.0/8");
	T_OK(cidr_parse((struct str){ "10.0.0.0/89", 9 }, &r, &e) == -1,
	    "view \"10.0.0.0/\" is refused");
	cidr_format(&(struct cidr){ .bits = 8, .net = { .v4 = true,
	    .b = { 0,0,0,0,0,0,0,0,0,0,0xff,0xff,10 } } }, buf, 6);
	T_STREQ(buf, "10.0.", "format truncates to the buffer");
}

static void
test_data_files(void)
{
	char	 path[600], line[512];
	FILE	*f;
	int	 k, n;

	for (k = 0; k < 2; k++) {
		snprintf(path, sizeof(path), "%s/%s", data_dir(),
		    k == 0 ? "valid.tsv" : "invalid.tsv");
		if ((f = fopen(path, "r")) == NULL) {
			T_OK(0, "open %s (set TEGAMI_ROOT to the checkout)",
			    path);
			continue;
		}
		n = 0;
		while (fgets(line, sizeof(line), f) != NULL) {
			char		*tab, *nl;
			struct cidr	 r, r2;
			struct err	 e;
			char		 out[CIDR_TEXT_MAX];

			if (line[0] == '#' || line[0] == '\n')
				continue;
			if ((nl = strchr(line, '\n')) != NULL)
				*nl = '\0';
			if ((tab = strchr(line, '\t')) == NULL)
				continue;
			*tab++ = '\0';
			n++;
			err_clear(&e);
			if (k == 1) {
				T_OK(cidr_parse(str_from(line), &r, &e) == -1 &&
				    strstr(e.msg, tab) != NULL,
				    "invalid.tsv \"%s\": want \"%s\", got "
				    "\"%s\"", line, tab, e.msg);
				continue;
			}
			if (cidr_parse(str_from(line), &r, &e) == -1) {
				T_OK(0, "valid.tsv \"%s\": %s", line, e.msg);
				continue;
			}
			cidr_format(&r, out, sizeof(out));
			T_STREQ(out, tab, line);
			T_OK(cidr_parse(str_from(out), &r2, &e) == 0 &&
			    memcmp(&r.net.b, &r2.net.b, 16) == 0 &&
			    r.bits == r2.bits && r.net.v4 == r2.net.v4,
			    "%s round-trips", out);
		}
		fclose(f);
		T_OK(n > 10, "%s has cases (%d)", path, n);
	}
}

int
main(void)
{
	T_SUITE("cidr");
	T_RUN(test_ip);
	T_RUN(test_contains);
	T_RUN(test_refusals);
	T_RUN(test_views);
	T_RUN(test_data_files);
	return t_done("cidr");
}
