/*
 * mime_test.c - message composition of app/mail/mime.c: transfer-encoding
 * choice, quoted-printable soft breaks (RFC 2045 §6.7), base64 76-column
 * lines (§6.8), dates (RFC 5322 §3.3), multipart/alternative order
 * (RFC 2046 §5.1.4), ISO-2022-JP bodies (RFC 1468), List-Unsubscribe-Post
 * (RFC 8058), line limits, and refusals.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "t.h"
#include "../../app/core/arena.h"
#include "../../app/core/err.h"
#include "../../app/core/sbuf.h"
#include "../../app/mail/charset.h"
#include "../../app/mail/hdr.h"
#include "../../app/mail/mime.h"

/* Lines end in CRLF, no bare CR/LF or NUL; header lines <= hmax, body
 * lines <= bmax. */
static int
lines_ok(const char *p, size_t n, size_t hmax, size_t bmax)
{
	size_t	 i, col = 0, max = hmax;

	for (i = 0; i < n; i++) {
		if (p[i] == '\r') {
			if (i + 1 >= n || p[i + 1] != '\n')
				return 0;
			if (col == 0)
				max = bmax;	/* blank line: body follows */
			i++;
			col = 0;
			continue;
		}
		if (p[i] == '\n' || p[i] == '\0')
			return 0;
		if (++col > max)
			return 0;
	}
	return 1;
}

static int
hexv(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes quoted-printable; -1 on a malformed escape. */
static int
qp_decode(const char *p, size_t n, struct sbuf *out)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (p[i] != '=') {
			sbuf_putc(out, p[i]);
			continue;
		}
		if (i + 2 < n && p[i + 1] == '\r' && p[i + 2] == '\n') {
			i += 2;		/* soft line break */
			continue;
		}
		if (i + 2 >= n || hexv(p[i + 1]) < 0 || hexv(p[i + 2]) < 0)
			return -1;
		sbuf_putc(out, (char)(hexv(p[i + 1]) * 16 + hexv(p[i + 2])));
		i += 2;
	}
	return 0;
}

static int
b64_decode(const char *p, size_t n, struct sbuf *out)
{
	EVP_ENCODE_CTX	*c = EVP_ENCODE_CTX_new();
	unsigned char	 buf[8192];
	int		 ol = 0, rc = 0;

	if (n > 6000)
		return -1;
	EVP_DecodeInit(c);
	if (EVP_DecodeUpdate(c, buf, &ol, (const unsigned char *)p, (int)n)
	    < 0)
		rc = -1;
	sbuf_put(out, buf, (size_t)ol);
	if (EVP_DecodeFinal(c, buf, &ol) < 0)
		rc = -1;
	sbuf_put(out, buf, (size_t)ol);
	EVP_ENCODE_CTX_free(c);
	return rc;
}

/* CRLF form of s. */
static void
crlf(const char *s, struct sbuf *out)
{
	size_t	 i, n = strlen(s);

	for (i = 0; i < n; i++) {
		if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
			sbuf_putc(out, '\r');
		sbuf_putc(out, s[i]);
	}
}

static void
test_cte(void)
{
	static const struct {
		const char	*name, *in;
		enum mime_cte	 want;
	} cases[] = {
		{ "short ascii", "Hello\nworld\n", MIME_CTE_7BIT },
		{ "empty", "", MIME_CTE_7BIT },
		{ "mostly ascii", "Hello, café people, this is a long "
		  "English text with one accent.\n", MIME_CTE_QP },
		{ "japanese", "こんにちは、世界。今日は良い天気です。",
		  MIME_CTE_BASE64 },
		{ "control char", "bell\a here", MIME_CTE_QP },
		{ "long ascii line", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		  "x"
		  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		  MIME_CTE_QP },
	};
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		T_OK(mime_choose_cte(cases[i].in, strlen(cases[i].in)) ==
		    cases[i].want, "cte for %s", cases[i].name);
}

/* The choice as first written, byte by byte: the reference that the
 * word-at-a-time scan must agree with. */
