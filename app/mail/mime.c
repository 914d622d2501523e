/*
 * mime.c - message composition (RFC 5322 §3.6 fields, RFC 2045 §6.7
 * quoted-printable and §6.8 base64, RFC 2046 §5.1 multipart/alternative,
 * RFC 1468 ISO-2022-JP, RFC 2369 and RFC 8058 List-Unsubscribe).
 *
 * Inputs are rendered templates and subscriber data: untrusted. Headers
 * go through hdr.c, which refuses CR/LF/NUL and folds. The whole message
 * is built into the caller's sbuf with no other allocation in the UTF-8
 * path (ISO-2022-JP conversion uses a malloc'd scratch buffer).
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "../core/err.h"
#include "../core/sbuf.h"
#include "../core/swar.h"
#include "addr.h"
#include "charset.h"
#include "hdr.h"
#include "mime.h"

#define BOUNDARY_RAW	12	/* random bytes, 24 hex digits */
#define MSGID_RAW	16

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char hexdig[] = "0123456789ABCDEF";
static const char lowhex[] = "0123456789abcdef";

/* Bytes that force an encoding: 8-bit, and controls other than TAB, CR
 * and LF (line ends are counted by mime_choose_cte itself). Eight bytes
 * at a time: this runs over every message body the sender builds. */
static size_t
count_unsafe(const unsigned char *p, size_t n)
{
	uint64_t	 w, ge20, ctl, bad;
	size_t		 i = 0, count = 0;

	for (; i + 8 <= n; i += 8) {
		w = swar_load(p + i);
		/* 0x80 where the low 7 bits are >= 0x20 */
		ge20 = ((w & ~SWAR_HIGH) + 0x6060606060606060ULL) & SWAR_HIGH;
		ctl = ~ge20 & ~w & SWAR_HIGH;	/* < 0x20 */
		if (ctl != 0)
			ctl &= ~(swar_eq(w, '\t') | swar_eq(w, '\r') |
			    swar_eq(w, '\n'));
		bad = (w & SWAR_HIGH) | ctl | swar_eq(w, 0x7f);
		count += swar_count(bad);
	}
	for (; i < n; i++)
		count += (p[i] >= 0x80) | ((p[i] < 0x20) & (p[i] != '\t') &
		    (p[i] != '\r') & (p[i] != '\n')) | (p[i] == 0x7f);
	return count;
}

enum mime_cte
mime_choose_cte(const char *p, size_t n)
{
	const char	*nl, *cr;
	size_t		 i = 0, s, end, seg, high, maxline = 0;

	/* The longest line: a line ends at LF, CR or CRLF, so the pieces
	 * between any two of them are measured. */
	while (i < n) {
		nl = memchr(p + i, '\n', n - i);
		end = nl != NULL ? (size_t)(nl - p) : n;
		for (s = i; s <= end; s = seg + 1) {
			cr = memchr(p + s, '\r', end - s);
			seg = cr != NULL ? (size_t)(cr - p) : end;
			if (seg - s > maxline)
				maxline = seg - s;
		}
		i = end + 1;
	}
	high = count_unsafe((const unsigned char *)p, n);
	if (high == 0 && maxline <= MIME_7BIT_LINE)
		return MIME_CTE_7BIT;
	/* QP costs 3 octets per 8-bit byte, base64 4 per 3 of all */
	if (high * 6 < n)
		return MIME_CTE_QP;
	return MIME_CTE_BASE64;
}

/* Length of the line end at p[i] (CRLF, LF or CR), 0 if none. */
static size_t
eol_len(const char *p, size_t n, size_t i)
{
	if (p[i] == '\n')
		return 1;
	if (p[i] == '\r')
		return i + 1 < n && p[i + 1] == '\n' ? 2 : 1;
	return 0;
}

