/*
 * db_profile.h - domain profiles (per-destination delivery limits) and
 * traffic-shaping rules (migrations/0003_profiles.sql), read for the
 * sender. Rows are copied into the caller's arena; only enabled rows are
 * returned, rules in position order.
 */
#ifndef DB_DB_PROFILE_H
#define DB_DB_PROFILE_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;
struct err;

#define DB_PROFILE_ROWS_MAX	4096	/* more is refused, not truncated */

struct db_profile {
	uint64_t	 id;
	char		*domain;
	int64_t		 max_conns;
	int64_t		 msgs_per_conn;
	int64_t		 msgs_per_min;
	int64_t		 slow_start;
	char		*tls_policy;	/* none/opportunistic/required/verify */
};

struct db_shaping {
	uint64_t	 id;
	char		*domain;	/* "" any */
	int64_t		 code;
	char		*enhanced;
	char		*text;
	char		*action;	/* suspend/slow */
	char		*scope;		/* destination/campaign */
	int64_t		 seconds;
};

/* Enabled profiles into *out (arena a), count in *n. -1 with e set. */
int	 db_profile_load(struct db *, struct arena *a, struct db_profile **out,
	    size_t *n, struct err *) __attribute__((warn_unused_result));
/* Enabled shaping rules by position, id. -1 with e set. */
int	 db_profile_rules(struct db *, struct arena *a, struct db_shaping **out,
	    size_t *n, struct err *) __attribute__((warn_unused_result));

#endif
