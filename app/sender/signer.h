/*
 * signer.h - DKIM keys held by tegami-sender and the signing step.
 *
 * Keys are stored sealed (libsodium crypto_box_seal) to the sender's
 * public key; the sender's X25519 secret key is a 32-byte file only the
 * sender's user can read (sender.key_file, 0400). signer_load() opens
 * every active key of every enabled sending domain into a struct dkim_key
 * (an EVP_PKEY) and wipes the plaintext at once; SMTP-facing code never
 * sees key material, it asks for signatures by domain. The web and CLI
 * only seal (docs/queue.md "Keys").
 */
#ifndef SENDER_SIGNER_H
#define SENDER_SIGNER_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct err;
struct sbuf;
struct signer;

#define SIGNER_KEYS_PER_DOMAIN	4	/* e.g. one RSA and one Ed25519 */
#define SIGNER_SECRET_LEN	32	/* crypto_box_SECRETKEYBYTES */

/* A signer with no keys; reads the secret key file (exactly 32 bytes,
 * not readable by group or others). NULL with e set. */
struct signer	*signer_new(const char *key_file, struct err *)
		    __attribute__((warn_unused_result));
void		 signer_free(struct signer *);
/* Replaces the keys with the database's (start, SIGHUP); on failure the
 * old keys stay. A key that cannot be opened is logged and skipped. */
int		 signer_load(struct signer *, struct db *, struct err *)
		    __attribute__((warn_unused_result));
/* Keys held now. */
size_t		 signer_count(struct signer *);
/*
 * Appends one DKIM-Signature field per key of domain (relaxed/relaxed,
 * rsa-sha256 and/or ed25519-sha256) for message msg to out; *nsig counts
 * them (0: no key for the domain, nothing appended). Thread-safe.
 */
int		 signer_sign(struct signer *, const char *domain,
		    const char *msg, size_t n, struct sbuf *out, size_t *nsig,
		    struct err *) __attribute__((warn_unused_result));

#endif
