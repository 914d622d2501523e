/*
 * hdr.c - header fields: folding (RFC 5322 §2.2.3), encoded-words
 * (RFC 2047 §2-§6, B encoding; Q decoded too), ISO-2022-JP words
 * (RFC 1468 §4), and the header-section parser used by DKIM
 * (RFC 6376 §3.4, §5.4). Values come from templates and subscriber data,
 * so every byte is checked before it is written.
 */
#include <string.h>
#include <strings.h>

#include "../core/err.h"
#include "../core/sbuf.h"
#include "addr.h"
#include "charset.h"
#include "hdr.h"

#define UTF8_WORD_RAW	45	/* 60 base64 chars + 12 = 72 <= 75 */
#define JIS_WORD_RAW	42	/* 56 base64 chars + 18 = 74 <= 75 */
#define PLAIN_WORD_MAX	70	/* longer plain words are encoded to fold */

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
hdr_b64(struct sbuf *out, const void *v, size_t n)
{
	const unsigned char	*p = v;
	char			 q[4];
	size_t			 i;

	for (i = 0; i + 3 <= n; i += 3) {
		q[0] = b64chars[p[i] >> 2];
		q[1] = b64chars[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
		q[2] = b64chars[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)];
		q[3] = b64chars[p[i + 2] & 63];
		sbuf_put(out, q, 4);
	}
	if (n - i == 1) {
		q[0] = b64chars[p[i] >> 2];
		q[1] = b64chars[(p[i] & 3) << 4];
		q[2] = q[3] = '=';
		sbuf_put(out, q, 4);
	} else if (n - i == 2) {
		q[0] = b64chars[p[i] >> 2];
		q[1] = b64chars[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
		q[2] = b64chars[(p[i + 1] & 15) << 2];
		q[3] = '=';
		sbuf_put(out, q, 4);
	}
}

static bool
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

bool
hdr_name_valid(struct str name)
{
	size_t	 i;

	if (name.n == 0 || name.n > HDR_NAME_MAX)
		return false;
	for (i = 0; i < name.n; i++)
		if (name.p[i] < 33 || name.p[i] > 126 || name.p[i] == ':')
			return false;
	return true;
}

/*
 * The folding writer: tokens go on the current line while it stays within
 * HDR_LINE_SOFT columns; otherwise a CRLF goes before the token's leading
 * white space (RFC 5322 §2.2.3 folds only at WSP).
 */
struct fold {
	struct sbuf	*out;
	size_t		 col;		/* octets on the current line */
	struct err	*e;
	int		 rc;
};

static void
fold_begin(struct fold *f, struct sbuf *out, const char *name,
    struct err *e)
{
	f->out = out;
	f->e = e;
	f->rc = 0;
	sbuf_puts(out, name);
	sbuf_putc(out, ':');
	f->col = strlen(name) + 1;
}

/* Appends white space sep then token t, folding before sep if needed. */
static void
fold_tok(struct fold *f, const char *sep, size_t sn, const char *t,
    size_t tn)
{
	if (f->rc == -1)
		return;
	if (sn == 0) {
		sep = " ";
		sn = 1;
	}
	/* fold when it helps: the token fits a fresh line, or must move */
	if (f->col > 0 && f->col + sn + tn > HDR_LINE_SOFT &&
	    (sn + tn <= HDR_LINE_SOFT || f->col + sn + tn > HDR_LINE_MAX)) {
		sbuf_put(f->out, "\r\n", 2);
		f->col = 0;
	}
	if (f->col + sn + tn > HDR_LINE_MAX) {
		f->rc = err_set(f->e, ERR_INPUT, "header line would exceed "
		    "%d octets", HDR_LINE_MAX);
		return;
	}
	sbuf_put(f->out, sep, sn);
	sbuf_put(f->out, t, tn);
	f->col += sn + tn;
}

static int
fold_end(struct fold *f)
{
	if (f->rc == -1)
		return -1;
	sbuf_put(f->out, "\r\n", 2);
	if (sbuf_failed(f->out))
		return err_set(f->e, ERR_TOO_LARGE, "message too large");
	return 0;
}

static int
check_name(const char *name, struct err *e)
{
	if (!hdr_name_valid(str_from(name)))
		return err_set(e, ERR_INPUT, "invalid header name \"%.40s\"",
		    name);
	return 0;
}

static int
check_value(const char *name, struct str v, struct err *e)
{
	if (v.n > HDR_VALUE_MAX)
		return err_field(e, ERR_TOO_LARGE, name, "%s: value too long",
		    name);
	if (!str_is_header_safe(v))
		return err_field(e, ERR_INPUT, name, "%s: CR, LF or NUL in a "
		    "header value", name);
	return 0;
}

int
hdr_put(struct sbuf *out, const char *name, struct str v, struct err *e)
{
	struct fold	 f;
	size_t		 i, ws, w;

	if (check_name(name, e) == -1 || check_value(name, v, e) == -1)
		return -1;
	v = str_trim(v);
	for (i = 0; i < v.n; i++) {
		unsigned char c = (unsigned char)v.p[i];

		if ((c < 0x20 && c != '\t') || c >= 0x7f)
			return err_field(e, ERR_INPUT, name, "%s: only "
			    "printable ASCII is allowed here", name);
	}
	fold_begin(&f, out, name, e);
	i = 0;
	while (i < v.n) {
		ws = i;
		while (i < v.n && is_wsp(v.p[i]))
			i++;
		w = i;
		while (i < v.n && !is_wsp(v.p[i]))
			i++;
		fold_tok(&f, v.p + ws, w - ws, v.p + w, i - w);
	}
	return fold_end(&f);
}

/* Bytes of a prefix of p (n) that is whole characters and <= max bytes. */
static size_t
utf8_prefix(const char *p, size_t n, size_t max)
{
	size_t	 i = 0, k;

	while (i < n) {
		k = (unsigned char)p[i] < 0x80 ? 1 :
		    charset_utf8_next(p + i, n - i, NULL);
		if (k == 0)
			k = 1;		/* validated before; be safe */
		if (i + k > max)
			break;
		i += k;
	}
	return i;
}

/*
 * A conservative estimate of the ISO-2022-JP length of whole characters of
 * p, mode switches (3 octets) and the final return to ASCII included; the
 * prefix of p whose estimate stays within max.
 */
static size_t
jis_prefix(const char *p, size_t n, size_t max)
{
	size_t	 i = 0, k, len = 0, add;
	bool	 jis = false;

	while (i < n) {
		if ((unsigned char)p[i] < 0x80) {
			k = 1;
			add = (jis ? 3 : 0) + 1;
			jis = false;
		} else {
			k = charset_utf8_next(p + i, n - i, NULL);
			if (k == 0)
				k = 1;
			add = (jis ? 0 : 3) + 2;
			jis = true;
		}
		if (len + add + (jis ? 3 : 0) > max)
			break;
		len += add;
		i += k;
	}
	return i;
}

/*
 * Raw octets one encoded-word may carry when it must fit in avail columns
 * (its white space excluded); 0 when not even one group fits.
 */
static size_t
word_budget(size_t avail, enum hdr_charset cs)
{
	size_t	 over = cs == HDR_CS_ISO2022JP ? 18 : 12;
	size_t	 cap = cs == HDR_CS_ISO2022JP ? JIS_WORD_RAW : UTF8_WORD_RAW;
	size_t	 raw;

	if (avail > HDR_WORD_MAX)
		avail = HDR_WORD_MAX;
	if (avail < over + 4)
		return 0;
	raw = (avail - over) / 4 * 3;
	return raw > cap ? cap : raw;
}

/* An sbuf over caller memory: max < cap, so it never reallocates; not to
 * be passed to sbuf_free(). */
static void
fixed_sbuf(struct sbuf *b, char *mem, size_t size)
{
	sbuf_init(b, NULL, size - 1);
	b->p = mem;
	b->cap = size;
	mem[0] = '\0';
}

/* Writes text (UTF-8) as one or more encoded-words, the first after sep. */
static int
put_words(struct fold *f, const char *sep, size_t sn, struct str text,
    enum hdr_charset cs)
{
	struct sbuf	 word, jis;
	char		 wbuf[HDR_WORD_MAX + 8], jbuf[JIS_WORD_RAW * 2 + 16];
	size_t		 i = 0, k, budget, min;
	const char	*pre = cs == HDR_CS_ISO2022JP ? "=?ISO-2022-JP?B?" :
			    "=?UTF-8?B?";

	while (i < text.n && f->rc == 0) {
		/* fill the current line when a useful word still fits */
		budget = f->col + (sn ? sn : 1) < HDR_LINE_SOFT ?
		    word_budget(HDR_LINE_SOFT - f->col - (sn ? sn : 1), cs) :
		    0;
		min = cs == HDR_CS_ISO2022JP ? 9 : 6;
		if (budget < min)
			budget = word_budget(HDR_LINE_SOFT - 1, cs);
		/* a word lives on the stack: no allocation per word */
		fixed_sbuf(&word, wbuf, sizeof(wbuf));
		sbuf_puts(&word, pre);
		if (cs == HDR_CS_ISO2022JP) {
			k = jis_prefix(text.p + i, text.n - i, budget);
			if (k == 0)
				k = utf8_prefix(text.p + i, text.n - i, 4);
			if (k == 0)
				k = 1;
			fixed_sbuf(&jis, jbuf, sizeof(jbuf));
			if (charset_to_iso2022jp(text.p + i, k, &jis, f->e)
			    == -1)
				return f->rc = -1;
			hdr_b64(&word, jis.p, jis.len);
		} else {
			k = utf8_prefix(text.p + i, text.n - i, budget);
			if (k == 0)
				k = utf8_prefix(text.p + i, text.n - i, 4);
			if (k == 0)
				k = 1;
			hdr_b64(&word, text.p + i, k);
		}
		sbuf_put(&word, "?=", 2);
		if (sbuf_failed(&word))
			return f->rc = err_set(f->e, ERR_ENV, "encoded-word "
			    "too long");
		fold_tok(f, sep, sn, word.p, word.len);
		sep = " ";
		sn = 1;
		i += k;
	}
	return f->rc;
}

static bool
word_needs_encoding(const char *p, size_t n)
{
	size_t	 i;

	if (n > PLAIN_WORD_MAX)
		return true;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c >= 0x7f || c < 0x20)
			return true;
		/* RFC 2047 §5: plain text must not look like a word */
		if (c == '=' && i + 1 < n && p[i + 1] == '?')
			return true;
	}
	return false;
}

