/*
 * multipart_test.c - multipart/form-data (multipart.c): the boundary from
 * Content-Type, then bodies. Tables here; more cases in
 * tests/data/multipart/ with the boundary "XyZ": x.in with its fields in
 * x.want (one "name<TAB>value<TAB>filename<TAB>type" line per part, "-" for
 * none, bytes escaped as log_escape does), x.bad with an error substring in
 * x.err.
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
#include "web/multipart.h"

static const char *
data_dir(void)
{
	static char	 dir[512];
	const char	*src = getenv("TEGAMI_ROOT");

	snprintf(dir, sizeof(dir), "%s%stests/data/multipart",
	    src ? src : "", src ? "/" : "");
	return dir;
}

static void
put_esc(struct sbuf *b, const char *p, size_t n, char sep)
{
	char	 esc[8192];

	if (p == NULL)
		sbuf_putc(b, '-');
	else {
		log_escape(esc, sizeof(esc), p, n);
		sbuf_puts(b, esc);
	}
	sbuf_putc(b, sep);
}

static const char *
dump(struct arena *a, const struct form *fm)
{
	struct sbuf	 b;
	size_t		 i;

	sbuf_init(&b, a, 0);
	sbuf_puts(&b, "");
	for (i = 0; i < fm->n; i++) {
		const struct form_field	*f = &fm->f[i];

		put_esc(&b, f->name.p, f->name.n, '\t');
		put_esc(&b, f->value.p, f->value.n, '\t');
		put_esc(&b, f->filename, f->filename ? strlen(f->filename) : 0,
		    '\t');
		put_esc(&b, f->content_type,
		    f->content_type ? strlen(f->content_type) : 0, '\n');
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
test_boundary(void)
{
	static const struct {
		const char	*ct, *want, *err;
	} c[] = {
		{ "multipart/form-data; boundary=----WebKitFormBoundaryx7Yz",
		    "----WebKitFormBoundaryx7Yz", NULL },
		{ "Multipart/Form-Data;boundary=abc", "abc", NULL },
		{ "multipart/form-data; charset=utf-8; boundary=\"a b:c\"",
		    "a b:c", NULL },
		{ "multipart/form-data ; boundary = x ", "x", NULL },
		{ "multipart/form-data; BOUNDARY=x", "x", NULL },
		{ "multipart/form-data; boundary=\"'()+_,-./:=?\"",
		    "'()+_,-./:=?", NULL },
		{ "multipart/form-data; boundary=aaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaa", NULL },
		{ "multipart/form-data", NULL, "has no boundary" },
		{ "multipart/form-data; charset=utf-8", NULL,
		    "has no boundary" },
		{ "multipart/form-data; boundary=a; boundary=b", NULL,
		    "two boundary parameters" },
		{ "multipart/form-data; boundary=", NULL, "malformed" },
		{ "multipart/form-data; boundary=\"\"", NULL,
		    "boundary must be 1 to 70" },
		{ "multipart/form-data; boundary=\"ends in space \"", NULL,
		    "boundary must be 1 to 70" },
		{ "multipart/form-data; boundary=\"a\\b\"", NULL,
		    "boundary must be 1 to 70" },
		{ "multipart/form-data; boundary=\"a\rb\"", NULL,
		    "boundary must be 1 to 70" },
		{ "multipart/form-data; boundary=aaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL,
		    "boundary must be 1 to 70" },
		{ "multipart/form-data; boundary=\"abc", NULL, "malformed" },
		{ "multipart/form-data boundary=abc", NULL, "malformed" },
		{ "multipart/form-data; boundary=XyZ\xca", NULL, "malformed" },
		{ "multipart/mixed; boundary=abc", NULL,
		    "not multipart/form-data" },
		{ "application/x-www-form-urlencoded", NULL,
		    "not multipart/form-data" },
		{ "", NULL, "not multipart/form-data" },
		{ "multipart/form-data-x; boundary=abc", NULL,
		    "not multipart/form-data" },
	};
	size_t	 i;
	char	 name[160];

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct str	 b;
		struct err	 e;
		int		 rc;

		err_clear(&e);
		log_escape(name, sizeof(name), c[i].ct, strlen(c[i].ct));
		rc = multipart_boundary(str_from(c[i].ct), &b, &e);
		if (c[i].want != NULL)
			T_OK(rc == 0 && str_eq_cstr(b, c[i].want),
			    "boundary of \"%s\": got \"%.*s\" %s", name,
			    (int)b.n, b.p ? b.p : "", e.msg);
		else
			T_OK(rc == -1 && b.p == NULL &&
			    strstr(e.msg, c[i].err) != NULL,
			    "refuses \"%s\": want \"%s\", got \"%s\"", name,
			    c[i].err, e.msg);
	}
}

static void
test_limits(void)
{
	struct arena	*a = arena_new(0);
	struct form	 fm;
	struct err	 e;
	struct sbuf	 b;
	int		 i;

	sbuf_init(&b, a, 0);
	for (i = 0; i < 10000; i++)
		sbuf_printf(&b, "--XyZ\r\nContent-Disposition: form-data; "
		    "name=\"f%d\"\r\n\r\n%d\r\n", i, i);
	sbuf_puts(&b, "--XyZ--\r\n");
	err_clear(&e);
	T_OK(multipart_parse(b.p, b.len, STR_LIT("XyZ"), a, &fm, &e) == -1 &&
	    e.kind == ERR_TOO_LARGE && fm.n == 0, "10,000 parts refused: %s",
	    e.msg);
	sbuf_reset(&b);
	for (i = 0; i < MULTIPART_PARTS_MAX; i++)
		sbuf_printf(&b, "--XyZ\r\nContent-Disposition: form-data; "
		    "name=\"f%d\"\r\n\r\n%d\r\n", i, i);
	sbuf_puts(&b, "--XyZ--");
	T_OK(multipart_parse(b.p, b.len, STR_LIT("XyZ"), a, &fm, &e) == 0 &&
	    fm.n == MULTIPART_PARTS_MAX, "%d parts accepted: %s",
	    MULTIPART_PARTS_MAX, e.msg);
	/* A header line of exactly the limit is fine. */
	sbuf_reset(&b);
	sbuf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n"
	    "X-Long: ");
	for (i = 8; i < MULTIPART_HEADER_LINE_MAX; i++)
		sbuf_putc(&b, 'x');
	sbuf_puts(&b, "\r\n\r\n1\r\n--XyZ--");
	T_OK(multipart_parse(b.p, b.len, STR_LIT("XyZ"), a, &fm, &e) == 0,
	    "header line of %d bytes accepted: %s",
	    MULTIPART_HEADER_LINE_MAX, e.msg);
	T_OK(multipart_parse(b.p, b.len, STR_LIT("bad\\"), a, &fm, &e) == -1,
	    "bad boundary argument refused");
	arena_free(a);
	a = arena_new(1);
	T_OK(multipart_parse("--XyZ--", 7, STR_LIT("XyZ"), a, &fm, &e) ==
	    -1 && e.kind == ERR_ENV, "arena exhausted is ERR_ENV");
	arena_free(a);
}

