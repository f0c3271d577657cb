// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim's local APIC: one per VP of a partition created with
 * HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED, emulated inside the simulated
 * hypervisor (the VMM sees no exits for it).
 *
 * Register file.  The VP's LAPIC state page - struct
 * hv_local_interrupt_controller_state, what GET/SET_VP_STATE move - holds
 * the registers; the TPR is CR8 (bits 7:4; the state has no TPR field, so
 * bits 3:0 of a TPR write are dropped).  The APIC id is the VP index.
 *
 * Guest access.  xAPIC: the 4 KiB page at IA32_APIC_BASE while the APIC
 * is enabled (bit 11) and not in x2APIC mode (bit 10); an access of up to
 * 4 bytes inside one 16-byte register slot, other forms read 0 and are
 * dropped.  x2APIC: MSRs 0x800-0x8ff (#GP outside x2APIC mode and for
 * registers x2APIC does not have).
 *
 * Acceptance.  The VP's own actions (self-IPI, the register page's
 * vectors at dispatch) set IRR bits directly, under vp->lock.  Everything
 * else - ASSERT_VIRTUAL_INTERRUPT, the timer - runs outside the VP: it
 * posts the vector into a lock-free bitmap, then kicks the VP if it is
 * halted.  At each instruction boundary the CPU model asks
 * hvsim_lapic_irq_pending(), which folds posted vectors into the IRR and
 * returns the highest one whose priority class exceeds the PPR's.  A
 * halted VP sets @halted, then re-checks for posted vectors; a poster
 * sets its bit, then checks @halted (both with a full barrier between),
 * so a wake-up is never lost.
 *
 * EOI clears the highest in-service vector; if it was level-triggered,
 * hvsim posts HVMSG_X64_APIC_EOI to the root (the VMM resamples).
 *
 * Timer: lapic_timer.c.
 *
 * NMI, ExtINT, INIT and SIPI from the root: lapic_special.c.
 *
 * IPIs: fixed, NMI, INIT and SIPI, to physical destinations (one VP,
 * or all with the broadcast id) and with the shorthands.
 *
 * Not modelled: the other ICR delivery modes (ignored), logical
 * destinations in the ICR, LINT0/LINT1, the error,
 * thermal, performance and CMCI LVTs (stored, never fire), TSC-deadline
 * mode (the timer does not run), the spurious vector, TIME_FREEZE.
 */
#include <linux/bitops.h>
#include <linux/minmax.h>
#include <linux/processor.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <asm/apicdef.h>
#include <asm/processor-flags.h>

#include "hvsim.h"
#include "lapic.h"

#define HVSIM_APIC_BASE_EXTD		BIT_ULL(10)
#define HVSIM_APIC_BASE_EN		BIT_ULL(11)
#define HVSIM_APIC_BASE_ADDR		GENMASK_ULL(51, 12)

#define HVSIM_APIC_VERSION		0x50014	/* version 0x14, 6 LVTs */

/* Register offsets and bits: <asm/apicdef.h>.  x2APIC MSR = 0x800 + offset / 16. */
#define HVSIM_APIC_SVR_WRITABLE		(0xff | APIC_SPIV_APIC_ENABLED | \
					 APIC_SPIV_FOCUS_DISABLED | \
					 APIC_SPIV_DIRECTED_EOI)
#define HVSIM_APIC_ICR_WRITABLE		(APIC_VECTOR_MASK | APIC_DM_FIXED_MASK | \
					 APIC_DEST_LOGICAL | APIC_INT_ASSERT | \
					 APIC_INT_LEVELTRIG | APIC_DEST_ALLBUT)
#define HVSIM_APIC_TDCR_WRITABLE	0xb

/* Physical broadcast destination: 0xff (xAPIC), 0xffffffff (x2APIC). */
#define HVSIM_APIC_BCAST(vp)	(hvsim_x2apic(vp) ? 0xffffffffU : 0xffU)

