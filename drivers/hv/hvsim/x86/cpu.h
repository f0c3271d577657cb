/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvsim's x86 CPU model: the interface between the VP object model and the
 * instruction interpreter.  The interpreter knows nothing of partitions or
 * hypercalls: it runs a register state against a guest-physical memory
 * accessor until something needs the hypervisor (an exit).
 */
#ifndef _HVSIM_CPU_H
#define _HVSIM_CPU_H

#include <linux/bits.h>
#include <linux/types.h>

/*
 * The functions an intercept round trip runs (dispatch, the engine's run
 * loop, building the message) share one text section, so that they
 * occupy few pages: each page an exit touches costs a TLB fill after a
 * world switch that flushes the TLB (QEMU's TCG model of AMD-V flushes
 * it at every VMRUN and #VMEXIT).  .text.hot is also where vmlinux.lds.h
 * puts such code in a built-in kernel.
 */
#define __hvsim_hot	__section(".text.hot")

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
 * @dr: debug registers DR0-DR3
 * @dr6: debug status
 * @dr7: debug control
 * @xcr0: extended control register 0 (XSAVE feature mask)
 * @msr: the model-specific registers a VMM saves and restores
 * @msr.tsc_offset: guest TSC minus host TSC
 * @msr.apic_base: IA32_APIC_BASE
 * @msr.pat: IA32_PAT
 * @msr.sysenter_cs: IA32_SYSENTER_CS
 * @msr.sysenter_eip: IA32_SYSENTER_EIP
 * @msr.sysenter_esp: IA32_SYSENTER_ESP
 * @msr.star: STAR
 * @msr.lstar: LSTAR
 * @msr.cstar: CSTAR
 * @msr.sfmask: SFMASK
 * @msr.kernel_gs_base: KERNEL_GS_BASE
 * @msr.tsc_aux: TSC_AUX
 * @msr.mtrr_def_type: IA32_MTRR_DEF_TYPE
 * @msr.mtrr_phys: variable-range MTRRs, base/mask pairs
 * @msr.mtrr_fixed: the eleven fixed-range MTRRs
 * @interrupt_shadow: an interrupt may not be taken before the next
 *	instruction (after STI or MOV SS)
 * @nmi_masked: an NMI handler is running (until IRET)
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
	u64 dr[4];
	u64 dr6, dr7;
	u64 xcr0;
	struct {
		u64 tsc_offset;
		u64 apic_base;
		u64 pat;
		u64 sysenter_cs, sysenter_eip, sysenter_esp;
		u64 star, lstar, cstar, sfmask;
		u64 kernel_gs_base;
		u64 tsc_aux;
		u64 mtrr_def_type;
		u64 mtrr_phys[16][2];
		u64 mtrr_fixed[11];
	} msr;
	bool interrupt_shadow;
	bool nmi_masked;
};

/**
 * enum hvsim_cb_result - what a CPUID/MSR/TSC callback decided
 * @HVSIM_CB_DONE: the callback produced the result
 * @HVSIM_CB_DEFAULT: use the interpreter's built-in behaviour
 * @HVSIM_CB_INTERCEPT: stop with HVSIM_EXIT_CPUID / HVSIM_EXIT_MSR; the
 *	instruction is not executed (the VMM emulates it and advances RIP)
 * @HVSIM_CB_GP: the guest gets #GP(0) (RDMSR/WRMSR only)
 */
enum hvsim_cb_result {
	HVSIM_CB_DONE,
	HVSIM_CB_DEFAULT,
	HVSIM_CB_INTERCEPT,
	HVSIM_CB_GP,
};

