/*
 * multipart.c - multipart/form-data bodies (RFC 7578), body syntax per
 * RFC 2046 §5.1.1, parameters per RFC 2045 §5.1 and RFC 2183 §2.
 *
 * Trusts nothing in the body or the Content-Type header. Deliberately
 * stricter than the RFCs where browsers never need the freedom: lines end
 * in CRLF, no header folding, a boundary followed by anything but "--" or
 * CRLF is an error rather than data. Quoted parameter values follow the
 * WHATWG HTML Standard (§4.10.21.8): browsers percent-escape '"', CR and LF
 * and leave '\' alone, so a backslash is kept literally.
 */
#include <string.h>

#include "../core/arena.h"
#include "../core/err.h"
#include "multipart.h"

/* RFC 2045 §5.1 token characters. */
static bool
is_tchar(unsigned char c)
{
	return c > 0x20 && c < 0x7f && strchr("()<>@,;:\\\"/[]?=", c) == NULL;
}

static bool
is_ows(char c)
{
	return c == ' ' || c == '\t';
}

static void
skip_ows(struct str *s)
{
	while (s->n > 0 && is_ows(s->p[0])) {
		s->p++;
		s->n--;
	}
}

/* Takes a run of token characters off the front of *s. */
static struct str
take_token(struct str *s)
{
	struct str	 t = { s->p, 0 };

	while (t.n < s->n && is_tchar((unsigned char)s->p[t.n]))
		t.n++;
	s->p += t.n;
	s->n -= t.n;
	return t;
}

/*
 * The next "; name=value" of a header value: 1 with *name and *value set
 * (views, quotes removed), 0 at the end, -1 on bad syntax.
 */
static int
next_param(struct str *s, struct str *name, struct str *value)
{
	skip_ows(s);
	if (s->n == 0)
		return 0;
	if (s->p[0] != ';')
		return -1;
	s->p++;
	s->n--;
	skip_ows(s);
	if ((*name = take_token(s)).n == 0)
		return -1;
	skip_ows(s);
	if (s->n == 0 || s->p[0] != '=')
		return -1;
	s->p++;
	s->n--;
	skip_ows(s);
	if (s->n > 0 && s->p[0] == '"') {
		const char	*q = memchr(s->p + 1, '"', s->n - 1);

		if (q == NULL)
			return -1;
		*value = (struct str){ s->p + 1, (size_t)(q - s->p - 1) };
		s->n -= (size_t)(q + 1 - s->p);
		s->p = q + 1;
	} else if ((*value = take_token(s)).n == 0)
		return -1;
	return 1;
}

/* RFC 2046 §5.1.1 bchars, space allowed but not last. */
static bool
boundary_ok(struct str b)
{
	size_t	 i;

	if (b.n == 0 || b.n > MULTIPART_BOUNDARY_MAX || b.p[b.n - 1] == ' ')
		return false;
	for (i = 0; i < b.n; i++) {
		unsigned char	 c = (unsigned char)b.p[i];

		if (c == '\0' || !((c >= '0' && c <= '9') ||
		    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    strchr("'()+_,-./:=? ", c) != NULL))
			return false;
	}
	return true;
}

int
multipart_boundary(struct str ct, struct str *boundary, struct err *e)
{
	struct str	 s = ct, type, name, value;
	bool		 seen = false;
	int		 r;

	*boundary = STR_NULL;
	skip_ows(&s);
	type = take_token(&s);
	if (s.n > 0 && s.p[0] == '/') {
		s.p++;
		s.n--;
		(void)take_token(&s);
		type.n = (size_t)(s.p - type.p);
	}
	if (!str_caseeq_cstr(type, "multipart/form-data"))
		return err_set(e, ERR_INPUT, "Content-Type is not "
		    "multipart/form-data");
	while ((r = next_param(&s, &name, &value)) == 1) {
		if (!str_caseeq_cstr(name, "boundary"))
			continue;
		if (seen) {
			*boundary = STR_NULL;
			return err_set(e, ERR_INPUT, "Content-Type has two "
			    "boundary parameters");
		}
		seen = true;
		*boundary = value;
	}
	if (r == -1) {
		*boundary = STR_NULL;
		return err_set(e, ERR_INPUT, "Content-Type parameters are "
		    "malformed at byte %zu", (size_t)(s.p - ct.p));
	}
	if (!seen)
		return err_set(e, ERR_INPUT, "Content-Type has no boundary");
	if (!boundary_ok(*boundary)) {
		*boundary = STR_NULL;
		return err_set(e, ERR_INPUT, "multipart boundary must be 1 to "
		    "%d letters, digits or '()+_,-./:=? (RFC 2046)",
		    MULTIPART_BOUNDARY_MAX);
	}
	return 0;
}

