/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest side of the 64-bit selftests: code that runs *inside* a vm64
 * partition (see vm64.h), compiled freestanding (no libc, no SSE, no red
 * zone, no stack protector) in the *_guest.c files and lib/guest_x86.c.
 *
 * Reporting ("ucall"): the guest fills a struct ucall on its stack and
 * executes "outl %eax, %dx" to UCALL_PORT with EAX = the command and RDI =
 * the struct's address.  The VMM (vm64_run()) reads the struct from guest
 * memory, steps over the OUT and returns the command to the test.
 *
 * Exceptions: vm64 points IDT vectors 0-31 at the stubs in
 * lib/guest_x86.c, which save the general-purpose registers and call the
 * handler installed with guest_install_handler(); a handler may change the
 * frame (e.g. frame->rip to skip the faulting instruction) before the stub
 * returns with IRETQ.  A vector without a handler reports UCALL_UNHANDLED,
 * which fails the test.
 *
 * The struct ucall layout and the command numbers are shared with the VMM.
 */
#ifndef SELFTEST_MSHV_GUEST_X86_H
#define SELFTEST_MSHV_GUEST_X86_H

#include <stddef.h>
#include <linux/types.h>

#include "x64_boot.h"

#ifndef __noreturn
#define __noreturn	__attribute__((__noreturn__))
#endif

#define UCALL_PORT		0x1000
#define UCALL_MAX_ARGS		4

enum ucall_cmd {
	UCALL_NONE,		/* the exit was not a ucall */
	UCALL_SYNC,		/* GUEST_SYNC(): args[] hold the values */
	UCALL_ASSERT,		/* GUEST_ASSERT*() failed */
	UCALL_DONE,		/* GUEST_DONE() or the guest function returned */
	UCALL_UNHANDLED,	/* exception without handler: vector, error, rip, cr2 */
	UCALL_MAX,
};

/**
 * struct ucall - what the guest reports, in guest memory
 * @cmd: enum ucall_cmd
 * @nargs: number of valid @args
 * @args: values
 * @file: guest address of the source file name (GUEST_ASSERT), or 0
 * @line: source line
 * @expr: guest address of the failed expression's text, or 0
 */
struct ucall {
	__u64 cmd;
	__u64 nargs;
	__u64 args[UCALL_MAX_ARGS];
	__u64 file;
	__u64 line;
	__u64 expr;
};

/**
 * struct guest_frame - the stack of an exception stub when it calls the
 *	handler: the saved registers, then the hardware frame
 * @r15: saved GPRs, r15 first (lowest address) ... rax last
 * @vector: exception vector (pushed by the stub)
 * @error_code: error code (pushed by the CPU, or 0 by the stub)
 * @rip: where IRETQ returns to
 * @cs: code selector
 * @rflags: flags
 * @rsp: stack pointer to return to
 * @ss: stack selector
 */
struct guest_frame {
	__u64 r15, r14, r13, r12, r11, r10, r9, r8;
	__u64 rdi, rsi, rbp, rbx, rdx, rcx, rax;
	__u64 vector;
	__u64 error_code;
	__u64 rip, cs, rflags, rsp, ss;
};

typedef void (*guest_handler_t)(struct guest_frame *frame);

#define GUEST_NR_VECTORS	256
#define GUEST_STUB_SIZE		16	/* bytes per stub in guest_exception_stubs */

/*
 * Stubs for every vector (exceptions and interrupts): GUEST_NR_VECTORS
 * entry points, GUEST_STUB_SIZE apart; vm64 points the IDT at them.
 */
extern const char guest_exception_stubs[];
/* Where a guest function called by vm64 returns to (reports UCALL_DONE). */
extern const char guest_return_trap[];

/* Exception vectors used by the tests. */
#define GUEST_VEC_DE		0
#define GUEST_VEC_BP		3
#define GUEST_VEC_UD		6
#define GUEST_VEC_DF		8
#define GUEST_VEC_GP		13
#define GUEST_VEC_PF		14

/* Page-fault error code bits. */
#define GUEST_PF_P		BIT(0)
#define GUEST_PF_W		BIT(1)
#define GUEST_PF_U		BIT(2)
#define GUEST_PF_I		BIT(4)

void guest_ucall(__u64 cmd, const __u64 *args, unsigned int nargs,
		 const char *file, unsigned int line, const char *expr);
void guest_install_handler(unsigned int vector, guest_handler_t handler);
__noreturn void guest_halt_forever(void);

