/*
 * status.c - the sender's status socket (see status.h). One small thread;
 * each client gets one reply and the connection closes, so a slow reader
 * holds nothing but its own socket (writes time out after 2 s).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../core/sbuf.h"
#include "status.h"

struct status {
	int		 fd;
	char		 path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	pthread_t	 tid;
	void		(*fill)(void *, struct sbuf *);
	void		*ctx;
};

static void *
status_loop(void *arg)
{
	struct status	*s = arg;
	struct timeval	 tv = { 2, 0 };

	for (;;) {
		struct sbuf	 b;
		size_t		 off = 0;
		int		 c = accept(s->fd, NULL, NULL);

		if (c == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			break;		/* closed by status_stop */
		}
		setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		sbuf_init(&b, NULL, STATUS_REPLY_MAX);
		s->fill(s->ctx, &b);
		while (off < b.len) {
			ssize_t	 n = send(c, b.p + off, b.len - off,
				    MSG_NOSIGNAL);

			if (n <= 0)
				break;
			off += (size_t)n;
		}
		sbuf_free(&b);
		close(c);
	}
	return NULL;
}

struct status *
status_start(const char *path, void (*fill)(void *, struct sbuf *),
    void *ctx, struct err *e)
{
	struct sockaddr_un	 sa;
	struct status		*s;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		err_set(e, ERR_INPUT, "sender.status_socket: %s: path too "
		    "long", path);
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		err_set(e, ERR_ENV, "out of memory");
		return NULL;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	memcpy(s->path, path, strlen(path) + 1);
	s->fill = fill;
	s->ctx = ctx;
	unlink(path);
	if ((s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    chmod(path, 0660) == -1 || listen(s->fd, 16) == -1) {
		err_set(e, ERR_ENV, "sender.status_socket: %s: %s", path,
		    strerror(errno));
		if (s->fd != -1)
			close(s->fd);
		free(s);
		return NULL;
	}
	if (pthread_create(&s->tid, NULL, status_loop, s) != 0) {
		err_set(e, ERR_ENV, "status thread: cannot start");
		close(s->fd);
		unlink(path);
		free(s);
		return NULL;
	}
	return s;
}

void
status_stop(struct status *s)
{
	if (s == NULL)
		return;
	shutdown(s->fd, SHUT_RDWR);
	close(s->fd);
	pthread_join(s->tid, NULL);
	unlink(s->path);
	free(s);
}
