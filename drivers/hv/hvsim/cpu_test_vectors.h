/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test vectors for hvsim's x86 interpreter, shared by the KUnit suite
 * (cpu_kunit.c) and the userspace harness (tools/testing/hvsim-cpu).
 *
 * Each vector runs real-mode code placed at 0000:0100 in a flat 64 KiB
 * guest memory (GPAs from 64 KiB up are unmapped, and so is the optional
 * @hole page), then checks the exit, registers, flags and memory.
 * The includer provides snprintf(), memset(), memcmp() and memcpy().
 */
#ifndef _HVSIM_CPU_TEST_VECTORS_H
#define _HVSIM_CPU_TEST_VECTORS_H

#include <linux/array_size.h>
#include <linux/errno.h>

#include "cpu.h"

#define HVT_MEM_SIZE	0x10000
#define HVT_CODE	0x100

/* RFLAGS bits, spelled out for readability of the table */
#define HVT_CF	0x001
#define HVT_PF	0x004
#define HVT_AF	0x010
#define HVT_ZF	0x040
#define HVT_SF	0x080
#define HVT_IF	0x200
#define HVT_DF	0x400
#define HVT_OF	0x800
#define HVT_ARITH (HVT_CF | HVT_PF | HVT_AF | HVT_ZF | HVT_SF | HVT_OF)

#define HVT_R(r)	(1u << HVSIM_##r)
#define HVT_C(s)	.code = (s), .code_len = sizeof(s) - 1

struct hvt_bytes {
	u32 addr;
	u8 len;
	const char *data;
};

/**
 * struct hvt_vec - one interpreter test
 * @name: test name
 * @code: code bytes, placed at HVT_CODE
 * @code_len: their number
 * @gpr: initial RAX..RDI
 * @fl: initial RFLAGS (bit 1 is added)
 * @ds: initial DS selector (base = selector * 16); @es, @ss likewise
 * @es: initial ES selector
 * @ss: initial SS selector
 * @hole: an unmapped page inside the 64 KiB, or 0 for none
 * @ro: a read-only page (writes fault), or 0 for none
 * @pm32: run in 32-bit protected mode with flat 4 GiB segments
 * @lm64: run 64-bit code (EFER.LMA, CS.L; paging is not modelled yet, so
 *	CR0.PG stays clear and linear addresses are physical)
 * @cr0: CR0 to use instead of the reset (or @pm32) value, if nonzero
 * @poke: memory to fill before the run
 * @steps: instruction budget; 0 means "run to the exit in @exit"
 * @exit: expected exit reason (0 with @steps == 0 means HLT)
 * @out: expected RAX..RDI (only those in @gm)
 * @gm: mask of HVT_R() registers to check
 * @out_fl: expected RFLAGS bits in @fm
 * @fm: mask of flags to check
 * @rip: expected RIP after the run (0: not checked)
 * @exit_rip: expected exit->rip (0: not checked)
 * @expect: memory expected after the run
 * @insn_len: expected exit->insn_len (checked if nonzero)
 * @chk_ib: check exit->insn_bytes against @insn_bytes
 * @insn_bytes: expected exit->insn_bytes
 * @port: expected exit->io.port (IO exits)
 * @io_size: expected exit->io.size
 * @io_write: expected exit->io.write
 * @io_string: expected exit->io.string
 * @io_rep: expected exit->io.rep
 * @gpa: expected exit->mem.gpa (UNMAPPED_GPA exits)
 * @mem_write: expected exit->mem.write
 */
struct hvt_vec {
	const char *name;
	const char *code;
	unsigned int code_len;
	u64 gpr[8];
	u64 fl;
	u16 ds, es, ss;
	u32 hole;
	u32 ro;
	bool pm32;
	bool lm64;
	u64 cr0;
	struct hvt_bytes poke[2];
	unsigned long steps;
	int exit;
	u64 out[8];
	u32 gm;
	u64 out_fl;
	u64 fm;
	u64 rip;
	u64 exit_rip;
	struct hvt_bytes expect[2];
	u8 insn_len;
	bool chk_ib;
	u8 insn_bytes;
	u16 port;
	u8 io_size;
	bool io_write, io_string, io_rep;
	u64 gpa;
	bool mem_write;
};

