/*
 * str.c - string views (see str.h).
 */
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "str.h"

struct str
str_from(const char *s)
{
	return s == NULL ? (struct str){ "", 0 } :
	    (struct str){ s, strlen(s) };
}

bool
str_eq(struct str a, struct str b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

bool
str_eq_cstr(struct str a, const char *s)
{
	return str_eq(a, str_from(s));
}

bool
str_caseeq_cstr(struct str a, const char *s)
{
	size_t	 n = strlen(s);

	return a.n == n && (n == 0 || strncasecmp(a.p, s, n) == 0);
}

bool
str_has_prefix(struct str a, const char *prefix)
{
	size_t	 n = strlen(prefix);

	return a.n >= n && (n == 0 || memcmp(a.p, prefix, n) == 0);
}

struct str
str_trim(struct str s)
{
	while (s.n > 0 && (s.p[0] == ' ' || s.p[0] == '\t')) {
		s.p++;
		s.n--;
	}
	while (s.n > 0 && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t'))
		s.n--;
	return s;
}

bool
str_cut(struct str s, char c, struct str *head, struct str *tail)
{
	const char	*at = s.n ? memchr(s.p, c, s.n) : NULL;

	if (at == NULL) {
		*head = s;
		*tail = (struct str){ s.p + s.n, 0 };
		return false;
	}
	*head = (struct str){ s.p, (size_t)(at - s.p) };
	*tail = (struct str){ at + 1, s.n - (size_t)(at - s.p) - 1 };
	return true;
}

char *
str_dup(struct arena *a, struct str s)
{
	return arena_strndup(a, s.p, s.n);
}

bool
str_is_header_safe(struct str s)
{
	size_t	 i;

	for (i = 0; i < s.n; i++)
		if (s.p[i] == '\r' || s.p[i] == '\n' || s.p[i] == '\0')
			return false;
	return true;
}

bool
str_ct_eq(struct str a, struct str b)
{
	size_t		 i;
	unsigned char	 d = 0;

	/* The length is not secret here; the content is. */
	if (a.n != b.n)
		return false;
	for (i = 0; i < a.n; i++)
		d |= (unsigned char)a.p[i] ^ (unsigned char)b.p[i];
	return d == 0;
}
