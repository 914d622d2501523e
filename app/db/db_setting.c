/*
 * db_setting.c - the settings table (see db_setting.h).
 */
#include <string.h>

#include "../core/err.h"
#include "db.h"
#include "db_setting.h"

int
db_setting_bool(struct db *db, const char *key, bool *out, struct err *e)
{
	int64_t	 v = 0;
	int	 rc;

	rc = db_query_row(db, NULL, e, "SELECT v FROM settings WHERE k = ?",
	    "s", "i", key, &v);
	*out = rc == 1 && v != 0;
	return rc == -1 ? -1 : 0;
}

int
db_setting_set(struct db *db, const char *key, const char *value,
    struct err *e)
{
	return db_exec(db, e, NULL, NULL, "INSERT INTO settings (k, v) "
	    "VALUES (?, ?) ON DUPLICATE KEY UPDATE v = VALUES(v)", "ss", key,
	    value);
}