#define HVSIM_MSR_X2APIC_FIRST	0x800
#define HVSIM_MSR_X2APIC_LAST	0x8ff

static bool hvsim_vec_test(const u32 *map, u8 v)
{
	return map[v / 32] & BIT(v % 32);
}

static void hvsim_vec_set(u32 *map, u8 v)
{
	map[v / 32] |= BIT(v % 32);
}

static void hvsim_vec_clear(u32 *map, u8 v)
{
	map[v / 32] &= ~BIT(v % 32);
}

/* Highest vector set in a 256-bit register, or -1. */
static int hvsim_vec_highest(const u32 *map)
{
	int i;

	for (i = 7; i >= 0; i--)
		if (map[i])
			return i * 32 + __fls(map[i]);
	return -1;
}

static bool hvsim_x2apic(const struct hvsim_vp *vp)
{
	return vp->cpu.msr.apic_base & HVSIM_APIC_BASE_EXTD;
}

/* The guest can take interrupts from its APIC: enabled in hardware and software. */
static bool hvsim_apic_on(struct hvsim_vp *vp)
{
	return (vp->cpu.msr.apic_base & HVSIM_APIC_BASE_EN) &&
	       (hvsim_regs(vp)->apic_spurious & APIC_SPIV_APIC_ENABLED);
}

static u32 hvsim_tpr(const struct hvsim_vp *vp)
{
	const struct hvsim_lapic *a = &vp->lapic;

	return a->tpr_dirty ? a->tpr_write : (vp->cpu.cr8 & 0xf) << 4;
}

static u32 hvsim_ppr(struct hvsim_vp *vp)
{
	u32 tpr = hvsim_tpr(vp);
	int isrv = hvsim_vec_highest(hvsim_regs(vp)->apic_isr);

	if (isrv < 0 || (tpr & 0xf0) >= (isrv & 0xf0))
		return tpr;
	return isrv & 0xf0;
}

/* Accept @vector into the IRR (VP locked).  Vectors 0-15 are illegal. */
static void hvsim_accept(struct hvsim_vp *vp, u8 vector, bool level)
{
	struct hvsim_apic_regs *r = hvsim_regs(vp);

	lockdep_assert_held(&vp->lock);

	if (vector < 16)
		return;
	hvsim_vec_set(r->apic_irr, vector);
	if (level)
		hvsim_vec_set(r->apic_tmr, vector);
	else
		hvsim_vec_clear(r->apic_tmr, vector);
}

/* Fold what was posted from outside into the IRR (VP locked). */
static void hvsim_lapic_sync(struct hvsim_vp *vp)
{
	struct hvsim_lapic *a = &vp->lapic;
	unsigned long bits;
	unsigned int i, bit;
	u32 lvt;

	lockdep_assert_held(&vp->lock);

	if (!READ_ONCE(a->events))
		return;
	if (test_and_clear_bit(HVSIM_LAPIC_EV_NMI, &a->events))
		a->nmi_pending = true;
	/* A CLEAR, then an ExtINT asserted after it (see lapic_special.c). */
	if (test_and_clear_bit(HVSIM_LAPIC_EV_EXTINT_CLEAR, &a->events))
		a->extint_pending = false;
	if (test_and_clear_bit(HVSIM_LAPIC_EV_EXTINT, &a->events)) {
		a->extint_vector = READ_ONCE(a->extint_posted);
		a->extint_pending = true;
	}
	if (test_and_clear_bit(HVSIM_LAPIC_EV_TIMER, &a->events)) {
		lvt = hvsim_regs(vp)->apic_lvt_timer;
		if (!(lvt & APIC_LVT_MASKED))
			hvsim_accept(vp, lvt & APIC_VECTOR_MASK, false);
	}
	if (!test_and_clear_bit(HVSIM_LAPIC_EV_POSTED, &a->events))
		return;
	for (i = 0; i < HVSIM_APIC_WORDS; i++) {
		bits = xchg(&a->posted[i], 0);
		for_each_set_bit(bit, &bits, BITS_PER_LONG)
			hvsim_accept(vp, i * BITS_PER_LONG + bit,
				     test_bit(bit, &a->posted_level[i]));
	}
}

