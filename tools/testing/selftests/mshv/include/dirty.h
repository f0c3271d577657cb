/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by dirty_test.c (VMM) and dirty_guest.c: which pages of the
 * scratch area the guest writes and reads in each round.  Nothing else
 * touches the area (the stack, page tables and descriptor tables are
 * below it, the program image above it).
 */
#ifndef SELFTEST_MSHV_DIRTY_H
#define SELFTEST_MSHV_DIRTY_H

#include <linux/types.h>

#include "x64_boot.h"

#define DIRTY_AREA_GPA		X64_SCRATCH_GPA
#define DIRTY_AREA_PAGES	64
#define DIRTY_PAGE_SIZE		0x1000ULL

/* Round 1: pages written, then pages only read. */
#define DIRTY_W1	{ 0, 3, 5, 17, 31, 40, 63 }
#define DIRTY_R1	{ 1, 8, 20, 62 }
/* Round 2 (after the VMM cleared the bits): a page written again, new ones. */
#define DIRTY_W2	{ 3, 9, 50 }
/* Round 3, with tracking disabled: nothing may be recorded. */
#define DIRTY_W3	{ 2, 9, 44 }

/*
 * dirty_concurrent: the guest rewrites varying subsets of the area for
 * DIRTY_LOOP_ITERS iterations while the VMM copies what the DIRTY bitmap
 * shows, as a live migration would.
 */
#define DIRTY_LOOP_ITERS	400

void guest_dirty(void);
void guest_dirty_loop(void);

#endif /* SELFTEST_MSHV_DIRTY_H */
