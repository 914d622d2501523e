/*
 * dns.c - c-ares on the engine's epoll loop (see dns.h). c-ares tells us
 * which sockets to watch (ARES_OPT_SOCK_STATE_CB) and when to time out
 * (ares_timeout); we call ares_process_fd() from loop callbacks.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <ares.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "dns.h"
#include "ev.h"

struct dns_sock {
	struct ev_io	 io;
	struct dns	*dns;
	bool		 used;
};

struct dns {
	struct ev	*ev;
	ares_channel	 ch;
	bool		 ch_ok;
	struct ev_timer	 timer;
	struct dns_sock	 socks[DNS_SOCKS_MAX];
};

struct dns_q {
	dns_mx_fn	 mx_fn;
	dns_addr_fn	 addr_fn;
	void		*arg;
	char		 name[ROUTE_NAME_MAX];
};

static void	 dns_rearm(struct dns *);

static pthread_once_t	 lib_once = PTHREAD_ONCE_INIT;
static int		 lib_rc;

/* c-ares asks for one process-wide init before any channel. */
static void
lib_init(void)
{
	lib_rc = ares_library_init(ARES_LIB_INIT_ALL);
}

static void
sock_io(struct ev_io *io, unsigned got, void *arg)
{
	struct dns_sock	*s = arg;
	struct dns	*d = s->dns;
	ares_socket_t	 fd = io->fd;

	ares_process_fd(d->ch, (got & EV_READ) ? fd : ARES_SOCKET_BAD,
	    (got & EV_WRITE) ? fd : ARES_SOCKET_BAD);
	dns_rearm(d);
}

static void
sock_state(void *data, ares_socket_t fd, int readable, int writable)
{
	struct dns	*d = data;
	struct dns_sock	*s = NULL, *free_slot = NULL;
	unsigned	 want = (readable ? EV_READ : 0) |
			    (writable ? EV_WRITE : 0);
	size_t		 i;

	for (i = 0; i < DNS_SOCKS_MAX; i++) {
		if (d->socks[i].used && d->socks[i].io.fd == fd)
			s = &d->socks[i];
		else if (!d->socks[i].used && free_slot == NULL)
			free_slot = &d->socks[i];
	}
	if (want == 0) {
		if (s != NULL) {
			ev_io_del(d->ev, &s->io);
			s->used = false;
		}
		return;
	}
	if (s != NULL) {
		(void)ev_io_want(d->ev, &s->io, want);
		return;
	}
	/* More sockets than slots: the query times out in c-ares and is
	 * reported as a temporary failure. */
	if (free_slot == NULL)
		return;
	free_slot->dns = d;
	if (ev_io_add(d->ev, &free_slot->io, fd, want, sock_io, free_slot,
	    NULL) == 0)
		free_slot->used = true;
}

