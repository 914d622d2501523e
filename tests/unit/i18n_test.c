/*
 * i18n_test.c - Accept-Language negotiation (RFC 9110 §12.5.4, qvalues
 * §12.4.2) and language names, with hostile and malformed headers.
 */
#include <stdlib.h>
#include <string.h>

#include "../../app/view/i18n.h"
#include "t.h"

struct pick_case {
	const char	*name;
	const char	*header;	/* NULL: no header */
	const char	*want;
};

static const struct pick_case picks[] = {
	{ "en-US with q", "en-US,en;q=0.9", "en" },
	{ "ja first", "ja,en;q=0.5", "ja" },
	{ "en preferred by q", "ja;q=0.5,en", "en" },
	{ "ja-JP region", "ja-JP", "ja" },
	{ "upper case", "EN-GB", "en" },
	{ "french only", "fr", "ja" },
	{ "french then english", "fr-FR,fr;q=0.9,en;q=0.8", "en" },
	{ "empty", "", "ja" },
	{ "absent", NULL, "ja" },
	{ "garbage", "\x01\xff;;;,,,=q", "ja" },
	{ "only commas", ",,,,", "ja" },
	{ "q=0 refuses en", "en;q=0", "ja" },
	{ "q=0 refuses ja", "ja;q=0,en;q=0.1", "en" },
	{ "q=0.000", "en;q=0.000", "ja" },
	{ "q over 1 ignored", "en;q=2,ja;q=0.1", "ja" },
	{ "q with 4 decimals ignored", "en;q=0.1234,ja;q=0.1", "ja" },
	{ "malformed q ignored", "en;q=abc", "ja" },
	{ "q=1.000", "en;q=1.000,ja;q=0.999", "en" },
	{ "tie goes to first", "en;q=0.5,ja;q=0.5", "en" },
	{ "spaces", "  en ; q = 0.8 ,  ja ; q=0.7 ", "en" },
	{ "wildcard", "*", "ja" },
	{ "wildcard below en", "*;q=0.1,en", "en" },
	{ "wildcard but not ja", "ja;q=0,*", "en" },
	{ "wildcard, both refused", "ja;q=0,en;q=0,*", "ja" },
	{ "other params", "en;level=1;q=0.9,ja;q=0.8", "en" },
	{ "tag with junk", "en<script>,ja;q=0.1", "ja" },
	{ "prefix lookalike", "eng,jav", "ja" },
	{ "enx is not en", "enx;q=1", "ja" },
};

static void
test_pick(void)
{
	size_t	 i;

	for (i = 0; i < sizeof(picks) / sizeof(picks[0]); i++)
		T_STREQ(i18n_pick(picks[i].header), picks[i].want,
		    picks[i].name);
}

static void
test_long_header(void)
{
	char	*h;
	size_t	 n = I18N_ACCEPT_MAX * 4, i;

	if ((h = malloc(n + 16)) == NULL)
		return;
	for (i = 0; i + 4 < n; i += 4)
		memcpy(h + i, "fr, ", 4);
	memcpy(h + i, "en", 3);
	T_STREQ(i18n_pick(h), "ja", "en past the read limit is not seen");
	memcpy(h, "en, ", 4);
	T_STREQ(i18n_pick(h), "en", "en early in a long header");
	free(h);
}

/* Random bytes and random mixes of header pieces: always "ja" or "en". */
static void
test_random(void)
{
	static const char *const bits[] = { "en", "ja", ";", ",", "q=", "0.",
	    "1", "5", "-", " ", "*", "\t", "=", "JA", "en-", ";q=0", "\xe3" };
	char		 h[96];
	const char	*got;
	unsigned int	 seed = 12345;
	int		 i, k, bad = 0;
	size_t		 n;

	for (i = 0; i < 20000; i++) {
		n = 0;
		for (k = rand_r(&seed) % 12; k > 0; k--) {
			const char *b;

			if (rand_r(&seed) % 4 == 0) {
				h[n++] = (char)(1 + rand_r(&seed) % 255);
				continue;
			}
			b = bits[rand_r(&seed) % (sizeof(bits) /
			    sizeof(bits[0]))];
			if (n + strlen(b) >= sizeof(h) - 1)
				break;
			memcpy(h + n, b, strlen(b));
			n += strlen(b);
		}
		h[n] = '\0';
		got = i18n_pick(h);
		if (strcmp(got, "ja") != 0 && strcmp(got, "en") != 0)
			bad++;
	}
	T_OK(bad == 0, "20000 random headers give ja or en");
}

static void
test_lang(void)
{
	T_STREQ(i18n_lang("en"), "en", "en stays");
	T_STREQ(i18n_lang("ja"), "ja", "ja stays");
	T_STREQ(i18n_lang("EN"), "ja", "case-sensitive stored value");
	T_STREQ(i18n_lang(NULL), "ja", "NULL is the default");
	T_STREQ(i18n_lang("en-US"), "ja", "not a stored value");
	T_OK(i18n_lang_valid("ja") && i18n_lang_valid("en"), "valid");
	T_OK(!i18n_lang_valid("") && !i18n_lang_valid(NULL) &&
	    !i18n_lang_valid("fr") && !i18n_lang_valid("ja "), "invalid");
	T_STREQ(i18n_text("en", "x.y"), "x.y",
	    "no catalogs installed: the key comes back");
	T_STREQ(i18n_text("en", NULL), "", "NULL key");
}

int
main(void)
{
	T_SUITE("i18n");
	T_RUN(test_pick);
	T_RUN(test_long_header);
	T_RUN(test_random);
	T_RUN(test_lang);
	return t_done("i18n");
}