static enum mime_cte
cte_reference(const char *p, size_t n)
{
	size_t		 k, len = 0, high = 0, maxline = 0;
	unsigned char	 c;

	for (k = 0; k < n; k++) {
		c = (unsigned char)p[k];
		if (c == '\n') {
			len = 0;
			continue;
		}
		high += c >= 0x80 || (c < 0x20 && c != '\t' && c != '\r') ||
		    c == 0x7f;
		len = c == '\r' ? 0 : len + 1;
		if (len > maxline)
			maxline = len;
	}
	if (high == 0 && maxline <= MIME_7BIT_LINE)
		return MIME_CTE_7BIT;
	if (high * 6 < n)
		return MIME_CTE_QP;
	return MIME_CTE_BASE64;
}

static void
test_cte_random(void)
{
	/* bytes near every boundary the scan tests, plus plain text */
	static const unsigned char pick[] = { 0x00, 0x08, 0x09, 0x0a, 0x0b,
	    0x0c, 0x0d, 0x0e, 0x1f, 0x20, 0x21, 0x5f, 0x60, 0x7e, 0x7f, 0x80,
	    0x81, 0x9f, 0xa0, 0xdf, 0xe0, 0xff };
	char		 buf[1200];
	unsigned	 seed = 12345, bad = 0, r;
	size_t		 i, n, k;

	for (i = 0; i < 4000; i++) {
		n = (size_t)(i % 1200);
		for (k = 0; k < n; k++) {
			seed = seed * 1103515245u + 12345u;
			r = (seed >> 16) % 100;
			/* mostly text, some rare bytes, long lines now and
			 * then so that the 998 limit is met both ways */
			buf[k] = r < 90 ? (char)('a' + r % 26) :
			    r < 95 && i % 7 != 0 ? '\n' :
			    (char)pick[(seed >> 8) % sizeof(pick)];
		}
		if (mime_choose_cte(buf, n) != cte_reference(buf, n))
			bad++;
	}
	T_OK(bad == 0, "word-at-a-time choice agrees with the byte loop "
	    "on 4000 random bodies (%u differ)", bad);
}

static void
test_qp(void)
{
	static const struct {
		const char	*in, *want;
	} cases[] = {
		{ "a=b", "a=3Db\r\n" },
		{ "caf\xc3\xa9\n", "caf=C3=A9\r\n" },
		{ "trailing \nspace\t\n", "trailing=20\r\nspace=09\r\n" },
		{ "end space ", "end space=20\r\n" },
		{ "cr\r\nlf\nend", "cr\r\nlf\r\nend\r\n" },
		{ ".dot\n", ".dot\r\n" },
	};
	char		 longl[400];
	struct sbuf	 b, d, w;
	size_t		 i;

	sbuf_init(&b, NULL, 0);
	sbuf_init(&d, NULL, 0);
	sbuf_init(&w, NULL, 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sbuf_reset(&b);
		mime_put_qp(&b, cases[i].in, strlen(cases[i].in));
		T_STREQ(b.p, cases[i].want, "qp case");
	}
	/* soft line breaks: 76 columns, and they decode away */
	for (i = 0; i < sizeof(longl) - 1; i++)
		longl[i] = i % 7 == 0 ? '=' : (char)('a' + i % 26);
	longl[sizeof(longl) - 1] = '\0';
	sbuf_reset(&b);
	mime_put_qp(&b, longl, strlen(longl));
	T_OK(lines_ok(b.p, b.len, MIME_QP_LINE, MIME_QP_LINE),
	    "qp lines within 76");
	T_OK(memmem(b.p, b.len, "=\r\n", 3) != NULL, "soft breaks used");
	sbuf_reset(&d);
	T_OK(qp_decode(b.p, b.len, &d) == 0 && d.len == strlen(longl) + 2 &&
	    memcmp(d.p, longl, strlen(longl)) == 0, "qp round trip");
	/* a Japanese line in QP never breaks inside an =XX escape */
	sbuf_reset(&b);
	mime_put_qp(&b, "日本語の長い行です。日本語の長い行です。日本語の長い行"
	    "です。", strlen("日本語の長い行です。") * 3);
	T_OK(lines_ok(b.p, b.len, MIME_QP_LINE, MIME_QP_LINE), "qp "
	    "japanese within 76");
	sbuf_reset(&d);
	T_OK(qp_decode(b.p, b.len, &d) == 0 && charset_is_utf8(d.p, d.len),
	    "qp japanese decodes to UTF-8");
	sbuf_free(&b);
	sbuf_free(&d);
	sbuf_free(&w);
}

