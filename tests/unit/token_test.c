/*
 * token_test.c - random tokens, their base64url text, hashes and MACs
 * (token.c). The MAC is checked against keyed BLAKE2b-256 computed by
 * Python's hashlib, an independent implementation.
 */
#include <string.h>

#include <sodium.h>

#include "t.h"
#include "web/token.h"

static void
test_encode(void)
{
	uint8_t	 raw[TOKEN_BYTES], back[TOKEN_BYTES];
	char	 text[TOKEN_TEXT];
	int	 i;
	bool	 all = true;

	memset(raw, 0, sizeof(raw));
	token_encode(raw, text);
	T_STREQ(text, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "zeros");
	memset(raw, 0xff, sizeof(raw));
	token_encode(raw, text);
	T_STREQ(text, "__________________________________________8",
	    "ones (url-safe alphabet, no padding)");
	for (i = 0; i < 200; i++) {
		token_new(raw);
		token_encode(raw, text);
		if (strlen(text) != TOKEN_TEXT - 1 ||
		    token_decode(str_from(text), back) != 0 ||
		    memcmp(raw, back, sizeof(raw)) != 0)
			all = false;
	}
	T_OK(all, "200 random tokens round-trip");
	token_new(back);
	T_OK(memcmp(raw, back, sizeof(raw)) != 0, "two tokens differ");
}

static void
test_decode_bad(void)
{
	static const struct {
		const char	*name, *text;
	} c[] = {
		{ "empty", "" },
		{ "42 chars", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" },
		{ "44 chars", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" },
		{ "padding", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" },
		{ "plus", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+" },
		{ "slash", "/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" },
		{ "space", "AAAAAAAAAAAAAAAAAAAAA AAAAAAAAAAAAAAAAAAAAA" },
		{ "non-canonical tail", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		    "AAAAAAAAB" },
		{ "non-ASCII", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		    "\xc3\xa9" },
	};
	uint8_t	 raw[TOKEN_BYTES];
	size_t	 i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		T_OK(token_decode(str_from(c[i].text), raw) == -1,
		    "refuses %s", c[i].name);
	T_OK(token_decode(STR_NULL, raw) == -1, "refuses NULL");
	T_OK(token_decode((struct str){ "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAA\0", 43 }, raw) == 0, "a view of exactly 43");
	T_OK(token_decode((struct str){ "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAA\0A", 43 }, raw) == -1, "embedded NUL refused");
}

static void
test_hash_mac(void)
{
	static const uint8_t	 zero_sha256[32] = {	/* SHA-256(32 x 0x00) */
		0x66, 0x68, 0x7a, 0xad, 0xf8, 0x62, 0xbd, 0x77, 0x6c, 0x8f,
		0xc1, 0x8b, 0x8e, 0x9f, 0x8e, 0x20, 0x08, 0x97, 0x14, 0x85,
		0x6e, 0xe2, 0x33, 0xb3, 0x90, 0x2a, 0x59, 0x1d, 0x0d, 0x5f,
		0x29, 0x25,
	};
	/* BLAKE2b-256 keyed with bytes 0..31 over "csrf:login", computed
	 * with Python's hashlib (an independent implementation). */
	static const uint8_t	 ref[32] = {
		0xa8, 0x32, 0xbd, 0x0c, 0xdb, 0xdf, 0xdb, 0xf5, 0x40, 0xcd,
		0x32, 0x5d, 0xc3, 0xb0, 0x80, 0xb4, 0x63, 0x55, 0x42, 0x2a,
		0xa4, 0x89, 0x67, 0xe6, 0x50, 0x59, 0x6f, 0xbf, 0x80, 0x9c,
		0x78, 0xb1,
	};
	uint8_t		 raw[TOKEN_BYTES] = { 0 }, h[32], key[32], mac[32];
	unsigned	 i;
	const char	 msg[] = "csrf:login";

	token_hash(raw, h);
	T_OK(memcmp(h, zero_sha256, 32) == 0, "token_hash is SHA-256");
	T_OK(token_equal(h, zero_sha256, 32), "token_equal same");
	h[31] ^= 1;
	T_OK(!token_equal(h, zero_sha256, 32), "token_equal differs");
	for (i = 0; i < 32; i++)
		key[i] = (uint8_t)i;
	token_mac(key, msg, strlen(msg), mac);
	T_OK(memcmp(mac, ref, 32) == 0, "token_mac is keyed BLAKE2b-256");
	T_OK(token_mac_verify(key, msg, strlen(msg), mac), "mac verifies");
	T_OK(!token_mac_verify(key, msg, strlen(msg) - 1, mac),
	    "other message refused");
	mac[0] ^= 0x80;
	T_OK(!token_mac_verify(key, msg, strlen(msg), mac),
	    "altered mac refused");
	mac[0] ^= 0x80;
	key[0] ^= 1;
	T_OK(!token_mac_verify(key, msg, strlen(msg), mac),
	    "other key refused");
}

int
main(void)
{
	if (sodium_init() < 0)
		return 1;
	T_SUITE("token");
	T_RUN(test_encode);
	T_RUN(test_decode_bad);
	T_RUN(test_hash_mac);
	return t_done("token");
}
