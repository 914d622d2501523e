/*
 * h_audit.c - the Audit log screen (administrators): newest first, filters
 * by actor, action and day (in the viewer's zone), keyset paging.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/arena.h"
#include "../core/err.h"
#include "../core/num.h"
#include "../db/db_audit.h"
#include "../view/i18n.h"
#include "../view/view.h"
#include "handlers.h"
#include "resp.h"
#include "timefmt.h"

#define AUDIT_PAGE	50

static const char *const actions[] = {
	"login", "login_password", "login_failed", "login_throttled",
	"login_totp_failed", "logout", "password_changed", "password_reset",
	"user_created", "user_updated", "user_enabled", "user_disabled",
	"ip_added", "ip_changed", "ip_removed", "totp_enabled",
	"totp_disabled", "settings_changed", "prefs_changed",
	"delivery_profile_added", "delivery_profile_changed",
	"delivery_profile_deleted", "delivery_rule_added",
	"delivery_rule_changed", "delivery_rule_deleted", "delivery_lift",
	"delivery_alert_ack", NULL,
};

/* "YYYY-MM-DD" in the viewer's zone → [since, until) in Unix time. */
static int
day_range(const char *day, const char *tz, int64_t *since, int64_t *until)
{
	struct tm	 tm;
	int		 y, m, dd;
	int64_t		 t;

	if (strlen(day) != 10 || sscanf(day, "%4d-%2d-%2d", &y, &m, &dd) != 3 ||
	    m < 1 || m > 12 || dd < 1 || dd > 31 || y < 2000 || y > 2999)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = dd;
	t = (int64_t)timegm(&tm);
	*since = t - timefmt_offset(t, tz);
	*until = *since + 86400;
	return 0;
}

static char *
page_href(struct req *r, const char *actor, const char *action,
    const char *day, const char *key, uint64_t id)
{
	/* Values are from our own allow-list of characters (checked below)
	 * except the actor, which is percent-encoded. */
	struct sbuf	 b;
	const char	*p;

	sbuf_init(&b, r->a, 1024);
	sbuf_printf(&b, "/admin/audit?%s=%llu", key, (unsigned long long)id);
	if (actor[0] != '\0') {
		sbuf_puts(&b, "&actor=");
		for (p = actor; *p != '\0'; p++) {
			unsigned char	 c = (unsigned char)*p;

			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || strchr("._-@", c))
				sbuf_putc(&b, (char)c);
			else
				sbuf_printf(&b, "%%%02X", c);
		}
	}
	if (action[0] != '\0')
		sbuf_printf(&b, "&action=%s", action);
	if (day[0] != '\0')
		sbuf_printf(&b, "&date=%s", day);
	return b.p;
}

int
h_audit_list(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "audit");
	struct audit_filter	 f;
	struct audit_row	*v;
	const char		*actor = req_query(r, "actor");
	const char		*action = req_query(r, "action");
	const char		*day = req_query(r, "date");
	const char		*tz = r->sess.user.tz;
	struct err		 e;
	size_t			 n, i, shown;
	int64_t			 total;
	uint64_t		 id;
	bool			 more, ok_action = false;

	if (d == NULL)
		return -1;
	err_clear(&e);
	memset(&f, 0, sizeof(f));
	f.limit = AUDIT_PAGE;
	if (strlen(actor) > 64) {
		view_field_error(d, "actor", i18n_text(r->lang,
		    "form.too_long"));
		actor = "";
	}
	for (i = 0; actions[i] != NULL; i++) {
		struct view_dict *o = view_section_add(d, "ACTION_OPTION");

		view_set(o, "VALUE", actions[i]);
		view_set(o, "LABEL", actions[i]);
		if (strcmp(actions[i], action) == 0) {
			view_section_show(o, "SELECTED");
			ok_action = true;
		}
	}
	if (!ok_action)
		action = "";
	if (day[0] != '\0' && day_range(day, tz, &f.since, &f.until) == -1) {
		view_field_error(d, "date", i18n_text(r->lang,
		    "audit.bad_date"));
		day = "";
	}
	f.actor = actor;
	f.action = action;
	if (num_parse_u64(str_from(req_query(r, "before")), 1, UINT64_MAX,
	    &id) == 0)
		f.before_id = id;
	else if (num_parse_u64(str_from(req_query(r, "after")), 1,
	    UINT64_MAX, &id) == 0)
		f.after_id = id;
	if (db_audit_list(r->db, r->a, &f, &v, &n, &e) == -1 ||
	    db_audit_count(r->db, &f, &total, &e) == -1)
		return -1;
	view_set(d, "ZONE", tz);
	view_set(d, "F_ACTOR", actor);
	view_set(d, "F_DATE", day);
	view_set_count(d, "COUNT", total, r->lang);
	more = n > AUDIT_PAGE;
	shown = more ? AUDIT_PAGE : n;
	/* A "previous" page came back oldest-first and was reversed; its
	 * extra row is the newest one, at the top. */
	if (f.after_id != 0 && more)
		v++;
	view_section_show(d, shown == 0 ? "EMPTY" : "HAS_ROWS");
	for (i = 0; i < shown; i++) {
		struct view_dict	*row = view_section_add(d, "ROW");
		char			 at[64];

		timefmt(v[i].at, tz, at, sizeof(at));
		view_set(row, "A_AT", at);
		view_set(row, "A_ACTOR", v[i].actor);
		view_set(row, "A_ADDR", v[i].ip);
		view_set(row, "A_ACTION", v[i].action);
		view_set(row, "A_DETAIL", v[i].target[0] ? arena_printf(r->a,
		    "%s: %s", v[i].target, v[i].detail) : v[i].detail);
	}
	if (shown > 0) {
		bool	 newer = f.before_id != 0 || (f.after_id != 0 && more);
		bool	 older = f.after_id != 0 || more;

		if (newer)
			view_set(view_section_add(d, "NEWER"), "HREF",
			    page_href(r, actor, action, day, "after", v[0].id));
		if (older)
			view_set(view_section_add(d, "OLDER"), "HREF",
			    page_href(r, actor, action, day, "before",
			    v[shown - 1].id));
	}
	return resp_page(r, 200, "audit", d);
}
