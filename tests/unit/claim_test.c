/*
 * claim_test.c - the queue's claim and result SQL against a real MariaDB:
 * batches, leases (written in place: state and due_at untouched), SKIP
 * LOCKED against a concurrent transaction, expired
 * leases coming back, results (sent with Message-ID, deferred in the
 * future, bounced with suppression, released), suppressed recipients.
 *
 * Needs a scratch database it may empty: TEGAMI_CLAIM_DB names a config
 * file (db.* keys) of a migrated database; without it the test reports
 * one skipped check. tests/integration/sender_claim.sh provides one.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../app/conf/config.h"
#include "../../app/core/arena.h"
#include "../../app/core/err.h"
#include "../../app/core/log.h"
#include "../../app/db/db.h"
#include "../../app/db/db_queue.h"
#include "../../app/sender/build.h"
#include "t.h"

static struct config	 cfg;
static struct db	*db1, *db2;
static uint64_t		 payload;
static struct queue_holder hA, hB, hdead, hother;	/* four senders */

static uint64_t
count(struct db *db, const char *state)
{
	struct err	 e;
	uint64_t	 n = 0;

	err_clear(&e);
	/* as `tegami queue status` counts: "leased" is held, in flight */
	if (db_query_row(db, NULL, &e,
	    "SELECT COUNT(*) FROM queue WHERE IF(state IN ('queued', "
	    "'deferred') AND lease_until > NOW(), 'leased', state) = ?", "s",
	    "u", state, &n) != 1)
		return UINT64_MAX;
	return n;
}

static void
reset(void)
{
	struct err	 e;
	struct queue_payload p;

	err_clear(&e);
	T_OK(db_exec(db1, &e, NULL, NULL, "DELETE FROM queue", "") == 0 &&
	    db_exec(db1, &e, NULL, NULL, "DELETE FROM delivery_event", "") ==
	    0 && db_exec(db1, &e, NULL, NULL, "DELETE FROM suppression", "") ==
	    0, "scratch tables emptied");
	memset(&p, 0, sizeof(p));
	p.kind = "test";
	p.mail_from = "tegami@claim.test";
	p.subject_tpl = "s";
	p.text_tpl = "t";
	p.token = "0123456789abcdef";
	T_OK(db_queue_payload_add(db1, &p, &payload, &e) == 0,
	    "payload stored");
	T_OK(db_queue_add_test(db1, payload, 1, 100, "claim.test", &e) == 0,
	    "100 rows queued");
}

static void
test_batches(void)
{
	struct arena		*a = arena_new(0);
	struct queue_row	*r1, *r2, *r3;
	struct err		 e;
	size_t			 n1, n2, n3, i, j;
	bool			 distinct = true;

	reset();
	err_clear(&e);
	T_OK(db_queue_claim(db1, a, &hA, 300, 30, &r1, &n1, &e) == 0 &&
	    n1 == 30, "A claims a batch of 30 (got %zu)", n1);
	T_OK(db_queue_claim(db2, a, &hB, 300, 500, &r2, &n2, &e) == 0 &&
	    n2 == 70, "B gets only the other 70 (got %zu)", n2);
	for (i = 0; i < n1; i++)
		for (j = 0; j < n2; j++)
			if (r1[i].id == r2[j].id)
				distinct = false;
	T_OK(distinct, "no row claimed twice");
	T_OK(db_queue_claim(db1, a, &hA, 300, 500, &r3, &n3, &e) == 0 &&
	    n3 == 0, "nothing left to claim");
	T_OK(count(db1, "leased") == 100, "all 100 leased");
	{
		uint64_t moved = 1, mine = 0;

		T_OK(db_query_row(db1, a, &e, "SELECT COUNT(*) FROM queue "
		    "WHERE state <> 'queued' OR due_at > NOW()", "", "u",
		    &moved) == 1 && moved == 0,
		    "a lease leaves state and due_at as they were");
		T_OK(db_query_row(db1, a, &e, "SELECT COUNT(*) FROM queue q "
		    "JOIN sender_instance s ON s.id = q.lease_id WHERE "
		    "s.name = 'A' AND q.lease_until > NOW() + INTERVAL 250 "
		    "SECOND", "", "u", &mine) == 1 && mine == 30,
		    "A's 30 rows carry its lease id for 300 s (%llu)",
		    (unsigned long long)mine);
	}
	T_OK(n1 > 0 && r1[0].rcpt != NULL && strncmp(r1[0].rcpt, "test", 4) ==
	    0 && strcmp(r1[0].rcpt_domain, "claim.test") == 0 &&
	    r1[0].merge != NULL && strstr(r1[0].merge, "name=") != NULL &&
	    r1[0].payload_id == payload && r1[0].attempts == 0 &&
	    r1[0].created > 0 && !r1[0].suppressed, "row fields come back");
	arena_free(a);
}

