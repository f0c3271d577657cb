/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private interface between the pieces of hvsim's x86 interpreter:
 * cpu.c (run loop, memory), cpu_decode.c (prefixes, ModRM, operands),
 * cpu_alu.c (arithmetic and flags), cpu_exec.c (opcode dispatch),
 * cpu_string.c (string instructions and port I/O), cpu_far.c (far
 * transfers, software interrupts, IRET), cpu_seg.c (descriptors and
 * segment checks), cpu_paging.c (linear to physical translation),
 * cpu_excp.c (exception and interrupt delivery), cpu_sys.c (system
 * instructions) and cpu_bits.c (the other 0F xx integer instructions).
 *
 * Every helper that can stop the instruction returns an int: 0 to go on,
 * or the HVSIM_EXIT_* reason to stop with (the exit record is filled by
 * whoever detected it).  The instruction works on a scratch copy of the
 * register state and defers its (single) memory write; both are committed
 * only when the whole instruction succeeded, so an exit never leaves a
 * half-executed instruction behind.
 *
 * Only <linux/types.h>, <linux/bits.h>, <linux/string.h> and
 * <linux/errno.h> may be used here, so that tools/testing/hvsim-cpu can
 * build the interpreter in userspace.
 */
#ifndef _HVSIM_CPU_INTERNAL_H
#define _HVSIM_CPU_INTERNAL_H

#include <linux/bits.h>
#include <linux/types.h>

#include "cpu.h"

#define HVSIM_PAGE_SIZE		4096
#define HVSIM_MAX_FETCH		16

/* RFLAGS bits */
#define HVSIM_FL_CF		BIT_ULL(0)
#define HVSIM_FL_FIXED		BIT_ULL(1)	/* reads as 1 */
#define HVSIM_FL_PF		BIT_ULL(2)
#define HVSIM_FL_AF		BIT_ULL(4)
#define HVSIM_FL_ZF		BIT_ULL(6)
#define HVSIM_FL_SF		BIT_ULL(7)
#define HVSIM_FL_TF		BIT_ULL(8)
#define HVSIM_FL_IF		BIT_ULL(9)
#define HVSIM_FL_DF		BIT_ULL(10)
#define HVSIM_FL_OF		BIT_ULL(11)
#define HVSIM_FL_IOPL		GENMASK_ULL(13, 12)
#define HVSIM_FL_NT		BIT_ULL(14)
#define HVSIM_FL_RF		BIT_ULL(16)
#define HVSIM_FL_VM		BIT_ULL(17)
#define HVSIM_FL_AC		BIT_ULL(18)
#define HVSIM_FL_VIF		BIT_ULL(19)
#define HVSIM_FL_VIP		BIT_ULL(20)
#define HVSIM_FL_ID		BIT_ULL(21)
#define HVSIM_FL_ARITH		(HVSIM_FL_CF | HVSIM_FL_PF | HVSIM_FL_AF | \
				 HVSIM_FL_ZF | HVSIM_FL_SF | HVSIM_FL_OF)

#define HVSIM_CR0_PE		BIT_ULL(0)
#define HVSIM_CR0_MP		BIT_ULL(1)
#define HVSIM_CR0_EM		BIT_ULL(2)
#define HVSIM_CR0_TS		BIT_ULL(3)
#define HVSIM_CR0_ET		BIT_ULL(4)
#define HVSIM_CR0_NE		BIT_ULL(5)
#define HVSIM_CR0_WP		BIT_ULL(16)
#define HVSIM_CR0_AM		BIT_ULL(18)
#define HVSIM_CR0_NW		BIT_ULL(29)
#define HVSIM_CR0_CD		BIT_ULL(30)
#define HVSIM_CR0_PG		BIT_ULL(31)

