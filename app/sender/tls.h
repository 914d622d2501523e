/*
 * tls.h - STARTTLS for the SMTP client (RFC 3207) with OpenSSL 3:
 * TLS 1.2 or newer only, non-blocking handshake and I/O on an already
 * connected socket. Policy "verify" checks the chain against the CA file
 * (or the system store) and the MX host name; "opportunistic" and
 * "required" encrypt without authenticating (RFC 7435).
 */
#ifndef SENDER_TLS_H
#define SENDER_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct err;
struct tls_ctx;
struct tls;

/* Result of a non-blocking step. */
enum tls_io {
	TLS_IO_OK,		/* done / bytes moved */
	TLS_IO_WANT_READ,	/* call again when readable */
	TLS_IO_WANT_WRITE,	/* call again when writable */
	TLS_IO_EOF,		/* peer closed */
	TLS_IO_ERROR,
	TLS_IO__MAX
};

/* One client context for all connections; ca_file NULL: system store. */
struct tls_ctx	*tls_ctx_new(const char *ca_file, struct err *);
void		 tls_ctx_free(struct tls_ctx *);
/* Starts a client session on fd (SNI = host). verify: chain + name. */
struct tls	*tls_new(struct tls_ctx *, int fd, const char *host,
		    bool verify, struct err *);
void		 tls_free(struct tls *);
/* Drives the handshake; TLS_IO_ERROR with e set (reason, verify error). */
enum tls_io	 tls_handshake(struct tls *, struct err *);
/* Reads/writes up to n bytes; *done gets the count on TLS_IO_OK. */
enum tls_io	 tls_read(struct tls *, void *buf, size_t n, size_t *done);
enum tls_io	 tls_write(struct tls *, const void *buf, size_t n,
		    size_t *done);
/* "TLSv1.3" etc. */
const char	*tls_version(const struct tls *);

#endif
