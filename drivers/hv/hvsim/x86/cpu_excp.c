// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim x86 interpreter: delivery of exceptions and interrupts through
 * the real-mode IVT or the protected/long-mode IDT.
 *
 * Interrupt and trap gates only (task gates are HVSIM_EXIT_UNSUPPORTED).
 * A transfer to a more privileged level switches stacks: SS:ESP from the
 * 32-bit TSS, RSP from the 64-bit TSS (with a null SS), or the IST entry
 * the gate names in long mode, which is used whatever the privilege.
 * Faults during delivery are classified by the run loop (cpu.c).
 */

#include <linux/string.h>

#include "cpu_internal.h"

static int hvsim_dlv_real(struct hvsim_insn *in, unsigned int vec, u64 ret_ip)
{
	struct hvsim_cpu_state *st = in->st;
	struct hvsim_segment *cs = &st->seg[HVSIM_CS];
	u64 v, fl = st->rflags & 0xffff;
	int rc;

	if (vec * 4 + 3 > st->idtr.limit)
		return hvsim_gp0(in);
	rc = hvsim_read(in, HVSIM_SEG_NONE, st->idtr.base + vec * 4, 4, &v);
	if (rc)
		return rc;
	in->code_size = 2;
	rc = hvsim_push(in, 6, (ret_ip & 0xffff) | (u64)cs->selector << 16 |
			fl << 32);
	if (rc)
		return rc;
	st->rflags &= ~(HVSIM_FL_IF | HVSIM_FL_TF | HVSIM_FL_AC);
	cs->selector = v >> 16;
	cs->base = (v >> 16) << 4;
	st->rip = v & 0xffff;
	return 0;
}

/* Read the inner stack pointer for @cpl (or IST @ist) from the TSS. */
static int hvsim_tss_stack(struct hvsim_insn *in, unsigned int cpl,
			   unsigned int ist, u64 *sp, u16 *ss)
{
	const struct hvsim_segment *tr = &in->st->seg[HVSIM_TR];
	unsigned int off, len;
	u64 v;
	int rc;

	if (hvsim_lma(in)) {
		off = ist ? 0x24 + (ist - 1) * 8 : 4 + cpl * 8;
		len = 8;
	} else if ((tr->attributes & 0xf) == 0xb ||
		   (tr->attributes & 0xf) == 0x9) {
		off = 4 + cpl * 8;
		len = 8;	/* ESPn, SSn */
	} else {
		off = 2 + cpl * 4;
		len = 4;	/* 16-bit TSS: SPn, SSn */
	}
	if (!(tr->attributes & HVSIM_SEG_ATTR_P) || off + len - 1 > tr->limit)
		return hvsim_raise(in, HVSIM_TS, tr->selector & 0xfffc);
	rc = hvsim_read(in, HVSIM_SEG_NONE, tr->base + off, len, &v);
	if (rc)
		return rc;
	if (hvsim_lma(in)) {
		*sp = v;
		*ss = cpl;
	} else {
		*sp = v & hvsim_mask(len / 2);
		*ss = v >> (len * 4);
	}
	return 0;
}

/* Load the inner SS named by the 32-bit TSS, with its #TS checks. */
static int hvsim_load_inner_ss(struct hvsim_insn *in, u16 ss,
			       unsigned int cpl)
{
	u32 err = ss & 0xfffc;
	u8 d[8], a;
	int rc;

	if (!err)
		return hvsim_raise(in, HVSIM_TS, 0);
	rc = hvsim_read_desc(in, ss, d, 8, HVSIM_TS);
	if (rc)
		return rc;
	a = d[5];
	if ((ss & 3) != cpl || HVSIM_SEG_DPL(a) != cpl ||
	    !(a & HVSIM_SEG_ATTR_S) || (a & HVSIM_SEG_T_CODE) ||
	    !(a & HVSIM_SEG_T_RW))
		return hvsim_raise(in, HVSIM_TS, err);
	if (!(a & HVSIM_SEG_ATTR_P))
		return hvsim_raise(in, HVSIM_SS_VEC, err);
	rc = hvsim_set_accessed(in, ss, d);
	if (rc)
		return rc;
	hvsim_desc_to_seg(d, ss, &in->st->seg[HVSIM_SS], false);
	in->st->seg[HVSIM_SS].attributes |= HVSIM_SEG_T_A;
	return 0;
}

/**
 * hvsim_deliver() - deliver an exception or interrupt
 * @in: instruction context on a scratch copy of the state
 * @vec: vector
 * @has_err: push @err
 * @err: error code
 * @ret_ip: the RIP to return to (the faulting instruction for faults,
 *	the next one for traps and software interrupts)
 * @flags: HVSIM_DLV_SOFT (INT n, INT3, INTO: the gate's DPL must allow
 *	the CPL) and/or HVSIM_DLV_EXT (external event: EXT bit in errors)
 *
 * Return: 0, HVSIM_EXC (a fault while delivering) or an exit reason.
 */
