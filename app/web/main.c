/*
 * main.c - tegami-web: the management screens and the HTTP API, a threaded
 * FastCGI responder behind nginx.
 *
 *	tegami-web [-c FILE] [--version]
 *
 * Each worker thread owns a database connection and a request arena; the
 * accept call is serialised by a mutex (libfcgi's threaded model). A
 * background thread refreshes the allow-list and site settings from the
 * database every few seconds and purges dead sessions.
 */
#include <errno.h>
#include <fcgiapp.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../conf/config.h"
#include "../core/arena.h"
#include "../core/clock.h"
#include "../core/err.h"
#include "../core/log.h"
#include "../core/secret.h"
#include "../db/db.h"
#include "../db/db_session.h"
#include "../view/view.h"
#include "clientip.h"
#include "dispatch.h"
#include "iprange.h"
#include "req.h"
#include "resp.h"
#include "sitecfg.h"

#define WEB_VERSION		"0.1.0"
#define REFRESH_SECONDS		2
#define PURGE_SECONDS		600
#define REQ_ARENA_LIMIT		((size_t)256 * 1024 * 1024)

static struct config	 cfg;
static struct web	 web;
static struct proxies	 proxies;
static int		 listen_fd = -1;
static pthread_mutex_t	 accept_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile sig_atomic_t stopping;

static struct db *
connect_db(void)
{
	struct err	 e;

	err_clear(&e);
	return db_open(&cfg, &e);
}

static void *
worker(void *arg)
{
	FCGX_Request	 fr;
	struct arena	*a;
	struct db	*db = connect_db();

	(void)arg;
	if ((a = arena_new(REQ_ARENA_LIMIT)) == NULL ||
	    FCGX_InitRequest(&fr, listen_fd, 0) != 0) {
		log_err("worker: cannot start");
		return NULL;
	}
	while (!stopping) {
		struct req	 r;
		int		 rc;

		pthread_mutex_lock(&accept_lock);
		rc = FCGX_Accept_r(&fr);
		pthread_mutex_unlock(&accept_lock);
		if (rc < 0)
			break;
		if (db == NULL)
			db = connect_db();	/* the database came back? */
		memset(&r, 0, sizeof(r));
		r.fcgi = &fr;
		r.a = a;
		r.db = db;
		r.web = &web;
		resp_init(&r);
		dispatch(&r);
		resp_send(&r);
		FCGX_Finish_r(&fr);
		arena_reset(a);
	}
	db_close(db);
	arena_free(a);
	return NULL;
}

static void *
refresher(void *arg)
{
	struct db	*db = NULL;
	int64_t		 last_purge = 0;

	(void)arg;
	while (!stopping) {
		struct err	 e;

		sleep(REFRESH_SECONDS);
		err_clear(&e);
		if (db == NULL && (db = connect_db()) == NULL)
			continue;
		if (iprange_refresh(db, &e) == -1 ||
		    sitecfg_refresh(db, &e) == -1) {
			db_close(db);
			db = NULL;
			continue;
		}
		if (clock_now() - last_purge >= PURGE_SECONDS) {
			int64_t	 now = clock_now();

			last_purge = now;
			if (db_session_purge(db, now - cfg.session_idle,
			    now - cfg.session_absolute, &e) == -1)
				log_warn("session purge: %s", e.msg);
		}
	}
	db_close(db);
	return NULL;
}

