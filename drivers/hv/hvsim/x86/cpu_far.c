// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim x86 interpreter: far transfers (JMP/CALL far, RETF), software
 * interrupts (INT3, INT n, INTO, INT1) and IRET, in real, protected and
 * long mode.
 *
 * Far JMP/CALL go to code segments only (call gates and task switches are
 * HVSIM_EXIT_UNSUPPORTED), so they never change the privilege level;
 * RETF and IRET may return to an outer level, popping SS:rSP too.
 * A return frame is read or written as one stack access.
 */

#include "cpu_internal.h"

/* Push two @size-byte values: @lo at the lower address. */
static int hvsim_push2(struct hvsim_insn *in, unsigned int size, u64 lo,
		       u64 hi)
{
	u64 m = hvsim_mask(hvsim_sp_size(in)), *sp = &in->st->gpr[HVSIM_RSP];
	u64 nsp = (*sp - 2 * size) & m;
	u8 b[16];
	int rc;

	hvsim_le_put(b, size, lo);
	hvsim_le_put(b + size, size, hi);
	rc = hvsim_write_buf(in, HVSIM_SS, nsp, 2 * size, b);
	if (!rc)
		*sp = (*sp & ~m) | nsp;
	return rc;
}

/* Read @n values of @size bytes at SS:rSP + @skip (nothing popped yet). */
static int hvsim_peek(struct hvsim_insn *in, unsigned int size,
		      unsigned int n, u64 skip, u64 *v)
{
	u64 m = hvsim_mask(hvsim_sp_size(in));
	u64 sp = (in->st->gpr[HVSIM_RSP] + skip) & m;
	unsigned int i;
	u8 b[40];
	int rc;

	rc = hvsim_read_buf(in, HVSIM_SS, sp, n * size, b);
	if (rc)
		return rc;
	for (i = 0; i < n; i++)
		v[i] = hvsim_le_get(b + i * size, size);
	return 0;
}

static void hvsim_release_stack(struct hvsim_insn *in, u64 n)
{
	u64 m = hvsim_mask(hvsim_sp_size(in)), *sp = &in->st->gpr[HVSIM_RSP];

	*sp = (*sp & ~m) | ((*sp + n) & m);
}

static void hvsim_jump_to(struct hvsim_insn *in, u64 ip, unsigned int size)
{
	in->st->rip = ip & hvsim_mask(size);
	in->branch = true;
}

/* After a return to an outer level: data segments it may not use. */
static void hvsim_null_inner_segs(struct hvsim_insn *in)
{
	static const int segs[] = { HVSIM_ES, HVSIM_DS, HVSIM_FS, HVSIM_GS };
	unsigned int i;

	for (i = 0; i < 4; i++) {
		struct hvsim_segment *s = &in->st->seg[segs[i]];
		u16 a = s->attributes;

		if ((!(a & HVSIM_SEG_T_CODE) || !(a & HVSIM_SEG_T_CE)) &&
		    HVSIM_SEG_DPL(a) < in->cpl)
			hvsim_null_seg(s, 0);
	}
}

/* Is @ip beyond the limit of the (just loaded) non-64-bit CS? */
static bool hvsim_ip_beyond(struct hvsim_insn *in, u64 ip)
{
	const struct hvsim_segment *cs = &in->st->seg[HVSIM_CS];

	return !(hvsim_lma(in) && (cs->attributes & HVSIM_SEG_ATTR_L)) &&
	       ip > cs->limit;
}

/**
 * hvsim_far_transfer() - far JMP or CALL to @sel:@ip
 * @in: instruction (operand size = size of @ip and of the pushed frame)
 * @sel: code segment selector
 * @ip: offset
 * @call: push the return address CS:IP first
 *
 * Return: 0, HVSIM_EXC or an exit reason.
 */
int hvsim_far_transfer(struct hvsim_insn *in, u16 sel, u64 ip, bool call)
{
	struct hvsim_segment *cs = &in->st->seg[HVSIM_CS];
	unsigned int size = in->op_size, cpl = in->cpl;
	u8 d[8];
	int rc;

	if (call) {
		rc = hvsim_push2(in, size, hvsim_next_ip(in), cs->selector);
		if (rc)
			return rc;
	}
	if (!hvsim_pmode(in)) {
		cs->selector = sel;
		cs->base = (u64)sel << 4;
		hvsim_jump_to(in, ip, size);
		return 0;
	}
	if (!(sel & 0xfffc))
		return hvsim_gp0(in);
	rc = hvsim_read_desc(in, sel, d, 8, HVSIM_GP);
	if (rc)
		return rc;
	if ((d[5] & HVSIM_SEG_ATTR_S) && !(d[5] & HVSIM_SEG_T_CE) &&
	    (sel & 3) > cpl)
		return hvsim_raise(in, HVSIM_GP, sel & 0xfffc);
	rc = hvsim_check_code(in, sel, d, &cpl, false);
	if (!rc)
		rc = hvsim_load_cs(in, sel, cpl);
	if (rc)
		return rc;
	if (hvsim_ip_beyond(in, ip & hvsim_mask(size)))
		return hvsim_gp0(in);
	hvsim_jump_to(in, ip, size);
	return 0;
}

