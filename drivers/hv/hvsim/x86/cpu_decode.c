// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim x86 interpreter: prefixes, ModRM/SIB effective addresses, and
 * register, memory, immediate and stack operands.
 */

#include "cpu_internal.h"

/**
 * hvsim_decode_prefixes() - decode legacy/REX prefixes and the opcode
 * @in: instruction, with @code_size set
 *
 * Sets operand and address size, segment override, REP, REX, and the
 * opcode (the second byte for 0F xx).
 *
 * Return: 0 or an exit reason.
 */
int hvsim_decode_prefixes(struct hvsim_insn *in)
{
	bool p66 = false, p67 = false;
	u64 b;
	int rc;

	for (;;) {
		rc = hvsim_fetch(in, 1, &b);
		if (rc)
			return rc;
		if (in->code_size == 8 && (b & 0xf0) == 0x40) {
			in->rex = b;	/* must be last: cleared by others */
			continue;
		}
		switch (b) {
		case 0x66:
			p66 = true;
			break;
		case 0x67:
			p67 = true;
			break;
		case 0x26: case 0x2e: case 0x36: case 0x3e:
			in->seg = (b >> 3) & 3;
			break;
		case 0x64:
			in->seg = HVSIM_FS;
			break;
		case 0x65:
			in->seg = HVSIM_GS;
			break;
		case 0xf0:	/* LOCK: atomicity is implicit here */
			break;
		case 0xf2: case 0xf3:
			in->rep = b;
			break;
		default:
			goto opcode;
		}
		in->rex = 0;
	}

opcode:
	if (in->code_size == 8) {
		in->op_size = (in->rex & HVSIM_REX_W) ? 8 : p66 ? 2 : 4;
		in->ad_size = p67 ? 4 : 8;
	} else {
		in->op_size = (in->code_size == 2) != p66 ? 2 : 4;
		in->ad_size = (in->code_size == 2) != p67 ? 2 : 4;
	}
	if (b == 0x0f) {
		in->op0f = true;
		rc = hvsim_fetch(in, 1, &b);
		if (rc)
			return rc;
	}
	in->opcode = b;
	return 0;
}

static int hvsim_modrm16(struct hvsim_insn *in)
{
	u64 *r = in->st->gpr;
	u64 disp = 0;
	int rc;

	in->ea_seg = HVSIM_DS;
	switch (in->rm) {
	case 0:
		in->ea = r[HVSIM_RBX] + r[HVSIM_RSI];
		break;
	case 1:
		in->ea = r[HVSIM_RBX] + r[HVSIM_RDI];
		break;
	case 2:
		in->ea = r[HVSIM_RBP] + r[HVSIM_RSI];
		in->ea_seg = HVSIM_SS;
		break;
	case 3:
		in->ea = r[HVSIM_RBP] + r[HVSIM_RDI];
		in->ea_seg = HVSIM_SS;
		break;
	case 4:
		in->ea = r[HVSIM_RSI];
		break;
	case 5:
		in->ea = r[HVSIM_RDI];
		break;
	case 6:
		if (in->mod == 0) {
			in->ea = 0;
			return hvsim_fetch(in, 2, &in->ea);
		}
		in->ea = r[HVSIM_RBP];
		in->ea_seg = HVSIM_SS;
		break;
	default:
		in->ea = r[HVSIM_RBX];
		break;
	}
	if (in->mod == 1) {
		rc = hvsim_fetch(in, 1, &disp);
		disp = hvsim_sext(disp, 1);
	} else if (in->mod == 2) {
		rc = hvsim_fetch(in, 2, &disp);
	} else {
		rc = 0;
	}
	in->ea += disp;
	return rc;
}

