// SPDX-License-Identifier: GPL-2.0
/*
 * Guest code of guest64_exception_test: faults and traps delivered through
 * the guest's IDT to its handlers, which report the frame and resume.
 */
#include "guest_x86.h"
#include "guest64_exception.h"

/* Bytes to step over after a fault; 0 for traps (RIP is already past). */
static unsigned int skip;

static void report_and_skip(struct guest_frame *frame)
{
	GUEST_SYNC(frame->vector, frame->error_code, frame->rip,
		   frame->cs << 16 | frame->ss);
	frame->rip += skip;
}

static void ud_handler(struct guest_frame *frame)
{
	report_and_skip(frame);
	frame->rax = EXC_UD_RAX;	/* the stub restores RAX from here */
}

void guest_exceptions(void)
{
	__u64 rax = 0, rbx = EXC_KEEP;
	__u32 eax = 7;

	guest_install_handler(GUEST_VEC_DE, report_and_skip);
	guest_install_handler(GUEST_VEC_BP, report_and_skip);
	guest_install_handler(GUEST_VEC_UD, ud_handler);
	guest_install_handler(GUEST_VEC_GP, report_and_skip);

	/* #DE: divl %ecx with ECX = 0 (f7 f1), a fault. */
	skip = 2;
	__asm__ __volatile__("xor %%edx, %%edx\n\t"
			     "divl %%ecx"
			     : "+a"(eax) : "c"(0) : "rdx");
	GUEST_ASSERT_EQ(eax, 7);

	/* #BP: int3, a trap: the frame's RIP is past it. */
	skip = 0;
	__asm__ __volatile__("int3" : : "b"(rbx));

	/* #UD: ud2 (0f 0b); the handler returns a value in RAX. */
	skip = 2;
	__asm__ __volatile__("ud2" : "+a"(rax), "+b"(rbx));
	GUEST_ASSERT_EQ(rax, EXC_UD_RAX);
	GUEST_ASSERT_EQ(rbx, EXC_KEEP);

	/* #GP(0): a non-canonical address, movq (%rdx), %rax (48 8b 02). */
	skip = 3;
	__asm__ __volatile__("movq (%%rdx), %%rax"
			     : "+a"(rax) : "d"(EXC_NONCANONICAL), "b"(rbx)
			     : "memory");
	GUEST_ASSERT_EQ(rbx, EXC_KEEP);
	GUEST_SYNC(rax);
}
