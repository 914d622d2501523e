/*
 * h_delivery.c - the Delivery profiles screens (administrators): domain
 * profiles (per-destination limits, TLS policy), traffic-shaping rules
 * matched against SMTP replies, and the suspensions and slow-downs the
 * running senders enforce, with a way to lift one early; the open policy
 * alerts come from h_alert.c.
 *
 * Input is parsed strictly (each refusal names what is wrong, the values
 * stay in the form); every change is audited and bumps
 * settings.delivery_version in the same transaction, which the senders'
 * control thread (app/sender/control.c) watches to reload within seconds.
 * Enhanced status codes: RFC 3463; host names: RFC 1123 §2.1.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../core/arena.h"
#include "../core/err.h"
#include "../core/log.h"
#include "../db/db.h"
#include "../db/db_control.h"
#include "../db/db_profile.h"
#include "../view/view.h"
#include "audit.h"
#include "form.h"
#include "h_alert.h"
#include "h_delivery.h"
#include "handlers.h"
#include "resp.h"
#include "timefmt.h"

/* --- pure validators (h_delivery.h) -------------------------------- */

void
h_delivery_lower(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

bool
h_delivery_domain_valid(const char *s)
{
	size_t	 len = 0, label = 0;
	char	 prev = '.';

	for (; *s != '\0'; s++, len++) {
		char	 c = *s;

		if (len == H_DELIVERY_DOMAIN_MAX)
			return false;
		if (c == '.') {
			if (label == 0 || prev == '-')
				return false;
			label = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (++label > 63)
				return false;
		} else if (c == '-') {
			if (label == 0 || ++label > 63)
				return false;
		} else
			return false;
		prev = c;
	}
	return len > 0 && label > 0 && prev != '-';
}

int
h_delivery_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
	int64_t	 v = 0;
	bool	 neg = false;
	size_t	 n = 0;

	if (*s == '-') {
		neg = true;
		s++;
	}
	if (s[0] == '0' && s[1] != '\0')
		return -1;
	for (; *s != '\0'; s++, n++) {
		if (*s < '0' || *s > '9' || n == 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (n == 0)
		return -1;
	if (neg)
		v = -v;
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

bool
h_delivery_code_valid(int64_t code)
{
	return code == 0 || code == 4 || code == 5 ||
	    (code >= 200 && code <= 599);
}

/* 1..3 digits from *s; advances. */
static bool
digits(const char **s)
{
	size_t	 n = 0;

	while (**s >= '0' && **s <= '9' && n < 4) {
		(*s)++;
		n++;
	}
	return n >= 1 && n <= 3;
}

bool
h_delivery_enhanced_valid(const char *s)
{
	if (*s == '\0')
		return true;
	/* RFC 3463 §2: class "2" / "4" / "5". */
	if (*s != '2' && *s != '4' && *s != '5')
		return false;
	if (*++s != '.')
		return false;
	s++;
	if (!digits(&s) || *s != '.')
		return false;
	s++;
	if (*s == '\0')
		return true;	/* a prefix: "4.7." */
	return digits(&s) && *s == '\0';
}

/* --- shared pieces ------------------------------------------------- */

static const char *const tls_values[] = {
	"none", "opportunistic", "required", "verify", NULL
};
static const char *const tls_keys[] = {
	"delivery.tls_none", "delivery.tls_opportunistic",
	"delivery.tls_required", "delivery.tls_verify",
};
static const char *const action_values[] = { "suspend", "slow", NULL };
static const char *const action_keys[] = {
	"delivery.action_suspend", "delivery.action_slow",
};
static const char *const scope_values[] = { "destination", "campaign",
	NULL };
static const char *const scope_keys[] = {
	"delivery.scope_destination", "delivery.scope_campaign",
};

/* The catalog key for value in a NULL-terminated list ("" when unknown). */
static const char *
key_of(const char *const *values, const char *const *keys, const char *v)
{
	size_t	 i;

	for (i = 0; values[i] != NULL; i++)
		if (v != NULL && strcmp(values[i], v) == 0)
			return keys[i];
	return NULL;
}

static void
set_label(struct req *r, struct view_dict *d, const char *name,
    const char *const *values, const char *const *keys, const char *v)
{
	const char	*k = key_of(values, keys, v);

	if (k != NULL)
		view_set_text(d, name, r->lang, k);
	else
		view_set(d, name, v != NULL ? v : "");
}

/* Option rows O_VALUE, O_LABEL, O_SEL for a <select>. */
static void
options(struct req *r, struct view_dict *d, const char *section,
    const char *const *values, const char *const *keys, const char *cur)
{
	size_t	 i;

	for (i = 0; values[i] != NULL; i++) {
		struct view_dict	*o = view_section_add(d, section);

		view_set(o, "O_VALUE", values[i]);
		view_set_text(o, "O_LABEL", r->lang, keys[i]);
		view_section_show_if(o, "O_SEL", cur != NULL &&
		    strcmp(cur, values[i]) == 0);
	}
}

/* An integer field: kept for the form as typed, refused with key. */
static int64_t
int_field(struct form_check *f, const char *field, const char *var,
    int64_t min, int64_t max, const char *key)
{
	const char	*t = form_text(f, field, 1, 12);
	int64_t		 v = 0;

	view_set(f->d, var, t);
	if (t[0] != '\0' && h_delivery_int(t, min, max, &v) == -1)
		form_refuse(f, field, key, NULL);
	return v;
}

/* A domain field, lower-cased; "" allowed when any is true. */
static char *
domain_field(struct form_check *f, const char *field, const char *var,
    bool any)
{
	const char	*t = form_text(f, field, any ? 0 : 1,
			    H_DELIVERY_DOMAIN_MAX + 10);
	char		*v = arena_strdup(f->r->a, t);

	if (v == NULL)
		v = "";
	else
		h_delivery_lower(v);
	view_set(f->d, var, v);
	if (v[0] != '\0' && !h_delivery_domain_valid(v))
		form_refuse(f, field, "delivery.domain_bad", NULL);
	return v;
}

/* One of values; a refused field (422) leaves def for the form. */
static const char *
choice_field(struct form_check *f, const char *field,
    const char *const *values, const char *def)
{
	const char	*v = form_choice(f, field, values);

	return v != NULL ? v : def;
}

/* Ends a change: version bump, audit trail, commit; rolls back on any
 * failure so that nothing is stored half-way. */
static int
finish(struct req *r, int rc, struct err *e)
{
	if (rc == 0)
		rc = db_control_bump(r->db, e);
	if (rc == 0)
		rc = db_commit(r->db, e);
	if (rc == -1) {
		db_rollback(r->db);
		if (e->msg[0] != '\0')
			log_err("delivery settings: %s", e->msg);
	}
	return rc;
}

/* --- the list page ------------------------------------------------- */

static int
profile_rows(struct req *r, struct view_dict *d)
{
	struct db_profile_row	*p;
	struct err		 e;
	size_t			 n, i;

	err_clear(&e);
	if (db_profile_list_all(r->db, r->a, &p, &n, &e) == -1) {
		log_err("delivery: profiles: %s", e.msg);
		return -1;
	}
	view_set_count(d, "PROFILE_COUNT", (int64_t)n, r->lang);
	view_section_show(d, n == 0 ? "PROFILES_EMPTY" : "HAS_PROFILES");
	for (i = 0; i < n; i++) {
		struct view_dict	*row = view_section_add(d, "PROFILE");

		view_set_int(row, "P_ID", (int64_t)p[i].id);
		view_set(row, "P_DOMAIN", p[i].domain);
		view_set_int(row, "P_MAX_CONNS", p[i].max_conns);
		view_set_int(row, "P_MSGS_PER_CONN", p[i].msgs_per_conn);
		view_set_int(row, "P_MSGS_PER_MIN", p[i].msgs_per_min);
		view_set_int(row, "P_SLOW_START", p[i].slow_start);
		set_label(r, row, "P_TLS", tls_values, tls_keys,
		    p[i].tls_policy);
		view_section_show(row, p[i].enabled ? "P_ON" : "P_OFF");
		view_set(row, "P_NOTE", p[i].note);
	}
	return 0;
}

static int
rule_rows(struct req *r, struct view_dict *d)
{
	struct db_rule_row	*v;
	struct err		 e;
	size_t			 n, i;

	err_clear(&e);
	if (db_profile_rule_list_all(r->db, r->a, &v, &n, &e) == -1) {
		log_err("delivery: rules: %s", e.msg);
		return -1;
	}
	view_set_count(d, "RULE_COUNT", (int64_t)n, r->lang);
	view_section_show(d, n == 0 ? "RULES_EMPTY" : "HAS_RULES");
	for (i = 0; i < n; i++) {
		struct view_dict	*row = view_section_add(d, "RULE");

		view_set_int(row, "S_ID", (int64_t)v[i].id);
		view_set_int(row, "S_POSITION", v[i].position);
		view_set(row, "S_DOMAIN", v[i].domain);
		view_section_show(row, v[i].domain[0] == '\0' ? "S_ANY" :
		    "S_ONE");
		view_set_int(row, "S_CODE", v[i].code);
		view_set(row, "S_ENHANCED", v[i].enhanced);
		view_set(row, "S_TEXT", v[i].text);
		set_label(r, row, "S_ACTION", action_values, action_keys,
		    v[i].action);
		set_label(r, row, "S_SCOPE", scope_values, scope_keys,
		    v[i].scope);
		view_set_int(row, "S_SECONDS", v[i].seconds);
		view_section_show(row, v[i].enabled ? "S_ON" : "S_OFF");
		view_set(row, "S_NOTE", v[i].note);
	}
	return 0;
}

static int
state_rows(struct req *r, struct view_dict *d)
{
	struct db_shaping_state	*v;
	struct err		 e;
	size_t			 n, i;

	err_clear(&e);
	if (db_control_state_list(r->db, r->a, time(NULL), &v, &n, &e) ==
	    -1) {
		log_err("delivery: shaping state: %s", e.msg);
		return -1;
	}
	view_section_show(d, n == 0 ? "STATE_EMPTY" : "HAS_STATE");
	for (i = 0; i < n; i++) {
		struct view_dict	*row = view_section_add(d, "STATE");
		char			 at[64];

		view_set(row, "T_DESTINATION", v[i].destination);
		view_set(row, "T_CAMPAIGN", v[i].campaign);
		view_section_show(row, v[i].campaign[0] == '\0' ? "T_ALL" :
		    "T_ONE");
		set_label(r, row, "T_ACTION", action_values, action_keys,
		    v[i].action);
		timefmt(v[i].until_at, r->sess.user.tz, at, sizeof(at));
		view_set(row, "T_UNTIL", at);
		view_set(row, "T_REASON", v[i].reason);
		view_set(row, "T_SENDER", v[i].sender);
	}
	return 0;
}

/* Defaults of the two "new" forms, unless a refused post set them. */
static void
new_defaults(struct req *r, struct view_dict *d, bool profile_posted,
    bool rule_posted, const char *tls, const char *action,
    const char *scope)
{
	if (!profile_posted) {
		view_set(d, "FORM_DOMAIN", "");
		view_set(d, "FORM_MAX_CONNS", "0");
		view_set(d, "FORM_MSGS_PER_CONN", "0");
		view_set(d, "FORM_MSGS_PER_MIN", "0");
		view_set(d, "FORM_SLOW_START", "0");
		view_set(d, "FORM_NOTE", "");
		view_section_show(d, "FORM_ENABLED");
	}
	if (!rule_posted) {
		view_set(d, "FORM_POSITION", "100");
		view_set(d, "FORM_RULE_DOMAIN", "");
		view_set(d, "FORM_CODE", "0");
		view_set(d, "FORM_ENHANCED", "");
		view_set(d, "FORM_TEXT", "");
		view_set(d, "FORM_SECONDS", "600");
		view_set(d, "FORM_RULE_NOTE", "");
		view_section_show(d, "FORM_RULE_ENABLED");
	}
	options(r, d, "TLS_OPT", tls_values, tls_keys, tls);
	options(r, d, "ACTION_OPT", action_values, action_keys, action);
	options(r, d, "SCOPE_OPT", scope_values, scope_keys, scope);
}

static int
list_page(struct req *r, struct view_dict *d, int status,
    bool profile_posted, bool rule_posted, const char *tls,
    const char *action, const char *scope)
{
	if (h_alert_rows(r, d) == -1 || profile_rows(r, d) == -1 ||
	    rule_rows(r, d) == -1 || state_rows(r, d) == -1)
		return -1;
	new_defaults(r, d, profile_posted, rule_posted, tls, action, scope);
	return resp_page(r, status, "delivery", d);
}

int
h_delivery_list(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "delivery");

	if (d == NULL)
		return -1;
	return list_page(r, d, 200, false, false, "opportunistic", "slow",
	    "destination");
}

/* --- profiles ------------------------------------------------------ */

static bool
read_profile(struct form_check *f, struct db_profile_row *p)
{
	const char	*note;

	p->domain = domain_field(f, "domain", "FORM_DOMAIN", false);
	p->max_conns = int_field(f, "max_conns", "FORM_MAX_CONNS", 0,
	    H_DELIVERY_LIMIT_MAX, "delivery.limit_bad");
	p->msgs_per_conn = int_field(f, "msgs_per_conn",
	    "FORM_MSGS_PER_CONN", 0, H_DELIVERY_LIMIT_MAX,
	    "delivery.limit_bad");
	p->msgs_per_min = int_field(f, "msgs_per_min", "FORM_MSGS_PER_MIN",
	    0, H_DELIVERY_LIMIT_MAX, "delivery.limit_bad");
	p->slow_start = int_field(f, "slow_start", "FORM_SLOW_START", 0,
	    H_DELIVERY_LIMIT_MAX, "delivery.limit_bad");
	p->tls_policy = (char *)choice_field(f, "tls_policy", tls_values,
	    "opportunistic");
	p->enabled = form_checkbox(f, "enabled") ? 1 : 0;
	view_section_show_if(f->d, "FORM_ENABLED", p->enabled);
	note = form_text(f, "note", 0, 255);
	p->note = (char *)note;
	view_set(f->d, "FORM_NOTE", note);
	return f->ok;
}

static void
profile_audit_text(const struct db_profile_row *p, char *out, size_t sz)
{
	snprintf(out, sz, "max_conns %lld, msgs_per_conn %lld, msgs_per_min "
	    "%lld, slow_start %lld, tls %s, %s, note \"%s\"",
	    (long long)p->max_conns, (long long)p->msgs_per_conn,
	    (long long)p->msgs_per_min, (long long)p->slow_start,
	    p->tls_policy, p->enabled ? "enabled" : "disabled", p->note);
}

int
h_delivery_profile_add(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "delivery");
	struct form_check	 f;
	struct db_profile_row	 p;
	struct err		 e;
	char			 what[512];
	int			 rc;

	if (d == NULL)
		return -1;
	memset(&p, 0, sizeof(p));
	err_clear(&e);
	form_begin(&f, r, d);
	if (!read_profile(&f, &p))
		return list_page(r, d, 422, true, false, p.tls_policy,
		    "slow", "destination");
	if (db_begin(r->db, &e) == -1)
		return -1;
	rc = db_profile_insert(r->db, &p, NULL, &e);
	if (rc == -1 && e.kind == ERR_CONFLICT) {
		db_rollback(r->db);
		form_refuse(&f, "domain", "delivery.profile_duplicate", NULL);
		return list_page(r, d, 409, true, false, p.tls_policy,
		    "slow", "destination");
	}
	profile_audit_text(&p, what, sizeof(what));
	if (rc == 0)
		rc = audit(r, "delivery_profile_added", p.domain, "%s", what);
	if (finish(r, rc, &e) == -1)
		return -1;
	resp_flash(r, "ok", "flash.delivery_profile_added");
	return resp_redirect(r, "/admin/delivery");
}

static int
profile_page(struct req *r, struct view_dict *d, uint64_t id,
    const char *tls, int status)
{
	view_set_int(d, "ID", (int64_t)id);
	options(r, d, "TLS_OPT", tls_values, tls_keys, tls);
	return resp_page(r, status, "delivery_profile", d);
}

/* The profile of the URL: 1, or 0 with a 404 page set, or -1. */
static int
the_profile(struct req *r, struct db_profile_row *p)
{
	struct err	 e;
	int		 rc;

	err_clear(&e);
	if ((rc = db_profile_get(r->db, r->a, r->arg_id, p, &e)) == 0)
		resp_error(r, 404, "error.not_found", NULL);
	return rc;
}

int
h_delivery_profile_get(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "delivery_profile");
	struct db_profile_row	 p;
	int			 rc = -1;

	if (d == NULL || (rc = the_profile(r, &p)) != 1)
		return rc == 0 ? 0 : -1;
	view_set(d, "FORM_DOMAIN", p.domain);
	view_set_int(d, "FORM_MAX_CONNS", p.max_conns);
	view_set_int(d, "FORM_MSGS_PER_CONN", p.msgs_per_conn);
	view_set_int(d, "FORM_MSGS_PER_MIN", p.msgs_per_min);
	view_set_int(d, "FORM_SLOW_START", p.slow_start);
	view_section_show_if(d, "FORM_ENABLED", p.enabled);
	view_set(d, "FORM_NOTE", p.note);
	view_set(d, "DOMAIN", p.domain);
	return profile_page(r, d, p.id, p.tls_policy, 200);
}

