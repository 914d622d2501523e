/*
 * totp.h - time-based one-time passwords (RFC 6238 on RFC 4226 HOTP),
 * base32 secrets (RFC 4648 §6), otpauth:// URIs and recovery codes.
 */
#ifndef WEB_TOTP_H
#define WEB_TOTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TOTP_SECRET_BYTES	20
#define TOTP_STEP		30	/* seconds */
#define TOTP_DIGITS		6
#define TOTP_WINDOW		1	/* steps accepted either side of now */
#define TOTP_RECOVERY_LEN	14	/* "xxxx-xxxx-xxxx" */
#define TOTP_URI_MAX		512

/*
 * The RFC 6238 code for unix_time: HMAC over the step counter
 * floor(unix_time / step), truncated per RFC 4226 §5.3 to digits (1..9)
 * digits. alg picks the HMAC hash: 1 (SHA-1), 256 or 512 (SHA-2). Returns
 * UINT32_MAX for a bad step, digits or alg, or when HMAC fails.
 */
uint32_t totp_code(const uint8_t *key, size_t keylen, uint64_t unix_time,
	    unsigned step, unsigned digits, int alg);
/*
 * Checks a TOTP_DIGITS-digit code (HMAC-SHA-1, TOTP_STEP) for the steps
 * now-window .. now+window that are later than *last_step (RFC 6238 §5.2:
 * a code is accepted once); on success stores the matching step in
 * *last_step. Anything but exactly TOTP_DIGITS digits is refused.
 */
bool	 totp_verify(const uint8_t *key, size_t keylen, const char *code,
	    uint64_t unix_time, unsigned window, int64_t *last_step);

/*
 * RFC 4648 §6 base32 with '=' padding into out (NUL-terminated). Returns
 * 0, or -1 when out is too small.
 */
int	 base32_encode(const uint8_t *p, size_t n, char *out, size_t outsz)
	    __attribute__((warn_unused_result));
/*
 * Decodes base32, upper or lower case, with or without the padding; spaces
 * are not accepted. Returns 0 with *outlen set, or -1 on a bad character,
 * bad length, non-zero trailing bits or when out is too small.
 */
int	 base32_decode(const char *s, uint8_t *out, size_t outsz,
	    size_t *outlen) __attribute__((warn_unused_result));
/*
 * "otpauth://totp/Tegami:LOGIN?secret=BASE32&issuer=Tegami" (Key Uri Format
 * of Google Authenticator) with the label percent-encoded (RFC 3986 §2.1).
 * Returns 0, or -1 when out is too small.
 */
int	 totp_uri(const char *login, const uint8_t *key, size_t keylen,
	    char *out, size_t outsz) __attribute__((warn_unused_result));
/* n random recovery codes "xxxx-xxxx-xxxx" (lower-case base32 alphabet,
 * 60 bits each), NUL-terminated. */
void	 totp_recovery_codes(char (*out)[16], size_t n);

#endif
