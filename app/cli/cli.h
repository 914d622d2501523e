/*
 * cli.h - the `tegami` command's verbs. Each verb lives in cmd_<verb>.c and
 * returns the process exit status (0 ok, 1 failed, 2 usage).
 */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <stdbool.h>

#include "../conf/config.h"

struct db;
struct err;

struct cli {
	const char	*config_path;	/* -c FILE or $TEGAMI_CONFIG, may be NULL */
	struct config	 cfg;
	bool		 cfg_loaded;
};

/* Loads the configuration once; prints the error and returns -1 on failure. */
int	 cli_config(struct cli *);
/* Opens a database connection with the configuration; prints errors. */
struct db *cli_db(struct cli *);

int	 cmd_migrate(struct cli *, int argc, char **argv);
int	 cmd_user(struct cli *, int argc, char **argv);
int	 cmd_ip(struct cli *, int argc, char **argv);
int	 cmd_dkim(struct cli *, int argc, char **argv);
int	 cmd_send(struct cli *, int argc, char **argv);
int	 cmd_enqueue_test(struct cli *, int argc, char **argv);
int	 cmd_queue(struct cli *, int argc, char **argv);
int	 cmd_domain(struct cli *, int argc, char **argv);
int	 cmd_window(struct cli *, int argc, char **argv);

#endif
