// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim x86 interpreter: opcode dispatch for the general-purpose
 * instructions (string instructions and port I/O are in cpu_string.c,
 * far transfers and software interrupts in cpu_far.c).
 *
 * Handlers fetch every instruction byte (ModRM, displacement, immediate)
 * before touching data memory, so that an exit on a data access reports
 * the full instruction length.
 */

#include "cpu_internal.h"

/* Operand size of stack operations and near branches: 64-bit in long mode. */
static unsigned int hvsim_stack_opsize(struct hvsim_insn *in)
{
	if (in->code_size == 8)
		return in->op_size == 2 ? 2 : 8;
	return in->op_size;
}

/* Byte-sized form of an opcode pair (even opcode = 8-bit operands). */
static unsigned int hvsim_bsize(struct hvsim_insn *in, unsigned int bit)
{
	return (in->opcode & bit) ? in->op_size : 1;
}

static int hvsim_jump_rel(struct hvsim_insn *in, unsigned int size, bool take)
{
	u64 rel;
	int rc;

	rc = hvsim_imm(in, size, &rel);
	if (rc || !take)
		return rc;
	hvsim_set_ip(in, hvsim_next_ip(in) + rel);
	return 0;
}

/* 00-3D: ALU op in the classic six encodings. */
static int hvsim_exec_alu(struct hvsim_insn *in)
{
	unsigned int op = in->opcode >> 3, form = in->opcode & 7;
	unsigned int size = hvsim_bsize(in, 1);
	u64 *fl = &in->st->rflags;
	u64 a, b, r;
	int rc;

	if (form >= 4) {	/* AL/eAX, imm */
		rc = hvsim_imm(in, size, &b);
		if (rc)
			return rc;
		a = hvsim_reg_get(in, HVSIM_RAX, size);
		r = hvsim_alu(op, a, b, size, fl);
		if (op != HVSIM_ALU_CMP)
			hvsim_reg_set(in, HVSIM_RAX, size, r);
		return 0;
	}

	rc = hvsim_decode_modrm(in);
	if (rc)
		return rc;
	rc = hvsim_rm_read(in, size, form < 2 ? &a : &b);
	if (rc)
		return rc;
	if (form < 2)
		b = hvsim_reg_get(in, in->reg, size);
	else
		a = hvsim_reg_get(in, in->reg, size);
	r = hvsim_alu(op, a, b, size, fl);
	if (op == HVSIM_ALU_CMP)
		return 0;
	if (form < 2)
		return hvsim_rm_write(in, size, r);
	hvsim_reg_set(in, in->reg, size, r);
	return 0;
}

/* 80-83: ALU op r/m, imm. */
static int hvsim_exec_grp1(struct hvsim_insn *in)
{
	unsigned int size = hvsim_bsize(in, 1);
	unsigned int isize = in->opcode == 0x81 ? size : 1;
	u64 a, b, r;
	int rc;

	if (in->opcode == 0x82 && in->code_size == 8)
		return hvsim_ud(in);
	rc = hvsim_decode_modrm(in);
	if (!rc)
		rc = hvsim_imm(in, isize, &b);
	if (!rc)
		rc = hvsim_rm_read(in, size, &a);
	if (rc)
		return rc;
	r = hvsim_alu(in->reg & 7, a, b, size, &in->st->rflags);
	if ((in->reg & 7) == HVSIM_ALU_CMP)
		return 0;
	return hvsim_rm_write(in, size, r);
}

/* C0, C1, D0-D3: shifts and rotates. */
static int hvsim_exec_grp2(struct hvsim_insn *in)
{
	unsigned int size = hvsim_bsize(in, 1);
	u64 a, count = 1;
	int rc;

	rc = hvsim_decode_modrm(in);
	if (!rc && in->opcode < 0xd0)
		rc = hvsim_fetch(in, 1, &count);
	if (!rc)
		rc = hvsim_rm_read(in, size, &a);
	if (rc)
		return rc;
	if (in->opcode >= 0xd2)
		count = in->st->gpr[HVSIM_RCX] & 0xff;
	a = hvsim_shift(in->reg & 7, a, count, size, &in->st->rflags);
	return hvsim_rm_write(in, size, a);
}

