/*
 * db.c - MariaDB connection and prepared statements (see db.h).
 *
 * Only literal SQL reaches mysql_stmt_prepare(); statements are cached per
 * connection keyed by the literal's address. Result strings are fetched
 * column by column into the caller's arena, so no column is truncated.
 * Trusts the server; trusts nothing in the values (they are bound).
 */
#include <errno.h>
#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../conf/config.h"
#include "../core/arena.h"
#include "../core/err.h"
#include "../core/log.h"
#include "../core/str.h"
#include "db.h"
#include "db_private.h"

#define DB_INLINE_MAX	128	/* bytes of a column fetched in place */

struct cached {
	const char	*sql;
	MYSQL_STMT	*st;
};

struct db {
	MYSQL		*my;
	const struct config *cfg;	/* for reconnecting */
	struct cached	 cache[DB_STMT_CACHE_MAX];
	size_t		 ncache;
	struct dbq	*open;		/* the query whose rows are pending */
	unsigned	 generation;	/* bumped at every reconnect */
};

struct dbq {
	struct db	*db;
	MYSQL_STMT	*st;
	struct arena	*a;
	unsigned	 ncols;
	MYSQL_BIND	 res[DB_COLUMNS_MAX];
	unsigned long	 len[DB_COLUMNS_MAX];
	my_bool		 isnull[DB_COLUMNS_MAX];
	my_bool		 error[DB_COLUMNS_MAX];
	/* Most values arrive here in the fetch itself; longer ones are read
	 * afterwards with mysql_stmt_fetch_column. */
	char		 inl[DB_COLUMNS_MAX][DB_INLINE_MAX];
};

static int
db_fail(struct db *db, MYSQL_STMT *st, const char *what, const char *sql,
    struct err *e)
{
	unsigned	 no = st ? mysql_stmt_errno(st) : mysql_errno(db->my);
	const char	*msg = st ? mysql_stmt_error(st) : mysql_error(db->my);

	/* A row read that fails (an error packet mid-result) leaves the
	 * error on the connection, not on the statement. */
	if (no == 0) {
		no = mysql_errno(db->my);
		msg = mysql_error(db->my);
	}

	if (no == ER_DUP_ENTRY)
		return err_set(e, ERR_CONFLICT, "this entry exists already");
	/* InnoDB rolled the transaction back to break a deadlock, or a lock
	 * wait ran out: nothing was changed, the caller may simply retry. */
	if (no == ER_LOCK_DEADLOCK || no == ER_LOCK_WAIT_TIMEOUT) {
		log_info("database: %s: %s (%u): retrying", what, msg, no);
		return err_set(e, ERR_RETRY, "the database asked to retry: %s",
		    msg);
	}
	log_err("database: %s: %s (%u) in: %.120s", what, msg, no,
	    sql ? sql : "-");
	return err_set(e, ERR_ENV, "the database is not available right "
	    "now; please try again");
}

