/*
 * addr.h - mail addresses (RFC 5322 §3.4): parsing "Name <local@domain>",
 * "local@domain" and "<local@domain>", validating addr-specs, the domain
 * part. Only ASCII addresses (no SMTPUTF8): an internationalized domain
 * must arrive as A-labels (xn--).
 */
#ifndef MAIL_ADDR_H
#define MAIL_ADDR_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/str.h"

#define ADDR_LOCAL_MAX	64	/* RFC 5321 §4.5.3.1.1 */
#define ADDR_DOMAIN_MAX	253	/* RFC 1035 name, text form */
#define ADDR_SPEC_MAX	254	/* RFC 5321 path minus the brackets */
#define ADDR_DISPLAY_MAX 512	/* display name, decoded */
#define ADDR_INPUT_MAX	2048	/* whole "Name <addr>" input */

struct arena;
struct err;

struct addr {
	struct str	 display;	/* unquoted display name, "" if none */
	struct str	 spec;		/* local@domain */
	struct str	 local;		/* inside spec */
	struct str	 domain;	/* inside spec */
};

/*
 * Parses one mailbox: an addr-spec alone, in angle brackets, or after a
 * display name (atoms or a quoted-string; comments are not accepted).
 * Views point into the input or, for an unquoted display name, into a
 * copy in a. Fails with ERR_INPUT and a sentence on anything else.
 */
int		 addr_parse(const char *p, size_t n, struct arena *a,
		    struct addr *out, struct err *e)
		    __attribute__((warn_unused_result));
/* True when spec is local@domain: dot-atom or quoted local part, a host
 * name (LDH labels) or a domain literal, within the length limits. */
bool		 addr_spec_valid(struct str spec);
/* True when d is a host name of LDH labels (or a [domain literal]). */
bool		 addr_domain_valid(struct str d);
/* The part after the last '@' of spec ("" when none). */
struct str	 addr_domain(struct str spec);

#endif
