/*
 * hdr_test.c - header building and parsing of app/mail/hdr.c: folding
 * within 78 columns (RFC 5322 §2.1.1), RFC 2047 encoded-words for Japanese
 * subjects and display names (never splitting a character, ISO-2022-JP
 * words ending in ASCII), decoding, refusals of CR/LF/NUL, and the
 * header-section parser with cases in tests/data/hdr/.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "t.h"
#include "../../app/core/err.h"
#include "../../app/core/sbuf.h"
#include "../../app/mail/charset.h"
#include "../../app/mail/hdr.h"

/* Every line ends in CRLF, has no bare CR/LF, and is <= max octets. */
static int
lines_ok(const char *p, size_t n, size_t max)
{
	size_t	 i, col = 0;

	for (i = 0; i < n; i++) {
		if (p[i] == '\r') {
			if (i + 1 >= n || p[i + 1] != '\n')
				return 0;
			i++;
			col = 0;
			continue;
		}
		if (p[i] == '\n' || p[i] == '\0')
			return 0;
		if (++col > max)
			return 0;
	}
	return n >= 2 && p[n - 2] == '\r' && p[n - 1] == '\n';
}

/* The value after "Name:" decoded back to UTF-8 (NUL-terminated). */
static const char *
decoded(const struct sbuf *b, struct sbuf *out)
{
	const char	*colon = memchr(b->p, ':', b->len);
	struct err	 e;
	struct str	 v;

	sbuf_reset(out);
	if (colon == NULL)
		return "";
	v.p = colon + 1;
	v.n = b->len - (size_t)(v.p - b->p) - 2;	/* final CRLF */
	if (hdr_decode(str_trim(v), out, &e) == -1)
		return "(decode error)";
	sbuf_putc(out, '\0');
	return out->p;
}

/* Each encoded-word is <= 75 octets and decodes alone to whole
 * characters; an ISO-2022-JP word ends in the ASCII state (RFC 1468). */
static int
words_ok(const char *p, size_t n)
{
	const char	*w = p, *end = p + n, *q, *t;
	unsigned char	 raw[128];
	struct sbuf	 one;
	struct err	 e;
	int		 ok = 1, rl;

	sbuf_init(&one, NULL, 0);
	while ((w = memmem(w, (size_t)(end - w), "=?", 2)) != NULL) {
		/* =?charset?B?text?= */
		q = memchr(w + 2, '?', (size_t)(end - w - 2));
		if (q == NULL || q + 3 >= end)
			return 0;
		t = q + 3;
		q = memmem(t, (size_t)(end - t), "?=", 2);
		if (q == NULL)
			return 0;
		if (q + 2 - w > HDR_WORD_MAX)
			ok = 0;
		sbuf_reset(&one);
		if (hdr_decode((struct str){ w, (size_t)(q + 2 - w) }, &one,
		    &e) == -1 || !charset_is_utf8(one.p, one.len))
			ok = 0;
		if (memmem(w, (size_t)(q - w), "ISO-2022-JP", 11) != NULL) {
			rl = q - t < 150 ? EVP_DecodeBlock(raw,
			    (const unsigned char *)t, (int)(q - t)) : -1;
			while (rl > 0 && q[-1] == '=' && q - 1 > t) {
				rl--;	/* padding decodes to zeros */
				q--;
			}
			if (rl < 3 || (memchr(raw, 0x1b, (size_t)rl) != NULL &&
			    memcmp(raw + rl - 3, "\x1b(B", 3) != 0))
				ok = 0;
			q = memmem(q, (size_t)(end - q), "?=", 2);
		}
		w = q + 2;
	}
	sbuf_free(&one);
	return ok;
}

static void
test_put(void)
{
	struct sbuf	 b, d;
	struct err	 e;
	char		 longv[600];
	size_t		 i;

	sbuf_init(&b, NULL, 0);
	sbuf_init(&d, NULL, 0);
	T_OK(hdr_put(&b, "X-Test", STR_LIT("  a  b c  "), &e) == 0 &&
	    strcmp(b.p, "X-Test: a  b c\r\n") == 0, "plain value trimmed");

	for (i = 0; i + 6 < sizeof(longv); i += 6)
		memcpy(longv + i, "word, ", 6);
	longv[i - 1] = '\0';		/* no trailing space */
	sbuf_reset(&b);
	T_OK(hdr_put(&b, "X-Long", str_from(longv), &e) == 0 &&
	    lines_ok(b.p, b.len, 78), "long value folded within 78");
	T_STREQ(decoded(&b, &d), longv, "folding keeps the value");

	static const struct {
		const char	*name, *value, *why;
	} bad[] = {
		{ "X-A", "a\r\nBcc: x@y.org", "CR LF" },
		{ "X-A", "a\nb", "LF" },
		{ "X-A", "a\rb", "CR" },
		{ "X-A", "caf\xc3\xa9", "8-bit" },
		{ "Bad Name", "x", "space in name" },
		{ "Bad:Name", "x", "colon in name" },
		{ "", "x", "empty name" },
	};
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sbuf_reset(&b);
		T_OK(hdr_put(&b, bad[i].name, str_from(bad[i].value), &e) ==
		    -1 && b.len == 0, "hdr_put refuses %s", bad[i].why);
	}
	sbuf_reset(&b);
	T_OK(hdr_put(&b, "X-A", (struct str){ "a\0b", 3 }, &e) == -1,
	    "hdr_put refuses NUL");
	memset(longv, 'x', 599);
	longv[599] = '\0';
	sbuf_reset(&b);
	T_OK(hdr_put(&b, "X-A", str_from(longv), &e) == 0 &&
	    lines_ok(b.p, b.len, 998), "unbreakable 599 within 998");
	sbuf_free(&b);
	sbuf_free(&d);
}