int
h_delivery_profile_post(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "delivery_profile");
	struct form_check	 f;
	struct db_profile_row	 old, p;
	struct err		 e;
	char			 was[512], now[512];
	int			 rc = -1;

	if (d == NULL || (rc = the_profile(r, &old)) != 1)
		return rc == 0 ? 0 : -1;
	view_set(d, "DOMAIN", old.domain);
	memset(&p, 0, sizeof(p));
	err_clear(&e);
	form_begin(&f, r, d);
	if (!read_profile(&f, &p))
		return profile_page(r, d, old.id, p.tls_policy, 422);
	p.id = old.id;
	if (db_begin(r->db, &e) == -1)
		return -1;
	rc = db_profile_update(r->db, &p, &e);
	if (rc == -1 && e.kind == ERR_CONFLICT) {
		db_rollback(r->db);
		form_refuse(&f, "domain", "delivery.profile_duplicate", NULL);
		return profile_page(r, d, old.id, p.tls_policy, 409);
	}
	profile_audit_text(&old, was, sizeof(was));
	profile_audit_text(&p, now, sizeof(now));
	if (rc == 0)
		rc = audit(r, "delivery_profile_changed", p.domain,
		    "was %s %s; now %s %s", old.domain, was, p.domain, now);
	if (finish(r, rc, &e) == -1)
		return -1;
	resp_flash(r, "ok", "flash.delivery_profile_saved");
	return resp_redirect(r, "/admin/delivery");
}

