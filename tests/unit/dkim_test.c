/*
 * dkim_test.c - the DKIM signer of app/mail/dkim.c against known vectors:
 * RFC 6376 §3.4.5 canonicalization examples, the empty-body hashes,
 * RFC 8463 Appendix A (Ed25519 key, message, bh= and b=, deterministic),
 * RSA-2048 signatures checked with OpenSSL by a small verifier written
 * here, header selection and oversigning (RFC 6376 §5.4), two signatures
 * on one message, key refusals, and signing from two threads.
 * Keys: tests/data/dkim/ (throwaway test keys, see its README).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "t.h"
#include "../../app/core/err.h"
#include "../../app/core/sbuf.h"
#include "../../app/mail/dkim.h"
#include "../../app/mail/hdr.h"
#include "../../app/mail/mime.h"

/* RFC 8463 Appendix A.1: the Ed25519 private key (seed) as PKCS#8 PEM */
static const char rfc8463_pem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
    "-----END PRIVATE KEY-----\n";
/* RFC 8463 Appendix A.2 (message) */
static const char rfc8463_msg[] =
    "From: Joe SixPack <joe@football.example.com>\r\n"
    "To: Suzie Q <suzie@shopping.example.net>\r\n"
    "Subject: Is dinner ready?\r\n"
    "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n"
    "Message-ID: <20030712040037.46341.5F8J@football.example.com>\r\n"
    "\r\n"
    "Hi.\r\n"
    "\r\n"
    "We lost the game.  Are you hungry yet?\r\n"
    "\r\n"
    "Joe.\r\n";
/* RFC 8463 Appendix A.3, the ed25519 signature, with b= emptied */
static const char rfc8463_sig[] =
    "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;\r\n"
    " d=football.example.com; i=@football.example.com;\r\n"
    " q=dns/txt; s=brisbane; t=1528637909; h=from : to :\r\n"
    " subject : date : message-id : from : subject : date;\r\n"
    " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
    " b=\r\n";
static const char rfc8463_b[] =
    "/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus"
    "Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==";

static char *
slurp(const char *name, size_t *n)
{
	const char	*src = getenv("TEGAMI_SRC");
	char		 path[1024];
	FILE		*fp;
	char		*p;
	long		 sz;

	snprintf(path, sizeof(path), "%s%stests/data/dkim/%s",
	    src ? src : "", src ? "/" : "", name);
	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	sz = ftell(fp);
	rewind(fp);
	if ((p = malloc((size_t)sz + 1)) != NULL &&
	    fread(p, 1, (size_t)sz, fp) != (size_t)sz) {
		free(p);
		p = NULL;
	}
	fclose(fp);
	if (p != NULL) {
		p[sz] = '\0';
		*n = (size_t)sz;
	}
	return p;
}

static struct dkim_key *
key_file(const char *name, struct err *e)
{
	size_t		 n = 0;
	char		*pem = slurp(name, &n);
	struct dkim_key	*k;

	if (pem == NULL) {
		err_set(e, ERR_ENV, "cannot read tests/data/dkim/%s (set "
		    "TEGAMI_SRC)", name);
		return NULL;
	}
	k = dkim_key_from_pem(pem, n, e);
	free(pem);
	return k;
}

static EVP_PKEY *
pkey_file(const char *name)
{
	size_t		 n = 0;
	char		*pem = slurp(name, &n);
	BIO		*b;
	EVP_PKEY	*pk = NULL;

	if (pem == NULL)
		return NULL;
	if ((b = BIO_new_mem_buf(pem, (int)n)) != NULL)
		pk = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	free(pem);
	return pk;
}

/* ---- a small verifier of our own, for the tests ---- */

/* Value of tag t in a DKIM-Signature value, FWS removed. */
static int
tag(struct str v, const char *t, char *out, size_t on)
{
	size_t	 i = 0, k, tl = strlen(t), o;

	while (i < v.n) {
		while (i < v.n && strchr(" \t\r\n", v.p[i]))
			i++;
		if (i + tl < v.n && strncmp(v.p + i, t, tl) == 0) {
			k = i + tl;
			while (k < v.n && strchr(" \t\r\n", v.p[k]))
				k++;
			if (k < v.n && v.p[k] == '=') {
				for (o = 0, k++; k < v.n && v.p[k] != ';';
				    k++)
					if (!strchr(" \t\r\n", v.p[k]) &&
					    o + 1 < on)
						out[o++] = v.p[k];
				out[o] = '\0';
				return 0;
			}
		}
		while (i < v.n && v.p[i] != ';')
			i++;
		i++;
	}
	return -1;
}

