/*
 * h_dashboard.c - the Dashboard: a welcome, the user's own security state
 * and, for administrators, a notice of open policy alerts (db_alert.h) and
 * a few figures with links.
 */
#include <string.h>

#include "../core/clock.h"
#include "../core/err.h"
#include "../db/db_alert.h"
#include "../db/db_audit.h"
#include "../db/db_user.h"
#include "../view/view.h"
#include "handlers.h"
#include "iprange.h"
#include "resp.h"
#include "timefmt.h"

int
h_dashboard_get(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "dashboard");
	struct user		 u;
	struct err		 e;

	err_clear(&e);
	if (d == NULL || db_user_by_id(r->db, r->a, r->sess.user.id, &u, &e) !=
	    1)
		return -1;
	view_set(d, "NAME", u.display_name[0] ? u.display_name : u.login);
	if (u.last_login_at != 0) {
		struct audit_filter	 f;
		struct audit_row	*v;
		struct view_dict	*s = view_section_add(d, "LAST_LOGIN");
		size_t			 n;
		char			 at[64];

		timefmt(u.last_login_at, u.tz, at, sizeof(at));
		view_set(s, "AT", at);
		/* The address of the latest sign-in, from the audit trail. */
		memset(&f, 0, sizeof(f));
		f.actor = u.login;
		f.action = "login";
		f.limit = 1;
		if (db_audit_list(r->db, r->a, &f, &v, &n, &e) == -1)
			return -1;
		view_set(s, "ADDR", n > 0 ? v[0].ip : "-");
	} else
		view_section_show(d, "FIRST_LOGIN");
	view_section_show(d, u.totp_enabled ? "TOTP_ON" : "TOTP_OFF");
	if (u.role == ROLE_ADMIN) {
		struct audit_filter	 f;
		int64_t			 admins, today, alerts;
		int64_t			 now = clock_now();
		struct view_dict	*fig = view_section_add(d,
					    "ADMIN_FIGURES");

		if (db_alert_open_count(r->db, &alerts, &e) == -1)
			return -1;
		if (alerts > 0)
			view_set_count(view_section_add(d, "ALERTS"),
			    "ALERT_COUNT", alerts, r->lang);

		memset(&f, 0, sizeof(f));
		f.since = now - 86400;
		if (db_user_count_admins(r->db, &admins, &e) == -1 ||
		    db_audit_count(r->db, &f, &today, &e) == -1)
			return -1;
		(void)admins;
		{
			struct user	*v;
			size_t		 n, i;
			int64_t		 active = 0;

			if (db_user_list(r->db, r->a, &v, &n, &e) == -1)
				return -1;
			for (i = 0; i < n; i++)
				active += v[i].active;
			view_set_count(fig, "USERS_ACTIVE", active, r->lang);
		}
		view_set_count(fig, "IP_RANGES", (int64_t)iprange_count(),
		    r->lang);
		view_set_count(fig, "AUDIT_TODAY", today, r->lang);
	}
	return resp_page(r, 200, "dashboard", d);
}