/**
 * struct hvsim_mem_ops - the interpreter's view of the platform
 * @read: copy @len bytes at guest physical @gpa into @buf; the range never
 *	crosses a 4 KiB page.  Returns 0; -EFAULT if the page is not mapped
 *	(the interpreter exits with HVSIM_EXIT_UNMAPPED_GPA); -EACCES if it
 *	is mapped but not readable (HVSIM_EXIT_GPA_INTERCEPT).
 * @write: copy @len bytes from @buf to guest physical @gpa; same rules:
 *	-EFAULT for an unmapped page, -EACCES for a page mapped read-only.
 * @fetch: optional; returns -EACCES if instructions may not be executed
 *	from the page at @gpa (HVSIM_EXIT_GPA_INTERCEPT with @exec set),
 *	0 otherwise.  NULL: every readable page is executable.
 * @cpuid: optional; fill @out (EAX, EBX, ECX, EDX) for @leaf/@subleaf.
 *	NULL or HVSIM_CB_DEFAULT: the built-in fixed CPUID table.
 * @rdmsr: optional; read MSR @index into @val.  NULL or HVSIM_CB_DEFAULT:
 *	the MSR fields of struct hvsim_cpu_state (#GP for unknown MSRs).
 * @wrmsr: optional; write @val to MSR @index; same defaults.
 * @rdtsc: optional; the host TSC (the guest sees it plus msr.tsc_offset).
 *	NULL: the host TSC reads as 0 and hvsim_cpu_run() adds the number
 *	of retired instructions to msr.tsc_offset, so the guest TSC counts
 *	instructions.
 * @exception: optional; true if exception @vector (0-31), raised by an
 *	instruction, is to stop the run with HVSIM_EXIT_EXCEPTION instead of
 *	being delivered through the IDT.  NULL: never.
 * @irq_pending: optional; the interrupt controller, called before each
 *	instruction with the committed state @st, which it may update (a
 *	TPR write through the controller lands in @st->cr8 here).  Returns
 *	the highest-priority interrupt vector the controller would deliver
 *	now, HVSIM_IRQ_NMI for a non-maskable interrupt (to be returned only
 *	while @st->nmi_masked is clear), or -1.  The CPU takes a vector only
 *	if RFLAGS.IF is set and there is no interrupt shadow, an NMI
 *	whatever IF (through IDT vector 2, setting @st->nmi_masked until
 *	the next IRET) but not in a shadow.  NULL: no interrupt controller.
 * @irq_ack: called once what @irq_pending returned (a vector or
 *	HVSIM_IRQ_NMI) has been delivered through the IDT (the controller
 *	moves a vector to in-service).  If delivery stops with an exit
 *	instead, it is not called and the interrupt stays pending.
 * @xcr0_mask: optional; the XCR0 bits XSETBV may set, i.e. what CPUID
 *	leaf 0xD sub-leaf 0 (EDX:EAX) reports.  NULL: x87 only.
 *
 * All callbacks are called from hvsim_cpu_run() with @ctx and must not
 * sleep.  Callbacks other than @read and @write may be left NULL, so
 * existing initialisers keep compiling and behaving as before.
 */
/* hvsim_mem_ops.irq_pending: a non-maskable interrupt is pending. */
#define HVSIM_IRQ_NMI	256

struct hvsim_mem_ops {
	int (*read)(void *ctx, u64 gpa, void *buf, unsigned int len);
	int (*write)(void *ctx, u64 gpa, const void *buf, unsigned int len);
	int (*fetch)(void *ctx, u64 gpa);
	int (*cpuid)(void *ctx, u32 leaf, u32 subleaf, u32 out[4]);
	int (*rdmsr)(void *ctx, u32 index, u64 *val);
	int (*wrmsr)(void *ctx, u32 index, u64 val);
	u64 (*rdtsc)(void *ctx);
	bool (*exception)(void *ctx, u8 vector);
	int (*irq_pending)(void *ctx, struct hvsim_cpu_state *st);
	void (*irq_ack)(void *ctx, int vector);
	u64 (*xcr0_mask)(void *ctx);
};

