/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test vectors for hvsim's x86 interpreter, shared by the KUnit suite
 * (cpu_kunit.c) and the userspace harness (tools/testing/hvsim-cpu).
 *
 * Each vector runs code placed at 0000:0100 in a flat 64 KiB guest memory
 * (GPAs from 64 KiB up are unmapped, and so is the optional @hole page),
 * in real mode unless a flag or a setup function (protected mode, long
 * mode, paging: cpu_test_vectors_pm.h) says otherwise, then checks the
 * exit, registers, flags and memory.  The tables are split by topic:
 * cpu_test_vectors_basic.h and cpu_test_vectors_pm.h.
 * The includer provides snprintf(), memset(), memcmp() and memcpy().
 */
#ifndef _HVSIM_CPU_TEST_VECTORS_H
#define _HVSIM_CPU_TEST_VECTORS_H

#include <linux/array_size.h>
#include <linux/errno.h>

#include "cpu.h"

#define HVT_MEM_SIZE	0x10000
#define HVT_CODE	0x100

/* RFLAGS bits, spelled out for readability of the table */
#define HVT_CF	0x001
#define HVT_PF	0x004
#define HVT_AF	0x010
#define HVT_ZF	0x040
#define HVT_SF	0x080
#define HVT_IF	0x200
#define HVT_DF	0x400
#define HVT_OF	0x800
#define HVT_ARITH (HVT_CF | HVT_PF | HVT_AF | HVT_ZF | HVT_SF | HVT_OF)

#define HVT_R(r)	(1u << HVSIM_##r)
#define HVT_C(s)	.code = (s), .code_len = sizeof(s) - 1

struct hvt_bytes {
	u32 addr;
	u8 len;
	const char *data;
};

/**
 * struct hvt_vec - one interpreter test
 * @name: test name
 * @code: code bytes, placed at HVT_CODE
 * @code_len: their number
 * @code_at: more code, at other addresses
 * @gpr: initial RAX..RDI
 * @fl: initial RFLAGS (bit 1 is added)
 * @ds: initial DS selector (base = selector * 16); @es, @ss likewise
 * @es: initial ES selector
 * @ss: initial SS selector
 * @hole: an unmapped page inside the 64 KiB, or 0 for none
 * @ro: a read-only page (writes fail with -EFAULT), or 0 for none
 * @ro_acc: a page whose writes fail with -EACCES (GPA intercept), or 0
 * @noexec: a page the fetch callback refuses (-EACCES), or 0
 * @pm32: run in 32-bit protected mode with flat 4 GiB segments
 * @lm64: run 64-bit code (EFER.LMA, CS.L, flat segments) with paging
 *	off, so linear addresses are physical
 * @setup: called after the state is built, to add descriptor tables,
 *	page tables or anything else
 * @check: extra checks after the run; returns 0 or a failure number
 * @cb: use platform callbacks for CPUID and MSRs (see hvt_cb_ops)
 * @cr0: CR0 to use instead of the reset (or @pm32) value, if nonzero
 * @poke: memory to fill before the run
 * @steps: instruction budget; 0 means "run to the exit in @exit"
 * @exit: expected exit reason (0 with @steps == 0 means HLT)
 * @out: expected RAX..RDI (only those in @gm)
 * @gm: mask of HVT_R() registers to check
 * @out_fl: expected RFLAGS bits in @fm
 * @fm: mask of flags to check
 * @rip: expected RIP after the run (0: not checked)
 * @exit_rip: expected exit->rip (0: not checked)
 * @expect: memory expected after the run
 * @insn_len: expected exit->insn_len (checked if nonzero)
 * @chk_ib: check exit->insn_bytes against @insn_bytes
 * @insn_bytes: expected exit->insn_bytes
 * @port: expected exit->io.port (IO exits)
 * @io_size: expected exit->io.size
 * @io_write: expected exit->io.write
 * @io_string: expected exit->io.string
 * @io_rep: expected exit->io.rep
 * @gpa: expected exit->mem.gpa (UNMAPPED_GPA, GPA_INTERCEPT exits)
 * @mem_write: expected exit->mem.write
 * @chk_exec: check exit->mem.exec and exit->mem.walk
 * @mem_exec: expected exit->mem.exec
 * @mem_walk: expected exit->mem.walk
 */
