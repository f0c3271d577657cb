// SPDX-License-Identifier: GPL-2.0
/*
 * Guest code of irq_inject_test and mshv-irq-bench: enable the local APIC,
 * halt with interrupts on, and report every interrupt (see irq_inject.h).
 */
#include <stdbool.h>

#include "guest_x86.h"
#include "irq_inject.h"

static volatile unsigned long irq_taken;

/*
 * STI; HLT with the HLT's address known.  STI's interrupt shadow covers
 * the HLT, so an interrupt is taken only once the HLT has executed: no
 * interrupt ever returns to the HLT.  One that does woke nothing: the
 * guest would then halt again, and after its last interrupt wait for
 * ever.  irq_cpuid_sti_hlt() has CPUID (an exit) right before the STI,
 * so that the STI is the first instruction of the next VMRUN.
 */
__asm__(".pushsection .text\n"
	".globl irq_sti_hlt\n"
	".type irq_sti_hlt, @function\n"
	"irq_sti_hlt:\n"
	"	sti\n"
	".globl irq_hlt_insn\n"
	"irq_hlt_insn:\n"
	"	hlt\n"
	"	ret\n"
	".size irq_sti_hlt, . - irq_sti_hlt\n"
	".globl irq_cpuid_sti_hlt\n"
	".type irq_cpuid_sti_hlt, @function\n"
	"irq_cpuid_sti_hlt:\n"
	"	push %rbx\n"
	"	xor %eax, %eax\n"
	"	xor %ecx, %ecx\n"
	"	cpuid\n"
	"	sti\n"
	".globl irq_hlt_insn2\n"
	"irq_hlt_insn2:\n"
	"	hlt\n"
	"	pop %rbx\n"
	"	ret\n"
	".size irq_cpuid_sti_hlt, . - irq_cpuid_sti_hlt\n"
	".popsection\n");

/* An interrupt returning to a HLT that STI's shadow covered. */
static bool irq_in_shadow(const struct guest_frame *frame)
{
	return frame->rip == (unsigned long)irq_hlt_insn ||
	       frame->rip == (unsigned long)irq_hlt_insn2;
}

/* Interrupt gates: runs with interrupts off. */
static void irq_handler(struct guest_frame *frame)
{
	GUEST_ASSERT(!irq_in_shadow(frame));
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
		irq_sti_hlt();
		guest_cli();
	}
	return irq_taken;
}

static void irq_self_handler(struct guest_frame *frame)
{
	GUEST_ASSERT(!irq_in_shadow(frame));
	irq_taken++;
	guest_apic_write(GUEST_APIC_EOI, 0);
}

unsigned long irq_guest_sti_first(unsigned long count)
{
	unsigned long i;

	guest_install_handler(IRQ_VEC_A, irq_self_handler);
	guest_apic_write(GUEST_APIC_TPR, 0);
	guest_apic_write(GUEST_APIC_SVR, GUEST_APIC_SVR_ENABLE | 0xff);
	for (i = 0; i < count; i++) {
		guest_cli();
		/* Pending with interrupts off, taken after the HLT. */
		guest_apic_write(GUEST_APIC_ICR, GUEST_APIC_ICR_SELF | IRQ_VEC_A);
		irq_cpuid_sti_hlt();
	}
	guest_cli();
	return irq_taken;
}
