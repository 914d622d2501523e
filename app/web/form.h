/*
 * form.h - typed reading of POSTed fields with their bounds: a handler asks
 * for each field once; a refusal becomes an inline error beside that field
 * (in the user's language) and the entered value is kept for the form.
 */
#ifndef WEB_FORM_H
#define WEB_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "req.h"

struct view_dict;

struct form_check {
	struct req		*r;
	struct view_dict	*d;
	bool			 ok;	/* false once any field was refused */
};

void	 form_begin(struct form_check *, struct req *, struct view_dict *);
/* A text field of min..max characters (UTF-8 code points), trimmed of
 * surrounding spaces, no control characters. Returns "" when refused. */
const char *form_text(struct form_check *, const char *field, size_t min,
	    size_t max);
/* A password field: kept as typed (no trim), min..max characters. */
const char *form_password(struct form_check *, const char *field,
	    size_t min, size_t max);
/* A checkbox: true when the field is "1". */
bool	 form_checkbox(struct form_check *, const char *field);
/* One of the listed values (NULL-terminated); returns NULL when refused. */
const char *form_choice(struct form_check *, const char *field,
	    const char *const *choices);
/* Refuses a field with a catalog message (and optional detail). */
void	 form_refuse(struct form_check *, const char *field, const char *key,
	    const char *detail);
/* Characters (code points) in a valid UTF-8 string. */
size_t	 form_chars(const char *);

#endif
