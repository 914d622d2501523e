/*
 * str.h - string views: a pointer and a length, never NUL-terminated by
 * contract. Parsers hand out views into their input; copies go to an arena.
 */
#ifndef CORE_STR_H
#define CORE_STR_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

struct str {
	const char	*p;
	size_t		 n;
};

#define STR_LIT(s)	((struct str){ (s), sizeof(s) - 1 })
#define STR_NULL	((struct str){ NULL, 0 })

struct str	 str_from(const char *cstr);	/* NULL → empty view */
bool		 str_eq(struct str, struct str);
bool		 str_eq_cstr(struct str, const char *);
bool		 str_caseeq_cstr(struct str, const char *);
bool		 str_has_prefix(struct str, const char *);
struct str	 str_trim(struct str);		/* spaces and tabs */
/* Splits s at the first c: *head before, *tail after; false if no c. */
bool		 str_cut(struct str s, char c, struct str *head, struct str *tail);
/* NUL-terminated arena copy; NULL on allocation failure. */
char		*str_dup(struct arena *, struct str);
/* True when s has no CR, LF or NUL (safe as an emitted header value). */
bool		 str_is_header_safe(struct str);
/* Constant-time equality of two byte strings of any length. */
bool		 str_ct_eq(struct str, struct str);

#endif
