/*
 * conn_mem.c - memory of 1,000 concurrent SMTP connections held open by
 * the engine: every connection has sent a ~3 KB message and waits for the
 * final reply from a peer that never gives it (smtp_peer.py --mode
 * stalldata), the costliest point of a session. Prints the peak resident
 * set (VmHWM) of this whole process and its ratio to 64 MiB.
 *
 *	conn_mem HOST:PORT [CONNECTIONS [PEER_LOG]]
 *
 * With PEER_LOG (smtp_peer.py --log), it waits until the peer holds every
 * message ("HELD" lines) before measuring.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>

#include "../../app/core/err.h"
#include "../../app/core/log.h"
#include "../../app/core/sbuf.h"
#include "../../app/sender/engine.h"

#define MSG_SIZE	3000

static long
status_kib(const char *key)
{
	char	 line[256];
	long	 v = -1;
	FILE	*f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, strlen(key)) == 0)
			v = strtol(line + strlen(key), NULL, 10);
	fclose(f);
	return v;
}

/* The value of a metric line "NAME VALUE" (not its HELP/TYPE lines). */
static long
metric(struct engine *eng, const char *name)
{
	struct sbuf	 b;
	char		 key[128], *p;
	long		 v = -1;

	snprintf(key, sizeof(key), "\n%s ", name);
	sbuf_init(&b, NULL, 0);
	engine_metrics(eng, &b);
	if (b.p != NULL && (p = strstr(b.p, key)) != NULL)
		v = strtol(p + strlen(key), NULL, 10);
	sbuf_free(&b);
	return v;
}

/* Lines of the peer's log starting with "HELD". */
static long
held(const char *path)
{
	char	 line[256];
	long	 k = 0;
	FILE	*f;

	if (path == NULL || (f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		k += strncmp(line, "HELD", 4) == 0;
	fclose(f);
	return k;
}

static void
done(void *ctx, struct delivery *d, const struct delivery_result *r)
{
	(void)ctx;
	(void)d;
	(void)r;
}

static void *
run(void *arg)
{
	(void)engine_run(arg);
	return NULL;
}

int
main(int argc, char **argv)
{
	struct engine_cfg	 cfg;
	struct engine		*eng;
	struct delivery		*dv;
	struct err		 e;
	pthread_t		 th;
	char			*msg, rcpt[64], **rc;
	int			 n = argc > 2 ? atoi(argv[2]) : 1000, i;
	int			 waited;
	long			 open_now = 0, hwm, rss, base;
	struct timespec		 ts = { 0, 100 * 1000000L };

	if (argc < 2 || n <= 0) {
		fprintf(stderr, "usage: conn_mem HOST:PORT [CONNECTIONS]\n");
		return 2;
	}
	log_init("conn_mem", LOG_ERR);
	memset(&cfg, 0, sizeof(cfg));
	cfg.helo = "bench.test";
	cfg.smarthost = argv[1];
	cfg.connections_max = n;
	cfg.dest_connections = n;
	cfg.done = done;
	cfg.tls_policy_default = ENGINE_TLS_OPPORTUNISTIC;
	cfg.t_greeting_ms = cfg.t_dataend_ms = 600 * 1000;
	if ((eng = engine_new(&cfg, &e)) == NULL) {
		fprintf(stderr, "conn_mem: %s\n", e.msg);
		return 1;
	}
	dv = calloc((size_t)n, sizeof(*dv));
	rc = calloc((size_t)n, sizeof(*rc));
	if (dv == NULL || rc == NULL)
		return 1;
	pthread_create(&th, NULL, run, eng);
	for (i = 0; i < n; i++) {
		/* distinct messages: one transaction per connection */
		if ((msg = malloc(MSG_SIZE + 1)) == NULL)
			return 1;
		memset(msg, 'x', MSG_SIZE);
		for (int k = 76; k < MSG_SIZE; k += 78)
			memcpy(msg + k, "\r\n", 2);
		snprintf(msg, 64, "Message-ID: <%d@bench.test>\r\n\r\n", i);
		msg[strlen(msg)] = 'x';
		msg[MSG_SIZE] = '\0';
		snprintf(rcpt, sizeof(rcpt), "u%d@bench.test", i);
		rc[i] = strdup(rcpt);
		dv[i].queue_id = (uint64_t)i;
		dv[i].mail_from = "bench@bench.test";
		dv[i].rcpt = rc[i];
		dv[i].domain = "bench.test";
		dv[i].campaign = "";
		dv[i].msg = msg;
		dv[i].msg_len = MSG_SIZE;
	}
	/* Before any connection: the engine, libraries and messages. */
	base = status_kib("VmRSS:");
	for (i = 0; i < n; i++)
		if (engine_submit(eng, &dv[i]) == -1)
			return 1;
	/* Wait (generously) until every connection is open. */
	for (waited = 0; waited < 1200; waited++) {
		open_now = metric(eng, "tegami_sender_connections_open");
		if (open_now >= n)
			break;
		nanosleep(&ts, NULL);
	}
	/* Let the bodies go out and the sessions settle. */
	for (waited = 0; argc > 3 && held(argv[3]) < n && waited < 1200;
	    waited++)
		nanosleep(&ts, NULL);
	for (i = 0; i < 10; i++)
		nanosleep(&ts, NULL);
	hwm = status_kib("VmHWM:");
	rss = status_kib("VmRSS:");
	printf("connections_open\t%ld\n", open_now);
	printf("vmhwm_kib\t%ld\n", hwm);
	printf("vmrss_kib\t%ld\n", rss);
	printf("vmhwm_mib\t%.1f\n", (double)hwm / 1024.0);
	printf("ratio_to_64mib\t%.3f\n", (double)hwm / (64.0 * 1024.0));
	printf("baseline_kib\t%ld\n", base);
	printf("kib_per_connection\t%.1f\n",
	    open_now > 0 ? (double)(hwm - base) / (double)open_now : 0.0);
	fflush(stdout);
	engine_stop(eng, false);
	pthread_join(th, NULL);
	engine_free(eng);
	return open_now >= n ? 0 : 1;
}