static void
test_base64(void)
{
	const char	*in = "こんにちは、世界。\nこれは base64 の本文です。\n"
			    "二行目。三行目。四行目。五行目。\n";
	struct sbuf	 b, d, w;

	sbuf_init(&b, NULL, 0);
	sbuf_init(&d, NULL, 0);
	sbuf_init(&w, NULL, 0);
	mime_put_base64(&b, in, strlen(in));
	T_OK(lines_ok(b.p, b.len, MIME_B64_LINE, MIME_B64_LINE),
	    "base64 lines within 76");
	T_OK(b.len > 78 && memcmp(b.p + 76, "\r\n", 2) == 0,
	    "first line exactly 76");
	crlf(in, &w);
	T_OK(b64_decode(b.p, b.len, &d) == 0 && d.len == w.len &&
	    memcmp(d.p, w.p, w.len) == 0, "base64 of the CRLF form");
	sbuf_reset(&b);
	mime_put_base64(&b, "a", 1);
	T_STREQ(b.p, "YQ==\r\n", "padding");
	sbuf_free(&b);
	sbuf_free(&d);
	sbuf_free(&w);
}

static void
test_date(void)
{
	struct sbuf	 b;

	sbuf_init(&b, NULL, 0);
	mime_put_date(&b, 0);
	T_STREQ(b.p, "Thu, 1 Jan 1970 00:00:00 +0000", "epoch");
	sbuf_reset(&b);
	mime_put_date(&b, 1796000000);
	T_STREQ(b.p, "Mon, 30 Nov 2026 00:53:20 +0000", "2026");
	sbuf_free(&b);
}

static void
base_msg(struct mime_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->from_name = STR_LIT("Tegami News");
	m->from_addr = STR_LIT("news@example.org");
	m->to_name = str_from("山田 太郎");
	m->to_addr = STR_LIT("taro@example.jp");
	m->subject = str_from("【重要】11月のお知らせ");
	m->text = str_from("山田様\nこんにちは。\n");
	m->html = str_from("<p>山田様</p>\n");
	m->date = 1796000000;
}

/* The header section of msg, parsed. */
static struct hdr_section sec;

static const char *
field(const char *msg, size_t n, const char *name, char *buf, size_t bn)
{
	const struct hdr_field *f;
	struct err	 e;

	if (hdr_parse(msg, n, &sec, &e) == -1 ||
	    (f = hdr_find(&sec, name)) == NULL)
		return "";
	snprintf(buf, bn, "%.*s", (int)str_trim(f->value).n,
	    str_trim(f->value).p);
	return buf;
}

/* No byte >= 0x80 anywhere: build.c tells the engine so (no BODY=8BITMIME
 * scan per message), whatever the text and names hold. */
static bool
all_7bit(const struct sbuf *b)
{
	size_t	 k;

	for (k = 0; k < b->len; k++)
		if ((unsigned char)b->p[k] >= 0x80)
			return false;
	return b->len > 0;
}