int
h_delivery_profile_delete(struct req *r)
{
	struct db_profile_row	 p;
	struct err		 e;
	char			 was[512];
	int			 rc;

	if ((rc = the_profile(r, &p)) != 1)
		return rc == 0 ? 0 : -1;
	err_clear(&e);
	if (db_begin(r->db, &e) == -1)
		return -1;
	rc = db_profile_delete(r->db, p.id, &e);
	profile_audit_text(&p, was, sizeof(was));
	if (rc == 0)
		rc = audit(r, "delivery_profile_deleted", p.domain, "%s", was);
	if (finish(r, rc, &e) == -1)
		return -1;
	resp_flash(r, "ok", "flash.delivery_profile_deleted");
	return resp_redirect(r, "/admin/delivery");
}

/* --- shaping rules ------------------------------------------------- */

static bool
read_rule(struct form_check *f, struct db_rule_row *v)
{
	const char	*t;

	v->position = int_field(f, "position", "FORM_POSITION", 0, 1000000,
	    "delivery.position_bad");
	v->domain = domain_field(f, "rule_domain", "FORM_RULE_DOMAIN", true);
	v->code = int_field(f, "code", "FORM_CODE", 0, 599,
	    "delivery.code_bad");
	if (f->ok && !h_delivery_code_valid(v->code))
		form_refuse(f, "code", "delivery.code_bad", NULL);
	t = form_text(f, "enhanced", 0, 15);
	view_set(f->d, "FORM_ENHANCED", t);
	v->enhanced = (char *)t;
	if (!h_delivery_enhanced_valid(t))
		form_refuse(f, "enhanced", "delivery.enhanced_bad", NULL);
	t = form_text(f, "text", 0, H_DELIVERY_TEXT_MAX);
	view_set(f->d, "FORM_TEXT", t);
	v->text = (char *)t;
	/* The engine keeps 127 bytes of pattern (shaping.h). */
	if (strlen(t) >= H_DELIVERY_TEXT_MAX)
		form_refuse(f, "text", "form.too_long", NULL);
	v->action = (char *)choice_field(f, "action", action_values, "slow");
	v->scope = (char *)choice_field(f, "scope", scope_values,
	    "destination");
	v->seconds = int_field(f, "seconds", "FORM_SECONDS", 1,
	    H_DELIVERY_SECONDS_MAX, "delivery.seconds_bad");
	v->enabled = form_checkbox(f, "rule_enabled") ? 1 : 0;
	view_section_show_if(f->d, "FORM_RULE_ENABLED", v->enabled);
	t = form_text(f, "rule_note", 0, 255);
	view_set(f->d, "FORM_RULE_NOTE", t);
	v->note = (char *)t;
	return f->ok;
}

