/*
 * secret.h - secrets at rest: a 32-byte key file and libsodium secretbox
 * (XSalsa20-Poly1305) for values stored in the database.
 */
#ifndef CORE_SECRET_H
#define CORE_SECRET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct err;
struct sbuf;

#define SECRET_KEY_BYTES	32
#define SECRET_OVERHEAD		40	/* nonce 24 + MAC 16 */

/*
 * Reads the 32-byte key at path into key. When the file does not exist and
 * create is true, writes a new random key there with mode 0400 first.
 * Refuses a file that is not a regular file, not exactly 32 bytes, or
 * readable or writable by group or others (the message names the path and
 * the mode). Errors are ERR_ENV, except the mode and size (ERR_FORBIDDEN /
 * ERR_INPUT).
 */
int	 secret_key_load(const char *path, bool create, uint8_t key[32],
	    struct err *) __attribute__((warn_unused_result));
/* Appends nonce || crypto_secretbox(plain) to out (n + SECRET_OVERHEAD
 * bytes). Fails (ERR_ENV) only when out cannot grow. */
int	 secret_seal(const uint8_t key[32], const void *plain, size_t n,
	    struct sbuf *out, struct err *) __attribute__((warn_unused_result));
/* Appends the plaintext of sealed to out; ERR_INPUT when it is too short,
 * was sealed under another key or was altered. The caller wipes out
 * (sodium_memzero) when done. */
int	 secret_open(const uint8_t key[32], const void *sealed, size_t n,
	    struct sbuf *out, struct err *) __attribute__((warn_unused_result));

#endif
