/*
 * h_auth.c - signing in and out: the sign-in form, the second-factor step
 * and sign-out. Messages never tell whether an account exists; a missing
 * account costs the same password hashing time as a wrong password.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../conf/config.h"
#include "../core/arena.h"
#include "../core/clock.h"
#include "../core/err.h"
#include "../core/log.h"
#include "../core/sbuf.h"
#include "../core/secret.h"
#include "../db/db_session.h"
#include "../db/db_user.h"
#include "../view/i18n.h"
#include "../view/view.h"
#include "audit.h"
#include "handlers.h"
#include "../core/password.h"
#include "resp.h"
#include "sesscache.h"
#include "session.h"
#include "throttle.h"
#include "totp.h"

static pthread_once_t	 dummy_once = PTHREAD_ONCE_INIT;
static char		 dummy_hash[PASSWORD_HASH_MAX];

static void
dummy_init(void)
{
	char		 pw[PASSWORD_GEN_LEN + 1];
	struct err	 e;

	password_generate(pw);
	if (password_hash(pw, dummy_hash, &e) == -1)
		dummy_hash[0] = '\0';
}

/* "Try again in {n} seconds." with n filled in. */
static const char *
text_n(struct req *r, const char *key, int64_t n)
{
	const char	*t = i18n_text(r->lang, key), *at;
	char		*out;

	if ((at = strstr(t, "{n}")) == NULL)
		return t;
	out = arena_printf(r->a, "%.*s%lld%s", (int)(at - t), t,
	    (long long)n, at + 3);
	return out ? out : t;
}

static int
login_page(struct req *r, int status, const char *login, const char *error)
{
	struct view_dict	*d = resp_dict(r, "login");

	if (d == NULL)
		return -1;
	view_set(d, "LOGIN", login ? login : "");
	if (error != NULL)
		view_set(view_section_add(d, "ERROR"), "TEXT", error);
	return resp_page(r, status, "login", d);
}

int
h_login_get(struct req *r)
{
	if (r->signed_in)
		return resp_redirect(r, "/");
	return login_page(r, 200, NULL, NULL);
}

/* Where a freshly signed-in user goes first. */
static const char *
landing(const struct user *u)
{
	if (u->totp_enabled)
		return "/login/totp";
	if (u->must_change)
		return "/account/password";
	return "/";
}

int
h_login_post(struct req *r)
{
	const char	*login = req_field(r, "login");
	const char	*pw = req_field(r, "password");
	struct user	 u;
	struct err	 e;
	int64_t		 wait;
	int		 found;
	bool		 ok;

	err_clear(&e);
	if (login == NULL || pw == NULL || login[0] == '\0' ||
	    pw[0] == '\0' || strlen(login) > USER_LOGIN_MAX ||
	    strlen(pw) > PASSWORD_LEN_MAX)
		return login_page(r, 422, login, i18n_text(r->lang,
		    "login.missing"));
	if (throttle_wait(r->db, login, r->client_text, &wait, &e) == -1)
		return -1;
	if (wait > 0) {
		audit_as(r, login, "login_throttled", login, "wait %llds",
		    (long long)wait);
		return login_page(r, 429, login, text_n(r,
		    "login.throttled", wait));
	}
	if ((found = db_user_by_login(r->db, r->a, login, &u, &e)) == -1)
		return -1;
	if (found == 1 && u.active)
		ok = password_verify(u.password_hash, pw);
	else {
		/* Same work for a missing or disabled account. */
		pthread_once(&dummy_once, dummy_init);
		(void)password_verify(dummy_hash, pw);
		ok = false;
	}
	if (!ok) {
		if (throttle_failed(r->db, login, r->client_text, &e) == -1)
			return -1;
		audit_as(r, login, "login_failed", login, "%s",
		    found == 1 && !u.active ? "account disabled" :
		    "wrong login or password");
		return login_page(r, 422, login, i18n_text(r->lang,
		    "login.failed"));
	}
	if (throttle_passed(r->db, login, &e) == -1)
		return -1;
	if (password_needs_rehash(u.password_hash)) {
		char	 h[PASSWORD_HASH_MAX];

		if (password_hash(pw, h, &e) == 0 &&
		    db_user_set_password(r->db, u.id, h, u.must_change, &e) ==
		    -1)
			log_warn("rehash for %s failed: %s", u.login, e.msg);
	}
	if (session_start(r, &u, u.totp_enabled ? SESSION_NEED_TOTP :
	    SESSION_FULL) == -1 || db_user_touch_login(r->db, u.id, &e) == -1)
		return -1;
	audit(r, u.totp_enabled ? "login_password" : "login", u.login, "%s",
	    u.totp_enabled ? "password accepted, second factor next" :
	    "signed in");
	return resp_redirect(r, landing(&u));
}

