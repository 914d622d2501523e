/*
 * sesscache.h - a short-lived in-process cache of session lookups, so a
 * signed-in page does not pay a database round trip for its session on
 * every request. Entries live SESSCACHE_TTL seconds; every change this
 * process makes to a session or a user drops the affected entries at once.
 * Changes made by another process (the CLI, another web host) are seen
 * within SESSCACHE_TTL (docs/security.md).
 */
#ifndef WEB_SESSCACHE_H
#define WEB_SESSCACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/db_session.h"

struct arena;

#define SESSCACHE_SLOTS	4096	/* power of two */
#define SESSCACHE_TTL	5	/* seconds an entry is trusted */

/* Copies a fresh entry for hash into *out (strings into arena a). */
bool	 sesscache_get(const uint8_t hash[32], int64_t now, struct arena *a,
	    struct session_row *out);
void	 sesscache_put(const uint8_t hash[32], int64_t now,
	    const struct session_row *);
void	 sesscache_touch(uint64_t session_id, int64_t last_seen);
void	 sesscache_drop_session(uint64_t session_id);
void	 sesscache_drop_user(uint64_t user_id);

#endif
