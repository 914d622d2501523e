/*
 * db_queue.c - the delivery queue (see db_queue.h, docs/queue.md).
 *
 * Speed: a claim is one SELECT ... FOR UPDATE SKIP LOCKED, one probe of
 * the suppression list and one in-place lease UPDATE for the batch (two
 * fixed-size columns, no index entry moved); results are written per
 * batch in one
 * transaction with set-based UPDATEs for the common case (sent) and
 * multi-row INSERTs for events. SQL stays literal: id lists have a fixed
 * number of placeholders, unused ones bound to 0 (no row has id 0).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "../core/arena.h"
#include "../core/err.h"
#include "../core/log.h"
#include "../core/sbuf.h"
#include "db.h"
#include "db_queue.h"

#define IDS	32	/* placeholders in an id list */
#define Q8	"?,?,?,?,?,?,?,?"
#define QIDS	"(" Q8 "," Q8 "," Q8 "," Q8 ")"
#define U8	"uuuuuuuu"
#define UIDS	U8 U8 U8 U8
#define ARG8(a, o)	a[o], a[o + 1], a[o + 2], a[o + 3], a[o + 4], \
			a[o + 5], a[o + 6], a[o + 7]
#define ARGIDS(a)	ARG8(a, 0), ARG8(a, 8), ARG8(a, 16), ARG8(a, 24)
#define EV_ROWS	8	/* rows per multi-row event INSERT (8 x 8 params) */
#define EV_ROW	"(?,?,?,NULLIF(?,''),NULLIF(LEFT(?,512),''),NULLIF(?,'')," \
		"NULLIF(?,''),?)"

const char *const queue_fate_names[QUEUE_FATE__MAX] = {
	"sent", "deferred", "bounced", "suppressed", "expired", "released",
	"held"
};

/* NULL strings are bound as '' and turned back into NULL by NULLIF in
 * the SQL (some Connector/C versions read the length of a NULL string). */
static const char *
nz(const char *s)
{
	return s != NULL ? s : "";
}

const char *const queue_state_names[6] = {
	"queued", "leased", "deferred", "sent", "bounced", "suppressed"
};

/* Ends the JSON array parameter in b; frees it and says so when it could
 * not be built (memory). */
static int
json_close(struct sbuf *b, struct err *e)
{
	sbuf_putc(b, ']');
	if (!sbuf_failed(b))
		return 0;
	sbuf_free(b);
	return err_set(e, ERR_ENV, "out of memory");
}

/* s as a JSON string: quote, backslash and controls escaped, UTF-8 (the
 * database's own text) passed through. */
static void
json_text(struct sbuf *b, const char *s)
{
	size_t	 i, from = 0;

	sbuf_putc(b, '"');
	for (i = 0; s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c != '"' && c != '\\' && c >= 0x20 && c != 0x7f)
			continue;
		sbuf_put(b, s + from, i - from);
		if (c == '"' || c == '\\') {
			sbuf_putc(b, '\\');
			sbuf_putc(b, (char)c);
		} else
			sbuf_printf(b, "\\u%04x", c);
		from = i + 1;
	}
	sbuf_put(b, s + from, i - from);
	sbuf_putc(b, '"');
}

/*
 * Marks the claimed rows whose recipient is on the suppression list, one
 * statement for the batch: the addresses travel as a JSON array joined on
 * the list's primary key, the batch driving (STRAIGHT_JOIN: one probe of
 * the key per address, however long the list). A subquery per row in the
 * claim itself cost MariaDB about 4 µs a row, two thirds of the claim;
 * this about 0.5.
 */
static int
mark_suppressed(struct db *db, struct arena *a, struct queue_row *r,
    size_t n, struct err *e)
{
	struct sbuf	 b;
	struct dbq	*q;
	size_t		 i;
	uint64_t	 idx;
	int		 rc;

	sbuf_init(&b, NULL, 0);
	sbuf_putc(&b, '[');
	for (i = 0; i < n; i++) {
		sbuf_printf(&b, "%s[%zu,", i > 0 ? "," : "", i);
		json_text(&b, r[i].rcpt != NULL ? r[i].rcpt : "");
		sbuf_putc(&b, ']');
	}
	if (json_close(&b, e) == -1)
		return -1;
	q = db_query(db, a, e, "SELECT j.i FROM JSON_TABLE(?, '$[*]' "
	    "COLUMNS (i INT UNSIGNED PATH '$[0]', addr VARCHAR(320) "
	    "PATH '$[1]')) j STRAIGHT_JOIN suppression s "
	    "ON s.address = LOWER(j.addr)", "s", b.p);
	sbuf_free(&b);
	if (q == NULL)
		return -1;
	while ((rc = dbq_next(q, e, "u", &idx)) == 1)
		if (idx < n)
			r[idx].suppressed = true;
	dbq_close(q);
	return rc == -1 ? -1 : 0;
}