static int
check_text(const char *name, struct str v, enum hdr_charset cs,
    struct err *e)
{
	if (check_name(name, e) == -1 || check_value(name, v, e) == -1)
		return -1;
	if ((int)cs < 0 || cs >= HDR_CS__MAX)
		return err_set(e, ERR_INPUT, "unknown header charset");
	if (!charset_is_utf8(v.p, v.n))
		return err_field(e, ERR_INPUT, name, "%s: text is not valid "
		    "UTF-8", name);
	if (cs == HDR_CS_ISO2022JP && !charset_is_ascii(v.p, v.n)) {
		struct sbuf	 tmp;
		char		 why[ERR_MSG_MAX];
		int		 rc;

		/* find the first unwritable character once, up front */
		sbuf_init(&tmp, NULL, 0);
		rc = charset_to_iso2022jp(v.p, v.n, &tmp, e);
		sbuf_free(&tmp);
		if (rc == -1) {
			memcpy(why, e->msg, sizeof(why));
			return err_field(e, e->kind, name, "%s: %s", name,
			    why);
		}
	}
	return 0;
}

/* Writes UTF-8 text as plain words and encoded runs (see hdr.h). */
static void
put_text(struct fold *f, struct str v, enum hdr_charset cs)
{
	size_t		 i = 0, ws, w, run_ws = 0, run_start = 0, run_end = 0;
	bool		 in_run = false;

	v = str_trim(v);
	while (i <= v.n && f->rc == 0) {
		ws = i;
		while (i < v.n && is_wsp(v.p[i]))
			i++;
		w = i;
		while (i < v.n && !is_wsp(v.p[i]))
			i++;
		if (w == i || !word_needs_encoding(v.p + w, i - w)) {
			if (in_run) {
				/* the run ends: encode it as one text */
				put_words(f, v.p + run_ws, run_start - run_ws,
				    (struct str){ v.p + run_start,
				    run_end - run_start }, cs);
				in_run = false;
			}
			if (w < i)
				fold_tok(f, v.p + ws, w - ws, v.p + w, i - w);
			if (i >= v.n)
				break;
			continue;
		}
		if (!in_run) {
			in_run = true;
			run_ws = ws;
			run_start = w;
		}
		run_end = i;
	}
}