static void
test_build(void)
{
	static const struct mime_header extra[] = {
		{ { "X-Campaign", 10 }, { "c-42", 4 } },
		{ { "X-Note", 6 }, { "日本語の注記", 18 } },
	};
	struct arena	*a = arena_new(0);
	struct mime_msg	 m;
	struct sbuf	 b;
	struct err	 e;
	char		 id[MIME_MSGID_MAX], v[512];
	const char	*t, *h;

	base_msg(&m);
	m.unsub_url = STR_LIT("https://example.org/u/x?a=1");
	m.unsub_mailto = STR_LIT("unsub@example.org");
	m.unsub_post = true;
	m.feedback_id = STR_LIT("42:c:tegami");
	m.reply_to = STR_LIT("help@example.org");
	m.extra = extra;
	m.nextra = 2;
	sbuf_init(&b, a, 0);
	T_OK(mime_build(&m, &b, id, &e) == 0, "multipart builds: %s", e.msg);
	T_OK(lines_ok(b.p, b.len, 78, 998), "headers <= 78, body <= 998, "
	    "CRLF only");
	T_OK(all_7bit(&b), "Japanese names, subject, header and body: the "
	    "message is 7-bit");
	T_OK(strncmp(id, "<", 1) == 0 && strstr(id, "@example.org>") &&
	    strlen(id) == 1 + 32 + 13, "Message-ID <random@domain>: %s", id);
	T_STREQ(field(b.p, b.len, "Message-ID", v, sizeof(v)), id,
	    "Message-ID in the header");
	T_STREQ(field(b.p, b.len, "Date", v, sizeof(v)),
	    "Mon, 30 Nov 2026 00:53:20 +0000", "Date");
	T_STREQ(field(b.p, b.len, "MIME-Version", v, sizeof(v)), "1.0",
	    "MIME-Version");
	T_STREQ(field(b.p, b.len, "List-Unsubscribe", v, sizeof(v)),
	    "<mailto:unsub@example.org>, <https://example.org/u/x?a=1>",
	    "List-Unsubscribe");
	T_STREQ(field(b.p, b.len, "List-Unsubscribe-Post", v, sizeof(v)),
	    "List-Unsubscribe=One-Click", "List-Unsubscribe-Post");
	T_STREQ(field(b.p, b.len, "Feedback-ID", v, sizeof(v)), "42:c:tegami",
	    "Feedback-ID");
	T_STREQ(field(b.p, b.len, "Reply-To", v, sizeof(v)),
	    "help@example.org", "Reply-To");
	T_STREQ(field(b.p, b.len, "X-Campaign", v, sizeof(v)), "c-42",
	    "extra header");
	T_OK(strstr(field(b.p, b.len, "X-Note", v, sizeof(v)), "=?UTF-8?B?")
	    != NULL, "8-bit extra header encoded");
	T_OK(strstr(field(b.p, b.len, "Content-Type", v, sizeof(v)),
	    "multipart/alternative;") != NULL, "multipart/alternative");
	t = strstr(b.p, "Content-Type: text/plain; charset=UTF-8");
	h = strstr(b.p, "Content-Type: text/html; charset=UTF-8");
	T_OK(t != NULL && h != NULL && t < h, "text part before HTML part");
	T_OK(strstr(b.p, "Content-Transfer-Encoding: base64") != NULL,
	    "Japanese body in base64");
	T_OK(b.len > 9 && memcmp(b.p + b.len - 4, "--\r\n", 4) == 0,
	    "closing boundary last");

	/* reuse of a stored Message-ID (retries) */
	sbuf_reset(&b);
	m.message_id = STR_LIT("<kept.1@example.org>");
	T_OK(mime_build(&m, &b, id, &e) == 0 &&
	    strcmp(id, "<kept.1@example.org>") == 0, "Message-ID reused");
	m.message_id = STR_NULL;

	/* single parts */
	base_msg(&m);
	m.html = STR_NULL;
	m.text = STR_LIT("Hello,\nplain ASCII.\n");
	m.subject = STR_LIT("Plain");
	sbuf_reset(&b);
	T_OK(mime_build(&m, &b, NULL, &e) == 0 &&
	    strstr(b.p, "multipart") == NULL &&
	    strstr(b.p, "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: 7bit\r\n\r\nHello,\r\nplain ASCII.\r\n")
	    != NULL, "text only, 7bit");
	base_msg(&m);
	m.text = STR_NULL;
	sbuf_reset(&b);
	T_OK(mime_build(&m, &b, NULL, &e) == 0 &&
	    strstr(b.p, "multipart") == NULL &&
	    strstr(b.p, "text/html") != NULL, "HTML only");
	m.html = STR_NULL;
	sbuf_reset(&b);
	T_OK(mime_build(&m, &b, NULL, &e) == 0 && strstr(b.p, "text/plain"),
	    "no body: empty text part");
	arena_free(a);
}

