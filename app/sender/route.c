/*
 * route.c - MX ordering, implicit MX, null MX and smarthost choice (see
 * route.h). RFC 5321 §5.1, RFC 7505.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/err.h"
#include "../core/num.h"
#include "../core/str.h"
#include "route.h"

const char *const route_status_names[ROUTE__MAX] = {
	"ok", "null MX", "no such domain", "temporary DNS failure",
};

static void
copy_name(char *dst, const char *src)
{
	size_t	 n = strlen(src);

	if (n >= ROUTE_NAME_MAX)
		n = ROUTE_NAME_MAX - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	/* A trailing dot names the same host. */
	if (n > 1 && dst[n - 1] == '.')
		dst[n - 1] = '\0';
}

static bool
is_null_mx(const char *h)
{
	return h[0] == '\0' || strcmp(h, ".") == 0;
}

#define ROUTE_MX_MAX	64	/* records looked at per answer */

void
route_from_mx(struct route *r, const char *domain, enum route_dns dns,
    const struct route_mx *mx, size_t n)
{
	size_t	 idx[ROUTE_MX_MAX], i, j, k, t;
	char	 name[ROUTE_NAME_MAX];

	memset(r, 0, sizeof(*r));
	switch (dns) {
	case ROUTE_DNS_NXDOMAIN:
		r->st = ROUTE_NO_DOMAIN;
		return;
	case ROUTE_DNS_TEMPFAIL:
		r->st = ROUTE_TEMPFAIL;
		return;
	case ROUTE_DNS_NODATA:
		n = 0;
		break;
	default:
		break;
	}
	if (n > ROUTE_MX_MAX)
		n = ROUTE_MX_MAX;
	/* RFC 7505 §3: a null MX is the only record; if one shows up among
	 * others the domain still declared it takes no mail. */
	for (i = 0; i < n; i++)
		if (mx[i].host == NULL || is_null_mx(mx[i].host)) {
			r->st = ROUTE_NULL_MX;
			return;
		}
	r->st = ROUTE_OK;
	if (n == 0) {
		/* RFC 5321 §5.1: no MX, the domain is its own host. */
		r->implicit = true;
		r->nhosts = 1;
		copy_name(r->hosts[0].name, domain);
		r->hosts[0].port = 25;
		return;
	}
	/* Insertion sort of indexes by preference: stable, n is bounded. */
	for (i = 0; i < n; i++) {
		idx[i] = i;
		for (j = i; j > 0 && mx[idx[j - 1]].pref > mx[idx[j]].pref;
		    j--) {
			t = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
	}
	for (i = 0; i < n && r->nhosts < ROUTE_HOSTS_MAX; i++) {
		copy_name(name, mx[idx[i]].host);
		for (k = 0; k < r->nhosts; k++)
			if (strcasecmp(r->hosts[k].name, name) == 0)
				break;
		if (k < r->nhosts)
			continue;
		memcpy(r->hosts[r->nhosts].name, name, sizeof(name));
		r->hosts[r->nhosts].port = 25;
		r->nhosts++;
	}
}

int
route_smarthost_parse(struct route_smarthost *sh, const char *spec,
    const char *domains, struct err *e)
{
	struct str	 s, host, port, rest, d;
	uint64_t	 p = 25;

	memset(sh, 0, sizeof(*sh));
	if (spec == NULL || spec[0] == '\0')
		return 0;
	s = str_trim(str_from(spec));
	if (s.n > 0 && s.p[0] == '[') {
		/* "[v6]" or "[v6]:port" */
		s.p++, s.n--;
		if (!str_cut(s, ']', &host, &rest))
			return err_set(e, ERR_INPUT, "smarthost %s: missing ]",
			    spec);
		if (rest.n > 0) {
			if (rest.p[0] != ':')
				return err_set(e, ERR_INPUT,
				    "smarthost %s: junk after ]", spec);
			port = (struct str){ rest.p + 1, rest.n - 1 };
			if (num_parse_u64(port, 1, 65535, &p) == -1)
				return err_set(e, ERR_INPUT,
				    "smarthost %s: bad port", spec);
		}
	} else if (str_cut(s, ':', &host, &port)) {
		if (memchr(port.p, ':', port.n) != NULL ||
		    num_parse_u64(port, 1, 65535, &p) == -1)
			return err_set(e, ERR_INPUT,
			    "smarthost %s: bad port (IPv6 needs [addr]:port)",
			    spec);
	} else
		host = s;
	if (host.n == 0 || host.n >= ROUTE_NAME_MAX)
		return err_set(e, ERR_INPUT, "smarthost %s: bad host", spec);
	memcpy(sh->host, host.p, host.n);
	sh->host[host.n] = '\0';
	sh->port = (uint16_t)p;
	rest = str_from(domains);
	while (rest.n > 0) {
		if (!str_cut(rest, ',', &d, &rest)) {
			d = rest;
			rest = STR_NULL;
		}
		d = str_trim(d);
		if (d.n == 0)
			continue;
		if (d.n >= ROUTE_NAME_MAX || sh->ndomains == ROUTE_DOMAINS_MAX)
			return err_set(e, ERR_INPUT,
			    "smarthost domains: too long or too many");
		memcpy(sh->domains[sh->ndomains], d.p, d.n);
		sh->domains[sh->ndomains][d.n] = '\0';
		sh->ndomains++;
	}
	return 0;
}

bool
route_uses_smarthost(const struct route_smarthost *sh, const char *domain)
{
	size_t	 i;

	if (sh->host[0] == '\0')
		return false;
	if (sh->ndomains == 0)
		return true;
	for (i = 0; i < sh->ndomains; i++)
		if (strcasecmp(sh->domains[i], domain) == 0)
			return true;
	return false;
}

void
route_from_smarthost(struct route *r, const struct route_smarthost *sh)
{
	memset(r, 0, sizeof(*r));
	r->st = ROUTE_OK;
	r->smarthost = true;
	r->nhosts = 1;
	memcpy(r->hosts[0].name, sh->host, sizeof(sh->host));
	r->hosts[0].port = sh->port;
}
