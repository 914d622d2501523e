/*
 * h_account.c - the Account screens (every signed-in user): language and
 * time zone, password change, and the second factor (TOTP with recovery
 * codes). A password change ends every other session and renews this one.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../conf/config.h"
#include "../core/arena.h"
#include "../core/clock.h"
#include "../core/err.h"
#include "../core/log.h"
#include "../core/secret.h"
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
#include "session.h"
#include "sitecfg.h"
#include "timefmt.h"
#include "totp.h"

#define RECOVERY_CODES	10

static const char *const langs[] = { "ja", "en", NULL };

static int
account_page(struct req *r, struct view_dict *d, const char *lang,
    const char *tz, int status)
{
	const char *const	*z;

	view_section_show(d, strcmp(lang, "en") == 0 ? "LANG_EN" : "LANG_JA");
	for (z = timefmt_zones(); *z != NULL; z++) {
		struct view_dict *o = view_section_add(d, "TZ_OPTION");

		view_set(o, "NAME", *z);
		if (strcmp(*z, tz) == 0)
			view_section_show(o, "SELECTED");
	}
	view_section_show(d, r->sess.user.totp_enabled ? "TOTP_ON" :
	    "TOTP_OFF");
	return resp_page(r, status, "account", d);
}

int
h_account_get(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "account");

	if (d == NULL)
		return -1;
	return account_page(r, d, r->sess.user.lang ? r->sess.user.lang :
	    r->lang, r->sess.user.tz, 200);
}

int
h_account_post(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "account");
	struct form_check	 f;
	const char		*lang, *tz;
	struct err		 e;

	if (d == NULL)
		return -1;
	err_clear(&e);
	form_begin(&f, r, d);
	lang = form_choice(&f, "lang", langs);
	tz = form_text(&f, "tz", 1, 64);
	if (f.ok && !timefmt_zone_valid(tz))
		form_refuse(&f, "tz", "account.bad_tz", NULL);
	if (!f.ok)
		return account_page(r, d, lang ? lang : r->lang, tz, 422);
	sesscache_drop_user(r->sess.user.id);
	if (db_user_set_prefs(r->db, r->sess.user.id, lang, tz, &e) == -1 ||
	    audit(r, "prefs_changed", r->sess.user.login, "language %s, "
	    "time zone %s", lang, tz) == -1)
		return -1;
	resp_flash(r, "ok", "flash.saved");
	return resp_redirect(r, "/account");
}

int
h_account_lang_post(struct req *r)
{
	const char	*lang = req_field(r, "lang");
	const char	*back = req_field(r, "back");
	struct err	 e;

	err_clear(&e);
	if (lang == NULL || !i18n_lang_valid(lang))
		return resp_error(r, 400, "error.bad_request",
		    "lang must be ja or en");
	sesscache_drop_user(r->sess.user.id);
	if (db_user_set_prefs(r->db, r->sess.user.id, i18n_lang(lang),
	    r->sess.user.tz, &e) == -1)
		return -1;
	return resp_redirect(r, back != NULL ? back : "/");
}

static int
password_page(struct req *r, struct view_dict *d, int status)
{
	view_set_int(d, "MIN_LENGTH", r->web->cfg->password_min);
	view_section_show_if(d, "FORCED", r->sess.user.must_change);
	return resp_page(r, status, "account_password", d);
}

int
h_password_get(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "account_password");

	return d == NULL ? -1 : password_page(r, d, 200);
}

int
h_password_post(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "account_password");
	struct form_check	 f;
	const char		*cur, *pw, *rep;
	char			 hash[PASSWORD_HASH_MAX];
	struct user		 u;
	struct err		 e;
	size_t			 min = (size_t)r->web->cfg->password_min;

	if (d == NULL)
		return -1;
	err_clear(&e);
	form_begin(&f, r, d);
	cur = form_password(&f, "current", 1, PASSWORD_LEN_MAX);
	pw = form_password(&f, "new", min, PASSWORD_LEN_MAX);
	rep = form_password(&f, "repeat", 1, PASSWORD_LEN_MAX);
	if (f.ok && strcmp(pw, rep) != 0)
		form_refuse(&f, "repeat", "account_password.mismatch", NULL);
	if (f.ok && strcmp(pw, cur) == 0)
		form_refuse(&f, "new", "account_password.same", NULL);
	if (!f.ok)
		return password_page(r, d, 422);
	if (db_user_by_id(r->db, r->a, r->sess.user.id, &u, &e) != 1)
		return -1;
	if (!password_verify(u.password_hash, cur)) {
		form_refuse(&f, "current", "account_password.wrong", NULL);
		audit(r, "password_change_failed", u.login, "wrong current "
		    "password");
		return password_page(r, d, 422);
	}
	if (password_hash(pw, hash, &e) == -1 ||
	    db_user_set_password(r->db, u.id, hash, false, &e) == -1 ||
	    db_session_delete_user(r->db, u.id, r->sess.id, &e) == -1)
		return -1;
	sesscache_drop_user(u.id);
	u.must_change = false;
	/* A new session token: anything that knew the old one is out. */
	if (session_start(r, &u, SESSION_FULL) == -1 ||
	    audit(r, "password_changed", u.login, "other sessions ended") ==
	    -1)
		return -1;
	resp_flash(r, "ok", "flash.password_changed");
	return resp_redirect(r, "/");
}