int
hdr_put_text(struct sbuf *out, const char *name, struct str v,
    enum hdr_charset cs, struct err *e)
{
	struct fold	 f;

	if (check_text(name, v, cs, e) == -1)
		return -1;
	fold_begin(&f, out, name, e);
	put_text(&f, v, cs);
	return fold_end(&f);
}

static bool
phrase_plain(struct str d)
{
	size_t	 i;

	for (i = 0; i < d.n; i++) {
		unsigned char c = (unsigned char)d.p[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == ' ' ||
		    strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL)
			continue;
		return false;
	}
	return true;
}

/* True when some white-space separated word of d must be encoded. */
static bool
has_bad_word(struct str d)
{
	size_t	 i = 0, w;

	while (i < d.n) {
		while (i < d.n && is_wsp(d.p[i]))
			i++;
		w = i;
		while (i < d.n && !is_wsp(d.p[i]))
			i++;
		if (i > w && word_needs_encoding(d.p + w, i - w))
			return true;
	}
	return false;
}

int
hdr_put_addr(struct sbuf *out, const char *name, struct str display,
    struct str spec, enum hdr_charset cs, struct err *e)
{
	struct fold	 f;
	struct sbuf	 q;
	size_t		 i;
	char		 lt[ADDR_SPEC_MAX + 2];
	char		 qbuf[2 * ADDR_DISPLAY_MAX + 3];