/* Leases every claimed row in one statement: the ids travel as one JSON
 * array parameter joined on the primary key (see sent_rows). Only the
 * two lease columns change, both fixed-size and in no index: InnoDB
 * writes the record in place (migrations/0009). */
static int
lease_rows(struct db *db, const struct queue_holder *h, int64_t lease_s,
    const struct queue_row *r, size_t n, struct err *e)
{
	struct sbuf	 b;
	size_t		 i;
	int		 rc;

	sbuf_init(&b, NULL, 0);
	sbuf_putc(&b, '[');
	for (i = 0; i < n; i++)
		sbuf_printf(&b, "%s%llu", i > 0 ? "," : "",
		    (unsigned long long)r[i].id);
	if (json_close(&b, e) == -1)
		return -1;
	rc = db_exec(db, e, NULL, NULL,
	    "UPDATE queue q JOIN JSON_TABLE(?, '$[*]' COLUMNS ("
	    "id BIGINT UNSIGNED PATH '$')) j ON q.id = j.id "
	    "SET q.lease_id = ?, q.lease_until = NOW() + INTERVAL ? SECOND",
	    "sui", b.p, h->lease, lease_s);
	sbuf_free(&b);
	return rc;
}

int
db_queue_instance(struct db *db, const char *name, struct queue_holder *h,
    struct err *e)
{
	uint64_t	 id, added = 0;
	int		 tries;

	for (tries = 0; tries < 5; tries++) {
		/* 63 bits: BIGINT UNSIGNED either way, never 0 */
		randombytes_buf(&id, sizeof(id));
		id = (id >> 1) | 1;
		if (db_exec(db, e, &added, NULL,
		    "INSERT IGNORE INTO sender_instance (id, name) "
		    "VALUES (?, LEFT(?, 128))", "us", id, name) == -1)
			return -1;
		if (added == 1) {
			h->lease = id;
			h->name = name;
			return 0;
		}
	}
	return err_set(e, ERR_ENV, "no free sender instance id");
}

int
db_queue_session(struct db *db, struct err *e)
{
	return db_exec(db, e, NULL, NULL,
	    "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", "");
}

int
db_queue_claim(struct db *db, struct arena *a, const struct queue_holder *h,
    int64_t lease_s, size_t max, struct queue_row **rows, size_t *n,
    struct err *e)
{
	return db_queue_claim_from(db, a, h, lease_s, max, NULL, rows, n, e);
}

int
db_queue_claim_from(struct db *db, struct arena *a,
    const struct queue_holder *h,
    int64_t lease_s, size_t max, struct queue_cursor *cur,
    struct queue_row **rows, size_t *n, struct err *e)
{
	struct dbq		*q = NULL;
	struct queue_row	*r;
	uint64_t		 att, state, last_id = 0;
	const char		*due, *from_due = "";
	char			 last_due[QUEUE_CURSOR_DUE] = "";
	size_t			 cnt = 0;
	int			 rc;

