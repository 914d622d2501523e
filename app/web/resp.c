/*
 * resp.c - response building (see resp.h). Every response carries the
 * security headers; dynamic pages are never cached. Header values are
 * checked for CR/LF/NUL before they are emitted.
 */
#include <fcgiapp.h>
#include <stdio.h>
#include <string.h>

#include "../conf/config.h"
#include "../core/arena.h"
#include "../core/err.h"
#include "../core/log.h"
#include "../view/i18n.h"
#include "../view/view.h"
#include "resp.h"

#define RESP_BODY_MAX	(16 * 1024 * 1024)
#define RESP_BODY_TYPICAL	(12 * 1024)	/* most pages fit at once */

static const char security_headers[] =
    "Content-Security-Policy: default-src 'none'; style-src 'self'; "
    "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'\r\n"
    "X-Content-Type-Options: nosniff\r\n"
    "X-Frame-Options: DENY\r\n"
    "Referrer-Policy: same-origin\r\n"
    "Cache-Control: no-store\r\n";

static const char *
status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Status";
	}
}

void
resp_header(struct req *r, const char *name, const char *value)
{
	if (!str_is_header_safe(str_from(value)) ||
	    !str_is_header_safe(str_from(name))) {
		log_warn("dropped unsafe header %s", name);
		return;
	}
	sbuf_printf(&r->headers, "%s: %s\r\n", name, value);
}

void
resp_cookie(struct req *r, const char *name, const char *value, int max_age)
{
	char	 age[32] = "";

	if (max_age >= 0)
		snprintf(age, sizeof(age), "; Max-Age=%d", max_age);
	if (!str_is_header_safe(str_from(value)) || strchr(value, ';')) {
		log_warn("dropped unsafe cookie %s", name);
		return;
	}
	sbuf_printf(&r->headers, "Set-Cookie: %s=%s; Path=/; HttpOnly; "
	    "SameSite=Lax%s%s\r\n", name, value, age,
	    r->web->cfg->web_tls ? "; Secure" : "");
}

int
resp_redirect(struct req *r, const char *path)
{
	/* Local paths only: "//host" or "/\host" would leave the site. */
	if (path[0] != '/' || path[1] == '/' || path[1] == '\\')
		path = "/";
	resp_header(r, "Location", path);
	r->status = 303;
	return 0;
}

void
resp_flash(struct req *r, const char *kind, const char *key)
{
	char	*v = arena_printf(r->a, "%s.%s", kind, key);

	if (v != NULL)
		resp_cookie(r, "tegami_flash", v, 60);
}

struct view_dict *
resp_dict(struct req *r, const char *screen)
{
	struct view_dict	*d;

	(void)screen;
	if ((d = view_dict_new(r->a)) == NULL)
		return NULL;
	view_set(d, "CSRF", r->csrf);
	view_set(d, "BACK", r->path);
	if (r->signed_in) {
		view_section_show(d, "SIGNED_IN");
		view_set(d, "USER_LOGIN", r->sess.user.login);
		view_set(d, "USER_NAME", r->sess.user.display_name[0] ?
		    r->sess.user.display_name : r->sess.user.login);
		view_section_show(d, r->sess.user.role == ROLE_ADMIN ?
		    "ROLE_ADMIN" : "ROLE_EDITOR");
	}
	if (r->flash_text != NULL)
		view_flash(d, r->flash_kind, r->flash_text);
	return d;
}

int
resp_page(struct req *r, int status, const char *screen,
    struct view_dict *d)
{
	struct err	 e;

	err_clear(&e);
	sbuf_reset(&r->body_out);
	if (view_render_page(screen, r->lang, d, &r->body_out, &e) == -1) {
		log_err("render %s: %s", screen, e.msg);
		sbuf_reset(&r->body_out);
		r->status = 500;
		r->content_type = "text/plain; charset=utf-8";
		sbuf_puts(&r->body_out, "Internal error.\n");
		return 0;
	}
	r->status = status;
	r->content_type = "text/html; charset=utf-8";
	return 0;
}

int
resp_error(struct req *r, int status, const char *key, const char *detail)
{
	struct view_dict	*d;
	struct err		 e;

	err_clear(&e);
	sbuf_reset(&r->body_out);
	r->status = status;
	r->content_type = "text/html; charset=utf-8";
	if ((d = resp_dict(r, "error")) != NULL) {
		view_set_int(d, "STATUS", status);
		view_set(d, "MESSAGE", i18n_text(r->lang, key));
		if (detail != NULL && detail[0] != '\0') {
			view_set(d, "DETAIL", detail);
			view_section_show(d, "HAS_DETAIL");
		}
		if (view_render_bare("error", r->lang, d, &r->body_out, &e) ==
		    0)
			return 0;
		log_err("render error page: %s", e.msg);
	}
	sbuf_reset(&r->body_out);
	r->content_type = "text/plain; charset=utf-8";
	sbuf_printf(&r->body_out, "%d %s\n", status, status_text(status));
	return 0;
}

int
resp_forbidden_ip(struct req *r)
{
	struct err	 e;

	err_clear(&e);
	sbuf_reset(&r->headers);
	sbuf_reset(&r->body_out);
	r->status = 403;
	r->content_type = "text/html; charset=utf-8";
	if (view_render_bare("forbidden_ip", r->lang ? r->lang : "en", NULL,
	    &r->body_out, &e) == 0)
		return 0;
	sbuf_reset(&r->body_out);
	r->content_type = "text/plain; charset=utf-8";
	sbuf_puts(&r->body_out, "403 Forbidden\n");
	return 0;
}

int
resp_text(struct req *r, int status, const char *content_type,
    const char *text)
{
	sbuf_reset(&r->body_out);
	r->status = status;
	r->content_type = content_type;
	sbuf_puts(&r->body_out, text);
	return 0;
}

void
resp_send(struct req *r)
{
	struct sbuf	 h;
	FCGX_Stream	*out = r->fcgi->out;
	bool		 head = r->method == METHOD_HEAD;

	if (sbuf_failed(&r->body_out)) {
		log_err("%s %s: response body over its limit", r->method_text,
		    r->path);
		sbuf_reset(&r->body_out);
		r->status = 500;
		r->content_type = "text/plain; charset=utf-8";
		sbuf_puts(&r->body_out, "Internal error.\n");
	}
	sbuf_init(&h, r->a, 0);
	sbuf_reserve(&h, 1024 + r->headers.len);
	sbuf_printf(&h, "Status: %d %s\r\nContent-Length: %zu\r\n",
	    r->status, status_text(r->status), r->body_out.len);
	if (r->content_type != NULL) {
		sbuf_puts(&h, "Content-Type: ");
		sbuf_puts(&h, r->content_type);
		sbuf_puts(&h, "\r\n");
	}
	sbuf_put(&h, security_headers, sizeof(security_headers) - 1);
	if (r->web->cfg->web_tls)
		sbuf_puts(&h, "Strict-Transport-Security: max-age=63072000; "
		    "includeSubDomains\r\n");
	sbuf_putstr(&h, sbuf_str(&r->headers));
	sbuf_puts(&h, "\r\n");
	FCGX_PutStr(h.p, (int)h.len, out);
	if (!head && r->body_out.len > 0)
		FCGX_PutStr(r->body_out.p, (int)r->body_out.len, out);
}

void
resp_init(struct req *r)
{
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";
	sbuf_init(&r->headers, r->a, 16 * 1024);
	sbuf_init(&r->body_out, r->a, RESP_BODY_MAX);
	sbuf_reserve(&r->body_out, RESP_BODY_TYPICAL);
}
