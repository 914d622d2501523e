/*
 * db_queue.h - the delivery queue (tables message_payload, queue,
 * delivery_event, suppression of migrations/0002_delivery.sql).
 *
 * States: queued → sent | deferred | bounced | suppressed; deferred →
 * sent | deferred | … when due again. A sender holds the rows it claimed
 * with a lease (lease_id, lease_until: migrations/0009), written in place;
 * a row whose lease ended is due again (its sender died). docs/queue.md.
 *
 * Sending hours (migrations/0006_sending_hours.sql): a payload may follow
 * a named sending window, a weekly schedule of allowed spans in one time
 * zone. The schedule's text form ("mon-fri 09:00-20:00, sat 10:00-18:00")
 * is parsed here, beside its table, so that CLI and screens share one
 * strict parser; the time arithmetic lives in the sender (window.h).
 */
#ifndef DB_DB_QUEUE_H
#define DB_DB_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;
struct err;

#define QUEUE_CLAIM_MAX		10000	/* rows per claim (sender.batch) */
#define QUEUE_REPLY_MAX		512	/* stored reply text */
#define QUEUE_TEST_CHUNK	10000	/* rows per enqueue-test INSERT */

/* A claimed row. Strings live in the caller's arena. */
struct queue_row {
	uint64_t	 id;
	uint64_t	 payload_id;
	uint64_t	 campaign_id;	/* 0: transactional */
	char		*rcpt;
	char		*rcpt_domain;
	char		*merge;		/* urlencoded "k=v&k=v", may be NULL */
	unsigned	 attempts;	/* tries before this one */
	int64_t		 created;	/* epoch seconds */
	bool		 suppressed;	/* address is on the suppression list */
};

/* What to send: templates and envelope. */
struct queue_payload {
	uint64_t	 id;
	const char	*kind;		/* transactional, test, campaign */
	const char	*mail_from;
	const char	*from_name;
	const char	*reply_to;
	const char	*subject_tpl;
	const char	*text_tpl;	/* NULL: none */
	const char	*html_tpl;	/* NULL: none */
	const char	*token;		/* 16 chars, for Message-IDs */
	uint64_t	 domain_id;	/* 0: none */
	uint64_t	 window_id;	/* sending hours; 0: any time */
};

enum queue_fate {
	QUEUE_SENT,
	QUEUE_DEFERRED,		/* retry at next_attempt */
	QUEUE_BOUNCED,
	QUEUE_SUPPRESSED,	/* not sent: address suppressed */
	QUEUE_EXPIRED,		/* deferred past max_age: bounced */
	QUEUE_RELEASED,		/* not tried: lease given back */
	QUEUE_HELD,		/* not tried: outside sending hours, due
				 * again at next_attempt; no event */
	QUEUE_FATE__MAX
};

extern const char *const queue_fate_names[QUEUE_FATE__MAX];

/* One outcome to write back. Strings are the caller's (may be NULL). */
struct queue_result {
	uint64_t	 id;
	enum queue_fate	 fate;
	int		 code;
	const char	*enhanced;
	const char	*reply;
	const char	*mx;
	const char	*tls;
	const char	*rcpt;		/* for the suppression list */
	int64_t		 next_attempt;	/* epoch, QUEUE_DEFERRED, QUEUE_HELD */
	bool		 suppress;	/* add rcpt to the suppression list */
};

/* Who holds leases: one sender process (db_queue_instance). */
struct queue_holder {
	uint64_t	 lease;		/* sender_instance.id, never 0 */
	const char	*name;		/* sender.id or host:pid */
};

/* Registers a sender process: a fresh random lease id recorded with its
 * name in sender_instance. */
int	 db_queue_instance(struct db *, const char *name,
	    struct queue_holder *, struct err *)
	    __attribute__((warn_unused_result));

/* Prepares a sender's connection: READ COMMITTED, so that claims and
 * result writes lock only the rows they touch (no gap locks). */
int	 db_queue_session(struct db *, struct err *)
	    __attribute__((warn_unused_result));

/*
 * Claims up to max due rows (SELECT ... FOR UPDATE SKIP LOCKED, then a
 * lease for h of lease_s seconds) in one transaction. Rows go into an
 * arena array; *n may be 0.
 */
int	 db_queue_claim(struct db *, struct arena *,
	    const struct queue_holder *h,
	    int64_t lease_s, size_t max, struct queue_row **rows, size_t *n,
	    struct err *) __attribute__((warn_unused_result));

/*
 * Where a sender's claims resume in the queued part of the claim index.
 * A sent row leaves a delete-marked index entry behind until InnoDB's
 * purge removes it, and rows in flight stay where they were (a lease does
 * not move them): a scan from the start walks (and locks) every one of
 * them, in a campaign tens of thousands per claim. The cursor starts after
 * the last queued row claimed; it goes back to the start when a claim
 * comes up short and every QUEUE_CURSOR_RESCAN claims, so rows that became
 * due behind it (released, lease ended) are found. Deferred rows are
 * always looked for from the start.
 */
#define QUEUE_CURSOR_DUE	24
struct queue_cursor {
	char		 due[QUEUE_CURSOR_DUE];	/* as MariaDB prints */
	uint64_t	 id;
	unsigned	 claims;
};
#define QUEUE_CURSOR_RESCAN	64

/* db_queue_claim resuming at *cur (NULL or due "": from the start); moves
 * it past the rows claimed. */
int	 db_queue_claim_from(struct db *, struct arena *,
	    const struct queue_holder *h,
	    int64_t lease_s, size_t max, struct queue_cursor *cur,
	    struct queue_row **rows, size_t *n, struct err *)
	    __attribute__((warn_unused_result));

