// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim x86 interpreter: the run loop, guest memory access and segment
 * loading.  Decoding and execution live in the other cpu_*.c files.
 *
 * Each instruction runs on a scratch copy of the register state; its one
 * memory write (x86 instructions of the implemented set write at most one
 * operand) is deferred until everything else succeeded.  An exit therefore
 * never leaves a partially executed instruction behind.
 *
 * Modelled: real mode and 32-bit protected mode code with the segment
 * state as loaded (64-bit decoding with REX is in place but unreachable
 * until paging exists).  Not modelled yet, with the current behaviour:
 * paging and virtual-8086 mode (HVSIM_EXIT_UNSUPPORTED before the
 * instruction), protected-mode segment loads and far transfers
 * (UNSUPPORTED), exceptions such as #DE/#UD/#GP (UNSUPPORTED at the
 * faulting instruction), segment limit and privilege (CPL/IOPL) checks
 * (none: CPL 0 and unlimited segments are assumed), TF single-stepping,
 * interrupts and the interrupt shadow of MOV SS/STI, the A20 gate.
 */

#include <linux/errno.h>
#include <linux/string.h>

#include "cpu_internal.h"

/* Linear addresses wrap at 4 GiB outside 64-bit mode. */
static u64 hvsim_linear(struct hvsim_insn *in, int seg, u64 off)
{
	u64 base = seg == HVSIM_SEG_NONE ? 0 : in->st->seg[seg].base;

	if (in->code_size == 8) {
		/* Only FS and GS have a base in 64-bit mode. */
		return (seg == HVSIM_FS || seg == HVSIM_GS) ? base + off : off;
	}
	return (base + off) & 0xffffffffULL;
}

/*
 * Paging is refused before an instruction starts (CR0.PG), so linear ==
 * physical here.  This is the place to add a page walk.
 */
static u64 hvsim_lin_to_gpa(struct hvsim_insn *in, u64 lin)
{
	return lin;
}

static int hvsim_mem_fault(struct hvsim_insn *in, u64 lin, u64 gpa,
			   bool write)
{
	in->exit->mem.gva = lin;
	in->exit->mem.gpa = gpa;
	in->exit->mem.write = write;
	return HVSIM_EXIT_UNMAPPED_GPA;
}

/* Bytes from @lin to the end of its page, at most @len. */
static unsigned int hvsim_chunk(u64 lin, unsigned int len)
{
	unsigned int left = HVSIM_PAGE_SIZE - (lin & (HVSIM_PAGE_SIZE - 1));

	return len < left ? len : left;
}

static u64 hvsim_le_get(const u8 *p, unsigned int size)
{
	u64 v = 0;

	while (size--)
		v = (v << 8) | p[size];
	return v;
}

static void hvsim_le_put(u8 *p, unsigned int size, u64 v)
{
	unsigned int i;

	for (i = 0; i < size; i++, v >>= 8)
		p[i] = v & 0xff;
}

/**
 * hvsim_read() - read a data operand
 * @in: instruction
 * @seg: segment register, or HVSIM_SEG_NONE for a linear address
 *	(descriptor tables, the real-mode IVT)
 * @off: offset in the segment, already truncated to the address size
 * @size: 1, 2, 4 or 8 bytes
 * @val: the value read, zero-extended
 *
 * Splits accesses that straddle a page.
 *
 * Return: 0 or an exit reason.
 */
int hvsim_read(struct hvsim_insn *in, int seg, u64 off, unsigned int size,
	       u64 *val)
{
	u64 lin = hvsim_linear(in, seg, off);
	unsigned int done = 0, n;
	u8 b[8];

	while (done < size) {
		u64 gpa = hvsim_lin_to_gpa(in, lin + done);

		n = hvsim_chunk(lin + done, size - done);
		if (in->mem->read(in->mctx, gpa, b + done, n))
			return hvsim_mem_fault(in, lin + done, gpa, false);
		done += n;
	}
	*val = hvsim_le_get(b, size);
	return 0;
}

/**
 * hvsim_write() - queue a data operand write
 * @in: instruction
 * @seg: segment register
 * @off: offset in the segment, already truncated to the address size
 * @size: 1, 2, 4 or 8 bytes
 * @val: the value to write
 *
 * The write is performed when the instruction commits.
 * Return: 0 or an exit reason.
 */
