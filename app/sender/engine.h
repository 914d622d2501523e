/*
 * engine.h - the SMTP delivery engine of tegami-sender: routes (MX or
 * smarthost), a pool of non-blocking SMTP client connections driven by one
 * epoll loop, per-destination limits and traffic shaping.
 *
 * The queue side (main.c) submits finished messages with engine_submit()
 * from any thread; the engine calls cfg->done exactly once per submitted
 * delivery, on the engine's thread (the one inside engine_run()).
 * RFC 5321 (SMTP), RFC 3207 (STARTTLS), RFC 2920 (PIPELINING),
 * RFC 1870 (SIZE), RFC 6152 (8BITMIME), RFC 7505 (null MX).
 */
#ifndef SENDER_ENGINE_H
#define SENDER_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "delivery.h"
#include "shaping.h"

struct db;
struct err;
struct sbuf;
struct engine;

enum engine_tls {
	ENGINE_TLS_NONE,		/* never STARTTLS */
	ENGINE_TLS_OPPORTUNISTIC,	/* STARTTLS when offered, no checks */
	ENGINE_TLS_REQUIRED,		/* defer when not offered/failing */
	ENGINE_TLS_VERIFY,		/* required + certificate and name */
	ENGINE_TLS__MAX
};

/* Defaults used when a field is 0 (RFC 5321 §4.5.3.2 for timeouts). */
#define ENGINE_CONNECTIONS_DEFAULT	200
#define ENGINE_T_CONNECT_DEFAULT_MS	(30 * 1000)
#define ENGINE_T_GREETING_DEFAULT_MS	(5 * 60 * 1000)
#define ENGINE_T_MAIL_DEFAULT_MS	(5 * 60 * 1000)
#define ENGINE_T_RCPT_DEFAULT_MS	(5 * 60 * 1000)
#define ENGINE_T_DATA_DEFAULT_MS	(2 * 60 * 1000)
#define ENGINE_T_BLOCK_DEFAULT_MS	(3 * 60 * 1000)
#define ENGINE_T_DATAEND_DEFAULT_MS	(10 * 60 * 1000)
#define ENGINE_T_IDLE_DEFAULT_MS	(5 * 1000)	/* reuse window */
#define ENGINE_T_DNS_DEFAULT_MS		(10 * 1000)

struct engine_cfg {
	const char	*helo;		/* EHLO name; NULL: "localhost" */
	const char	*smarthost;	/* "host:port"; NULL/"": MX routing */
	/* "example.com,example.org" routed to the smarthost only; NULL or
	 * "": the smarthost (when set) takes every domain. */
	const char	*smarthost_domains;
	const char	*dns_servers;	/* "127.0.0.1:5353,..." or NULL */
	int		 mx_port;	/* port of MX hosts; 0: 25 (tests) */
	int		 connections_max;	/* all destinations together */
	int		 tls_policy_default;	/* enum engine_tls; 0: none */
	const char	*tls_ca_file;	/* ENGINE_TLS_VERIFY; NULL: system */
	delivery_done_fn done;
	void		*done_ctx;
	/* Timeouts in milliseconds; 0 takes the default above. */
	int		 t_connect_ms;
	int		 t_greeting_ms;
	int		 t_mail_ms;
	int		 t_rcpt_ms;
	int		 t_data_ms;
	int		 t_block_ms;
	int		 t_dataend_ms;
	int		 t_idle_ms;	/* idle connection kept for reuse */
	int		 t_dns_ms;
	/* Default per-destination limits (profiles override); 0: defaults
	 * from dest.h. */
	int		 dest_connections;	/* concurrent per destination */
	int		 dest_msgs_per_conn;
	int		 dest_msgs_per_min;	/* 0 also means "unlimited" */
	int		 dest_rcpts_per_msg;	/* per transaction, <= 100 */
};

/* A domain profile: limits for a domain and its subdomains (0: default). */
struct engine_profile {
	const char	*domain;
	int		 conns;
	int		 msgs_per_conn;
	int		 msgs_per_min;
	int		 slow_start;
	int		 tls;		/* enum engine_tls */
};

/* A suspension or slow-down in force (engine_shaping_snapshot()). */
#define ENGINE_SHAPING_SNAP_MAX		1000	/* entries kept */
#define ENGINE_SHAPING_REASON_MAX	200
struct engine_shaping {
	char		 destination[SHAPING_DOMAIN_MAX];
	char		 campaign[64];	/* "" the whole destination */
	enum shaping_action action;
	long long	 until;		/* Unix seconds */
	char		 reason[ENGINE_SHAPING_REASON_MAX]; /* the reply */
};

/* A new engine; NULL with e set (bad smarthost or DNS server text, no
 * memory, epoll/eventfd refused). Does not start a thread. */
struct engine	*engine_new(const struct engine_cfg *, struct err *);
/* Frees everything; the loop must have returned. Deliveries still held are
 * not reported (call engine_stop(e, true) and let engine_run() return
 * first). NULL ok. */
void		 engine_free(struct engine *);
/* Thread-safe: queues one delivery and wakes the loop through an eventfd.
 * The delivery stays the caller's; the engine keeps the pointer until it
 * calls done. Returns -1 (nothing kept, done not called) once stopping. */
int		 engine_submit(struct engine *, struct delivery *)
		    __attribute__((warn_unused_result));
/* engine_submit for n deliveries under one lock with at most one wake;
 * returns how many were queued: n, or fewer once stopping (those from
 * the returned index on were not kept). */
size_t		 engine_submit_many(struct engine *, struct delivery *const *,
		    size_t n);
/* Runs the loop on the calling thread until engine_stop() and, when
 * draining, until everything submitted is done. Without drain, what is
 * still held is reported DEFERRED ("engine stopped") before it returns, so
 * done has been called for every submitted delivery when it returns.
 * Returns 0, or -1 when epoll itself failed. */
int		 engine_run(struct engine *);
/* Thread-safe: asks the loop to stop (drain: finish what was submitted). */
void		 engine_stop(struct engine *, bool drain);
/* Thread-safe: submitted and not yet reported. */
size_t		 engine_inflight(const struct engine *);
/* Appends counters in Prometheus text format (thread-safe). */
void		 engine_metrics(struct engine *, struct sbuf *);
/* Thread-safe replacement of profiles and shaping rules (copied; the
 * loop applies them at its next wake-up, also to live destinations).
 * Rules are tried in the given order. -1 when out of memory. */
int		 engine_set_profiles(struct engine *,
		    const struct engine_profile *, size_t nprofiles,
		    const struct shaping_rule *, size_t nrules)
		    __attribute__((warn_unused_result));
/* Lifts shaping suspensions and slow-downs of a destination (a domain, or
 * the smarthost's host) early; thread-safe, each request kept until the
 * loop applies it. -1: out of memory (nothing queued). */
int		 engine_lift(struct engine *, const char *destination)
		    __attribute__((warn_unused_result));
/* Thread-safe: copies at most max of the suspensions and slow-downs in
 * force (destination-wide and per campaign, from rules and from policy
 * refusals) into out and returns how many. The loop refreshes the list
 * once a second, so it may be a second old (a lift shows within it). */
size_t		 engine_shaping_snapshot(struct engine *,
		    struct engine_shaping *out, size_t max);
/* Thread-safe replacement of domain profiles and shaping rules from the
 * database (SIGHUP, screens). Runs on the caller's thread with its db. */
int		 engine_load_profiles(struct engine *, struct db *,
		    struct err *) __attribute__((warn_unused_result));

#endif
