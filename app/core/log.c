/*
 * log.c - one line per event to stderr (see log.h). Thread-safe: each line
 * is formatted into a local buffer and written with one write(2).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define LOG_LINE_MAX	2048

static const char	*log_prog = "tegami";
static enum log_level	 log_min = LOG_INFO;
static const char *const log_names[LOG__MAX] = {
	"debug", "info", "warn", "error",
};

void
log_init(const char *progname, enum log_level min)
{
	log_prog = progname;
	log_min = min;
}

void
log_msg(enum log_level lvl, const char *fmt, ...)
{
	char		 line[LOG_LINE_MAX];
	struct tm	 tm;
	time_t		 now = time(NULL);
	va_list		 ap;
	size_t		 n;
	int		 k;

	if (lvl < log_min || lvl >= LOG__MAX)
		return;
	gmtime_r(&now, &tm);
	n = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%SZ", &tm);
	k = snprintf(line + n, sizeof(line) - n, " %s[%d] %s: ", log_prog,
	    (int)getpid(), log_names[lvl]);
	if (k > 0)
		n += (size_t)k;
	va_start(ap, fmt);
	k = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	if (k > 0)
		n += (size_t)k < sizeof(line) - n - 1 ? (size_t)k :
		    sizeof(line) - n - 2;
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, n) < 0)
		return;
}

void
log_escape(char *out, size_t outsz, const void *p, size_t n)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*s = p;
	size_t			 i, o = 0;

	if (outsz == 0)
		return;
	for (i = 0; i < n; i++) {
		unsigned char	 c = s[i];

		if (o + 8 >= outsz) {
			if (outsz >= 4) {
				o = o < outsz - 4 ? o : outsz - 4;
				memcpy(out + o, "...", 3);
				o += 3;
			}
			break;
		}
		if (c >= 0x20 && c < 0x7f && c != '\\')
			out[o++] = (char)c;
		else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
}
