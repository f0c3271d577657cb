// SPDX-License-Identifier: GPL-2.0
/*
 * Guest side of the 64-bit selftests: ucall reporting, exception stubs and
 * handler dispatch, and the trap a guest function returns to.  Runs inside
 * the partition; compiled freestanding (see the Makefile's GUEST_CFLAGS).
 * See include/guest_x86.h.
 */
#include "guest_x86.h"

/* The stubs below are laid out with ".balign 16". */
_Static_assert(GUEST_STUB_SIZE == 16, "stub spacing");

static guest_handler_t guest_handlers[GUEST_NR_VECTORS];

void guest_exception_dispatch(struct guest_frame *frame);
void guest_returned(__u64 rax);

/**
 * guest_ucall() - report to the VMM and wait for it to resume the guest
 * @cmd: enum ucall_cmd
 * @args: @nargs values (at most UCALL_MAX_ARGS are reported)
 * @nargs: number of values
 * @file: source file of an assertion, or NULL
 * @line: its line
 * @expr: the failed expression's text, or NULL
 */
void guest_ucall(__u64 cmd, const __u64 *args, unsigned int nargs,
		 const char *file, unsigned int line, const char *expr)
{
	struct ucall uc;
	unsigned int i;

	uc.cmd = cmd;
	uc.nargs = nargs < UCALL_MAX_ARGS ? nargs : UCALL_MAX_ARGS;
	for (i = 0; i < UCALL_MAX_ARGS; i++)
		uc.args[i] = i < uc.nargs ? args[i] : 0;
	uc.file = (__u64)file;
	uc.line = line;
	uc.expr = (__u64)expr;
	__asm__ __volatile__("outl %%eax, %%dx"
			     : : "a"((__u32)cmd), "d"(UCALL_PORT), "D"(&uc)
			     : "memory");
}

void guest_halt_forever(void)
{
	for (;;)
		__asm__ __volatile__("hlt");
}

/* Install (or with NULL remove) the handler of vector @vector. */
void guest_install_handler(unsigned int vector, guest_handler_t handler)
{
	if (vector < GUEST_NR_VECTORS)
		guest_handlers[vector] = handler;
}

/* Called by the stubs with the saved state; returns through IRETQ. */
void guest_exception_dispatch(struct guest_frame *frame)
{
	guest_handler_t handler = NULL;
	__u64 args[4];

	if (frame->vector < GUEST_NR_VECTORS)
		handler = guest_handlers[frame->vector];
	if (handler) {
		handler(frame);
		return;
	}
	args[0] = frame->vector;
	args[1] = frame->error_code;
	args[2] = frame->rip;
	args[3] = guest_read_cr2();
	guest_ucall(UCALL_UNHANDLED, args, 4, 0, 0, 0);
	guest_halt_forever();
}

/* A guest function called by vm64 returned @rax. */
void guest_returned(__u64 rax)
{
	guest_ucall(UCALL_DONE, &rax, 1, 0, 0, 0);
	guest_halt_forever();
}

/*
 * One stub per vector, GUEST_STUB_SIZE bytes apart: push a zero error
 * code where the CPU pushes none (every vector from 32 up), push the
 * vector (at most 12 bytes of code per stub), then save the
 * GPRs in struct guest_frame order and call the dispatcher.  The CPU
 * aligned RSP to 16 bytes before pushing its 5-word frame; with the 2
 * words and 15 registers pushed here the call is aligned too.
 */
__asm__(
	".text\n"
	".balign 16\n"
	".globl guest_exception_stubs\n"
	"guest_exception_stubs:\n"
	".irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
	"	.balign 16\n"
	"	.if (\\v == 8) || ((\\v >= 10) && (\\v <= 14)) || (\\v == 17) || (\\v == 21) || (\\v == 29) || (\\v == 30)\n"
	"	.else\n"
	"	pushq $0\n"
	"	.endif\n"
	"	pushq $\\v\n"
	"	jmp guest_exception_common\n"
	".endr\n"
	"	.set vector, 32\n"
	"	.rept 224\n"
	"	.balign 16\n"
	"	pushq $0\n"
	"	pushq $vector\n"
	"	jmp guest_exception_common\n"
	"	.set vector, vector + 1\n"
	"	.endr\n"
	"guest_exception_common:\n"
	"	push %rax\n push %rcx\n push %rdx\n push %rbx\n"
	"	push %rbp\n push %rsi\n push %rdi\n"
	"	push %r8\n push %r9\n push %r10\n push %r11\n"
	"	push %r12\n push %r13\n push %r14\n push %r15\n"
	"	mov %rsp, %rdi\n"
	"	cld\n"
	"	call guest_exception_dispatch\n"
	"	pop %r15\n pop %r14\n pop %r13\n pop %r12\n"
	"	pop %r11\n pop %r10\n pop %r9\n pop %r8\n"
	"	pop %rdi\n pop %rsi\n pop %rbp\n"
	"	pop %rbx\n pop %rdx\n pop %rcx\n pop %rax\n"
	"	add $16, %rsp\n"
	"	iretq\n"
	"\n"
	".globl guest_return_trap\n"
	"guest_return_trap:\n"
	"	mov %rax, %rdi\n"
	"	call guest_returned\n"
	"1:	hlt\n"
	"	jmp 1b\n");
