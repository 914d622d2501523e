/*
 * clientip_test.c - the client address: REMOTE_ADDR unless it is a trusted
 * proxy; a forged X-Forwarded-For from anyone else changes nothing.
 */
#include "../../app/core/cidr.h"
#include "../../app/core/err.h"
#include "../../app/web/clientip.h"
#include "t.h"

static void
test_resolve(void)
{
	static const struct {
		const char	*name;
		const char	*proxies;
		const char	*remote;
		const char	*xff;
		const char	*want;	/* NULL: refused */
	} cases[] = {
		{ "plain", "", "192.0.2.7", NULL, "192.0.2.7" },
		{ "forged xff, no proxies", "", "192.0.2.7", "127.0.0.1",
		    "192.0.2.7" },
		{ "forged xff, untrusted peer", "10.0.0.1", "192.0.2.7",
		    "127.0.0.1", "192.0.2.7" },
		{ "trusted proxy", "10.0.0.1", "10.0.0.1", "198.51.100.9",
		    "198.51.100.9" },
		{ "client prepends a lie", "10.0.0.0/8", "10.0.0.1",
		    "127.0.0.1, 198.51.100.9", "198.51.100.9" },
		{ "two proxies", "10.0.0.0/8", "10.0.0.1",
		    "198.51.100.9, 10.0.0.2", "198.51.100.9" },
		{ "garbage in xff", "10.0.0.1", "10.0.0.1", "not-an-ip",
		    "10.0.0.1" },
		{ "v6 peer", "", "2001:db8::5", NULL, "2001:db8::5" },
		{ "no remote", "", NULL, NULL, NULL },
		{ "bad remote", "", "localhost", NULL, NULL },
	};
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct proxies	 p;
		struct ipaddr	 a;
		struct err	 e;
		char		 got[CIDR_TEXT_MAX];
		int		 rc;

		err_clear(&e);
		T_OK(clientip_proxies_parse(cases[i].proxies, &p, &e) == 0,
		    "%s: proxies parse", cases[i].name);
		rc = clientip_resolve(&p, cases[i].remote, cases[i].xff, &a);
		if (cases[i].want == NULL) {
			T_OK(rc == -1, "%s: refused", cases[i].name);
			continue;
		}
		ip_format(&a, got, sizeof(got));
		T_STREQ(got, cases[i].want, cases[i].name);
	}
}

static void
test_bad_proxy_list(void)
{
	struct proxies	 p;
	struct err	 e;

	err_clear(&e);
	T_OK(clientip_proxies_parse("10.0.0.0/33", &p, &e) == -1 &&
	    e.msg[0] != '\0', "a bad proxy range is refused with a message");
}

int
main(void)
{
	T_SUITE("clientip");
	T_RUN(test_resolve);
	T_RUN(test_bad_proxy_list);
	return t_done("clientip");
}
