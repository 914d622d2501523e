/*
 * cmd_dkim.c - `tegami dkim`: the engine's DKIM signer for operators and
 * for checking against other implementations (RFC 6376, RFC 8463).
 *
 *	tegami dkim sign --key FILE --domain D --selector S
 *	    [--canon relaxed/relaxed] [--headers a:b:c] [--time T]
 *	    [--expire X] [--identity I] MSGFILE|-
 *	tegami dkim record --key FILE
 *
 * `sign` prints the message with the signature prepended. The message is
 * read whole (bounded), its bare LF line ends become CRLF first, as SMTP
 * transfer would make them. A hidden `--demo-message KIND` signs a message
 * built by mime_build() instead of a file (for the conformance test).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../core/num.h"
#include "../core/sbuf.h"
#include "../mail/dkim.h"
#include "../mail/mime.h"
#include "cli.h"

#define DKIM_MSG_MAX	((size_t)64 * 1024 * 1024)

/* Reads a whole file ("-": stdin) into b, at most max bytes. */
static int
read_file(const char *path, size_t max, struct sbuf *b)
{
	FILE	*fp;
	char	 buf[65536];
	size_t	 r;
	int	 rc = 0;

	fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (fp == NULL) {
		fprintf(stderr, "tegami: dkim: %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	while ((r = fread(buf, 1, sizeof(buf), fp)) > 0) {
		if (b->len + r > max) {
			fprintf(stderr, "tegami: dkim: %s: larger than %zu "
			    "bytes\n", path, max);
			rc = -1;
			break;
		}
		sbuf_put(b, buf, r);
	}
	if (rc == 0 && ferror(fp)) {
		fprintf(stderr, "tegami: dkim: %s: %s\n", path,
		    strerror(errno));
		rc = -1;
	}
	if (fp != stdin)
		fclose(fp);
	explicit_bzero(buf, sizeof(buf));	/* may have held a key */
	if (rc == 0 && sbuf_failed(b)) {
		fprintf(stderr, "tegami: dkim: %s: out of memory\n", path);
		rc = -1;
	}
	return rc;
}

/* Bare LF -> CRLF (RFC 5322 §2.1 line ends). */
static void
to_crlf(struct str in, struct sbuf *out)
{
	size_t	 i, start = 0;

	for (i = 0; i < in.n; i++) {
		if (in.p[i] == '\n' && (i == 0 || in.p[i - 1] != '\r')) {
			sbuf_put(out, in.p + start, i - start);
			sbuf_put(out, "\r\n", 2);
			start = i + 1;
		}
	}
	sbuf_put(out, in.p + start, in.n - start);
}

static struct dkim_key *
load_key(const char *path)
{
	struct sbuf	 pem;
	struct err	 e;
	struct dkim_key	*k = NULL;

	/* one buffer that never moves, so no stray copy of the key is
	 * left in freed memory; max < cap keeps sbuf from reallocating */
	sbuf_init(&pem, NULL, DKIM_PEM_MAX);
	if ((pem.p = malloc(DKIM_PEM_MAX + 1)) == NULL) {
		fprintf(stderr, "tegami: dkim: out of memory\n");
		return NULL;
	}
	pem.cap = DKIM_PEM_MAX + 1;
	pem.p[0] = '\0';
	err_clear(&e);
	if (read_file(path, DKIM_PEM_MAX, &pem) == 0 &&
	    (k = dkim_key_from_pem(pem.p, pem.len, &e)) == NULL)
		fprintf(stderr, "tegami: dkim: %s: %s\n", path, e.msg);
	explicit_bzero(pem.p, pem.cap);		/* key material */
	sbuf_free(&pem);
	return k;
}

/* The demonstration messages built by mime_build (see file comment). */
static int
demo_message(const char *kind, struct sbuf *out)
{
	struct mime_msg	 m;
	struct err	 e;
	static const struct mime_header extra[] = {
		{ { "X-Campaign", 10 }, { "demo-42", 7 } },
	};

	memset(&m, 0, sizeof(m));
	m.from_name = str_from("Tegami お知らせ");
	m.from_addr = STR_LIT("news@example.org");
	m.to_name = STR_LIT("山田 太郎");
	m.to_addr = STR_LIT("taro@example.net");
	m.reply_to = STR_LIT("support@example.org");
	m.subject = str_from("【重要】ご登録内容の確認のお願い — Tegami "
	    "からのお知らせ（2026年11月号）長い件名の折り返しを確認します");
	m.text = str_from("山田様\n\nいつもご利用ありがとうございます。\n"
	    "Plain ASCII line.\n.leading dot line\n\n\n");
	m.html = str_from("<html><body><p>山田様</p><p>こんにちは、世界"
	    "</p></body></html>\n");
	m.date = 1796000000;
	m.unsub_url = STR_LIT("https://example.org/u/abc123");
	m.unsub_mailto = STR_LIT("unsubscribe@example.org");
	m.unsub_post = true;
	m.feedback_id = STR_LIT("42:campaign:tegami:example.org");
	m.extra = extra;
	m.nextra = 1;
	if (strcmp(kind, "iso2022jp") == 0) {
		m.charset = MIME_CS_ISO2022JP;
		/* JIS X 0208 has no U+2014 EM DASH */
		m.subject = str_from("【重要】ご登録内容の確認のお願い Tegami "
		    "からのお知らせ（2026年11月号）長い件名の折り返しを確認");
	}
	else if (strcmp(kind, "text") == 0)
		m.html = STR_NULL;
	else if (strcmp(kind, "ascii") == 0) {
		m.from_name = STR_LIT("Tegami News");
		m.to_name = STR_NULL;
		m.subject = STR_LIT("Monthly news");
		m.text = STR_LIT("Hello,\n\nthis is plain ASCII.\n");
		m.html = STR_NULL;
	} else if (strcmp(kind, "utf8") != 0) {
		fprintf(stderr, "tegami: dkim: --demo-message utf8|iso2022jp"
		    "|text|ascii\n");
		return -1;
	}
	err_clear(&e);
	if (mime_build(&m, out, NULL, &e) == -1) {
		fprintf(stderr, "tegami: dkim: demo message: %s\n", e.msg);
		return -1;
	}
	return 0;
}

static int
dkim_usage(void)
{
	fprintf(stderr, "usage: tegami dkim sign --key FILE --domain D "
	    "--selector S [--canon H/B]\n"
	    "           [--headers a:b:c] [--time T] [--expire X] "
	    "[--identity I] MSGFILE|-\n"
	    "       tegami dkim record --key FILE\n");
	return 2;
}

static int
parse_time(const char *s, int64_t *out)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 0)
		return -1;
	*out = v;
	return 0;
}

