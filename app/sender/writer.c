/*
 * writer.c - batched result writes (see writer.h, docs/queue.md).
 *
 * Nothing is recorded as sent without a 2xx reply to DATA (bounce.c);
 * hard bounces reach the suppression list in the same transaction; a
 * batch the database refuses is retried, never half-written.
 *
 * Policy refusals (RFC 3463 X.7.x, bounce.c's alert) never suppress: the
 * writer gathers them per batch by (recipient domain, enhanced code) and,
 * once the batch's results are written, raises one alert per pair for the
 * administrators (db_alert.h) in a small transaction of its own. Failing
 * to record an alert is logged; it never holds back or loses results.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../conf/config.h"
#include "../core/clock.h"
#include "../core/err.h"
#include "../core/log.h"
#include "../core/sbuf.h"
#include "../db/db.h"
#include "../db/db_alert.h"
#include "../db/db_queue.h"
#include "backoff.h"
#include "bounce.h"
#include "claim.h"
#include "window.h"
#include "writer.h"

#define WRITER_ALERTS_MAX	64	/* distinct alerts raised per batch */

/* Policy refusals of one batch with the same (domain, enhanced): the
 * strings are the jobs', valid until claim_job_done(). */
struct writer_alert {
	const char	*domain;
	const char	*enhanced;
	const char	*reply;		/* the latest one */
	int		 code;
	uint64_t	 n;
};

struct writer {
	struct writer_cfg	 c;
	struct db		*db;
	pthread_t		 th;
	bool			 started;
	atomic_llong		 max_age;
	atomic_ullong		 n[QUEUE_FATE__MAX];
	atomic_ullong		 batches, alerts;
	struct queue_result	 res[WRITER_BATCH_MAX];
	struct claim_job	*jobs[WRITER_BATCH_MAX];
	struct writer_alert	 alert[WRITER_ALERTS_MAX];
	size_t			 nalert;
	uint64_t		 alert_over;	/* refusals beyond the table */
};

void
writer_done(void *ctx, struct delivery *d, const struct delivery_result *r)
{
	struct writer		*w = ctx;
	struct claim_job	*j = d->owner;

	j->res = *r;
	j->have_res = true;
	claim_q_push(w->c.in, j);
}

static void
deferred(struct writer *w, struct claim_job *j, struct queue_result *q,
    int64_t slow_down_s)
{
	time_t	 next;

	if (backoff_next(clock_now(), (time_t)j->row.created,
	    j->row.attempts + 1, atomic_load(&w->max_age), slow_down_s,
	    randombytes_random(), &next) == BACKOFF_EXPIRED) {
		q->fate = QUEUE_EXPIRED;
		log_info("queue: row %llu expired after %u attempts",
		    (unsigned long long)j->row.id, j->row.attempts + 1);
		return;
	}
	/* A retry outside the payload's sending hours waits for them. */
	if (j->pl != NULL && j->pl->win != NULL) {
		int64_t	 open = window_next_open(j->pl->win, (int64_t)next);

		if (open > (int64_t)next)
			next = (time_t)open;
	}
	q->fate = QUEUE_DEFERRED;
	q->next_attempt = next;
}

/* Remembers a policy refusal for this batch's alerts (raise_alerts). */
static void
note_alert(struct writer *w, const char *domain,
    const struct delivery_result *r)
{
	struct writer_alert	*a;
	size_t			 i;

	if (domain == NULL || domain[0] == '\0')
		return;
	for (i = 0; i < w->nalert; i++) {
		a = &w->alert[i];
		if (strcmp(a->domain, domain) == 0 &&
		    strcmp(a->enhanced, r->enhanced) == 0) {
			a->n++;
			a->code = r->code;
			a->reply = r->text;
			return;
		}
	}
	if (w->nalert == WRITER_ALERTS_MAX) {
		w->alert_over++;
		return;
	}
	a = &w->alert[w->nalert++];
	a->domain = domain;
	a->enhanced = r->enhanced;
	a->reply = r->text;
	a->code = r->code;
	a->n = 1;
}

static int
alert_cmp(const void *x, const void *y)
{
	const struct writer_alert *a = x, *b = y;
	int			 c;

	if ((c = strcmp(a->domain, b->domain)) != 0)
		return c;
	return strcmp(a->enhanced, b->enhanced);
}

/*
 * Raises this batch's alerts, one statement per (domain, enhanced) whose
 * count grows by the number of refusals, in one transaction. Rows are
 * taken in key order so that two senders raising the same alerts wait for
 * each other instead of deadlocking.
 */
