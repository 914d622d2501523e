/*
 * mime_fuzz.c - libFuzzer target for app/mail/mime.c: the input is split
 * at NUL bytes into subject, display names, text and HTML bodies, an
 * extra header value and a List-Unsubscribe URL; a message that builds
 * must be CRLF only, with header lines free of bare CR/LF, no line over
 * 998 octets, a header section hdr_parse() accepts with one From, and
 * its DKIM body hash computable.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../app/core/arena.h"
#include "../../app/core/err.h"
#include "../../app/core/sbuf.h"
#include "../../app/mail/dkim.h"
#include "../../app/mail/hdr.h"
#include "../../app/mail/mime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct hdr_section sec;

static struct str
next_field(const char **p, const char *end)
{
	const char	*z = memchr(*p, '\0', (size_t)(end - *p));
	struct str	 s;

	if (z == NULL)
		z = end;
	s = (struct str){ *p, (size_t)(z - *p) };
	*p = z < end ? z + 1 : end;
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*p = (const char *)data, *end = p + size;
	struct arena	*a;
	struct mime_msg	 m;
	struct mime_header x;
	struct sbuf	 b;
	struct err	 e;
	char		 bh[DKIM_BH_LEN + 1];
	size_t		 i, col = 0;

	if (size == 0 || (a = arena_new(8 << 20)) == NULL)
		return 0;
	memset(&m, 0, sizeof(m));
	m.charset = (data[0] & 1) ? MIME_CS_ISO2022JP : MIME_CS_UTF8;
	m.unsub_post = (data[0] & 2) != 0;
	p++;
	m.subject = next_field(&p, end);
	m.from_name = next_field(&p, end);
	m.to_name = next_field(&p, end);
	m.text = next_field(&p, end);
	m.html = next_field(&p, end);
	x.name = STR_LIT("X-Fuzz");
	x.value = next_field(&p, end);
	m.unsub_url = next_field(&p, end);
	m.extra = &x;
	m.nextra = x.value.n > 0;
	m.from_addr = STR_LIT("news@example.org");
	m.to_addr = STR_LIT("to@example.jp");
	m.date = 1796000000;
	sbuf_init(&b, a, 4 << 20);
	if (mime_build(&m, &b, NULL, &e) == 0) {
		for (i = 0; i < b.len; i++) {
			if (b.p[i] == '\r') {
				if (i + 1 >= b.len || b.p[i + 1] != '\n')
					__builtin_trap();
				i++;
				col = 0;
			} else if (b.p[i] == '\n' || b.p[i] == '\0' ||
			    ++col > HDR_LINE_MAX)
				__builtin_trap();
		}
		if (hdr_parse(b.p, b.len, &sec, &e) != 0 ||
		    hdr_count(&sec, "From") != 1 || !sec.has_blank)
			__builtin_trap();
		for (i = 0; i < sec.n; i++)
			if (memchr(sec.f[i].value.p, '\0', sec.f[i].value.n))
				__builtin_trap();
		if (dkim_body_hash(DKIM_CANON_RELAXED, b.p + sec.body,
		    b.len - sec.body, bh) != 0)
			__builtin_trap();
	}
	arena_free(a);
	return 0;
}
