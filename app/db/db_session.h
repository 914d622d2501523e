/*
 * db_session.h - server-side sessions: only the SHA-256 of the token is
 * stored; the row carries the session's CSRF secret and stage.
 */
#ifndef DB_DB_SESSION_H
#define DB_DB_SESSION_H

#include <stdint.h>

#include "db_user.h"

struct arena;
struct db;
struct err;

enum session_stage { SESSION_FULL = 0, SESSION_NEED_TOTP = 1 };

struct session_row {
	uint64_t		 id;
	uint8_t			 csrf[32];
	enum session_stage	 stage;
	int64_t			 created_at;
	int64_t			 last_seen;
	struct user		 user;		/* the owner, joined */
};

int	 db_session_insert(struct db *, const uint8_t token_hash[32],
	    uint64_t user_id, const uint8_t csrf[32], enum session_stage,
	    const char *ip, const char *user_agent, struct err *)
	    __attribute__((warn_unused_result));
/* 1 found, 0 none, -1 error. */
int	 db_session_find(struct db *, struct arena *,
	    const uint8_t token_hash[32], struct session_row *, struct err *)
	    __attribute__((warn_unused_result));
int	 db_session_touch(struct db *, uint64_t id, int64_t now, struct err *)
	    __attribute__((warn_unused_result));
int	 db_session_set_stage(struct db *, uint64_t id, enum session_stage,
	    struct err *) __attribute__((warn_unused_result));
int	 db_session_delete(struct db *, uint64_t id, struct err *)
	    __attribute__((warn_unused_result));
/* Ends every session of a user except keep_id (0: all). */
int	 db_session_delete_user(struct db *, uint64_t user_id,
	    uint64_t keep_id, struct err *) __attribute__((warn_unused_result));
/* Removes sessions idle since before idle_before or created before
 * created_before. */
int	 db_session_purge(struct db *, int64_t idle_before,
	    int64_t created_before, struct err *)
	    __attribute__((warn_unused_result));

#endif
