/*
 * db_private.h - for app/db/migrate.c only: the raw connection handle, so
 * that numbered migration files (trusted, shipped with the code) can be run
 * as plain SQL. Nothing else may include this header.
 */
#ifndef DB_DB_PRIVATE_H
#define DB_DB_PRIVATE_H

#include <mysql.h>

struct db;

MYSQL	*db_handle(struct db *);

#endif