	if (check_text(name, display, cs, e) == -1 ||
	    check_value(name, spec, e) == -1)
		return -1;
	if (!addr_spec_valid(spec))
		return err_field(e, ERR_INPUT, name, "%s: \"%.*s\" is not a "
		    "valid mail address", name,
		    (int)(spec.n > 80 ? 80 : spec.n), spec.p);
	display = str_trim(display);
	fold_begin(&f, out, name, e);
	if (display.n == 0) {
		fold_tok(&f, " ", 1, spec.p, spec.n);
		return fold_end(&f);
	}
	if (!charset_is_ascii(display.p, display.n) ||
	    has_bad_word(display)) {
		put_words(&f, " ", 1, display, cs);
	} else if (phrase_plain(display)) {
		put_text(&f, display, cs);
	} else {
		/* RFC 5322 §3.2.4 quoted-string, folded at its spaces */
		fixed_sbuf(&q, qbuf, sizeof(qbuf));
		sbuf_putc(&q, '"');
		for (i = 0; i < display.n; i++) {
			if (display.p[i] == '"' || display.p[i] == '\\')
				sbuf_putc(&q, '\\');
			sbuf_putc(&q, display.p[i]);
		}
		sbuf_putc(&q, '"');
		if (sbuf_failed(&q) ||
		    has_bad_word((struct str){ q.p, q.len }))
			put_words(&f, " ", 1, display, cs);
		else
			put_text(&f, (struct str){ q.p, q.len }, cs);
	}
	lt[0] = '<';
	memcpy(lt + 1, spec.p, spec.n);
	lt[spec.n + 1] = '>';
	fold_tok(&f, " ", 1, lt, spec.n + 2);
	return fold_end(&f);
}

/* ---- decoding (RFC 2047 §4, §6) ---- */

