/*
 * dkim.c - DKIM signer: RFC 6376 §3.4 canonicalization (simple, relaxed),
 * §3.5 tags, §3.7 hashes, §5.4 header selection; RFC 8301 (rsa-sha256
 * only, 1024-bit floor); RFC 8463 ed25519-sha256 (Ed25519 over the
 * SHA-256 of the header-hash input).
 *
 * Speed: Ed25519 signs through libsodium (about 2.5x OpenSSL 3.0's
 * EVP path here, same deterministic signature); SHA-256 is OpenSSL's
 * (SHA-NI), fetched once rather than on every digest.
 *
 * Trusts: the key (operator supplied). Does not trust: the message, which
 * is parsed with bounds (hdr_parse) and canonicalized while streaming
 * into the digest, without a copy of the body.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <pthread.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <sodium.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../core/sbuf.h"
#include "../core/swar.h"
#include "addr.h"
#include "dkim.h"
#include "hdr.h"

#define SINK_BUF	4096
#define SIG_MAX		1024	/* RSA-8192 is 1024 octets */
#define SIG_COLS	78

#define CTX_POOL	8	/* idle RSA signing contexts kept per key */

/* RSA signing contexts, initialized once and reused: a fresh one per
 * message (fetch, init, padding, digest) cost 15-30 µs of CPU more than
 * the signature itself needs. One thread uses a context at a time. */
struct ctx_pool {
	pthread_mutex_t	 mu;
	EVP_PKEY_CTX	*idle[CTX_POOL];
	size_t		 n;
};

struct dkim_key {
	EVP_PKEY	*pk;
	enum dkim_alg	 alg;
	int		 bits;
	unsigned char	 ed_sk[crypto_sign_SECRETKEYBYTES]; /* Ed25519 */
	struct ctx_pool	*pool;		/* RSA only */
};

static pthread_once_t	 sha256_once = PTHREAD_ONCE_INIT;
static EVP_MD		*sha256_md;