static void
rule_audit_text(const struct db_rule_row *v, char *out, size_t sz)
{
	snprintf(out, sz, "position %lld, domain \"%s\", code %lld, enhanced "
	    "\"%s\", text \"%s\", %s %s for %lld s, %s, note \"%s\"",
	    (long long)v->position, v->domain, (long long)v->code,
	    v->enhanced, v->text, v->action, v->scope, (long long)v->seconds,
	    v->enabled ? "enabled" : "disabled", v->note);
}

/* 1 when another rule does the same (refused), 0 no, -1 error. */
static int
rule_duplicate(struct req *r, struct form_check *f,
    const struct db_rule_row *v)
{
	struct err	 e;
	int		 rc;

	err_clear(&e);
	if ((rc = db_profile_rule_exists(r->db, v, v->id, &e)) == -1) {
		log_err("delivery: rules: %s", e.msg);
		return -1;
	}
	if (rc == 1)
		form_refuse(f, "text", "delivery.rule_duplicate", NULL);
	return rc;
}

int
h_delivery_rule_add(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "delivery");
	struct form_check	 f;
	struct db_rule_row	 v;
	struct err		 e;
	char			 what[1024];
	int			 rc;

	if (d == NULL)
		return -1;
	memset(&v, 0, sizeof(v));
	err_clear(&e);
	form_begin(&f, r, d);
	if (!read_rule(&f, &v))
		return list_page(r, d, 422, false, true, "opportunistic",
		    v.action, v.scope);
	if ((rc = rule_duplicate(r, &f, &v)) != 0)
		return rc == -1 ? -1 : list_page(r, d, 409, false, true,
		    "opportunistic", v.action, v.scope);
	if (db_begin(r->db, &e) == -1)
		return -1;
	rc = db_profile_rule_insert(r->db, &v, &v.id, &e);
	rule_audit_text(&v, what, sizeof(what));
	if (rc == 0)
		rc = audit(r, "delivery_rule_added",
		    arena_printf(r->a, "rule %llu", (unsigned long long)v.id),
		    "%s", what);
	if (finish(r, rc, &e) == -1)
		return -1;
	resp_flash(r, "ok", "flash.delivery_rule_added");
	return resp_redirect(r, "/admin/delivery");
}

