// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim x86 interpreter: string instructions and port I/O.
 *
 * A REP-prefixed string instruction executes one element per step and
 * leaves RIP on itself until the count runs out (or the REPE/REPNE
 * condition stops it), as the hardware does between interruptions; each
 * element counts as one retired instruction against the budget.
 */

#include "cpu_internal.h"

/* Move rSI or rDI one element in the direction of RFLAGS.DF. */
static void hvsim_str_step(struct hvsim_insn *in, unsigned int reg,
			   unsigned int size)
{
	u64 m = hvsim_mask(in->ad_size), *r = &in->st->gpr[reg];
	u64 d = (in->st->rflags & HVSIM_FL_DF) ? 0 - (u64)size : size;
	u64 n = (*r + d) & m;

	*r = in->ad_size == 2 ? (*r & ~m) | n : n;
}

/**
 * hvsim_exec_string() - MOVS, CMPS, STOS, LODS, SCAS (A4-A7, AA-AF)
 * @in: instruction with prefixes and opcode decoded
 *
 * Return: 0 or an exit reason.
 */
int hvsim_exec_string(struct hvsim_insn *in)
{
	unsigned int op = in->opcode & ~1u;
	unsigned int size = (in->opcode & 1) ? in->op_size : 1;
	int sseg = in->seg == HVSIM_SEG_NONE ? HVSIM_DS : in->seg;
	u64 m = hvsim_mask(in->ad_size), *cx = &in->st->gpr[HVSIM_RCX];
	u64 si = in->st->gpr[HVSIM_RSI] & m, di = in->st->gpr[HVSIM_RDI] & m;
	u64 a, b, n;
	bool zf;
	int rc;

	if (in->rep && !(*cx & m))
		return 0;

	switch (op) {
	case 0xa4:	/* MOVS */
		rc = hvsim_read(in, sseg, si, size, &a);
		if (!rc)
			rc = hvsim_write(in, HVSIM_ES, di, size, a);
		break;
	case 0xa6:	/* CMPS */
		rc = hvsim_read(in, sseg, si, size, &a);
		if (!rc)
			rc = hvsim_read(in, HVSIM_ES, di, size, &b);
		if (!rc)
			hvsim_alu(HVSIM_ALU_CMP, a, b, size, &in->st->rflags);
		break;
	case 0xaa:	/* STOS */
		a = hvsim_reg_get(in, HVSIM_RAX, size);
		rc = hvsim_write(in, HVSIM_ES, di, size, a);
		break;
	case 0xac:	/* LODS */
		rc = hvsim_read(in, sseg, si, size, &a);
		if (!rc)
			hvsim_reg_set(in, HVSIM_RAX, size, a);
		break;
	default:	/* SCAS */
		a = hvsim_reg_get(in, HVSIM_RAX, size);
		rc = hvsim_read(in, HVSIM_ES, di, size, &b);
		if (!rc)
			hvsim_alu(HVSIM_ALU_CMP, a, b, size, &in->st->rflags);
		break;
	}
	if (rc)
		return rc;
	if (op != 0xaa && op != 0xae)
		hvsim_str_step(in, HVSIM_RSI, size);
	if (op != 0xac)
		hvsim_str_step(in, HVSIM_RDI, size);

	if (!in->rep)
		return 0;
	n = (*cx - 1) & m;
	*cx = in->ad_size == 2 ? (*cx & ~m) | n : n;
	if (!n)
		return 0;
	if (op == 0xa6 || op == 0xae) {
		zf = in->st->rflags & HVSIM_FL_ZF;
		if (in->rep == 0xf3 ? !zf : zf)
			return 0;
	}
	/* More to do: stay on this instruction. */
	in->st->rip = in->rip;
	in->branch = true;
	return 0;
}

/**
 * hvsim_exec_io() - IN, OUT, INS, OUTS: exit to the VMM
 * @in: instruction with prefixes and opcode decoded
 *
 * The instruction is decoded but not executed: the exit reports port,
 * size and direction, and RIP stays on the instruction.  A REP INS/OUTS
 * with a zero count does nothing and does not exit.  CPL > IOPL raises
 * #GP(0) (the TSS I/O permission bitmap is not consulted).
 * Return: HVSIM_EXIT_IO, 0 (empty REP), or another exit reason.
 */
int hvsim_exec_io(struct hvsim_insn *in)
{
	unsigned int op = in->opcode;
	bool string = op < 0x70;
	u64 port;
	int rc;

	if (op >= 0xe4 && op <= 0xe7) {
		rc = hvsim_fetch(in, 1, &port);
		if (rc)
			return rc;
	} else {
		port = in->st->gpr[HVSIM_RDX] & 0xffff;
	}
	/* no TSS I/O bitmap: CPL > IOPL is always #GP(0) */
	if (hvsim_pmode(in) &&
	    in->cpl > ((in->st->rflags & HVSIM_FL_IOPL) >> 12))
		return hvsim_gp0(in);
	if (string && in->rep &&
	    !(in->st->gpr[HVSIM_RCX] & hvsim_mask(in->ad_size)))
		return 0;

	in->exit->io.port = port;
	in->exit->io.size = !(op & 1) ? 1 : in->op_size == 2 ? 2 : 4;
	in->exit->io.write = string ? op >= 0x6e : !!(op & 2);
	in->exit->io.string = string;
	in->exit->io.rep = string && in->rep;
	return HVSIM_EXIT_IO;
}
