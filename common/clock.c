/*
 * clock.c — the one clock the stages time themselves with.
 */
#include <time.h>

#include "common.h"

double clock_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
