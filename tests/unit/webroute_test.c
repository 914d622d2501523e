/*
 * webroute_test.c - walks the routing table: every route declares a role, only
 * the routes meant to be public skip the allow-list, administrator screens
 * are administrator-only, and patterns match as intended.
 */
#include <string.h>

#include "../../app/web/route.h"
#include "t.h"

/* The routes exempt from the allow-list, on purpose (docs/routes.md). */
static const char *const public_paths[] = { "/healthz", NULL };

static bool
is_listed_public(const char *pattern)
{
	size_t	 i;

	for (i = 0; public_paths[i] != NULL; i++)
		if (strcmp(public_paths[i], pattern) == 0)
			return true;
	return false;
}

static void
test_every_route_guarded(void)
{
	const struct route	*v;
	size_t			 n, i;

	v = route_table(&n);
	T_OK(n > 10, "the table has routes (%zu)", n);
	for (i = 0; i < n; i++) {
		T_OK(v[i].role > RROLE_UNSET && v[i].role < RROLE__MAX,
		    "%s %s declares a role", v[i].method == METHOD_POST ?
		    "POST" : "GET", v[i].pattern);
		T_OK(v[i].handler != NULL, "%s has a handler", v[i].pattern);
		T_OK(!(v[i].flags & ROUTE_PUBLIC) ||
		    is_listed_public(v[i].pattern),
		    "%s is public only if meant to be", v[i].pattern);
		if (strncmp(v[i].pattern, "/admin/", 7) == 0)
			T_OK(v[i].role == RROLE_ADMIN,
			    "%s is administrators only", v[i].pattern);
		if (v[i].role == RROLE_ANON && !(v[i].flags & ROUTE_PUBLIC))
			T_OK(strncmp(v[i].pattern, "/login", 6) == 0 ||
			    strcmp(v[i].pattern, "/metrics") == 0,
			    "%s needs no session: a sign-in screen or the "
			    "scrapers' metrics", v[i].pattern);
		T_OK(!(v[i].flags & ROUTE_NO_CSRF),
		    "%s keeps its CSRF check", v[i].pattern);
	}
}

static void
test_match(void)
{
	static const struct {
		const char	*name;
		enum method	 m;
		const char	*path;
		const char	*want;	/* pattern, NULL: none */
		uint64_t	 id;
		bool		 other;
	} cases[] = {
		{ "root", METHOD_GET, "/", "/", 0, false },
		{ "user id", METHOD_GET, "/admin/users/42", "/admin/users/{id}",
		    42, false },
		{ "new before id", METHOD_GET, "/admin/users/new",
		    "/admin/users/new", 0, false },
		{ "id zero", METHOD_GET, "/admin/users/0", NULL, 0, false },
		{ "id garbage", METHOD_GET, "/admin/users/4x", NULL, 0, false },
		{ "id overflow", METHOD_GET,
		    "/admin/users/99999999999999999999999", NULL, 0, false },
		{ "delete", METHOD_POST, "/admin/ip/7/delete",
		    "/admin/ip/{id}/delete", 7, false },
		{ "trailing slash", METHOD_GET, "/admin/users/", NULL, 0,
		    false },
		{ "wrong method", METHOD_POST, "/admin/audit", NULL, 0, true },
		{ "unknown", METHOD_GET, "/nope", NULL, 0, false },
		{ "dot segments", METHOD_GET, "/admin/../admin/users", NULL, 0,
		    false },
	};
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t		 id = 0;
		bool			 other = false;
		const struct route	*r = route_match(cases[i].m,
					    cases[i].path, &id, &other);

		if (cases[i].want == NULL)
			T_OK(r == NULL && other == cases[i].other, "%s",
			    cases[i].name);
		else
			T_OK(r != NULL && strcmp(r->pattern, cases[i].want) ==
			    0 && id == cases[i].id, "%s", cases[i].name);
	}
}

int
main(void)
{
	T_SUITE("webroute");
	T_RUN(test_every_route_guarded);
	T_RUN(test_match);
	return t_done("webroute");
}
