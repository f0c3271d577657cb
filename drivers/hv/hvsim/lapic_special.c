// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim's local APIC, the interrupt types that are not a vector in the
 * IRR: NMI, ExtINT, INIT and SIPI, as the root asserts them with
 * HVCALL_ASSERT_VIRTUAL_INTERRUPT (interrupt.c).
 *
 * Each is posted like a vector: a bit in the VP's lapic.events (its
 * vector, if any, stored first), then a kick if the VP is halted.  The
 * VP picks them up under its own lock:
 *
 * - NMI and ExtINT at instruction boundaries (lapic.c): an NMI is taken
 *   whatever RFLAGS.IF, then blocks further NMIs until IRET; NMIs asserted
 *   while one is pending merge.  An ExtINT is maskable, bypasses the TPR
 *   and PPR, and is neither in service nor EOI'd, as if a PIC in
 *   virtual-wire mode supplied the vector; a newer one replaces a pending
 *   one, and HVCALL_CLEAR_VIRTUAL_INTERRUPT withdraws it.
 * - INIT and SIPI before the VP runs a slice (hvsim_lapic_startup()): INIT
 *   resets the processor (MSRs keep their values) and the APIC registers,
 *   drops whatever was pending and leaves the VP waiting for a SIPI: it
 *   does not run and takes no interrupt.  A SIPI then starts it in real
 *   mode at CS:IP = vector << 8 : 0; a SIPI to a VP that is not waiting
 *   is dropped.  An INIT asserted while the VP runs takes effect when its
 *   slice ends.
 */
#include <linux/bitops.h>

#include "hvsim.h"

/**
 * hvsim_lapic_post_event() - assert an NMI, ExtINT, INIT or SIPI
 * @vp: the VP (referenced; not necessarily locked)
 * @event: HVSIM_LAPIC_EV_NMI, _EXTINT, _INIT or _SIPI
 * @vector: the ExtINT's vector or the SIPI's start page; ignored otherwise
 *
 * Context: any but hard interrupts; does not sleep.
 */
void hvsim_lapic_post_event(struct hvsim_vp *vp, unsigned int event,
			    u8 vector)
{
	struct hvsim_lapic *a = &vp->lapic;

	if (event == HVSIM_LAPIC_EV_EXTINT)
		WRITE_ONCE(a->extint_posted, vector);
	else if (event == HVSIM_LAPIC_EV_SIPI)
		WRITE_ONCE(a->sipi_posted, vector);
	/* The vector is visible to whoever sees the bit. */
	smp_mb__before_atomic();
	set_bit(event, &a->events);
	hvsim_lapic_kick(vp);
}

/**
 * hvsim_lapic_clear_extint() - withdraw an ExtINT not delivered yet
 * @vp: the VP (referenced; not necessarily locked)
 */
void hvsim_lapic_clear_extint(struct hvsim_vp *vp)
{
	struct hvsim_lapic *a = &vp->lapic;

	clear_bit(HVSIM_LAPIC_EV_EXTINT, &a->events);
	set_bit(HVSIM_LAPIC_EV_EXTINT_CLEAR, &a->events);
}

/* INIT: the processor's and the APIC's INIT state; wait for a SIPI. */
static void hvsim_lapic_do_init(struct hvsim_vp *vp)
{
	struct hvsim_lapic *a = &vp->lapic;
	typeof(vp->cpu.msr) msr = vp->cpu.msr;
	unsigned int i;

	hvsim_cpu_reset(&vp->cpu);
	vp->cpu.msr = msr;

	hvsim_lapic_stop(vp);
	for (i = 0; i < HVSIM_APIC_WORDS; i++)
		xchg(&a->posted[i], 0);
	clear_bit(HVSIM_LAPIC_EV_POSTED, &a->events);
	clear_bit(HVSIM_LAPIC_EV_TIMER, &a->events);
	clear_bit(HVSIM_LAPIC_EV_NMI, &a->events);
	clear_bit(HVSIM_LAPIC_EV_EXTINT, &a->events);
	hvsim_lapic_reset(vp);
	a->tpr_dirty = false;
	a->nmi_pending = false;
	a->extint_pending = false;
	a->wait_sipi = true;
	WRITE_ONCE(a->halted, true);
}

/**
 * hvsim_lapic_startup() - act on INIT and SIPI asserted for a VP
 * @vp: the VP, locked, about to run a slice
 *
 * Return: true if the VP's registers changed.
 */
bool __hvsim_hot hvsim_lapic_startup(struct hvsim_vp *vp)
{
	struct hvsim_lapic *a = &vp->lapic;
	struct hvsim_segment *cs = &vp->cpu.seg[HVSIM_CS];
	bool changed = false;
	u8 vector;

	lockdep_assert_held(&vp->lock);

	if (test_and_clear_bit(HVSIM_LAPIC_EV_INIT, &a->events)) {
		hvsim_lapic_do_init(vp);
		changed = true;
	}
	if (test_and_clear_bit(HVSIM_LAPIC_EV_SIPI, &a->events) &&
	    a->wait_sipi) {
		vector = READ_ONCE(a->sipi_posted);
		cs->selector = vector << 8;
		cs->base = (u64)vector << 12;
		vp->cpu.rip = 0;
		a->wait_sipi = false;
		WRITE_ONCE(a->halted, false);
		changed = true;
	}
	return changed;
}
