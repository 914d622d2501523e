/*
 * db_user.c - the users and recovery_codes tables (see db_user.h).
 */
#include <stdlib.h>
#include <string.h>

#include "../core/arena.h"
#include "../core/clock.h"
#include "../core/err.h"
#include "db.h"
#include "db_user.h"

static const char *const role_names[ROLE__MAX] = { "", "editor", "admin" };

const char *
role_name(enum role r)
{
	return r < ROLE__MAX ? role_names[r] : "";
}

enum role
role_parse(const char *s)
{
	if (s == NULL)
		return ROLE_NONE;
	if (strcmp(s, "admin") == 0)
		return ROLE_ADMIN;
	if (strcmp(s, "editor") == 0)
		return ROLE_EDITOR;
	return ROLE_NONE;
}

#define USER_COLS "id, login, display_name, role, password_hash, " \
	"must_change, active, lang, tz, totp_secret, totp_enabled, " \
	"totp_last_step, created_at, last_login_at"
#define USER_RFMT "ussssiisSbiiii"

static void
user_fix(struct user *u, const char *role, int64_t must, int64_t active,
    int64_t totp)
{
	u->role = role_parse(role);
	u->must_change = must != 0;
	u->active = active != 0;
	u->totp_enabled = totp != 0;
}

/* One user by a column chosen by the caller's literal statement. */
static int
user_row(struct db *db, struct arena *a, const char *sql, const char *pfmt,
    const void *key, struct user *u, struct err *e)
{
	char	*role = NULL;
	int64_t	 must, active, totp;
	struct str tz;
	int	 rc;

	memset(u, 0, sizeof(*u));
	if (pfmt[0] == 's')
		rc = db_query_row(db, a, e, sql, pfmt, USER_RFMT,
		    (const char *)key, &u->id, &u->login, &u->display_name,
		    &role, &u->password_hash, &must, &active, &u->lang, &tz,
		    &u->totp_secret, &totp, &u->totp_last_step, &u->created_at,
		    &u->last_login_at);
	else
		rc = db_query_row(db, a, e, sql, pfmt, USER_RFMT,
		    *(const uint64_t *)key, &u->id, &u->login,
		    &u->display_name, &role, &u->password_hash, &must, &active,
		    &u->lang, &tz, &u->totp_secret, &totp, &u->totp_last_step,
		    &u->created_at, &u->last_login_at);
	if (rc == 1) {
		u->tz = (char *)tz.p;
		user_fix(u, role, must, active, totp);
	}
	return rc;
}

int
db_user_by_login(struct db *db, struct arena *a, const char *login,
    struct user *u, struct err *e)
{
	return user_row(db, a, "SELECT " USER_COLS " FROM users "
	    "WHERE login = ?", "s", login, u, e);
}

int
db_user_by_id(struct db *db, struct arena *a, uint64_t id, struct user *u,
    struct err *e)
{
	return user_row(db, a, "SELECT " USER_COLS " FROM users "
	    "WHERE id = ?", "u", &id, u, e);
}

#define USER_LIST_MAX	10000

static int
user_cmp(const void *a, const void *b)
{
	return strcmp(((const struct user *)a)->login,
	    ((const struct user *)b)->login);
}

int
db_user_list(struct db *db, struct arena *a, struct user **out, size_t *n,
    struct err *e)
{
	struct dbq	*q;
	struct user	*v;
	size_t		 cap = 64;
	int		 rc;

	*n = 0;
	if ((v = arena_calloc(a, cap, sizeof(*v))) == NULL)
		return err_set(e, ERR_ENV, "out of memory");
	/* No password hash nor TOTP secret: a list never needs them, and
	 * the web process should not hold them for a table. SQL_CACHE: the
	 * server answers repeated reads of this rarely written table from its
	 * query cache (docs/benchmarks.md). */
	if ((q = db_query(db, a, e, "SELECT SQL_CACHE id, login, "
	    "display_name, role, must_change, active, lang, tz, "
	    "totp_enabled, created_at, "
	    "last_login_at FROM users LIMIT 10000", "")) == NULL)
		return -1;
	for (;;) {
		struct user	 u;
		char		*role = NULL;
		int64_t		 must, active, totp;
		struct str	 tz;

		memset(&u, 0, sizeof(u));
		rc = dbq_next(q, e, "usssiisSiii", &u.id, &u.login,
		    &u.display_name, &role, &must, &active, &u.lang, &tz, &totp,
		    &u.created_at, &u.last_login_at);
		if (rc <= 0)
			break;
		u.tz = (char *)tz.p;
		user_fix(&u, role, must, active, totp);
		if (*n == cap && (cap >= USER_LIST_MAX ||
		    (v = arena_grow(a, v, *n, &cap, sizeof(*v))) == NULL)) {
			rc = err_set(e, ERR_ENV, "out of memory");
			break;
		}
		v[(*n)++] = u;
	}
	dbq_close(q);
	/* Sorted here: the server would filesort (binary collation, so
	 * strcmp gives the same order). */
	qsort(v, *n, sizeof(*v), user_cmp);
	*out = v;
	return rc == -1 ? -1 : 0;
}