struct part {
	size_t		 no;		/* 1-based, for messages */
	struct str	 name;
	struct str	 filename;
	bool		 has_disp, has_filename, has_type;
	struct str	 type;
};

/* Content-Disposition: form-data; name="x"; filename="y" (RFC 7578 §4.2). */
static int
parse_disposition(struct part *pt, struct str v, size_t off, struct err *e)
{
	struct str	 kind, name, value;
	bool		 has_name = false;
	int		 r;

	kind = take_token(&v);
	if (!str_caseeq_cstr(kind, "form-data"))
		return err_set(e, ERR_INPUT, "part %zu: Content-Disposition "
		    "is not form-data (byte %zu)", pt->no, off);
	while ((r = next_param(&v, &name, &value)) == 1) {
		if (str_caseeq_cstr(name, "name")) {
			if (has_name)
				goto twice;
			has_name = true;
			pt->name = value;
		} else if (str_caseeq_cstr(name, "filename")) {
			if (pt->has_filename)
				goto twice;
			pt->has_filename = true;
			pt->filename = value;
		}
		/* RFC 7578 §4.2: filename* is not used; other
		 * parameters carry nothing for us. */
	}
	if (r == -1)
		return err_set(e, ERR_INPUT, "part %zu: malformed "
		    "Content-Disposition (byte %zu)", pt->no, off);
	if (!has_name || pt->name.n == 0)
		return err_set(e, ERR_INPUT, "part %zu: Content-Disposition "
		    "has no name (byte %zu)", pt->no, off);
	return 0;
twice:
	return err_set(e, ERR_INPUT, "part %zu: Content-Disposition repeats "
	    "a parameter (byte %zu)", pt->no, off);
}

