// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim x86 interpreter: the run loop, guest memory access, instruction
 * fetch and exception bookkeeping.  Decoding and execution live in the
 * other cpu_*.c files (see cpu_internal.h).
 *
 * Each instruction runs on a scratch copy of the register state; its
 * memory writes are translated (and permission-checked) when queued and
 * performed only when everything else succeeded.  An exit or an exception
 * therefore never leaves a partially executed instruction behind.  An
 * exception raised by an instruction (HVSIM_EXC) is then delivered on a
 * fresh copy of the pre-instruction state, with the #DF and triple-fault
 * rules for faults during delivery.
 *
 * Modelled: real mode, 16/32-bit protected mode, compatibility and 64-bit
 * mode; segmentation with descriptor loads, limit and privilege checks;
 * 32-bit, PAE and 4-level paging; exception and interrupt delivery through
 * the IVT/IDT with stack switches and IST; external interrupts from the
 * platform's interrupt controller (irq_pending/irq_ack) at instruction
 * boundaries, honouring IF and the STI/MOV SS shadow; TF single-step
 * traps.  Not
 * modelled (HVSIM_EXIT_UNSUPPORTED): virtual-8086 mode, task switches and
 * task gates, call gates, SYSENTER/SYSEXIT, x87/SSE/AVX, 5-level paging,
 * data breakpoints (DR0-3 are stored only), the TSS I/O bitmap (CPL >
 * IOPL gives #GP), alignment checks, the A20 gate.
 */

#include <kunit/visibility.h>
#include <linux/errno.h>
#include <linux/export.h>
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
	if (seg == HVSIM_SEG_NONE)
		return off;	/* descriptor tables: 64-bit bases in long mode */
	return (base + off) & 0xffffffffULL;
}

/**
 * hvsim_mem_exit() - report a failed guest-physical access
 * @in: instruction
 * @err: the accessor's error: -EACCES (denied by the GPA map) or other
 * @lin: linear address accessed
 * @gpa: guest physical address accessed
 * @acc: HVSIM_ACC_* of the access
 * @walk: the access was made by the page walker
 *
 * Return: HVSIM_EXIT_GPA_INTERCEPT or HVSIM_EXIT_UNMAPPED_GPA.
 */
int hvsim_mem_exit(struct hvsim_insn *in, int err, u64 lin, u64 gpa,
		   unsigned int acc, bool walk)
{
	in->exit->mem.gva = lin;
	in->exit->mem.gpa = gpa;
	in->exit->mem.write = acc & HVSIM_ACC_W;
	in->exit->mem.exec = acc & HVSIM_ACC_X;
	in->exit->mem.walk = walk;
	return err == -EACCES ? HVSIM_EXIT_GPA_INTERCEPT :
				HVSIM_EXIT_UNMAPPED_GPA;
}

/* Bytes from @lin to the end of its page, at most @len. */
static unsigned int hvsim_chunk(u64 lin, unsigned int len)
{
	unsigned int left = HVSIM_PAGE_SIZE - (lin & (HVSIM_PAGE_SIZE - 1));

	return len < left ? len : left;
}

/* Segment checks and the linear address of a data access. */
static int hvsim_data_lin(struct hvsim_insn *in, int seg, u64 off,
			  unsigned int len, bool write, u64 *lin)
{
	int rc;

	if (seg != HVSIM_SEG_NONE) {
		rc = hvsim_seg_check(in, seg, off, len, write);
		if (rc)
			return rc;
	}
	*lin = hvsim_linear(in, seg, off);
	if (in->code_size == 8 && !hvsim_canonical_addr(in->st, *lin))
		return hvsim_raise(in, seg == HVSIM_SS ? HVSIM_SS_VEC : HVSIM_GP,
				   0);
	return 0;
}

/**
 * hvsim_read_buf() - read a data operand of any length
 * @in: instruction
 * @seg: segment register, or HVSIM_SEG_NONE for a linear address with
 *	implicit supervisor privilege (descriptor tables, IDT, TSS)
 * @off: offset in the segment, already truncated to the address size
 * @len: bytes to read
 * @buf: destination
 *
 * Return: 0, HVSIM_EXC or an exit reason.
 */