	*n = 0;
	if (max == 0)
		return 0;
	if (max > QUEUE_CLAIM_MAX)
		max = QUEUE_CLAIM_MAX;
	if (cur != NULL && cur->claims++ % QUEUE_CURSOR_RESCAN == 0)
		cur->due[0] = '\0';
	if (cur != NULL && cur->due[0] != '\0') {
		from_due = cur->due;
		last_id = cur->id;
	}
	if ((r = arena_calloc(a, max, sizeof(*r))) == NULL)
		return err_set(e, ERR_ENV, "out of memory");
	if (db_begin(db, e) == -1)
		return -1;
	/* Due: queued or deferred whose time came and that nobody holds
	 * (a lease that ran out: its sender died). Rows another sender is
	 * claiming are skipped. The queued part starts after the cursor
	 * (queue_claim ends in id). */
#define CLAIM_COLS \
	"SELECT q.id, q.payload_id, q.campaign_id, q.rcpt, q.rcpt_domain, " \
	"q.merge_fields, q.attempts, UNIX_TIMESTAMP(q.created_at), " \
	"q.state = 'queued', q.due_at " \
	"FROM queue q FORCE INDEX (queue_claim) WHERE q.due_at <= NOW() AND " \
	"q.lease_until <= NOW() AND "
	if (from_due[0] == '\0')
		q = db_query(db, a, e, CLAIM_COLS
		    "q.state IN ('queued', 'deferred') "
		    "LIMIT ? FOR UPDATE SKIP LOCKED", "i", (int64_t)max);
	else
		q = db_query(db, a, e, CLAIM_COLS
		    "(q.state = 'deferred' OR "
		    "(q.state = 'queued' AND (q.due_at > ? OR "
		    "(q.due_at = ? AND q.id > ?)))) "
		    "LIMIT ? FOR UPDATE SKIP LOCKED", "ssui", from_due,
		    from_due, last_id, (int64_t)max);
#undef CLAIM_COLS
	if (q == NULL)
		goto fail;
	while (cnt < max && (rc = dbq_next(q, e, "uuusssuius", &r[cnt].id,
	    &r[cnt].payload_id, &r[cnt].campaign_id, &r[cnt].rcpt,
	    &r[cnt].rcpt_domain, &r[cnt].merge, &att, &r[cnt].created,
	    &state, &due)) == 1) {
		r[cnt].attempts = (unsigned)att;
		/* Index order: the last queued row is the furthest one. */
		if (state != 0 && due != NULL &&
		    strlen(due) < sizeof(last_due)) {
			memcpy(last_due, due, strlen(due) + 1);
			last_id = r[cnt].id;
		}
		cnt++;
	}
	dbq_close(q);
	if (cnt < max && rc == -1)
		goto fail;
	if (cnt > 0 && (mark_suppressed(db, a, r, cnt, e) == -1 ||
	    lease_rows(db, h, lease_s, r, cnt, e) == -1))
		goto fail;
	if (db_commit(db, e) == -1)
		goto fail;
	if (cur != NULL) {
		if (cnt < max)
			cur->due[0] = '\0';	/* short: from the start */
		else if (last_due[0] != '\0') {
			memcpy(cur->due, last_due, sizeof(cur->due));
			cur->id = last_id;
		}
	}
	*rows = r;
	*n = cnt;
	return 0;
fail:
	db_rollback(db);
	return -1;
}

/*
 * Appends s to b as a JSON string of at most max bytes. SMTP replies are
 * ASCII (RFC 5321); control characters become \u00XX, 8-bit bytes '?', so
 * the database never meets invalid UTF-8 from a remote server.
 */
static void
json_str(struct sbuf *b, const char *s, size_t max)
{
	size_t	 i;

	sbuf_putc(b, '"');
	for (i = 0; s != NULL && s[i] != '\0' && i < max; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			sbuf_putc(b, '\\');
			sbuf_putc(b, (char)c);
		} else if (c < 0x20 || c == 0x7f)
			sbuf_printf(b, "\\u%04x", c);
		else
			sbuf_putc(b, c < 0x80 ? (char)c : '?');
	}
	sbuf_putc(b, '"');
}

/* The lease ends with the result (LEASE_END), unless another sender took
 * the row meanwhile (LEASE_MINE). */
#define LEASE_END	"lease_id = 0, lease_until = '1970-01-01'"
#define LEASE_MINE	"WHERE id = ? AND lease_id = ?"

/*
 * Every sent row of a batch in one statement: the rows travel as one JSON
 * array parameter ([id, code, enhanced, reply, mx, tls] each) that
 * JSON_TABLE turns into a table joined on the primary key. Sent rows get
 * no delivery_event: the queue row is the record of the delivery (its
 * reply, MX and TLS version), which halves the writes per message.
 */
static int
sent_rows(struct db *db, const struct queue_result *r, size_t n,
    struct err *e)
{
	struct sbuf	 b;
	size_t		 i, k = 0;
	int		 rc;

	sbuf_init(&b, NULL, 0);
	sbuf_putc(&b, '[');
	for (i = 0; i < n; i++) {
		if (r[i].fate != QUEUE_SENT)
			continue;
		sbuf_printf(&b, "%s[%llu,%d,", k++ > 0 ? "," : "",
		    (unsigned long long)r[i].id, r[i].code);
		json_str(&b, r[i].enhanced, 15);
		sbuf_putc(&b, ',');
		json_str(&b, r[i].reply, 512);
		sbuf_putc(&b, ',');
		json_str(&b, r[i].mx, 255);
		sbuf_putc(&b, ',');
		json_str(&b, r[i].tls, 16);
		sbuf_putc(&b, ']');
	}
	if (k == 0) {
		sbuf_free(&b);
		return 0;
	}
	if (json_close(&b, e) == -1)
		return -1;
	rc = db_exec(db, e, NULL, NULL,
	    "UPDATE queue q JOIN JSON_TABLE(?, '$[*]' COLUMNS ("
	    "id BIGINT UNSIGNED PATH '$[0]', code SMALLINT UNSIGNED PATH "
	    "'$[1]', enhanced VARCHAR(16) PATH '$[2]', "
	    "reply VARCHAR(512) PATH '$[3]', mx VARCHAR(255) PATH '$[4]', "
	    "tls VARCHAR(16) PATH '$[5]')) j ON q.id = j.id "
	    "SET q.state = 'sent', q.attempts = q.attempts + 1, "
	    LEASE_END ", "
	    "q.last_code = j.code, "
	    "q.last_enhanced = NULLIF(j.enhanced, ''), "
	    "q.last_reply = NULLIF(j.reply, ''), q.last_mx = NULLIF(j.mx, ''), "
	    "q.last_tls = NULLIF(j.tls, ''), q.done_at = NOW()",
	    "s", b.p);
	sbuf_free(&b);
	return rc;
}

