/*
 * req.h - one FastCGI request as tegami-web sees it, from the parameters
 * nginx sent to the response being built. Everything hangs off the
 * request's arena and is released when the reply has been flushed.
 */
#ifndef WEB_REQ_H
#define WEB_REQ_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/cidr.h"
#include "../core/sbuf.h"
#include "../core/str.h"
#include "../db/db_session.h"
#include "formdata.h"

struct arena;
struct config;
struct db;
struct route;
struct view_dict;
struct FCGX_Request;

enum method { METHOD_GET, METHOD_HEAD, METHOD_POST, METHOD_OTHER,
	METHOD__MAX };

#define REQ_PATH_MAX		1024
#define REQ_QUERY_MAX		4096
#define REQ_COOKIE_MAX		8192
#define REQ_ROUTE_ARGS_MAX	2

/* Shared, read-only after start: what every worker thread needs. */
struct web {
	const struct config	*cfg;
	uint8_t			 csrf_key[32];	/* derived from the secret key */
	uint8_t			 secret_key[32];	/* secrets at rest */
	const char		*session_cookie;	/* name, __Host- with TLS */
	const char		*pre_cookie;
};

struct req {
	struct FCGX_Request	*fcgi;
	struct arena		*a;
	struct db		*db;
	const struct web	*web;

	enum method		 method;
	const char		*method_text;
	const char		*path;		/* without the query string */
	struct form		 query;
	struct form		 cookies;
	struct form		 body;		/* POST fields */
	bool			 body_read;
	struct ipaddr		 client;
	char			 client_text[CIDR_TEXT_MAX];
	const char		*user_agent;
	const struct route	*route;
	uint64_t		 arg_id;	/* {id} in the path, 0 if none */

	/* Session: signed is true for a full (second factor done) session. */
	bool			 has_session;
	bool			 signed_in;
	struct session_row	 sess;
	const char		*lang;		/* "ja" or "en" */
	const char		*tz;
	char			 csrf[64];	/* token text for forms */

	/* Response. */
	int			 status;
	struct sbuf		 headers;	/* extra header lines */
	struct sbuf		 body_out;
	const char		*content_type;
	const char		*flash_kind;	/* for the page being rendered */
	const char		*flash_text;
};

/* A request parameter from nginx (REQUEST_METHOD, REMOTE_ADDR, ...). */
const char	*req_param(const struct req *, const char *name);
/* A query field's value ("" when absent); repeats count as absent. */
const char	*req_query(const struct req *, const char *name);
/* A POST field's value, NULL when absent; a repeat sets *bad. */
const char	*req_field(const struct req *, const char *name);
bool		 req_field_repeated(const struct req *, const char *name);
const char	*req_cookie(const struct req *, const char *name);
bool		 req_is_admin(const struct req *);

#endif
