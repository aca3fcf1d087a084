/*
 * error.c — the error context (herr) and logging to stderr.
 *
 * A stage fills an herr and returns -1; `main` prints it with log_herr and
 * exits with its code.  Log lines look like PostgreSQL's client programs:
 * "hotich: error: could not open file "x": No such file or directory".
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common.h"

static enum ht_log_level current_level = HT_LOG_INFO;

int herr_vset(herr *e, int code, const char *fmt, va_list ap)
{
	if (!e)
		return -1;
	e->code = code ? code : HT_EXIT_FATAL;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	return -1;
}

int herr_set(herr *e, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	herr_vset(e, code, fmt, ap);
	va_end(ap);
	return -1;
}

int herr_prefix(herr *e, const char *fmt, ...)
{
	char prefix[512];
	size_t plen, mlen, room;
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	/* "prefix: message", truncated at the end when it does not fit */
	plen = strlen(prefix);
	mlen = strnlen(e->msg, sizeof(e->msg) - 1);
	room = sizeof(e->msg) - 1 - plen - 2; /* plen < 512 leaves room */
	if (mlen > room)
		mlen = room;
	memmove(e->msg + plen + 2, e->msg, mlen);
	e->msg[plen + 2 + mlen] = '\0';
	memcpy(e->msg, prefix, plen);
	e->msg[plen] = ':';
	e->msg[plen + 1] = ' ';
	if (!e->code)
		e->code = HT_EXIT_FATAL;
	return -1;
}

void herr_clear(herr *e)
{
	if (!e)
		return;
	e->code = 0;
	e->msg[0] = '\0';
}

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
