/*
 * secret_test.c - the key file and secretbox sealing (app/core/secret.c).
 * Files go under $TEGAMI_TEST_TMP/secret (or a fresh /tmp directory).
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "core/err.h"
#include "core/sbuf.h"
#include "core/secret.h"
#include "t.h"

static char	 dir[512];

static const char *
path_of(const char *name)
{
	static char	 p[600];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

static void
test_key_file(void)
{
	uint8_t		 k1[32], k2[32];
	struct err	 e;
	struct stat	 st;
	char		 want[700];
	int		 fd;

	err_clear(&e);
	T_OK(secret_key_load(path_of("absent"), false, k1, &e) == -1 &&
	    e.kind == ERR_ENV && strstr(e.msg, "absent") != NULL,
	    "absent key without create: %s", e.msg);
	T_OK(secret_key_load(path_of("key"), true, k1, &e) == 0,
	    "created: %s", e.msg);
	T_OK(stat(path_of("key"), &st) == 0 && (st.st_mode & 07777) == 0400 &&
	    st.st_size == 32, "mode 0400, 32 bytes");
	T_OK(secret_key_load(path_of("key"), true, k2, &e) == 0 &&
	    memcmp(k1, k2, 32) == 0, "loaded again, same key");
	T_OK(secret_key_load(path_of("key"), false, k2, &e) == 0 &&
	    memcmp(k1, k2, 32) == 0, "loaded without create");
	chmod(path_of("key"), 0644);
	snprintf(want, sizeof(want), "%s: mode 0644", path_of("key"));
	T_OK(secret_key_load(path_of("key"), false, k2, &e) == -1 &&
	    strstr(e.msg, want) != NULL, "world-readable refused: %s", e.msg);
	chmod(path_of("key"), 0440);
	T_OK(secret_key_load(path_of("key"), false, k2, &e) == -1 &&
	    strstr(e.msg, "mode 0440") != NULL, "group-readable refused");
	chmod(path_of("key"), 0600);
	T_OK(secret_key_load(path_of("key"), false, k2, &e) == 0,
	    "0600 accepted");
	fd = open(path_of("short"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	T_OK(fd != -1 && write(fd, "0123456789", 10) == 10, "short written");
	close(fd);
	T_OK(secret_key_load(path_of("short"), true, k2, &e) == -1 &&
	    strstr(e.msg, "exactly 32 bytes") != NULL, "short key refused");
	fd = open(path_of("long"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	T_OK(fd != -1 && write(fd, k1, 32) == 32 && write(fd, "x", 1) == 1,
	    "long written");
	close(fd);
	T_OK(secret_key_load(path_of("long"), true, k2, &e) == -1 &&
	    strstr(e.msg, "exactly 32 bytes") != NULL, "long key refused");
	snprintf(want, sizeof(want), "%s", path_of("key"));
	T_OK(symlink(want, path_of("link")) == 0, "symlink made");
	T_OK(secret_key_load(path_of("link"), false, k2, &e) == -1,
	    "symlink refused: %s", e.msg);
	T_OK(secret_key_load(dir, false, k2, &e) == -1, "directory refused");
	T_OK(secret_key_load(path_of("no/such/dir/key"), true, k2, &e) == -1 &&
	    e.kind == ERR_ENV, "uncreatable path: %s", e.msg);
	unlink(path_of("key"));
	unlink(path_of("short"));
	unlink(path_of("long"));
	unlink(path_of("link"));
}

static void
test_seal(void)
{
	uint8_t		 key[32], other[32];
	struct sbuf	 sealed, plain;
	struct err	 e;
	const char	 msg[] = "-----BEGIN PRIVATE KEY-----";

	randombytes_buf(key, sizeof(key));
	randombytes_buf(other, sizeof(other));
	sbuf_init(&sealed, NULL, 0);
	sbuf_init(&plain, NULL, 0);
	err_clear(&e);
	T_OK(secret_seal(key, msg, strlen(msg), &sealed, &e) == 0 &&
	    sealed.len == strlen(msg) + SECRET_OVERHEAD, "sealed");
	T_OK(memmem(sealed.p, sealed.len, "PRIVATE", 7) == NULL,
	    "no plaintext in the box");
	T_OK(secret_open(key, sealed.p, sealed.len, &plain, &e) == 0 &&
	    plain.len == strlen(msg) && memcmp(plain.p, msg, plain.len) == 0,
	    "opened: %s", e.msg);
	sbuf_reset(&plain);
	T_OK(secret_open(other, sealed.p, sealed.len, &plain, &e) == -1 &&
	    plain.len == 0 && e.kind == ERR_INPUT, "wrong key refused: %s",
	    e.msg);
	sealed.p[30] ^= 1;
	T_OK(secret_open(key, sealed.p, sealed.len, &plain, &e) == -1 &&
	    plain.len == 0, "altered box refused");
	sealed.p[30] ^= 1;
	sealed.p[0] ^= 1;
	T_OK(secret_open(key, sealed.p, sealed.len, &plain, &e) == -1,
	    "altered nonce refused");
	T_OK(secret_open(key, sealed.p, SECRET_OVERHEAD - 1, &plain, &e) ==
	    -1 && strstr(e.msg, "too short") != NULL, "short box refused");
	sbuf_reset(&sealed);
	T_OK(secret_seal(key, NULL, 0, &sealed, &e) == 0 &&
	    sealed.len == SECRET_OVERHEAD &&
	    secret_open(key, sealed.p, sealed.len, &plain, &e) == 0 &&
	    plain.len == 0, "empty secret round-trips");
	sbuf_reset(&sealed);
	sbuf_puts(&sealed, "prefix:");
	T_OK(secret_seal(key, "x", 1, &sealed, &e) == 0 &&
	    secret_open(key, sealed.p + 7, sealed.len - 7, &plain, &e) == 0 &&
	    plain.len == 1 && plain.p[0] == 'x', "appends after content");
	sbuf_free(&sealed);
	sbuf_init(&sealed, NULL, 20);
	T_OK(secret_seal(key, msg, strlen(msg), &sealed, &e) == -1 &&
	    e.kind == ERR_ENV, "full buffer is ERR_ENV");
	sbuf_free(&sealed);
	sbuf_free(&plain);
}

int
main(void)
{
	const char	*tmp = getenv("TEGAMI_TEST_TMP");

	if (sodium_init() < 0)
		return 1;
	T_SUITE("secret");
	if (tmp != NULL) {
		snprintf(dir, sizeof(dir), "%s/secret", tmp);
		mkdir(dir, 0700);
	} else {
		snprintf(dir, sizeof(dir), "/tmp/tegami-secret-XXXXXX");
		if (mkdtemp(dir) == NULL)
			return 1;
	}
	T_RUN(test_key_file);
	T_RUN(test_seal);
	if (tmp == NULL)
		rmdir(dir);
	return t_done("secret");
}