static const struct hvt_vec hvt_vectors[] = {
	/* ---- MOV ---- */
	{ .name = "mov_imm_regs", HVT_C("\xb8\x34\x12\xb3\x56\xb7\x78\xf4"),
	  .out = { [HVSIM_RAX] = 0x1234, [HVSIM_RBX] = 0x7856 },
	  .gm = HVT_R(RAX) | HVT_R(RBX), .rip = 0x108 },
	{ .name = "mov_modrm16_bx_si_disp8",
	  HVT_C("\x89\x40\x04\x8b\x50\x04\xf4"),
	  .gpr = { [HVSIM_RAX] = 0xbeef, [HVSIM_RBX] = 0x2000,
		   [HVSIM_RSI] = 0x10 },
	  .out = { [HVSIM_RDX] = 0xbeef }, .gm = HVT_R(RDX),
	  .expect = { { 0x2014, 2, "\xef\xbe" } } },
	{ .name = "mov_modrm16_bp_uses_ss", HVT_C("\x8b\x46\x02\xf4"),
	  .ss = 0x100, .gpr = { [HVSIM_RBP] = 0x10 },
	  .poke = { { 0x1012, 2, "\x12\x34" } },
	  .out = { [HVSIM_RAX] = 0x3412 }, .gm = HVT_R(RAX) },
	{ .name = "mov_modrm16_bp_di_disp16",
	  HVT_C("\x8b\x8b\x00\x10\xf4"),
	  .ss = 0x10, .gpr = { [HVSIM_RBP] = 0x20, [HVSIM_RDI] = 0x3 },
	  .poke = { { 0x1123, 2, "\x55\x66" } },
	  .out = { [HVSIM_RCX] = 0x6655 }, .gm = HVT_R(RCX) },
	{ .name = "mov_moffs_and_disp16",
	  HVT_C("\xa1\x00\x30\x8b\x0e\x02\x30\xf4"),
	  .poke = { { 0x3000, 4, "\x11\x22\x33\x44" } },
	  .out = { [HVSIM_RAX] = 0x2211, [HVSIM_RCX] = 0x4433 },
	  .gm = HVT_R(RAX) | HVT_R(RCX) },
	{ .name = "mov_moffs_store", HVT_C("\xa2\x00\x20\xf4"),
	  .gpr = { [HVSIM_RAX] = 0x42 },
	  .expect = { { 0x2000, 1, "\x42" } } },
	{ .name = "mov_es_override", HVT_C("\x26\xa0\x10\x00\xf4"),
	  .es = 0x200, .poke = { { 0x2010, 1, "\x5a" } },
	  .out = { [HVSIM_RAX] = 0x5a }, .gm = HVT_R(RAX) },
	{ .name = "mov_to_ds_then_load",
	  HVT_C("\xb8\x00\x03\x8e\xd8\xa0\x05\x00\xf4"),
	  .poke = { { 0x3005, 1, "\x77" } },
	  .out = { [HVSIM_RAX] = 0x0377 }, .gm = HVT_R(RAX) },
	{ .name = "mov_from_sreg", HVT_C("\x8c\xc0\xf4"), .es = 0x1234,
	  .out = { [HVSIM_RAX] = 0x1234 }, .gm = HVT_R(RAX) },
	{ .name = "mov_c6_c7_imm_to_mem",
	  HVT_C("\xc6\x06\x00\x20\xab\xc7\x06\x02\x20\xcd\xab\xf4"),
	  .expect = { { 0x2000, 4, "\xab\x00\xcd\xab" } } },
	{ .name = "addr32_sib_scaled",
	  HVT_C("\x67\x8b\x04\x8b\xf4"),
	  .gpr = { [HVSIM_RBX] = 0x2000, [HVSIM_RCX] = 3 },
	  .poke = { { 0x200c, 2, "\xcd\xab" } },
	  .out = { [HVSIM_RAX] = 0xabcd }, .gm = HVT_R(RAX) },
	{ .name = "addr32_disp32_op32",
	  HVT_C("\x67\x66\x8b\x05\x00\x40\x00\x00\xf4"),
	  .poke = { { 0x4000, 4, "\x78\x56\x34\x12" } },
	  .out = { [HVSIM_RAX] = 0x12345678 }, .gm = HVT_R(RAX) },
	{ .name = "op32_mov_add",
	  HVT_C("\x66\xb8\x78\x56\x34\x12\x66\x05\x01\x00\x00\x00\xf4"),
	  .out = { [HVSIM_RAX] = 0x12345679 }, .gm = HVT_R(RAX) },
	{ .name = "movzx_movsx",
	  HVT_C("\xb3\x80\x0f\xb6\xc3\x0f\xbe\xcb\x66\x0f\xbf\xd1\xf4"),
	  .out = { [HVSIM_RAX] = 0x80, [HVSIM_RCX] = 0xff80,
		   [HVSIM_RDX] = 0xffffff80 },
	  .gm = HVT_R(RAX) | HVT_R(RCX) | HVT_R(RDX) },
	{ .name = "lea_forms", HVT_C("\x8d\x40\x10\x8d\x10\xf4"),
	  .gpr = { [HVSIM_RBX] = 0x1000, [HVSIM_RSI] = 0x20 },
	  .out = { [HVSIM_RAX] = 0x1030, [HVSIM_RDX] = 0x1020 },
	  .gm = HVT_R(RAX) | HVT_R(RDX) },
	{ .name = "lea_wraps_16bit", HVT_C("\x8d\x10\xf4"),
	  .gpr = { [HVSIM_RBX] = 0xffff, [HVSIM_RSI] = 2 },
	  .out = { [HVSIM_RDX] = 1 }, .gm = HVT_R(RDX) },
	{ .name = "xchg_forms", HVT_C("\x93\x87\x0e\x00\x20\xf4"),
	  .gpr = { [HVSIM_RAX] = 1, [HVSIM_RBX] = 2, [HVSIM_RCX] = 0x5555 },
	  .poke = { { 0x2000, 2, "\x11\x11" } },
	  .out = { [HVSIM_RAX] = 2, [HVSIM_RBX] = 1, [HVSIM_RCX] = 0x1111 },
	  .gm = HVT_R(RAX) | HVT_R(RBX) | HVT_R(RCX),
	  .expect = { { 0x2000, 2, "\x55\x55" } } },

	/* ---- ALU ---- */
	{ .name = "add_7f_plus_1", HVT_C("\xb0\x7f\x04\x01\xf4"),
	  .fl = HVT_CF | HVT_ZF,
	  .out = { [HVSIM_RAX] = 0x80 }, .gm = HVT_R(RAX),
	  .out_fl = HVT_OF | HVT_SF | HVT_AF, .fm = HVT_ARITH },
	{ .name = "add_ff_plus_1", HVT_C("\xb0\xff\x04\x01\xf4"),
	  .out = { [HVSIM_RAX] = 0 }, .gm = HVT_R(RAX),
	  .out_fl = HVT_CF | HVT_ZF | HVT_AF | HVT_PF, .fm = HVT_ARITH },
	{ .name = "sub_borrow", HVT_C("\xb0\x00\x2c\x01\xf4"),
	  .out = { [HVSIM_RAX] = 0xff }, .gm = HVT_R(RAX),
	  .out_fl = HVT_CF | HVT_SF | HVT_AF | HVT_PF, .fm = HVT_ARITH },
	{ .name = "sub_overflow", HVT_C("\xb0\x80\x2c\x01\xf4"),
	  .out = { [HVSIM_RAX] = 0x7f }, .gm = HVT_R(RAX),
	  .out_fl = HVT_OF | HVT_AF, .fm = HVT_ARITH },
	{ .name = "adc_sbb_16",
	  HVT_C("\xf9\xb8\xff\xff\x15\x00\x00\x1d\x00\x00\xf4"),
	  .out = { [HVSIM_RAX] = 0xffff }, .gm = HVT_R(RAX),
	  .out_fl = HVT_CF | HVT_SF | HVT_AF | HVT_PF, .fm = HVT_ARITH },
	{ .name = "cmp_sets_flags_only", HVT_C("\xb8\x05\x00\x3d\x07\x00\xf4"),
	  .out = { [HVSIM_RAX] = 5 }, .gm = HVT_R(RAX),
	  .out_fl = HVT_CF | HVT_SF | HVT_AF, .fm = HVT_ARITH },
	{ .name = "grp1_83_sign_extended", HVT_C("\x83\xeb\xff\xf4"),
	  .gpr = { [HVSIM_RBX] = 0x10 },
	  .out = { [HVSIM_RBX] = 0x11 }, .gm = HVT_R(RBX),
	  .out_fl = HVT_CF, .fm = HVT_CF | HVT_ZF | HVT_OF },
	{ .name = "grp1_81_mem", HVT_C("\x81\x06\x00\x20\x34\x12\xf4"),
	  .poke = { { 0x2000, 2, "\x01\x00" } },
	  .expect = { { 0x2000, 2, "\x35\x12" } } },
	{ .name = "alu_rm_reg_and_reg_rm", HVT_C("\x01\xd8\x2b\xc3\xf4"),
	  .gpr = { [HVSIM_RAX] = 0x100, [HVSIM_RBX] = 0x200 },
	  .out = { [HVSIM_RAX] = 0x100 }, .gm = HVT_R(RAX) },
	{ .name = "alu_byte_high_regs", HVT_C("\x00\xfc\xf4"),
	  .gpr = { [HVSIM_RAX] = 0x0100, [HVSIM_RBX] = 0x0200 },
	  .out = { [HVSIM_RAX] = 0x0300 }, .gm = HVT_R(RAX) },
	{ .name = "xor_mem_reg", HVT_C("\x30\x07\xf4"),
	  .gpr = { [HVSIM_RAX] = 0xff, [HVSIM_RBX] = 0x2000 },
	  .poke = { { 0x2000, 1, "\x0f" } },
	  .expect = { { 0x2000, 1, "\xf0" } } },
	{ .name = "logic_and_or_xor",
	  HVT_C("\xb8\xf0\xf0\x25\xf0\x0f\x0d\x00\x0f\x31\xc0\xf4"),
	  .fl = HVT_CF | HVT_OF | HVT_AF,
	  .out = { [HVSIM_RAX] = 0 }, .gm = HVT_R(RAX),
	  .out_fl = HVT_ZF | HVT_PF, .fm = HVT_ARITH },
	{ .name = "inc_dec_keep_cf", HVT_C("\xf9\xb8\xff\xff\x40\x4b\xf4"),
	  .out = { [HVSIM_RAX] = 0, [HVSIM_RBX] = 0xffff },
	  .gm = HVT_R(RAX) | HVT_R(RBX),
	  .out_fl = HVT_CF | HVT_SF | HVT_AF | HVT_PF, .fm = HVT_ARITH },
	{ .name = "inc_byte_mem_overflow", HVT_C("\xfe\x06\x00\x20\xf4"),
	  .poke = { { 0x2000, 1, "\x7f" } },
	  .expect = { { 0x2000, 1, "\x80" } },
	  .out_fl = HVT_OF | HVT_SF | HVT_AF, .fm = HVT_ARITH & ~HVT_CF },
	{ .name = "test_imm", HVT_C("\xb0\x81\xa8\x80\xf4"),
	  .fl = HVT_CF | HVT_OF,
	  .out_fl = HVT_SF, .fm = HVT_ARITH & ~HVT_AF },
	{ .name = "test_rm_reg", HVT_C("\x85\xd8\xf4"),
	  .gpr = { [HVSIM_RAX] = 0xf0f0, [HVSIM_RBX] = 0x0f0f },
	  .out_fl = HVT_ZF | HVT_PF, .fm = HVT_ARITH & ~HVT_AF },
	{ .name = "neg_not", HVT_C("\xb8\x01\x00\xf7\xd8\xf7\xd0\xf4"),
	  .out = { [HVSIM_RAX] = 0 }, .gm = HVT_R(RAX),
	  .out_fl = HVT_CF | HVT_SF | HVT_AF | HVT_PF, .fm = HVT_ARITH },
	{ .name = "neg_zero_clears_cf", HVT_C("\xf7\xd8\xf4"), .fl = HVT_CF,
	  .out_fl = HVT_ZF | HVT_PF, .fm = HVT_ARITH },

	/* ---- multiply / divide ---- */
	{ .name = "mul_8", HVT_C("\xb0\x10\xb3\x20\xf6\xe3\xf4"),
	  .out = { [HVSIM_RAX] = 0x200 }, .gm = HVT_R(RAX),
	  .out_fl = HVT_CF | HVT_OF, .fm = HVT_CF | HVT_OF },
	{ .name = "mul_16", HVT_C("\xb8\x00\x10\xbb\x10\x00\xf7\xe3\xf4"),
	  .out = { [HVSIM_RAX] = 0, [HVSIM_RDX] = 1 },
	  .gm = HVT_R(RAX) | HVT_R(RDX),
	  .out_fl = HVT_CF | HVT_OF, .fm = HVT_CF | HVT_OF },
	{ .name = "imul_8_negative", HVT_C("\xb0\xff\xb3\x02\xf6\xeb\xf4"),
	  .fl = HVT_CF | HVT_OF,
	  .out = { [HVSIM_RAX] = 0xfffe }, .gm = HVT_R(RAX),
	  .out_fl = 0, .fm = HVT_CF | HVT_OF },
	{ .name = "imul_16_wide", HVT_C("\xf7\xeb\xf4"),
	  .gpr = { [HVSIM_RAX] = 0x4000, [HVSIM_RBX] = 4 },
	  .out = { [HVSIM_RAX] = 0, [HVSIM_RDX] = 1 },
	  .gm = HVT_R(RAX) | HVT_R(RDX),
	  .out_fl = HVT_CF | HVT_OF, .fm = HVT_CF | HVT_OF },
	{ .name = "div_16", HVT_C("\xf7\xf3\xf4"),
	  .gpr = { [HVSIM_RAX] = 100, [HVSIM_RBX] = 7 },
	  .out = { [HVSIM_RAX] = 14, [HVSIM_RDX] = 2 },
	  .gm = HVT_R(RAX) | HVT_R(RDX) },
	{ .name = "div_32_op66", HVT_C("\x66\xf7\xf3\xf4"),
	  .gpr = { [HVSIM_RAX] = 0x00000005, [HVSIM_RDX] = 1,
		   [HVSIM_RBX] = 0x10 },
	  .out = { [HVSIM_RAX] = 0x10000000, [HVSIM_RDX] = 5 },
	  .gm = HVT_R(RAX) | HVT_R(RDX) },
	{ .name = "idiv_8", HVT_C("\xf6\xfb\xf4"),
	  .gpr = { [HVSIM_RAX] = 0xff9c, [HVSIM_RBX] = 7 },
	  .out = { [HVSIM_RAX] = 0xfef2 }, .gm = HVT_R(RAX) },
	{ .name = "div_by_zero_exits", HVT_C("\xb3\x00\xf6\xf3\xf4"),
	  .gpr = { [HVSIM_RAX] = 0x1234 },
	  .exit = HVSIM_EXIT_UNSUPPORTED, .exit_rip = 0x102, .rip = 0x102,
	  .out = { [HVSIM_RAX] = 0x1234 }, .gm = HVT_R(RAX) },
	{ .name = "div_overflow_exits", HVT_C("\xf6\xf3\xf4"),
	  .gpr = { [HVSIM_RAX] = 0x1000, [HVSIM_RBX] = 2 },
	  .exit = HVSIM_EXIT_UNSUPPORTED, .exit_rip = 0x100 },

	/* ---- shifts and rotates ---- */
	{ .name = "shl_1_flags", HVT_C("\xb0\x81\xd0\xe0\xf4"),
	  .out = { [HVSIM_RAX] = 0x02 }, .gm = HVT_R(RAX),
	  .out_fl = HVT_CF | HVT_OF, .fm = HVT_ARITH & ~HVT_AF },
	{ .name = "shr_1_flags", HVT_C("\xb0\x81\xd0\xe8\xf4"),
	  .out = { [HVSIM_RAX] = 0x40 }, .gm = HVT_R(RAX),
	  .out_fl = HVT_CF | HVT_OF, .fm = HVT_ARITH & ~HVT_AF },
	{ .name = "sar_cl", HVT_C("\xb0\x80\xb1\x03\xd2\xf8\xf4"),
	  .out = { [HVSIM_RAX] = 0xf0 }, .gm = HVT_R(RAX),
	  .out_fl = HVT_SF | HVT_PF, .fm = HVT_CF | HVT_SF | HVT_ZF | HVT_PF },
	{ .name = "ror_1_flags", HVT_C("\xb0\x01\xd0\xc8\xf4"),
	  .out = { [HVSIM_RAX] = 0x80 }, .gm = HVT_R(RAX),
	  .out_fl = HVT_CF | HVT_OF, .fm = HVT_CF | HVT_OF },
	{ .name = "rol_imm8_word", HVT_C("\xc1\xc0\x04\xf4"),
	  .gpr = { [HVSIM_RAX] = 0x8001 }, .fl = HVT_CF,
	  .out = { [HVSIM_RAX] = 0x0018 }, .gm = HVT_R(RAX),
	  .out_fl = 0, .fm = HVT_CF },
	{ .name = "rcl_rcr_through_cf", HVT_C("\xf9\xb0\x80\xd0\xd0\xd0\xd8\xf4"),
	  .out = { [HVSIM_RAX] = 0x80 }, .gm = HVT_R(RAX),
	  .out_fl = HVT_CF, .fm = HVT_CF },
	{ .name = "shift_by_zero_keeps_flags", HVT_C("\xb0\x01\xd2\xe0\xf4"),
	  .fl = HVT_CF | HVT_ZF,
	  .out = { [HVSIM_RAX] = 1 }, .gm = HVT_R(RAX),
	  .out_fl = HVT_CF | HVT_ZF, .fm = HVT_ARITH },
	{ .name = "shl_mem_by_cl", HVT_C("\xd3\x26\x00\x20\xf4"),
	  .gpr = { [HVSIM_RCX] = 4 },
	  .poke = { { 0x2000, 2, "\x34\x12" } },
	  .expect = { { 0x2000, 2, "\x40\x23" } } },

	/* ---- stack ---- */
	{ .name = "push_pop_reg_imm",
	  HVT_C("\x50\x5b\x68\x78\x56\x59\x6a\xfe\x5a\xf4"),
	  .gpr = { [HVSIM_RAX] = 0x1234, [HVSIM_RSP] = 0x1000 },
	  .out = { [HVSIM_RBX] = 0x1234, [HVSIM_RCX] = 0x5678,
		   [HVSIM_RDX] = 0xfffe, [HVSIM_RSP] = 0x1000 },
	  .gm = HVT_R(RBX) | HVT_R(RCX) | HVT_R(RDX) | HVT_R(RSP),
	  .expect = { { 0x0ffe, 2, "\xfe\xff" } } },
	{ .name = "push_wraps_sp", HVT_C("\x50\xf4"),
	  .gpr = { [HVSIM_RAX] = 0xa55a },
	  .out = { [HVSIM_RSP] = 0xfffe }, .gm = HVT_R(RSP),
	  .expect = { { 0xfffe, 2, "\x5a\xa5" } } },
	{ .name = "push_es_pop_ds", HVT_C("\x06\x1f\xa0\x10\x00\xf4"),
	  .es = 0x100, .gpr = { [HVSIM_RSP] = 0x1000 },
	  .poke = { { 0x1010, 1, "\x99" } },
	  .out = { [HVSIM_RAX] = 0x99 }, .gm = HVT_R(RAX) },
	{ .name = "push_rm_pop_rm",
	  HVT_C("\xff\x36\x00\x20\x8f\x06\x02\x20\xf4"),
	  .gpr = { [HVSIM_RSP] = 0x1000 },
	  .poke = { { 0x2000, 2, "\xaa\xbb" } },
	  .out = { [HVSIM_RSP] = 0x1000 }, .gm = HVT_R(RSP),
	  .expect = { { 0x2002, 2, "\xaa\xbb" } } },
	{ .name = "pushf_popf", HVT_C("\xf9\x9c\xf8\x9d\xf4"),
	  .gpr = { [HVSIM_RSP] = 0x1000 },
	  .out_fl = HVT_CF, .fm = HVT_CF,
	  .expect = { { 0x0ffe, 2, "\x03\x00" } } },
	{ .name = "sahf_lahf", HVT_C("\xb4\xd5\x9e\xb4\x00\x9f\xf4"),
	  .out = { [HVSIM_RAX] = 0xd700 }, .gm = HVT_R(RAX),
	  .out_fl = HVT_SF | HVT_ZF | HVT_AF | HVT_PF | HVT_CF,
	  .fm = HVT_ARITH },
	{ .name = "cbw_cwd_cwde", HVT_C("\xb0\x80\x98\x99\x66\x98\xf4"),
	  .out = { [HVSIM_RAX] = 0xffffff80, [HVSIM_RDX] = 0xffff },
	  .gm = HVT_R(RAX) | HVT_R(RDX) },

	/* ---- control flow ---- */
	{ .name = "jmp_short_near",
	  HVT_C("\xeb\x02\xf4\xf4\xe9\x01\x00\xf4\xb0\x01\xf4"),
	  .out = { [HVSIM_RAX] = 1 }, .gm = HVT_R(RAX), .rip = 0x10b },
	{ .name = "jcc_rel8",
	  HVT_C("\xb8\x01\x00\x3d\x01\x00\x75\x01\x43\x75\x01\x41\xf4"),
	  .out = { [HVSIM_RBX] = 1, [HVSIM_RCX] = 0 },
	  .gm = HVT_R(RBX) | HVT_R(RCX) },
	{ .name = "jcc_rel16", HVT_C("\x31\xc0\x0f\x84\x01\x00\xf4\xb0\x05\xf4"),
	  .out = { [HVSIM_RAX] = 5 }, .gm = HVT_R(RAX) },
	{ .name = "jl_signed",
	  HVT_C("\xb8\xff\xff\x3d\x01\x00\x7c\x01\xf4\xb3\x01\xf4"),
	  .out = { [HVSIM_RBX] = 1 }, .gm = HVT_R(RBX) },
	{ .name = "jbe_not_taken",
	  HVT_C("\xb8\x05\x00\x3d\x01\x00\x76\x01\x43\xf4"),
	  .out = { [HVSIM_RBX] = 1 }, .gm = HVT_R(RBX) },
	{ .name = "call_ret", HVT_C("\xe8\x03\x00\xf4\x90\x90\xb0\x07\xc3"),
	  .gpr = { [HVSIM_RSP] = 0x1000 },
	  .out = { [HVSIM_RAX] = 7, [HVSIM_RSP] = 0x1000 },
	  .gm = HVT_R(RAX) | HVT_R(RSP), .rip = 0x104 },
	{ .name = "ret_imm16",
	  HVT_C("\x68\x11\x11\xe8\x01\x00\xf4\xc2\x02\x00"),
	  .gpr = { [HVSIM_RSP] = 0x1000 },
	  .out = { [HVSIM_RSP] = 0x1000 }, .gm = HVT_R(RSP), .rip = 0x107 },
	{ .name = "call_indirect_reg",
	  HVT_C("\xbb\x08\x01\xff\xd3\xf4\x90\x90\xb1\x09\xc3"),
	  .gpr = { [HVSIM_RSP] = 0x1000 },
	  .out = { [HVSIM_RCX] = 9, [HVSIM_RSP] = 0x1000 },
	  .gm = HVT_R(RCX) | HVT_R(RSP), .rip = 0x106 },
	{ .name = "jmp_indirect_mem",
	  HVT_C("\xff\x26\x00\x20\xf4\xf4\xf4\xf4\xf4\xf4\xf4\xf4\xf4\xf4\xf4"
		"\xf4\xb0\x03\xf4"),
	  .poke = { { 0x2000, 2, "\x10\x01" } },
	  .out = { [HVSIM_RAX] = 3 }, .gm = HVT_R(RAX), .rip = 0x113 },
	{ .name = "loop", HVT_C("\xb9\x05\x00\x40\xe2\xfd\xf4"),
	  .out = { [HVSIM_RAX] = 5, [HVSIM_RCX] = 0 },
	  .gm = HVT_R(RAX) | HVT_R(RCX) },
	{ .name = "loopne", HVT_C("\xb9\x0a\x00\x43\x83\xfb\x03\xe0\xfa\xf4"),
	  .out = { [HVSIM_RBX] = 3, [HVSIM_RCX] = 7 },
	  .gm = HVT_R(RBX) | HVT_R(RCX) },
	{ .name = "loope", HVT_C("\xb9\x0a\x00\x43\x39\xc0\xe1\xfb\xf4"),
	  .out = { [HVSIM_RBX] = 10, [HVSIM_RCX] = 0 },
	  .gm = HVT_R(RBX) | HVT_R(RCX) },
	{ .name = "jcxz", HVT_C("\xe3\x01\xf4\xb0\x01\xf4"),
	  .out = { [HVSIM_RAX] = 1 }, .gm = HVT_R(RAX) },
	{ .name = "setcc", HVT_C("\xf9\x0f\x92\xc0\x0f\x94\xc3\xf4"),
	  .gpr = { [HVSIM_RBX] = 0xffff },
	  .out = { [HVSIM_RAX] = 1, [HVSIM_RBX] = 0xff00 },
	  .gm = HVT_R(RAX) | HVT_R(RBX) },
	{ .name = "flag_instructions",
	  HVT_C("\xf8\xf9\xf5\xfd\xfa\xfb\xf4"),
	  .out_fl = HVT_DF | HVT_IF, .fm = HVT_CF | HVT_DF | HVT_IF },
	{ .name = "nop_and_budget", HVT_C("\x90\xb0\x01\xb0\x02\xb0\x03\xf4"),
	  .steps = 3, .out = { [HVSIM_RAX] = 2 }, .gm = HVT_R(RAX),
	  .rip = 0x105 },

	/* ---- real-mode far transfers and software interrupts ---- */
	{ .name = "jmp_far", HVT_C("\xea\x05\x00\x20\x00"),
	  .poke = { { 0x205, 3, "\x8c\xc8\xf4" } },
	  .out = { [HVSIM_RAX] = 0x20 }, .gm = HVT_R(RAX), .rip = 8 },
	{ .name = "call_far_retf", HVT_C("\x9a\x00\x00\x20\x00\xf4"),
	  .gpr = { [HVSIM_RSP] = 0x1000 },
	  .poke = { { 0x200, 3, "\xb3\x05\xcb" } },
	  .out = { [HVSIM_RBX] = 5, [HVSIM_RSP] = 0x1000 },
	  .gm = HVT_R(RBX) | HVT_R(RSP), .rip = 0x106,
	  .expect = { { 0xffc, 4, "\x05\x01\x00\x00" } } },
	{ .name = "call_far_indirect", HVT_C("\xff\x1e\x00\x20\xf4"),
	  .gpr = { [HVSIM_RSP] = 0x1000 },
	  .poke = { { 0x2000, 4, "\x00\x00\x20\x00" },
		    { 0x200, 3, "\xb3\x05\xcb" } },
	  .out = { [HVSIM_RBX] = 5, [HVSIM_RSP] = 0x1000 },
	  .gm = HVT_R(RBX) | HVT_R(RSP), .rip = 0x105 },
	{ .name = "int_iret", HVT_C("\xfb\xcd\x21\xf4"), .fl = HVT_CF,
	  .gpr = { [HVSIM_RSP] = 0x1000 },
	  .poke = { { 0x84, 4, "\x00\x00\x30\x00" },
		    { 0x300, 4, "\x9c\x59\xcf" } },
	  .out = { [HVSIM_RCX] = 0x0003, [HVSIM_RSP] = 0x1000 },
	  .gm = HVT_R(RCX) | HVT_R(RSP), .rip = 0x104,
	  .out_fl = HVT_IF | HVT_CF, .fm = HVT_IF | HVT_CF,
	  .expect = { { 0xffa, 6, "\x03\x01\x00\x00\x03\x02" } } },
	{ .name = "pm32_far_jmp_unsupported", .pm32 = true,
	  HVT_C("\xea\x00\x00\x00\x00\x08\x00"),
	  .exit = HVSIM_EXIT_UNSUPPORTED, .rip = 0x100 },

	/* ---- string instructions ---- */
	{ .name = "rep_movsb", HVT_C("\xf3\xa4\xf4"),
	  .gpr = { [HVSIM_RSI] = 0x2000, [HVSIM_RDI] = 0x3000,
		   [HVSIM_RCX] = 4 },
	  .poke = { { 0x2000, 4, "abcd" } },
	  .out = { [HVSIM_RCX] = 0, [HVSIM_RSI] = 0x2004,
		   [HVSIM_RDI] = 0x3004 },
	  .gm = HVT_R(RCX) | HVT_R(RSI) | HVT_R(RDI),
	  .expect = { { 0x3000, 4, "abcd" } } },
	{ .name = "rep_stosw_backwards", HVT_C("\xf3\xab\xf4"), .fl = HVT_DF,
	  .gpr = { [HVSIM_RAX] = 0xbeef, [HVSIM_RDI] = 0x3006,
		   [HVSIM_RCX] = 2 },
	  .out = { [HVSIM_RDI] = 0x3002, [HVSIM_RCX] = 0 },
	  .gm = HVT_R(RDI) | HVT_R(RCX),
	  .expect = { { 0x3004, 4, "\xef\xbe\xef\xbe" } } },
	{ .name = "repe_cmpsb_stops", HVT_C("\xf3\xa6\xf4"),
	  .gpr = { [HVSIM_RSI] = 0x2000, [HVSIM_RDI] = 0x3000,
		   [HVSIM_RCX] = 8 },
	  .poke = { { 0x2000, 4, "abcX" }, { 0x3000, 4, "abcY" } },
	  .out = { [HVSIM_RCX] = 4, [HVSIM_RSI] = 0x2004,
		   [HVSIM_RDI] = 0x3004 },
	  .gm = HVT_R(RCX) | HVT_R(RSI) | HVT_R(RDI),
	  .out_fl = HVT_CF | HVT_SF, .fm = HVT_ZF | HVT_CF | HVT_SF },
	{ .name = "repne_scasb_finds", HVT_C("\xf2\xae\xf4"),
	  .gpr = { [HVSIM_RAX] = 'c', [HVSIM_RDI] = 0x3000,
		   [HVSIM_RCX] = 10 },
	  .poke = { { 0x3000, 4, "abcd" } },
	  .out = { [HVSIM_RCX] = 7, [HVSIM_RDI] = 0x3003 },
	  .gm = HVT_R(RCX) | HVT_R(RDI),
	  .out_fl = HVT_ZF, .fm = HVT_ZF },
	{ .name = "lodsw_seg_override", HVT_C("\x26\xad\xf4"),
	  .es = 0x100, .gpr = { [HVSIM_RSI] = 0x10 },
	  .poke = { { 0x1010, 2, "\x22\x11" } },
	  .out = { [HVSIM_RAX] = 0x1122, [HVSIM_RSI] = 0x12 },
	  .gm = HVT_R(RAX) | HVT_R(RSI) },
	{ .name = "rep_zero_count_noop", HVT_C("\xf3\xa4\xf4"),
	  .gpr = { [HVSIM_RSI] = 0x2000, [HVSIM_RDI] = 0x3000 },
	  .out = { [HVSIM_RSI] = 0x2000, [HVSIM_RDI] = 0x3000 },
	  .gm = HVT_R(RSI) | HVT_R(RDI), .rip = 0x103 },
	{ .name = "rep_movsb_budget_mid_way", HVT_C("\xf3\xa4\xf4"),
	  .gpr = { [HVSIM_RSI] = 0x2000, [HVSIM_RDI] = 0x3000,
		   [HVSIM_RCX] = 4 },
	  .steps = 2, .rip = 0x100,
	  .out = { [HVSIM_RCX] = 2 }, .gm = HVT_R(RCX) },

	/* ---- port I/O exits ---- */
	{ .name = "out_imm8", HVT_C("\xb0\x55\xe6\x80\xf4"),
	  .exit = HVSIM_EXIT_IO, .exit_rip = 0x102, .rip = 0x102,
	  .insn_len = 2, .port = 0x80, .io_size = 1, .io_write = true },
	{ .name = "in_dx_word", HVT_C("\xba\xf8\x03\xed\xf4"),
	  .exit = HVSIM_EXIT_IO, .exit_rip = 0x103, .rip = 0x103,
	  .insn_len = 1, .port = 0x3f8, .io_size = 2 },
	{ .name = "in_dx_dword", HVT_C("\x66\xed"), .gpr = { [HVSIM_RDX] = 0xcf8 },
	  .exit = HVSIM_EXIT_IO, .rip = 0x100,
	  .insn_len = 2, .port = 0xcf8, .io_size = 4 },
	{ .name = "rep_outsb", HVT_C("\xf3\x6e"),
	  .gpr = { [HVSIM_RDX] = 0x1234, [HVSIM_RCX] = 3 },
	  .exit = HVSIM_EXIT_IO, .rip = 0x100, .insn_len = 2,
	  .chk_ib = true, .insn_bytes = 16,
	  .port = 0x1234, .io_size = 1, .io_write = true, .io_string = true,
	  .io_rep = true },
	{ .name = "insw", HVT_C("\x6d"), .gpr = { [HVSIM_RDX] = 0x60 },
	  .exit = HVSIM_EXIT_IO, .rip = 0x100, .insn_len = 1,
	  .port = 0x60, .io_size = 2, .io_string = true },

	/* ---- 16-bit IP wrap-around ---- */
	{ .name = "ip_wraps_at_64k", HVT_C("\xe9\xfb\xfe"),
	  .poke = { { 0xfffe, 2, "\x90\x90" }, { 0, 1, "\xf4" } },
	  .rip = 1 },
	{ .name = "fetch_wraps_inside_insn", HVT_C("\xe9\xfc\xfe"),
	  .poke = { { 0xffff, 1, "\xb0" }, { 0, 2, "\x42\xf4" } },
	  .out = { [HVSIM_RAX] = 0x42 }, .gm = HVT_R(RAX), .rip = 2 },

	/* ---- 32-bit protected mode, flat segments ---- */
	{ .name = "pm32_mov_add", .pm32 = true,
	  HVT_C("\xb8\xff\xff\xff\x7f\x83\xc0\x01\xf4"),
	  .out = { [HVSIM_RAX] = 0x80000000 }, .gm = HVT_R(RAX),
	  .out_fl = HVT_OF | HVT_SF | HVT_AF | HVT_PF, .fm = HVT_ARITH },
	{ .name = "pm32_op16_prefix", .pm32 = true,
	  HVT_C("\x66\xb8\x34\x12\xf4"),
	  .gpr = { [HVSIM_RAX] = 0xaaaa0000 },
	  .out = { [HVSIM_RAX] = 0xaaaa1234 }, .gm = HVT_R(RAX) },
	{ .name = "pm32_stack_and_esp_base", .pm32 = true,
	  HVT_C("\x68\x44\x33\x22\x11\x8b\x0c\x24\x5a\xf4"),
	  .gpr = { [HVSIM_RSP] = 0x8000 },
	  .out = { [HVSIM_RCX] = 0x11223344, [HVSIM_RDX] = 0x11223344,
		   [HVSIM_RSP] = 0x8000 },
	  .gm = HVT_R(RCX) | HVT_R(RDX) | HVT_R(RSP) },
	{ .name = "pm32_call_ret", .pm32 = true,
	  HVT_C("\xe8\x01\x00\x00\x00\xf4\xb0\x07\xc3"),
	  .gpr = { [HVSIM_RSP] = 0x8000 },
	  .out = { [HVSIM_RAX] = 7, [HVSIM_RSP] = 0x8000 },
	  .gm = HVT_R(RAX) | HVT_R(RSP), .rip = 0x106,
	  .expect = { { 0x7ffc, 4, "\x05\x01\x00\x00" } } },
	{ .name = "pm32_rep_stosd", .pm32 = true, HVT_C("\xf3\xab\xf4"),
	  .gpr = { [HVSIM_RAX] = 0x01020304, [HVSIM_RDI] = 0x3000,
		   [HVSIM_RCX] = 2 },
	  .out = { [HVSIM_RDI] = 0x3008 }, .gm = HVT_R(RDI),
	  .expect = { { 0x3000, 8, "\x04\x03\x02\x01\x04\x03\x02\x01" } } },
	{ .name = "pm32_segment_load_unsupported", .pm32 = true,
	  HVT_C("\x8e\xd8\xf4"),
	  .exit = HVSIM_EXIT_UNSUPPORTED, .exit_rip = 0x100 },
	{ .name = "paging_unsupported", .cr0 = 0x80000011, .pm32 = true,
	  HVT_C("\xf4"), .exit = HVSIM_EXIT_UNSUPPORTED, .rip = 0x100 },

	/* ---- 64-bit decoding (REX, RIP-relative) ---- */
	{ .name = "lm64_rex_imm64_and_r8", .lm64 = true,
	  HVT_C("\x48\xb8\x88\x77\x66\x55\x44\x33\x22\x11"
		"\x49\x89\xc0\x4c\x89\xc1\xf4"),
	  .out = { [HVSIM_RCX] = 0x1122334455667788ULL }, .gm = HVT_R(RCX) },
	{ .name = "lm64_rip_relative", .lm64 = true,
	  HVT_C("\x48\x8b\x05\xf9\x1e\x00\x00\xf4"),
	  .poke = { { 0x2000, 8, "\x01\x02\x03\x04\x05\x06\x07\x08" } },
	  .out = { [HVSIM_RAX] = 0x0807060504030201ULL }, .gm = HVT_R(RAX) },
	{ .name = "lm64_push_pop", .lm64 = true, HVT_C("\x50\x5b\xf4"),
	  .gpr = { [HVSIM_RAX] = 0x8877665544332211ULL,
		   [HVSIM_RSP] = 0x1000 },
	  .out = { [HVSIM_RBX] = 0x8877665544332211ULL,
		   [HVSIM_RSP] = 0x1000 },
	  .gm = HVT_R(RBX) | HVT_R(RSP),
	  .expect = { { 0xff8, 8, "\x11\x22\x33\x44\x55\x66\x77\x88" } } },
	{ .name = "lm64_32bit_write_zero_extends", .lm64 = true,
	  HVT_C("\x48\xc7\xc0\xff\xff\xff\xff\xb8\x01\x00\x00\x00\xf4"),
	  .out = { [HVSIM_RAX] = 1 }, .gm = HVT_R(RAX) },
	{ .name = "lm64_sar_63", .lm64 = true, HVT_C("\x48\xc1\xf8\x3f\xf4"),
	  .gpr = { [HVSIM_RAX] = 0x8000000000000000ULL },
	  .out = { [HVSIM_RAX] = ~0ULL }, .gm = HVT_R(RAX) },
	{ .name = "lm64_mul", .lm64 = true, HVT_C("\x48\xf7\xe3\xf4"),
	  .gpr = { [HVSIM_RAX] = ~0ULL, [HVSIM_RBX] = 2 },
	  .out = { [HVSIM_RAX] = ~1ULL, [HVSIM_RDX] = 1 },
	  .gm = HVT_R(RAX) | HVT_R(RDX),
	  .out_fl = HVT_CF | HVT_OF, .fm = HVT_CF | HVT_OF },

	/* ---- exits ---- */
	{ .name = "hlt_exit_rip", HVT_C("\xf4"), .exit_rip = 0x100,
	  .rip = 0x101, .insn_len = 1 },
	{ .name = "unsupported_ud2", HVT_C("\x0f\x0b"),
	  .exit = HVSIM_EXIT_UNSUPPORTED, .exit_rip = 0x100, .rip = 0x100 },
	{ .name = "unmapped_read", HVT_C("\xa1\x00\x80\xf4"), .hole = 0x8000,
	  .gpr = { [HVSIM_RAX] = 0x1111 },
	  .exit = HVSIM_EXIT_UNMAPPED_GPA, .gpa = 0x8000, .rip = 0x100,
	  .exit_rip = 0x100, .insn_len = 3,
	  .out = { [HVSIM_RAX] = 0x1111 }, .gm = HVT_R(RAX) },
	{ .name = "readonly_xchg_no_side_effect",
	  HVT_C("\x87\x06\x00\x80\xf4"), .ro = 0x8000,
	  .gpr = { [HVSIM_RAX] = 0x1111 },
	  .poke = { { 0x8000, 2, "\x22\x22" } },
	  .exit = HVSIM_EXIT_UNMAPPED_GPA, .gpa = 0x8000, .mem_write = true,
	  .rip = 0x100, .expect = { { 0x8000, 2, "\x22\x22" } },
	  .out = { [HVSIM_RAX] = 0x1111 }, .gm = HVT_R(RAX) },
	{ .name = "unmapped_pop_keeps_sp", HVT_C("\x8f\x06\x00\x80\xf4"),
	  .hole = 0x8000, .gpr = { [HVSIM_RSP] = 0x1000 },
	  .exit = HVSIM_EXIT_UNMAPPED_GPA, .gpa = 0x8000, .mem_write = true,
	  .out = { [HVSIM_RSP] = 0x1000 }, .gm = HVT_R(RSP), .rip = 0x100 },
	{ .name = "unmapped_above_64k", HVT_C("\xa0\x00\x00\xf4"),
	  .ds = 0x1000,
	  .exit = HVSIM_EXIT_UNMAPPED_GPA, .gpa = 0x10000 },
	{ .name = "straddle_read", HVT_C("\xa1\xff\x7f\xf4"),
	  .poke = { { 0x7fff, 2, "\x11\x22" } },
	  .out = { [HVSIM_RAX] = 0x2211 }, .gm = HVT_R(RAX) },
	{ .name = "straddle_read_second_page_unmapped",
	  HVT_C("\xa1\xff\x7f\xf4"), .hole = 0x8000,
	  .exit = HVSIM_EXIT_UNMAPPED_GPA, .gpa = 0x8000 },
	{ .name = "straddle_write_is_all_or_nothing",
	  HVT_C("\xa3\xff\x7f\xf4"), .hole = 0x8000,
	  .gpr = { [HVSIM_RAX] = 0x4444 },
	  .poke = { { 0x7fff, 1, "\x33" } },
	  .exit = HVSIM_EXIT_UNMAPPED_GPA, .gpa = 0x8000, .mem_write = true,
	  .expect = { { 0x7fff, 1, "\x33" } } },
	{ .name = "straddle_write_readonly_second_page",
	  HVT_C("\xa3\xff\x7f\xf4"), .ro = 0x8000,
	  .gpr = { [HVSIM_RAX] = 0x4444 },
	  .poke = { { 0x7fff, 2, "\x33\x55" } },
	  .exit = HVSIM_EXIT_UNMAPPED_GPA, .gpa = 0x8000, .mem_write = true,
	  .expect = { { 0x7fff, 2, "\x33\x55" } } },
	{ .name = "straddle_write", HVT_C("\xa3\xff\x7f\xf4"),
	  .gpr = { [HVSIM_RAX] = 0x4444 },
	  .expect = { { 0x7fff, 2, "\x44\x44" } } },
	{ .name = "unmapped_fetch", HVT_C("\xe9\xfd\x7e"), .hole = 0x8000,
	  .exit = HVSIM_EXIT_UNMAPPED_GPA, .gpa = 0x8000, .rip = 0x8000,
	  .exit_rip = 0x8000, .chk_ib = true, .insn_bytes = 0 },
	{ .name = "fetch_straddles_into_unmapped",
	  HVT_C("\xe9\xfb\x7e"), .hole = 0x8000,
	  .poke = { { 0x7ffe, 2, "\xb8\x34" } },
	  .exit = HVSIM_EXIT_UNMAPPED_GPA, .gpa = 0x8000, .rip = 0x7ffe,
	  .chk_ib = true, .insn_bytes = 2 },
};