static void
test_skip_locked(void)
{
	struct arena		*a = arena_new(0);
	struct queue_row	*r;
	struct dbq		*q;
	struct err		 e;
	uint64_t		 id;
	size_t			 n, locked = 0, i;
	bool			 overlap = false;
	uint64_t		 held[10] = { 0 };

	reset();
	err_clear(&e);
	/* Another sender in the middle of its claim holds 10 row locks
	 * (taken by primary key, so exactly those rows are locked). */
	q = db_query(db1, a, &e, "SELECT id FROM queue ORDER BY id LIMIT 10",
	    "");
	while (q != NULL && locked < 10 && dbq_next(q, &e, "u", &id) == 1)
		held[locked++] = id;
	dbq_close(q);
	T_OK(db_begin(db2, &e) == 0, "second connection begins");
	for (i = 0; i < locked; i++)
		T_OK(db_query_row(db2, a, &e, "SELECT id FROM queue WHERE "
		    "id = ? FOR UPDATE", "u", "u", held[i], &id) == 1,
		    "row %zu locked", i);
	T_OK(locked == 10, "10 rows locked elsewhere");
	T_OK(db_queue_claim(db1, a, &hA, 300, 500, &r, &n, &e) == 0 &&
	    n == 90, "claim skips locked rows without waiting (got %zu)", n);
	for (i = 0; i < n; i++)
		if (locked > 0 && r[i].id <= held[locked - 1] &&
		    r[i].id >= held[0])
			overlap = true;
	T_OK(!overlap, "none of the locked rows was claimed");
	db_rollback(db2);
	T_OK(db_queue_claim(db2, a, &hB, 300, 500, &r, &n, &e) == 0 &&
	    n == 10, "after the other transaction ends they are claimable");
	arena_free(a);
}

static void
test_expired_lease(void)
{
	struct arena		*a = arena_new(0);
	struct queue_row	*r;
	struct err		 e;
	size_t			 n;

	reset();
	err_clear(&e);
	T_OK(db_queue_claim(db1, a, &hdead, 300, 500, &r, &n, &e) == 0 &&
	    n == 100, "a sender claims everything, then dies");
	T_OK(db_queue_claim(db2, a, &hB, 300, 500, &r, &n, &e) == 0 && n == 0,
	    "while its lease runs nobody else gets the rows");
	/* Let the lease run out (the test moves time, not the clock). */
	T_OK(db_exec(db1, &e, NULL, NULL, "UPDATE queue SET "
	    "lease_until = NOW() - INTERVAL 1 SECOND, "
	    "due_at = NOW() - INTERVAL 1 SECOND WHERE lease_id = ?",
	    "u", hdead.lease) == 0, "lease expires");
	T_OK(db_queue_claim(db2, a, &hB, 300, 500, &r, &n, &e) == 0 &&
	    n == 100, "expired leases are claimed again (got %zu)", n);
	arena_free(a);
}