static int
b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decodes the encoded-text of one word into out; -1 when malformed. */
static int
word_bytes(char enc, const char *p, size_t n, struct sbuf *out)
{
	size_t		 i;
	unsigned	 acc = 0;
	int		 bits = 0, v, h, l;

	if (enc == 'B' || enc == 'b') {
		for (i = 0; i < n && p[i] != '='; i++) {
			if ((v = b64val((unsigned char)p[i])) < 0)
				return -1;
			acc = (acc << 6) | (unsigned)v;
			if ((bits += 6) >= 8) {
				bits -= 8;
				sbuf_putc(out, (char)((acc >> bits) & 0xff));
			}
		}
		for (; i < n; i++)
			if (p[i] != '=')
				return -1;
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (p[i] == '_')
			sbuf_putc(out, ' ');
		else if (p[i] == '=') {
			if (i + 2 >= n ||
			    (h = hexval((unsigned char)p[i + 1])) < 0 ||
			    (l = hexval((unsigned char)p[i + 2])) < 0)
				return -1;
			sbuf_putc(out, (char)(h * 16 + l));
			i += 2;
		} else
			sbuf_putc(out, p[i]);
	}
	return 0;
}

/*
 * Recognizes "=?cs?e?text?=" at p (n left): returns its length, charset,
 * encoding and text; 0 when p does not start a well-formed word.
 */
static size_t
word_scan(const char *p, size_t n, struct str *cs, char *enc,
    struct str *text)
{
	size_t	 i, q1, q2;

	if (n < 8 || p[0] != '=' || p[1] != '?')
		return 0;
	for (i = 2; i < n && p[i] != '?'; i++)
		if (p[i] <= ' ' || p[i] >= 0x7f)
			return 0;
	if (i + 3 >= n || i == 2)
		return 0;
	q1 = i;
	if (p[q1 + 2] != '?' || strchr("BbQq", p[q1 + 1]) == NULL)
		return 0;
	q2 = q1 + 2;
	for (i = q2 + 1; i + 1 < n; i++) {
		if (p[i] == '?' && p[i + 1] == '=')
			break;
		if (p[i] <= ' ' || p[i] >= 0x7f || p[i] == '?')
			return 0;
	}
	if (i + 1 >= n)
		return 0;
	*cs = (struct str){ p + 2, q1 - 2 };
	*enc = p[q1 + 1];
	*text = (struct str){ p + q2 + 1, i - q2 - 1 };
	return i + 2;
}

/* Appends the decoded word as UTF-8; 1 when its charset is unknown. */
static int
word_decode(struct str cs, char enc, struct str text, struct sbuf *out,
    struct err *e)
{
	struct sbuf	 raw;
	struct str	 c = cs;
	size_t		 star;
	int		 rc = 0;

	/* RFC 2231 §5: charset*language */
	for (star = 0; star < c.n && c.p[star] != '*'; star++)
		;
	c.n = star;
	sbuf_init(&raw, NULL, 0);
	if (word_bytes(enc, text.p, text.n, &raw) == -1 ||
	    sbuf_failed(&raw)) {
		sbuf_free(&raw);
		return 1;
	}
	if (str_caseeq_cstr(c, "UTF-8") || str_caseeq_cstr(c, "US-ASCII")) {
		if (!charset_is_utf8(raw.p, raw.len) ||
		    (str_caseeq_cstr(c, "US-ASCII") &&
		    !charset_is_ascii(raw.p, raw.len)))
			rc = err_set(e, ERR_INPUT, "encoded-word is not valid "
			    "%.*s", (int)c.n, c.p);
		else
			sbuf_put(out, raw.p, raw.len);
	} else if (str_caseeq_cstr(c, "ISO-2022-JP"))
		rc = charset_from_iso2022jp(raw.p, raw.len, out, e);
	else
		rc = 1;
	sbuf_free(&raw);
	return rc;
}

/* Appends the white space v[at..at+n) without its CR and LF. */
static void
put_ws(struct sbuf *out, const char *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (p[i] != '\r' && p[i] != '\n')
			sbuf_putc(out, p[i]);
}