static void
raise_alerts(struct writer *w)
{
	struct err	 e;
	size_t		 i;

	if (w->alert_over > 0)
		log_warn("alert: %llu policy refusals of more than %d "
		    "destinations in one batch not recorded as alerts",
		    (unsigned long long)w->alert_over, WRITER_ALERTS_MAX);
	if (w->nalert == 0)
		return;
	qsort(w->alert, w->nalert, sizeof(w->alert[0]), alert_cmp);
	err_clear(&e);
	if (db_begin(w->db, &e) == -1)
		goto fail;
	for (i = 0; i < w->nalert; i++)
		if (db_alert_raise_n(w->db, DB_ALERT_POLICY,
		    w->alert[i].domain, w->alert[i].code,
		    w->alert[i].enhanced, w->alert[i].reply, w->alert[i].n,
		    &e) == -1)
			goto fail;
	if (db_commit(w->db, &e) == 0)
		return;
fail:
	db_rollback(w->db);
	log_err("alert: %zu policy alerts not recorded: %s", w->nalert,
	    e.msg);
}

static void
classify(struct writer *w, struct claim_job *j, struct queue_result *q)
{
	struct bounce_verdict	 v;
	const struct delivery_result *r = &j->res;

	memset(q, 0, sizeof(*q));
	q->id = j->row.id;
	q->rcpt = j->row.rcpt;
	if (j->decided || !j->have_res) {
		q->reply = j->why;
		if (!j->decided)
			q->fate = QUEUE_RELEASED;
		else if (j->local == QUEUE_DEFERRED)
			deferred(w, j, q, 0);
		else if (j->local == QUEUE_HELD) {
			q->fate = QUEUE_HELD;
			q->next_attempt = j->hold_until;
		} else
			q->fate = j->local;
		return;
	}
	bounce_classify(r, &v);
	q->code = r->code;
	q->enhanced = r->enhanced[0] ? r->enhanced : NULL;
	q->reply = r->text[0] ? r->text : NULL;
	q->mx = r->mx[0] ? r->mx : NULL;
	q->tls = r->tls[0] ? r->tls : NULL;
	if (v.alert) {
		atomic_fetch_add(&w->alerts, 1);
		log_warn("alert: %s refused row %llu by policy: %d %s %s",
		    r->mx[0] ? r->mx : j->row.rcpt_domain,
		    (unsigned long long)j->row.id, r->code, r->enhanced,
		    r->text);
		note_alert(w, j->row.rcpt_domain, r);
	}
	switch (v.state) {
	case BOUNCE_SENT:
		q->fate = QUEUE_SENT;
		break;
	case BOUNCE_FAIL:
		q->fate = QUEUE_BOUNCED;
		q->suppress = v.suppress;
		break;
	default:
		deferred(w, j, q, r->slow_down_s);
		break;
	}
}

/* A fresh connection after a failure (the server may have restarted). */
static void
reconnect(struct writer *w)
{
	struct db	*db;
	struct err	 e;

	err_clear(&e);
	if (w->db != NULL && db_ping(w->db, &e) == 0)
		return;
	err_clear(&e);
	if ((db = db_open(w->c.cfg, &e)) == NULL ||
	    db_queue_session(db, &e) == -1) {
		db_close(db);
		return;
	}
	db_close(w->db);
	w->db = db;
	log_info("queue: writer reconnected to the database");
}

/* Writes one batch; retries while the database is away. True when
 * written. */
static bool
flush(struct writer *w, size_t n, bool stopping)
{
	struct err	 e;
	int		 tries = 0;

	for (;;) {
		err_clear(&e);
		if (w->db != NULL &&
		    db_queue_results(w->db, w->c.holder, w->res, n, &e) == 0)
			break;
		/* A deadlock victim: rolled back, written again at once. */
		if (e.kind == ERR_RETRY && ++tries < WRITER_RETRY_STOPPING)
			continue;
		if (!stopping) {
			/* SIGTERM may come while the database is away. */
			pthread_mutex_lock(&w->c.in->mu);
			stopping = w->c.in->closed;
			pthread_mutex_unlock(&w->c.in->mu);
		}
		if (stopping && ++tries >= WRITER_RETRY_STOPPING) {
			log_err("queue: %zu results not written (%s); their "
			    "rows come back when the lease ends", n, e.msg);
			return false;
		}
		log_err("queue: writing %zu results failed: %s; retrying", n,
		    e.msg);
		sleep(1);
		reconnect(w);
	}
	atomic_fetch_add(&w->batches, 1);
	return true;
}