/* A new client handle connected with the configuration, or NULL. */
static MYSQL *
connect_my(const struct config *c, struct err *e)
{
	MYSQL		*my;
	unsigned	 timeout = 10;
	my_bool		 off = 0;

	if ((my = mysql_init(NULL)) == NULL) {
		err_set(e, ERR_ENV, "out of memory");
		return NULL;
	}
	mysql_options(my, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(my, MYSQL_REPORT_DATA_TRUNCATION, &off);
	if (mysql_real_connect(my, c->db_socket[0] ? NULL : c->db_host,
	    c->db_user, c->db_password[0] ? c->db_password : NULL, c->db_name,
	    (unsigned)c->db_port, c->db_socket[0] ? c->db_socket : NULL,
	    CLIENT_FOUND_ROWS) == NULL) {
		log_err("database: connect to %s: %s",
		    c->db_socket[0] ? c->db_socket : c->db_host,
		    mysql_error(my));
		err_set(e, ERR_ENV, "cannot connect to the database (%s)",
		    mysql_error(my));
		mysql_close(my);
		return NULL;
	}
	return my;
}

struct db *
db_open(const struct config *c, struct err *e)
{
	struct db	*db;

	if ((db = calloc(1, sizeof(*db))) == NULL) {
		err_set(e, ERR_ENV, "out of memory");
		return NULL;
	}
	if ((db->my = connect_my(c, e)) == NULL) {
		free(db);
		return NULL;
	}
	db->cfg = c;
	return db;
}

static void
cache_clear(struct db *db)
{
	size_t	 i;

	for (i = 0; i < db->ncache; i++)
		mysql_stmt_close(db->cache[i].st);
	db->ncache = 0;
}

/* The server went away (restart, timeout): a fresh connection. Session
 * settings made by callers are lost; they re-apply them (db.h). */
static int
reopen(struct db *db)
{
	struct err	 e;
	MYSQL		*my;

	err_clear(&e);
	if ((my = connect_my(db->cfg, &e)) == NULL)
		return -1;
	cache_clear(db);
	mysql_close(db->my);
	db->my = my;
	db->generation++;
	log_info("database: reconnected");
	return 0;
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	if (db->open != NULL)
		dbq_close(db->open);
	cache_clear(db);
	mysql_close(db->my);
	free(db);
}

int
db_ping(struct db *db, struct err *e)
{
	if (mysql_ping(db->my) == 0 || reopen(db) == 0)
		return 0;
	return db_fail(db, NULL, "ping", NULL, e);
}

unsigned
db_generation(const struct db *db)
{
	return db->generation;
}

static MYSQL_STMT *
stmt_get(struct db *db, const char *sql, struct err *e)
{
	MYSQL_STMT	*st;
	size_t		 i;

	for (i = 0; i < db->ncache; i++)
		if (db->cache[i].sql == sql)
			return db->cache[i].st;
	if ((st = mysql_stmt_init(db->my)) == NULL) {
		db_fail(db, NULL, "stmt_init", sql, e);
		return NULL;
	}
	if (mysql_stmt_prepare(st, sql, strlen(sql)) != 0) {
		db_fail(db, st, "prepare", sql, e);
		mysql_stmt_close(st);
		return NULL;
	}
	if (db->ncache == DB_STMT_CACHE_MAX) {
		/* Evict the oldest; the cache is sized to make this rare. */
		mysql_stmt_close(db->cache[0].st);
		memmove(&db->cache[0], &db->cache[1],
		    sizeof(db->cache[0]) * (DB_STMT_CACHE_MAX - 1));
		db->ncache--;
	}
	db->cache[db->ncache].sql = sql;
	db->cache[db->ncache++].st = st;
	return st;
}

/* Storage for bound parameter values while a statement runs. */
struct params {
	MYSQL_BIND	 b[DB_PARAMS_MAX];
	int64_t		 i[DB_PARAMS_MAX];
	double		 d[DB_PARAMS_MAX];
	unsigned long	 len[DB_PARAMS_MAX];
	my_bool		 isnull[DB_PARAMS_MAX];
};

static int
bind_params(MYSQL_STMT *st, struct params *p, const char *fmt, va_list *ap,
    const char *sql, struct err *e)
{
	size_t	 n = strlen(fmt), k;

	if (n > DB_PARAMS_MAX || n != mysql_stmt_param_count(st)) {
		log_err("database: %zu parameters given, %lu expected in: "
		    "%.120s", n, mysql_stmt_param_count(st), sql);
		return err_set(e, ERR_ENV, "internal error (parameters)");
	}
	memset(p->b, 0, sizeof(p->b[0]) * n);
	for (k = 0; k < n; k++) {
		MYSQL_BIND	*b = &p->b[k];

		p->isnull[k] = 0;
		p->len[k] = 0;
		b->is_null = &p->isnull[k];
		switch (fmt[k]) {
		case 'i':
		case 'u':
			p->i[k] = fmt[k] == 'i' ? va_arg(*ap, int64_t) :
			    (int64_t)va_arg(*ap, uint64_t);
			b->buffer_type = MYSQL_TYPE_LONGLONG;
			b->buffer = &p->i[k];
			b->is_unsigned = fmt[k] == 'u';
			break;
		case 'd':
			p->d[k] = va_arg(*ap, double);
			b->buffer_type = MYSQL_TYPE_DOUBLE;
			b->buffer = &p->d[k];
			break;
		case 's': {
			const char	*s = va_arg(*ap, const char *);

			b->buffer_type = MYSQL_TYPE_STRING;
			if (s == NULL)
				p->isnull[k] = 1;
			else {
				b->buffer = (void *)s;
				p->len[k] = strlen(s);
			}
			b->length = &p->len[k];
			break;
		}
		case 'S': {
			const struct str *s = va_arg(*ap, const struct str *);

			b->buffer_type = MYSQL_TYPE_STRING;
			if (s == NULL || s->p == NULL)
				p->isnull[k] = 1;
			else {
				b->buffer = (void *)s->p;
				p->len[k] = s->n;
			}
			b->length = &p->len[k];
			break;
		}
		case 'b': {
			const void	*v = va_arg(*ap, const void *);
			size_t		 vn = va_arg(*ap, size_t);

			b->buffer_type = MYSQL_TYPE_BLOB;
			if (v == NULL)
				p->isnull[k] = 1;
			else {
				b->buffer = (void *)v;
				p->len[k] = vn;
			}
			b->length = &p->len[k];
			break;
		}
		default:
			log_err("database: bad parameter format '%c'", fmt[k]);
			return err_set(e, ERR_ENV, "internal error (format)");
		}
	}
	if (n > 0 && mysql_stmt_bind_param(st, p->b) != 0)
		return err_set(e, ERR_ENV, "internal error (bind)");
	return 0;
}

static MYSQL_STMT *
run(struct db *db, struct err *e, const char *sql, const char *pfmt,
    va_list *ap)
{
	struct params	 p;
	MYSQL_STMT	*st;
	int		 retried = 0;

	if (db->open != NULL) {
		log_err("database: query started while another is open");
		dbq_close(db->open);
	}
again:
	if ((st = stmt_get(db, sql, e)) == NULL) {
		if (!retried && (mysql_errno(db->my) == CR_SERVER_GONE_ERROR ||
		    mysql_errno(db->my) == CR_SERVER_LOST) && reopen(db) == 0) {
			retried = 1;
			goto again;
		}
		return NULL;
	}
	if (bind_params(st, &p, pfmt, ap, sql, e) == -1)
		return NULL;
	if (mysql_stmt_execute(st) != 0) {
		unsigned	 no = mysql_stmt_errno(st);

		/* The server restarted: prepared handles are gone. */
		if (!retried && (no == CR_SERVER_GONE_ERROR ||
		    no == CR_SERVER_LOST || no == ER_UNKNOWN_STMT_HANDLER) &&
		    reopen(db) == 0) {
			retried = 1;
			goto again;
		}
		db_fail(db, st, "execute", sql, e);
		return NULL;
	}
	return st;
}

int
db_exec(struct db *db, struct err *e, uint64_t *affected, uint64_t *insert_id,
    const char *sql, const char *pfmt, ...)
{
	MYSQL_STMT	*st;
	va_list		 ap;

	va_start(ap, pfmt);
	st = run(db, e, sql, pfmt, &ap);
	va_end(ap);
	if (st == NULL)
		return -1;
	if (affected != NULL)
		*affected = mysql_stmt_affected_rows(st);
	if (insert_id != NULL)
		*insert_id = mysql_stmt_insert_id(st);
	mysql_stmt_free_result(st);
	return 0;
}

static struct dbq *
query_start(struct db *db, struct arena *a, struct err *e, const char *sql,
    const char *pfmt, va_list *ap)
{
	MYSQL_STMT	*st;
	struct dbq	*q;
	unsigned	 i;

	if ((st = run(db, e, sql, pfmt, ap)) == NULL)
		return NULL;
	if ((q = malloc(sizeof(*q))) == NULL) {
		mysql_stmt_free_result(st);
		err_set(e, ERR_ENV, "out of memory");
		return NULL;
	}
	q->db = db;
	q->st = st;
	q->a = a;
	q->ncols = mysql_stmt_field_count(st);
	if (q->ncols > DB_COLUMNS_MAX) {
		free(q);
		mysql_stmt_free_result(st);
		err_set(e, ERR_ENV, "internal error (columns)");
		return NULL;
	}
	memset(q->res, 0, sizeof(q->res[0]) * q->ncols);
	for (i = 0; i < q->ncols; i++) {
		MYSQL_BIND	*b = &q->res[i];

		b->buffer_type = MYSQL_TYPE_STRING;
		b->buffer = q->inl[i];
		b->buffer_length = DB_INLINE_MAX;
		b->length = &q->len[i];
		b->is_null = &q->isnull[i];
		b->error = &q->error[i];
	}
	if (q->ncols > 0 && mysql_stmt_bind_result(st, q->res) != 0) {
		db_fail(db, st, "bind_result", sql, e);
		mysql_stmt_free_result(st);
		free(q);
		return NULL;
	}
	db->open = q;
	return q;
}

struct dbq *
db_query(struct db *db, struct arena *a, struct err *e, const char *sql,
    const char *pfmt, ...)
{
	struct dbq	*q;
	va_list		 ap;

	va_start(ap, pfmt);
	q = query_start(db, a, e, sql, pfmt, &ap);
	va_end(ap);
	return q;
}

static int
fetch_text(struct dbq *q, unsigned col, struct str *out, struct err *e)
{
	MYSQL_BIND	 b;
	char		*buf;
	unsigned long	 n = q->len[col];

	if ((buf = arena_alloc(q->a, (size_t)n + 1)) == NULL)
		return err_set(e, ERR_ENV, "out of memory");
	memset(&b, 0, sizeof(b));
	b.buffer_type = MYSQL_TYPE_STRING;
	b.buffer = buf;
	b.buffer_length = n + 1;
	b.length = &n;
	if (q->len[col] > 0 &&
	    mysql_stmt_fetch_column(q->st, &b, col, 0) != 0)
		return db_fail(q->db, q->st, "fetch_column", NULL, e);
	buf[q->len[col]] = '\0';
	out->p = buf;
	out->n = q->len[col];
	return 0;
}

static int
row_out(struct dbq *q, struct err *e, const char *rfmt, va_list *ap)
{
	unsigned	 i;
	struct str	 s;
	char		 num[64];

	for (i = 0; rfmt[i] != '\0'; i++) {
		bool	 null;

		if (i >= q->ncols) {
			log_err("database: result format wants more columns");
			return err_set(e, ERR_ENV, "internal error (columns)");
		}
		null = q->isnull[i];
		s.p = NULL;
		s.n = 0;
		if (!null && strchr("iud", rfmt[i]) != NULL) {
			/* Numbers are short text already in place. */
			if (q->len[i] >= sizeof(num))
				return err_set(e, ERR_ENV,
				    "internal error (number column)");
			memcpy(num, q->inl[i], q->len[i]);
			num[q->len[i]] = '\0';
			s.p = num;
			s.n = q->len[i];
		} else if (!null && rfmt[i] != '-') {
			if (q->len[i] < DB_INLINE_MAX) {
				if (q->a == NULL || (s.p = arena_strndup(q->a,
				    q->inl[i], q->len[i])) == NULL)
					return err_set(e, ERR_ENV,
					    "out of memory");
				s.n = q->len[i];
			} else if (fetch_text(q, i, &s, e) == -1)
				return -1;
		}
		switch (rfmt[i]) {
		case 'i': {
			int64_t	*o = va_arg(*ap, int64_t *);

			*o = null ? 0 : strtoll(s.p, NULL, 10);
			break;
		}
		case 'u': {
			uint64_t *o = va_arg(*ap, uint64_t *);

			*o = null ? 0 : strtoull(s.p, NULL, 10);
			break;
		}
		case 'd': {
			double	*o = va_arg(*ap, double *);

			*o = null ? 0 : strtod(s.p, NULL);
			break;
		}
		case 's': {
			char	**o = va_arg(*ap, char **);

			*o = null ? NULL : (char *)s.p;
			break;
		}
		case 'S':
		case 'b': {
			struct str *o = va_arg(*ap, struct str *);

			*o = s;
			break;
		}
		case '-':
			break;
		default:
			log_err("database: bad result format '%c'", rfmt[i]);
			return err_set(e, ERR_ENV, "internal error (format)");
		}
	}
	return 0;
}

int
dbq_next(struct dbq *q, struct err *e, const char *rfmt, ...)
{
	va_list	 ap;
	int	 rc;

	rc = mysql_stmt_fetch(q->st);
	if (rc == MYSQL_NO_DATA)
		return 0;
	if (rc == 1)
		return db_fail(q->db, q->st, "fetch", NULL, e);
	/* rc is 0 or MYSQL_DATA_TRUNCATED: long columns are read next. */
	va_start(ap, rfmt);
	rc = row_out(q, e, rfmt, &ap);
	va_end(ap);
	return rc == -1 ? -1 : 1;
}

void
dbq_close(struct dbq *q)
{
	if (q == NULL)
		return;
	/* free_result also drains unread rows; a reset would cost a round
	 * trip per query. */
	mysql_stmt_free_result(q->st);
	if (q->db->open == q)
		q->db->open = NULL;
	free(q);
}

int
db_query_row(struct db *db, struct arena *a, struct err *e, const char *sql,
    const char *pfmt, const char *rfmt, ...)
{
	struct dbq	*q;
	va_list		 ap;
	int		 rc;

	va_start(ap, rfmt);
	if ((q = query_start(db, a, e, sql, pfmt, &ap)) == NULL) {
		va_end(ap);
		return -1;
	}
	rc = mysql_stmt_fetch(q->st);
	if (rc == MYSQL_NO_DATA)
		rc = 0;
	else if (rc == 1)
		rc = db_fail(db, q->st, "fetch", sql, e);
	else
		rc = row_out(q, e, rfmt, &ap) == -1 ? -1 : 1;
	va_end(ap);
	dbq_close(q);
	return rc;
}

int
db_begin(struct db *db, struct err *e)
{
	if (mysql_autocommit(db->my, 0) != 0)
		return db_fail(db, NULL, "begin", NULL, e);
	return 0;
}

int
db_commit(struct db *db, struct err *e)
{
	int	 rc = 0;

	if (mysql_commit(db->my) != 0)
		rc = db_fail(db, NULL, "commit", NULL, e);
	mysql_autocommit(db->my, 1);
	return rc;
}

void
db_rollback(struct db *db)
{
	mysql_rollback(db->my);
	mysql_autocommit(db->my, 1);
}

MYSQL *
db_handle(struct db *db)
{
	return db->my;
}
