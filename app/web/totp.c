/*
 * totp.c - RFC 6238 TOTP over RFC 4226 HOTP (HMAC from OpenSSL 3),
 * RFC 4648 §6 base32, otpauth URIs and recovery codes. Codes typed by users
 * are untrusted; secrets come decrypted from our database.
 */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include "totp.h"

static const char	 b32_alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

uint32_t
totp_code(const uint8_t *key, size_t keylen, uint64_t unix_time,
    unsigned step, unsigned digits, int alg)
{
	static const uint32_t	 pow10[] = { 1, 10, 100, 1000, 10000, 100000,
	    1000000, 10000000, 100000000, 1000000000 };
	const EVP_MD		*md;
	uint8_t			 msg[8], mac[EVP_MAX_MD_SIZE];
	unsigned		 maclen = 0, off, i;
	uint64_t		 counter;
	uint32_t		 bin;

	if (step == 0 || digits < 1 || digits > 9)
		return UINT32_MAX;
	switch (alg) {
	case 1:
		md = EVP_sha1();
		break;
	case 256:
		md = EVP_sha256();
		break;
	case 512:
		md = EVP_sha512();
		break;
	default:
		return UINT32_MAX;
	}
	/* RFC 6238 §4.2: T = floor((Current Unix time - T0) / X), T0 = 0. */
	counter = unix_time / step;
	for (i = 0; i < 8; i++)
		msg[i] = (uint8_t)(counter >> (56 - 8 * i));
	if (HMAC(md, key, (int)keylen, msg, sizeof(msg), mac, &maclen) ==
	    NULL || maclen < 20)
		return UINT32_MAX;
	/* RFC 4226 §5.3: dynamic truncation. */
	off = mac[maclen - 1] & 0x0f;
	bin = (uint32_t)(mac[off] & 0x7f) << 24 | (uint32_t)mac[off + 1] << 16 |
	    (uint32_t)mac[off + 2] << 8 | mac[off + 3];
	OPENSSL_cleanse(mac, sizeof(mac));
	return bin % pow10[digits];
}

bool
totp_verify(const uint8_t *key, size_t keylen, const char *code,
    uint64_t unix_time, unsigned window, int64_t *last_step)
{
	uint32_t	 want = 0, got;
	int64_t		 now, s, hit = -1;
	size_t		 i;

	if (code == NULL || strnlen(code, TOTP_DIGITS + 1) != TOTP_DIGITS)
		return false;
	for (i = 0; i < TOTP_DIGITS; i++) {
		if (code[i] < '0' || code[i] > '9')
			return false;
		want = want * 10 + (uint32_t)(code[i] - '0');
	}
	if (unix_time / TOTP_STEP > (uint64_t)INT64_MAX - window)
		return false;
	now = (int64_t)(unix_time / TOTP_STEP);
	/* Every candidate is computed and compared, match or not. */
	for (s = now - (int64_t)window; s <= now + (int64_t)window; s++) {
		if (s < 0)
			continue;
		got = totp_code(key, keylen, (uint64_t)s * TOTP_STEP,
		    TOTP_STEP, TOTP_DIGITS, 1);
		if (sodium_memcmp(&got, &want, sizeof(got)) == 0 &&
		    s > *last_step && hit == -1)
			hit = s;
	}
	if (hit == -1)
		return false;
	*last_step = hit;
	return true;
}

