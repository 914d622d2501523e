/*
 * cmd_ip.c - `tegami ip`: the management allow-list from the shell; the way
 * back in after a lock-out (run it on the server itself).
 *
 *	tegami ip list
 *	tegami ip allow CIDR [--label TEXT]
 *	tegami ip deny CIDR
 *
 * Running web processes pick up the change within a few seconds.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../core/arena.h"
#include "../core/cidr.h"
#include "../core/err.h"
#include "../db/db.h"
#include "../db/db_audit.h"
#include "../db/db_iprange.h"
#include "cli.h"

static int
usage(void)
{
	fprintf(stderr, "usage: tegami ip list\n"
	    "       tegami ip allow CIDR [--label TEXT]\n"
	    "       tegami ip deny CIDR\n");
	return 2;
}

/* Parses and canonicalises; prints the parser's reason on failure. */
static int
canonical(const char *verb, const char *text, char *out, size_t outsz)
{
	struct cidr	 c;
	struct err	 e;

	err_clear(&e);
	if (cidr_parse(str_from(text), &c, &e) == -1) {
		fprintf(stderr, "tegami ip %s: %s\n", verb, e.msg);
		return -1;
	}
	cidr_format(&c, out, outsz);
	return 0;
}

static int
ip_allow(struct db *db, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "label", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	char		 cidr[CIDR_TEXT_MAX];
	const char	*label = "";
	struct err	 e;
	int		 ch;

	err_clear(&e);
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'l')
			return usage();
		label = optarg;
	}
	if (optind != argc - 1)
		return usage();
	if (strlen(label) > 128) {
		fprintf(stderr, "tegami ip allow: the label is longer than "
		    "128 bytes\n");
		return 1;
	}
	if (canonical("allow", argv[optind], cidr, sizeof(cidr)) == -1)
		return 1;
	if (db_iprange_insert(db, cidr, label, "cli", NULL, &e) == -1) {
		if (e.kind == ERR_CONFLICT) {
			printf("%s is already allowed\n", cidr);
			return 0;
		}
		fprintf(stderr, "tegami ip allow: %s\n", e.msg);
		return 1;
	}
	if (db_audit_add(db, "cli", "local", "ip_added", cidr, label, &e) ==
	    -1)
		fprintf(stderr, "tegami: audit: %s\n", e.msg);
	printf("allowed %s\n", cidr);
	return 0;
}

static int
ip_deny(struct db *db, const char *text)
{
	char		 cidr[CIDR_TEXT_MAX];
	struct err	 e;
	int		 n = 0;

	err_clear(&e);
	if (canonical("deny", text, cidr, sizeof(cidr)) == -1)
		return 1;
	if (db_iprange_delete_cidr(db, cidr, &n, &e) == -1) {
		fprintf(stderr, "tegami ip deny: %s\n", e.msg);
		return 1;
	}
	if (n == 0) {
		fprintf(stderr, "tegami ip deny: %s is not in the list\n",
		    cidr);
		return 1;
	}
	if (db_audit_add(db, "cli", "local", "ip_removed", cidr, "", &e) == -1)
		fprintf(stderr, "tegami: audit: %s\n", e.msg);
	printf("removed %s\n", cidr);
	return 0;
}

static int
ip_list(struct db *db, struct arena *a)
{
	struct iprange_row	*v;
	struct err		 e;
	size_t			 n, i;

	err_clear(&e);
	if (db_iprange_list(db, a, &v, &n, &e) == -1) {
		fprintf(stderr, "tegami ip list: %s\n", e.msg);
		return 1;
	}
	if (n == 0)
		printf("(empty: nobody can reach the management screens; "
		    "run `tegami ip allow 127.0.0.1/32`)\n");
	for (i = 0; i < n; i++)
		printf("%-43s %s\n", v[i].cidr, v[i].label);
	return 0;
}

int
cmd_ip(struct cli *c, int argc, char **argv)
{
	struct db	*db;
	struct arena	*a;
	int		 rc;

	if (argc < 2)
		return usage();
	if ((a = arena_new(0)) == NULL)
		return 1;
	if ((db = cli_db(c)) == NULL) {
		arena_free(a);
		return 1;
	}
	if (strcmp(argv[1], "list") == 0 && argc == 2)
		rc = ip_list(db, a);
	else if (strcmp(argv[1], "allow") == 0)
		rc = ip_allow(db, argc - 1, argv + 1);
	else if (strcmp(argv[1], "deny") == 0 && argc == 3)
		rc = ip_deny(db, argv[2]);
	else
		rc = usage();
	db_close(db);
	arena_free(a);
	return rc;
}
