/*
 * cmd_queue.c - `tegami queue status`: how many queue rows are in each
 * state, how many are due now, events and suppressions recorded.
 */
#include <stdio.h>
#include <string.h>

#include "../core/err.h"
#include "../db/db.h"
#include "../db/db_queue.h"
#include "cli.h"

int
cmd_queue(struct cli *c, int argc, char **argv)
{
	struct queue_counts	 q;
	struct db		*db;
	struct err		 e;
	int			 i, rc;

	if (argc != 2 || strcmp(argv[1], "status") != 0) {
		fprintf(stderr, "usage: tegami queue status\n");
		return 2;
	}
	if ((db = cli_db(c)) == NULL)
		return 1;
	err_clear(&e);
	rc = db_queue_counts(db, &q, &e);
	db_close(db);
	if (rc == -1) {
		fprintf(stderr, "tegami: queue: %s\n", e.msg);
		return 1;
	}
	for (i = 0; i < 6; i++)
		printf("%-12s %llu\n", queue_state_names[i],
		    (unsigned long long)q.state[i]);
	printf("%-12s %llu\n", "due", (unsigned long long)q.due);
	printf("%-12s %llu\n", "events", (unsigned long long)q.events);
	printf("%-12s %llu\n", "suppression",
	    (unsigned long long)q.suppressions);
	return 0;
}
