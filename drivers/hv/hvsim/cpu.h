/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvsim's x86 CPU model: the interface between the VP object model and the
 * instruction interpreter.  The interpreter knows nothing of partitions or
 * hypercalls: it runs a register state against a guest-physical memory
 * accessor until something needs the hypervisor (an exit).
 */
#ifndef _HVSIM_CPU_H
#define _HVSIM_CPU_H

#include <linux/types.h>

/* General-purpose register numbers: x86 encoding order (= TLFS order). */
enum hvsim_gpr {
	HVSIM_RAX, HVSIM_RCX, HVSIM_RDX, HVSIM_RBX,
	HVSIM_RSP, HVSIM_RBP, HVSIM_RSI, HVSIM_RDI,
	HVSIM_R8, HVSIM_R9, HVSIM_R10, HVSIM_R11,
	HVSIM_R12, HVSIM_R13, HVSIM_R14, HVSIM_R15,
	HVSIM_NR_GPRS
};

/* Segment register numbers: x86 encoding order, then LDTR and TR. */
enum hvsim_sreg {
	HVSIM_ES, HVSIM_CS, HVSIM_SS, HVSIM_DS, HVSIM_FS, HVSIM_GS,
	HVSIM_LDTR, HVSIM_TR,
	HVSIM_NR_SREGS
};

struct hvsim_segment {
	u64 base;
	u32 limit;
	u16 selector;
	u16 attributes;		/* TLFS layout: type:4 s:1 dpl:2 p:1 .. l:1 db:1 g:1 */
};

struct hvsim_dtable {
	u64 base;
	u16 limit;
};

/**
 * struct hvsim_cpu_state - architectural state the interpreter uses
 * @gpr: general-purpose registers
 * @rip: instruction pointer
 * @rflags: flags (bit 1 always set)
 * @seg: segment registers, HVSIM_ES..HVSIM_TR
 * @gdtr: global descriptor table register
 * @idtr: interrupt descriptor table register
 * @cr0: control register 0
 * @cr2: page-fault address
 * @cr3: page-table base
 * @cr4: control register 4
 * @cr8: task priority
 * @efer: extended feature enable register
 */
struct hvsim_cpu_state {
	u64 gpr[HVSIM_NR_GPRS];
	u64 rip;
	u64 rflags;
	struct hvsim_segment seg[HVSIM_NR_SREGS];
	struct hvsim_dtable gdtr;
	struct hvsim_dtable idtr;
	u64 cr0, cr2, cr3, cr4, cr8;
	u64 efer;
};

/**
 * struct hvsim_mem_ops - guest-physical memory as the interpreter sees it
 * @read: copy @len bytes at guest physical @gpa into @buf; the range never
 *	crosses a 4 KiB page.  Returns 0, or -EFAULT if the page is not
 *	mapped readable (the interpreter then exits with
 *	HVSIM_EXIT_UNMAPPED_GPA).
 * @write: copy @len bytes from @buf to guest physical @gpa; same rules,
 *	-EFAULT if not mapped writable.
 */
struct hvsim_mem_ops {
	int (*read)(void *ctx, u64 gpa, void *buf, unsigned int len);
	int (*write)(void *ctx, u64 gpa, const void *buf, unsigned int len);
};

enum hvsim_exit_reason {
	HVSIM_EXIT_NONE,	/* instruction budget used up; state is consistent */
	HVSIM_EXIT_IO,		/* IN/OUT: not executed, RIP still at it */
	HVSIM_EXIT_HLT,		/* HLT executed: RIP is past it */
	HVSIM_EXIT_UNMAPPED_GPA, /* access to an unmapped page: not executed */
	HVSIM_EXIT_UNSUPPORTED,	/* opcode the model does not implement (#UD) */
	HVSIM_EXIT_TRIPLE_FAULT,
};

/**
 * struct hvsim_exit - why hvsim_cpu_run() stopped
 * @reason: enum hvsim_exit_reason
 * @rip: address of the instruction that caused the exit
 * @insn_len: length of that instruction (0 if not decoded)
 * @insn: its first bytes (up to 16)
 * @insn_bytes: number of valid bytes in @insn
 * @io: for HVSIM_EXIT_IO
 * @io.port: port number
 * @io.size: access size in bytes (1, 2 or 4)
 * @io.write: true for OUT
 * @io.string: INS/OUTS
 * @io.rep: REP prefix present
 * @mem: for HVSIM_EXIT_UNMAPPED_GPA
 * @mem.gpa: the guest physical address accessed
 * @mem.gva: the linear address accessed
 * @mem.write: the access was a write
 */
struct hvsim_exit {
	int reason;
	u64 rip;
	u8 insn_len;
	u8 insn_bytes;
	u8 insn[16];
	struct {
		u16 port;
		u8 size;
		bool write;
		bool string;
		bool rep;
	} io;
	struct {
		u64 gpa;
		u64 gva;
		bool write;
	} mem;
};

/**
 * hvsim_cpu_run() - interpret guest instructions
 * @st: register state, updated in place
 * @mem: guest-physical memory accessors
 * @ctx: passed to @mem callbacks
 * @budget: maximum number of instructions to execute
 * @exit: filled with the reason the run stopped
 *
 * Runs until an exit or until @budget instructions have retired.  Never
 * sleeps.  Return: number of instructions retired.
 */
unsigned long hvsim_cpu_run(struct hvsim_cpu_state *st,
			    const struct hvsim_mem_ops *mem, void *ctx,
			    unsigned long budget, struct hvsim_exit *exit);

/**
 * hvsim_cpu_reset() - put @st into the x86 power-on state
 * @st: state to reset
 *
 * RIP=0xFFF0, CS selector 0xF000 base 0xFFFF0000, RFLAGS=0x2, CR0=0x60000010,
 * RDX=0x600 (family 6), other segments base 0 limit 0xFFFF, everything else 0.
 */
void hvsim_cpu_reset(struct hvsim_cpu_state *st);

#endif /* _HVSIM_CPU_H */
