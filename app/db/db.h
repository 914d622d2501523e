/*
 * db.h - the one door to MariaDB: a connection per thread and prepared
 * statements with bound parameters, nothing else.
 *
 * SQL text is always a string literal; statements are prepared once per
 * connection and cached by the literal's address. Parameters and result
 * columns are described by short format strings:
 *
 *   params:  'i' int64_t   'u' uint64_t   's' const char * (NULL → SQL NULL)
 *            'S' const struct str *       'b' const void *, size_t (blob)
 *            'd' double
 *   results: 'i' int64_t * 'u' uint64_t * 's' char ** (arena copy, NULL for
 *            SQL NULL)     'S' struct str * (arena copy)  'd' double *
 *            'b' struct str * (binary, arena copy)   '-' skip the column
 *
 * Errors: a duplicate key is ERR_CONFLICT, anything else ERR_ENV with the
 * server's message logged (never shown to users).
 */
#ifndef DB_DB_H
#define DB_DB_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct config;
struct err;
struct db;
struct dbq;

#define DB_STMT_CACHE_MAX	256
#define DB_PARAMS_MAX		64
#define DB_COLUMNS_MAX		64

/* One connection; not shared between threads. */
struct db	*db_open(const struct config *, struct err *);
void		 db_close(struct db *);
/* Reconnects if the server went away; 0 when usable. */
int		 db_ping(struct db *, struct err *);
/* Counts reconnects: a statement that meets a vanished server is retried
 * once on a fresh connection, which loses session settings (SET SESSION
 * ...); callers that make such settings compare this number and re-apply
 * them when it moved. */
unsigned	 db_generation(const struct db *);

/* Runs a statement that returns no rows. affected and insert_id may be NULL. */
int	 db_exec(struct db *, struct err *, uint64_t *affected,
	    uint64_t *insert_id, const char *sql, const char *pfmt, ...)
	    __attribute__((warn_unused_result));

/* Starts a query; rows come from dbq_next. Strings land in arena a. */
struct dbq *db_query(struct db *, struct arena *a, struct err *,
	    const char *sql, const char *pfmt, ...)
	    __attribute__((warn_unused_result));
/* Next row into the out-pointers of rfmt: 1 row, 0 no more, -1 error. */
int	 dbq_next(struct dbq *, struct err *, const char *rfmt, ...)
	    __attribute__((warn_unused_result));
/* Frees the result; takes NULL. Must be called before the next query. */
void	 dbq_close(struct dbq *);

/* Shorthand: at most one row; returns 1 found, 0 none, -1 error. */
int	 db_query_row(struct db *, struct arena *a, struct err *,
	    const char *sql, const char *pfmt, const char *rfmt, ...)
	    __attribute__((warn_unused_result));

int	 db_begin(struct db *, struct err *) __attribute__((warn_unused_result));
int	 db_commit(struct db *, struct err *) __attribute__((warn_unused_result));
void	 db_rollback(struct db *);

#endif
