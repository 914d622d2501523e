/*
 * reply.h - SMTP reply parser (RFC 5321 §4.2, enhanced status codes
 * RFC 3463 / RFC 2034).
 *
 * Trusts nothing: the bytes come from a remote server. Lines are bounded
 * (REPLY_LINE_MAX, with CRLF, RFC 5321 §4.5.3.1.5), a reply has at most
 * REPLY_LINES_MAX lines, every line must carry the same three-digit code,
 * and anything else is an error. The parser is fed one line at a time so
 * that a connection keeps only a line-sized input buffer; reply_parse()
 * handles a whole buffer (tests, fuzzing).
 */
#ifndef SENDER_REPLY_H
#define SENDER_REPLY_H

#include <stdbool.h>
#include <stddef.h>

struct err;

#define REPLY_LINE_MAX		512	/* octets with CRLF, §4.5.3.1.5 */
#define REPLY_LINES_MAX		64
#define REPLY_TEXT_MAX		512	/* text kept, lines joined by ' ' */
#define REPLY_ENH_MAX		16	/* "5.1.1" plus NUL, 3.3 digits max */

struct reply {
	int		 code;		/* 0 until the first line */
	char		 enhanced[REPLY_ENH_MAX]; /* "" when absent */
	size_t		 nlines;
	size_t		 textlen;
	char		 text[REPLY_TEXT_MAX];	/* raw peer bytes, NUL-ended */
	bool		 truncated;	/* text was cut at REPLY_TEXT_MAX */
};

/* Empties r for the next reply. */
void	 reply_init(struct reply *r);
/* Feeds one line without its CRLF (a lone trailing CR is removed too).
 * Returns 1 when the line was the last of the reply, 0 when more lines
 * must follow, -1 (e set) on garbage: no code, code outside 200..599,
 * a code differing from the first line's, a line too long, too many lines
 * or a NUL byte. */
int	 reply_line(struct reply *r, const char *line, size_t n, struct err *)
	    __attribute__((warn_unused_result));
/* Parses one complete reply from p[0..n). Returns 1 with *used set to the
 * bytes consumed, 0 when more input is needed (nothing is consumed; a
 * partial line longer than REPLY_LINE_MAX is already an error), -1 on
 * garbage. r is re-initialised first. */
int	 reply_parse(const char *p, size_t n, struct reply *r, size_t *used,
	    struct err *) __attribute__((warn_unused_result));
/* The class digit of the code: 2, 3, 4 or 5 (0 when none). */
int	 reply_class(const struct reply *r);
/* True when the enhanced code starts with prefix ("5.1.", "4.7."). */
bool	 reply_enh_is(const struct reply *r, const char *prefix);

#endif