static int
one_result(struct db *db, const struct queue_holder *h,
    const struct queue_result *r, struct err *e)
{
	switch (r->fate) {
	case QUEUE_DEFERRED:
		return db_exec(db, e, NULL, NULL,
		    "UPDATE queue SET state = 'deferred', "
		    "attempts = attempts + 1, " LEASE_END ", "
		    "next_attempt = FROM_UNIXTIME(?), "
		    "due_at = FROM_UNIXTIME(?), last_code = ?, "
		    "last_enhanced = NULLIF(?, ''), "
		    "last_reply = NULLIF(LEFT(?, 512), ''), "
		    "last_mx = NULLIF(LEFT(?, 255), ''), "
		    "last_tls = NULLIF(LEFT(?, 16), '') " LEASE_MINE,
		    "iiissssuu", r->next_attempt, r->next_attempt,
		    (int64_t)r->code, nz(r->enhanced), nz(r->reply),
		    nz(r->mx), nz(r->tls), r->id, h->lease);
	case QUEUE_BOUNCED:
	case QUEUE_EXPIRED:
	case QUEUE_SUPPRESSED:
		return db_exec(db, e, NULL, NULL,
		    "UPDATE queue SET state = ?, attempts = attempts + ?, "
		    LEASE_END ", last_code = ?, "
		    "last_enhanced = NULLIF(?, ''), "
		    "last_reply = NULLIF(LEFT(?, 512), ''), "
		    "last_mx = NULLIF(LEFT(?, 255), ''), "
		    "last_tls = NULLIF(LEFT(?, 16), ''), "
		    "done_at = NOW() " LEASE_MINE,
		    "siissssuu", r->fate == QUEUE_SUPPRESSED ? "suppressed" :
		    "bounced", (int64_t)(r->fate != QUEUE_SUPPRESSED),
		    (int64_t)r->code, nz(r->enhanced), nz(r->reply),
		    nz(r->mx), nz(r->tls), r->id, h->lease);
	case QUEUE_HELD:
		/* Outside sending hours: not an attempt, back when open. */
		return db_exec(db, e, NULL, NULL,
		    "UPDATE queue SET " LEASE_END ", "
		    "next_attempt = FROM_UNIXTIME(?), "
		    "due_at = FROM_UNIXTIME(?) " LEASE_MINE,
		    "iiuu", r->next_attempt, r->next_attempt, r->id,
		    h->lease);
	case QUEUE_RELEASED:
		/* Untouched but for the lease: due as it was. */
		return db_exec(db, e, NULL, NULL,
		    "UPDATE queue SET " LEASE_END " " LEASE_MINE, "uu", r->id,
		    h->lease);
	default:
		return 0;
	}
}

static int
events(struct db *db, const char *owner, const struct queue_result *all,
    size_t n, struct err *e)
{
	const struct queue_result *r[EV_ROWS];
	size_t	 i = 0, k;

#define EV(x)	(x)->id, queue_fate_names[(x)->fate], (int64_t)(x)->code, \
		nz((x)->enhanced), nz((x)->reply), nz((x)->mx), nz((x)->tls), \
		owner
	while (i < n) {
		/* Held rows were not tried: no event (docs/queue.md). */
		for (k = 0; k < EV_ROWS && i < n; i++)
			if (all[i].fate != QUEUE_HELD && all[i].fate != QUEUE_SENT)
				r[k++] = &all[i];
		if (k == EV_ROWS) {
			if (db_exec(db, e, NULL, NULL,
			    "INSERT INTO delivery_event (queue_id, outcome, "
			    "code, enhanced, reply, mx, tls, sender) VALUES "
			    EV_ROW "," EV_ROW "," EV_ROW "," EV_ROW ","
			    EV_ROW "," EV_ROW "," EV_ROW "," EV_ROW,
			    "usisssss" "usisssss" "usisssss" "usisssss"
			    "usisssss" "usisssss" "usisssss" "usisssss",
			    EV(r[0]), EV(r[1]), EV(r[2]), EV(r[3]), EV(r[4]),
			    EV(r[5]), EV(r[6]), EV(r[7])) == -1)
				return -1;
			continue;
		}
		while (k > 0) {
			const struct queue_result *x = r[--k];

			if (db_exec(db, e, NULL, NULL,
			    "INSERT INTO delivery_event (queue_id, outcome, "
			    "code, enhanced, reply, mx, tls, sender) VALUES "
			    EV_ROW, "usisssss", EV(x)) == -1)
				return -1;
		}
	}
#undef EV
	return 0;
}

