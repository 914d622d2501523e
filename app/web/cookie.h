/*
 * cookie.h - the Cookie request header (RFC 6265 §4.2.1 and §5.4).
 */
#ifndef WEB_COOKIE_H
#define WEB_COOKIE_H

#include <stddef.h>

#include "formdata.h"

struct arena;
struct err;

/*
 * Splits a Cookie header value into name=value fields copied into the
 * arena; values keep their bytes (no decoding), surrounding DQUOTEs
 * removed. Pairs that do not follow RFC 6265 §4.1.1 (no '=', a name that is
 * not a token or longer than FORM_NAME_MAX, a value outside cookie-octets)
 * are skipped: other software on the same host may set them, and Tegami's
 * own cookies always conform. Refuses control bytes (ERR_INPUT) and more
 * than FORM_FIELDS_MAX pairs (ERR_TOO_LARGE). Look cookies up with
 * formdata_get(), which reports a repeated name (cookie tossing) as such.
 */
int	 cookie_parse(const char *p, size_t n, struct arena *, struct form *out,
	    struct err *) __attribute__((warn_unused_result));

#endif
