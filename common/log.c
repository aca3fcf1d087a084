/*
 * log.c — logging to stderr.
 *
 * Log lines look like PostgreSQL's client programs:
 * "hotich: error: could not open file "x": No such file or directory".
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common.h"

static enum ht_log_level current_level = HT_LOG_INFO;

void log_set_level(enum ht_log_level level)
{
	current_level = level;
}

enum ht_log_level log_get_level(void)
{
	return current_level;
}

static void log_v(enum ht_log_level level, const char *fmt, va_list ap) HT_PRINTF(2, 0);

static void log_v(enum ht_log_level level, const char *fmt, va_list ap)
{
	static const char *const tags[] = { "error: ", "warning: ", "", "debug: " };
	char line[2048];
	int saved = errno;

	if (level > current_level)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	fprintf(stderr, "hotich: %s%s\n", tags[level], line);
	fflush(stderr);
	errno = saved;
}

#define LOG_FN(name, level)                                                                        \
	void name(const char *fmt, ...)                                                            \
	{                                                                                          \
		va_list ap;                                                                        \
		va_start(ap, fmt);                                                                 \
		log_v(level, fmt, ap);                                                             \
		va_end(ap);                                                                        \
	}

LOG_FN(log_error, HT_LOG_ERROR)
LOG_FN(log_warning, HT_LOG_WARNING)
LOG_FN(log_info, HT_LOG_INFO)
LOG_FN(log_debug, HT_LOG_DEBUG)

int log_herr(const herr *e)
{
	if (!e || !e->code)
		return HT_EXIT_OK;
	log_error("%s", e->msg[0] ? e->msg : "unknown error");
	return e->code;
}
