/*
 * secret.c - secrets at rest (secret.h): the key file and libsodium
 * crypto_secretbox_easy (XSalsa20-Poly1305) with a random 24-byte nonce
 * stored in front of each box. The key file is trusted only after its
 * type, size and mode check out; sealed blobs from the database are
 * authenticated before any byte of plaintext is used.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "err.h"
#include "sbuf.h"
#include "secret.h"

_Static_assert(crypto_secretbox_KEYBYTES == SECRET_KEY_BYTES, "key size");
_Static_assert(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES ==
    SECRET_OVERHEAD, "secretbox overhead");

static int
write_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t	 w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Creates path with a new key; 1 when it already existed, 0 made, -1. */
static int
key_create(const char *path, struct err *e)
{
	uint8_t	 key[SECRET_KEY_BYTES];
	int	 fd, rc = -1;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0400);
	if (fd == -1 && errno == EEXIST)
		return 1;	/* made by someone else meanwhile */
	if (fd == -1)
		return err_set(e, ERR_ENV, "%s: cannot create the key file: %s",
		    path, strerror(errno));
	randombytes_buf(key, sizeof(key));
	if (write_all(fd, key, sizeof(key)) == -1 || fsync(fd) == -1)
		err_set(e, ERR_ENV, "%s: cannot write the key file: %s", path,
		    strerror(errno));
	else
		rc = 0;
	sodium_memzero(key, sizeof(key));
	if (close(fd) == -1 && rc == 0)
		rc = err_set(e, ERR_ENV, "%s: cannot write the key file: %s",
		    path, strerror(errno));
	if (rc == -1)
		unlink(path);
	return rc;
}

int
secret_key_load(const char *path, bool create, uint8_t key[32],
    struct err *e)
{
	struct stat	 st;
	uint8_t		 buf[SECRET_KEY_BYTES + 1];
	ssize_t		 r;
	size_t		 got = 0;
	int		 fd, rc = -1;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1 && errno == ENOENT && create) {
		if (key_create(path, e) == -1)
			return -1;
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd == -1)
		return err_set(e, ERR_ENV, "%s: cannot open the key file: %s",
		    path, strerror(errno));
	if (fstat(fd, &st) == -1) {
		err_set(e, ERR_ENV, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err_set(e, ERR_INPUT, "%s: the key file is not a regular file",
		    path);
		goto out;
	}
	if ((st.st_mode & 077) != 0) {
		err_set(e, ERR_FORBIDDEN, "%s: mode %04o lets group or others "
		    "read or write the key file; it must be 0400 (chmod 0400 "
		    "%s)", path, (unsigned)(st.st_mode & 07777), path);
		goto out;
	}
	/* Read one byte more than a key to tell a longer file apart. */
	while (got < sizeof(buf)) {
		r = read(fd, buf + got, sizeof(buf) - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err_set(e, ERR_ENV, "%s: cannot read the key file: %s",
			    path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	if (got != SECRET_KEY_BYTES) {
		err_set(e, ERR_INPUT, "%s: the key file must hold exactly %d "
		    "bytes", path, SECRET_KEY_BYTES);
		goto out;
	}
	memcpy(key, buf, SECRET_KEY_BYTES);
	rc = 0;
out:
	sodium_memzero(buf, sizeof(buf));
	close(fd);
	return rc;
}

int
secret_seal(const uint8_t key[32], const void *plain, size_t n,
    struct sbuf *out, struct err *e)
{
	static const uint8_t	 zero[crypto_secretbox_MACBYTES];
	uint8_t			 nonce[crypto_secretbox_NONCEBYTES];
	size_t			 off = out->len;

	randombytes_buf(nonce, sizeof(nonce));
	/* Reserve room, then encrypt in place (libsodium allows overlap). */
	sbuf_put(out, nonce, sizeof(nonce));
	sbuf_put(out, plain, n);
	sbuf_put(out, zero, sizeof(zero));
	if (sbuf_failed(out))
		return err_set(e, ERR_ENV, "out of memory sealing a secret");
	crypto_secretbox_easy((uint8_t *)out->p + off + sizeof(nonce),
	    (uint8_t *)out->p + off + sizeof(nonce), n, nonce, key);
	return 0;
}

int
secret_open(const uint8_t key[32], const void *sealed, size_t n,
    struct sbuf *out, struct err *e)
{
	const uint8_t	*s = sealed;
	size_t		 off = out->len, m;

	if (n < SECRET_OVERHEAD)
		return err_set(e, ERR_INPUT, "sealed secret is too short");
	m = n - SECRET_OVERHEAD;
	/* Room for the plaintext: any m bytes, overwritten below. */
	sbuf_put(out, s + SECRET_OVERHEAD, m);
	if (sbuf_failed(out))
		return err_set(e, ERR_ENV, "out of memory opening a secret");
	if (crypto_secretbox_open_easy((uint8_t *)out->p + off,
	    s + crypto_secretbox_NONCEBYTES, n - crypto_secretbox_NONCEBYTES,
	    s, key) != 0) {
		sodium_memzero(out->p + off, m);
		out->len = off;
		out->p[off] = '\0';
		return err_set(e, ERR_INPUT, "cannot open a sealed secret: "
		    "wrong key or altered data");
	}
	return 0;
}
