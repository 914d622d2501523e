/*
 * reply_fuzz.c - libFuzzer target for the SMTP reply parser (reply.c):
 * whole-buffer parsing, then the same bytes fed line by line as a
 * connection does. Neither may crash, read out of bounds or overflow text.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../app/core/err.h"
#include "../../app/sender/reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*p = (const char *)data;
	struct reply	 r;
	struct err	 e;
	size_t		 used, off = 0;
	const char	*nl;

	while (off < size && reply_parse(p + off, size - off, &r, &used,
	    &e) == 1) {
		if (used == 0 || r.textlen >= REPLY_TEXT_MAX ||
		    strlen(r.text) != r.textlen)
			__builtin_trap();
		off += used;
	}
	reply_init(&r);
	off = 0;
	while (off < size && (nl = memchr(p + off, '\n', size - off)) != NULL) {
		if (reply_line(&r, p + off, (size_t)(nl - (p + off)), &e) != 0)
			reply_init(&r);
		off = (size_t)(nl - p) + 1;
	}
	return 0;
}