/* RETF [imm16] */
static int hvsim_retf(struct hvsim_insn *in, u64 n)
{
	unsigned int size = in->op_size, newcpl;
	u64 v[4];
	u16 sel;
	u8 d[8];
	int rc;

	rc = hvsim_peek(in, size, 2, 0, v);
	if (rc)
		return rc;
	sel = v[1];
	if (!hvsim_pmode(in)) {
		hvsim_release_stack(in, 2 * size + n);
		in->st->seg[HVSIM_CS].selector = sel;
		in->st->seg[HVSIM_CS].base = (u64)sel << 4;
		hvsim_jump_to(in, v[0], size);
		return 0;
	}
	newcpl = sel & 3;
	if (!(sel & 0xfffc))
		return hvsim_gp0(in);
	if (newcpl < in->cpl)
		return hvsim_raise(in, HVSIM_GP, sel & 0xfffc);
	rc = hvsim_read_desc(in, sel, d, 8, HVSIM_GP);
	if (!rc)
		rc = hvsim_check_code(in, sel, d, &newcpl, false);
	if (rc)
		return rc;
	if (newcpl == in->cpl) {
		hvsim_release_stack(in, 2 * size + n);
		rc = hvsim_load_cs(in, sel, newcpl);
	} else {
		/* outer level: SS:rSP follow the parameters */
		rc = hvsim_peek(in, size, 2, 2 * size + n, v + 2);
		if (!rc)
			rc = hvsim_load_cs(in, sel, newcpl);
		if (!rc)
			rc = hvsim_load_sreg(in, HVSIM_SS, v[3]);
		if (rc)
			return rc;
		in->st->gpr[HVSIM_RSP] = v[2];
		hvsim_release_stack(in, n);
		hvsim_null_inner_segs(in);
	}
	if (rc)
		return rc;
	if (hvsim_ip_beyond(in, v[0] & hvsim_mask(size)))
		return hvsim_gp0(in);
	hvsim_jump_to(in, v[0], size);
	return 0;
}

static int hvsim_iret(struct hvsim_insn *in)
{
	struct hvsim_cpu_state *st = in->st;
	unsigned int size = in->op_size, newcpl, cpl = in->cpl;
	u64 chg = HVSIM_FL_ARITH | HVSIM_FL_TF | HVSIM_FL_DF | HVSIM_FL_NT |
		  HVSIM_FL_AC | HVSIM_FL_ID | HVSIM_FL_RF;
	u64 iopl = (st->rflags & HVSIM_FL_IOPL) >> 12, v[5];
	bool outer;
	u16 sel;
	u8 d[8];
	int rc;

	if (!hvsim_pmode(in)) {
		rc = hvsim_peek(in, size, 3, 0, v);
		if (rc)
			return rc;
		hvsim_release_stack(in, 3 * size);
		chg |= HVSIM_FL_IF | HVSIM_FL_IOPL;
		chg &= hvsim_mask(size) & ~HVSIM_FL_RF;
		st->rflags = (st->rflags & ~chg) | (v[2] & chg);
		st->seg[HVSIM_CS].selector = v[1];
		st->seg[HVSIM_CS].base = (v[1] & 0xffff) << 4;
		hvsim_jump_to(in, v[0], size);
		st->nmi_masked = false;
		return 0;
	}
	if (st->rflags & HVSIM_FL_NT)
		return hvsim_lma(in) ? hvsim_gp0(in) : hvsim_unsupported(in);
	rc = hvsim_peek(in, size, 3, 0, v);
	if (rc)
		return rc;
	if (!hvsim_lma(in) && (v[2] & HVSIM_FL_VM) && cpl == 0 && size == 4)
		return hvsim_unsupported(in);	/* return to virtual-8086 */
	sel = v[1];
	newcpl = sel & 3;
	if (!(sel & 0xfffc))
		return hvsim_gp0(in);
	if (newcpl < cpl)
		return hvsim_raise(in, HVSIM_GP, sel & 0xfffc);
	rc = hvsim_read_desc(in, sel, d, 8, HVSIM_GP);
	if (!rc)
		rc = hvsim_check_code(in, sel, d, &newcpl, false);
	if (rc)
		return rc;
	outer = newcpl > cpl || in->code_size == 8;
	if (outer) {
		rc = hvsim_peek(in, size, 2, 3 * size, v + 3);
		if (rc)
			return rc;
	}
	if (cpl == 0)
		chg |= HVSIM_FL_IOPL;
	if (cpl <= iopl)
		chg |= HVSIM_FL_IF;
	chg &= hvsim_mask(size);

	rc = hvsim_load_cs(in, sel, newcpl);
	if (rc)
		return rc;
	if (outer) {
		rc = hvsim_load_sreg(in, HVSIM_SS, v[4]);
		if (rc)
			return rc;
		st->gpr[HVSIM_RSP] = v[3];
		if (newcpl > cpl)
			hvsim_null_inner_segs(in);
	} else {
		hvsim_release_stack(in, 3 * size);
	}
	if (hvsim_ip_beyond(in, v[0] & hvsim_mask(size)))
		return hvsim_gp0(in);
	st->rflags = (st->rflags & ~chg) | (v[2] & chg);
	hvsim_jump_to(in, v[0], size);
	st->nmi_masked = false;
	return 0;
}

