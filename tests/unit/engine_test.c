/*
 * engine_test.c - the SMTP engine against real peers: the scripted server
 * tests/integration/smtp_peer.py (one fault per run), smtp-sink for the
 * happy path, and dnsmasq on loopback for MX routing. Each case submits
 * deliveries from this thread while engine_run() runs on another, then
 * checks every outcome: right state, right code, nothing lost, nothing
 * reported twice, and (from the peer's log) nothing accepted twice.
 *
 * Needs python3, smtp-sink and dnsmasq; a missing tool fails its cases
 * with a "not ok" naming it. Finds smtp_peer.py under $TEGAMI_SRC or
 * $TEGAMI_ROOT (tests/run.sh sets it), else the current directory.
 * Timeouts are short but generous; no check depends on how fast the
 * machine is.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../app/core/err.h"
#include "../../app/core/log.h"
#include "../../app/core/sbuf.h"
#include "../../app/sender/engine.h"
#include "t.h"

#define N_MAX		256
#define WAIT_S		90	/* only to avoid hanging */

struct rec {
	int			 calls;
	struct delivery_result	 res;
};

static struct rec	 recs[N_MAX];
static pthread_mutex_t	 recs_mu = PTHREAD_MUTEX_INITIALIZER;
static char		 tmpdir[512];
static char		 peer_py[512];
static pid_t		 kids[8];
static int		 one_conn;	/* cfg_init: one connection only */
/* run_engine: profiles and rules to install before submitting */
static const struct engine_profile *t_prof;
static size_t		 t_nprof;
static const struct shaping_rule *t_rules;
static size_t		 t_nrules;

static void
on_done(void *ctx, struct delivery *d, const struct delivery_result *r)
{
	(void)ctx;
	pthread_mutex_lock(&recs_mu);
	if (d->queue_id < N_MAX) {
		recs[d->queue_id].calls++;
		recs[d->queue_id].res = *r;
	}
	pthread_mutex_unlock(&recs_mu);
}

