/*
 * h_security.c - the Security settings screen (administrators): whether
 * every administrator must use a second factor.
 */
#include "../core/err.h"
#include "../db/db_setting.h"
#include "../db/db_user.h"
#include "../view/view.h"
#include "audit.h"
#include "form.h"
#include "handlers.h"
#include "resp.h"
#include "sitecfg.h"

static int
page(struct req *r, struct view_dict *d, int status)
{
	struct user	*v;
	struct err	 e;
	size_t		 n, i;
	bool		 without = false;

	err_clear(&e);
	if (db_user_list(r->db, r->a, &v, &n, &e) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (v[i].role == ROLE_ADMIN && v[i].active &&
		    !v[i].totp_enabled)
			without = true;
	view_section_show_if(d, "REQUIRE_TOTP_ADMIN",
	    sitecfg_require_totp_admin());
	view_section_show_if(d, "ADMINS_WITHOUT_TOTP", without);
	return resp_page(r, status, "security", d);
}

int
h_security_get(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "security");

	return d == NULL ? -1 : page(r, d, 200);
}

int
h_security_post(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "security");
	struct form_check	 f;
	struct err		 e;
	bool			 on;

	if (d == NULL)
		return -1;
	err_clear(&e);
	form_begin(&f, r, d);
	on = form_checkbox(&f, "require_totp_admin");
	if (db_setting_set(r->db, "require_totp_admin", on ? "1" : "0", &e) ==
	    -1 || audit(r, "settings_changed", "require_totp_admin", "%s",
	    on ? "on" : "off") == -1)
		return -1;
	sitecfg_set_require_totp_admin(on);
	resp_flash(r, "ok", "flash.security_saved");
	return resp_redirect(r, "/admin/security");
}
