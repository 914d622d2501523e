/*
 * engine.c - the delivery engine: submissions from other threads, routes,
 * destinations with their limits, connections, shaping, results (see
 * engine.h). Everything below engine_submit()/engine_stop()/
 * engine_metrics()/engine_load_profiles() runs on the loop thread.
 *
 * Grouping: deliveries go to a destination (the recipient domain, or the
 * smarthost); idle connections of that destination take the next
 * transaction, which bundles pending deliveries sharing one message and
 * one envelope sender (up to CONN_RCPTS_MAX recipients, RFC 2920
 * pipelined). A destination opens connections up to its slow-start window
 * and the engine-wide maximum.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../core/arena.h"
#include "../core/err.h"
#include "../core/log.h"
#include "../core/sbuf.h"
#include "../db/db_profile.h"
#include "conn.h"
#include "dest.h"
#include "dns.h"
#include "engine.h"
#include "ev.h"
#include "metrics.h"
#include "reply.h"
#include "route.h"
#include "shaping.h"
#include "tls.h"

#define ENGINE_BUCKETS		4096
#define ENGINE_ADDRS_MAX	16	/* addresses kept per destination */
#define ENGINE_ROUTE_TTL_MS	(5 * 60 * 1000)
#define ENGINE_DEST_IDLE_MS	(10 * 60 * 1000)
#define ENGINE_GROUP_SCAN	64	/* pending jobs scanned for bundling */
#define ENGINE_CAMPAIGNS_MAX	8	/* campaign suspensions per dest */
#define ENGINE_CAMPAIGN_MAX	64
#define ENGINE_POLICY_SLOW_S	120	/* 4.7.x/5.7.x without a rule */
#define ENGINE_SNAPSHOT_DESTS	200	/* destinations in /metrics */
#define ENGINE_PROFILES_MAX	4096
#define ENGINE_SMARTHOST_MSGS_PER_CONN 1000
#define ENGINE_NOTLS_MS		(60 * 60 * 1000) /* plaintext after a bad
						   opportunistic handshake */

enum rstate { R_NONE, R_RESOLVING, R_READY };

struct csusp {
	char		 campaign[ENGINE_CAMPAIGN_MAX];
	int64_t		 until;
};

struct profile {
	char		 domain[ROUTE_NAME_MAX];
	struct dest_limits lim;
};

/* A destination's resolved route; only while it is in use, so that the
 * thousands of domains of a campaign's long tail cost little between
 * their messages. */
struct eroute {
	struct route	 route;
	struct dns_addr	 addrs[ENGINE_ADDRS_MAX];
	uint8_t		 addr_host[ENGINE_ADDRS_MAX];
};

struct edest {
	struct engine	*eng;
	struct edest	*hnext;		/* hash chain */
	struct edest	*dnext;		/* dirty list */
	struct edest	*wnext;		/* waiting-for-a-slot list */
	bool		 dirty, waiting;
	bool		 smarthost;
	struct dest_state ds;
	uint64_t	 prof_gen;
	struct job	*pend, *pend_tail;
	size_t		 npend;
	struct conn	*conns;
	int		 nconns, nestablished;
	enum rstate	 rstate;
	int		 lookups;	/* DNS callbacks outstanding */
	size_t		 host_i;
	struct eroute	*rt;		/* NULL until needed */
	size_t		 naddrs, addr_cur;
	size_t		 fail_streak;	/* sessions failed since a success */
	const char	*last_mx;	/* during a session failure report */
	int64_t		 notls_until;	/* opportunistic TLS failed: plain */
	int64_t		 route_expires;
	int64_t		 last_used;
	struct ev_timer	 timer;
	struct csusp	*cs;		/* ENGINE_CAMPAIGNS_MAX, lazily */
	char		 why[ENGINE_SHAPING_REASON_MAX]; /* last shaping reply */
	char		 key[];		/* domain or smarthost host */
};

/* An engine_lift() request waiting for the loop. */
struct lift_req {
	struct lift_req	*next;
	char		 dest[ROUTE_NAME_MAX];
};

struct engine {
	struct engine_cfg cfg;
	char		*helo, *dns_servers, *ca_file;
	struct route_smarthost sh;
	struct ev	*ev;
	struct dns	*dns;
	struct tls_ctx	*tls;
	struct conn_env	 env;
	struct metrics	 m;
	/* shared with other threads, under mu */
	pthread_mutex_t	 mu;
	struct job	*inbox, *inbox_tail;
	bool		 stopping, draining;
	struct profile	*new_prof;
	size_t		 new_nprof;
	struct shaping_rule *new_rules;
	size_t		 new_nrules;
	uint64_t	 new_gen;
	struct sbuf	 snapshot;
	struct lift_req	*lifts;		/* engine_lift() requests, newest
					 * first */
	struct engine_shaping *shap;	/* engine_shaping_snapshot() */
	size_t		 nshap;
	atomic_size_t	 inflight;
	/* loop thread only */
	struct profile	*prof;
	size_t		 nprof;
	struct shaping_rule *rules;
	size_t		 nrules;
	uint64_t	 gen;
	struct edest	*buckets[ENGINE_BUCKETS];
	size_t		 ndests;
	struct edest	*dirty;
	struct edest	*waitq;
	int		 nconns;
	struct ev_timer	 tick;
	bool		 closing;	/* engine_free: ignore callbacks */
};

static void	 pump(struct edest *);
static void	 resolve_hosts(struct edest *);

/* --- results ----------------------------------------------------------- */

static void
report(struct engine *eng, struct delivery *d, struct delivery_result *res)
{
	switch (res->outcome) {
	case DELIVERY_SENT:
		metrics_add(&eng->m, METRIC_SENT, 1);
		break;
	case DELIVERY_BOUNCED:
		metrics_add(&eng->m, METRIC_BOUNCED, 1);
		if (res->suppress)
			metrics_add(&eng->m, METRIC_SUPPRESS, 1);
		break;
	default:
		metrics_add(&eng->m, METRIC_DEFERRED, 1);
		break;
	}
	eng->cfg.done(eng->cfg.done_ctx, d, res);
	atomic_fetch_sub(&eng->inflight, 1);
	metrics_add(&eng->m, METRIC_INFLIGHT, -1);
}

/* Reports a job the engine still holds (never given to a connection) and
 * frees it; mx: the host that refused the session, or "". */
static void
fail_job_mx(struct engine *eng, struct job *j, enum delivery_outcome o,
    int code, const char *enh, const char *text, int slow_s, const char *mx)
{
	struct delivery_result	 res;

	memset(&res, 0, sizeof(res));
	snprintf(res.mx, sizeof(res.mx), "%s", mx);
	res.outcome = o;
	res.code = code;
	snprintf(res.enhanced, sizeof(res.enhanced), "%s", enh);
	log_escape(res.text, sizeof(res.text), text, strlen(text));
	res.suppress = o == DELIVERY_BOUNCED && strncmp(enh, "5.1.", 4) == 0;
	res.slow_down_s = slow_s;
	report(eng, j->d, &res);
	free(j);
}

static void
fail_job(struct engine *eng, struct job *j, enum delivery_outcome o,
    int code, const char *enh, const char *text, int slow_s)
{
	fail_job_mx(eng, j, o, code, enh, text, slow_s, "");
}