static void
sleep_ms(long ms)
{
	struct timespec	 ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void
kill_kid(pid_t pid)
{
	size_t	 i;

	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	for (i = 0; i < sizeof(kids) / sizeof(kids[0]); i++)
		if (kids[i] == pid)
			kids[i] = 0;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

/* Our own temporary directory goes when every check passed; under
 * tests/run.sh (TEGAMI_TEST_TMP) the runner keeps or removes it. */
static void
rm_tmpdir(void)
{
	if (t_failed_count == 0 && tmpdir[0] != '\0')
		(void)nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void
kill_all(void)
{
	size_t	 i;

	for (i = 0; i < sizeof(kids) / sizeof(kids[0]); i++)
		if (kids[i] > 0) {
			kill(kids[i], SIGTERM);
			waitpid(kids[i], NULL, 0);
			kids[i] = 0;
		}
}

static void
track(pid_t pid)
{
	size_t	 i;

	for (i = 0; i < sizeof(kids) / sizeof(kids[0]); i++)
		if (kids[i] == 0) {
			kids[i] = pid;
			return;
		}
}

static pid_t
spawn(char *const argv[], const char *out)
{
	pid_t	 pid = fork();

	if (pid == 0) {
		FILE	*f = freopen(out, "w", stderr);

		(void)f;
		if (freopen("/dev/null", "r", stdin) == NULL)
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid > 0)
		track(pid);
	return pid;
}

static int
free_port(void)
{
	FILE	*p;
	int	 port = 0;

	p = popen("python3 -c 'import socket; s=socket.socket(); "
	    "s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])'", "r");
	if (p == NULL)
		return 0;
	if (fscanf(p, "%d", &port) != 1)
		port = 0;
	pclose(p);
	return port;
}

/* Starts smtp_peer.py with mode and extra flags; returns its port. */
static int
peer_start(const char *name, const char *mode, const char *extra,
    pid_t *pid)
{
	char		 dir[700], portfile[800], logf[800], err[800];
	static char	 extras[1024];
	char		*argv[16], *tok, *save = NULL;
	int		 argc = 0, port = 0, tries;
	FILE		*f;

	snprintf(dir, sizeof(dir), "%s/%s", tmpdir, name);
	mkdir(dir, 0700);
	snprintf(portfile, sizeof(portfile), "%s/port", dir);
	snprintf(logf, sizeof(logf), "%s/peer.log", dir);
	snprintf(err, sizeof(err), "%s/peer.err", dir);
	unlink(portfile);
	unlink(logf);
	argv[argc++] = "python3";
	argv[argc++] = peer_py;
	argv[argc++] = "--mode";
	argv[argc++] = (char *)mode;
	argv[argc++] = "--portfile";
	argv[argc++] = portfile;
	argv[argc++] = "--log";
	argv[argc++] = logf;
	argv[argc++] = "--dir";
	argv[argc++] = dir;
	/* extra: flags separated by spaces ("--tls --no-pipelining") */
	snprintf(extras, sizeof(extras), "%s", extra != NULL ? extra : "");
	for (tok = strtok_r(extras, " ", &save); tok != NULL && argc < 15;
	    tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	if ((*pid = spawn(argv, err)) <= 0)
		return 0;
	for (tries = 0; tries < 300 && port == 0; tries++) {
		if ((f = fopen(portfile, "r")) != NULL) {
			if (fscanf(f, "%d", &port) != 1)
				port = 0;
			fclose(f);
		}
		if (port == 0)
			sleep_ms(50);
	}
	return port;
}

/* Lines of the peer's log starting with prefix. */
static int
peer_count(const char *name, const char *prefix, const char *contains)
{
	char	 path[800], line[2048];
	FILE	*f;
	int	 n = 0;

	snprintf(path, sizeof(path), "%s/%s/peer.log", tmpdir, name);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, prefix, strlen(prefix)) == 0 &&
		    (contains == NULL || strstr(line, contains) != NULL))
			n++;
	fclose(f);
	return n;
}

struct runner {
	struct engine	*eng;
	int		 rc;
};

static void *
run_thread(void *arg)
{
	struct runner	*r = arg;

	r->rc = engine_run(r->eng);
	return NULL;
}

static void
cfg_init(struct engine_cfg *c, const char *smarthost)
{
	memset(c, 0, sizeof(*c));
	c->helo = "client.test";
	c->smarthost = smarthost;
	c->connections_max = 1200;
	c->tls_policy_default = ENGINE_TLS_OPPORTUNISTIC;
	c->done = on_done;
	c->t_connect_ms = 5000;
	c->t_greeting_ms = 10000;
	c->t_mail_ms = 10000;
	c->t_rcpt_ms = 10000;
	c->t_data_ms = 10000;
	c->t_block_ms = 10000;
	c->t_dataend_ms = 10000;
	c->t_idle_ms = 2000;
	c->t_dns_ms = 4000;
	if (one_conn)
		c->dest_connections = 1;
}

/* Messages and deliveries: msg i has Message-ID <case.i@test>. */
static char		 msgs[N_MAX][512];
static struct delivery	 dv[N_MAX];
static char		 rcpts[N_MAX][64];

static void
make_deliveries(const char *name, size_t n, const char *domain, bool shared)
{
	size_t	 i;

	memset(recs, 0, sizeof(recs));
	for (i = 0; i < n; i++) {
		snprintf(msgs[i], sizeof(msgs[i]),
		    "From: <sender@client.test>\r\n"
		    "To: <u%zu@%s>\r\n"
		    "Message-ID: <%s.%zu@test>\r\n"
		    "Subject: test %zu\r\n"
		    "\r\n"
		    "Hello.\r\n"
		    ".a line that starts with a dot\r\n"
		    "..and one with two\r\n"
		    ".\r\n"
		    "last line without CRLF", i, domain, name,
		    shared ? (size_t)0 : i, i);
		snprintf(rcpts[i], sizeof(rcpts[i]), "u%zu@%s", i, domain);
		memset(&dv[i], 0, sizeof(dv[i]));
		dv[i].queue_id = i;
		dv[i].mail_from = "bounce@client.test";
		dv[i].rcpt = rcpts[i];
		dv[i].domain = strchr(rcpts[i], '@') + 1;
		dv[i].campaign = "";
		dv[i].msg = shared ? msgs[0] : msgs[i];
		dv[i].msg_len = strlen(dv[i].msg);
		dv[i].shared = shared;
	}
}

/* Runs one engine over dv[0..n); stop_early: stop(false) right after
 * submitting. Returns the metrics text in *metrics (malloc'd). */
static void
run_engine(struct engine_cfg *cfg, size_t n, bool stop_early,
    char **metrics)
{
	struct runner	 r;
	pthread_t	 th;
	struct err	 e;
	struct sbuf	 b;
	size_t		 i;
	int		 waited = 0;

	*metrics = NULL;
	if ((r.eng = engine_new(cfg, &e)) == NULL) {
		T_OK(0, "engine_new: %s", e.msg);
		return;
	}
	if ((t_nprof > 0 || t_nrules > 0) && engine_set_profiles(r.eng,
	    t_prof, t_nprof, t_rules, t_nrules) == -1)
		T_OK(0, "engine_set_profiles");
	pthread_create(&th, NULL, run_thread, &r);
	for (i = 0; i < n; i++)
		if (engine_submit(r.eng, &dv[i]) == -1)
			T_OK(0, "submit %zu", i);
	if (stop_early)
		engine_stop(r.eng, false);
	while (engine_inflight(r.eng) > 0 && waited < WAIT_S * 20) {
		sleep_ms(50);
		waited++;
	}
	T_OK(engine_inflight(r.eng) == 0, "nothing left in flight");
	sbuf_init(&b, NULL, 0);
	engine_metrics(r.eng, &b);
	*metrics = b.p != NULL ? strdup(b.p) : NULL;
	sbuf_free(&b);
	engine_stop(r.eng, true);
	pthread_join(th, NULL);
	T_OK(r.rc == 0, "engine_run returned 0");
	T_OK(engine_submit(r.eng, &dv[0]) == -1, "submit refused once stopped");
	engine_free(r.eng);
}

/* Every delivery reported exactly once with outcome o and code. */
static void
check_all(const char *what, size_t n, enum delivery_outcome o, int code)
{
	size_t	 i, once = 0, right = 0;

	for (i = 0; i < n; i++) {
		once += recs[i].calls == 1;
		right += recs[i].res.outcome == o && recs[i].res.code == code;
	}
	T_OK(once == n, "%s: each of %zu reported once (%zu)", what, n, once);
	T_OK(right == n, "%s: outcome %d code %d for all (%zu of %zu; "
	    "first: %d %d %s)", what, o, code, right, n,
	    recs[0].res.outcome, recs[0].res.code, recs[0].res.text);
}

static void
test_normal(void)
{
	struct engine_cfg	 cfg;
	char			 sh[64], *m;
	pid_t			 pid;
	int			 port;
	size_t			 i, n = 20, ids = 0;
	char			 id[64];

	if ((port = peer_start("normal", "normal", "", &pid)) == 0) {
		T_OK(0, "smtp_peer did not start");
		return;
	}
	snprintf(sh, sizeof(sh), "127.0.0.1:%d", port);
	cfg_init(&cfg, sh);
	make_deliveries("normal", n, "a.test", false);
	run_engine(&cfg, n, false, &m);
	kill_kid(pid);
	check_all("normal", n, DELIVERY_SENT, 250);
	T_STREQ(recs[0].res.enhanced, "2.0.0", "enhanced code kept");
	T_STREQ(recs[0].res.mx, "127.0.0.1", "mx recorded");
	T_STREQ(recs[0].res.tls, "", "plaintext: no TLS version");
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "<normal.%zu@test>", i);
		ids += peer_count("normal", "ACCEPT", id) == 1;
	}
	T_OK(ids == n, "every Message-ID accepted exactly once (%zu)", ids);
	T_OK(peer_count("normal", "ACCEPT", NULL) == (int)n,
	    "peer accepted %zu messages", n);
	T_OK(m != NULL && strstr(m, "tegami_sender_sent_total 20") != NULL,
	    "metrics count 20 sent");
	free(m);
}

