/*
 * cmd_domain.c - `tegami domain`: sending domains and their DKIM keys.
 *
 *	tegami domain add D
 *	tegami domain key D --selector S (--key FILE | --generate rsa|ed25519)
 *	    [--bits N]
 *
 * A key (loaded from a PEM file or generated: RSA 2048 by default, or
 * Ed25519, RFC 8463) is sealed at once with crypto_box_seal to the
 * sender's public key and only the sealed form is stored; the plaintext is
 * wiped. The CLI never opens sealed keys. Prints the DNS TXT record to
 * publish at S._domainkey.D (RFC 6376 §3.6.1).
 *
 * The sender's public key: the file sender.key_file + ".pub" (32 bytes, or
 * 64 hex digits) when it exists, else derived from sender.key_file itself
 * (the 32-byte X25519 secret key, readable by the operator running this).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/arena.h"
#include "../core/err.h"
#include "../core/num.h"
#include "../core/sbuf.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../db/db_domain.h"
#include "../mail/addr.h"
#include "../mail/dkim.h"
#include "cli.h"

#define KEYFILE_MAX	(64 * 1024)

static int
domain_usage(void)
{
	fprintf(stderr, "usage: tegami domain add D\n"
	    "       tegami domain key D --selector S (--key FILE | "
	    "--generate rsa|ed25519) [--bits N]\n");
	return 2;
}

/* Lower-cases and checks a domain name given on the command line. */
static int
domain_arg(const char *in, char *out, size_t outsz)
{
	size_t	 i, n = strlen(in);

	if (n == 0 || n >= outsz || n > DOMAIN_NAME_MAX)
		return -1;
	for (i = 0; i < n; i++)
		out[i] = (in[i] >= 'A' && in[i] <= 'Z') ?
		    (char)(in[i] - 'A' + 'a') : in[i];
	out[n] = '\0';
	return addr_domain_valid(str_from(out)) ? 0 : -1;
}

/* Reads at most max bytes of path into buf; returns the length or -1. */
static ssize_t
slurp(const char *path, unsigned char *buf, size_t max)
{
	ssize_t	 r;
	size_t	 n = 0;
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while (n < max && (r = read(fd, buf + n, max - n)) > 0)
		n += (size_t)r;
	close(fd);
	return (ssize_t)n;
}

static int
sender_public_key(const struct config *cfg,
    unsigned char pk[crypto_box_PUBLICKEYBYTES])
{
	unsigned char	 buf[130], sk[crypto_box_SECRETKEYBYTES];
	char		 path[CFG_VALUE_MAX + 8];
	ssize_t		 n;
	int		 i;

	if (cfg->sender_key_file[0] == '\0') {
		fprintf(stderr, "tegami: sender.key_file is not set\n");
		return -1;
	}
	snprintf(path, sizeof(path), "%s.pub", cfg->sender_key_file);
	if ((n = slurp(path, buf, sizeof(buf))) == crypto_box_PUBLICKEYBYTES) {
		memcpy(pk, buf, crypto_box_PUBLICKEYBYTES);
		return 0;
	}
	if (n >= 64) {
		for (i = 0; i < 32; i++) {
			int	 h = num_hexval(buf[2 * i]);
			int	 l = num_hexval(buf[2 * i + 1]);

			if (h < 0 || l < 0)
				break;
			pk[i] = (unsigned char)(h * 16 + l);
		}
		if (i == 32)
			return 0;
	}
	n = slurp(cfg->sender_key_file, sk, sizeof(sk));
	if (n != (ssize_t)sizeof(sk)) {
		sodium_memzero(sk, sizeof(sk));
		fprintf(stderr, "tegami: cannot read the sender's key: %s.pub "
		    "or %s (32 bytes)\n", cfg->sender_key_file,
		    cfg->sender_key_file);
		return -1;
	}
	crypto_scalarmult_base(pk, sk);
	sodium_memzero(sk, sizeof(sk));
	return 0;
}

/* A new private key as unencrypted PKCS#8 PEM in a sodium buffer. */
static char *
generate(const char *alg, unsigned bits, size_t *len)
{
	EVP_PKEY	*k;
	BIO		*bio;
	char		*pem = NULL, *data;
	long		 n;

	if (strcmp(alg, "rsa") == 0)
		k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);
	else if (strcmp(alg, "ed25519") == 0)
		k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	else {
		fprintf(stderr, "tegami: --generate takes rsa or ed25519\n");
		return NULL;
	}
	if (k == NULL || (bio = BIO_new(BIO_s_secmem())) == NULL) {
		EVP_PKEY_free(k);
		fprintf(stderr, "tegami: key generation failed\n");
		return NULL;
	}
	if (PEM_write_bio_PrivateKey(bio, k, NULL, NULL, 0, NULL, NULL) == 1 &&
	    (n = BIO_get_mem_data(bio, &data)) > 0 &&
	    (pem = sodium_malloc((size_t)n + 1)) != NULL) {
		memcpy(pem, data, (size_t)n);
		pem[n] = '\0';
		*len = (size_t)n;
	}
	BIO_free(bio);
	EVP_PKEY_free(k);
	return pem;
}

static char *
load_pem(const char *path, size_t *len)
{
	char	*pem;
	ssize_t	 n;

	if ((pem = sodium_malloc(KEYFILE_MAX + 1)) == NULL)
		return NULL;
	if ((n = slurp(path, (unsigned char *)pem, KEYFILE_MAX + 1)) < 0 ||
	    n > KEYFILE_MAX) {
		fprintf(stderr, "tegami: %s: %s\n", path, n < 0 ?
		    strerror(errno) : "too large for a key");
		sodium_free(pem);
		return NULL;
	}
	pem[n] = '\0';
	*len = (size_t)n;
	return pem;
}