static void
test_long_lines(void)
{
	struct mime_msg	 m;
	struct sbuf	 b, body;
	struct err	 e;
	char		 line[3000];
	size_t		 i;

	for (i = 0; i < sizeof(line) - 1; i++)
		line[i] = (char)('a' + i % 26);
	line[sizeof(line) - 1] = '\0';
	base_msg(&m);
	m.html = STR_NULL;
	m.text = str_from(line);
	sbuf_init(&b, NULL, 0);
	T_OK(mime_build(&m, &b, NULL, &e) == 0 &&
	    lines_ok(b.p, b.len, 78, 76) &&
	    strstr(b.p, "quoted-printable") != NULL,
	    "3000-octet ASCII line goes QP within 76");
	/* ISO-2022-JP: a very long line goes base64 to stay within 998 */
	sbuf_init(&body, NULL, 0);
	for (i = 0; i < 400; i++)
		sbuf_puts(&body, "日本");
	m.text = sbuf_str(&body);
	m.charset = MIME_CS_ISO2022JP;
	m.subject = str_from("お知らせ");
	sbuf_reset(&b);
	T_OK(mime_build(&m, &b, NULL, &e) == 0 &&
	    lines_ok(b.p, b.len, 78, 998) &&
	    strstr(b.p, "charset=ISO-2022-JP\r\nContent-Transfer-Encoding: "
	    "base64") != NULL, "long ISO-2022-JP line goes base64");
	sbuf_free(&b);
	sbuf_free(&body);
}

static void
test_iso2022jp(void)
{
	struct mime_msg	 m;
	struct sbuf	 b, want;
	struct err	 e;
	const char	*body;

	base_msg(&m);
	m.charset = MIME_CS_ISO2022JP;
	m.html = STR_NULL;
	m.text = str_from("「こんにちは、世界」\n");
	sbuf_init(&b, NULL, 0);
	sbuf_init(&want, NULL, 0);
	T_OK(mime_build(&m, &b, NULL, &e) == 0, "ISO-2022-JP builds: %s",
	    e.msg);
	T_OK(strstr(b.p, "Content-Type: text/plain; charset=ISO-2022-JP\r\n"
	    "Content-Transfer-Encoding: 7bit\r\n") != NULL, "7bit ISO-2022-JP");
	T_OK(strstr(b.p, "Subject: =?ISO-2022-JP?B?") != NULL &&
	    strstr(b.p, "To: =?ISO-2022-JP?B?") != NULL,
	    "ISO-2022-JP encoded-words");
	body = strstr(b.p, "\r\n\r\n");
	sbuf_puts(&want, "\x1b$B!V$3$s$K$A$O!\"@$3&!W\x1b(B\r\n");
	T_OK(body != NULL && strcmp(body + 4, want.p) == 0,
	    "body bytes are iconv's");
	T_OK(lines_ok(b.p, b.len, 78, 998), "ISO-2022-JP lines ok");
	T_OK(all_7bit(&b), "ISO-2022-JP message is 7-bit");

	m.text = str_from("半角ｶﾀｶﾅ\n");
	sbuf_reset(&b);
	T_OK(mime_build(&m, &b, NULL, &e) == -1 && e.kind == ERR_INPUT &&
	    strstr(e.msg, "U+FF76") != NULL && strcmp(e.field, "plain") == 0,
	    "half-width katakana refused: %s", e.msg);
	m.text = str_from("ok");
	m.subject = str_from("①お知らせ");
	T_OK(mime_build(&m, &b, NULL, &e) == -1 &&
	    strstr(e.msg, "U+2460") != NULL && strstr(e.msg, "Subject"),
	    "circled digit in subject refused: %s", e.msg);
	sbuf_free(&b);
	sbuf_free(&want);
}

