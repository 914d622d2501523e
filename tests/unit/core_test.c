/*
 * core_test.c - the core library written by the lead: arena, str, sbuf,
 * num, cfg (and log_escape, which parser messages rely on).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/cfg.h"
#include "core/err.h"
#include "core/log.h"
#include "core/num.h"
#include "core/sbuf.h"
#include "core/str.h"
#include "t.h"

static int	 hook_runs;

static void
hook(void *arg)
{
	hook_runs += *(int *)arg;
}

static void
test_arena(void)
{
	struct arena	*a = arena_new(0);
	char		*p, *q, *big;
	int		 one = 1, ten = 10;
	size_t		 i;
	bool		 aligned = true;

	T_OK(a != NULL, "arena_new");
	for (i = 1; i < 100; i++) {
		p = arena_alloc(a, i);
		if (p == NULL || (uintptr_t)p % 16 != 0)
			aligned = false;
	}
	T_OK(aligned, "allocations are 16-byte aligned");
	p = arena_strndup(a, "hello world", 5);
	T_STREQ(p, "hello", "strndup");
	T_STREQ(arena_strdup(a, "x"), "x", "strdup");
	T_STREQ(arena_printf(a, "%d-%s", 42, "z"), "42-z", "printf");
	q = arena_calloc(a, 10, 10);
	T_OK(q != NULL && q[0] == 0 && q[99] == 0, "calloc zeroes");
	T_OK(arena_calloc(a, SIZE_MAX / 2, 4) == NULL, "calloc overflow "
	    "refused");
	big = arena_alloc(a, 100000);
	T_OK(big != NULL, "allocation larger than a chunk");
	memset(big, 1, 100000);
	T_OK(arena_used(a) >= 100000, "arena_used counts");
	T_OK(arena_on_free(a, hook, &one) == 0 &&
	    arena_on_free(a, hook, &ten) == 0, "hooks registered");
	arena_reset(a);
	T_OK(hook_runs == 11 && arena_used(a) == 0, "reset runs hooks");
	T_OK(arena_alloc(a, 10) != NULL, "usable after reset");
	T_OK(arena_on_free(a, hook, &one) == 0, "hook again");
	arena_free(a);
	T_OK(hook_runs == 12, "free runs hooks");
	arena_free(NULL);
	/* The limit counts whole chunks. */
	a = arena_new(64 * 1024);
	T_OK(arena_alloc(a, 40000) != NULL, "under the limit");
	T_OK(arena_alloc(a, 40000) == NULL, "over the limit refused");
	T_OK(arena_alloc(a, 100) != NULL, "small after refusal");
	T_OK(arena_alloc(a, SIZE_MAX) == NULL, "SIZE_MAX refused");
	arena_free(a);
}

static void
test_str(void)
{
	struct str	 h, t, s = STR_LIT("key=value=x");
	struct arena	*a = arena_new(0);

	T_OK(str_cut(s, '=', &h, &t) && str_eq_cstr(h, "key") &&
	    str_eq_cstr(t, "value=x"), "cut at first");
	T_OK(!str_cut(STR_LIT("abc"), '=', &h, &t) && str_eq_cstr(h, "abc") &&
	    t.n == 0, "cut without separator");
	T_OK(str_cut(STR_LIT("abc="), '=', &h, &t) && t.n == 0, "cut at end");
	T_OK(!str_cut((struct str){ "", 0 }, '=', &h, &t), "cut empty");
	T_OK(str_eq_cstr(str_trim(STR_LIT(" \t x y \t")), "x y"), "trim");
	T_OK(str_trim(STR_LIT("  ")).n == 0, "trim all");
	T_OK(str_caseeq_cstr(STR_LIT("Content-Type"), "content-type"),
	    "caseeq");
	T_OK(!str_caseeq_cstr(STR_LIT("Content-Typ"), "content-type"),
	    "caseeq length");
	T_OK(str_has_prefix(STR_LIT("multipart/x"), "multipart/") &&
	    !str_has_prefix(STR_LIT("multi"), "multipart/"), "has_prefix");
	T_OK(str_eq(STR_LIT(""), str_from(NULL)), "NULL is empty");
	T_OK(!str_eq(STR_LIT("a"), STR_LIT("b")), "eq differs");
	T_OK(str_is_header_safe(STR_LIT("Subject: hi")) &&
	    !str_is_header_safe(STR_LIT("a\r\nBcc: x")) &&
	    !str_is_header_safe(STR_LIT("a\nb")) &&
	    !str_is_header_safe((struct str){ "a\0b", 3 }),
	    "header safety: CR, LF, NUL");
	T_OK(str_ct_eq(STR_LIT("token"), STR_LIT("token")) &&
	    !str_ct_eq(STR_LIT("token"), STR_LIT("tokeN")) &&
	    !str_ct_eq(STR_LIT("token"), STR_LIT("toke")), "ct_eq");
	T_STREQ(str_dup(a, (struct str){ "abcdef", 3 }), "abc", "dup");
	arena_free(a);
}