/**
 * hvsim_lapic_kick() - wake a VP that may be halted: something was posted
 * @vp: the VP; the post (a set_bit() in its lapic.events) comes first
 */
void hvsim_lapic_kick(struct hvsim_vp *vp)
{
	smp_mb__after_atomic();	/* pairs with smp_mb() in hvsim_lapic_halt() */
	if (READ_ONCE(vp->lapic.halted))
		hvsim_sched_kick(vp);
	else
		hvsim_engine_kick(vp);
}

/**
 * hvsim_lapic_post() - assert an interrupt from outside the VP
 * @vp: the VP (referenced; not necessarily locked)
 * @vector: the vector
 * @level: level-triggered (its EOI is reported to the root)
 *
 * Context: any but hard interrupts; does not sleep.
 */
void hvsim_lapic_post(struct hvsim_vp *vp, u8 vector, bool level)
{
	struct hvsim_lapic *a = &vp->lapic;

	if (level)
		set_bit(vector, a->posted_level);
	else
		clear_bit(vector, a->posted_level);
	set_bit(vector, a->posted);
	set_bit(HVSIM_LAPIC_EV_POSTED, &a->events);
	hvsim_lapic_kick(vp);
}

/**
 * hvsim_lapic_post_local() - accept an edge interrupt from the VP's side
 * @vp: the VP, locked
 * @vector: the vector
 */
void hvsim_lapic_post_local(struct hvsim_vp *vp, u8 vector)
{
	lockdep_assert_held(&vp->lock);

	hvsim_accept(vp, vector, false);
}

/**
 * hvsim_lapic_irq_pending() - the CPU model's interrupt-controller callback
 * @ctx: the VP, locked
 * @st: its committed register state
 *
 * An NMI comes first (unless one is being handled), then an ExtINT, which
 * bypasses the APIC's priorities, then the highest vector of the IRR
 * whose priority class is above the PPR's.
 *
 * Return: HVSIM_IRQ_NMI, the vector to deliver, or -1.
 */
int __hvsim_hot hvsim_lapic_irq_pending(void *ctx, struct hvsim_cpu_state *st)
{
	struct hvsim_vp *vp = ctx;
	struct hvsim_lapic *a = &vp->lapic;
	int irr;

	lockdep_assert_held(&vp->lock);

	if (a->tpr_dirty) {
		st->cr8 = a->tpr_write >> 4;
		a->tpr_dirty = false;
	}
	hvsim_lapic_sync(vp);
	a->extint_delivering = false;
	if (a->wait_sipi)
		return -1;
	if (a->nmi_pending && !st->nmi_masked)
		return HVSIM_IRQ_NMI;
	if (a->extint_pending) {
		a->extint_delivering = true;
		return a->extint_vector;
	}
	if (!hvsim_apic_on(vp))
		return -1;
	irr = hvsim_vec_highest(hvsim_regs(vp)->apic_irr);
	if (irr < 0 || (irr & 0xf0) <= (hvsim_ppr(vp) & 0xf0))
		return -1;
	return irr;
}

/**
 * hvsim_lapic_irq_ack() - the CPU delivered @vector: IRR -> ISR (an NMI
 *	or ExtINT is just no longer pending)
 * @ctx: the VP, locked
 * @vector: what hvsim_lapic_irq_pending() returned
 */
void hvsim_lapic_irq_ack(void *ctx, int vector)
{
	struct hvsim_vp *vp = ctx;
	struct hvsim_apic_regs *r = hvsim_regs(vp);

	lockdep_assert_held(&vp->lock);

	if (vector == HVSIM_IRQ_NMI) {
		vp->lapic.nmi_pending = false;
		return;
	}
	if (vp->lapic.extint_delivering) {
		vp->lapic.extint_pending = false;
		return;
	}
	hvsim_vec_clear(r->apic_irr, vector);
	hvsim_vec_set(r->apic_isr, vector);
}