int
hdr_decode(struct str v, struct sbuf *out, struct err *e)
{
	struct str	 cs, text;
	char		 enc;
	size_t		 i = 0, k, ws_at = 0, ws_n = 0, start = out->len;
	bool		 last_word = false;
	int		 rc;

	while (i < v.n) {
		if (is_wsp(v.p[i]) || v.p[i] == '\r' || v.p[i] == '\n') {
			/* unfold (RFC 5322 §2.2.3): CRLF goes, WSP stays */
			ws_at = i;
			while (i < v.n && (is_wsp(v.p[i]) || v.p[i] == '\r' ||
			    v.p[i] == '\n'))
				i++;
			/* leading white space is not part of the text */
			ws_n = out->len > start ? i - ws_at : 0;
			continue;
		}
		k = word_scan(v.p + i, v.n - i, &cs, &enc, &text);
		if (k > 0 && (i + k == v.n || is_wsp(v.p[i + k]) ||
		    v.p[i + k] == '\r' || v.p[i + k] == '\n')) {
			/* RFC 2047 §6.2: white space between two
			 * encoded-words is not displayed */
			if (!last_word)
				put_ws(out, v.p + ws_at, ws_n);
			ws_n = 0;
			if ((rc = word_decode(cs, enc, text, out, e)) == -1)
				return -1;
			if (rc == 1)
				sbuf_put(out, v.p + i, k);
			last_word = rc == 0;
			i += k;
			continue;
		}
		put_ws(out, v.p + ws_at, ws_n);
		ws_n = 0;
		last_word = false;
		while (i < v.n && !is_wsp(v.p[i]) && v.p[i] != '\r' &&
		    v.p[i] != '\n')
			sbuf_putc(out, v.p[i++]);
	}
	if (sbuf_failed(out))
		return err_set(e, ERR_TOO_LARGE, "decoded text too large");
	return 0;
}

/* ---- parsing a header section (RFC 5322 §2.2, §3.5) ---- */

int
hdr_parse(const char *p, size_t n, struct hdr_section *out, struct err *e)
{
	size_t		 i = 0, eol, next, colon, line = 0;
	struct hdr_field *f = NULL;

	out->n = 0;
	out->body = n;
	out->has_blank = false;
	while (i < n) {
		const char *nl = memchr(p + i, '\n', n - i);

		line++;
		next = nl == NULL ? n : (size_t)(nl - p) + 1;
		eol = nl == NULL ? n : (size_t)(nl - p);
		if (eol > i && p[eol - 1] == '\r')
			eol--;
		if (eol == i && nl != NULL) {
			/* the blank line: the body follows */
			out->body = next;
			out->has_blank = true;
			return 0;
		}
		if (is_wsp(p[i])) {
			if (f == NULL)
				return err_set(e, ERR_INPUT, "header line %zu: "
				    "continuation without a field", line);
			f->value.n = eol - (size_t)(f->value.p - p);
			f->raw.n = next - (size_t)(f->raw.p - p);
			i = next;
			continue;
		}
		for (colon = i; colon < eol && p[colon] != ':'; colon++)
			if (p[colon] < 33 && !is_wsp(p[colon]))
				break;
		if (colon == eol || p[colon] != ':' || colon == i)
			return err_set(e, ERR_INPUT, "header line %zu: not a "
			    "header field", line);
		if (out->n == HDR_FIELDS_MAX)
			return err_set(e, ERR_TOO_LARGE, "more than %d header "
			    "fields", HDR_FIELDS_MAX);
		f = &out->f[out->n++];
		f->name = (struct str){ p + i, colon - i };
		/* RFC 5322 §4.5 obsolete WSP before the colon */
		while (f->name.n > 0 && is_wsp(f->name.p[f->name.n - 1]))
			f->name.n--;
		for (size_t k = 0; k < f->name.n; k++)
			if (f->name.p[k] < 33 || f->name.p[k] > 126)
				return err_set(e, ERR_INPUT, "header line %zu: "
				    "bad field name", line);
		f->value = (struct str){ p + colon + 1, eol - colon - 1 };
		f->raw = (struct str){ p + i, next - i };
		i = next;
	}
	return 0;
}

size_t
hdr_count(const struct hdr_section *s, const char *name)
{
	size_t	 i, c = 0;

	for (i = 0; i < s->n; i++)
		if (str_caseeq_cstr(s->f[i].name, name))
			c++;
	return c;
}

const struct hdr_field *
hdr_find(const struct hdr_section *s, const char *name)
{
	size_t	 i;

	for (i = 0; i < s->n; i++)
		if (str_caseeq_cstr(s->f[i].name, name))
			return &s->f[i];
	return NULL;
}
