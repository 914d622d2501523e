/*
 * writer.h - the result writer of tegami-sender: one thread that takes
 * finished jobs (engine results and local decisions), classifies them
 * (bounce.h, backoff.h) and writes them back in batches, one transaction
 * per batch (db_queue_results), never one per message.
 */
#ifndef SENDER_WRITER_H
#define SENDER_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "../db/db_queue.h"
#include "delivery.h"

struct claim_q;
struct claimer;
struct config;
struct err;
struct sbuf;
struct writer;

#define WRITER_BATCH_MAX	2000	/* results per transaction */
#define WRITER_LINGER_MS	50	/* wait to fill a small batch */
#define WRITER_RETRY_STOPPING	30	/* tries per batch while stopping */

struct writer_cfg {
	const struct config	*cfg;
	const struct queue_holder *holder;
	struct claim_q		*in;
	struct claimer		*claimer;	/* gets every job back */
	int64_t			 max_age;	/* seconds before bounce */
};

struct writer_stats {
	uint64_t	 sent, deferred, bounced, suppressed, expired;
	uint64_t	 released, held, batches, alerts;
};

/* Starts the writer thread with its own database connection. */
struct writer	*writer_start(const struct writer_cfg *, struct err *);
/* The engine's done callback (ctx: the writer); any thread. */
void		 writer_done(void *ctx, struct delivery *,
		    const struct delivery_result *);
/* Closes the input once every producer stopped, writes what is left and
 * joins the thread. */
void		 writer_stop(struct writer *);
void		 writer_free(struct writer *);
void		 writer_set_max_age(struct writer *, int64_t);
void		 writer_get_stats(struct writer *, struct writer_stats *);
/* Prometheus text counters (tegami_sender_*). */
void		 writer_metrics(struct writer *, struct sbuf *);

#endif
