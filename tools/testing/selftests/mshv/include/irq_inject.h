/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by irq_inject_test, mshv-irq-bench (host side) and
 * irq_inject_guest.c (guest side): a vm64 guest that enables its local
 * APIC, then halts with interrupts enabled until it has taken the number
 * of interrupts it was asked for.  Each interrupt's handler EOIs and then
 * reports the vector and the running count with GUEST_SYNC (port I/O).
 */
#ifndef SELFTEST_MSHV_IRQ_INJECT_H
#define SELFTEST_MSHV_IRQ_INJECT_H

/* Vectors with a handler: two edge-triggered routes, one level-triggered. */
#define IRQ_VEC_A	0x40
#define IRQ_VEC_B	0x51
#define IRQ_VEC_LEVEL	0x62

/* xAPIC registers (Intel SDM): MMIO at the default APIC base. */
#define LAPIC_BASE	0xfee00000UL
#define LAPIC_TPR	0x080
#define LAPIC_EOI	0x0b0
#define LAPIC_SVR	0x0f0
#define LAPIC_SVR_ENABLE	0x100
#define LAPIC_SPURIOUS_VEC	0xff

/* First GUEST_SYNC of irq_guest_main(): the APIC is on, halting begins. */
#define IRQ_SYNC_READY	0xfffe

/* Guest entry points (irq_inject_guest.c), for the IDT. */
extern const char irq_stub_a[], irq_stub_b[], irq_stub_level[];
/* Guest function: take @count interrupts, then return the count. */
unsigned long irq_guest_main(unsigned long count);

#endif /* SELFTEST_MSHV_IRQ_INJECT_H */