int hvsim_read_buf(struct hvsim_insn *in, int seg, u64 off, unsigned int len,
		   void *buf)
{
	unsigned int acc = seg == HVSIM_SEG_NONE ? HVSIM_ACC_SYS : 0;
	unsigned int done = 0, n;
	u64 lin, gpa;
	int rc;

	rc = hvsim_data_lin(in, seg, off, len, false, &lin);
	if (rc)
		return rc;
	while (done < len) {
		n = hvsim_chunk(lin + done, len - done);
		rc = hvsim_xlate(in, lin + done, acc, &gpa);
		if (rc)
			return rc;
		rc = in->mem->read(in->mctx, gpa, (u8 *)buf + done, n);
		if (rc)
			return hvsim_mem_exit(in, rc, lin + done, gpa, 0, false);
		done += n;
	}
	return 0;
}

/**
 * hvsim_read() - read a data operand
 * @in: instruction
 * @seg: segment register, or HVSIM_SEG_NONE (see hvsim_read_buf())
 * @off: offset in the segment, already truncated to the address size
 * @size: 1 to 8 bytes
 * @val: the value read, zero-extended
 *
 * Return: 0, HVSIM_EXC or an exit reason.
 */
int hvsim_read(struct hvsim_insn *in, int seg, u64 off, unsigned int size,
	       u64 *val)
{
	u8 b[8];
	int rc;

	rc = hvsim_read_buf(in, seg, off, size, b);
	if (!rc)
		*val = hvsim_le_get(b, size);
	return rc;
}

/**
 * hvsim_write_buf() - queue a memory write
 * @in: instruction
 * @seg: segment register, or HVSIM_SEG_NONE (see hvsim_read_buf())
 * @off: offset in the segment, already truncated to the address size
 * @len: bytes to write
 * @buf: the data
 *
 * Segment and paging checks happen now; the write itself is performed
 * when the instruction commits.
 * Return: 0, HVSIM_EXC or an exit reason.
 */
int hvsim_write_buf(struct hvsim_insn *in, int seg, u64 off,
		    unsigned int len, const void *buf)
{
	unsigned int acc = HVSIM_ACC_W |
			   (seg == HVSIM_SEG_NONE ? HVSIM_ACC_SYS : 0);
	unsigned int n;
	u64 lin;
	int rc, i = in->nwr;

	if (i >= HVSIM_MAX_WR || in->wbuf_used + len > HVSIM_WBUF)
		return hvsim_unsupported(in);
	rc = hvsim_data_lin(in, seg, off, len, true, &lin);
	if (rc)
		return rc;
	n = hvsim_chunk(lin, len);
	rc = hvsim_xlate(in, lin, acc, &in->wr[i].gpa[0]);
	if (!rc && n < len)
		rc = hvsim_xlate(in, lin + n, acc, &in->wr[i].gpa[1]);
	if (rc)
		return rc;
	in->wr[i].lin = lin;
	in->wr[i].len = len;
	in->wr[i].n1 = n;
	in->wr[i].off = in->wbuf_used;
	memcpy(in->wbuf + in->wbuf_used, buf, len);
	in->wbuf_used += len;
	in->nwr++;
	return 0;
}

/**
 * hvsim_write() - queue a data operand write
 * @in: instruction
 * @seg: segment register, or HVSIM_SEG_NONE
 * @off: offset in the segment, already truncated to the address size
 * @size: 1 to 8 bytes
 * @val: the value to write
 *
 * Return: 0, HVSIM_EXC or an exit reason.
 */
int hvsim_write(struct hvsim_insn *in, int seg, u64 off, unsigned int size,
		u64 val)
{
	u8 b[8];

	hvsim_le_put(b, size, val);
	return hvsim_write_buf(in, seg, off, size, b);
}

/*
 * Perform the queued writes, one accessor call per page chunk.  If a
 * chunk fails, the chunks already written are put back (newest first),
 * so that the instruction has no visible effect.
 */
