/*
 * route_test.c - MX ordering, implicit MX, null MX (RFC 7505), NXDOMAIN
 * and smarthost parsing, with injected DNS answers.
 */
#include <string.h>

#include "../../app/core/err.h"
#include "../../app/sender/route.h"
#include "t.h"

static void
test_order(void)
{
	const struct route_mx	 mx[] = {
		{ 20, "mx2.example.org" }, { 10, "mx1.example.org." },
		{ 30, "mx3.example.org" }, { 10, "mx1b.example.org" },
		{ 20, "MX1.example.org" },	/* duplicate of mx1 */
	};
	struct route		 r;

	route_from_mx(&r, "example.org", ROUTE_DNS_OK, mx, 5);
	T_OK(r.st == ROUTE_OK && !r.implicit, "ok");
	T_OK(r.nhosts == 4, "duplicates dropped (%zu hosts)", r.nhosts);
	T_STREQ(r.hosts[0].name, "mx1.example.org", "lowest preference first, "
	    "trailing dot removed");
	T_STREQ(r.hosts[1].name, "mx1b.example.org", "equal preference keeps "
	    "answer order");
	T_STREQ(r.hosts[2].name, "mx2.example.org", "then 20");
	T_STREQ(r.hosts[3].name, "mx3.example.org", "then 30");
	T_OK(r.hosts[0].port == 25, "port 25");
}

static void
test_many(void)
{
	struct route_mx	 mx[40];
	char		 names[40][32];
	struct route	 r;
	int		 i;

	for (i = 0; i < 40; i++) {
		snprintf(names[i], sizeof(names[i]), "mx%02d.example", 39 - i);
		mx[i].pref = 39 - i;
		mx[i].host = names[i];
	}
	route_from_mx(&r, "example", ROUTE_DNS_OK, mx, 40);
	T_OK(r.nhosts == ROUTE_HOSTS_MAX, "capped at ROUTE_HOSTS_MAX");
	T_STREQ(r.hosts[0].name, "mx00.example", "best kept");
	T_STREQ(r.hosts[ROUTE_HOSTS_MAX - 1].name, "mx09.example",
	    "the tenth best is last");
}

static void
test_special(void)
{
	const struct route_mx	 null_mx[] = { { 0, "" } };
	const struct route_mx	 null_dot[] = { { 0, "." } };
	const struct route_mx	 mixed[] = { { 10, "mx.example" }, { 0, "." } };
	char			 longname[400];
	struct route_mx		 lm[1];
	struct route		 r;

	route_from_mx(&r, "example.net", ROUTE_DNS_OK, null_mx, 1);
	T_OK(r.st == ROUTE_NULL_MX, "null MX (empty name)");
	route_from_mx(&r, "example.net", ROUTE_DNS_OK, null_dot, 1);
	T_OK(r.st == ROUTE_NULL_MX, "null MX (root)");
	route_from_mx(&r, "example.net", ROUTE_DNS_OK, mixed, 2);
	T_OK(r.st == ROUTE_NULL_MX, "null MX among others still null");
	route_from_mx(&r, "example.net", ROUTE_DNS_NODATA, NULL, 0);
	T_OK(r.st == ROUTE_OK && r.implicit && r.nhosts == 1, "implicit MX");
	T_STREQ(r.hosts[0].name, "example.net", "implicit MX is the domain");
	route_from_mx(&r, "example.net", ROUTE_DNS_OK, NULL, 0);
	T_OK(r.st == ROUTE_OK && r.implicit, "empty answer: implicit MX");
	route_from_mx(&r, "nx.example", ROUTE_DNS_NXDOMAIN, NULL, 0);
	T_OK(r.st == ROUTE_NO_DOMAIN, "NXDOMAIN");
	route_from_mx(&r, "x.example", ROUTE_DNS_TEMPFAIL, NULL, 0);
	T_OK(r.st == ROUTE_TEMPFAIL, "SERVFAIL/timeout");
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	lm[0].pref = 1;
	lm[0].host = longname;
	route_from_mx(&r, "x.example", ROUTE_DNS_OK, lm, 1);
	T_OK(r.nhosts == 1 && strlen(r.hosts[0].name) == ROUTE_NAME_MAX - 1,
	    "over-long name truncated, not overflowed");
}

static void
test_smarthost(void)
{
	struct route_smarthost	 sh;
	struct route		 r;
	struct err		 e;
	static const struct {
		const char	*spec;
		int		 rc;
		const char	*host;
		unsigned	 port;
	} cases[] = {
		{ "relay.example", 0, "relay.example", 25 },
		{ "relay.example:587", 0, "relay.example", 587 },
		{ "127.0.0.1:2525", 0, "127.0.0.1", 2525 },
		{ "[::1]:2525", 0, "::1", 2525 },
		{ "[::1]", 0, "::1", 25 },
		{ "::1", -1, NULL, 0 },
		{ "relay:0", -1, NULL, 0 },
		{ "relay:65536", -1, NULL, 0 },
		{ "relay:x", -1, NULL, 0 },
		{ ":25", -1, NULL, 0 },
		{ "[::1", -1, NULL, 0 },
		{ "[::1]x", -1, NULL, 0 },
	};
	size_t			 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int	 rc;

		rc = route_smarthost_parse(&sh, cases[i].spec, NULL, &e);

		T_OK(rc == cases[i].rc, "%s: rc %d", cases[i].spec, rc);
		if (rc == 0 && cases[i].rc == 0) {
			T_STREQ(sh.host, cases[i].host, cases[i].spec);
			T_OK(sh.port == cases[i].port, "%s: port %u",
			    cases[i].spec, sh.port);
		}
	}
	T_OK(route_smarthost_parse(&sh, "", NULL, &e) == 0 &&
	    !route_uses_smarthost(&sh, "a.example"), "empty: MX routing");
	T_OK(route_smarthost_parse(&sh, "relay:26", NULL, &e) == 0 &&
	    route_uses_smarthost(&sh, "any.example"), "no list: every domain");
	T_OK(route_smarthost_parse(&sh, "relay:26", " docomo.ne.jp, "
	    "Gmail.com ,", &e) == 0 && sh.ndomains == 2, "domain list");
	T_OK(route_uses_smarthost(&sh, "gmail.com") &&
	    route_uses_smarthost(&sh, "DOCOMO.ne.jp") &&
	    !route_uses_smarthost(&sh, "example.com"), "listed domains only");
	route_from_smarthost(&r, &sh);
	T_OK(r.st == ROUTE_OK && r.smarthost && r.nhosts == 1 &&
	    r.hosts[0].port == 26, "smarthost route");
}

int
main(void)
{
	T_SUITE("route");
	T_RUN(test_order);
	T_RUN(test_many);
	T_RUN(test_special);
	T_RUN(test_smarthost);
	return t_done("route");
}
