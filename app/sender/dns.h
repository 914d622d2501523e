/*
 * dns.h - asynchronous DNS for the engine through c-ares, driven by the
 * engine's epoll loop: MX lookups (RFC 5321 §5.1) and host addresses
 * (A and AAAA). The resolver list is configurable ("ip:port,...") so tests
 * use a DNS server on loopback; NULL or "" uses the system's.
 *
 * Answers are parsed by c-ares (ares_parse_mx_reply, ares_getaddrinfo),
 * whose parsers are bounded and fuzzed upstream; we copy at most
 * DNS_MX_MAX records and DNS_ADDRS_MAX addresses out of them.
 */
#ifndef SENDER_DNS_H
#define SENDER_DNS_H

#include <sys/socket.h>

#include <stddef.h>

#include "route.h"

struct err;
struct ev;
struct dns;

#define DNS_MX_MAX	32
#define DNS_ADDRS_MAX	8
#define DNS_SOCKS_MAX	16

struct dns_addr {
	struct sockaddr_storage	 ss;
	socklen_t		 len;
};

/* MX answer: status as route_from_mx() takes it; mx valid during the call. */
typedef void (*dns_mx_fn)(void *arg, enum route_dns,
    const struct route_mx *mx, size_t n);
/* Addresses: n == 0 means none (why holds the reason). */
typedef void (*dns_addr_fn)(void *arg, const struct dns_addr *a, size_t n,
    const char *why);

/* A resolver on loop ev; timeout_ms per try (2 tries). NULL with e set. */
struct dns	*dns_new(struct ev *, const char *servers, int timeout_ms,
		    struct err *);
/* Cancels what is pending (callbacks run with a failure) and frees. */
void		 dns_free(struct dns *);
/* Looks up the MX of name; fn may run before this returns. */
void		 dns_mx(struct dns *, const char *name, dns_mx_fn, void *arg);
/* Addresses of host (an IP literal needs no lookup) with port set. */
void		 dns_addrs(struct dns *, const char *host, unsigned port,
		    dns_addr_fn, void *arg);

#endif
