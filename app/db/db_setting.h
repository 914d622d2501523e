/*
 * db_setting.h - small site-wide settings (key → text value), e.g.
 * require_totp_admin.
 */
#ifndef DB_DB_SETTING_H
#define DB_DB_SETTING_H

#include <stdbool.h>

struct db;
struct err;

int	 db_setting_bool(struct db *, const char *key, bool *out, struct err *)
	    __attribute__((warn_unused_result));
int	 db_setting_set(struct db *, const char *key, const char *value,
	    struct err *) __attribute__((warn_unused_result));

#endif