/* One header line (CRLF excluded) starting at byte off. */
static int
parse_header(struct part *pt, struct str line, size_t off, struct err *e)
{
	struct str	 name, v = line;
	size_t		 i;

	for (i = 0; i < line.n; i++) {
		unsigned char	 c = (unsigned char)line.p[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return err_set(e, ERR_INPUT, "part %zu: control byte "
			    "in a header at byte %zu", pt->no, off + i);
	}
	if (is_ows(line.p[0]))
		return err_set(e, ERR_INPUT, "part %zu: folded header line at "
		    "byte %zu", pt->no, off);
	name = take_token(&v);
	if (name.n == 0 || v.n == 0 || v.p[0] != ':')
		return err_set(e, ERR_INPUT, "part %zu: malformed header line "
		    "at byte %zu", pt->no, off);
	v.p++;
	v.n--;
	v = str_trim(v);
	if (str_caseeq_cstr(name, "Content-Disposition")) {
		if (pt->has_disp)
			return err_set(e, ERR_INPUT, "part %zu: two "
			    "Content-Disposition headers (byte %zu)", pt->no,
			    off);
		pt->has_disp = true;
		return parse_disposition(pt, v, off, e);
	}
	if (str_caseeq_cstr(name, "Content-Type")) {
		if (pt->has_type)
			return err_set(e, ERR_INPUT, "part %zu: two "
			    "Content-Type headers (byte %zu)", pt->no, off);
		pt->has_type = true;
		pt->type = v;
	}
	/* RFC 7578 §4.7: Content-Transfer-Encoding is deprecated and other
	 * headers are ignored. */
	return 0;
}

/* Fills f from the part's headers and its body p[bs..be). */
static int
make_field(struct part *pt, const char *p, size_t bs, size_t be,
    struct arena *a, struct form_field *f, struct err *e)
{
	size_t	 bad;

	if (!pt->has_disp)
		return err_set(e, ERR_INPUT, "part %zu has no "
		    "Content-Disposition header (byte %zu)", pt->no, bs);
	if (pt->name.n > FORM_NAME_MAX)
		return err_set(e, ERR_INPUT, "part %zu: name longer than %d "
		    "bytes", pt->no, FORM_NAME_MAX);
	if (!formdata_text_ok(pt->name.p, pt->name.n, NULL))
		return err_set(e, ERR_INPUT, "part %zu: name is not UTF-8 "
		    "text", pt->no);
	if (pt->has_filename && !formdata_text_ok(pt->filename.p,
	    pt->filename.n, NULL))
		return err_set(e, ERR_INPUT, "part %zu: filename is not UTF-8 "
		    "text", pt->no);
	if (!pt->has_filename && !formdata_text_ok(p + bs, be - bs, &bad))
		return err_set(e, ERR_INPUT, "part %zu: %s at byte %zu",
		    pt->no, p[bs + bad] == '\0' ? "NUL byte" :
		    "invalid UTF-8", bs + bad);
	if ((f->name.p = str_dup(a, pt->name)) == NULL ||
	    (f->value.p = arena_strndup(a, p + bs, be - bs)) == NULL ||
	    (pt->has_filename &&
	    (f->filename = str_dup(a, pt->filename)) == NULL) ||
	    (pt->has_type && (f->content_type = str_dup(a, pt->type)) == NULL))
		return err_set(e, ERR_ENV, "out of memory parsing the form");
	f->name.n = pt->name.n;
	f->value.n = be - bs;
	return 0;
}

int
multipart_parse(const char *p, size_t n, struct str boundary,
    struct arena *a, struct form *out, struct err *e)
{
	struct form_field	*f;
	char			*delim;		/* CRLF "--" boundary */
	size_t			 dn, pos;
	const char		*at;

	out->f = NULL;
	out->n = 0;
	if (!boundary_ok(boundary))
		return err_set(e, ERR_INPUT, "bad multipart boundary");
	if ((f = formdata_alloc(a, MULTIPART_PARTS_MAX)) == NULL ||
	    (delim = arena_alloc(a, boundary.n + 4)) == NULL)
		return err_set(e, ERR_ENV, "out of memory parsing the form");
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, boundary.p, boundary.n);
	dn = boundary.n + 4;
	/* RFC 2046 §5.1.1: an optional preamble ends in CRLF. */
	if (n >= dn - 2 && memcmp(p, delim + 2, dn - 2) == 0)
		pos = dn - 2;
	else if ((at = memmem(p, n, delim, dn)) != NULL)
		pos = (size_t)(at - p) + dn;
	else
		return err_set(e, ERR_INPUT, "multipart body has no boundary");
	for (;;) {
		struct part	 pt;
		size_t		 hdrs = 0, bs;

		/* pos is just past a delimiter. */
		if (n - pos >= 2 && memcmp(p + pos, "--", 2) == 0)
			break;		/* close-delimiter; epilogue ignored */
		while (pos < n && is_ows(p[pos]))
			pos++;		/* transport-padding */
		if (pos == n) {
			err_set(e, ERR_INPUT, "multipart body ends without the "
			    "closing boundary");
			goto fail;
		}
		if (n - pos < 2 || memcmp(p + pos, "\r\n", 2) != 0) {
			err_set(e, ERR_INPUT, "multipart boundary is followed "
			    "by other bytes at byte %zu", pos);
			goto fail;
		}
		pos += 2;
		if (out->n == MULTIPART_PARTS_MAX) {
			err_set(e, ERR_TOO_LARGE, "more than %d parts (byte "
			    "%zu)", MULTIPART_PARTS_MAX, pos);
			goto fail;
		}
		memset(&pt, 0, sizeof(pt));
		pt.no = out->n + 1;
		/* Header lines up to an empty line (RFC 2046 §5.1.1). */
		for (;;) {
			size_t	 lim = n - pos;
			struct str	 line;

			if (lim > MULTIPART_HEADER_LINE_MAX + 2)
				lim = MULTIPART_HEADER_LINE_MAX + 2;
			if ((at = memmem(p + pos, lim, "\r\n", 2)) == NULL) {
				if (lim == MULTIPART_HEADER_LINE_MAX + 2)
					err_set(e, ERR_TOO_LARGE, "part %zu: "
					    "header line longer than %d bytes "
					    "at byte %zu", pt.no,
					    MULTIPART_HEADER_LINE_MAX, pos);
				else
					err_set(e, ERR_INPUT, "part %zu: "
					    "body ends inside the headers",
					    pt.no);
				goto fail;
			}
			line = (struct str){ p + pos, (size_t)(at - p) - pos };
			if (line.n == 0) {
				pos += 2;
				break;
			}
			if (++hdrs > MULTIPART_PART_HEADERS_MAX) {
				err_set(e, ERR_TOO_LARGE, "part %zu: more than "
				    "%d header lines (byte %zu)", pt.no,
				    MULTIPART_PART_HEADERS_MAX, pos);
				goto fail;
			}
			if (parse_header(&pt, line, pos, e) == -1)
				goto fail;
			pos += line.n + 2;
		}
		bs = pos;
		if ((at = memmem(p + bs, n - bs, delim, dn)) == NULL) {
			err_set(e, ERR_INPUT, "part %zu is not closed by a "
			    "boundary", pt.no);
			goto fail;
		}
		pos = (size_t)(at - p);
		if (make_field(&pt, p, bs, pos, a, &f[out->n], e) == -1)
			goto fail;
		out->n++;
		pos += dn;
	}
	out->f = f;
	return 0;
fail:
	out->n = 0;
	return -1;
}