static void
sha256_fetch(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

/* SHA-256, fetched once: EVP_sha256() looks it up on every use. */
static const EVP_MD *
sha256(void)
{
	pthread_once(&sha256_once, sha256_fetch);
	return sha256_md != NULL ? sha256_md : EVP_sha256();
}

/* Where canonical bytes go: a digest (buffered) or an sbuf (tests). */
struct sink {
	EVP_MD_CTX	*md;
	struct sbuf	*sb;
	size_t		 len;
	char		 buf[SINK_BUF];
};

static void
sink_flush(struct sink *s)
{
	if (s->md != NULL && s->len > 0)
		EVP_DigestUpdate(s->md, s->buf, s->len);
	s->len = 0;
}

static void
sink_put(struct sink *s, const char *p, size_t n)
{
	if (s->sb != NULL) {
		sbuf_put(s->sb, p, n);
		return;
	}
	if (s->len + n > sizeof(s->buf)) {
		sink_flush(s);
		if (n > sizeof(s->buf)) {
			EVP_DigestUpdate(s->md, p, n);
			return;
		}
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
}

static bool
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* Whether line p[0..n) (no line end) is its own relaxed form: no tab,
 * no two spaces in a row, no space at the end. Eight bytes at a time. */
static bool
relaxed_canonical(const char *p, size_t n)
{
	uint64_t	 w, sp;
	size_t		 j = 0;
	bool		 last_sp = false;

	if (n > 0 && p[n - 1] == ' ')
		return false;
	for (; j + 8 <= n; j += 8) {
		w = swar_load(p + j);
		sp = swar_eq(w, ' ');
		/* a space after a space: in this word, or across words */
		if (swar_eq(w, '\t') != 0 || swar_pairs(sp) != 0 ||
		    (last_sp && swar_first(sp) != 0))
			return false;
		last_sp = swar_last(sp) != 0;
	}
	for (; j < n; j++) {
		if (p[j] == '\t' || (p[j] == ' ' && last_sp))
			return false;
		last_sp = p[j] == ' ';
	}
	return true;
}

/* RFC 6376 §3.4.4 (a): WSP runs become one SP, none at the line end. */
static void
relaxed_line(struct sink *s, const char *p, size_t n)
{
	size_t	 i = 0, j;
	bool	 sp = false;

	/* Most lines are canonical already: then in one piece. */
	if (relaxed_canonical(p, n)) {
		sink_put(s, p, n);
		return;
	}
	while (i < n) {
		if (is_wsp(p[i])) {
			sp = true;
			i++;
			continue;
		}
		if (sp)
			sink_put(s, " ", 1);
		sp = false;
		for (j = i; j < n && !is_wsp(p[j]); j++)
			;
		sink_put(s, p + i, j - i);
		i = j;
	}
}

static void
canon_body(enum dkim_canon c, const char *p, size_t n, struct sink *s)
{
	const char	*nl;
	size_t		 i = 0, eol, next, k, pend = 0, run = 0, run_len = 0;
	bool		 any = false, empty;

	while (i < n) {
		nl = memchr(p + i, '\n', n - i);
		if (nl != NULL) {
			eol = (size_t)(nl - p);
			next = eol + 1;
			if (eol > i && p[eol - 1] == '\r')
				eol--;
		} else
			eol = next = n;	/* §3.4.3: a missing CRLF is added */
		/* A non-empty line that ends in CRLF and is its own canonical
		 * form joins a run of such lines, hashed in one piece. */
		if (eol > i && next == eol + 2 && (c == DKIM_CANON_SIMPLE ||
		    relaxed_canonical(p + i, eol - i))) {
			for (; pend > 0; pend--)
				sink_put(s, "\r\n", 2);
			if (run_len == 0)
				run = i;
			run_len += next - i;
			any = true;
			i = next;
			continue;
		}
		if (run_len > 0)
			sink_put(s, p + run, run_len);
		run_len = 0;
		if (c == DKIM_CANON_RELAXED) {
			empty = true;
			for (k = i; k < eol && empty; k++)
				empty = is_wsp(p[k]);
		} else
			empty = eol == i;
		if (empty) {
			pend++;		/* trailing empty lines vanish */
		} else {
			for (; pend > 0; pend--)
				sink_put(s, "\r\n", 2);
			if (c == DKIM_CANON_RELAXED)
				relaxed_line(s, p + i, eol - i);
			else
				sink_put(s, p + i, eol - i);
			sink_put(s, "\r\n", 2);
			any = true;
		}
		i = next;
	}
	if (run_len > 0)
		sink_put(s, p + run, run_len);
	/* §3.4.3: the simple form of an empty body is one CRLF; §3.4.4:
	 * the relaxed form is empty */
	if (!any && c == DKIM_CANON_SIMPLE)
		sink_put(s, "\r\n", 2);
}

static void
canon_header(enum dkim_canon c, const struct hdr_field *f, bool crlf,
    struct sink *s)
{
	char		 lc[HDR_NAME_MAX];
	size_t		 i, j, n;
	const char	*v;
	bool		 sp = false, started = false;

	if (c == DKIM_CANON_SIMPLE) {
		/* §3.4.1: unchanged; bare LF is taken as CRLF */
		v = f->raw.p;
		n = f->raw.n;
		if (!crlf) {
			if (n > 0 && v[n - 1] == '\n')
				n--;
			if (n > 0 && v[n - 1] == '\r')
				n--;
		}
		for (i = 0; i < n; i = j + 1) {
			for (j = i; j < n && v[j] != '\n'; j++)
				;
			if (j == n) {
				sink_put(s, v + i, n - i);
				break;
			}
			if (j > i && v[j - 1] == '\r')
				sink_put(s, v + i, j - i + 1);
			else {
				sink_put(s, v + i, j - i);
				sink_put(s, "\r\n", 2);
			}
		}
		return;
	}
	/* §3.4.2: lower-case name, unfold, WSP runs to one SP, trim */
	for (i = 0; i < f->name.n; i += n) {
		n = f->name.n - i < sizeof(lc) ? f->name.n - i : sizeof(lc);
		for (j = 0; j < n; j++) {
			char ch = f->name.p[i + j];

			lc[j] = ch >= 'A' && ch <= 'Z' ? ch + 32 : ch;
		}
		sink_put(s, lc, n);
	}
	sink_put(s, ":", 1);
	v = f->value.p;
	n = f->value.n;
	for (i = 0; i < n; ) {
		if (v[i] == '\r' || v[i] == '\n') {
			i++;
			continue;
		}
		if (is_wsp(v[i])) {
			sp = started;
			i++;
			continue;
		}
		if (sp)
			sink_put(s, " ", 1);
		sp = false;
		started = true;
		for (j = i; j < n && !is_wsp(v[j]) && v[j] != '\r' &&
		    v[j] != '\n'; j++)
			;
		sink_put(s, v + i, j - i);
		i = j;
	}
	if (crlf)
		sink_put(s, "\r\n", 2);
}

void
dkim_canon_header(enum dkim_canon c, const struct hdr_field *f, bool crlf,
    struct sbuf *out)
{
	struct sink	 s = { .sb = out };

	canon_header(c, f, crlf, &s);
}

void
dkim_canon_body(enum dkim_canon c, const char *body, size_t n,
    struct sbuf *out)
{
	struct sink	 s = { .sb = out };

	canon_body(c, body, n, &s);
}

static void
b64(const unsigned char *p, size_t n, char *out)
{
	EVP_EncodeBlock((unsigned char *)out, p, (int)n);
}

static int
body_hash_raw(enum dkim_canon c, const char *body, size_t n,
    unsigned char dig[32])
{
	struct sink	*s;
	unsigned int	 dl = 0;
	int		 rc = -1;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return -1;
	if ((s->md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(s->md, sha256(), NULL) != 1)
		goto out;
	canon_body(c, body, n, s);
	sink_flush(s);
	if (EVP_DigestFinal_ex(s->md, dig, &dl) == 1 && dl == 32)
		rc = 0;
out:
	EVP_MD_CTX_free(s->md);
	free(s);
	return rc;
}

int
dkim_body_hash(enum dkim_canon c, const char *body, size_t n,
    char out[DKIM_BH_LEN + 1])
{
	unsigned char	 dig[32];

	if (body_hash_raw(c, body, n, dig) == -1)
		return -1;
	b64(dig, sizeof(dig), out);
	return 0;
}

int
dkim_canon_parse(const char *s, enum dkim_canon *h, enum dkim_canon *b)
{
	const char	*slash = strchr(s, '/');
	size_t		 hn = slash != NULL ? (size_t)(slash - s) : strlen(s);
	enum dkim_canon	*t[2] = { h, b };
	struct str	 part[2];
	int		 i;

	part[0] = (struct str){ s, hn };
	/* §3.5 c=: "simple" alone means simple/simple */
	part[1] = slash != NULL ? str_from(slash + 1) :
	    (struct str){ "simple", 6 };
	for (i = 0; i < 2; i++) {
		if (str_eq_cstr(part[i], "relaxed"))
			*t[i] = DKIM_CANON_RELAXED;
		else if (str_eq_cstr(part[i], "simple"))
			*t[i] = DKIM_CANON_SIMPLE;
		else
			return -1;
	}
	return 0;
}

const char *
dkim_alg_name(enum dkim_alg a)
{
	return a == DKIM_ALG_ED25519_SHA256 ? "ed25519-sha256" : "rsa-sha256";
}

/* Never prompt for a passphrase: encrypted keys are refused. */
static int
no_passphrase(char *buf, int size, int rw, void *u)
{
	(void)buf;
	(void)size;
	(void)rw;
	(void)u;
	return -1;
}

struct dkim_key *
dkim_key_from_pem(const char *pem, size_t n, struct err *e)
{
	struct dkim_key	*k;
	BIO		*bio;
	EVP_PKEY	*pk;
	int		 id;

	if (n == 0 || n > DKIM_PEM_MAX) {
		err_set(e, ERR_INPUT, "key file is empty or too large");
		return NULL;
	}
	if ((bio = BIO_new_mem_buf(pem, (int)n)) == NULL) {
		err_set(e, ERR_ENV, "out of memory");
		return NULL;
	}
	pk = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
	BIO_free(bio);
	ERR_clear_error();
	if (pk == NULL) {
		err_set(e, ERR_INPUT, "not a PEM private key (PKCS#1 or "
		    "PKCS#8, unencrypted)");
		return NULL;
	}
	id = EVP_PKEY_get_base_id(pk);
	if (id != EVP_PKEY_RSA && id != EVP_PKEY_ED25519) {
		const char *tn = EVP_PKEY_get0_type_name(pk);

		err_set(e, ERR_INPUT, "%s keys cannot sign DKIM: use RSA "
		    "(rsa-sha256) or Ed25519 (ed25519-sha256)",
		    tn != NULL ? tn : "these");
		EVP_PKEY_free(pk);
		return NULL;
	}
	if ((k = calloc(1, sizeof(*k))) == NULL) {
		EVP_PKEY_free(pk);
		err_set(e, ERR_ENV, "out of memory");
		return NULL;
	}
	k->pk = pk;
	k->bits = EVP_PKEY_get_bits(pk);
	k->alg = id == EVP_PKEY_RSA ? DKIM_ALG_RSA_SHA256 :
	    DKIM_ALG_ED25519_SHA256;
	if (k->alg == DKIM_ALG_ED25519_SHA256) {
		unsigned char	 seed[32], pub[crypto_sign_PUBLICKEYBYTES];
		size_t		 sl = sizeof(seed);
		int		 ok;

		ok = sodium_init() >= 0 &&
		    EVP_PKEY_get_raw_private_key(pk, seed, &sl) == 1 &&
		    sl == sizeof(seed) &&
		    crypto_sign_seed_keypair(pub, k->ed_sk, seed) == 0;
		sodium_memzero(seed, sizeof(seed));
		if (!ok) {
			err_set(e, ERR_INPUT, "cannot read the Ed25519 key");
			dkim_key_free(k);
			return NULL;
		}
	}
	if (k->alg == DKIM_ALG_RSA_SHA256) {
		if ((k->pool = calloc(1, sizeof(*k->pool))) == NULL) {
			err_set(e, ERR_ENV, "out of memory");
			dkim_key_free(k);
			return NULL;
		}
		pthread_mutex_init(&k->pool->mu, NULL);
		/* RFC 8301 §3.2 */
		if (k->bits < DKIM_RSA_MIN_BITS) {
			err_set(e, ERR_INPUT, "RSA key of %d bits is too "
			    "small: DKIM needs at least %d (RFC 8301)",
			    k->bits, DKIM_RSA_MIN_BITS);
			dkim_key_free(k);
			return NULL;
		}
		if (k->bits < DKIM_RSA_WARN_BITS)
			log_warn("DKIM RSA key has %d bits; use %d or more "
			    "(RFC 8301)", k->bits, DKIM_RSA_WARN_BITS);
	}
	return k;
}

void
dkim_key_free(struct dkim_key *k)
{
	if (k == NULL)
		return;
	if (k->pool != NULL) {
		while (k->pool->n > 0)
			EVP_PKEY_CTX_free(k->pool->idle[--k->pool->n]);
		pthread_mutex_destroy(&k->pool->mu);
		free(k->pool);
	}
	EVP_PKEY_free(k->pk);
	sodium_memzero(k->ed_sk, sizeof(k->ed_sk));
	free(k);
}

enum dkim_alg
dkim_key_alg(const struct dkim_key *k)
{
	return k->alg;
}

int
dkim_key_bits(const struct dkim_key *k)
{
	return k->bits;
}

int
dkim_key_record(const struct dkim_key *k, struct sbuf *out, struct err *e)
{
	unsigned char	*der = NULL, raw[32];
	char		*enc;
	size_t		 rl = sizeof(raw);
	int		 dl;

	if (k->alg == DKIM_ALG_ED25519_SHA256) {
		/* RFC 8463 §4.2: the bare 32-octet public key */
		if (EVP_PKEY_get_raw_public_key(k->pk, raw, &rl) != 1)
			return err_set(e, ERR_ENV, "cannot read the public "
			    "key");
		der = raw;
		dl = (int)rl;
	} else if ((dl = i2d_PUBKEY(k->pk, &der)) <= 0)
		return err_set(e, ERR_ENV, "cannot encode the public key");
	if ((enc = malloc(4 * ((size_t)dl / 3 + 1) + 1)) == NULL) {
		if (der != raw)
			OPENSSL_free(der);
		return err_set(e, ERR_ENV, "out of memory");
	}
	b64(der, (size_t)dl, enc);
	sbuf_printf(out, "v=DKIM1; k=%s; p=%s",
	    k->alg == DKIM_ALG_ED25519_SHA256 ? "ed25519" : "rsa", enc);
	free(enc);
	if (der != raw)
		OPENSSL_free(der);
	return 0;
}

/* An RSA PKCS#1 v1.5 / SHA-256 signing context for k: an idle one from
 * the pool, else a new one. NULL on failure. */
static EVP_PKEY_CTX *
ctx_take(const struct dkim_key *k)
{
	EVP_PKEY_CTX	*pc = NULL;

	pthread_mutex_lock(&k->pool->mu);
	if (k->pool->n > 0)
		pc = k->pool->idle[--k->pool->n];
	pthread_mutex_unlock(&k->pool->mu);
	if (pc != NULL)
		return pc;
	if ((pc = EVP_PKEY_CTX_new(k->pk, NULL)) == NULL ||
	    EVP_PKEY_sign_init(pc) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PADDING) != 1 ||
	    EVP_PKEY_CTX_set_signature_md(pc, sha256()) != 1) {
		EVP_PKEY_CTX_free(pc);
		return NULL;
	}
	return pc;
}

/* Back to the pool after a good signature; freed when the pool is full. */
static void
ctx_give(const struct dkim_key *k, EVP_PKEY_CTX *pc)
{
	pthread_mutex_lock(&k->pool->mu);
	if (k->pool->n < CTX_POOL) {
		k->pool->idle[k->pool->n++] = pc;
		pc = NULL;
	}
	pthread_mutex_unlock(&k->pool->mu);
	EVP_PKEY_CTX_free(pc);
}

/* Signs a SHA-256 digest with the key: PKCS#1 v1.5 or PureEdDSA. */
static int
sign_digest(const struct dkim_key *k, const unsigned char dig[32],
    unsigned char *sig, size_t *siglen, struct err *e)
{
	EVP_PKEY_CTX	*pc = NULL;
	int		 ok = 0;

	if (k->alg == DKIM_ALG_RSA_SHA256) {
		ok = (pc = ctx_take(k)) != NULL &&
		    EVP_PKEY_sign(pc, sig, siglen, dig, 32) == 1;
		/* a context that failed is not trusted again */
		if (ok)
			ctx_give(k, pc);
		else
			EVP_PKEY_CTX_free(pc);
	} else {
		/* RFC 8463 §3: Ed25519 signs the SHA-256 hash */
		unsigned long long sl = 0;

		ok = *siglen >= crypto_sign_BYTES &&
		    crypto_sign_detached(sig, &sl, dig, 32, k->ed_sk) == 0;
		*siglen = (size_t)sl;
	}
	ERR_clear_error();
	if (!ok)
		return err_set(e, ERR_ENV, "signing failed");
	return 0;
}

int
dkim_sign_data(const struct dkim_key *k, const void *data, size_t n,
    struct sbuf *out, struct err *e)
{
	unsigned char	 dig[32], sig[SIG_MAX];
	char		 enc[4 * (SIG_MAX / 3 + 1) + 1];
	size_t		 sl = sizeof(sig);

	if (EVP_Digest(data, n, dig, NULL, sha256(), NULL) != 1)
		return err_set(e, ERR_ENV, "SHA-256 failed");
	if (sign_digest(k, dig, sig, &sl, e) == -1)
		return -1;
	b64(sig, sl, enc);
	sbuf_puts(out, enc);
	return 0;
}

/* ---- the signature field ---- */

struct sigw {
	struct sbuf	*b;
	size_t		 col;
};

/* A tag "x=v;" after a space, folded before it when the line is full. */
static void
sig_tag(struct sigw *w, const char *t, size_t n)
{
	if (w->col + 1 + n > SIG_COLS) {
		sbuf_puts(w->b, "\r\n");
		w->col = 0;
	}
	sbuf_putc(w->b, ' ');
	sbuf_put(w->b, t, n);
	w->col += 1 + n;
}

static void
sig_tagf(struct sigw *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
sig_tagf(struct sigw *w, const char *fmt, ...)
{
	char	 t[512];
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(t, sizeof(t), fmt, ap);
	va_end(ap);
	if (n > 0)
		sig_tag(w, t, (size_t)n < sizeof(t) ? (size_t)n :
		    sizeof(t) - 1);
}

/* A piece with no space before it, folded (FWS) when the line is full. */
static void
sig_piece(struct sigw *w, const char *t, size_t n)
{
	if (w->col + n > SIG_COLS) {
		sbuf_puts(w->b, "\r\n ");
		w->col = 1;
	}
	sbuf_put(w->b, t, n);
	w->col += n;
}

static const char *const default_headers[] = {
	"From", "To", "Cc", "Subject", "Date", "Message-ID", "MIME-Version",
	"Content-Type", "Content-Transfer-Encoding", "Reply-To",
	"List-Unsubscribe", "List-Unsubscribe-Post", "Feedback-ID",
};

/* Singletons (RFC 5322 §3.6) signed once more than present (§8.15). */
static bool
oversign(const char *name)
{
	static const char *const one[] = { "From", "To", "Subject", "Date",
	    "Message-ID" };
	size_t	 i;

	for (i = 0; i < sizeof(one) / sizeof(one[0]); i++)
		if (strcasecmp(name, one[i]) == 0)
			return true;
	return false;
}

/* Splits the --headers list into names; checks them and From. */
static int
header_list(const struct dkim_params *p, const struct hdr_section *sec,
    struct str *names, size_t *nn, struct err *e)
{
	struct str	 rest, head;
	size_t		 i, c, k = 0;
	bool		 from = false, more;

	if (p->headers == NULL || p->headers[0] == '\0') {
		for (i = 0; i < sizeof(default_headers) /
		    sizeof(default_headers[0]); i++) {
			c = hdr_count(sec, default_headers[i]);
			if (c == 0)
				continue;
			if (oversign(default_headers[i]))
				c++;
			while (c-- > 0 && k < DKIM_HEADERS_MAX)
				names[k++] = str_from(default_headers[i]);
		}
		*nn = k;
		return 0;
	}
	rest = str_from(p->headers);
	do {
		more = str_cut(rest, ':', &head, &rest);
		head = str_trim(head);
		if (!hdr_name_valid(head))
			return err_set(e, ERR_INPUT, "bad header name in the "
			    "signed header list");
		if (k == DKIM_HEADERS_MAX)
			return err_set(e, ERR_TOO_LARGE, "more than %d signed "
			    "header names", DKIM_HEADERS_MAX);
		if (str_caseeq_cstr(head, "From"))
			from = true;
		names[k++] = head;
	} while (more);
	if (!from)
		return err_set(e, ERR_INPUT, "the signed header list must "
		    "include From (RFC 6376 §5.4)");
	*nn = k;
	return 0;
}

/* RFC 6376 §5.4.2: the i-th use of a name takes the i-th field from the
 * bottom; a name used more often than present signs nothing more. */
static const struct hdr_field *
pick(const struct hdr_section *sec, const struct str *names, size_t idx)
{
	size_t	 used = 0, i;

	for (i = 0; i < idx; i++)
		if (names[i].n == names[idx].n &&
		    strncasecmp(names[i].p, names[idx].p, names[i].n) == 0)
			used++;
	for (i = sec->n; i > 0; i--) {
		const struct hdr_field *f = &sec->f[i - 1];

		if (f->name.n == names[idx].n &&
		    strncasecmp(f->name.p, names[idx].p, f->name.n) == 0) {
			if (used == 0)
				return f;
			used--;
		}
	}
	return NULL;
}

static bool
tag_value_ok(const char *v, size_t max)
{
	size_t	 i, n = strlen(v);

	if (n == 0 || n > max)
		return false;
	for (i = 0; i < n; i++)
		if (v[i] <= ' ' || v[i] >= 0x7f || v[i] == ';')
			return false;
	return true;
}

int
dkim_sign(const struct dkim_key *k, const struct dkim_params *p,
    const char *msg, size_t n, struct sbuf *out_header, struct err *e)
{
	struct hdr_section	*sec = NULL;
	struct sink		*s = NULL;
	struct sbuf		 h;
	struct sigw		 w;
	struct str		 names[DKIM_HEADERS_MAX];
	struct hdr_field	 self;
	const struct hdr_field	*f;
	unsigned char		 bh[32], dig[32], sig[SIG_MAX];
	char			 bh64[DKIM_BH_LEN + 1];
	char			 b64sig[4 * (SIG_MAX / 3 + 1) + 1];
	size_t			 nn = 0, i, sl = sizeof(sig), left, take;
	unsigned int		 dl = 0;
	int64_t			 t;
	int			 rc = -1;

	sbuf_init(&h, NULL, 0);
	if (p->domain == NULL || !addr_domain_valid(str_from(p->domain)) ||
	    p->domain[0] == '[')
		return err_field(e, ERR_INPUT, "domain", "bad DKIM domain");
	if (p->selector == NULL ||
	    !addr_domain_valid(str_from(p->selector)) ||
	    strlen(p->selector) > DKIM_SELECTOR_MAX ||
	    p->selector[0] == '[')
		return err_field(e, ERR_INPUT, "selector", "bad DKIM "
		    "selector");
	if (p->identity != NULL && (!tag_value_ok(p->identity, 256) ||
	    strchr(p->identity, '@') == NULL))
		return err_field(e, ERR_INPUT, "identity", "bad DKIM i=");
	if ((int)p->hcanon < 0 || p->hcanon >= DKIM_CANON__MAX ||
	    (int)p->bcanon < 0 || p->bcanon >= DKIM_CANON__MAX)
		return err_set(e, ERR_INPUT, "bad canonicalization");
	if ((sec = malloc(sizeof(*sec))) == NULL ||
	    (s = calloc(1, sizeof(*s))) == NULL) {
		err_set(e, ERR_ENV, "out of memory");
		goto out;
	}
	if (hdr_parse(msg, n, sec, e) == -1)
		goto out;
	if (hdr_count(sec, "From") == 0) {
		err_set(e, ERR_INPUT, "the message has no From header field: "
		    "DKIM must sign it (RFC 6376 §5.4)");
		goto out;
	}
	if (header_list(p, sec, names, &nn, e) == -1)
		goto out;
	if (body_hash_raw(p->bcanon, msg + sec->body, n - sec->body, bh) ==
	    -1) {
		err_set(e, ERR_ENV, "SHA-256 failed");
		goto out;
	}
	b64(bh, sizeof(bh), bh64);
	t = p->time == 0 ? (int64_t)time(NULL) : p->time;
	if (p->expire != 0 && (p->expire < 0 || (t > 0 && p->expire <= t))) {
		err_set(e, ERR_INPUT, "x= must be later than t=");
		goto out;
	}

	/* the field up to "b=" (§3.5); b= is last so its value is empty
	 * in the header-hash input (§3.7) */
	w.b = &h;
	sbuf_puts(&h, "DKIM-Signature:");
	w.col = strlen("DKIM-Signature:");
	sig_tag(&w, "v=1;", 4);
	sig_tagf(&w, "a=%s;", dkim_alg_name(k->alg));
	sig_tagf(&w, "c=%s/%s;",
	    p->hcanon == DKIM_CANON_SIMPLE ? "simple" : "relaxed",
	    p->bcanon == DKIM_CANON_SIMPLE ? "simple" : "relaxed");
	sig_tagf(&w, "d=%s;", p->domain);
	sig_tagf(&w, "s=%s;", p->selector);
	if (t > 0)
		sig_tagf(&w, "t=%lld;", (long long)t);
	if (p->expire > 0)
		sig_tagf(&w, "x=%lld;", (long long)p->expire);
	if (p->identity != NULL)
		sig_tagf(&w, "i=%s;", p->identity);
	for (i = 0; i < nn; i++) {
		char	 piece[HDR_NAME_MAX + 4];
		size_t	 pl = 0;

		if (i == 0) {
			memcpy(piece, "h=", 2);
			pl = 2;
		}
		memcpy(piece + pl, names[i].p, names[i].n);
		pl += names[i].n;
		piece[pl++] = i + 1 < nn ? ':' : ';';
		if (i == 0)
			sig_tag(&w, piece, pl);
		else
			sig_piece(&w, piece, pl);
	}
	sig_tagf(&w, "bh=%s;", bh64);
	sig_tag(&w, "b=", 2);
	if (sbuf_failed(&h)) {
		err_set(e, ERR_ENV, "out of memory");
		goto out;
	}

	/* §3.7: selected fields in h= order, then this field without its
	 * CRLF */
	if ((s->md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(s->md, sha256(), NULL) != 1) {
		err_set(e, ERR_ENV, "SHA-256 failed");
		goto out;
	}
	for (i = 0; i < nn; i++)
		if ((f = pick(sec, names, i)) != NULL)
			canon_header(p->hcanon, f, true, s);
	self.name = (struct str){ h.p, strlen("DKIM-Signature") };
	self.value = (struct str){ h.p + self.name.n + 1,
	    h.len - self.name.n - 1 };
	self.raw = (struct str){ h.p, h.len };
	canon_header(p->hcanon, &self, false, s);
	sink_flush(s);
	if (EVP_DigestFinal_ex(s->md, dig, &dl) != 1 || dl != 32) {
		err_set(e, ERR_ENV, "SHA-256 failed");
		goto out;
	}
	if (sign_digest(k, dig, sig, &sl, e) == -1)
		goto out;
	b64(sig, sl, b64sig);

	/* b= value folded with FWS (§3.5: whitespace in b= is ignored) */
	left = strlen(b64sig);
	for (i = 0; left > 0; ) {
		take = w.col < SIG_COLS ? SIG_COLS - w.col : 0;
		if (take == 0) {
			sbuf_puts(&h, "\r\n ");
			w.col = 1;
			continue;
		}
		if (take > left)
			take = left;
		sbuf_put(&h, b64sig + i, take);
		w.col += take;
		i += take;
		left -= take;
	}
	sbuf_puts(&h, "\r\n");
	if (sbuf_failed(&h)) {
		err_set(e, ERR_ENV, "out of memory");
		goto out;
	}
	sbuf_put(out_header, h.p, h.len);
	if (sbuf_failed(out_header)) {
		err_set(e, ERR_TOO_LARGE, "signature header does not fit");
		goto out;
	}
	rc = 0;
out:
	if (s != NULL)
		EVP_MD_CTX_free(s->md);
	free(s);
	free(sec);
	sbuf_free(&h);
	return rc;
}