/* F6, F7: TEST, NOT, NEG, MUL, IMUL, DIV, IDIV. */
static int hvsim_exec_grp3(struct hvsim_insn *in)
{
	unsigned int size = hvsim_bsize(in, 1);
	u64 *fl = &in->st->rflags;
	unsigned int op;
	u64 a, b;
	int rc;

	rc = hvsim_decode_modrm(in);
	if (rc)
		return rc;
	op = in->reg & 7;
	if (op < 2) {
		rc = hvsim_imm(in, size, &b);
		if (!rc)
			rc = hvsim_rm_read(in, size, &a);
		if (!rc)
			hvsim_logic_flags(a & b, size, fl);
		return rc;
	}
	rc = hvsim_rm_read(in, size, &a);
	if (rc)
		return rc;
	switch (op) {
	case 2:
		return hvsim_rm_write(in, size, ~a);
	case 3:
		return hvsim_rm_write(in, size, hvsim_neg(a, size, fl));
	default:
		return hvsim_muldiv(in, op, size, a);
	}
}

/* FE, FF: INC, DEC, indirect CALL/JMP, PUSH. */
static int hvsim_exec_grp45(struct hvsim_insn *in)
{
	unsigned int size = hvsim_bsize(in, 1);
	unsigned int op;
	u64 a;
	int rc;

	rc = hvsim_decode_modrm(in);
	if (rc)
		return rc;
	op = in->reg & 7;
	if (op == 7 || (op >= 2 && in->opcode == 0xfe))
		return hvsim_ud(in);
	if (op == 3 || op == 5)
		return hvsim_exec_far_indirect(in);
	if (op >= 2)
		size = hvsim_stack_opsize(in);
	rc = hvsim_rm_read(in, size, &a);
	if (rc)
		return rc;
	switch (op) {
	case 0:
	case 1:
		a = hvsim_incdec(op, a, size, &in->st->rflags);
		return hvsim_rm_write(in, size, a);
	case 2:
		rc = hvsim_push(in, size, hvsim_next_ip(in));
		if (!rc)
			hvsim_set_ip(in, a);
		return rc;
	case 4:
		hvsim_set_ip(in, a);
		return 0;
	default:
		return hvsim_push(in, size, a);
	}
}

static int hvsim_exec_mov(struct hvsim_insn *in)
{
	unsigned int size = hvsim_bsize(in, 1);
	u64 v;
	int rc;

	rc = hvsim_decode_modrm(in);
	if (rc)
		return rc;
	if (in->opcode >= 0xc6) {	/* C6/C7 /0: MOV r/m, imm */
		if (in->reg & 7)
			return hvsim_ud(in);
		rc = hvsim_imm(in, size, &v);
		return rc ? rc : hvsim_rm_write(in, size, v);
	}
	if (in->opcode & 2) {		/* 8A/8B: reg <- r/m */
		rc = hvsim_rm_read(in, size, &v);
		if (!rc)
			hvsim_reg_set(in, in->reg, size, v);
		return rc;
	}
	return hvsim_rm_write(in, size, hvsim_reg_get(in, in->reg, size));
}

/* 8C, 8E: MOV r/m, Sreg and MOV Sreg, r/m. */
static int hvsim_exec_mov_sreg(struct hvsim_insn *in)
{
	unsigned int sreg;
	u64 v;
	int rc;

	rc = hvsim_decode_modrm(in);
	if (rc)
		return rc;
	sreg = in->reg & 7;
	if (sreg > HVSIM_GS)
		return hvsim_ud(in);
	if (in->opcode == 0x8c) {
		v = in->st->seg[sreg].selector;
		return hvsim_rm_write(in, in->rm_mem ? 2 : in->op_size, v);
	}
	if (sreg == HVSIM_CS)
		return hvsim_ud(in);
	rc = hvsim_rm_read(in, 2, &v);
	if (!rc)
		rc = hvsim_load_sreg(in, sreg, v);
	if (!rc && sreg == HVSIM_SS)
		in->set_shadow = true;
	return rc;
}

