/*
 * cookie.c - the Cookie request header: "name=value; name2=value2"
 * (RFC 6265 §4.2.1 syntax, as user agents send it per §5.4 step 4).
 * Trusts nothing: the header comes from the client, and cookies set by
 * other applications on the same host arrive here too.
 */
#include <string.h>

#include "../core/arena.h"
#include "../core/err.h"
#include "cookie.h"

/* RFC 7230 §3.2.6 tchar, the cookie-name of RFC 6265 §4.1.1. */
static bool
is_tchar(unsigned char c)
{
	return c > 0x20 && c < 0x7f && strchr("()<>@,;:\\\"/[]?={}", c) ==
	    NULL;
}

/* RFC 6265 §4.1.1 cookie-octet. */
static bool
is_cookie_octet(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x2b) ||
	    (c >= 0x2d && c <= 0x3a) || (c >= 0x3c && c <= 0x5b) ||
	    (c >= 0x5d && c <= 0x7e);
}

/* True when s is name=value with a conforming name and value. */
static bool
pair_ok(struct str s, struct str *name, struct str *value)
{
	size_t	 i;

	if (!str_cut(s, '=', name, value))
		return false;
	*name = str_trim(*name);
	*value = str_trim(*value);
	if (name->n == 0 || name->n > FORM_NAME_MAX)
		return false;
	for (i = 0; i < name->n; i++)
		if (!is_tchar((unsigned char)name->p[i]))
			return false;
	if (value->n >= 2 && value->p[0] == '"' &&
	    value->p[value->n - 1] == '"') {
		value->p++;
		value->n -= 2;
	}
	for (i = 0; i < value->n; i++)
		if (!is_cookie_octet((unsigned char)value->p[i]))
			return false;
	return true;
}

int
cookie_parse(const char *p, size_t n, struct arena *a, struct form *out,
    struct err *e)
{
	struct form_field	*f;
	struct str		 rest = { p, n }, item, name, value;
	size_t			 i, count = 1;

	out->f = NULL;
	out->n = 0;
	for (i = 0; i < n; i++) {
		unsigned char	 c = (unsigned char)p[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return err_set(e, ERR_INPUT, "control byte in the "
			    "Cookie header at byte %zu", i);
		if (c == ';' && ++count > FORM_FIELDS_MAX)
			return err_set(e, ERR_TOO_LARGE, "more than %d "
			    "cookies", FORM_FIELDS_MAX);
	}
	if (n == 0)
		return 0;
	if ((f = formdata_alloc(a, count)) == NULL)
		return err_set(e, ERR_ENV, "out of memory parsing cookies");
	while (rest.n > 0) {
		(void)str_cut(rest, ';', &item, &rest);
		if (!pair_ok(item, &name, &value))
			continue;
		if ((f[out->n].name.p = str_dup(a, name)) == NULL ||
		    (f[out->n].value.p = str_dup(a, value)) == NULL) {
			out->n = 0;
			return err_set(e, ERR_ENV, "out of memory parsing "
			    "cookies");
		}
		f[out->n].name.n = name.n;
		f[out->n].value.n = value.n;
		out->n++;
	}
	out->f = f;
	return 0;
}