/* Tell the root that the guest EOI'd a level-triggered @vector. */
static void hvsim_lapic_eoi_message(struct hvsim_vp *vp, u8 vector)
{
	struct hv_x64_apic_eoi_message *eoi;
	struct hv_message msg;

	memset(&msg, 0, sizeof(msg));
	msg.header.message_type = HVMSG_X64_APIC_EOI;
	msg.header.payload_size = sizeof(*eoi);
	msg.header.sender = vp->pt->id;
	eoi = (void *)msg.u.payload;
	eoi->vp_index = vp->index;
	eoi->interrupt_vector = vector;
	hvsim_sched_post(&msg);
}

static void hvsim_lapic_eoi(struct hvsim_vp *vp)
{
	struct hvsim_apic_regs *r = hvsim_regs(vp);
	int v = hvsim_vec_highest(r->apic_isr);

	if (v < 0)
		return;
	hvsim_vec_clear(r->apic_isr, v);
	if (hvsim_vec_test(r->apic_tmr, v))
		hvsim_lapic_eoi_message(vp, v);
}

/* ------------------------------------------------------------------ */
/* Register access.                                                   */
/* ------------------------------------------------------------------ */

/* The offsets of the seven LVT registers. */
static const u32 hvsim_lvts[] = {
	APIC_LVTCMCI, APIC_LVTT, APIC_LVTTHMR, APIC_LVTPC,
	APIC_LVT0, APIC_LVT1, APIC_LVTERR,
};

static u32 *hvsim_lvt(struct hvsim_apic_regs *r, u32 off)
{
	switch (off) {
	case APIC_LVTCMCI:
		return &r->apic_lvt_cmci;
	case APIC_LVTT:
		return &r->apic_lvt_timer;
	case APIC_LVTTHMR:
		return &r->apic_lvt_thermal;
	case APIC_LVTPC:
		return &r->apic_lvt_perfmon;
	case APIC_LVT0:
		return &r->apic_lvt_lint0;
	case APIC_LVT1:
		return &r->apic_lvt_lint1;
	case APIC_LVTERR:
		return &r->apic_lvt_error;
	}
	return NULL;
}

static u32 hvsim_lvt_writable(u32 off)
{
	switch (off) {
	case APIC_LVTT:
		return APIC_VECTOR_MASK | APIC_LVT_MASKED | HVSIM_APIC_TIMER_MODE;
	case APIC_LVT0:
	case APIC_LVT1:
		return APIC_VECTOR_MASK | APIC_MODE_MASK | APIC_INPUT_POLARITY |
		       APIC_LVT_LEVEL_TRIGGER | APIC_LVT_MASKED;
	case APIC_LVTERR:
		return APIC_VECTOR_MASK | APIC_LVT_MASKED;
	}
	return APIC_VECTOR_MASK | APIC_MODE_MASK | APIC_LVT_MASKED;
}

/* x2APIC's logical id: cluster in 31:16, one bit of 16 in 15:0. */
static u32 hvsim_x2apic_ldr(u32 id)
{
	return (id >> 4) << 16 | BIT(id & 0xf);
}