/* GUEST_SYNC(a, b, ...): report up to UCALL_MAX_ARGS values. */
#define GUEST_SYNC(...)							\
	do {								\
		const __u64 __a[] = { 0, ##__VA_ARGS__ };		\
		guest_ucall(UCALL_SYNC, __a + 1,			\
			    sizeof(__a) / sizeof(__a[0]) - 1,		\
			    0, 0, 0);					\
	} while (0)

#define GUEST_DONE()	guest_ucall(UCALL_DONE, 0, 0, 0, 0, 0)

#define __GUEST_ASSERT(cond, text, a, b)				\
	do {								\
		if (!(cond)) {						\
			const __u64 __a[] = { (__u64)(a), (__u64)(b) };	\
			guest_ucall(UCALL_ASSERT, __a, 2, __FILE__,	\
				    __LINE__, text);			\
			guest_halt_forever();				\
		}							\
	} while (0)

/* GUEST_ASSERT(cond): report the failure to the VMM, which ends the test. */
#define GUEST_ASSERT(cond)	__GUEST_ASSERT(cond, #cond, 0, 0)
/* GUEST_ASSERT_EQ(expected, seen): also report both values. */
#define GUEST_ASSERT_EQ(a, b)	__GUEST_ASSERT((a) == (b), #a " == " #b, a, b)

/* Instructions, for guest code. */
static inline void guest_outl(__u16 port, __u32 value)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(value), "Nd"(port));
}

static inline void guest_outb(__u16 port, __u8 value)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline __u64 guest_read_cr2(void)
{
	__u64 v;

	__asm__ __volatile__("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline __u64 guest_read_cr3(void)
{
	__u64 v;

	__asm__ __volatile__("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline __u64 guest_read_rsp(void)
{
	__u64 v;

	__asm__ __volatile__("mov %%rsp, %0" : "=r"(v));
	return v;
}

static inline void guest_invlpg(__u64 gva)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(gva) : "memory");
}

#define GUEST_RFLAGS_IF		(1ULL << 9)

static inline __u64 guest_read_rflags(void)
{
	__u64 v;

	__asm__ __volatile__("pushfq; pop %0" : "=r"(v) : : "memory");
	return v;
}

struct guest_dtr {
	__u16 limit;
	__u64 base;
} __attribute__((packed));

static inline void guest_lidt(__u64 base, __u16 limit)
{
	struct guest_dtr dtr = { .limit = limit, .base = base };

	__asm__ __volatile__("lidt %0" : : "m"(dtr) : "memory");
}

static inline void guest_sidt(struct guest_dtr *dtr)
{
	__asm__ __volatile__("sidt %0" : "=m"(*dtr));
}

static inline void guest_sti(void)
{
	__asm__ __volatile__("sti" : : : "memory");
}

static inline void guest_cli(void)
{
	__asm__ __volatile__("cli" : : : "memory");
}

/* STI's interrupt shadow covers the HLT: no interrupt slips in between. */
static inline void guest_sti_hlt(void)
{
	__asm__ __volatile__("sti; hlt" : : : "memory");
}

static inline __u64 guest_rdmsr(__u32 msr)
{
	__u32 lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (__u64)hi << 32 | lo;
}

static inline void guest_wrmsr(__u32 msr, __u64 value)
{
	__asm__ __volatile__("wrmsr" : : "c"(msr), "a"((__u32)value),
			     "d"((__u32)(value >> 32)) : "memory");
}

/* Local APIC: xAPIC registers at the default base (identity mapped). */
#define GUEST_APIC_BASE		0xfee00000ULL
#define GUEST_MSR_APIC_BASE	0x1b
#define GUEST_APIC_BASE_X2APIC	BIT(10)
#define GUEST_APIC_BASE_ENABLE	BIT(11)
#define GUEST_APIC_ID		0x20
#define GUEST_APIC_TPR		0x80
#define GUEST_APIC_PPR		0xa0
#define GUEST_APIC_EOI		0xb0
#define GUEST_APIC_SVR		0xf0
#define GUEST_APIC_SVR_ENABLE	BIT(8)
#define GUEST_APIC_ISR		0x100
#define GUEST_APIC_TMR		0x180
#define GUEST_APIC_IRR		0x200
#define GUEST_APIC_ICR		0x300
#define GUEST_APIC_ICR_SELF	(1U << 18)
#define GUEST_APIC_LVT_TIMER	0x320
#define GUEST_APIC_LVT_MASKED	BIT(16)
#define GUEST_APIC_LVT_PERIODIC	BIT(17)
#define GUEST_APIC_TIMER_ICR	0x380
#define GUEST_APIC_TIMER_CCR	0x390
#define GUEST_APIC_TIMER_DCR	0x3e0
#define GUEST_APIC_DIV_1	0xb
#define GUEST_X2APIC_MSR(reg)	(0x800 + ((reg) >> 4))

static inline __u32 guest_apic_read(__u32 reg)
{
	return *(volatile __u32 *)(GUEST_APIC_BASE + reg);
}

static inline void guest_apic_write(__u32 reg, __u32 value)
{
	*(volatile __u32 *)(GUEST_APIC_BASE + reg) = value;
}

/* Is @vector set in the 256-bit APIC register at @reg (ISR, TMR, IRR)? */
static inline int guest_apic_vec_test(__u32 reg, unsigned int vector)
{
	return (guest_apic_read(reg + (vector / 32) * 16) >> (vector % 32)) & 1;
}

/* The 4 KiB page-table entry of @gva (< 2 MiB, identity mapped). */
static inline volatile __u64 *guest_pte(__u64 gva)
{
	return (volatile __u64 *)(X64_PT_GPA + (gva >> 12) * 8);
}

#endif /* SELFTEST_MSHV_GUEST_X86_H */