int
db_queue_results(struct db *db, const struct queue_holder *h,
    const struct queue_result *r, size_t n, struct err *e)
{
	size_t		 i;

	if (n == 0)
		return 0;
	if (db_begin(db, e) == -1)
		return -1;
	if (sent_rows(db, r, n, e) == -1)
		goto fail;
	for (i = 0; i < n; i++) {
		if (r[i].fate == QUEUE_SENT)
			continue;
		if (one_result(db, h, &r[i], e) == -1)
			goto fail;
		/* Hard bounce: on the list at once (same transaction). */
		if (r[i].suppress && r[i].rcpt != NULL &&
		    db_exec(db, e, NULL, NULL,
		    "INSERT INTO suppression (address, reason, code, enhanced, "
		    "reply) VALUES (LOWER(?), 'bounce', ?, NULLIF(?, ''), "
		    "NULLIF(LEFT(?, 512), '')) "
		    "ON DUPLICATE KEY UPDATE code = VALUES(code), "
		    "enhanced = VALUES(enhanced), reply = VALUES(reply)",
		    "siss", r[i].rcpt, (int64_t)r[i].code, nz(r[i].enhanced),
		    nz(r[i].reply)) == -1)
			goto fail;
	}
	if (events(db, h->name, r, n, e) == -1)
		goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	return -1;
}

int
db_queue_release_owner(struct db *db, const struct queue_holder *h,
    uint64_t from_id, uint64_t *n, struct err *e)
{
	return db_exec(db, e, n, NULL,
	    "UPDATE queue SET " LEASE_END " WHERE id >= ? AND lease_id = ? "
	    "AND state IN ('queued', 'deferred')", "uu", from_id, h->lease);
}

int
db_queue_payload(struct db *db, struct arena *a, uint64_t id,
    struct queue_payload *p, struct err *e)
{
	char	*kind, *from, *name, *reply, *subj, *text, *html, *token;
	int	 rc;

	memset(p, 0, sizeof(*p));
	rc = db_query_row(db, a, e,
	    "SELECT kind, mail_from, from_name, reply_to, subject_tpl, "
	    "text_tpl, html_tpl, token, IFNULL(domain_id, 0), "
	    "IFNULL(window_id, 0) "
	    "FROM message_payload WHERE id = ?", "u", "ssssssssuu", id, &kind,
	    &from, &name, &reply, &subj, &text, &html, &token, &p->domain_id,
	    &p->window_id);
	if (rc != 1)
		return rc;
	p->id = id;
	p->kind = kind;
	p->mail_from = from;
	p->from_name = name;
	p->reply_to = reply;
	p->subject_tpl = subj;
	p->text_tpl = text;
	p->html_tpl = html;
	p->token = token;
	return 1;
}

int
db_queue_payload_add(struct db *db, const struct queue_payload *p,
    uint64_t *id, struct err *e)
{
	return db_exec(db, e, NULL, id,
	    "INSERT INTO message_payload (kind, domain_id, mail_from, "
	    "from_name, reply_to, subject_tpl, text_tpl, html_tpl, token, "
	    "window_id) "
	    "VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, NULLIF(?, ''), "
	    "NULLIF(?, ''), ?, NULLIF(?, 0))", "susssssssu", p->kind,
	    p->domain_id, p->mail_from, nz(p->from_name), nz(p->reply_to),
	    p->subject_tpl, nz(p->text_tpl), nz(p->html_tpl), p->token,
	    p->window_id);
}

int
db_queue_add(struct db *db, uint64_t payload_id, uint64_t campaign_id,
    const char *rcpt, const char *rcpt_domain, const char *merge,
    uint64_t *id, struct err *e)
{
	return db_exec(db, e, NULL, id,
	    "INSERT INTO queue (payload_id, campaign_id, rcpt, rcpt_domain, "
	    "merge_fields) VALUES (?, NULLIF(?, 0), ?, ?, NULLIF(?, ''))",
	    "uusss", payload_id, campaign_id, rcpt, rcpt_domain, nz(merge));
}