static int
totp_page(struct req *r, int status, const char *error)
{
	struct view_dict	*d = resp_dict(r, "login_totp");

	if (d == NULL)
		return -1;
	if (error != NULL)
		view_field_error(d, "code", error);
	return resp_page(r, status, "login_totp", d);
}

int
h_login_totp_get(struct req *r)
{
	if (r->signed_in)
		return resp_redirect(r, "/");
	return totp_page(r, 200, NULL);
}

/* Checks a six-digit code or a recovery code for user u. */
static int
second_factor_ok(struct req *r, const struct user *u, const char *code,
    bool *ok, bool *recovery)
{
	struct sbuf	 plain;
	struct err	 e;
	int64_t		 step = u->totp_last_step;

	*ok = *recovery = false;
	err_clear(&e);
	if (strlen(code) == 6 && strspn(code, "0123456789") == 6) {
		sbuf_init(&plain, r->a, 256);
		if (u->totp_secret.n == 0 ||
		    secret_open(r->web->secret_key, u->totp_secret.p,
		    u->totp_secret.n, &plain, &e) == -1) {
			log_err("second factor of %s cannot be opened: %s",
			    u->login, e.msg);
			return 0;
		}
		if (totp_verify((const uint8_t *)plain.p, plain.len, code,
		    (uint64_t)clock_now(), 1, &step))
			/* The database settles races between threads. */
			if (db_user_use_totp_step(r->db, u->id, step, ok,
			    &e) == -1)
				return -1;
		sodium_memzero(plain.p, plain.len);
		return 0;
	}
	{
		char	 norm[32];
		uint8_t	 h[32];
		size_t	 i, k = 0;

		for (i = 0; code[i] != '\0' && k + 1 < sizeof(norm); i++)
			if (code[i] != ' ')
				norm[k++] = (char)(code[i] >= 'A' &&
				    code[i] <= 'Z' ? code[i] + 32 : code[i]);
		norm[k] = '\0';
		crypto_generichash(h, sizeof(h), (unsigned char *)norm, k,
		    NULL, 0);
		if (db_recovery_use(r->db, u->id, h, ok, &e) == -1)
			return -1;
		*recovery = *ok;
	}
	return 0;
}

int
h_login_totp_post(struct req *r)
{
	const char	*code = req_field(r, "code");
	struct user	 u;
	struct err	 e;
	int64_t		 wait;
	bool		 ok, recovery;

	err_clear(&e);
	if (r->signed_in)
		return resp_redirect(r, "/");
	if (code == NULL || code[0] == '\0' || strlen(code) > 32)
		return totp_page(r, 422, i18n_text(r->lang, "totp.missing"));
	if (throttle_wait(r->db, r->sess.user.login, r->client_text, &wait,
	    &e) == -1)
		return -1;
	if (wait > 0)
		return totp_page(r, 429, text_n(r, "login.throttled", wait));
	if (db_user_by_id(r->db, r->a, r->sess.user.id, &u, &e) != 1)
		return -1;
	if (second_factor_ok(r, &u, code, &ok, &recovery) == -1)
		return -1;
	if (!ok) {
		if (throttle_failed(r->db, u.login, r->client_text, &e) == -1)
			return -1;
		audit(r, "login_totp_failed", u.login, "wrong code");
		return totp_page(r, 422, i18n_text(r->lang, "totp.wrong"));
	}
	sesscache_drop_session(r->sess.id);
	if (throttle_passed(r->db, u.login, &e) == -1 ||
	    db_session_set_stage(r->db, r->sess.id, SESSION_FULL, &e) == -1)
		return -1;
	audit(r, "login", u.login, "%s", recovery ?
	    "signed in with a recovery code" : "signed in with a code");
	if (recovery)
		resp_flash(r, "warn", "totp.recovery_used");
	return resp_redirect(r, u.must_change ? "/account/password" : "/");
}

int
h_logout_post(struct req *r)
{
	char	*login = arena_strdup(r->a, r->sess.user.login);

	if (audit(r, "logout", login, "signed out") == -1 ||
	    session_end(r) == -1)
		return -1;
	resp_flash(r, "ok", "flash.signed_out");
	return resp_redirect(r, "/login");
}

int
h_health_get(struct req *r)
{
	return resp_text(r, 200, "text/plain; charset=utf-8", "ok\n");
}
