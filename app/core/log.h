/*
 * log.h - one line per event to stderr: time, level, program, message.
 * Peer bytes go through log_escape() first so a log line stays one line.
 */
#ifndef CORE_LOG_H
#define CORE_LOG_H

#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERR, LOG__MAX };

void	 log_init(const char *progname, enum log_level min);
void	 log_msg(enum log_level, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARN, __VA_ARGS__)
#define log_err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)
/* Copies p into out (size outsz, NUL-terminated), escaping control bytes
 * and non-ASCII as \xNN; truncates with "..." when it does not fit. */
void	 log_escape(char *out, size_t outsz, const void *p, size_t n);

#endif