/* The whole file at path (NUL-terminated, malloc'd; NULL if unreadable),
 * its length in *len (-1 when short). */
static char *
slurp(const char *path, long *len)
{
	FILE	*f;
	char	*buf = NULL;

	*len = 0;
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	*len = ftell(f);
	fseek(f, 0, SEEK_SET);
	if (*len >= 0 && (buf = calloc(1, (size_t)*len + 1)) != NULL &&
	    fread(buf, 1, (size_t)*len, f) != (size_t)*len)
		*len = -1;
	fclose(f);
	return buf;
}

/* Bodies larger than a write chunk (CONN_BODY_CHUNK), with dotted lines
 * everywhere, the chunk edges included: what the peer unstuffs is what was
 * given, byte for byte. The first body has random lines; the others only
 * lines of 1-3 dots, shifted by a header of growing length, so that some
 * chunk ends right before a dotted line. */
#define BIG_N		6
#define BIG_LEN		(60 * 1024)
static void
test_dump_large(void)
{
	static char	 big[BIG_N][BIG_LEN + 256];
	struct engine_cfg cfg;
	char		 sh[64], *m, path[800], *buf, *at;
	pid_t		 pid;
	int		 port;
	long		 len = 0;
	size_t		 i, k, n, dotted = 0, same = 0;
	unsigned	 seed = 12345;

	snprintf(path, sizeof(path), "--dump=%s/dumpbig/bodies", tmpdir);
	if ((port = peer_start("dumpbig", "normal", path, &pid)) == 0) {
		T_OK(0, "smtp_peer did not start");
		return;
	}
	snprintf(sh, sizeof(sh), "127.0.0.1:%d", port);
	cfg_init(&cfg, sh);
	make_deliveries("dumpbig", BIG_N, "a.test", false);
	for (i = 0; i < BIG_N; i++) {
		n = (size_t)snprintf(big[i], sizeof(big[i]), "From: <s@client."
		    "test>\r\nTo: <u%zu@a.test>\r\nMessage-ID: <big.%zu@test>"
		    "\r\nX-Pad: %.*s\r\nSubject: big\r\n\r\n", i, i, (int)i,
		    "xxxxxxxx");
		while (i > 0 && n < BIG_LEN) {
			for (k = 0; k < i % 3 + 1; k++)
				big[i][n++] = '.';
			big[i][n++] = '\r';
			big[i][n++] = '\n';
			dotted++;
		}
		/* lines of 0-99 bytes, a third of them starting with dots */
		while (n < BIG_LEN) {
			size_t	 ll = (seed = seed * 1103515245u + 12345u) >>
			    16 & 127;

			if (ll >= 100)
				ll -= 100;
			for (k = 0; k < ll; k++) {
				seed = seed * 1103515245u + 12345u;
				big[i][n++] = (seed >> 16) % 3 == 0 ? '.' :
				    (char)('a' + (seed >> 18) % 26);
			}
			dotted += ll > 0 && big[i][n - ll] == '.';
			big[i][n++] = '\r';
			big[i][n++] = '\n';
		}
		memcpy(big[i] + n, "..\r\n.", 5);	/* ends "." unterminated */
		n += 5;
		big[i][n] = '\0';
		dv[i].msg = big[i];
		dv[i].msg_len = n;
	}
	run_engine(&cfg, BIG_N, false, &m);
	kill_kid(pid);
	free(m);
	check_all("dumpbig", BIG_N, DELIVERY_SENT, 250);
	snprintf(path, sizeof(path), "%s/dumpbig/bodies", tmpdir);
	buf = slurp(path, &len);
	/* Each body as given plus CRLF (the last line had none), then the
	 * peer's separator "\0\n", in whatever order the connections
	 * finished. */
	for (i = 0; i < BIG_N; i++) {
		n = strlen(big[i]);
		for (at = buf; at != NULL && at + n + 4 <= buf + len;
		    at = memchr(at, '\0', (size_t)(buf + len - at)),
		    at = at != NULL ? at + 2 : NULL)
			if (memcmp(at, big[i], n) == 0 &&
			    memcmp(at + n, "\r\n\0\n", 4) == 0) {
				same++;
				break;
			}
	}
	T_OK(dotted > 1000, "bodies of 60 KB with %zu dotted lines", dotted);
	for (i = 0, n = 0; i < BIG_N; i++)
		n += strlen(big[i]) + 4;
	T_OK(same == BIG_N && len == (long)n, "%zu of %d bodies arrive "
	    "unchanged across write chunks (%ld bytes)", same, BIG_N, len);
	free(buf);
}

/* Dot-stuffing, 8-bit body and bodies compared byte for byte. */
static void
test_dump(void)
{
	struct engine_cfg	 cfg;
	char			 sh[64], *m, path[800], *buf;
	pid_t			 pid;
	int			 port;
	long			 len;
	char			 want[700];

	snprintf(path, sizeof(path), "--dump=%s/dump/bodies", tmpdir);
	if ((port = peer_start("dump", "normal", path, &pid)) == 0) {
		T_OK(0, "smtp_peer did not start");
		return;
	}
	snprintf(sh, sizeof(sh), "127.0.0.1:%d", port);
	cfg_init(&cfg, sh);
	make_deliveries("dump", 1, "a.test", false);
	/* 8-bit body (UTF-8 "日本") to see BODY=8BITMIME */
	snprintf(msgs[0] + strlen(msgs[0]), sizeof(msgs[0]) - strlen(msgs[0]),
	    "\r\n\xe6\x97\xa5\xe6\x9c\xac");
	dv[0].msg_len = strlen(msgs[0]);
	run_engine(&cfg, 1, false, &m);
	kill_kid(pid);
	free(m);
	check_all("dump", 1, DELIVERY_SENT, 250);
	snprintf(path, sizeof(path), "%s/dump/bodies", tmpdir);
	buf = slurp(path, &len);
	/* The peer unstuffs; our CRLF is added to the unterminated line. */
	snprintf(want, sizeof(want), "%s\r\n", msgs[0]);
	T_OK(buf != NULL && len == (long)strlen(want) + 2 &&
	    memcmp(buf, want, strlen(want)) == 0,
	    "body arrives unchanged after dot-stuffing (%ld bytes)", len);
	T_OK(peer_count("dump", "MAIL", "BODY=8BITMIME") == 1,
	    "8-bit message sent with BODY=8BITMIME");
	free(buf);
}