static int
rule_page(struct req *r, struct view_dict *d, uint64_t id,
    const char *action, const char *scope, int status)
{
	view_set_int(d, "ID", (int64_t)id);
	options(r, d, "ACTION_OPT", action_values, action_keys, action);
	options(r, d, "SCOPE_OPT", scope_values, scope_keys, scope);
	return resp_page(r, status, "delivery_rule", d);
}

static int
the_rule(struct req *r, struct db_rule_row *v)
{
	struct err	 e;
	int		 rc;

	err_clear(&e);
	if ((rc = db_profile_rule_get(r->db, r->a, r->arg_id, v, &e)) == 0)
		resp_error(r, 404, "error.not_found", NULL);
	return rc;
}

int
h_delivery_rule_get(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "delivery_rule");
	struct db_rule_row	 v;
	int			 rc = -1;

	if (d == NULL || (rc = the_rule(r, &v)) != 1)
		return rc == 0 ? 0 : -1;
	view_set_int(d, "FORM_POSITION", v.position);
	view_set(d, "FORM_RULE_DOMAIN", v.domain);
	view_set_int(d, "FORM_CODE", v.code);
	view_set(d, "FORM_ENHANCED", v.enhanced);
	view_set(d, "FORM_TEXT", v.text);
	view_set_int(d, "FORM_SECONDS", v.seconds);
	view_section_show_if(d, "FORM_RULE_ENABLED", v.enabled);
	view_set(d, "FORM_RULE_NOTE", v.note);
	return rule_page(r, d, v.id, v.action, v.scope, 200);
}