void
mime_put_qp(struct sbuf *out, const char *p, size_t n)
{
	size_t		 i, col = 0, k, tl;
	unsigned char	 c;
	char		 tok[3];
	bool		 enc;

	for (i = 0; i < n; i++) {
		if ((k = eol_len(p, n, i)) > 0) {
			sbuf_put(out, "\r\n", 2);	/* hard line break */
			col = 0;
			i += k - 1;
			continue;
		}
		c = (unsigned char)p[i];
		enc = c == '=' || c >= 0x7f || (c < 0x20 && c != '\t');
		/* RFC 2045 §6.7 (3): white space before a line end */
		if ((c == ' ' || c == '\t') &&
		    (i + 1 == n || eol_len(p, n, i + 1) > 0))
			enc = true;
		if (enc) {
			tok[0] = '=';
			tok[1] = hexdig[c >> 4];
			tok[2] = hexdig[c & 15];
			tl = 3;
		} else {
			tok[0] = (char)c;
			tl = 1;
		}
		/* RFC 2045 §6.7 (5): soft break keeps lines <= 76 */
		if (col + tl > MIME_QP_LINE - 1) {
			sbuf_put(out, "=\r\n", 3);
			col = 0;
		}
		sbuf_put(out, tok, tl);
		col += tl;
	}
	if (col > 0)
		sbuf_put(out, "\r\n", 2);
}

struct b64w {
	struct sbuf	*out;
	unsigned char	 in[3];
	size_t		 nin;
	size_t		 col;
};

static void
b64w_flush(struct b64w *w, bool last)
{
	char	 q[4];

	if (w->nin == 0)
		return;
	if (w->nin < 3 && !last)
		return;
	q[0] = b64chars[w->in[0] >> 2];
	q[1] = b64chars[((w->in[0] & 3) << 4) |
	    (w->nin > 1 ? w->in[1] >> 4 : 0)];
	q[2] = w->nin > 1 ? b64chars[((w->in[1] & 15) << 2) |
	    (w->nin > 2 ? w->in[2] >> 6 : 0)] : '=';
	q[3] = w->nin > 2 ? b64chars[w->in[2] & 63] : '=';
	if (w->col + 4 > MIME_B64_LINE) {
		sbuf_put(w->out, "\r\n", 2);
		w->col = 0;
	}
	sbuf_put(w->out, q, 4);
	w->col += 4;
	w->nin = 0;
}

static void
b64w_byte(struct b64w *w, unsigned char c)
{
	w->in[w->nin++] = c;
	if (w->nin == 3)
		b64w_flush(w, false);
}

void
mime_put_base64(struct sbuf *out, const char *p, size_t n)
{
	struct b64w	 w = { .out = out };
	size_t		 i, k;

	for (i = 0; i < n; i++) {
		/* text is encoded in canonical form: CRLF lines (§6.8) */
		if ((k = eol_len(p, n, i)) > 0) {
			b64w_byte(&w, '\r');
			b64w_byte(&w, '\n');
			i += k - 1;
		} else
			b64w_byte(&w, (unsigned char)p[i]);
	}
	b64w_flush(&w, true);
	if (w.col > 0)
		sbuf_put(out, "\r\n", 2);
}

void
mime_put_7bit(struct sbuf *out, const char *p, size_t n)
{
	const char	*nl, *cr;
	size_t		 i = 0, j;

	sbuf_reserve(out, n + n / 32 + 2);
	while (i < n) {
		nl = memchr(p + i, '\n', n - i);
		j = nl != NULL ? (size_t)(nl - p) : n;
		if ((cr = memchr(p + i, '\r', j - i)) != NULL)
			j = (size_t)(cr - p);
		sbuf_put(out, p + i, j - i);
		sbuf_put(out, "\r\n", 2);
		if (j == n)
			break;
		i = j + eol_len(p, n, j);
	}
}

