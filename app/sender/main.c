/*
 * main.c - tegami-sender: claims due rows from the queue in MariaDB,
 * builds each message (render, MIME, DKIM), hands it to the SMTP engine
 * and writes the results back in batches. docs/queue.md.
 *
 *	tegami-sender [-c FILE] [--drain] [--version]
 *
 * Threads: the claimer, nproc builders, the engine loop, the writer; the
 * main thread only waits for signals. SIGTERM/SIGINT: stop claiming, give
 * back what was not built, let the engine finish what it holds, write
 * every result, release any lease left, exit (a second SIGTERM stops the
 * engine at once). SIGHUP: reload the configuration file (max age), DKIM
 * keys, domain profiles and templates. --drain: exit once nothing is due
 * and nothing is in flight (tests, benchmarks). Logs go to stderr.
 * sender.status_socket (when set): a unix socket (0660) answering every
 * connection with the counters in Prometheus text format.
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../conf/config.h"
#include "../core/err.h"
#include "../core/log.h"
#include "../core/sbuf.h"
#include "../db/db.h"
#include "../db/db_queue.h"
#include "build.h"
#include "claim.h"
#include "control.h"
#include "engine.h"
#include "signer.h"
#include "status.h"
#include "writer.h"

#define SENDER_VERSION		"0.1"
#define SENDER_OWNER_MAX	128
#define SENDER_STATS_S		10	/* progress line interval */
#define SENDER_SMARTHOST_CONNS	20
#define SENDER_SMARTHOST_MSGS_PER_CONN	1000

struct sender {
	const char	*conf_path;
	struct config	 cfg;
	char		 owner[SENDER_OWNER_MAX];
	struct queue_holder holder;	/* lease id and owner */
	struct db	*db;
	struct signer	*signer;
	struct claim_q	 buildq, writeq;
	struct claimer	*claimer;
	struct writer	*writer;
	struct engine	*engine;
	pthread_t	 engine_th;
	bool		 engine_running;
	struct builder	*builder;
	struct status	*status;	/* sender.status_socket */
	struct control	*control;	/* live profiles, shaping state */
};

static void *
engine_main(void *arg)
{
	struct engine	*en = arg;

	if (engine_run(en) == -1)
		log_err("engine: the event loop failed");
	return NULL;
}

/* The status socket's answer (status.c thread): counters in Prometheus
 * text. Every source is thread-safe. */
static void
metrics_fill(void *ctx, struct sbuf *b)
{
	struct sender	*s = ctx;

	sbuf_printf(b, "# TYPE tegami_sender_claimed_total counter\n"
	    "tegami_sender_claimed_total %llu\n"
	    "# TYPE tegami_sender_in_memory gauge\n"
	    "tegami_sender_in_memory %zu\n",
	    (unsigned long long)claim_claimed(s->claimer),
	    claim_inflight(s->claimer));
	writer_metrics(s->writer, b);
	engine_metrics(s->engine, b);
}

static void
reload(struct sender *s)
{
	struct config	 nc;
	struct err	 e;

	log_info("SIGHUP: reloading");
	err_clear(&e);
	if (config_load(&nc, s->conf_path, &e) == -1)
		log_err("reload: configuration: %s (kept the old one)", e.msg);
	else
		writer_set_max_age(s->writer, nc.sender_max_age);
	err_clear(&e);
	if (db_ping(s->db, &e) == -1 || signer_load(s->signer, s->db, &e) ==
	    -1)
		log_err("reload: DKIM keys: %s (kept the old ones)", e.msg);
	err_clear(&e);
	if (engine_load_profiles(s->engine, s->db, &e) == -1)
		log_err("reload: domain profiles: %s", e.msg);
	claim_flush_payloads(s->claimer);
}

static void
progress(struct sender *s)
{
	struct writer_stats	 st;

	writer_get_stats(s->writer, &st);
	log_info("claimed %llu, in memory %zu, at the engine %zu; sent %llu, "
	    "deferred %llu, bounced %llu, suppressed %llu, expired %llu, "
	    "released %llu in %llu batches",
	    (unsigned long long)claim_claimed(s->claimer),
	    claim_inflight(s->claimer), engine_inflight(s->engine),
	    (unsigned long long)st.sent, (unsigned long long)st.deferred,
	    (unsigned long long)st.bounced, (unsigned long long)st.suppressed,
	    (unsigned long long)st.expired, (unsigned long long)st.released,
	    (unsigned long long)st.batches);
}