static void
fail_pending(struct edest *d, enum delivery_outcome o, int code,
    const char *enh, const char *text, int slow_s)
{
	struct job	*j;

	while ((j = d->pend) != NULL) {
		d->pend = j->next;
		d->npend--;
		fail_job_mx(d->eng, j, o, code, enh, text, slow_s,
		    d->last_mx != NULL ? d->last_mx : "");
	}
	d->pend_tail = NULL;
}

/* --- profiles and shaping ------------------------------------------- */

static void
limits_for(struct engine *eng, const char *domain, bool smarthost,
    struct dest_limits *l)
{
	const struct profile	*best = NULL;
	size_t			 i;

	dest_limits_default(l);
	if (eng->cfg.dest_connections > 0)
		l->conns = eng->cfg.dest_connections;
	if (eng->cfg.dest_msgs_per_conn > 0)
		l->msgs_per_conn = eng->cfg.dest_msgs_per_conn;
	if (eng->cfg.dest_msgs_per_min > 0)
		l->msgs_per_min = eng->cfg.dest_msgs_per_min;
	l->tls = eng->cfg.tls_policy_default;
	if (smarthost) {
		/* A relay we run: as many connections as allowed. */
		l->conns = eng->cfg.dest_connections > 0 ?
		    eng->cfg.dest_connections : eng->cfg.connections_max;
		l->slow_start = l->conns;
		if (eng->cfg.dest_msgs_per_conn <= 0)
			l->msgs_per_conn = ENGINE_SMARTHOST_MSGS_PER_CONN;
		dest_limits_clamp(l);
		return;
	}
	/* The longest matching profile domain wins. */
	for (i = 0; i < eng->nprof; i++)
		if (shaping_domain_matches(eng->prof[i].domain, domain) &&
		    (best == NULL ||
		    strlen(eng->prof[i].domain) > strlen(best->domain)))
			best = &eng->prof[i];
	if (best != NULL)
		*l = best->lim;
	dest_limits_clamp(l);
}

static int64_t
campaign_suspended(struct edest *d, const char *campaign, int64_t now)
{
	size_t	 i;

	if (campaign == NULL || campaign[0] == '\0' || d->cs == NULL)
		return 0;
	for (i = 0; i < ENGINE_CAMPAIGNS_MAX; i++)
		if (d->cs[i].until > now &&
		    strcmp(d->cs[i].campaign, campaign) == 0)
			return d->cs[i].until - now;
	return 0;
}

static void
campaign_suspend(struct edest *d, const char *campaign, int64_t now,
    int64_t ms)
{
	size_t	 i, slot = 0;

	if (d->cs == NULL &&
	    (d->cs = calloc(ENGINE_CAMPAIGNS_MAX, sizeof(*d->cs))) == NULL) {
		/* No memory for the campaign: hold the destination. */
		dest_suspend(&d->ds, now, ms);
		return;
	}
	for (i = 0; i < ENGINE_CAMPAIGNS_MAX; i++) {
		if (strcmp(d->cs[i].campaign, campaign) == 0) {
			slot = i;
			break;
		}
		if (d->cs[i].until < d->cs[slot].until)
			slot = i;	/* the oldest goes first */
	}
	snprintf(d->cs[slot].campaign, sizeof(d->cs[slot].campaign), "%s",
	    campaign);
	if (now + ms > d->cs[slot].until)
		d->cs[slot].until = now + ms;
}

/* Applies shaping for a reply from d; returns seconds the sender should
 * wait before retrying (0: none). */
static int
shape(struct edest *d, const struct reply *r, const char *campaign)
{
	struct engine			*eng = d->eng;
	const struct shaping_rule	*rule;
	int64_t				 now = ev_now(eng->ev), ms;
	char				 txt[256];

	if (r == NULL || r->code / 100 == 2 || r->code / 100 == 3)
		return 0;
	rule = shaping_match(eng->rules, eng->nrules, d->key, r);
	if (rule == NULL) {
		if (!reply_enh_is(r, "4.7.") && !reply_enh_is(r, "5.7."))
			return 0;
		/* Policy refusal: never suppress, slow down, tell. */
		metrics_add(&eng->m, METRIC_POLICY_ALERTS, 1);
		log_escape(txt, sizeof(txt), r->text, r->textlen);
		snprintf(d->why, sizeof(d->why), "%d %.180s", r->code, txt);
		log_warn("alert: policy refusal from %s: %d %s; slowing it "
		    "for %d s", d->key, r->code, txt, ENGINE_POLICY_SLOW_S);
		dest_slow(&d->ds, now, (int64_t)ENGINE_POLICY_SLOW_S * 1000);
		return 0;
	}
	metrics_add(&eng->m, METRIC_SHAPING, 1);
	if (reply_enh_is(r, "4.7.") || reply_enh_is(r, "5.7."))
		metrics_add(&eng->m, METRIC_POLICY_ALERTS, 1);
	ms = (int64_t)rule->seconds * 1000;
	log_escape(txt, sizeof(txt), r->text, r->textlen);
	snprintf(d->why, sizeof(d->why), "%d %.180s", r->code, txt);
	log_warn("shaping rule %lu: %s %s%s%s for %d s after %d %s",
	    rule->id, shaping_action_names[rule->action], d->key,
	    rule->scope == SHAPING_CAMPAIGN ? " campaign " : "",
	    rule->scope == SHAPING_CAMPAIGN ? campaign : "", rule->seconds,
	    r->code, txt);
	if (rule->scope == SHAPING_CAMPAIGN && campaign != NULL &&
	    campaign[0] != '\0') {
		campaign_suspend(d, campaign, now, ms);
		return rule->seconds;
	}
	if (rule->action == SHAPING_SUSPEND) {
		dest_suspend(&d->ds, now, ms);
		return rule->seconds;
	}
	dest_slow(&d->ds, now, ms);
	return 0;
}

/* --- destinations --------------------------------------------------- */

static unsigned
hash_key(const char *s)
{
	unsigned	 h = 2166136261u;

	for (; *s != '\0'; s++) {
		unsigned char	 c = (unsigned char)*s;

		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		h = (h ^ c) * 16777619u;
	}
	return h % ENGINE_BUCKETS;
}

static void
dest_timer_fire(struct ev_timer *t, void *arg)
{
	(void)t;
	pump(arg);
}

static struct edest *
dest_get(struct engine *eng, const char *key, bool smarthost)
{
	unsigned		 h = hash_key(key);
	struct edest		*d;
	struct dest_limits	 l;

	for (d = eng->buckets[h]; d != NULL; d = d->hnext)
		if (d->smarthost == smarthost && strcasecmp(d->key, key) == 0)
			return d;
	if ((d = calloc(1, sizeof(*d) + strlen(key) + 1)) == NULL)
		return NULL;
	d->eng = eng;
	memcpy(d->key, key, strlen(key) + 1);
	d->smarthost = smarthost;
	limits_for(eng, key, smarthost, &l);
	dest_init(&d->ds, &l, ev_now(eng->ev));
	d->prof_gen = eng->gen;
	d->last_used = ev_now(eng->ev);
	d->hnext = eng->buckets[h];
	eng->buckets[h] = d;
	eng->ndests++;
	metrics_add(&eng->m, METRIC_DESTS, 1);
	return d;
}

