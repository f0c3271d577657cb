// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim x86 interpreter: the remaining general-purpose instructions.
 * 0F xx: CMOVcc, BT/BTS/BTR/BTC, BSF/BSR, IMUL r,r/m, SHLD/SHRD,
 * CMPXCHG, XADD, BSWAP, LSS/LFS/LGS, PUSH/POP FS/GS; one-byte: IMUL with
 * an immediate, MOVSXD, PUSHA/POPA, LES/LDS, ENTER, LEAVE, XLAT, FWAIT.
 *
 * Flags the SDM leaves undefined: BT* and BSF/BSR leave OF, SF, AF, PF
 * (and BT* ZF) unchanged; BSF/BSR with a zero source leave the
 * destination unchanged (as Intel and AMD CPUs do); two- and
 * three-operand IMUL set SF/PF from the result and clear ZF and AF like
 * the one-operand form; SHLD/SHRD compute OF as for a one-bit shift and
 * clear AF.
 */

#include "cpu_internal.h"

static u64 hvsim_msb_of(unsigned int size)
{
	return BIT_ULL(size * 8 - 1);
}

/* 0F 40-4F: CMOVcc r, r/m (the 32-bit form always zero-extends). */
static int hvsim_cmov(struct hvsim_insn *in)
{
	unsigned int size = in->op_size;
	u64 v;
	int rc;

	rc = hvsim_decode_modrm(in);
	if (!rc)
		rc = hvsim_rm_read(in, size, &v);
	if (rc)
		return rc;
	if (!hvsim_cond(in->opcode & 15, in->st->rflags))
		v = hvsim_reg_get(in, in->reg, size);
	hvsim_reg_set(in, in->reg, size, v);
	return 0;
}

/* BT (0), BTS (1), BTR (2), BTC (3) on the r/m operand. */
static int hvsim_bt_op(struct hvsim_insn *in, unsigned int op, u64 bit,
		       bool reg_offset)
{
	unsigned int size = in->op_size, bits = size * 8;
	u64 *fl = &in->st->rflags, ea = in->ea, v, mask;
	int rc;

	if (in->rm_mem && reg_offset) {
		/* the bit offset is signed and may address other bytes */
		s64 off = (s64)hvsim_sext(bit, size);

		ea += (u64)((off >> (bits == 16 ? 4 : bits == 32 ? 5 : 6)) *
			    (s64)size);
		in->ea = ea & hvsim_mask(in->ad_size);
	}
	bit &= bits - 1;
	rc = hvsim_rm_read(in, size, &v);
	if (rc)
		return rc;
	mask = BIT_ULL(bit);
	*fl = (*fl & ~HVSIM_FL_CF) | ((v & mask) ? HVSIM_FL_CF : 0);
	switch (op) {
	case 0:
		return 0;
	case 1:
		v |= mask;
		break;
	case 2:
		v &= ~mask;
		break;
	default:
		v ^= mask;
		break;
	}
	return hvsim_rm_write(in, size, v);
}

static int hvsim_bsf_bsr(struct hvsim_insn *in)
{
	unsigned int size = in->op_size, i;
	u64 *fl = &in->st->rflags, v;
	int rc;

	rc = hvsim_decode_modrm(in);
	if (!rc)
		rc = hvsim_rm_read(in, size, &v);
	if (rc)
		return rc;
	if (in->rep == 0xf3)
		return hvsim_unsupported(in);	/* TZCNT/LZCNT */
	if (!v) {
		*fl |= HVSIM_FL_ZF;
		return 0;
	}
	*fl &= ~HVSIM_FL_ZF;
	if (in->opcode == 0xbc)
		for (i = 0; !(v & BIT_ULL(i)); i++)
			;
	else
		for (i = size * 8 - 1; !(v & BIT_ULL(i)); i--)
			;
	hvsim_reg_set(in, in->reg, size, i);
	return 0;
}