static int hvsim_exec_xchg(struct hvsim_insn *in)
{
	unsigned int size = hvsim_bsize(in, 1);
	u64 a;
	int rc;

	rc = hvsim_decode_modrm(in);
	if (!rc)
		rc = hvsim_rm_read(in, size, &a);
	if (!rc)
		rc = hvsim_rm_write(in, size, hvsim_reg_get(in, in->reg, size));
	if (!rc)
		hvsim_reg_set(in, in->reg, size, a);
	return rc;
}

/* A0-A3: MOV between the accumulator and a direct offset. */
static int hvsim_exec_moffs(struct hvsim_insn *in)
{
	unsigned int size = hvsim_bsize(in, 1);
	int seg = in->seg == HVSIM_SEG_NONE ? HVSIM_DS : in->seg;
	u64 off, v;
	int rc;

	rc = hvsim_fetch(in, in->ad_size, &off);
	if (rc)
		return rc;
	if (in->opcode & 2)
		return hvsim_write(in, seg, off,  size,
				   hvsim_reg_get(in, HVSIM_RAX, size));
	rc = hvsim_read(in, seg, off, size, &v);
	if (!rc)
		hvsim_reg_set(in, HVSIM_RAX, size, v);
	return rc;
}

/* B0-BF: MOV reg, imm. */
static int hvsim_exec_mov_imm(struct hvsim_insn *in)
{
	unsigned int reg = (in->opcode & 7) | ((in->rex & HVSIM_REX_B) ? 8 : 0);
	unsigned int size = in->opcode & 8 ? in->op_size : 1;
	u64 v;
	int rc;

	rc = size == 8 ? hvsim_fetch(in, 8, &v) : hvsim_fetch(in, size, &v);
	if (!rc)
		hvsim_reg_set(in, reg, size, v);
	return rc;
}

static int hvsim_exec_lea(struct hvsim_insn *in)
{
	int rc;

	rc = hvsim_decode_modrm(in);
	if (rc)
		return rc;
	if (!in->rm_mem)
		return hvsim_ud(in);
	if (in->rip_rel)
		in->ea = (in->ea + hvsim_next_ip(in)) & hvsim_mask(in->ad_size);
	hvsim_reg_set(in, in->reg, in->op_size, in->ea);
	return 0;
}

static int hvsim_exec_pop_rm(struct hvsim_insn *in)
{
	unsigned int size = hvsim_stack_opsize(in);
	u64 v;
	int rc;

	rc = hvsim_decode_modrm(in);
	if (rc)
		return rc;
	if (in->reg & 7)
		return hvsim_ud(in);
	rc = hvsim_pop(in, size, &v);
	return rc ? rc : hvsim_rm_write(in, size, v);
}

static int hvsim_exec_popf(struct hvsim_insn *in)
{
	unsigned int size = hvsim_stack_opsize(in);
	u64 chg = HVSIM_FL_ARITH | HVSIM_FL_TF | HVSIM_FL_IF | HVSIM_FL_DF |
		  HVSIM_FL_IOPL | HVSIM_FL_NT | HVSIM_FL_AC | HVSIM_FL_ID;
	u64 *fl = &in->st->rflags;
	u64 v;
	int rc;

	/* IOPL changes only at CPL 0, IF only at CPL <= IOPL */
	rc = hvsim_pop(in, size, &v);
	if (rc)
		return rc;
	if (hvsim_pmode(in) && in->cpl)
		chg &= ~HVSIM_FL_IOPL;
	if (hvsim_pmode(in) && in->cpl > ((*fl & HVSIM_FL_IOPL) >> 12))
		chg &= ~HVSIM_FL_IF;
	chg &= hvsim_mask(size);
	*fl = (*fl & ~chg & ~HVSIM_FL_RF) | (v & chg) | HVSIM_FL_FIXED;
	return 0;
}

