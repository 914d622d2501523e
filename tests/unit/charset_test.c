/*
 * charset_test.c - UTF-8 validation (RFC 3629) and ISO-2022-JP conversion
 * (RFC 1468) of app/mail/charset.c. The expected ISO-2022-JP bytes are
 * what `iconv -f UTF-8 -t ISO-2022-JP` produces for the same text.
 */
#include <stdbool.h>
#include <string.h>

#include "t.h"
#include "../../app/core/err.h"
#include "../../app/core/sbuf.h"
#include "../../app/mail/charset.h"

static void
test_utf8(void)
{
	static const struct {
		const char	*name, *in;
		bool		 ok;
	} cases[] = {
		{ "ascii", "hello", true },
		{ "empty", "", true },
		{ "japanese", "日本語のテキスト", true },
		{ "4-byte emoji", "\xf0\x9f\x93\xa7", true },
		{ "U+10FFFF", "\xf4\x8f\xbf\xbf", true },
		{ "overlong slash", "\xc0\xaf", false },
		{ "overlong 3-byte", "\xe0\x80\xaf", false },
		{ "surrogate", "\xed\xa0\x80", false },
		{ "past U+10FFFF", "\xf4\x90\x80\x80", false },
		{ "truncated", "\xe3\x81", false },
		{ "lone continuation", "a\x80" "b", false },
		{ "0xff", "\xff", false },
		{ "latin-1 e acute", "caf\xe9", false },
	};
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		T_OK(charset_is_utf8(cases[i].in, strlen(cases[i].in)) ==
		    cases[i].ok, "utf8 %s", cases[i].name);
	T_OK(charset_is_ascii("abc\t\r\n", 6), "ascii yes");
	T_OK(!charset_is_ascii("ab\xc3\xa9", 4), "ascii no");
}

static void
test_iso2022jp(void)
{
	/* iconv -f UTF-8 -t ISO-2022-JP of 「こんにちは、世界」 */
	static const unsigned char want[] = {
		0x1b, 0x24, 0x42, 0x21, 0x56, 0x24, 0x33, 0x24, 0x73, 0x24,
		0x4b, 0x24, 0x41, 0x24, 0x4f, 0x21, 0x22, 0x40, 0x24, 0x33,
		0x26, 0x21, 0x57, 0x1b, 0x28, 0x42,
	};
	const char	*in = "「こんにちは、世界」";
	struct sbuf	 b;
	struct err	 e;

	sbuf_init(&b, NULL, 0);
	err_clear(&e);
	T_OK(charset_to_iso2022jp(in, strlen(in), &b, &e) == 0, "convert");
	T_OK(b.len == sizeof(want) && memcmp(b.p, want, b.len) == 0,
	    "bytes of 「こんにちは、世界」 match iconv");

	/* RFC 1468: every line returns to ASCII before its line end */
	sbuf_reset(&b);
	in = "日本\r\n語 text\n";
	T_OK(charset_to_iso2022jp(in, strlen(in), &b, &e) == 0,
	    "multi-line converts");
	T_OK(b.len > 8 && memcmp(b.p, "\x1b$BF|K\\\x1b(B\r\n", 12) == 0,
	    "first line ends in ASCII before CRLF");
	T_OK(b.len >= 4 && memcmp(b.p + b.len - 1, "\n", 1) == 0 &&
	    memmem(b.p, b.len, "\x1b(B text\n", 9) != NULL,
	    "second line back in ASCII");

	sbuf_reset(&b);
	T_OK(charset_to_iso2022jp("plain", 5, &b, &e) == 0 &&
	    strcmp(b.p, "plain") == 0, "ascii passes unchanged");

	/* refusals name the first character */
	sbuf_reset(&b);
	in = "日本ｱイ";
	T_OK(charset_to_iso2022jp(in, strlen(in), &b, &e) == -1 &&
	    e.kind == ERR_INPUT && strstr(e.msg, "U+FF71") != NULL &&
	    strstr(e.msg, "offset 6") != NULL,
	    "half-width katakana refused, named: %s", e.msg);
	sbuf_reset(&b);
	in = "ok \xf0\x9f\x93\xa7 no";
	T_OK(charset_to_iso2022jp(in, strlen(in), &b, &e) == -1 &&
	    strstr(e.msg, "U+1F4E7") != NULL, "emoji refused: %s", e.msg);
	sbuf_reset(&b);
	T_OK(charset_to_iso2022jp("a\xff", 2, &b, &e) == -1 &&
	    strstr(e.msg, "UTF-8") != NULL, "bad UTF-8 refused");

	/* and back */
	sbuf_reset(&b);
	T_OK(charset_from_iso2022jp((const char *)want, sizeof(want), &b,
	    &e) == 0 && strcmp(b.p, "「こんにちは、世界」") == 0,
	    "ISO-2022-JP back to UTF-8");
	sbuf_reset(&b);
	T_OK(charset_from_iso2022jp("\x1b$B\xff\xff", 5, &b, &e) == -1,
	    "malformed ISO-2022-JP refused");
	sbuf_free(&b);
}

int
main(void)
{
	T_SUITE("charset");
	T_RUN(test_utf8);
	T_RUN(test_iso2022jp);
	return t_done("charset");
}
