/*
 * db_control.h - live delivery control (migrations/0005_delivery_control.sql):
 * the delivery_version setting that every profile or rule change bumps, the
 * shaping state the senders publish (shaping_state) and the lift requests
 * of the screen (shaping_lift). Strings are copied into the caller's arena.
 */
#ifndef DB_DB_CONTROL_H
#define DB_DB_CONTROL_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;
struct err;

#define DB_CONTROL_STATE_MAX	2000	/* rows shown / read at once */
#define DB_CONTROL_LIFTS_MAX	100	/* lift requests read per cycle */
#define DB_CONTROL_REASON_MAX	512	/* shaping_state.reason */
#define DB_CONTROL_STALE_S	60	/* a row not refreshed for this long
					   belongs to a sender that is gone */

struct db_shaping_state {
	char		*destination;
	char		*campaign;	/* "" the whole destination */
	char		*action;	/* suspend/slow */
	int64_t		 until_at;	/* Unix seconds */
	char		*reason;	/* the reply that caused it */
	char		*sender;
	int64_t		 updated_at;
};

struct db_shaping_lift {
	uint64_t	 id;
	char		*destination;
	char		*campaign;
	char		*requested_by;
	int64_t		 requested_at;
};

/* settings.delivery_version into *v (0 when the row is missing). */
int	 db_control_version(struct db *, int64_t *v, struct err *)
	    __attribute__((warn_unused_result));
/* Bumps it; call inside the transaction that changed a profile or rule. */
int	 db_control_bump(struct db *, struct err *)
	    __attribute__((warn_unused_result));

/* Writes (replaces) one row of the sender's current state; the text
 * columns are cut to their sizes by the caller. */
int	 db_control_state_put(struct db *, const char *destination,
	    const char *campaign, const char *action, int64_t until_at,
	    const char *reason, const char *sender, int64_t now, struct err *)
	    __attribute__((warn_unused_result));
/* Deletes this sender's rows not written since `since`, and every row
 * (of any sender) that ended before now or was not refreshed for
 * DB_CONTROL_STALE_S (its sender stopped or lost the database). */
int	 db_control_state_prune(struct db *, const char *sender,
	    int64_t since, int64_t now, struct err *)
	    __attribute__((warn_unused_result));
/* Rows still in force at now and fresh, by destination, campaign. */
int	 db_control_state_list(struct db *, struct arena *, int64_t now,
	    struct db_shaping_state **out, size_t *n, struct err *)
	    __attribute__((warn_unused_result));

/* A lift request from the screen. */
int	 db_control_lift_add(struct db *, const char *destination,
	    const char *campaign, const char *by, int64_t now, struct err *)
	    __attribute__((warn_unused_result));
/* The highest request id so far (a starting sender skips older ones). */
int	 db_control_lift_last(struct db *, uint64_t *id, struct err *)
	    __attribute__((warn_unused_result));
/* Requests with id > after, oldest first, at most DB_CONTROL_LIFTS_MAX. */
int	 db_control_lift_since(struct db *, struct arena *, uint64_t after,
	    struct db_shaping_lift **out, size_t *n, struct err *)
	    __attribute__((warn_unused_result));
/* Marks a request done (the first sender that applied it sets the time). */
int	 db_control_lift_done(struct db *, uint64_t id, int64_t now,
	    struct err *) __attribute__((warn_unused_result));

#endif