enum hvsim_exit_reason {
	HVSIM_EXIT_NONE,	/* instruction budget used up; state is consistent */
	HVSIM_EXIT_IO,		/* IN/OUT: not executed, RIP still at it */
	HVSIM_EXIT_HLT,		/* HLT executed: RIP is past it */
	HVSIM_EXIT_UNMAPPED_GPA, /* access to an unmapped page: not executed */
	HVSIM_EXIT_UNSUPPORTED,	/* opcode the model does not implement */
	HVSIM_EXIT_TRIPLE_FAULT, /* state is that of the faulting instruction */
	HVSIM_EXIT_GPA_INTERCEPT, /* GPA map denied the access: not executed */
	HVSIM_EXIT_CPUID,	/* CPUID intercepted: not executed */
	HVSIM_EXIT_MSR,		/* RDMSR/WRMSR intercepted: not executed */
	HVSIM_EXIT_EXCEPTION,	/* exception intercepted: not delivered */
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
 * @mem: for HVSIM_EXIT_UNMAPPED_GPA and HVSIM_EXIT_GPA_INTERCEPT
 * @mem.gpa: the guest physical address accessed
 * @mem.gva: the linear address accessed
 * @mem.write: the access was a write
 * @mem.exec: the access was an instruction fetch
 * @mem.walk: the access was a page-table read/update by the page walker
 * @mem.no_gva: @mem.gva is not known (an engine that saw only the GPA)
 * @cpuid: for HVSIM_EXIT_CPUID: the leaf (EAX) and subleaf (ECX)
 * @cpuid.leaf: EAX
 * @cpuid.subleaf: ECX
 * @msr: for HVSIM_EXIT_MSR
 * @msr.index: ECX
 * @msr.write: WRMSR (else RDMSR)
 * @msr.value: EDX:EAX for WRMSR
 * @exc: for HVSIM_EXIT_EXCEPTION; the state is that before the faulting
 *	instruction for a fault, after the instruction for a trap (#DB of
 *	single-stepping), and @rip is its RIP
 * @exc.vector: the exception vector
 * @exc.has_err: the exception pushes an error code
 * @exc.err: the error code
 * @exc.cr2: the faulting linear address, for #PF
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
		bool exec;
		bool walk;
		bool no_gva;
	} mem;
	struct {
		u32 leaf;
		u32 subleaf;
	} cpuid;
	struct {
		u32 index;
		bool write;
		u64 value;
	} msr;
	struct {
		u8 vector;
		bool has_err;
		u32 err;
		u64 cr2;
	} exc;
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
 * hvsim_cpu_fetch() - the bytes of the instruction at CS:RIP
 * @st: register state (not changed)
 * @mem: guest-physical memory accessors
 * @ctx: passed to @mem callbacks
 * @exit: its insn and insn_bytes receive the bytes
 *
 * Fetches what hvsim_cpu_run() fetches before it decodes an instruction
 * (up to 16 bytes, fewer where the CS limit ends or a page cannot be
 * read), so that an exit built without decoding reports the same bytes.
 * Other fields of @exit may be changed on a failed fetch.
 *
 * Return: the number of bytes in @exit->insn.
 */
unsigned int hvsim_cpu_fetch(struct hvsim_cpu_state *st,
			     const struct hvsim_mem_ops *mem, void *ctx,
			     struct hvsim_exit *exit);

/**
 * hvsim_cpu_reset() - put @st into the x86 power-on state
 * @st: state to reset
 *
 * RIP=0xFFF0, CS selector 0xF000 base 0xFFFF0000, RFLAGS=0x2, CR0=0x60000010,
 * RDX=0x600 (family 6), other segments base 0 limit 0xFFFF, DR6=0xFFFF0FF0,
 * DR7=0x400, XCR0=1, PAT=0x0007040600070406, APIC_BASE=0xFEE00900 (BSP,
 * enabled), everything else 0.
 */
void hvsim_cpu_reset(struct hvsim_cpu_state *st);

