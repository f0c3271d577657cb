/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between the userspace harness files: TAP output and test groups. */
#ifndef _HVSIM_CPU_HARNESS_H
#define _HVSIM_CPU_HARNESS_H

#include <stddef.h>

void tap_result(const char *name, int fail, const char *msg);
size_t diff_count(void);
void diff_run(void);

#define FUZZ_COUNT 5
void fuzz_run(void);

#ifndef fallthrough
#define fallthrough __attribute__((__fallthrough__))
#endif

#endif /* _HVSIM_CPU_HARNESS_H */