static void
test_sbuf(void)
{
	struct sbuf	 b;
	struct arena	*a = arena_new(0);
	int		 i;

	sbuf_init(&b, NULL, 0);
	T_OK(sbuf_str(&b).n == 0 && sbuf_str(&b).p != NULL, "empty view");
	sbuf_puts(&b, "ab");
	sbuf_putc(&b, 'c');
	sbuf_printf(&b, "%d", 123);
	sbuf_putstr(&b, STR_LIT("!"));
	T_STREQ(b.p, "abc123!", "appends");
	for (i = 0; i < 1000; i++)
		sbuf_puts(&b, "0123456789");
	T_OK(b.len == 10007 && !sbuf_failed(&b) && b.p[b.len] == '\0',
	    "grows, NUL-terminated");
	sbuf_reset(&b);
	T_OK(b.len == 0 && b.p[0] == '\0', "reset");
	sbuf_free(&b);
	sbuf_init(&b, a, 5);
	sbuf_puts(&b, "abcde");
	T_OK(!sbuf_failed(&b) && b.len == 5, "exactly max");
	sbuf_putc(&b, 'f');
	T_OK(sbuf_failed(&b) && b.len == 5, "past max fails");
	sbuf_puts(&b, "");
	T_OK(sbuf_failed(&b), "stays failed");
	sbuf_reset(&b);
	T_OK(!sbuf_failed(&b), "reset clears failure");
	sbuf_printf(&b, "%s", "toolong");
	T_OK(sbuf_failed(&b) && b.len == 0, "printf past max fails");
	sbuf_init(&b, a, 0);
	for (i = 0; i < 100; i++)
		sbuf_printf(&b, "%03d", i);
	T_OK(b.len == 300 && strncmp(b.p + 297, "099", 3) == 0,
	    "arena-backed growth keeps content");
	arena_free(a);
}