static void
test_refusals(void)
{
	static const struct mime_header bad_name[] = {
		{ { "Bcc", 3 }, { "x@example.org", 13 } } };
	static const struct mime_header bad_value[] = {
		{ { "X-A", 3 }, { "a\r\nBcc: x@y.org", 16 } } };
	static const struct mime_header bad_from[] = {
		{ { "from", 4 }, { "x@example.org", 13 } } };
	struct mime_msg	 m;
	struct sbuf	 b;
	struct err	 e;
	int		 i;

	sbuf_init(&b, NULL, 0);
	for (i = 0; i < 14; i++) {
		const char *why = "";

		base_msg(&m);
		switch (i) {
		case 0:
			m.subject = STR_LIT("Hi\r\nBcc: victim@example.net");
			why = "CRLF in Subject";
			break;
		case 1:
			m.to_name = STR_LIT("Eve\nBcc: x@y.org");
			why = "LF in display name";
			break;
		case 2:
			m.from_addr = STR_LIT("not-an-address");
			why = "bad From address";
			break;
		case 3:
			m.to_addr = STR_LIT("a@b.org>\r\nX: y");
			why = "CRLF in To address";
			break;
		case 4:
			m.text = STR_LIT("caf\xe9");
			why = "Latin-1 body";
			break;
		case 5:
			m.html = (struct str){ "a\0b", 3 };
			why = "NUL in body";
			break;
		case 6:
			m.unsub_mailto = STR_LIT("u@example.org");
			m.unsub_post = true;
			why = "one-click without https URL";
			break;
		case 7:
			m.unsub_url = STR_LIT("http://example.org/u");
			m.unsub_post = true;
			why = "one-click with http URL";
			break;
		case 8:
			m.extra = bad_name;
			m.nextra = 1;
			why = "reserved extra header";
			break;
		case 9:
			m.extra = bad_value;
			m.nextra = 1;
			why = "CRLF in extra header";
			break;
		case 10:
			m.message_id = STR_LIT("no-brackets@example.org");
			why = "bad Message-ID";
			break;
		case 11:
			m.unsub_url = STR_LIT("https://x.org/a b");
			why = "space in unsubscribe URL";
			break;
		case 12:
			m.extra = bad_from;
			m.nextra = 1;
			why = "From as extra header (any case)";
			break;
		case 13:
			m.feedback_id = (struct str){ "a\0b", 3 };
			why = "NUL in Feedback-ID";
			break;
		}
		sbuf_reset(&b);
		err_clear(&e);
		T_OK(mime_build(&m, &b, NULL, &e) == -1 && e.msg[0] != '\0' &&
		    b.len == 0, "refuses %s: %s", why, e.msg);
	}
	sbuf_free(&b);
}

/*
 * Whole messages compared byte for byte with tests/data/mime/NAME.want
 * (single parts: the boundary is random). TEGAMI_WRITE_GOLDEN=1 rewrites
 * the files instead; read them before committing.
 */