static void
test_results(void)
{
	struct arena		*a = arena_new(0);
	struct queue_row	*r;
	struct queue_result	 res[40];
	struct err		 e;
	size_t			 n, i;
	char			*mid = NULL, *state = NULL;
	uint64_t		 nsup = 0, nev = 0, future = 0, rel = 0;
	int64_t			 now = (int64_t)time(NULL);

	reset();
	err_clear(&e);
	T_OK(db_queue_claim(db1, a, &hA, 300, 40, &r, &n, &e) == 0 &&
	    n == 40, "claim 40");
	memset(res, 0, sizeof(res));
	for (i = 0; i < n; i++) {
		res[i].id = r[i].id;
		res[i].rcpt = r[i].rcpt;
		if (i < 33) {	/* JSON: quotes, backslash, 8-bit, tab */
			res[i].fate = QUEUE_SENT;
			res[i].code = 250;
			res[i].enhanced = "2.0.0";
			res[i].reply = i == 1 ? "Ok: \"q\\x\" \xe3\x81\x82\t1" :
			    "Ok: queued as ABC";
			res[i].mx = "127.0.0.1";
			res[i].tls = "TLSv1.3";
		} else if (i < 36) {
			res[i].fate = QUEUE_DEFERRED;
			res[i].code = 451;
			res[i].enhanced = "4.3.0";
			res[i].reply = "try later";
			res[i].next_attempt = now + 3600;
		} else if (i < 38) {
			res[i].fate = QUEUE_BOUNCED;
			res[i].code = 550;
			res[i].enhanced = "5.1.1";
			res[i].reply = "no such user";
			res[i].suppress = i == 36;
		} else
			res[i].fate = QUEUE_RELEASED;
	}
	T_OK(db_queue_results(db2, &hA, res, n, &e) == 0,
	    "40 results in one batch: %s", e.msg);
	T_OK(count(db1, "sent") == 33, "33 sent");
	T_OK(count(db1, "deferred") == 3, "3 deferred");
	T_OK(count(db1, "bounced") == 2, "2 bounced");
	T_OK(count(db1, "queued") == 62, "released rows queued again (62)");
	T_OK(db_query_row(db1, a, &e, "SELECT message_id, state FROM "
	    "queue_message_id WHERE id = ?", "u", "ss", r[0].id, &mid,
	    &state) == 1 && mid != NULL &&
	    strstr(mid, ".0123456789abcdef@claim.test>") != NULL &&
	    strcmp(state, "sent") == 0,
	    "sent row has its Message-ID (%s)", mid ? mid : "NULL");
	{
		char	*reply = NULL, *mx = NULL, *tls = NULL, *enh = NULL;
		char	*reply1 = NULL;
		uint64_t code = 0;

		T_OK(db_query_row(db1, a, &e, "SELECT last_code, "
		    "last_enhanced, last_reply, last_mx, last_tls FROM queue "
		    "WHERE id = ?", "u", "usss" "s", r[0].id, &code, &enh,
		    &reply, &mx, &tls) == 1 && code == 250 && enh != NULL &&
		    strcmp(enh, "2.0.0") == 0 && reply != NULL &&
		    strcmp(reply, "Ok: queued as ABC") == 0 && mx != NULL &&
		    strcmp(mx, "127.0.0.1") == 0 && tls != NULL &&
		    strcmp(tls, "TLSv1.3") == 0,
		    "sent row records reply, MX and TLS (%s, %s, %s)",
		    reply ? reply : "NULL", mx ? mx : "NULL",
		    tls ? tls : "NULL");
		T_OK(db_query_row(db1, a, &e, "SELECT last_reply FROM queue "
		    "WHERE id = ?", "u", "s", r[1].id, &reply1) == 1 &&
		    reply1 != NULL &&
		    strcmp(reply1, "Ok: \"q\\x\" ???\t1") == 0,
		    "a reply with quotes, 8-bit and a tab is stored safely "
		    "(%s)", reply1 ? reply1 : "NULL");
	}
	T_OK(db_query_row(db1, a, &e, "SELECT COUNT(*) FROM queue WHERE "
	    "state = 'deferred' AND due_at > NOW() + INTERVAL 3000 SECOND "
	    "AND attempts = 1 AND last_code = 451 AND lease_id = 0",
	    "", "u", &future) == 1 && future == 3,
	    "deferred rows are due in the future, attempt counted");
	T_OK(db_query_row(db1, a, &e, "SELECT COUNT(*) FROM suppression "
	    "WHERE address = LOWER(?)", "s", "u", r[36].rcpt, &nsup) == 1 &&
	    nsup == 1, "hard bounce on the suppression list");
	T_OK(db_query_row(db1, a, &e, "SELECT COUNT(*) FROM delivery_event",
	    "", "u", &nev) == 1 && nev == 7,
	    "one event per result that is not a delivery (%llu)",
	    (unsigned long long)nev);
	T_OK(db_query_row(db1, a, &e, "SELECT COUNT(*) FROM queue WHERE "
	    "state = 'queued' AND attempts = 0 AND lease_id = 0 AND "
	    "lease_until < NOW()",
	    "", "u", &rel) == 1 && rel == 62, "released rows untouched");
	/* A result for a row another sender took over is not applied. */
	res[0].id = r[33].id;
	res[0].fate = QUEUE_BOUNCED;
	T_OK(db_queue_results(db2, &hother, res, 1, &e) == 0 &&
	    count(db1, "bounced") == 2, "stale owner cannot overwrite");
	/* The suppressed address is flagged at its next claim. */
	T_OK(db_queue_add(db1, payload, 0, r[36].rcpt, "claim.test", NULL,
	    NULL, &e) == 0, "same address queued again");
	T_OK(db_queue_claim(db1, a, &hA, 300, 500, &r, &n, &e) == 0 &&
	    n == 63, "63 due rows claimed (got %zu)", n);
	for (i = 0, nsup = 0; i < n; i++)
		nsup += r[i].suppressed;
	T_OK(nsup == 1, "exactly the suppressed recipient is flagged");
	{
		uint64_t lo = UINT64_MAX;

		for (i = 0; i < n; i++)
			lo = r[i].id < lo ? r[i].id : lo;
		T_OK(db_queue_release_owner(db1, &hB, lo, &nsup, &e) == 0 &&
		    nsup == 0, "another sender's release leaves them held");
		T_OK(db_queue_release_owner(db1, &hA, lo + 1, &nsup, &e) ==
		    0 && nsup == 62, "release_owner looks from the id given "
		    "(%llu)", (unsigned long long)nsup);
		T_OK(db_queue_release_owner(db1, &hA, lo, &nsup, &e) == 0 &&
		    nsup == 1 && count(db1, "leased") == 0,
		    "release_owner gives back every lease");
	}
	/* The list is matched in lower case, whatever the address holds
	 * (quotes, backslashes, UTF-8 travel intact to the database). */
	{
		static const char *const odd[] = { "Mixed.Case@Claim.Test",
		    "\"q\\uo\"te\"@claim.test", "Ünï.Côdé@claim.test",
		    "not.listed@claim.test" };
		size_t	 k, flagged = 0, wrong = 0;

		for (k = 0; k < 4; k++) {
			T_OK(db_queue_add(db1, payload, 0, odd[k],
			    "claim.test", NULL, NULL, &e) == 0,
			    "queued %s", odd[k]);
			if (k < 3)
				T_OK(db_exec(db1, &e, NULL, NULL,
				    "INSERT INTO suppression (address, reason) "
				    "VALUES (LOWER(?), 'manual')", "s",
				    odd[k]) == 0, "listed %s", odd[k]);
		}
		T_OK(db_queue_claim(db1, a, &hA, 300, 500, &r, &n, &e) == 0 &&
		    n == 67, "67 due rows claimed (got %zu)", n);
		for (i = 0; i < n; i++) {
			flagged += r[i].suppressed;
			for (k = 0; k < 4; k++)
				if (strcmp(r[i].rcpt, odd[k]) == 0)
					wrong += r[i].suppressed != (k < 3);
		}
		/* 4: the three listed here and the earlier hard bounce */
		T_OK(flagged == 4 && wrong == 0, "the listed addresses, in any "
		    "case and with quotes or UTF-8, are flagged, no other "
		    "(%zu flagged, %zu wrong)", flagged, wrong);
		T_OK(db_queue_release_owner(db1, &hA, 0, &nsup, &e) == 0,
		    "leases given back");
	}
	arena_free(a);
}

