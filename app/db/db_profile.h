/*
 * db_profile.h - domain profiles (per-destination delivery limits) and
 * traffic-shaping rules (migrations/0003_profiles.sql), read for the
 * sender (only enabled rows, rules in position order) and edited by the
 * delivery screens (every row, with CRUD). Rows are copied into the
 * caller's arena. Editors do not bump settings.delivery_version here: the
 * caller does (db_control_bump()) inside its own transaction.
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

/* A row as the delivery screens show and edit it (every column). */
struct db_profile_row {
	uint64_t	 id;
	char		*domain;
	int64_t		 max_conns;
	int64_t		 msgs_per_conn;
	int64_t		 msgs_per_min;
	int64_t		 slow_start;
	char		*tls_policy;
	int64_t		 enabled;	/* 0 or 1 */
	char		*note;
};

struct db_rule_row {
	uint64_t	 id;
	int64_t		 position;
	char		*domain;	/* "" any */
	int64_t		 code;
	char		*enhanced;
	char		*text;
	char		*action;	/* suspend/slow */
	char		*scope;		/* destination/campaign */
	int64_t		 seconds;
	int64_t		 enabled;
	char		*note;
};

/* Every profile by domain / every rule by position, id, enabled or not.
 * -1 with e set (ERR_TOO_LARGE past DB_PROFILE_ROWS_MAX). */
int	 db_profile_list_all(struct db *, struct arena *,
	    struct db_profile_row **out, size_t *n, struct err *)
	    __attribute__((warn_unused_result));
int	 db_profile_rule_list_all(struct db *, struct arena *,
	    struct db_rule_row **out, size_t *n, struct err *)
	    __attribute__((warn_unused_result));
/* One row by id: 1 found, 0 none, -1 error. */
int	 db_profile_get(struct db *, struct arena *, uint64_t id,
	    struct db_profile_row *, struct err *)
	    __attribute__((warn_unused_result));
int	 db_profile_rule_get(struct db *, struct arena *, uint64_t id,
	    struct db_rule_row *, struct err *)
	    __attribute__((warn_unused_result));
/* Insert (id into *id, may be NULL) or update by row->id (0 rows changed
 * is ERR_NOT_FOUND). A profile for a domain that has one already is
 * ERR_CONFLICT. */
int	 db_profile_insert(struct db *, const struct db_profile_row *,
	    uint64_t *id, struct err *) __attribute__((warn_unused_result));
int	 db_profile_update(struct db *, const struct db_profile_row *,
	    struct err *) __attribute__((warn_unused_result));
int	 db_profile_delete(struct db *, uint64_t id, struct err *)
	    __attribute__((warn_unused_result));
int	 db_profile_rule_insert(struct db *, const struct db_rule_row *,
	    uint64_t *id, struct err *) __attribute__((warn_unused_result));
int	 db_profile_rule_update(struct db *, const struct db_rule_row *,
	    struct err *) __attribute__((warn_unused_result));
int	 db_profile_rule_delete(struct db *, uint64_t id, struct err *)
	    __attribute__((warn_unused_result));
/* Is there another rule (id != except) matching the same replies the same
 * way (domain, code, enhanced, text, action, scope)? 1 yes, 0 no, -1. */
int	 db_profile_rule_exists(struct db *, const struct db_rule_row *,
	    uint64_t except, struct err *)
	    __attribute__((warn_unused_result));

#endif
