/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by guest64_lapic_test.c and guest64_lapic_guest.c.
 */
#ifndef SELFTEST_MSHV_GUEST64_LAPIC_H
#define SELFTEST_MSHV_GUEST64_LAPIC_H

#include <linux/types.h>

#define LAPIC_TIMER_VEC		0x40
#define LAPIC_ASSERT_VEC	0x58
/* Divide by 1 at hvsim's 100 MHz APIC clock: 2 ms and 5 ms. */
#define LAPIC_ONESHOT_COUNT	200000
#define LAPIC_PERIODIC_COUNT	500000
#define LAPIC_PERIODIC_TICKS	3
/* Self-IPIs of three priority classes, sent in this order. */
#define LAPIC_IPI_LOW		0x41
#define LAPIC_IPI_HIGH		0x71
#define LAPIC_IPI_MID		0x51
#define LAPIC_TPR_BLOCK		0x50	/* masks class 4 (0x41), not 5 */

void guest_timer_oneshot(__u64 x2apic);
void guest_timer_periodic(__u64 x2apic);
void guest_self_ipi(__u64 x2apic);
void guest_wait_asserted(void);
void guest_hlt_cli(void);

#endif /* SELFTEST_MSHV_GUEST64_LAPIC_H */