#define HVT_NR_VECTORS	ARRAY_SIZE(hvt_vectors)

struct hvt_mem {
	u8 *ram;
	u32 hole;
	u32 ro;
	bool straddled;
};

static bool hvt_mapped(struct hvt_mem *m, u64 gpa, unsigned int len)
{
	if ((gpa & 0xfff) + len > 0x1000)
		m->straddled = true;
	if (gpa + len > HVT_MEM_SIZE)
		return false;
	return !m->hole || (gpa & ~0xfffULL) != m->hole;
}

static int hvt_read(void *ctx, u64 gpa, void *buf, unsigned int len)
{
	struct hvt_mem *m = ctx;

	if (!hvt_mapped(m, gpa, len))
		return -EFAULT;
	memcpy(buf, m->ram + gpa, len);
	return 0;
}

static int hvt_write(void *ctx, u64 gpa, const void *buf, unsigned int len)
{
	struct hvt_mem *m = ctx;

	if (!hvt_mapped(m, gpa, len) ||
	    (m->ro && (gpa & ~0xfffULL) == m->ro))
		return -EFAULT;
	memcpy(m->ram + gpa, buf, len);
	return 0;
}

static const struct hvsim_mem_ops hvt_mem_ops = {
	.read = hvt_read,
	.write = hvt_write,
};

