/*
 * db_audit.h - the audit log: who did what, from where, when. Rows are only
 * ever appended.
 */
#ifndef DB_DB_AUDIT_H
#define DB_DB_AUDIT_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;
struct err;

#define AUDIT_PAGE_MAX	100

struct audit_row {
	uint64_t	 id;
	int64_t		 at;
	char		*actor;
	char		*ip;
	char		*action;
	char		*target;
	char		*detail;
};

struct audit_filter {
	const char	*actor;		/* NULL or "": any */
	const char	*action;	/* NULL or "": any */
	uint64_t	 before_id;	/* keyset paging: rows with id < this */
	uint64_t	 after_id;	/* or rows with id > this (previous) */
	int64_t		 since;		/* 0: any */
	int64_t		 until;		/* 0: any */
	size_t		 limit;
};

int	 db_audit_add(struct db *, const char *actor, const char *ip,
	    const char *action, const char *target, const char *detail,
	    struct err *) __attribute__((warn_unused_result));
/* Newest first. */
int	 db_audit_list(struct db *, struct arena *, const struct audit_filter *,
	    struct audit_row **, size_t *n, struct err *)
	    __attribute__((warn_unused_result));
int	 db_audit_count(struct db *, const struct audit_filter *, int64_t *n,
	    struct err *) __attribute__((warn_unused_result));

#endif
