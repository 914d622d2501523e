/*
 * alert_test.c - the alert table's SQL (app/db/db_alert.c) against a real
 * MariaDB: de-duplication of open alerts (one row per kind, domain and
 * enhanced code whose count and last_seen grow, however many refusals),
 * acknowledgement (closes the row; the next raise opens a new one), the
 * lists and the open count, and hostile input (over-long fields, quotes,
 * a reply cut on a UTF-8 boundary).
 *
 * Needs a scratch database whose alert table it may empty:
 * TEGAMI_ALERT_DB names a config file (db.* keys) of a migrated database;
 * without it the test reports one skipped check.
 * tests/integration/sender_alerts.sh provides one.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../app/conf/config.h"
#include "../../app/core/arena.h"
#include "../../app/core/err.h"
#include "../../app/core/log.h"
#include "../../app/db/db.h"
#include "../../app/db/db_alert.h"
#include "t.h"

static struct config	 cfg;
static struct db	*db;
static uint64_t		 user_id;

/* A number from one SQL query (UINT64_MAX on error). */
static uint64_t
num(const char *sql)
{
	struct err	 e;
	uint64_t	 n = 0;

	err_clear(&e);
	if (db_query_row(db, NULL, &e, sql, "", "u", &n) != 1)
		return UINT64_MAX;
	return n;
}

static int64_t
open_count(void)
{
	struct err	 e;
	int64_t		 n = -1;

	err_clear(&e);
	if (db_alert_open_count(db, &n, &e) == -1)
		return -1;
	return n;
}

static void
reset(void)
{
	struct err	 e;

	err_clear(&e);
	T_OK(db_exec(db, &e, NULL, NULL, "DELETE FROM alert", "") == 0,
	    "alert table emptied");
}

static void
test_names(void)
{
	T_STREQ(db_alert_kind_names[DB_ALERT_POLICY], "policy",
	    "kind policy is stored as 'policy'");
}

static void
test_dedup(void)
{
	struct err	 e;
	static const char *const replies[] = {
		"Message rejected by policy (1)",
		"Message rejected by policy (2)",
		"Message rejected by policy (3)",
	};
	struct arena	*a = arena_new(0);
	struct db_alert	*v;
	size_t		 n, i;
	int		 ok = 1;

	reset();
	err_clear(&e);
	for (i = 0; i < 3; i++)
		ok &= db_alert_raise(db, DB_ALERT_POLICY, "example.test", 550,
		    "5.7.1", replies[i], &e) == 0;
	T_OK(ok, "three raises succeed (%s)", e.msg);
	T_OK(num("SELECT COUNT(*) FROM alert") == 1, "three raises: one row");
	T_OK(num("SELECT count FROM alert") == 3, "its count is 3");
	T_OK(num("SELECT COUNT(*) FROM alert WHERE open_key = "
	    "'policy|example.test|5.7.1' AND acked_at IS NULL AND "
	    "first_seen <= last_seen AND first_seen > 0") == 1,
	    "open, keyed by kind, domain and enhanced code");
	T_OK(open_count() == 1, "open count 1");
	T_OK(db_alert_list(db, a, true, 10, &v, &n, &e) == 0 && n == 1,
	    "open list has the row");
	if (n == 1) {
		T_STREQ(v[0].domain, "example.test", "domain");
		T_OK(v[0].code == 550 && v[0].count == 3 &&
		    v[0].kind == DB_ALERT_POLICY && v[0].acked_at == 0 &&
		    v[0].acked_by == 0, "code 550, count 3, policy, open");
		T_STREQ(v[0].enhanced, "5.7.1", "enhanced code");
		T_STREQ(v[0].reply, replies[2], "the latest reply is kept");
	}

	/* Another enhanced code or domain is another alert. */
	ok = db_alert_raise(db, DB_ALERT_POLICY, "example.test", 550,
	    "5.7.26", "unauthenticated", &e) == 0 &&
	    db_alert_raise(db, DB_ALERT_POLICY, "other.test", 421, "4.7.0",
	    "[TSS04] try later", &e) == 0;
	T_OK(ok, "two other raises succeed");
	T_OK(num("SELECT COUNT(*) FROM alert") == 3 && open_count() == 3,
	    "another enhanced code or domain: a row each");

	/* A storm: one row whatever the number of refusals. */
	ok = 1;
	for (i = 0; i < 200; i++)
		ok &= db_alert_raise(db, DB_ALERT_POLICY, "other.test", 421,
		    "4.7.0", "[TSS04] try later", &e) == 0;
	ok &= db_alert_raise_n(db, DB_ALERT_POLICY, "other.test", 421,
	    "4.7.0", "[TSS04] try later", 10000, &e) == 0;
	T_OK(ok, "200 raises and one raise of 10,000 succeed");
	T_OK(num("SELECT COUNT(*) FROM alert WHERE domain = 'other.test'") ==
	    1, "the storm stays one row");
	T_OK(num("SELECT count FROM alert WHERE domain = 'other.test'") ==
	    10201, "its count is 10,201");
	arena_free(a);
}

