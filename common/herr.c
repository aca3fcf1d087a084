/*
 * herr.c — the error context (herr): a message and an exit code.
 *
 * A stage fills an herr and returns -1; `main` prints it with log_herr
 * (log.c) and exits with its code.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common.h"

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
