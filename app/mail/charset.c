/*
 * charset.c - UTF-8 validation (RFC 3629 §4) and ISO-2022-JP conversion
 * (RFC 1468) with glibc iconv. A converter is opened per call: iconv_t
 * holds shift state and must not be shared between threads.
 */
#include <errno.h>
#include <iconv.h>
#include <string.h>

#include "../core/err.h"
#include "../core/sbuf.h"
#include "charset.h"

#define CHARSET_CHUNK	1024	/* iconv output buffer on the stack */

size_t
charset_utf8_next(const char *s, size_t n, uint32_t *cpp)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 cp;
	size_t			 len, i;

	if (n == 0)
		return 0;
	if (p[0] < 0x80) {
		cp = p[0];
		len = 1;
	} else if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		cp = p[0] & 0x1f;
		len = 2;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		cp = p[0] & 0x0f;
		len = 3;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		cp = p[0] & 0x07;
		len = 4;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	/* RFC 3629 §3: no overlong forms, no surrogates, nothing past 10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	if (cpp != NULL)
		*cpp = cp;
	return len;
}

bool
charset_is_utf8(const char *p, size_t n)
{
	size_t	 i = 0, k;
	uint64_t w;

	while (i < n) {
		/* ASCII runs eight bytes at a time */
		if (i + 8 <= n) {
			memcpy(&w, p + i, 8);
			if ((w & 0x8080808080808080ULL) == 0) {
				i += 8;
				continue;
			}
		}
		if ((unsigned char)p[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = charset_utf8_next(p + i, n - i, NULL)) == 0)
			return false;
		i += k;
	}
	return true;
}

bool
charset_is_ascii(const char *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] >= 0x80)
			return false;
	return true;
}

/* Names the character at p for an error message: U+XXXX 'c'. */
static void
bad_char(struct err *e, const char *base, const char *p, size_t left,
    const char *to)
{
	uint32_t	 cp = 0;
	size_t		 k;

	if ((k = charset_utf8_next(p, left, &cp)) == 0) {
		err_set(e, ERR_INPUT, "text is not valid UTF-8 at offset %zu",
		    (size_t)(p - base));
		return;
	}
	if (cp < 0x20 || cp == 0x7f)
		err_set(e, ERR_INPUT, "character U+%04X at offset %zu cannot "
		    "be written in %s", (unsigned)cp, (size_t)(p - base), to);
	else
		err_set(e, ERR_INPUT, "character U+%04X '%.*s' at offset %zu "
		    "cannot be written in %s", (unsigned)cp, (int)k, p,
		    (size_t)(p - base), to);
}

/*
 * Converts one run of text, then returns the converter to its initial
 * state (for ISO-2022-JP: ESC ( B, RFC 1468 "end in ASCII").
 */
static int
conv_run(iconv_t cd, const char *base, const char *p, size_t n,
    struct sbuf *out, const char *to, struct err *e)
{
	char	 buf[CHARSET_CHUNK], *in = (char *)p, *o;
	size_t	 left = n, room, r;
	int	 flushing = 0;

	for (;;) {
		o = buf;
		room = sizeof(buf);
		if (!flushing)
			r = iconv(cd, &in, &left, &o, &room);
		else
			r = iconv(cd, NULL, NULL, &o, &room);
		sbuf_put(out, buf, sizeof(buf) - room);
		if (r == (size_t)-1) {
			if (errno == E2BIG)
				continue;
			if (errno == EILSEQ || errno == EINVAL) {
				bad_char(e, base, in, left, to);
				return -1;
			}
			return err_set(e, ERR_ENV, "iconv: %s",
			    strerror(errno));
		}
		if (flushing)
			break;
		flushing = 1;
	}
	if (sbuf_failed(out))
		return err_set(e, ERR_TOO_LARGE, "converted text too large");
	return 0;
}

static int
convert(const char *to, const char *from, const char *p, size_t n,
    struct sbuf *out, bool per_line, struct err *e)
{
	iconv_t		 cd;
	const char	*q, *end, *nl;
	int		 rc = 0;

	if (n == 0)
		return 0;
	end = p + n;
	if ((cd = iconv_open(to, from)) == (iconv_t)-1)
		return err_set(e, ERR_ENV, "iconv cannot convert %s to %s",
		    from, to);
	for (q = p; q < end && rc == 0; q = nl) {
		if (!per_line || (nl = memchr(q, '\n', end - q)) == NULL)
			nl = end;
		else
			nl++;
		rc = conv_run(cd, p, q, nl - q, out, to, e);
	}
	iconv_close(cd);
	return rc;
}

int
charset_to_iso2022jp(const char *p, size_t n, struct sbuf *out,
    struct err *e)
{
	size_t	 i, k;

	/* iconv would stop at bad UTF-8 too; say so in our own words */
	for (i = 0; i < n; i += k) {
		if ((unsigned char)p[i] < 0x80) {
			k = 1;
			continue;
		}
		if ((k = charset_utf8_next(p + i, n - i, NULL)) == 0)
			return err_set(e, ERR_INPUT,
			    "text is not valid UTF-8 at offset %zu", i);
	}
	/* RFC 1468: each line returns to ASCII before its CRLF */
	return convert("ISO-2022-JP", "UTF-8", p, n, out, true, e);
}

int
charset_from_iso2022jp(const char *p, size_t n, struct sbuf *out,
    struct err *e)
{
	if (convert("UTF-8", "ISO-2022-JP", p, n, out, false, e) == -1) {
		if (e->kind == ERR_INPUT)
			err_set(e, ERR_INPUT, "malformed ISO-2022-JP text");
		return -1;
	}
	return 0;
}
