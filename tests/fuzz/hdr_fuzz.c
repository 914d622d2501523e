/*
 * hdr_fuzz.c - libFuzzer target for app/mail/hdr.c: the header-section
 * parser (views stay inside the input), the encoded-word decoder on every
 * value, DKIM canonicalization of every field, and the encoder round trip:
 * a UTF-8 text becomes a Subject field with no bare CR/LF, no line over
 * 998 octets, and decodes back to the same text.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../app/core/err.h"
#include "../../app/core/sbuf.h"
#include "../../app/mail/charset.h"
#include "../../app/mail/dkim.h"
#include "../../app/mail/hdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct hdr_section sec;

static int
inside(struct str s, const char *p, size_t n)
{
	return s.p >= p && s.p + s.n <= p + n;
}

/* CRLF only, every line within max octets. */
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
		} else if (p[i] == '\n' || ++col > max)
			return 0;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*p = (const char *)data;
	struct sbuf	 b, d;
	struct err	 e;
	struct str	 v;
	size_t		 i;

	sbuf_init(&b, NULL, 1 << 20);
	sbuf_init(&d, NULL, 1 << 20);
	if (hdr_parse(p, size, &sec, &e) == 0) {
		if (sec.body > size || sec.n > HDR_FIELDS_MAX)
			__builtin_trap();
		for (i = 0; i < sec.n; i++) {
			if (!inside(sec.f[i].name, p, size) ||
			    !inside(sec.f[i].value, p, size) ||
			    !inside(sec.f[i].raw, p, size))
				__builtin_trap();
			sbuf_reset(&d);
			(void)hdr_decode(sec.f[i].value, &d, &e);
			sbuf_reset(&d);
			dkim_canon_header(DKIM_CANON_RELAXED, &sec.f[i], true,
			    &d);
			dkim_canon_header(DKIM_CANON_SIMPLE, &sec.f[i], true,
			    &d);
		}
	}

	/* the encoder: any text that is accepted must round-trip */
	v = str_trim((struct str){ p, size });
	if (hdr_put_text(&b, "Subject", (struct str){ p, size }, HDR_CS_UTF8,
	    &e) == 0 && !sbuf_failed(&b)) {
		const char *colon = memchr(b.p, ':', b.len);

		if (!lines_ok(b.p, b.len, HDR_LINE_MAX) || b.len < 2 ||
		    colon == NULL)
			__builtin_trap();
		sbuf_reset(&d);
		if (hdr_decode(str_trim((struct str){ colon + 1,
		    b.len - (size_t)(colon + 1 - b.p) - 2 }), &d, &e) != 0 ||
		    d.len != v.n || (v.n > 0 && memcmp(d.p, v.p, v.n) != 0))
			__builtin_trap();
	}
	sbuf_reset(&b);
	if (hdr_put_text(&b, "Subject", (struct str){ p, size },
	    HDR_CS_ISO2022JP, &e) == 0 && !sbuf_failed(&b) &&
	    !lines_ok(b.p, b.len, HDR_LINE_MAX))
		__builtin_trap();
	sbuf_free(&b);
	sbuf_free(&d);
	return 0;
}