static int hvsim_exec_ret(struct hvsim_insn *in)
{
	unsigned int size = hvsim_stack_opsize(in);
	u64 ip, n = 0;
	int rc;

	if (in->opcode == 0xc2) {
		rc = hvsim_fetch(in, 2, &n);
		if (rc)
			return rc;
	}
	rc = hvsim_pop(in, size, &ip);
	if (rc)
		return rc;
	/* RET imm16 then releases imm16 bytes of parameters. */
	if (n) {
		u64 m = hvsim_mask(hvsim_sp_size(in));
		u64 *sp = &in->st->gpr[HVSIM_RSP];

		*sp = (*sp & ~m) | ((*sp + n) & m);
	}
	hvsim_set_ip(in, ip);
	return 0;
}

/* E0-E3: LOOPNE, LOOPE, LOOP, JCXZ. */
static int hvsim_exec_loop(struct hvsim_insn *in)
{
	u64 m = hvsim_mask(in->ad_size), *cx = &in->st->gpr[HVSIM_RCX];
	bool zf = in->st->rflags & HVSIM_FL_ZF;
	u64 n = *cx & m;
	bool take;

	if (in->opcode == 0xe3) {
		take = !n;
	} else {
		n = (n - 1) & m;
		*cx = in->ad_size == 4 ? n : (*cx & ~m) | n;
		take = n && (in->opcode == 0xe2 ||
			     (in->opcode == 0xe1 ? zf : !zf));
	}
	return hvsim_jump_rel(in, 1, take);
}

static int hvsim_exec_call(struct hvsim_insn *in)
{
	unsigned int size = hvsim_stack_opsize(in);
	u64 rel;
	int rc;

	rc = hvsim_imm(in, size, &rel);
	if (!rc)
		rc = hvsim_push(in, size, hvsim_next_ip(in));
	if (!rc)
		hvsim_set_ip(in, hvsim_next_ip(in) + rel);
	return rc;
}

static int hvsim_exec_flags(struct hvsim_insn *in)
{
	u64 *fl = &in->st->rflags;

	switch (in->opcode) {
	case 0xf5:
		*fl ^= HVSIM_FL_CF;
		break;
	case 0xf8:
		*fl &= ~HVSIM_FL_CF;
		break;
	case 0xf9:
		*fl |= HVSIM_FL_CF;
		break;
	case 0xfa:	/* CLI/STI: CPL <= IOPL (no PVI/VME) */
	case 0xfb:
		if (hvsim_pmode(in) && in->cpl > ((*fl & HVSIM_FL_IOPL) >> 12))
			return hvsim_gp0(in);
		if (in->opcode == 0xfa) {
			*fl &= ~HVSIM_FL_IF;
		} else {
			/* STI blocks interrupts until after the next insn */
			in->set_shadow = !(*fl & HVSIM_FL_IF);
			*fl |= HVSIM_FL_IF;
		}
		break;
	case 0xfc:
		*fl &= ~HVSIM_FL_DF;
		break;
	default:
		*fl |= HVSIM_FL_DF;
		break;
	}
	return 0;
}

static int hvsim_exec_misc(struct hvsim_insn *in)
{
	unsigned int size = in->op_size;
	u64 *fl = &in->st->rflags;
	u64 v, ah;

	switch (in->opcode) {
	case 0x98:	/* CBW/CWDE/CDQE */
		v = hvsim_reg_get(in, HVSIM_RAX, size / 2);
		hvsim_reg_set(in, HVSIM_RAX, size, hvsim_sext(v, size / 2));
		return 0;
	case 0x99:	/* CWD/CDQ/CQO */
		v = hvsim_reg_get(in, HVSIM_RAX, size);
		hvsim_reg_set(in, HVSIM_RDX, size,
			      (v >> (size * 8 - 1)) ? ~0ULL : 0);
		return 0;
	case 0x9c:	/* PUSHF */
		size = hvsim_stack_opsize(in);
		v = *fl & ~(HVSIM_FL_RF | HVSIM_FL_VM);
		return hvsim_push(in, size, v & hvsim_mask(size));
	case 0x9e:	/* SAHF */
		ah = (in->st->gpr[HVSIM_RAX] >> 8) & 0xff;
		v = HVSIM_FL_SF | HVSIM_FL_ZF | HVSIM_FL_AF | HVSIM_FL_PF |
		    HVSIM_FL_CF;
		*fl = (*fl & ~v) | (ah & v) | HVSIM_FL_FIXED;
		return 0;
	default:	/* 9F: LAHF */
		v = (*fl & 0xd5) | HVSIM_FL_FIXED;
		in->st->gpr[HVSIM_RAX] &= ~0xff00ULL;
		in->st->gpr[HVSIM_RAX] |= v << 8;
		return 0;
	}
}

