// SPDX-License-Identifier: GPL-2.0
/*
 * Guest code of irq_inject_test and mshv-irq-bench: enable the local APIC,
 * halt with interrupts on, and report every interrupt (see irq_inject.h).
 */
#include "guest_x86.h"
#include "irq_inject.h"

static volatile unsigned long irq_taken;

/* Interrupt gates: runs with interrupts off. */
static void irq_handler(struct guest_frame *frame)
{
	irq_taken++;
	guest_apic_write(GUEST_APIC_EOI, 0);
	GUEST_SYNC(frame->vector, irq_taken);
}

unsigned long irq_guest_main(unsigned long count)
{
	guest_install_handler(IRQ_VEC_A, irq_handler);
	guest_install_handler(IRQ_VEC_B, irq_handler);
	guest_install_handler(IRQ_VEC_LEVEL, irq_handler);
	guest_apic_write(GUEST_APIC_TPR, 0);
	guest_apic_write(GUEST_APIC_SVR, GUEST_APIC_SVR_ENABLE | 0xff);
	GUEST_SYNC(IRQ_SYNC_READY, 0);
	while (irq_taken < count) {
		guest_sti_hlt();
		guest_cli();
	}
	return irq_taken;
}
