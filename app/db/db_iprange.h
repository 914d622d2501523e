/*
 * db_iprange.h - the ip_ranges table (the management allow-list) and its
 * version counter, which tells every web process to reload its cache.
 */
#ifndef DB_DB_IPRANGE_H
#define DB_DB_IPRANGE_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;
struct err;

struct iprange_row {
	uint64_t	 id;
	char		*cidr;		/* canonical text */
	char		*label;
	char		*created_by;
	int64_t		 created_at;
	int64_t		 updated_at;
};

#define IPRANGE_ROWS_MAX	10000

int	 db_iprange_list(struct db *, struct arena *, struct iprange_row **,
	    size_t *n, struct err *) __attribute__((warn_unused_result));
int	 db_iprange_get(struct db *, struct arena *, uint64_t id,
	    struct iprange_row *, struct err *)
	    __attribute__((warn_unused_result));
/* These bump the version in the same transaction. ERR_CONFLICT on a
 * duplicate range. */
int	 db_iprange_insert(struct db *, const char *cidr, const char *label,
	    const char *by, uint64_t *id, struct err *)
	    __attribute__((warn_unused_result));
int	 db_iprange_update(struct db *, uint64_t id, const char *cidr,
	    const char *label, struct err *) __attribute__((warn_unused_result));
int	 db_iprange_delete(struct db *, uint64_t id, struct err *)
	    __attribute__((warn_unused_result));
int	 db_iprange_delete_cidr(struct db *, const char *cidr, int *deleted,
	    struct err *) __attribute__((warn_unused_result));
int	 db_iprange_version(struct db *, int64_t *v, struct err *)
	    __attribute__((warn_unused_result));

#endif
