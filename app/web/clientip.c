/*
 * clientip.c - the client's address (see clientip.h). X-Forwarded-For is a
 * list any client can forge; only the entries appended by proxies we trust
 * count, so it is read from the right and stops at the first address that
 * is not a trusted proxy.
 */
#include <string.h>

#include "../core/err.h"
#include "clientip.h"
#include "iprange.h"

int
clientip_proxies_parse(const char *list, struct proxies *p, struct err *e)
{
	struct str	 rest = str_from(list), item;

	p->n = 0;
	while (rest.n > 0) {
		str_cut(rest, ',', &item, &rest);
		item = str_trim(item);
		if (item.n == 0)
			continue;
		if (p->n == TRUSTED_PROXIES_MAX)
			return err_set(e, ERR_INPUT, "web.trusted_proxies: "
			    "more than %d entries", TRUSTED_PROXIES_MAX);
		if (cidr_parse(item, &p->v[p->n], e) == -1)
			return -1;
		p->n++;
	}
	return 0;
}

int
clientip_resolve(const struct proxies *p, const char *remote_addr,
    const char *xff, struct ipaddr *out)
{
	struct err	 e;
	struct str	 s;

	err_clear(&e);
	if (remote_addr == NULL ||
	    ip_parse(str_from(remote_addr), out, &e) == -1)
		return -1;
	if (p->n == 0 || xff == NULL ||
	    !iprange_list_allows(p->v, p->n, out))
		return 0;
	s = str_from(xff);
	while (s.n > 0) {
		struct str	 item;
		struct ipaddr	 a;
		const char	*comma = memrchr(s.p, ',', s.n);

		if (comma != NULL) {
			item = (struct str){ comma + 1,
			    s.n - (size_t)(comma + 1 - s.p) };
			s.n = (size_t)(comma - s.p);
		} else {
			item = s;
			s.n = 0;
		}
		item = str_trim(item);
		if (ip_parse(item, &a, &e) == -1)
			return 0;	/* garbage: stay with the proxy */
		*out = a;
		if (!iprange_list_allows(p->v, p->n, &a))
			return 0;
	}
	return 0;
}
