/*
 * req.c - request accessors (see req.h).
 */
#include <fcgiapp.h>
#include <string.h>

#include "formdata.h"
#include "req.h"

const char *
req_param(const struct req *r, const char *name)
{
	return FCGX_GetParam(name, r->fcgi->envp);
}

static const char *
form_value(const struct form *f, const char *name)
{
	const struct form_field	*ff;
	bool			 repeated = false;

	ff = formdata_get(f, name, &repeated);
	return ff == NULL || repeated ? NULL : ff->value.p;
}

const char *
req_query(const struct req *r, const char *name)
{
	const char	*v = form_value(&r->query, name);

	return v ? v : "";
}

const char *
req_field(const struct req *r, const char *name)
{
	return form_value(&r->body, name);
}

bool
req_field_repeated(const struct req *r, const char *name)
{
	bool	 repeated = false;

	(void)formdata_get(&r->body, name, &repeated);
	return repeated;
}

const char *
req_cookie(const struct req *r, const char *name)
{
	size_t	 i;

	/* Browsers may send a name twice (paths); the first one wins. */
	for (i = 0; i < r->cookies.n; i++)
		if (str_eq_cstr(r->cookies.f[i].name, name))
			return r->cookies.f[i].value.p;
	return NULL;
}

bool
req_is_admin(const struct req *r)
{
	return r->signed_in && r->sess.user.role == ROLE_ADMIN;
}
