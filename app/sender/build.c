/*
 * build.c - builder threads: render, MIME, DKIM per recipient (see
 * build.h). DKIM is the last step (RFC 6376 §5: the signer sees the
 * message exactly as it leaves).
 *
 * Merge fields come from the database and were made by users: they are
 * parsed strictly and only ever reach templates as values, never as
 * template text; header values with CR/LF are refused by mime_build.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/arena.h"
#include "../core/num.h"
#include "../core/err.h"
#include "../core/log.h"
#include "../core/sbuf.h"
#include "../core/str.h"
#include "../mail/mime.h"
#include "../view/view.h"
#include "build.h"
#include "claim.h"
#include "engine.h"
#include "signer.h"

struct builder {
	struct build_cfg	 c;
	pthread_t		 th[BUILD_THREADS_MAX];
	int			 n;
	atomic_bool		 stop;
};

/* Decodes s[0..n) into a new arena string; NULL on a bad escape. */
static char *
urldecode(struct arena *a, const char *s, size_t n)
{
	char	*d, *o;
	size_t	 i;

	if ((d = arena_alloc(a, n + 1)) == NULL)
		return NULL;
	for (i = 0, o = d; i < n; i++) {
		if (s[i] == '+')
			*o++ = ' ';
		else if (s[i] == '%') {
			int	 h, l;

			if (i + 2 >= n || (h = num_hexval(s[i + 1])) < 0 ||
			    (l = num_hexval(s[i + 2])) < 0)
				return NULL;
			*o++ = (char)(h * 16 + l);
			i += 2;
		} else
			*o++ = s[i];
	}
	*o = '\0';
	/* A NUL inside a value would truncate it silently: refuse. */
	if ((size_t)(o - d) != strlen(d))
		return NULL;
	return d;
}

int
build_merge_parse(const char *s, struct arena *a,
    void (*fn)(void *, const char *, const char *), void *arg)
{
	const char	*p = s, *amp, *eq;
	int		 count = 0;

	if (s == NULL || *s == '\0')
		return 0;
	for (;;) {
		char	*name, *val;
		size_t	 len, i;

		amp = strchr(p, '&');
		len = amp ? (size_t)(amp - p) : strlen(p);
		eq = memchr(p, '=', len);
		if (len == 0)
			goto next;	/* "a=1&&b=2": empty pair ignored */
		if (eq == NULL || eq == p ||
		    (size_t)(eq - p) > BUILD_MERGE_NAME_MAX)
			return -1;
		for (i = 0; p + i < eq; i++)
			if (!((p[i] >= 'a' && p[i] <= 'z') ||
			    (p[i] >= 'A' && p[i] <= 'Z') ||
			    (p[i] >= '0' && p[i] <= '9') || p[i] == '_'))
				return -1;
		if (++count > BUILD_MERGE_MAX)
			return -1;
		if ((name = arena_strndup(a, p, (size_t)(eq - p))) == NULL ||
		    (val = urldecode(a, eq + 1, len - (size_t)(eq - p) - 1)) ==
		    NULL)
			return -1;
		fn(arg, name, val);
next:
		if (amp == NULL)
			break;
		p = amp + 1;
	}
	return 0;
}

void
build_message_id(char *out, size_t outsz, unsigned long long id,
    const char *token, const char *domain)
{
	snprintf(out, outsz, "<%llu.%s@%s>", id, token, domain);
}

static void
merge_set(void *arg, const char *name, const char *value)
{
	view_set(arg, name, value);
}

static int
render(const char *key, struct view_dict *d, struct arena *a,
    struct str *out, struct err *e)
{
	struct sbuf	 b;

	sbuf_init(&b, a, BUILD_MSG_MAX);
	if (view_mail_render(key, d, &b, e) == -1)
		return -1;
	if (sbuf_failed(&b))
		return err_set(e, ERR_TOO_LARGE, "rendered text too large");
	*out = sbuf_str(&b);
	return 0;
}