/* The pending or active secret of u, opened into out. */
static int
totp_secret(struct req *r, const struct user *u, uint8_t *out, size_t *n)
{
	struct sbuf	 plain;
	struct err	 e;

	err_clear(&e);
	sbuf_init(&plain, r->a, 256);
	if (u->totp_secret.n == 0 || secret_open(r->web->secret_key,
	    u->totp_secret.p, u->totp_secret.n, &plain, &e) == -1 ||
	    plain.len > 64) {
		if (u->totp_secret.n != 0)
			log_err("second factor of %s cannot be opened: %s",
			    u->login, e.msg);
		return -1;
	}
	memcpy(out, plain.p, plain.len);
	*n = plain.len;
	sodium_memzero(plain.p, plain.len);
	return 0;
}

static int
totp_setup_page(struct req *r, struct view_dict *d, const struct user *u,
    int status)
{
	uint8_t	 key[64];
	size_t	 n;
	char	 b32[128], uri[TOTP_URI_MAX];

	if (totp_secret(r, u, key, &n) == -1 ||
	    base32_encode(key, n, b32, sizeof(b32)) == -1 ||
	    totp_uri(u->login, key, n, uri, sizeof(uri)) == -1)
		return -1;
	sodium_memzero(key, sizeof(key));
	view_section_show(d, "SETUP");
	view_section_groups(d, "SECRET_GROUP", b32, 4);
	view_set(d, "OTPAUTH_URI", uri);
	return resp_page(r, status, "account_totp", d);
}

static int
totp_page(struct req *r, struct view_dict *d, const struct user *u,
    int status)
{
	view_section_show_if(d, "REQUIRED", u->role == ROLE_ADMIN &&
	    sitecfg_require_totp_admin() && !u->totp_enabled);
	if (u->totp_enabled)
		view_section_show(d, "ON");
	else if (u->totp_secret.n > 0)
		return totp_setup_page(r, d, u, status);
	else
		view_section_show(d, "OFF");
	return resp_page(r, status, "account_totp", d);
}

int
h_totp_get(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "account_totp");
	struct user		 u;
	struct err		 e;

	err_clear(&e);
	if (d == NULL || db_user_by_id(r->db, r->a, r->sess.user.id, &u, &e) !=
	    1)
		return -1;
	return totp_page(r, d, &u, 200);
}

static int
totp_enable(struct req *r, struct view_dict *d, struct user *u)
{
	uint8_t		 key[TOTP_SECRET_BYTES];
	struct sbuf	 sealed;
	struct err	 e;

	err_clear(&e);
	randombytes_buf(key, sizeof(key));
	sbuf_init(&sealed, r->a, 1024);
	if (secret_seal(r->web->secret_key, key, sizeof(key), &sealed, &e) ==
	    -1)
		return -1;
	sodium_memzero(key, sizeof(key));
	/* Pending until confirmed with a code. */
	if (db_user_set_totp(r->db, u->id, sealed.p, sealed.len, false, &e) ==
	    -1)
		return -1;
	u->totp_secret = sbuf_str(&sealed);
	return totp_setup_page(r, d, u, 200);
}

