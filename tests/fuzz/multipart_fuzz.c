/*
 * multipart_fuzz.c - libFuzzer target for multipart/form-data
 * (multipart.c). The input's first line is a Content-Type value handed to
 * multipart_boundary(); the rest is the body, parsed with that boundary or,
 * when the line has none, with "XyZ" (the seed corpus uses it). Text fields
 * must come out as UTF-8 without NUL, names within FORM_NAME_MAX.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../app/core/arena.h"
#include "../../app/core/err.h"
#include "../../app/web/formdata.h"
#include "../../app/web/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*p = (const char *)data, *nl;
	struct arena	*a = arena_new(32 * 1024 * 1024);
	struct str	 ct = { p, 0 }, b;
	struct form	 fm;
	struct err	 e;
	size_t		 i;

	if (a == NULL)
		return 0;
	if ((nl = memchr(p, '\n', size)) != NULL) {
		ct.n = (size_t)(nl - p);
		p = nl + 1;
		size -= ct.n + 1;
	}
	err_clear(&e);
	if (multipart_boundary(ct, &b, &e) == -1) {
		if (e.msg[0] == '\0' || b.p != NULL)
			__builtin_trap();
		b = STR_LIT("XyZ");
	} else if (b.n == 0 || b.n > MULTIPART_BOUNDARY_MAX ||
	    b.p < ct.p || b.p + b.n > ct.p + ct.n)
		__builtin_trap();
	err_clear(&e);
	if (multipart_parse(p, size, b, a, &fm, &e) == 0) {
		if (fm.n > MULTIPART_PARTS_MAX)
			__builtin_trap();
		for (i = 0; i < fm.n; i++) {
			const struct form_field	*f = &fm.f[i];

			if (f->name.n == 0 || f->name.n > FORM_NAME_MAX ||
			    strlen(f->name.p) != f->name.n ||
			    f->value.p[f->value.n] != '\0' ||
			    f->value.n > size)
				__builtin_trap();
			if (f->filename == NULL &&
			    !formdata_text_ok(f->value.p, f->value.n, NULL))
				__builtin_trap();
			if (f->filename != NULL &&
			    !formdata_text_ok(f->filename, strlen(f->filename),
			    NULL))
				__builtin_trap();
		}
	} else if (e.msg[0] == '\0' || fm.n != 0)
		__builtin_trap();
	arena_free(a);
	return 0;
}
