/*
 * clientip.h - who is asking: REMOTE_ADDR from nginx, and X-Forwarded-For
 * only when the direct peer is a configured trusted proxy.
 */
#ifndef WEB_CLIENTIP_H
#define WEB_CLIENTIP_H

#include <stddef.h>

#include "../core/cidr.h"

struct err;

#define TRUSTED_PROXIES_MAX	64

struct proxies {
	struct cidr	 v[TRUSTED_PROXIES_MAX];
	size_t		 n;
};

/* Parses "10.0.0.1, 192.0.2.0/24"; names the bad entry. */
int	 clientip_proxies_parse(const char *list, struct proxies *,
	    struct err *) __attribute__((warn_unused_result));
/* The client: remote_addr, or, when remote_addr is a trusted proxy, the
 * right-most X-Forwarded-For entry that is not itself a trusted proxy.
 * -1 when remote_addr is not an address (never admit then). */
int	 clientip_resolve(const struct proxies *, const char *remote_addr,
	    const char *forwarded_for, struct ipaddr *out)
	    __attribute__((warn_unused_result));

#endif