int
cmd_dkim(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "domain", required_argument, NULL, 'd' },
		{ "selector", required_argument, NULL, 's' },
		{ "canon", required_argument, NULL, 'c' },
		{ "headers", required_argument, NULL, 'H' },
		{ "time", required_argument, NULL, 't' },
		{ "expire", required_argument, NULL, 'x' },
		{ "identity", required_argument, NULL, 'i' },
		{ "demo-message", required_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	struct dkim_params p;
	struct dkim_key	*k = NULL;
	struct sbuf	 raw, msg, sig;
	struct err	 e;
	const char	*keyfile = NULL, *demo = NULL, *verb;
	int		 ch, rc = 1;

	(void)c;
	if (argc < 2)
		return dkim_usage();
	verb = argv[1];
	argc--;
	argv++;
	optind = 1;
	memset(&p, 0, sizeof(p));
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			keyfile = optarg;
			break;
		case 'd':
			p.domain = optarg;
			break;
		case 's':
			p.selector = optarg;
			break;
		case 'c':
			if (dkim_canon_parse(optarg, &p.hcanon, &p.bcanon)
			    == -1) {
				fprintf(stderr, "tegami: dkim: --canon: "
				    "relaxed or simple, as H/B\n");
				return 2;
			}
			break;
		case 'H':
			p.headers = optarg;
			break;
		case 't':
			if (parse_time(optarg, &p.time) == -1) {
				fprintf(stderr, "tegami: dkim: bad --time\n");
				return 2;
			}
			break;
		case 'x':
			if (parse_time(optarg, &p.expire) == -1) {
				fprintf(stderr, "tegami: dkim: bad --expire\n");
				return 2;
			}
			break;
		case 'i':
			p.identity = optarg;
			break;
		case 'D':
			demo = optarg;
			break;
		default:
			return dkim_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (keyfile == NULL)
		return dkim_usage();
	if (strcmp(verb, "record") == 0) {
		if (argc != 0)
			return dkim_usage();
		if ((k = load_key(keyfile)) == NULL)
			return 1;
		sbuf_init(&sig, NULL, 0);
		err_clear(&e);
		if (dkim_key_record(k, &sig, &e) == -1)
			fprintf(stderr, "tegami: dkim: %s\n", e.msg);
		else {
			printf("%s\n", sig.p);
			rc = 0;
		}
		sbuf_free(&sig);
		dkim_key_free(k);
		return rc;
	}
	if (strcmp(verb, "sign") != 0 || p.domain == NULL ||
	    p.selector == NULL || (demo == NULL && argc != 1) ||
	    (demo != NULL && argc != 0))
		return dkim_usage();
	if ((k = load_key(keyfile)) == NULL)
		return 1;
	sbuf_init(&raw, NULL, DKIM_MSG_MAX);
	sbuf_init(&msg, NULL, 2 * DKIM_MSG_MAX);
	sbuf_init(&sig, NULL, 0);
	if (demo != NULL) {
		if (demo_message(demo, &msg) == -1)
			goto out;
	} else {
		if (read_file(argv[0], DKIM_MSG_MAX, &raw) == -1)
			goto out;
		to_crlf(sbuf_str(&raw), &msg);
	}
	err_clear(&e);
	if (sbuf_failed(&msg)) {
		fprintf(stderr, "tegami: dkim: out of memory\n");
		goto out;
	}
	if (dkim_sign(k, &p, msg.p != NULL ? msg.p : "", msg.len, &sig, &e)
	    == -1) {
		fprintf(stderr, "tegami: dkim: %s%s%s\n",
		    demo != NULL ? "" : argv[0], demo != NULL ? "" : ": ",
		    e.msg);
		goto out;
	}
	if (fwrite(sig.p, 1, sig.len, stdout) != sig.len ||
	    (msg.len > 0 && fwrite(msg.p, 1, msg.len, stdout) != msg.len) ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "tegami: dkim: write error\n");
		goto out;
	}
	rc = 0;
out:
	sbuf_free(&raw);
	sbuf_free(&msg);
	sbuf_free(&sig);
	dkim_key_free(k);
	return rc;
}
