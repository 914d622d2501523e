/*
 * charset.h - character set helpers for mail text: strict UTF-8
 * validation (RFC 3629) and conversion to and from ISO-2022-JP (RFC 1468)
 * through glibc iconv.
 *
 * Input is untrusted text (templates, subscriber fields); every function is
 * bounded by the length it is given and never reads past it.
 */
#ifndef MAIL_CHARSET_H
#define MAIL_CHARSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct err;
struct sbuf;

/*
 * Length (1..4) of the well-formed UTF-8 sequence at p (n bytes left), its
 * code point in *cp (may be NULL); 0 when the bytes there are not UTF-8
 * (overlong, surrogate, above U+10FFFF, truncated).
 */
size_t	 charset_utf8_next(const char *p, size_t n, uint32_t *cp);
/* True when all n bytes are well-formed UTF-8. */
bool	 charset_is_utf8(const char *p, size_t n);
/* True when all n bytes are below 0x80. */
bool	 charset_is_ascii(const char *p, size_t n);

/*
 * Appends the ISO-2022-JP form (RFC 1468) of the UTF-8 text p to out. Every
 * line (ended by LF) and the whole output end in the ASCII state, as RFC
 * 1468 asks. Line ends are copied as they are. Fails (ERR_INPUT) on
 * malformed UTF-8 or on the first character that neither ASCII nor
 * JIS X 0208 can represent, naming it ("U+FF71 'ｱ'") and its offset;
 * ERR_ENV when iconv is unusable or out is full.
 */
int	 charset_to_iso2022jp(const char *p, size_t n, struct sbuf *out,
	    struct err *e) __attribute__((warn_unused_result));
/* The reverse, ISO-2022-JP bytes to UTF-8 (for decoding encoded-words). */
int	 charset_from_iso2022jp(const char *p, size_t n, struct sbuf *out,
	    struct err *e) __attribute__((warn_unused_result));

#endif
