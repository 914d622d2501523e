/*
 * cmd_send.c - `tegami send`: puts one transactional message on the queue.
 *
 *	tegami send --to ADDR --subject TEXT --text TEXT [--html HTML]
 *	    [--from ADDR] [--name NAME] [--window NAME]
 *
 * The text is sent as given (no template). From defaults to tegami@ the
 * first sending domain. tegami-sender builds, signs and delivers it.
 */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../core/arena.h"
#include "../core/err.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../db/db_domain.h"
#include "../db/db_queue.h"
#include "../mail/addr.h"
#include "cli.h"

static int
send_usage(void)
{
	fprintf(stderr, "usage: tegami send --to ADDR --subject TEXT --text "
	    "TEXT [--html HTML] [--from ADDR] [--name NAME] "
	    "[--window NAME]\n");
	return 2;
}

int
cmd_send(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "subject", required_argument, NULL, 's' },
		{ "text", required_argument, NULL, 'x' },
		{ "html", required_argument, NULL, 'h' },
		{ "from", required_argument, NULL, 'f' },
		{ "name", required_argument, NULL, 'n' },
		{ "window", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	struct queue_payload	 p;
	struct arena		*a;
	struct db		*db = NULL;
	struct err		 e;
	const char		*to = NULL, *subject = NULL, *text = NULL;
	const char		*html = NULL, *from = NULL, *name = "";
	const char		*window = NULL;
	char			*dom, *rdom, *q;
	char			 token[17];
	unsigned char		 r[8];
	uint64_t		 pid, qid, did;
	int			 ch, rc = 1, found;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 't': to = optarg; break;
		case 's': subject = optarg; break;
		case 'x': text = optarg; break;
		case 'h': html = optarg; break;
		case 'f': from = optarg; break;
		case 'n': name = optarg; break;
		case 'w': window = optarg; break;
		default: return send_usage();
		}
	}
	if (to == NULL || subject == NULL || (text == NULL && html == NULL) ||
	    optind != argc)
		return send_usage();
	if (!addr_spec_valid(str_from(to))) {
		fprintf(stderr, "tegami: \"%s\" is not an address\n", to);
		return 1;
	}
	if (!str_is_header_safe(str_from(subject)) ||
	    !str_is_header_safe(str_from(name))) {
		fprintf(stderr, "tegami: subject and name must be one line\n");
		return 1;
	}
	if (sodium_init() < 0 || (a = arena_new(0)) == NULL)
		return 1;
	if ((db = cli_db(c)) == NULL)
		goto out;
	err_clear(&e);
	if (from == NULL) {
		if ((found = db_domain_first(db, a, &dom, &e)) != 1) {
			fprintf(stderr, "tegami: %s\n", found == 0 ?
			    "no sending domain: give --from or add one" :
			    e.msg);
			goto out;
		}
		if ((from = arena_printf(a, "tegami@%s", dom)) == NULL)
			goto out;
	}
	if (!addr_spec_valid(str_from(from))) {
		fprintf(stderr, "tegami: \"%s\" is not an address\n", from);
		goto out;
	}
	/* The queue keeps recipient domains in lower case. */
	if ((rdom = arena_strdup(a, strrchr(to, '@') + 1)) == NULL)
		goto out;
	for (q = rdom; *q != '\0'; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(token, sizeof(token), r, sizeof(r));
	memset(&p, 0, sizeof(p));
	p.kind = "transactional";
	p.mail_from = from;
	p.from_name = name;
	p.subject_tpl = subject;
	p.text_tpl = text;
	p.html_tpl = html;
	p.token = token;
	if (db_domain_find(db, strrchr(from, '@') + 1, &did, &e) == 1)
		p.domain_id = did;
	/* Sending hours: the message waits for the window to open. */
	if (window != NULL && (found = db_queue_window_find(db, window,
	    &p.window_id, &e)) != 1) {
		fprintf(stderr, "tegami: %s%s\n", found == 0 ?
		    "no such sending window: " : "", found == 0 ? window :
		    e.msg);
		goto out;
	}
	if (db_begin(db, &e) == -1)
		goto fail;
	if (db_queue_payload_add(db, &p, &pid, &e) == -1 ||
	    db_queue_add(db, pid, 0, to, rdom, NULL, &qid, &e) == -1 ||
	    db_commit(db, &e) == -1) {
		db_rollback(db);
		goto fail;
	}
	/* The Message-ID tegami-sender will give it (lower-case domain). */
	for (q = dom = arena_strdup(a, strrchr(from, '@') + 1);
	    q != NULL && *q != '\0'; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	printf("queued %llu: <%llu.%s@%s>\n", (unsigned long long)qid,
	    (unsigned long long)qid, token, dom ? dom : "");
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "tegami: send: %s\n", e.msg);
out:
	db_close(db);
	arena_free(a);
	return rc;
}