/* Bodies cut at every length must fail cleanly (ASan build checks reads). */
static void
test_truncations(void)
{
	static const char	 body[] = "--XyZ\r\nContent-Disposition: "
	    "form-data; name=\"a\"; filename=\"f\"\r\nContent-Type: text/plain"
	    "\r\n\r\nvalue\r\n--XyZ--\r\n";
	struct arena		*a = arena_new(0);
	size_t			 n, ok = 0, full = sizeof(body) - 1;

	for (n = 0; n <= full; n++) {
		char		*p = malloc(n ? n : 1);
		struct form	 fm;
		struct err	 e;

		memcpy(p, body, n);
		if (multipart_parse(p, n, STR_LIT("XyZ"), a, &fm, &e) == 0)
			ok++;
		free(p);
	}
	/* Complete from the closing "--XyZ--" on (with or without CRLF). */
	T_OK(ok == 3, "only the 3 complete prefixes parse (%zu)", ok);
	arena_free(a);
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
		rc = multipart_parse(in, inlen, STR_LIT("XyZ"), a, &fm, &e);
		if (bad)
			T_OK(rc == -1 && fm.n == 0 &&
			    strstr(e.msg, want) != NULL,
			    "%s: want \"%s\", got \"%s\"", de->d_name, want,
			    e.msg);
		else if (rc == -1)
			T_OK(0, "%s: %s", de->d_name, e.msg);
		else
			T_STREQ(dump(a, &fm), want, de->d_name);
		arena_free(a);
	}
	closedir(d);
	T_OK(n >= 30, "data files found (%d)", n);
}

int
main(void)
{
	T_SUITE("multipart");
	T_RUN(test_boundary);
	T_RUN(test_limits);
	T_RUN(test_truncations);
	T_RUN(test_data_files);
	return t_done("multipart");
}
