/*
 * config.h - Tegami's configuration: every key, its default and its bounds
 * (docs/configuration.md explains each). Read once at start; read-only after
 * threads start.
 */
#ifndef CONF_CONFIG_H
#define CONF_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/cfg.h"

struct err;

struct config {
	/* database */
	char	 db_socket[CFG_VALUE_MAX];	/* unix socket path, or "" */
	char	 db_host[CFG_VALUE_MAX];
	int64_t	 db_port;
	char	 db_name[CFG_VALUE_MAX];
	char	 db_user[CFG_VALUE_MAX];
	char	 db_password[CFG_VALUE_MAX];
	/* web */
	char	 web_socket[CFG_VALUE_MAX];	/* FastCGI unix socket */
	int64_t	 web_threads;
	int64_t	 web_body_max;			/* bytes, signed-in requests */
	int64_t	 web_body_max_anon;		/* bytes, before login */
	int64_t	 web_upload_max;		/* bytes, multipart bodies */
	char	 web_trusted_proxies[CFG_VALUE_MAX];	/* CIDRs, commas */
	bool	 web_tls;			/* behind TLS: HSTS, __Host- */
	char	 web_base_url[CFG_VALUE_MAX];
	char	 web_templates[CFG_VALUE_MAX];	/* templates/ directory */
	int64_t	 session_idle;			/* seconds */
	int64_t	 session_absolute;		/* seconds */
	int64_t	 password_min;			/* characters */
	char	 default_lang[CFG_VALUE_MAX];	/* ja or en */
	char	 default_tz[CFG_VALUE_MAX];
	/* sender */
	char	 sender_id[CFG_VALUE_MAX];
	char	 sender_key_file[CFG_VALUE_MAX];	/* sealing secret key */
	char	 sender_status_socket[CFG_VALUE_MAX];
	char	 sender_helo[CFG_VALUE_MAX];
	char	 sender_smarthost[CFG_VALUE_MAX];	/* host:port or "" */
	char	 sender_smarthost_domains[CFG_VALUE_MAX]; /* "": all */
	char	 sender_tls[CFG_VALUE_MAX];	/* default STARTTLS policy */
	char	 sender_tls_ca_file[CFG_VALUE_MAX];	/* for "verify" */
	char	 sender_dns[CFG_VALUE_MAX];		/* ip:port list or "" */
	int64_t	 sender_batch;
	int64_t	 sender_lease;			/* seconds */
	int64_t	 sender_connections_max;
	int64_t	 sender_max_age;		/* seconds before bounce */
	/* secrets at rest */
	char	 secret_key_file[CFG_VALUE_MAX];	/* 32-byte key, 0400 */
};

/* Loads defaults, then path (may be NULL), then TEGAMI_* variables. */
int	 config_load(struct config *, const char *path, struct err *)
	    __attribute__((warn_unused_result));
/* The key table, for `tegami config` and docs. */
const struct cfg_key *config_keys(size_t *n);

#endif
