// SPDX-License-Identifier: GPL-2.0
/*
 * Guest code of guest64_triple_fault_test: exceptions that cannot be
 * delivered, escalating to a double and then a triple fault.
 */
#include "guest_x86.h"
#include "guest64_triple_fault.h"

/* 256 gates, none present. */
static __u64 empty_idt[512] __attribute__((__aligned__(16)));

/* #UD with an IDT limit of 0: #UD, #GP and #DF all miss the table. */
void guest_tf_idt_limit0(void)
{
	GUEST_SYNC(TF_STAGE_READY);
	guest_lidt(X64_IDT_GPA, 0);
	__asm__ __volatile__("ud2");
	GUEST_SYNC(TF_STAGE_SURVIVED);
}

/* INT3 through a full-size IDT of not-present gates: #NP, then #DF. */
void guest_tf_idt_not_present(void)
{
	struct guest_dtr dtr;

	guest_lidt((__u64)empty_idt, sizeof(empty_idt) - 1);
	guest_sidt(&dtr);
	GUEST_SYNC(TF_STAGE_READY, dtr.base, dtr.limit);
	__asm__ __volatile__("int3");
	GUEST_SYNC(TF_STAGE_SURVIVED);
}

/* A #PF whose handler itself faults with no #DF handler installed. */
void guest_tf_page_fault_loop(void)
{
	GUEST_SYNC(TF_STAGE_READY);
	/* The VMM cleared the #DF gate and pointed the #PF gate at page 0. */
	*(volatile __u64 *)TF_UNMAPPED_GVA = 1;
	GUEST_SYNC(TF_STAGE_SURVIVED);
}
