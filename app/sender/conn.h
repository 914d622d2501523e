/*
 * conn.h - one SMTP client connection as a state machine on the epoll
 * loop (RFC 5321 §3-4): connect, greeting, EHLO (HELO fallback), STARTTLS
 * (RFC 3207) and EHLO again, then transactions: [RSET] MAIL FROM, RCPT TO
 * (pipelined per RFC 2920 when offered; replies matched to recipients in
 * order), DATA with dot-stuffing on the fly (§4.5.2), final reply, and
 * QUIT. No thread, no blocking call; every wait has a timeout
 * (§4.5.3.2).
 *
 * The engine (engine.c) owns the connection. Jobs (malloc'd by the
 * engine) passed to conn_send() become the connection's: it reports each
 * recipient's result through ops->done exactly once, then frees the job
 * when the transaction ends; the engine keeps no pointer to it after done.
 * The connection reports its own end through ops->closed exactly once. After ops->closed the engine
 * must free the connection with conn_free() from an ev_defer() callback.
 * Memory per idle connection is about 1.5 KiB; the output buffer grows
 * only while a command or a body chunk is being written.
 */
#ifndef SENDER_CONN_H
#define SENDER_CONN_H

#include <sys/socket.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/sbuf.h"
#include "delivery.h"
#include "ev.h"
#include "reply.h"

struct conn;
struct tls_ctx;
struct tls;

#define CONN_BODY_CHUNK		(16 * 1024)	/* body bytes per write */
#define CONN_RCPTS_MAX		100	/* RFC 5321 §4.5.3.1.8 minimum */
#define CONN_ADDR_MAX		320	/* envelope address, bytes */
#define CONN_CMD_MAX		(CONN_ADDR_MAX + 64)
#define CONN_QUIT_MS		5000

enum conn_state {
	CONN_ST_CONNECT,
	CONN_ST_GREETING,
	CONN_ST_EHLO,
	CONN_ST_HELO,
	CONN_ST_STARTTLS,
	CONN_ST_TLS,		/* handshake */
	CONN_ST_READY,		/* idle between transactions */
	CONN_ST_TX,		/* RSET/MAIL/RCPT replies outstanding */
	CONN_ST_DATA,		/* waiting for 354 */
	CONN_ST_BODY,		/* writing the body, then the final reply */
	CONN_ST_QUIT,
	CONN_ST_CLOSED,
	CONN_ST__MAX
};

extern const char *const conn_state_names[CONN_ST__MAX];

/* A delivery inside the engine (one recipient). */
struct job {
	struct delivery	*d;
	struct job	*next;
	int64_t		 since;		/* loop ms when queued */
	bool		 rcpt_ok;	/* RCPT accepted in this transaction */
	bool		 finished;
};

struct conn_ops {
	/* The connection is idle and usable (after EHLO, after a
	 * transaction): give it work with conn_send() or conn_quit(). */
	void	(*ready)(void *owner, struct conn *);
	/* Optional: the data of a message is about to end; the next
	 * transaction's jobs (n of them) to pipeline behind it, or NULL. */
	struct job *(*more)(void *owner, struct conn *, size_t *n);
	/* One recipient's result; r is the server's reply or NULL. */
	void	(*done)(void *owner, struct conn *, struct job *,
		    const struct delivery_result *, const struct reply *r);
	/* The connection ended. established: it reached READY once; last:
	 * the reply that ended it (421 greeting...) or NULL; why: text. */
	void	(*closed)(void *owner, struct conn *, bool established,
		    const struct reply *last, const char *why);
};

/* What every connection of one engine shares. */
struct conn_env {
	struct ev	*ev;
	struct tls_ctx	*tls;
	const char	*helo;
	const struct conn_ops *ops;
	void		*owner;
	int		 t_connect, t_greeting, t_mail, t_rcpt, t_data;
	int		 t_block, t_dataend, t_idle;
};

enum conn_ext {
	CONN_EXT_PIPELINING = 0x01,
	CONN_EXT_SIZE = 0x02,
	CONN_EXT_8BITMIME = 0x04,
	CONN_EXT_STARTTLS = 0x08,
};

struct conn {
	struct ev_io	 io;
	struct ev_timer	 timer;
	const struct conn_env *env;
	void		*dest;		/* the engine's destination */
	struct conn	*next, *prev;	/* the engine's lists */
	struct tls	*tls;
	char		*mx;		/* host name (malloc) */
	enum conn_state	 st;
	int		 fd;
	int		 tls_policy;	/* enum engine_tls */
	unsigned	 ext;		/* enum conn_ext */
	uint64_t	 size_max;	/* SIZE value, 0: unknown */
	unsigned	 msgs;		/* transactions finished here */
	size_t		 addr_idx;	/* which route address (engine) */
	bool		 established;
	bool		 counted;	/* the engine's: seen established */
	bool		 tls_done;
	bool		 need_rset;
	bool		 closing_421;
	bool		 tls_failed;	/* STARTTLS accepted, handshake not */
	/* transaction */
	struct job	*jobs;		/* recipients of this transaction */
	size_t		 njobs, naccepted;
	struct job	*send_cur, *reply_cur;
	unsigned	 step_sent, step_reply, nsteps;
	bool		 tx_rset, tx_data, mail_failed;
	const char	*body;
	size_t		 body_len, body_off;
	bool		 bol, body_done;
	/* the next transaction, sent behind the end of data (RFC 2920) */
	struct job	*chain;
	size_t		 nchain;
	bool		 chain_sent;	/* its commands are written */
	/* I/O */
	struct reply	 reply;
	struct sbuf	 out;
	size_t		 out_off;
	size_t		 rlen;
	char		 rbuf[REPLY_LINE_MAX];
};

/* Opens a connection to addr (host name mx for logs, TLS name, results).
 * Returns NULL with why filled when the socket cannot even be made; no
 * callback runs then. */
struct conn	*conn_new(const struct conn_env *, void *dest,
		    const struct sockaddr *addr, socklen_t len,
		    const char *mx, int tls_policy, char *why, size_t whysz);
/* Starts a transaction for jobs (a list linked by next, 1..CONN_RCPTS_MAX,
 * the same message and sender). Only in CONN_ST_READY. */
void		 conn_send(struct conn *, struct job *jobs, size_t n);
/* Polite end: QUIT when idle, then close. */
void		 conn_quit(struct conn *);
/* Immediate end: unfinished jobs get DEFERRED with why. */
void		 conn_abort(struct conn *, const char *why);
/* Frees a closed connection (from an ev_defer() callback). */
void		 conn_free(struct conn *);
/* Fills a result from a reply (NULL: local failure with outcome/text). */
void		 conn_result(const struct conn *, const struct reply *,
		    enum delivery_outcome, const char *text,
		    struct delivery_result *);

#endif