static int hvsim_modrm32(struct hvsim_insn *in)
{
	unsigned int base = in->rm, index = 4, scale = 0;
	bool has_base = true;
	u64 disp = 0, sib;
	int rc;

	if ((base & 7) == 4) {
		rc = hvsim_fetch(in, 1, &sib);
		if (rc)
			return rc;
		scale = sib >> 6;
		index = ((sib >> 3) & 7) | ((in->rex & HVSIM_REX_X) ? 8 : 0);
		base = (sib & 7) | ((in->rex & HVSIM_REX_B) ? 8 : 0);
		if ((base & 7) == 5 && in->mod == 0)
			has_base = false;
	} else if (base == 5 && in->mod == 0) {
		has_base = false;
		in->rip_rel = in->code_size == 8;
	}

	in->ea = 0;
	in->ea_seg = HVSIM_DS;
	if (has_base) {
		in->ea = in->st->gpr[base];
		if ((base & 7) == 4 || (base & 7) == 5)
			in->ea_seg = HVSIM_SS;
	}
	if (index != 4)
		in->ea += in->st->gpr[index] << scale;

	if (in->mod == 1) {
		rc = hvsim_fetch(in, 1, &disp);
		disp = hvsim_sext(disp, 1);
	} else if (in->mod == 2 || !has_base) {
		rc = hvsim_fetch(in, 4, &disp);
		disp = hvsim_sext(disp, 4);
	} else {
		rc = 0;
	}
	in->ea += disp;
	return rc;
}

/**
 * hvsim_decode_modrm() - decode ModRM (and SIB, displacement)
 * @in: instruction
 *
 * Computes the effective address of a memory operand now; a RIP-relative
 * one is completed when the operand is accessed, once the instruction
 * length is known.
 *
 * Return: 0 or an exit reason.
 */
int hvsim_decode_modrm(struct hvsim_insn *in)
{
	u64 b;
	int rc;

	rc = hvsim_fetch(in, 1, &b);
	if (rc)
		return rc;
	in->has_modrm = true;
	in->mod = b >> 6;
	in->reg = ((b >> 3) & 7) | ((in->rex & HVSIM_REX_R) ? 8 : 0);
	in->rm = b & 7;
	if (in->mod == 3) {
		in->rm |= (in->rex & HVSIM_REX_B) ? 8 : 0;
		return 0;
	}
	in->rm_mem = true;
	if (in->ad_size == 2) {
		rc = hvsim_modrm16(in);
	} else {
		in->rm |= (in->rex & HVSIM_REX_B) ? 8 : 0;
		rc = hvsim_modrm32(in);
	}
	if (in->seg != HVSIM_SEG_NONE)
		in->ea_seg = in->seg;
	in->ea &= hvsim_mask(in->ad_size);
	return rc;
}

static u64 hvsim_ea(struct hvsim_insn *in)
{
	if (in->rip_rel)
		return (in->ea + hvsim_next_ip(in)) & hvsim_mask(in->ad_size);
	return in->ea;
}

/* Without REX, byte registers 4-7 are AH, CH, DH, BH. */
static bool hvsim_is_high8(struct hvsim_insn *in, unsigned int reg,
			   unsigned int size)
{
	return size == 1 && !in->rex && reg >= 4 && reg < 8;
}

/**
 * hvsim_reg_get() - read a general-purpose register operand
 * @in: instruction
 * @reg: register number (encoding order, REX applied)
 * @size: operand size in bytes
 *
 * Return: the value, zero-extended.
 */
u64 hvsim_reg_get(struct hvsim_insn *in, unsigned int reg, unsigned int size)
{
	if (hvsim_is_high8(in, reg, size))
		return (in->st->gpr[reg - 4] >> 8) & 0xff;
	return in->st->gpr[reg] & hvsim_mask(size);
}

/**
 * hvsim_reg_set() - write a general-purpose register operand
 * @in: instruction
 * @reg: register number (encoding order, REX applied)
 * @size: operand size in bytes
 * @val: value
 *
 * 8- and 16-bit writes keep the other bits; 32-bit writes zero the upper
 * half, as in 64-bit mode (the upper half is undefined in legacy modes).
 */
void hvsim_reg_set(struct hvsim_insn *in, unsigned int reg, unsigned int size,
		   u64 val)
{
	u64 *r;

	if (hvsim_is_high8(in, reg, size)) {
		r = &in->st->gpr[reg - 4];
		*r = (*r & ~0xff00ULL) | ((val & 0xff) << 8);
		return;
	}
	r = &in->st->gpr[reg];
	if (size >= 4)
		*r = val & hvsim_mask(size);
	else
		*r = (*r & ~hvsim_mask(size)) | (val & hvsim_mask(size));
}

