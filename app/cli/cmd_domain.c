/*
 * cmd_domain.c - `tegami domain` (placeholder until its issue lands).
 */
#include <stdio.h>

#include "cli.h"

int
cmd_domain(struct cli *c, int argc, char **argv)
{
	(void)c;
	(void)argc;
	fprintf(stderr, "tegami: %s: not built yet\n", argv[0]);
	return 1;
}
