/*
 * cidr.h - IP addresses and CIDR ranges (IPv4, IPv6, IPv4-mapped IPv6).
 *
 * Addresses are kept as 16 bytes; an IPv4 address a.b.c.d is stored as the
 * mapped form ::ffff:a.b.c.d so that "10.0.0.0/8" matches both "10.1.2.3" and
 * "::ffff:10.1.2.3". Parsing is strict: no leading zeros in IPv4 octets, no
 * host bits set past the prefix, prefix within 0..32 (v4) or 0..128 (v6).
 */
#ifndef CORE_CIDR_H
#define CORE_CIDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "str.h"

struct err;

#define CIDR_TEXT_MAX	64	/* longest accepted text, with prefix */

struct ipaddr {
	uint8_t		 b[16];
	bool		 v4;		/* written as IPv4 (or v4-mapped) */
};

struct cidr {
	struct ipaddr	 net;
	unsigned	 bits;		/* prefix length as written (0..32 / 0..128) */
};

/* Parses one address ("192.0.2.1", "2001:db8::1", "::ffff:192.0.2.1"). */
int	 ip_parse(struct str, struct ipaddr *, struct err *)
	    __attribute__((warn_unused_result));
/* Parses "net/bits"; a bare address means a host (/32 or /128). Messages
 * name the text and the reason ("10.0.0.0/33: prefix must be 0 to 32"). */
int	 cidr_parse(struct str, struct cidr *, struct err *)
	    __attribute__((warn_unused_result));
bool	 cidr_contains(const struct cidr *, const struct ipaddr *);
/* Canonical text ("10.0.0.0/8", "2001:db8::/32") into out, NUL-terminated. */
void	 cidr_format(const struct cidr *, char *out, size_t outsz);
void	 ip_format(const struct ipaddr *, char *out, size_t outsz);

#endif
