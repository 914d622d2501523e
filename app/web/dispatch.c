/*
 * dispatch.c - the request pipeline (see dispatch.h). The order is the
 * security design: nothing but route lookup (in memory) happens before the
 * allow-list check, and no handler runs before session, CSRF and role.
 */
#include <fcgiapp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../conf/config.h"
#include "../core/arena.h"
#include "../core/err.h"
#include "../core/log.h"
#include "../core/num.h"
#include "../view/i18n.h"
#include "cookie.h"
#include "csrf.h"
#include "dispatch.h"
#include "iprange.h"
#include "multipart.h"
#include "resp.h"
#include "route.h"
#include "session.h"
#include "sitecfg.h"
#include "urlenc.h"

static const struct proxies	*proxies;

void
dispatch_set_proxies(const struct proxies *p)
{
	proxies = p;
}

static enum method
method_parse(const char *m)
{
	if (m == NULL)
		return METHOD_OTHER;
	if (strcmp(m, "GET") == 0)
		return METHOD_GET;
	if (strcmp(m, "HEAD") == 0)
		return METHOD_HEAD;
	if (strcmp(m, "POST") == 0)
		return METHOD_POST;
	return METHOD_OTHER;
}

static const char *
request_path(struct req *r)
{
	const char	*p = req_param(r, "DOCUMENT_URI");
	const char	*q;

	if (p == NULL && (p = req_param(r, "REQUEST_URI")) != NULL &&
	    (q = strchr(p, '?')) != NULL)
		p = arena_strndup(r->a, p, (size_t)(q - p));
	if (p == NULL || p[0] != '/' || strlen(p) > REQ_PATH_MAX)
		return NULL;
	return p;
}

/* The language: the user's choice, else ?lang= / the tegami_lang cookie on
 * anonymous pages, else the browser's Accept-Language, else the default. */
static void
pick_lang(struct req *r)
{
	const char	*q = req_query(r, "lang");
	const char	*c = req_cookie(r, "tegami_lang");
	const char	*al = req_param(r, "HTTP_ACCEPT_LANGUAGE");

	if (r->has_session && r->sess.user.lang != NULL &&
	    i18n_lang_valid(r->sess.user.lang)) {
		r->lang = r->sess.user.lang;
		return;
	}
	if (i18n_lang_valid(q)) {
		r->lang = i18n_lang(q);
		resp_cookie(r, "tegami_lang", r->lang, 365 * 86400);
	} else if (i18n_lang_valid(c))
		r->lang = i18n_lang(c);
	else if (al != NULL && al[0] != '\0')
		r->lang = i18n_pick(al);
	else
		r->lang = i18n_lang(r->web->cfg->default_lang);
}

static void
take_flash(struct req *r)
{
	const char	*c = req_cookie(r, "tegami_flash");
	const char	*dot, *text;
	char		*kind;

	if (c == NULL)
		return;
	resp_cookie(r, "tegami_flash", "", 0);
	if ((dot = strchr(c, '.')) == NULL)
		return;
	kind = arena_strndup(r->a, c, (size_t)(dot - c));
	if (kind == NULL || (strcmp(kind, "ok") != 0 &&
	    strcmp(kind, "error") != 0 && strcmp(kind, "warn") != 0))
		return;
	/* Only catalog keys are shown: a forged cookie cannot inject text. */
	text = i18n_text(r->lang, dot + 1);
	if (strcmp(text, dot + 1) == 0)
		return;
	r->flash_kind = kind;
	r->flash_text = text;
}

