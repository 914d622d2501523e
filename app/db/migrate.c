/*
 * migrate.c - schema migrations (see migrate.h). The only file allowed to
 * run SQL text with mysql_real_query(): the text comes from the project's own
 * migrations/ folder, never from users. A file is split into statements at
 * semicolons that end a line; "--" comment lines are dropped.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../core/sbuf.h"
#include "db.h"
#include "db_private.h"
#include "migrate.h"

static const char create_table[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INT NOT NULL PRIMARY KEY,"
    " name VARCHAR(255) NOT NULL,"
    " applied_at BIGINT NOT NULL"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";

struct mfile {
	int	 version;
	char	 name[256];
};

static int
mfile_cmp(const void *a, const void *b)
{
	return ((const struct mfile *)a)->version -
	    ((const struct mfile *)b)->version;
}

static int
list_files(const char *dir, struct mfile *out, size_t *n, struct err *e)
{
	DIR		*d;
	struct dirent	*de;
	size_t		 i;

	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return err_set(e, ERR_ENV, "%s: cannot open: %s", dir,
		    strerror(errno));
	while ((de = readdir(d)) != NULL) {
		size_t	 len = strlen(de->d_name);
		char	*end;
		long	 v;

		if (len < 9 || strcmp(de->d_name + len - 4, ".sql") != 0)
			continue;
		v = strtol(de->d_name, &end, 10);
		if (end != de->d_name + 4 || *end != '_' || v <= 0) {
			closedir(d);
			return err_set(e, ERR_INPUT, "%s/%s: migration names "
			    "must look like 0001_name.sql", dir, de->d_name);
		}
		if (*n == MIGRATIONS_MAX || len >= sizeof(out[0].name)) {
			closedir(d);
			return err_set(e, ERR_INPUT, "%s: too many "
			    "migrations or name too long", dir);
		}
		out[*n].version = (int)v;
		snprintf(out[*n].name, sizeof(out[*n].name), "%s",
		    de->d_name);
		(*n)++;
	}
	closedir(d);
	qsort(out, *n, sizeof(out[0]), mfile_cmp);
	for (i = 1; i < *n; i++)
		if (out[i].version == out[i - 1].version)
			return err_set(e, ERR_INPUT, "%s: %s and %s share a "
			    "number", dir, out[i - 1].name, out[i].name);
	return 0;
}

static int
is_applied(MYSQL *my, int version, bool *yes, struct err *e)
{
	char		 q[128];
	MYSQL_RES	*res;

	/* The version is our own integer, not user input. */
	snprintf(q, sizeof(q), "SELECT 1 FROM schema_migrations "
	    "WHERE version = %d", version);
	if (mysql_real_query(my, q, strlen(q)) != 0 ||
	    (res = mysql_store_result(my)) == NULL)
		return err_set(e, ERR_ENV, "schema_migrations: %s",
		    mysql_error(my));
	*yes = mysql_num_rows(res) > 0;
	mysql_free_result(res);
	return 0;
}

static int
read_file(const char *path, struct sbuf *b, struct err *e)
{
	FILE	*f;
	char	 buf[8192];
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL)
		return err_set(e, ERR_ENV, "%s: %s", path, strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sbuf_put(b, buf, n);
	fclose(f);
	if (sbuf_failed(b))
		return err_set(e, ERR_INPUT, "%s: larger than %d bytes", path,
		    MIGRATION_BYTES_MAX);
	return 0;
}

static int
run_statements(MYSQL *my, const char *name, char *sql, struct err *e)
{
	struct sbuf	 stmt;
	char		*line, *save = NULL;
	int		 lineno = 0, start = 0, rc = 0;

	sbuf_init(&stmt, NULL, MIGRATION_BYTES_MAX);
	for (line = strtok_r(sql, "\n", &save); line != NULL && rc == 0;
	    line = strtok_r(NULL, "\n", &save)) {
		size_t	 len = strlen(line);
		char	*t = line;

		lineno++;
		while (*t == ' ' || *t == '\t')
			t++;
		if (*t == '\0' || strncmp(t, "--", 2) == 0)
			continue;
		if (stmt.len == 0)
			start = lineno;
		sbuf_put(&stmt, line, len);
		sbuf_putc(&stmt, '\n');
		while (len > 0 && (line[len - 1] == ' ' ||
		    line[len - 1] == '\t' || line[len - 1] == '\r'))
			len--;
		if (len == 0 || line[len - 1] != ';')
			continue;
		if (mysql_real_query(my, stmt.p, stmt.len) != 0)
			rc = err_set(e, ERR_ENV, "%s: statement at line %d: "
			    "%s", name, start, mysql_error(my));
		sbuf_reset(&stmt);
	}
	if (rc == 0 && stmt.len > 0)
		rc = err_set(e, ERR_INPUT, "%s: the last statement (line %d) "
		    "lacks a closing semicolon", name, start);
	sbuf_free(&stmt);
	return rc;
}

int
migrate_run(struct db *db, const char *dir, bool dry_run, int *applied,
    struct err *e)
{
	MYSQL		*my = db_handle(db);
	struct mfile	*files;
	size_t		 n, i;
	int		 rc = -1;

	*applied = 0;
	if ((files = calloc(MIGRATIONS_MAX, sizeof(*files))) == NULL)
		return err_set(e, ERR_ENV, "out of memory");
	if (list_files(dir, files, &n, e) == -1)
		goto out;
	if (mysql_real_query(my, create_table, strlen(create_table)) != 0) {
		err_set(e, ERR_ENV, "schema_migrations: %s", mysql_error(my));
		goto out;
	}
	for (i = 0; i < n; i++) {
		char		 path[PATH_MAX], q[1024];
		struct sbuf	 sql;
		bool		 done = false;

		if (is_applied(my, files[i].version, &done, e) == -1)
			goto out;
		if (done)
			continue;
		(*applied)++;
		if (dry_run)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
		sbuf_init(&sql, NULL, MIGRATION_BYTES_MAX);
		if (read_file(path, &sql, e) == -1 ||
		    run_statements(my, files[i].name, sql.p ? sql.p : (char *)"",
		    e) == -1) {
			sbuf_free(&sql);
			goto out;
		}
		sbuf_free(&sql);
		/* The name was checked above: digits, '_', and a .sql file
		 * name from our own directory; escape it all the same. */
		{
			char	 esc[2 * sizeof(files[i].name) + 1];

			mysql_real_escape_string(my, esc, files[i].name,
			    strlen(files[i].name));
			snprintf(q, sizeof(q), "INSERT INTO schema_migrations "
			    "(version, name, applied_at) VALUES (%d, '%s', "
			    "UNIX_TIMESTAMP())", files[i].version, esc);
		}
		if (mysql_real_query(my, q, strlen(q)) != 0) {
			err_set(e, ERR_ENV, "schema_migrations: %s",
			    mysql_error(my));
			goto out;
		}
		log_info("migration %s applied", files[i].name);
	}
	rc = 0;
out:
	free(files);
	return rc;
}

const char *
migrate_default_dir(char *buf, size_t bufsz)
{
	const char	*env = getenv("TEGAMI_MIGRATIONS");
	char		 exe[PATH_MAX], *slash;
	ssize_t		 n;

	if (env != NULL && *env != '\0')
		return env;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			snprintf(buf, bufsz, "%s/../migrations", exe);
			if (access(buf, R_OK) == 0)
				return buf;
		}
	}
	return "migrations";
}