int
db_queue_add_test(struct db *db, uint64_t payload_id, uint64_t first,
    uint64_t count, const char *domain, struct err *e)
{
	uint64_t	 done = 0, chunk;

	while (done < count) {
		chunk = count - done;
		if (chunk > QUEUE_TEST_CHUNK)
			chunk = QUEUE_TEST_CHUNK;
		/* MariaDB's Sequence engine makes the rows server-side. */
		if (db_exec(db, e, NULL, NULL,
		    "INSERT INTO queue (payload_id, rcpt, rcpt_domain, "
		    "merge_fields) SELECT ?, CONCAT('test', ? + seq, '@', ?), "
		    "?, CONCAT('name=Test%20User%20', ? + seq, '&n=', ? + seq) "
		    "FROM seq_0_to_9999 WHERE seq < ?", "uussuuu", payload_id,
		    first + done, domain, domain, first + done, first + done,
		    chunk) == -1)
			return -1;
		done += chunk;
	}
	return 0;
}

int
db_queue_counts(struct db *db, struct queue_counts *c, struct err *e)
{
	struct dbq	*q;
	char		*s;
	uint64_t	 n;
	struct arena	*a;
	int		 rc, i;

	memset(c, 0, sizeof(*c));
	if ((a = arena_new(0)) == NULL)
		return err_set(e, ERR_ENV, "out of memory");
	/* "leased": in flight, held by a sender whose lease runs */
	q = db_query(db, a, e,
	    "SELECT IF(state IN ('queued', 'deferred') AND "
	    "lease_until > NOW(), 'leased', state) AS s, COUNT(*) "
	    "FROM queue GROUP BY s", "");
	if (q == NULL) {
		arena_free(a);
		return -1;
	}
	while ((rc = dbq_next(q, e, "su", &s, &n)) == 1)
		for (i = 0; i < 6; i++)
			if (s != NULL && strcmp(s, queue_state_names[i]) == 0)
				c->state[i] = n;
	dbq_close(q);
	if (rc == 0)
		rc = db_query_row(db, a, e,
		    "SELECT (SELECT COUNT(*) FROM queue WHERE state IN "
		    "('queued', 'deferred') AND due_at <= NOW() AND "
		    "lease_until <= NOW()), "
		    "(SELECT COUNT(*) FROM delivery_event), "
		    "(SELECT COUNT(*) FROM suppression)", "", "uuu", &c->due,
		    &c->events, &c->suppressions);
	arena_free(a);
	return rc == -1 ? -1 : 0;
}

/* Sending hours (migrations/0006_sending_hours.sql). */

const char *const queue_wday_names[7] = {
	"mon", "tue", "wed", "thu", "fri", "sat", "sun"
};

static bool
is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* A day name at *p (case-insensitive); advances. -1 when none. */
static int
hours_day(const char **p)
{
	int	 i, k;

	for (i = 0; i < 7; i++) {
		for (k = 0; k < 3; k++)
			if (((*p)[k] | 0x20) != queue_wday_names[i][k])
				break;
		if (k == 3) {
			*p += 3;
			return i;
		}
	}
	return -1;
}

/* "HH:MM" with HH 00..24 (24 only as 24:00); advances. -1 when bad. */
static int
hours_time(const char **p)
{
	const char	*s = *p;
	int		 h, m;

	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' ||
	    s[2] != ':' || s[3] < '0' || s[3] > '5' || s[4] < '0' ||
	    s[4] > '9')
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 24 || (h == 24 && m != 0))
		return -1;
	*p += 5;
	return h * 60 + m;
}

static int
hours_add(struct queue_hours *h, unsigned wday, unsigned start,
    unsigned end, const char *item, struct err *e)
{
	size_t	 i;

	for (i = 0; i < h->n; i++)
		if (h->span[i].wday == wday && start < h->span[i].end &&
		    h->span[i].start < end)
			return err_set(e, ERR_INPUT, "\"%s\": the hours of %s "
			    "overlap", item, queue_wday_names[wday]);
	if (h->n == QUEUE_SPANS_MAX)
		return err_set(e, ERR_INPUT, "more than %d spans a week",
		    QUEUE_SPANS_MAX);
	/* Insertion keeps (wday, start) order. */
	for (i = h->n; i > 0 && (h->span[i - 1].wday > wday ||
	    (h->span[i - 1].wday == wday && h->span[i - 1].start > start));
	    i--)
		h->span[i] = h->span[i - 1];
	h->span[i].wday = wday;
	h->span[i].start = start;
	h->span[i].end = end;
	h->n++;
	return 0;
}