static void
test_text(void)
{
	static const char *const subjects[] = {
		"Plain ASCII subject",
		"こんにちは",
		"【重要】ご登録内容の確認のお願い",
		"【重要】Tegami 2026年11月のお知らせ — please read: "
		    "本文をご確認ください。配信停止はこちらから。",
		"日本語の非常に長い件名です。日本語の非常に長い件名です。"
		    "日本語の非常に長い件名です。日本語の非常に長い件名です。"
		    "日本語の非常に長い件名です。日本語の非常に長い件名です。",
		"A long ASCII subject with many words that has to be folded "
		    "over more than one line because it is long, really",
		"Looks like =?UTF-8?B?YWJj?= a word",
		"emoji 📧📧📧📧📧📧📧📧📧📧📧📧📧📧📧📧📧📧📧📧📧📧 end",
		"x aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "a"
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa y",
		"mixed 日本 and English 語 words",
		"",
	};
	struct sbuf	 b, d;
	struct err	 e;
	size_t		 i;

	sbuf_init(&b, NULL, 0);
	sbuf_init(&d, NULL, 0);
	for (i = 0; i < sizeof(subjects) / sizeof(subjects[0]); i++) {
		sbuf_reset(&b);
		T_OK(hdr_put_text(&b, "Subject", str_from(subjects[i]),
		    HDR_CS_UTF8, &e) == 0, "utf-8 subject %zu builds", i);
		T_OK(lines_ok(b.p, b.len, 78), "utf-8 subject %zu within "
		    "78 columns", i);
		T_OK(words_ok(b.p, b.len), "utf-8 subject %zu: words whole "
		    "and <= 75", i);
		T_STREQ(decoded(&b, &d), subjects[i], "utf-8 subject round "
		    "trip");
	}
	sbuf_reset(&b);
	T_OK(hdr_put_text(&b, "Subject", STR_LIT("Hello  World"),
	    HDR_CS_UTF8, &e) == 0 && strcmp(b.p,
	    "Subject: Hello  World\r\n") == 0, "ASCII stays readable");
	sbuf_reset(&b);
	T_OK(hdr_put_text(&b, "Subject", str_from("こんにちは"),
	    HDR_CS_UTF8, &e) == 0 && strcmp(b.p,
	    "Subject: =?UTF-8?B?44GT44KT44Gr44Gh44Gv?=\r\n") == 0,
	    "known B encoding");

	/* ISO-2022-JP words (RFC 1468 §4 with RFC 2047) */
	for (i = 1; i < 6; i++) {
		if (i == 3)
			continue;	/* U+2014 has no JIS X 0208 form */
		sbuf_reset(&b);
		T_OK(hdr_put_text(&b, "Subject", str_from(subjects[i]),
		    HDR_CS_ISO2022JP, &e) == 0, "iso-2022-jp subject %zu "
		    "builds", i);
		T_OK(lines_ok(b.p, b.len, 78) && words_ok(b.p, b.len),
		    "iso-2022-jp subject %zu within 78, words whole", i);
		T_STREQ(decoded(&b, &d), subjects[i], "iso-2022-jp round "
		    "trip");
	}
	sbuf_reset(&b);
	T_OK(hdr_put_text(&b, "Subject", str_from("こんにちは"),
	    HDR_CS_ISO2022JP, &e) == 0 && strcmp(b.p, "Subject: "
	    "=?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=\r\n") == 0,
	    "known ISO-2022-JP word (ends in ESC ( B)");
	sbuf_reset(&b);
	T_OK(hdr_put_text(&b, "Subject", str_from(subjects[3]),
	    HDR_CS_ISO2022JP, &e) == -1 && strstr(e.msg, "U+2014") &&
	    strstr(e.msg, "Subject"), "unwritable character named: %s",
	    e.msg);

	sbuf_reset(&b);
	T_OK(hdr_put_text(&b, "Subject", STR_LIT("a\r\nBcc: x@y"),
	    HDR_CS_UTF8, &e) == -1, "CRLF in subject refused");
	T_OK(hdr_put_text(&b, "Subject", STR_LIT("caf\xe9"), HDR_CS_UTF8,
	    &e) == -1, "bad UTF-8 refused");
	sbuf_free(&b);
	sbuf_free(&d);
}