int hvsim_commit_writes(struct hvsim_insn *in)
{
	u8 old[HVSIM_WBUF];
	struct {
		u64 gpa;
		u8 off;
		u8 len;
		bool saved;
	} ch[HVSIM_MAX_WR * 2];
	int nch = 0, i, j, rc;

	for (i = 0; i < in->nwr; i++) {
		u8 n1 = in->wr[i].n1, len = in->wr[i].len;

		ch[nch].gpa = in->wr[i].gpa[0];
		ch[nch].off = in->wr[i].off;
		ch[nch++].len = n1;
		if (n1 < len) {
			ch[nch].gpa = in->wr[i].gpa[1];
			ch[nch].off = in->wr[i].off + n1;
			ch[nch++].len = len - n1;
		}
	}
	for (i = 0; i < nch; i++) {
		ch[i].saved = nch > 1 &&
			!in->mem->read(in->mctx, ch[i].gpa, old + ch[i].off,
				       ch[i].len);
		rc = in->mem->write(in->mctx, ch[i].gpa, in->wbuf + ch[i].off,
				    ch[i].len);
		if (!rc)
			continue;
		for (j = i - 1; j >= 0; j--)
			if (ch[j].saved)
				in->mem->write(in->mctx, ch[j].gpa,
					       old + ch[j].off, ch[j].len);
		/* report the linear address of the failing chunk */
		for (j = 0; j < in->nwr; j++) {
			u8 o = in->wr[j].off;

			if (ch[i].off >= o && ch[i].off < o + in->wr[j].len)
				return hvsim_mem_exit(in, rc, in->wr[j].lin +
						      ch[i].off - o, ch[i].gpa,
						      HVSIM_ACC_W, false);
		}
		return hvsim_mem_exit(in, rc, 0, ch[i].gpa, HVSIM_ACC_W,
				      false);
	}
	return 0;
}

/* CS limit in 16/32-bit protected mode: offsets above it are not fetched. */
static u64 hvsim_cs_room(struct hvsim_insn *in, u64 off)
{
	const struct hvsim_segment *cs = &in->st->seg[HVSIM_CS];

	if (!hvsim_pmode(in) || in->code_size == 8)
		return HVSIM_MAX_FETCH;
	if (off > cs->limit)
		return 0;
	return (u64)cs->limit - off + 1;
}

/*
 * Read up to HVSIM_MAX_FETCH bytes at CS:RIP, stopping at the first byte
 * that cannot be fetched; the decoder faults only if it needs it.
 */