#define HVSIM_CR4_TSD		BIT_ULL(2)
#define HVSIM_CR4_DE		BIT_ULL(3)
#define HVSIM_CR4_PSE		BIT_ULL(4)
#define HVSIM_CR4_PAE		BIT_ULL(5)
#define HVSIM_CR4_MCE		BIT_ULL(6)
#define HVSIM_CR4_PGE		BIT_ULL(7)
#define HVSIM_CR4_PCE		BIT_ULL(8)
#define HVSIM_CR4_OSFXSR	BIT_ULL(9)
#define HVSIM_CR4_OSXMMEXCPT	BIT_ULL(10)
#define HVSIM_CR4_LA57		BIT_ULL(12)
#define HVSIM_CR4_FSGSBASE	BIT_ULL(16)
#define HVSIM_CR4_PCIDE		BIT_ULL(17)
#define HVSIM_CR4_OSXSAVE	BIT_ULL(18)

#define HVSIM_EFER_SCE		BIT_ULL(0)
#define HVSIM_EFER_LME		BIT_ULL(8)
#define HVSIM_EFER_LMA		BIT_ULL(10)
#define HVSIM_EFER_NXE		BIT_ULL(11)

/* struct hvsim_segment.attributes bits (TLFS layout) */
#define HVSIM_SEG_TYPE		0xf
#define HVSIM_SEG_ATTR_S	BIT(4)		/* code/data (not system) */
#define HVSIM_SEG_DPL(a)	(((a) >> 5) & 3)
#define HVSIM_SEG_ATTR_P	BIT(7)
#define HVSIM_SEG_ATTR_L	BIT(13)
#define HVSIM_SEG_ATTR_DB	BIT(14)
#define HVSIM_SEG_ATTR_G	BIT(15)
/* type bits of code/data descriptors */
#define HVSIM_SEG_T_A		BIT(0)		/* accessed */
#define HVSIM_SEG_T_RW		BIT(1)		/* code: readable, data: writable */
#define HVSIM_SEG_T_CE		BIT(2)		/* code: conforming, data: expand-down */
#define HVSIM_SEG_T_CODE	BIT(3)

/* exception vectors */
#define HVSIM_DE		0
#define HVSIM_DB		1
#define HVSIM_NMI		2
#define HVSIM_BP		3
#define HVSIM_OF		4
#define HVSIM_UD		6
#define HVSIM_NM		7
#define HVSIM_DF		8
#define HVSIM_TS		10
#define HVSIM_NP		11
#define HVSIM_SS_VEC		12
#define HVSIM_GP		13
#define HVSIM_PF		14

/* #PF error code bits */
#define HVSIM_PFEC_P		BIT(0)
#define HVSIM_PFEC_W		BIT(1)
#define HVSIM_PFEC_U		BIT(2)
#define HVSIM_PFEC_RSVD		BIT(3)
#define HVSIM_PFEC_I		BIT(4)

/*
 * Internal result "the instruction raised an exception": the vector and
 * error code are in struct hvsim_insn; the run loop delivers it.
 */
#define HVSIM_EXC		0x100

/* access kinds for hvsim_xlate() */
#define HVSIM_ACC_W		BIT(0)
#define HVSIM_ACC_X		BIT(1)
#define HVSIM_ACC_SYS		BIT(2)	/* implicit supervisor access */
/* hvsim_cpu_translate() only: */
#define HVSIM_ACC_NOAD		BIT(3)	/* leave accessed/dirty bits alone */
#define HVSIM_ACC_NOPERM	BIT(4)	/* no U/S, R/W or NX checks */

/* hvsim_deliver() flags */
#define HVSIM_DLV_SOFT		BIT(0)	/* INT n/INT3/INTO: gate DPL check */
#define HVSIM_DLV_EXT		BIT(1)	/* external event: EXT in error codes */

/*
 * A tiny translation cache, valid for one hvsim_cpu_run() call: emptied
 * when CR0, CR3, CR4 or EFER change and by INVLPG, keyed by the linear
 * page and the kind of access (so a write still walks once to set D).
 */
#define HVSIM_TLB_SIZE		8

struct hvsim_tlb {
	u64 tag[HVSIM_TLB_SIZE];
	u64 gpa[HVSIM_TLB_SIZE];
};

/* pending writes of one instruction */
#define HVSIM_MAX_WR		4
#define HVSIM_WBUF		96

/* REX prefix bits (64-bit mode only) */
#define HVSIM_REX_B		BIT(0)
#define HVSIM_REX_X		BIT(1)
#define HVSIM_REX_R		BIT(2)
#define HVSIM_REX_W		BIT(3)