static int
verify_sec(const char *msg, size_t n, size_t idx, EVP_PKEY *pk,
    struct hdr_section *sec);

/* Verifies the idx-th DKIM-Signature (0 = topmost) of msg with pk; safe
 * to call from several threads. */
static int
verify(const char *msg, size_t n, size_t idx, EVP_PKEY *pk)
{
	struct hdr_section	*sec = malloc(sizeof(*sec));
	int			 ok;

	if (sec == NULL)
		return 0;
	ok = verify_sec(msg, n, idx, pk, sec);
	free(sec);
	return ok;
}

static int
verify_sec(const char *msg, size_t n, size_t idx, EVP_PKEY *pk,
    struct hdr_section *sec)
{
	const struct hdr_field *sig = NULL, *f;
	struct hdr_field cut;
	struct err	 e;
	struct sbuf	 in, raw;
	enum dkim_canon	 hc, bc;
	char		 c[64], bh[64], h[1024], b[2048];
	char		 bhgot[DKIM_BH_LEN + 1];
	unsigned char	 dig[32], sigb[1024];
	char		*name, *save = NULL;
	size_t		 i, seen = 0, nn = 0, j;
	const char	*names[64];
	const char	*bpos;
	int		 ok = 0, sl;
	EVP_PKEY_CTX	*pc;
	EVP_MD_CTX	*mc;

	if (hdr_parse(msg, n, sec, &e) == -1)
		return 0;
	for (i = 0; i < sec->n; i++)
		if (str_caseeq_cstr(sec->f[i].name, "DKIM-Signature") &&
		    seen++ == idx) {
			sig = &sec->f[i];
			break;
		}
	if (sig == NULL || tag(sig->value, "c", c, sizeof(c)) == -1 ||
	    tag(sig->value, "bh", bh, sizeof(bh)) == -1 ||
	    tag(sig->value, "h", h, sizeof(h)) == -1 ||
	    tag(sig->value, "b", b, sizeof(b)) == -1 ||
	    dkim_canon_parse(c, &hc, &bc) == -1)
		return 0;
	if (dkim_body_hash(bc, msg + sec->body, n - sec->body, bhgot) == -1 ||
	    strcmp(bh, bhgot) != 0)
		return 0;
	sbuf_init(&in, NULL, 0);
	sbuf_init(&raw, NULL, 0);
	for (name = strtok_r(h, ":", &save); name != NULL && nn < 64;
	    name = strtok_r(NULL, ":", &save))
		names[nn++] = name;
	for (i = 0; i < nn; i++) {
		size_t	 skip = 0;

		for (j = 0; j < i; j++)
			if (strcasecmp(names[j], names[i]) == 0)
				skip++;
		for (j = sec->n; j > 0; j--) {
			f = &sec->f[j - 1];
			if (!str_caseeq_cstr(f->name, names[i]))
				continue;
			if (skip-- == 0) {
				dkim_canon_header(hc, f, true, &in);
				break;
			}
		}
	}
	/* the signature field with the b= value removed, no CRLF */
	for (bpos = sig->raw.p; (bpos = memmem(bpos, sig->raw.n -
	    (size_t)(bpos - sig->raw.p), "b=", 2)) != NULL; bpos++)
		if (strchr("; \t\n", bpos[-1]))
			break;
	if (bpos == NULL)
		goto out;
	sbuf_put(&raw, sig->raw.p, (size_t)(bpos + 2 - sig->raw.p));
	cut.raw = sbuf_str(&raw);
	cut.name = (struct str){ raw.p, sig->name.n };
	cut.value = (struct str){ raw.p + sig->name.n + 1,
	    raw.len - sig->name.n - 1 };
	dkim_canon_header(hc, &cut, false, &in);
	EVP_Digest(in.p, in.len, dig, NULL, EVP_sha256(), NULL);
	sl = EVP_DecodeBlock(sigb, (unsigned char *)b, (int)strlen(b));
	while (sl > 0 && strlen(b) > 0 && b[strlen(b) - 1] == '=') {
		b[strlen(b) - 1] = '\0';
		sl--;
	}
	if (EVP_PKEY_get_base_id(pk) == EVP_PKEY_ED25519) {
		mc = EVP_MD_CTX_new();
		ok = EVP_DigestVerifyInit(mc, NULL, NULL, NULL, pk) == 1 &&
		    EVP_DigestVerify(mc, sigb, (size_t)sl, dig, 32) == 1;
		EVP_MD_CTX_free(mc);
	} else {
		pc = EVP_PKEY_CTX_new(pk, NULL);
		ok = EVP_PKEY_verify_init(pc) == 1 &&
		    EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PADDING) == 1 &&
		    EVP_PKEY_CTX_set_signature_md(pc, EVP_sha256()) == 1 &&
		    EVP_PKEY_verify(pc, sigb, (size_t)sl, dig, 32) == 1;
		EVP_PKEY_CTX_free(pc);
	}
