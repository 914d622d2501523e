/*
 * totp_test.c - TOTP (RFC 6238 Appendix B vectors), replay and window
 * checks, base32 (RFC 4648 §10 vectors), otpauth URIs, recovery codes.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "t.h"
#include "web/totp.h"

/* RFC 6238 Appendix B seeds: ASCII digits repeated to the hash size. */
static const char	 seed1[] = "12345678901234567890";
static const char	 seed256[] = "12345678901234567890123456789012";
static const char	 seed512[] = "1234567890123456789012345678901234567890"
			    "123456789012345678901234";

static void
test_rfc6238(void)
{
	static const struct {
		uint64_t	 t;
		uint32_t	 sha1, sha256, sha512;
	} c[] = {	/* RFC 6238 Appendix B, Table 1 */
		{ 59ULL, 94287082, 46119246, 90693936 },
		{ 1111111109ULL, 7081804, 68084774, 25091201 },
		{ 1111111111ULL, 14050471, 67062674, 99943326 },
		{ 1234567890ULL, 89005924, 91819424, 93441116 },
		{ 2000000000ULL, 69279037, 90698825, 38618901 },
		{ 20000000000ULL, 65353130, 77737706, 47863826 },
	};
	size_t	 i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		T_OK(totp_code((const uint8_t *)seed1, 20, c[i].t, 30, 8, 1) ==
		    c[i].sha1, "SHA1 at %llu", (unsigned long long)c[i].t);
		T_OK(totp_code((const uint8_t *)seed256, 32, c[i].t, 30, 8,
		    256) == c[i].sha256, "SHA256 at %llu",
		    (unsigned long long)c[i].t);
		T_OK(totp_code((const uint8_t *)seed512, 64, c[i].t, 30, 8,
		    512) == c[i].sha512, "SHA512 at %llu",
		    (unsigned long long)c[i].t);
	}
	/* Six digits are the last six of the eight. */
	T_OK(totp_code((const uint8_t *)seed1, 20, 59, 30, 6, 1) == 287082,
	    "6 digits at 59");
	T_OK(totp_code((const uint8_t *)seed1, 20, 59, 0, 6, 1) == UINT32_MAX,
	    "step 0 refused");
	T_OK(totp_code((const uint8_t *)seed1, 20, 59, 30, 10, 1) ==
	    UINT32_MAX, "10 digits refused");
	T_OK(totp_code((const uint8_t *)seed1, 20, 59, 30, 6, 384) ==
	    UINT32_MAX, "unknown alg refused");
}

static void
code_at(uint64_t t, char out[8])
{
	snprintf(out, 8, "%06u",
	    (unsigned)totp_code((const uint8_t *)seed1, 20, t, 30, 6, 1));
}

static void
test_verify(void)
{
	const uint8_t	*k = (const uint8_t *)seed1;
	uint64_t	 now = 1234567890;	/* step 41152263 */
	int64_t		 last = -1;
	char		 code[8], prev[8], next[8], far[8];

	code_at(now, code);
	code_at(now - 30, prev);
	code_at(now + 30, next);
	code_at(now - 60, far);
	T_OK(totp_verify(k, 20, code, now, 1, &last) && last == 41152263,
	    "current code accepted, step stored");
	T_OK(!totp_verify(k, 20, code, now, 1, &last), "replay refused");
	T_OK(!totp_verify(k, 20, code, now + 10, 1, &last),
	    "replay later in the same step refused");
	T_OK(!totp_verify(k, 20, prev, now, 1, &last),
	    "an older step after a newer one refused");
	T_OK(totp_verify(k, 20, next, now, 1, &last) && last == 41152264,
	    "next step (clock skew) accepted");
	last = -1;
	T_OK(totp_verify(k, 20, prev, now, 1, &last) && last == 41152262,
	    "previous step accepted in window 1");
	last = -1;
	T_OK(!totp_verify(k, 20, far, now, 1, &last) && last == -1,
	    "two steps back refused in window 1");
	T_OK(totp_verify(k, 20, far, now, 2, &last), "two steps back "
	    "accepted in window 2");
	last = -1;
	T_OK(!totp_verify(k, 20, prev, now, 0, &last), "window 0: previous "
	    "step refused");
	T_OK(!totp_verify(k, 20, "12345", now, 1, &last), "5 digits refused");
	T_OK(!totp_verify(k, 20, "1234567", now, 1, &last),
	    "7 digits refused");
	T_OK(!totp_verify(k, 20, " 12345", now, 1, &last), "space refused");
	T_OK(!totp_verify(k, 20, "12a456", now, 1, &last), "letter refused");
	T_OK(!totp_verify(k, 20, "", now, 1, &last), "empty refused");
	T_OK(!totp_verify(k, 20, NULL, now, 1, &last), "NULL refused");
	last = -1;
	code_at(10, code);
	T_OK(totp_verify(k, 20, code, 10, 5, &last) && last == 0,
	    "window clipped at step 0");
	T_OK(!totp_verify(k, 20, "000000", UINT64_MAX, 1, &last),
	    "far future time does not overflow");
}