static void
test_addr(void)
{
	static const struct {
		const char	*display, *spec, *want;
	} cases[] = {
		{ "", "a@example.org", "To: a@example.org\r\n" },
		{ "Taro Yamada", "a@example.org",
		  "To: Taro Yamada <a@example.org>\r\n" },
		{ "Doe, John", "a@example.org",
		  "To: \"Doe, John\" <a@example.org>\r\n" },
		{ "say \"hi\"", "a@example.org",
		  "To: \"say \\\"hi\\\"\" <a@example.org>\r\n" },
		{ "山田 太郎", "taro@example.jp",
		  "To: =?UTF-8?B?5bGx55SwIOWkqumDjg==?= "
		  "<taro@example.jp>\r\n" },
	};
	struct sbuf	 b, d;
	struct err	 e;
	size_t		 i;

	sbuf_init(&b, NULL, 0);
	sbuf_init(&d, NULL, 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sbuf_reset(&b);
		T_OK(hdr_put_addr(&b, "To", str_from(cases[i].display),
		    str_from(cases[i].spec), HDR_CS_UTF8, &e) == 0,
		    "address %zu builds", i);
		T_STREQ(b.p, cases[i].want, "address field");
	}
	sbuf_reset(&b);
	T_OK(hdr_put_addr(&b, "From", str_from("とても長い表示名を持つ送信者"
	    "のお知らせ配信サービス株式会社カスタマーサポート窓口"),
	    STR_LIT("a-very-long-local-part@mail.example.co.jp"),
	    HDR_CS_UTF8, &e) == 0 && lines_ok(b.p, b.len, 78) &&
	    words_ok(b.p, b.len), "long display name folded");
	sbuf_reset(&b);
	T_OK(hdr_put_addr(&b, "To", STR_LIT("x"), STR_LIT("not an address"),
	    HDR_CS_UTF8, &e) == -1, "bad address refused");
	T_OK(hdr_put_addr(&b, "To", STR_LIT("x\r\nBcc: y"),
	    STR_LIT("a@example.org"), HDR_CS_UTF8, &e) == -1,
	    "CRLF in display refused");
	T_OK(hdr_put_addr(&b, "To", STR_LIT("x"),
	    STR_LIT("a@example.org>\r\nBcc: v@x.org"), HDR_CS_UTF8, &e) == -1,
	    "CRLF in address refused");
	sbuf_free(&b);
	sbuf_free(&d);
}

static void
test_decode(void)
{
	static const struct {
		const char	*in, *want;
	} cases[] = {
		{ "=?UTF-8?B?44GT44KT44Gr44Gh44Gv?=", "こんにちは" },
		{ "=?utf-8?q?caf=C3=A9_au_lait?=", "café au lait" },
		{ "=?UTF-8?B?44GT?= =?UTF-8?B?44KT?=", "こん" },
		{ "=?UTF-8?B?44GT?=\r\n =?UTF-8?B?44KT?=", "こん" },
		{ "a =?UTF-8?Q?b?= c", "a b c" },
		{ "=?ISO-2022-JP?B?GyRCJDMkcxsoQg==?=", "こん" },
		{ "=?x-unknown?Q?abc?=", "=?x-unknown?Q?abc?=" },
		{ "=?UTF-8?B?not base64?=", "=?UTF-8?B?not base64?=" },
		{ "Hello\r\n world", "Hello world" },
		{ "=?UTF-8*ja?B?44GT?=", "こ" },
		{ "x=?UTF-8?B?44GT?=", "x=?UTF-8?B?44GT?=" },
		/* fuzz finds: a value folded before its first word; an
		 * empty ISO-2022-JP word */
		{ "\r\n =?UTF-8?B?44GT?= x ", "こ x" },
		{ "a =?ISO-2022-JP?B?" "?=", "a " },
	};
	struct sbuf	 b;
	struct err	 e;
	size_t		 i;

	sbuf_init(&b, NULL, 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sbuf_reset(&b);
		T_OK(hdr_decode(str_from(cases[i].in), &b, &e) == 0,
		    "decode %zu", i);
		sbuf_putc(&b, '\0');
		T_STREQ(b.p, cases[i].want, "decoded text");
	}
	sbuf_reset(&b);
	T_OK(hdr_decode(STR_LIT("=?UTF-8?B?/w==?="), &b, &e) == -1,
	    "invalid UTF-8 in a word refused");
	sbuf_free(&b);
}

