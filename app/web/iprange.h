/*
 * iprange.h - the management allow-list as every worker thread sees it:
 * compiled CIDR ranges in memory, checked before anything else on every
 * non-public request, replaced at once when an administrator changes it and
 * refreshed from the database when another process (the CLI, another web
 * host) changed it. No database read per request.
 */
#ifndef WEB_IPRANGE_H
#define WEB_IPRANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/cidr.h"

struct db;
struct err;

#define IPRANGE_MAX	10000

/* Loads the list from the database and remembers its version. */
int	 iprange_reload(struct db *, struct err *)
	    __attribute__((warn_unused_result));
/* Reloads only when the stored version moved; cheap (one small query). */
int	 iprange_refresh(struct db *, struct err *)
	    __attribute__((warn_unused_result));
/* Replaces the list (tests and lists built in memory). */
int	 iprange_set(const struct cidr *, size_t n, int64_t version,
	    struct err *) __attribute__((warn_unused_result));
bool	 iprange_allows(const struct ipaddr *);
/* Would a list of n ranges admit addr? (lock-out checks before saving) */
bool	 iprange_list_allows(const struct cidr *, size_t n,
	    const struct ipaddr *);
size_t	 iprange_count(void);

#endif