/* sender.tls (checked by config.c) as the engine's enum. */
static int
tls_policy(const char *v)
{
	if (strcmp(v, "none") == 0)
		return ENGINE_TLS_NONE;
	if (strcmp(v, "required") == 0)
		return ENGINE_TLS_REQUIRED;
	if (strcmp(v, "verify") == 0)
		return ENGINE_TLS_VERIFY;
	return ENGINE_TLS_OPPORTUNISTIC;
}

static int
start(struct sender *s)
{
	struct engine_cfg	 ec;
	struct claim_cfg	 cc;
	struct writer_cfg	 wc;
	struct build_cfg	 bc;
	struct err		 e;
	size_t			 batch = (size_t)s->cfg.sender_batch;

	err_clear(&e);
	if ((s->db = db_open(&s->cfg, &e)) == NULL) {
		log_err("database: %s", e.msg);
		return -1;
	}
	if ((s->signer = signer_new(s->cfg.sender_key_file, &e)) == NULL ||
	    signer_load(s->signer, s->db, &e) == -1) {
		log_err("DKIM keys: %s", e.msg);
		return -1;
	}
	if (db_queue_instance(s->db, s->owner, &s->holder, &e) == -1) {
		log_err("registering the sender: %s", e.msg);
		return -1;
	}
	claim_q_init(&s->buildq);
	claim_q_init(&s->writeq);
	memset(&cc, 0, sizeof(cc));
	cc.cfg = &s->cfg;
	cc.holder = &s->holder;
	cc.batch = batch;
	/* Enough to keep every builder and connection busy, bounded. */
	cc.inflight_max = batch * 4;
	cc.lease_s = s->cfg.sender_lease;
	cc.build = &s->buildq;
	cc.done = &s->writeq;
	if ((s->claimer = claim_start(&cc, &e)) == NULL) {
		log_err("claimer: %s", e.msg);
		return -1;
	}
	memset(&wc, 0, sizeof(wc));
	wc.cfg = &s->cfg;
	wc.holder = &s->holder;
	wc.in = &s->writeq;
	wc.claimer = s->claimer;
	wc.max_age = s->cfg.sender_max_age;
	if ((s->writer = writer_start(&wc, &e)) == NULL) {
		log_err("writer: %s", e.msg);
		return -1;
	}
	memset(&ec, 0, sizeof(ec));
	ec.helo = s->cfg.sender_helo;
	ec.smarthost = s->cfg.sender_smarthost;
	ec.dns_servers = s->cfg.sender_dns[0] ? s->cfg.sender_dns : NULL;
	ec.connections_max = (int)s->cfg.sender_connections_max;
	ec.smarthost_domains = s->cfg.sender_smarthost_domains;
	ec.tls_policy_default = tls_policy(s->cfg.sender_tls);
	ec.tls_ca_file = s->cfg.sender_tls_ca_file[0] ?
	    s->cfg.sender_tls_ca_file : NULL;
	if (s->cfg.sender_smarthost[0] != '\0') {
		/* A smarthost is our own relay: reuse connections longer and
		 * open as many as smtp-source would (profiles still apply to
		 * the destination domains behind it). */
		ec.dest_connections = SENDER_SMARTHOST_CONNS;
		ec.dest_msgs_per_conn = SENDER_SMARTHOST_MSGS_PER_CONN;
	}
	ec.done = writer_done;
	ec.done_ctx = s->writer;
	if ((s->engine = engine_new(&ec, &e)) == NULL) {
		log_err("engine: %s", e.msg);
		return -1;
	}
	err_clear(&e);
	if (engine_load_profiles(s->engine, s->db, &e) == -1)
		log_warn("domain profiles: %s (defaults apply)", e.msg);
	if (pthread_create(&s->engine_th, NULL, engine_main, s->engine) !=
	    0) {
		log_err("cannot start the engine thread");
		return -1;
	}
	pthread_setname_np(s->engine_th, "tegami-smtp");
	s->engine_running = true;
	memset(&bc, 0, sizeof(bc));
	bc.threads = 0;
	bc.in = &s->buildq;
	bc.out = &s->writeq;
	bc.engine = s->engine;
	bc.signer = s->signer;
	if ((s->builder = build_start(&bc, &e)) == NULL) {
		log_err("builders: %s", e.msg);
		return -1;
	}
	if ((s->control = control_start(&s->cfg, s->engine, s->owner,
	    &e)) == NULL) {
		log_err("%s", e.msg);
		return -1;
	}
	if (s->cfg.sender_status_socket[0] != '\0' &&
	    (s->status = status_start(s->cfg.sender_status_socket,
	    metrics_fill, s, &e)) == NULL) {
		log_err("%s", e.msg);
		return -1;
	}
	return 0;
}