static int hvsim_exec_push_pop(struct hvsim_insn *in)
{
	unsigned int size = hvsim_stack_opsize(in);
	unsigned int op = in->opcode, reg;
	u64 v;
	int rc;

	reg = (op & 7) | ((in->rex & HVSIM_REX_B) ? 8 : 0);
	switch (op) {
	case 0x50 ... 0x57:
		return hvsim_push(in, size, hvsim_reg_get(in, reg, size));
	case 0x58 ... 0x5f:
		rc = hvsim_pop(in, size, &v);
		if (!rc)
			hvsim_reg_set(in, reg, size, v);
		return rc;
	case 0x68:
	case 0x6a:
		rc = hvsim_imm(in, op == 0x6a ? 1 : size, &v);
		return rc ? rc : hvsim_push(in, size, v);
	}
	/* 06 0E 16 1E: PUSH ES/CS/SS/DS; 07 17 1F: POP ES/SS/DS */
	if (in->code_size == 8)
		return hvsim_ud(in);
	if (!(op & 1))
		return hvsim_push(in, size, in->st->seg[op >> 3].selector);
	rc = hvsim_pop(in, size, &v);
	if (!rc)
		rc = hvsim_load_sreg(in, op >> 3, v);
	if (!rc && op == 0x17)
		in->set_shadow = true;
	return rc;
}

/* 0F xx opcodes. */
static int hvsim_exec_0f(struct hvsim_insn *in)
{
	unsigned int op = in->opcode;
	unsigned int jsize = in->code_size == 8 ? 4 : in->op_size;
	unsigned int ssize;
	u64 v;
	int rc;

	if (op >= 0x80 && op <= 0x8f)
		return hvsim_jump_rel(in, jsize,
				      hvsim_cond(op & 15, in->st->rflags));
	if (op >= 0x90 && op <= 0x9f) {
		rc = hvsim_decode_modrm(in);
		return rc ? rc : hvsim_rm_write(in, 1,
				hvsim_cond(op & 15, in->st->rflags));
	}
	switch (op) {
	case 0x00 ... 0x0b: case 0x0d: case 0x18 ... 0x1f:
	case 0x20 ... 0x23: case 0x30 ... 0x32: case 0xa2: case 0xae:
		return hvsim_exec_0f_sys(in);
	case 0xb6: case 0xb7: case 0xbe: case 0xbf:
		break;
	default:
		return hvsim_exec_0f_int(in);
	}

	/* MOVZX / MOVSX */
	ssize = (op & 1) ? 2 : 1;
	rc = hvsim_decode_modrm(in);
	if (!rc)
		rc = hvsim_rm_read(in, ssize, &v);
	if (rc)
		return rc;
	if (op & 8)
		v = hvsim_sext(v, ssize);
	hvsim_reg_set(in, in->reg, in->op_size, v);
	return 0;
}

/**
 * hvsim_exec() - execute a decoded-opcode instruction
 * @in: instruction with prefixes and opcode decoded
 *
 * Decodes the rest of the instruction and executes it on the scratch
 * state.
 *
 * Return: 0, or an exit reason.
 */
