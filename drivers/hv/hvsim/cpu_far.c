// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim x86 interpreter: far transfers (JMP/CALL far, RETF) and software
 * interrupts (INT3, INT n, IRET).
 *
 * Only real mode is implemented: the new CS base is selector * 16 and
 * interrupt vectors come from the IVT at IDTR.base.  In protected mode
 * these need descriptor loads and privilege checks, which are not
 * modelled yet (HVSIM_EXIT_UNSUPPORTED).
 *
 * The CS:IP (and FLAGS) frame is pushed or popped as one stack access, so
 * that the instruction still has a single deferred memory write.
 */

#include "cpu_internal.h"

static bool hvsim_real_mode(struct hvsim_insn *in)
{
	return !(in->st->cr0 & HVSIM_CR0_PE);
}

/* Load CS:IP; the caller has checked for real mode. */
static int hvsim_far_jump(struct hvsim_insn *in, u16 sel, u64 ip)
{
	int rc;

	rc = hvsim_load_sreg(in, HVSIM_CS, sel);
	if (!rc)
		hvsim_set_ip(in, ip);
	return rc;
}

/* Push the return address CS:IP (IP at the lower address). */
static int hvsim_push_cs_ip(struct hvsim_insn *in)
{
	unsigned int size = in->op_size;
	u64 frame = hvsim_next_ip(in) & hvsim_mask(size);

	frame |= (u64)in->st->seg[HVSIM_CS].selector << (size * 8);
	return hvsim_push(in, size * 2, frame);
}

static void hvsim_release_stack(struct hvsim_insn *in, u64 n)
{
	u64 m = hvsim_mask(hvsim_sp_size(in)), *sp = &in->st->gpr[HVSIM_RSP];

	*sp = (*sp & ~m) | ((*sp + n) & m);
}

/**
 * hvsim_exec_far() - EA, 9A, CA, CB, CC, CD, CF
 * @in: instruction with prefixes and opcode decoded
 *
 * Return: 0 or an exit reason.
 */
int hvsim_exec_far(struct hvsim_insn *in)
{
	unsigned int size = in->op_size;
	u64 ip, sel, n = 0, v, fl;
	int rc;

	if (!hvsim_real_mode(in) || in->code_size == 8)
		return hvsim_unsupported(in);

	switch (in->opcode) {
	case 0xea:	/* JMP ptr16:16/32 */
	case 0x9a:	/* CALL ptr16:16/32 */
		rc = hvsim_fetch(in, size, &ip);
		if (!rc)
			rc = hvsim_fetch(in, 2, &sel);
		if (!rc && in->opcode == 0x9a)
			rc = hvsim_push_cs_ip(in);
		return rc ? rc : hvsim_far_jump(in, sel, ip);
	case 0xca:	/* RETF imm16 */
	case 0xcb:	/* RETF */
		if (in->opcode == 0xca) {
			rc = hvsim_fetch(in, 2, &n);
			if (rc)
				return rc;
		}
		rc = hvsim_pop(in, size * 2, &v);
		if (rc)
			return rc;
		hvsim_release_stack(in, n);
		return hvsim_far_jump(in, v >> (size * 8),
				      v & hvsim_mask(size));
	case 0xcf:	/* IRET: IP, CS, FLAGS */
		if (size != 2)
			return hvsim_unsupported(in);	/* IRETD frame */
		rc = hvsim_pop(in, 6, &v);
		if (rc)
			return rc;
		fl = in->st->rflags;
		in->st->rflags = (fl & ~0xffffULL) | ((v >> 32) & 0x7fd5) |
				 HVSIM_FL_FIXED;
		return hvsim_far_jump(in, v >> 16, v & 0xffff);
	default:	/* CC: INT3, CD: INT n */
		n = 3;
		if (in->opcode == 0xcd) {
			rc = hvsim_fetch(in, 1, &n);
			if (rc)
				return rc;
		}
		rc = hvsim_read(in, HVSIM_SEG_NONE, in->st->idtr.base + n * 4,
				4, &v);
		if (rc)
			return rc;
		fl = in->st->rflags & 0xffff;
		rc = hvsim_push(in, 6, (hvsim_next_ip(in) & 0xffff) |
				(u64)in->st->seg[HVSIM_CS].selector << 16 |
				fl << 32);
		if (rc)
			return rc;
		in->st->rflags &= ~(HVSIM_FL_IF | HVSIM_FL_TF | HVSIM_FL_AC);
		/* the handler runs with 16-bit IP whatever the prefix */
		in->op_size = 2;
		return hvsim_far_jump(in, v >> 16, v & 0xffff);
	}
}

/**
 * hvsim_exec_far_indirect() - FF /3 (CALL m16:16/32) and FF /5 (JMP)
 * @in: instruction with ModRM decoded
 *
 * Return: 0 or an exit reason.
 */
int hvsim_exec_far_indirect(struct hvsim_insn *in)
{
	unsigned int size = in->op_size;
	u64 ip, sel;
	int rc;

	if (!hvsim_real_mode(in) || in->code_size == 8 || !in->rm_mem)
		return hvsim_unsupported(in);
	rc = hvsim_read(in, in->ea_seg, in->ea, size, &ip);
	if (!rc)
		rc = hvsim_read(in, in->ea_seg,
				(in->ea + size) & hvsim_mask(in->ad_size), 2,
				&sel);
	if (!rc && (in->reg & 7) == 3)
		rc = hvsim_push_cs_ip(in);
	return rc ? rc : hvsim_far_jump(in, sel, ip);
}
