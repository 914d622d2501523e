/*
 * urlenc_test.c - application/x-www-form-urlencoded parsing (urlenc.c) and
 * the shared field helpers (formdata.c). Tables here; more cases in
 * tests/data/urlenc/: x.in with the fields it yields in x.want (one
 * "name<TAB>value" line per field, bytes escaped as log_escape does), and
 * x.bad with a substring of its error message in x.err.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "core/sbuf.h"
#include "t.h"
#include "web/formdata.h"
#include "web/urlenc.h"

static const char *
data_dir(void)
{
	static char	 dir[512];
	const char	*src = getenv("TEGAMI_ROOT");

	snprintf(dir, sizeof(dir), "%s%stests/data/urlenc", src ? src : "",
	    src ? "/" : "");
	return dir;
}

/* Fields as "name<TAB>value\n" lines, escaped. */
static const char *
dump(struct arena *a, const struct form *fm)
{
	struct sbuf	 b;
	char		 esc[4096];
	size_t		 i;

	sbuf_init(&b, a, 0);
	sbuf_puts(&b, "");
	for (i = 0; i < fm->n; i++) {
		log_escape(esc, sizeof(esc), fm->f[i].name.p, fm->f[i].name.n);
		sbuf_printf(&b, "%s\t", esc);
		log_escape(esc, sizeof(esc), fm->f[i].value.p,
		    fm->f[i].value.n);
		sbuf_printf(&b, "%s\n", esc);
	}
	return b.p;
}

static char *
slurp(struct arena *a, const char *path, size_t *n)
{
	FILE	*f = fopen(path, "rb");
	char	*p;
	long	 sz;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	sz = ftell(f);
	rewind(f);
	if (sz < 0 || (p = arena_alloc(a, (size_t)sz + 1)) == NULL ||
	    fread(p, 1, (size_t)sz, f) != (size_t)sz) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	p[sz] = '\0';
	*n = (size_t)sz;
	return p;
}

static void
test_table(void)
{
	static const struct {
		const char	*name, *in, *want, *err;
	} c[] = {
		{ "plain", "a=1&b=2", "a\t1\nb\t2\n", NULL },
		{ "plus is space", "q=a+b", "q\ta b\n", NULL },
		{ "escaped plus", "q=a%2Bb", "q\ta+b\n", NULL },
		{ "lower hex", "q=%e3%81%82", "q\t\\xe3\\x81\\x82\n", NULL },
		{ "empty input", "", "", NULL },
		{ "only ampersands", "&&&", "", NULL },
		{ "no equals", "flag", "flag\t\n", NULL },
		{ "semicolon is data", "a=1;b=2", "a\t1;b=2\n", NULL },
		{ "4-byte UTF-8", "e=%F0%9F%98%80", "e\t\\xf0\\x9f\\x98\\x80\n",
		    NULL },
		{ "U+10FFFF", "e=%F4%8F%BF%BF", "e\t\\xf4\\x8f\\xbf\\xbf\n",
		    NULL },
		{ "truncated escape", "a=%", NULL,
		    "truncated %-escape in a field value at byte 2" },
		{ "truncated escape one digit", "a=%4", NULL,
		    "truncated %-escape in a field value at byte 2" },
		{ "truncated escape in name", "a%=1", NULL,
		    "truncated %-escape in a field name at byte 1" },
		{ "bad escape", "a=%g0", NULL,
		    "bad %-escape in a field value at byte 2" },
		{ "%00", "a=%00", NULL, "NUL byte in a field value at byte 2" },
		{ "raw NUL", "ab=x\0", NULL,
		    "NUL byte in a field value at byte 4" },
		{ "overlong slash", "a=%C0%AF", NULL,
		    "invalid UTF-8 in a field value at byte 2" },
		{ "overlong 3-byte", "a=%E0%80%AF", NULL, "invalid UTF-8" },
		{ "overlong 4-byte", "a=%F0%80%80%AF", NULL, "invalid UTF-8" },
		{ "past U+10FFFF", "a=%F4%90%80%80", NULL, "invalid UTF-8" },
		{ "F5 lead", "a=%F5%80%80%80", NULL, "invalid UTF-8" },
		{ "lone continuation", "a=%80", NULL, "invalid UTF-8" },
		{ "truncated sequence", "a=%E3%81", NULL, "invalid UTF-8" },
		{ "truncated then ASCII", "a=%E3%81b", NULL, "invalid UTF-8" },
		{ "surrogate", "a=%ED%B0%80", NULL, "invalid UTF-8" },
		{ "empty name", "=1", NULL, "field without a name at byte 0" },
	};
	size_t	 i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct arena	*a = arena_new(0);
		struct form	 fm;
		struct err	 e;
		size_t		 n = strlen(c[i].in);
		int		 rc;

		if (strcmp(c[i].name, "raw NUL") == 0)
			n = 6;
		err_clear(&e);
		rc = urlenc_parse(c[i].in, n, a, &fm, &e);
		if (c[i].want != NULL) {
			T_OK(rc == 0, "%s parses: %s", c[i].name, e.msg);
			if (rc == 0)
				T_STREQ(dump(a, &fm), c[i].want, c[i].name);
		} else
			T_OK(rc == -1 && e.kind == ERR_INPUT && fm.n == 0 &&
			    strstr(e.msg, c[i].err) != NULL,
			    "%s refused: want \"%s\", got \"%s\"", c[i].name,
			    c[i].err, e.msg);
		arena_free(a);
	}
}