int hvsim_write(struct hvsim_insn *in, int seg, u64 off, unsigned int size,
		u64 val)
{
	if (in->wr)	/* no implemented instruction writes twice */
		return hvsim_unsupported(in);
	in->wr = true;
	in->wr_lin = hvsim_linear(in, seg, off);
	in->wr_len = size;
	in->wr_val = val;
	return 0;
}

/*
 * Perform the deferred write.  A write that straddles two pages is done
 * as two accessor calls; if the second page faults, the first part is
 * put back so that the instruction has no visible effect.
 */
static int hvsim_commit_write(struct hvsim_insn *in)
{
	unsigned int n = hvsim_chunk(in->wr_lin, in->wr_len);
	u64 gpa = hvsim_lin_to_gpa(in, in->wr_lin);
	u64 lin2 = in->wr_lin + n, gpa2;
	bool saved;
	u8 b[8], old[8];

	hvsim_le_put(b, in->wr_len, in->wr_val);
	saved = n < in->wr_len && !in->mem->read(in->mctx, gpa, old, n);
	if (in->mem->write(in->mctx, gpa, b, n))
		return hvsim_mem_fault(in, in->wr_lin, gpa, true);
	if (n == in->wr_len)
		return 0;

	gpa2 = hvsim_lin_to_gpa(in, lin2);
	if (in->mem->write(in->mctx, gpa2, b + n, in->wr_len - n)) {
		if (saved)
			in->mem->write(in->mctx, gpa, old, n);
		return hvsim_mem_fault(in, lin2, gpa2, true);
	}
	return 0;
}

/*
 * Read up to HVSIM_MAX_FETCH bytes at CS:RIP, stopping at the first
 * unreadable page; the decoder faults only if it needs those bytes.
 */
static void hvsim_fill(struct hvsim_insn *in)
{
	u64 ipmask = hvsim_mask(in->code_size);

	while (in->avail < HVSIM_MAX_FETCH) {
		u64 off = (in->rip + in->avail) & ipmask;
		u64 lin = hvsim_linear(in, HVSIM_CS, off);
		u64 gpa = hvsim_lin_to_gpa(in, lin);
		unsigned int n = hvsim_chunk(lin, HVSIM_MAX_FETCH - in->avail);

		/* IP wraps inside the segment in 16/32-bit code. */
		if (in->code_size != 8 && ipmask - off + 1 < n)
			n = ipmask - off + 1;
		if (in->mem->read(in->mctx, gpa, in->buf + in->avail, n)) {
			in->fetch_gva = lin;
			in->fetch_gpa = gpa;
			return;
		}
		in->avail += n;
	}
}

/**
 * hvsim_fetch() - consume instruction bytes
 * @in: instruction
 * @size: number of bytes (1, 2, 4 or 8)
 * @val: their little-endian value, zero-extended
 *
 * Return: 0, HVSIM_EXIT_UNMAPPED_GPA if the bytes are on an unreadable
 * page, or HVSIM_EXIT_UNSUPPORTED if the instruction would exceed the
 * architectural 15-byte limit (#GP).
 */
int hvsim_fetch(struct hvsim_insn *in, unsigned int size, u64 *val)
{
	if (in->len + size > 15)
		return hvsim_unsupported(in);
	if (in->len + size > in->avail) {
		in->fetch_failed = true;
		return hvsim_mem_fault(in, in->fetch_gva, in->fetch_gpa, false);
	}
	*val = hvsim_le_get(in->buf + in->len, size);
	in->len += size;
	return 0;
}

/**
 * hvsim_load_sreg() - load a segment register with a selector
 * @in: instruction
 * @sreg: HVSIM_ES..HVSIM_GS
 * @sel: selector
 *
 * Real mode only for now: base = selector * 16, limit and attributes kept.
 * Protected-mode descriptor loads are not implemented yet.
 * Return: 0 or an exit reason.
 */
int hvsim_load_sreg(struct hvsim_insn *in, int sreg, u16 sel)
{
	struct hvsim_segment *s = &in->st->seg[sreg];

	if (in->st->cr0 & HVSIM_CR0_PE)
		return hvsim_unsupported(in);
	s->selector = sel;
	s->base = (u64)sel << 4;
	return 0;
}

