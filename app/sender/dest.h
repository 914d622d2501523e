/*
 * dest.h - per-destination limits and their arithmetic: concurrent
 * connections with slow start, messages per connection, messages per
 * minute (a token bucket), suspension and slow-down until a time.
 *
 * A destination is a recipient domain (or a smarthost). The functions here
 * are pure arithmetic on a struct and a time in milliseconds passed by the
 * caller, so unit tests drive them with an injected clock; the engine owns
 * the queues and connections that hang off a destination.
 */
#ifndef SENDER_DEST_H
#define SENDER_DEST_H

#include <stdbool.h>
#include <stdint.h>

#define DEST_CONNS_DEFAULT		20
#define DEST_MSGS_PER_CONN_DEFAULT	1000
#define DEST_MSGS_PER_MIN_DEFAULT	0	/* 0: unlimited */
#define DEST_SLOW_START_DEFAULT		2	/* first concurrency window */
#define DEST_CONNS_MAX			1000
#define DEST_SLOW_FACTOR		4	/* rate divisor while slowed */

struct dest_limits {
	int		 conns;		/* concurrent connections */
	int		 msgs_per_conn;	/* then QUIT and reconnect */
	int		 msgs_per_min;	/* 0: unlimited */
	int		 slow_start;	/* initial window (<= conns) */
	int		 tls;		/* enum engine_tls */
};

struct dest_state {
	struct dest_limits lim;
	/* slow start (like TCP's): the window opens by one after a window's
	 * worth of successes and closes by one on each connection failure. */
	int		 window;
	int		 credit;
	/* token bucket in thousandths of a message */
	int64_t		 tokens;
	int64_t		 refill_ms;	/* time of the last refill */
	int64_t		 suspended_until;	/* ms; 0: not */
	int64_t		 slowed_until;		/* ms; 0: not */
};

/* Fills l with the defaults above. */
void	 dest_limits_default(struct dest_limits *l);
/* Clamps l to sane bounds (conns 1..DEST_CONNS_MAX, slow_start 1..conns,
 * msgs_per_conn >= 1, msgs_per_min >= 0). */
void	 dest_limits_clamp(struct dest_limits *l);
/* Starts a destination at time now with limits l. */
void	 dest_init(struct dest_state *s, const struct dest_limits *l,
	    int64_t now);
/* New limits (profile reload) keep the state, the window is re-clamped. */
void	 dest_set_limits(struct dest_state *s, const struct dest_limits *l);
/* Connections allowed now: the window, 1 while slowed. */
int	 dest_conn_limit(const struct dest_state *s, int64_t now);
/* Milliseconds until a message may start (0: now). */
int64_t	 dest_rate_wait(struct dest_state *s, int64_t now);
/* Takes one message's token (call only when dest_rate_wait() gave 0). */
void	 dest_rate_take(struct dest_state *s, int64_t now);
/* Feedback: a delivery accepted / a connection or session failure. */
void	 dest_success(struct dest_state *s);
void	 dest_failure(struct dest_state *s);
/* Shaping: suspend (no connection, no message) or slow (one connection,
 * rate divided by DEST_SLOW_FACTOR) until now + ms. Extends, never
 * shortens. */
void	 dest_suspend(struct dest_state *s, int64_t now, int64_t ms);
void	 dest_slow(struct dest_state *s, int64_t now, int64_t ms);
/* Lifts both early (screen action). */
void	 dest_lift(struct dest_state *s);
/* Milliseconds of suspension left (0: not suspended). */
int64_t	 dest_suspended_for(const struct dest_state *s, int64_t now);
bool	 dest_is_slowed(const struct dest_state *s, int64_t now);

#endif