static int hvsim_soft_int(struct hvsim_insn *in, unsigned int vec,
			  unsigned int flags)
{
	int rc;

	rc = hvsim_deliver(in, vec, false, 0, hvsim_next_ip(in), flags);
	if (!rc)
		in->branch = true;
	return rc;
}

/**
 * hvsim_exec_far() - EA, 9A, CA, CB, CC, CD, CE, CF, F1
 * @in: instruction with prefixes and opcode decoded
 *
 * Return: 0, HVSIM_EXC or an exit reason.
 */
int hvsim_exec_far(struct hvsim_insn *in)
{
	unsigned int size = in->op_size;
	u64 ip, sel, n = 0;
	int rc;

	if (in->code_size == 8 && in->opcode != 0xcf && in->opcode != 0xca &&
	    in->opcode != 0xcb && in->opcode != 0xcc && in->opcode != 0xcd &&
	    in->opcode != 0xf1)
		return hvsim_ud(in);

	switch (in->opcode) {
	case 0xea:	/* JMP ptr16:16/32 */
	case 0x9a:	/* CALL ptr16:16/32 */
		rc = hvsim_fetch(in, size, &ip);
		if (!rc)
			rc = hvsim_fetch(in, 2, &sel);
		return rc ? rc : hvsim_far_transfer(in, sel, ip,
						    in->opcode == 0x9a);
	case 0xca:	/* RETF imm16 */
		rc = hvsim_fetch(in, 2, &n);
		return rc ? rc : hvsim_retf(in, n);
	case 0xcb:	/* RETF */
		return hvsim_retf(in, 0);
	case 0xcf:
		return hvsim_iret(in);
	case 0xcc:
		return hvsim_soft_int(in, HVSIM_BP, HVSIM_DLV_SOFT);
	case 0xce:	/* INTO */
		if (!(in->st->rflags & HVSIM_FL_OF))
			return 0;
		return hvsim_soft_int(in, HVSIM_OF, HVSIM_DLV_SOFT);
	case 0xf1:	/* INT1 (ICEBP): no gate DPL check */
		return hvsim_soft_int(in, HVSIM_DB, 0);
	default:	/* CD: INT n */
		rc = hvsim_fetch(in, 1, &n);
		return rc ? rc : hvsim_soft_int(in, n, HVSIM_DLV_SOFT);
	}
}

/**
 * hvsim_exec_far_indirect() - FF /3 (CALL m16:16/32/64) and FF /5 (JMP)
 * @in: instruction with ModRM decoded
 *
 * Return: 0, HVSIM_EXC or an exit reason.
 */
int hvsim_exec_far_indirect(struct hvsim_insn *in)
{
	unsigned int size = in->op_size;
	u64 ip, sel;
	int rc;

	if (!in->rm_mem)
		return hvsim_ud(in);
	rc = hvsim_read(in, in->ea_seg, in->ea, size, &ip);
	if (!rc)
		rc = hvsim_read(in, in->ea_seg,
				(in->ea + size) & hvsim_mask(in->ad_size), 2,
				&sel);
	return rc ? rc : hvsim_far_transfer(in, sel, ip, (in->reg & 7) == 3);
}