out:
	sbuf_free(&in);
	sbuf_free(&raw);
	return ok;
}

/* The unfolded value of a tag of the first DKIM-Signature in s. */
static const char *
sig_tag(const char *s, const char *t)
{
	static char	 v[2048];
	const char	*colon = strchr(s, ':');

	if (colon == NULL || tag((struct str){ colon + 1, strlen(colon + 1) },
	    t, v, sizeof(v)) == -1)
		return "(none)";
	return v;
}

/* RFC 6376 §3.4.3-4 written plainly, byte by byte: lines end at LF (a CR
 * right before it belongs to the line end), a last line without one gets
 * CRLF; the reference that the run-based canonicalization must match. */
static void
canon_reference(enum dkim_canon c, const char *p, size_t n, struct sbuf *out)
{
	size_t	 i = 0, eol, next, k, pend = 0;
	bool	 any = false;

	while (i < n) {
		const char	*nl = memchr(p + i, '\n', n - i);
		struct sbuf	 line;
		bool		 sp = false;

		eol = nl != NULL ? (size_t)(nl - p) : n;
		next = nl != NULL ? eol + 1 : n;
		if (nl != NULL && eol > i && p[eol - 1] == '\r')
			eol--;
		sbuf_init(&line, NULL, 0);
		for (k = i; k < eol; k++) {
			bool	 wsp = p[k] == ' ' || p[k] == '\t';

			if (c == DKIM_CANON_SIMPLE)
				sbuf_putc(&line, p[k]);
			else if (wsp)
				sp = true;
			else {
				if (sp)
					sbuf_putc(&line, ' ');
				sp = false;
				sbuf_putc(&line, p[k]);
			}
		}
		if (line.len == 0)
			pend++;
		else {
			for (; pend > 0; pend--)
				sbuf_put(out, "\r\n", 2);
			sbuf_put(out, line.p, line.len);
			sbuf_put(out, "\r\n", 2);
			any = true;
		}
		sbuf_free(&line);
		i = next;
	}
	if (!any && c == DKIM_CANON_SIMPLE)
		sbuf_put(out, "\r\n", 2);
}

static void
test_canon_random(void)
{
	static const char	 pick[] = "ab  \t\r\n\n.";
	char			 body[700];
	unsigned		 seed = 4242, bad[2] = { 0, 0 };
	size_t			 t, k, n;
	int			 m;

	for (t = 0; t < 3000; t++) {
		n = t % sizeof(body);
		for (k = 0; k < n; k++) {
			seed = seed * 1103515245u + 12345u;
			/* mostly letters; long clean stretches now and then,
			 * so that runs of canonical lines form */
			body[k] = (seed >> 16) % 8 < 5 || t % 5 == 0 ?
			    (char)('a' + (seed >> 20) % 26) :
			    pick[(seed >> 8) % (sizeof(pick) - 1)];
			if (t % 5 == 0 && k % 40 == 38)
				body[k] = '\r';
			if (t % 5 == 0 && k % 40 == 39)
				body[k] = '\n';
		}
		for (m = 0; m < 2; m++) {
			enum dkim_canon	 c = m == 0 ? DKIM_CANON_SIMPLE :
			    DKIM_CANON_RELAXED;
			struct sbuf	 got, want;

			sbuf_init(&got, NULL, 0);
			sbuf_init(&want, NULL, 0);
			dkim_canon_body(c, body, n, &got);
			canon_reference(c, body, n, &want);
			bad[m] += got.len != want.len ||
			    (got.len > 0 && memcmp(got.p, want.p, got.len) != 0);
			sbuf_free(&got);
			sbuf_free(&want);
		}
	}
	T_OK(bad[0] == 0 && bad[1] == 0, "simple and relaxed body forms agree "
	    "with a byte-by-byte reading of RFC 6376 on 3000 random bodies "
	    "(%u and %u differ)", bad[0], bad[1]);
}

