/*
 * signer.c - opens sealed DKIM keys and signs (see signer.h).
 * RFC 6376 (DKIM), RFC 8463 (Ed25519); libsodium sealed boxes.
 *
 * The secret key buffer and every opened PEM are wiped with
 * sodium_memzero() as soon as they are used. Reloads swap the whole key
 * table under a write lock; signing holds the read lock.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../core/arena.h"
#include "../core/err.h"
#include "../core/log.h"
#include "../core/secret.h"
#include "../core/sbuf.h"
#include "../core/str.h"
#include "../db/db_domain.h"
#include "../mail/dkim.h"
#include "signer.h"

struct skey {
	char		*domain;
	char		*selector;
	struct dkim_key	*key;
};

struct keyset {
	struct skey	*k;
	size_t		 n;
};

struct signer {
	pthread_rwlock_t lock;
	struct keyset	 set;
	unsigned char	 pk[crypto_box_PUBLICKEYBYTES];
	unsigned char	 sk[crypto_box_SECRETKEYBYTES];
};

static void
keyset_free(struct keyset *s)
{
	size_t	 i;

	for (i = 0; i < s->n; i++) {
		dkim_key_free(s->k[i].key);
		free(s->k[i].domain);
		free(s->k[i].selector);
	}
	free(s->k);
	s->k = NULL;
	s->n = 0;
}

struct signer *
signer_new(const char *key_file, struct err *e)
{
	struct signer	*sg;

	if (sodium_init() < 0) {
		err_set(e, ERR_ENV, "libsodium failed to start");
		return NULL;
	}
	if (key_file == NULL || key_file[0] == '\0') {
		err_set(e, ERR_INPUT, "sender.key_file is not set");
		return NULL;
	}
	if ((sg = calloc(1, sizeof(*sg))) == NULL) {
		err_set(e, ERR_ENV, "out of memory");
		return NULL;
	}
	/* 32 bytes, owner-only: the X25519 secret key of the sealed box. */
	if (secret_key_load(key_file, false, sg->sk, e) == -1) {
		sodium_memzero(sg->sk, sizeof(sg->sk));
		free(sg);
		return NULL;
	}
	crypto_scalarmult_base(sg->pk, sg->sk);
	pthread_rwlock_init(&sg->lock, NULL);
	return sg;
}

void
signer_free(struct signer *sg)
{
	if (sg == NULL)
		return;
	keyset_free(&sg->set);
	sodium_memzero(sg->sk, sizeof(sg->sk));
	pthread_rwlock_destroy(&sg->lock);
	free(sg);
}

/* Opens one sealed key; NULL with e set. */
static struct dkim_key *
open_key(struct signer *sg, const struct domain_key *dk, struct err *e)
{
	struct dkim_key	*k;
	unsigned char	*pem;
	size_t		 n;

	if (dk->sealed.n <= crypto_box_SEALBYTES ||
	    dk->sealed.n > DKIM_PEM_MAX + crypto_box_SEALBYTES) {
		err_set(e, ERR_INPUT, "sealed key has a bad length");
		return NULL;
	}
	n = dk->sealed.n - crypto_box_SEALBYTES;
	if ((pem = sodium_malloc(n + 1)) == NULL) {
		err_set(e, ERR_ENV, "out of memory");
		return NULL;
	}
	if (crypto_box_seal_open(pem, (const unsigned char *)dk->sealed.p,
	    dk->sealed.n, sg->pk, sg->sk) != 0) {
		sodium_free(pem);
		err_set(e, ERR_INPUT, "cannot open the sealed key (sealed "
		    "to another sender key?)");
		return NULL;
	}
	pem[n] = '\0';
	k = dkim_key_from_pem((const char *)pem, n, e);
	sodium_memzero(pem, n);
	sodium_free(pem);
	return k;
}

int
signer_load(struct signer *sg, struct db *db, struct err *e)
{
	struct domain_key	*dk;
	struct keyset		 ns, old;
	struct arena		*a;
	struct err		 ke;
	size_t			 n, i;

	memset(&ns, 0, sizeof(ns));
	if ((a = arena_new(0)) == NULL)
		return err_set(e, ERR_ENV, "out of memory");
	if (db_domain_keys(db, a, &dk, &n, e) == -1) {
		arena_free(a);
		return -1;
	}
	if (n > 0 && (ns.k = calloc(n, sizeof(*ns.k))) == NULL) {
		arena_free(a);
		return err_set(e, ERR_ENV, "out of memory");
	}
	for (i = 0; i < n; i++) {
		struct skey	*s = &ns.k[ns.n];

		err_clear(&ke);
		if ((s->key = open_key(sg, &dk[i], &ke)) == NULL) {
			log_err("signer: key %s._domainkey.%s skipped: %s",
			    dk[i].selector, dk[i].domain, ke.msg);
			continue;
		}
		s->domain = strdup(dk[i].domain);
		s->selector = strdup(dk[i].selector);
		ns.n++;
		if (s->domain == NULL || s->selector == NULL) {
			keyset_free(&ns);
			arena_free(a);
			return err_set(e, ERR_ENV, "out of memory");
		}
	}
	/* The arena held the sealed blobs only: nothing secret to wipe. */
	arena_free(a);
	pthread_rwlock_wrlock(&sg->lock);
	old = sg->set;
	sg->set = ns;
	pthread_rwlock_unlock(&sg->lock);
	keyset_free(&old);
	log_info("signer: %zu DKIM key(s) loaded", ns.n);
	return 0;
}

size_t
signer_count(struct signer *sg)
{
	size_t	 n;

	pthread_rwlock_rdlock(&sg->lock);
	n = sg->set.n;
	pthread_rwlock_unlock(&sg->lock);
	return n;
}

int
signer_sign(struct signer *sg, const char *domain, const char *msg,
    size_t n, struct sbuf *out, size_t *nsig, struct err *e)
{
	struct dkim_params	 p;
	size_t			 i;
	int			 rc = 0;

	*nsig = 0;
	memset(&p, 0, sizeof(p));
	p.hcanon = DKIM_CANON_RELAXED;
	p.bcanon = DKIM_CANON_RELAXED;
	pthread_rwlock_rdlock(&sg->lock);
	/* The table is small (keys of all domains); a linear scan costs
	 * nothing next to an RSA signature. */
	for (i = 0; i < sg->set.n && rc == 0; i++) {
		if (strcmp(sg->set.k[i].domain, domain) != 0)
			continue;
		if (*nsig == SIGNER_KEYS_PER_DOMAIN)
			break;
		p.domain = sg->set.k[i].domain;
		p.selector = sg->set.k[i].selector;
		if (dkim_sign(sg->set.k[i].key, &p, msg, n, out, e) == -1)
			rc = -1;
		else
			(*nsig)++;
	}
	pthread_rwlock_unlock(&sg->lock);
	return rc;
}
