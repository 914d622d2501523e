/*
 * password_test.c - Argon2id hashing, verification, rehash detection and
 * generated one-time passwords (password.c). Uses the _MIN limits.
 */
#include <string.h>

#include <sodium.h>

#include "core/err.h"
#include "t.h"
#include "core/password.h"

static void
test_hash(void)
{
	char		 h[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX];
	char		 big[PASSWORD_LEN_MAX + 2];
	struct err	 e;

	err_clear(&e);
	T_OK(password_hash("correct horse", h, &e) == 0, "hash: %s", e.msg);
	T_OK(strncmp(h, "$argon2id$", 10) == 0, "argon2id string (%.20s)", h);
	T_OK(password_verify(h, "correct horse"), "right password");
	T_OK(!password_verify(h, "correct horsE"), "wrong password");
	T_OK(!password_verify(h, ""), "empty password");
	T_OK(password_hash("correct horse", h2, &e) == 0 && strcmp(h, h2) != 0,
	    "salted: two hashes differ");
	T_OK(password_hash("", h2, &e) == 0 && password_verify(h2, "") &&
	    !password_verify(h2, "x"), "empty password hashes");
	T_OK(password_hash("パスワード", h2, &e) == 0 &&
	    password_verify(h2, "パスワード"), "UTF-8 password");
	T_OK(!password_needs_rehash(h), "same params: no rehash");
	password_set_params(crypto_pwhash_OPSLIMIT_MIN + 1,
	    crypto_pwhash_MEMLIMIT_MIN);
	T_OK(password_needs_rehash(h), "other params: rehash");
	T_OK(password_verify(h, "correct horse"), "old hash still verifies");
	password_set_params(crypto_pwhash_OPSLIMIT_MIN,
	    crypto_pwhash_MEMLIMIT_MIN);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	T_OK(password_hash(big, h2, &e) == -1 && e.kind == ERR_TOO_LARGE,
	    "over-long password refused: %s", e.msg);
	T_OK(!password_verify(h, big), "over-long password never verifies");
	big[PASSWORD_LEN_MAX] = '\0';
	T_OK(password_hash(big, h2, &e) == 0 && password_verify(h2, big),
	    "password of %d bytes", PASSWORD_LEN_MAX);
}

static void
test_bad_hashes(void)
{
	char	 junk[PASSWORD_HASH_MAX + 10];

	T_OK(!password_verify("", "x"), "empty hash");
	T_OK(!password_verify("$argon2id$v=19$m=8,t=1,p=1$", "x"),
	    "truncated hash");
	T_OK(!password_verify("$2y$10$abcdefghijklmnopqrstuv", "x"),
	    "bcrypt hash");
	T_OK(!password_verify(NULL, "x"), "NULL hash");
	T_OK(password_needs_rehash("garbage"), "garbage needs rehash");
	T_OK(password_needs_rehash(NULL), "NULL needs rehash");
	memset(junk, 'a', sizeof(junk) - 1);
	junk[sizeof(junk) - 1] = '\0';
	T_OK(!password_verify(junk, "x"), "unterminated-length hash");
}

static void
test_generate(void)
{
	char	 a[17], b[17];
	size_t	 i;
	bool	 ok = true;

	password_generate(a);
	password_generate(b);
	T_OK(strlen(a) == 16, "16 characters (%s)", a);
	T_OK(strcmp(a, b) != 0, "two differ");
	for (i = 0; i < 16; i++)
		if (strchr("0O1lI", a[i]) != NULL ||
		    !((a[i] >= '2' && a[i] <= '9') ||
		    (a[i] >= 'a' && a[i] <= 'z') ||
		    (a[i] >= 'A' && a[i] <= 'Z')))
			ok = false;
	T_OK(ok, "unambiguous alphabet");
}

int
main(void)
{
	if (sodium_init() < 0)
		return 1;
	password_set_params(crypto_pwhash_OPSLIMIT_MIN,
	    crypto_pwhash_MEMLIMIT_MIN);
	T_SUITE("password");
	T_RUN(test_hash);
	T_RUN(test_bad_hashes);
	T_RUN(test_generate);
	return t_done("password");
}