static void
test_limits(void)
{
	struct arena	*a = arena_new(0);
	struct form	 fm;
	struct err	 e;
	struct sbuf	 b;
	char		 name[FORM_NAME_MAX + 2];
	int		 i;

	/* 10,000 fields: refused as too large before any decoding. */
	sbuf_init(&b, a, 0);
	for (i = 0; i < 10000; i++)
		sbuf_printf(&b, "%sf%d=%d", i ? "&" : "", i, i);
	err_clear(&e);
	T_OK(urlenc_parse(b.p, b.len, a, &fm, &e) == -1 &&
	    e.kind == ERR_TOO_LARGE && fm.n == 0, "10,000 fields refused: %s",
	    e.msg);
	/* Exactly FORM_FIELDS_MAX is fine, one more is not. */
	sbuf_reset(&b);
	for (i = 0; i < FORM_FIELDS_MAX; i++)
		sbuf_printf(&b, "%sf%d=%d", i ? "&" : "", i, i);
	T_OK(urlenc_parse(b.p, b.len, a, &fm, &e) == 0 &&
	    fm.n == FORM_FIELDS_MAX, "%d fields accepted", FORM_FIELDS_MAX);
	sbuf_puts(&b, "&x=1");
	T_OK(urlenc_parse(b.p, b.len, a, &fm, &e) == -1 &&
	    e.kind == ERR_TOO_LARGE, "%d fields refused", FORM_FIELDS_MAX + 1);
	/* Name at the limit, and one byte over. */
	memset(name, 'n', FORM_NAME_MAX);
	name[FORM_NAME_MAX] = '\0';
	T_OK(urlenc_parse(name, FORM_NAME_MAX, a, &fm, &e) == 0 && fm.n == 1 &&
	    fm.f[0].name.n == FORM_NAME_MAX, "name of %d bytes accepted",
	    FORM_NAME_MAX);
	name[FORM_NAME_MAX] = 'n';
	name[FORM_NAME_MAX + 1] = '\0';
	T_OK(urlenc_parse(name, FORM_NAME_MAX + 1, a, &fm, &e) == -1 &&
	    strstr(e.msg, "field name longer than 128 bytes at byte 0") !=
	    NULL, "name of %d bytes refused: %s", FORM_NAME_MAX + 1, e.msg);
	/* A tight arena: failure is ERR_ENV, not a crash. */
	arena_free(a);
	a = arena_new(1);
	T_OK(urlenc_parse("a=1", 3, a, &fm, &e) == -1 && e.kind == ERR_ENV,
	    "arena exhausted is ERR_ENV: %s", e.msg);
	arena_free(a);
}

/* Input that is a view: nothing past n is read (ASan build checks). */
static void
test_view(void)
{
	struct arena	*a = arena_new(0);
	struct form	 fm;
	struct err	 e;
	char		*p = malloc(5);

	memcpy(p, "a=%4", 4);
	T_OK(urlenc_parse(p, 4, a, &fm, &e) == -1, "truncated escape at the "
	    "end of an unterminated buffer");
	memcpy(p, "a=b%", 4);
	T_OK(urlenc_parse(p, 4, a, &fm, &e) == -1, "lone %% at the end");
	memcpy(p, "a=b&", 4);
	T_OK(urlenc_parse(p, 4, a, &fm, &e) == 0 && fm.n == 1 &&
	    fm.f[0].value.p[1] == '\0', "value NUL-terminated in the arena");
	free(p);
	arena_free(a);
}

