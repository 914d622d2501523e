/*
 * addr_fuzz.c - libFuzzer target for app/mail/addr.c: a mailbox that
 * parses has a valid addr-spec inside the input, and writing it back as a
 * header field (hdr_put_addr) never yields a bare CR/LF or a line over
 * 998 octets.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../app/core/arena.h"
#include "../../app/core/err.h"
#include "../../app/core/sbuf.h"
#include "../../app/mail/addr.h"
#include "../../app/mail/hdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*p = (const char *)data;
	struct arena	*a = arena_new(1 << 20);
	struct addr	 ad;
	struct sbuf	 b;
	struct err	 e;
	size_t		 i, col = 0;

	if (a == NULL)
		return 0;
	if (addr_parse(p, size, a, &ad, &e) == 0) {
		if (!addr_spec_valid(ad.spec) || ad.spec.p < p ||
		    ad.spec.p + ad.spec.n > p + size ||
		    ad.local.n + 1 + ad.domain.n != ad.spec.n)
			__builtin_trap();
		sbuf_init(&b, a, 1 << 19);
		if (hdr_put_addr(&b, "From", ad.display, ad.spec, HDR_CS_UTF8,
		    &e) == 0) {
			for (i = 0; i < b.len; i++) {
				if (b.p[i] == '\r') {
					if (i + 1 >= b.len ||
					    b.p[i + 1] != '\n')
						__builtin_trap();
					i++;
					col = 0;
				} else if (b.p[i] == '\n' ||
				    ++col > HDR_LINE_MAX)
					__builtin_trap();
			}
		}
	}
	(void)addr_spec_valid((struct str){ p, size });
	(void)addr_domain((struct str){ p, size });
	arena_free(a);
	return 0;
}
