/*
 * db_queue.h - the delivery queue (tables message_payload, queue,
 * delivery_event, suppression of migrations/0002_delivery.sql).
 *
 * States: queued → leased (claimed by one sender) → sent | deferred |
 * bounced | suppressed; deferred → leased again when due; a leased row
 * whose lease expired is due again (its sender died). docs/queue.md.
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
};

enum queue_fate {
	QUEUE_SENT,
	QUEUE_DEFERRED,		/* retry at next_attempt */
	QUEUE_BOUNCED,
	QUEUE_SUPPRESSED,	/* not sent: address suppressed */
	QUEUE_EXPIRED,		/* deferred past max_age: bounced */
	QUEUE_RELEASED,		/* not tried: lease given back */
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
	int64_t		 next_attempt;	/* epoch, QUEUE_DEFERRED only */
	bool		 suppress;	/* add rcpt to the suppression list */
};

/* Prepares a sender's connection: READ COMMITTED, so that claims and
 * result writes lock only the rows they touch (no gap locks). */
int	 db_queue_session(struct db *, struct err *)
	    __attribute__((warn_unused_result));

/*
 * Claims up to max due rows (SELECT ... FOR UPDATE SKIP LOCKED, then a
 * lease for owner of lease_s seconds) in one transaction. Rows go into
 * an arena array; *n may be 0.
 */
int	 db_queue_claim(struct db *, struct arena *, const char *owner,
	    int64_t lease_s, size_t max, struct queue_row **rows, size_t *n,
	    struct err *) __attribute__((warn_unused_result));

/* Writes n results in one transaction (never one per message): queue
 * rows, delivery events, suppression entries. Rows whose lease another
 * sender took meanwhile are left alone, except that "sent" always wins. */
int	 db_queue_results(struct db *, const char *owner,
	    const struct queue_result *, size_t n, struct err *)
	    __attribute__((warn_unused_result));

/* Gives back every row still leased by owner (shutdown); *n released. */
int	 db_queue_release_owner(struct db *, const char *owner, uint64_t *n,
	    struct err *) __attribute__((warn_unused_result));

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
					 * suppressed */
	uint64_t	 due;		/* could be claimed now */
	uint64_t	 events;
	uint64_t	 suppressions;
};
extern const char *const queue_state_names[6];
int	 db_queue_counts(struct db *, struct queue_counts *, struct err *)
	    __attribute__((warn_unused_result));

#endif
