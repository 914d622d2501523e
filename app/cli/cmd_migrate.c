/*
 * cmd_migrate.c - `tegami migrate [--status] [--dir DIR]`: brings the
 * database schema up to date with migrations/.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "../core/err.h"
#include "../db/db.h"
#include "../db/migrate.h"
#include "cli.h"

int
cmd_migrate(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "status", no_argument, NULL, 's' },
		{ "dir", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	char		 buf[PATH_MAX];
	const char	*dir = NULL;
	bool		 status = false;
	struct db	*db;
	struct err	 e;
	int		 ch, n;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			status = true;
			break;
		case 'd':
			dir = optarg;
			break;
		default:
			fprintf(stderr, "usage: tegami migrate [--status] "
			    "[--dir DIR]\n");
			return 2;
		}
	}
	if (dir == NULL)
		dir = migrate_default_dir(buf, sizeof(buf));
	if ((db = cli_db(c)) == NULL)
		return 1;
	err_clear(&e);
	if (migrate_run(db, dir, status, &n, &e) == -1) {
		fprintf(stderr, "tegami migrate: %s\n", e.msg);
		db_close(db);
		return 1;
	}
	if (status)
		printf("%d migration(s) pending\n", n);
	else
		printf("%d migration(s) applied\n", n);
	db_close(db);
	return 0;
}