static void hvt_set_sreg(struct hvsim_cpu_state *st, int sreg, u16 sel)
{
	st->seg[sreg].selector = sel;
	st->seg[sreg].base = (u64)sel << 4;
}

#define HVT_FAIL(...) ({ snprintf(msg, msglen, __VA_ARGS__); 1; })

/**
 * hvt_run() - run one vector
 * @t: the vector
 * @ram: HVT_MEM_SIZE bytes of scratch guest memory
 * @msg: buffer for a failure message
 * @msglen: its size
 *
 * Return: 0 if the vector passed, nonzero with @msg filled otherwise.
 */
static int hvt_run(const struct hvt_vec *t, u8 *ram, char *msg,
		   size_t msglen)
{
	struct hvt_mem m = { .ram = ram, .hole = t->hole, .ro = t->ro };
	struct hvsim_cpu_state st;
	struct hvsim_exit ex;
	int want_exit = t->steps ? HVSIM_EXIT_NONE :
			t->exit ? t->exit : HVSIM_EXIT_HLT;
	unsigned long n;
	u64 lin;
	int i;

	memset(ram, 0, HVT_MEM_SIZE);
	memcpy(ram + HVT_CODE, t->code, t->code_len);
	for (i = 0; i < 2; i++)
		if (t->poke[i].len)
			memcpy(ram + t->poke[i].addr, t->poke[i].data,
			       t->poke[i].len);

	hvsim_cpu_reset(&st);
	hvt_set_sreg(&st, HVSIM_CS, 0);
	hvt_set_sreg(&st, HVSIM_DS, t->ds);
	hvt_set_sreg(&st, HVSIM_ES, t->es);
	hvt_set_sreg(&st, HVSIM_SS, t->ss);
	if (t->pm32) {
		/* flat code and data segments, D/B=1, G=1 */
		st.cr0 = 0x11;
		for (i = HVSIM_ES; i <= HVSIM_GS; i++) {
			st.seg[i].selector = i == HVSIM_CS ? 0x8 : 0x10;
			st.seg[i].base = 0;
			st.seg[i].limit = 0xffffffff;
			st.seg[i].attributes = i == HVSIM_CS ? 0xc09b : 0xc093;
		}
	}
	if (t->lm64) {
		st.cr0 = 0x11;
		st.efer = 0x500;	/* LME | LMA */
		for (i = HVSIM_ES; i <= HVSIM_GS; i++) {
			st.seg[i].selector = i == HVSIM_CS ? 0x8 : 0x10;
			st.seg[i].base = 0;
			st.seg[i].limit = 0xffffffff;
			st.seg[i].attributes = i == HVSIM_CS ? 0xa09b : 0xc093;
		}
	}
	if (t->cr0)
		st.cr0 = t->cr0;
	st.rip = HVT_CODE;
	st.rflags = t->fl | 2;
	for (i = 0; i < 8; i++)
		st.gpr[i] = t->gpr[i];

	n = hvsim_cpu_run(&st, &hvt_mem_ops, &m, t->steps ? t->steps : 1000,
			  &ex);

	if (ex.reason != want_exit)
		return HVT_FAIL("exit reason %d, want %d (rip %#llx)",
				ex.reason, want_exit,
				(unsigned long long)ex.rip);
	if (m.straddled)
		return HVT_FAIL("an accessor call crossed a page");
	if (t->steps && n != t->steps)
		return HVT_FAIL("retired %lu, want %lu", n, t->steps);
	if (!(st.rflags & 2))
		return HVT_FAIL("RFLAGS bit 1 clear");
	for (i = 0; i < 8; i++)
		if ((t->gm & (1u << i)) && st.gpr[i] != t->out[i])
			return HVT_FAIL("gpr %d = %#llx, want %#llx", i,
					(unsigned long long)st.gpr[i],
					(unsigned long long)t->out[i]);
	if ((st.rflags & t->fm) != (t->out_fl & t->fm))
		return HVT_FAIL("rflags %#llx, want %#llx under mask %#llx",
				(unsigned long long)st.rflags,
				(unsigned long long)t->out_fl,
				(unsigned long long)t->fm);
	if (t->rip && st.rip != t->rip)
		return HVT_FAIL("rip %#llx, want %#llx",
				(unsigned long long)st.rip,
				(unsigned long long)t->rip);
	if (t->exit_rip && ex.rip != t->exit_rip)
		return HVT_FAIL("exit rip %#llx, want %#llx",
				(unsigned long long)ex.rip,
				(unsigned long long)t->exit_rip);
	for (i = 0; i < 2; i++)
		if (t->expect[i].len &&
		    memcmp(ram + t->expect[i].addr, t->expect[i].data,
			   t->expect[i].len))
			return HVT_FAIL("memory at %#x differs",
					t->expect[i].addr);
	if (t->insn_len && ex.insn_len != t->insn_len)
		return HVT_FAIL("insn_len %u, want %u", ex.insn_len,
				t->insn_len);
	if (t->chk_ib && ex.insn_bytes != t->insn_bytes)
		return HVT_FAIL("insn_bytes %u, want %u", ex.insn_bytes,
				t->insn_bytes);
	lin = st.seg[HVSIM_CS].base + ex.rip;
	if (want_exit != HVSIM_EXIT_NONE && ex.insn_bytes &&
	    lin + ex.insn_bytes <= HVT_MEM_SIZE &&
	    memcmp(ex.insn, ram + lin, ex.insn_bytes))
		return HVT_FAIL("exit insn bytes do not match memory");
	if (want_exit == HVSIM_EXIT_IO &&
	    (ex.io.port != t->port || ex.io.size != t->io_size ||
	     ex.io.write != t->io_write || ex.io.string != t->io_string ||
	     ex.io.rep != t->io_rep))
		return HVT_FAIL("io exit port %#x size %u w%d s%d r%d",
				ex.io.port, ex.io.size, ex.io.write,
				ex.io.string, ex.io.rep);
	if (want_exit == HVSIM_EXIT_UNMAPPED_GPA &&
	    (ex.mem.gpa != t->gpa || ex.mem.write != t->mem_write))
		return HVT_FAIL("unmapped exit gpa %#llx write %d",
				(unsigned long long)ex.mem.gpa, ex.mem.write);
	return 0;
}

#undef HVT_FAIL

#endif /* _HVSIM_CPU_TEST_VECTORS_H */