/* Signed product of two @size operands, flags as one-operand IMUL. */
static u64 hvsim_imul2(u64 a, u64 b, unsigned int size, u64 *fl)
{
	u64 m = hvsim_mask(size), lo, hi, al, ah, bl, bh, mid, ll;
	bool wide;

	if (size < 8) {
		s64 p = (s64)hvsim_sext(a, size) * (s64)hvsim_sext(b, size);

		lo = (u64)p & m;
		wide = (s64)hvsim_sext(lo, size) != p;
	} else {
		al = a & 0xffffffff;
		ah = a >> 32;
		bl = b & 0xffffffff;
		bh = b >> 32;
		ll = al * bl;
		mid = (ll >> 32) + (al * bh & 0xffffffff) +
		      (ah * bl & 0xffffffff);
		lo = (mid << 32) | (ll & 0xffffffff);
		hi = ah * bh + (al * bh >> 32) + (ah * bl >> 32) + (mid >> 32);
		if ((s64)a < 0)
			hi -= b;
		if ((s64)b < 0)
			hi -= a;
		wide = hi != ((s64)lo < 0 ? ~0ULL : 0);
	}
	*fl &= ~(HVSIM_FL_CF | HVSIM_FL_OF | HVSIM_FL_AF | HVSIM_FL_ZF |
		 HVSIM_FL_SF | HVSIM_FL_PF);
	if (wide)
		*fl |= HVSIM_FL_CF | HVSIM_FL_OF;
	hvsim_logic_flags(lo, size, fl);
	*fl &= ~(HVSIM_FL_ZF | HVSIM_FL_CF | HVSIM_FL_OF);
	if (wide)
		*fl |= HVSIM_FL_CF | HVSIM_FL_OF;
	return lo;
}

/**
 * hvsim_exec_imul3() - 0F AF (IMUL r, r/m), 69 and 6B (IMUL r, r/m, imm)
 * @in: instruction with prefixes and opcode decoded
 *
 * Return: 0, HVSIM_EXC or an exit reason.
 */
int hvsim_exec_imul3(struct hvsim_insn *in)
{
	unsigned int size = in->op_size;
	u64 a, b;
	int rc;

	rc = hvsim_decode_modrm(in);
	if (rc)
		return rc;
	if (in->op0f)
		b = hvsim_reg_get(in, in->reg, size);
	else
		rc = hvsim_imm(in, in->opcode == 0x6b ? 1 : size, &b);
	if (!rc)
		rc = hvsim_rm_read(in, size, &a);
	if (rc)
		return rc;
	hvsim_reg_set(in, in->reg, size,
		      hvsim_imul2(a, b, size, &in->st->rflags));
	return 0;
}

/* 0F A4/A5 SHLD, 0F AC/AD SHRD */
static int hvsim_shxd(struct hvsim_insn *in)
{
	unsigned int size = in->op_size, bits = size * 8;
	u64 *fl = &in->st->rflags, a, b, r, cnt, m = hvsim_mask(size);
	bool left = in->opcode < 0xa8, cf;
	int rc;

	rc = hvsim_decode_modrm(in);
	if (!rc && !(in->opcode & 1))
		rc = hvsim_fetch(in, 1, &cnt);
	if (!rc)
		rc = hvsim_rm_read(in, size, &a);
	if (rc)
		return rc;
	if (in->opcode & 1)
		cnt = in->st->gpr[HVSIM_RCX];
	cnt &= size == 8 ? 63 : 31;
	if (!cnt)	/* no flags change, but a 32-bit register is written */
		return hvsim_rm_write(in, size, a);
	if (cnt > bits)
		return hvsim_unsupported(in);	/* undefined result */
	b = hvsim_reg_get(in, in->reg, size);
	if (left) {
		cf = (a >> (bits - cnt)) & 1;
		r = cnt == bits ? b : ((a << cnt) | (b >> (bits - cnt))) & m;
	} else {
		cf = (a >> (cnt - 1)) & 1;
		r = cnt == bits ? b : ((a >> cnt) | (b << (bits - cnt))) & m;
	}
	hvsim_logic_flags(r, size, fl);
	if (cf)
		*fl |= HVSIM_FL_CF;
	if ((r ^ a) & hvsim_msb_of(size))
		*fl |= HVSIM_FL_OF;
	return hvsim_rm_write(in, size, r);
}

/* 0F B0/B1 CMPXCHG, 0F C0/C1 XADD */
static int hvsim_cmpxchg_xadd(struct hvsim_insn *in)
{
	unsigned int size = (in->opcode & 1) ? in->op_size : 1;
	u64 *fl = &in->st->rflags, a, r, acc;
	int rc;

	rc = hvsim_decode_modrm(in);
	if (!rc)
		rc = hvsim_rm_read(in, size, &a);
	if (rc)
		return rc;
	r = hvsim_reg_get(in, in->reg, size);
	if (in->opcode >= 0xc0) {
		u64 sum = hvsim_alu(HVSIM_ALU_ADD, a, r, size, fl);

		/* the destination is written last (XADD reg, same reg) */
		hvsim_reg_set(in, in->reg, size, a);
		return hvsim_rm_write(in, size, sum);
	}
	acc = hvsim_reg_get(in, HVSIM_RAX, size);
	hvsim_alu(HVSIM_ALU_CMP, acc, a, size, fl);
	if (acc == a)
		return hvsim_rm_write(in, size, r);
	/*
	 * A memory destination is written back unchanged (a locked cycle);
	 * a register one is not written at all (no zero-extension).
	 */
	rc = in->rm_mem ? hvsim_rm_write(in, size, a) : 0;
	if (!rc)
		hvsim_reg_set(in, HVSIM_RAX, size, a);
	return rc;
}