int
base32_encode(const uint8_t *p, size_t n, char *out, size_t outsz)
{
	size_t		 need, i, o = 0;
	uint32_t	 acc = 0;
	unsigned	 bits = 0;

	if (n > (SIZE_MAX - 1) / 8 * 5 - 5)
		return -1;
	need = (n + 4) / 5 * 8 + 1;
	if (outsz < need)
		return -1;
	for (i = 0; i < n; i++) {
		acc = acc << 8 | p[i];
		bits += 8;
		while (bits >= 5) {
			out[o++] = b32_alpha[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
		acc &= (1u << bits) - 1;
	}
	if (bits > 0)
		out[o++] = b32_alpha[(acc << (5 - bits)) & 31];
	while (o % 8 != 0)
		out[o++] = '=';		/* RFC 4648 §6 padding */
	out[o] = '\0';
	return 0;
}

int
base32_decode(const char *s, uint8_t *out, size_t outsz, size_t *outlen)
{
	size_t		 n, pad = 0, i, o = 0, rem;
	uint32_t	 acc = 0;
	unsigned	 bits = 0;

	*outlen = 0;
	n = strlen(s);
	while (n > 0 && s[n - 1] == '=') {
		n--;
		pad++;
	}
	/* Unpadded lengths per group of 8: 0, 2, 4, 5, 7 characters. */
	rem = n % 8;
	if (rem == 1 || rem == 3 || rem == 6)
		return -1;
	if (pad > 0 && (n + pad) % 8 != 0)
		return -1;
	if (pad > 0 && rem == 0)
		return -1;
	for (i = 0; i < n; i++) {
		char		 c = s[i];
		unsigned	 v;

		if (c >= 'A' && c <= 'Z')
			v = (unsigned)(c - 'A');
		else if (c >= 'a' && c <= 'z')
			v = (unsigned)(c - 'a');
		else if (c >= '2' && c <= '7')
			v = (unsigned)(c - '2') + 26;
		else
			return -1;
		acc = acc << 5 | v;
		bits += 5;
		if (bits >= 8) {
			if (o == outsz)
				return -1;
			out[o++] = (uint8_t)(acc >> (bits - 8));
			bits -= 8;
		}
		acc &= (1u << bits) - 1;
	}
	if (acc != 0)
		return -1;		/* RFC 4648 §3.5: canonical encoding */
	*outlen = o;
	return 0;
}

/* Appends s to out at *o; -1 when it does not fit with the NUL. */
static int
put(char *out, size_t outsz, size_t *o, const char *s)
{
	size_t	 n = strlen(s);

	if (n >= outsz - *o)
		return -1;
	memcpy(out + *o, s, n + 1);
	*o += n;
	return 0;
}

int
totp_uri(const char *login, const uint8_t *key, size_t keylen, char *out,
    size_t outsz)
{
	static const char	 hex[] = "0123456789ABCDEF";
	char			 secret[TOTP_SECRET_BYTES * 4];
	char			 esc[4];
	size_t			 o = 0, i, k;
	int			 rc = -1;

	if (outsz == 0 || keylen > TOTP_SECRET_BYTES * 2 ||
	    base32_encode(key, keylen, secret, sizeof(secret)) == -1)
		return -1;
	for (k = strlen(secret); k > 0 && secret[k - 1] == '='; k--)
		secret[k - 1] = '\0';	/* authenticator apps want no '=' */
	out[0] = '\0';
	if (put(out, outsz, &o, "otpauth://totp/Tegami:") == -1)
		goto out;
	for (i = 0; login[i] != '\0'; i++) {
		unsigned char	 c = (unsigned char)login[i];

		/* RFC 3986 §2.3: unreserved characters stay as they are. */
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			esc[0] = (char)c;
			esc[1] = '\0';
		} else {
			esc[0] = '%';
			esc[1] = hex[c >> 4];
			esc[2] = hex[c & 15];
			esc[3] = '\0';
		}
		if (put(out, outsz, &o, esc) == -1)
			goto out;
	}
	if (put(out, outsz, &o, "?secret=") == -1 ||
	    put(out, outsz, &o, secret) == -1 ||
	    put(out, outsz, &o, "&issuer=Tegami") == -1)
		goto out;
	rc = 0;
out:
	sodium_memzero(secret, sizeof(secret));
	if (rc == -1)
		out[0] = '\0';
	return rc;
}

void
totp_recovery_codes(char (*out)[16], size_t n)
{
	static const char	 lower[] = "abcdefghijklmnopqrstuvwxyz234567";
	size_t			 i, k, o;

	for (i = 0; i < n; i++) {
		for (k = 0, o = 0; k < 12; k++) {
			if (k > 0 && k % 4 == 0)
				out[i][o++] = '-';
			out[i][o++] = lower[randombytes_uniform(32)];
		}
		out[i][o] = '\0';
	}
}
