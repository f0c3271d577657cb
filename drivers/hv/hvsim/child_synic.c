// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim child SynIC: a VP's SynIC message page (SIMP) and event-flags
 * page (SIEFP), and the root's SIGNAL_EVENT_DIRECT / POST_MESSAGE_DIRECT
 * into them.
 *
 * As in the TLFS, both pages belong to the hypervisor (one pair per VP)
 * and are overlaid on the guest physical page the guest names in the
 * SIMP / SIEFP register when it sets the enable bit: the GPA accessors
 * (gpa.c) look at the partition's overlay map before its GPA map.  The
 * same pages are what GET/SET_VP_STATE(SIM_PAGE / SIEF_PAGE) read and
 * write, enabled or not.
 *
 * Not modelled: raising the SINT's interrupt in the guest after a
 * signal or a message (interrupt injection belongs to the scheduler),
 * message queueing behind a busy slot (INSUFFICIENT_BUFFERS instead),
 * and the EOM-driven redelivery that goes with it.
 */
#include <linux/bitops.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "hvsim.h"

/* Where a SIMP/SIEFP register value overlays its page, if enabled. */
static bool hvsim_overlay_gfn(u64 reg, unsigned long *gfn)
{
	*gfn = (reg & HV_SYNIC_PAGE_GPA_MASK) >> HV_HYP_PAGE_SHIFT;
	return reg & HV_SYNIC_SIMP_ENABLE;
}

static void hvsim_overlay_remove(struct hvsim_partition *pt, u64 reg,
				 struct page *page)
{
	unsigned long gfn;

	/* Another VP may have overlaid the same gfn since: leave it. */
	if (hvsim_overlay_gfn(reg, &gfn))
		xa_cmpxchg(&pt->overlay, gfn, page, NULL, HVSIM_GFP_LOCKED);
}

/**
 * hvsim_synic_set_page() - write a VP's SIMP or SIEFP register
 * @vp: the VP, locked
 * @simp: SIMP (else SIEFP)
 * @value: enable bit, preserved bits 11:1, GPA of the overlay
 *
 * Moves the overlay.  Only the xarray changes: the pages stay allocated
 * until the VP is deleted, so a concurrent reader always sees a live one.
 * Does not sleep: the guest's WRMSR reaches here from the interpreter.
 *
 * Return: HV_STATUS_SUCCESS or INSUFFICIENT_MEMORY.
 */
u16 hvsim_synic_set_page(struct hvsim_vp *vp, bool simp, u64 value)
{
	struct hvsim_partition *pt = vp->pt;
	struct page *page = simp ? vp->st.simp_page : vp->st.siefp_page;
	u64 *reg = simp ? &vp->st.synic.simp : &vp->st.synic.siefp;
	unsigned long gfn;

	lockdep_assert_held(&vp->lock);

	if (hvsim_overlay_gfn(value, &gfn) &&
	    xa_err(xa_store(&pt->overlay, gfn, page, HVSIM_GFP_LOCKED)))
		return HV_STATUS_INSUFFICIENT_MEMORY;
	if ((*reg ^ value) & (HV_SYNIC_PAGE_GPA_MASK | HV_SYNIC_SIMP_ENABLE))
		hvsim_overlay_remove(pt, *reg, page);
	*reg = value;
	hvsim_engine_gpa_changed(pt);
	return HV_STATUS_SUCCESS;
}

/**
 * hvsim_child_synic_clear() - remove a dying VP's overlays
 * @vp: the VP, locked
 *
 * Takes the GPA lock for writing so that no VP is running (and reading an
 * overlay page) when the pages are freed afterwards.
 */
void hvsim_child_synic_clear(struct hvsim_vp *vp)
{
	struct hvsim_partition *pt = vp->pt;

	lockdep_assert_held(&vp->lock);

	down_write(&pt->gpa_lock);
	hvsim_overlay_remove(pt, vp->st.synic.simp, vp->st.simp_page);
	hvsim_overlay_remove(pt, vp->st.synic.siefp, vp->st.siefp_page);
	vp->st.synic.simp = 0;
	vp->st.synic.siefp = 0;
	hvsim_engine_gpa_changed(pt);
	up_write(&pt->gpa_lock);
}

/* HVCALL_SIGNAL_EVENT_DIRECT: set a flag in the SINT's event flags. */
u16 hvsim_hc_signal_event_direct(struct hvsim_hc *hc)
{
	const struct hv_input_signal_event_direct *in = hc->in;
	struct hv_output_signal_event_direct *out = hc->out;
	unsigned long *flags;
	struct hvsim_vp *vp;
	u16 status;

	if (in->target_vtl || in->target_sint >= HV_SYNIC_SINT_COUNT ||
	    in->flag_number >= HV_EVENT_FLAGS_COUNT)
		return HV_STATUS_INVALID_PARAMETER;
	status = hvsim_vp_get_locked(in->target_partition, in->target_vp, &vp);
	if (status)
		return status;
	if (!(vp->st.synic.siefp & HV_SYNIC_SIEFP_ENABLE)) {
		status = HV_STATUS_INVALID_VP_STATE;
		goto out;
	}
	flags = page_address(vp->st.siefp_page) +
		in->target_sint * HV_EVENT_FLAGS_BYTE_COUNT;
	memset(out, 0, sizeof(*out));
	out->newly_signaled = !test_and_set_bit(in->flag_number, flags);
out:
	hvsim_vp_unlock_put(vp);
	return status;
}

/* HVCALL_POST_MESSAGE_DIRECT: write a message into the SINT's slot. */
u16 hvsim_hc_post_message_direct(struct hvsim_hc *hc)
{
	const struct hv_input_post_message_direct *in = hc->in;
	struct hv_message msg, *slot;
	struct hvsim_vp *vp;
	u16 status;

	if (in->vtl || memchr_inv(in->padding, 0, sizeof(in->padding)) ||
	    in->sint_index >= HV_SYNIC_SINT_COUNT)
		return HV_STATUS_INVALID_PARAMETER;
	/* The message and trailing padding follow the header in the page. */
	memcpy(&msg, hc->reps, sizeof(msg));
	if (msg.header.message_type == HVMSG_NONE ||
	    msg.header.payload_size > HV_MESSAGE_PAYLOAD_BYTE_COUNT)
		return HV_STATUS_INVALID_PARAMETER;

	status = hvsim_vp_get_locked(in->partition_id, in->vp_index, &vp);
	if (status)
		return status;
	if (!(vp->st.synic.simp & HV_SYNIC_SIMP_ENABLE)) {
		status = HV_STATUS_INVALID_VP_STATE;
		goto out;
	}
	slot = (struct hv_message *)page_address(vp->st.simp_page) +
	       in->sint_index;
	if (READ_ONCE(slot->header.message_type) != HVMSG_NONE) {
		status = HV_STATUS_INSUFFICIENT_BUFFERS;
		goto out;
	}
	memcpy(&slot->u, &msg.u, sizeof(slot->u));
	slot->header.payload_size = msg.header.payload_size;
	slot->header.message_flags = 0;
	memset(slot->header.reserved, 0, sizeof(slot->header.reserved));
	slot->header.sender = msg.header.sender;
	/* The guest polls the type: it goes last. */
	smp_wmb();
	WRITE_ONCE(slot->header.message_type, msg.header.message_type);
out:
	hvsim_vp_unlock_put(vp);
	return status;
}
