/*
 * migrate.h - applies the numbered SQL files of migrations/ in order, once
 * each, recording them in schema_migrations.
 */
#ifndef DB_MIGRATE_H
#define DB_MIGRATE_H

#include <stdbool.h>

struct db;
struct err;

#define MIGRATIONS_MAX		1000
#define MIGRATION_BYTES_MAX	(1024 * 1024)

/* Applies every file NNNN_name.sql in dir not yet recorded. *applied counts
 * the ones run now. With dry_run, only counts the pending ones. */
int	 migrate_run(struct db *, const char *dir, bool dry_run, int *applied,
	    struct err *) __attribute__((warn_unused_result));
/* The migrations directory: $TEGAMI_MIGRATIONS, else ../migrations beside
 * the running binary's directory, else ./migrations. */
const char *migrate_default_dir(char *buf, size_t bufsz);

#endif