static void
test_num(void)
{
	static const struct {
		const char	*s;
		uint64_t	 min, max;
		int		 rc;
		uint64_t	 v;
	} u[] = {
		{ "0", 0, 10, 0, 0 },
		{ "10", 0, 10, 0, 10 },
		{ "11", 0, 10, -1, 0 },
		{ "5", 6, 10, -1, 0 },
		{ "18446744073709551615", 0, UINT64_MAX, 0, UINT64_MAX },
		{ "18446744073709551616", 0, UINT64_MAX, -1, 0 },
		{ "99999999999999999999", 0, UINT64_MAX, -1, 0 },
		{ "", 0, 10, -1, 0 },
		{ "+1", 0, 10, -1, 0 },
		{ "-1", 0, 10, -1, 0 },
		{ " 1", 0, 10, -1, 0 },
		{ "1 ", 0, 10, -1, 0 },
		{ "1a", 0, 10, -1, 0 },
		{ "0x1", 0, 10, -1, 0 },
	};
	static const struct {
		const char	*s;
		int64_t		 min, max;
		int		 rc;
		int64_t		 v;
	} s[] = {
		{ "-5", -10, 10, 0, -5 },
		{ "-11", -10, 10, -1, 0 },
		{ "-", -10, 10, -1, 0 },
		{ "--1", -10, 10, -1, 0 },
		{ "9223372036854775807", INT64_MIN, INT64_MAX, 0, INT64_MAX },
		{ "9223372036854775808", INT64_MIN, INT64_MAX, -1, 0 },
		{ "-9223372036854775808", INT64_MIN, INT64_MAX, 0, INT64_MIN },
		{ "-9223372036854775809", INT64_MIN, INT64_MAX, -1, 0 },
		{ "-0", 0, 1, 0, 0 },
		{ "3", 5, 10, -1, 0 },
	};
	size_t	 i;

	for (i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
		uint64_t	 v = 0;
		int		 rc = num_parse_u64(str_from(u[i].s), u[i].min,
				    u[i].max, &v);

		T_OK(rc == u[i].rc && (rc == -1 || v == u[i].v),
		    "u64 \"%s\"", u[i].s);
	}
	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		int64_t	 v = 0;
		int	 rc = num_parse_i64(str_from(s[i].s), s[i].min,
			    s[i].max, &v);

		T_OK(rc == s[i].rc && (rc == -1 || v == s[i].v),
		    "i64 \"%s\"", s[i].s);
	}
}

struct conf {
	char	 name[CFG_VALUE_MAX];
	int64_t	 threads;
	bool	 debug;
	char	 req[CFG_VALUE_MAX];
};

static int
no_x(const char *v, struct err *e)
{
	return strchr(v, 'x') != NULL ?
	    err_set(e, ERR_INPUT, "must not contain x") : 0;
}

static const struct cfg_key	 keys[] = {
	{ "site.name", CFG_STRING, "Tegami", 0, 10,
	    offsetof(struct conf, name), no_x },
	{ "web.threads", CFG_INT, "4", 1, 64,
	    offsetof(struct conf, threads), NULL },
	{ "web.debug", CFG_BOOL, "false", 0, 0,
	    offsetof(struct conf, debug), NULL },
	{ "db.socket", CFG_STRING, NULL, 0, 0, offsetof(struct conf, req),
	    NULL },
};
#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

static int
load(const char *text, struct conf *c, struct err *e)
{
	char	 path[] = "/tmp/tegami-core-cfg-XXXXXX";
	int	 fd = mkstemp(path), rc;
	size_t	 n = strlen(text);

	if (fd == -1 || write(fd, text, n) != (ssize_t)n)
		return -2;
	close(fd);
	memset(c, 0, sizeof(*c));
	err_clear(e);
	rc = cfg_load(keys, NKEYS, c, path, "TEGAMI_CT_", e);
	unlink(path);
	return rc;
}

