/*
 * urlenc.h - application/x-www-form-urlencoded bodies and query strings
 * (WHATWG URL Standard §5.1, "application/x-www-form-urlencoded parsing").
 */
#ifndef WEB_URLENC_H
#define WEB_URLENC_H

#include <stddef.h>

#include "formdata.h"

struct arena;
struct err;

/*
 * Splits p[0..n) at '&' into name=value fields ("+" is a space, %XX a
 * byte), decoded into the arena. Empty segments ("a=1&&b=2") are skipped;
 * a segment without '=' has an empty value. Refuses, with a message naming
 * the problem and the byte offset: a bad %-escape, an empty name, a NUL or
 * invalid UTF-8 after decoding, a name longer than FORM_NAME_MAX (all
 * ERR_INPUT), more than FORM_FIELDS_MAX fields (ERR_TOO_LARGE), and running
 * out of arena (ERR_ENV). On failure *out is empty.
 */
int	 urlenc_parse(const char *p, size_t n, struct arena *, struct form *out,
	    struct err *) __attribute__((warn_unused_result));

#endif