/* Read the 32-bit register at @off.  Return: false if there is none. */
static bool hvsim_lapic_read(struct hvsim_vp *vp, u32 off, u32 *val)
{
	struct hvsim_apic_regs *r = hvsim_regs(vp);
	bool x2 = hvsim_x2apic(vp);
	u32 *lvt = hvsim_lvt(r, off);

	if (lvt) {
		*val = *lvt;
		return true;
	}
	switch (off) {
	case APIC_ID:
		*val = x2 ? r->apic_id : r->apic_id << 24;
		return true;
	case APIC_LVR:
		*val = r->apic_version;
		return true;
	case APIC_TASKPRI:
		*val = hvsim_tpr(vp);
		return true;
	case APIC_PROCPRI:
		*val = hvsim_ppr(vp);
		return true;
	case APIC_LDR:
		*val = x2 ? hvsim_x2apic_ldr(r->apic_id) : r->apic_ldr;
		return true;
	case APIC_DFR:
		*val = r->apic_dfr;
		return !x2;
	case APIC_SPIV:
		*val = r->apic_spurious;
		return true;
	case APIC_ISR ... APIC_ISR + 0x70:
		*val = r->apic_isr[(off - APIC_ISR) / 16];
		return !(off & 0xf);
	case APIC_TMR ... APIC_TMR + 0x70:
		*val = r->apic_tmr[(off - APIC_TMR) / 16];
		return !(off & 0xf);
	case APIC_IRR ... APIC_IRR + 0x70:
		hvsim_lapic_sync(vp);
		*val = r->apic_irr[(off - APIC_IRR) / 16];
		return !(off & 0xf);
	case APIC_ESR:
		*val = r->apic_esr;
		return true;
	case APIC_ICR:
		*val = r->apic_icr_low;
		return true;
	case APIC_ICR2:
		*val = r->apic_icr_high;
		return !x2;
	case APIC_TMICT:
		*val = r->apic_initial_count;
		return true;
	case APIC_TMCCT:
		*val = hvsim_lapic_current_count(vp);
		return true;
	case APIC_TDCR:
		*val = r->apic_divide_configuration;
		return true;
	case APIC_ARBPRI:
	case APIC_EOI:
		*val = 0;
		return !x2 || off == APIC_ARBPRI;
	}
	*val = 0;
	return false;
}

/* One IPI for another VP: pt->vps_lock held, so the VP stays listed. */
static void hvsim_lapic_ipi_one(struct hvsim_vp *to, u32 icr)
{
	if (!to)
		return;
	lockdep_assert_held(&to->pt->vps_lock);
	if (READ_ONCE(to->dead))
		return;
	switch (icr & APIC_DM_FIXED_MASK) {
	case APIC_DM_FIXED:
		hvsim_lapic_post(to, icr & APIC_VECTOR_MASK, false);
		break;
	case APIC_DM_NMI:
		hvsim_lapic_post_event(to, HVSIM_LAPIC_EV_NMI, 0);
		break;
	case APIC_DM_INIT:
		/* Level de-assert (the 82489DX "INIT de-assert"): no effect. */
		if (icr & APIC_INT_ASSERT)
			hvsim_lapic_post_event(to, HVSIM_LAPIC_EV_INIT, 0);
		break;
	case APIC_DM_STARTUP:
		hvsim_lapic_post_event(to, HVSIM_LAPIC_EV_SIPI,
				       icr & APIC_VECTOR_MASK);
		break;
	}
}

/*
 * ICR: fixed, NMI, INIT and SIPI, physical destinations and shorthands
 * (see the top of the file).  To this VP: fixed only, straight into its
 * IRR.  To others: posted like ASSERT_VIRTUAL_INTERRUPT does.
 */
static void hvsim_lapic_send_ipi(struct hvsim_vp *vp, u32 icr, u32 dest)
{
	struct hvsim_apic_regs *r = hvsim_regs(vp);
	struct hvsim_partition *pt = vp->pt;
	u32 shorthand = icr & APIC_DEST_ALLBUT;
	u32 mode = icr & APIC_DM_FIXED_MASK;
	bool self, others;
	unsigned int i;

	if (mode != APIC_DM_FIXED && mode != APIC_DM_NMI &&
	    mode != APIC_DM_INIT && mode != APIC_DM_STARTUP)
		return;
	self = shorthand == APIC_DEST_SELF || shorthand == APIC_DEST_ALLINC ||
	       (!shorthand && (dest == r->apic_id || dest == HVSIM_APIC_BCAST(vp)));
	others = shorthand == APIC_DEST_ALLINC || shorthand == APIC_DEST_ALLBUT ||
		 (!shorthand && dest != r->apic_id && !(icr & APIC_DEST_LOGICAL));
	if (self && mode == APIC_DM_FIXED)
		hvsim_accept(vp, icr & APIC_VECTOR_MASK, false);
	if (!others)
		return;
	/* Not pt->lock: it comes before vp->lock (hvsim.h). */
	spin_lock(&pt->vps_lock);
	for (i = 0; i < HVSIM_MAX_VPS; i++) {
		if (i == vp->index)
			continue;
		if (!shorthand && dest != HVSIM_APIC_BCAST(vp) && dest != i)
			continue;
		hvsim_lapic_ipi_one(pt->vps[i], icr);
	}
	spin_unlock(&pt->vps_lock);
}

