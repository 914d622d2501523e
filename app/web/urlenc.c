/*
 * urlenc.c - application/x-www-form-urlencoded parsing (WHATWG URL Standard
 * §5.1; '+' and %XX as in RFC 3986 §2.1). Trusts nothing: every byte of the
 * query string or body comes from the client. Decoded text must be UTF-8
 * (RFC 3629) without NUL; limits come from formdata.h.
 */
#include <string.h>

#include "../core/arena.h"
#include "../core/num.h"
#include "../core/err.h"
#include "urlenc.h"

/*
 * Decodes s[0..n) (which starts at byte base of the input) into a new
 * NUL-terminated arena string; what names the part for messages.
 */
static int
decode(const char *s, size_t n, size_t base, const char *what,
    struct arena *a, struct str *out, struct err *e)
{
	char	*d;
	size_t	 i, o = 0, bad;

	if ((d = arena_alloc(a, n + 1)) == NULL)
		return err_set(e, ERR_ENV, "out of memory decoding the form");
	for (i = 0; i < n; i++) {
		int	 hi, lo;

		if (s[i] == '+')
			d[o++] = ' ';
		else if (s[i] != '%')
			d[o++] = s[i];
		else {
			if (n - i < 3)
				return err_set(e, ERR_INPUT, "truncated "
				    "%%-escape in a %s at byte %zu", what,
				    base + i);
			if ((hi = num_hexval((unsigned char)s[i + 1])) == -1 ||
			    (lo = num_hexval((unsigned char)s[i + 2])) == -1)
				return err_set(e, ERR_INPUT, "bad %%-escape "
				    "in a %s at byte %zu", what, base + i);
			d[o++] = (char)(hi << 4 | lo);
			i += 2;
		}
	}
	d[o] = '\0';
	if (!formdata_text_ok(d, o, &bad)) {
		/* Report where in the input the bad decoded byte came from. */
		size_t	 j, k = 0;

		for (j = 0; j < n && k < bad; j++, k++)
			if (s[j] == '%')
				j += 2;
		return err_set(e, ERR_INPUT, "%s in a %s at byte %zu",
		    d[bad] == '\0' ? "NUL byte" : "invalid UTF-8", what,
		    base + j);
	}
	out->p = d;
	out->n = o;
	return 0;
}

int
urlenc_parse(const char *p, size_t n, struct arena *a, struct form *out,
    struct err *e)
{
	struct form_field	*f;
	size_t			 i, start, count = 0;

	out->f = NULL;
	out->n = 0;
	/* Count first so that an oversized form costs no decoding. */
	for (start = 0; start < n; start = i + 1) {
		const char	*amp = memchr(p + start, '&', n - start);

		i = amp == NULL ? n : (size_t)(amp - p);
		if (i == start)
			continue;
		if (++count > FORM_FIELDS_MAX)
			return err_set(e, ERR_TOO_LARGE, "more than %d fields "
			    "(the field at byte %zu is one too many)",
			    FORM_FIELDS_MAX, start);
	}
	if (count == 0)
		return 0;
	if ((f = formdata_alloc(a, count)) == NULL)
		return err_set(e, ERR_ENV, "out of memory parsing the form");
	for (start = 0; start < n; start = i + 1) {
		const char		*amp, *eq;
		struct form_field	*ff;
		size_t			 nlen;

		amp = memchr(p + start, '&', n - start);
		i = amp == NULL ? n : (size_t)(amp - p);
		if (i == start)
			continue;
		ff = &f[out->n];
		eq = memchr(p + start, '=', i - start);
		nlen = eq == NULL ? i - start : (size_t)(eq - (p + start));
		if (nlen == 0) {
			err_set(e, ERR_INPUT, "field without a name at byte "
			    "%zu", start);
			goto fail;
		}
		if (decode(p + start, nlen, start, "field name", a, &ff->name,
		    e) == -1)
			goto fail;
		if (ff->name.n > FORM_NAME_MAX) {
			err_set(e, ERR_INPUT, "field name longer than %d "
			    "bytes at byte %zu", FORM_NAME_MAX, start);
			goto fail;
		}
		if (eq == NULL) {
			ff->value.p = "";
			ff->value.n = 0;
		} else if (decode(eq + 1, i - start - nlen - 1,
		    start + nlen + 1, "field value", a, &ff->value, e) == -1)
			goto fail;
		out->n++;
	}
	out->f = f;
	return 0;
fail:
	out->n = 0;
	return -1;
}