static void
test_fault(const char *name, const char *mode, const char *extra,
    enum delivery_outcome o, int code, const char *enh, const char *text,
    int accepted)
{
	struct engine_cfg	 cfg;
	char			 sh[64], *m;
	pid_t			 pid;
	int			 port;
	size_t			 i, n = 5, with_text = 0;

	if ((port = peer_start(name, mode, extra, &pid)) == 0) {
		T_OK(0, "%s: smtp_peer did not start", name);
		return;
	}
	snprintf(sh, sizeof(sh), "127.0.0.1:%d", port);
	cfg_init(&cfg, sh);
	if (strcmp(mode, "stall") == 0)
		cfg.t_greeting_ms = 1500;
	if (strcmp(mode, "stalldata") == 0)
		cfg.t_dataend_ms = 1500;
	make_deliveries(name, n, "a.test", false);
	run_engine(&cfg, n, false, &m);
	kill_kid(pid);
	check_all(name, n, o, code);
	for (i = 0; i < n; i++)
		with_text += strstr(recs[i].res.text, text) != NULL &&
		    strcmp(recs[i].res.enhanced, enh) == 0;
	T_OK(with_text == n, "%s: enhanced \"%s\", text has \"%s\" (got "
	    "\"%s\" \"%s\")", name, enh, text, recs[0].res.enhanced,
	    recs[0].res.text);
	T_OK(peer_count(name, "ACCEPT", NULL) == accepted,
	    "%s: peer accepted %d", name, accepted);
	for (i = 0; i < n; i++)
		if (recs[i].res.suppress != (o == DELIVERY_BOUNCED &&
		    strncmp(enh, "5.1.", 4) == 0))
			break;
	T_OK(i == n, "%s: suppress only for 5.1.x", name);
	if (strcmp(mode, "greet421") == 0)
		T_STREQ(recs[n - 1].res.mx, "127.0.0.1",
		    "greet421: the refusing host is recorded");
	if (strcmp(mode, "policy421") == 0)
		T_OK(m != NULL && strstr(m,
		    "tegami_sender_policy_alerts_total 0") == NULL,
		    "policy refusal raised an alert");
	free(m);
}

static void
test_faults(void)
{
	test_fault("greet421", "greet421", "", DELIVERY_DEFERRED, 421,
	    "4.3.2", "Service not available", 0);
	test_fault("rcpt451", "rcpt451", "", DELIVERY_DEFERRED, 451,
	    "4.3.0", "temporary failure", 0);
	test_fault("data552", "data552", "", DELIVERY_BOUNCED, 552, "5.3.4",
	    "exceeds", 0);
	test_fault("stall", "stall", "", DELIVERY_DEFERRED, 0, "4.4.1",
	    "timeout waiting for greeting", 0);
	test_fault("dropdata", "dropdata", "", DELIVERY_DEFERRED, 0, "",
	    "connection closed", 0);
	test_fault("garbage", "garbage", "", DELIVERY_DEFERRED, 0, "4.4.1",
	    "bad reply", 0);
	test_fault("policy421", "policy421", "", DELIVERY_DEFERRED, 421,
	    "4.7.0", "[TSS04]", 0);
	test_fault("size", "normal", "--size=100", DELIVERY_BOUNCED, 552,
	    "5.3.4", "exceeds the server's limit", 0);
	test_fault("longline", "longline", "", DELIVERY_DEFERRED, 0, "4.4.1",
	    "bad reply: line too long", 0);
	/* multi-line greeting, every reply split into one-byte reads */
	test_fault("dribble", "normal", "--dribble", DELIVERY_SENT, 250,
	    "2.0.0", "queued", 5);
	T_OK(peer_count("dropdata", "DROP", NULL) >= 1, "peer dropped DATA");
}

/* One message, three recipients (pipelined or not), the middle one
 * refused. */
static void
pipelined_550(const char *name, const char *extra)
{
	struct engine_cfg	 cfg;
	char			 sh[64], *m, flags[256];
	pid_t			 pid;
	int			 port;

	snprintf(flags, sizeof(flags), "--reject=u1@a.test %s", extra);
	if ((port = peer_start(name, "rcpt550", flags, &pid)) == 0) {
		T_OK(0, "smtp_peer did not start");
		return;
	}
	snprintf(sh, sizeof(sh), "127.0.0.1:%d", port);
	cfg_init(&cfg, sh);
	make_deliveries(name, 3, "a.test", true);
	run_engine(&cfg, 3, false, &m);
	free(m);
	kill_kid(pid);
	T_OK(recs[0].calls == 1 && recs[1].calls == 1 && recs[2].calls == 1,
	    "%s: each recipient reported once", name);
	T_OK(recs[0].res.outcome == DELIVERY_SENT && recs[0].res.code == 250,
	    "%s: u0 sent", name);
	T_OK(recs[1].res.outcome == DELIVERY_BOUNCED &&
	    recs[1].res.code == 550 && recs[1].res.suppress &&
	    strcmp(recs[1].res.enhanced, "5.1.1") == 0 &&
	    strstr(recs[1].res.text, "u1@a.test") != NULL,
	    "%s: u1 bounced 550 5.1.1, suppressed, its own reply", name);
	T_OK(recs[2].res.outcome == DELIVERY_SENT && recs[2].res.code == 250,
	    "%s: u2 sent", name);
	T_OK(peer_count(name, "ACCEPT", "u0@a.test,u2@a.test") == 1 &&
	    peer_count(name, "ACCEPT", NULL) == 1,
	    "%s: one transaction carried u0 and u2", name);
}

