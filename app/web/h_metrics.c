/*
 * h_metrics.c - /metrics for Prometheus (administrators, and so behind the
 * allow-list): the web app's own gauges, then whatever tegami-sender's
 * status socket answers (sender.status_socket), relayed as it comes.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../conf/config.h"
#include "../core/clock.h"
#include "../core/log.h"
#include "../core/sbuf.h"
#include "handlers.h"
#include "iprange.h"
#include "resp.h"

#define METRICS_SENDER_MAX	(1024 * 1024)
#define METRICS_SENDER_WAIT_MS	2000

/* Appends the sender's reply; on any failure a gauge says it is down. */
static void
sender_metrics(const char *path, struct sbuf *b)
{
	struct sockaddr_un	 sa;
	char			 buf[8192];
	int			 fd, up = 0;
	int64_t			 deadline = clock_mono_ms() +
				    METRICS_SENDER_WAIT_MS;
	size_t			 got = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path))
		goto out;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		goto out;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		for (;;) {
			struct pollfd	 p = { fd, POLLIN, 0 };
			int64_t		 left = deadline - clock_mono_ms();
			ssize_t		 n;

			if (left <= 0 || poll(&p, 1, (int)left) <= 0)
				break;
			if ((n = read(fd, buf, sizeof(buf))) <= 0) {
				up = n == 0;
				break;
			}
			if (got + (size_t)n > METRICS_SENDER_MAX)
				break;
			sbuf_put(b, buf, (size_t)n);
			got += (size_t)n;
		}
	} else
		log_warn("metrics: %s: %s", path, strerror(errno));
	close(fd);
out:
	sbuf_printf(b, "# HELP tegami_sender_up Whether the sender's status "
	    "socket answered.\n# TYPE tegami_sender_up gauge\n"
	    "tegami_sender_up %d\n", up);
}

int
h_metrics_get(struct req *r)
{
	struct sbuf	 b;

	sbuf_init(&b, r->a, METRICS_SENDER_MAX + 64 * 1024);
	sbuf_printf(&b, "# HELP tegami_web_allowlist_ranges Ranges in the "
	    "management allow-list.\n# TYPE tegami_web_allowlist_ranges "
	    "gauge\ntegami_web_allowlist_ranges %zu\n", iprange_count());
	if (r->web->cfg->sender_status_socket[0] != '\0')
		sender_metrics(r->web->cfg->sender_status_socket, &b);
	return resp_text(r, 200, "text/plain; version=0.0.4", b.p);
}
