/*
 * password.c - Argon2id password hashes through libsodium
 * (crypto_pwhash_str_alg with crypto_pwhash_ALG_ARGON2ID13; RFC 9106).
 * Passwords are untrusted input of bounded length; hashes come from our
 * own database but are still checked by libsodium before use.
 */
#include <string.h>

#include <sodium.h>

#include "err.h"
#include "password.h"

_Static_assert(PASSWORD_HASH_MAX >= crypto_pwhash_STRBYTES,
    "PASSWORD_HASH_MAX too small for crypto_pwhash_str");

/* Set once at start-up by password_set_params(), read-only afterwards. */
static unsigned long long	 pw_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static size_t			 pw_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;

static const char	 pw_alphabet[] =
    "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";

int
password_hash(const char *pw, char out[PASSWORD_HASH_MAX], struct err *e)
{
	size_t	 n = strnlen(pw, PASSWORD_LEN_MAX + 1);

	memset(out, 0, PASSWORD_HASH_MAX);
	if (n > PASSWORD_LEN_MAX)
		return err_set(e, ERR_TOO_LARGE, "password is longer than %d "
		    "bytes", PASSWORD_LEN_MAX);
	if (crypto_pwhash_str_alg(out, pw, n, pw_ops, pw_mem,
	    crypto_pwhash_ALG_ARGON2ID13) != 0)
		return err_set(e, ERR_ENV, "cannot hash the password (out of "
		    "memory)");
	return 0;
}

/* A hash must be a NUL-terminated string shorter than the buffer. */
static bool
hash_ok(const char *hash)
{
	return hash != NULL &&
	    strnlen(hash, PASSWORD_HASH_MAX) < PASSWORD_HASH_MAX;
}

bool
password_verify(const char *hash, const char *pw)
{
	size_t	 n;

	if (!hash_ok(hash) || pw == NULL ||
	    (n = strnlen(pw, PASSWORD_LEN_MAX + 1)) > PASSWORD_LEN_MAX)
		return false;
	return crypto_pwhash_str_verify(hash, pw, n) == 0;
}

bool
password_needs_rehash(const char *hash)
{
	if (!hash_ok(hash))
		return true;
	/* -1 (not an Argon2id string) also calls for a new hash. */
	return crypto_pwhash_str_needs_rehash(hash, pw_ops, pw_mem) != 0;
}

void
password_set_params(unsigned long long ops, size_t mem)
{
	pw_ops = ops;
	pw_mem = mem;
}

void
password_generate(char out[PASSWORD_GEN_LEN + 1])
{
	size_t	 i;

	for (i = 0; i < PASSWORD_GEN_LEN; i++)
		out[i] = pw_alphabet[randombytes_uniform(
		    (uint32_t)(sizeof(pw_alphabet) - 1))];
	out[PASSWORD_GEN_LEN] = '\0';
}