static void
test_pipelined_550(void)
{
	pipelined_550("rcpt550", "");
	pipelined_550("rcpt550_nopipe", "--no-pipelining");
	pipelined_550("rcpt550_helo", "--no-ehlo");
}

/* Without PIPELINING, and with HELO only: many messages on one
 * connection, RSET between them when needed. */
static void
test_plain_session(void)
{
	one_conn = 1;
	test_fault("reuse", "normal", "", DELIVERY_SENT, 250, "2.0.0",
	    "queued", 5);
	test_fault("nopipe", "normal", "--no-pipelining", DELIVERY_SENT, 250,
	    "2.0.0", "queued", 5);
	test_fault("helo", "normal", "--no-ehlo", DELIVERY_SENT, 250,
	    "2.0.0", "queued", 5);
	test_fault("rcpt451_nopipe", "rcpt451", "--no-pipelining",
	    DELIVERY_DEFERRED, 451, "4.3.0", "temporary failure", 0);
	test_fault("size_one", "normal", "--size=100", DELIVERY_BOUNCED, 552,
	    "5.3.4", "exceeds the server's limit", 0);
	/* The next transaction goes right behind each end of data: a 552
	 * to one message leaves the one sent behind it intact, and a dot
	 * never answered defers both (nothing lost, each reported once). */
	test_fault("data552_one", "data552", "", DELIVERY_BOUNCED, 552,
	    "5.3.4", "exceeds", 0);
	test_fault("stalldata_one", "stalldata", "", DELIVERY_DEFERRED, 0, "",
	    "timeout waiting for end of data", 0);
	one_conn = 0;
	T_OK(peer_count("data552_one", "CONN", NULL) == 1 &&
	    peer_count("data552_one", "RSET", NULL) == 4,
	    "552 after data: the 5 transactions go on on one session");
	T_OK(peer_count("stalldata_one", "AFTERDOT", "RSET") >= 1,
	    "the next transaction is pipelined behind the end of data "
	    "(RFC 2920 3.1), before its reply");
	T_OK(peer_count("reuse", "CONN", NULL) == 1, "5 messages, 1 session "
	    "(pipelined RSET between)");
	T_OK(peer_count("nopipe", "CONN", NULL) == 1, "5 messages, 1 session "
	    "without PIPELINING");
	T_OK(peer_count("helo", "CONN", NULL) == 1, "5 messages, 1 session "
	    "after HELO");
	T_OK(peer_count("rcpt451_nopipe", "CONN", NULL) == 1,
	    "refused transactions reset (RSET) on one session");
	T_OK(peer_count("size_one", "CONN", NULL) == 1,
	    "oversized messages refused locally on one session");
	T_OK(peer_count("reuse", "RSET", NULL) == 4 &&
	    peer_count("reuse", "QUIT", NULL) == 1,
	    "RSET between the 5 messages, one QUIT at the end");
	T_OK(peer_count("reuse", "MAIL", "SIZE=") == 5 &&
	    peer_count("reuse", "MAIL", "BODY=8BITMIME") == 0,
	    "SIZE= on MAIL; no BODY=8BITMIME for 7-bit messages");
}

/* A shaping rule (Yahoo! JAPAN's TSS04 block) suspends the destination:
 * the deliveries after the first go back at once with the wait, and no
 * second session is opened. */
static void
test_shaping(void)
{
	static const struct shaping_rule rule = {
		7, "127.0.0.1", 421, "4.7.0", "[TSS04]", SHAPING_SUSPEND,
		SHAPING_DESTINATION, 60
	};
	struct engine_cfg	 cfg;
	char			 sh[64], *m;
	pid_t			 pid;
	int			 port;
	size_t			 i, waits = 0, susp = 0;

	if ((port = peer_start("shaping", "policy421", "", &pid)) == 0) {
		T_OK(0, "smtp_peer did not start");
		return;
	}
	snprintf(sh, sizeof(sh), "127.0.0.1:%d", port);
	one_conn = 1;
	cfg_init(&cfg, sh);
	one_conn = 0;
	t_rules = &rule;
	t_nrules = 1;
	make_deliveries("shaping", 5, "a.test", false);
	run_engine(&cfg, 5, false, &m);
	t_rules = NULL;
	t_nrules = 0;
	kill_kid(pid);
	for (i = 0; i < 5; i++)
		if (recs[i].calls != 1 ||
		    recs[i].res.outcome != DELIVERY_DEFERRED)
			break;
	T_OK(i == 5, "shaping: all deferred, each reported once");
	T_OK(recs[0].res.code == 421 && strstr(recs[0].res.text, "TSS04"),
	    "first delivery has the server's reply");
	for (i = 0; i < 5; i++) {
		waits += recs[i].res.slow_down_s > 0 &&
		    recs[i].res.slow_down_s <= 60;
		susp += strstr(recs[i].res.text, "suspended") != NULL;
	}
	T_OK(waits == 5, "every result asks to wait the rule's time (%zu)",
	    waits);
	T_OK(susp == 4, "the other four were held back, not sent (%zu)",
	    susp);
	T_OK(peer_count("shaping", "CONN", NULL) == 1,
	    "no new session while suspended");
	T_OK(m != NULL && strstr(m, "tegami_sender_shaping_total 1") != NULL,
	    "shaping counted");
	free(m);
}