struct pairs {
	char	 buf[512];
	int	 n;
};

static void
collect(void *arg, const char *name, const char *value)
{
	struct pairs	*p = arg;
	size_t		 len = strlen(p->buf);

	snprintf(p->buf + len, sizeof(p->buf) - len, "%s%s=%s",
	    p->n++ ? "|" : "", name, value);
}

/* Merge fields as claimed rows carry them (urlencoded, user data). */
static void
test_merge(void)
{
	static const struct {
		const char	*name, *in, *want;	/* want NULL: refused */
	} cases[] = {
		{ "empty", "", "" },
		{ "one field", "name=Ann", "name=Ann" },
		{ "two fields, escapes", "name=Test%20User%2042&n=42",
		    "name=Test User 42|n=42" },
		{ "plus is a space", "a=b+c", "a=b c" },
		{ "UTF-8 bytes", "n=%E5%B1%B1%E7%94%B0",
		    "n=\xe5\xb1\xb1\xe7\x94\xb0" },
		{ "empty value", "a=", "a=" },
		{ "empty pairs skipped", "a=1&&b=2&", "a=1|b=2" },
		{ "value with =", "a=x=y", "a=x=y" },
		{ "template text stays a value", "a={{b}}", "a={{b}}" },
		{ "CR LF decoded (mime_build refuses it in headers)",
		    "a=x%0D%0Ay", "a=x\r\ny" },
		{ "no =", "abc", NULL },
		{ "empty name", "=x", NULL },
		{ "bad name character", "a-b=1", NULL },
		{ "name with space", "a b=1", NULL },
		{ "truncated escape", "a=%4", NULL },
		{ "bad hex", "a=%zz", NULL },
		{ "escape at the end", "a=%", NULL },
		{ "NUL byte", "a=x%00y", NULL },
		{ "name too long",
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaa=1",
		    NULL },
	};
	struct arena	*a = arena_new(0);
	size_t		 i;
	char		 many[65 * 8 + 1];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pairs	 p;
		const char	*w = cases[i].want;
		int		 rc;

		memset(&p, 0, sizeof(p));
		rc = build_merge_parse(cases[i].in, a, collect, &p);
		if (w == NULL) {
			T_OK(rc == -1, "merge: %s refused", cases[i].name);
			continue;
		}
		T_OK(rc == 0 && strcmp(p.buf, w) == 0, "merge: %s",
		    cases[i].name);
	}
	for (i = 0; i < 65; i++)
		memcpy(many + i * 8, i ? "&abc=xyz" : "abc0=xyz", 8);
	many[sizeof(many) - 1] = '\0';
	{
		struct pairs	 p;

		memset(&p, 0, sizeof(p));
		T_OK(build_merge_parse(many, a, collect, &p) == -1,
		    "merge: more than %d fields refused", BUILD_MERGE_MAX);
	}
	arena_free(a);
}