static void
test_get(void)
{
	struct arena		*a = arena_new(0);
	struct form		 fm;
	struct err		 e;
	const struct form_field	*f;
	bool			 rep = true;

	T_OK(urlenc_parse("a=1&b=2&a=3&c=", 14, a, &fm, &e) == 0, "parse");
	f = formdata_get(&fm, "b", &rep);
	T_OK(f != NULL && !rep && strcmp(f->value.p, "2") == 0, "get b");
	f = formdata_get(&fm, "a", &rep);
	T_OK(f == NULL && rep, "repeated a is refused");
	f = formdata_get(&fm, "zz", &rep);
	T_OK(f == NULL && !rep, "absent zz");
	f = formdata_get(&fm, "c", NULL);
	T_OK(f != NULL && f->value.n == 0, "empty c, repeated may be NULL");
	T_OK(formdata_get(NULL, "a", &rep) == NULL && !rep, "NULL form");
	arena_free(a);
}

static void
test_text_ok(void)
{
	static const struct {
		const char	*name, *s;
		size_t		 n, bad;	/* bad == n: valid */
	} c[] = {
		{ "ascii", "abc", 3, 3 },
		{ "empty", "", 0, 0 },
		{ "nul", "a\0b", 3, 1 },
		{ "2-byte", "\xc3\xa9", 2, 2 },
		{ "C0 overlong", "\xc0\x80", 2, 0 },
		{ "C1 overlong", "x\xc1\xbf", 3, 1 },
		{ "3-byte", "\xe3\x81\x82", 3, 3 },
		{ "E0 overlong", "\xe0\x9f\xbf", 3, 0 },
		{ "E0 ok", "\xe0\xa0\x80", 3, 3 },
		{ "ED surrogate", "\xed\xa0\x80", 3, 0 },
		{ "ED ok", "\xed\x9f\xbf", 3, 3 },
		{ "F0 overlong", "\xf0\x8f\xbf\xbf", 4, 0 },
		{ "F0 ok", "\xf0\x90\x80\x80", 4, 4 },
		{ "F4 max", "\xf4\x8f\xbf\xbf", 4, 4 },
		{ "F4 over", "\xf4\x90\x80\x80", 4, 0 },
		{ "F5", "\xf5\x80\x80\x80", 4, 0 },
		{ "FF", "\xff", 1, 0 },
		{ "bad 3rd byte", "\xe3\x81\x41", 3, 0 },
		{ "bad 4th byte", "ab\xf0\x90\x80\x41", 6, 2 },
		{ "short at end", "ab\xe3\x81", 4, 2 },
	};
	size_t	 i, bad;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		bool	 ok = formdata_text_ok(c[i].s, c[i].n, &bad);

		if (c[i].bad == c[i].n)
			T_OK(ok, "text ok: %s", c[i].name);
		else
			T_OK(!ok && bad == c[i].bad, "text bad: %s (at %zu, "
			    "want %zu)", c[i].name, ok ? c[i].n : bad,
			    c[i].bad);
	}
}

static void
test_data_files(void)
{
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	if ((d = opendir(data_dir())) == NULL) {
		T_OK(0, "open %s (set TEGAMI_ROOT to the checkout)",
		    data_dir());
		return;
	}
	while ((de = readdir(d)) != NULL) {
		struct arena	*a = arena_new(0);
		char		 path[1024], *in, *want;
		size_t		 len = strlen(de->d_name), inlen, wlen;
		struct form	 fm;
		struct err	 e;
		bool		 bad;
		int		 rc;

		bad = len > 4 && strcmp(de->d_name + len - 4, ".bad") == 0;
		if (!bad && !(len > 3 &&
		    strcmp(de->d_name + len - 3, ".in") == 0)) {
			arena_free(a);
			continue;
		}
		n++;
		snprintf(path, sizeof(path), "%s/%s", data_dir(), de->d_name);
		in = slurp(a, path, &inlen);
		snprintf(path, sizeof(path), "%s/%.*s.%s", data_dir(),
		    (int)(len - (bad ? 4 : 3)), de->d_name,
		    bad ? "err" : "want");
		want = slurp(a, path, &wlen);
		if (in == NULL || want == NULL) {
			T_OK(0, "%s: cannot read it or its pair", de->d_name);
			arena_free(a);
			continue;
		}
		err_clear(&e);
		rc = urlenc_parse(in, inlen, a, &fm, &e);
		if (bad)
			T_OK(rc == -1 && strstr(e.msg, want) != NULL,
			    "%s: want \"%s\", got \"%s\"", de->d_name, want,
			    e.msg);
		else if (rc == -1)
			T_OK(0, "%s: %s", de->d_name, e.msg);
		else
			T_STREQ(dump(a, &fm), want, de->d_name);
		arena_free(a);
	}
	closedir(d);
	T_OK(n >= 10, "data files found (%d)", n);
}

int
main(void)
{
	T_SUITE("urlenc");
	T_RUN(test_table);
	T_RUN(test_limits);
	T_RUN(test_view);
	T_RUN(test_get);
	T_RUN(test_text_ok);
	T_RUN(test_data_files);
	return t_done("urlenc");
}
