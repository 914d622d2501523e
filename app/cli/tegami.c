/*
 * tegami.c - the `tegami` command: operators' tool for migrations, users,
 * IP ranges (lock-out recovery), DKIM keys and test sends.
 *
 *	tegami [-c FILE] VERB [ARGS...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../db/db.h"
#include "cli.h"

struct verb {
	const char	*name;
	int		(*fn)(struct cli *, int, char **);
	const char	*usage;
};

static const struct verb verbs[] = {
	{ "migrate", cmd_migrate, "migrate [--status]" },
	{ "user", cmd_user, "user add|passwd|disable|list ..." },
	{ "ip", cmd_ip, "ip list|allow CIDR [--label TEXT]|deny CIDR" },
	{ "dkim", cmd_dkim, "dkim sign --key FILE --domain D --selector S "
	    "[--canon H/B] [--headers a:b:c] [--time T] MSGFILE | "
	    "dkim record --key FILE" },
	{ "send", cmd_send, "send --to ADDR --subject TEXT --text TEXT ..." },
	{ "enqueue-test", cmd_enqueue_test, "enqueue-test --count N --domain D" },
	{ "queue", cmd_queue, "queue status" },
	{ "window", cmd_window, "window add NAME [--tz ZONE] --hours 'mon-fri 09:00-20:00' | window list" },
	{ "domain", cmd_domain, "domain add D | domain key D --selector S (--key FILE | --generate rsa|ed25519)" },
};

static int
usage(void)
{
	size_t	 i;

	fprintf(stderr, "usage: tegami [-c FILE] VERB [ARGS...]\n");
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(stderr, "       tegami %s\n", verbs[i].usage);
	return 2;
}

int
cli_config(struct cli *c)
{
	struct err	 e;

	if (c->cfg_loaded)
		return 0;
	err_clear(&e);
	if (config_load(&c->cfg, c->config_path, &e) == -1) {
		fprintf(stderr, "tegami: configuration: %s\n", e.msg);
		return -1;
	}
	c->cfg_loaded = true;
	return 0;
}

struct db *
cli_db(struct cli *c)
{
	struct err	 e;
	struct db	*db;

	if (cli_config(c) == -1)
		return NULL;
	err_clear(&e);
	if ((db = db_open(&c->cfg, &e)) == NULL)
		fprintf(stderr, "tegami: database: %s\n", e.msg);
	return db;
}

int
main(int argc, char **argv)
{
	struct cli	 c;
	size_t		 i;
	int		 ch;

	memset(&c, 0, sizeof(c));
	c.config_path = getenv("TEGAMI_CONFIG");
	log_init("tegami", LOG_WARN);
	while ((ch = getopt(argc, argv, "+c:h")) != -1) {
		switch (ch) {
		case 'c':
			c.config_path = optarg;
			break;
		default:
			return usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return usage();
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(argv[0], verbs[i].name) == 0) {
			/* 0 makes glibc start afresh (and permute again) for
			 * the verb's own options. */
			optind = 0;
			return verbs[i].fn(&c, argc, argv);
		}
	fprintf(stderr, "tegami: unknown verb \"%s\"\n", argv[0]);
	return usage();
}
