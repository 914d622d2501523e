/*
 * db_domain.h - sending domains and their DKIM keys (tables sending_domain,
 * dkim_key of migrations/0002_delivery.sql).
 *
 * Private keys only ever pass through here sealed (crypto_box_seal to the
 * sender's public key); this layer neither seals nor opens them.
 */
#ifndef DB_DB_DOMAIN_H
#define DB_DB_DOMAIN_H

#include <stddef.h>
#include <stdint.h>

#include "../core/str.h"

struct arena;
struct db;
struct err;

#define DOMAIN_NAME_MAX		253
#define DOMAIN_SELECTOR_MAX	63
#define DOMAIN_KEYS_MAX		10000	/* keys loaded by one sender */

struct domain_key {
	uint64_t	 id;
	char		*domain;	/* lower case */
	char		*selector;
	char		*algorithm;	/* "rsa" or "ed25519" */
	uint64_t	 bits;
	struct str	 sealed;	/* crypto_box_seal of the PEM */
	char		*public_txt;	/* DNS TXT value */
};

/* Adds a domain (name lower-cased by the caller); ERR_CONFLICT if known. */
int	 db_domain_add(struct db *, const char *name, uint64_t *id,
	    struct err *) __attribute__((warn_unused_result));
/* 1 found (*id set), 0 unknown, -1 error. */
int	 db_domain_find(struct db *, const char *name, uint64_t *id,
	    struct err *) __attribute__((warn_unused_result));
/* The first sending domain added (a default From); 1, 0 none, -1. */
int	 db_domain_first(struct db *, struct arena *, char **name,
	    struct err *) __attribute__((warn_unused_result));
/* Stores (or replaces) the key of a selector of a domain. */
int	 db_domain_key_put(struct db *, uint64_t domain_id,
	    const char *selector, const char *algorithm, unsigned bits,
	    const void *sealed, size_t sealed_len, const char *public_txt,
	    struct err *) __attribute__((warn_unused_result));
/* Every active key of every enabled domain, into an arena array. */
int	 db_domain_keys(struct db *, struct arena *, struct domain_key **keys,
	    size_t *n, struct err *) __attribute__((warn_unused_result));

#endif
