/*
 * formdata.h - parsed request fields, shared by the query-string, form-body,
 * multipart and cookie parsers.
 *
 * A parser fills a struct form whose names and values are decoded copies in
 * the request arena, NUL-terminated (a value's n may still count embedded
 * NULs in multipart file parts, never in text fields). Nothing here is
 * trusted yet: form.c validates fields against a route's form spec.
 */
#ifndef WEB_FORMDATA_H
#define WEB_FORMDATA_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/str.h"

struct arena;

#define FORM_FIELDS_MAX	256	/* fields (or parts, or cookies) per request */
#define FORM_NAME_MAX	128	/* bytes of one decoded field name */

struct form_field {
	struct str	 name;		/* decoded, NUL-terminated, in the arena */
	struct str	 value;		/* the same */
	const char	*filename;	/* multipart file parts, else NULL */
	const char	*content_type;	/* multipart part type, else NULL */
};

struct form {
	struct form_field	*f;
	size_t			 n;
};

/*
 * The field called name, or NULL when absent. A repeated field is an error
 * (STYLE.md: repeats are errors): it returns NULL and sets *repeated to true.
 * *repeated is false otherwise; repeated may be NULL.
 */
const struct form_field *formdata_get(const struct form *, const char *name,
	    bool *repeated);

/*
 * True when p[0..n) is well-formed UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing past U+10FFFF) and holds no NUL. Otherwise false, with
 * *bad (may be NULL) set to the offset of the first offending byte.
 */
bool	 formdata_text_ok(const char *p, size_t n, size_t *bad);

/* An array of n zeroed fields from the arena; NULL when out of memory. */
struct form_field *formdata_alloc(struct arena *, size_t n);

#endif