static void
dest_release(struct edest *d)
{
	free(d->rt);
	free(d->cs);
	free(d);
}

static void
mark_dirty(struct edest *d)
{
	if (d->dirty)
		return;
	d->dirty = true;
	d->dnext = d->eng->dirty;
	d->eng->dirty = d;
}

/* --- routes --------------------------------------------------------- */

static void
route_done(struct edest *d)
{
	struct engine	*eng = d->eng;

	if (d->naddrs == 0) {
		metrics_add(&eng->m, METRIC_DNS_FAILED, 1);
		d->rstate = R_NONE;
		fail_pending(d, DELIVERY_DEFERRED, 0, "4.4.4",
		    "no address found for the destination's mail hosts", 0);
		return;
	}
	d->rstate = R_READY;
	d->addr_cur = 0;
	d->route_expires = ev_now(eng->ev) + ENGINE_ROUTE_TTL_MS;
	pump(d);
}

static void
addr_cb(void *arg, const struct dns_addr *a, size_t n, const char *why)
{
	struct edest	*d = arg;
	size_t		 i;

	d->lookups--;
	if (d->eng->closing)
		return;
	if (n == 0)
		log_info("route %s: %s", d->key, why);
	for (i = 0; i < n && d->naddrs < ENGINE_ADDRS_MAX; i++) {
		d->rt->addrs[d->naddrs] = a[i];
		d->rt->addr_host[d->naddrs] = (uint8_t)d->host_i;
		d->naddrs++;
	}
	d->host_i++;
	resolve_hosts(d);
}

static void
resolve_hosts(struct edest *d)
{
	const struct route_host	*h;

	if (d->host_i >= d->rt->route.nhosts || d->naddrs >= ENGINE_ADDRS_MAX) {
		route_done(d);
		return;
	}
	h = &d->rt->route.hosts[d->host_i];
	d->lookups++;
	dns_addrs(d->eng->dns, h->name, h->port, addr_cb, d);
}

static void
mx_cb(void *arg, enum route_dns st, const struct route_mx *mx, size_t n)
{
	struct edest	*d = arg;
	uint16_t	 port = (uint16_t)(d->eng->cfg.mx_port > 0 ?
			    d->eng->cfg.mx_port : 25);
	size_t		 i;

	d->lookups--;
	if (d->eng->closing)
		return;
	route_from_mx(&d->rt->route, d->key, st, mx, n);
	switch (d->rt->route.st) {
	case ROUTE_OK:
		for (i = 0; i < d->rt->route.nhosts; i++)
			d->rt->route.hosts[i].port = port;
		d->host_i = 0;
		d->naddrs = 0;
		resolve_hosts(d);
		return;
	case ROUTE_NULL_MX:
		/* RFC 7505 §4.2: 556 5.1.10 */
		d->rstate = R_NONE;
		fail_pending(d, DELIVERY_BOUNCED, 556, "5.1.10",
		    "domain does not accept mail (null MX, RFC 7505)", 0);
		return;
	case ROUTE_NO_DOMAIN:
		d->rstate = R_NONE;
		fail_pending(d, DELIVERY_BOUNCED, 550, "5.1.2",
		    "recipient domain does not exist (NXDOMAIN)", 0);
		return;
	default:
		metrics_add(&d->eng->m, METRIC_DNS_FAILED, 1);
		d->rstate = R_NONE;
		fail_pending(d, DELIVERY_DEFERRED, 0, "4.4.3",
		    "temporary DNS failure looking up MX", 0);
		return;
	}
}

static void
resolve_start(struct edest *d)
{
	if (d->rt == NULL && (d->rt = calloc(1, sizeof(*d->rt))) == NULL) {
		fail_pending(d, DELIVERY_DEFERRED, 0, "4.3.0",
		    "out of memory", 0);
		return;
	}
	d->rstate = R_RESOLVING;
	d->naddrs = 0;
	d->host_i = 0;
	if (d->smarthost) {
		route_from_smarthost(&d->rt->route, &d->eng->sh);
		resolve_hosts(d);
		return;
	}
	d->lookups++;
	dns_mx(d->eng->dns, d->key, mx_cb, d);
}

/* --- connections ------------------------------------------------------ */

static void
conn_link(struct edest *d, struct conn *c)
{
	c->prev = NULL;
	c->next = d->conns;
	if (d->conns != NULL)
		d->conns->prev = c;
	d->conns = c;
	d->nconns++;
	d->eng->nconns++;
	metrics_add(&d->eng->m, METRIC_CONN_OPEN, 1);
}

static void
conn_unlink(struct edest *d, struct conn *c)
{
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		d->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	d->nconns--;
	d->eng->nconns--;
	metrics_add(&d->eng->m, METRIC_CONN_OPEN, -1);
}

static void
free_conn_deferred(void *arg)
{
	conn_free(arg);
}

static bool
open_conn(struct edest *d)
{
	struct engine	*eng = d->eng;
	struct conn	*c;
	size_t		 i = d->addr_cur % d->naddrs;
	char		 why[256];
	int		 tls;

	metrics_add(&eng->m, METRIC_CONN_OPENED, 1);
	/* RFC 7435 §6: opportunistic TLS that fails falls back to plain. */
	tls = d->ds.lim.tls;
	if (tls == ENGINE_TLS_OPPORTUNISTIC && d->notls_until > ev_now(eng->ev))
		tls = ENGINE_TLS_NONE;
	c = conn_new(&eng->env, d, (struct sockaddr *)&d->rt->addrs[i].ss,
	    d->rt->addrs[i].len, d->rt->route.hosts[d->rt->addr_host[i]].name,
	    tls, why, sizeof(why));
	if (c == NULL) {
		metrics_add(&eng->m, METRIC_CONN_FAILED, 1);
		log_warn("connection to %s: %s", d->key, why);
		if (d->nestablished == 0)
			fail_pending(d, DELIVERY_DEFERRED, 0, "4.4.1", why, 0);
		return false;
	}
	c->addr_idx = i;
	conn_link(d, c);
	return true;
}

/* Takes the next transaction's jobs off the pending list: the first job
 * and later ones with the same message and sender. */
static struct job *
take_batch(struct edest *d, size_t *n)
{
	struct job	*first = d->pend, *p, *prev, *tail;
	size_t		 scanned = 0, max = CONN_RCPTS_MAX;

	if (d->eng->cfg.dest_rcpts_per_msg > 0 &&
	    (size_t)d->eng->cfg.dest_rcpts_per_msg < max)
		max = (size_t)d->eng->cfg.dest_rcpts_per_msg;

	d->pend = first->next;
	if (d->pend == NULL)
		d->pend_tail = NULL;
	first->next = NULL;
	tail = first;
	*n = 1;
	prev = NULL;
	/* A message of its own (a personalized one) has nobody to share a
	 * transaction with: no scan. */
	p = first->d->shared ? d->pend : NULL;
	while (p != NULL && scanned++ < ENGINE_GROUP_SCAN && *n < max) {
		struct job	*nx = p->next;

		if (p->d->msg == first->d->msg &&
		    p->d->msg_len == first->d->msg_len &&
		    strcmp(p->d->mail_from, first->d->mail_from) == 0) {
			if (prev != NULL)
				prev->next = nx;
			else
				d->pend = nx;
			if (d->pend_tail == p)
				d->pend_tail = prev;
			p->next = NULL;
			tail->next = p;
			tail = p;
			(*n)++;
		} else
			prev = p;
		p = nx;
	}
	d->npend -= *n;
	return first;
}

