/*
 * parse.c — numbers from strings, whole or refused.
 */
#include <errno.h>
#include <stdlib.h>

#include "common.h"

int parse_int(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}
