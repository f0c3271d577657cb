/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private interface between the pieces of hvsim's x86 interpreter:
 * cpu.c (run loop, memory), cpu_decode.c (prefixes, ModRM, operands),
 * cpu_alu.c (arithmetic and flags), cpu_exec.c (opcode dispatch),
 * cpu_string.c (string instructions and port I/O) and cpu_far.c (far
 * transfers, software interrupts).
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
#define HVSIM_CR0_PG		BIT_ULL(31)
#define HVSIM_EFER_LMA		BIT_ULL(10)

/* struct hvsim_segment.attributes bits (TLFS layout) */
#define HVSIM_SEG_ATTR_L	BIT(13)
#define HVSIM_SEG_ATTR_DB	BIT(14)

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
 * @wr: a memory write is pending
 * @wr_len: its size in bytes
 * @wr_lin: its linear address
 * @wr_val: the value to write (little-endian)
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

	bool wr;
	u8 wr_len;
	u64 wr_lin;
	u64 wr_val;
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

/* cpu.c: memory and segments */
int hvsim_fetch(struct hvsim_insn *in, unsigned int size, u64 *val);
int hvsim_read(struct hvsim_insn *in, int seg, u64 off, unsigned int size,
	       u64 *val);
int hvsim_write(struct hvsim_insn *in, int seg, u64 off, unsigned int size,
		u64 val);
int hvsim_load_sreg(struct hvsim_insn *in, int sreg, u16 sel);
int hvsim_unsupported(struct hvsim_insn *in);

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

/* cpu_exec.c: opcode dispatch */
int hvsim_exec(struct hvsim_insn *in);

#endif /* _HVSIM_CPU_INTERNAL_H */
