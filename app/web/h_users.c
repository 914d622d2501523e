/*
 * h_users.c - the Users screens (administrators): the table, a new user with
 * a one-time password shown once, editing role, name and status, and
 * password resets. The last active administrator cannot be demoted or
 * disabled, and nobody disables themselves.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../core/arena.h"
#include "../core/err.h"
#include "../db/db_session.h"
#include "../db/db_user.h"
#include "../view/i18n.h"
#include "../view/view.h"
#include "audit.h"
#include "form.h"
#include "handlers.h"
#include "../core/password.h"
#include "resp.h"
#include "sesscache.h"
#include "timefmt.h"

static const char *const roles[] = { "editor", "admin", NULL };

static void
user_facts(struct req *r, struct view_dict *d, const struct user *u)
{
	char	 at[64];

	if (u->last_login_at != 0) {
		timefmt(u->last_login_at, r->sess.user.tz, at, sizeof(at));
		view_set(view_section_add(d, "U_LAST_LOGIN"), "AT", at);
	} else
		view_section_show(d, "U_NEVER");
	view_section_show(d, u->totp_enabled ? "U_TOTP_ON" : "U_TOTP_OFF");
}

int
h_users_list(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "users"), *row;
	struct user		*v;
	struct err		 e;
	size_t			 n, i;

	err_clear(&e);
	if (d == NULL || db_user_list(r->db, r->a, &v, &n, &e) == -1)
		return -1;
	view_set_count(d, "COUNT", (int64_t)n, r->lang);
	view_section_show(d, n == 0 ? "EMPTY" : "HAS_ROWS");
	for (i = 0; i < n; i++) {
		row = view_section_add(d, "USER");
		view_set_int(row, "U_ID", (int64_t)v[i].id);
		view_set(row, "U_LOGIN", v[i].login);
		view_set(row, "U_NAME", v[i].display_name);
		view_section_show(row, v[i].role == ROLE_ADMIN ? "U_ADMIN" :
		    "U_EDITOR");
		view_section_show(row, !v[i].active ? "U_DISABLED" :
		    v[i].must_change ? "U_PENDING" : "U_ACTIVE");
		user_facts(r, row, &v[i]);
	}
	return resp_page(r, 200, "users", d);
}

static void
role_select(struct view_dict *d, enum role role)
{
	view_section_show(d, role == ROLE_ADMIN ? "ROLE_IS_ADMIN" :
	    "ROLE_IS_EDITOR");
}

int
h_users_new_get(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "user_form");

	if (d == NULL)
		return -1;
	view_section_show(d, "NEW");
	role_select(d, ROLE_EDITOR);
	return resp_page(r, 200, "user_form", d);
}

static bool
login_chars_ok(const char *s)
{
	return strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-") == strlen(s);
}

int
h_users_new_post(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "user_form");
	struct form_check	 f;
	const char		*login, *name, *role;
	char			 pw[PASSWORD_GEN_LEN + 1];
	char			 hash[PASSWORD_HASH_MAX];
	struct err		 e;
	uint64_t		 id;

	if (d == NULL)
		return -1;
	err_clear(&e);
	form_begin(&f, r, d);
	login = form_text(&f, "login", 2, USER_LOGIN_MAX);
	if (f.ok && !login_chars_ok(login))
		form_refuse(&f, "login", "users.login_chars", NULL);
	name = form_text(&f, "name", 1, 100);
	role = form_choice(&f, "role", roles);
	view_section_show(d, "NEW");
	view_set(d, "LOGIN", login);
	view_set(d, "NAME", name);
	role_select(d, role_parse(role));
	if (!f.ok)
		return resp_page(r, 422, "user_form", d);
	password_generate(pw);
	if (password_hash(pw, hash, &e) == -1)
		return -1;
	if (db_user_insert(r->db, login, name, role_parse(role), hash, true,
	    &id, &e) == -1) {
		if (e.kind != ERR_CONFLICT)
			return -1;
		form_refuse(&f, "login", "users.login_taken", NULL);
		return resp_page(r, 409, "user_form", d);
	}
	if (audit(r, "user_created", login, "role %s, name \"%s\"", role,
	    name) == -1)
		return -1;
	/* Shown once, on this page only; never stored in clear. */
	d = resp_dict(r, "user_form");
	view_flash(d, "ok", i18n_text(r->lang, "flash.user_created"));
	view_section_show(d, "ONE_TIME_PASSWORD");
	view_set(d, "PASSWORD", pw);
	sodium_memzero(pw, sizeof(pw));
	view_section_show(d, "NEW");
	role_select(d, ROLE_EDITOR);
	return resp_page(r, 201, "user_form", d);
}