/* A campaign-scoped rule holds back only the campaign that provoked it. */
static void
test_campaign(void)
{
	static const struct shaping_rule rule = {
		9, "", 421, "4.7.0", "[TSS04]", SHAPING_SUSPEND,
		SHAPING_CAMPAIGN, 600
	};
	static const char *const camp[5] = { "c1", "c1", "c2", "c1", "c2" };
	struct engine_cfg	 cfg;
	char			 sh[64], *m;
	pid_t			 pid;
	int			 port;
	size_t			 i;

	if ((port = peer_start("campaign", "tss04once", "", &pid)) == 0) {
		T_OK(0, "smtp_peer did not start");
		return;
	}
	snprintf(sh, sizeof(sh), "127.0.0.1:%d", port);
	one_conn = 1;
	cfg_init(&cfg, sh);
	one_conn = 0;
	make_deliveries("campaign", 5, "a.test", false);
	for (i = 0; i < 5; i++)
		dv[i].campaign = camp[i];
	t_rules = &rule;
	t_nrules = 1;
	run_engine(&cfg, 5, false, &m);
	t_rules = NULL;
	t_nrules = 0;
	free(m);
	kill_kid(pid);
	T_OK(recs[0].res.outcome == DELIVERY_DEFERRED &&
	    recs[0].res.code == 421 && recs[0].res.slow_down_s == 600,
	    "c1's first delivery got TSS04 and the rule's wait");
	T_OK(recs[1].res.outcome == DELIVERY_DEFERRED &&
	    recs[3].res.outcome == DELIVERY_DEFERRED &&
	    strstr(recs[1].res.text, "campaign suspended") != NULL &&
	    recs[3].res.slow_down_s > 0, "the rest of c1 held back");
	T_OK(recs[2].res.outcome == DELIVERY_SENT &&
	    recs[4].res.outcome == DELIVERY_SENT, "c2 still sent");
	T_OK(peer_count("campaign", "ACCEPT", NULL) == 2, "peer got c2's 2");
}

/* engine_lift() ends a suspension early: the next delivery goes out. */
static void
test_lift(void)
{
	static const struct shaping_rule rule = {
		8, "127.0.0.1", 421, "4.7.0", "[TSS04]", SHAPING_SUSPEND,
		SHAPING_DESTINATION, 3600
	};
	struct engine_cfg	 cfg;
	struct runner		 r;
	struct err		 e;
	pthread_t		 th;
	char			 sh[64];
	pid_t			 pid;
	int			 port, waited;

	if ((port = peer_start("lift", "tss04once", "", &pid)) == 0) {
		T_OK(0, "smtp_peer did not start");
		return;
	}
	snprintf(sh, sizeof(sh), "127.0.0.1:%d", port);
	cfg_init(&cfg, sh);
	make_deliveries("lift", 3, "a.test", false);
	if ((r.eng = engine_new(&cfg, &e)) == NULL ||
	    engine_set_profiles(r.eng, NULL, 0, &rule, 1) == -1) {
		T_OK(0, "engine_new: %s", e.msg);
		kill_kid(pid);
		return;
	}
	pthread_create(&th, NULL, run_thread, &r);
	T_OK(engine_submit(r.eng, &dv[0]) == 0, "submit 1");
	for (waited = 0; engine_inflight(r.eng) > 0 && waited < WAIT_S * 20;
	    waited++)
		sleep_ms(50);
	T_OK(recs[0].res.outcome == DELIVERY_DEFERRED &&
	    recs[0].res.slow_down_s > 3000, "blocked: wait an hour (%d s)",
	    recs[0].res.slow_down_s);
	T_OK(engine_submit(r.eng, &dv[1]) == 0, "submit 2");
	for (waited = 0; engine_inflight(r.eng) > 0 && waited < WAIT_S * 20;
	    waited++)
		sleep_ms(50);
	T_OK(recs[1].res.outcome == DELIVERY_DEFERRED &&
	    strstr(recs[1].res.text, "suspended") != NULL,
	    "still suspended: held back (%s)", recs[1].res.text);
	/* Two requests before the loop wakes: each one is applied. */
	T_OK(engine_lift(r.eng, "127.0.0.1") == 0 &&
	    engine_lift(r.eng, "elsewhere.test") == 0, "two lifts at once");
	sleep_ms(100);
	T_OK(engine_submit(r.eng, &dv[2]) == 0, "submit 3");
	for (waited = 0; engine_inflight(r.eng) > 0 && waited < WAIT_S * 20;
	    waited++)
		sleep_ms(50);
	T_OK(recs[2].calls == 1 && recs[2].res.outcome == DELIVERY_SENT,
	    "lifted: sent (%s)", recs[2].res.text);
	engine_stop(r.eng, true);
	pthread_join(th, NULL);
	engine_free(r.eng);
	kill_kid(pid);
	T_OK(peer_count("lift", "ACCEPT", NULL) == 1, "peer got 1 message");
}

