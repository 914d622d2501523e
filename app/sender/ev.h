/*
 * ev.h - a small epoll event loop: fd watchers, one-shot timers in a
 * binary heap, and an eventfd so that other threads can wake the loop.
 *
 * Watchers and timers are structs owned (usually embedded) by the caller;
 * the loop only keeps pointers. A watcher removed with ev_io_del() during
 * an iteration gets no further events from that iteration; its owner must
 * stay allocated until the iteration ends, so free it through ev_defer().
 */
#ifndef SENDER_EV_H
#define SENDER_EV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct err;
struct ev;

#define EV_EVENTS_MAX	256	/* epoll events taken per iteration */

#define EV_READ		0x1u
#define EV_WRITE	0x2u

struct ev_io {
	int		 fd;
	unsigned	 want;		/* EV_READ | EV_WRITE */
	bool		 active;
	void		(*fn)(struct ev_io *, unsigned got, void *arg);
	void		*arg;
	uint64_t	 gen;		/* guards stale events after del */
};

struct ev_timer {
	int64_t		 when;		/* loop clock, ms */
	size_t		 idx;		/* heap slot + 1, 0 when not armed */
	void		(*fn)(struct ev_timer *, void *arg);
	void		*arg;
};

/* A new loop; now_fn (NULL: clock_mono_ms) gives milliseconds (tests may
 * inject a clock). NULL with e set. */
struct ev	*ev_new(int64_t (*now_fn)(void), struct err *);
void		 ev_free(struct ev *);
int64_t		 ev_now(const struct ev *);

/* Starts watching fd for want; -1 with e set when epoll refuses. */
int		 ev_io_add(struct ev *, struct ev_io *, int fd, unsigned want,
		    void (*fn)(struct ev_io *, unsigned, void *), void *arg,
		    struct err *) __attribute__((warn_unused_result));
/* Changes the interest set (no-op when unchanged). */
int		 ev_io_want(struct ev *, struct ev_io *, unsigned want);
/* Stops watching (does not close the fd). Safe on an inactive watcher. */
void		 ev_io_del(struct ev *, struct ev_io *);

/* Arms t to fire once after ms (re-arms when already armed). */
void		 ev_timer_set(struct ev *, struct ev_timer *, int64_t ms,
		    void (*fn)(struct ev_timer *, void *), void *arg);
void		 ev_timer_cancel(struct ev *, struct ev_timer *);
bool		 ev_timer_armed(const struct ev_timer *);

/* Called on the loop thread after ev_wake() from any thread. */
void		 ev_on_wake(struct ev *, void (*fn)(void *), void *arg);
/* Thread-safe, async-signal-safe. */
void		 ev_wake(struct ev *);

/* Runs fn(arg) after the current iteration (deferred frees). -1 when no
 * memory; then fn has not run. */
int		 ev_defer(struct ev *, void (*fn)(void *), void *arg)
		    __attribute__((warn_unused_result));

/* One iteration: waits up to max_ms (-1: until the next timer or event),
 * dispatches I/O, then due timers, then deferred calls. Returns the count
 * of callbacks run, -1 when epoll_wait failed. */
int		 ev_run_once(struct ev *, int max_ms);
/* Number of armed timers (tests). */
size_t		 ev_timers(const struct ev *);

#endif