static void
timer_fire(struct ev_timer *t, void *arg)
{
	struct dns	*d = arg;

	(void)t;
	ares_process_fd(d->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	dns_rearm(d);
}

static void
dns_rearm(struct dns *d)
{
	struct timeval	 tv, *tvp;

	if ((tvp = ares_timeout(d->ch, NULL, &tv)) == NULL) {
		ev_timer_cancel(d->ev, &d->timer);
		return;
	}
	ev_timer_set(d->ev, &d->timer,
	    (int64_t)tvp->tv_sec * 1000 + tvp->tv_usec / 1000 + 1,
	    timer_fire, d);
}

struct dns *
dns_new(struct ev *ev, const char *servers, int timeout_ms, struct err *e)
{
	struct ares_options	 o;
	struct dns		*d;
	int			 rc;
	char			 lookups[] = "fb";

	(void)pthread_once(&lib_once, lib_init);
	if (lib_rc != ARES_SUCCESS) {
		err_set(e, ERR_ENV, "c-ares: %s", ares_strerror(lib_rc));
		return NULL;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		err_set(e, ERR_ENV, "out of memory");
		return NULL;
	}
	d->ev = ev;
	memset(&o, 0, sizeof(o));
	o.sock_state_cb = sock_state;
	o.sock_state_cb_data = d;
	o.timeout = timeout_ms > 0 ? timeout_ms : 5000;
	o.tries = 2;
	o.lookups = lookups;
	rc = ares_init_options(&d->ch, &o, ARES_OPT_SOCK_STATE_CB |
	    ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_LOOKUPS);
	if (rc != ARES_SUCCESS) {
		err_set(e, ERR_ENV, "c-ares init: %s", ares_strerror(rc));
		free(d);
		return NULL;
	}
	d->ch_ok = true;
	if (servers != NULL && servers[0] != '\0' &&
	    (rc = ares_set_servers_ports_csv(d->ch, servers)) != ARES_SUCCESS) {
		err_set(e, ERR_INPUT, "DNS servers \"%s\": %s", servers,
		    ares_strerror(rc));
		dns_free(d);
		return NULL;
	}
	return d;
}

void
dns_free(struct dns *d)
{
	size_t	 i;

	if (d == NULL)
		return;
	if (d->ch_ok)
		ares_destroy(d->ch);	/* runs pending callbacks */
	for (i = 0; i < DNS_SOCKS_MAX; i++)
		if (d->socks[i].used)
			ev_io_del(d->ev, &d->socks[i].io);
	ev_timer_cancel(d->ev, &d->timer);
	free(d);
}

static enum route_dns
map_status(int st)
{
	switch (st) {
	case ARES_SUCCESS:
		return ROUTE_DNS_OK;
	case ARES_ENODATA:
		return ROUTE_DNS_NODATA;
	case ARES_ENOTFOUND:
		return ROUTE_DNS_NXDOMAIN;
	default:
		return ROUTE_DNS_TEMPFAIL;
	}
}

static void
mx_done(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct dns_q		*q = arg;
	struct ares_mx_reply	*head = NULL, *m;
	struct route_mx		 mx[DNS_MX_MAX];
	size_t			 n = 0;
	enum route_dns		 st = map_status(status);
	int			 rc;

	(void)timeouts;
	if (st == ROUTE_DNS_OK) {
		rc = ares_parse_mx_reply(abuf, alen, &head);
		if (rc == ARES_ENODATA)
			st = ROUTE_DNS_NODATA;
		else if (rc != ARES_SUCCESS)
			st = ROUTE_DNS_TEMPFAIL;
		for (m = head; m != NULL && n < DNS_MX_MAX; m = m->next) {
			mx[n].pref = m->priority;
			mx[n].host = m->host;
			n++;
		}
		if (st == ROUTE_DNS_OK && n == 0)
			st = ROUTE_DNS_NODATA;
	}
	q->mx_fn(q->arg, st, mx, n);
	if (head != NULL)
		ares_free_data(head);
	free(q);
}

void
dns_mx(struct dns *d, const char *name, dns_mx_fn fn, void *arg)
{
	struct dns_q	*q;

	if ((q = calloc(1, sizeof(*q))) == NULL) {
		fn(arg, ROUTE_DNS_TEMPFAIL, NULL, 0);
		return;
	}
	q->mx_fn = fn;
	q->arg = arg;
	ares_query(d->ch, name, 1 /* C_IN */, 15 /* T_MX */, mx_done, q);
	dns_rearm(d);
}

static void
addr_done(void *arg, int status, int timeouts, struct ares_addrinfo *res)
{
	struct dns_q		*q = arg;
	struct dns_addr		 a[DNS_ADDRS_MAX];
	struct ares_addrinfo_node *nd;
	size_t			 n = 0;
	char			 why[ROUTE_NAME_MAX + 128];

	(void)timeouts;
	why[0] = '\0';
	if (status == ARES_SUCCESS && res != NULL) {
		for (nd = res->nodes; nd != NULL && n < DNS_ADDRS_MAX;
		    nd = nd->ai_next) {
			if ((size_t)nd->ai_addrlen > sizeof(a[n].ss))
				continue;
			memset(&a[n], 0, sizeof(a[n]));
			memcpy(&a[n].ss, nd->ai_addr, nd->ai_addrlen);
			a[n].len = (socklen_t)nd->ai_addrlen;
			n++;
		}
	}
	if (n == 0)
		snprintf(why, sizeof(why), "no address for %s: %s", q->name,
		    status == ARES_SUCCESS ? "empty answer" :
		    ares_strerror(status));
	q->addr_fn(q->arg, a, n, why);
	if (res != NULL)
		ares_freeaddrinfo(res);
	free(q);
}

void
dns_addrs(struct dns *d, const char *host, unsigned port, dns_addr_fn fn,
    void *arg)
{
	struct dns_addr			 a;
	struct sockaddr_in		*s4 = (struct sockaddr_in *)&a.ss;
	struct sockaddr_in6		*s6 = (struct sockaddr_in6 *)&a.ss;
	struct ares_addrinfo_hints	 h;
	struct dns_q			*q;
	char				 svc[8];

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		a.len = sizeof(*s4);
		fn(arg, &a, 1, "");
		return;
	}
	if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		a.len = sizeof(*s6);
		fn(arg, &a, 1, "");
		return;
	}
	if ((q = calloc(1, sizeof(*q))) == NULL) {
		fn(arg, NULL, 0, "out of memory");
		return;
	}
	q->addr_fn = fn;
	q->arg = arg;
	snprintf(q->name, sizeof(q->name), "%s", host);
	snprintf(svc, sizeof(svc), "%u", port);
	memset(&h, 0, sizeof(h));
	h.ai_family = AF_UNSPEC;
	h.ai_socktype = SOCK_STREAM;
	h.ai_flags = ARES_AI_NUMERICSERV;
	ares_getaddrinfo(d->ch, host, svc, &h, addr_done, q);
	dns_rearm(d);
}
