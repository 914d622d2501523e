/*
 * sitecfg.h - site-wide settings every request may need (require a second
 * factor for administrators), cached in memory and refreshed with the
 * allow-list, so no request reads them from the database.
 */
#ifndef WEB_SITECFG_H
#define WEB_SITECFG_H

#include <stdbool.h>

struct db;
struct err;

int	 sitecfg_refresh(struct db *, struct err *)
	    __attribute__((warn_unused_result));
bool	 sitecfg_require_totp_admin(void);
void	 sitecfg_set_require_totp_admin(bool);

#endif