static void
test_message_id(void)
{
	char	 id[256];

	build_message_id(id, sizeof(id), 42, "0123456789abcdef",
	    "example.test");
	T_STREQ(id, "<42.0123456789abcdef@example.test>",
	    "Message-ID is <id.token@domain>");
}

/* The cursor: claims resume after the last queued row taken, and rows
 * that became due behind it are found once a claim comes up short. */
static void
test_cursor(void)
{
	struct arena		*a = arena_new(0);
	struct queue_row	*r;
	struct queue_result	 res[5];
	struct queue_cursor	 cur;
	struct err		 e;
	uint64_t		 first[5], last = 0;
	size_t			 n, i, k, found;
	bool			 ordered = true;

	reset();
	err_clear(&e);
	memset(&cur, 0, sizeof(cur));
	T_OK(db_queue_claim_from(db1, a, &hA, 300, 30, &cur, &r, &n, &e) ==
	    0 && n == 30, "first claim: 30 (%s)", e.msg);
	for (i = 0; i < 5; i++)
		first[i] = r[i].id;
	for (i = 0; i < n; i++)
		last = r[i].id > last ? r[i].id : last;
	T_OK(cur.due[0] != '\0' && cur.id == last,
	    "cursor after the last row (%llu)", (unsigned long long)cur.id);
	/* Five of them come back (released): behind the cursor now. */
	memset(res, 0, sizeof(res));
	for (i = 0; i < 5; i++) {
		res[i].id = first[i];
		res[i].fate = QUEUE_RELEASED;
	}
	T_OK(db_queue_results(db1, &hA, res, 5, &e) == 0, "5 released");
	T_OK(db_queue_claim_from(db1, a, &hA, 300, 30, &cur, &r, &n, &e) ==
	    0 && n == 30, "second claim: 30");
	for (i = 0; i < n; i++)
		ordered = ordered && r[i].id > last;
	T_OK(ordered, "second claim starts after the cursor");
	T_OK(db_queue_claim_from(db1, a, &hA, 300, 50, &cur, &r, &n, &e) ==
	    0 && n == 40, "third claim: the 40 ahead");
	T_OK(cur.due[0] == '\0', "a short claim sends the cursor back");
	T_OK(db_queue_claim_from(db1, a, &hA, 300, 50, &cur, &r, &n, &e) ==
	    0 && n == 5, "fourth claim finds the 5 behind");
	for (i = 0, found = 0; i < n; i++)
		for (k = 0; k < 5; k++)
			found += r[i].id == first[k];
	T_OK(found == 5, "they are the released rows");
	T_OK(count(db1, "leased") == 100, "every row leased once");
	arena_free(a);
}