int
db_user_insert(struct db *db, const char *login, const char *name,
    enum role r, const char *hash, bool must_change, uint64_t *id,
    struct err *e)
{
	int64_t	 now = clock_now();

	return db_exec(db, e, NULL, id, "INSERT INTO users (login, "
	    "display_name, role, password_hash, must_change, created_at, "
	    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", "ssssiii", login,
	    name, role_name(r), hash, (int64_t)must_change, now, now);
}

int
db_user_update(struct db *db, uint64_t id, const char *name, enum role r,
    bool active, struct err *e)
{
	return db_exec(db, e, NULL, NULL, "UPDATE users SET display_name = ?, "
	    "role = ?, active = ?, updated_at = ? WHERE id = ?", "ssiiu",
	    name, role_name(r), (int64_t)active, (int64_t)clock_now(), id);
}

int
db_user_set_password(struct db *db, uint64_t id, const char *hash,
    bool must_change, struct err *e)
{
	return db_exec(db, e, NULL, NULL, "UPDATE users SET password_hash = ?, "
	    "must_change = ?, updated_at = ? WHERE id = ?", "siiu", hash,
	    (int64_t)must_change, (int64_t)clock_now(), id);
}

int
db_user_set_prefs(struct db *db, uint64_t id, const char *lang,
    const char *tz, struct err *e)
{
	return db_exec(db, e, NULL, NULL, "UPDATE users SET lang = ?, tz = ?, "
	    "updated_at = ? WHERE id = ?", "ssiu", lang, tz,
	    (int64_t)clock_now(), id);
}

int
db_user_set_active(struct db *db, uint64_t id, bool active, struct err *e)
{
	return db_exec(db, e, NULL, NULL, "UPDATE users SET active = ?, "
	    "updated_at = ? WHERE id = ?", "iiu", (int64_t)active,
	    (int64_t)clock_now(), id);
}

int
db_user_touch_login(struct db *db, uint64_t id, struct err *e)
{
	return db_exec(db, e, NULL, NULL, "UPDATE users SET last_login_at = ? "
	    "WHERE id = ?", "iu", (int64_t)clock_now(), id);
}

int
db_user_set_totp(struct db *db, uint64_t id, const void *sealed, size_t n,
    bool enabled, struct err *e)
{
	return db_exec(db, e, NULL, NULL, "UPDATE users SET totp_secret = ?, "
	    "totp_enabled = ?, totp_last_step = 0, updated_at = ? "
	    "WHERE id = ?", "biiu", sealed, n, (int64_t)enabled,
	    (int64_t)clock_now(), id);
}

int
db_user_use_totp_step(struct db *db, uint64_t id, int64_t step, bool *ok,
    struct err *e)
{
	uint64_t	 n = 0;

	if (db_exec(db, e, &n, NULL, "UPDATE users SET totp_last_step = ? "
	    "WHERE id = ? AND totp_last_step < ?", "iui", step, id, step) ==
	    -1)
		return -1;
	*ok = n == 1;
	return 0;
}

int
db_user_count_admins(struct db *db, int64_t *n, struct err *e)
{
	int	 rc;

	rc = db_query_row(db, NULL, e, "SELECT COUNT(*) FROM users "
	    "WHERE role = 'admin' AND active = 1", "", "i", n);
	return rc == -1 ? -1 : 0;
}

int
db_recovery_replace(struct db *db, uint64_t user_id,
    const uint8_t (*hashes)[32], size_t n, struct err *e)
{
	size_t	 i;

	if (db_begin(db, e) == -1)
		return -1;
	if (db_exec(db, e, NULL, NULL, "DELETE FROM recovery_codes "
	    "WHERE user_id = ?", "u", user_id) == -1)
		goto fail;
	for (i = 0; i < n; i++)
		if (db_exec(db, e, NULL, NULL, "INSERT INTO recovery_codes "
		    "(user_id, code_hash) VALUES (?, ?)", "ub", user_id,
		    hashes[i], (size_t)32) == -1)
			goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	return -1;
}

int
db_recovery_use(struct db *db, uint64_t user_id, const uint8_t hash[32],
    bool *ok, struct err *e)
{
	uint64_t	 n = 0;

	if (db_exec(db, e, &n, NULL, "UPDATE recovery_codes SET used_at = ? "
	    "WHERE user_id = ? AND code_hash = ? AND used_at IS NULL "
	    "LIMIT 1", "iub", (int64_t)clock_now(), user_id, hash,
	    (size_t)32) == -1)
		return -1;
	*ok = n == 1;
	return 0;
}