/**
 * hvsim_unsupported() - the instruction is not implemented (or would fault)
 * @in: instruction
 *
 * Return: HVSIM_EXIT_UNSUPPORTED.
 */
int hvsim_unsupported(struct hvsim_insn *in)
{
	return HVSIM_EXIT_UNSUPPORTED;
}

static int hvsim_step(struct hvsim_insn *in)
{
	struct hvsim_cpu_state *st = in->st;
	int rc;

	in->rip = st->rip;
	/* Paging, virtual-8086 mode: not modelled yet. */
	if ((st->cr0 & HVSIM_CR0_PG) || (st->rflags & HVSIM_FL_VM))
		return HVSIM_EXIT_UNSUPPORTED;
	if (!(st->cr0 & HVSIM_CR0_PE))
		in->code_size = 2;
	else if ((st->efer & HVSIM_EFER_LMA) &&
		 (st->seg[HVSIM_CS].attributes & HVSIM_SEG_ATTR_L))
		in->code_size = 8;
	else if (st->seg[HVSIM_CS].attributes & HVSIM_SEG_ATTR_DB)
		in->code_size = 4;
	else
		in->code_size = 2;

	hvsim_fill(in);
	rc = hvsim_decode_prefixes(in);
	if (!rc)
		rc = hvsim_exec(in);
	if ((!rc || rc == HVSIM_EXIT_HLT) && in->wr) {
		int wrc = hvsim_commit_write(in);

		if (wrc)
			rc = wrc;
	}
	if ((!rc || rc == HVSIM_EXIT_HLT) && !in->branch)
		st->rip = hvsim_next_ip(in);
	return rc;
}

static void hvsim_fill_exit(struct hvsim_insn *in, int rc)
{
	struct hvsim_exit *exit = in->exit;

	exit->reason = rc;
	exit->rip = in->rip;
	exit->insn_bytes = in->avail;
	memcpy(exit->insn, in->buf, in->avail);
	if (rc == HVSIM_EXIT_IO || rc == HVSIM_EXIT_HLT ||
	    (rc == HVSIM_EXIT_UNMAPPED_GPA && !in->fetch_failed))
		exit->insn_len = in->len;
}

unsigned long hvsim_cpu_run(struct hvsim_cpu_state *st,
			    const struct hvsim_mem_ops *mem, void *ctx,
			    unsigned long budget, struct hvsim_exit *exit)
{
	struct hvsim_cpu_state work;
	struct hvsim_insn in;
	unsigned long done = 0;
	int rc = HVSIM_EXIT_NONE;

	memset(exit, 0, sizeof(*exit));
	while (done < budget) {
		work = *st;
		memset(&in, 0, sizeof(in));
		in.st = &work;
		in.mem = mem;
		in.mctx = ctx;
		in.exit = exit;
		in.seg = HVSIM_SEG_NONE;

		rc = hvsim_step(&in);
		if (rc == HVSIM_EXIT_NONE || rc == HVSIM_EXIT_HLT) {
			work.rflags |= HVSIM_FL_FIXED;
			*st = work;
			done++;
		}
		if (rc != HVSIM_EXIT_NONE) {
			hvsim_fill_exit(&in, rc);
			return done;
		}
	}
	exit->reason = HVSIM_EXIT_NONE;
	exit->rip = st->rip;
	return done;
}

void hvsim_cpu_reset(struct hvsim_cpu_state *st)
{
	int i;

	memset(st, 0, sizeof(*st));
	st->rip = 0xfff0;
	st->rflags = HVSIM_FL_FIXED;
	st->cr0 = 0x60000010;
	st->gpr[HVSIM_RDX] = 0x600;
	for (i = 0; i < HVSIM_NR_SREGS; i++) {
		st->seg[i].limit = 0xffff;
		/* present, read/write data (TR: busy 16-bit TSS, LDTR: LDT) */
		st->seg[i].attributes = 0x93;
	}
	st->seg[HVSIM_CS].selector = 0xf000;
	st->seg[HVSIM_CS].base = 0xffff0000;
	st->seg[HVSIM_CS].attributes = 0x9b;
	st->seg[HVSIM_LDTR].attributes = 0x82;
	st->seg[HVSIM_TR].attributes = 0x8b;
	st->gdtr.limit = 0xffff;
	st->idtr.limit = 0xffff;
}