/* At the engine's maximum: an idle connection elsewhere gives its slot
 * up (QUIT) so that a waiting destination is not held up by the reuse
 * window of another. */
static void
free_a_slot(struct engine *eng, const struct edest *except)
{
	struct edest	*d;
	struct conn	*c;
	size_t		 b;

	for (b = 0; b < ENGINE_BUCKETS; b++)
		for (d = eng->buckets[b]; d != NULL; d = d->hnext) {
			if (d == except || d->npend > 0)
				continue;
			for (c = d->conns; c != NULL; c = c->next)
				if (c->st == CONN_ST_READY) {
					conn_quit(c);
					return;
				}
		}
}

static void
wait_for_slot(struct edest *d)
{
	if (d->waiting)
		return;
	free_a_slot(d->eng, d);
	d->waiting = true;
	d->wnext = NULL;
	/* FIFO: append */
	if (d->eng->waitq == NULL)
		d->eng->waitq = d;
	else {
		struct edest	*w = d->eng->waitq;

		while (w->wnext != NULL)
			w = w->wnext;
		w->wnext = d;
	}
}

static void
pump(struct edest *d)
{
	struct engine	*eng = d->eng;
	int64_t		 now = ev_now(eng->ev), left, wait;
	struct conn	*c, *next;
	struct job	*j, *batch;
	size_t		 n;
	int		 limit, connecting;
	bool		 stop_now;

	pthread_mutex_lock(&eng->mu);
	stop_now = eng->stopping && !eng->draining;
	pthread_mutex_unlock(&eng->mu);
	if (stop_now)
		return;
	d->last_used = now;
	/* Suspended: every pending delivery goes back with the wait. */
	if ((left = dest_suspended_for(&d->ds, now)) > 0) {
		fail_pending(d, DELIVERY_DEFERRED, 0, "4.7.0",
		    "destination suspended by a shaping rule",
		    (int)((left + 999) / 1000));
		for (c = d->conns; c != NULL; c = next) {
			next = c->next;
			if (c->st == CONN_ST_READY)
				conn_quit(c);
		}
		return;
	}
	if (d->npend == 0)
		return;
	if (d->rstate == R_READY && now > d->route_expires &&
	    d->nconns == 0)
		d->rstate = R_NONE;
	if (d->rstate == R_NONE) {
		resolve_start(d);
		return;
	}
	if (d->rstate != R_READY)
		return;
	/* Idle connections take work first. */
	for (c = d->conns; c != NULL && d->npend > 0; c = next) {
		next = c->next;
		if (c->st != CONN_ST_READY)
			continue;
		if (c->msgs >= (unsigned)d->ds.lim.msgs_per_conn) {
			conn_quit(c);
			continue;
		}
		/* campaign suspensions: defer those jobs now */
		while ((j = d->pend) != NULL &&
		    (left = campaign_suspended(d, j->d->campaign, now)) > 0) {
			d->pend = j->next;
			if (d->pend == NULL)
				d->pend_tail = NULL;
			d->npend--;
			fail_job(eng, j, DELIVERY_DEFERRED, 0, "4.7.0",
			    "campaign suspended for this destination by a "
			    "shaping rule", (int)((left + 999) / 1000));
		}
		if (d->pend == NULL)
			break;
		if ((wait = dest_rate_wait(&d->ds, now)) > 0) {
			if (!ev_timer_armed(&d->timer))
				ev_timer_set(eng->ev, &d->timer, wait,
				    dest_timer_fire, d);
			return;
		}
		dest_rate_take(&d->ds, now);
		batch = take_batch(d, &n);
		conn_send(c, batch, n);
	}
	if (d->npend == 0)
		return;
	/* More connections, within the window and the engine's maximum. */
	limit = dest_conn_limit(&d->ds, now);
	connecting = d->nconns - d->nestablished;
	while (d->nconns < limit && (size_t)connecting < d->npend) {
		if (eng->nconns >= eng->cfg.connections_max) {
			wait_for_slot(d);
			return;
		}
		if (!open_conn(d))
			return;
		connecting++;
	}
}

static void
pump_waiting(struct engine *eng)
{
	struct edest	*d;
	int		 k = 0;

	while (eng->waitq != NULL && eng->nconns < eng->cfg.connections_max &&
	    k++ < 64) {
		d = eng->waitq;
		eng->waitq = d->wnext;
		d->waiting = false;
		d->wnext = NULL;
		pump(d);
	}
}

static void
on_ready(void *owner, struct conn *c)
{
	struct edest	*d = c->dest;

	(void)owner;
	if (!c->counted) {
		c->counted = true;
		d->nestablished++;
		d->fail_streak = 0;
		if (c->tls_done && c->ext != 0)
			metrics_add(&d->eng->m, METRIC_TLS, c->tls ? 1 : 0);
	}
	pump(d);
	/* Nothing to do here while others wait for a slot: give it up. */
	if (c->st == CONN_ST_READY && d->npend == 0 && d->eng->waitq != NULL)
		conn_quit(c);
}

/*
 * The connection is about to end a message's data and can send the next
 * transaction in the same write (RFC 2920 §3.1: message content may start
 * a pipelined group). Work is given only when pump() would give it to an
 * idle connection at this moment: not stopping, not suspended, within
 * the messages per connection and the rate; anything else waits for
 * on_ready() as before.
 */
static struct job *
on_more(void *owner, struct conn *c, size_t *n)
{
	struct engine	*eng = owner;
	struct edest	*d = c->dest;
	int64_t		 now = ev_now(eng->ev);
	bool		 stop_now;

	*n = 0;
	if (eng->closing || d->pend == NULL || d->rstate != R_READY ||
	    c->msgs + 1 >= (unsigned)d->ds.lim.msgs_per_conn)
		return NULL;
	pthread_mutex_lock(&eng->mu);
	stop_now = eng->stopping && !eng->draining;
	pthread_mutex_unlock(&eng->mu);
	if (stop_now || dest_suspended_for(&d->ds, now) > 0 ||
	    campaign_suspended(d, d->pend->d->campaign, now) > 0 ||
	    dest_rate_wait(&d->ds, now) > 0)
		return NULL;
	dest_rate_take(&d->ds, now);
	d->last_used = now;
	return take_batch(d, n);
}

static void
on_done(void *owner, struct conn *c, struct job *j,
    const struct delivery_result *res, const struct reply *r)
{
	struct engine		*eng = owner;
	struct edest		*d = c->dest;
	struct delivery_result	 out = *res;
	int			 s;

	if (out.outcome == DELIVERY_SENT)
		dest_success(&d->ds);
	if ((s = shape(d, r, j->d->campaign)) > out.slow_down_s)
		out.slow_down_s = s;
	report(eng, j->d, &out);
}

