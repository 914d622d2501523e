/*
 * claim.h - the front of tegami-sender's pipeline: a claimer thread that
 * leases due queue rows in batches (db_queue_claim: FOR UPDATE SKIP
 * LOCKED) and turns them into jobs, keeping at most a bounded number of
 * jobs in memory; the job queues that link claimer, builders, engine and
 * writer; the payload cache (templates compiled once per payload).
 *
 * A job is owned by exactly one stage at a time: claimer → build queue →
 * builder → engine (until its done callback) → writer queue → writer,
 * which hands it back with claim_job_done().
 *
 * Sending hours: a row whose payload follows a window (window.h) that is
 * closed at claim time is not built; it goes straight to the writer as
 * QUEUE_HELD, due again when the window opens (no attempt counted).
 */
#ifndef SENDER_CLAIM_H
#define SENDER_CLAIM_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../db/db_queue.h"
#include "delivery.h"

struct arena;
struct config;
struct err;
struct window;

#define CLAIM_PAYLOADS_MAX	1024	/* cached payloads before eviction */
#define CLAIM_KEY_MAX		32	/* template cache key */
#define CLAIM_IDLE_MS		500	/* wait after an empty claim */
#define CLAIM_JOB_ARENA_MAX	((size_t)48 * 1024 * 1024)

/* One payload: templates compiled under key_*; shared by its jobs. */
struct claim_payload {
	struct queue_payload	 p;		/* strings in a */
	struct arena		*a;
	char			 key_subject[CLAIM_KEY_MAX];
	char			 key_text[CLAIM_KEY_MAX];
	char			 key_html[CLAIM_KEY_MAX];
	bool			 has_text, has_html;
	bool			 literal;	/* transactional: no templates */
	const char		*from_domain;	/* lower case */
	struct window		*win;		/* sending hours; NULL: any */
	char			*bad;		/* compile error, or NULL */
	unsigned		 refs;		/* jobs using it */
	struct claim_payload	*next;
};

/* One message to one recipient on its way through the pipeline. */
struct claim_job {
	struct delivery		 d;	/* what the engine gets */
	struct delivery_result	 res;	/* what the engine said */
	bool			 have_res;
	struct queue_row	 row;	/* strings in a */
	struct claim_payload	*pl;
	struct arena		*a;	/* everything of this message */
	enum queue_fate		 local;	/* decided without the engine */
	bool			 decided;
	int64_t			 hold_until;	/* QUEUE_HELD: window opens */
	char			 why[256];	/* local reason */
	struct claim_job	*next;
};

/* A FIFO of jobs between threads. */
struct claim_q {
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	struct claim_job	*head, *tail;
	size_t			 n;
	bool			 closed;
};

void	 claim_q_init(struct claim_q *);
void	 claim_q_destroy(struct claim_q *);
void	 claim_q_push(struct claim_q *, struct claim_job *);
/* Waits up to wait_ms (-1: forever) for a job; NULL on timeout or when
 * the queue is closed and empty. */
struct claim_job *claim_q_pop(struct claim_q *, int wait_ms);
/* Takes up to max jobs at once (the writer's batches); waits like pop
 * for the first. Returns a list linked by next, count in *n. */
struct claim_job *claim_q_take(struct claim_q *, size_t max, int wait_ms,
	    size_t *n);
void	 claim_q_close(struct claim_q *);

struct claim_cfg {
	const struct config	*cfg;		/* db.*, sender.* */
	const struct queue_holder *holder;	/* whose leases */
	size_t			 batch;		/* rows per claim */
	size_t			 inflight_max;	/* jobs in memory */
	int64_t			 lease_s;
	struct claim_q		*build;		/* jobs to build */
	struct claim_q		*done;		/* jobs decided here (writer) */
};

struct claimer;

/* Starts the claimer thread with its own database connection. */
struct claimer	*claim_start(const struct claim_cfg *, struct err *);
/* Stops claiming (SIGTERM) and joins the thread; jobs already handed on
 * stay where they are. */
void		 claim_stop(struct claimer *);
/* Frees the claimer (after claim_stop and after every job came back). */
void		 claim_free(struct claimer *);
/* The writer returns a finished job: freed, room for more claims. */
void		 claim_job_done(struct claimer *, struct claim_job *);
/* Jobs claimed and not yet done. */
size_t		 claim_inflight(struct claimer *);
/* True once a claim found nothing due and no job is in memory. */
bool		 claim_idle(struct claimer *);
/* Counters for logs and metrics. */
uint64_t	 claim_claimed(struct claimer *);
/* The lowest queue id claimed so far (UINT64_MAX: none): where a final
 * sweep for leases left behind starts (db_queue_release_owner). */
uint64_t	 claim_lowest_id(struct claimer *);
/* Drops cached payloads not in use (SIGHUP: templates may have changed). */
void		 claim_flush_payloads(struct claimer *);

#endif
