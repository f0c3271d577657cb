/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by guest64_pagefault_test.c (VMM) and guest64_pagefault_guest.c.
 */
#ifndef SELFTEST_MSHV_GUEST64_PAGEFAULT_H
#define SELFTEST_MSHV_GUEST64_PAGEFAULT_H

#include <linux/types.h>

#include "x64_boot.h"

#define PF_PAGE			X64_SCRATCH_GPA
#define PF_PAGE2		(X64_SCRATCH_GPA + 0x1000)
#define PF_RO_PAGE		(X64_SCRATCH_GPA + 0x2000)
#define PF_WRITE_OFFSET		0x18
#define PF_MAGIC		0x0123456789abcdefULL
#define PF_WRITTEN		0xfedcba9876543210ULL
#define PF_RO_VALUE		0x11223344U

void guest_pf_not_present(__u64 page, __u64 page2);
void guest_pf_write_protect(__u64 page);

#endif /* SELFTEST_MSHV_GUEST64_PAGEFAULT_H */