struct hvt_vec {
	const char *name;
	const char *code;
	unsigned int code_len;
	struct hvt_bytes code_at[2];
	u64 gpr[8];
	u64 fl;
	u16 ds, es, ss;
	u32 hole;
	u32 ro;
	u32 ro_acc;
	u32 noexec;
	bool pm32;
	bool lm64;
	void (*setup)(struct hvsim_cpu_state *st, u8 *ram);
	int (*check)(const struct hvsim_cpu_state *st, const u8 *ram,
		     const struct hvsim_exit *ex);
	bool cb;
	u64 cr0;
	struct hvt_bytes poke[2];
	unsigned long steps;
	int exit;
	u64 out[8];
	u32 gm;
	u64 out_fl;
	u64 fm;
	u64 rip;
	u64 exit_rip;
	struct hvt_bytes expect[2];
	u8 insn_len;
	bool chk_ib;
	u8 insn_bytes;
	u16 port;
	u8 io_size;
	bool io_write, io_string, io_rep;
	u64 gpa;
	bool mem_write;
	bool chk_exec, mem_exec, mem_walk;
};

#include "cpu_test_vectors_basic.h"
#include "cpu_test_vectors_pm.h"

#define HVT_NR_BASIC	ARRAY_SIZE(hvt_vectors_basic)
#define HVT_NR_VECTORS	(HVT_NR_BASIC + ARRAY_SIZE(hvt_vectors_pm))

/* The @i-th vector of all tables. */
static inline const struct hvt_vec *hvt_vec_at(size_t i)
{
	return i < HVT_NR_BASIC ? &hvt_vectors_basic[i] :
				  &hvt_vectors_pm[i - HVT_NR_BASIC];
}

struct hvt_mem {
	u8 *ram;
	u32 hole;
	u32 ro;
	u32 ro_acc;
	u32 noexec;
	bool straddled;
};

static bool hvt_mapped(struct hvt_mem *m, u64 gpa, unsigned int len)
{
	if ((gpa & 0xfff) + len > 0x1000)
		m->straddled = true;
	if (gpa + len > HVT_MEM_SIZE)
		return false;
	return !m->hole || (gpa & ~0xfffULL) != m->hole;
}

static int hvt_read(void *ctx, u64 gpa, void *buf, unsigned int len)
{
	struct hvt_mem *m = ctx;

	if (!hvt_mapped(m, gpa, len))
		return -EFAULT;
	memcpy(buf, m->ram + gpa, len);
	return 0;
}

static int hvt_write(void *ctx, u64 gpa, const void *buf, unsigned int len)
{
	struct hvt_mem *m = ctx;

	if (!hvt_mapped(m, gpa, len) ||
	    (m->ro && (gpa & ~0xfffULL) == m->ro))
		return -EFAULT;
	if (m->ro_acc && (gpa & ~0xfffULL) == m->ro_acc)
		return -EACCES;
	memcpy(m->ram + gpa, buf, len);
	return 0;
}

static int hvt_fetch(void *ctx, u64 gpa)
{
	struct hvt_mem *m = ctx;

	return m->noexec && (gpa & ~0xfffULL) == m->noexec ? -EACCES : 0;
}

static const struct hvsim_mem_ops hvt_mem_ops = {
	.read = hvt_read,
	.write = hvt_write,
	.fetch = hvt_fetch,
};

/*
 * Platform callbacks for @cb vectors: CPUID leaf 0x40000000 and MSR
 * 0x40000000 are intercepted, leaf 0x40000001 is answered here, MSR
 * 0x40000001 gives #GP, MSR 0x40000002 reads 0x1122334455667788, XCR0
 * may have x87, SSE and AVX; everything else uses the defaults.
 */
