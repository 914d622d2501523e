/*
 * cidr_fuzz.c - libFuzzer target for IP and CIDR parsing (cidr.c): what
 * parses must format to canonical text that parses back to the same value
 * (and formats the same again), and a range contains its own network
 * address. Refusals must carry a message.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../app/core/cidr.h"
#include "../../app/core/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct str	 s = { (const char *)data, size };
	struct cidr	 c, c2;
	struct ipaddr	 ip, ip2;
	struct err	 e;
	char		 t1[CIDR_TEXT_MAX], t2[CIDR_TEXT_MAX];

	err_clear(&e);
	if (cidr_parse(s, &c, &e) == 0) {
		cidr_format(&c, t1, sizeof(t1));
		if (cidr_parse(str_from(t1), &c2, &e) == -1 ||
		    memcmp(c.net.b, c2.net.b, 16) != 0 || c.bits != c2.bits ||
		    c.net.v4 != c2.net.v4)
			__builtin_trap();
		cidr_format(&c2, t2, sizeof(t2));
		if (strcmp(t1, t2) != 0 || !cidr_contains(&c, &c.net))
			__builtin_trap();
	} else if (e.msg[0] == '\0')
		__builtin_trap();
	err_clear(&e);
	if (ip_parse(s, &ip, &e) == 0) {
		ip_format(&ip, t1, sizeof(t1));
		if (ip_parse(str_from(t1), &ip2, &e) == -1 ||
		    memcmp(ip.b, ip2.b, 16) != 0 || ip.v4 != ip2.v4)
			__builtin_trap();
		ip_format(&ip2, t2, sizeof(t2));
		if (strcmp(t1, t2) != 0)
			__builtin_trap();
	} else if (e.msg[0] == '\0')
		__builtin_trap();
	return 0;
}