static void __hvsim_hot hvsim_fill(struct hvsim_insn *in)
{
	u64 ipmask = hvsim_mask(in->code_size);
	u64 off, lin, gpa;
	unsigned int n;
	int rc;

	while (in->avail < HVSIM_MAX_FETCH) {
		off = (in->rip + in->avail) & ipmask;
		lin = hvsim_linear(in, HVSIM_CS, off);
		n = hvsim_chunk(lin, HVSIM_MAX_FETCH - in->avail);
		/* IP wraps inside the segment in 16/32-bit code. */
		if (in->code_size != 8 && ipmask - off + 1 < n)
			n = ipmask - off + 1;
		if (hvsim_cs_room(in, off) < n)
			n = hvsim_cs_room(in, off);
		in->fetch_gva = lin;
		if (!n || (in->code_size == 8 && !hvsim_canonical_addr(in->st, lin))) {
			in->fetch_rc = HVSIM_EXC;
			in->fetch_vec = HVSIM_GP;
			in->fetch_err = 0;
			return;
		}
		rc = hvsim_xlate(in, lin, HVSIM_ACC_X, &gpa);
		if (rc) {
			in->fetch_rc = rc;
			in->fetch_vec = in->exc_vec;
			in->fetch_err = in->exc_err;
			in->fetch_gpa = in->exit->mem.gpa;
			in->fetch_walk = in->exit->mem.walk;
			return;
		}
		in->fetch_gpa = gpa;
		rc = in->mem->read(in->mctx, gpa, in->buf + in->avail, n);
		if (!rc && in->mem->fetch)
			rc = in->mem->fetch(in->mctx, gpa);
		if (rc) {
			in->fetch_rc = hvsim_mem_exit(in, rc, lin, gpa,
						      HVSIM_ACC_X, false);
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
 * Return: 0, an exit reason if the bytes cannot be read, or HVSIM_EXC
 * (#PF, or #GP for the CS limit or the architectural 15-byte limit).
 */
int hvsim_fetch(struct hvsim_insn *in, unsigned int size, u64 *val)
{
	if (in->len + size > 15)
		return hvsim_gp0(in);
	if (in->len + size > in->avail) {
		in->fetch_failed = true;
		if (in->fetch_rc != HVSIM_EXC) {
			/* refill the exit record: a later access overwrote it */
			in->exit->mem.gva = in->fetch_gva;
			in->exit->mem.gpa = in->fetch_gpa;
			in->exit->mem.write = false;
			in->exit->mem.exec = !in->fetch_walk;
			in->exit->mem.walk = in->fetch_walk;
			return in->fetch_rc;
		}
		in->exc_cr2 = in->fetch_gva;
		return hvsim_raise(in, in->fetch_vec, in->fetch_err);
	}
	*val = hvsim_le_get(in->buf + in->len, size);
	in->len += size;
	return 0;
}

/**
 * hvsim_unsupported() - the model does not implement the instruction
 * @in: instruction
 *
 * Return: HVSIM_EXIT_UNSUPPORTED.
 */
int hvsim_unsupported(struct hvsim_insn *in)
{
	return HVSIM_EXIT_UNSUPPORTED;
}

/**
 * hvsim_vec_has_err() - does exception @vec push an error code?
 * @vec: vector
 *
 * Return: true for #DF, #TS, #NP, #SS, #GP, #PF and #AC.
 */
bool hvsim_vec_has_err(unsigned int vec)
{
	return vec == HVSIM_DF || (vec >= HVSIM_TS && vec <= HVSIM_PF) ||
	       vec == 17;
}

/**
 * hvsim_raise() - raise an exception from the current instruction
 * @in: instruction
 * @vec: vector
 * @err: error code (ignored for vectors without one)
 *
 * Return: HVSIM_EXC.
 */
int hvsim_raise(struct hvsim_insn *in, unsigned int vec, u32 err)
{
	in->exc_vec = vec;
	in->exc_err = err;
	in->exc_has_err = hvsim_vec_has_err(vec);
	return HVSIM_EXC;
}

/**
 * hvsim_ud() - raise #UD
 * @in: instruction
 *
 * Return: HVSIM_EXC.
 */
int hvsim_ud(struct hvsim_insn *in)
{
	return hvsim_raise(in, HVSIM_UD, 0);
}

/**
 * hvsim_gp0() - raise #GP(0)
 * @in: instruction
 *
 * Return: HVSIM_EXC.
 */
int hvsim_gp0(struct hvsim_insn *in)
{
	return hvsim_raise(in, HVSIM_GP, 0);
}

static unsigned int hvsim_code_size(const struct hvsim_cpu_state *st)
{
	if (!(st->cr0 & HVSIM_CR0_PE))
		return 2;
	if ((st->efer & HVSIM_EFER_LMA) &&
	    (st->seg[HVSIM_CS].attributes & HVSIM_SEG_ATTR_L))
		return 8;
	return (st->seg[HVSIM_CS].attributes & HVSIM_SEG_ATTR_DB) ? 4 : 2;
}

/**
 * hvsim_insn_init() - prepare to run one instruction (or deliver an event)
 * @in: instruction to initialise
 * @st: scratch register state
 * @mem: platform accessors
 * @ctx: argument for @mem
 * @exit: exit record
 */
void __hvsim_hot hvsim_insn_init(struct hvsim_insn *in, struct hvsim_cpu_state *st,
				 const struct hvsim_mem_ops *mem, void *ctx,
				 struct hvsim_exit *exit)
{
	/* everything before the write queue; the queue itself is per @nwr */
	memset(in, 0, (u8 *)in->wr - (u8 *)in);
	in->st = st;
	in->mem = mem;
	in->mctx = ctx;
	in->exit = exit;
	in->seg = HVSIM_SEG_NONE;
	in->rip = st->rip;
	in->code_size = hvsim_code_size(st);
	in->op_size = in->code_size == 8 ? 4 : in->code_size;
	in->ad_size = in->code_size;
	if (st->cr0 & HVSIM_CR0_PE)
		in->cpl = HVSIM_SEG_DPL(st->seg[HVSIM_SS].attributes);
}

static int hvsim_step(struct hvsim_insn *in)
{
	struct hvsim_cpu_state *st = in->st;
	int rc;

	if (st->rflags & HVSIM_FL_VM)
		return HVSIM_EXIT_UNSUPPORTED;	/* virtual-8086 mode */

	hvsim_fill(in);
	rc = hvsim_decode_prefixes(in);
	if (!rc)
		rc = hvsim_exec(in);
	if ((!rc || rc == HVSIM_EXIT_HLT) && in->nwr) {
		int wrc = hvsim_commit_writes(in);

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
	if (rc != HVSIM_EXIT_UNSUPPORTED && rc != HVSIM_EXIT_TRIPLE_FAULT &&
	    !in->fetch_failed)
		exit->insn_len = in->len;
}

static bool hvsim_contributory(unsigned int vec)
{
	return vec == HVSIM_DE || (vec >= HVSIM_TS && vec <= HVSIM_GP);
}

/* Stop with HVSIM_EXIT_EXCEPTION; @ev, if any, is the faulting insn. */
static void hvsim_exception_exit(struct hvsim_exit *exit,
				 const struct hvsim_insn *ev, u64 rip,
				 unsigned int vec, bool has_err, u32 err,
				 u64 cr2)
{
	memset(exit, 0, sizeof(*exit));
	exit->reason = HVSIM_EXIT_EXCEPTION;
	exit->rip = rip;
	if (ev && ev->avail) {
		exit->insn_bytes = ev->avail;
		memcpy(exit->insn, ev->buf, ev->avail);
		if (!ev->fetch_failed)
			exit->insn_len = ev->len;
	}
	exit->exc.vector = vec;
	exit->exc.has_err = has_err;
	exit->exc.err = has_err ? err : 0;
	exit->exc.cr2 = vec == HVSIM_PF ? cr2 : 0;
}

/*
 * Deliver the exception @ev->exc_* raised by the instruction at st->rip
 * (or, for a trap, after it: @ret_ip), handling faults during delivery.
 * On success @st holds the handler's state.  Return: 0 or an exit reason
 * (@st unchanged).
 */
static int hvsim_fault(struct hvsim_cpu_state *st,
		       const struct hvsim_mem_ops *mem, void *ctx,
		       struct hvsim_exit *exit, struct hvsim_insn *ev,
		       u64 ret_ip, unsigned int flags, struct hvsim_tlb *tlb)
{
	unsigned int vec = ev->exc_vec, tries;
	u32 err = ev->exc_err;
	bool has_err = ev->exc_has_err;
	u64 cr2 = ev->exc_cr2;
	struct hvsim_cpu_state work;
	struct hvsim_insn in;
	int rc;

	for (tries = 0; tries < 4; tries++) {
		if (!(flags & HVSIM_DLV_EXT) && mem->exception &&
		    mem->exception(ctx, vec)) {
			hvsim_exception_exit(exit, tries ? NULL : ev, st->rip,
					     vec, has_err, err, cr2);
			return HVSIM_EXIT_EXCEPTION;
		}
		work = *st;
		hvsim_insn_init(&in, &work, mem, ctx, exit);
		in.tlb = tlb;
		if (vec == HVSIM_PF)
			work.cr2 = cr2;
		rc = hvsim_deliver(&in, vec, has_err, err, ret_ip, flags);
		if (!rc)
			rc = hvsim_commit_writes(&in);
		if (!rc) {
			work.rflags |= HVSIM_FL_FIXED;
			work.interrupt_shadow = false;
			*st = work;
			return 0;
		}
		if (rc != HVSIM_EXC) {
			hvsim_fill_exit(&in, rc);
			exit->rip = st->rip;
			return rc;
		}
		/* A fault while delivering: #DF, triple fault, or serial. */
		if (vec == HVSIM_DF)
			break;
		if ((hvsim_contributory(vec) &&
		     hvsim_contributory(in.exc_vec)) ||
		    (vec == HVSIM_PF && (in.exc_vec == HVSIM_PF ||
					 hvsim_contributory(in.exc_vec)))) {
			vec = HVSIM_DF;
			err = 0;
			has_err = true;
		} else {
			vec = in.exc_vec;
			err = in.exc_err;
			has_err = in.exc_has_err;
			cr2 = in.exc_cr2;
		}
		flags &= ~HVSIM_DLV_SOFT;
		ret_ip = st->rip;
	}
	memset(exit, 0, sizeof(*exit));
	exit->reason = HVSIM_EXIT_TRIPLE_FAULT;
	exit->rip = st->rip;
	return HVSIM_EXIT_TRIPLE_FAULT;
}

/*
 * Copy the state except the MSR block, which only a few instructions
 * write (they set @msr_dirty): it is most of the structure, and the run
 * loop copies the state twice per instruction.
 */
static void hvsim_copy_hot(struct hvsim_cpu_state *dst,
			   const struct hvsim_cpu_state *src)
{
	size_t start = (const u8 *)&src->msr - (const u8 *)src;
	size_t end = start + sizeof(src->msr);

	memcpy((u8 *)dst, (const u8 *)src, start);
	memcpy((u8 *)dst + end, (const u8 *)src + end, sizeof(*src) - end);
}

/*
 * Take the interrupt the controller has for us, if any.  Return: 0, or an
 * exit reason if delivering it needs the VMM (the interrupt stays
 * pending; @st unchanged but for a triple fault).
 */
static int hvsim_deliver_ext(struct hvsim_cpu_state *st,
			     const struct hvsim_mem_ops *mem, void *ctx,
			     struct hvsim_exit *exit, u8 vector,
			     struct hvsim_tlb *tlb)
{
	struct hvsim_insn ev;

	memset(&ev, 0, sizeof(ev));
	ev.exc_vec = vector;
	return hvsim_fault(st, mem, ctx, exit, &ev, st->rip, HVSIM_DLV_EXT,
			   tlb);
}

static int hvsim_take_irq(struct hvsim_cpu_state *st,
			  const struct hvsim_mem_ops *mem, void *ctx,
			  struct hvsim_exit *exit, struct hvsim_tlb *tlb)
{
	int vector, rc;

	vector = mem->irq_pending(ctx, st);
	if (vector < 0 || st->interrupt_shadow)
		return 0;
	if (vector == HVSIM_IRQ_NMI) {
		rc = hvsim_deliver_ext(st, mem, ctx, exit, HVSIM_NMI, tlb);
		if (!rc)
			st->nmi_masked = true;
	} else if (st->rflags & HVSIM_FL_IF) {
		rc = hvsim_deliver_ext(st, mem, ctx, exit, vector, tlb);
	} else {
		return 0;
	}
	if (!rc)
		mem->irq_ack(ctx, vector);
	return rc;
}

unsigned long hvsim_cpu_run(struct hvsim_cpu_state *st,
			    const struct hvsim_mem_ops *mem, void *ctx,
			    unsigned long budget, struct hvsim_exit *exit)
{
	struct hvsim_cpu_state work;
	struct hvsim_tlb tlb;
	struct hvsim_insn in;
	unsigned long done = 0;
	bool tf;
	int rc;

	memset(exit, 0, sizeof(*exit));
	memset(&tlb, 0, sizeof(tlb));
	/* work.msr == st->msr at the start of every instruction */
	work = *st;
	while (done < budget) {
		if (mem->irq_pending && hvsim_take_irq(st, mem, ctx, exit, &tlb))
			return done;
		hvsim_copy_hot(&work, st);
		hvsim_insn_init(&in, &work, mem, ctx, exit);
		in.tlb = &tlb;
		tf = st->rflags & HVSIM_FL_TF;

		rc = hvsim_step(&in);
		if (rc != HVSIM_EXIT_NONE && rc != HVSIM_EXIT_HLT &&
		    in.msr_dirty)
			work.msr = st->msr;
		if (rc == HVSIM_EXC) {
			rc = hvsim_fault(st, mem, ctx, exit, &in, st->rip, 0,
					 &tlb);
			if (rc)
				return done;
			done++;
			continue;
		}
		if (rc != HVSIM_EXIT_NONE && rc != HVSIM_EXIT_HLT) {
			hvsim_fill_exit(&in, rc);
			return done;
		}
		work.rflags |= HVSIM_FL_FIXED;
		work.interrupt_shadow = in.set_shadow;
		if (in.tlb_flush || work.cr0 != st->cr0 || work.cr3 != st->cr3 ||
		    work.cr4 != st->cr4 || work.efer != st->efer)
			memset(&tlb, 0, sizeof(tlb));
		hvsim_copy_hot(st, &work);
		if (in.msr_dirty)
			st->msr = work.msr;
		done++;
		if (!mem->rdtsc) {
			st->msr.tsc_offset++;
			work.msr.tsc_offset++;
		}
		if (rc == HVSIM_EXIT_HLT) {
			hvsim_fill_exit(&in, rc);
			return done;
		}
		if (tf) {
			/* single-step trap after the instruction */
			st->dr6 |= BIT_ULL(14);
			hvsim_raise(&in, HVSIM_DB, 0);
			if (hvsim_fault(st, mem, ctx, exit, &in, st->rip, 0,
					&tlb))
				return done;
		}
	}
	exit->reason = HVSIM_EXIT_NONE;
	exit->rip = st->rip;
	return done;
}
EXPORT_SYMBOL_IF_KUNIT(hvsim_cpu_run);

unsigned int __hvsim_hot hvsim_cpu_fetch(struct hvsim_cpu_state *st,
					 const struct hvsim_mem_ops *mem, void *ctx,
					 struct hvsim_exit *exit)
{
	struct hvsim_insn in;

	hvsim_insn_init(&in, st, mem, ctx, exit);
	hvsim_fill(&in);
	exit->insn_bytes = in.avail;
	memcpy(exit->insn, in.buf, in.avail);
	return in.avail;
}

int hvsim_cpu_interrupt(struct hvsim_cpu_state *st,
			const struct hvsim_mem_ops *mem, void *ctx,
			u8 vector, struct hvsim_exit *exit)
{
	memset(exit, 0, sizeof(*exit));
	if (!(st->rflags & HVSIM_FL_IF) || st->interrupt_shadow)
		return 0;
	if (hvsim_deliver_ext(st, mem, ctx, exit, vector, NULL))
		return -1;
	return 1;
}
EXPORT_SYMBOL_IF_KUNIT(hvsim_cpu_interrupt);

int hvsim_cpu_event(struct hvsim_cpu_state *st,
		    const struct hvsim_mem_ops *mem, void *ctx, u8 vector,
		    bool nmi, bool has_err, u32 err, struct hvsim_exit *exit)
{
	struct hvsim_insn ev;

	memset(exit, 0, sizeof(*exit));
	memset(&ev, 0, sizeof(ev));
	ev.exc_vec = nmi ? HVSIM_NMI : vector;
	ev.exc_has_err = !nmi && has_err;
	ev.exc_err = err;
	ev.exc_cr2 = st->cr2;
	if (hvsim_fault(st, mem, ctx, exit, &ev, st->rip,
			nmi ? HVSIM_DLV_EXT : 0, NULL))
		return -1;
	if (nmi)
		st->nmi_masked = true;
	return 0;
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
	st->dr6 = 0xffff0ff0;
	st->dr7 = 0x400;
	st->xcr0 = 1;
	st->msr.pat = 0x0007040600070406ULL;
	st->msr.apic_base = 0xfee00900;
}
EXPORT_SYMBOL_IF_KUNIT(hvsim_cpu_reset);