void
mime_put_date(struct sbuf *out, time_t t)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed",
	    "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm	 tm;

	if (gmtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	sbuf_printf(out, "%s, %d %s %04d %02d:%02d:%02d +0000",
	    days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void
put_hex(struct sbuf *out, const unsigned char *p, size_t n)
{
	size_t	 i;
	char	 h[2];

	for (i = 0; i < n; i++) {
		h[0] = lowhex[p[i] >> 4];
		h[1] = lowhex[p[i] & 15];
		sbuf_put(out, h, 2);
	}
}

/* A URI for List-Unsubscribe: printable ASCII, no space, no angle. */
static bool
uri_ok(struct str u)
{
	size_t	 i;

	if (u.n == 0 || u.n > 2048)
		return false;
	for (i = 0; i < u.n; i++)
		if (u.p[i] <= ' ' || u.p[i] >= 0x7f || u.p[i] == '<' ||
		    u.p[i] == '>' || u.p[i] == '"')
			return false;
	return true;
}

static int
put_unsubscribe(struct sbuf *out, const struct mime_msg *m, struct err *e)
{
	struct sbuf	 v;
	char		 buf[4400];
	bool		 https = m->unsub_url.n > 0 &&
			    str_has_prefix(m->unsub_url, "https://");
	int		 rc;

	if (m->unsub_url.n == 0 && m->unsub_mailto.n == 0) {
		if (m->unsub_post)
			return err_field(e, ERR_INPUT, "List-Unsubscribe-Post",
			    "List-Unsubscribe-Post needs an https "
			    "List-Unsubscribe URL (RFC 8058)");
		return 0;
	}
	sbuf_init(&v, NULL, sizeof(buf) - 1);
	v.p = buf;		/* fixed buffer: max < cap, never grows */
	v.cap = sizeof(buf);
	buf[0] = '\0';
	if (m->unsub_mailto.n > 0) {
		if (m->unsub_mailto.n > 7 &&
		    strncasecmp(m->unsub_mailto.p, "mailto:", 7) == 0) {
			if (!uri_ok(m->unsub_mailto))
				return err_field(e, ERR_INPUT,
				    "List-Unsubscribe", "bad unsubscribe "
				    "mailto URI");
			sbuf_putc(&v, '<');
			sbuf_putstr(&v, m->unsub_mailto);
		} else {
			if (!addr_spec_valid(m->unsub_mailto))
				return err_field(e, ERR_INPUT,
				    "List-Unsubscribe", "bad unsubscribe "
				    "address");
			sbuf_puts(&v, "<mailto:");
			sbuf_putstr(&v, m->unsub_mailto);
		}
		sbuf_putc(&v, '>');
	}
	if (m->unsub_url.n > 0) {
		if (!uri_ok(m->unsub_url) ||
		    (!https && !str_has_prefix(m->unsub_url, "http://")))
			return err_field(e, ERR_INPUT, "List-Unsubscribe",
			    "bad unsubscribe URL");
		if (v.len > 0)
			sbuf_puts(&v, ", ");
		sbuf_putc(&v, '<');
		sbuf_putstr(&v, m->unsub_url);
		sbuf_putc(&v, '>');
	}
	if (m->unsub_post && !https)
		return err_field(e, ERR_INPUT, "List-Unsubscribe-Post",
		    "List-Unsubscribe-Post needs an https List-Unsubscribe "
		    "URL (RFC 8058)");
	if (sbuf_failed(&v))
		return err_field(e, ERR_TOO_LARGE, "List-Unsubscribe",
		    "List-Unsubscribe too long");
	rc = hdr_put(out, "List-Unsubscribe", sbuf_str(&v), e);
	/* RFC 8058 §3.1 */
	if (rc == 0 && m->unsub_post)
		rc = hdr_put(out, "List-Unsubscribe-Post",
		    STR_LIT("List-Unsubscribe=One-Click"), e);
	return rc;
}

static const char *const reserved[] = {
	"From", "To", "Cc", "Bcc", "Reply-To", "Subject", "Date",
	"Message-ID", "MIME-Version", "Content-Type",
	"Content-Transfer-Encoding", "List-Unsubscribe",
	"List-Unsubscribe-Post", "Feedback-ID", "DKIM-Signature",
	"Sender", "Return-Path",
};

static int
put_extra(struct sbuf *out, const struct mime_header *h,
    enum hdr_charset cs, struct err *e)
{
	char	 name[HDR_NAME_MAX + 1];
	size_t	 i;

	if (!hdr_name_valid(h->name))
		return err_set(e, ERR_INPUT, "invalid extra header name");
	memcpy(name, h->name.p, h->name.n);
	name[h->name.n] = '\0';
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (strcasecmp(name, reserved[i]) == 0)
			return err_field(e, ERR_INPUT, name, "%s is set by "
			    "the message builder, not as an extra header",
			    reserved[i]);
	if (charset_is_ascii(h->value.p, h->value.n))
		return hdr_put(out, name, h->value, e);
	return hdr_put_text(out, name, h->value, cs, e);
}

/* Checks a body: UTF-8, no NUL, bounded. */
static int
check_body(const char *what, struct str b, struct err *e)
{
	if (b.n == 0)
		return 0;
	if (b.n > MIME_BODY_MAX)
		return err_field(e, ERR_TOO_LARGE, what, "%s body too large",
		    what);
	if (memchr(b.p, '\0', b.n) != NULL)
		return err_field(e, ERR_INPUT, what, "NUL in the %s body",
		    what);
	if (!charset_is_utf8(b.p, b.n))
		return err_field(e, ERR_INPUT, what, "%s body is not valid "
		    "UTF-8", what);
	return 0;
}

/* Longest line of p, line ends not counted. */
static size_t
max_line(const char *p, size_t n)
{
	size_t	 i, line = 0, mx = 0;

	for (i = 0; i < n; i++) {
		if (p[i] == '\r' || p[i] == '\n')
			line = 0;
		else if (++line > mx)
			mx = line;
	}
	return mx;
}

/* Content-Type/-Transfer-Encoding of one part, a blank line, the body. */
static int
put_part(struct sbuf *out, const char *subtype, struct str body,
    enum mime_charset cs, struct err *e)
{
	static const char *const cte_names[] = { "7bit", "quoted-printable",
	    "base64" };
	struct sbuf	 jis;
	enum mime_cte	 cte;
	int		 rc = 0;

	if (cs == MIME_CS_ISO2022JP) {
		sbuf_init(&jis, NULL, MIME_BODY_MAX * 2);
		if (charset_to_iso2022jp(body.p, body.n, &jis, e) == -1) {
			char	 why[ERR_MSG_MAX];

			sbuf_free(&jis);
			memcpy(why, e->msg, sizeof(why));
			return err_field(e, e->kind, subtype, "%s body: %s",
			    subtype, why);
		}
		/* 7bit by construction; base64 keeps lines within 998 */
		cte = max_line(jis.p, jis.len) <= HDR_LINE_MAX ?
		    MIME_CTE_7BIT : MIME_CTE_BASE64;
		sbuf_printf(out, "Content-Type: text/%s; charset=ISO-2022-JP"
		    "\r\nContent-Transfer-Encoding: %s\r\n\r\n", subtype,
		    cte_names[cte]);
		if (cte == MIME_CTE_7BIT)
			mime_put_7bit(out, jis.p, jis.len);
		else
			mime_put_base64(out, jis.p, jis.len);
		sbuf_free(&jis);
		return rc;
	}
	cte = mime_choose_cte(body.p, body.n);
	sbuf_printf(out, "Content-Type: text/%s; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: %s\r\n\r\n", subtype, cte_names[cte]);
	if (cte == MIME_CTE_7BIT)
		mime_put_7bit(out, body.p, body.n);
	else if (cte == MIME_CTE_QP)
		mime_put_qp(out, body.p, body.n);
	else
		mime_put_base64(out, body.p, body.n);
	return rc;
}

static bool
contains(struct str hay, const char *needle, size_t nn)
{
	return hay.n >= nn && memmem(hay.p, hay.n, needle, nn) != NULL;
}

static int
make_msgid(const struct mime_msg *m, char *buf, struct err *e)
{
	struct sbuf	 id;
	unsigned char	 r[MSGID_RAW];
	struct str	 dom;

	sbuf_init(&id, NULL, MIME_MSGID_MAX - 1);
	id.p = buf;
	id.cap = MIME_MSGID_MAX;
	buf[0] = '\0';
	if (m->message_id.n > 0) {
		struct str v = m->message_id;

		if (v.n < 5 || v.p[0] != '<' || v.p[v.n - 1] != '>' ||
		    memchr(v.p, '@', v.n) == NULL || !str_is_header_safe(v) ||
		    !charset_is_ascii(v.p, v.n) || memchr(v.p, ' ', v.n))
			return err_field(e, ERR_INPUT, "Message-ID", "bad "
			    "Message-ID \"%.*s\"", (int)(v.n > 60 ? 60 : v.n),
			    v.p);
		sbuf_putstr(&id, v);
	} else {
		dom = m->msgid_domain.n > 0 ? m->msgid_domain :
		    addr_domain(m->from_addr);
		if (!addr_domain_valid(dom) || dom.p[0] == '[')
			return err_field(e, ERR_INPUT, "Message-ID", "bad "
			    "Message-ID domain");
		randombytes_buf(r, sizeof(r));
		sbuf_putc(&id, '<');
		put_hex(&id, r, sizeof(r));
		sbuf_putc(&id, '@');
		sbuf_putstr(&id, dom);
		sbuf_putc(&id, '>');
	}
	if (sbuf_failed(&id))
		return err_field(e, ERR_INPUT, "Message-ID", "Message-ID too "
		    "long");
	return 0;
}

int
mime_build(const struct mime_msg *m, struct sbuf *out, char *msgid_out,
    struct err *e)
{
	enum hdr_charset cs;
	char		 msgid[MIME_MSGID_MAX], bnd[8 + 2 * BOUNDARY_RAW + 1];
	unsigned char	 r[BOUNDARY_RAW];
	struct sbuf	 bb;
	size_t		 i, start = out->len;
	bool		 multi;

	if ((int)m->charset < 0 || m->charset >= MIME_CS__MAX)
		return err_set(e, ERR_INPUT, "unknown charset mode");
	cs = m->charset == MIME_CS_ISO2022JP ? HDR_CS_ISO2022JP : HDR_CS_UTF8;
	if (m->nextra > MIME_EXTRA_MAX)
		return err_set(e, ERR_TOO_LARGE, "too many extra headers");
	if (check_body("text", m->text, e) == -1 ||
	    check_body("html", m->html, e) == -1)
		return -1;
	if (sodium_init() < 0)
		return err_set(e, ERR_ENV, "libsodium cannot initialize");
	if (make_msgid(m, msgid, e) == -1)
		return -1;

	if (hdr_put_addr(out, "From", m->from_name, m->from_addr, cs, e) ==
	    -1 || hdr_put_addr(out, "To", m->to_name, m->to_addr, cs, e) == -1)
		goto fail;
	if (m->reply_to.n > 0 && hdr_put_addr(out, "Reply-To", STR_NULL,
	    m->reply_to, cs, e) == -1)
		goto fail;
	if (hdr_put_text(out, "Subject", m->subject, cs, e) == -1)
		goto fail;
	sbuf_puts(out, "Date: ");
	mime_put_date(out, m->date != 0 ? m->date : time(NULL));
	sbuf_puts(out, "\r\nMessage-ID: ");
	sbuf_puts(out, msgid);
	sbuf_puts(out, "\r\nMIME-Version: 1.0\r\n");
	if (put_unsubscribe(out, m, e) == -1)
		goto fail;
	if (m->feedback_id.n > 0 &&
	    hdr_put(out, "Feedback-ID", m->feedback_id, e) == -1)
		goto fail;
	for (i = 0; i < m->nextra; i++)
		if (put_extra(out, &m->extra[i], cs, e) == -1)
			goto fail;

	multi = m->text.n > 0 && m->html.n > 0;
	if (!multi) {
		if (m->html.n > 0) {
			if (put_part(out, "html", m->html, m->charset, e) == -1)
				goto fail;
		} else if (put_part(out, "plain", m->text, m->charset, e) == -1)
			goto fail;
	} else {
		/* RFC 2046 §5.1.1: a boundary that occurs in no body */
		do {
			randombytes_buf(r, sizeof(r));
			sbuf_init(&bb, NULL, sizeof(bnd) - 1);
			bb.p = bnd;
			bb.cap = sizeof(bnd);
			sbuf_puts(&bb, "=_tegami");
			put_hex(&bb, r, sizeof(r));
		} while (contains(m->text, bnd, bb.len) ||
		    contains(m->html, bnd, bb.len));
		sbuf_printf(out, "Content-Type: multipart/alternative;\r\n"
		    " boundary=\"%s\"\r\n\r\n--%s\r\n", bnd, bnd);
		/* RFC 2046 §5.1.4: the plainest part first */
		if (put_part(out, "plain", m->text, m->charset, e) == -1)
			goto fail;
		sbuf_printf(out, "--%s\r\n", bnd);
		if (put_part(out, "html", m->html, m->charset, e) == -1)
			goto fail;
		sbuf_printf(out, "--%s--\r\n", bnd);
	}
	if (sbuf_failed(out)) {
		err_set(e, ERR_TOO_LARGE, "message too large");
		goto fail;
	}
	if (msgid_out != NULL)
		memcpy(msgid_out, msgid, strlen(msgid) + 1);
	return 0;
fail:
	/* nothing half-built stays in out */
	if (!sbuf_failed(out)) {
		out->len = start;
		if (out->p != NULL)
			out->p[start] = '\0';
	}
	return -1;
}