static int
read_body(struct req *r)
{
	const struct config	*cfg = r->web->cfg;
	const char		*cl = req_param(r, "CONTENT_LENGTH");
	const char		*ct = req_param(r, "CONTENT_TYPE");
	bool			 upload;
	uint64_t		 len = 0, limit;
	char			*buf;
	struct err		 e;
	int			 got;

	err_clear(&e);
	upload = ct != NULL && strncasecmp(ct, "multipart/form-data", 19) == 0;
	limit = (uint64_t)(!r->signed_in ? cfg->web_body_max_anon :
	    upload && (r->route->flags & ROUTE_UPLOAD) ?
	    cfg->web_upload_max : cfg->web_body_max);
	if (cl != NULL && cl[0] != '\0' &&
	    num_parse_u64(str_from(cl), 0, UINT64_MAX, &len) == -1)
		return resp_error(r, 400, "error.bad_request",
		    "Content-Length is not a number"), -1;
	if (len > limit) {
		char	*d = arena_printf(r->a, "%llu > %llu bytes",
		    (unsigned long long)len, (unsigned long long)limit);

		resp_error(r, 413, "error.too_large", d);
		return -1;
	}
	if ((buf = arena_alloc(r->a, (size_t)len + 1)) == NULL) {
		resp_error(r, 500, "error.internal", NULL);
		return -1;
	}
	got = len > 0 ? FCGX_GetStr(buf, (int)len, r->fcgi->in) : 0;
	if (got < 0 || (uint64_t)got != len) {
		resp_error(r, 400, "error.bad_request",
		    "the request body ended early");
		return -1;
	}
	buf[len] = '\0';
	if (upload) {
		struct str	 boundary;

		if (!(r->route->flags & ROUTE_UPLOAD)) {
			resp_error(r, 400, "error.bad_request",
			    "this form does not take file uploads");
			return -1;
		}
		if (multipart_boundary(str_from(ct), &boundary, &e) == -1 ||
		    multipart_parse(buf, (size_t)len, boundary, r->a, &r->body,
		    &e) == -1) {
			resp_error(r, e.kind == ERR_TOO_LARGE ? 413 : 400,
			    e.kind == ERR_TOO_LARGE ? "error.too_large" :
			    "error.bad_request", e.msg);
			return -1;
		}
	} else if (len > 0) {
		if (ct != NULL && strncasecmp(ct,
		    "application/x-www-form-urlencoded", 33) != 0) {
			resp_error(r, 400, "error.bad_request",
			    "unsupported Content-Type for a form");
			return -1;
		}
		if (urlenc_parse(buf, (size_t)len, r->a, &r->body, &e) ==
		    -1) {
			resp_error(r, e.kind == ERR_TOO_LARGE ? 413 : 400,
			    e.kind == ERR_TOO_LARGE ? "error.too_large" :
			    "error.bad_request", e.msg);
			return -1;
		}
	}
	r->body_read = true;
	return 0;
}

/* Where a signed-in user must go first, or NULL. */
static const char *
forced_path(struct req *r)
{
	if (r->sess.stage == SESSION_NEED_TOTP)
		return (r->route->flags & ROUTE_HALF) ? NULL : "/login/totp";
	if (r->route->flags & ROUTE_FORCED_OK)
		return NULL;
	if (r->sess.user.must_change)
		return "/account/password";
	if (r->sess.user.role == ROLE_ADMIN && !r->sess.user.totp_enabled &&
	    sitecfg_require_totp_admin())
		return "/account/totp";
	return NULL;
}

