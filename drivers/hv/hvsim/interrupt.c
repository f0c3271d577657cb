// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim interrupt injection by the root: HVCALL_ASSERT_VIRTUAL_INTERRUPT,
 * HVCALL_CLEAR_VIRTUAL_INTERRUPT and the register page's pending-vector
 * slots that HVCALL_DISPATCH_VP consumes.  The interrupts land in the
 * target VPs' local APICs (lapic.c).
 *
 * Destinations: a VP's APIC id is its index.  Physical mode names one VP,
 * or all with 0xff (the xAPIC broadcast id).  Logical mode is the flat
 * model with VP n owning bit n of @dest_addr; lowest-priority delivery
 * goes to the lowest-numbered VP of the set.
 *
 * Types: fixed and lowest priority land in the IRR; NMI, INIT, SIPI and
 * ExtINT are events of the target APICs (lapic_special.c), with the same
 * destinations.  Not modelled: SMI, remote read and the LINT types
 * (rejected with INVALID_PARAMETER), VTLs other than 0.
 */
#include <linux/bitops.h>
#include <linux/minmax.h>
#include <linux/stddef.h>

#include "hvsim.h"

#define HVSIM_APIC_BROADCAST	0xff

#define HVSIM_INTERRUPT_CONTROL_FLAGS	(HV_INTERRUPT_CONTROL_LEVEL_TRIGGERED | \
					 HV_INTERRUPT_CONTROL_LOGICAL_DEST)

/* The lapic.events bit of each type that is not a vector in the IRR. */
static const s8 hvsim_interrupt_events[] = {
	[HV_X64_INTERRUPT_TYPE_FIXED] = -1,
	[HV_X64_INTERRUPT_TYPE_LOWESTPRIORITY] = -1,
	[HV_X64_INTERRUPT_TYPE_NMI] = HVSIM_LAPIC_EV_NMI,
	[HV_X64_INTERRUPT_TYPE_INIT] = HVSIM_LAPIC_EV_INIT,
	[HV_X64_INTERRUPT_TYPE_SIPI] = HVSIM_LAPIC_EV_SIPI,
	[HV_X64_INTERRUPT_TYPE_EXTINT] = HVSIM_LAPIC_EV_EXTINT,
};

static bool hvsim_interrupt_type_ok(u32 type)
{
	return type == HV_X64_INTERRUPT_TYPE_FIXED ||
	       type == HV_X64_INTERRUPT_TYPE_LOWESTPRIORITY ||
	       type == HV_X64_INTERRUPT_TYPE_NMI ||
	       type == HV_X64_INTERRUPT_TYPE_INIT ||
	       type == HV_X64_INTERRUPT_TYPE_SIPI ||
	       type == HV_X64_INTERRUPT_TYPE_EXTINT;
}

static void hvsim_assert_one(struct hvsim_partition *pt, unsigned int index,
			     u32 type, u8 vector, bool level)
{
	struct hvsim_vp *vp = pt->vps[index];

	if (!vp || READ_ONCE(vp->dead))
		return;
	if (hvsim_interrupt_events[type] < 0)
		hvsim_lapic_post(vp, vector, level);
	else
		hvsim_lapic_post_event(vp, hvsim_interrupt_events[type],
				       vector);
}

/*
 * HVCALL_ASSERT_VIRTUAL_INTERRUPT.  The VPs are posted to under the
 * partition lock, which keeps them in the table; their own locks are not
 * taken, so a VP busy running does not delay the caller.
 */
u16 hvsim_hc_assert_virtual_interrupt(struct hvsim_hc *hc)
{
	const struct hv_input_assert_virtual_interrupt *in = hc->in;
	u32 type = in->control.interrupt_type, flags = in->control.flags;
	bool level = flags & HV_INTERRUPT_CONTROL_LEVEL_TRIGGERED;
	struct hvsim_partition *pt;
	unsigned long mask;
	unsigned int i;
	u16 status;

	if ((flags & ~HVSIM_INTERRUPT_CONTROL_FLAGS) || in->target_vtl ||
	    in->rsvd_z0 || in->rsvd_z1 || in->vector > 0xff ||
	    !hvsim_interrupt_type_ok(type))
		return HV_STATUS_INVALID_PARAMETER;
	status = hvsim_pt_get_locked(in->partition_id,
				     HVSIM_PT_IS(INITIALIZED), &pt);
	if (status)
		return status;
	if (!pt->lapic) {
		status = HV_STATUS_INVALID_PARTITION_STATE;
		goto out;
	}

	if (flags & HV_INTERRUPT_CONTROL_LOGICAL_DEST) {
		mask = in->dest_addr;
		for_each_set_bit(i, &mask, min(BITS_PER_LONG, HVSIM_MAX_VPS)) {
			hvsim_assert_one(pt, i, type, in->vector, level);
			if (type == HV_X64_INTERRUPT_TYPE_LOWESTPRIORITY)
				break;
		}
	} else if (in->dest_addr == HVSIM_APIC_BROADCAST) {
		for (i = 0; i < HVSIM_MAX_VPS; i++)
			hvsim_assert_one(pt, i, type, in->vector, level);
	} else if (in->dest_addr < HVSIM_MAX_VPS && pt->vps[in->dest_addr]) {
		hvsim_assert_one(pt, in->dest_addr, type, in->vector,
				 level);
	} else {
		status = HV_STATUS_INVALID_VP_INDEX;
	}
out:
	hvsim_pt_unlock_put(pt);
	return status;
}

/*
 * HVCALL_CLEAR_VIRTUAL_INTERRUPT (fast8: the partition id): withdraw the
 * ExtINTs asserted to the partition's VPs and not delivered yet.
 */
u16 hvsim_hc_clear_virtual_interrupt(struct hvsim_hc *hc)
{
	const u64 *id = hc->in;
	struct hvsim_partition *pt;
	struct hvsim_vp *vp;
	unsigned int i;
	u16 status;

	status = hvsim_pt_get_locked(*id, HVSIM_PT_IS(INITIALIZED), &pt);
	if (status)
		return status;
	for (i = 0; i < HVSIM_MAX_VPS; i++) {
		vp = pt->vps[i];
		if (vp && !READ_ONCE(vp->dead))
			hvsim_lapic_clear_extint(vp);
	}
	hvsim_pt_unlock_put(pt);
	return HV_STATUS_SUCCESS;
}

/**
 * hvsim_scan_register_page_vectors() - take the vectors the root left in
 *	the register page for this dispatch
 * @vp: the VP, locked
 *
 * The count and up to seven vectors share one naturally aligned 64-bit
 * word (count in the low byte), which the root fills with a
 * compare-and-exchange; it is taken with an exchange, so a vector is
 * consumed exactly once.  Each becomes a fixed, edge-triggered interrupt
 * of this VP.
 */
void hvsim_scan_register_page_vectors(struct hvsim_vp *vp)
{
	struct hv_vp_register_page *rp = hvsim_vp_register_page(vp);
	unsigned int i, n;
	u64 *slot, word;

	lockdep_assert_held(&vp->lock);

	BUILD_BUG_ON(offsetof(struct hv_vp_register_page,
			      interrupt_vector_count) % sizeof(u64));
	if (!rp || !vp->pt->lapic)
		return;
	slot = (u64 *)((u8 *)rp + offsetof(struct hv_vp_register_page,
					   interrupt_vector_count));
	word = xchg(slot, 0);
	n = min_t(unsigned int, word & 0xff,
		  HV_VP_REGISTER_PAGE_MAX_VECTOR_COUNT);
	for (i = 1; i <= n; i++)
		hvsim_lapic_post_local(vp, word >> (8 * i));
}
