/*
 * control.c - the sender's live delivery control thread (see control.h).
 * Trusts the database rows it reads (written by the web app or CLI after
 * validation) only as far as the engine's own parsers do: rule and profile
 * text goes through engine_load_profiles(); a lift request only names a
 * destination, which the engine compares with its own keys.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../conf/config.h"
#include "../core/arena.h"
#include "../core/err.h"
#include "../core/log.h"
#include "../db/db.h"
#include "../db/db_control.h"
#include "control.h"
#include "engine.h"
#include "shaping.h"

struct control {
	const struct config	*cfg;
	struct engine		*engine;
	char			 sender[128];
	pthread_t		 th;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	bool			 stopping;
	/* control thread only */
	struct db		*db;
	bool			 db_down;	/* logged once per outage */
	int64_t			 version;	/* -1: not read yet */
	uint64_t		 lift_after;
	bool			 lift_known;
	struct engine_shaping	*snap;		/* ENGINE_SHAPING_SNAP_MAX */
};

/* A connection, opened (again) when needed; false while the DB is away. */
static bool
connected(struct control *c)
{
	struct err	 e;

	err_clear(&e);
	if (c->db == NULL)
		c->db = db_open(c->cfg, &e);
	else if (db_ping(c->db, &e) == -1) {
		db_close(c->db);
		c->db = NULL;
	}
	if (c->db == NULL) {
		if (!c->db_down)
			log_warn("control: database: %s (retrying)", e.msg);
		c->db_down = true;
		return false;
	}
	if (c->db_down)
		log_info("control: database reachable again");
	c->db_down = false;
	return true;
}

static int
reload_if_moved(struct control *c, struct err *e)
{
	int64_t	 v;

	if (db_control_version(c->db, &v, e) == -1)
		return -1;
	if (v == c->version)
		return 0;
	if (engine_load_profiles(c->engine, c->db, e) == -1)
		return -1;
	if (c->version != -1)
		log_info("control: delivery settings version %lld: profiles "
		    "and shaping rules reloaded", (long long)v);
	c->version = v;
	return 0;
}

static int
publish(struct control *c, struct err *e)
{
	size_t	 n, i;
	int64_t	 now = time(NULL);

	n = engine_shaping_snapshot(c->engine, c->snap,
	    ENGINE_SHAPING_SNAP_MAX);
	if (db_begin(c->db, e) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		const struct engine_shaping *s = &c->snap[i];

		if (db_control_state_put(c->db, s->destination, s->campaign,
		    shaping_action_names[s->action], s->until, s->reason,
		    c->sender, now, e) == -1)
			goto fail;
	}
	if (db_control_state_prune(c->db, c->sender, now, now, e) == -1)
		goto fail;
	return db_commit(c->db, e);
fail:
	db_rollback(c->db);
	return -1;
}

static int
apply_lifts(struct control *c, struct err *e)
{
	struct arena		*a;
	struct db_shaping_lift	*v;
	size_t			 n, i;
	int			 rc = -1;

	if (!c->lift_known) {
		/* Requests older than this process concern an engine that
		 * no longer exists. */
		if (db_control_lift_last(c->db, &c->lift_after, e) == -1)
			return -1;
		c->lift_known = true;
		return 0;
	}
	if ((a = arena_new(0)) == NULL)
		return err_set(e, ERR_ENV, "out of memory");
	if (db_control_lift_since(c->db, a, c->lift_after, &v, &n, e) == -1)
		goto out;
	for (i = 0; i < n; i++) {
		/* The engine lifts a whole destination, its campaigns
		 * included: once per destination. */
		if ((i == 0 || strcmp(v[i].destination,
		    v[i - 1].destination) != 0) &&
		    engine_lift(c->engine, v[i].destination) == -1) {
			err_set(e, ERR_ENV, "out of memory");
			goto out;
		}
		log_info("control: lift of %s%s%s requested by %s applied",
		    v[i].destination, v[i].campaign[0] ? " campaign " : "",
		    v[i].campaign, v[i].requested_by);
		if (db_control_lift_done(c->db, v[i].id, time(NULL), e) == -1)
			goto out;
		c->lift_after = v[i].id;
	}
	rc = 0;
out:
	arena_free(a);
	return rc;
}

static void
cycle(struct control *c)
{
	struct err	 e;

	if (!connected(c))
		return;
	err_clear(&e);
	if (reload_if_moved(c, &e) == -1)
		log_err("control: reloading profiles: %s", e.msg);
	err_clear(&e);
	if (apply_lifts(c, &e) == -1)
		log_err("control: lift requests: %s", e.msg);
	err_clear(&e);
	if (publish(c, &e) == -1)
		log_err("control: publishing shaping state: %s", e.msg);
}

static void *
control_main(void *arg)
{
	struct control	*c = arg;
	struct timespec	 ts;

	pthread_mutex_lock(&c->mu);
	while (!c->stopping) {
		pthread_mutex_unlock(&c->mu);
		cycle(c);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += CONTROL_PERIOD_MS / 1000;
		ts.tv_nsec += (CONTROL_PERIOD_MS % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&c->mu);
		while (!c->stopping && pthread_cond_timedwait(&c->cv, &c->mu,
		    &ts) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

struct control *
control_start(const struct config *cfg, struct engine *en,
    const char *sender, struct err *e)
{
	struct control	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->snap = calloc(ENGINE_SHAPING_SNAP_MAX,
	    sizeof(*c->snap))) == NULL) {
		free(c);
		err_set(e, ERR_ENV, "out of memory");
		return NULL;
	}
	c->cfg = cfg;
	c->engine = en;
	c->version = -1;
	snprintf(c->sender, sizeof(c->sender), "%s", sender);
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	if (pthread_create(&c->th, NULL, control_main, c) != 0) {
		pthread_mutex_destroy(&c->mu);
		pthread_cond_destroy(&c->cv);
		free(c->snap);
		free(c);
		err_set(e, ERR_ENV, "cannot start the control thread");
		return NULL;
	}
	return c;
}

void
control_stop(struct control *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&c->mu);
	c->stopping = true;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
	pthread_join(c->th, NULL);
	db_close(c->db);
	pthread_mutex_destroy(&c->mu);
	pthread_cond_destroy(&c->cv);
	free(c->snap);
	free(c);
}
