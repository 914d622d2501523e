/*
 * bounce.h - what a delivery result means for the queue row: sent,
 * deferred, bounced; whether the address goes on the suppression list;
 * whether an administrator should hear of it.
 *
 * RFC 3463 enhanced status codes: class.subject.detail. Hard bounces
 * (X.1.x: bad mailbox, bad domain, null MX) suppress the recipient at
 * once; policy and authentication refusals (X.7.x) never suppress, they
 * raise an alert. Nothing counts as sent without a 2xx reply to DATA.
 */
#ifndef SENDER_BOUNCE_H
#define SENDER_BOUNCE_H

#include <stdbool.h>

#include "delivery.h"

enum bounce_state {
	BOUNCE_SENT,
	BOUNCE_DEFER,
	BOUNCE_FAIL,
	BOUNCE__MAX
};

struct bounce_verdict {
	enum bounce_state	 state;
	bool			 suppress;	/* add rcpt to suppression */
	bool			 alert;		/* policy refusal: tell admins */
};

extern const char *const bounce_state_names[BOUNCE__MAX];

/* Classifies one engine result; never fails (unknown → deferred). */
void	 bounce_classify(const struct delivery_result *,
	    struct bounce_verdict *);

/*
 * Parses an RFC 3463 code "c.s.d" (c in 2,4,5; s 0..999; d 0..999) into
 * its parts; returns false for anything else.
 */
bool	 bounce_enhanced_parse(const char *, int *cls, int *subj, int *det);

#endif