static void *
writer_main(void *arg)
{
	struct writer		*w = arg;
	struct claim_job	*list, *j, *more;
	size_t			 n, k, i;
	bool			 stopping;

	for (;;) {
		list = claim_q_take(w->c.in, WRITER_BATCH_MAX, 1000, &n);
		if (list == NULL) {
			bool	 closed;

			pthread_mutex_lock(&w->c.in->mu);
			closed = w->c.in->closed && w->c.in->head == NULL;
			pthread_mutex_unlock(&w->c.in->mu);
			if (closed)
				break;
			continue;
		}
		/* A little patience turns a trickle into a batch. */
		if (n < WRITER_BATCH_MAX / 4) {
			struct timespec ts = { 0, WRITER_LINGER_MS * 1000000L };

			nanosleep(&ts, NULL);
			more = claim_q_take(w->c.in, WRITER_BATCH_MAX - n, 0,
			    &k);
			if (more != NULL) {
				for (j = list; j->next != NULL; j = j->next)
					;
				j->next = more;
				n += k;
			}
		}
		w->nalert = 0;
		w->alert_over = 0;
		for (i = 0, j = list; j != NULL; j = j->next, i++) {
			w->jobs[i] = j;
			classify(w, j, &w->res[i]);
		}
		pthread_mutex_lock(&w->c.in->mu);
		stopping = w->c.in->closed;
		pthread_mutex_unlock(&w->c.in->mu);
		/* Alerts only for results on record: unwritten rows come
		 * back and are refused (and counted) again. */
		if (flush(w, n, stopping))
			raise_alerts(w);
		for (i = 0; i < n; i++) {
			atomic_fetch_add(&w->n[w->res[i].fate], 1);
			claim_job_done(w->c.claimer, w->jobs[i]);
		}
	}
	return NULL;
}

struct writer *
writer_start(const struct writer_cfg *c, struct err *e)
{
	struct writer	*w;
	int		 i;

	if ((w = calloc(1, sizeof(*w))) == NULL) {
		err_set(e, ERR_ENV, "out of memory");
		return NULL;
	}
	w->c = *c;
	atomic_init(&w->max_age, c->max_age);
	for (i = 0; i < QUEUE_FATE__MAX; i++)
		atomic_init(&w->n[i], 0);
	atomic_init(&w->batches, 0);
	atomic_init(&w->alerts, 0);
	if ((w->db = db_open(c->cfg, e)) == NULL ||
	    db_queue_session(w->db, e) == -1) {
		db_close(w->db);
		free(w);
		return NULL;
	}
	if (pthread_create(&w->th, NULL, writer_main, w) != 0) {
		err_set(e, ERR_ENV, "cannot start the writer thread");
		db_close(w->db);
		free(w);
		return NULL;
	}
	pthread_setname_np(w->th, "tegami-write");
	w->started = true;
	return w;
}

void
writer_stop(struct writer *w)
{
	if (w == NULL || !w->started)
		return;
	claim_q_close(w->c.in);
	pthread_join(w->th, NULL);
	w->started = false;
}

void
writer_free(struct writer *w)
{
	if (w == NULL)
		return;
	writer_stop(w);
	db_close(w->db);
	free(w);
}

void
writer_set_max_age(struct writer *w, int64_t s)
{
	atomic_store(&w->max_age, s);
}

void
writer_get_stats(struct writer *w, struct writer_stats *s)
{
	s->sent = atomic_load(&w->n[QUEUE_SENT]);
	s->deferred = atomic_load(&w->n[QUEUE_DEFERRED]);
	s->bounced = atomic_load(&w->n[QUEUE_BOUNCED]);
	s->suppressed = atomic_load(&w->n[QUEUE_SUPPRESSED]);
	s->expired = atomic_load(&w->n[QUEUE_EXPIRED]);
	s->released = atomic_load(&w->n[QUEUE_RELEASED]);
	s->held = atomic_load(&w->n[QUEUE_HELD]);
	s->batches = atomic_load(&w->batches);
	s->alerts = atomic_load(&w->alerts);
}

void
writer_metrics(struct writer *w, struct sbuf *out)
{
	int	 i;

	sbuf_puts(out, "# TYPE tegami_sender_results_total counter\n");
	for (i = 0; i < QUEUE_FATE__MAX; i++)
		sbuf_printf(out, "tegami_sender_results_total{fate=\"%s\"} "
		    "%llu\n", queue_fate_names[i],
		    (unsigned long long)atomic_load(&w->n[i]));
	sbuf_printf(out, "# TYPE tegami_sender_result_batches_total counter\n"
	    "tegami_sender_result_batches_total %llu\n",
	    (unsigned long long)atomic_load(&w->batches));
	sbuf_printf(out, "# TYPE tegami_sender_policy_alerts_total counter\n"
	    "tegami_sender_policy_alerts_total %llu\n",
	    (unsigned long long)atomic_load(&w->alerts));
}