static int hvt_cpuid(void *ctx, u32 leaf, u32 subleaf, u32 out[4])
{
	if (leaf == 0x40000000)
		return HVSIM_CB_INTERCEPT;
	if (leaf != 0x40000001)
		return HVSIM_CB_DEFAULT;
	out[0] = 0x11;
	out[1] = 0x22;
	out[2] = subleaf;
	out[3] = 0x44;
	return HVSIM_CB_DONE;
}

static int hvt_rdmsr(void *ctx, u32 index, u64 *val)
{
	switch (index) {
	case 0x40000000:
		return HVSIM_CB_INTERCEPT;
	case 0x40000001:
		return HVSIM_CB_GP;
	case 0x40000002:
		*val = 0x1122334455667788ULL;
		return HVSIM_CB_DONE;
	}
	return HVSIM_CB_DEFAULT;
}

static int hvt_wrmsr(void *ctx, u32 index, u64 val)
{
	return index == 0x40000000 ? HVSIM_CB_INTERCEPT :
	       index == 0x40000001 ? HVSIM_CB_GP : HVSIM_CB_DEFAULT;
}

/* XSETBV may enable x87, SSE and AVX (XCR0 bits 0-2). */
static u64 hvt_xcr0_mask(void *ctx)
{
	return 7;
}

static const struct hvsim_mem_ops hvt_cb_ops = {
	.read = hvt_read,
	.write = hvt_write,
	.fetch = hvt_fetch,
	.cpuid = hvt_cpuid,
	.rdmsr = hvt_rdmsr,
	.wrmsr = hvt_wrmsr,
	.xcr0_mask = hvt_xcr0_mask,
};

static void hvt_set_sreg(struct hvsim_cpu_state *st, int sreg, u16 sel)
{
	st->seg[sreg].selector = sel;
	st->seg[sreg].base = (u64)sel << 4;
}

#define HVT_FAIL(...) ({ snprintf(msg, msglen, __VA_ARGS__); 1; })

/**
 * hvt_run() - run one vector
 * @t: the vector
 * @ram: HVT_MEM_SIZE bytes of scratch guest memory
 * @msg: buffer for a failure message
 * @msglen: its size
 *
 * Return: 0 if the vector passed, nonzero with @msg filled otherwise.
 */
