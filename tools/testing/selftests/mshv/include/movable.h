/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by movable_test.c (VMM) and movable_guest.c: the guest carries
 * out one command at a time from a block in its scratch area and reports
 * each with GUEST_SYNC(op, value).
 */
#ifndef SELFTEST_MSHV_MOVABLE_H
#define SELFTEST_MSHV_MOVABLE_H

#include <linux/types.h>

#include "x64_boot.h"

#define MOV_CMD_GPA	X64_SCRATCH_GPA
/* Bumped by MOV_SPIN after each pass, for the VMM to poll. */
#define MOV_PASS_GPA	(X64_SCRATCH_GPA + 0x1000)
#define MOV_PAGE	0x1000ULL

enum mov_op {
	MOV_READ = 1,	/* report the u64 at gpa */
	MOV_WRITE,	/* store val at gpa, report it */
	MOV_SUM,	/* report the sum of count u64s, val (or a page) apart */
	MOV_SPIN,	/* read count pages from gpa forever */
};

struct mov_cmd {
	__u64 op;
	__u64 gpa;
	__u64 val;
	__u64 count;
};

void guest_movable(void);

#endif /* SELFTEST_MSHV_MOVABLE_H */
