/*
 * bounce.c - classification of delivery results into queue states and
 * suppression (see bounce.h). RFC 3463 (enhanced status codes), RFC 5321
 * §4.2.1 (reply code classes), RFC 7505 (null MX: 5.1.10).
 *
 * Trusts nothing in the result: the enhanced code is peer text and is
 * parsed strictly; the reply code decides over the outcome when they
 * disagree, so a 4xx can never be recorded as a bounce nor a 5xx as sent.
 */
#include <stdbool.h>
#include <stddef.h>

#include "bounce.h"

const char *const bounce_state_names[BOUNCE__MAX] = {
	"sent", "deferred", "bounced"
};

static bool
part(const char **pp, int max, int *out)
{
	const char	*p = *pp;
	int		 v = 0, n = 0;

	while (*p >= '0' && *p <= '9') {
		if (++n > 3)
			return false;
		v = v * 10 + (*p++ - '0');
	}
	if (n == 0 || v > max)
		return false;
	*out = v;
	*pp = p;
	return true;
}

bool
bounce_enhanced_parse(const char *s, int *cls, int *subj, int *det)
{
	const char	*p = s;
	int		 c, su, d;

	if (s == NULL || !part(&p, 9, &c) || (c != 2 && c != 4 && c != 5) ||
	    *p++ != '.' || !part(&p, 999, &su) || *p++ != '.' ||
	    !part(&p, 999, &d) || *p != '\0')
		return false;
	*cls = c;
	*subj = su;
	*det = d;
	return true;
}

void
bounce_classify(const struct delivery_result *r, struct bounce_verdict *v)
{
	int	 cls = 0, subj = -1, det = 0;
	bool	 have = bounce_enhanced_parse(r->enhanced, &cls, &subj, &det);

	v->suppress = false;
	v->alert = false;
	switch (r->outcome) {
	case DELIVERY_SENT:
		/* Only a 2xx reply to the end of DATA means accepted. */
		v->state = r->code >= 200 && r->code <= 299 ? BOUNCE_SENT :
		    BOUNCE_DEFER;
		break;
	case DELIVERY_BOUNCED:
		v->state = BOUNCE_FAIL;
		break;
	default:
		v->state = BOUNCE_DEFER;
		break;
	}
	/* The reply code wins over a disagreeing outcome. */
	if (r->code >= 400 && r->code <= 499)
		v->state = BOUNCE_DEFER;
	else if (r->code >= 500 && r->code <= 599)
		v->state = BOUNCE_FAIL;
	/* An enhanced code contradicting the reply code is ignored. */
	if (have && r->code >= 200 && r->code / 100 != cls)
		have = false;
	if (have && subj == 7) {
		v->alert = true;	/* policy: never suppress */
		return;
	}
	if (v->state != BOUNCE_FAIL)
		return;
	if (have)
		v->suppress = cls == 5 && subj == 1;
	else
		v->suppress = r->suppress;	/* e.g. null MX, no code */
}
