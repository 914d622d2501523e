/*
 * hdr.h - mail header fields (RFC 5322 §2.2, §3.6): building folded
 * fields, RFC 2047 encoded-words for text and display names, and parsing
 * the header section of an existing message (for DKIM, RFC 6376 §3.4).
 *
 * Only this file folds mail headers (STYLE.md). Values with CR, LF or NUL
 * are refused before anything is written. Output lines stay within
 * HDR_LINE_SOFT columns wherever white space or encoding allows, and never
 * exceed HDR_LINE_MAX octets (refused instead).
 */
#ifndef MAIL_HDR_H
#define MAIL_HDR_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/str.h"

#define HDR_LINE_SOFT	78	/* RFC 5322 §2.1.1 SHOULD */
#define HDR_LINE_MAX	998	/* RFC 5322 §2.1.1 MUST, without CRLF */
#define HDR_NAME_MAX	76	/* a field name we emit or look up */
#define HDR_FIELDS_MAX	512	/* fields in one parsed header section */
#define HDR_WORD_MAX	75	/* RFC 2047 §2 encoded-word length */
#define HDR_VALUE_MAX	(64 * 1024) /* one value we are asked to emit */

struct err;
struct sbuf;

enum hdr_charset {
	HDR_CS_UTF8,		/* =?UTF-8?B?...?= */
	HDR_CS_ISO2022JP,	/* =?ISO-2022-JP?B?...?= (RFC 1468) */
	HDR_CS__MAX
};

struct hdr_field {
	struct str	 name;	/* as written, without trailing WSP */
	struct str	 value;	/* after ':', folding kept, no final EOL */
	struct str	 raw;	/* whole field with its final line end */
};

struct hdr_section {
	size_t		 n;		/* fields in f */
	size_t		 body;		/* offset of the body in the input */
	bool		 has_blank;	/* a blank line ended the header */
	struct hdr_field f[HDR_FIELDS_MAX];
};

/*
 * Parses the header section of the message p (CRLF or LF line ends) into
 * out (views into p). Fails with ERR_INPUT on a line that is neither a
 * field nor a continuation, ERR_TOO_LARGE past HDR_FIELDS_MAX fields.
 * A message without a blank line is all header (body = n).
 */
int	 hdr_parse(const char *p, size_t n, struct hdr_section *out,
	    struct err *e) __attribute__((warn_unused_result));
/* Number of fields named name (case-insensitive). */
size_t	 hdr_count(const struct hdr_section *, const char *name);
/* First field named name, NULL when absent. */
const struct hdr_field *hdr_find(const struct hdr_section *, const char *name);

/* True when name is 1..HDR_NAME_MAX printable ASCII octets without ':'. */
bool	 hdr_name_valid(struct str name);

/*
 * Appends "Name: value\r\n", value being printable ASCII (tabs allowed),
 * folded before white space. Leading and trailing white space of value is
 * dropped. Refuses CR/LF/NUL, 8-bit bytes and unfoldable lines > 998.
 */
int	 hdr_put(struct sbuf *out, const char *name, struct str value,
	    struct err *e) __attribute__((warn_unused_result));
/*
 * Unstructured text (Subject, RFC 5322 §3.2.5) from UTF-8: plain words
 * stay as they are, runs of words with 8-bit text (or looking like
 * encoded-words, or too long to fold) become RFC 2047 B encoded-words in
 * cs, at most 75 octets each, never splitting a character.
 */
int	 hdr_put_text(struct sbuf *out, const char *name, struct str utf8,
	    enum hdr_charset cs, struct err *e)
	    __attribute__((warn_unused_result));
/*
 * A mailbox field: "Name: display <spec>" (or "Name: spec" with no
 * display name). display (UTF-8) is written as atoms, a quoted-string or
 * encoded-words as needed; spec must satisfy addr_spec_valid().
 */
int	 hdr_put_addr(struct sbuf *out, const char *name, struct str display,
	    struct str spec, enum hdr_charset cs, struct err *e)
	    __attribute__((warn_unused_result));

/*
 * Decodes an unstructured field value to UTF-8 (RFC 2047 §6): unfolds,
 * decodes B and Q words in UTF-8, US-ASCII and ISO-2022-JP, drops white
 * space between adjacent encoded-words and at both ends. Words in other
 * charsets or malformed ones are kept as they are. Fails when a decoded
 * word is not valid in its charset.
 */
int	 hdr_decode(struct str value, struct sbuf *out, struct err *e)
	    __attribute__((warn_unused_result));

/* Appends base64 (RFC 4648 §4, padded, no line breaks) of p. */
void	 hdr_b64(struct sbuf *out, const void *p, size_t n);

#endif
