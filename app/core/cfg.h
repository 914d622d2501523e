/*
 * cfg.h - a "key = value" configuration file with environment overrides.
 *
 * The program describes its keys in a table (name, type, bounds, default,
 * where to store). cfg_load() applies defaults, then the file, then the
 * environment (TEGAMI_<KEY> with the key upper-cased, dots as underscores)
 * and refuses unknown keys and bad values with the key, the source and the
 * reason. '#' starts a comment; blank lines are ignored.
 */
#ifndef CORE_CFG_H
#define CORE_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct err;

#define CFG_LINE_MAX	4096
#define CFG_VALUE_MAX	1024

enum cfg_type { CFG_STRING, CFG_INT, CFG_BOOL, CFG__MAX };

struct cfg_key {
	const char	*name;		/* "web.threads" */
	enum cfg_type	 type;
	const char	*def;		/* default as text; NULL: required */
	int64_t		 min, max;	/* CFG_INT bounds; CFG_STRING max length */
	size_t		 offset;	/* into the caller's struct */
	/* Optional extra check; returns -1 with e set. */
	int		(*check)(const char *value, struct err *e);
};

/* Strings are stored as char[CFG_VALUE_MAX] members, ints as int64_t,
 * bools as bool. path may be NULL (defaults + environment only). */
int	 cfg_load(const struct cfg_key *, size_t nkeys, void *out,
	    const char *path, const char *env_prefix, struct err *)
	    __attribute__((warn_unused_result));

#endif
