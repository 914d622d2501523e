/*
 * h_alert.c - policy alerts on the Delivery screen (administrators): the
 * open alerts the senders raised when a destination refused mail by policy
 * (5.7.x, 4.7.x: db_alert.h), and acknowledging one, audited in the same
 * transaction.
 */
#include <stdio.h>
#include <string.h>

#include "../core/arena.h"
#include "../core/err.h"
#include "../core/log.h"
#include "../db/db.h"
#include "../db/db_alert.h"
#include "../view/view.h"
#include "audit.h"
#include "h_alert.h"
#include "handlers.h"
#include "resp.h"
#include "timefmt.h"

int
h_alert_rows(struct req *r, struct view_dict *d)
{
	struct db_alert	*v;
	struct err	 e;
	int64_t		 open = 0;
	size_t		 n, i;

	err_clear(&e);
	if (db_alert_open_count(r->db, &open, &e) == -1 ||
	    db_alert_list(r->db, r->a, true, H_ALERT_LIST_MAX, &v, &n,
	    &e) == -1) {
		log_err("delivery: alerts: %s", e.msg);
		return -1;
	}
	view_set_count(d, "ALERT_COUNT", open, r->lang);
	view_section_show(d, n == 0 ? "ALERTS_EMPTY" : "HAS_ALERTS");
	view_section_show_if(d, "ALERTS_MORE", (int64_t)n < open);
	view_set_count(d, "ALERT_SHOWN", (int64_t)n, r->lang);
	for (i = 0; i < n; i++) {
		struct view_dict	*row = view_section_add(d, "ALERT");
		char			 at[64];

		view_set_int(row, "A_ID", (int64_t)v[i].id);
		timefmt(v[i].first_seen, r->sess.user.tz, at, sizeof(at));
		view_set(row, "A_FIRST_SEEN", at);
		timefmt(v[i].last_seen, r->sess.user.tz, at, sizeof(at));
		view_set(row, "A_LAST_SEEN", at);
		view_set(row, "A_DOMAIN", v[i].domain);
		view_set_int(row, "A_CODE", v[i].code);
		view_set(row, "A_ENHANCED", v[i].enhanced);
		view_set(row, "A_REPLY", v[i].reply);
		view_set_count(row, "A_COUNT", (int64_t)v[i].count, r->lang);
	}
	return 0;
}

int
h_delivery_alert_ack(struct req *r)
{
	struct db_alert	 v;
	struct err	 e;
	int		 rc;

	err_clear(&e);
	if ((rc = db_alert_get(r->db, r->a, r->arg_id, &v, &e)) == -1) {
		log_err("delivery: alert %llu: %s",
		    (unsigned long long)r->arg_id, e.msg);
		return -1;
	}
	if (rc == 0)
		return resp_error(r, 404, "error.not_found", NULL);
	if (v.acked_at != 0)
		rc = 0;
	else {
		if (db_begin(r->db, &e) == -1)
			return -1;
		rc = db_alert_ack(r->db, v.id, r->sess.user.id, &e);
		if (rc == 1 && audit(r, "delivery_alert_ack",
		    arena_printf(r->a, "alert %llu", (unsigned long long)v.id),
		    "%s alert for %s: %d %s, %llu refusals, last reply \"%s\"",
		    db_alert_kind_names[v.kind], v.domain, v.code, v.enhanced,
		    (unsigned long long)v.count, v.reply) == -1)
			rc = -1;
		if (rc == -1 || db_commit(r->db, &e) == -1) {
			db_rollback(r->db);
			log_err("delivery: acknowledging alert %llu: %s",
			    (unsigned long long)v.id, e.msg);
			return -1;
		}
	}
	/* rc 0: acknowledged meanwhile (another administrator, a second
	 * click); the same outcome for the user, one trail entry. */
	resp_flash(r, "ok", rc == 1 ? "flash.delivery_alert_acked" :
	    "flash.delivery_alert_already");
	return resp_redirect(r, "/admin/delivery#alerts");
}
