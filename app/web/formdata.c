/*
 * formdata.c - lookups in parsed fields and the UTF-8 check shared by the
 * request parsers (urlenc.c, multipart.c, cookie.c). UTF-8 per RFC 3629 §4.
 */
#include <string.h>

#include "../core/arena.h"
#include "formdata.h"

const struct form_field *
formdata_get(const struct form *fm, const char *name, bool *repeated)
{
	const struct form_field	*found = NULL;
	size_t			 i;

	if (repeated != NULL)
		*repeated = false;
	if (fm == NULL)
		return NULL;
	for (i = 0; i < fm->n; i++) {
		if (!str_eq_cstr(fm->f[i].name, name))
			continue;
		if (found != NULL) {
			if (repeated != NULL)
				*repeated = true;
			return NULL;
		}
		found = &fm->f[i];
	}
	return found;
}

bool
formdata_text_ok(const char *p, size_t n, size_t *bad)
{
	const unsigned char	*s = (const unsigned char *)p;
	size_t			 i = 0, len, k;
	unsigned char		 lo, hi;

	while (i < n) {
		unsigned char	 c = s[i];

		if (c == 0)
			goto bad;
		if (c < 0x80) {
			i++;
			continue;
		}
		/* RFC 3629 §4: the second byte's range depends on the first. */
		lo = 0x80;
		hi = 0xbf;
		if (c >= 0xc2 && c <= 0xdf)
			len = 2;
		else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			if (c == 0xe0)
				lo = 0xa0;	/* overlong */
			else if (c == 0xed)
				hi = 0x9f;	/* surrogates */
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			if (c == 0xf0)
				lo = 0x90;	/* overlong */
			else if (c == 0xf4)
				hi = 0x8f;	/* past U+10FFFF */
		} else
			goto bad;
		if (n - i < len)
			goto bad;
		if (s[i + 1] < lo || s[i + 1] > hi)
			goto bad;
		for (k = 2; k < len; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xbf)
				goto bad;
		i += len;
	}
	return true;
bad:
	if (bad != NULL)
		*bad = i;
	return false;
}

struct form_field *
formdata_alloc(struct arena *a, size_t n)
{
	return arena_calloc(a, n ? n : 1, sizeof(struct form_field));
}