int
h_delivery_rule_post(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "delivery_rule");
	struct form_check	 f;
	struct db_rule_row	 old, v;
	struct err		 e;
	char			 was[1024], now[1024];
	int			 rc = -1;

	if (d == NULL || (rc = the_rule(r, &old)) != 1)
		return rc == 0 ? 0 : -1;
	memset(&v, 0, sizeof(v));
	err_clear(&e);
	form_begin(&f, r, d);
	if (!read_rule(&f, &v))
		return rule_page(r, d, old.id, v.action, v.scope, 422);
	v.id = old.id;
	if ((rc = rule_duplicate(r, &f, &v)) != 0)
		return rc == -1 ? -1 : rule_page(r, d, old.id, v.action,
		    v.scope, 409);
	if (db_begin(r->db, &e) == -1)
		return -1;
	rc = db_profile_rule_update(r->db, &v, &e);
	rule_audit_text(&old, was, sizeof(was));
	rule_audit_text(&v, now, sizeof(now));
	if (rc == 0)
		rc = audit(r, "delivery_rule_changed",
		    arena_printf(r->a, "rule %llu", (unsigned long long)v.id),
		    "was %s; now %s", was, now);
	if (finish(r, rc, &e) == -1)
		return -1;
	resp_flash(r, "ok", "flash.delivery_rule_saved");
	return resp_redirect(r, "/admin/delivery");
}

