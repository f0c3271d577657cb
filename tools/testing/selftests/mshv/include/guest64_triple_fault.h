/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by guest64_triple_fault_test.c (VMM) and
 * guest64_triple_fault_guest.c.
 */
#ifndef SELFTEST_MSHV_GUEST64_TRIPLE_FAULT_H
#define SELFTEST_MSHV_GUEST64_TRIPLE_FAULT_H

#include <linux/types.h>

#include "x64_boot.h"

#define TF_STAGE_READY		1ULL
#define TF_STAGE_SURVIVED	2ULL
/* Page 0 is never mapped (x64_boot.h). */
#define TF_UNMAPPED_GVA		0x0ULL

void guest_tf_idt_limit0(void);
void guest_tf_idt_not_present(void);
void guest_tf_page_fault_loop(void);

#endif /* SELFTEST_MSHV_GUEST64_TRIPLE_FAULT_H */