static void
test_ack(void)
{
	struct err	 e;
	struct arena	*a = arena_new(0);
	struct db_alert	*v, one;
	uint64_t	 id, id2;
	size_t		 n;

	reset();
	err_clear(&e);
	T_OK(db_alert_raise(db, DB_ALERT_POLICY, "example.test", 550,
	    "5.7.1", "no", &e) == 0 && db_alert_raise(db, DB_ALERT_POLICY,
	    "example.test", 550, "5.7.1", "no", &e) == 0 &&
	    db_alert_raise(db, DB_ALERT_POLICY, "b.test", 550, "5.7.1", "no",
	    &e) == 0, "raised");
	id = num("SELECT id FROM alert WHERE domain = 'example.test'");
	T_OK(db_alert_ack(db, id, user_id, &e) == 1, "acknowledged");
	T_OK(db_alert_ack(db, id, user_id, &e) == 0,
	    "acknowledging again changes nothing");
	T_OK(db_alert_ack(db, id + 1000, user_id, &e) == 0,
	    "an unknown id changes nothing");
	T_OK(num("SELECT COUNT(*) FROM alert WHERE open_key IS NULL AND "
	    "acked_at > 0 AND acked_by IS NOT NULL") == 1,
	    "the row is closed with time and user");
	T_OK(open_count() == 1, "open count 1");
	T_OK(db_alert_get(db, a, id, &one, &e) == 1 && one.acked_at != 0 &&
	    one.acked_by == user_id && one.count == 2,
	    "get: acknowledged by the user, count kept");
	T_OK(db_alert_get(db, a, id + 1000, &one, &e) == 0,
	    "get: unknown id");

	T_OK(db_alert_raise(db, DB_ALERT_POLICY, "example.test", 554,
	    "5.7.1", "again", &e) == 0, "raised after the acknowledgement");
	id2 = num("SELECT MAX(id) FROM alert WHERE domain = 'example.test'");
	T_OK(id2 != id && num("SELECT COUNT(*) FROM alert WHERE domain = "
	    "'example.test'") == 2, "a new row is opened");
	T_OK(db_alert_get(db, a, id2, &one, &e) == 1 && one.count == 1 &&
	    one.code == 554 && one.acked_at == 0, "it starts at count 1");
	T_OK(open_count() == 2, "open count 2");

	T_OK(db_alert_list(db, a, true, 0, &v, &n, &e) == 0 && n == 2,
	    "open list: 2");
	T_OK(n == 2 && v[0].acked_at == 0 && v[1].acked_at == 0,
	    "open list holds open alerts only");
	T_OK(db_alert_list(db, a, false, 0, &v, &n, &e) == 0 && n == 3,
	    "full list: 3");
	T_OK(n == 3 && v[0].acked_at == 0 && v[1].acked_at == 0 &&
	    v[2].acked_at != 0 && v[2].id == id,
	    "full list: open ones first, the acknowledged one last");
	T_OK(db_alert_list(db, a, false, 1, &v, &n, &e) == 0 && n == 1,
	    "the limit is kept");
	arena_free(a);
}

