/*
 * db_user.h - the users table: accounts, roles, password hashes, second
 * factor state and recovery codes.
 */
#ifndef DB_DB_USER_H
#define DB_DB_USER_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/str.h"

struct arena;
struct db;
struct err;

#define USER_LOGIN_MAX	64
#define USER_NAME_MAX	128

enum role { ROLE_NONE = 0, ROLE_EDITOR, ROLE_ADMIN, ROLE__MAX };

struct user {
	uint64_t	 id;
	char		*login;
	char		*display_name;
	enum role	 role;
	char		*password_hash;
	bool		 must_change;
	bool		 active;
	char		*lang;		/* NULL: from the browser */
	char		*tz;
	struct str	 totp_secret;	/* sealed; empty when none */
	bool		 totp_enabled;
	int64_t		 totp_last_step;
	int64_t		 created_at;
	int64_t		 last_login_at;	/* 0: never */
};

const char	*role_name(enum role);		/* "admin", "editor" */
enum role	 role_parse(const char *);	/* ROLE_NONE if unknown */

/* 1 found, 0 not found, -1 error. Strings live in arena a. */
int	 db_user_by_login(struct db *, struct arena *a, const char *login,
	    struct user *, struct err *) __attribute__((warn_unused_result));
int	 db_user_by_id(struct db *, struct arena *a, uint64_t id,
	    struct user *, struct err *) __attribute__((warn_unused_result));
/* All users ordered by login, into an arena array; without the password
 * hash and the TOTP secret (NULL in the list). */
int	 db_user_list(struct db *, struct arena *a, struct user **out,
	    size_t *n, struct err *) __attribute__((warn_unused_result));
/* Inserts; ERR_CONFLICT when the login exists. */
int	 db_user_insert(struct db *, const char *login, const char *name,
	    enum role, const char *hash, bool must_change, uint64_t *id,
	    struct err *) __attribute__((warn_unused_result));
int	 db_user_update(struct db *, uint64_t id, const char *name,
	    enum role, bool active, struct err *)
	    __attribute__((warn_unused_result));
int	 db_user_set_password(struct db *, uint64_t id, const char *hash,
	    bool must_change, struct err *) __attribute__((warn_unused_result));
int	 db_user_set_prefs(struct db *, uint64_t id, const char *lang,
	    const char *tz, struct err *) __attribute__((warn_unused_result));
int	 db_user_set_active(struct db *, uint64_t id, bool active,
	    struct err *) __attribute__((warn_unused_result));
int	 db_user_touch_login(struct db *, uint64_t id, struct err *)
	    __attribute__((warn_unused_result));
/* Second factor: sealed secret (enabled=false while pending), step. */
int	 db_user_set_totp(struct db *, uint64_t id, const void *sealed,
	    size_t n, bool enabled, struct err *)
	    __attribute__((warn_unused_result));
/* Sets the last used step only if it grows (replay guard across threads);
 * *ok false when another request used this step or a later one. */
int	 db_user_use_totp_step(struct db *, uint64_t id, int64_t step,
	    bool *ok, struct err *) __attribute__((warn_unused_result));
int	 db_user_count_admins(struct db *, int64_t *n, struct err *)
	    __attribute__((warn_unused_result));

/* Recovery codes: replaces all of the user's codes with these hashes. */
int	 db_recovery_replace(struct db *, uint64_t user_id,
	    const uint8_t (*hashes)[32], size_t n, struct err *)
	    __attribute__((warn_unused_result));
/* Marks the code used; *ok false when no unused code has that hash. */
int	 db_recovery_use(struct db *, uint64_t user_id, const uint8_t hash[32],
	    bool *ok, struct err *) __attribute__((warn_unused_result));

#endif