static int
edit_page(struct req *r, struct view_dict *d, const struct user *u,
    int status)
{
	view_section_show(d, "EDIT");
	view_set_int(d, "ID", (int64_t)u->id);
	view_set(d, "LOGIN", u->login);
	user_facts(r, d, u);
	return resp_page(r, status, "user_form", d);
}

/* The user of the URL: 1, or 0 with a 404 page set, or -1. */
static int
the_user(struct req *r, struct user *u)
{
	struct err	 e;
	int		 rc;

	err_clear(&e);
	if ((rc = db_user_by_id(r->db, r->a, r->arg_id, u, &e)) == 0)
		resp_error(r, 404, "error.not_found", NULL);
	return rc;
}

/* The editable values of u, as stored. */
static void
stored_values(struct view_dict *d, const struct user *u)
{
	view_set(d, "NAME", u->display_name);
	role_select(d, u->role);
	view_section_show_if(d, "ACTIVE_CHECKED", u->active);
}

int
h_users_edit_get(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "user_form");
	struct user		 u;
	struct err		 e;
	int			 rc = -1;

	err_clear(&e);
	if (d == NULL || (rc = the_user(r, &u)) != 1)
		return rc == 0 ? 0 : -1;
	stored_values(d, &u);
	return edit_page(r, d, &u, 200);
}

static int
reset_password(struct req *r, struct view_dict *d, const struct user *u)
{
	char		 pw[PASSWORD_GEN_LEN + 1], hash[PASSWORD_HASH_MAX];
	struct err	 e;

	err_clear(&e);
	if (!form_checkbox(&(struct form_check){ r, d, true }, "confirm")) {
		view_flash(d, "error", i18n_text(r->lang,
		    "users.reset_unconfirmed"));
		stored_values(d, u);
		return edit_page(r, d, u, 422);
	}
	password_generate(pw);
	sesscache_drop_user(u->id);
	if (password_hash(pw, hash, &e) == -1 ||
	    db_user_set_password(r->db, u->id, hash, true, &e) == -1 ||
	    db_session_delete_user(r->db, u->id, 0, &e) == -1 ||
	    audit(r, "password_reset", u->login, "one-time password "
	    "issued, sessions ended") == -1)
		return -1;
	view_flash(d, "ok", i18n_text(r->lang, "flash.password_reset"));
	view_section_show(d, "ONE_TIME_PASSWORD");
	view_set(d, "PASSWORD", pw);
	sodium_memzero(pw, sizeof(pw));
	stored_values(d, u);
	return edit_page(r, d, u, 200);
}

int
h_users_edit_post(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "user_form");
	struct form_check	 f;
	struct user		 u;
	struct err		 e;
	const char		*name, *role, *action = req_field(r, "action");
	enum role		 newrole;
	bool			 active;
	int64_t			 admins;
	int			 rc = -1;

	err_clear(&e);
	if (d == NULL || (rc = the_user(r, &u)) != 1)
		return rc == 0 ? 0 : -1;
	if (action != NULL && strcmp(action, "reset_password") == 0)
		return reset_password(r, d, &u);
	form_begin(&f, r, d);
	name = form_text(&f, "name", 1, 100);
	role = form_choice(&f, "role", roles);
	active = form_checkbox(&f, "active");
	newrole = role_parse(role);
	if (f.ok && u.id == r->sess.user.id && !active)
		form_refuse(&f, "active", "users.not_self", NULL);
	if (f.ok && u.role == ROLE_ADMIN && u.active &&
	    (newrole != ROLE_ADMIN || !active)) {
		if (db_user_count_admins(r->db, &admins, &e) == -1)
			return -1;
		if (admins <= 1)
			form_refuse(&f, newrole != ROLE_ADMIN ? "role" :
			    "active", "users.last_admin", NULL);
	}
	view_set(d, "NAME", name);
	role_select(d, newrole != ROLE_NONE ? newrole : u.role);
	view_section_show_if(d, "ACTIVE_CHECKED", active);
	if (!f.ok)
		return edit_page(r, d, &u, 422);
	sesscache_drop_user(u.id);
	if (db_user_update(r->db, u.id, name, newrole, active, &e) == -1)
		return -1;
	if (!active && u.active &&
	    db_session_delete_user(r->db, u.id, 0, &e) == -1)
		return -1;
	if (audit(r, "user_updated", u.login, "name \"%s\" -> \"%s\"; role "
	    "%s -> %s; %s -> %s", u.display_name, name, role_name(u.role),
	    role, u.active ? "active" : "disabled", active ? "active" :
	    "disabled") == -1)
		return -1;
	resp_flash(r, "ok", "flash.user_saved");
	return resp_redirect(r, "/admin/users");
}
