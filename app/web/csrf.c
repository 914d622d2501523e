/*
 * csrf.c - CSRF tokens (see csrf.h).
 */
#include <string.h>

#include "csrf.h"
#include "resp.h"
#include "token.h"

static bool
pre_token(struct req *r, uint8_t raw[TOKEN_BYTES])
{
	const char	*c = req_cookie(r, r->web->pre_cookie);

	return c != NULL && token_decode(str_from(c), raw) == 0;
}

void
csrf_prepare(struct req *r)
{
	uint8_t	 raw[TOKEN_BYTES], mac[32];
	char	 text[TOKEN_TEXT];

	if (r->has_session) {
		token_encode(r->sess.csrf, r->csrf);
		return;
	}
	if (!pre_token(r, raw)) {
		token_new(raw);
		token_encode(raw, text);
		resp_cookie(r, r->web->pre_cookie, text, -1);
	}
	token_mac(r->web->csrf_key, raw, sizeof(raw), mac);
	token_encode(mac, r->csrf);
}

bool
csrf_check(struct req *r)
{
	const char	*f = req_field(r, "csrf");
	uint8_t		 got[TOKEN_BYTES], raw[TOKEN_BYTES];

	if (f == NULL || req_field_repeated(r, "csrf") ||
	    token_decode(str_from(f), got) == -1)
		return false;
	if (r->has_session)
		return token_equal(got, r->sess.csrf, sizeof(got));
	if (!pre_token(r, raw))
		return false;
	return token_mac_verify(r->web->csrf_key, raw, sizeof(raw), got);
}