static void
test_base32(void)
{
	static const struct {
		const char	*in, *out;
	} c[] = {	/* RFC 4648 §10 */
		{ "", "" },
		{ "f", "MY======" },
		{ "fo", "MZXQ====" },
		{ "foo", "MZXW6===" },
		{ "foob", "MZXW6YQ=" },
		{ "fooba", "MZXW6YTB" },
		{ "foobar", "MZXW6YTBOI======" },
	};
	static const char	*bad[] = {
		"MY=====", "M", "MZX", "MZXW6Y", "MY======M", "MZ======",
		"MY=", "M1======", "MY==\n====", "MZXW6YTB========", "========",
		"MY======X",
	};
	size_t	 i, len;
	char	 out[64];
	uint8_t	 raw[64];

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		T_OK(base32_encode((const uint8_t *)c[i].in, strlen(c[i].in),
		    out, sizeof(out)) == 0, "encode \"%s\"", c[i].in);
		T_STREQ(out, c[i].out, c[i].in);
		T_OK(base32_decode(c[i].out, raw, sizeof(raw), &len) == 0 &&
		    len == strlen(c[i].in) && memcmp(raw, c[i].in, len) == 0,
		    "decode \"%s\"", c[i].out);
	}
	T_OK(base32_decode("mzxw6ytboi", raw, sizeof(raw), &len) == 0 &&
	    len == 6 && memcmp(raw, "foobar", 6) == 0,
	    "lower case without padding");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		T_OK(base32_decode(bad[i], raw, sizeof(raw), &len) == -1,
		    "refuses bad base32 #%zu", i);
	T_OK(base32_encode((const uint8_t *)"foobar", 6, out, 16) == -1,
	    "encode: buffer one short");
	T_OK(base32_encode((const uint8_t *)"foobar", 6, out, 17) == 0,
	    "encode: exact buffer");
	T_OK(base32_decode("MZXW6YTBOI======", raw, 5, &len) == -1,
	    "decode: buffer too small");
	T_OK(base32_decode("MZXW6YTBOI======", raw, 6, &len) == 0,
	    "decode: exact buffer");
}

static void
test_uri(void)
{
	char	 out[TOTP_URI_MAX];

	T_OK(totp_uri("alice@example.com", (const uint8_t *)seed1, 20, out,
	    sizeof(out)) == 0, "uri built");
	T_STREQ(out, "otpauth://totp/Tegami:alice%40example.com?secret="
	    "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Tegami", "uri text");
	T_OK(totp_uri("a b&c?d/é", (const uint8_t *)"f", 1, out,
	    sizeof(out)) == 0, "uri with reserved characters");
	T_STREQ(out, "otpauth://totp/Tegami:a%20b%26c%3Fd%2F%C3%A9?secret=MY"
	    "&issuer=Tegami", "label percent-encoded, padding dropped");
	T_OK(totp_uri("alice", (const uint8_t *)seed1, 20, out, 40) == -1 &&
	    out[0] == '\0', "too small buffer refused");
}

static void
test_recovery(void)
{
	char	 codes[10][16];
	size_t	 i, k;
	bool	 shape = true, distinct = true;

	totp_recovery_codes(codes, 10);
	for (i = 0; i < 10; i++) {
		if (strlen(codes[i]) != TOTP_RECOVERY_LEN)
			shape = false;
		for (k = 0; k < TOTP_RECOVERY_LEN; k++) {
			char	 ch = codes[i][k];

			if (k == 4 || k == 9 ? ch != '-' :
			    !((ch >= 'a' && ch <= 'z') ||
			    (ch >= '2' && ch <= '7')))
				shape = false;
		}
		for (k = 0; k < i; k++)
			if (strcmp(codes[i], codes[k]) == 0)
				distinct = false;
	}
	T_OK(shape, "codes look like xxxx-xxxx-xxxx (%s)", codes[0]);
	T_OK(distinct, "codes differ");
}

int
main(void)
{
	if (sodium_init() < 0)
		return 1;
	T_SUITE("totp");
	T_RUN(test_rfc6238);
	T_RUN(test_verify);
	T_RUN(test_base32);
	T_RUN(test_uri);
	T_RUN(test_recovery);
	return t_done("totp");
}