static void hvsim_lapic_set_svr(struct hvsim_vp *vp, u32 val)
{
	struct hvsim_apic_regs *r = hvsim_regs(vp);
	unsigned int i;

	r->apic_spurious = val & HVSIM_APIC_SVR_WRITABLE;
	if (val & APIC_SPIV_APIC_ENABLED)
		return;
	/* Software-disabled: every LVT is masked. */
	for (i = 0; i < ARRAY_SIZE(hvsim_lvts); i++)
		*hvsim_lvt(r, hvsim_lvts[i]) |= APIC_LVT_MASKED;
}

/*
 * Write the 32-bit register at @off (for the ICR, @hi is the destination
 * word: ICR2 in xAPIC mode, bits 63:32 in x2APIC mode).  Return: false if
 * the register does not exist or is read-only.
 */
static bool hvsim_lapic_write(struct hvsim_vp *vp, u32 off, u32 val, u32 hi)
{
	struct hvsim_apic_regs *r = hvsim_regs(vp);
	bool x2 = hvsim_x2apic(vp);
	u32 *lvt = hvsim_lvt(r, off);

	if (lvt) {
		val &= hvsim_lvt_writable(off);
		if (!(r->apic_spurious & APIC_SPIV_APIC_ENABLED))
			val |= APIC_LVT_MASKED;
		*lvt = val;
		if (off == APIC_LVTT)
			WRITE_ONCE(vp->lapic.timer_periodic,
				   (val & HVSIM_APIC_TIMER_MODE) ==
				   APIC_LVT_TIMER_PERIODIC);
		return true;
	}
	switch (off) {
	case APIC_TASKPRI:
		vp->lapic.tpr_write = val & 0xf0;
		vp->lapic.tpr_dirty = true;
		return true;
	case APIC_EOI:
		hvsim_lapic_eoi(vp);
		return !x2 || !val;
	case APIC_LDR:
		r->apic_ldr = val & 0xff000000;
		return !x2;
	case APIC_DFR:
		r->apic_dfr = val | 0x0fffffff;
		return !x2;
	case APIC_SPIV:
		hvsim_lapic_set_svr(vp, val);
		return true;
	case APIC_ESR:
		r->apic_esr = 0;
		return !x2 || !val;
	case APIC_ICR:
		r->apic_icr_low = val & HVSIM_APIC_ICR_WRITABLE;
		if (x2)
			r->apic_icr_high = hi;
		hvsim_lapic_send_ipi(vp, val, x2 ? hi : r->apic_icr_high >> 24);
		return true;
	case APIC_ICR2:
		r->apic_icr_high = val & 0xff000000;
		return !x2;
	case APIC_TMICT:
		r->apic_initial_count = val;
		hvsim_lapic_timer_load(vp, val);
		return true;
	case APIC_TDCR:
		r->apic_divide_configuration = val & HVSIM_APIC_TDCR_WRITABLE;
		return true;
	case APIC_SELF_IPI:
		if (x2)
			hvsim_accept(vp, val & 0xff, false);
		return x2;
	}
	return false;
}

/**
 * hvsim_lapic_mmio() - a guest access that may hit the xAPIC page
 * @vp: the VP, locked
 * @gpa: guest physical address
 * @buf: the data (read into or written from)
 * @len: bytes, within one page
 * @write: a write
 *
 * Return: 0 if the APIC handled the access, -ENODEV if @gpa is not the
 * APIC's (the caller goes on to guest memory).
 */
