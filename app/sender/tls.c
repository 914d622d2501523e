/*
 * tls.c - OpenSSL client sessions for STARTTLS (see tls.h).
 * RFC 3207, RFC 8996 (no TLS before 1.2), RFC 7435 (opportunistic).
 */
#include <arpa/inet.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "tls.h"

struct tls_ctx {
	SSL_CTX		*ctx;
};

struct tls {
	SSL		*ssl;
};

struct tls_ctx *
tls_ctx_new(const char *ca_file, struct err *e)
{
	struct tls_ctx	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		err_set(e, ERR_ENV, "out of memory");
		return NULL;
	}
	if ((t->ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		goto fail;
	if (SSL_CTX_set_min_proto_version(t->ctx, TLS1_2_VERSION) != 1)
		goto fail;
	/* Buffers only while a record is in flight: 1,000 idle sessions
	 * must not hold 1,000 × 34 KiB. */
	SSL_CTX_set_mode(t->ctx, SSL_MODE_RELEASE_BUFFERS |
	    SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	/* No session resumption: each SMTP session is new, and a cached
	 * session (with the peer's chain) per connection costs memory. */
	SSL_CTX_set_session_cache_mode(t->ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_options(t->ctx, SSL_OP_NO_TICKET);
	if (ca_file != NULL && ca_file[0] != '\0') {
		if (SSL_CTX_load_verify_locations(t->ctx, ca_file, NULL) != 1)
			goto fail;
	} else if (SSL_CTX_set_default_verify_dir(t->ctx) != 1)
		/* The system's hashed certificate directory, read per issuer
		 * when a chain is verified. The bundle file as well
		 * (set_default_verify_paths) costs every start 60-100 ms of
		 * CPU to parse 140-odd certificates, used or not. */
		goto fail;
	return t;
fail:
	err_set(e, ERR_ENV, "TLS context: %s",
	    ERR_reason_error_string(ERR_get_error()));
	tls_ctx_free(t);
	return NULL;
}

void
tls_ctx_free(struct tls_ctx *t)
{
	if (t == NULL)
		return;
	SSL_CTX_free(t->ctx);
	free(t);
}

struct tls *
tls_new(struct tls_ctx *t, int fd, const char *host, bool verify,
    struct err *e)
{
	struct tls	*s;
	unsigned char	 addr[16];

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		err_set(e, ERR_ENV, "out of memory");
		return NULL;
	}
	if ((s->ssl = SSL_new(t->ctx)) == NULL || SSL_set_fd(s->ssl, fd) != 1)
		goto fail;
	/* SNI only for names, never for address literals (RFC 6066 §3). */
	if (host != NULL && host[0] != '\0' &&
	    inet_pton(AF_INET, host, addr) != 1 &&
	    inet_pton(AF_INET6, host, addr) != 1)
		(void)SSL_set_tlsext_host_name(s->ssl, host);
	if (verify) {
		SSL_set_verify(s->ssl, SSL_VERIFY_PEER, NULL);
		if (SSL_set1_host(s->ssl, host) != 1)
			goto fail;
	} else
		SSL_set_verify(s->ssl, SSL_VERIFY_NONE, NULL);
	SSL_set_connect_state(s->ssl);
	return s;
fail:
	err_set(e, ERR_ENV, "TLS session: %s",
	    ERR_reason_error_string(ERR_get_error()));
	tls_free(s);
	return NULL;
}

void
tls_free(struct tls *s)
{
	if (s == NULL)
		return;
	SSL_free(s->ssl);
	free(s);
}

static enum tls_io
map(struct tls *s, int rc)
{
	switch (SSL_get_error(s->ssl, rc)) {
	case SSL_ERROR_WANT_READ:
		return TLS_IO_WANT_READ;
	case SSL_ERROR_WANT_WRITE:
		return TLS_IO_WANT_WRITE;
	case SSL_ERROR_ZERO_RETURN:
		return TLS_IO_EOF;
	default:
		return TLS_IO_ERROR;
	}
}

enum tls_io
tls_handshake(struct tls *s, struct err *e)
{
	enum tls_io	 r;
	long		 v;
	int		 rc;

	ERR_clear_error();
	if ((rc = SSL_do_handshake(s->ssl)) == 1)
		return TLS_IO_OK;
	r = map(s, rc);
	if (r == TLS_IO_WANT_READ || r == TLS_IO_WANT_WRITE)
		return r;
	v = SSL_get_verify_result(s->ssl);
	if (v != X509_V_OK)
		err_set(e, ERR_INPUT, "TLS handshake: certificate: %s",
		    X509_verify_cert_error_string(v));
	else
		err_set(e, ERR_INPUT, "TLS handshake: %s",
		    ERR_get_error() != 0 ? "protocol error" : "peer closed");
	return TLS_IO_ERROR;
}

enum tls_io
tls_read(struct tls *s, void *buf, size_t n, size_t *done)
{
	int	 rc;

	ERR_clear_error();
	if ((rc = SSL_read_ex(s->ssl, buf, n, done)) == 1)
		return TLS_IO_OK;
	return map(s, rc);
}

enum tls_io
tls_write(struct tls *s, const void *buf, size_t n, size_t *done)
{
	int	 rc;

	ERR_clear_error();
	if ((rc = SSL_write_ex(s->ssl, buf, n, done)) == 1)
		return TLS_IO_OK;
	return map(s, rc);
}

const char *
tls_version(const struct tls *s)
{
	return SSL_get_version(s->ssl);
}
