/*
 * reply.c - SMTP reply parser (see reply.h). RFC 5321 §4.2 for the reply
 * syntax, RFC 3463 §2 for enhanced status codes
 * (class "." subject "." detail, subject and detail 1 to 3 digits).
 */
#include <string.h>

#include "../core/err.h"
#include "reply.h"

void
reply_init(struct reply *r)
{
	memset(r, 0, sizeof(*r));
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads up to 3 digits (at least one) at p[*i]; false if none. */
static bool
enh_part(const char *p, size_t n, size_t *i)
{
	size_t	 k = 0;

	while (*i < n && is_digit(p[*i]) && k < 3) {
		(*i)++;
		k++;
	}
	return k > 0 && (*i >= n || !is_digit(p[*i]));
}

/* RFC 3463 §2: an enhanced code opens the text; its class must match
 * the reply's first digit (RFC 2034 §4). */
static void
enh_parse(struct reply *r, const char *p, size_t n)
{
	size_t	 i = 0;

	if (n < 5 || (p[0] != '2' && p[0] != '4' && p[0] != '5') ||
	    p[0] - '0' != r->code / 100 || p[1] != '.')
		return;
	i = 2;
	if (!enh_part(p, n, &i) || i >= n || p[i] != '.')
		return;
	i++;
	if (!enh_part(p, n, &i))
		return;
	if (i < n && p[i] != ' ' && p[i] != '\t')
		return;
	memcpy(r->enhanced, p, i);
	r->enhanced[i] = '\0';
}

static void
text_add(struct reply *r, const char *p, size_t n)
{
	size_t	 room;

	if (r->textlen > 0 && r->textlen + 1 < REPLY_TEXT_MAX)
		r->text[r->textlen++] = ' ';
	room = REPLY_TEXT_MAX - 1 - r->textlen;
	if (n > room) {
		n = room;
		r->truncated = true;
	}
	memcpy(r->text + r->textlen, p, n);
	r->textlen += n;
	r->text[r->textlen] = '\0';
}

int
reply_line(struct reply *r, const char *line, size_t n, struct err *e)
{
	int	 code;
	bool	 last;

	if (n > 0 && line[n - 1] == '\r')
		n--;
	if (n + 2 > REPLY_LINE_MAX)
		return err_set(e, ERR_INPUT, "reply line longer than %d octets",
		    REPLY_LINE_MAX);
	if (memchr(line, '\0', n) != NULL)
		return err_set(e, ERR_INPUT, "NUL byte in reply");
	if (r->nlines >= REPLY_LINES_MAX)
		return err_set(e, ERR_INPUT, "reply longer than %d lines",
		    REPLY_LINES_MAX);
	if (n < 3 || !is_digit(line[0]) || !is_digit(line[1]) ||
	    !is_digit(line[2]))
		return err_set(e, ERR_INPUT, "reply line without a code");
	code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
	if (code < 200 || code > 599)
		return err_set(e, ERR_INPUT, "reply code %d out of range",
		    code);
	if (n > 3 && line[3] != ' ' && line[3] != '-')
		return err_set(e, ERR_INPUT, "bad separator after reply code");
	if (r->nlines > 0 && code != r->code)
		return err_set(e, ERR_INPUT,
		    "reply code changed from %d to %d", r->code, code);
	last = n == 3 || line[3] == ' ';
	r->code = code;
	if (n > 4) {
		if (r->nlines == 0)
			enh_parse(r, line + 4, n - 4);
		text_add(r, line + 4, n - 4);
	}
	r->nlines++;
	return last ? 1 : 0;
}

int
reply_parse(const char *p, size_t n, struct reply *r, size_t *used,
    struct err *e)
{
	size_t		 off = 0;
	const char	*nl;
	int		 rc;

	reply_init(r);
	*used = 0;
	while (off < n) {
		nl = memchr(p + off, '\n', n - off);
		if (nl == NULL) {
			if (n - off + 1 > REPLY_LINE_MAX)
				return err_set(e, ERR_INPUT,
				    "reply line longer than %d octets",
				    REPLY_LINE_MAX);
			return 0;
		}
		rc = reply_line(r, p + off, (size_t)(nl - (p + off)), e);
		off = (size_t)(nl - p) + 1;
		if (rc == -1)
			return -1;
		if (rc == 1) {
			*used = off;
			return 1;
		}
	}
	return 0;
}

int
reply_class(const struct reply *r)
{
	return r->code / 100;
}

bool
reply_enh_is(const struct reply *r, const char *prefix)
{
	return strncmp(r->enhanced, prefix, strlen(prefix)) == 0;
}
