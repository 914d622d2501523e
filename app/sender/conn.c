/*
 * conn.c - the SMTP client state machine (see conn.h).
 *
 * Trust: every byte from the server goes through reply.c (bounded lines)
 * and is escaped before it reaches a result or a log. Plaintext buffered
 * before STARTTLS completes is discarded (RFC 3207 §6, command injection).
 * Envelope addresses were checked by the engine (no CR, LF, NUL, <>).
 */
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../core/swar.h"
#include "conn.h"
#include "engine.h"
#include "tls.h"

const char *const conn_state_names[CONN_ST__MAX] = {
	"connect", "greeting", "EHLO", "HELO", "STARTTLS", "TLS handshake",
	"ready", "MAIL/RCPT", "DATA", "end of data", "QUIT", "closed",
};

static void	 conn_io(struct ev_io *, unsigned, void *);
static void	 conn_close(struct conn *, const struct reply *, const char *);
static void	 conn_flush(struct conn *);
static void	 chain_fail(struct conn *, const struct reply *, const char *);

static void
timeout_fire(struct ev_timer *t, void *arg)
{
	struct conn	*c = arg;
	char		 why[96];

	(void)t;
	if (c->st == CONN_ST_READY) {
		conn_quit(c);
		return;
	}
	if (c->st == CONN_ST_QUIT) {
		conn_close(c, NULL, "QUIT not answered");
		return;
	}
	snprintf(why, sizeof(why), "timeout waiting for %s",
	    c->st == CONN_ST_BODY && !c->body_done ? "the server to take data" :
	    conn_state_names[c->st]);
	conn_close(c, NULL, why);
}

static void
arm(struct conn *c, int ms)
{
	ev_timer_set(c->env->ev, &c->timer, ms, timeout_fire, c);
}

static void
set_state(struct conn *c, enum conn_state st)
{
	const struct conn_env	*env = c->env;
	int			 ms;

	c->st = st;
	switch (st) {
	case CONN_ST_CONNECT:
		ms = env->t_connect;
		break;
	case CONN_ST_GREETING:
	case CONN_ST_TLS:
		ms = env->t_greeting;
		break;
	case CONN_ST_TX:
		ms = env->t_rcpt > env->t_mail ? env->t_rcpt : env->t_mail;
		break;
	case CONN_ST_DATA:
		ms = env->t_data;
		break;
	case CONN_ST_BODY:
		ms = env->t_block;
		break;
	case CONN_ST_READY:
		ms = env->t_idle;
		break;
	case CONN_ST_QUIT:
		ms = CONN_QUIT_MS < env->t_mail ? CONN_QUIT_MS : env->t_mail;
		break;
	case CONN_ST_CLOSED:
		ev_timer_cancel(env->ev, &c->timer);
		return;
	default:
		ms = env->t_mail;
		break;
	}
	arm(c, ms);
}

static void
want(struct conn *c)
{
	unsigned	 w;

	if (c->st == CONN_ST_CLOSED)
		return;
	if (c->st == CONN_ST_CONNECT)
		w = EV_WRITE;
	else
		w = EV_READ | (c->out_off < c->out.len ? EV_WRITE : 0);
	(void)ev_io_want(c->env->ev, &c->io, w);
}

struct conn *
conn_new(const struct conn_env *env, void *dest, const struct sockaddr *sa,
    socklen_t len, const char *mx, int tls_policy, char *why, size_t whysz)
{
	struct conn	*c;
	struct err	 e;

	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->mx = strdup(mx)) == NULL) {
		snprintf(why, whysz, "out of memory");
		free(c);
		return NULL;
	}
	c->env = env;
	c->dest = dest;
	c->tls_policy = tls_policy;
	sbuf_init(&c->out, NULL, 0);
	c->fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (c->fd == -1) {
		snprintf(why, whysz, "socket: %s", strerror(errno));
		goto fail;
	}
	if (connect(c->fd, sa, len) == -1 && errno != EINPROGRESS) {
		snprintf(why, whysz, "connect to %s: %s", mx, strerror(errno));
		goto fail;
	}
	if (ev_io_add(env->ev, &c->io, c->fd, EV_WRITE, conn_io, c, &e) == -1) {
		snprintf(why, whysz, "%s", e.msg);
		goto fail;
	}
	set_state(c, CONN_ST_CONNECT);
	return c;