static char *
slurp(const char *path, size_t *n)
{
	FILE	*fp = fopen(path, "rb");
	char	*p;
	long	 sz;

	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	sz = ftell(fp);
	rewind(fp);
	p = malloc((size_t)sz + 1);
	if (p != NULL && fread(p, 1, (size_t)sz, fp) != (size_t)sz) {
		free(p);
		p = NULL;
	}
	fclose(fp);
	if (p != NULL) {
		p[sz] = '\0';
		*n = (size_t)sz;
	}
	return p;
}

static void
escape(struct sbuf *b, struct str s)
{
	size_t	 i;

	for (i = 0; i < s.n; i++) {
		if (s.p[i] == '\r')
			sbuf_puts(b, "\\r");
		else if (s.p[i] == '\n')
			sbuf_puts(b, "\\n");
		else if (s.p[i] == '\t')
			sbuf_puts(b, "\\t");
		else
			sbuf_putc(b, s.p[i]);
	}
}

static void
test_parse_data(void)
{
	static struct hdr_section sec;
	const char	*src = getenv("TEGAMI_SRC");
	char		 dir[512], path[1024];
	struct dirent	*de;
	DIR		*d;
	struct sbuf	 got;
	struct err	 e;
	size_t		 n, wn, i, cases = 0;
	char		*in, *want;

	snprintf(dir, sizeof(dir), "%s%stests/data/hdr", src ? src : "",
	    src ? "/" : "");
	if ((d = opendir(dir)) == NULL) {
		T_OK(0, "open %s (run from the checkout or set TEGAMI_SRC)",
		    dir);
		return;
	}
	sbuf_init(&got, NULL, 0);
	while ((de = readdir(d)) != NULL) {
		size_t	 l = strlen(de->d_name);
		bool	 bad = l > 4 && strcmp(de->d_name + l - 4, ".bad") == 0;

		if (!bad && (l < 4 || strcmp(de->d_name + l - 3, ".in") != 0))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((in = slurp(path, &n)) == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%.*s.%s", dir,
		    (int)(l - (bad ? 4 : 3)), de->d_name, bad ? "err" : "want");
		want = slurp(path, &wn);
		cases++;
		err_clear(&e);
		if (bad) {
			if (want != NULL && wn > 0 && want[wn - 1] == '\n')
				want[wn - 1] = '\0';
			T_OK(hdr_parse(in, n, &sec, &e) == -1 && want != NULL &&
			    strstr(e.msg, want) != NULL, "%s refused: %s",
			    de->d_name, e.msg);
		} else {
			sbuf_reset(&got);
			T_OK(hdr_parse(in, n, &sec, &e) == 0, "%s parses",
			    de->d_name);
			for (i = 0; i < sec.n; i++) {
				sbuf_putstr(&got, sec.f[i].name);
				sbuf_putc(&got, '|');
				escape(&got, sec.f[i].value);
				sbuf_putc(&got, '\n');
			}
			if (sec.has_blank)
				sbuf_printf(&got, "body|%zu\n", sec.body);
			else
				sbuf_puts(&got, "body|none\n");
			T_STREQ(got.p, want ? want : "(no .want)", de->d_name);
		}
		free(in);
		free(want);
	}
	closedir(d);
	sbuf_free(&got);
	T_OK(cases >= 8, "data cases found (%zu)", cases);
}

static void
test_parse_limits(void)
{
	static struct hdr_section sec;
	struct sbuf	 m;
	struct err	 e;
	int		 i;

	sbuf_init(&m, NULL, 0);
	for (i = 0; i < HDR_FIELDS_MAX + 1; i++)
		sbuf_printf(&m, "X-%d: v\r\n", i);
	sbuf_puts(&m, "\r\n");
	T_OK(hdr_parse(m.p, m.len, &sec, &e) == -1 &&
	    e.kind == ERR_TOO_LARGE, "too many fields refused");
	T_OK(hdr_parse("", 0, &sec, &e) == 0 && sec.n == 0,
	    "empty input");
	T_OK(hdr_parse("A: b\r\nA: c\r\n\r\n", 14, &sec, &e) == 0 &&
	    hdr_count(&sec, "a") == 2 && hdr_find(&sec, "A") == &sec.f[0] &&
	    hdr_find(&sec, "B") == NULL, "count and find");
	sbuf_free(&m);
}

int
main(void)
{
	T_SUITE("hdr");
	T_RUN(test_put);
	T_RUN(test_text);
	T_RUN(test_addr);
	T_RUN(test_decode);
	T_RUN(test_parse_data);
	T_RUN(test_parse_limits);
	return t_done("hdr");
}
