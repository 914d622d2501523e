/*
 * cidr.c - IP addresses and CIDR ranges (see cidr.h). Text forms: IPv4
 * dotted quad (four decimal octets, no leading zeros), IPv6 per RFC 4291
 * §2.2 (including the trailing dotted quad), prefixes per RFC 4632 §3.1.
 * Output is canonical per RFC 5952 §4 and §5. Input is untrusted (forms,
 * CLI, REMOTE_ADDR): anything not in these forms is refused.
 */
#include <stdio.h>
#include <string.h>

#include "cidr.h"
#include "num.h"
#include "err.h"
#include "log.h"

#define IP_TEXT_MAX	46	/* INET6_ADDRSTRLEN */

static const uint8_t	 v4mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

/* Four strict decimal octets into out[4]. */
static int
parse_v4(const char *s, size_t n, uint8_t out[4])
{
	size_t	 i = 0, k;

	for (k = 0; k < 4; k++) {
		unsigned	 v = 0;
		size_t		 digits = 0;

		if (k > 0) {
			if (i >= n || s[i] != '.')
				return -1;
			i++;
		}
		while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(s[i] - '0');
			i++;
			digits++;
		}
		if (digits == 0 || digits > 3 || v > 255)
			return -1;
		if (digits > 1 && s[i - digits] == '0')
			return -1;	/* leading zero: octal elsewhere */
		out[k] = (uint8_t)v;
	}
	return i == n ? 0 : -1;
}

/* RFC 4291 §2.2 text into out[16]. */
static int
parse_v6(const char *s, size_t n, uint8_t out[16])
{
	uint8_t		 b[16];
	size_t		 i = 0, o = 0, gap = SIZE_MAX;

	if (n >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 0;
		i = 2;
		if (i == n)
			goto done;
	} else if (n >= 1 && s[0] == ':')
		return -1;
	for (;;) {
		size_t		 start = i;
		unsigned	 v = 0;
		int		 h;

		while (i < n && i - start < 5 && (h = num_hexval(s[i])) != -1) {
			v = v << 4 | (unsigned)h;
			i++;
		}
		if (i < n && s[i] == '.') {
			/* §2.2 form 3: the last 32 bits as a dotted quad. */
			if (o > 12 || parse_v4(s + start, n - start,
			    b + o) == -1)
				return -1;
			o += 4;
			break;
		}
		if (i == start || i - start > 4 || o > 14)
			return -1;
		b[o++] = (uint8_t)(v >> 8);
		b[o++] = (uint8_t)v;
		if (i == n)
			break;
		if (s[i] != ':')
			return -1;
		i++;
		if (i < n && s[i] == ':') {
			if (gap != SIZE_MAX)
				return -1;	/* a second "::" */
			gap = o;
			i++;
			if (i == n)
				break;
		} else if (i == n)
			return -1;		/* trailing single ':' */
	}
done:
	if (gap == SIZE_MAX) {
		if (o != 16)
			return -1;
		memcpy(out, b, 16);
		return 0;
	}
	if (o > 14)
		return -1;	/* "::" must stand for at least one group */
	memset(out, 0, 16);
	memcpy(out, b, gap);
	memcpy(out + 16 - (o - gap), b + gap, o - gap);
	return 0;
}

/* Escaped copy of untrusted text for messages. */
static const char *
shown(struct str s, char *buf, size_t bufsz)
{
	log_escape(buf, bufsz, s.p, s.n);
	return buf;
}

int
ip_parse(struct str s, struct ipaddr *ip, struct err *e)
{
	char	 buf[CIDR_TEXT_MAX + 8];

	memset(ip, 0, sizeof(*ip));
	if (s.n == 0)
		return err_set(e, ERR_INPUT, "empty IP address");
	if (s.n > IP_TEXT_MAX)
		return err_set(e, ERR_INPUT, "%s: IP address is too long",
		    shown(s, buf, sizeof(buf)));
	if (memchr(s.p, ':', s.n) != NULL) {
		if (parse_v6(s.p, s.n, ip->b) == -1)
			return err_set(e, ERR_INPUT, "%s: not an IPv6 "
			    "address", shown(s, buf, sizeof(buf)));
		ip->v4 = memcmp(ip->b, v4mapped, sizeof(v4mapped)) == 0;
		return 0;
	}
	if (parse_v4(s.p, s.n, ip->b + 12) == -1)
		return err_set(e, ERR_INPUT, "%s: not an IPv4 address (four "
		    "numbers 0 to 255 without leading zeros)",
		    shown(s, buf, sizeof(buf)));
	memcpy(ip->b, v4mapped, sizeof(v4mapped));
	ip->v4 = true;
	return 0;
}

/* Prefix length in the 128-bit space. */
static unsigned
cidr_bits128(const struct cidr *c)
{
	return c->net.v4 ? 96 + c->bits : c->bits;
}

static bool
prefix_eq(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned	 whole = bits / 8, rest = bits % 8;

	if (memcmp(a, b, whole) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a[whole] ^ b[whole]) & (0xff << (8 - rest)) & 0xff) == 0;
}