static int hvt_run(const struct hvt_vec *t, u8 *ram, char *msg,
		   size_t msglen)
{
	struct hvt_mem m = { .ram = ram, .hole = t->hole, .ro = t->ro,
			     .ro_acc = t->ro_acc, .noexec = t->noexec };
	struct hvsim_cpu_state st;
	struct hvsim_exit ex;
	int want_exit = t->steps ? HVSIM_EXIT_NONE :
			t->exit ? t->exit : HVSIM_EXIT_HLT;
	unsigned long n;
	u64 lin;
	int i;

	memset(ram, 0, HVT_MEM_SIZE);
	memcpy(ram + HVT_CODE, t->code, t->code_len);
	for (i = 0; i < 2; i++) {
		if (t->poke[i].len)
			memcpy(ram + t->poke[i].addr, t->poke[i].data,
			       t->poke[i].len);
		if (t->code_at[i].len)
			memcpy(ram + t->code_at[i].addr, t->code_at[i].data,
			       t->code_at[i].len);
	}

	hvsim_cpu_reset(&st);
	hvt_set_sreg(&st, HVSIM_CS, 0);
	hvt_set_sreg(&st, HVSIM_DS, t->ds);
	hvt_set_sreg(&st, HVSIM_ES, t->es);
	hvt_set_sreg(&st, HVSIM_SS, t->ss);
	if (t->pm32) {
		/* flat code and data segments, D/B=1, G=1 */
		st.cr0 = 0x11;
		for (i = HVSIM_ES; i <= HVSIM_GS; i++) {
			st.seg[i].selector = i == HVSIM_CS ? 0x8 : 0x10;
			st.seg[i].base = 0;
			st.seg[i].limit = 0xffffffff;
			st.seg[i].attributes = i == HVSIM_CS ? 0xc09b : 0xc093;
		}
	}
	if (t->lm64) {
		st.cr0 = 0x11;
		st.efer = 0x500;	/* LME | LMA */
		for (i = HVSIM_ES; i <= HVSIM_GS; i++) {
			st.seg[i].selector = i == HVSIM_CS ? 0x8 : 0x10;
			st.seg[i].base = 0;
			st.seg[i].limit = 0xffffffff;
			st.seg[i].attributes = i == HVSIM_CS ? 0xa09b : 0xc093;
		}
	}
	if (t->cr0)
		st.cr0 = t->cr0;
	st.rip = HVT_CODE;
	st.rflags = t->fl | 2;
	for (i = 0; i < 8; i++)
		st.gpr[i] = t->gpr[i];
	if (t->setup)
		t->setup(&st, ram);

	n = hvsim_cpu_run(&st, t->cb ? &hvt_cb_ops : &hvt_mem_ops, &m,
			  t->steps ? t->steps : 1000, &ex);

	if (ex.reason != want_exit)
		return HVT_FAIL("exit reason %d, want %d (rip %#llx)",
				ex.reason, want_exit,
				(unsigned long long)ex.rip);
	if (m.straddled)
		return HVT_FAIL("an accessor call crossed a page");
	if (t->steps && n != t->steps)
		return HVT_FAIL("retired %lu, want %lu", n, t->steps);
	if (!(st.rflags & 2))
		return HVT_FAIL("RFLAGS bit 1 clear");
	for (i = 0; i < 8; i++)
		if ((t->gm & (1u << i)) && st.gpr[i] != t->out[i])
			return HVT_FAIL("gpr %d = %#llx, want %#llx", i,
					(unsigned long long)st.gpr[i],
					(unsigned long long)t->out[i]);
	if ((st.rflags & t->fm) != (t->out_fl & t->fm))
		return HVT_FAIL("rflags %#llx, want %#llx under mask %#llx",
				(unsigned long long)st.rflags,
				(unsigned long long)t->out_fl,
				(unsigned long long)t->fm);
	if (t->rip && st.rip != t->rip)
		return HVT_FAIL("rip %#llx, want %#llx",
				(unsigned long long)st.rip,
				(unsigned long long)t->rip);
	if (t->exit_rip && ex.rip != t->exit_rip)
		return HVT_FAIL("exit rip %#llx, want %#llx",
				(unsigned long long)ex.rip,
				(unsigned long long)t->exit_rip);
	for (i = 0; i < 2; i++)
		if (t->expect[i].len &&
		    memcmp(ram + t->expect[i].addr, t->expect[i].data,
			   t->expect[i].len))
			return HVT_FAIL("memory at %#x differs",
					t->expect[i].addr);
	if (t->insn_len && ex.insn_len != t->insn_len)
		return HVT_FAIL("insn_len %u, want %u", ex.insn_len,
				t->insn_len);
	if (t->chk_ib && ex.insn_bytes != t->insn_bytes)
		return HVT_FAIL("insn_bytes %u, want %u", ex.insn_bytes,
				t->insn_bytes);
	lin = st.seg[HVSIM_CS].base + ex.rip;
	if (want_exit != HVSIM_EXIT_NONE && ex.insn_bytes &&
	    lin + ex.insn_bytes <= HVT_MEM_SIZE &&
	    memcmp(ex.insn, ram + lin, ex.insn_bytes))
		return HVT_FAIL("exit insn bytes do not match memory");
	if (want_exit == HVSIM_EXIT_IO &&
	    (ex.io.port != t->port || ex.io.size != t->io_size ||
	     ex.io.write != t->io_write || ex.io.string != t->io_string ||
	     ex.io.rep != t->io_rep))
		return HVT_FAIL("io exit port %#x size %u w%d s%d r%d",
				ex.io.port, ex.io.size, ex.io.write,
				ex.io.string, ex.io.rep);
	if ((want_exit == HVSIM_EXIT_UNMAPPED_GPA ||
	     want_exit == HVSIM_EXIT_GPA_INTERCEPT) &&
	    (ex.mem.gpa != t->gpa || ex.mem.write != t->mem_write))
		return HVT_FAIL("memory exit gpa %#llx write %d",
				(unsigned long long)ex.mem.gpa, ex.mem.write);
	if (t->chk_exec && (ex.mem.exec != t->mem_exec ||
			    ex.mem.walk != t->mem_walk))
		return HVT_FAIL("memory exit exec %d walk %d", ex.mem.exec,
				ex.mem.walk);
	if (t->check) {
		i = t->check(&st, ram, &ex);
		if (i)
			return HVT_FAIL("check %d failed", i);
	}
	return 0;
}