static int
domain_add(struct cli *c, const char *arg)
{
	char		 name[DOMAIN_NAME_MAX + 1];
	struct db	*db;
	struct err	 e;
	uint64_t	 id;
	int		 rc;

	if (domain_arg(arg, name, sizeof(name)) == -1) {
		fprintf(stderr, "tegami: \"%s\" is not a domain name\n", arg);
		return 1;
	}
	if ((db = cli_db(c)) == NULL)
		return 1;
	err_clear(&e);
	rc = db_domain_add(db, name, &id, &e);
	db_close(db);
	if (rc == -1) {
		fprintf(stderr, "tegami: domain %s: %s\n", name,
		    e.kind == ERR_CONFLICT ? "exists already" : e.msg);
		return 1;
	}
	printf("domain %s added\n", name);
	return 0;
}

static int
domain_key(struct cli *c, const char *arg, const char *selector,
    const char *keyfile, const char *alg, unsigned bits)
{
	unsigned char	 pk[crypto_box_PUBLICKEYBYTES];
	unsigned char	*sealed = NULL;
	char		 name[DOMAIN_NAME_MAX + 1], *pem = NULL;
	struct dkim_key	*k = NULL;
	struct db	*db = NULL;
	struct sbuf	 rec;
	struct err	 e;
	uint64_t	 id;
	size_t		 len = 0, i;
	int		 rc = 1, found;

	sbuf_init(&rec, NULL, 8192);
	err_clear(&e);
	if (domain_arg(arg, name, sizeof(name)) == -1) {
		fprintf(stderr, "tegami: \"%s\" is not a domain name\n", arg);
		return 1;
	}
	for (i = 0; selector[i] != '\0'; i++)
		if (!((selector[i] >= 'a' && selector[i] <= 'z') ||
		    (selector[i] >= 'A' && selector[i] <= 'Z') ||
		    (selector[i] >= '0' && selector[i] <= '9') ||
		    selector[i] == '-' || selector[i] == '_' ||
		    selector[i] == '.'))
			break;
	if (i == 0 || selector[i] != '\0' || i > DOMAIN_SELECTOR_MAX) {
		fprintf(stderr, "tegami: bad selector \"%s\"\n", selector);
		return 1;
	}
	if (cli_config(c) == -1 || sender_public_key(&c->cfg, pk) == -1)
		return 1;
	pem = keyfile ? load_pem(keyfile, &len) : generate(alg, bits, &len);
	if (pem == NULL)
		goto out;
	if ((k = dkim_key_from_pem(pem, len, &e)) == NULL) {
		fprintf(stderr, "tegami: key: %s\n", e.msg);
		goto out;
	}
	if (dkim_key_record(k, &rec, &e) == -1 || sbuf_failed(&rec)) {
		fprintf(stderr, "tegami: key: %s\n", e.msg);
		goto out;
	}
	if ((sealed = malloc(len + crypto_box_SEALBYTES)) == NULL ||
	    crypto_box_seal(sealed, (unsigned char *)pem, len, pk) != 0) {
		fprintf(stderr, "tegami: sealing the key failed\n");
		goto out;
	}
	/* Only the sealed form goes on: wipe the plaintext now. */
	sodium_memzero(pem, len);
	if ((db = cli_db(c)) == NULL)
		goto out;
	if ((found = db_domain_find(db, name, &id, &e)) != 1) {
		fprintf(stderr, "tegami: %s\n", found == 0 ? "unknown domain "
		    "(add it first: tegami domain add D)" : e.msg);
		goto out;
	}
	if (db_domain_key_put(db, id, selector,
	    dkim_key_alg(k) == DKIM_ALG_ED25519_SHA256 ? "ed25519" : "rsa",
	    (unsigned)dkim_key_bits(k), sealed, len + crypto_box_SEALBYTES,
	    rec.p, &e) == -1) {
		fprintf(stderr, "tegami: %s\n", e.msg);
		goto out;
	}
	printf("%s._domainkey.%s TXT \"%s\"\n", selector, name, rec.p);
	rc = 0;
out:
	if (pem != NULL) {
		sodium_memzero(pem, len);
		sodium_free(pem);
	}
	free(sealed);
	dkim_key_free(k);
	sbuf_free(&rec);
	db_close(db);
	return rc;
}

int
cmd_domain(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "selector", required_argument, NULL, 's' },
		{ "key", required_argument, NULL, 'k' },
		{ "generate", required_argument, NULL, 'g' },
		{ "bits", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*sel = NULL, *keyfile = NULL, *alg = NULL, *verb, *dom;
	uint64_t	 bits = 2048;
	int		 ch;

	if (sodium_init() < 0)
		return 1;
	if (argc < 3)
		return domain_usage();
	verb = argv[1];
	dom = argv[2];
	optind = 3;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			sel = optarg;
			break;
		case 'k':
			keyfile = optarg;
			break;
		case 'g':
			alg = optarg;
			break;
		case 'b':
			if (num_parse_u64(str_from(optarg), 1024, 8192,
			    &bits) == -1) {
				fprintf(stderr, "tegami: --bits: 1024 to "
				    "8192\n");
				return 2;
			}
			break;
		default:
			return domain_usage();
		}
	}
	if (optind != argc)
		return domain_usage();
	if (strcmp(verb, "add") == 0 && sel == NULL && keyfile == NULL &&
	    alg == NULL)
		return domain_add(c, dom);
	if (strcmp(verb, "key") == 0 && sel != NULL &&
	    (keyfile == NULL) != (alg == NULL))
		return domain_key(c, dom, sel, keyfile, alg, (unsigned)bits);
	return domain_usage();
}
