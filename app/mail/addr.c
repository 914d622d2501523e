/*
 * addr.c - mailbox parsing and addr-spec validation (RFC 5322 §3.2.3,
 * §3.4, §3.4.1; length limits of RFC 5321 §4.5.3.1). The input is
 * untrusted (form fields, CSV imports, API posts).
 */
#include <string.h>

#include "../core/arena.h"
#include "../core/err.h"
#include "addr.h"

/* RFC 5322 §3.2.3 atext */
static bool
is_atext(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

static bool
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* dot-atom-text: atext runs separated by single dots */
static bool
dot_atom_valid(struct str s)
{
	size_t	 i;

	if (s.n == 0 || s.p[0] == '.' || s.p[s.n - 1] == '.')
		return false;
	for (i = 0; i < s.n; i++) {
		if (s.p[i] == '.') {
			if (s.p[i + 1] == '.')
				return false;
		} else if (!is_atext((unsigned char)s.p[i]))
			return false;
	}
	return true;
}

/* quoted-string with qtext (printable ASCII but " and \) and quoted-pairs */
static bool
quoted_valid(struct str s)
{
	size_t		 i;
	unsigned char	 c;

	if (s.n < 2 || s.p[0] != '"' || s.p[s.n - 1] != '"')
		return false;
	for (i = 1; i < s.n - 1; i++) {
		c = (unsigned char)s.p[i];
		if (c == '\\') {
			if (++i >= s.n - 1)
				return false;
			c = (unsigned char)s.p[i];
			if (c < 0x20 && c != '\t')
				return false;
			if (c >= 0x7f)
				return false;
		} else if (c == '"' || (c < 0x20 && c != '\t') || c >= 0x7f)
			return false;
	}
	return true;
}

bool
addr_domain_valid(struct str d)
{
	size_t	 i, label = 0;
	char	 c;

	if (d.n == 0 || d.n > ADDR_DOMAIN_MAX)
		return false;
	if (d.p[0] == '[') {
		/* RFC 5322 §3.4.1 domain-literal, dtext only */
		if (d.n < 3 || d.p[d.n - 1] != ']')
			return false;
		for (i = 1; i < d.n - 1; i++) {
			c = d.p[i];
			if (c < 33 || c > 126 || c == '[' || c == ']' ||
			    c == '\\')
				return false;
		}
		return true;
	}
	for (i = 0; i <= d.n; i++) {
		c = i < d.n ? d.p[i] : '.';
		if (c == '.') {
			/* RFC 1035 §2.3.1: 1-63 octets, no hyphen at ends */
			if (label == 0 || label > 63 || d.p[i - 1] == '-' ||
			    d.p[i - label] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-'))
			return false;
		label++;
	}
	return true;
}

struct str
addr_domain(struct str spec)
{
	size_t	 i;

	for (i = spec.n; i > 0; i--)
		if (spec.p[i - 1] == '@')
			return (struct str){ spec.p + i, spec.n - i };
	return (struct str){ "", 0 };
}

bool
addr_spec_valid(struct str spec)
{
	struct str	 local, dom;
	size_t		 at;

	if (spec.n == 0 || spec.n > ADDR_SPEC_MAX)
		return false;
	dom = addr_domain(spec);
	if (dom.p == spec.p + spec.n || dom.p == NULL || dom.n == spec.n)
		return false;
	at = spec.n - dom.n - 1;
	if (spec.p[at] != '@')
		return false;
	local = (struct str){ spec.p, at };
	if (local.n == 0 || local.n > ADDR_LOCAL_MAX)
		return false;
	if (!dot_atom_valid(local) && !quoted_valid(local))
		return false;
	return addr_domain_valid(dom);
}

/* Skips spaces and tabs from *i. */
static void
skip_wsp(const char *p, size_t n, size_t *i)
{
	while (*i < n && is_wsp(p[*i]))
		(*i)++;
}

/* Display name of atoms and spaces: collapse runs of white space. */
static int
phrase_copy(const char *p, size_t n, struct arena *a, struct str *out,
    struct err *e)
{
	char	*d;
	size_t	 i, k = 0;
	bool	 sp = false;

	if ((d = arena_alloc(a, n + 1)) == NULL)
		return err_set(e, ERR_ENV, "out of memory");
	for (i = 0; i < n; i++) {
		if (is_wsp(p[i])) {
			sp = k > 0;
			continue;
		}
		if (p[i] == '"' || p[i] == '\\')
			return err_set(e, ERR_INPUT, "stray quote in the "
			    "display name");
		if (sp)
			d[k++] = ' ';
		sp = false;
		d[k++] = p[i];
	}
	d[k] = '\0';
	*out = (struct str){ d, k };
	return 0;
}

/* Unquotes a quoted-string display name. */
static int
quoted_copy(struct str q, struct arena *a, struct str *out, struct err *e)
{
	char	*d;
	size_t	 i, k = 0;

	if ((d = arena_alloc(a, q.n)) == NULL)
		return err_set(e, ERR_ENV, "out of memory");
	for (i = 1; i + 1 < q.n; i++) {
		if (q.p[i] == '\\')
			i++;
		d[k++] = q.p[i];
	}
	d[k] = '\0';
	*out = (struct str){ d, k };
	return 0;
}

static int
set_spec(struct str spec, struct addr *out, struct err *e)
{
	if (!addr_spec_valid(spec))
		return err_set(e, ERR_INPUT, "\"%.*s\" is not a valid mail "
		    "address", (int)(spec.n > 80 ? 80 : spec.n), spec.p);
	out->spec = spec;
	out->domain = addr_domain(spec);
	out->local = (struct str){ spec.p, spec.n - out->domain.n - 1 };
	return 0;
}

int
addr_parse(const char *p, size_t n, struct arena *a, struct addr *out,
    struct err *e)
{
	const char	*lt, *gt;
	size_t		 i, j, dn;
	struct str	 disp;

	memset(out, 0, sizeof(*out));
	out->display = (struct str){ "", 0 };
	if (n > ADDR_INPUT_MAX)
		return err_set(e, ERR_TOO_LARGE, "address too long");
	if (memchr(p, '\0', n) != NULL || memchr(p, '\r', n) != NULL ||
	    memchr(p, '\n', n) != NULL)
		return err_set(e, ERR_INPUT, "control characters in address");
	i = 0;
	skip_wsp(p, n, &i);
	j = n;
	while (j > i && is_wsp(p[j - 1]))
		j--;
	if (i == j)
		return err_set(e, ERR_INPUT, "empty address");
	if (p[j - 1] != '>')
		return set_spec((struct str){ p + i, j - i }, out, e);
	gt = p + j - 1;
	/* the last '<' outside a quoted display name */
	lt = NULL;
	{
		bool	 inq = false;
		size_t	 k;

		for (k = i; k < j - 1; k++) {
			if (inq && p[k] == '\\') {
				k++;
				continue;
			}
			if (p[k] == '"')
				inq = !inq;
			else if (!inq && p[k] == '<')
				lt = p + k;
		}
		if (inq)
			return err_set(e, ERR_INPUT, "unterminated quoted "
			    "display name");
	}
	if (lt == NULL)
		return err_set(e, ERR_INPUT, "'>' without '<' in address");
	if (set_spec((struct str){ lt + 1, gt - lt - 1 }, out, e) == -1)
		return -1;
	dn = lt - (p + i);
	while (dn > 0 && is_wsp(p[i + dn - 1]))
		dn--;
	if (dn == 0)
		return 0;
	disp = (struct str){ p + i, dn };
	if (disp.p[0] == '"') {
		if (!quoted_valid(disp))
			return err_set(e, ERR_INPUT, "malformed quoted display "
			    "name");
		if (quoted_copy(disp, a, &out->display, e) == -1)
			return -1;
	} else {
		for (i = 0; i < disp.n; i++) {
			unsigned char c = (unsigned char)disp.p[i];

			/* RFC 5322 phrase; 8-bit text allowed as UTF-8 */
			if (c < 0x20 || c == 0x7f || (c < 0x80 &&
			    !is_atext(c) && !is_wsp((char)c) && c != '.'))
				return err_set(e, ERR_INPUT, "character '%c' "
				    "in a display name needs quotes", c);
		}
		if (phrase_copy(disp.p, disp.n, a, &out->display, e) == -1)
			return -1;
	}
	if (out->display.n > ADDR_DISPLAY_MAX)
		return err_set(e, ERR_TOO_LARGE, "display name too long");
	return 0;
}