/**
 * hvt_interrupt_test() - hvsim_cpu_interrupt() in long mode
 * @ram: HVT_MEM_SIZE bytes of scratch guest memory
 * @msg: buffer for a failure message
 * @msglen: its size
 *
 * Return: 0 if the test passed, nonzero with @msg filled otherwise.
 */
static int hvt_interrupt_test(u8 *ram, char *msg, size_t msglen)
{
	struct hvt_mem m = { .ram = ram };
	struct hvsim_cpu_state st;
	struct hvsim_exit ex;
	int rc;

	memset(ram, 0, HVT_MEM_SIZE);
	hvsim_cpu_reset(&st);
	hvt_setup_lm(&st, ram);
	st.rip = 0x100;
	st.rflags = 2;
	rc = hvsim_cpu_interrupt(&st, &hvt_mem_ops, &m, 0x20, &ex);
	if (rc != 0 || st.rip != 0x100)
		return HVT_FAIL("IF=0: rc %d rip %#llx", rc,
				(unsigned long long)st.rip);
	st.rflags = 0x202;
	st.interrupt_shadow = true;
	rc = hvsim_cpu_interrupt(&st, &hvt_mem_ops, &m, 0x20, &ex);
	if (rc != 0)
		return HVT_FAIL("shadow: rc %d", rc);
	st.interrupt_shadow = false;
	rc = hvsim_cpu_interrupt(&st, &hvt_mem_ops, &m, 0x20, &ex);
	if (rc != 1 || st.rip != HVT_HANDLER(0x20) ||
	    st.gpr[HVSIM_RSP] != 0xefd8 || (st.rflags & 0x200))
		return HVT_FAIL("delivery: rc %d rip %#llx rsp %#llx", rc,
				(unsigned long long)st.rip,
				(unsigned long long)st.gpr[HVSIM_RSP]);
	/* the frame: RIP, CS, RFLAGS (IF set) */
	if (ram[0xefd8] != 0x00 || ram[0xefd9] != 0x01 ||
	    ram[0xefe0] != 0x18 || ram[0xefe9] != 0x02)
		return HVT_FAIL("frame");
	/* unmapped IDT: an exit, state unchanged */
	st = (struct hvsim_cpu_state) { 0 };
	hvsim_cpu_reset(&st);
	hvt_setup_lm(&st, ram);
	st.rflags = 0x202;
	st.idtr.base = 0x40020000;	/* 1 GiB page -> GPA 0x20000 */
	rc = hvsim_cpu_interrupt(&st, &hvt_mem_ops, &m, 0x20, &ex);
	if (rc != -1 || ex.reason != HVSIM_EXIT_UNMAPPED_GPA ||
	    st.rip != 0xfff0)
		return HVT_FAIL("unmapped IDT: rc %d exit %d", rc, ex.reason);
	return 0;
}

/* A fake interrupt controller: vector 0x20 pending until acknowledged. */
struct hvt_pic {
	struct hvt_mem m;
	unsigned int acks;
	u8 acked;
};