static void
test_golden(void)
{
	static const struct mime_header extra[] = {
		{ { "X-Campaign", 10 }, { "c-7", 3 } } };
	static const struct {
		const char		*name, *from_name, *to_name, *subject;
		const char		*text, *html, *unsub;
		enum mime_charset	 cs;
	} cases[] = {
		{ "ascii-7bit", "Tegami News", "", "Monthly news",
		  "Hello,\nplain ASCII.\n", NULL, NULL, MIME_CS_UTF8 },
		{ "qp-accents", "Café Tegami", "Zoë", "Café au lait",
		  "Café au lait, crème brûlée: a mostly English text with "
		  "a few accents and a line long enough to need a soft "
		  "line break in quoted-printable.\nx = y \n", NULL, NULL,
		  MIME_CS_UTF8 },
		{ "base64-japanese", "テガミ", "山田 太郎",
		  "【重要】ご登録内容の確認のお願い",
		  "山田様\n\nいつもご利用ありがとうございます。\n", NULL, NULL,
		  MIME_CS_UTF8 },
		{ "iso2022jp", "テガミ", "山田 太郎", "こんにちは",
		  "「こんにちは、世界」\n二行目\n", NULL, NULL,
		  MIME_CS_ISO2022JP },
		{ "html-unsubscribe", "Tegami", "", "News",
		  NULL, "<p>Hello</p>\n", "https://example.org/u/abc",
		  MIME_CS_UTF8 },
	};
	const char	*src = getenv("TEGAMI_SRC");
	bool		 write = getenv("TEGAMI_WRITE_GOLDEN") != NULL;
	char		 path[1024], want[8192];
	struct mime_msg	 m;
	struct sbuf	 b;
	struct err	 e;
	size_t		 i, n;
	FILE		*fp;

	sbuf_init(&b, NULL, 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&m, 0, sizeof(m));
		m.from_name = str_from(cases[i].from_name);
		m.from_addr = STR_LIT("news@example.org");
		m.to_name = str_from(cases[i].to_name);
		m.to_addr = STR_LIT("taro@example.jp");
		m.subject = str_from(cases[i].subject);
		m.text = str_from(cases[i].text);
		m.html = str_from(cases[i].html);
		m.charset = cases[i].cs;
		m.date = 1796000000;
		m.message_id = STR_LIT("<golden.1@example.org>");
		if (cases[i].unsub != NULL) {
			m.unsub_url = str_from(cases[i].unsub);
			m.unsub_mailto = STR_LIT("unsubscribe@example.org");
			m.unsub_post = true;
			m.feedback_id = STR_LIT("7:c:tegami");
			m.extra = extra;
			m.nextra = 1;
		}
		sbuf_reset(&b);
		T_OK(mime_build(&m, &b, NULL, &e) == 0, "%s builds",
		    cases[i].name);
		snprintf(path, sizeof(path), "%s%stests/data/mime/%s.want",
		    src ? src : "", src ? "/" : "", cases[i].name);
		if (write && (fp = fopen(path, "wb")) != NULL) {
			fwrite(b.p, 1, b.len, fp);
			fclose(fp);
		}
		n = 0;
		if ((fp = fopen(path, "rb")) != NULL) {
			n = fread(want, 1, sizeof(want) - 1, fp);
			fclose(fp);
		}
		want[n] = '\0';
		T_STREQ(b.p, want, cases[i].name);
	}
	sbuf_free(&b);
}

static void
test_speed(void)
{
	struct arena	*a = arena_new(0);
	struct mime_msg	 m;
	struct sbuf	 b;
	struct err	 e;
	struct timespec	 t0, t1;
	char		 text[3000];
	int		 i, ok = 1, n = 2000;
	double		 s;

	static const char line[] = "Dear customer, this is a line of the "
	    "newsletter.\n";

	memset(text, 0, sizeof(text));
	for (i = 0; i < 55; i++)
		memcpy(text + i * (sizeof(line) - 1), line, sizeof(line) - 1);
	base_msg(&m);
	m.text = str_from(text);
	m.unsub_url = STR_LIT("https://example.org/u/abcdef");
	m.unsub_post = true;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n && ok; i++) {
		arena_reset(a);
		sbuf_init(&b, a, 0);
		ok = mime_build(&m, &b, NULL, &e) == 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	/* a figure for the log, not a pass condition */
	T_OK(ok, "%d messages of ~3 KB built (%.0f messages/s)", n,
	    s > 0 ? n / s : 0.0);
	arena_free(a);
}

int
main(void)
{
	T_SUITE("mime");
	T_RUN(test_cte);
	T_RUN(test_cte_random);
	T_RUN(test_qp);
	T_RUN(test_base64);
	T_RUN(test_date);
	T_RUN(test_build);
	T_RUN(test_long_lines);
	T_RUN(test_iso2022jp);
	T_RUN(test_refusals);
	T_RUN(test_golden);
	T_RUN(test_speed);
	return t_done("mime");
}