/* Writes n results in one transaction (never one per message): queue
 * rows, delivery events, suppression entries. Rows whose lease another
 * sender took meanwhile are left alone, except that "sent" always wins. */
int	 db_queue_results(struct db *, const struct queue_holder *h,
	    const struct queue_result *, size_t n, struct err *)
	    __attribute__((warn_unused_result));

/* Gives back every row h still holds among ids from from_id up (the
 * lowest id it claimed: a primary key range, not the whole table), at
 * shutdown; *n released. */
int	 db_queue_release_owner(struct db *, const struct queue_holder *h,
	    uint64_t from_id, uint64_t *n, struct err *)
	    __attribute__((warn_unused_result));

/* Loads one payload into the arena; 1 found, 0 not, -1 error. */
int	 db_queue_payload(struct db *, struct arena *, uint64_t id,
	    struct queue_payload *, struct err *)
	    __attribute__((warn_unused_result));
/* Stores a payload (token must be 16 characters); *id set. */
int	 db_queue_payload_add(struct db *, const struct queue_payload *,
	    uint64_t *id, struct err *) __attribute__((warn_unused_result));
/* Puts one recipient on the queue, due now. */
int	 db_queue_add(struct db *, uint64_t payload_id, uint64_t campaign_id,
	    const char *rcpt, const char *rcpt_domain, const char *merge,
	    uint64_t *id, struct err *) __attribute__((warn_unused_result));
/*
 * Puts count synthetic recipients test<first+i>@domain (merge fields
 * name=Test User <i>, n=<i>) on the queue with set-based INSERTs of
 * QUEUE_TEST_CHUNK rows, one transaction per chunk.
 */
int	 db_queue_add_test(struct db *, uint64_t payload_id, uint64_t first,
	    uint64_t count, const char *domain, struct err *)
	    __attribute__((warn_unused_result));

struct queue_counts {
	uint64_t	 state[6];	/* queued leased deferred sent bounced
					 * suppressed; "leased": queued or
					 * deferred and held by a sender */
	uint64_t	 due;		/* could be claimed now */
	uint64_t	 events;
	uint64_t	 suppressions;
};
extern const char *const queue_state_names[6];
int	 db_queue_counts(struct db *, struct queue_counts *, struct err *)
	    __attribute__((warn_unused_result));

/* Sending hours. */
#define QUEUE_WINDOW_NAME_MAX	64
#define QUEUE_WINDOW_TZ_MAX	64
#define QUEUE_HOURS_TEXT_MAX	1024	/* the text form */
#define QUEUE_SPANS_MAX		56	/* spans per week (8 a day) */
#define QUEUE_DAY_MIN		1440	/* minutes in a day */

/* Allowed local wall-clock minutes [start, end) of one weekday. */
struct queue_span {
	unsigned	 wday;		/* 0 Monday .. 6 Sunday */
	unsigned	 start;		/* 0 .. 1439 */
	unsigned	 end;		/* start + 1 .. 1440 */
};

/* A week of spans, sorted by (wday, start), never overlapping. */
struct queue_hours {
	struct queue_span span[QUEUE_SPANS_MAX];
	size_t		 n;
};

struct queue_window {
	uint64_t	 id;
	char		*name;
	char		*tz;		/* IANA zone, e.g. Asia/Tokyo */
	struct queue_hours hours;
};

extern const char *const queue_wday_names[7];	/* "mon" .. "sun" */

/*
 * Parses the text form of a schedule, strictly: comma-separated items,
 * each a day or day range ("mon", "mon-fri", "fri-mon" wraps, or
 * "daily") and one or more HH:MM-HH:MM spans separated by spaces. 24:00
 * ends a day; an end before the start runs into the next day
 * ("22:00-06:00" allows the night). Spans of a day must not overlap; an
 * empty schedule (never open) is refused. -1 with a sentence in e.
 */
int	 db_queue_hours_parse(const char *text, struct queue_hours *,
	    struct err *) __attribute__((warn_unused_result));
/* The canonical text form ("mon-fri 09:00-20:00, sat 10:00-18:00"),
 * days with equal spans grouped; NUL-terminated, truncated to outsz. */
void	 db_queue_hours_format(const struct queue_hours *, char *out,
	    size_t outsz);
/* True for a name the zone database could hold: [A-Za-z0-9_+-] parts
 * separated by '/', no "." or ".." part, at most QUEUE_WINDOW_TZ_MAX. */
bool	 db_queue_tz_name_ok(const char *);

/* Stores a window with its spans in one transaction; ERR_CONFLICT when
 * the name is taken. *id set. */
int	 db_queue_window_add(struct db *, const char *name, const char *tz,
	    const struct queue_hours *, uint64_t *id, struct err *)
	    __attribute__((warn_unused_result));
/* Finds a window by name: 1 found (*id set), 0 not, -1 error. */
int	 db_queue_window_find(struct db *, const char *name, uint64_t *id,
	    struct err *) __attribute__((warn_unused_result));
/* Loads a window with its spans into the arena: 1, 0 not found, -1. */
int	 db_queue_window_get(struct db *, struct arena *, uint64_t id,
	    struct queue_window *, struct err *)
	    __attribute__((warn_unused_result));
/* Every window, by name, into an arena array. */
int	 db_queue_window_list(struct db *, struct arena *,
	    struct queue_window **, size_t *n, struct err *)
	    __attribute__((warn_unused_result));

#endif