int
h_delivery_rule_delete(struct req *r)
{
	struct db_rule_row	 v;
	struct err		 e;
	char			 was[1024];
	int			 rc;

	if ((rc = the_rule(r, &v)) != 1)
		return rc == 0 ? 0 : -1;
	err_clear(&e);
	if (db_begin(r->db, &e) == -1)
		return -1;
	rc = db_profile_rule_delete(r->db, v.id, &e);
	rule_audit_text(&v, was, sizeof(was));
	if (rc == 0)
		rc = audit(r, "delivery_rule_deleted",
		    arena_printf(r->a, "rule %llu", (unsigned long long)v.id),
		    "%s", was);
	if (finish(r, rc, &e) == -1)
		return -1;
	resp_flash(r, "ok", "flash.delivery_rule_deleted");
	return resp_redirect(r, "/admin/delivery");
}

/* --- lifting a suspension early ----------------------------------- */

int
h_delivery_lift(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "delivery");
	struct form_check	 f;
	const char		*campaign;
	char			*dest;
	struct err		 e;

	if (d == NULL)
		return -1;
	err_clear(&e);
	form_begin(&f, r, d);
	dest = domain_field(&f, "destination", "FORM_DESTINATION", false);
	campaign = form_text(&f, "campaign", 0, H_DELIVERY_CAMPAIGN_MAX);
	if (!f.ok)
		return resp_error(r, 422, "delivery.lift_bad", NULL);
	if (db_begin(r->db, &e) == -1)
		return -1;
	if (db_control_lift_add(r->db, dest, campaign, r->sess.user.login,
	    time(NULL), &e) == -1 || audit(r, "delivery_lift", dest,
	    "campaign \"%s\"", campaign[0] != '\0' ? campaign : "(all)") ==
	    -1 || db_commit(r->db, &e) == -1) {
		db_rollback(r->db);
		log_err("delivery: lift request: %s", e.msg);
		return -1;
	}
	resp_flash(r, "ok", "flash.delivery_lift_requested");
	return resp_redirect(r, "/admin/delivery");
}