/* 0F B2/B4/B5 LSS/LFS/LGS, C4/C5 LES/LDS: load a far pointer */
static int hvsim_lxs(struct hvsim_insn *in, int sreg)
{
	unsigned int size = in->op_size;
	u64 off, sel;
	int rc;

	rc = hvsim_decode_modrm(in);
	if (rc)
		return rc;
	if (!in->rm_mem)
		return hvsim_ud(in);
	rc = hvsim_read(in, in->ea_seg, in->ea, size, &off);
	if (!rc)
		rc = hvsim_read(in, in->ea_seg,
				(in->ea + size) & hvsim_mask(in->ad_size), 2,
				&sel);
	if (!rc)
		rc = hvsim_load_sreg(in, sreg, sel);
	if (rc)
		return rc;
	if (sreg == HVSIM_SS)
		in->set_shadow = true;
	hvsim_reg_set(in, in->reg, size, off);
	return 0;
}

static int hvsim_push_pop_fsgs(struct hvsim_insn *in)
{
	unsigned int size = in->code_size == 8 ?
			    (in->op_size == 2 ? 2 : 8) : in->op_size;
	int sreg = in->opcode < 0xa8 ? HVSIM_FS : HVSIM_GS;
	u64 v;
	int rc;

	if (!(in->opcode & 1))
		return hvsim_push(in, size, in->st->seg[sreg].selector);
	rc = hvsim_pop(in, size, &v);
	return rc ? rc : hvsim_load_sreg(in, sreg, v);
}

/**
 * hvsim_exec_0f_int() - general-purpose instructions in the 0F xx map
 * @in: instruction with prefixes and opcode decoded
 *
 * Return: 0, HVSIM_EXC or an exit reason.
 */
int hvsim_exec_0f_int(struct hvsim_insn *in)
{
	unsigned int op = in->opcode;
	u64 v, bit;
	int rc;

	switch (op) {
	case 0x40 ... 0x4f:
		return hvsim_cmov(in);
	case 0xa0: case 0xa1: case 0xa8: case 0xa9:
		return hvsim_push_pop_fsgs(in);
	case 0xa3: case 0xab: case 0xb3: case 0xbb:
		rc = hvsim_decode_modrm(in);
		if (rc)
			return rc;
		bit = hvsim_reg_get(in, in->reg, in->op_size);
		return hvsim_bt_op(in, (op >> 3) & 3, bit, true);
	case 0xba:
		rc = hvsim_decode_modrm(in);
		if (!rc)
			rc = hvsim_fetch(in, 1, &bit);
		if (rc)
			return rc;
		if ((in->reg & 7) < 4)
			return hvsim_ud(in);
		return hvsim_bt_op(in, in->reg & 3, bit, false);
	case 0xbc: case 0xbd:
		return hvsim_bsf_bsr(in);
	case 0xaf:
		return hvsim_exec_imul3(in);
	case 0xa4: case 0xa5: case 0xac: case 0xad:
		return hvsim_shxd(in);
	case 0xb0: case 0xb1: case 0xc0: case 0xc1:
		return hvsim_cmpxchg_xadd(in);
	case 0xb2:
		return hvsim_lxs(in, HVSIM_SS);
	case 0xb4:
		return hvsim_lxs(in, HVSIM_FS);
	case 0xb5:
		return hvsim_lxs(in, HVSIM_GS);
	case 0xc8 ... 0xcf:	/* BSWAP */
		op = (op & 7) | ((in->rex & HVSIM_REX_B) ? 8 : 0);
		v = hvsim_reg_get(in, op, in->op_size == 8 ? 8 : 4);
		if (in->op_size == 8)
			v = __builtin_bswap64(v);
		else
			v = __builtin_bswap32(v);
		hvsim_reg_set(in, op, in->op_size == 8 ? 8 : 4, v);
		return 0;
	}
	return hvsim_unsupported(in);
}