static void
on_closed(void *owner, struct conn *c, bool established,
    const struct reply *last, const char *why)
{
	struct engine	*eng = owner;
	struct edest	*d = c->dest;
	char		 txt[DELIVERY_TEXT_MAX];
	int		 slow;

	conn_unlink(d, c);
	if (c->counted)
		d->nestablished--;
	if (ev_defer(eng->ev, free_conn_deferred, c) == -1)
		log_err("out of memory: leaking a connection");
	if (eng->closing)
		return;
	if (!established && c->tls_failed &&
	    c->tls_policy == ENGINE_TLS_OPPORTUNISTIC) {
		/* Try again at once without STARTTLS; nothing is deferred. */
		metrics_add(&eng->m, METRIC_CONN_FAILED, 1);
		log_warn("STARTTLS with %s (%s) failed: %s; plaintext for an "
		    "hour", d->key, c->mx, why);
		d->notls_until = ev_now(eng->ev) + ENGINE_NOTLS_MS;
	} else if (!established) {
		metrics_add(&eng->m, METRIC_CONN_FAILED, 1);
		dest_failure(&d->ds);
		slow = shape(d, last, "");
		if (last != NULL)
			log_escape(txt, sizeof(txt), last->text,
			    last->textlen);
		log_info("connection to %s (%s) failed: %s%s%s", d->key,
		    c->mx, why, last != NULL ? ": " : "",
		    last != NULL ? txt : "");
		if (d->naddrs > 0 && c->addr_idx == d->addr_cur % d->naddrs)
			d->addr_cur++;
		/* Each address tried once without a usable session: the
		 * deliveries wait for the queue's retry. */
		if (++d->fail_streak >= (d->naddrs > 0 ? d->naddrs : 1) &&
		    d->nestablished == 0) {
			d->fail_streak = 0;
			d->addr_cur = 0;
			d->last_mx = c->mx;
			if (last != NULL)
				fail_pending(d, DELIVERY_DEFERRED, last->code,
				    last->enhanced, last->text, slow);
			else
				fail_pending(d, DELIVERY_DEFERRED, 0, "4.4.1",
				    why, slow);
			d->last_mx = NULL;
			if (d->nconns == 0)
				d->rstate = R_NONE;
		}
	}
	mark_dirty(d);
	pump_waiting(eng);
}

static const struct conn_ops engine_conn_ops = {
	.ready = on_ready,
	.more = on_more,
	.done = on_done,
	.closed = on_closed,
};

/* --- submissions -------------------------------------------------------- */

/* An envelope address we can put between <> without injecting a command. */
static bool
addr_ok(const char *a)
{
	size_t	 n;

	if (a == NULL)
		return false;
	n = strlen(a);
	return n < CONN_ADDR_MAX && strpbrk(a, "\r\n<>") == NULL;
}

static void
accept_job(struct engine *eng, struct job *j)
{
	struct delivery	*dv = j->d;
	const char	*domain = dv->domain, *at;
	struct edest	*d;
	bool		 sh;

	if (!addr_ok(dv->mail_from) || !addr_ok(dv->rcpt) ||
	    dv->rcpt[0] == '\0' || dv->msg == NULL) {
		fail_job(eng, j, DELIVERY_BOUNCED, 0, "5.1.3",
		    "bad envelope address or no message", 0);
		return;
	}
	if (domain == NULL || domain[0] == '\0') {
		at = strrchr(dv->rcpt, '@');
		domain = at != NULL ? at + 1 : "";
	}
	if (domain[0] == '\0' || strlen(domain) >= ROUTE_NAME_MAX) {
		fail_job(eng, j, DELIVERY_BOUNCED, 0, "5.1.3",
		    "recipient without a usable domain", 0);
		return;
	}
	sh = route_uses_smarthost(&eng->sh, domain);
	if ((d = dest_get(eng, sh ? eng->sh.host : domain, sh)) == NULL) {
		fail_job(eng, j, DELIVERY_DEFERRED, 0, "4.3.0",
		    "out of memory", 0);
		return;
	}
	j->next = NULL;
	j->since = ev_now(eng->ev);
	if (d->pend_tail != NULL)
		d->pend_tail->next = j;
	else
		d->pend = j;
	d->pend_tail = j;
	d->npend++;
	mark_dirty(d);
}

static void
process_dirty(struct engine *eng)
{
	struct edest	*d;

	while ((d = eng->dirty) != NULL) {
		eng->dirty = d->dnext;
		d->dirty = false;
		d->dnext = NULL;
		pump(d);
	}
}

static void
apply_profiles(struct engine *eng)
{
	struct profile		*np = NULL;
	struct shaping_rule	*nr = NULL;
	size_t			 nnp = 0, nnr = 0, b;
	struct edest		*d;
	struct dest_limits	 l;
	bool			 fresh = false;

	pthread_mutex_lock(&eng->mu);
	if (eng->new_gen != eng->gen) {
		np = eng->new_prof;
		nnp = eng->new_nprof;
		nr = eng->new_rules;
		nnr = eng->new_nrules;
		eng->new_prof = NULL;
		eng->new_rules = NULL;
		eng->gen = eng->new_gen;
		fresh = true;
	}
	pthread_mutex_unlock(&eng->mu);
	if (!fresh)
		return;
	free(eng->prof);
	free(eng->rules);
	eng->prof = np;
	eng->nprof = nnp;
	eng->rules = nr;
	eng->nrules = nnr;
	for (b = 0; b < ENGINE_BUCKETS; b++)
		for (d = eng->buckets[b]; d != NULL; d = d->hnext) {
			limits_for(eng, d->key, d->smarthost, &l);
			dest_set_limits(&d->ds, &l);
			d->prof_gen = eng->gen;
		}
	log_info("engine: %zu domain profiles, %zu shaping rules", nnp, nnr);
}

/* engine_lift(): the destination's suspension, slow-down and campaign
 * suspensions end now. */
static void
lift_dest(struct engine *eng, const char *name)
{
	struct edest	*d;
	size_t		 b;

	for (b = 0; b < ENGINE_BUCKETS; b++)
		for (d = eng->buckets[b]; d != NULL; d = d->hnext) {
			if (strcasecmp(d->key, name) != 0)
				continue;
			dest_lift(&d->ds);
			free(d->cs);
			d->cs = NULL;
			log_info("shaping lifted for %s", d->key);
			mark_dirty(d);
		}
}

static void
on_wake(void *arg)
{
	struct engine	*eng = arg;
	struct job	*j, *next;
	struct lift_req	*lr, *lnext;

	pthread_mutex_lock(&eng->mu);
	j = eng->inbox;
	eng->inbox = eng->inbox_tail = NULL;
	lr = eng->lifts;
	eng->lifts = NULL;
	pthread_mutex_unlock(&eng->mu);
	apply_profiles(eng);
	for (; lr != NULL; lr = lnext) {
		lnext = lr->next;
		lift_dest(eng, lr->dest);
		free(lr);
	}
	for (; j != NULL; j = next) {
		next = j->next;
		accept_job(eng, j);
	}
}

/* Label values in the Prometheus text format escape \, " and newline. */
static void
put_label(struct sbuf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			sbuf_putc(b, '\\');
		if (*s == '\n') {
			sbuf_puts(b, "\\n");
			continue;
		}
		sbuf_putc(b, *s);
	}
}

