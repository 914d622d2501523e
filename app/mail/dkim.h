/*
 * dkim.h - DKIM signing (RFC 6376, RFC 8301, RFC 8463): rsa-sha256 and
 * ed25519-sha256, relaxed and simple canonicalization. Never rsa-sha1,
 * never an l= tag.
 *
 * A struct dkim_key is read-only once loaded and may be shared by threads;
 * every dkim_sign() call uses its own digest and signing contexts.
 *
 * Several signatures (RSA and Ed25519) on one message: call dkim_sign()
 * once per key over the same unsigned message and prepend every header it
 * returns. No signature covers another (DKIM-Signature is not in the
 * default h= list, RFC 6376 §5.4 leaves it to the signer), so each one
 * verifies on its own, in any order.
 */
#ifndef MAIL_DKIM_H
#define MAIL_DKIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/str.h"

#define DKIM_PEM_MAX		(64 * 1024)
#define DKIM_RSA_MIN_BITS	1024	/* RFC 8301 §3.2: refuse below */
#define DKIM_RSA_WARN_BITS	2048	/* RFC 8301 §3.2: SHOULD use 2048 */
#define DKIM_HEADERS_MAX	64	/* names in one h= list */
#define DKIM_DOMAIN_MAX		253
#define DKIM_SELECTOR_MAX	63
#define DKIM_BH_LEN		44	/* base64 of a SHA-256 digest */

struct err;
struct sbuf;
struct hdr_field;

enum dkim_canon {
	DKIM_CANON_RELAXED,	/* default */
	DKIM_CANON_SIMPLE,
	DKIM_CANON__MAX
};

enum dkim_alg {
	DKIM_ALG_RSA_SHA256,
	DKIM_ALG_ED25519_SHA256,
	DKIM_ALG__MAX
};

struct dkim_key;

struct dkim_params {
	const char	*domain;	/* d= */
	const char	*selector;	/* s= */
	enum dkim_canon	 hcanon;	/* header canonicalization */
	enum dkim_canon	 bcanon;	/* body canonicalization */
	const char	*headers;	/* "a:b:c" as given; NULL/"": default */
	int64_t		 time;		/* t=; 0: now, -1: no t= */
	int64_t		 expire;	/* x= (absolute); 0: none */
	const char	*identity;	/* i=; NULL: none */
};

/*
 * Loads a private key from PEM: RSA in PKCS#1 or PKCS#8, Ed25519 in
 * PKCS#8; the algorithm follows the key. Refuses encrypted keys, RSA under
 * 1024 bits, other key types (ERR_INPUT, a sentence); logs a warning for
 * RSA under 2048 bits. Free with dkim_key_free().
 */
struct dkim_key	*dkim_key_from_pem(const char *pem, size_t n, struct err *e)
		    __attribute__((warn_unused_result));
void		 dkim_key_free(struct dkim_key *);
enum dkim_alg	 dkim_key_alg(const struct dkim_key *);
int		 dkim_key_bits(const struct dkim_key *);
/* "rsa-sha256" / "ed25519-sha256" */
const char	*dkim_alg_name(enum dkim_alg);
/* Appends the DNS TXT record: "v=DKIM1; k=rsa; p=<base64>". */
int		 dkim_key_record(const struct dkim_key *, struct sbuf *out,
		    struct err *e) __attribute__((warn_unused_result));

/*
 * Signs the message msg (n bytes, CRLF line ends; bare LF is read as CRLF
 * in the body) and appends one complete, folded "DKIM-Signature: ...\r\n"
 * field to out_header, for the caller to put before the message.
 * Refuses a message without From (ERR_INPUT), an h= list without From,
 * bad domain/selector. Thread-safe for a shared key.
 */
int		 dkim_sign(const struct dkim_key *, const struct dkim_params *p,
		    const char *msg, size_t n, struct sbuf *out_header,
		    struct err *e) __attribute__((warn_unused_result));

/* Parses "relaxed/simple", "simple", ... (RFC 6376 §3.5 c=). */
int		 dkim_canon_parse(const char *s, enum dkim_canon *h,
		    enum dkim_canon *b) __attribute__((warn_unused_result));

/* Lower-level steps, exposed for tests and tools. */
/* Body hash (bh=, base64 into b64, NUL-terminated) of body under c. */
int		 dkim_body_hash(enum dkim_canon c, const char *body, size_t n,
		    char b64[DKIM_BH_LEN + 1])
		    __attribute__((warn_unused_result));
/* Appends the canonical form of one header field (RFC 6376 §3.4.1-2),
 * with its CRLF when crlf is true. */
void		 dkim_canon_header(enum dkim_canon c, const struct hdr_field *f,
		    bool crlf, struct sbuf *out);
/* Appends the canonical body (RFC 6376 §3.4.3-4) to out. */
void		 dkim_canon_body(enum dkim_canon c, const char *body, size_t n,
		    struct sbuf *out);
/* Signs the header-hash input data (SHA-256 then the key's algorithm) and
 * appends the base64 signature (b=) to out. */
int		 dkim_sign_data(const struct dkim_key *, const void *data,
		    size_t n, struct sbuf *out, struct err *e)
		    __attribute__((warn_unused_result));

#endif
