/*
 * h_delivery.h - the pure validators of the delivery screens (h_delivery.c),
 * exported for tests/unit/delivery_test.c (no I/O, no allocation).
 */
#ifndef WEB_H_DELIVERY_H
#define WEB_H_DELIVERY_H

#include <stdbool.h>
#include <stdint.h>

#define H_DELIVERY_DOMAIN_MAX	253	/* RFC 1035 §2.3.4, as text */
#define H_DELIVERY_LIMIT_MAX	100000	/* profile limits: 0..this */
#define H_DELIVERY_SECONDS_MAX	604800	/* rule duration: 1..a week */
#define H_DELIVERY_TEXT_MAX	128	/* rule text, characters */
#define H_DELIVERY_CAMPAIGN_MAX	64

struct req;

/* A host name in lower case: labels of 1..63 letters, digits and '-' (not
 * first or last), dot-separated, 1..253 characters, no trailing dot. An
 * IPv4 address (a smarthost's destination) passes too. RFC 1123 §2.1. */
bool	 h_delivery_domain_valid(const char *s);
/* A decimal integer of at most 10 digits (optional '-') within min..max;
 * -1 otherwise (no spaces, no '+', no leading zeros but "0"). */
int	 h_delivery_int(const char *s, int64_t min, int64_t max, int64_t *out);
/* A rule's reply code: 0 (any), 4 or 5 (a class) or 200..599 exact. */
bool	 h_delivery_code_valid(int64_t code);
/* "" (any) or an enhanced status code or prefix (RFC 3463 §2):
 * class 2/4/5 "." subject 1..3 digits "." [detail 1..3 digits], e.g.
 * "4.7.0", "5.7.1", or the prefix "4.7." */
bool	 h_delivery_enhanced_valid(const char *s);
/* ASCII lower-casing in place (domains are compared in lower case). */
void	 h_delivery_lower(char *s);

#endif
