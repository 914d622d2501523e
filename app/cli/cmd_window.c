/*
 * cmd_window.c - `tegami window`: sending hours (配信禁止時間帯, blackout
 * hours) that payloads and campaigns follow.
 *
 *	tegami window add NAME [--tz ZONE] --hours 'mon-fri 09:00-20:00,
 *	    sat 10:00-18:00'
 *	tegami window list
 *
 * The hours are the allowed spans, parsed strictly by
 * db_queue_hours_parse(); everything outside them is blackout. ZONE is an
 * IANA zone name (default Asia/Tokyo) that must exist in the system zone
 * database ($TZDIR or /usr/share/zoneinfo, the files tegami-sender reads).
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/arena.h"
#include "../core/err.h"
#include "../db/db.h"
#include "../db/db_queue.h"
#include "cli.h"

static int
window_usage(void)
{
	fprintf(stderr, "usage: tegami window add NAME [--tz ZONE] --hours "
	    "'mon-fri 09:00-20:00, sat 10:00-18:00'\n"
	    "       tegami window list\n");
	return 2;
}

/* A zone the sender will find: a TZif file under the zone directory. */
static int
zone_exists(const char *tz)
{
	const char	*dir = getenv("TZDIR");
	char		 path[512], magic[4];
	int		 fd, n;
	ssize_t		 r;

	if (dir == NULL || dir[0] == '\0')
		dir = "/usr/share/zoneinfo";
	n = snprintf(path, sizeof(path), "%s/%s", dir, tz);
	if (n < 0 || (size_t)n >= sizeof(path))
		return 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	r = read(fd, magic, sizeof(magic));
	close(fd);
	return r == 4 && memcmp(magic, "TZif", 4) == 0;
}

static bool
name_ok(const char *s)
{
	size_t	 n = strlen(s), i;

	if (n == 0 || n > QUEUE_WINDOW_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static int
window_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tz", required_argument, NULL, 'z' },
		{ "hours", required_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct queue_hours	 h;
	struct db		*db;
	struct err		 e;
	const char		*name, *tz = "Asia/Tokyo", *hours = NULL;
	char			 text[QUEUE_HOURS_TEXT_MAX];
	uint64_t		 id;
	int			 ch, rc;

	if (argc < 2 || argv[1][0] == '-')
		return window_usage();
	name = argv[1];
	optind = 2;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'z': tz = optarg; break;
		case 'h': hours = optarg; break;
		default: return window_usage();
		}
	}
	if (hours == NULL || optind != argc)
		return window_usage();
	if (!name_ok(name)) {
		fprintf(stderr, "tegami: window name must be 1 to %d "
		    "printable characters\n", QUEUE_WINDOW_NAME_MAX);
		return 1;
	}
	if (!db_queue_tz_name_ok(tz) || !zone_exists(tz)) {
		fprintf(stderr, "tegami: unknown time zone \"%s\" (an IANA "
		    "name such as Asia/Tokyo or America/New_York)\n", tz);
		return 1;
	}
	err_clear(&e);
	if (db_queue_hours_parse(hours, &h, &e) == -1) {
		fprintf(stderr, "tegami: --hours: %s\n", e.msg);
		return 1;
	}
	if ((db = cli_db(c)) == NULL)
		return 1;
	rc = db_queue_window_add(db, name, tz, &h, &id, &e);
	db_close(db);
	if (rc == -1) {
		fprintf(stderr, "tegami: window add: %s\n",
		    e.kind == ERR_CONFLICT ? "a window of that name exists" :
		    e.msg);
		return 1;
	}
	db_queue_hours_format(&h, text, sizeof(text));
	printf("window %llu %s (%s): %s\n", (unsigned long long)id, name, tz,
	    text);
	return 0;
}

static int
window_list(struct cli *c)
{
	struct queue_window	*w = NULL;
	struct arena		*a;
	struct db		*db;
	struct err		 e;
	char			 text[QUEUE_HOURS_TEXT_MAX];
	size_t			 n = 0, i;
	int			 rc = 1;

	if ((a = arena_new(0)) == NULL)
		return 1;
	if ((db = cli_db(c)) == NULL)
		goto out;
	err_clear(&e);
	if (db_queue_window_list(db, a, &w, &n, &e) == -1) {
		fprintf(stderr, "tegami: window list: %s\n", e.msg);
		goto out;
	}
	for (i = 0; i < n; i++) {
		db_queue_hours_format(&w[i].hours, text, sizeof(text));
		printf("%s\t%s\t%s\n", w[i].name, w[i].tz, text);
	}
	rc = 0;
out:
	db_close(db);
	arena_free(a);
	return rc;
}

int
cmd_window(struct cli *c, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return window_add(c, argc - 1, argv + 1);
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return window_list(c);
	return window_usage();
}
