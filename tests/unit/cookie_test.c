/*
 * cookie_test.c - the Cookie request header (cookie.c, RFC 6265 §4.2.1).
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "core/sbuf.h"
#include "t.h"
#include "web/cookie.h"
#include "web/formdata.h"

static const char *
dump(struct arena *a, const struct form *fm)
{
	struct sbuf	 b;
	char		 esc[1024];
	size_t		 i;

	sbuf_init(&b, a, 0);
	sbuf_puts(&b, "");
	for (i = 0; i < fm->n; i++) {
		log_escape(esc, sizeof(esc), fm->f[i].name.p, fm->f[i].name.n);
		sbuf_printf(&b, "%s=", esc);
		log_escape(esc, sizeof(esc), fm->f[i].value.p,
		    fm->f[i].value.n);
		sbuf_printf(&b, "%s|", esc);
	}
	return b.p;
}

static void
test_table(void)
{
	static const struct {
		const char	*name, *in, *want, *err;
	} c[] = {
		{ "one", "tegami_session=abc", "tegami_session=abc|", NULL },
		{ "two", "a=1; b=2", "a=1|b=2|", NULL },
		{ "no space", "a=1;b=2", "a=1|b=2|", NULL },
		{ "extra spaces", "  a=1 ;  b=2  ", "a=1|b=2|", NULL },
		{ "empty value", "a=; b=2", "a=|b=2|", NULL },
		{ "quoted", "a=\"x y\"; b=\"xy\"", "b=xy|", NULL },
		{ "quoted ok", "a=\"xyz\"", "a=xyz|", NULL },
		{ "base64url token", "s=AbC-_09", "s=AbC-_09|", NULL },
		{ "equals in value", "a=b=c", "a=b=c|", NULL },
		{ "empty", "", "", NULL },
		{ "only separators", ";;; ;", "", NULL },
		{ "no equals skipped", "junk; a=1", "a=1|", NULL },
		{ "empty name skipped", "=x; a=1", "a=1|", NULL },
		{ "bad name skipped", "a b=1; c@d=2; ok=3", "ok=3|", NULL },
		{ "comma value skipped", "a=1,2; b=3", "b=3|", NULL },
		{ "backslash value skipped", "a=x\\y; b=3", "b=3|", NULL },
		{ "space in value skipped", "a=x y; b=3", "b=3|", NULL },
		{ "non-ASCII value skipped", "a=caf\xc3\xa9; b=3", "b=3|",
		    NULL },
		{ "lone quote skipped", "a=\"; b=3", "b=3|", NULL },
		{ "repeated kept for formdata_get", "s=1; s=2", "s=1|s=2|",
		    NULL },
		{ "tab around", "\ta=1\t;\tb=2", "a=1|b=2|", NULL },
		{ "CR refused", "a=1\r\nSet-Cookie: x=1", NULL,
		    "control byte in the Cookie header at byte 3" },
		{ "NUL refused", "a=1\0", NULL,
		    "control byte in the Cookie header at byte 3" },
		{ "DEL refused", "a=\x7f", NULL, "control byte" },
	};
	size_t	 i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct arena	*a = arena_new(0);
		struct form	 fm;
		struct err	 e;
		size_t		 n = strlen(c[i].in);
		int		 rc;

		if (strcmp(c[i].name, "NUL refused") == 0)
			n = 4;
		err_clear(&e);
		rc = cookie_parse(c[i].in, n, a, &fm, &e);
		if (c[i].want != NULL) {
			T_OK(rc == 0, "%s parses: %s", c[i].name, e.msg);
			if (rc == 0)
				T_STREQ(dump(a, &fm), c[i].want, c[i].name);
		} else
			T_OK(rc == -1 && e.kind == ERR_INPUT && fm.n == 0 &&
			    strstr(e.msg, c[i].err) != NULL,
			    "%s: want \"%s\", got \"%s\"", c[i].name,
			    c[i].err, e.msg);
		arena_free(a);
	}
}

static void
test_limits(void)
{
	struct arena		*a = arena_new(0);
	struct form		 fm;
	struct err		 e;
	struct sbuf		 b;
	const struct form_field	*f;
	bool			 rep;
	char			 name[FORM_NAME_MAX + 16];
	int			 i;

	sbuf_init(&b, a, 0);
	for (i = 0; i < 10000; i++)
		sbuf_printf(&b, "%sc%d=%d", i ? "; " : "", i, i);
	err_clear(&e);
	T_OK(cookie_parse(b.p, b.len, a, &fm, &e) == -1 &&
	    e.kind == ERR_TOO_LARGE, "10,000 cookies refused: %s", e.msg);
	sbuf_reset(&b);
	for (i = 0; i < FORM_FIELDS_MAX; i++)
		sbuf_printf(&b, "%sc%d=%d", i ? "; " : "", i, i);
	T_OK(cookie_parse(b.p, b.len, a, &fm, &e) == 0 &&
	    fm.n == FORM_FIELDS_MAX, "%d cookies accepted", FORM_FIELDS_MAX);
	memset(name, 'n', FORM_NAME_MAX + 1);
	memcpy(name + FORM_NAME_MAX + 1, "=1; a=2", 8);
	T_OK(cookie_parse(name, strlen(name), a, &fm, &e) == 0 && fm.n == 1 &&
	    str_eq_cstr(fm.f[0].name, "a"), "over-long name skipped");
	T_OK(cookie_parse("s=1; x=2; s=3", 13, a, &fm, &e) == 0, "tossed");
	f = formdata_get(&fm, "s", &rep);
	T_OK(f == NULL && rep, "a tossed (repeated) cookie is reported");
	f = formdata_get(&fm, "x", &rep);
	T_OK(f != NULL && !rep && strcmp(f->value.p, "2") == 0, "x found");
	arena_free(a);
}

int
main(void)
{
	T_SUITE("cookie");
	T_RUN(test_table);
	T_RUN(test_limits);
	return t_done("cookie");
}