int __hvsim_hot hvsim_lapic_mmio(struct hvsim_vp *vp, u64 gpa, void *buf,
				 unsigned int len, bool write)
{
	u64 base = vp->cpu.msr.apic_base;
	u32 off = gpa & (HV_HYP_PAGE_SIZE - 1), val = 0;
	unsigned int in_reg = off & 0xf;

	lockdep_assert_held(&vp->lock);

	if (!vp->pt->lapic || !(base & HVSIM_APIC_BASE_EN) ||
	    (base & HVSIM_APIC_BASE_EXTD) ||
	    (gpa & HVSIM_APIC_BASE_ADDR) != (base & HVSIM_APIC_BASE_ADDR))
		return -ENODEV;
	if (in_reg + len > 4) {
		if (!write)
			memset(buf, 0, len);
		return 0;
	}
	off -= in_reg;
	if (write) {
		if (!in_reg && len == 4) {
			memcpy(&val, buf, 4);
			hvsim_lapic_write(vp, off, val, 0);
		}
		return 0;
	}
	hvsim_lapic_read(vp, off, &val);
	val >>= in_reg * 8;
	memcpy(buf, &val, len);
	return 0;
}

static bool hvsim_lapic_msr_ok(struct hvsim_vp *vp, u32 index)
{
	return vp->pt->lapic && hvsim_x2apic(vp) &&
	       (vp->cpu.msr.apic_base & HVSIM_APIC_BASE_EN) &&
	       index >= HVSIM_MSR_X2APIC_FIRST &&
	       index <= HVSIM_MSR_X2APIC_LAST;
}

/**
 * hvsim_lapic_rdmsr() - RDMSR of an x2APIC register
 * @vp: the VP, locked
 * @index: MSR 0x800-0x8ff
 * @val: the value
 *
 * Return: HVSIM_CB_DONE, or HVSIM_CB_GP (not in x2APIC mode, no such
 * register, or write-only).
 */
int hvsim_lapic_rdmsr(struct hvsim_vp *vp, u32 index, u64 *val)
{
	u32 off = (index - HVSIM_MSR_X2APIC_FIRST) << 4, v;

	lockdep_assert_held(&vp->lock);

	if (!hvsim_lapic_msr_ok(vp, index) || off == APIC_SELF_IPI ||
	    !hvsim_lapic_read(vp, off, &v))
		return HVSIM_CB_GP;
	*val = v;
	if (off == APIC_ICR)
		*val |= (u64)hvsim_regs(vp)->apic_icr_high << 32;
	return HVSIM_CB_DONE;
}

/**
 * hvsim_lapic_wrmsr() - WRMSR of an x2APIC register
 * @vp: the VP, locked
 * @index: MSR 0x800-0x8ff
 * @val: the value
 *
 * Return: HVSIM_CB_DONE, or HVSIM_CB_GP (not in x2APIC mode, no such
 * register, read-only, or reserved bits set).
 */
int hvsim_lapic_wrmsr(struct hvsim_vp *vp, u32 index, u64 val)
{
	u32 off = (index - HVSIM_MSR_X2APIC_FIRST) << 4;

	lockdep_assert_held(&vp->lock);

	if (!hvsim_lapic_msr_ok(vp, index) ||
	    (off != APIC_ICR && upper_32_bits(val)))
		return HVSIM_CB_GP;
	if (!hvsim_lapic_write(vp, off, lower_32_bits(val), upper_32_bits(val)))
		return HVSIM_CB_GP;
	return HVSIM_CB_DONE;
}

/* ------------------------------------------------------------------ */
/* Halting, life cycle and VP state.                                  */
/* ------------------------------------------------------------------ */

/**
 * hvsim_lapic_wakeup() - may a halted VP run again?
 * @vp: the VP, locked
 *
 * A halted VP resumes once it can take an interrupt.
 *
 * Return: true if the VP is not (or no longer) halted.
 */