int
cidr_parse(struct str s, struct cidr *c, struct err *e)
{
	struct str	 addr, len;
	char		 buf[CIDR_TEXT_MAX + 8], canon[CIDR_TEXT_MAX];
	unsigned	 max, bits = 0, i;
	bool		 v6;
	struct cidr	 host;

	memset(c, 0, sizeof(*c));
	if (s.n == 0)
		return err_set(e, ERR_INPUT, "empty IP range");
	if (s.n > CIDR_TEXT_MAX)
		return err_set(e, ERR_INPUT, "%s: IP range is too long",
		    shown(s, buf, sizeof(buf)));
	v6 = memchr(s.p, ':', s.n) != NULL;
	max = v6 ? 128 : 32;
	if (!str_cut(s, '/', &addr, &len))
		bits = max;
	else {
		if (len.n == 0 || len.n > 3 || (len.n > 1 && len.p[0] == '0'))
			return err_set(e, ERR_INPUT, "%s: prefix must be 0 "
			    "to %u", shown(s, buf, sizeof(buf)), max);
		for (i = 0; i < len.n; i++) {
			if (len.p[i] < '0' || len.p[i] > '9')
				return err_set(e, ERR_INPUT, "%s: prefix "
				    "must be 0 to %u",
				    shown(s, buf, sizeof(buf)), max);
			bits = bits * 10 + (unsigned)(len.p[i] - '0');
		}
		if (bits > max)
			return err_set(e, ERR_INPUT, "%s: prefix must be 0 "
			    "to %u", shown(s, buf, sizeof(buf)), max);
	}
	if (ip_parse(addr, &c->net, e) == -1)
		return err_set(e, ERR_INPUT, "%s: not an IP range (%s)",
		    shown(s, buf, sizeof(buf)), v6 ?
		    "bad IPv6 address" : "bad IPv4 address");
	/* The prefix counts in the family the text was written in. */
	c->net.v4 = !v6;
	c->bits = bits;
	host = *c;
	for (i = cidr_bits128(c); i < 128; i++)
		host.net.b[i / 8] &= (uint8_t)~(0x80u >> (i % 8));
	if (memcmp(host.net.b, c->net.b, 16) != 0) {
		cidr_format(&host, canon, sizeof(canon));
		return err_set(e, ERR_INPUT, "%s: host bits are set past the "
		    "/%u prefix (the range is %s)",
		    shown(s, buf, sizeof(buf)), bits, canon);
	}
	return 0;
}

bool
cidr_contains(const struct cidr *c, const struct ipaddr *ip)
{
	return prefix_eq(c->net.b, ip->b, cidr_bits128(c));
}

static void
format_v6(const uint8_t *b, char *out, size_t outsz)
{
	unsigned	 g[8], i, best = 8, bestlen = 0, run;
	size_t		 o = 0;

	for (i = 0; i < 8; i++)
		g[i] = (unsigned)b[2 * i] << 8 | b[2 * i + 1];
	if (memcmp(b, v4mapped, sizeof(v4mapped)) == 0) {
		/* RFC 5952 §5: mapped addresses end in a dotted quad. */
		snprintf(out, outsz, "::ffff:%u.%u.%u.%u", b[12], b[13], b[14],
		    b[15]);
		return;
	}
	/* RFC 5952 §4.2: the longest run of two or more zero groups, the
	 * first one on a tie, becomes "::". */
	for (i = 0; i < 8; i += run ? run : 1) {
		for (run = 0; i + run < 8 && g[i + run] == 0; run++)
			;
		if (run >= 2 && run > bestlen) {
			best = i;
			bestlen = run;
		}
	}
	if (outsz == 0)
		return;
	out[0] = '\0';
	for (i = 0; i < 8; i++) {
		int	 k;

		if (i == best) {
			k = snprintf(out + o, outsz - o, "::");
			i += bestlen - 1;
		} else
			k = snprintf(out + o, outsz - o, "%s%x",
			    i > 0 && i != best + bestlen ? ":" : "", g[i]);
		if (k < 0 || (size_t)k >= outsz - o)
			return;
		o += (size_t)k;
	}
}

void
ip_format(const struct ipaddr *ip, char *out, size_t outsz)
{
	if (ip->v4 && memcmp(ip->b, v4mapped, sizeof(v4mapped)) == 0)
		snprintf(out, outsz, "%u.%u.%u.%u", ip->b[12], ip->b[13],
		    ip->b[14], ip->b[15]);
	else
		format_v6(ip->b, out, outsz);
}

void
cidr_format(const struct cidr *c, char *out, size_t outsz)
{
	char	 a[IP_TEXT_MAX + 1];

	if (c->net.v4)
		snprintf(a, sizeof(a), "%u.%u.%u.%u", c->net.b[12],
		    c->net.b[13], c->net.b[14], c->net.b[15]);
	else
		format_v6(c->net.b, a, sizeof(a));
	snprintf(out, outsz, "%s/%u", a, c->bits);
}
