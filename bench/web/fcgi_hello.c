/*
 * fcgi_hello.c - the FastCGI floor for bench/web: the least a libfcgi
 * responder can do per request (read the request, answer 200 with a short
 * text body), on N threads calling FCGX_Accept_r on one listening socket.
 * tegami-web's figures are reported as ratios against this program,
 * measured in the same run behind the same nginx.
 *
 *	fcgi_hello -s SOCKET [-t THREADS]
 */
#include <err.h>
#include <fcgiapp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define HELLO_THREADS_MAX	256

static int		 listen_fd;
static pthread_mutex_t	 accept_lock = PTHREAD_MUTEX_INITIALIZER;

static void *
hello_worker(void *arg)
{
	FCGX_Request	 req;
	int		 rc;

	(void)arg;
	if (FCGX_InitRequest(&req, listen_fd, 0) != 0)
		return NULL;
	for (;;) {
		/* One thread in accept() at a time, as libfcgi advises. */
		pthread_mutex_lock(&accept_lock);
		rc = FCGX_Accept_r(&req);
		pthread_mutex_unlock(&accept_lock);
		if (rc < 0)
			break;
		FCGX_PutS("Status: 200 OK\r\n"
		    "Content-Type: text/plain\r\n\r\n"
		    "Hello, world\n", req.out);
		FCGX_Finish_r(&req);
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	pthread_t	 th[HELLO_THREADS_MAX];
	const char	*sock = NULL;
	sigset_t	 stop;
	long		 n = 4, i;
	int		 ch, sig;

	while ((ch = getopt(argc, argv, "s:t:")) != -1) {
		switch (ch) {
		case 's':
			sock = optarg;
			break;
		case 't':
			n = strtol(optarg, NULL, 10);
			break;
		default:
			goto usage;
		}
	}
	if (sock == NULL || n < 1 || n > HELLO_THREADS_MAX)
		goto usage;
	if (FCGX_Init() != 0)
		errx(1, "FCGX_Init failed");
	unlink(sock);
	if ((listen_fd = FCGX_OpenSocket(sock, 1024)) < 0)
		errx(1, "cannot listen on %s", sock);
	chmod(sock, 0666);
	/* Workers never see SIGTERM/SIGINT; main waits for them and exits
	 * (libfcgi restarts an interrupted accept). */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	for (i = 0; i < n; i++)
		if (pthread_create(&th[i], NULL, hello_worker, NULL) != 0)
			errx(1, "pthread_create failed");
	sigwait(&stop, &sig);
	unlink(sock);
	return 0;
usage:
	fprintf(stderr, "usage: fcgi_hello -s SOCKET [-t THREADS 1..%d]\n",
	    HELLO_THREADS_MAX);
	return 2;
}