#define HVSIM_SEG_NONE		(-1)

/* ALU operation numbers: the x86 encoding order of 00-3F and group 1. */
enum hvsim_alu_op {
	HVSIM_ALU_ADD, HVSIM_ALU_OR, HVSIM_ALU_ADC, HVSIM_ALU_SBB,
	HVSIM_ALU_AND, HVSIM_ALU_SUB, HVSIM_ALU_XOR, HVSIM_ALU_CMP,
};

/* Shift/rotate operation numbers: the ModRM reg field of group 2. */
enum hvsim_shift_op {
	HVSIM_SH_ROL, HVSIM_SH_ROR, HVSIM_SH_RCL, HVSIM_SH_RCR,
	HVSIM_SH_SHL, HVSIM_SH_SHR, HVSIM_SH_SAL, HVSIM_SH_SAR,
};

/**
 * struct hvsim_insn - one instruction being decoded and executed
 * @st: scratch copy of the register state, committed on success
 * @mem: guest-physical memory accessors
 * @mctx: argument for @mem
 * @exit: exit record to fill
 * @buf: bytes fetched at the instruction
 * @avail: number of readable bytes in @buf
 * @len: number of bytes of @buf consumed by the decoder so far
 * @fetch_gpa: guest physical address of byte @avail (if unmapped)
 * @fetch_gva: linear address of byte @avail
 * @fetch_failed: the exit was caused by instruction fetch
 * @rip: address of the instruction
 * @code_size: default operand/address size of the code segment: 2, 4, 8
 * @op_size: operand size after prefixes: 2, 4 or 8 (byte ops pass 1)
 * @ad_size: address size after prefixes: 2, 4 or 8
 * @seg: segment override prefix, or HVSIM_SEG_NONE
 * @rep: 0, 0xf2 (REPNE) or 0xf3 (REP/REPE)
 * @rex: REX prefix (64-bit mode), 0 if none
 * @opcode: the opcode byte (after 0F for two-byte opcodes)
 * @op0f: two-byte opcode (0F xx)
 * @has_modrm: a ModRM byte was decoded
 * @mod: ModRM mod field
 * @reg: ModRM reg field, REX.R applied
 * @rm: ModRM rm field, REX.B applied (register operand)
 * @rm_mem: the r/m operand is memory
 * @ea_seg: segment of the memory operand (override applied)
 * @ea: offset of the memory operand, truncated to the address size
 * @rip_rel: @ea is relative to the next instruction (64-bit mode)
 * @branch: the instruction set RIP itself (do not advance it)
 * @nwr: number of pending memory writes
 * @wr: the pending writes, translated when queued
 * @wr.gpa: guest physical address of each page chunk
 * @wr.lin: linear address
 * @wr.len: length
 * @wr.n1: bytes in the first chunk
 * @wr.off: offset of the data in @wbuf
 * @wbuf: the data of the pending writes
 * @wbuf_used: bytes of @wbuf in use
 * @cpl: current privilege level (changes when a far transfer or an
 *	exception loads CS, so later accesses use the new one)
 * @fetch_rc: why the bytes after @avail could not be fetched
 * @fetch_err: #PF error code if @fetch_rc is HVSIM_EXC
 * @fetch_vec: the exception vector if @fetch_rc is HVSIM_EXC
 * @fetch_walk: the fetch failed on a page-table read
 * @exc_vec: the exception raised (with HVSIM_EXC)
 * @exc_err: its error code
 * @exc_has_err: the exception pushes an error code
 * @exc_cr2: the faulting linear address of a #PF
 * @set_shadow: the instruction blocks interrupts for one instruction
 * @tlb: translation cache of this run, or NULL
 * @tlb_flush: the instruction invalidates translations (INVLPG)
 * @msr_dirty: the instruction wrote a field of @st->msr
 */
struct hvsim_insn {
	struct hvsim_cpu_state *st;
	const struct hvsim_mem_ops *mem;
	void *mctx;
	struct hvsim_exit *exit;

	u8 buf[HVSIM_MAX_FETCH];
	u8 avail;
	u8 len;
	u64 fetch_gpa;
	u64 fetch_gva;
	bool fetch_failed;
	u64 rip;