int
db_queue_hours_parse(const char *text, struct queue_hours *h, struct err *e)
{
	char		 item[QUEUE_HOURS_TEXT_MAX];
	const char	*p = text, *q;
	size_t		 len;
	int		 d0, d1, t0, t1, d, nspan;

	memset(h, 0, sizeof(*h));
	if (text == NULL || strlen(text) >= QUEUE_HOURS_TEXT_MAX)
		return err_set(e, ERR_INPUT, "the hours are missing or longer "
		    "than %d characters", QUEUE_HOURS_TEXT_MAX - 1);
	for (;;) {
		while (is_space(*p))
			p++;
		if (*p == '\0')
			break;
		/* The item's own text, for messages. */
		for (q = p; *q != '\0' && *q != ','; q++)
			;
		len = (size_t)(q - p);
		while (len > 0 && is_space(p[len - 1]))
			len--;
		memcpy(item, p, len);
		item[len] = '\0';
		if (len >= 5 && strncasecmp(p, "daily", 5) == 0 &&
		    (p[5] == '\0' || is_space(p[5]))) {
			d0 = 0;
			d1 = 6;
			p += 5;
		} else {
			if ((d0 = hours_day(&p)) == -1)
				return err_set(e, ERR_INPUT, "\"%s\": expected "
				    "a day (mon, tue, wed, thu, fri, sat, sun) "
				    "or daily", item);
			d1 = d0;
			if (*p == '-' && (p++, (d1 = hours_day(&p)) == -1))
				return err_set(e, ERR_INPUT, "\"%s\": expected "
				    "a day after \"-\"", item);
		}
		if (!is_space(*p))
			return err_set(e, ERR_INPUT, "\"%s\": expected a space "
			    "and hours such as 09:00-18:00 after the days",
			    item);
		for (nspan = 0;; nspan++) {
			while (is_space(*p))
				p++;
			if (*p == ',' || *p == '\0')
				break;
			if ((t0 = hours_time(&p)) == -1 ||
			    t0 == QUEUE_DAY_MIN || *p++ != '-' ||
			    (t1 = hours_time(&p)) == -1 ||
			    (*p != '\0' && *p != ',' && !is_space(*p)))
				return err_set(e, ERR_INPUT, "\"%s\": hours "
				    "must read HH:MM-HH:MM (00:00 to 24:00)",
				    item);
			if (t0 == t1)
				return err_set(e, ERR_INPUT, "\"%s\": a span "
				    "must not be empty (start = end)", item);
			for (d = d0;; d = (d + 1) % 7) {
				/* An end before the start runs past midnight
				 * into the next day. */
				if (hours_add(h, (unsigned)d, (unsigned)t0,
				    t1 > t0 ? (unsigned)t1 : QUEUE_DAY_MIN,
				    item, e) == -1 || (t1 < t0 && t1 > 0 &&
				    hours_add(h, (unsigned)(d + 1) % 7, 0,
				    (unsigned)t1, item, e) == -1))
					return -1;
				if (d == d1)
					break;
			}
		}
		if (nspan == 0)
			return err_set(e, ERR_INPUT, "\"%s\": no hours after "
			    "the days", item);
		if (*p == ',')
			p++;
	}
	if (h->n == 0)
		return err_set(e, ERR_INPUT, "no sending hours: the window "
		    "would never open");
	return 0;
}

/* Spans of one day as "09:00-12:00 13:00-18:00" into buf. */
static void
hours_day_text(const struct queue_hours *h, unsigned wday, char *buf,
    size_t sz)
{
	size_t	 i, n = 0;
	int	 w;

	buf[0] = '\0';
	for (i = 0; i < h->n; i++) {
		if (h->span[i].wday != wday)
			continue;
		w = snprintf(buf + n, sz - n, "%s%02u:%02u-%02u:%02u",
		    n ? " " : "", h->span[i].start / 60, h->span[i].start % 60,
		    h->span[i].end / 60, h->span[i].end % 60);
		if (w < 0 || (size_t)w >= sz - n)
			return;
		n += (size_t)w;
	}
}

void
db_queue_hours_format(const struct queue_hours *h, char *out, size_t outsz)
{
	char		 day[7][QUEUE_SPANS_MAX * 12 + 1];
	unsigned	 d, d1;
	size_t		 n = 0;
	int		 w;

	if (outsz == 0)
		return;
	out[0] = '\0';
	for (d = 0; d < 7; d++)
		hours_day_text(h, d, day[d], sizeof(day[d]));
	for (d = 0; d < 7; d = d1 + 1) {
		for (d1 = d; d1 + 1 < 7 && strcmp(day[d1 + 1], day[d]) == 0;
		    d1++)
			;
		if (day[d][0] == '\0')
			continue;
		if (d1 == d)
			w = snprintf(out + n, outsz - n, "%s%s %s",
			    n ? ", " : "", queue_wday_names[d], day[d]);
		else
			w = snprintf(out + n, outsz - n, "%s%s-%s %s",
			    n ? ", " : "", queue_wday_names[d],
			    queue_wday_names[d1], day[d]);
		if (w < 0 || (size_t)w >= outsz - n)
			return;
		n += (size_t)w;
	}
}

