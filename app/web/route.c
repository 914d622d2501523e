/*
 * route.c - the routing table (see route.h). Patterns are literal segments
 * and "{id}" (a positive decimal number). Keep this table the one place
 * that says who may reach what; docs/routes.md mirrors it.
 */
#include <string.h>

#include "../core/num.h"
#include "handlers.h"
#include "route.h"

#define G METHOD_GET
#define P METHOD_POST

static const struct route routes[] = {
	{ G, "/healthz", RROLE_ANON, ROUTE_PUBLIC, h_health_get, "health" },
	{ G, "/login", RROLE_ANON, 0, h_login_get, "login" },
	{ P, "/login", RROLE_ANON, 0, h_login_post, "login" },
	{ G, "/login/totp", RROLE_ANY, ROUTE_HALF, h_login_totp_get,
	    "login_totp" },
	{ P, "/login/totp", RROLE_ANY, ROUTE_HALF, h_login_totp_post,
	    "login_totp" },
	{ P, "/logout", RROLE_ANY, ROUTE_HALF | ROUTE_FORCED_OK,
	    h_logout_post, "logout" },
	{ G, "/", RROLE_ANY, 0, h_dashboard_get, "dashboard" },
	{ G, "/account", RROLE_ANY, 0, h_account_get, "account" },
	{ P, "/account", RROLE_ANY, 0, h_account_post, "account" },
	{ P, "/account/lang", RROLE_ANY, ROUTE_FORCED_OK,
	    h_account_lang_post, "account_lang" },
	{ G, "/account/password", RROLE_ANY, ROUTE_FORCED_OK, h_password_get,
	    "account_password" },
	{ P, "/account/password", RROLE_ANY, ROUTE_FORCED_OK,
	    h_password_post, "account_password" },
	{ G, "/account/totp", RROLE_ANY, ROUTE_FORCED_OK, h_totp_get,
	    "account_totp" },
	{ P, "/account/totp", RROLE_ANY, ROUTE_FORCED_OK, h_totp_post,
	    "account_totp" },
	{ G, "/admin/users", RROLE_ADMIN, 0, h_users_list, "users" },
	{ G, "/admin/users/new", RROLE_ADMIN, 0, h_users_new_get,
	    "user_new" },
	{ P, "/admin/users/new", RROLE_ADMIN, 0, h_users_new_post,
	    "user_new" },
	{ G, "/admin/users/{id}", RROLE_ADMIN, 0, h_users_edit_get,
	    "user_edit" },
	{ P, "/admin/users/{id}", RROLE_ADMIN, 0, h_users_edit_post,
	    "user_edit" },
	{ G, "/admin/ip", RROLE_ADMIN, 0, h_ip_list, "ip_ranges" },
	{ P, "/admin/ip", RROLE_ADMIN, 0, h_ip_add, "ip_ranges" },
	{ G, "/admin/ip/{id}", RROLE_ADMIN, 0, h_ip_edit_get, "ip_edit" },
	{ P, "/admin/ip/{id}", RROLE_ADMIN, 0, h_ip_edit_post, "ip_edit" },
	{ P, "/admin/ip/{id}/delete", RROLE_ADMIN, 0, h_ip_delete,
	    "ip_delete" },
	{ G, "/admin/audit", RROLE_ADMIN, 0, h_audit_list, "audit" },
	{ G, "/admin/security", RROLE_ADMIN, 0, h_security_get, "security" },
	{ P, "/admin/security", RROLE_ADMIN, 0, h_security_post,
	    "security" },
	{ G, "/admin/delivery", RROLE_ADMIN, 0, h_delivery_list,
	    "delivery" },
	{ P, "/admin/delivery/profile", RROLE_ADMIN, 0,
	    h_delivery_profile_add, "delivery_profile_add" },
	{ G, "/admin/delivery/profile/{id}", RROLE_ADMIN, 0,
	    h_delivery_profile_get, "delivery_profile" },
	{ P, "/admin/delivery/profile/{id}", RROLE_ADMIN, 0,
	    h_delivery_profile_post, "delivery_profile" },
	{ P, "/admin/delivery/profile/{id}/delete", RROLE_ADMIN, 0,
	    h_delivery_profile_delete, "delivery_profile_delete" },
	{ P, "/admin/delivery/rule", RROLE_ADMIN, 0, h_delivery_rule_add,
	    "delivery_rule_add" },
	{ G, "/admin/delivery/rule/{id}", RROLE_ADMIN, 0,
	    h_delivery_rule_get, "delivery_rule" },
	{ P, "/admin/delivery/rule/{id}", RROLE_ADMIN, 0,
	    h_delivery_rule_post, "delivery_rule" },
	{ P, "/admin/delivery/rule/{id}/delete", RROLE_ADMIN, 0,
	    h_delivery_rule_delete, "delivery_rule_delete" },
	{ P, "/admin/delivery/lift", RROLE_ADMIN, 0, h_delivery_lift,
	    "delivery_lift" },
	{ P, "/admin/delivery/alert/{id}/ack", RROLE_ADMIN, 0,
	    h_delivery_alert_ack, "delivery_alert_ack" },
	/* For scrapers: no session, but behind the allow-list. */
	{ G, "/metrics", RROLE_ANON, 0, h_metrics_get, "metrics" },
};

static const char *const role_names[RROLE__MAX] = {
	"unset", "anonymous", "signed in", "editor", "administrator",
};

const char *
route_role_name(enum route_role r)
{
	return r < RROLE__MAX ? role_names[r] : "?";
}

/* Matches path against pattern; a "{id}" segment must be a number. */
static bool
matches(const char *pat, const char *path, uint64_t *id)
{
	while (*pat != '\0') {
		if (strncmp(pat, "{id}", 4) == 0) {
			const char	*end = path;
			uint64_t	 v;

			while (*end >= '0' && *end <= '9')
				end++;
			if (num_parse_u64((struct str){ path,
			    (size_t)(end - path) }, 1, UINT64_MAX, &v) == -1)
				return false;
			*id = v;
			path = end;
			pat += 4;
			continue;
		}
		if (*pat != *path)
			return false;
		pat++;
		path++;
	}
	return *path == '\0';
}

const struct route *
route_match(enum method m, const char *path, uint64_t *id, bool *other)
{
	size_t	 i;

	*other = false;
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		uint64_t	 v = 0;

		if (!matches(routes[i].pattern, path, &v))
			continue;
		if (routes[i].method != m) {
			*other = true;
			continue;
		}
		*id = v;
		return &routes[i];
	}
	return NULL;
}

const struct route *
route_table(size_t *n)
{
	*n = sizeof(routes) / sizeof(routes[0]);
	return routes;
}