static int hvt_irq_pending(void *ctx, struct hvsim_cpu_state *st)
{
	struct hvt_pic *pic = ctx;

	st->cr8 = 5;	/* what the controller writes must stick */
	return pic->acks ? -1 : 0x20;
}

static void hvt_irq_ack(void *ctx, int vector)
{
	struct hvt_pic *pic = ctx;

	pic->acks++;
	pic->acked = vector;
}

static const struct hvsim_mem_ops hvt_pic_ops = {
	.read = hvt_read,
	.write = hvt_write,
	.fetch = hvt_fetch,
	.irq_pending = hvt_irq_pending,
	.irq_ack = hvt_irq_ack,
};

/**
 * hvt_irq_window_test() - the interrupt controller callbacks of
 *	hvsim_cpu_run(): no interrupt while IF=0 or in STI's shadow, then
 *	one at the next instruction boundary, acknowledged once
 * @ram: HVT_MEM_SIZE bytes of scratch guest memory
 * @msg: buffer for a failure message
 * @msglen: its size
 *
 * Return: 0 if the test passed, nonzero with @msg filled otherwise.
 */
static int hvt_irq_window_test(u8 *ram, char *msg, size_t msglen)
{
	static const u8 code[] = { 0x90, 0xfb, 0x90, 0x90, 0xf4 };
	struct hvt_pic pic = { .m.ram = ram };
	struct hvsim_cpu_state st;
	struct hvsim_exit ex;

	memset(ram, 0, HVT_MEM_SIZE);
	hvsim_cpu_reset(&st);
	hvt_setup_lm(&st, ram);
	memcpy(ram + 0x100, code, sizeof(code));	/* nop; sti; nop; nop; hlt */
	ram[HVT_HANDLER(0x20)] = 0xf4;			/* hlt */
	st.rip = 0x100;
	st.rflags = 2;
	hvsim_cpu_run(&st, &hvt_pic_ops, &pic, 100, &ex);
	if (ex.reason != HVSIM_EXIT_HLT || st.rip != HVT_HANDLER(0x20) + 1 ||
	    pic.acks != 1 || pic.acked != 0x20 || st.cr8 != 5)
		return HVT_FAIL("exit %d rip %#llx acks %u cr8 %llu", ex.reason,
				(unsigned long long)st.rip, pic.acks,
				(unsigned long long)st.cr8);
	/* taken after the NOP in STI's shadow: the frame's RIP is 0x103 */
	if (ram[0xefd8] != 0x03 || ram[0xefd9] != 0x01)
		return HVT_FAIL("return RIP %#x", ram[0xefd9] << 8 | ram[0xefd8]);
	return 0;
}

/* A fake controller with NMIs to deliver; it honours NMI masking. */
struct hvt_nmi_src {
	struct hvt_mem m;
	unsigned int pending;
	unsigned int acks;
	unsigned int masked_polls;
};

static int hvt_nmi_pending(void *ctx, struct hvsim_cpu_state *st)
{
	struct hvt_nmi_src *src = ctx;

	if (st->nmi_masked) {
		src->masked_polls++;
		return -1;
	}
	return src->pending ? HVSIM_IRQ_NMI : -1;
}

static void hvt_nmi_ack(void *ctx, int vector)
{
	struct hvt_nmi_src *src = ctx;

	if (vector == HVSIM_IRQ_NMI && src->pending) {
		src->pending--;
		src->acks++;
	}
}

static const struct hvsim_mem_ops hvt_nmi_ops = {
	.read = hvt_read,
	.write = hvt_write,
	.fetch = hvt_fetch,
	.irq_pending = hvt_nmi_pending,
	.irq_ack = hvt_nmi_ack,
};

/**
 * hvt_nmi_test() - NMIs go through IDT vector 2 with IF clear, and the
 *	second waits for the IRET of the first handler
 * @ram: HVT_MEM_SIZE bytes of scratch guest memory
 * @msg: buffer for a failure message
 * @msglen: its size
 *
 * Return: 0 if the test passed, nonzero with @msg filled otherwise.
 */
