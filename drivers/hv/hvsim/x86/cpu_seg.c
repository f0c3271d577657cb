// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim x86 interpreter: segmentation.  Descriptor reads from the GDT
 * and LDT, segment register loads with their type, privilege and
 * presence checks (#GP/#NP/#SS with the selector as error code), and the
 * limit and type checks of every data access outside 64-bit mode.
 *
 * Real mode keeps the 8086 rule (base = selector * 16, limit and
 * attributes as cached, no checks); virtual-8086 mode is not modelled.
 */

#include "cpu_internal.h"

static u32 hvsim_sel_err(u16 sel)
{
	return sel & 0xfffc;
}

/**
 * hvsim_seg_check() - limit and type checks of a data access
 * @in: instruction
 * @seg: segment register
 * @off: offset of the first byte
 * @len: number of bytes
 * @write: the access is a write
 *
 * Only 16/32-bit protected mode (including compatibility mode) checks
 * anything; a violation is #SS(0) for SS and #GP(0) otherwise.
 * Return: 0 or HVSIM_EXC.
 */
int hvsim_seg_check(struct hvsim_insn *in, int seg, u64 off,
		    unsigned int len, bool write)
{
	const struct hvsim_segment *s = &in->st->seg[seg];
	unsigned int vec = seg == HVSIM_SS ? HVSIM_SS_VEC : HVSIM_GP;
	u16 a = s->attributes;
	u64 last = off + len - 1, upper;

	if (!hvsim_pmode(in) || in->code_size == 8)
		return 0;
	if (!(a & HVSIM_SEG_ATTR_P))
		return hvsim_raise(in, vec, 0);
	if (a & HVSIM_SEG_T_CODE) {
		if (write || !(a & HVSIM_SEG_T_RW))
			return hvsim_raise(in, vec, 0);
	} else if (write && !(a & HVSIM_SEG_T_RW)) {
		return hvsim_raise(in, vec, 0);
	}
	if (!(a & HVSIM_SEG_T_CODE) && (a & HVSIM_SEG_T_CE)) {
		/* expand-down: valid offsets are limit+1 .. 64K/4G - 1 */
		upper = (a & HVSIM_SEG_ATTR_DB) ? 0xffffffffULL : 0xffff;
		if (off <= s->limit || last > upper || last < off)
			return hvsim_raise(in, vec, 0);
		return 0;
	}
	if (off > s->limit || last > s->limit || last < off)
		return hvsim_raise(in, vec, 0);
	return 0;
}

/* Base of the descriptor table @sel refers to, and its limit. */
static bool hvsim_table(struct hvsim_insn *in, u16 sel, u64 *base, u32 *limit)
{
	const struct hvsim_segment *ldt = &in->st->seg[HVSIM_LDTR];

	if (!(sel & 4)) {
		*base = in->st->gdtr.base;
		*limit = in->st->gdtr.limit;
		return true;
	}
	if (!(ldt->selector & 0xfffc) || !(ldt->attributes & HVSIM_SEG_ATTR_P))
		return false;
	*base = ldt->base;
	*limit = ldt->limit;
	return true;
}

/**
 * hvsim_read_desc() - read the descriptor a selector refers to
 * @in: instruction
 * @sel: selector (not null)
 * @d: 8 or 16 bytes of descriptor
 * @len: 8, or 16 for a system descriptor in long mode
 * @err_vec: the exception for a selector beyond the table limit
 *	(HVSIM_GP, or HVSIM_TS for task-state references)
 *
 * Return: 0, HVSIM_EXC or an exit reason.
 */
int hvsim_read_desc(struct hvsim_insn *in, u16 sel, u8 *d, unsigned int len,
		    u32 err_vec)
{
	u64 base, off = sel & 0xfff8;
	u32 limit;

	if (!hvsim_table(in, sel, &base, &limit) || off + len - 1 > limit)
		return hvsim_raise(in, err_vec, hvsim_sel_err(sel));
	return hvsim_read_buf(in, HVSIM_SEG_NONE, base + off, len, d);
}

/**
 * hvsim_set_accessed() - set the accessed bit of a code/data descriptor
 * @in: instruction
 * @sel: its selector
 * @d: the descriptor as read
 *
 * Return: 0, HVSIM_EXC or an exit reason.
 */
int hvsim_set_accessed(struct hvsim_insn *in, u16 sel, const u8 *d)
{
	u64 base;
	u32 limit;

	if (d[5] & HVSIM_SEG_T_A)
		return 0;
	if (!hvsim_table(in, sel, &base, &limit))
		return hvsim_gp0(in);
	return hvsim_write(in, HVSIM_SEG_NONE, base + (sel & 0xfff8) + 5, 1,
			   d[5] | HVSIM_SEG_T_A);
}

/**
 * hvsim_desc_to_seg() - load the hidden part of a segment register
 * @d: the descriptor
 * @sel: the selector
 * @s: segment register to fill
 * @long_sys: @d is a 16-byte long-mode system descriptor
 */
void hvsim_desc_to_seg(const u8 *d, u16 sel, struct hvsim_segment *s,
		       bool long_sys)
{
	u32 limit = d[0] | (u32)d[1] << 8 | (u32)(d[6] & 0xf) << 16;
	u64 base = d[2] | (u32)d[3] << 8 | (u32)d[4] << 16 | (u32)d[7] << 24;

	if (long_sys)
		base |= hvsim_le_get(d + 8, 4) << 32;
	if (d[6] & 0x80)
		limit = (limit << 12) | 0xfff;
	s->base = base;
	s->limit = limit;
	s->selector = sel;
	s->attributes = d[5] | (u16)(d[6] & 0xf0) << 8;
}

/**
 * hvsim_null_seg() - load a null selector (the register becomes unusable)
 * @s: segment register
 * @sel: the null selector (its RPL is kept as the DPL, as for SS in
 *	64-bit mode)
 */
void hvsim_null_seg(struct hvsim_segment *s, u16 sel)
{
	s->selector = sel;
	s->base = 0;
	s->limit = 0;
	s->attributes = (sel & 3) << 5;
}

/**
 * hvsim_load_sreg() - load ES, SS, DS, FS or GS with a selector
 * @in: instruction
 * @sreg: HVSIM_ES..HVSIM_GS (not CS)
 * @sel: selector
 *
 * Real mode: base = selector * 16.  Protected mode: the descriptor is
 * read and checked as MOV Sreg does.
 * Return: 0, HVSIM_EXC or an exit reason.
 */
int hvsim_load_sreg(struct hvsim_insn *in, int sreg, u16 sel)
{
	struct hvsim_segment *s = &in->st->seg[sreg];
	unsigned int dpl, rpl = sel & 3;
	u8 d[8], a;
	int rc;

	if (!hvsim_pmode(in)) {
		s->selector = sel;
		s->base = (u64)sel << 4;
		return 0;
	}
	if (!(sel & 0xfffc)) {
		if (sreg == HVSIM_SS &&
		    (in->code_size != 8 || in->cpl == 3 || rpl != in->cpl))
			return hvsim_gp0(in);
		hvsim_null_seg(s, sel);
		if (sreg == HVSIM_SS)
			s->attributes |= HVSIM_SEG_ATTR_DB;
		return 0;
	}
	rc = hvsim_read_desc(in, sel, d, 8, HVSIM_GP);
	if (rc)
		return rc;
	a = d[5];
	dpl = HVSIM_SEG_DPL(a);
	if (sreg == HVSIM_SS) {
		if (rpl != in->cpl || !(a & HVSIM_SEG_ATTR_S) ||
		    (a & HVSIM_SEG_T_CODE) || !(a & HVSIM_SEG_T_RW) ||
		    dpl != in->cpl)
			return hvsim_raise(in, HVSIM_GP, hvsim_sel_err(sel));
		if (!(a & HVSIM_SEG_ATTR_P))
			return hvsim_raise(in, HVSIM_SS_VEC,
					   hvsim_sel_err(sel));
	} else {
		if (!(a & HVSIM_SEG_ATTR_S) ||
		    ((a & HVSIM_SEG_T_CODE) && !(a & HVSIM_SEG_T_RW)))
			return hvsim_raise(in, HVSIM_GP, hvsim_sel_err(sel));
		if ((!(a & HVSIM_SEG_T_CODE) || !(a & HVSIM_SEG_T_CE)) &&
		    (rpl > dpl || in->cpl > dpl))
			return hvsim_raise(in, HVSIM_GP, hvsim_sel_err(sel));
		if (!(a & HVSIM_SEG_ATTR_P))
			return hvsim_raise(in, HVSIM_NP, hvsim_sel_err(sel));
	}
	rc = hvsim_set_accessed(in, sel, d);
	if (rc)
		return rc;
	hvsim_desc_to_seg(d, sel, s, false);
	s->attributes |= HVSIM_SEG_T_A;
	return 0;
}

/**
 * hvsim_check_code() - checks of a far JMP/CALL/RET or gate target
 * @in: instruction
 * @sel: the code selector
 * @d: its descriptor
 * @newcpl: in: the privilege level the transfer wants (the CPL for
 *	JMP/CALL, the selector's RPL for RET/IRET, the target DPL for
 *	gates); out: the CPL after the transfer
 * @call: the transfer goes through a gate (may go to an inner level of a
 *	non-conforming segment)
 *
 * Return: 0 or HVSIM_EXC (call gates and TSS descriptors are
 * HVSIM_EXIT_UNSUPPORTED).
 */
int hvsim_check_code(struct hvsim_insn *in, u16 sel, const u8 *d,
		     unsigned int *newcpl, bool call)
{
	unsigned int dpl = HVSIM_SEG_DPL(d[5]);
	u8 a = d[5];

	if (!(a & HVSIM_SEG_ATTR_S)) {
		/* call gate, task gate or TSS */
		if ((a & 0xf) == 0x4 || (a & 0xf) == 0xc || (a & 0xf) == 0x5 ||
		    (a & 0xf) == 0x9 || (a & 0xf) == 0xb)
			return hvsim_unsupported(in);
		return hvsim_raise(in, HVSIM_GP, hvsim_sel_err(sel));
	}
	if (!(a & HVSIM_SEG_T_CODE))
		return hvsim_raise(in, HVSIM_GP, hvsim_sel_err(sel));
	if (a & HVSIM_SEG_T_CE) {
		if (dpl > *newcpl)
			return hvsim_raise(in, HVSIM_GP, hvsim_sel_err(sel));
	} else if (call) {
		if (dpl > *newcpl)
			return hvsim_raise(in, HVSIM_GP, hvsim_sel_err(sel));
		*newcpl = dpl;
	} else if (dpl != *newcpl) {
		return hvsim_raise(in, HVSIM_GP, hvsim_sel_err(sel));
	}
	if (hvsim_lma(in) && (d[6] & 0x20) && (d[6] & 0x40))
		return hvsim_raise(in, HVSIM_GP, hvsim_sel_err(sel));
	if (!(a & HVSIM_SEG_ATTR_P))
		return hvsim_raise(in, HVSIM_NP, hvsim_sel_err(sel));
	return 0;
}

/**
 * hvsim_load_cs() - load CS from a checked code descriptor
 * @in: instruction
 * @sel: selector (its RPL is replaced by @cpl)
 * @cpl: the new CPL
 *
 * Re-reads the descriptor (already checked by hvsim_check_code()), sets
 * its accessed bit and switches the instruction's CPL.  The code size of
 * the rest of the instruction is unchanged.
 * Return: 0, HVSIM_EXC or an exit reason.
 */
int hvsim_load_cs(struct hvsim_insn *in, u16 sel, unsigned int cpl)
{
	struct hvsim_segment *cs = &in->st->seg[HVSIM_CS];
	u8 d[8];
	int rc;

	rc = hvsim_read_desc(in, sel, d, 8, HVSIM_GP);
	if (!rc)
		rc = hvsim_set_accessed(in, sel, d);
	if (rc)
		return rc;
	hvsim_desc_to_seg(d, (sel & ~3) | cpl, cs, false);
	cs->attributes |= HVSIM_SEG_T_A;
	in->cpl = cpl;
	return 0;
}