bool __hvsim_hot hvsim_lapic_wakeup(struct hvsim_vp *vp)
{
	int irq;

	lockdep_assert_held(&vp->lock);

	if (!vp->lapic.halted)
		return true;
	irq = hvsim_lapic_irq_pending(vp, &vp->cpu);
	if (irq < 0 ||
	    (irq != HVSIM_IRQ_NMI && !(vp->cpu.rflags & X86_EFLAGS_IF)))
		return false;
	WRITE_ONCE(vp->lapic.halted, false);
	return true;
}

/**
 * hvsim_lapic_halt() - the VP executed HLT with interrupts enabled
 * @vp: the VP, locked
 *
 * Return: true if it must wait for an interrupt, false if one is already
 * there.
 */
bool hvsim_lapic_halt(struct hvsim_vp *vp)
{
	lockdep_assert_held(&vp->lock);

	WRITE_ONCE(vp->lapic.halted, true);
	smp_mb();	/* pairs with smp_mb__after_atomic() in hvsim_lapic_kick() */
	return !hvsim_lapic_wakeup(vp);
}

/**
 * hvsim_lapic_sleeping() - is the VP halted with nothing posted for it?
 * @vp: the VP; read without its lock by its thread
 *
 * Return: true if running the VP would only find it halted again.
 */
bool hvsim_lapic_sleeping(const struct hvsim_vp *vp)
{
	return READ_ONCE(vp->lapic.halted) && !READ_ONCE(vp->lapic.events);
}

/**
 * hvsim_lapic_init() - set up a new VP's APIC (not yet visible)
 * @vp: the VP; its state pages are allocated
 */
void hvsim_lapic_init(struct hvsim_vp *vp)
{
	hvsim_lapic_timer_init(vp);
	hvsim_lapic_reset(vp);
}

/**
 * hvsim_lapic_reset() - the APIC registers' power-on values
 * @vp: the VP
 */
void hvsim_lapic_reset(struct hvsim_vp *vp)
{
	struct hvsim_apic_regs *r = hvsim_regs(vp);
	unsigned int i;

	memset(r, 0, HV_HYP_PAGE_SIZE);
	r->apic_id = vp->index;
	r->apic_version = HVSIM_APIC_VERSION;
	r->apic_dfr = 0xffffffff;
	r->apic_spurious = 0xff;
	for (i = 0; i < ARRAY_SIZE(hvsim_lvts); i++)
		*hvsim_lvt(r, hvsim_lvts[i]) = APIC_LVT_MASKED;
}

/**
 * hvsim_lapic_state_get() - bring the state page up to date for a GET
 * @vp: the VP, locked
 *
 * Posted vectors go into the IRR, the current count into the page.
 */
void hvsim_lapic_state_get(struct hvsim_vp *vp)
{
	lockdep_assert_held(&vp->lock);

	hvsim_lapic_sync(vp);
	hvsim_regs(vp)->apic_counter_value = hvsim_lapic_current_count(vp);
}

/**
 * hvsim_lapic_state_set() - the root replaced the state page
 * @vp: the VP, locked
 *
 * The timer restarts from the page's current count (one-shot) or its
 * initial count (periodic); a halted VP
 * re-evaluates whether it can take an interrupt.
 */
void hvsim_lapic_state_set(struct hvsim_vp *vp)
{
	struct hvsim_apic_regs *r = hvsim_regs(vp);
	bool periodic = (r->apic_lvt_timer & HVSIM_APIC_TIMER_MODE) ==
			APIC_LVT_TIMER_PERIODIC;

	lockdep_assert_held(&vp->lock);

	hvsim_lapic_timer_load(vp, periodic ? r->apic_initial_count :
					      r->apic_counter_value);
	set_bit(HVSIM_LAPIC_EV_POSTED, &vp->lapic.events);
	hvsim_lapic_kick(vp);
}