static int hvt_nmi_test(u8 *ram, char *msg, size_t msglen)
{
	static const u8 code[] = { 0x90, 0xf4 };		/* nop; hlt */
	static const u8 handler[] = { 0x90, 0x90, 0x48, 0xcf };	/* nop; nop; iretq */
	struct hvt_nmi_src src = { .m.ram = ram, .pending = 2 };
	struct hvsim_cpu_state st;
	struct hvsim_exit ex;

	memset(ram, 0, HVT_MEM_SIZE);
	hvsim_cpu_reset(&st);
	hvt_setup_lm(&st, ram);
	memcpy(ram + 0x100, code, sizeof(code));
	memcpy(ram + HVT_HANDLER(2), handler, sizeof(handler));
	st.rip = 0x100;
	st.rflags = 2;		/* IF clear */
	hvsim_cpu_run(&st, &hvt_nmi_ops, &src, 100, &ex);
	/* Polled, masked, before the handler's second NOP and its IRET. */
	if (ex.reason != HVSIM_EXIT_HLT || st.rip != 0x102 || src.acks != 2 ||
	    st.nmi_masked || src.masked_polls != 2 * 2)
		return HVT_FAIL("exit %d rip %#llx acks %u masked polls %u",
				ex.reason, (unsigned long long)st.rip, src.acks,
				src.masked_polls);
	return 0;
}

/* Exception callback: the VMM intercepts #UD and #PF. */
static bool hvt_exception(void *ctx, u8 vector)
{
	return vector == 6 || vector == 14;
}

static const struct hvsim_mem_ops hvt_exc_ops = {
	.read = hvt_read,
	.write = hvt_write,
	.fetch = hvt_fetch,
	.exception = hvt_exception,
};

/**
 * hvt_xlate_test() - hvsim_cpu_translate() and exception intercepts
 * @ram: HVT_MEM_SIZE bytes of scratch guest memory
 * @msg: buffer for a failure message
 * @msglen: its size
 *
 * Return: 0 if the test passed, nonzero with @msg filled otherwise.
 */
