/*
 * status.h - the sender's status socket: a unix socket that answers every
 * connection with the current counters in Prometheus text and closes. The
 * web app's /metrics (allow-listed) relays it; operators may read it with
 * `socat - UNIX-CONNECT:PATH`.
 */
#ifndef SENDER_STATUS_H
#define SENDER_STATUS_H

struct err;
struct sbuf;
struct status;

#define STATUS_REPLY_MAX	(1024 * 1024)

/* fill(ctx, out) formats the counters; it runs on the status thread and
 * must be thread-safe. The socket is created mode 0660. */
struct status	*status_start(const char *path,
		    void (*fill)(void *ctx, struct sbuf *), void *ctx,
		    struct err *);
void		 status_stop(struct status *);	/* NULL ok */

#endif
