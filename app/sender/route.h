/*
 * route.h - where mail for a domain goes: the smarthost (for every domain
 * or a listed few) or the domain's MX hosts in preference order
 * (RFC 5321 §5.1), the domain itself when it has no MX (implicit MX), and
 * nowhere when it publishes a null MX (RFC 7505) or does not exist.
 *
 * Pure: takes DNS answers already parsed (dns.c) so tests inject them.
 */
#ifndef SENDER_ROUTE_H
#define SENDER_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct err;

#define ROUTE_HOSTS_MAX		10	/* MX hosts tried per domain */
#define ROUTE_NAME_MAX		256	/* a host name with its NUL */
#define ROUTE_DOMAINS_MAX	64	/* smarthost domain list */

/* What the MX query gave. */
enum route_dns {
	ROUTE_DNS_OK,		/* records follow */
	ROUTE_DNS_NODATA,	/* name exists, no MX: implicit MX */
	ROUTE_DNS_NXDOMAIN,	/* no such domain: permanent */
	ROUTE_DNS_TEMPFAIL,	/* timeout, SERVFAIL: try later */
	ROUTE_DNS__MAX
};

enum route_status {
	ROUTE_OK,
	ROUTE_NULL_MX,		/* RFC 7505: the domain takes no mail */
	ROUTE_NO_DOMAIN,	/* NXDOMAIN */
	ROUTE_TEMPFAIL,
	ROUTE__MAX
};

struct route_mx {
	int		 pref;
	const char	*host;		/* "" or "." is the null MX */
};

struct route_host {
	char		 name[ROUTE_NAME_MAX];
	uint16_t	 port;
};

struct route {
	enum route_status st;
	bool		 implicit;	/* no MX: the domain itself */
	bool		 smarthost;
	size_t		 nhosts;
	struct route_host hosts[ROUTE_HOSTS_MAX];
};

struct route_smarthost {
	char		 host[ROUTE_NAME_MAX];	/* "" when none */
	uint16_t	 port;
	size_t		 ndomains;		/* 0: every domain */
	char		 domains[ROUTE_DOMAINS_MAX][ROUTE_NAME_MAX];
};

extern const char *const route_status_names[ROUTE__MAX];

/* Builds the route of domain from an MX answer (mx[0..n) in any order):
 * sorted by preference (stable for equal ones), duplicates dropped, at
 * most ROUTE_HOSTS_MAX, port 25. Never fails: the outcome is r->st. */
void	 route_from_mx(struct route *r, const char *domain, enum route_dns,
	    const struct route_mx *mx, size_t n);
/* Parses "host", "host:port", "[v6]:port", "1.2.3.4:port" and an optional
 * list "a.example,b.example" of domains (NULL/"": all). spec NULL or ""
 * leaves sh->host empty (MX routing). -1 with e set on bad input. */
int	 route_smarthost_parse(struct route_smarthost *sh, const char *spec,
	    const char *domains, struct err *)
	    __attribute__((warn_unused_result));
/* True when mail for domain goes to the smarthost. */
bool	 route_uses_smarthost(const struct route_smarthost *sh,
	    const char *domain);
/* The one-host route to the smarthost. */
void	 route_from_smarthost(struct route *r, const struct route_smarthost *);

#endif
