/*
 * cookie_fuzz.c - libFuzzer target for the Cookie header parser
 * (cookie.c): parsed cookies have token names within FORM_NAME_MAX and
 * values of RFC 6265 cookie-octets; failures carry a message.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../app/core/arena.h"
#include "../../app/core/err.h"
#include "../../app/web/cookie.h"
#include "../../app/web/formdata.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	*a = arena_new(16 * 1024 * 1024);
	struct form	 fm;
	struct err	 e;
	size_t		 i, k;

	if (a == NULL)
		return 0;
	err_clear(&e);
	if (cookie_parse((const char *)data, size, a, &fm, &e) == 0) {
		if (fm.n > FORM_FIELDS_MAX)
			__builtin_trap();
		for (i = 0; i < fm.n; i++) {
			const struct form_field	*f = &fm.f[i];

			if (f->name.n == 0 || f->name.n > FORM_NAME_MAX ||
			    strlen(f->name.p) != f->name.n ||
			    strlen(f->value.p) != f->value.n)
				__builtin_trap();
			for (k = 0; k < f->value.n; k++)
				if (strchr(" \",;\\", f->value.p[k]) != NULL ||
				    (unsigned char)f->value.p[k] < 0x21 ||
				    (unsigned char)f->value.p[k] > 0x7e)
					__builtin_trap();
		}
	} else if (e.msg[0] == '\0' || fm.n != 0)
		__builtin_trap();
	arena_free(a);
	return 0;
}
