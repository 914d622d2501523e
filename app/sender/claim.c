/*
 * claim.c - the claimer thread, job queues and payload cache of
 * tegami-sender (see claim.h, docs/queue.md).
 *
 * Trusts the database; payload templates are user-made and may fail to
 * compile: the payload is then marked bad and its jobs fail with the
 * compiler's message instead of the sender stopping.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../conf/config.h"
#include "../core/arena.h"
#include "../core/err.h"
#include "../core/log.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../db/db_queue.h"
#include "../core/clock.h"
#include "../view/view.h"
#include "claim.h"
#include "window.h"

struct claimer {
	struct claim_cfg	 c;
	struct db		*db;
	struct queue_cursor	 cursor;	/* claimer thread only */
	pthread_t		 th;
	bool			 started;
	atomic_bool		 stop;
	pthread_mutex_t		 mu;		/* inflight, payloads */
	pthread_cond_t		 room;		/* inflight went down */
	size_t			 inflight;
	bool			 empty;		/* last claim found nothing */
	uint64_t		 claimed;
	uint64_t		 lowest_id;	/* claimed; UINT64_MAX: none */
	struct claim_payload	*payloads;
	size_t			 npayloads;
};

static void
deadline_in(struct timespec *ts, int ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

void
claim_q_init(struct claim_q *q)
{
	memset(q, 0, sizeof(*q));
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
}

void
claim_q_destroy(struct claim_q *q)
{
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
}

void
claim_q_push(struct claim_q *q, struct claim_job *j)
{
	j->next = NULL;
	pthread_mutex_lock(&q->mu);
	if (q->tail != NULL)
		q->tail->next = j;
	else
		q->head = j;
	q->tail = j;
	q->n++;
	pthread_cond_signal(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

/* With q->mu held: waits for a job; false on timeout or closed+empty. */
static bool
q_wait(struct claim_q *q, int wait_ms)
{
	struct timespec	 ts;

	if (wait_ms >= 0)
		deadline_in(&ts, wait_ms);
	while (q->head == NULL && !q->closed) {
		if (wait_ms < 0)
			pthread_cond_wait(&q->cv, &q->mu);
		else if (pthread_cond_timedwait(&q->cv, &q->mu, &ts) ==
		    ETIMEDOUT)
			break;
	}
	return q->head != NULL;
}

struct claim_job *
claim_q_pop(struct claim_q *q, int wait_ms)
{
	struct claim_job *j = NULL;

	pthread_mutex_lock(&q->mu);
	if (q_wait(q, wait_ms)) {
		j = q->head;
		if ((q->head = j->next) == NULL)
			q->tail = NULL;
		q->n--;
		j->next = NULL;
	}
	pthread_mutex_unlock(&q->mu);
	return j;
}

struct claim_job *
claim_q_take(struct claim_q *q, size_t max, int wait_ms, size_t *n)
{
	struct claim_job *first = NULL, *last = NULL;
	size_t		 k = 0;

	pthread_mutex_lock(&q->mu);
	if (q_wait(q, wait_ms)) {
		first = q->head;
		while (k < max && q->head != NULL) {
			last = q->head;
			q->head = last->next;
			k++;
		}
		if (last != NULL)
			last->next = NULL;
		if (q->head == NULL)
			q->tail = NULL;
		q->n -= k;
	}
	pthread_mutex_unlock(&q->mu);
	*n = k;
	return first;
}

void
claim_q_close(struct claim_q *q)
{
	pthread_mutex_lock(&q->mu);
	q->closed = true;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

static void
payload_free(struct claim_payload *p)
{
	if (!p->literal) {
		view_mail_forget(p->key_subject);
		if (p->has_text)
			view_mail_forget(p->key_text);
		if (p->has_html)
			view_mail_forget(p->key_html);
	}
	arena_free(p->a);
	free(p);
}

/* With cl->mu held: drops payloads no job uses. */
static void
payloads_evict(struct claimer *cl)
{
	struct claim_payload **pp = &cl->payloads, *p;

	while ((p = *pp) != NULL) {
		if (p->refs == 0) {
			*pp = p->next;
			payload_free(p);
			cl->npayloads--;
		} else
			pp = &p->next;
	}
}

void
claim_flush_payloads(struct claimer *cl)
{
	pthread_mutex_lock(&cl->mu);
	payloads_evict(cl);
	pthread_mutex_unlock(&cl->mu);
}

static char *
lower_domain(struct arena *a, const char *addr)
{
	const char	*at = addr ? strrchr(addr, '@') : NULL;
	char		*d, *p;

	if ((d = arena_strdup(a, at ? at + 1 : "")) == NULL)
		return NULL;
	for (p = d; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return d;
}

/*
 * Loads the payload's sending window into its arena. False: database
 * trouble (logged; the rows come back when their leases end). A window
 * whose zone cannot be read makes the payload bad, so its rows defer
 * with the reason instead of going out at the wrong hours.
 */
static bool
payload_window(struct claimer *cl, struct claim_payload *p, bool *ok)
{
	struct queue_window	 qw;
	struct err		 e;
	int			 rc;

	err_clear(&e);
	rc = db_queue_window_get(cl->db, p->a, p->p.window_id, &qw, &e);
	if (rc == -1) {
		log_err("queue: payload %llu: sending window: %s",
		    (unsigned long long)p->p.id, e.msg);
		return false;
	}
	if (rc == 1 && (p->win = arena_calloc(p->a, 1,
	    sizeof(*p->win))) == NULL)
		return false;
	if (rc == 0)
		err_set(&e, ERR_NOT_FOUND, "sending window %llu is missing",
		    (unsigned long long)p->p.window_id);
	if (rc == 0 || window_init(p->win, p->a, qw.tz, &qw.hours,
	    &e) == -1) {
		log_err("queue: payload %llu: sending window: %s",
		    (unsigned long long)p->p.id, e.msg);
		p->win = NULL;
		if ((p->bad = arena_printf(p->a, "sending window: %s",
		    e.msg)) == NULL)
			*ok = false;
	}
	return true;
}

/* Loads and compiles a payload (claimer thread only). NULL: database
 * trouble or no such payload, logged; the rows stay leased and come back
 * when the lease ends. */
static struct claim_payload *
payload_load(struct claimer *cl, uint64_t id)
{
	struct claim_payload	*p;
	struct err		 e;
	bool			 ok = true;
	int			 rc;

	err_clear(&e);
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	if ((p->a = arena_new(0)) == NULL) {
		free(p);
		return NULL;
	}
	rc = db_queue_payload(cl->db, p->a, id, &p->p, &e);
	if (rc != 1) {
		if (rc == 0)
			log_err("queue: payload %llu is missing",
			    (unsigned long long)id);
		arena_free(p->a);
		free(p);
		return NULL;
	}
	p->from_domain = lower_domain(p->a, p->p.mail_from);
	snprintf(p->key_subject, sizeof(p->key_subject), "q%llu.s",
	    (unsigned long long)id);
	snprintf(p->key_text, sizeof(p->key_text), "q%llu.t",
	    (unsigned long long)id);
	snprintf(p->key_html, sizeof(p->key_html), "q%llu.h",
	    (unsigned long long)id);
	p->has_text = p->p.text_tpl != NULL && p->p.text_tpl[0] != '\0';
	p->has_html = p->p.html_tpl != NULL && p->p.html_tpl[0] != '\0';
	/* Transactional sends (tegami send, API) carry finished text. */
	p->literal = strcmp(p->p.kind, "transactional") == 0;
	if (p->p.window_id != 0 && !payload_window(cl, p, &ok)) {
		payload_free(p);
		return NULL;
	}
	/* Compiled once per payload; text parts never HTML-escape. */
	if (!p->literal && (view_mail_compile_text(p->key_subject, p->p.subject_tpl,
	    strlen(p->p.subject_tpl), &e) == -1 ||
	    (p->has_text && view_mail_compile_text(p->key_text,
	    p->p.text_tpl, strlen(p->p.text_tpl), &e) == -1) ||
	    (p->has_html && view_mail_compile_html(p->key_html,
	    p->p.html_tpl, strlen(p->p.html_tpl), &e) == -1))) {
		log_err("queue: payload %llu: template: %s",
		    (unsigned long long)id, e.msg);
		p->bad = arena_strdup(p->a, e.msg);
		if (p->bad == NULL)
			ok = false;
	}
	if (!ok || p->from_domain == NULL) {
		payload_free(p);
		return NULL;
	}
	return p;
}

/* With cl->mu held. */
static struct claim_payload *
payload_find(struct claimer *cl, uint64_t id)
{
	struct claim_payload	*p;

	for (p = cl->payloads; p != NULL; p = p->next)
		if (p->p.id == id)
			return p;
	return NULL;
}

static struct claim_payload *
payload_get(struct claimer *cl, uint64_t id)
{
	struct claim_payload	*p;

	pthread_mutex_lock(&cl->mu);
	p = payload_find(cl, id);
	if (p != NULL)
		p->refs++;
	else if (cl->npayloads >= CLAIM_PAYLOADS_MAX)
		payloads_evict(cl);
	pthread_mutex_unlock(&cl->mu);
	if (p != NULL)
		return p;
	/* Only this thread adds payloads: no race on the insert. */
	if ((p = payload_load(cl, id)) == NULL)
		return NULL;
	pthread_mutex_lock(&cl->mu);
	p->refs = 1;
	p->next = cl->payloads;
	cl->payloads = p;
	cl->npayloads++;
	pthread_mutex_unlock(&cl->mu);
	return p;
}

static struct claim_job *
job_new(const struct queue_row *r, struct claim_payload *pl)
{
	struct claim_job	*j;
	struct arena		*a;

	if ((a = arena_new(CLAIM_JOB_ARENA_MAX)) == NULL)
		return NULL;
	if ((j = arena_calloc(a, 1, sizeof(*j))) == NULL) {
		arena_free(a);
		return NULL;
	}
	j->a = a;
	j->pl = pl;
	j->row = *r;
	j->row.rcpt = arena_strdup(a, r->rcpt);
	j->row.rcpt_domain = arena_strdup(a, r->rcpt_domain);
	j->row.merge = r->merge ? arena_strdup(a, r->merge) : NULL;
	if (j->row.rcpt == NULL || j->row.rcpt_domain == NULL ||
	    (r->merge != NULL && j->row.merge == NULL)) {
		arena_free(a);
		return NULL;
	}
	j->d.queue_id = r->id;
	j->d.owner = j;
	return j;
}

void
claim_job_done(struct claimer *cl, struct claim_job *j)
{
	struct claim_payload	*pl = j->pl;

	arena_free(j->a);
	pthread_mutex_lock(&cl->mu);
	if (pl != NULL)
		pl->refs--;
	cl->inflight--;
	pthread_cond_signal(&cl->room);
	pthread_mutex_unlock(&cl->mu);
}

/* A fresh connection after a failure (the server may have restarted). */
static void
reconnect(struct claimer *cl)
{
	struct db	*db;
	struct err	 e;

	err_clear(&e);
	if (cl->db != NULL && db_ping(cl->db, &e) == 0)
		return;
	err_clear(&e);
	if ((db = db_open(cl->c.cfg, &e)) == NULL ||
	    db_queue_session(db, &e) == -1) {
		db_close(db);
		return;
	}
	db_close(cl->db);
	cl->db = db;
	log_info("queue: claimer reconnected to the database");
}

/* Outside its payload's sending hours: the job is handed back unbuilt,
 * due when the window opens (docs/queue.md, "Sending hours"). */
static bool
held(struct claim_job *j, int64_t now)
{
	const struct window	*w = j->pl != NULL ? j->pl->win : NULL;
	int64_t			 at;

	if (w == NULL || j->pl->bad != NULL || window_is_open(w, now))
		return false;
	/* Never -1: window_init refuses an empty schedule. */
	if ((at = window_next_open(w, now)) == -1)
		at = now + 86400;
	j->decided = true;
	j->local = QUEUE_HELD;
	j->hold_until = at;
	snprintf(j->why, sizeof(j->why), "deferred: outside sending hours");
	return true;
}

/* Claims one batch; returns rows claimed, -1 (failed) or -2 (rolled back
 * as a deadlock victim: claim again).
 */
static long
claim_once(struct claimer *cl, struct arena *a, size_t want)
{
	struct queue_row	*rows;
	struct claim_job	*j;
	struct err		 e;
	size_t			 n, i;
	int64_t			 now = (int64_t)clock_now();

	err_clear(&e);
	if (cl->db == NULL)
		return -1;
	if (db_queue_claim_from(cl->db, a, cl->c.holder, cl->c.lease_s, want,
	    &cl->cursor, &rows, &n, &e) == -1) {
		if (e.kind == ERR_RETRY)
			return -2;	/* rolled back: claim again at once */
		log_err("queue: claim failed: %s", e.msg);
		return -1;
	}
	pthread_mutex_lock(&cl->mu);
	cl->inflight += n;
	cl->claimed += n;
	for (i = 0; i < n; i++)
		if (rows[i].id < cl->lowest_id)
			cl->lowest_id = rows[i].id;
	pthread_mutex_unlock(&cl->mu);
	for (i = 0; i < n; i++) {
		struct claim_payload *pl = NULL;

		if (!rows[i].suppressed)
			pl = payload_get(cl, rows[i].payload_id);
		if ((!rows[i].suppressed && pl == NULL) ||
		    (j = job_new(&rows[i], pl)) == NULL) {
			/* Left leased: it comes back when the lease ends. */
			log_err("queue: row %llu skipped until its lease ends",
			    (unsigned long long)rows[i].id);
			pthread_mutex_lock(&cl->mu);
			if (pl != NULL)
				pl->refs--;
			cl->inflight--;
			pthread_mutex_unlock(&cl->mu);
			continue;
		}
		if (rows[i].suppressed) {
			j->decided = true;
			j->local = QUEUE_SUPPRESSED;
			snprintf(j->why, sizeof(j->why),
			    "recipient is on the suppression list");
			claim_q_push(cl->c.done, j);
		} else if (held(j, now))
			claim_q_push(cl->c.done, j);
		else
			claim_q_push(cl->c.build, j);
	}
	return (long)n;
}

static void *
claim_main(void *arg)
{
	struct claimer	*cl = arg;
	struct arena	*a;
	struct timespec	 ts;
	long		 got;

	if ((a = arena_new(0)) == NULL) {
		log_err("queue: claimer: out of memory");
		return NULL;
	}
	while (!atomic_load(&cl->stop)) {
		size_t	 want;

		pthread_mutex_lock(&cl->mu);
		/* Bounded memory: wait for room for a whole batch. */
		while (!atomic_load(&cl->stop) &&
		    cl->inflight + cl->c.batch > cl->c.inflight_max) {
			deadline_in(&ts, CLAIM_IDLE_MS);
			pthread_cond_timedwait(&cl->room, &cl->mu, &ts);
		}
		want = cl->c.batch;
		pthread_mutex_unlock(&cl->mu);
		if (atomic_load(&cl->stop))
			break;
		arena_reset(a);
		got = claim_once(cl, a, want);
		pthread_mutex_lock(&cl->mu);
		cl->empty = got == 0;
		if (got == -2) {	/* a deadlock victim: nothing held */
			pthread_mutex_unlock(&cl->mu);
			continue;
		}
		if (got <= 0 && !atomic_load(&cl->stop)) {
			/* Nothing due (or the database is away): wait a bit. */
			deadline_in(&ts, got == 0 ? CLAIM_IDLE_MS : 2000);
			pthread_cond_timedwait(&cl->room, &cl->mu, &ts);
		}
		pthread_mutex_unlock(&cl->mu);
		if (got == -1)
			reconnect(cl);
	}
	arena_free(a);
	return NULL;
}

struct claimer *
claim_start(const struct claim_cfg *c, struct err *e)
{
	struct claimer	*cl;

	if ((cl = calloc(1, sizeof(*cl))) == NULL) {
		err_set(e, ERR_ENV, "out of memory");
		return NULL;
	}
	cl->c = *c;
	cl->lowest_id = UINT64_MAX;
	if (cl->c.batch == 0)
		cl->c.batch = 1;
	if (cl->c.inflight_max < cl->c.batch)
		cl->c.inflight_max = cl->c.batch;
	atomic_init(&cl->stop, false);
	pthread_mutex_init(&cl->mu, NULL);
	pthread_cond_init(&cl->room, NULL);
	if ((cl->db = db_open(c->cfg, e)) == NULL ||
	    db_queue_session(cl->db, e) == -1) {
		claim_free(cl);
		return NULL;
	}
	if (pthread_create(&cl->th, NULL, claim_main, cl) != 0) {
		err_set(e, ERR_ENV, "cannot start the claimer thread");
		claim_free(cl);
		return NULL;
	}
	pthread_setname_np(cl->th, "tegami-claim");
	cl->started = true;
	return cl;
}

void
claim_stop(struct claimer *cl)
{
	if (cl == NULL || !cl->started)
		return;
	atomic_store(&cl->stop, true);
	pthread_mutex_lock(&cl->mu);
	pthread_cond_broadcast(&cl->room);
	pthread_mutex_unlock(&cl->mu);
	pthread_join(cl->th, NULL);
	cl->started = false;
}

void
claim_free(struct claimer *cl)
{
	struct claim_payload *p;

	if (cl == NULL)
		return;
	claim_stop(cl);
	while ((p = cl->payloads) != NULL) {
		cl->payloads = p->next;
		payload_free(p);
	}
	db_close(cl->db);
	pthread_mutex_destroy(&cl->mu);
	pthread_cond_destroy(&cl->room);
	free(cl);
}

size_t
claim_inflight(struct claimer *cl)
{
	size_t	 n;

	pthread_mutex_lock(&cl->mu);
	n = cl->inflight;
	pthread_mutex_unlock(&cl->mu);
	return n;
}

bool
claim_idle(struct claimer *cl)
{
	bool	 idle;

	pthread_mutex_lock(&cl->mu);
	idle = cl->empty && cl->inflight == 0;
	pthread_mutex_unlock(&cl->mu);
	return idle;
}

/* A counter of cl read under its lock. */
static uint64_t
locked_u64(struct claimer *cl, const uint64_t *v)
{
	uint64_t n;

	pthread_mutex_lock(&cl->mu);
	n = *v;
	pthread_mutex_unlock(&cl->mu);
	return n;
}

uint64_t
claim_lowest_id(struct claimer *cl)
{
	return locked_u64(cl, &cl->lowest_id);
}

uint64_t
claim_claimed(struct claimer *cl)
{
	return locked_u64(cl, &cl->claimed);
}
