/*
 * cmd_enqueue.c - `tegami enqueue-test`: puts N synthetic personalized
 * messages on the queue, for tests and benchmarks.
 *
 *	tegami enqueue-test --count N --domain D [--from ADDR] [--size BYTES]
 *	    [--html] [--first K] [--window NAME]
 *
 * Recipients are test<K+i>@D (K default 1); merge fields name and n; the
 * payload's templates use them ({{name}}, {{n}}, {{email}}). The rows are
 * made by the database in chunks (db_queue_add_test), so a million rows
 * take seconds. From defaults to tegami@D.
 */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../core/arena.h"
#include "../core/clock.h"
#include "../core/err.h"
#include "../core/num.h"
#include "../core/sbuf.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../db/db_domain.h"
#include "../db/db_queue.h"
#include "../mail/addr.h"
#include "cli.h"

#define ENQUEUE_COUNT_MAX	100000000ULL
#define ENQUEUE_SIZE_MAX	(1024 * 1024)

static const char filler[] =
    "Tegami test line: the quick brown fox jumps over the lazy dog.";

static int
enqueue_usage(void)
{
	fprintf(stderr, "usage: tegami enqueue-test --count N --domain D "
	    "[--from ADDR] [--size BYTES] [--html] [--first K] "
	    "[--window NAME]\n");
	return 2;
}

/* 16 random lower-case hex digits for Message-IDs. */
static void
token_new(char out[17])
{
	unsigned char	 r[8];

	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(out, 17, r, sizeof(r));
}

int
cmd_enqueue_test(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "domain", required_argument, NULL, 'd' },
		{ "from", required_argument, NULL, 'f' },
		{ "size", required_argument, NULL, 's' },
		{ "first", required_argument, NULL, 'k' },
		{ "html", no_argument, NULL, 'h' },
		{ "window", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	struct queue_payload	 p;
	struct sbuf		 text, html;
	struct arena		*a;
	struct db		*db = NULL;
	struct err		 e;
	const char		*domain = NULL, *from = NULL, *window = NULL;
	char			 token[17], *dfrom = NULL;
	uint64_t		 count = 0, size = 0, first = 1, id, did;
	int64_t			 t0;
	bool			 want_html = false;
	int			 ch, rc = 1, found;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			if (num_parse_u64(str_from(optarg), 1,
			    ENQUEUE_COUNT_MAX, &count) == -1)
				return enqueue_usage();
			break;
		case 's':
			if (num_parse_u64(str_from(optarg), 0,
			    ENQUEUE_SIZE_MAX, &size) == -1)
				return enqueue_usage();
			break;
		case 'k':
			if (num_parse_u64(str_from(optarg), 0,
			    ENQUEUE_COUNT_MAX, &first) == -1)
				return enqueue_usage();
			break;
		case 'd':
			domain = optarg;
			break;
		case 'f':
			from = optarg;
			break;
		case 'h':
			want_html = true;
			break;
		case 'w':
			window = optarg;
			break;
		default:
			return enqueue_usage();
		}
	}
	if (count == 0 || domain == NULL || optind != argc)
		return enqueue_usage();
	if (sodium_init() < 0 || (a = arena_new(0)) == NULL)
		return 1;
	if (!addr_domain_valid(str_from(domain))) {
		fprintf(stderr, "tegami: \"%s\" is not a domain name\n",
		    domain);
		goto out;
	}
	if (from == NULL && (from = dfrom = arena_printf(a, "tegami@%s",
	    domain)) == NULL)
		goto out;
	if (!addr_spec_valid(str_from(from))) {
		fprintf(stderr, "tegami: \"%s\" is not an address\n", from);
		goto out;
	}
	/* A personalized body of about --size bytes. */
	sbuf_init(&text, a, ENQUEUE_SIZE_MAX * 2);
	sbuf_puts(&text, "Hello {{name}},\n\nThis is test message {{n}} for "
	    "{{email}}, sent by Tegami.\n\n");
	while (text.len + sizeof(filler) < size)
		sbuf_printf(&text, "%s\n", filler);
	sbuf_puts(&text, "\nRegards,\nTegami\n");
	sbuf_init(&html, a, ENQUEUE_SIZE_MAX * 2);
	sbuf_puts(&html, "<p>Hello {{name}},</p>\n<p>This is test message "
	    "{{n}} for {{email}}.</p>\n");
	if (sbuf_failed(&text) || sbuf_failed(&html))
		goto out;
	token_new(token);
	memset(&p, 0, sizeof(p));
	p.kind = "test";
	p.mail_from = from;
	p.from_name = "Tegami Test";
	p.subject_tpl = "Test message {{n}} for {{name}}";
	p.text_tpl = text.p;
	p.html_tpl = want_html ? html.p : NULL;
	p.token = token;
	if ((db = cli_db(c)) == NULL)
		goto out;
	err_clear(&e);
	if (db_domain_find(db, strrchr(from, '@') + 1, &did, &e) == 1)
		p.domain_id = did;
	/* Sending hours: the messages wait for the window to open. */
	if (window != NULL && (found = db_queue_window_find(db, window,
	    &p.window_id, &e)) != 1) {
		fprintf(stderr, "tegami: %s%s\n", found == 0 ?
		    "no such sending window: " : "", found == 0 ? window :
		    e.msg);
		goto out;
	}
	t0 = clock_mono_ms();
	if (db_queue_payload_add(db, &p, &id, &e) == -1 ||
	    db_queue_add_test(db, id, first, count, domain, &e) == -1) {
		fprintf(stderr, "tegami: enqueue-test: %s\n", e.msg);
		goto out;
	}
	printf("enqueued %llu messages (payload %llu) in %.2f s\n",
	    (unsigned long long)count, (unsigned long long)id,
	    (double)(clock_mono_ms() - t0) / 1000.0);
	rc = 0;
out:
	db_close(db);
	arena_free(a);
	return rc;
}