static void
snapshot(struct engine *eng)
{
	struct sbuf	 b;
	struct edest	*d;
	size_t		 bk, k = 0;
	int64_t		 now = ev_now(eng->ev);
	static const char *const names[] = {
		"tegami_sender_destination_connections",
		"tegami_sender_destination_pending",
		"tegami_sender_destination_window",
		"tegami_sender_destination_suspended_seconds",
	};
	int		 i;

	sbuf_init(&b, NULL, 0);
	for (i = 0; i < 4; i++)
		sbuf_printf(&b, "# TYPE %s gauge\n", names[i]);
	for (bk = 0; bk < ENGINE_BUCKETS && k < ENGINE_SNAPSHOT_DESTS; bk++)
		for (d = eng->buckets[bk]; d != NULL &&
		    k < ENGINE_SNAPSHOT_DESTS; d = d->hnext) {
			long long	 v[4];

			if (d->nconns == 0 && d->npend == 0 &&
			    dest_suspended_for(&d->ds, now) == 0)
				continue;
			k++;
			v[0] = d->nconns;
			v[1] = (long long)d->npend;
			v[2] = dest_conn_limit(&d->ds, now);
			v[3] = (dest_suspended_for(&d->ds, now) + 999) / 1000;
			for (i = 0; i < 4; i++) {
				sbuf_printf(&b, "%s{destination=\"", names[i]);
				put_label(&b, d->key);
				sbuf_printf(&b, "\"} %lld\n", v[i]);
			}
		}
	pthread_mutex_lock(&eng->mu);
	sbuf_free(&eng->snapshot);
	eng->snapshot = b;
	pthread_mutex_unlock(&eng->mu);
}

/* The suspensions and slow-downs in force, for engine_shaping_snapshot()
 * (loop thread; times turned from the loop clock into Unix seconds). */
static void
shaping_snap(struct engine *eng)
{
	struct engine_shaping	*v = NULL, *x;
	struct edest		*d;
	size_t			 bk, n = 0, i, cap = 0;
	int64_t			 now = ev_now(eng->ev), wall = time(NULL);

	/* Count first: most of the time nothing is shaped. */
	for (bk = 0; bk < ENGINE_BUCKETS; bk++)
		for (d = eng->buckets[bk]; d != NULL; d = d->hnext) {
			if (dest_suspended_for(&d->ds, now) > 0 ||
			    dest_is_slowed(&d->ds, now))
				cap++;
			for (i = 0; d->cs != NULL &&
			    i < ENGINE_CAMPAIGNS_MAX; i++)
				if (d->cs[i].until > now)
					cap++;
		}
	if (cap > ENGINE_SHAPING_SNAP_MAX)
		cap = ENGINE_SHAPING_SNAP_MAX;
	if (cap > 0 && (v = calloc(cap, sizeof(*v))) == NULL)
		return;		/* keep the last one */
	for (bk = 0; bk < ENGINE_BUCKETS; bk++)
		for (d = eng->buckets[bk]; d != NULL; d = d->hnext) {
			int64_t	 left = dest_suspended_for(&d->ds, now);

			if (left == 0 && dest_is_slowed(&d->ds, now))
				left = d->ds.slowed_until - now;
			if (left > 0 && n < cap) {
				x = &v[n++];
				snprintf(x->destination,
				    sizeof(x->destination), "%s", d->key);
				x->action = dest_suspended_for(&d->ds, now) >
				    0 ? SHAPING_SUSPEND : SHAPING_SLOW;
				x->until = wall + (left + 999) / 1000;
				snprintf(x->reason, sizeof(x->reason), "%s",
				    d->why);
			}
			for (i = 0; d->cs != NULL &&
			    i < ENGINE_CAMPAIGNS_MAX; i++) {
				if (d->cs[i].until <= now || n == cap)
					continue;
				x = &v[n++];
				snprintf(x->destination,
				    sizeof(x->destination), "%s", d->key);
				snprintf(x->campaign, sizeof(x->campaign),
				    "%s", d->cs[i].campaign);
				x->action = SHAPING_SUSPEND;
				x->until = wall +
				    (d->cs[i].until - now + 999) / 1000;
				snprintf(x->reason, sizeof(x->reason), "%s",
				    d->why);
			}
		}
	pthread_mutex_lock(&eng->mu);
	free(eng->shap);
	eng->shap = v;
	eng->nshap = n;
	pthread_mutex_unlock(&eng->mu);
}

/* Once a second: profiles, destination clean-up, the metrics snapshot. */
static void
tick(struct ev_timer *t, void *arg)
{
	struct engine	*eng = arg;
	struct edest	**pp, *d;
	int64_t		 now = ev_now(eng->ev);
	size_t		 b;

	apply_profiles(eng);
	for (b = 0; b < ENGINE_BUCKETS; b++)
		for (pp = &eng->buckets[b]; (d = *pp) != NULL;) {
			if (d->npend == 0 && d->nconns == 0 &&
			    d->lookups == 0 && !d->dirty && !d->waiting &&
			    now - d->last_used > ENGINE_DEST_IDLE_MS &&
			    dest_suspended_for(&d->ds, now) == 0 &&
			    !dest_is_slowed(&d->ds, now)) {
				*pp = d->hnext;
				ev_timer_cancel(eng->ev, &d->timer);
				eng->ndests--;
				metrics_add(&eng->m, METRIC_DESTS, -1);
				dest_release(d);
				continue;
			}
			/* An idle route is dropped once stale. */
			if (d->rt != NULL && d->npend == 0 && d->nconns == 0 &&
			    d->lookups == 0 && d->rstate != R_RESOLVING &&
			    now > d->route_expires) {
				free(d->rt);
				d->rt = NULL;
				d->rstate = R_NONE;
			}
			pp = &d->hnext;
		}
	snapshot(eng);
	shaping_snap(eng);
	ev_timer_set(eng->ev, t, 1000, tick, eng);
}

/* --- public ----------------------------------------------------------- */

static int
ms_or(int v, int def)
{
	return v > 0 ? v : def;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL && s[0] != '\0' ? strdup(s) : NULL;
}