static void
test_hostile(void)
{
	struct err	 e;
	struct arena	*a = arena_new(0);
	struct db_alert	 one;
	char		 dom[300], rep[700];
	uint64_t	 id;

	reset();
	memset(dom, 'a', sizeof(dom) - 1);
	dom[sizeof(dom) - 1] = '\0';
	err_clear(&e);
	T_OK(db_alert_raise(db, DB_ALERT_POLICY, dom, 550, "5.7.1", "x",
	    &e) == -1 && e.kind == ERR_INPUT, "a 299-character domain is "
	    "refused");
	err_clear(&e);
	T_OK(db_alert_raise(db, DB_ALERT_POLICY, "", 550, "5.7.1", "x",
	    &e) == -1 && e.kind == ERR_INPUT, "an empty domain is refused");
	err_clear(&e);
	T_OK(db_alert_raise(db, DB_ALERT_POLICY, "a.test", 550,
	    "5.7.1111111111111", "x", &e) == -1 && e.kind == ERR_INPUT,
	    "an over-long enhanced code is refused");
	err_clear(&e);
	T_OK(db_alert_raise_n(db, DB_ALERT_POLICY, "a.test", 550, "5.7.1",
	    "x", 0, &e) == -1, "zero refusals are refused");
	err_clear(&e);
	T_OK(db_alert_raise(db, DB_ALERT__MAX, "a.test", 550, "5.7.1",
	    "x", &e) == -1, "an unknown kind is refused");
	T_OK(num("SELECT COUNT(*) FROM alert") == 0, "nothing stored");

	/* 511 ASCII, a two-byte character, then more: cut after it. */
	memset(rep, 'x', sizeof(rep));
	memcpy(rep + 511, "\xc3\xa9", 2);
	rep[sizeof(rep) - 1] = '\0';
	err_clear(&e);
	T_OK(db_alert_raise(db, DB_ALERT_POLICY, "a.test", 550, "5.7.1", rep,
	    &e) == 0, "a 698-byte reply is taken");
	id = num("SELECT id FROM alert");
	T_OK(db_alert_get(db, a, id, &one, &e) == 1 &&
	    strlen(one.reply) == 513 && memcmp(one.reply + 511, "\xc3\xa9",
	    2) == 0, "it is cut to 512 characters, the last one whole");
	T_OK(db_alert_raise(db, DB_ALERT_POLICY, "q'uote.test", 550, "",
	    "'); DELETE FROM alert; --", &e) == 0 && db_alert_raise(db,
	    DB_ALERT_POLICY, "q'uote.test", 550, NULL, NULL, &e) == 0,
	    "quotes and NULLs are plain values");
	T_OK(num("SELECT COUNT(*) FROM alert") == 2 && num("SELECT count "
	    "FROM alert WHERE domain = 'q''uote.test' AND enhanced = ''") == 2,
	    "no enhanced code is a key of its own, nothing run");
	arena_free(a);
}

int
main(void)
{
	const char	*path = getenv("TEGAMI_ALERT_DB");
	struct err	 e;
	uint64_t	 id = 0;

	T_SUITE("alert");
	log_init("alert_test", LOG_WARN);
	T_RUN(test_names);
	if (path == NULL || *path == '\0') {
		t_case_name = "setup";
		T_OK(1, "skipped: TEGAMI_ALERT_DB not set "
		    "(tests/integration/sender_alerts.sh runs this)");
		return t_done("alert");
	}
	err_clear(&e);
	if (config_load(&cfg, path, &e) == -1 ||
	    (db = db_open(&cfg, &e)) == NULL) {
		t_case_name = "setup";
		T_OK(0, "database: %s", e.msg);
		return t_done("alert");
	}
	/* acked_by references a user. */
	if (db_exec(db, &e, NULL, &id, "INSERT INTO users (login, role, "
	    "password_hash, created_at, updated_at) VALUES ('alert-test', "
	    "'admin', '-', 0, 0) ON DUPLICATE KEY UPDATE "
	    "id = LAST_INSERT_ID(id)", "") == -1) {
		t_case_name = "setup";
		T_OK(0, "user: %s", e.msg);
		return t_done("alert");
	}
	user_id = id;
	T_RUN(test_dedup);
	T_RUN(test_ack);
	T_RUN(test_hostile);
	if (db_exec(db, &e, NULL, NULL, "DELETE FROM alert", "") == -1)
		fprintf(stderr, "alert_test: cleanup: %s\n", e.msg);
	db_close(db);
	return t_done("alert");
}