fail:
	if (c->fd != -1)
		close(c->fd);
	free(c->mx);
	free(c);
	return NULL;
}

void
conn_free(struct conn *c)
{
	if (c == NULL)
		return;
	sbuf_free(&c->out);
	free(c->mx);
	free(c);
}

void
conn_result(const struct conn *c, const struct reply *r,
    enum delivery_outcome outcome, const char *text,
    struct delivery_result *res)
{
	memset(res, 0, sizeof(*res));
	if (c != NULL) {
		snprintf(res->mx, sizeof(res->mx), "%s", c->mx);
		if (c->tls != NULL && c->tls_done)
			snprintf(res->tls, sizeof(res->tls), "%s",
			    tls_version(c->tls));
	}
	if (r == NULL) {
		res->outcome = outcome;
		log_escape(res->text, sizeof(res->text), text, strlen(text));
		return;
	}
	res->code = r->code;
	snprintf(res->enhanced, sizeof(res->enhanced), "%s", r->enhanced);
	log_escape(res->text, sizeof(res->text), r->text, r->textlen);
	switch (r->code / 100) {
	case 2:
	case 3:
		res->outcome = outcome;
		break;
	case 5:
		res->outcome = DELIVERY_BOUNCED;
		/* Only a bad mailbox or domain suppresses (RFC 3463 X.1.x);
		 * policy refusals (X.7.x) never do. */
		res->suppress = strncmp(r->enhanced, "5.1.", 4) == 0;
		break;
	default:
		res->outcome = DELIVERY_DEFERRED;
		break;
	}
}

/* Reports one job once. */
static void
finish(struct conn *c, struct job *j, const struct reply *r,
    enum delivery_outcome outcome, const char *text)
{
	struct delivery_result	 res;

	if (j->finished)
		return;
	j->finished = true;
	conn_result(c, r, outcome, text, &res);
	c->env->ops->done(c->env->owner, c, j, &res, r);
}

/* Ends the transaction and frees its jobs (malloc'd by the engine, which
 * never keeps a pointer to one after done). Every job is finished by now;
 * one that is not gets DEFERRED so nothing is lost silently. */
static void
tx_clear(struct conn *c)
{
	struct job	*j, *next;

	for (j = c->jobs; j != NULL; j = next) {
		next = j->next;
		finish(c, j, NULL, DELIVERY_DEFERRED, "transaction abandoned");
		free(j);
	}
	c->jobs = c->send_cur = c->reply_cur = NULL;
	c->njobs = c->naccepted = 0;
	c->body = NULL;
	c->body_len = c->body_off = 0;
	c->step_sent = c->step_reply = c->nsteps = 0;
	c->mail_failed = c->tx_rset = c->tx_data = false;
}

/* Defers every job of list not finished yet; frees them when told. */
static void
defer_list(struct conn *c, struct job *list, const struct reply *r,
    const char *why, bool release)
{
	struct job	*j, *next;

	for (j = list; j != NULL; j = next) {
		next = j->next;
		finish(c, j, r, DELIVERY_DEFERRED, why);
		if (release)
			free(j);
	}
}

/* Fails every job still open in the transaction. */
static void
tx_fail_all(struct conn *c, const struct reply *r, const char *why)
{
	defer_list(c, c->jobs, r, why, false);
	tx_clear(c);
}

static void
conn_close(struct conn *c, const struct reply *last, const char *why)
{
	bool	 was = c->established;

	if (c->st == CONN_ST_CLOSED)
		return;
	tx_fail_all(c, last != NULL && last->code / 100 == 4 ? last : NULL,
	    last != NULL && last->code / 100 == 4 ? NULL : why);
	chain_fail(c, last != NULL && last->code / 100 == 4 ? last : NULL,
	    last != NULL && last->code / 100 == 4 ? NULL : why);
	ev_io_del(c->env->ev, &c->io);
	set_state(c, CONN_ST_CLOSED);
	if (c->tls != NULL) {
		tls_free(c->tls);
		c->tls = NULL;
	}
	if (c->fd != -1) {
		close(c->fd);
		c->fd = -1;
	}
	sbuf_free(&c->out);
	c->out_off = 0;
	c->env->ops->closed(c->env->owner, c, was, last, why);
}

