/*
 * metrics.h - the engine's counters in Prometheus text exposition format
 * (version 0.0.4): monotonically increasing counters and gauges, updated
 * with atomics so any thread may format them.
 */
#ifndef SENDER_METRICS_H
#define SENDER_METRICS_H

#include <stdatomic.h>
#include <stdint.h>

struct sbuf;

enum metric {
	METRIC_SUBMITTED,	/* counter: deliveries handed to the engine */
	METRIC_SENT,
	METRIC_DEFERRED,
	METRIC_BOUNCED,
	METRIC_SUPPRESS,	/* hard bounces asking for suppression */
	METRIC_CONN_OPENED,
	METRIC_CONN_FAILED,	/* could not reach a usable session */
	METRIC_TLS,		/* sessions upgraded by STARTTLS */
	METRIC_DNS_FAILED,
	METRIC_SHAPING,		/* shaping rules applied */
	METRIC_POLICY_ALERTS,	/* 4.7.x / 5.7.x replies */
	METRIC_CONN_OPEN,	/* gauge: open connections */
	METRIC_INFLIGHT,	/* gauge: submitted, not reported */
	METRIC_DESTS,		/* gauge: destinations known */
	METRIC__MAX
};

struct metrics {
	_Atomic int64_t	 v[METRIC__MAX];
};

void	 metrics_add(struct metrics *, enum metric, int64_t delta);
int64_t	 metrics_get(struct metrics *, enum metric);
/* Appends every metric with HELP and TYPE lines. */
void	 metrics_format(struct metrics *, struct sbuf *);

#endif