/**
 * hvsim_cpu_interrupt() - deliver an external interrupt
 * @st: register state, updated in place
 * @mem: platform accessors
 * @ctx: passed to @mem callbacks
 * @vector: interrupt vector (0-255)
 * @exit: filled if delivery needs the VMM
 *
 * Delivers @vector through the IVT/IDT as an external interrupt, if the
 * VP can take it (RFLAGS.IF set, no interrupt shadow).
 *
 * Return: 1 if delivered, 0 if the VP cannot take an interrupt now,
 * or -1 if delivery stopped with @exit (e.g. HVSIM_EXIT_UNMAPPED_GPA,
 * HVSIM_EXIT_TRIPLE_FAULT); @st is then unchanged except for a triple
 * fault.
 */
int hvsim_cpu_interrupt(struct hvsim_cpu_state *st,
			const struct hvsim_mem_ops *mem, void *ctx,
			u8 vector, struct hvsim_exit *exit);

/**
 * hvsim_cpu_event() - deliver an exception or NMI not raised by an instruction
 * @st: register state, updated in place
 * @mem: platform accessors
 * @ctx: passed to @mem callbacks
 * @vector: exception vector (ignored for an NMI)
 * @nmi: deliver an NMI (vector 2, external; sets nmi_masked)
 * @has_err: the exception pushes @err
 * @err: its error code
 * @exit: filled if delivery needs the VMM
 *
 * For an engine that ran the guest elsewhere and got back an event whose
 * delivery it must finish: @st is the state before delivery (RIP is the
 * return address, CR2 already set for a #PF).  Faults during delivery
 * are handled as for an instruction's exception (#DF, triple fault); an
 * intercepted exception stops with HVSIM_EXIT_EXCEPTION.
 *
 * Return: 0 if delivered, -1 if delivery stopped with @exit (@st
 * unchanged but for a triple fault).
 */
int hvsim_cpu_event(struct hvsim_cpu_state *st,
		    const struct hvsim_mem_ops *mem, void *ctx, u8 vector,
		    bool nmi, bool has_err, u32 err, struct hvsim_exit *exit);

/* hvsim_cpu_translate() access flags */
#define HVSIM_XLATE_WRITE	BIT(0)	/* check write permission */
#define HVSIM_XLATE_EXEC	BIT(1)	/* check execute permission (NX) */
#define HVSIM_XLATE_USER	BIT(2)	/* user access, whatever the CPL */
#define HVSIM_XLATE_SUPERVISOR	BIT(3)	/* supervisor access, whatever the CPL */
#define HVSIM_XLATE_PRIV_EXEMPT	BIT(4)	/* skip the U/S, R/W and NX checks */
#define HVSIM_XLATE_SET_AD	BIT(5)	/* set accessed (and dirty) bits */

/**
 * enum hvsim_xlate_result - outcome of hvsim_cpu_translate()
 * @HVSIM_XLATE_OK: translated
 * @HVSIM_XLATE_NOT_PRESENT: an entry of the walk is not present
 * @HVSIM_XLATE_PRIVILEGE: the access is not permitted (#PF with P set)
 * @HVSIM_XLATE_RESERVED: a reserved bit is set in an entry
 * @HVSIM_XLATE_WALK_UNMAPPED: a page-table access hit an unmapped GPA
 * @HVSIM_XLATE_WALK_NO_READ: a page-table read was denied by the GPA map
 * @HVSIM_XLATE_WALK_NO_WRITE: an accessed/dirty update was denied
 */
enum hvsim_xlate_result {
	HVSIM_XLATE_OK,
	HVSIM_XLATE_NOT_PRESENT,
	HVSIM_XLATE_PRIVILEGE,
	HVSIM_XLATE_RESERVED,
	HVSIM_XLATE_WALK_UNMAPPED,
	HVSIM_XLATE_WALK_NO_READ,
	HVSIM_XLATE_WALK_NO_WRITE,
};

int hvsim_cpu_translate(const struct hvsim_cpu_state *st,
			const struct hvsim_mem_ops *mem, void *ctx, u64 gva,
			unsigned int access, u64 *gpa);

bool hvsim_cpu_xcr0_valid(u64 xcr0, u64 supported);

#endif /* _HVSIM_CPU_H */
