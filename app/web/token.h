/*
 * token.h - 256-bit random tokens (sessions, CSRF, password resets, API
 * keys) and keyed MACs. Only token hashes are stored; the raw token exists
 * in the cookie or the form and in memory while a request runs.
 */
#ifndef WEB_TOKEN_H
#define WEB_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/str.h"

#define TOKEN_BYTES	32
#define TOKEN_TEXT	44	/* 43 base64url characters + NUL */
#define TOKEN_HASH_BYTES 32
#define TOKEN_MAC_BYTES	32

/* TOKEN_BYTES from randombytes_buf(). */
void	 token_new(uint8_t raw[TOKEN_BYTES]);
/* base64url without padding (RFC 4648 §5), NUL-terminated. */
void	 token_encode(const uint8_t raw[TOKEN_BYTES], char out[TOKEN_TEXT]);
/* The inverse; -1 on anything but exactly 43 canonical base64url
 * characters. */
int	 token_decode(struct str text, uint8_t raw[TOKEN_BYTES])
	    __attribute__((warn_unused_result));
/* SHA-256 of the raw token: what the database keeps. */
void	 token_hash(const uint8_t raw[TOKEN_BYTES],
	    uint8_t out[TOKEN_HASH_BYTES]);
/* Constant-time comparison (sodium_memcmp). */
bool	 token_equal(const uint8_t *a, const uint8_t *b, size_t n);
/* Keyed BLAKE2b-256 (crypto_generichash) of msg under key, for stateless
 * CSRF tokens of anonymous forms; verification runs in constant time. */
void	 token_mac(const uint8_t key[32], const void *msg, size_t n,
	    uint8_t out[TOKEN_MAC_BYTES]);
bool	 token_mac_verify(const uint8_t key[32], const void *msg, size_t n,
	    const uint8_t mac[TOKEN_MAC_BYTES]);

#endif
