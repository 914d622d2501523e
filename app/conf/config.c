/*
 * config.c - Tegami's configuration keys (see config.h and
 * docs/configuration.md). Environment variables TEGAMI_<KEY> override the
 * file, e.g. TEGAMI_DB_SOCKET for db.socket.
 */
#include <stddef.h>
#include <string.h>

#include "../core/err.h"
#include "config.h"

static int
check_lang(const char *v, struct err *e)
{
	if (strcmp(v, "ja") == 0 || strcmp(v, "en") == 0)
		return 0;
	return err_set(e, ERR_INPUT, "\"%s\" is not a supported language "
	    "(ja or en)", v);
}

static int
check_tls(const char *v, struct err *e)
{
	if (strcmp(v, "none") == 0 || strcmp(v, "opportunistic") == 0 ||
	    strcmp(v, "required") == 0 || strcmp(v, "verify") == 0)
		return 0;
	return err_set(e, ERR_INPUT, "\"%s\" is not a TLS policy (none, "
	    "opportunistic, required or verify)", v);
}

static int
check_abs_path(const char *v, struct err *e)
{
	if (v[0] == '\0' || v[0] == '/')
		return 0;
	return err_set(e, ERR_INPUT, "\"%s\" must be an absolute path", v);
}

#define S(name, field, def, chk) { name, CFG_STRING, def, 0, 0,	\
	offsetof(struct config, field), chk }
#define I(name, field, def, lo, hi) { name, CFG_INT, def, lo, hi,	\
	offsetof(struct config, field), NULL }
#define B(name, field, def) { name, CFG_BOOL, def, 0, 0,		\
	offsetof(struct config, field), NULL }

static const struct cfg_key config_table[] = {
	S("db.socket", db_socket, "", check_abs_path),
	S("db.host", db_host, "localhost", NULL),
	I("db.port", db_port, "3306", 1, 65535),
	S("db.name", db_name, "tegami", NULL),
	S("db.user", db_user, "tegami", NULL),
	S("db.password", db_password, "", NULL),
	S("web.socket", web_socket, "/run/tegami/web.sock", check_abs_path),
	I("web.threads", web_threads, "8", 1, 256),
	I("web.body_max", web_body_max, "1048576", 1024, 1073741824),
	I("web.body_max_anon", web_body_max_anon, "8192", 512, 1048576),
	I("web.upload_max", web_upload_max, "33554432", 1024, 1073741824),
	S("web.trusted_proxies", web_trusted_proxies, "", NULL),
	B("web.tls", web_tls, "false"),
	S("web.base_url", web_base_url, "http://127.0.0.1:8080", NULL),
	S("web.templates", web_templates, "templates", NULL),
	I("session.idle", session_idle, "1800", 60, 86400 * 7),
	I("session.absolute", session_absolute, "43200", 300, 86400 * 30),
	I("password.min", password_min, "12", 8, 128),
	S("ui.lang", default_lang, "ja", check_lang),
	S("ui.tz", default_tz, "Asia/Tokyo", NULL),
	S("sender.id", sender_id, "", NULL),
	S("sender.key_file", sender_key_file, "", check_abs_path),
	S("sender.status_socket", sender_status_socket, "", check_abs_path),
	S("sender.helo", sender_helo, "localhost", NULL),
	S("sender.smarthost", sender_smarthost, "", NULL),
	S("sender.smarthost_domains", sender_smarthost_domains, "", NULL),
	S("sender.tls", sender_tls, "opportunistic", check_tls),
	S("sender.tls_ca_file", sender_tls_ca_file, "", check_abs_path),
	S("sender.dns", sender_dns, "", NULL),
	I("sender.batch", sender_batch, "500", 1, 10000),
	I("sender.lease", sender_lease, "300", 10, 86400),
	I("sender.connections_max", sender_connections_max, "1000", 1,
	    100000),
	I("sender.max_age", sender_max_age, "345600", 60, 86400 * 30),
	S("secret.key_file", secret_key_file, "", check_abs_path),
};

int
config_load(struct config *c, const char *path, struct err *e)
{
	memset(c, 0, sizeof(*c));
	return cfg_load(config_table, sizeof(config_table) /
	    sizeof(config_table[0]), c, path, "TEGAMI_", e);
}

const struct cfg_key *
config_keys(size_t *n)
{
	*n = sizeof(config_table) / sizeof(config_table[0]);
	return config_table;
}