int
main(void)
{
	const char	*path = getenv("TEGAMI_CLAIM_DB");
	struct err	 e;

	T_SUITE("claim");
	log_init("claim_test", LOG_WARN);
	T_RUN(test_merge);
	T_RUN(test_message_id);
	if (path == NULL || *path == '\0') {
		t_case_name = "setup";
		T_OK(1, "skipped: TEGAMI_CLAIM_DB not set "
		    "(tests/integration/sender_claim.sh runs this)");
		return t_done("claim");
	}
	err_clear(&e);
	if (config_load(&cfg, path, &e) == -1 ||
	    (db1 = db_open(&cfg, &e)) == NULL ||
	    (db2 = db_open(&cfg, &e)) == NULL ||
	    db_queue_session(db1, &e) == -1 ||
	    db_queue_session(db2, &e) == -1 ||
	    db_queue_instance(db1, "A", &hA, &e) == -1 ||
	    db_queue_instance(db1, "B", &hB, &e) == -1 ||
	    db_queue_instance(db1, "dead", &hdead, &e) == -1 ||
	    db_queue_instance(db1, "other", &hother, &e) == -1) {
		t_case_name = "setup";
		T_OK(0, "database: %s", e.msg);
		return t_done("claim");
	}
	T_RUN(test_batches);
	T_RUN(test_skip_locked);
	T_RUN(test_expired_lease);
	T_RUN(test_results);
	T_RUN(test_cursor);
	db_close(db1);
	db_close(db2);
	return t_done("claim");
}