static void
pipeline(struct req *r)
{
	const char		*q, *forced;
	uint64_t		 id = 0;
	bool			 other = false, expired = false;
	struct err		 e;

	err_clear(&e);
	r->method_text = req_param(r, "REQUEST_METHOD");
	r->method = method_parse(r->method_text);
	r->user_agent = req_param(r, "HTTP_USER_AGENT");
	r->lang = i18n_lang(r->web->cfg->default_lang);
	if (clientip_resolve(proxies, req_param(r, "REMOTE_ADDR"),
	    req_param(r, "HTTP_X_FORWARDED_FOR"), &r->client) == -1) {
		resp_forbidden_ip(r);
		return;
	}
	ip_format(&r->client, r->client_text, sizeof(r->client_text));
	if ((r->path = request_path(r)) == NULL) {
		r->path = "/";
		if (!iprange_allows(&r->client)) {
			resp_forbidden_ip(r);
			return;
		}
		resp_error(r, 400, "error.bad_request", "bad request path");
		return;
	}
	r->route = route_match(r->method == METHOD_HEAD ? METHOD_GET :
	    r->method, r->path, &id, &other);
	r->arg_id = id;
	/* 1. The allow-list, before anything touches the database. */
	if ((r->route == NULL || !(r->route->flags & ROUTE_PUBLIC)) &&
	    !iprange_allows(&r->client)) {
		log_info("refused %s %s from %s", r->method_text, r->path,
		    r->client_text);
		resp_forbidden_ip(r);
		return;
	}
	if (r->route != NULL && (r->route->flags & ROUTE_PUBLIC) &&
	    r->route->role == RROLE_ANON) {
		if (r->route->handler(r) == -1)
			resp_error(r, 500, "error.internal", NULL);
		return;
	}
	q = req_param(r, "QUERY_STRING");
	if (q != NULL && strlen(q) > REQ_QUERY_MAX) {
		resp_error(r, 413, "error.too_large", "query string");
		return;
	}
	if (q != NULL && q[0] != '\0' &&
	    urlenc_parse(q, strlen(q), r->a, &r->query, &e) == -1) {
		resp_error(r, 400, "error.bad_request", e.msg);
		return;
	}
	q = req_param(r, "HTTP_COOKIE");
	if (q != NULL && strlen(q) <= REQ_COOKIE_MAX &&
	    cookie_parse(q, strlen(q), r->a, &r->cookies, &e) == -1)
		memset(&r->cookies, 0, sizeof(r->cookies));
	/* 2. The session. */
	if (r->db == NULL) {
		pick_lang(r);
		resp_error(r, 503, "error.unavailable", NULL);
		return;
	}
	if (session_load(r, &expired) == -1) {
		pick_lang(r);
		resp_error(r, 503, "error.unavailable", NULL);
		return;
	}
	pick_lang(r);
	take_flash(r);
	if (expired && r->flash_text == NULL) {
		r->flash_kind = "warn";
		r->flash_text = i18n_text(r->lang, "flash.session_expired");
	}
	if (r->route == NULL) {
		resp_error(r, other ? 405 : 404, other ?
		    "error.method" : "error.not_found", NULL);
		return;
	}
	csrf_prepare(r);
	/* 3. CSRF on every unsafe method. */
	if (r->method == METHOD_POST) {
		if (read_body(r) == -1)
			return;
		if (!(r->route->flags & ROUTE_NO_CSRF) && !csrf_check(r)) {
			log_info("CSRF refusal %s %s from %s", r->method_text,
			    r->path, r->client_text);
			resp_error(r, 403, "error.csrf", NULL);
			return;
		}
	}
	/* 4. The role. */
	if (r->route->role != RROLE_ANON) {
		if (!r->has_session) {
			resp_redirect(r, "/login");
			return;
		}
		if ((forced = forced_path(r)) != NULL) {
			resp_redirect(r, forced);
			return;
		}
		if (!r->signed_in && !(r->route->flags & ROUTE_HALF)) {
			resp_redirect(r, "/login");
			return;
		}
		if ((r->route->role == RROLE_ADMIN &&
		    r->sess.user.role != ROLE_ADMIN) ||
		    (r->route->role == RROLE_EDITOR &&
		    r->sess.user.role != ROLE_ADMIN &&
		    r->sess.user.role != ROLE_EDITOR)) {
			resp_error(r, 403, "error.role", NULL);
			return;
		}
	}
	/* 5. The handler. */
	if (r->route->handler(r) == -1)
		resp_error(r, 500, "error.internal", NULL);
}

void
dispatch(struct req *r)
{
	pipeline(r);
}
