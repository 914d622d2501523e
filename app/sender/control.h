/*
 * control.h - live delivery control of tegami-sender: a thread with its own
 * database connection that, every CONTROL_PERIOD_MS,
 *   - reloads domain profiles and shaping rules into the engine when
 *     settings.delivery_version moved (the screens and the CLI bump it in
 *     the transaction of every change): no restart, no SIGHUP;
 *   - publishes the engine's suspensions and slow-downs into shaping_state
 *     (this sender's rows; rows that ended are deleted);
 *   - applies new shaping_lift requests with engine_lift() and marks them
 *     done.
 * A database that is away is retried the next cycle; the engine keeps what
 * it has meanwhile. docs/delivery.md, "Live control".
 */
#ifndef SENDER_CONTROL_H
#define SENDER_CONTROL_H

struct config;
struct engine;
struct err;
struct control;

#define CONTROL_PERIOD_MS	2000

/* Starts the thread; cfg and engine must outlive control_stop(). sender
 * names this process in shaping_state (copied). NULL with e set. */
struct control	*control_start(const struct config *cfg, struct engine *,
		    const char *sender, struct err *);
/* Stops and joins the thread, closes its connection, frees. NULL ok. */
void		 control_stop(struct control *);

#endif
