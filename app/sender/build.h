/*
 * build.h - turns a claimed job into a finished message: renders subject,
 * text and HTML from the payload's compiled templates with the row's
 * merge fields (view bridge, ctemplate), composes MIME (mime_build) and
 * signs with DKIM last (signer.h). Runs on N builder threads and hands
 * each built message to the engine.
 */
#ifndef SENDER_BUILD_H
#define SENDER_BUILD_H

#include <stddef.h>

struct arena;
struct claim_job;
struct claim_q;
struct engine;
struct err;
struct signer;

#define BUILD_THREADS_MAX	64
#define BUILD_SUBMIT_MAX	8	/* built messages handed over at once */
#define BUILD_MERGE_MAX		64	/* merge fields per recipient */
#define BUILD_MERGE_NAME_MAX	64
#define BUILD_MSG_MAX		((size_t)40 * 1024 * 1024)

struct build_cfg {
	int		 threads;	/* 0: one per CPU */
	struct claim_q	*in;		/* jobs to build */
	struct claim_q	*out;		/* jobs decided locally (writer) */
	struct engine	*engine;
	struct signer	*signer;
};

struct builder;

/* Starts the builder threads. */
struct builder	*build_start(const struct build_cfg *, struct err *);
/* Stops: what is still waiting in the input queue is released (handed to
 * the writer as not tried) and the threads are joined. */
void		 build_stop(struct builder *);
void		 build_free(struct builder *);

/*
 * Builds one job's message into its arena: j->d gets envelope and
 * message. -1 with e set when a template, the MIME composition or the
 * signature fails. Thread-safe.
 */
int	 build_message(struct claim_job *, struct signer *, struct err *)
	    __attribute__((warn_unused_result));

/* The Message-ID of a queue row: "<id.token@domain>", stable across
 * retries (the queue writer records the same text). */
void	 build_message_id(char *out, size_t outsz, unsigned long long id,
	    const char *token, const char *domain);

/* Parses urlencoded merge fields "k=v&k2=v2" ('+' is a space, %XX an
 * octet) and calls fn with each decoded, NUL-terminated pair (copies in
 * a). -1 on a malformed escape, an empty or non-[A-Za-z0-9_] name, more
 * than BUILD_MERGE_MAX fields. */
int	 build_merge_parse(const char *s, struct arena *a,
	    void (*fn)(void *, const char *, const char *), void *arg)
	    __attribute__((warn_unused_result));

#endif
