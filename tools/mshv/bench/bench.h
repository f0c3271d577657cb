/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the mshv benchmark programs.
 */
#ifndef MSHV_BENCH_H
#define MSHV_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline void die(const char *what)
{
	perror(what);
	exit(1);
}

/* Seconds on the monotonic clock. */
static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

#endif /* MSHV_BENCH_H */
