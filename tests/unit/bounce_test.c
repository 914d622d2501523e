/*
 * bounce_test.c - the classification table: engine result → queue state,
 * suppression, alert. RFC 3463 codes; hostile enhanced codes included.
 */
#include <stdbool.h>
#include <string.h>

#include "../../app/sender/bounce.h"
#include "t.h"

static void
test_table(void)
{
	static const struct {
		const char		*name;
		enum delivery_outcome	 outcome;
		int			 code;
		const char		*enh;
		bool			 eng_suppress;
		enum bounce_state	 want;
		bool			 suppress, alert;
	} cases[] = {
		{ "250 after DATA is sent", DELIVERY_SENT, 250, "2.0.0",
		    false, BOUNCE_SENT, false, false },
		{ "sent without a code is not sent", DELIVERY_SENT, 0, "",
		    false, BOUNCE_DEFER, false, false },
		{ "sent with 354 is not sent", DELIVERY_SENT, 354, "",
		    false, BOUNCE_DEFER, false, false },
		{ "sent with 451 is deferred", DELIVERY_SENT, 451, "4.3.0",
		    false, BOUNCE_DEFER, false, false },
		{ "451 on RCPT is deferred", DELIVERY_DEFERRED, 451, "4.3.0",
		    false, BOUNCE_DEFER, false, false },
		{ "421 greylist is deferred", DELIVERY_DEFERRED, 421, "",
		    false, BOUNCE_DEFER, false, false },
		{ "network failure is deferred", DELIVERY_DEFERRED, 0, "",
		    false, BOUNCE_DEFER, false, false },
		{ "550 5.1.1 bounces and suppresses", DELIVERY_BOUNCED, 550,
		    "5.1.1", true, BOUNCE_FAIL, true, false },
		{ "550 5.1.1 suppresses even if the engine forgot",
		    DELIVERY_BOUNCED, 550, "5.1.1", false, BOUNCE_FAIL, true,
		    false },
		{ "553 5.1.3 bad syntax suppresses", DELIVERY_BOUNCED, 553,
		    "5.1.3", false, BOUNCE_FAIL, true, false },
		{ "null MX 5.1.10 suppresses", DELIVERY_BOUNCED, 0, "5.1.10",
		    true, BOUNCE_FAIL, true, false },
		{ "550 5.7.1 bounces, never suppresses", DELIVERY_BOUNCED, 550,
		    "5.7.1", true, BOUNCE_FAIL, false, true },
		{ "554 5.7.26 DMARC bounces, alert", DELIVERY_BOUNCED, 554,
		    "5.7.26", false, BOUNCE_FAIL, false, true },
		{ "421 4.7.0 TSS04 deferred, alert", DELIVERY_DEFERRED, 421,
		    "4.7.0", false, BOUNCE_DEFER, false, true },
		{ "451 4.7.1 with engine suppress ignored", DELIVERY_DEFERRED,
		    451, "4.7.1", true, BOUNCE_DEFER, false, true },
		{ "552 5.2.2 mailbox full bounces, no suppress",
		    DELIVERY_BOUNCED, 552, "5.2.2", false, BOUNCE_FAIL, false,
		    false },
		{ "552 after DATA bounces", DELIVERY_BOUNCED, 552, "",
		    false, BOUNCE_FAIL, false, false },
		{ "550 without enhanced code, engine says hard",
		    DELIVERY_BOUNCED, 550, "", true, BOUNCE_FAIL, true, false },
		{ "4xx reported as bounce is deferred", DELIVERY_BOUNCED, 450,
		    "4.2.0", true, BOUNCE_DEFER, false, false },
		{ "5xx reported as deferred bounces", DELIVERY_DEFERRED, 554,
		    "5.0.0", false, BOUNCE_FAIL, false, false },
		{ "enhanced class contradicts code: ignored", DELIVERY_BOUNCED,
		    550, "4.1.1", false, BOUNCE_FAIL, false, false },
		{ "garbage enhanced code ignored", DELIVERY_BOUNCED, 550,
		    "5.1.x", false, BOUNCE_FAIL, false, false },
		{ "over-long enhanced part ignored", DELIVERY_BOUNCED, 550,
		    "5.1.1000", false, BOUNCE_FAIL, false, false },
		{ "unknown outcome is deferred", DELIVERY_OUTCOME__MAX, 0, "",
		    false, BOUNCE_DEFER, false, false },
	};
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct delivery_result	 r;
		struct bounce_verdict	 v;

		memset(&r, 0, sizeof(r));
		r.outcome = cases[i].outcome;
		r.code = cases[i].code;
		strncpy(r.enhanced, cases[i].enh, sizeof(r.enhanced) - 1);
		r.suppress = cases[i].eng_suppress;
		bounce_classify(&r, &v);
		T_OK(v.state == cases[i].want && v.suppress ==
		    cases[i].suppress && v.alert == cases[i].alert,
		    "%s (state %s suppress %d alert %d)", cases[i].name,
		    v.state < BOUNCE__MAX ? bounce_state_names[v.state] : "?",
		    v.suppress, v.alert);
	}
}

static void
test_enhanced(void)
{
	static const struct {
		const char	*in;
		bool		 ok;
		int		 c, s, d;
	} cases[] = {
		{ "5.1.1", true, 5, 1, 1 },
		{ "4.7.0", true, 4, 7, 0 },
		{ "2.0.0", true, 2, 0, 0 },
		{ "5.1.10", true, 5, 1, 10 },
		{ "5.999.999", true, 5, 999, 999 },
		{ "3.1.1", false, 0, 0, 0 },
		{ "5.1", false, 0, 0, 0 },
		{ "5..1", false, 0, 0, 0 },
		{ "5.1.1 ", false, 0, 0, 0 },
		{ " 5.1.1", false, 0, 0, 0 },
		{ "5.1000.1", false, 0, 0, 0 },
		{ "", false, 0, 0, 0 },
		{ "55.1.1", false, 0, 0, 0 },
		{ "5.-1.1", false, 0, 0, 0 },
	};
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int	 c = 0, s = 0, d = 0;
		bool	 ok = bounce_enhanced_parse(cases[i].in, &c, &s, &d);

		T_OK(ok == cases[i].ok && (!ok || (c == cases[i].c &&
		    s == cases[i].s && d == cases[i].d)), "enhanced \"%s\"",
		    cases[i].in);
	}
	T_OK(!bounce_enhanced_parse(NULL, NULL, NULL, NULL), "NULL refused");
}

int
main(void)
{
	T_SUITE("bounce");
	T_RUN(test_table);
	T_RUN(test_enhanced);
	return t_done("bounce");
}
