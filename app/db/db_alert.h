/*
 * db_alert.h - alerts for administrators (table alert of
 * migrations/0008_alerts.sql): tegami-sender raises one when a
 * destination refuses mail by policy (RFC 3463 X.7.x); the screens list
 * the open ones and an administrator acknowledges them.
 *
 * De-duplication: while an alert is open there is one row per (kind,
 * domain, enhanced code); raising it again adds to its count and moves
 * last_seen (and keeps the latest reply). After an acknowledgement the
 * next raise opens a new row. Times are Unix seconds of the database
 * server's clock. Strings are copied into the caller's arena.
 */
#ifndef DB_DB_ALERT_H
#define DB_DB_ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;
struct err;

#define DB_ALERT_DOMAIN_MAX	253	/* alert.domain */
#define DB_ALERT_ENHANCED_MAX	15	/* alert.enhanced */
#define DB_ALERT_REPLY_MAX	512	/* alert.reply, characters */
#define DB_ALERT_LIST_MAX	500	/* rows one list returns at most */

enum db_alert_kind {
	DB_ALERT_POLICY,	/* X.7.x: policy or authentication refusal */
	DB_ALERT__MAX
};

/* "policy", ... as stored in alert.kind. */
extern const char *const db_alert_kind_names[DB_ALERT__MAX];

struct db_alert {
	uint64_t		 id;
	enum db_alert_kind	 kind;
	char			*domain;	/* recipient domain */
	int			 code;		/* SMTP reply code */
	char			*enhanced;	/* "5.7.1", "" if none */
	char			*reply;		/* latest reply text */
	int64_t			 first_seen;
	int64_t			 last_seen;
	uint64_t		 count;		/* refusals seen */
	int64_t			 acked_at;	/* 0: open */
	uint64_t		 acked_by;	/* user id, 0: none */
};

/*
 * Raises (or grows) the open alert of (kind, domain, enhanced) by one:
 * a new row with count 1, or count + 1, last_seen now and the new code
 * and reply on the open row. A reply longer than DB_ALERT_REPLY_MAX is
 * cut (on a character boundary); a domain or enhanced code over its
 * size is refused (ERR_INPUT). One statement: the caller decides about
 * the transaction.
 */
int	 db_alert_raise(struct db *, enum db_alert_kind, const char *domain,
	    int code, const char *enhanced, const char *reply, struct err *)
	    __attribute__((warn_unused_result));
/* The same for n refusals at once (a sender's batch): count grows by n
 * (n >= 1). */
int	 db_alert_raise_n(struct db *, enum db_alert_kind, const char *domain,
	    int code, const char *enhanced, const char *reply, uint64_t n,
	    struct err *) __attribute__((warn_unused_result));

/*
 * Lists alerts into an arena array: open_only, the open ones (most
 * recently seen first); otherwise every alert, open ones first, then
 * acknowledged ones newest first. At most limit rows (capped at
 * DB_ALERT_LIST_MAX; 0 means that cap). *n may be 0.
 */
int	 db_alert_list(struct db *, struct arena *, bool open_only,
	    size_t limit, struct db_alert **out, size_t *n, struct err *)
	    __attribute__((warn_unused_result));

/* One alert by id: 1 found, 0 none, -1 error. */
int	 db_alert_get(struct db *, struct arena *, uint64_t id,
	    struct db_alert *, struct err *)
	    __attribute__((warn_unused_result));

/*
 * Acknowledges an open alert for user_id: sets acked_at and acked_by
 * and closes it (a later raise opens a new row). 1 acknowledged, 0 when
 * there is no open alert with that id (unknown or acknowledged already),
 * -1 error.
 */
int	 db_alert_ack(struct db *, uint64_t id, uint64_t user_id,
	    struct err *) __attribute__((warn_unused_result));

/* Open alerts of every kind into *n. */
int	 db_alert_open_count(struct db *, int64_t *n, struct err *)
	    __attribute__((warn_unused_result));

#endif