	u8 code_size;
	u8 op_size;
	u8 ad_size;
	s8 seg;
	u8 rep;
	u8 rex;
	u8 opcode;
	bool op0f;

	bool has_modrm;
	u8 mod;
	u8 reg;
	u8 rm;
	bool rm_mem;
	u8 ea_seg;
	u64 ea;
	bool rip_rel;
	bool branch;

	u8 nwr;
	u8 wbuf_used;

	u8 cpl;
	int fetch_rc;
	u32 fetch_err;
	u8 fetch_vec;
	bool fetch_walk;
	u8 exc_vec;
	u32 exc_err;
	bool exc_has_err;
	u64 exc_cr2;
	bool set_shadow;
	struct hvsim_tlb *tlb;
	bool tlb_flush;
	bool msr_dirty;

	/* not cleared per instruction: only @nwr entries are valid */
	struct {
		u64 gpa[2];
		u64 lin;
		u8 len;
		u8 n1;
		u8 off;
	} wr[HVSIM_MAX_WR];
	u8 wbuf[HVSIM_WBUF];
};

/* Mask of the low @size bytes. */
static inline u64 hvsim_mask(unsigned int size)
{
	return size >= 8 ? ~0ULL : BIT_ULL(size * 8) - 1;
}

/* Sign-extend the low @size bytes of @v. */
static inline u64 hvsim_sext(u64 v, unsigned int size)
{
	unsigned int sh = 64 - size * 8;

	return (u64)((s64)(v << sh) >> sh);
}

static inline u64 hvsim_le_get(const u8 *p, unsigned int size)
{
	u64 v = 0;

	while (size--)
		v = (v << 8) | p[size];
	return v;
}

static inline void hvsim_le_put(u8 *p, unsigned int size, u64 v)
{
	unsigned int i;

	for (i = 0; i < size; i++, v >>= 8)
		p[i] = v & 0xff;
}

/*
 * Canonical form: 48-bit linear addresses, 57-bit with 5-level paging
 * (CR4.LA57; Intel SDM vol. 3A, 4.5.1; AMD APM vol. 2, 5.3.1).
 */
static inline bool hvsim_canonical_addr(const struct hvsim_cpu_state *st,
					u64 lin)
{
	unsigned int unused = st->cr4 & HVSIM_CR4_LA57 ? 7 : 16;

	return (u64)((s64)(lin << unused) >> unused) == lin;
}

static inline bool hvsim_pmode(struct hvsim_insn *in)
{
	return in->st->cr0 & HVSIM_CR0_PE;
}

static inline bool hvsim_lma(struct hvsim_insn *in)
{
	return in->st->efer & HVSIM_EFER_LMA;
}

/* cpu.c: memory, instruction fetch, exceptions */
int hvsim_fetch(struct hvsim_insn *in, unsigned int size, u64 *val);
int hvsim_read(struct hvsim_insn *in, int seg, u64 off, unsigned int size,
	       u64 *val);
int hvsim_read_buf(struct hvsim_insn *in, int seg, u64 off, unsigned int len,
		   void *buf);
int hvsim_write(struct hvsim_insn *in, int seg, u64 off, unsigned int size,
		u64 val);
int hvsim_write_buf(struct hvsim_insn *in, int seg, u64 off,
		    unsigned int len, const void *buf);
int hvsim_mem_exit(struct hvsim_insn *in, int err, u64 lin, u64 gpa,
		   unsigned int acc, bool walk);
int hvsim_unsupported(struct hvsim_insn *in);
int hvsim_raise(struct hvsim_insn *in, unsigned int vec, u32 err);
int hvsim_ud(struct hvsim_insn *in);
int hvsim_gp0(struct hvsim_insn *in);
void hvsim_insn_init(struct hvsim_insn *in, struct hvsim_cpu_state *st,
		     const struct hvsim_mem_ops *mem, void *ctx,
		     struct hvsim_exit *exit);
int hvsim_commit_writes(struct hvsim_insn *in);

/* cpu_paging.c: linear to guest-physical translation */
int hvsim_xlate(struct hvsim_insn *in, u64 lin, unsigned int acc, u64 *gpa);