static void
test_cfg(void)
{
	static const struct {
		const char	*name, *text, *err;
		int		 line;
	} bad[] = {
		{ "unknown key", "db.socket = s\nnope = 1\n",
		    "unknown key \"nope\"", 2 },
		{ "twice", "db.socket = s\ndb.socket = t\n",
		    "db.socket is set twice", 2 },
		{ "no equals", "db.socket\n", "expected \"key = value\"", 1 },
		{ "int range", "db.socket = s\nweb.threads = 65\n",
		    "not a whole number from 1 to 64", 2 },
		{ "int junk", "db.socket = s\nweb.threads = 4x\n",
		    "not a whole number", 2 },
		{ "bool", "db.socket = s\nweb.debug = maybe\n",
		    "is not true or false", 2 },
		{ "string max", "db.socket = s\nsite.name = 12345678901\n",
		    "value is too long", 2 },
		{ "check", "db.socket = s\nsite.name = box\n",
		    "must not contain x", 2 },
		{ "required", "web.threads = 2\n", "db.socket is required", 0 },
	};
	struct conf	 c;
	struct err	 e;
	size_t		 i;
	int		 rc;

	rc = load("# comment\n\n  db.socket = /run/x.sock  \r\n"
	    "web.threads=8\nweb.debug = yes\n", &c, &e);
	T_OK(rc == 0, "loads: %s", e.msg);
	T_STREQ(c.req, "/run/x.sock", "string trimmed (CRLF too)");
	T_STREQ(c.name, "Tegami", "default string");
	T_OK(c.threads == 8 && c.debug, "int and bool");
	setenv("TEGAMI_CT_WEB_THREADS", "16", 1);
	rc = load("db.socket = s\nweb.threads = 8\n", &c, &e);
	T_OK(rc == 0 && c.threads == 16, "environment overrides the file");
	setenv("TEGAMI_CT_WEB_THREADS", "0", 1);
	rc = load("db.socket = s\n", &c, &e);
	T_OK(rc == -1 && strstr(e.msg, "TEGAMI_CT_WEB_THREADS") != NULL,
	    "bad environment value names the variable: %s", e.msg);
	unsetenv("TEGAMI_CT_WEB_THREADS");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rc = load(bad[i].text, &c, &e);
		T_OK(rc == -1 && strstr(e.msg, bad[i].err) != NULL &&
		    e.line == bad[i].line, "%s: want \"%s\" line %d, got "
		    "\"%s\" line %d", bad[i].name, bad[i].err, bad[i].line,
		    e.msg, e.line);
	}
	memset(&c, 0, sizeof(c));
	err_clear(&e);
	T_OK(cfg_load(keys, NKEYS, &c, "/nonexistent/tegami.conf", "X_",
	    &e) == -1 && e.kind == ERR_ENV, "missing file is ERR_ENV");
}

static void
test_log_escape(void)
{
	char	 out[64];

	log_escape(out, sizeof(out), "a\r\nb\\\x80", 6);
	T_STREQ(out, "a\\x0d\\x0ab\\x5c\\x80", "escapes controls, "
	    "backslash, non-ASCII");
	log_escape(out, 12, "abcdefghijklmnop", 16);
	T_OK(strlen(out) < 12 && strstr(out, "...") != NULL,
	    "truncates with ... (%s)", out);
	log_escape(out, 1, "abc", 3);
	T_OK(out[0] == '\0', "size 1");
}

/* Sizes near SIZE_MAX must be refused, not wrap around (fuzz review). */
static void
test_arena_huge(void)
{
	struct arena	*a = arena_new(0);

	T_OK(arena_alloc(a, 1) != NULL, "first chunk");
	T_OK(arena_alloc(a, SIZE_MAX - 16) == NULL, "SIZE_MAX - 16 refused");
	T_OK(arena_alloc(a, SIZE_MAX / 2) == NULL, "SIZE_MAX / 2 refused");
	T_OK(arena_strndup(a, "x", SIZE_MAX - 17) == NULL,
	    "huge strndup refused");
	T_OK(arena_alloc(a, 100) != NULL, "still usable afterwards");
	arena_free(a);
}

static void
test_arena_grow(void)
{
	struct arena	*a = arena_new(0);
	int		*v = NULL;
	size_t		 cap = 0, n;
	bool		 ok = true;

	for (n = 0; n < 1000; n++) {
		if (n == cap && (v = arena_grow(a, v, n, &cap,
		    sizeof(*v))) == NULL)
			break;
		v[n] = (int)n;
	}
	T_OK(v != NULL && n == 1000 && cap >= 1000, "grows to 1000 (cap %zu)",
	    cap);
	for (n = 0; v != NULL && n < 1000; n++)
		ok = ok && v[n] == (int)n;
	T_OK(ok, "elements kept across growth");
	cap = (size_t)1 << 62;
	T_OK(arena_grow(a, v, 0, &cap, 16) == NULL, "overflowing size refused");
	arena_free(a);
}

int
main(void)
{
	T_SUITE("core");
	T_RUN(test_arena);
	T_RUN(test_arena_huge);
	T_RUN(test_arena_grow);
	T_RUN(test_str);
	T_RUN(test_sbuf);
	T_RUN(test_num);
	T_RUN(test_cfg);
	T_RUN(test_log_escape);
	return t_done("core");
}