static int
totp_confirm(struct req *r, struct view_dict *d, struct user *u,
    const char *code)
{
	uint8_t		 key[64], hashes[RECOVERY_CODES][32];
	char		 codes[RECOVERY_CODES][16];
	size_t		 n, i;
	int64_t		 step = 0;
	struct err	 e;

	err_clear(&e);
	if (u->totp_secret.n == 0 || u->totp_enabled)
		return resp_redirect(r, "/account/totp");
	if (totp_secret(r, u, key, &n) == -1)
		return -1;
	if (code == NULL || !totp_verify(key, n, code, (uint64_t)clock_now(),
	    TOTP_WINDOW, &step)) {
		sodium_memzero(key, sizeof(key));
		view_field_error(d, "code", i18n_text(r->lang, "totp.wrong"));
		return totp_setup_page(r, d, u, 422);
	}
	sodium_memzero(key, sizeof(key));
	totp_recovery_codes(codes, RECOVERY_CODES);
	for (i = 0; i < RECOVERY_CODES; i++)
		crypto_generichash(hashes[i], 32, (unsigned char *)codes[i],
		    strlen(codes[i]), NULL, 0);
	sesscache_drop_user(u->id);
	if (db_user_set_totp(r->db, u->id, u->totp_secret.p, u->totp_secret.n,
	    true, &e) == -1 ||
	    db_recovery_replace(r->db, u->id,
	    (const uint8_t (*)[32])hashes, RECOVERY_CODES, &e) == -1 ||
	    audit(r, "flash.totp_enabled", u->login, "%d recovery codes issued",
	    RECOVERY_CODES) == -1)
		return -1;
	{
		bool	 ok;

		/* The confirming code is spent. */
		if (db_user_use_totp_step(r->db, u->id, step, &ok, &e) == -1)
			return -1;
	}
	view_flash(d, "ok", i18n_text(r->lang, "flash.totp_enabled"));
	view_section_show(d, "RECOVERY");
	for (i = 0; i < RECOVERY_CODES; i++)
		view_set(view_section_add(d, "RECOVERY_CODE"), "CODE",
		    codes[i]);
	sodium_memzero(codes, sizeof(codes));
	return resp_page(r, 200, "account_totp", d);
}

static int
totp_disable(struct req *r, struct view_dict *d, struct user *u,
    const char *pw)
{
	struct err	 e;

	err_clear(&e);
	if (u->role == ROLE_ADMIN && sitecfg_require_totp_admin()) {
		view_flash(d, "error", i18n_text(r->lang,
		    "totp.required_cannot_disable"));
		return totp_page(r, d, u, 409);
	}
	if (pw == NULL || !password_verify(u->password_hash, pw)) {
		view_field_error(d, "password", i18n_text(r->lang,
		    "account_password.wrong"));
		return totp_page(r, d, u, 422);
	}
	if (!form_checkbox(&(struct form_check){ r, d, true }, "confirm")) {
		view_flash(d, "error", i18n_text(r->lang, "msg.confirm_needed"));
		return totp_page(r, d, u, 422);
	}
	sesscache_drop_user(u->id);
	if (db_user_set_totp(r->db, u->id, NULL, 0, false, &e) == -1 ||
	    db_recovery_replace(r->db, u->id, NULL, 0, &e) == -1 ||
	    audit(r, "flash.totp_disabled", u->login, "second factor removed") ==
	    -1)
		return -1;
	resp_flash(r, "ok", "flash.totp_disabled");
	return resp_redirect(r, "/account");
}

int
h_totp_post(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "account_totp");
	const char		*action = req_field(r, "action");
	struct user		 u;
	struct err		 e;

	err_clear(&e);
	if (d == NULL || action == NULL ||
	    db_user_by_id(r->db, r->a, r->sess.user.id, &u, &e) != 1)
		return d == NULL || action != NULL ? -1 :
		    resp_error(r, 400, "error.bad_request", "action missing");
	if (strcmp(action, "enable") == 0) {
		const char	*pw = req_field(r, "password");

		if (u.totp_enabled)
			return resp_redirect(r, "/account/totp");
		if (pw == NULL || !password_verify(u.password_hash, pw)) {
			view_field_error(d, "password", i18n_text(r->lang,
			    "account_password.wrong"));
			return totp_page(r, d, &u, 422);
		}
		return totp_enable(r, d, &u);
	}
	if (strcmp(action, "confirm") == 0)
		return totp_confirm(r, d, &u, req_field(r, "code"));
	if (strcmp(action, "disable") == 0)
		return totp_disable(r, d, &u, req_field(r, "password"));
	return resp_error(r, 400, "error.bad_request", "unknown action");
}
