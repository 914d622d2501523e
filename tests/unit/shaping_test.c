/*
 * shaping_test.c - shaping rules matched against SMTP replies: domain and
 * subdomain, exact code and class, enhanced-code prefix, text substring
 * (case-insensitive), first match wins.
 */
#include <string.h>

#include "../../app/core/err.h"
#include "../../app/sender/reply.h"
#include "../../app/sender/shaping.h"
#include "t.h"

static const struct shaping_rule rules[] = {
	{ 1, "yahoo.co.jp", 421, "4.7.0", "[TSS04]", SHAPING_SUSPEND,
	  SHAPING_DESTINATION, 1800 },
	{ 2, "yahoo.co.jp", 421, "", "temporarily deferred", SHAPING_SLOW,
	  SHAPING_DESTINATION, 900 },
	{ 3, "docomo.ne.jp", 421, "", "too many", SHAPING_SLOW,
	  SHAPING_DESTINATION, 600 },
	{ 4, "gmail.com", 5, "5.7.1", "unsolicited", SHAPING_SUSPEND,
	  SHAPING_CAMPAIGN, 3600 },
	{ 5, "", 4, "4.7.", "", SHAPING_SLOW, SHAPING_DESTINATION, 60 },
};

static const struct {
	const char	*name;
	const char	*domain;
	const char	*reply;
	unsigned long	 want;		/* rule id, 0: none */
} cases[] = {
	{ "yahoo TSS04", "yahoo.co.jp",
	  "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred", 1 },
	{ "yahoo TSS04 subdomain", "mail.yahoo.co.jp",
	  "421 4.7.0 [TSS04] Messages", 1 },
	{ "yahoo other 421", "yahoo.co.jp",
	  "421 4.7.1 Messages Temporarily Deferred due to volume", 2 },
	{ "not a subdomain", "notyahoo.co.jp", "421 4.7.0 [TSS04] x", 5 },
	{ "docomo too many", "docomo.ne.jp",
	  "421 Too many connections from your host", 3 },
	{ "docomo 450 not 421", "docomo.ne.jp", "450 too many", 0 },
	{ "gmail class 5", "gmail.com",
	  "550 5.7.1 [192.0.2.1] likely unsolicited mail", 4 },
	{ "gmail 5.7.1 other text", "gmail.com", "550 5.7.1 blocked", 0 },
	{ "any 4.7.x", "example.com", "451 4.7.28 rate limited", 5 },
	{ "4.7 needs class 4", "example.com", "550 5.7.28 no", 0 },
	{ "plain 250", "yahoo.co.jp", "250 2.0.0 ok", 0 },
	{ "user unknown", "docomo.ne.jp", "550 5.1.1 unknown", 0 },
};

static void
test_match(void)
{
	const struct shaping_rule	*m;
	struct reply			 r;
	struct err			 e;
	size_t				 i, used;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char	 buf[256];

		snprintf(buf, sizeof(buf), "%s\r\n", cases[i].reply);
		if (reply_parse(buf, strlen(buf), &r, &used, &e) != 1) {
			T_OK(0, "%s: parse", cases[i].name);
			continue;
		}
		m = shaping_match(rules, sizeof(rules) / sizeof(rules[0]),
		    cases[i].domain, &r);
		T_OK((m == NULL ? 0 : m->id) == cases[i].want,
		    "%s: rule %lu want %lu", cases[i].name,
		    m == NULL ? 0 : m->id, cases[i].want);
	}
}

static void
test_names(void)
{
	T_OK(shaping_action_parse("suspend") == SHAPING_SUSPEND &&
	    shaping_action_parse("slow") == SHAPING_SLOW &&
	    shaping_action_parse("SLOW") == -1, "action names");
	T_OK(shaping_scope_parse("campaign") == SHAPING_CAMPAIGN &&
	    shaping_scope_parse("destination") == SHAPING_DESTINATION &&
	    shaping_scope_parse("") == -1, "scope names");
	T_OK(shaping_domain_matches("", "x.example"), "empty matches all");
	T_OK(shaping_domain_matches("example", "EXAMPLE"), "case-insensitive");
	T_OK(!shaping_domain_matches("long.example", "example"),
	    "shorter domain does not match");
}

int
main(void)
{
	T_SUITE("shaping");
	T_RUN(test_match);
	T_RUN(test_names);
	return t_done("shaping");
}