static int hvsim_pusha_popa(struct hvsim_insn *in)
{
	unsigned int size = in->op_size, i;
	u64 m = hvsim_mask(hvsim_sp_size(in)), *sp = &in->st->gpr[HVSIM_RSP];
	u64 nsp = (*sp - 8 * size) & m;
	u8 b[32];
	int rc;

	if (in->opcode == 0x60) {
		/* EDI at the lowest address, EAX at the highest */
		for (i = 0; i < 8; i++)
			hvsim_le_put(b + (7 - i) * size, size,
				     in->st->gpr[i] & hvsim_mask(size));
		rc = hvsim_write_buf(in, HVSIM_SS, nsp, 8 * size, b);
		if (!rc)
			*sp = (*sp & ~m) | nsp;
		return rc;
	}
	rc = hvsim_read_buf(in, HVSIM_SS, *sp & m, 8 * size, b);
	if (rc)
		return rc;
	for (i = 0; i < 8; i++)
		if (i != HVSIM_RSP)
			hvsim_reg_set(in, i, size,
				      hvsim_le_get(b + (7 - i) * size, size));
	*sp = (*sp & ~m) | ((*sp + 8 * size) & m);
	return 0;
}

/* C8: ENTER imm16, 0 (nesting levels above 0 are not modelled) */
static int hvsim_enter(struct hvsim_insn *in)
{
	unsigned int size = in->code_size == 8 ?
			    (in->op_size == 2 ? 2 : 8) : in->op_size;
	u64 m = hvsim_mask(hvsim_sp_size(in)), *sp = &in->st->gpr[HVSIM_RSP];
	u64 alloc, level, frame;
	int rc;

	rc = hvsim_fetch(in, 2, &alloc);
	if (!rc)
		rc = hvsim_fetch(in, 1, &level);
	if (rc)
		return rc;
	if (level & 0x1f)
		return hvsim_unsupported(in);
	rc = hvsim_push(in, size, in->st->gpr[HVSIM_RBP]);
	if (rc)
		return rc;
	frame = *sp & m;
	hvsim_reg_set(in, HVSIM_RBP, size, frame);
	*sp = (*sp & ~m) | ((*sp - alloc) & m);
	return 0;
}

/**
 * hvsim_exec_extra() - 60, 61, 63, 9B, C4, C5, C8, C9, D7
 * @in: instruction with prefixes and opcode decoded
 *
 * Return: 0, HVSIM_EXC or an exit reason.
 */
int hvsim_exec_extra(struct hvsim_insn *in)
{
	struct hvsim_cpu_state *st = in->st;
	bool is64 = in->code_size == 8;
	u64 m, v;
	int rc;

	switch (in->opcode) {
	case 0x60: case 0x61:
		return is64 ? hvsim_ud(in) : hvsim_pusha_popa(in);
	case 0x63:	/* MOVSXD (64-bit mode; ARPL is not modelled) */
		if (!is64)
			return hvsim_unsupported(in);
		rc = hvsim_decode_modrm(in);
		if (!rc)
			rc = hvsim_rm_read(in, 4, &v);
		if (!rc)
			hvsim_reg_set(in, in->reg, in->op_size,
				      in->op_size == 8 ? hvsim_sext(v, 4) : v);
		return rc;
	case 0x9b:	/* FWAIT: no x87 */
		return 0;
	case 0xc4: case 0xc5:
		if (is64)
			return hvsim_unsupported(in);	/* VEX */
		return hvsim_lxs(in, in->opcode == 0xc4 ? HVSIM_ES : HVSIM_DS);
	case 0xc8:
		return hvsim_enter(in);
	case 0xc9:	/* LEAVE */
		m = hvsim_mask(hvsim_sp_size(in));
		st->gpr[HVSIM_RSP] = (st->gpr[HVSIM_RSP] & ~m) |
				     (st->gpr[HVSIM_RBP] & m);
		rc = hvsim_pop(in, is64 ? (in->op_size == 2 ? 2 : 8) :
			       in->op_size, &v);
		if (!rc)
			hvsim_reg_set(in, HVSIM_RBP, is64 ?
				      (in->op_size == 2 ? 2 : 8) :
				      in->op_size, v);
		return rc;
	default:	/* D7: XLAT */
		v = (st->gpr[HVSIM_RBX] + (st->gpr[HVSIM_RAX] & 0xff)) &
		    hvsim_mask(in->ad_size);
		rc = hvsim_read(in, in->seg == HVSIM_SEG_NONE ? HVSIM_DS :
				in->seg, v, 1, &v);
		if (!rc)
			hvsim_reg_set(in, HVSIM_RAX, 1, v);
		return rc;
	}
}