static void
test_canon(void)
{
	/* RFC 6376 §3.4.5 */
	static const char msg[] =
	    "A: X\r\n"
	    "B : Y\t\r\n"
	    "\tZ  \r\n"
	    "\r\n"
	    " C \r\n"
	    "D \t E\r\n"
	    "\r\n"
	    "\r\n";
	static struct hdr_section sec;
	struct sbuf	 b;
	struct err	 e;
	size_t		 i;
	char		 bh[DKIM_BH_LEN + 1];

	sbuf_init(&b, NULL, 0);
	T_OK(hdr_parse(msg, sizeof(msg) - 1, &sec, &e) == 0 && sec.n == 2,
	    "example parses");
	for (i = 0; i < sec.n; i++)
		dkim_canon_header(DKIM_CANON_RELAXED, &sec.f[i], true, &b);
	T_STREQ(b.p, "a:X\r\nb:Y Z\r\n", "§3.4.5 relaxed header");
	sbuf_reset(&b);
	dkim_canon_body(DKIM_CANON_RELAXED, msg + sec.body,
	    sizeof(msg) - 1 - sec.body, &b);
	T_STREQ(b.p, " C\r\nD E\r\n", "§3.4.5 relaxed body");
	sbuf_reset(&b);
	for (i = 0; i < sec.n; i++)
		dkim_canon_header(DKIM_CANON_SIMPLE, &sec.f[i], true, &b);
	T_STREQ(b.p, "A: X\r\nB : Y\t\r\n\tZ  \r\n", "§3.4.5 simple header");
	sbuf_reset(&b);
	dkim_canon_body(DKIM_CANON_SIMPLE, msg + sec.body,
	    sizeof(msg) - 1 - sec.body, &b);
	T_STREQ(b.p, " C \r\nD \t E\r\n", "§3.4.5 simple body");

	/* §3.4.3, §3.4.4: empty bodies */
	T_OK(dkim_body_hash(DKIM_CANON_SIMPLE, "", 0, bh) == 0 &&
	    strcmp(bh, "frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=") == 0,
	    "simple empty body hashes CRLF");
	T_OK(dkim_body_hash(DKIM_CANON_RELAXED, "", 0, bh) == 0 &&
	    strcmp(bh, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=") == 0,
	    "relaxed empty body hashes nothing");
	T_OK(dkim_body_hash(DKIM_CANON_RELAXED, "\r\n\r\n \t\r\n", 8, bh) ==
	    0 && strcmp(bh, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=") ==
	    0, "relaxed blank lines vanish");

	static const struct {
		const char	*name, *body, *want;
		enum dkim_canon	 c;
	} bodies[] = {
		{ "missing final CRLF", "abc", "abc\r\n", DKIM_CANON_SIMPLE },
		{ "trailing lines", "a\r\n\r\n\r\n", "a\r\n",
		  DKIM_CANON_SIMPLE },
		{ "inner blank kept", "a\r\n\r\nb\r\n", "a\r\n\r\nb\r\n",
		  DKIM_CANON_SIMPLE },
		{ "bare LF read as CRLF", "a\nb\n", "a\r\nb\r\n",
		  DKIM_CANON_SIMPLE },
		{ "dot-leading", ".\r\n..x\r\n", ".\r\n..x\r\n",
		  DKIM_CANON_RELAXED },
		{ "leading WSP to one SP", "\t \tx\r\n", " x\r\n",
		  DKIM_CANON_RELAXED },
		{ "trailing WSP gone", "x \t\r\n", "x\r\n",
		  DKIM_CANON_RELAXED },
	};
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		sbuf_reset(&b);
		dkim_canon_body(bodies[i].c, bodies[i].body,
		    strlen(bodies[i].body), &b);
		T_STREQ(b.p, bodies[i].want, bodies[i].name);
	}
	{
		enum dkim_canon	 h, bd;

		T_OK(dkim_canon_parse("relaxed/simple", &h, &bd) == 0 &&
		    h == DKIM_CANON_RELAXED && bd == DKIM_CANON_SIMPLE,
		    "c=relaxed/simple");
		T_OK(dkim_canon_parse("relaxed", &h, &bd) == 0 &&
		    bd == DKIM_CANON_SIMPLE, "c=relaxed means relaxed/simple");
		T_OK(dkim_canon_parse("nowsp/simple", &h, &bd) == -1,
		    "unknown canonicalization refused");
	}
	sbuf_free(&b);
}

static void
test_rfc8463(void)
{
	static struct hdr_section sec;
	struct dkim_key	*k;
	struct err	 e;
	struct sbuf	 in, b, rec, signed_msg;
	struct hdr_field self;
	struct dkim_params p;
	char		 bh[DKIM_BH_LEN + 1];
	size_t		 i, body;
	BIO		*bio;
	EVP_PKEY	*pk;

	k = dkim_key_from_pem(rfc8463_pem, sizeof(rfc8463_pem) - 1, &e);
	T_OK(k != NULL && dkim_key_alg(k) == DKIM_ALG_ED25519_SHA256,
	    "RFC 8463 key loads as Ed25519");
	if (k == NULL)
		return;
	sbuf_init(&rec, NULL, 0);
	T_OK(dkim_key_record(k, &rec, &e) == 0 && strcmp(rec.p,
	    "v=DKIM1; k=ed25519; "
	    "p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
	    == 0, "public key record as in RFC 8463 A.2");
	T_OK(hdr_parse(rfc8463_msg, sizeof(rfc8463_msg) - 1, &sec, &e) == 0,
	    "message parses");
	body = sec.body;
	T_OK(dkim_body_hash(DKIM_CANON_RELAXED, rfc8463_msg + body,
	    sizeof(rfc8463_msg) - 1 - body, bh) == 0 &&
	    strcmp(bh, "2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=") == 0,
	    "bh= of RFC 8463 A.3");
	/* header-hash input: from to subject date message-id (the extra
	 * from, subject, date select nothing), then the signature field */
	sbuf_init(&in, NULL, 0);
	for (i = 0; i < sec.n; i++)
		dkim_canon_header(DKIM_CANON_RELAXED, &sec.f[i], true, &in);
	self.raw = (struct str){ rfc8463_sig, sizeof(rfc8463_sig) - 3 };
	self.name = STR_LIT("DKIM-Signature");
	self.value = (struct str){ rfc8463_sig + 15,
	    sizeof(rfc8463_sig) - 3 - 15 };
	dkim_canon_header(DKIM_CANON_RELAXED, &self, false, &in);
	sbuf_init(&b, NULL, 0);
	T_OK(dkim_sign_data(k, in.p, in.len, &b, &e) == 0, "signs");
	T_STREQ(b.p, rfc8463_b, "b= of RFC 8463 A.3 (deterministic)");

	/* our own field over the same message verifies with the key */
	memset(&p, 0, sizeof(p));
	p.domain = "football.example.com";
	p.selector = "brisbane";
	p.time = 1528637909;
	sbuf_reset(&b);
	T_OK(dkim_sign(k, &p, rfc8463_msg, sizeof(rfc8463_msg) - 1, &b, &e)
	    == 0, "dkim_sign over the RFC message");
	T_STREQ(sig_tag(b.p, "bh"),
	    "2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=",
	    "same bh=");
	T_STREQ(sig_tag(b.p, "a"), "ed25519-sha256", "a=ed25519-sha256");
	sbuf_init(&signed_msg, NULL, 0);
	sbuf_putstr(&signed_msg, sbuf_str(&b));
	sbuf_puts(&signed_msg, rfc8463_msg);
	bio = BIO_new_mem_buf(rfc8463_pem, -1);
	pk = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	T_OK(pk != NULL && verify(signed_msg.p, signed_msg.len, 0, pk),
	    "our Ed25519 signature verifies");
	/* deterministic: the same input signs the same */
	sbuf_reset(&in);
	T_OK(dkim_sign(k, &p, rfc8463_msg, sizeof(rfc8463_msg) - 1, &in, &e)
	    == 0 && strcmp(in.p, b.p) == 0, "Ed25519 signing deterministic");
	EVP_PKEY_free(pk);
	sbuf_free(&in);
	sbuf_free(&b);
	sbuf_free(&rec);
	sbuf_free(&signed_msg);
	dkim_key_free(k);
}

static const char mail_msg[] =
    "From: Tegami <news@example.org>\r\n"
    "To: Taro <taro@example.jp>\r\n"
    "Subject: =?UTF-8?B?44GT44KT44Gr44Gh44Gv?=\r\n"
    "Date: Mon, 30 Nov 2026 00:53:20 +0000\r\n"
    "Message-ID: <abc@example.org>\r\n"
    "MIME-Version: 1.0\r\n"
    "Received: from x by y; Mon, 30 Nov 2026 00:53:20 +0000\r\n"
    "Content-Type: text/plain; charset=UTF-8\r\n"
    "\r\n"
    "Hello  there \r\n"
    ".dot line\r\n"
    "\r\n"
    "\r\n";

static void
test_rsa(void)
{
	struct dkim_key	*k;
	struct dkim_params p;
	struct err	 e;
	struct sbuf	 b, m;
	EVP_PKEY	*pk = pkey_file("rsa2048.pem");
	size_t		 i, col;

	k = key_file("rsa2048.pem", &e);
	T_OK(k != NULL && dkim_key_alg(k) == DKIM_ALG_RSA_SHA256 &&
	    dkim_key_bits(k) == 2048, "RSA-2048 PKCS#8 loads");
	if (k == NULL || pk == NULL)
		return;
	memset(&p, 0, sizeof(p));
	p.domain = "example.org";
	p.selector = "s2048";
	p.time = 1796000000;
	sbuf_init(&b, NULL, 0);
	sbuf_init(&m, NULL, 0);
	T_OK(dkim_sign(k, &p, mail_msg, sizeof(mail_msg) - 1, &b, &e) == 0,
	    "RSA signs");
	T_OK(strncmp(b.p, "DKIM-Signature: v=1; a=rsa-sha256; "
	    "c=relaxed/relaxed; d=example.org;", 53) == 0, "tags in order");
	T_STREQ(sig_tag(b.p, "h"), "From:From:To:To:Subject:Subject:Date:"
	    "Date:Message-ID:Message-ID:MIME-Version:Content-Type",
	    "default h=: present ones, singletons oversigned, no Received");
	T_STREQ(sig_tag(b.p, "t"), "1796000000", "t= injected");
	T_STREQ(sig_tag(b.p, "l"), "(none)", "never l=");
	T_OK(strstr(b.p, "rsa-sha1") == NULL, "never rsa-sha1");
	for (i = 0, col = 0; i < b.len; i++) {
		if (b.p[i] == '\r')
			continue;
		col = b.p[i] == '\n' ? 0 : col + 1;
		if (col > 78)
			break;
	}
	T_OK(i == b.len && b.len > 2 && strcmp(b.p + b.len - 2, "\r\n") == 0,
	    "signature field folded within 78, ends in CRLF");
	sbuf_putstr(&m, sbuf_str(&b));
	sbuf_puts(&m, mail_msg);
	T_OK(verify(m.p, m.len, 0, pk), "RSA signature verifies (OpenSSL)");
	/* a changed body or header fails */
	{
		char	*bad = strdup(m.p);
		char	*at = strstr(bad, "Hello");

		*at = 'J';
		T_OK(!verify(bad, m.len, 0, pk), "changed body fails");
		at = strstr(bad, "Subject: =?UTF-8?B?44GT");
		at[9] = 'X';
		T_OK(!verify(bad, m.len, 0, pk), "changed header fails");
		free(bad);
	}
	/* relaxed survives what relaxed allows */
	{
		struct sbuf	 r;
		const char	*body = strstr(m.p, "Hello  there");

		sbuf_init(&r, NULL, 0);
		sbuf_put(&r, m.p, (size_t)(body - m.p));
		sbuf_puts(&r, "Hello there\r\n.dot line\r\n");
		T_OK(verify(r.p, r.len, 0, pk), "relaxed: WSP changes and "
		    "trailing blank lines do not matter");
		sbuf_free(&r);
	}

	/* simple/simple, custom list, x= */
	p.hcanon = DKIM_CANON_SIMPLE;
	p.bcanon = DKIM_CANON_SIMPLE;
	p.headers = "from:subject:date";
	p.expire = 1796000000 + 86400;
	sbuf_reset(&b);
	sbuf_reset(&m);
	T_OK(dkim_sign(k, &p, mail_msg, sizeof(mail_msg) - 1, &b, &e) == 0,
	    "simple/simple signs");
	T_STREQ(sig_tag(b.p, "h"), "from:subject:date", "h= as given");
	T_STREQ(sig_tag(b.p, "x"), "1796086400", "x= set");
	sbuf_putstr(&m, sbuf_str(&b));
	sbuf_puts(&m, mail_msg);
	T_OK(verify(m.p, m.len, 0, pk), "simple/simple verifies");

	/* PKCS#1 form of the same key signs the same (RSA is deterministic) */
	{
		struct dkim_key	*k1 = key_file("rsa2048-pkcs1.pem", &e);
		struct sbuf	 b1;

		sbuf_init(&b1, NULL, 0);
		T_OK(k1 != NULL && dkim_sign(k1, &p, mail_msg,
		    sizeof(mail_msg) - 1, &b1, &e) == 0 &&
		    strcmp(b1.p, b.p) == 0, "PKCS#1 key gives the same "
		    "signature");
		sbuf_free(&b1);
		dkim_key_free(k1);
	}
	sbuf_free(&b);
	sbuf_free(&m);
	EVP_PKEY_free(pk);
	dkim_key_free(k);
}

static void
test_two_signatures(void)
{
	struct dkim_key	*rsa = key_file("rsa2048.pem", &(struct err){ 0 });
	struct dkim_key	*ed = key_file("ed25519.pem", &(struct err){ 0 });
	EVP_PKEY	*prsa = pkey_file("rsa2048.pem");
	EVP_PKEY	*ped = pkey_file("ed25519.pem");
	struct dkim_params p;
	struct sbuf	 h, m;
	struct err	 e;

	T_OK(rsa && ed && prsa && ped, "keys load");
	if (!rsa || !ed || !prsa || !ped)
		return;
	memset(&p, 0, sizeof(p));
	p.domain = "example.org";
	p.selector = "rsa";
	sbuf_init(&h, NULL, 0);
	sbuf_init(&m, NULL, 0);
	T_OK(dkim_sign(rsa, &p, mail_msg, sizeof(mail_msg) - 1, &h, &e) == 0,
	    "RSA signature");
	p.selector = "ed";
	T_OK(dkim_sign(ed, &p, mail_msg, sizeof(mail_msg) - 1, &h, &e) == 0,
	    "Ed25519 signature");
	sbuf_putstr(&m, sbuf_str(&h));
	sbuf_puts(&m, mail_msg);
	T_OK(verify(m.p, m.len, 0, prsa), "first (RSA) verifies");
	T_OK(verify(m.p, m.len, 1, ped), "second (Ed25519) verifies");
	/* signing the already signed message gives the same result: no
	 * signature covers another */
	sbuf_reset(&h);
	T_OK(dkim_sign(ed, &p, m.p, m.len, &h, &e) == 0 &&
	    strstr(sig_tag(h.p, "h"), "DKIM") == NULL,
	    "DKIM-Signature never in the default h=");
	sbuf_free(&h);
	sbuf_free(&m);
	EVP_PKEY_free(prsa);
	EVP_PKEY_free(ped);
	dkim_key_free(rsa);
	dkim_key_free(ed);
}

static void
test_refusals(void)
{
	static const struct {
		const char	*file, *why;
	} bad_keys[] = {
		{ "rsa512.pem", "bits" },
		{ "ec-p256.pem", "cannot sign DKIM" },
		{ "ed25519-encrypted.pem", "PEM private key" },
		{ "README", "PEM private key" },
	};
	struct dkim_key	*k;
	struct dkim_params p;
	struct sbuf	 b;
	struct err	 e;
	size_t		 i;

	for (i = 0; i < sizeof(bad_keys) / sizeof(bad_keys[0]); i++) {
		err_clear(&e);
		k = key_file(bad_keys[i].file, &e);
		T_OK(k == NULL && strstr(e.msg, bad_keys[i].why) != NULL,
		    "%s refused: %s", bad_keys[i].file, e.msg);
		dkim_key_free(k);
	}
	T_OK(dkim_key_from_pem("", 0, &e) == NULL, "empty PEM refused");
	k = key_file("rsa1024.pem", &e);
	T_OK(k != NULL && dkim_key_bits(k) == 1024,
	    "RSA-1024 accepted (with a warning)");
	dkim_key_free(k);

	k = key_file("ed25519.pem", &e);
	if (k == NULL)
		return;
	memset(&p, 0, sizeof(p));
	p.domain = "example.org";
	p.selector = "ed";
	sbuf_init(&b, NULL, 0);
	T_OK(dkim_sign(k, &p, "To: a@b.org\r\nSubject: x\r\n\r\nhi\r\n", 31,
	    &b, &e) == -1 && strstr(e.msg, "From") != NULL && b.len == 0,
	    "no From refused: %s", e.msg);
	p.headers = "to:subject";
	T_OK(dkim_sign(k, &p, mail_msg, sizeof(mail_msg) - 1, &b, &e) == -1 &&
	    strstr(e.msg, "From") != NULL, "h= without From refused");
	p.headers = "from:bad name";
	T_OK(dkim_sign(k, &p, mail_msg, sizeof(mail_msg) - 1, &b, &e) == -1,
	    "bad name in h= refused");
	p.headers = NULL;
	p.domain = "bad domain;";
	T_OK(dkim_sign(k, &p, mail_msg, sizeof(mail_msg) - 1, &b, &e) == -1,
	    "bad d= refused");
	p.domain = "example.org";
	p.selector = "a;b";
	T_OK(dkim_sign(k, &p, mail_msg, sizeof(mail_msg) - 1, &b, &e) == -1,
	    "bad s= refused");
	p.selector = "ed";
	T_OK(dkim_sign(k, &p, " bad\r\n\r\n", 8, &b, &e) == -1,
	    "malformed header refused");
	p.time = 100;
	p.expire = 50;
	T_OK(dkim_sign(k, &p, mail_msg, sizeof(mail_msg) - 1, &b, &e) == -1,
	    "x= before t= refused");
	sbuf_free(&b);
	dkim_key_free(k);
}

struct job {
	const struct dkim_key	*k;
	EVP_PKEY		*pk;
	int			 ok;
};

static void *
signer_thread(void *arg)
{
	struct job		*j = arg;
	struct dkim_params	 p;
	struct sbuf		 b;
	struct err		 e;
	int			 i;

	memset(&p, 0, sizeof(p));
	p.domain = "example.org";
	p.selector = "t";
	j->ok = 1;
	sbuf_init(&b, NULL, 0);
	for (i = 0; i < 40 && j->ok; i++) {
		sbuf_reset(&b);
		if (dkim_sign(j->k, &p, mail_msg, sizeof(mail_msg) - 1, &b,
		    &e) == -1)
			j->ok = 0;
		sbuf_puts(&b, mail_msg);
		if (!verify(b.p, b.len, 0, j->pk))
			j->ok = 0;
	}
	sbuf_free(&b);
	return NULL;
}

static void
test_threads(void)
{
	struct dkim_key	*k = key_file("rsa2048.pem", &(struct err){ 0 });
	EVP_PKEY	*pk = pkey_file("rsa2048.pem");
	struct job	 j[2];
	pthread_t	 t[2];
	int		 i;

	if (k == NULL || pk == NULL) {
		T_OK(0, "keys load");
		return;
	}
	for (i = 0; i < 2; i++) {
		j[i].k = k;
		j[i].pk = pk;
		pthread_create(&t[i], NULL, signer_thread, &j[i]);
	}
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	T_OK(j[0].ok && j[1].ok, "two threads share one key");
	EVP_PKEY_free(pk);
	dkim_key_free(k);
}

static void
test_mime_then_sign(void)
{
	struct dkim_key	*k = key_file("ed25519.pem", &(struct err){ 0 });
	EVP_PKEY	*pk = pkey_file("ed25519.pem");
	struct mime_msg	 m;
	struct dkim_params p;
	struct sbuf	 msg, h;
	struct err	 e;

	if (k == NULL || pk == NULL) {
		T_OK(0, "keys load");
		return;
	}
	memset(&m, 0, sizeof(m));
	m.from_name = str_from("テガミ");
	m.from_addr = STR_LIT("news@example.org");
	m.to_addr = STR_LIT("taro@example.jp");
	m.subject = str_from("【重要】お知らせ");
	m.text = str_from("本文\n");
	m.html = str_from("<p>本文</p>\n");
	m.unsub_url = STR_LIT("https://example.org/u/1");
	m.unsub_post = true;
	m.feedback_id = STR_LIT("1:2:tegami");
	sbuf_init(&msg, NULL, 0);
	sbuf_init(&h, NULL, 0);
	T_OK(mime_build(&m, &msg, NULL, &e) == 0, "mime_build");
	memset(&p, 0, sizeof(p));
	p.domain = "example.org";
	p.selector = "ed";
	T_OK(dkim_sign(k, &p, msg.p, msg.len, &h, &e) == 0, "signs");
	T_STREQ(sig_tag(h.p, "h"), "From:From:To:To:Subject:Subject:Date:"
	    "Date:Message-ID:Message-ID:MIME-Version:Content-Type:"
	    "List-Unsubscribe:List-Unsubscribe-Post:Feedback-ID",
	    "h= covers MIME and List-Unsubscribe fields");
	sbuf_putstr(&h, sbuf_str(&msg));
	T_OK(verify(h.p, h.len, 0, pk), "built message verifies");
	sbuf_free(&msg);
	sbuf_free(&h);
	EVP_PKEY_free(pk);
	dkim_key_free(k);
}

int
main(void)
{
	T_SUITE("dkim");
	T_RUN(test_canon);
	T_RUN(test_canon_random);
	T_RUN(test_rfc8463);
	T_RUN(test_rsa);
	T_RUN(test_two_signatures);
	T_RUN(test_refusals);
	T_RUN(test_threads);
	T_RUN(test_mime_then_sign);
	return t_done("dkim");
}
