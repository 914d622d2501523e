/*
 * multipart.h - multipart/form-data request bodies (RFC 7578, with the
 * body syntax of RFC 2046 §5.1.1 and the filename handling of the WHATWG
 * HTML Standard §4.10.21.8).
 */
#ifndef WEB_MULTIPART_H
#define WEB_MULTIPART_H

#include <stddef.h>

#include "formdata.h"

struct arena;
struct err;

#define MULTIPART_BOUNDARY_MAX		70	/* RFC 2046 §5.1.1 */
#define MULTIPART_PART_HEADERS_MAX	8	/* header lines per part */
#define MULTIPART_HEADER_LINE_MAX	1024	/* bytes, CRLF excluded */
#define MULTIPART_PARTS_MAX		FORM_FIELDS_MAX

/*
 * The boundary parameter of a Content-Type header value such as
 * "multipart/form-data; boundary=----x". *boundary is a view into
 * content_type. Refuses another media type, a missing, repeated, empty or
 * over-long boundary, and bytes outside RFC 2046 bchars.
 */
int	 multipart_boundary(struct str content_type, struct str *boundary,
	    struct err *) __attribute__((warn_unused_result));

/*
 * Parses the body p[0..n) into one field per part, copied into the arena.
 * Each part needs a Content-Disposition "form-data" header with a name;
 * a filename parameter makes it a file part whose value keeps its raw bytes
 * (the filename must be UTF-8 without NUL); other parts are text fields,
 * refused unless UTF-8 without NUL. Lines end in CRLF. Refuses a missing
 * first or closing boundary, a boundary followed by other bytes, more than
 * MULTIPART_PART_HEADERS_MAX header lines or MULTIPART_PARTS_MAX parts
 * (ERR_TOO_LARGE), a header line over MULTIPART_HEADER_LINE_MAX
 * (ERR_TOO_LARGE), folded or malformed header lines; messages give the part
 * number and byte offset. On failure *out is empty.
 */
int	 multipart_parse(const char *p, size_t n, struct str boundary,
	    struct arena *, struct form *out, struct err *)
	    __attribute__((warn_unused_result));

#endif