static void
test_tls(void)
{
	struct engine_cfg	 cfg;
	char			 sh[64], *m;
	pid_t			 pid;
	int			 port;
	size_t			 i, tls = 0;

	if ((port = peer_start("tls", "normal", "--tls", &pid)) == 0) {
		T_OK(0, "smtp_peer --tls did not start");
		return;
	}
	snprintf(sh, sizeof(sh), "127.0.0.1:%d", port);
	cfg_init(&cfg, sh);
	make_deliveries("tls", 5, "a.test", false);
	run_engine(&cfg, 5, false, &m);
	kill_kid(pid);
	check_all("tls", 5, DELIVERY_SENT, 250);
	for (i = 0; i < 5; i++)
		tls += strncmp(recs[i].res.tls, "TLSv1.", 6) == 0 &&
		    strcmp(recs[i].res.tls, "TLSv1.1") != 0;
	T_OK(tls == 5, "TLS version recorded (%s)", recs[0].res.tls);
	T_OK(peer_count("tls", "TLS", NULL) >= 1, "peer saw STARTTLS");
	T_OK(m != NULL && strstr(m, "tegami_sender_tls_total 0") == NULL,
	    "TLS sessions counted");
	free(m);
	/* opportunistic TLS that fails: the engine retries in plaintext */
	if ((port = peer_start("badtls", "normal", "--tls --bad-tls",
	    &pid)) == 0) {
		T_OK(0, "smtp_peer --bad-tls did not start");
		return;
	}
	snprintf(sh, sizeof(sh), "127.0.0.1:%d", port);
	one_conn = 1;
	cfg_init(&cfg, sh);
	one_conn = 0;
	make_deliveries("badtls", 2, "a.test", false);
	run_engine(&cfg, 2, false, &m);
	free(m);
	kill_kid(pid);
	check_all("bad TLS, plaintext fallback", 2, DELIVERY_SENT, 250);
	T_STREQ(recs[0].res.tls, "", "sent without TLS");
	T_OK(peer_count("badtls", "CONN", NULL) == 2, "one failed TLS "
	    "session, one plaintext session");
	/* verify policy against a self-signed certificate: deferred */
	if ((port = peer_start("tlsverify", "normal", "--tls", &pid)) == 0) {
		T_OK(0, "smtp_peer --tls did not start");
		return;
	}
	snprintf(sh, sizeof(sh), "127.0.0.1:%d", port);
	cfg_init(&cfg, sh);
	cfg.tls_policy_default = ENGINE_TLS_VERIFY;
	make_deliveries("tlsverify", 2, "a.test", false);
	run_engine(&cfg, 2, false, &m);
	free(m);
	kill_kid(pid);
	check_all("tls verify", 2, DELIVERY_DEFERRED, 0);
	T_OK(strstr(recs[0].res.text, "certificate") != NULL,
	    "verify failure names the certificate (%s)", recs[0].res.text);
	T_OK(peer_count("tlsverify", "ACCEPT", NULL) == 0,
	    "nothing sent without verified TLS");
}

static void
test_stop(void)
{
	struct engine_cfg	 cfg;
	char			 sh[64], *m;
	pid_t			 pid;
	int			 port;
	size_t			 i, ok = 0;

	if ((port = peer_start("stop", "stall", "", &pid)) == 0) {
		T_OK(0, "smtp_peer did not start");
		return;
	}
	snprintf(sh, sizeof(sh), "127.0.0.1:%d", port);
	cfg_init(&cfg, sh);
	make_deliveries("stop", 10, "a.test", false);
	run_engine(&cfg, 10, true, &m);
	free(m);
	kill_kid(pid);
	for (i = 0; i < 10; i++)
		ok += recs[i].calls == 1 &&
		    recs[i].res.outcome == DELIVERY_DEFERRED &&
		    strstr(recs[i].res.text, "stopped") != NULL;
	T_OK(ok == 10, "stop without drain: all deferred once (%zu)", ok);
}

static void
test_sink(void)
{
	struct engine_cfg	 cfg;
	char			 sh[64], addr[64], errf[800], *m;
	char			*argv[8];
	pid_t			 pid;
	int			 port, tries;
	size_t			 n = 200;

	if ((port = free_port()) == 0) {
		T_OK(0, "no free port");
		return;
	}
	snprintf(addr, sizeof(addr), "127.0.0.1:%d", port);
	snprintf(errf, sizeof(errf), "%s/sink.err", tmpdir);
	argv[0] = "smtp-sink";
	argv[1] = "-u";
	argv[2] = geteuid() == 0 ? "nobody" : getenv("USER");
	argv[3] = addr;
	argv[4] = "256";
	argv[5] = NULL;
	if (geteuid() != 0) {
		argv[1] = addr;
		argv[2] = "256";
		argv[3] = NULL;
	}
	if ((pid = spawn(argv, errf)) <= 0) {
		T_OK(0, "smtp-sink did not start");
		return;
	}
	/* wait for the port to take connections */
	for (tries = 0; tries < 100; tries++) {
		char	 cmd[128];

		snprintf(cmd, sizeof(cmd), "python3 -c 'import socket; "
		    "socket.create_connection((\"127.0.0.1\", %d), 1)' "
		    "2>/dev/null", port);
		if (system(cmd) == 0)
			break;
		sleep_ms(50);
	}
	snprintf(sh, sizeof(sh), "127.0.0.1:%d", port);
	cfg_init(&cfg, sh);
	cfg.dest_connections = 20;
	make_deliveries("sink", n, "sink.test", false);
	run_engine(&cfg, n, false, &m);
	kill_kid(pid);
	check_all("smtp-sink", n, DELIVERY_SENT, 250);
	free(m);
}

/* MX routing through dnsmasq on loopback; peer on the "MX port". */
/* The configured DNS server does not answer: temporary, 4.4.3. */
static void
test_dns_down(void)
{
	struct engine_cfg	 cfg;
	char			 dns[64], *m;
	int			 dport;

	if ((dport = free_port()) == 0) {
		T_OK(0, "no free port");
		return;
	}
	snprintf(dns, sizeof(dns), "127.0.0.1:%d", dport);
	cfg_init(&cfg, NULL);
	cfg.dns_servers = dns;
	cfg.t_dns_ms = 1000;
	make_deliveries("dnsdown", 2, "example.test", false);
	run_engine(&cfg, 2, false, &m);
	free(m);
	check_all("DNS down", 2, DELIVERY_DEFERRED, 0);
	T_STREQ(recs[0].res.enhanced, "4.4.3", "DNS failure is 4.4.3");
}

