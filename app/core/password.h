/*
 * password.h - password hashing with libsodium's Argon2id
 * (crypto_pwhash_str_alg, RFC 9106), and one-time passwords.
 */
#ifndef CORE_PASSWORD_H
#define CORE_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

struct err;

#define PASSWORD_HASH_MAX	128	/* >= crypto_pwhash_STRBYTES */
#define PASSWORD_LEN_MAX	1024	/* bytes of a password we hash */
#define PASSWORD_GEN_LEN	16

/*
 * Hashes pw into out, a NUL-terminated "$argon2id$..." string. Refuses a
 * password over PASSWORD_LEN_MAX (ERR_TOO_LARGE); ERR_ENV when the memory
 * for Argon2 cannot be had.
 */
int	 password_hash(const char *pw, char out[PASSWORD_HASH_MAX],
	    struct err *) __attribute__((warn_unused_result));
/* True when pw matches hash (constant time in libsodium). */
bool	 password_verify(const char *hash, const char *pw);
/* True when hash was made with other parameters than the current ones. */
bool	 password_needs_rehash(const char *hash);
/*
 * Sets the Argon2id limits for later hashes; the defaults are
 * crypto_pwhash_OPSLIMIT_INTERACTIVE and MEMLIMIT_INTERACTIVE. Call before
 * threads start (tests pass the _MIN limits to stay fast).
 */
void	 password_set_params(unsigned long long ops, size_t mem);
/* A random one-time password: PASSWORD_GEN_LEN characters from an
 * alphabet without look-alikes (no 0 O 1 l I), NUL-terminated. */
void	 password_generate(char out[PASSWORD_GEN_LEN + 1]);

#endif