int hvsim_exec(struct hvsim_insn *in)
{
	unsigned int op = in->opcode;
	u64 v;
	int rc;

	if (in->op0f)
		return hvsim_exec_0f(in);
	if (op < 0x40 && (op & 7) < 6)
		return hvsim_exec_alu(in);

	switch (op) {
	case 0x06: case 0x07: case 0x0e: case 0x16: case 0x17:
	case 0x1e: case 0x1f: case 0x50 ... 0x5f: case 0x68: case 0x6a:
		return hvsim_exec_push_pop(in);
	case 0x40 ... 0x4f:	/* REX in 64-bit mode, never seen here */
		v = hvsim_reg_get(in, op & 7, in->op_size);
		v = hvsim_incdec(op & 8, v, in->op_size, &in->st->rflags);
		hvsim_reg_set(in, op & 7, in->op_size, v);
		return 0;
	case 0x6c ... 0x6f: case 0xe4 ... 0xe7: case 0xec ... 0xef:
		return hvsim_exec_io(in);
	case 0x70 ... 0x7f:
		return hvsim_jump_rel(in, 1, hvsim_cond(op & 15,
							in->st->rflags));
	case 0x80 ... 0x83:
		return hvsim_exec_grp1(in);
	case 0x84: case 0x85:
		rc = hvsim_decode_modrm(in);
		if (!rc)
			rc = hvsim_rm_read(in, hvsim_bsize(in, 1), &v);
		if (!rc)
			hvsim_logic_flags(v & hvsim_reg_get(in, in->reg,
							    hvsim_bsize(in, 1)),
					  hvsim_bsize(in, 1), &in->st->rflags);
		return rc;
	case 0x86: case 0x87:
		return hvsim_exec_xchg(in);
	case 0x88 ... 0x8b: case 0xc6: case 0xc7:
		return hvsim_exec_mov(in);
	case 0x8c: case 0x8e:
		return hvsim_exec_mov_sreg(in);
	case 0x8d:
		return hvsim_exec_lea(in);
	case 0x8f:
		return hvsim_exec_pop_rm(in);
	case 0x90 ... 0x97:
		op = (op & 7) | ((in->rex & HVSIM_REX_B) ? 8 : 0);
		if (op) {	/* 90 without REX.B is NOP (and PAUSE) */
			v = hvsim_reg_get(in, op, in->op_size);
			hvsim_reg_set(in, op, in->op_size,
				      hvsim_reg_get(in, HVSIM_RAX,
						    in->op_size));
			hvsim_reg_set(in, HVSIM_RAX, in->op_size, v);
		}
		return 0;
	case 0x98: case 0x99: case 0x9c: case 0x9e: case 0x9f:
		return hvsim_exec_misc(in);
	case 0x9d:
		return hvsim_exec_popf(in);
	case 0xa0 ... 0xa3:
		return hvsim_exec_moffs(in);
	case 0xa4 ... 0xa7: case 0xaa ... 0xaf:
		return hvsim_exec_string(in);
	case 0xa8: case 0xa9:
		rc = hvsim_imm(in, hvsim_bsize(in, 1), &v);
		if (!rc)
			hvsim_logic_flags(v & in->st->gpr[HVSIM_RAX],
					  hvsim_bsize(in, 1), &in->st->rflags);
		return rc;
	case 0xb0 ... 0xbf:
		return hvsim_exec_mov_imm(in);
	case 0xc0: case 0xc1: case 0xd0 ... 0xd3:
		return hvsim_exec_grp2(in);
	case 0xc2: case 0xc3:
		return hvsim_exec_ret(in);
	case 0x9a: case 0xca ... 0xcf: case 0xea: case 0xf1:
		return hvsim_exec_far(in);
	case 0x60: case 0x61: case 0x63: case 0x9b: case 0xc4: case 0xc5:
	case 0xc8: case 0xc9: case 0xd7:
		return hvsim_exec_extra(in);
	case 0x69: case 0x6b:
		return hvsim_exec_imul3(in);
	case 0xe0 ... 0xe3:
		return hvsim_exec_loop(in);
	case 0xe8:
		return hvsim_exec_call(in);
	case 0xe9:
		return hvsim_jump_rel(in, in->code_size == 8 ? 4 :
				      in->op_size, true);
	case 0xeb:
		return hvsim_jump_rel(in, 1, true);
	case 0xf4:	/* HLT: retires, then exits */
		rc = hvsim_cpl_check(in);
		return rc ? rc : HVSIM_EXIT_HLT;
	case 0xf5: case 0xf8 ... 0xfd:
		return hvsim_exec_flags(in);
	case 0xf6: case 0xf7:
		return hvsim_exec_grp3(in);
	case 0xfe: case 0xff:
		return hvsim_exec_grp45(in);
	default:
		return hvsim_unsupported(in);
	}
}