static void
test_mx(void)
{
	struct engine_cfg	 cfg;
	char			 dns[64], arg[8][128], errf[800], *m;
	char			*argv[16];
	pid_t			 pid, dpid;
	int			 port, dport, k = 0;

	if ((port = peer_start("mx", "normal", "", &pid)) == 0 ||
	    (dport = free_port()) == 0) {
		T_OK(0, "smtp_peer did not start");
		return;
	}
	snprintf(arg[0], sizeof(arg[0]), "-p%d", dport);
	snprintf(arg[1], sizeof(arg[1]),
	    "--mx-host=example.test,mx.example.test,10");
	snprintf(arg[2], sizeof(arg[2]),
	    "--mx-host=example.test,mx2.example.test,20");
	snprintf(arg[3], sizeof(arg[3]),
	    "--host-record=mx.example.test,127.0.0.1");
	snprintf(arg[4], sizeof(arg[4]),
	    "--host-record=implicit.test,127.0.0.1");
	snprintf(arg[5], sizeof(arg[5]), "--local=/test/");
	snprintf(arg[6], sizeof(arg[6]), "--mx-host=nullmx.test,.,0");
	argv[k++] = "dnsmasq";
	argv[k++] = "-d";
	argv[k++] = arg[0];
	argv[k++] = "--no-resolv";
	argv[k++] = "--no-hosts";
	argv[k++] = "--listen-address=127.0.0.1";
	argv[k++] = "--bind-interfaces";
	argv[k++] = "--pid-file=";
	argv[k++] = arg[1];
	argv[k++] = arg[2];
	argv[k++] = arg[3];
	argv[k++] = arg[4];
	argv[k++] = arg[5];
	argv[k++] = arg[6];
	argv[k] = NULL;
	snprintf(errf, sizeof(errf), "%s/dnsmasq.err", tmpdir);
	if ((dpid = spawn(argv, errf)) <= 0) {
		T_OK(0, "dnsmasq did not start");
		return;
	}
	sleep_ms(500);
	snprintf(dns, sizeof(dns), "127.0.0.1:%d", dport);
	static const struct engine_profile prof = {
		"example.test", 1, 1, 0, 1, ENGINE_TLS_OPPORTUNISTIC
	};

	cfg_init(&cfg, NULL);
	cfg.dns_servers = dns;
	cfg.mx_port = port;
	cfg.connections_max = 1;	/* destinations wait for the slot */
	/* profile: one connection, one message per connection */
	t_prof = &prof;
	t_nprof = 1;
	make_deliveries("mx", 7, "example.test", false);
	snprintf(rcpts[6], sizeof(rcpts[6]), "u6@nullmx.test");
	dv[6].domain = "nullmx.test";
	snprintf(rcpts[2], sizeof(rcpts[2]), "u2@nodomain.test");
	dv[2].domain = "nodomain.test";
	snprintf(rcpts[3], sizeof(rcpts[3]), "u3@implicit.test");
	dv[3].domain = "implicit.test";
	run_engine(&cfg, 7, false, &m);
	t_prof = NULL;
	t_nprof = 0;
	free(m);
	kill_kid(dpid);
	kill_kid(pid);
	T_OK(recs[0].calls == 1 && recs[0].res.outcome == DELIVERY_SENT &&
	    recs[1].res.outcome == DELIVERY_SENT, "MX route delivered (%s)",
	    recs[0].res.text);
	T_STREQ(recs[0].res.mx, "mx.example.test", "preferred MX used");
	T_OK(recs[2].calls == 1 && recs[2].res.outcome == DELIVERY_BOUNCED &&
	    strcmp(recs[2].res.enhanced, "5.1.2") == 0 && recs[2].res.suppress,
	    "NXDOMAIN bounced 5.1.2 (%s)", recs[2].res.text);
	T_OK(recs[3].calls == 1 && recs[3].res.outcome == DELIVERY_SENT,
	    "implicit MX delivered (%s)", recs[3].res.text);
	T_STREQ(recs[3].res.mx, "implicit.test", "implicit MX host");
	T_OK(recs[6].calls == 1 && recs[6].res.outcome == DELIVERY_BOUNCED &&
	    recs[6].res.code == 556 &&
	    strcmp(recs[6].res.enhanced, "5.1.10") == 0 &&
	    recs[6].res.suppress, "null MX (RFC 7505) bounced 556 5.1.10 (%s)",
	    recs[6].res.text);
	T_OK(recs[4].res.outcome == DELIVERY_SENT &&
	    recs[5].res.outcome == DELIVERY_SENT, "all of example.test sent");
	T_OK(peer_count("mx", "ACCEPT", NULL) == 5, "peer got 5 messages");
	T_OK(peer_count("mx", "CONN", NULL) == 5, "profile: one message per "
	    "session for example.test (4 sessions + 1 implicit)");
}

int
main(void)
{
	const char	*base = getenv("TEGAMI_TEST_TMP");
	const char	*src = getenv("TEGAMI_SRC");

	if (src == NULL || src[0] == '\0')
		src = getenv("TEGAMI_ROOT");	/* set by tests/run.sh */

	T_SUITE("engine");
	signal(SIGPIPE, SIG_IGN);
	log_init("engine_test", LOG_WARN);
	snprintf(tmpdir, sizeof(tmpdir), "%s/engine_test.XXXXXX",
	    base != NULL && base[0] != '\0' ? base : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		T_OK(0, "mkdtemp %s: %s", tmpdir, strerror(errno));
		return t_done("engine");
	}
	snprintf(peer_py, sizeof(peer_py), "%s/tests/integration/smtp_peer.py",
	    src != NULL && src[0] != '\0' ? src : ".");
	if (access(peer_py, R_OK) != 0) {
		T_OK(0, "%s not found (run from the checkout or set "
		    "TEGAMI_SRC)", peer_py);
		return t_done("engine");
	}
	if (base == NULL || base[0] == '\0')
		atexit(rm_tmpdir);
	atexit(kill_all);	/* runs first: children gone before the rm */
	T_RUN(test_normal);
	T_RUN(test_dump);
	T_RUN(test_dump_large);
	T_RUN(test_faults);
	T_RUN(test_pipelined_550);
	T_RUN(test_plain_session);
	T_RUN(test_shaping);
	T_RUN(test_lift);
	T_RUN(test_campaign);
	T_RUN(test_tls);
	T_RUN(test_stop);
	T_RUN(test_sink);
	T_RUN(test_mx);
	T_RUN(test_dns_down);
	return t_done("engine");
}
