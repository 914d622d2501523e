/*
 * route.h - the routing table: method + path pattern → handler, the role it
 * needs and its flags. Every route declares a role; a unit test walks the
 * table to prove none is unguarded by accident.
 */
#ifndef WEB_ROUTE_H
#define WEB_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "req.h"

enum route_role {
	RROLE_UNSET = 0,	/* a bug: the table test refuses it */
	RROLE_ANON,		/* no session needed (sign-in screens) */
	RROLE_ANY,		/* any signed-in user */
	RROLE_EDITOR,		/* editors and administrators */
	RROLE_ADMIN,		/* administrators only */
	RROLE__MAX
};

#define ROUTE_PUBLIC	0x01	/* exempt from the IP allow-list */
#define ROUTE_HALF	0x02	/* a session awaiting its second factor may use it */
#define ROUTE_FORCED_OK	0x04	/* reachable while a password change or a
				   second-factor setup is forced */
#define ROUTE_UPLOAD	0x08	/* multipart/form-data bodies accepted */
#define ROUTE_NO_CSRF	0x10	/* POST without a form token (none yet) */

struct route {
	enum method	 method;
	const char	*pattern;	/* "/admin/users/{id}" */
	enum route_role	 role;
	unsigned	 flags;
	int		(*handler)(struct req *);
	const char	*name;		/* for logs and the audit trail */
};

/* The route for method and path, filling *id for a {id} segment. NULL when
 * nothing matches; *other_method tells a 405 from a 404. */
const struct route *route_match(enum method, const char *path, uint64_t *id,
	    bool *other_method);
const struct route *route_table(size_t *n);
const char	*route_role_name(enum route_role);

#endif
