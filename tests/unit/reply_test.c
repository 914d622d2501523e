/*
 * reply_test.c - SMTP reply parser: multi-line replies, enhanced codes
 * (RFC 3463), code mismatch, long lines, garbage, input split across reads.
 */
#include <string.h>

#include "../../app/core/err.h"
#include "../../app/sender/reply.h"
#include "t.h"

struct reply_case {
	const char	*name;
	const char	*in;
	int		 rc;		/* reply_parse result */
	int		 code;
	const char	*enh;
	const char	*text;
	size_t		 used;		/* 0: whole input */
};

static const struct reply_case cases[] = {
	{ "single", "250 OK\r\n", 1, 250, "", "OK", 0 },
	{ "bare code", "354\r\n", 1, 354, "", "", 0 },
	{ "lf only", "220 hi\n", 1, 220, "", "hi", 0 },
	{ "multi", "250-mx.example\r\n250-PIPELINING\r\n250 SIZE 100\r\n",
	  1, 250, "", "mx.example PIPELINING SIZE 100", 0 },
	{ "enhanced", "550 5.1.1 <a@b>: no such user\r\n", 1, 550, "5.1.1",
	  "5.1.1 <a@b>: no such user", 0 },
	{ "enhanced 3 digits", "421 4.7.0 [TSS04] Messages from x\r\n", 1,
	  421, "4.7.0", "4.7.0 [TSS04] Messages from x", 0 },
	{ "enhanced wide", "552 5.3.400 too big\r\n", 1, 552, "5.3.400",
	  "5.3.400 too big", 0 },
	{ "enhanced class mismatch", "550 4.1.1 odd\r\n", 1, 550, "",
	  "4.1.1 odd", 0 },
	{ "enhanced too many digits", "550 5.1111.1 odd\r\n", 1, 550, "",
	  "5.1111.1 odd", 0 },
	{ "enhanced glued", "550 5.1.1x\r\n", 1, 550, "", "5.1.1x", 0 },
	{ "leftover kept", "250 a\r\n250 b\r\n", 1, 250, "", "a", 7 },
	{ "partial line", "250-a\r\n250 b", 0, 0, NULL, NULL, 0 },
	{ "empty", "", 0, 0, NULL, NULL, 0 },
	{ "code mismatch", "250-a\r\n251 b\r\n", -1, 0, NULL, NULL, 0 },
	{ "garbage", "hello world\r\n", -1, 0, NULL, NULL, 0 },
	{ "binary", "\x01\x02\x03\r\n", -1, 0, NULL, NULL, 0 },
	{ "code too small", "199 x\r\n", -1, 0, NULL, NULL, 0 },
	{ "code too big", "600 x\r\n", -1, 0, NULL, NULL, 0 },
	{ "bad separator", "250/x\r\n", -1, 0, NULL, NULL, 0 },
	{ "two digits", "25\r\n", -1, 0, NULL, NULL, 0 },
	{ "nul byte", "250 a\0b\r\n", -1, 0, NULL, NULL, 0 },
	{ "http answer", "HTTP/1.1 400 Bad\r\n", -1, 0, NULL, NULL, 0 },
};

static void
test_table(void)
{
	size_t		 i, used, len;
	struct reply	 r;
	struct err	 e;
	int		 rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct reply_case *c = &cases[i];

		len = strlen(c->in);
		if (strcmp(c->name, "nul byte") == 0)
			len = 9;
		rc = reply_parse(c->in, len, &r, &used, &e);
		T_OK(rc == c->rc, "%s: rc %d want %d", c->name, rc, c->rc);
		if (rc != 1 || c->rc != 1)
			continue;
		T_OK(r.code == c->code, "%s: code %d", c->name, r.code);
		T_STREQ(r.enhanced, c->enh, c->name);
		T_STREQ(r.text, c->text, c->name);
		T_OK(used == (c->used ? c->used : len), "%s: used %zu",
		    c->name, used);
	}
}

static void
test_long_lines(void)
{
	char		 buf[2048];
	struct reply	 r;
	struct err	 e;
	size_t		 used;

	/* 510 octets + CRLF = 512: the longest legal line. */
	memset(buf, 'a', sizeof(buf));
	memcpy(buf, "250 ", 4);
	memcpy(buf + 510, "\r\n", 2);
	T_OK(reply_parse(buf, 512, &r, &used, &e) == 1, "512 octets ok");
	T_OK(r.textlen == 506, "text kept");
	memcpy(buf + 510, "aa\r\n", 4);
	T_OK(reply_parse(buf, 514, &r, &used, &e) == -1, "514 refused");
	/* Without any newline: an error once past the limit, not "more". */
	T_OK(reply_parse(buf, 511, &r, &used, &e) == 0, "511 pending");
	T_OK(reply_parse(buf, 600, &r, &used, &e) == -1, "600 pending refused");
}

static void
test_many_lines(void)
{
	char		 buf[REPLY_LINES_MAX * 8 + 1200];
	size_t		 i, n = 0, used;
	struct reply	 r;
	struct err	 e;

	for (i = 0; i < REPLY_LINES_MAX; i++) {
		memcpy(buf + n, "250-x\r\n", 7);
		n += 7;
	}
	memcpy(buf + n, "250 y\r\n", 7);
	n += 7;
	T_OK(reply_parse(buf, n, &r, &used, &e) == -1, "too many lines");
	T_OK(strstr(e.msg, "lines") != NULL, "message names lines");
	/* text is truncated, not overflowed, on many long lines */
	n = 0;
	for (i = 0; i < 10; i++) {
		memset(buf + n, 'b', 100);
		memcpy(buf + n, "250-", 4);
		memcpy(buf + n + 98, "\r\n", 2);
		n += 100;
	}
	memcpy(buf + n, "250 z\r\n", 7);
	n += 7;
	T_OK(reply_parse(buf, n, &r, &used, &e) == 1, "10 long lines");
	T_OK(r.truncated && r.textlen == REPLY_TEXT_MAX - 1, "text truncated");
}

/* Fed line by line and byte by byte, as a socket would deliver it. */
static void
test_split(void)
{
	const char	*in = "250-mx.example.test\r\n250-8BITMIME\r\n"
			    "250 5.0.0 PIPELINING\r\n";
	size_t		 cut, used, n = strlen(in);
	struct reply	 r;
	struct err	 e;
	int		 bad = 0;

	for (cut = 0; cut < n; cut++) {
		if (reply_parse(in, cut, &r, &used, &e) != 0)
			bad++;
	}
	T_OK(bad == 0, "every prefix asks for more");
	T_OK(reply_parse(in, n, &r, &used, &e) == 1 && used == n, "whole");
	T_STREQ(r.enhanced, "", "enhanced only from first line");
	reply_init(&r);
	T_OK(reply_line(&r, "250-a", 5, &e) == 0, "line 1 more");
	T_OK(reply_line(&r, "250-b\r", 6, &e) == 0, "line 2 more");
	T_OK(reply_line(&r, "250 c", 5, &e) == 1, "line 3 last");
	T_OK(r.nlines == 3, "3 lines");
	T_OK(reply_class(&r) == 2, "class 2");
	reply_init(&r);
	T_OK(reply_line(&r, "550 5.7.1 no", 12, &e) == 1 &&
	    reply_enh_is(&r, "5.7.") && !reply_enh_is(&r, "5.1."), "enh_is");
}

int
main(void)
{
	T_SUITE("reply");
	T_RUN(test_table);
	T_RUN(test_long_lines);
	T_RUN(test_many_lines);
	T_RUN(test_split);
	return t_done("reply");
}