int hvsim_deliver(struct hvsim_insn *in, unsigned int vec, bool has_err,
		  u32 err, u64 ret_ip, unsigned int flags)
{
	struct hvsim_cpu_state *st = in->st;
	struct hvsim_segment old_cs = st->seg[HVSIM_CS];
	struct hvsim_segment old_ss = st->seg[HVSIM_SS];
	bool lm = hvsim_lma(in), trap, stack_switch;
	unsigned int gsize = lm ? 16 : 8, type, ist, newcpl, isize, n = 0;
	u32 ext = (flags & HVSIM_DLV_EXT) ? 1 : 0, gerr = vec * 8 + 2 + ext;
	u64 old_sp = st->gpr[HVSIM_RSP], fl = st->rflags, ip, sp, frame[6];
	u8 g[16], d[8];
	u16 sel, ss = 0;
	int rc, i;

	if (!hvsim_pmode(in))
		return hvsim_dlv_real(in, vec, ret_ip);

	if ((u64)vec * gsize + gsize - 1 > st->idtr.limit)
		return hvsim_raise(in, HVSIM_GP, gerr);
	rc = hvsim_read_buf(in, HVSIM_SEG_NONE, st->idtr.base + vec * gsize,
			    gsize, g);
	if (rc)
		return rc;
	type = g[5] & 0x1f;
	if (type == 0x05)
		return hvsim_unsupported(in);	/* task gate */
	if ((lm && type != 0x0e && type != 0x0f) ||
	    (!lm && type != 0x06 && type != 0x07 && type != 0x0e &&
	     type != 0x0f))
		return hvsim_raise(in, HVSIM_GP, gerr);
	if ((flags & HVSIM_DLV_SOFT) && HVSIM_SEG_DPL(g[5]) < in->cpl)
		return hvsim_raise(in, HVSIM_GP, gerr);
	if (!(g[5] & HVSIM_SEG_ATTR_P))
		return hvsim_raise(in, HVSIM_NP, gerr);
	trap = type & 1;
	isize = lm ? 8 : (type & 8) ? 4 : 2;
	sel = g[2] | g[3] << 8;
	ip = g[0] | (u32)g[1] << 8 | (u32)g[6] << 16 | (u32)g[7] << 24;
	if (lm)
		ip |= hvsim_le_get(g + 8, 4) << 32;
	else if (isize == 2)
		ip &= 0xffff;
	ist = lm ? g[4] & 7 : 0;

	/* the target code segment */
	if (!(sel & 0xfffc))
		return hvsim_raise(in, HVSIM_GP, ext);
	rc = hvsim_read_desc(in, sel, d, 8, HVSIM_GP);
	if (rc)
		return rc;
	if (!(d[5] & HVSIM_SEG_ATTR_S) || !(d[5] & HVSIM_SEG_T_CODE) ||
	    HVSIM_SEG_DPL(d[5]) > in->cpl ||
	    (lm && (!(d[6] & 0x20) || (d[6] & 0x40))))
		return hvsim_raise(in, HVSIM_GP, (sel & 0xfffc) + ext);
	if (!(d[5] & HVSIM_SEG_ATTR_P))
		return hvsim_raise(in, HVSIM_NP, (sel & 0xfffc) + ext);
	newcpl = (d[5] & HVSIM_SEG_T_CE) ? in->cpl : HVSIM_SEG_DPL(d[5]);
	stack_switch = newcpl < in->cpl;

	/* the stack the frame goes on */
	if (stack_switch || ist) {
		rc = hvsim_tss_stack(in, newcpl, ist, &sp, &ss);
		if (rc)
			return rc;
	} else {
		sp = old_sp;
	}
	if (lm) {
		if (!hvsim_canonical_addr(st, sp))
			return hvsim_raise(in, HVSIM_SS_VEC, ext);
		sp &= ~15ULL;
		if (stack_switch)
			hvsim_null_seg(&st->seg[HVSIM_SS], newcpl);
	} else if (stack_switch) {
		rc = hvsim_load_inner_ss(in, ss, newcpl);
		if (rc)
			return rc;
	}

	/* build the frame, lowest address first */
	if (has_err)
		frame[n++] = err;
	frame[n++] = ret_ip;
	frame[n++] = old_cs.selector;
	frame[n++] = fl & ~HVSIM_FL_RF & hvsim_mask(isize);
	if (lm || stack_switch) {
		frame[n++] = old_sp;
		frame[n++] = old_ss.selector;
	}
	{
		u8 buf[48];
		u64 lin, m;

		for (i = 0; i < n; i++)
			hvsim_le_put(buf + i * isize, isize, frame[i]);
		if (lm) {
			sp -= n * isize;
			lin = sp;
		} else {
			m = (st->seg[HVSIM_SS].attributes & HVSIM_SEG_ATTR_DB) ?
			    0xffffffffULL : 0xffff;
			sp = (sp & ~m) | ((sp - n * isize) & m);
			lin = (st->seg[HVSIM_SS].base + (sp & m)) & 0xffffffffULL;
		}
		in->cpl = newcpl;
		rc = hvsim_write_buf(in, HVSIM_SEG_NONE, lin, n * isize, buf);
		if (rc)
			return rc;
	}
	rc = hvsim_load_cs(in, sel, newcpl);
	if (rc)
		return rc;
	st->gpr[HVSIM_RSP] = sp;
	st->rip = ip;
	st->rflags &= ~(HVSIM_FL_TF | HVSIM_FL_NT | HVSIM_FL_RF | HVSIM_FL_VM);
	if (!trap)
		st->rflags &= ~HVSIM_FL_IF;
	return 0;
}
