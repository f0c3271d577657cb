// SPDX-License-Identifier: GPL-2.0
/*
 * Guest code of irq_inject_test and mshv-irq-bench: enable the local APIC,
 * halt with interrupts on, and report every interrupt (see irq_inject.h).
 */
#include "guest_x86.h"
#include "irq_inject.h"

static unsigned long irq_taken;

static inline void lapic_write(unsigned int reg, __u32 value)
{
	/* 89 02: a MOV form every x86 decoder knows */
	__asm__ __volatile__("movl %%eax, (%%rdx)"
			     : : "a"(value), "d"(LAPIC_BASE + reg) : "memory");
}

/* Called by the stubs below, with interrupts off (interrupt gates). */
void irq_guest_handler(unsigned long vector);
void irq_guest_handler(unsigned long vector)
{
	irq_taken++;
	lapic_write(LAPIC_EOI, 0);
	GUEST_SYNC(vector, irq_taken);
}

/*
 * One stub per vector: save the registers the C ABI lets the handler
 * clobber (nine, which also leaves RSP 16-byte aligned at the call, as
 * the CPU aligned it before pushing its five-qword frame), pass the
 * vector, restore, IRETQ.
 */
#define IRQ_STR(x)	#x
#define IRQ_XSTR(x)	IRQ_STR(x)
#define IRQ_STUB(name, vec)						\
	__asm__(".pushsection .text\n"					\
		".globl " #name "\n"					\
		#name ":\n\t"						\
		"push %rax\n\tpush %rcx\n\tpush %rdx\n\t"		\
		"push %rsi\n\tpush %rdi\n\tpush %r8\n\t"		\
		"push %r9\n\tpush %r10\n\tpush %r11\n\t"		\
		"mov $" IRQ_XSTR(vec) ", %edi\n\t"				\
		"call irq_guest_handler\n\t"				\
		"pop %r11\n\tpop %r10\n\tpop %r9\n\t"			\
		"pop %r8\n\tpop %rdi\n\tpop %rsi\n\t"			\
		"pop %rdx\n\tpop %rcx\n\tpop %rax\n\t"			\
		"iretq\n"						\
		".popsection\n")

IRQ_STUB(irq_stub_a, IRQ_VEC_A);
IRQ_STUB(irq_stub_b, IRQ_VEC_B);
IRQ_STUB(irq_stub_level, IRQ_VEC_LEVEL);

unsigned long irq_guest_main(unsigned long count)
{
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | LAPIC_SPURIOUS_VEC);
	GUEST_SYNC(IRQ_SYNC_READY, 0);
	/* STI's shadow covers HLT: no interrupt slips in between. */
	while (*(volatile unsigned long *)&irq_taken < count)
		__asm__ __volatile__("sti; hlt; cli" : : : "memory");
	return irq_taken;
}