/* cpu_seg.c: descriptors and segment checks */
int hvsim_seg_check(struct hvsim_insn *in, int seg, u64 off,
		    unsigned int len, bool write);
int hvsim_read_desc(struct hvsim_insn *in, u16 sel, u8 *d, unsigned int len,
		    u32 err_vec);
void hvsim_desc_to_seg(const u8 *d, u16 sel, struct hvsim_segment *s,
		       bool long_sys);
int hvsim_load_sreg(struct hvsim_insn *in, int sreg, u16 sel);
int hvsim_load_cs(struct hvsim_insn *in, u16 sel, unsigned int cpl);
int hvsim_check_code(struct hvsim_insn *in, u16 sel, const u8 *d,
		     unsigned int *newcpl, bool call);
int hvsim_set_accessed(struct hvsim_insn *in, u16 sel, const u8 *d);
void hvsim_null_seg(struct hvsim_segment *s, u16 sel);

/* cpu_excp.c: exception and interrupt delivery */
int hvsim_deliver(struct hvsim_insn *in, unsigned int vec, bool has_err,
		  u32 err, u64 ret_ip, unsigned int flags);
bool hvsim_vec_has_err(unsigned int vec);

/* cpu_decode.c: prefixes, ModRM and operands */
int hvsim_decode_prefixes(struct hvsim_insn *in);
int hvsim_decode_modrm(struct hvsim_insn *in);
u64 hvsim_reg_get(struct hvsim_insn *in, unsigned int reg, unsigned int size);
void hvsim_reg_set(struct hvsim_insn *in, unsigned int reg, unsigned int size,
		   u64 val);
int hvsim_rm_read(struct hvsim_insn *in, unsigned int size, u64 *val);
int hvsim_rm_write(struct hvsim_insn *in, unsigned int size, u64 val);
int hvsim_imm(struct hvsim_insn *in, unsigned int size, u64 *val);
unsigned int hvsim_sp_size(struct hvsim_insn *in);
int hvsim_push(struct hvsim_insn *in, unsigned int size, u64 val);
int hvsim_pop(struct hvsim_insn *in, unsigned int size, u64 *val);
void hvsim_set_ip(struct hvsim_insn *in, u64 ip);
u64 hvsim_next_ip(struct hvsim_insn *in);

/* cpu_alu.c: arithmetic and flags */
u64 hvsim_alu(unsigned int op, u64 a, u64 b, unsigned int size, u64 *fl);
u64 hvsim_incdec(bool dec, u64 a, unsigned int size, u64 *fl);
u64 hvsim_neg(u64 a, unsigned int size, u64 *fl);
u64 hvsim_logic_flags(u64 r, unsigned int size, u64 *fl);
u64 hvsim_shift(unsigned int op, u64 a, unsigned int count,
		unsigned int size, u64 *fl);
int hvsim_muldiv(struct hvsim_insn *in, unsigned int op, unsigned int size,
		 u64 src);
bool hvsim_cond(unsigned int cc, u64 fl);

/* cpu_string.c: string instructions and port I/O */
int hvsim_exec_string(struct hvsim_insn *in);
int hvsim_exec_io(struct hvsim_insn *in);

/* cpu_far.c: far transfers and software interrupts */
int hvsim_exec_far(struct hvsim_insn *in);
int hvsim_exec_far_indirect(struct hvsim_insn *in);
int hvsim_far_transfer(struct hvsim_insn *in, u16 sel, u64 ip, bool call);

/* cpu_sys.c: system instructions (0F 00, 0F 01, MOV CR/DR, MSRs, ...) */
int hvsim_exec_0f_sys(struct hvsim_insn *in);
int hvsim_cpl_check(struct hvsim_insn *in);

/* cpu_bits.c: other 0F xx integer instructions, IMUL, MOVSXD, ... */
int hvsim_exec_0f_int(struct hvsim_insn *in);
int hvsim_exec_imul3(struct hvsim_insn *in);
int hvsim_exec_extra(struct hvsim_insn *in);

/* cpu_exec.c: opcode dispatch */
int hvsim_exec(struct hvsim_insn *in);

#endif /* _HVSIM_CPU_INTERNAL_H */
