/*
 * resp.h - building the response: status, headers (security headers always),
 * cookies, redirects, pages through the view layer, and flash messages that
 * survive one redirect.
 */
#ifndef WEB_RESP_H
#define WEB_RESP_H

#include <stdbool.h>

#include "req.h"

struct view_dict;

/* Adds a header line; refuses (logs, drops) values with CR, LF or NUL. */
void	 resp_header(struct req *, const char *name, const char *value);
/* Set-Cookie with Path=/, HttpOnly, SameSite=Lax, Secure when TLS;
 * max_age < 0: session cookie, 0: delete. */
void	 resp_cookie(struct req *, const char *name, const char *value,
	    int max_age);
/* 303 See Other to a local path (must start with a single '/'). */
int	 resp_redirect(struct req *, const char *path);
/* A flash message (catalog key) shown on the next page. */
void	 resp_flash(struct req *, const char *kind, const char *key);
/* Renders screen inside the layout with the frame filled in. */
int	 resp_page(struct req *, int status, const char *screen,
	    struct view_dict *);
/* The error page: status, a catalog key for the sentence, optional detail
 * (e.g. a parser's message naming what is wrong). */
int	 resp_error(struct req *, int status, const char *key,
	    const char *detail);
/* The plain page for a refused address: reveals nothing. */
int	 resp_forbidden_ip(struct req *);
int	 resp_text(struct req *, int status, const char *content_type,
	    const char *text);
/* Sets up the response half of a new request. */
void	 resp_init(struct req *);
/* Writes status, headers and body to the FastCGI stream. */
void	 resp_send(struct req *);
/* A new dictionary with the frame (user, language, CSRF, navigation,
 * flash) filled in, for a handler to add its own values to. */
struct view_dict *resp_dict(struct req *, const char *screen);

#endif
