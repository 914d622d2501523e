/*
 * addr_test.c - mailbox parsing and addr-spec validation of
 * app/mail/addr.c (RFC 5322 §3.4, RFC 5321 §4.5.3.1 limits), hostile
 * inputs included.
 */
#include <string.h>

#include "t.h"
#include "../../app/core/arena.h"
#include "../../app/core/err.h"
#include "../../app/mail/addr.h"

static void
test_spec(void)
{
	static const struct {
		const char	*in;
		bool		 ok;
	} cases[] = {
		{ "a@example.org", true },
		{ "first.last+tag@mail.example.co.jp", true },
		{ "user@localhost", true },
		{ "\"john doe\"@example.org", true },
		{ "\"a@b\"@example.org", true },
		{ "x@[192.0.2.1]", true },
		{ "o'brien@xn--eckwd4c7c.xn--zckzah", true },
		{ "", false },
		{ "a", false },
		{ "a@", false },
		{ "@b.org", false },
		{ "a..b@example.org", false },
		{ ".a@example.org", false },
		{ "a.@example.org", false },
		{ "a b@example.org", false },
		{ "a@-bad.org", false },
		{ "a@bad-.org", false },
		{ "a@b_c.org", false },
		{ "a@b..org", false },
		{ "a@.org", false },
		{ "a@org.", false },
		{ "山田@example.jp", false },
		{ "a@例え.jp", false },
		{ "\"unterminated@example.org", false },
		{ "a@[1.2.3.4", false },
		{ "a\"b@example.org", false },
	};
	char	 big[300];
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		T_OK(addr_spec_valid(str_from(cases[i].in)) == cases[i].ok,
		    "spec \"%s\" %s", cases[i].in,
		    cases[i].ok ? "valid" : "invalid");
	/* RFC 5321 limits */
	memset(big, 'a', 65);
	memcpy(big + 65, "@x.org", 7);
	T_OK(!addr_spec_valid(str_from(big)), "local part of 65 refused");
	memset(big, 'a', 64);
	memcpy(big + 64, "@x.org", 7);
	T_OK(addr_spec_valid(str_from(big)), "local part of 64 accepted");
	memcpy(big, "a@", 2);
	memset(big + 2, 'b', 64);
	memcpy(big + 66, ".org", 5);
	T_OK(!addr_spec_valid(str_from(big)), "label of 64 refused");
	T_OK(str_eq_cstr(addr_domain(STR_LIT("\"x@y\"@Example.ORG")),
	    "Example.ORG"), "domain after the last @");
	T_OK(addr_domain(STR_LIT("nodomain")).n == 0, "no domain");
}

static void
test_parse(void)
{
	static const struct {
		const char	*in, *display, *spec;
	} good[] = {
		{ "a@example.org", "", "a@example.org" },
		{ "  <a@example.org>  ", "", "a@example.org" },
		{ "Taro Yamada <taro@example.jp>", "Taro Yamada",
		  "taro@example.jp" },
		{ "Taro   Yamada<taro@example.jp>", "Taro Yamada",
		  "taro@example.jp" },
		{ "\"Doe, John\" <j@example.org>", "Doe, John",
		  "j@example.org" },
		{ "\"say \\\"hi\\\"\" <j@example.org>", "say \"hi\"",
		  "j@example.org" },
		{ "\"<fake@evil.org>\" <real@example.org>", "<fake@evil.org>",
		  "real@example.org" },
		{ "山田 太郎 <taro@example.jp>", "山田 太郎",
		  "taro@example.jp" },
	};
	static const char *const bad[] = {
		"", "   ", "Name <a@example.org", "Name a@example.org>",
		"<>", "Doe, John <j@example.org>", "\"open <a@b.org>",
		"Name <a@b.org> trailing", "a@b.org\r\nBcc: x@y.org",
		"Name <a@@b.org>",
	};
	struct arena	*a = arena_new(0);
	struct addr	 ad;
	struct err	 e;
	char		 nul[] = "a@b.org\0x";
	size_t		 i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		int rc = addr_parse(good[i].in, strlen(good[i].in), a, &ad, &e);

		T_OK(rc == 0 && str_eq_cstr(ad.display, good[i].display) &&
		    str_eq_cstr(ad.spec, good[i].spec), "parse %s", good[i].in);
	}
	T_OK(addr_parse("Taro <taro@Example.JP>", 22, a, &ad, &e) == 0 &&
	    str_eq_cstr(ad.local, "taro") &&
	    str_eq_cstr(ad.domain, "Example.JP"), "local and domain parts");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		T_OK(addr_parse(bad[i], strlen(bad[i]), a, &ad, &e) == -1 &&
		    e.msg[0] != '\0', "refuse bad[%zu]: %s", i, e.msg);
	T_OK(addr_parse(nul, sizeof(nul) - 1, a, &ad, &e) == -1,
	    "NUL refused");
	arena_free(a);
}

int
main(void)
{
	T_SUITE("addr");
	T_RUN(test_spec);
	T_RUN(test_parse);
	return t_done("addr");
}