/**
 * hvsim_rm_read() - read the ModRM r/m operand
 * @in: instruction, ModRM decoded
 * @size: operand size in bytes
 * @val: value read
 *
 * Return: 0 or an exit reason.
 */
int hvsim_rm_read(struct hvsim_insn *in, unsigned int size, u64 *val)
{
	if (!in->rm_mem) {
		*val = hvsim_reg_get(in, in->rm, size);
		return 0;
	}
	return hvsim_read(in, in->ea_seg, hvsim_ea(in), size, val);
}

/**
 * hvsim_rm_write() - write the ModRM r/m operand
 * @in: instruction, ModRM decoded
 * @size: operand size in bytes
 * @val: value
 *
 * Return: 0 or an exit reason.
 */
int hvsim_rm_write(struct hvsim_insn *in, unsigned int size, u64 val)
{
	if (!in->rm_mem) {
		hvsim_reg_set(in, in->rm, size, val);
		return 0;
	}
	return hvsim_write(in, in->ea_seg, hvsim_ea(in), size, val);
}

/**
 * hvsim_imm() - fetch an immediate operand
 * @in: instruction
 * @size: operand size; 8 fetches a sign-extended imm32
 * @val: the immediate, sign-extended to 64 bits
 *
 * Return: 0 or an exit reason.
 */
int hvsim_imm(struct hvsim_insn *in, unsigned int size, u64 *val)
{
	unsigned int n = size > 4 ? 4 : size;
	int rc;

	rc = hvsim_fetch(in, n, val);
	if (!rc)
		*val = hvsim_sext(*val, n);
	return rc;
}

/**
 * hvsim_sp_size() - width of the stack pointer
 * @in: instruction
 *
 * Return: 2 or 4 bytes per SS.B outside long mode (2 in real mode), 8 in
 * 64-bit mode.
 */
unsigned int hvsim_sp_size(struct hvsim_insn *in)
{
	if (in->code_size == 8)
		return 8;
	if ((in->st->cr0 & HVSIM_CR0_PE) &&
	    (in->st->seg[HVSIM_SS].attributes & HVSIM_SEG_ATTR_DB))
		return 4;
	return 2;
}

/**
 * hvsim_push() - push a value on the stack
 * @in: instruction
 * @size: bytes to push
 * @val: value
 *
 * Return: 0 or an exit reason.
 */
int hvsim_push(struct hvsim_insn *in, unsigned int size, u64 val)
{
	u64 m = hvsim_mask(hvsim_sp_size(in));
	u64 *sp = &in->st->gpr[HVSIM_RSP];
	u64 nsp = (*sp - size) & m;
	int rc;

	rc = hvsim_write(in, HVSIM_SS, nsp, size, val);
	if (!rc)
		*sp = (*sp & ~m) | nsp;
	return rc;
}

/**
 * hvsim_pop() - pop a value from the stack
 * @in: instruction
 * @size: bytes to pop
 * @val: value popped
 *
 * Return: 0 or an exit reason.
 */
int hvsim_pop(struct hvsim_insn *in, unsigned int size, u64 *val)
{
	u64 m = hvsim_mask(hvsim_sp_size(in));
	u64 *sp = &in->st->gpr[HVSIM_RSP];
	int rc;

	rc = hvsim_read(in, HVSIM_SS, *sp & m, size, val);
	if (!rc)
		*sp = (*sp & ~m) | ((*sp + size) & m);
	return rc;
}

/**
 * hvsim_next_ip() - address of the next instruction
 * @in: instruction, fully decoded
 *
 * Return: RIP + length, wrapped to the code segment's width.
 */
u64 hvsim_next_ip(struct hvsim_insn *in)
{
	return (in->rip + in->len) & hvsim_mask(in->code_size);
}

/**
 * hvsim_set_ip() - branch
 * @in: instruction
 * @ip: target, truncated to the operand size (64 bits in long mode)
 */
void hvsim_set_ip(struct hvsim_insn *in, u64 ip)
{
	unsigned int size = in->code_size == 8 ? 8 : in->op_size;

	in->st->rip = ip & hvsim_mask(size);
	in->branch = true;
}