void
conn_abort(struct conn *c, const char *why)
{
	conn_close(c, NULL, why);
}

static void
put_cmd(struct conn *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
put_cmd(struct conn *c, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	sbuf_vprintf(&c->out, fmt, ap);
	va_end(ap);
}

void
conn_quit(struct conn *c)
{
	if (c->st == CONN_ST_CLOSED || c->st == CONN_ST_QUIT)
		return;
	if (c->st != CONN_ST_READY) {
		conn_close(c, NULL, "closed by the engine");
		return;
	}
	put_cmd(c, "QUIT\r\n");
	set_state(c, CONN_ST_QUIT);
	conn_flush(c);
}

static void
send_ehlo(struct conn *c)
{
	c->ext = 0;
	c->size_max = 0;
	put_cmd(c, "EHLO %s\r\n", c->env->helo);
	set_state(c, CONN_ST_EHLO);
	conn_flush(c);
}

/* One EHLO line keyword (RFC 5321 §4.1.1.1; RFC 2920, 1870, 6152, 3207). */
static void
ehlo_line(struct conn *c, const char *line, size_t n)
{
	char		 kw[32], *end;
	size_t		 k = 0;
	unsigned long long v;

	if (n < 5 || strncmp(line, "250", 3) != 0)
		return;
	line += 4;
	n -= 4;
	while (k < n && k < sizeof(kw) - 1 && line[k] != ' ' &&
	    line[k] != '\r') {
		kw[k] = line[k];
		k++;
	}
	kw[k] = '\0';
	if (strcasecmp(kw, "PIPELINING") == 0)
		c->ext |= CONN_EXT_PIPELINING;
	else if (strcasecmp(kw, "8BITMIME") == 0)
		c->ext |= CONN_EXT_8BITMIME;
	else if (strcasecmp(kw, "STARTTLS") == 0)
		c->ext |= CONN_EXT_STARTTLS;
	else if (strcasecmp(kw, "SIZE") == 0) {
		char	 num[24];
		size_t	 m = 0;

		c->ext |= CONN_EXT_SIZE;
		k++;
		while (k < n && m < sizeof(num) - 1 && line[k] >= '0' &&
		    line[k] <= '9')
			num[m++] = line[k++];
		num[m] = '\0';
		v = m > 0 ? strtoull(num, &end, 10) : 0;
		c->size_max = v;
	}
}

static void
become_ready(struct conn *c)
{
	if (!c->established) {
		c->established = true;
	}
	set_state(c, CONN_ST_READY);
	/* Idle with a big buffer (after a body): give the memory back. A
	 * busy connection keeps it from one message to the next. */
	if (c->out_off == c->out.len && c->out.cap > 4096) {
		sbuf_free(&c->out);
		c->out_off = 0;
	}
	want(c);
	c->env->ops->ready(c->env->owner, c);
}

/* Whether any byte of p[0..n) has the high bit set, a word at a time. */
static bool
has_8bit(const char *p, size_t n)
{
	size_t	 i = 0;

	for (; i + 32 <= n; i += 32)
		if (((swar_load(p + i) | swar_load(p + i + 8) |
		    swar_load(p + i + 16) | swar_load(p + i + 24)) &
		    SWAR_HIGH) != 0)
			return true;
	for (; i < n; i++)
		if ((unsigned char)p[i] >= 0x80)
			return true;
	return false;
}

/* MAIL FROM for message d, with SIZE and BODY when the server has them. */
static void
put_mail(struct conn *c, const struct delivery *d)
{
	put_cmd(c, "MAIL FROM:<%s>", d->mail_from);
	if (c->ext & CONN_EXT_SIZE)
		put_cmd(c, " SIZE=%zu", d->msg_len);
	if ((c->ext & CONN_EXT_8BITMIME) && !d->seven_bit &&
	    has_8bit(d->msg, d->msg_len))
		put_cmd(c, " BODY=8BITMIME");
	put_cmd(c, "\r\n");
}

/* The command of step i of the transaction. */
static void
put_step(struct conn *c, unsigned i)
{
	if (c->tx_rset) {
		if (i == 0) {
			put_cmd(c, "RSET\r\n");
			return;
		}
		i--;
	}
	if (i == 0) {
		put_mail(c, c->jobs->d);
		return;
	}
	if (c->send_cur == NULL) {
		/* RFC 2920 §3.1: DATA may end a pipelined group. */
		put_cmd(c, "DATA\r\n");
		return;
	}
	put_cmd(c, "RCPT TO:<%s>\r\n", c->send_cur->d->rcpt);
	c->send_cur = c->send_cur->next;
}

static void
send_steps(struct conn *c)
{
	/* RFC 2920 §3.1: RSET, MAIL and RCPT may all go in one group. */
	do {
		put_step(c, c->step_sent++);
	} while ((c->ext & CONN_EXT_PIPELINING) && c->step_sent < c->nsteps);
	conn_flush(c);
}

static void
ready_later(void *arg)
{
	struct conn	*c = arg;

	if (c->st == CONN_ST_READY && c->jobs == NULL)
		c->env->ops->ready(c->env->owner, c);
}

void
conn_send(struct conn *c, struct job *jobs, size_t n)
{
	struct reply	 r;

	if (c->st != CONN_ST_READY || n == 0)
		return;
	c->jobs = jobs;
	c->njobs = n;
	c->send_cur = c->reply_cur = jobs;
	/* RFC 1870 §6: refuse locally what the server said it won't take. */
	if ((c->ext & CONN_EXT_SIZE) && c->size_max > 0 &&
	    jobs->d->msg_len > c->size_max) {
		reply_init(&r);
		r.code = 552;
		snprintf(r.enhanced, sizeof(r.enhanced), "5.3.4");
		r.textlen = (size_t)snprintf(r.text, sizeof(r.text),
		    "5.3.4 message size %zu exceeds the server's limit %llu",
		    jobs->d->msg_len, (unsigned long long)c->size_max);
		tx_fail_all(c, &r, NULL);
		/* Ask for more work after this iteration, not from inside
		 * the engine's call: a run of oversized messages must not
		 * recurse. */
		if (ev_defer(c->env->ev, ready_later, c) == -1)
			c->env->ops->ready(c->env->owner, c);
		return;
	}
	c->tx_rset = c->need_rset ||
	    (c->msgs > 0 && (c->ext & CONN_EXT_PIPELINING));
	c->need_rset = false;
	c->tx_data = (c->ext & CONN_EXT_PIPELINING) != 0;
	c->nsteps = (unsigned)n + 1 + (c->tx_rset ? 1 : 0) +
	    (c->tx_data ? 1 : 0);
	c->step_sent = c->step_reply = 0;
	set_state(c, CONN_ST_TX);
	send_steps(c);
}

/* A reply that ends the session (421) or a transaction-level failure. */
static void
tx_done(struct conn *c)
{
	tx_clear(c);
	if (c->closing_421) {
		conn_close(c, NULL, "server closing (421)");
		return;
	}
	become_ready(c);
}

static void	 accepted_finish(struct conn *, const struct reply *,
		    enum delivery_outcome);

/* The reply to DATA, sent alone or at the end of a pipelined group. */
static void
data_reply(struct conn *c, const struct reply *r)
{
	if (r->code == 354 && (c->naccepted == 0 || c->mail_failed)) {
		/* Nobody to send to, yet the server wants data: end an
		 * empty message; the transaction is reset after it. */
		put_cmd(c, ".\r\n");
		c->body = NULL;
		c->body_len = c->body_off = 0;
		c->body_done = true;
		c->need_rset = true;
		set_state(c, CONN_ST_BODY);
		arm(c, c->env->t_dataend);
		conn_flush(c);
		return;
	}
	if (r->code != 354) {
		if (!c->mail_failed)
			accepted_finish(c, r, DELIVERY_DEFERRED);
		c->need_rset = true;
		tx_done(c);
		return;
	}
	c->body = c->jobs->d->msg;
	c->body_len = c->jobs->d->msg_len;
	c->body_off = 0;
	c->bol = true;
	c->body_done = false;
	set_state(c, CONN_ST_BODY);
	conn_flush(c);
}

static void
tx_reply(struct conn *c, const struct reply *r)
{
	unsigned	 i = c->step_reply++;
	struct job	*j;

	if (c->tx_rset) {
		if (i == 0)
			goto next;	/* RSET: the outcome does not matter */
		i--;
	}
	if (c->tx_data && i == c->njobs + 1) {
		data_reply(c, r);
		return;
	}
	if (i == 0) {
		if (r->code / 100 != 2) {
			struct job	*k, *nx;

			c->mail_failed = true;
			c->need_rset = true;
			for (k = c->jobs; k != NULL; k = nx) {
				nx = k->next;
				finish(c, k, r, DELIVERY_DEFERRED, NULL);
			}
		}
		goto next;
	}
	j = c->reply_cur;
	if (j == NULL)
		goto next;
	c->reply_cur = j->next;
	if (c->mail_failed)
		goto next;
	if (r->code / 100 == 2) {
		j->rcpt_ok = true;
		c->naccepted++;
	} else
		finish(c, j, r, DELIVERY_DEFERRED, NULL);
next:
	if (c->mail_failed && !c->tx_data) {
		c->need_rset = true;
		tx_done(c);
		return;
	}
	if (c->step_reply < c->nsteps) {
		if (c->step_sent == c->step_reply)
			send_steps(c);
		return;
	}
	if (c->naccepted == 0 || c->mail_failed) {
		c->need_rset = true;
		tx_done(c);
		return;
	}
	put_cmd(c, "DATA\r\n");
	set_state(c, CONN_ST_DATA);
	conn_flush(c);
}

/* Finishes every accepted recipient with the same reply. */
static void
accepted_finish(struct conn *c, const struct reply *r,
    enum delivery_outcome ok)
{
	struct job	*j, *next;

	for (j = c->jobs; j != NULL; j = next) {
		next = j->next;
		if (j->rcpt_ok)
			finish(c, j, r, ok, NULL);
	}
}

/* Whether message d is over the SIZE the server announced (RFC 1870). */
static bool
over_size(const struct conn *c, const struct delivery *d)
{
	return (c->ext & CONN_EXT_SIZE) && c->size_max > 0 &&
	    d->msg_len > c->size_max;
}

/*
 * RFC 2920 §3.1: message content may be the first part of a pipelined
 * group. Right behind a message's end of data goes the next transaction
 * (RSET, MAIL, RCPT..., DATA), so a connection that has work waits for
 * one round trip per message instead of two. Its replies follow the one
 * to the end of data, in order; chain_adopt() makes it the transaction.
 */
static void
chain_next(struct conn *c)
{
	struct job	*j;

	if (!(c->ext & CONN_EXT_PIPELINING) || c->env->ops->more == NULL ||
	    c->chain != NULL || c->closing_421 || c->need_rset)
		return;
	c->chain = c->env->ops->more(c->env->owner, c, &c->nchain);
	if (c->chain == NULL)
		return;
	/* Refused locally by conn_send() once this transaction is over. */
	c->chain_sent = !over_size(c, c->chain->d);
	if (!c->chain_sent)
		return;
	put_cmd(c, "RSET\r\n");
	put_mail(c, c->chain->d);
	for (j = c->chain; j != NULL; j = j->next)
		put_cmd(c, "RCPT TO:<%s>\r\n", j->d->rcpt);
	put_cmd(c, "DATA\r\n");
}

/* Fails and frees the chained transaction (the connection is ending). */
static void
chain_fail(struct conn *c, const struct reply *r, const char *why)
{
	defer_list(c, c->chain, r, why, true);
	c->chain = NULL;
	c->nchain = 0;
	c->chain_sent = false;
}

/* The end of data was answered: the chained transaction becomes the
 * current one, its commands already sent and their replies next. */
static void
chain_adopt(struct conn *c)
{
	struct job	*jobs = c->chain;
	size_t		 n = c->nchain;

	c->chain = NULL;
	c->nchain = 0;
	if (!c->chain_sent) {
		set_state(c, CONN_ST_READY);
		conn_send(c, jobs, n);
		return;
	}
	c->chain_sent = false;
	c->jobs = jobs;
	c->njobs = n;
	c->send_cur = NULL;
	c->reply_cur = jobs;
	c->tx_rset = c->tx_data = true;
	c->need_rset = false;
	c->nsteps = (unsigned)n + 3;
	c->step_sent = c->nsteps;
	c->step_reply = 0;
	set_state(c, CONN_ST_TX);
	want(c);
}

/*
 * The first "." in [p, end) that begins a line, the byte before it being
 * "\n" (p itself is the caller's to judge); NULL when none. Eight bytes
 * at a time: a flag for each "\n" moved onto the byte after it, and on
 * the first byte of the next word for the last one.
 */
static const char *
dotted_line(const char *p, const char *end)
{
	const char	*q = p;
	uint64_t	 w, nl, hit, carry = 0;

	for (; end - q >= 8; q += 8) {
		w = swar_load(q);
		nl = swar_eq(w, '\n');
		hit = swar_eq(w, '.') & (swar_next(nl) | carry);
		if (hit != 0)
			return q + swar_index(hit);
		carry = swar_last(nl) ? SWAR_FIRST : 0;
	}
	for (; q < end; q++)
		if (*q == '.' && q > p && q[-1] == '\n')
			return q;
	return NULL;
}

/*
 * RFC 5321 §4.5.2: a line starting with "." gets one more. The body goes
 * out in runs that end before the next such line (or at the chunk's end,
 * maybe mid-line): one scan and one copy for a message without them, not
 * a search and a copy per line.
 */
static void
body_fill(struct conn *c)
{
	const char	*p = c->body + c->body_off;
	const char	*end = c->body + c->body_len;
	const char	*lim, *dot, *stop;

	while (p < end && c->out.len < CONN_BODY_CHUNK) {
		if (c->bol && *p == '.')
			sbuf_putc(&c->out, '.');
		lim = p + (CONN_BODY_CHUNK - c->out.len);
		if (lim > end || lim <= p)
			lim = end;
		dot = dotted_line(p, lim);
		stop = dot != NULL ? dot : lim;
		sbuf_put(&c->out, p, (size_t)(stop - p));
		c->bol = stop[-1] == '\n';
		p = stop;
	}
	c->body_off = (size_t)(p - c->body);
	if (p == end && !c->body_done) {
		if (!c->bol)
			sbuf_put(&c->out, "\r\n", 2);
		sbuf_put(&c->out, ".\r\n", 3);
		c->body_done = true;
		chain_next(c);
	}
}

static void
on_reply(struct conn *c)
{
	struct reply	*r = &c->reply;
	struct err	 e;

	if (r->code == 421)
		c->closing_421 = true;
	switch (c->st) {
	case CONN_ST_GREETING:
		if (r->code != 220) {
			conn_close(c, r, "refused at greeting");
			return;
		}
		send_ehlo(c);
		return;
	case CONN_ST_EHLO:
		if (r->code == 250)
			break;
		if (r->code == 421 || r->code / 100 == 4) {
			conn_close(c, r, "EHLO refused");
			return;
		}
		/* RFC 5321 §4.1.4: fall back to HELO. */
		c->ext = 0;
		put_cmd(c, "HELO %s\r\n", c->env->helo);
		set_state(c, CONN_ST_HELO);
		conn_flush(c);
		return;
	case CONN_ST_HELO:
		if (r->code != 250) {
			conn_close(c, r, "HELO refused");
			return;
		}
		if (c->tls_policy >= ENGINE_TLS_REQUIRED) {
			conn_close(c, NULL, "TLS required but no EHLO");
			return;
		}
		become_ready(c);
		return;
	case CONN_ST_STARTTLS:
		if (r->code != 220) {
			if (c->tls_policy >= ENGINE_TLS_REQUIRED) {
				conn_close(c, r, "STARTTLS refused");
				return;
			}
			/* Opportunistic: go on in plaintext. */
			c->ext &= ~(unsigned)CONN_EXT_STARTTLS;
			c->tls_done = true;	/* do not try again */
			become_ready(c);
			return;
		}
		c->tls = tls_new(c->env->tls, c->fd, c->mx,
		    c->tls_policy == ENGINE_TLS_VERIFY, &e);
		if (c->tls == NULL) {
			conn_close(c, NULL, e.msg);
			return;
		}
		/* RFC 3207 §6: nothing read before the handshake counts. */
		c->rlen = 0;
		set_state(c, CONN_ST_TLS);
		return;
	case CONN_ST_TX:
		tx_reply(c, r);
		return;
	case CONN_ST_DATA:
		data_reply(c, r);
		return;
	case CONN_ST_BODY:
		if (!c->body_done) {
			/* RFC 5321 §4.5.3.2.6 does not allow it; the server
			 * gave up on the data. */
			accepted_finish(c, r, DELIVERY_DEFERRED);
			tx_clear(c);
			conn_close(c, NULL, "reply before end of data");
			return;
		}
		accepted_finish(c, r, DELIVERY_SENT);
		c->msgs++;
		if (c->chain != NULL && !c->closing_421) {
			tx_clear(c);
			chain_adopt(c);
			return;
		}
		tx_done(c);
		return;
	case CONN_ST_QUIT:
		conn_close(c, NULL, "QUIT");
		return;
	default:
		/* Unsolicited (idle timeout notice, 421): end it. */
		conn_close(c, r, "unexpected reply");
		return;
	}
	/* EHLO accepted: STARTTLS when offered and allowed (RFC 3207). */
	if (c->closing_421) {
		conn_close(c, r, "server closing (421)");
		return;
	}
	if (!c->tls_done && c->tls_policy != ENGINE_TLS_NONE &&
	    (c->ext & CONN_EXT_STARTTLS)) {
		put_cmd(c, "STARTTLS\r\n");
		set_state(c, CONN_ST_STARTTLS);
		conn_flush(c);
		return;
	}
	if (!c->tls_done && c->tls_policy >= ENGINE_TLS_REQUIRED) {
		conn_close(c, NULL, "TLS required but STARTTLS not offered");
		return;
	}
	become_ready(c);
}

static void
fail_io(struct conn *c, const char *what)
{
	char	 why[128];

	snprintf(why, sizeof(why), "%s during %s", what,
	    conn_state_names[c->st]);
	conn_close(c, NULL, why);
}

/* Reads what is there and feeds complete lines to the reply parser. */
static void
conn_read(struct conn *c)
{
	struct err	 e;
	size_t		 got, off, len, room;
	ssize_t		 n;
	char		*nl;
	int		 rc;
	bool		 drained = false;

	for (;;) {
		if (drained)
			return;
		if (c->rlen == sizeof(c->rbuf)) {
			conn_close(c, NULL, "bad reply: line too long");
			return;
		}
		if (c->tls != NULL) {
			switch (tls_read(c->tls, c->rbuf + c->rlen,
			    sizeof(c->rbuf) - c->rlen, &got)) {
			case TLS_IO_OK:
				break;
			case TLS_IO_WANT_READ:
				return;
			case TLS_IO_WANT_WRITE:
				(void)ev_io_want(c->env->ev, &c->io,
				    EV_READ | EV_WRITE);
				return;
			case TLS_IO_EOF:
				fail_io(c, "connection closed");
				return;
			default:
				fail_io(c, "TLS error");
				return;
			}
		} else {
			room = sizeof(c->rbuf) - c->rlen;
			n = recv(c->fd, c->rbuf + c->rlen, room, 0);
			if (n == -1 && (errno == EAGAIN || errno == EINTR))
				return;
			if (n == -1) {
				fail_io(c, strerror(errno));
				return;
			}
			if (n == 0) {
				fail_io(c, "connection closed");
				return;
			}
			got = (size_t)n;
			/* A short read took all there was: the socket is
			 * polled level-triggered, so more wakes us again;
			 * no recv just to be told EAGAIN. */
			drained = got < room;
		}
		c->rlen += got;
		off = 0;
		while (off < c->rlen &&
		    (nl = memchr(c->rbuf + off, '\n', c->rlen - off)) != NULL) {
			enum conn_state	 before = c->st;
			char		 why[ERR_MSG_MAX + 16];

			len = (size_t)(nl - (c->rbuf + off));
			if (c->st == CONN_ST_EHLO)
				ehlo_line(c, c->rbuf + off, len);
			rc = reply_line(&c->reply, c->rbuf + off, len, &e);
			off += len + 1;
			if (rc == -1) {
				snprintf(why, sizeof(why), "bad reply: %s",
				    e.msg);
				conn_close(c, NULL, why);
				return;
			}
			if (rc == 0)
				continue;
			on_reply(c);
			reply_init(&c->reply);
			if (c->st == CONN_ST_CLOSED)
				return;
			if (c->st == CONN_ST_TLS && before != CONN_ST_TLS) {
				c->rlen = 0;
				conn_flush(c);	/* starts the handshake */
				return;
			}
		}
		memmove(c->rbuf, c->rbuf + off, c->rlen - off);
		c->rlen -= off;
	}
}

static void
handshake(struct conn *c)
{
	struct err	 e;

	switch (tls_handshake(c->tls, &e)) {
	case TLS_IO_OK:
		c->tls_done = true;
		/* RFC 3207 §4.2: forget what we knew, ask again. */
		send_ehlo(c);
		return;
	case TLS_IO_WANT_READ:
		(void)ev_io_want(c->env->ev, &c->io, EV_READ);
		return;
	case TLS_IO_WANT_WRITE:
		(void)ev_io_want(c->env->ev, &c->io, EV_READ | EV_WRITE);
		return;
	default:
		c->tls_failed = true;
		conn_close(c, NULL, e.msg);
		return;
	}
}

static void
conn_flush(struct conn *c)
{
	size_t	 done;
	ssize_t	 n;

	if (c->st == CONN_ST_TLS) {
		handshake(c);
		return;
	}
	if (sbuf_failed(&c->out)) {
		conn_close(c, NULL, "out of memory for output");
		return;
	}
	for (;;) {
		if (c->out_off == c->out.len) {
			sbuf_reset(&c->out);
			c->out_off = 0;
			if (c->st != CONN_ST_BODY || c->body_done)
				break;
			body_fill(c);
			if (sbuf_failed(&c->out)) {
				conn_close(c, NULL, "out of memory for data");
				return;
			}
			if (c->body_done)
				arm(c, c->env->t_dataend);
			else
				arm(c, c->env->t_block);
			continue;
		}
		if (c->tls != NULL) {
			switch (tls_write(c->tls, c->out.p + c->out_off,
			    c->out.len - c->out_off, &done)) {
			case TLS_IO_OK:
				break;
			case TLS_IO_WANT_READ:
			case TLS_IO_WANT_WRITE:
				goto blocked;
			default:
				fail_io(c, "TLS write error");
				return;
			}
		} else {
			n = send(c->fd, c->out.p + c->out_off,
			    c->out.len - c->out_off, MSG_NOSIGNAL);
			if (n == -1 && (errno == EAGAIN || errno == EINTR))
				goto blocked;
			if (n == -1) {
				fail_io(c, strerror(errno));
				return;
			}
			done = (size_t)n;
		}
		c->out_off += done;
	}
blocked:
	want(c);
}

static void
connected(struct conn *c)
{
	int		 soerr = 0;
	socklen_t	 sl = sizeof(soerr);
	char		 why[128];

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == -1)
		soerr = errno;
	if (soerr != 0) {
		snprintf(why, sizeof(why), "connect to %s: %s", c->mx,
		    strerror(soerr));
		conn_close(c, NULL, why);
		return;
	}
	set_state(c, CONN_ST_GREETING);
	want(c);
}

static void
conn_io(struct ev_io *io, unsigned got, void *arg)
{
	struct conn	*c = arg;

	(void)io;
	if (c->st == CONN_ST_CONNECT) {
		if (got & (EV_WRITE | EV_READ))
			connected(c);
		return;
	}
	if (c->st == CONN_ST_TLS) {
		handshake(c);
		return;
	}
	if ((got & EV_WRITE) && c->st != CONN_ST_CLOSED)
		conn_flush(c);
	if ((got & EV_READ) && c->st != CONN_ST_CLOSED)
		conn_read(c);
	/* TLS may hold decrypted bytes the socket no longer signals. */
	if (c->st != CONN_ST_CLOSED && c->st != CONN_ST_TLS && c->tls != NULL &&
	    c->out_off < c->out.len)
		conn_flush(c);
}