int
build_message(struct claim_job *j, struct signer *sg, struct err *e)
{
	struct claim_payload	*pl = j->pl;
	struct view_dict	*d;
	struct mime_msg		 m;
	struct sbuf		 body, msg;
	char			 msgid[MIME_MSGID_MAX];
	size_t			 nsig = 0, want;

	if (pl == NULL)
		return err_set(e, ERR_ENV, "no payload");
	if (pl->bad != NULL)
		return err_set(e, ERR_INPUT, "template: %s", pl->bad);
	if ((d = view_dict_new(j->a)) == NULL)
		return err_set(e, ERR_ENV, "out of memory");
	/* The address itself is always available to templates. */
	view_set(d, "email", j->row.rcpt);
	if (build_merge_parse(j->row.merge, j->a, merge_set, d) == -1)
		return err_set(e, ERR_INPUT, "malformed merge fields");
	memset(&m, 0, sizeof(m));
	if (pl->literal) {
		m.subject = str_from(pl->p.subject_tpl);
		if (pl->has_text)
			m.text = str_from(pl->p.text_tpl);
		if (pl->has_html)
			m.html = str_from(pl->p.html_tpl);
	} else if (render(pl->key_subject, d, j->a, &m.subject, e) == -1 ||
	    (pl->has_text && render(pl->key_text, d, j->a, &m.text, e) ==
	    -1) || (pl->has_html && render(pl->key_html, d, j->a, &m.html,
	    e) == -1))
		return -1;
	m.from_name = str_from(pl->p.from_name);
	m.from_addr = str_from(pl->p.mail_from);
	m.to_addr = str_from(j->row.rcpt);
	m.reply_to = str_from(pl->p.reply_to);
	build_message_id(msgid, sizeof(msgid), (unsigned long long)j->row.id,
	    pl->p.token, pl->from_domain);
	m.message_id = str_from(msgid);
	m.charset = MIME_CS_UTF8;
	/* Room for a typical message at once, not a doubling per 2^n (a
	 * reserve over the limit would mark the buffer failed). */
	sbuf_init(&body, j->a, BUILD_MSG_MAX);
	want = 4 * (m.text.n + m.html.n) / 3 + 1024;
	sbuf_reserve(&body, want < BUILD_MSG_MAX / 2 ? want : 0);
	if (mime_build(&m, &body, NULL, e) == -1)
		return -1;
	/* DKIM last: signatures go in front of the finished message. */
	sbuf_init(&msg, j->a, BUILD_MSG_MAX);
	sbuf_reserve(&msg, body.len < BUILD_MSG_MAX / 2 ? body.len + 1536 : 0);
	if (signer_sign(sg, pl->from_domain, body.p, body.len, &msg, &nsig,
	    e) == -1)
		return -1;
	if (nsig == 0)
		return err_set(e, ERR_INPUT, "no DKIM key for %s",
		    pl->from_domain);
	sbuf_put(&msg, body.p, body.len);
	if (sbuf_failed(&msg))
		return err_set(e, ERR_TOO_LARGE, "message too large");
	j->d.mail_from = pl->p.mail_from;
	j->d.rcpt = j->row.rcpt;
	j->d.domain = j->row.rcpt_domain;
	j->d.campaign = "";
	if (j->row.campaign_id != 0)
		j->d.campaign = arena_printf(j->a, "%llu",
		    (unsigned long long)j->row.campaign_id);
	if (j->d.campaign == NULL)
		return err_set(e, ERR_ENV, "out of memory");
	j->d.msg = msg.p;
	j->d.msg_len = msg.len;
	/* mime_build writes 7bit, quoted-printable or base64 bodies and
	 * RFC 2047 headers (mime_test checks), signatures are ASCII: the
	 * engine need not look for 8-bit bytes (BODY=8BITMIME). */
	j->d.seven_bit = true;
	return 0;
}

static void
release(struct builder *b, struct claim_job *j, enum queue_fate f,
    const char *why)
{
	j->decided = true;
	j->local = f;
	snprintf(j->why, sizeof(j->why), "%.250s", why);
	claim_q_push(b->c.out, j);
}

/*
 * Hands n built messages to the engine at once: one lock and at most one
 * wake of its loop, and a backlog its connections chain behind each end
 * of data. One at a time, every RSA message woke the loop on its own,
 * taking a core from the other builder twice per message.
 */
static void
hand_over(struct builder *b, struct claim_job **held, size_t n)
{
	struct delivery	*dv[BUILD_SUBMIT_MAX] = { NULL };
	size_t		 i, taken;

	for (i = 0; i < n; i++)
		dv[i] = &held[i]->d;
	taken = engine_submit_many(b->c.engine, dv, n);
	for (i = taken; i < n; i++)
		release(b, held[i], QUEUE_RELEASED, "engine stopping");
}

static void *
build_main(void *arg)
{
	struct builder		*b = arg;
	struct claim_job	*j, *held[BUILD_SUBMIT_MAX];
	struct err		 e;
	size_t			 n = 0;

	for (;;) {
		/* Never wait for more while holding built messages. */
		if ((j = claim_q_pop(b->c.in, n > 0 ? 0 : -1)) == NULL) {
			if (n == 0)
				break;		/* closed and empty */
			hand_over(b, held, n);
			n = 0;
			continue;
		}
		if (atomic_load(&b->stop)) {
			release(b, j, QUEUE_RELEASED, "sender stopping");
			continue;
		}
		err_clear(&e);
		if (build_message(j, b->c.signer, &e) == -1) {
			log_err("queue: row %llu: cannot build: %s",
			    (unsigned long long)j->row.id, e.msg);
			/* Retried later (a key may be added, a template
			 * fixed); expires after sender.max_age. */
			release(b, j, QUEUE_DEFERRED, e.msg);
			continue;
		}
		held[n++] = j;
		if (n == BUILD_SUBMIT_MAX) {
			hand_over(b, held, n);
			n = 0;
		}
	}
	return NULL;
}

struct builder *
build_start(const struct build_cfg *c, struct err *e)
{
	struct builder	*b;
	long		 ncpu;
	int		 i;

	if ((b = calloc(1, sizeof(*b))) == NULL) {
		err_set(e, ERR_ENV, "out of memory");
		return NULL;
	}
	b->c = *c;
	atomic_init(&b->stop, false);
	if (b->c.threads <= 0) {
		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		b->c.threads = ncpu > 0 ? (int)ncpu : 1;
	}
	if (b->c.threads > BUILD_THREADS_MAX)
		b->c.threads = BUILD_THREADS_MAX;
	for (i = 0; i < b->c.threads; i++) {
		if (pthread_create(&b->th[i], NULL, build_main, b) != 0) {
			err_set(e, ERR_ENV, "cannot start builder threads");
			build_stop(b);
			free(b);
			return NULL;
		}
		pthread_setname_np(b->th[i], "tegami-build");
		b->n++;
	}
	return b;
}

void
build_stop(struct builder *b)
{
	int	 i;

	if (b == NULL)
		return;
	atomic_store(&b->stop, true);
	claim_q_close(b->c.in);
	for (i = 0; i < b->n; i++)
		pthread_join(b->th[i], NULL);
	b->n = 0;
}

void
build_free(struct builder *b)
{
	if (b == NULL)
		return;
	build_stop(b);
	free(b);
}
