/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by guest64_irq_types_test.c and guest64_irq_types_guest.c.
 */
#ifndef SELFTEST_MSHV_GUEST64_IRQ_TYPES_H
#define SELFTEST_MSHV_GUEST64_IRQ_TYPES_H

#include <linux/types.h>

#define IRQT_FIXED_VEC		0x58
#define IRQT_EXTINT_VEC		0x61
/* Masks every fixed vector (classes 1-15 do not pass 0xf0). */
#define IRQT_TPR_ALL		0xf0
/* SIPI start page: the scratch area of x64_boot.h. */
#define IRQT_SIPI_VEC		0x80
#define IRQT_SIPI_AX		0x1234

void guest_nmi(void);
void guest_extint(void);
void guest_wait_init(void);

#endif /* SELFTEST_MSHV_GUEST64_IRQ_TYPES_H */
