/*
 * ev_test.c - the epoll loop: timers fire in order with an injected
 * clock, cancel and re-arm, fd readiness, eventfd wake-up from another
 * thread, deferred calls after the iteration.
 */
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "../../app/core/err.h"
#include "../../app/sender/ev.h"
#include "t.h"

static int64_t	 fake_now;
static char	 order[16];
static size_t	 norder;

static int64_t
now_fn(void)
{
	return fake_now;
}

static void
mark(struct ev_timer *t, void *arg)
{
	(void)t;
	if (norder < sizeof(order) - 1)
		order[norder++] = *(const char *)arg;
}

static void
test_timers(void)
{
	struct err	 e;
	struct ev	*ev = ev_new(now_fn, &e);
	struct ev_timer	 t[5];
	static const char names[] = "abcde";
	int		 i;

	T_OK(ev != NULL, "ev_new");
	if (ev == NULL)
		return;
	memset(t, 0, sizeof(t));
	fake_now = 1000;
	ev_timer_set(ev, &t[0], 50, mark, (void *)&names[0]);
	ev_timer_set(ev, &t[1], 10, mark, (void *)&names[1]);
	ev_timer_set(ev, &t[2], 30, mark, (void *)&names[2]);
	ev_timer_set(ev, &t[3], 20, mark, (void *)&names[3]);
	ev_timer_set(ev, &t[4], 40, mark, (void *)&names[4]);
	T_OK(ev_timers(ev) == 5, "5 armed");
	ev_timer_cancel(ev, &t[2]);
	T_OK(!ev_timer_armed(&t[2]) && ev_timers(ev) == 4, "cancel");
	ev_timer_set(ev, &t[4], 5, mark, (void *)&names[4]);
	T_OK(ev_timers(ev) == 4, "re-arm does not duplicate");
	fake_now = 1015;
	(void)ev_run_once(ev, 0);
	order[norder] = '\0';
	T_STREQ(order, "eb", "due timers in order");
	fake_now = 2000;
	(void)ev_run_once(ev, 0);
	order[norder] = '\0';
	T_STREQ(order, "ebda", "the rest, c cancelled");
	T_OK(ev_timers(ev) == 0, "heap empty");
	for (i = 0; i < 5; i++)
		T_OK(!ev_timer_armed(&t[i]), "timer %d disarmed", i);
	ev_free(ev);
}

static int	 reads;

static void
on_read(struct ev_io *io, unsigned got, void *arg)
{
	char	 c;

	(void)arg;
	if ((got & EV_READ) && read(io->fd, &c, 1) == 1)
		reads++;
}

static int	 woken;

static void
on_wake(void *arg)
{
	(void)arg;
	woken++;
}

static void *
waker(void *arg)
{
	usleep(20000);
	ev_wake(arg);
	return NULL;
}

static void
defer_fn(void *arg)
{
	(*(int *)arg)++;
}

static void
test_io(void)
{
	struct err	 e;
	struct ev	*ev = ev_new(NULL, &e);
	struct ev_io	 io;
	pthread_t	 th;
	int		 p[2], n = 0, d = 0;

	if (ev == NULL || pipe(p) == -1) {
		T_OK(0, "setup");
		return;
	}
	T_OK(ev_io_add(ev, &io, p[0], EV_READ, on_read, NULL, &e) == 0,
	    "add");
	T_OK(write(p[1], "xy", 2) == 2, "write");
	(void)ev_run_once(ev, 1000);
	(void)ev_run_once(ev, 1000);
	T_OK(reads == 2, "two reads (level-triggered)");
	ev_io_del(ev, &io);
	T_OK(write(p[1], "z", 1) == 1, "write after del");
	n = ev_run_once(ev, 10);
	T_OK(reads == 2 && n == 0, "no event after del");
	ev_on_wake(ev, on_wake, NULL);
	pthread_create(&th, NULL, waker, ev);
	(void)ev_run_once(ev, 5000);
	pthread_join(th, NULL);
	T_OK(woken == 1, "woken from another thread");
	T_OK(ev_defer(ev, defer_fn, &d) == 0, "defer");
	T_OK(d == 0, "not yet");
	(void)ev_run_once(ev, 1000);
	T_OK(d == 1, "ran after the iteration, without waiting");
	close(p[0]);
	close(p[1]);
	ev_free(ev);
}

int
main(void)
{
	T_SUITE("ev");
	T_RUN(test_timers);
	T_RUN(test_io);
	return t_done("ev");
}
