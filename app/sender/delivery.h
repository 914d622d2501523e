/*
 * delivery.h - the seam between the queue side of tegami-sender (claim,
 * build, sign, write results) and the SMTP engine (routes, connections,
 * limits). The queue side hands the engine finished messages; the engine
 * hands back one result per recipient.
 *
 * Ownership: a struct delivery and its buffers belong to the queue side;
 * the engine keeps the pointer from engine_submit() until it has called the
 * done callback for it, and never frees it.
 */
#ifndef SENDER_DELIVERY_H
#define SENDER_DELIVERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DELIVERY_TEXT_MAX	512	/* last reply text kept */
#define DELIVERY_HOST_MAX	256

enum delivery_outcome {
	DELIVERY_SENT,		/* 250 after DATA */
	DELIVERY_DEFERRED,	/* 4xx, network, timeout: retry later */
	DELIVERY_BOUNCED,	/* 5xx or null MX: permanent */
	DELIVERY_OUTCOME__MAX
};

struct delivery {
	uint64_t	 queue_id;
	const char	*mail_from;	/* envelope sender, may be "" */
	const char	*rcpt;		/* envelope recipient */
	const char	*domain;	/* recipient domain, lower case */
	const char	*campaign;	/* shaping key, "" for transactional */
	const char	*msg;		/* whole message, CRLF lines, dot-unstuffed */
	size_t		 msg_len;
	bool		 seven_bit;	/* the queue side knows: no byte >= 0x80
					 * (false: the engine looks) */
	bool		 shared;	/* msg is other deliveries' too: the
					 * engine may bundle their recipients */
	void		*owner;		/* for the queue side */
};

struct delivery_result {
	enum delivery_outcome	 outcome;
	int			 code;		/* SMTP code, 0 if none */
	char			 enhanced[16];	/* "5.1.1", "" if none */
	char			 text[DELIVERY_TEXT_MAX]; /* escaped reply */
	char			 mx[DELIVERY_HOST_MAX];	/* host that answered */
	char			 tls[16];	/* "TLSv1.3", "" for plain */
	bool			 suppress;	/* hard bounce: 5.1.x etc. */
	int			 slow_down_s;	/* shaping asked the domain to wait */
};

/* Called on the engine's thread, once per submitted delivery. */
typedef void (*delivery_done_fn)(void *ctx, struct delivery *,
    const struct delivery_result *);

#endif
