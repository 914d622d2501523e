/*
 * urlenc_fuzz.c - libFuzzer target for the form/query parser (urlenc.c):
 * any bytes either parse into well-formed fields (decoded names and values
 * NUL-terminated, UTF-8 without NUL, within the limits) or fail with a
 * message; nothing may crash or read outside the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../app/core/arena.h"
#include "../../app/core/err.h"
#include "../../app/web/formdata.h"
#include "../../app/web/urlenc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	*a = arena_new(16 * 1024 * 1024);
	struct form	 fm;
	struct err	 e;
	size_t		 i;
	bool		 rep;

	if (a == NULL)
		return 0;
	err_clear(&e);
	if (urlenc_parse((const char *)data, size, a, &fm, &e) == 0) {
		if (fm.n > FORM_FIELDS_MAX)
			__builtin_trap();
		for (i = 0; i < fm.n; i++) {
			const struct form_field	*f = &fm.f[i];

			if (f->name.n == 0 || f->name.n > FORM_NAME_MAX ||
			    f->name.p[f->name.n] != '\0' ||
			    f->value.p[f->value.n] != '\0' ||
			    strlen(f->name.p) != f->name.n ||
			    strlen(f->value.p) != f->value.n ||
			    !formdata_text_ok(f->name.p, f->name.n, NULL) ||
			    !formdata_text_ok(f->value.p, f->value.n, NULL) ||
			    f->filename != NULL || f->content_type != NULL)
				__builtin_trap();
		}
		if (fm.n > 0 && formdata_get(&fm, fm.f[0].name.p, &rep) ==
		    NULL && !rep)
			__builtin_trap();
	} else if (e.msg[0] == '\0' || fm.n != 0)
		__builtin_trap();
	arena_free(a);
	return 0;
}
