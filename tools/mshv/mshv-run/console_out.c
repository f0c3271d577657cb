// SPDX-License-Identifier: GPL-2.0
/*
 * mshv-run console output: the bytes the guest writes to its serial port
 * and its virtio console go to stdout.  With --stamp, each line starts
 * with "mshv-run@SECONDS " where SECONDS is the VMM's CLOCK_MONOTONIC
 * time when the line's first byte arrived: the moment the guest wrote
 * it, give or take one exit, whatever happens to stdout afterwards (a
 * pipe read late by a busy machine, say).  Callers hold vmm->lock.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "devices.h"

static bool stamp_lines;
static bool at_line_start = true;

/** console_stamp_lines() - start each output line with the VMM's time */
void console_stamp_lines(void)
{
	stamp_lines = true;
}

static void out_all(const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(STDOUT_FILENO, p, len);

		if (n <= 0)
			return;		/* stdout gone: the guest does not care */
		p += n;
		len -= n;
	}
}

static void out_stamp(void)
{
	struct timespec ts;
	char pre[40];
	int n;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	n = snprintf(pre, sizeof(pre), "mshv-run@%lld.%06ld ",
		     (long long)ts.tv_sec, ts.tv_nsec / 1000);
	out_all(pre, n);
}

/**
 * console_out() - write what the guest sent to its console
 * @buf: the bytes
 * @len: how many
 */
void console_out(const void *buf, size_t len)
{
	const char *p = buf, *end = p + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);

		if (stamp_lines && at_line_start)
			out_stamp();
		out_all(p, n);
		at_line_start = !!nl;
		p += n;
	}
}
