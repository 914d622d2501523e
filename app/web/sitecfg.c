/*
 * sitecfg.c - cached site settings (see sitecfg.h).
 */
#include <stdatomic.h>

#include "../db/db_setting.h"
#include "sitecfg.h"

static atomic_bool	 require_totp_admin;

int
sitecfg_refresh(struct db *db, struct err *e)
{
	bool	 v;

	if (db_setting_bool(db, "require_totp_admin", &v, e) == -1)
		return -1;
	atomic_store(&require_totp_admin, v);
	return 0;
}

bool
sitecfg_require_totp_admin(void)
{
	return atomic_load(&require_totp_admin);
}

void
sitecfg_set_require_totp_admin(bool v)
{
	atomic_store(&require_totp_admin, v);
}