static int hvt_xlate_test(u8 *ram, char *msg, size_t msglen)
{
	static const u8 code[] = {
		0x0f, 0x0b,				/* ud2 */
		0x8b, 0x04, 0x25, 0x00, 0xb0, 0x00, 0x00, /* mov (0xb000),%eax */
	};
	static const struct {
		u64 gva;
		unsigned int acc;
		int result;
		u64 gpa;
	} xl[] = {
		{ 0x9123, 0, HVSIM_XLATE_OK, 0xa123 },	/* alias */
		{ 0x201234, 0, HVSIM_XLATE_OK, 0x1234 },	/* 2 MiB page */
		{ 0xb000, 0, HVSIM_XLATE_NOT_PRESENT, 0 },
		{ 0xd000, HVSIM_XLATE_USER, HVSIM_XLATE_PRIVILEGE, 0 },
		{ 0xd000, HVSIM_XLATE_USER | HVSIM_XLATE_PRIV_EXEMPT,
		  HVSIM_XLATE_OK, 0xd000 },
		{ 0xf000, HVSIM_XLATE_WRITE, HVSIM_XLATE_PRIVILEGE, 0 },
		{ 0xf000, 0, HVSIM_XLATE_OK, 0xf000 },
	};
	struct hvt_mem m = { .ram = ram };
	struct hvsim_cpu_state st;
	struct hvsim_exit ex;
	unsigned int i;
	u64 gpa;
	int rc;

	memset(ram, 0, HVT_MEM_SIZE);
	hvsim_cpu_reset(&st);
	hvt_setup_lm(&st, ram);
	for (i = 0; i < ARRAY_SIZE(xl); i++) {
		gpa = 0;
		rc = hvsim_cpu_translate(&st, &hvt_mem_ops, &m, xl[i].gva,
					 xl[i].acc, &gpa);
		if (rc != xl[i].result || (!rc && gpa != xl[i].gpa))
			return HVT_FAIL("translate %#llx/%#x: %d gpa %#llx",
					(unsigned long long)xl[i].gva,
					xl[i].acc, rc, (unsigned long long)gpa);
	}
	/* accessed and dirty bits only when asked (PTE of 0x2000) */
	rc = hvsim_cpu_translate(&st, &hvt_mem_ops, &m, 0x2000,
				 HVSIM_XLATE_WRITE, &gpa);
	if (rc || (ram[0x7010] & 0x60))
		return HVT_FAIL("A/D set without SET_AD: %d %#x", rc,
				ram[0x7010]);
	rc = hvsim_cpu_translate(&st, &hvt_mem_ops, &m, 0x2000,
				 HVSIM_XLATE_WRITE | HVSIM_XLATE_SET_AD, &gpa);
	if (rc || (ram[0x7010] & 0x60) != 0x60)
		return HVT_FAIL("A/D not set: %d %#x", rc, ram[0x7010]);
	/* a reserved bit: NX with EFER.NXE clear */
	st.efer &= ~BIT_ULL(11);	/* EFER.NXE */
	ram[0x7000 + 3 * 8 + 7] = 0x80;
	rc = hvsim_cpu_translate(&st, &hvt_mem_ops, &m, 0x3000, 0, &gpa);
	if (rc != HVSIM_XLATE_RESERVED)
		return HVT_FAIL("reserved bit: %d", rc);
	/* a page-table page beyond guest memory */
	st.cr3 = 0x40000;
	rc = hvsim_cpu_translate(&st, &hvt_mem_ops, &m, 0x1000, 0, &gpa);
	if (rc != HVSIM_XLATE_WALK_UNMAPPED)
		return HVT_FAIL("unmapped table: %d", rc);

	/* #UD and #PF intercepted: exits before delivery, state kept */
	memset(ram, 0, HVT_MEM_SIZE);
	hvsim_cpu_reset(&st);
	hvt_setup_lm(&st, ram);
	memcpy(ram + 0x100, code, sizeof(code));
	st.rip = 0x100;
	hvsim_cpu_run(&st, &hvt_exc_ops, &m, 10, &ex);
	if (ex.reason != HVSIM_EXIT_EXCEPTION || ex.exc.vector != 6 ||
	    ex.exc.has_err || ex.rip != 0x100 || st.rip != 0x100 ||
	    ex.insn_bytes < 2 || ex.insn[0] != 0x0f || ex.insn[1] != 0x0b)
		return HVT_FAIL("#UD: exit %d vector %u rip %#llx",
				ex.reason, ex.exc.vector,
				(unsigned long long)st.rip);
	st.rip = 0x102;
	hvsim_cpu_run(&st, &hvt_exc_ops, &m, 10, &ex);
	if (ex.reason != HVSIM_EXIT_EXCEPTION || ex.exc.vector != 14 ||
	    !ex.exc.has_err || ex.exc.err != 0 || ex.exc.cr2 != 0xb000 ||
	    st.rip != 0x102 || st.cr2 != 0 || ex.insn_len != 7)
		return HVT_FAIL("#PF: exit %d vector %u err %#x cr2 %#llx",
				ex.reason, ex.exc.vector, ex.exc.err,
				(unsigned long long)ex.exc.cr2);
	/* without the callback #UD goes to the guest's handler */
	st.rip = 0x100;
	hvsim_cpu_run(&st, &hvt_mem_ops, &m, 1, &ex);
	if (st.rip != HVT_HANDLER(6))
		return HVT_FAIL("#UD not delivered: rip %#llx",
				(unsigned long long)st.rip);
	return 0;
}

#undef HVT_FAIL

#endif /* _HVSIM_CPU_TEST_VECTORS_H */
