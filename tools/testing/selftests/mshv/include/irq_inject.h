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

/* First GUEST_SYNC of irq_guest_main(): the APIC is on, halting begins. */
#define IRQ_SYNC_READY	0xfffe

/* Guest function: take @count interrupts, then return the count. */
unsigned long irq_guest_main(unsigned long count);
/*
 * Guest function: @count times, a self-IPI with interrupts off, then
 * CPUID; STI; HLT; return the number of interrupts taken.  An interrupt
 * that returns to a HLT in STI's shadow fails a guest assertion.
 */
unsigned long irq_guest_sti_first(unsigned long count);

/* Guest side (irq_inject_guest.c): STI; HLT, and where the HLTs are. */
void irq_sti_hlt(void);
void irq_cpuid_sti_hlt(void);
extern const char irq_hlt_insn[], irq_hlt_insn2[];

#endif /* SELFTEST_MSHV_IRQ_INJECT_H */