bool
db_queue_tz_name_ok(const char *tz)
{
	size_t	 i, part = 0, n;

	if (tz == NULL || (n = strlen(tz)) == 0 || n > QUEUE_WINDOW_TZ_MAX)
		return false;
	for (i = 0; i <= n; i++) {
		char	 c = tz[i];

		if (c == '/' || c == '\0') {
			/* No empty, "." or ".." part: no way out of the
			 * zone directory. */
			if (part == 0 || tz[i - part] == '.')
				return false;
			part = 0;
			continue;
		}
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '+' ||
		    c == '-' || c == '.'))
			return false;
		part++;
	}
	return true;
}

int
db_queue_window_add(struct db *db, const char *name, const char *tz,
    const struct queue_hours *h, uint64_t *id, struct err *e)
{
	size_t	 i;

	if (db_begin(db, e) == -1)
		return -1;
	if (db_exec(db, e, NULL, id,
	    "INSERT INTO sending_window (name, tz) VALUES (?, ?)", "ss", name,
	    tz) == -1)
		goto fail;
	for (i = 0; i < h->n; i++)
		if (db_exec(db, e, NULL, NULL,
		    "INSERT INTO sending_window_span (window_id, weekday, "
		    "start_min, end_min) VALUES (?, ?, ?, ?)", "uiii", *id,
		    (int64_t)h->span[i].wday, (int64_t)h->span[i].start,
		    (int64_t)h->span[i].end) == -1)
			goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	return -1;
}

int
db_queue_window_find(struct db *db, const char *name, uint64_t *id,
    struct err *e)
{
	return db_query_row(db, NULL, e,
	    "SELECT id FROM sending_window WHERE name = ?", "s", "u", name, id);
}

/* The spans of window w->id, in (wday, start) order. */
static int
window_spans(struct db *db, struct arena *a, struct queue_window *w,
    struct err *e)
{
	struct dbq	*q;
	int64_t		 d, s, en;
	int		 rc;

	w->hours.n = 0;
	q = db_query(db, a, e,
	    "SELECT weekday, start_min, end_min FROM sending_window_span "
	    "WHERE window_id = ? ORDER BY weekday, start_min", "u", w->id);
	if (q == NULL)
		return -1;
	while ((rc = dbq_next(q, e, "iii", &d, &s, &en)) == 1) {
		if (w->hours.n == QUEUE_SPANS_MAX || d < 0 || d > 6 || s < 0 ||
		    en <= s || en > QUEUE_DAY_MIN)
			continue;	/* kept out by the CHECK constraint */
		w->hours.span[w->hours.n].wday = (unsigned)d;
		w->hours.span[w->hours.n].start = (unsigned)s;
		w->hours.span[w->hours.n].end = (unsigned)en;
		w->hours.n++;
	}
	dbq_close(q);
	return rc;
}

int
db_queue_window_get(struct db *db, struct arena *a, uint64_t id,
    struct queue_window *w, struct err *e)
{
	int	 rc;

	memset(w, 0, sizeof(*w));
	w->id = id;
	rc = db_query_row(db, a, e,
	    "SELECT name, tz FROM sending_window WHERE id = ?", "u", "ss", id,
	    &w->name, &w->tz);
	if (rc != 1)
		return rc;
	return window_spans(db, a, w, e) == -1 ? -1 : 1;
}

int
db_queue_window_list(struct db *db, struct arena *a,
    struct queue_window **out, size_t *n, struct err *e)
{
	struct dbq		*q;
	struct queue_window	*w = NULL;
	size_t			 cnt = 0, cap = 0, i;
	uint64_t		 id;
	char			*name, *tz;
	int			 rc;

	*n = 0;
	q = db_query(db, a, e,
	    "SELECT SQL_CACHE id, name, tz FROM sending_window "
	    "ORDER BY name", "");
	if (q == NULL)
		return -1;
	while ((rc = dbq_next(q, e, "uss", &id, &name, &tz)) == 1) {
		if (cnt == cap) {
			struct queue_window *nw;

			cap = cap ? cap * 2 : 16;
			if ((nw = arena_calloc(a, cap, sizeof(*nw))) == NULL) {
				dbq_close(q);
				return err_set(e, ERR_ENV, "out of memory");
			}
			if (cnt > 0)
				memcpy(nw, w, cnt * sizeof(*nw));
			w = nw;
		}
		w[cnt].id = id;
		w[cnt].name = name;
		w[cnt].tz = tz;
		cnt++;
	}
	dbq_close(q);
	if (rc == -1)
		return -1;
	for (i = 0; i < cnt; i++)
		if (window_spans(db, a, &w[i], e) == -1)
			return -1;
	*out = w;
	*n = cnt;
	return 0;
}