static int
setup(const char *conf_path)
{
	struct err	 e;
	struct db	*db;
	uint8_t		 key[32];

	err_clear(&e);
	if (config_load(&cfg, conf_path, &e) == -1) {
		fprintf(stderr, "tegami-web: configuration: %s\n", e.msg);
		return -1;
	}
	web.cfg = &cfg;
	web.session_cookie = cfg.web_tls ? "__Host-tegami_session" :
	    "tegami_session";
	web.pre_cookie = cfg.web_tls ? "__Host-tegami_pre" : "tegami_pre";
	if (clientip_proxies_parse(cfg.web_trusted_proxies, &proxies, &e) ==
	    -1) {
		fprintf(stderr, "tegami-web: configuration: "
		    "web.trusted_proxies: %s\n", e.msg);
		return -1;
	}
	dispatch_set_proxies(&proxies);
	if (cfg.secret_key_file[0] == '\0') {
		log_warn("secret.key_file is not set: using a key that lasts "
		    "until restart (forms expire at restart)");
		randombytes_buf(key, sizeof(key));
	} else if (secret_key_load(cfg.secret_key_file, true, key, &e) ==
	    -1) {
		fprintf(stderr, "tegami-web: %s\n", e.msg);
		return -1;
	}
	memcpy(web.secret_key, key, sizeof(key));
	crypto_generichash(web.csrf_key, sizeof(web.csrf_key),
	    (const unsigned char *)"tegami csrf v1", 14, key, sizeof(key));
	sodium_memzero(key, sizeof(key));
	if (view_init(cfg.web_templates, &e) == -1) {
		fprintf(stderr, "tegami-web: templates: %s\n", e.msg);
		return -1;
	}
	if ((db = connect_db()) == NULL) {
		fprintf(stderr, "tegami-web: cannot reach the database; "
		    "see the log above\n");
		return -1;
	}
	if (iprange_reload(db, &e) == -1 || sitecfg_refresh(db, &e) == -1) {
		fprintf(stderr, "tegami-web: %s (did you run `tegami "
		    "migrate`?)\n", e.msg);
		db_close(db);
		return -1;
	}
	db_close(db);
	return 0;
}

static int
open_socket(void)
{
	unlink(cfg.web_socket);
	if ((listen_fd = FCGX_OpenSocket(cfg.web_socket, 1024)) < 0) {
		fprintf(stderr, "tegami-web: %s: cannot listen: %s\n",
		    cfg.web_socket, strerror(errno));
		return -1;
	}
	/* nginx reaches it through the shared group (or as root in tests). */
	if (chmod(cfg.web_socket, 0660) == -1)
		log_warn("%s: chmod: %s", cfg.web_socket, strerror(errno));
	return 0;
}

int
main(int argc, char **argv)
{
	const char	*conf = getenv("TEGAMI_CONFIG");
	pthread_t	*tids, refresh;
	sigset_t	 set;
	int		 i, sig, n;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--version") == 0) {
			printf("tegami-web %s\n", WEB_VERSION);
			return 0;
		} else if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			conf = argv[++i];
		else {
			fprintf(stderr, "usage: tegami-web [-c FILE] "
			    "[--version]\n");
			return 2;
		}
	}
	log_init("tegami-web", LOG_INFO);
	if (sodium_init() < 0 || FCGX_Init() != 0) {
		fprintf(stderr, "tegami-web: library initialisation failed\n");
		return 1;
	}
	if (setup(conf) == -1 || open_socket() == -1)
		return 1;
	/* Signals go to the main thread only, which waits for them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	n = (int)cfg.web_threads;
	if ((tids = calloc((size_t)n, sizeof(*tids))) == NULL)
		return 1;
	for (i = 0; i < n; i++)
		pthread_create(&tids[i], NULL, worker, NULL);
	pthread_create(&refresh, NULL, refresher, NULL);
	log_info("listening on %s with %d threads", cfg.web_socket, n);
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGHUP) {
			log_info("SIGHUP: the allow-list and settings reload "
			    "every %d s on their own", REFRESH_SECONDS);
			continue;
		}
		break;
	}
	log_info("stopping");
	stopping = 1;
	FCGX_ShutdownPending();
	shutdown(listen_fd, SHUT_RDWR);
	close(listen_fd);
	unlink(cfg.web_socket);
	for (i = 0; i < n; i++)
		pthread_join(tids[i], NULL);
	free(tids);
	return 0;
}