struct engine *
engine_new(const struct engine_cfg *cfg, struct err *e)
{
	struct engine	*eng;

	if (cfg->done == NULL) {
		err_set(e, ERR_INPUT, "engine: no done callback");
		return NULL;
	}
	if ((eng = calloc(1, sizeof(*eng))) == NULL) {
		err_set(e, ERR_ENV, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&eng->mu, NULL);
	sbuf_init(&eng->snapshot, NULL, 0);
	eng->cfg = *cfg;
	eng->helo = strdup(cfg->helo != NULL && cfg->helo[0] != '\0' ?
	    cfg->helo : "localhost");
	eng->dns_servers = dup_or_null(cfg->dns_servers);
	eng->ca_file = dup_or_null(cfg->tls_ca_file);
	eng->cfg.helo = eng->helo;
	eng->cfg.dns_servers = eng->dns_servers;
	eng->cfg.tls_ca_file = eng->ca_file;
	eng->cfg.smarthost = NULL;
	eng->cfg.smarthost_domains = NULL;
	if (eng->cfg.connections_max <= 0)
		eng->cfg.connections_max = ENGINE_CONNECTIONS_DEFAULT;
	if (eng->helo == NULL || strpbrk(eng->helo, "\r\n ") != NULL) {
		err_set(e, ERR_INPUT, "engine: bad HELO name");
		goto fail;
	}
	if (route_smarthost_parse(&eng->sh, cfg->smarthost,
	    cfg->smarthost_domains, e) == -1)
		goto fail;
	if ((eng->ev = ev_new(NULL, e)) == NULL ||
	    (eng->dns = dns_new(eng->ev, eng->dns_servers,
	    ms_or(cfg->t_dns_ms, ENGINE_T_DNS_DEFAULT_MS) / 2, e)) == NULL ||
	    (eng->tls = tls_ctx_new(eng->ca_file, e)) == NULL)
		goto fail;
	eng->env.ev = eng->ev;
	eng->env.tls = eng->tls;
	eng->env.helo = eng->helo;
	eng->env.ops = &engine_conn_ops;
	eng->env.owner = eng;
	eng->env.t_connect = ms_or(cfg->t_connect_ms,
	    ENGINE_T_CONNECT_DEFAULT_MS);
	eng->env.t_greeting = ms_or(cfg->t_greeting_ms,
	    ENGINE_T_GREETING_DEFAULT_MS);
	eng->env.t_mail = ms_or(cfg->t_mail_ms, ENGINE_T_MAIL_DEFAULT_MS);
	eng->env.t_rcpt = ms_or(cfg->t_rcpt_ms, ENGINE_T_RCPT_DEFAULT_MS);
	eng->env.t_data = ms_or(cfg->t_data_ms, ENGINE_T_DATA_DEFAULT_MS);
	eng->env.t_block = ms_or(cfg->t_block_ms, ENGINE_T_BLOCK_DEFAULT_MS);
	eng->env.t_dataend = ms_or(cfg->t_dataend_ms,
	    ENGINE_T_DATAEND_DEFAULT_MS);
	eng->env.t_idle = ms_or(cfg->t_idle_ms, ENGINE_T_IDLE_DEFAULT_MS);
	ev_on_wake(eng->ev, on_wake, eng);
	ev_timer_set(eng->ev, &eng->tick, 1000, tick, eng);
	return eng;
fail:
	engine_free(eng);
	return NULL;
}

void
engine_free(struct engine *eng)
{
	struct edest	*d, *dn;
	struct job	*j, *jn;
	size_t		 b;

	if (eng == NULL)
		return;
	eng->closing = true;
	/* The once-a-second tick walks the destinations: it must not fire
	 * while the deferred frees below run the loop over freed ones. */
	if (eng->ev != NULL)
		ev_timer_cancel(eng->ev, &eng->tick);
	dns_free(eng->dns);
	for (b = 0; b < ENGINE_BUCKETS; b++)
		for (d = eng->buckets[b]; d != NULL; d = dn) {
			dn = d->hnext;
			for (j = d->pend; j != NULL; j = jn) {
				jn = j->next;
				free(j);
			}
			while (d->conns != NULL)
				conn_abort(d->conns, "engine freed");
			if (eng->ev != NULL)
				ev_timer_cancel(eng->ev, &d->timer);
			dest_release(d);
		}
	memset(eng->buckets, 0, sizeof(eng->buckets));
	eng->dirty = NULL;
	for (j = eng->inbox; j != NULL; j = jn) {
		jn = j->next;
		free(j);
	}
	if (eng->ev != NULL)
		while (ev_run_once(eng->ev, 0) > 0)
			;	/* deferred frees */
	tls_ctx_free(eng->tls);
	ev_free(eng->ev);
	free(eng->prof);
	free(eng->rules);
	free(eng->new_prof);
	free(eng->new_rules);
	sbuf_free(&eng->snapshot);
	free(eng->shap);
	free(eng->helo);
	free(eng->dns_servers);
	free(eng->ca_file);
	while (eng->lifts != NULL) {
		struct lift_req *lr = eng->lifts;

		eng->lifts = lr->next;
		free(lr);
	}
	pthread_mutex_destroy(&eng->mu);
	free(eng);
}

int
engine_submit(struct engine *eng, struct delivery *dv)
{
	return engine_submit_many(eng, &dv, 1) == 1 ? 0 : -1;
}

size_t
engine_submit_many(struct engine *eng, struct delivery *const *dv,
    size_t n)
{
	struct job	*first = NULL, *last = NULL, *j;
	size_t		 i, k = 0;
	bool		 was_empty;

	for (i = 0; i < n; i++) {
		if ((j = calloc(1, sizeof(*j))) == NULL)
			break;
		j->d = dv[i];
		if (last != NULL)
			last->next = j;
		else
			first = j;
		last = j;
		k++;
	}
	if (k == 0)
		return 0;
	pthread_mutex_lock(&eng->mu);
	if (eng->stopping) {
		pthread_mutex_unlock(&eng->mu);
		for (; first != NULL; first = j) {
			j = first->next;
			free(first);
		}
		return 0;
	}
	was_empty = eng->inbox == NULL;
	if (eng->inbox_tail != NULL)
		eng->inbox_tail->next = first;
	else
		eng->inbox = first;
	eng->inbox_tail = last;
	atomic_fetch_add(&eng->inflight, k);
	pthread_mutex_unlock(&eng->mu);
	metrics_add(&eng->m, METRIC_SUBMITTED, (int64_t)k);
	metrics_add(&eng->m, METRIC_INFLIGHT, (int64_t)k);
	/* One wake per filling of the inbox: on_wake() takes all of it
	 * under the lock after the wake is read, so a job appended to a
	 * non-empty inbox is taken by the wake already on its way. */
	if (was_empty)
		ev_wake(eng->ev);
	return k;
}

/* Stop without draining: everything held goes back DEFERRED. */
static void
abort_all(struct engine *eng)
{
	struct edest	*d;
	struct job	*j, *jn;
	size_t		 b;

	on_wake(eng);		/* jobs still in the inbox */
	for (b = 0; b < ENGINE_BUCKETS; b++)
		for (d = eng->buckets[b]; d != NULL; d = d->hnext) {
			fail_pending(d, DELIVERY_DEFERRED, 0, "4.3.2",
			    "engine stopped", 0);
			while (d->conns != NULL)
				conn_abort(d->conns, "engine stopped");
		}
	pthread_mutex_lock(&eng->mu);
	j = eng->inbox;
	eng->inbox = eng->inbox_tail = NULL;
	pthread_mutex_unlock(&eng->mu);
	for (; j != NULL; j = jn) {
		jn = j->next;
		fail_job(eng, j, DELIVERY_DEFERRED, 0, "4.3.2",
		    "engine stopped", 0);
	}
}

static void
quit_all(struct engine *eng)
{
	struct edest	*d;
	struct conn	*c, *cn;
	size_t		 b;

	for (b = 0; b < ENGINE_BUCKETS; b++)
		for (d = eng->buckets[b]; d != NULL; d = d->hnext)
			for (c = d->conns; c != NULL; c = cn) {
				cn = c->next;
				conn_quit(c);
			}
}

int
engine_run(struct engine *eng)
{
	bool	 stopping, draining, quitting = false;
	int64_t	 quit_deadline = 0;

	for (;;) {
		if (ev_run_once(eng->ev, 1000) == -1) {
			log_err("engine: epoll_wait failed");
			abort_all(eng);
			return -1;
		}
		process_dirty(eng);
		pthread_mutex_lock(&eng->mu);
		stopping = eng->stopping;
		draining = eng->draining;
		pthread_mutex_unlock(&eng->mu);
		if (!stopping)
			continue;
		if (!draining) {
			abort_all(eng);
			(void)ev_run_once(eng->ev, 0);
			return 0;
		}
		if (engine_inflight(eng) > 0)
			continue;
		if (!quitting) {
			quitting = true;
			quit_deadline = ev_now(eng->ev) + CONN_QUIT_MS;
			quit_all(eng);
		}
		if (eng->nconns == 0 || ev_now(eng->ev) > quit_deadline) {
			abort_all(eng);
			(void)ev_run_once(eng->ev, 0);
			return 0;
		}
	}
}

void
engine_stop(struct engine *eng, bool drain)
{
	pthread_mutex_lock(&eng->mu);
	/* A second stop may only turn draining off (hurry up). */
	if (!eng->stopping)
		eng->draining = drain;
	else if (!drain)
		eng->draining = false;
	eng->stopping = true;
	pthread_mutex_unlock(&eng->mu);
	ev_wake(eng->ev);
}

size_t
engine_inflight(const struct engine *eng)
{
	return atomic_load(&((struct engine *)eng)->inflight);
}

void
engine_metrics(struct engine *eng, struct sbuf *b)
{
	metrics_format(&eng->m, b);
	pthread_mutex_lock(&eng->mu);
	sbuf_put(b, eng->snapshot.p != NULL ? eng->snapshot.p : "",
	    eng->snapshot.len);
	pthread_mutex_unlock(&eng->mu);
}

static int
tls_parse(const char *s)
{
	static const char *const names[ENGINE_TLS__MAX] = {
		"none", "opportunistic", "required", "verify",
	};
	int	 i;

	for (i = 0; i < ENGINE_TLS__MAX; i++)
		if (s != NULL && strcmp(s, names[i]) == 0)
			return i;
	return ENGINE_TLS_OPPORTUNISTIC;
}

int
engine_set_profiles(struct engine *eng, const struct engine_profile *p,
    size_t np, const struct shaping_rule *r, size_t nr)
{
	struct profile		*pv;
	struct shaping_rule	*rv;
	struct dest_limits	 def;
	size_t			 i;

	if (np > ENGINE_PROFILES_MAX)
		np = ENGINE_PROFILES_MAX;
	if (nr > SHAPING_RULES_MAX)
		nr = SHAPING_RULES_MAX;
	pv = calloc(np + 1, sizeof(*pv));
	rv = calloc(nr + 1, sizeof(*rv));
	if (pv == NULL || rv == NULL) {
		free(pv);
		free(rv);
		return -1;
	}
	dest_limits_default(&def);
	for (i = 0; i < np; i++) {
		snprintf(pv[i].domain, sizeof(pv[i].domain), "%s",
		    p[i].domain != NULL ? p[i].domain : "");
		pv[i].lim = def;
		if (p[i].conns > 0)
			pv[i].lim.conns = p[i].conns;
		if (p[i].msgs_per_conn > 0)
			pv[i].lim.msgs_per_conn = p[i].msgs_per_conn;
		if (p[i].msgs_per_min > 0)
			pv[i].lim.msgs_per_min = p[i].msgs_per_min;
		if (p[i].slow_start > 0)
			pv[i].lim.slow_start = p[i].slow_start;
		pv[i].lim.tls = p[i].tls;
		dest_limits_clamp(&pv[i].lim);
	}
	if (nr > 0)
		memcpy(rv, r, nr * sizeof(*rv));
	pthread_mutex_lock(&eng->mu);
	free(eng->new_prof);
	free(eng->new_rules);
	eng->new_prof = pv;
	eng->new_nprof = np;
	eng->new_rules = rv;
	eng->new_nrules = nr;
	eng->new_gen++;
	pthread_mutex_unlock(&eng->mu);
	ev_wake(eng->ev);
	return 0;
}

size_t
engine_shaping_snapshot(struct engine *eng, struct engine_shaping *out,
    size_t max)
{
	size_t	 n;

	pthread_mutex_lock(&eng->mu);
	n = eng->nshap < max ? eng->nshap : max;
	if (n > 0)
		memcpy(out, eng->shap, n * sizeof(*out));
	pthread_mutex_unlock(&eng->mu);
	return n;
}

int
engine_lift(struct engine *eng, const char *destination)
{
	struct lift_req	*lr;

	if ((lr = calloc(1, sizeof(*lr))) == NULL)
		return -1;
	snprintf(lr->dest, sizeof(lr->dest), "%s", destination);
	pthread_mutex_lock(&eng->mu);
	lr->next = eng->lifts;
	eng->lifts = lr;
	pthread_mutex_unlock(&eng->mu);
	ev_wake(eng->ev);
	return 0;
}

int
engine_load_profiles(struct engine *eng, struct db *db, struct err *e)
{
	struct arena		*a;
	struct db_profile	*dp;
	struct db_shaping	*dr;
	struct engine_profile	*np = NULL;
	struct shaping_rule	*nr = NULL;
	size_t			 ndp, ndr, i;
	int			 rc = -1;

	if ((a = arena_new(0)) == NULL)
		return err_set(e, ERR_ENV, "out of memory");
	if (db_profile_load(db, a, &dp, &ndp, e) == -1 ||
	    db_profile_rules(db, a, &dr, &ndr, e) == -1)
		goto out;
	if ((np = calloc(ndp + 1, sizeof(*np))) == NULL ||
	    (nr = calloc(ndr + 1, sizeof(*nr))) == NULL) {
		err_set(e, ERR_ENV, "out of memory");
		goto out;
	}
	for (i = 0; i < ndp; i++) {
		np[i].domain = dp[i].domain;
		np[i].conns = (int)dp[i].max_conns;
		np[i].msgs_per_conn = (int)dp[i].msgs_per_conn;
		np[i].msgs_per_min = (int)dp[i].msgs_per_min;
		np[i].slow_start = (int)dp[i].slow_start;
		np[i].tls = tls_parse(dp[i].tls_policy);
	}
	for (i = 0; i < ndr; i++) {
		int	 act = shaping_action_parse(dr[i].action);
		int	 scope = shaping_scope_parse(dr[i].scope);

		nr[i].id = (unsigned long)dr[i].id;
		snprintf(nr[i].domain, sizeof(nr[i].domain), "%s",
		    dr[i].domain != NULL ? dr[i].domain : "");
		nr[i].code = (int)dr[i].code;
		snprintf(nr[i].enhanced, sizeof(nr[i].enhanced), "%s",
		    dr[i].enhanced != NULL ? dr[i].enhanced : "");
		snprintf(nr[i].text, sizeof(nr[i].text), "%s",
		    dr[i].text != NULL ? dr[i].text : "");
		nr[i].action = act >= 0 ? (enum shaping_action)act :
		    SHAPING_SLOW;
		nr[i].scope = scope >= 0 ? (enum shaping_scope)scope :
		    SHAPING_DESTINATION;
		nr[i].seconds = (int)dr[i].seconds;
	}
	if (engine_set_profiles(eng, np, ndp, nr, ndr) == -1) {
		err_set(e, ERR_ENV, "out of memory");
		goto out;
	}
	rc = 0;
out:
	free(np);
	free(nr);
	arena_free(a);
	return rc;
}
