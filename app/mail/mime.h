/*
 * mime.h - composing one outgoing message (RFC 5322, MIME RFC 2045-2047,
 * RFC 2046 §5.1.4 multipart/alternative, RFC 1468 ISO-2022-JP, RFC 2369 /
 * RFC 8058 List-Unsubscribe). The sender calls mime_build() per recipient
 * after rendering; DKIM comes after (dkim.h).
 */
#ifndef MAIL_MIME_H
#define MAIL_MIME_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "../core/str.h"

#define MIME_MSGID_MAX		256	/* "<...@domain>" with its NUL */
#define MIME_EXTRA_MAX		32	/* extra header fields per message */
#define MIME_BODY_MAX		(16 * 1024 * 1024) /* one body part */
#define MIME_QP_LINE		76	/* RFC 2045 §6.7 (5) */
#define MIME_B64_LINE		76	/* RFC 2045 §6.8 */
#define MIME_7BIT_LINE		78	/* longer ASCII lines go QP */

struct err;
struct sbuf;

enum mime_charset {
	MIME_CS_UTF8,		/* UTF-8 bodies, QP or base64 */
	MIME_CS_ISO2022JP,	/* RFC 1468 bodies and words */
	MIME_CS__MAX
};

enum mime_cte {
	MIME_CTE_7BIT,
	MIME_CTE_QP,
	MIME_CTE_BASE64,
	MIME_CTE__MAX
};

struct mime_header {
	struct str	 name;
	struct str	 value;		/* UTF-8; encoded-words if 8-bit */
};

/*
 * One message. Strings are views (struct str, n == 0: absent), UTF-8.
 * from_addr and to_addr are required addr-specs; the rest is optional.
 */
struct mime_msg {
	struct str	 from_name, from_addr;
	struct str	 to_name, to_addr;
	struct str	 reply_to;		/* addr-spec */
	struct str	 subject;
	struct str	 text;			/* text/plain body */
	struct str	 html;			/* text/html body */
	time_t		 date;			/* 0: now */
	struct str	 message_id;		/* reuse "<id@dom>" (retries) */
	struct str	 msgid_domain;		/* "": domain of from_addr */
	struct str	 unsub_url;		/* List-Unsubscribe https URL */
	struct str	 unsub_mailto;		/* "mailto:..." or an address */
	bool		 unsub_post;		/* RFC 8058 one-click */
	struct str	 feedback_id;
	const struct mime_header *extra;
	size_t		 nextra;
	enum mime_charset charset;
};

/*
 * Appends the whole message (header and body, CRLF line ends, no line over
 * 998 octets) to out. The Message-ID used goes to msgid (MIME_MSGID_MAX
 * bytes, may be NULL): m->message_id or a new "<random@domain>" from
 * randombytes. Fails with ERR_INPUT naming the field (header value with
 * CR/LF/NUL, bad address, invalid UTF-8, a character ISO-2022-JP cannot
 * hold, List-Unsubscribe-Post without an https URL), ERR_TOO_LARGE, or
 * ERR_ENV (out full). Thread-safe; out is usually arena-backed.
 */
int		 mime_build(const struct mime_msg *m, struct sbuf *out,
		    char *msgid, struct err *e)
		    __attribute__((warn_unused_result));

/* The transfer encoding mime_build picks for a UTF-8 body. */
enum mime_cte	 mime_choose_cte(const char *p, size_t n);
/* Body encoders: line ends of p (LF, CRLF or CR) become CRLF. */
void		 mime_put_qp(struct sbuf *out, const char *p, size_t n);
void		 mime_put_base64(struct sbuf *out, const char *p, size_t n);
void		 mime_put_7bit(struct sbuf *out, const char *p, size_t n);
/* RFC 5322 §3.3 date-time of t in UTC: "Sun, 29 Nov 2026 16:06:44 +0000". */
void		 mime_put_date(struct sbuf *out, time_t t);

#endif
