/*
 * form.c - typed form fields with inline errors (see form.h). The parsers
 * already refused invalid UTF-8 and NUL; here are the per-field bounds.
 */
#include <string.h>

#include "../core/arena.h"
#include "../view/i18n.h"
#include "../view/view.h"
#include "form.h"

void
form_begin(struct form_check *f, struct req *r, struct view_dict *d)
{
	f->r = r;
	f->d = d;
	f->ok = true;
}

size_t
form_chars(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

void
form_refuse(struct form_check *f, const char *field, const char *key,
    const char *detail)
{
	const char	*text = i18n_text(f->r->lang, key);

	if (detail != NULL && detail[0] != '\0')
		text = arena_printf(f->r->a, "%s (%s)", text, detail);
	view_field_error(f->d, field, text ? text : key);
	f->ok = false;
}

static bool
has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static const char *
get(struct form_check *f, const char *field)
{
	if (req_field_repeated(f->r, field)) {
		form_refuse(f, field, "form.repeated", NULL);
		return NULL;
	}
	return req_field(f->r, field);
}

const char *
form_text(struct form_check *f, const char *field, size_t min, size_t max)
{
	const char	*v = get(f, field);
	struct str	 t;
	char		*s;
	size_t		 n;

	if (v == NULL)
		v = "";
	t = str_trim(str_from(v));
	if ((s = str_dup(f->r->a, t)) == NULL)
		return "";
	if (has_control(s)) {
		form_refuse(f, field, "form.control_chars", NULL);
		return s;
	}
	n = form_chars(s);
	if (n == 0 && min > 0)
		form_refuse(f, field, "form.required", NULL);
	else if (n < min)
		form_refuse(f, field, "form.too_short", NULL);
	else if (n > max)
		form_refuse(f, field, "form.too_long", NULL);
	return s;
}

const char *
form_password(struct form_check *f, const char *field, size_t min,
    size_t max)
{
	const char	*v = get(f, field);
	size_t		 n;

	if (v == NULL || v[0] == '\0') {
		form_refuse(f, field, "form.required", NULL);
		return "";
	}
	n = form_chars(v);
	if (n < min)
		form_refuse(f, field, "form.too_short", NULL);
	else if (n > max)
		form_refuse(f, field, "form.too_long", NULL);
	return v;
}

bool
form_checkbox(struct form_check *f, const char *field)
{
	const char	*v = get(f, field);

	return v != NULL && strcmp(v, "1") == 0;
}

const char *
form_choice(struct form_check *f, const char *field,
    const char *const *choices)
{
	const char	*v = get(f, field);
	size_t		 i;

	if (v != NULL)
		for (i = 0; choices[i] != NULL; i++)
			if (strcmp(v, choices[i]) == 0)
				return choices[i];
	form_refuse(f, field, "form.choice", NULL);
	return NULL;
}