/* Waits for the engine thread; a second SIGTERM stops it at once. */
static void
engine_join(struct sender *s, const sigset_t *set)
{
	struct timespec	 ts = { 0, 200 * 1000 * 1000 };
	siginfo_t	 si;

	if (!s->engine_running)
		return;
	engine_stop(s->engine, true);
	while (engine_inflight(s->engine) > 0) {
		int	 sig = sigtimedwait(set, &si, &ts);

		if (sig == SIGTERM || sig == SIGINT) {
			log_warn("second signal: stopping the engine now");
			engine_stop(s->engine, false);
			break;
		}
	}
	pthread_join(s->engine_th, NULL);
	s->engine_running = false;
}

static void
stop(struct sender *s, const sigset_t *set)
{
	struct err	 e;
	uint64_t	 n = 0, lowest = UINT64_MAX;

	status_stop(s->status);
	s->status = NULL;
	control_stop(s->control);
	s->control = NULL;
	claim_stop(s->claimer);
	if (s->claimer != NULL)
		lowest = claim_lowest_id(s->claimer);
	build_stop(s->builder);
	if (s->engine != NULL)
		engine_join(s, set);
	writer_stop(s->writer);
	if (s->db != NULL && lowest != UINT64_MAX) {
		err_clear(&e);
		if (db_ping(s->db, &e) == -1 ||
		    db_queue_release_owner(s->db, &s->holder, lowest, &n,
		    &e) == -1)
			log_err("releasing leases: %s", e.msg);
		else if (n > 0)
			log_info("released %llu leased rows",
			    (unsigned long long)n);
	}
	if (s->writer != NULL)
		progress(s);
	build_free(s->builder);
	writer_free(s->writer);
	claim_free(s->claimer);
	engine_free(s->engine);
	signer_free(s->signer);
	db_close(s->db);
	if (s->claimer != NULL) {
		claim_q_destroy(&s->buildq);
		claim_q_destroy(&s->writeq);
	}
}

static int
usage(void)
{
	fprintf(stderr, "usage: tegami-sender [-c FILE] [--drain] "
	    "[--version]\n");
	return 2;
}

int
main(int argc, char **argv)
{
	struct sender	 s;
	struct err	 e;
	sigset_t	 set;
	siginfo_t	 si;
	struct timespec	 tick = { 1, 0 };
	time_t		 last = time(NULL);
	bool		 drain = false;
	char		 host[64];
	int		 i, sig, rc = 0;

	memset(&s, 0, sizeof(s));
	/* Messages are built in one thread and freed in another, a batch at
	 * a time: without a trim threshold the threads' heaps shrink and
	 * grow again for every batch (an mprotect and fresh zeroed pages per
	 * message). Keep up to 32 MiB of free heap instead. */
	(void)mallopt(M_TRIM_THRESHOLD, 32 << 20);
	s.conf_path = getenv("TEGAMI_CONFIG");
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--version") == 0) {
			printf("tegami-sender %s\n", SENDER_VERSION);
			return 0;
		} else if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			s.conf_path = argv[++i];
		else if (strcmp(argv[i], "--drain") == 0)
			drain = true;
		else
			return usage();
	}
	log_init("tegami-sender", LOG_INFO);
	err_clear(&e);
	if (config_load(&s.cfg, s.conf_path, &e) == -1) {
		log_err("configuration: %s", e.msg);
		return 1;
	}
	if (s.cfg.sender_id[0] != '\0')
		snprintf(s.owner, sizeof(s.owner), "%.120s", s.cfg.sender_id);
	else {
		if (gethostname(host, sizeof(host)) == -1)
			snprintf(host, sizeof(host), "localhost");
		host[sizeof(host) - 1] = '\0';
		snprintf(s.owner, sizeof(s.owner), "%s:%ld", host,
		    (long)getpid());
	}
	/* Signals go to this thread only, which waits for them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (start(&s) == -1) {
		stop(&s, &set);
		return 1;
	}
	log_info("started as %s, lease id %llu (batch %lld, lease %llds)",
	    s.owner, (unsigned long long)s.holder.lease,
	    (long long)s.cfg.sender_batch, (long long)s.cfg.sender_lease);
	for (;;) {
		sig = sigtimedwait(&set, &si, &tick);
		if (sig == SIGTERM || sig == SIGINT) {
			log_info("signal %d: stopping", sig);
			break;
		}
		if (sig == SIGHUP)
			reload(&s);
		if (time(NULL) - last >= SENDER_STATS_S) {
			progress(&s);
			last = time(NULL);
		}
		if (drain && claim_idle(s.claimer) &&
		    engine_inflight(s.engine) == 0) {
			log_info("queue drained: stopping");
			break;
		}
	}
	stop(&s, &set);
	return rc;
}
