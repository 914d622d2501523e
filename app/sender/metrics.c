/*
 * metrics.c - Prometheus text format for the engine counters (see
 * metrics.h). Names follow the Prometheus naming guide: tegami_sender_*,
 * counters end in _total.
 */
#include "../core/sbuf.h"
#include "metrics.h"

static const struct {
	const char	*name;
	const char	*type;
	const char	*help;
} metric_info[METRIC__MAX] = {
	{ "tegami_sender_submitted_total", "counter",
	  "Deliveries handed to the SMTP engine." },
	{ "tegami_sender_sent_total", "counter",
	  "Deliveries accepted by the receiving server (250 after DATA)." },
	{ "tegami_sender_deferred_total", "counter",
	  "Deliveries failed temporarily (4xx, network, timeout)." },
	{ "tegami_sender_bounced_total", "counter",
	  "Deliveries failed permanently (5xx, null MX, no domain)." },
	{ "tegami_sender_suppress_total", "counter",
	  "Hard bounces (5.1.x) that suppress the recipient." },
	{ "tegami_sender_connections_opened_total", "counter",
	  "SMTP connections attempted." },
	{ "tegami_sender_connections_failed_total", "counter",
	  "SMTP connections that never reached a usable session." },
	{ "tegami_sender_tls_total", "counter",
	  "SMTP sessions upgraded with STARTTLS." },
	{ "tegami_sender_dns_failed_total", "counter",
	  "MX or address lookups that failed." },
	{ "tegami_sender_shaping_total", "counter",
	  "Shaping rules applied to a destination or campaign." },
	{ "tegami_sender_policy_alerts_total", "counter",
	  "Policy refusals (4.7.x, 5.7.x) seen." },
	{ "tegami_sender_connections_open", "gauge",
	  "SMTP connections open now." },
	{ "tegami_sender_inflight", "gauge",
	  "Deliveries submitted and not yet reported." },
	{ "tegami_sender_destinations", "gauge",
	  "Destinations (domains, smarthost) the engine tracks." },
};

void
metrics_add(struct metrics *m, enum metric k, int64_t delta)
{
	atomic_fetch_add_explicit(&m->v[k], delta, memory_order_relaxed);
}

int64_t
metrics_get(struct metrics *m, enum metric k)
{
	return atomic_load_explicit(&m->v[k], memory_order_relaxed);
}

void
metrics_format(struct metrics *m, struct sbuf *b)
{
	int	 i;

	for (i = 0; i < METRIC__MAX; i++)
		sbuf_printf(b, "# HELP %s %s\n# TYPE %s %s\n%s %lld\n",
		    metric_info[i].name, metric_info[i].help,
		    metric_info[i].name, metric_info[i].type,
		    metric_info[i].name, (long long)metrics_get(m,
		    (enum metric)i));
}
