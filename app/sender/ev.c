/*
 * ev.c - epoll loop with a timer heap and an eventfd wake-up (see ev.h).
 * Level-triggered; modelled on the shape of redis ae_epoll.c, written
 * from scratch.
 */
#include <sys/epoll.h>
#include <sys/eventfd.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/clock.h"
#include "../core/err.h"
#include "ev.h"

#define EV_HEAP_INITIAL	64

struct ev_deferred {
	void		(*fn)(void *);
	void		*arg;
};

struct ev {
	int		 epfd;
	int		 wakefd;
	int64_t		(*now_fn)(void);
	int64_t		 now;
	struct ev_timer	**heap;
	size_t		 nheap, capheap;
	struct ev_deferred *defer;
	size_t		 ndefer, capdefer;
	void		(*wake_fn)(void *);
	void		*wake_arg;
	uint64_t	 gen;
	struct ev_io	 wake_io;
};

static void
wake_read(struct ev_io *io, unsigned got, void *arg)
{
	struct ev	*ev = arg;
	uint64_t	 v;

	(void)got;
	if (read(io->fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return;
	if (ev->wake_fn != NULL)
		ev->wake_fn(ev->wake_arg);
}

struct ev *
ev_new(int64_t (*now_fn)(void), struct err *e)
{
	struct ev	*ev;

	if ((ev = calloc(1, sizeof(*ev))) == NULL) {
		err_set(e, ERR_ENV, "out of memory");
		return NULL;
	}
	ev->epfd = ev->wakefd = -1;
	ev->now_fn = now_fn != NULL ? now_fn : clock_mono_ms;
	ev->now = ev->now_fn();
	if ((ev->epfd = epoll_create1(EPOLL_CLOEXEC)) == -1 ||
	    (ev->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1) {
		err_set(e, ERR_ENV, "epoll/eventfd: %s", strerror(errno));
		ev_free(ev);
		return NULL;
	}
	if (ev_io_add(ev, &ev->wake_io, ev->wakefd, EV_READ, wake_read, ev,
	    e) == -1) {
		ev_free(ev);
		return NULL;
	}
	return ev;
}

void
ev_free(struct ev *ev)
{
	if (ev == NULL)
		return;
	if (ev->epfd != -1)
		close(ev->epfd);
	if (ev->wakefd != -1)
		close(ev->wakefd);
	free(ev->heap);
	free(ev->defer);
	free(ev);
}

int64_t
ev_now(const struct ev *ev)
{
	return ev->now;
}

static uint32_t
to_epoll(unsigned want)
{
	return ((want & EV_READ) ? EPOLLIN : 0) |
	    ((want & EV_WRITE) ? EPOLLOUT : 0);
}

int
ev_io_add(struct ev *ev, struct ev_io *io, int fd, unsigned want,
    void (*fn)(struct ev_io *, unsigned, void *), void *arg, struct err *e)
{
	struct epoll_event	 ee;

	memset(&ee, 0, sizeof(ee));
	io->fd = fd;
	io->want = want;
	io->fn = fn;
	io->arg = arg;
	io->gen = ++ev->gen;
	ee.events = to_epoll(want);
	ee.data.ptr = io;
	if (epoll_ctl(ev->epfd, EPOLL_CTL_ADD, fd, &ee) == -1)
		return err_set(e, ERR_ENV, "epoll_ctl: %s", strerror(errno));
	io->active = true;
	return 0;
}

int
ev_io_want(struct ev *ev, struct ev_io *io, unsigned want)
{
	struct epoll_event	 ee;

	if (!io->active || io->want == want)
		return 0;
	memset(&ee, 0, sizeof(ee));
	ee.events = to_epoll(want);
	ee.data.ptr = io;
	if (epoll_ctl(ev->epfd, EPOLL_CTL_MOD, io->fd, &ee) == -1)
		return -1;
	io->want = want;
	return 0;
}

void
ev_io_del(struct ev *ev, struct ev_io *io)
{
	if (!io->active)
		return;
	(void)epoll_ctl(ev->epfd, EPOLL_CTL_DEL, io->fd, NULL);
	io->active = false;
	io->gen = 0;
}

/* Heap of timers ordered by when; idx is the slot plus one. */
static bool
heap_less(struct ev *ev, size_t a, size_t b)
{
	return ev->heap[a]->when < ev->heap[b]->when;
}

static void
heap_swap(struct ev *ev, size_t a, size_t b)
{
	struct ev_timer	*t = ev->heap[a];

	ev->heap[a] = ev->heap[b];
	ev->heap[b] = t;
	ev->heap[a]->idx = a + 1;
	ev->heap[b]->idx = b + 1;
}

static void
heap_up(struct ev *ev, size_t i)
{
	while (i > 0 && heap_less(ev, i, (i - 1) / 2)) {
		heap_swap(ev, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void
heap_down(struct ev *ev, size_t i)
{
	size_t	 l, m;

	for (;;) {
		l = 2 * i + 1;
		m = i;
		if (l < ev->nheap && heap_less(ev, l, m))
			m = l;
		if (l + 1 < ev->nheap && heap_less(ev, l + 1, m))
			m = l + 1;
		if (m == i)
			return;
		heap_swap(ev, i, m);
		i = m;
	}
}

void
ev_timer_cancel(struct ev *ev, struct ev_timer *t)
{
	size_t	 i;

	if (t->idx == 0)
		return;
	i = t->idx - 1;
	t->idx = 0;
	ev->nheap--;
	if (i == ev->nheap)
		return;
	ev->heap[i] = ev->heap[ev->nheap];
	ev->heap[i]->idx = i + 1;
	heap_up(ev, i);
	heap_down(ev, ev->heap[i]->idx - 1);
}

void
ev_timer_set(struct ev *ev, struct ev_timer *t, int64_t ms,
    void (*fn)(struct ev_timer *, void *), void *arg)
{
	struct ev_timer	**nh;
	size_t		  cap;

	ev_timer_cancel(ev, t);
	t->fn = fn;
	t->arg = arg;
	t->when = ev->now_fn() + (ms > 0 ? ms : 0);
	if (ev->nheap == ev->capheap) {
		cap = ev->capheap ? ev->capheap * 2 : EV_HEAP_INITIAL;
		/* Out of memory here would lose a timeout: treat as fatal
		 * invariant, the process cannot run timers without memory. */
		nh = realloc(ev->heap, cap * sizeof(*nh));
		if (nh == NULL)
			abort();
		ev->heap = nh;
		ev->capheap = cap;
	}
	ev->heap[ev->nheap] = t;
	t->idx = ++ev->nheap;
	heap_up(ev, ev->nheap - 1);
}

bool
ev_timer_armed(const struct ev_timer *t)
{
	return t->idx != 0;
}

size_t
ev_timers(const struct ev *ev)
{
	return ev->nheap;
}

void
ev_on_wake(struct ev *ev, void (*fn)(void *), void *arg)
{
	ev->wake_fn = fn;
	ev->wake_arg = arg;
}

void
ev_wake(struct ev *ev)
{
	uint64_t	 one = 1;

	/* EAGAIN means the counter is already non-zero: woken anyway. */
	if (write(ev->wakefd, &one, sizeof(one)) < 0)
		return;
}

int
ev_defer(struct ev *ev, void (*fn)(void *), void *arg)
{
	struct ev_deferred	*nd;
	size_t			 cap;

	if (ev->ndefer == ev->capdefer) {
		cap = ev->capdefer ? ev->capdefer * 2 : 16;
		if ((nd = realloc(ev->defer, cap * sizeof(*nd))) == NULL)
			return -1;
		ev->defer = nd;
		ev->capdefer = cap;
	}
	ev->defer[ev->ndefer].fn = fn;
	ev->defer[ev->ndefer].arg = arg;
	ev->ndefer++;
	return 0;
}

int
ev_run_once(struct ev *ev, int max_ms)
{
	struct epoll_event	 evs[EV_EVENTS_MAX];
	struct ev_io		*ios[EV_EVENTS_MAX];
	uint64_t		 gens[EV_EVENTS_MAX];
	struct ev_timer		*t;
	int64_t			 wait;
	int			 n, i, ran = 0;
	size_t			 k;

	wait = max_ms;
	if (ev->nheap > 0) {
		int64_t	 d = ev->heap[0]->when - ev->now_fn();

		if (d < 0)
			d = 0;
		if (wait < 0 || d < wait)
			wait = d;
	}
	if (ev->ndefer > 0)
		wait = 0;
	n = epoll_wait(ev->epfd, evs, EV_EVENTS_MAX, (int)wait);
	if (n == -1 && errno != EINTR)
		return -1;
	ev->now = ev->now_fn();
	/* Snapshot generations first: a callback may delete (and a new
	 * watcher reuse) a struct whose event is later in this batch. */
	for (i = 0; i < n; i++) {
		ios[i] = evs[i].data.ptr;
		gens[i] = ios[i]->gen;
	}
	for (i = 0; i < n; i++) {
		unsigned	 got = 0;
		struct ev_io	*io = ios[i];

		if (!io->active || io->gen != gens[i])
			continue;
		if (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
			got |= EV_READ;
		if (evs[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
			got |= EV_WRITE;
		io->fn(io, got, io->arg);
		ran++;
	}
	ev->now = ev->now_fn();
	while (ev->nheap > 0 && ev->heap[0]->when <= ev->now) {
		t = ev->heap[0];
		ev_timer_cancel(ev, t);
		t->fn(t, t->arg);
		ran++;
	}
	/* Deferred calls may defer more; run until the list is empty. */
	for (k = 0; k < ev->ndefer; k++) {
		ev->defer[k].fn(ev->defer[k].arg);
		ran++;
	}
	ev->ndefer = 0;
	return ran;
}
