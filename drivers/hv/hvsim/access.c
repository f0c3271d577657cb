// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim GPA page access states: the accessed and dirty bits of each
 * mapped gfn, HVCALL_GET_GPA_PAGES_ACCESS_STATES and the
 * GPA_PAGE_ACCESS_TRACKING partition property.
 *
 * The model:
 *  - Every mapped gfn has an accessed and a dirty bit.  They are kept
 *    outside the GPA map's entry format, in two bitmaps per 2 MiB chunk
 *    of the GPA table (gpa_table.c), and inverted: a set bit says that
 *    the page is not accessed, or clean.  A new mapping has neither bit
 *    set, so it starts accessed and dirty: the VMM has not seen what the
 *    page holds at that GPA yet.  Mapping over an existing mapping keeps
 *    its bits; unmapping forgets them.
 *  - While tracking is enabled (property value 1), every guest access the
 *    CPU model makes sets the page's accessed bit, and a write sets its
 *    dirty bit too: data accesses, instruction fetches (the bytes are read
 *    before the execute permission is checked, so a refused fetch still
 *    counts as an access), and the page walker's reads of guest page
 *    tables and its accessed/dirty updates of them.  With tracking
 *    disabled, nothing is recorded.
 *  - The hypercall reports and changes the bits whether tracking is on
 *    or not.  A gfn with nothing mapped reads as 0 and is left alone.
 *  - Tracking may only be disabled once every mapped gfn is dirty.  Cloud
 *    Hypervisor sets the dirty bit of all its memory before it disables
 *    tracking, calling that a requirement of the Microsoft Hypervisor.
 *    In this model the reason is plain: a page left clean while nothing
 *    records writes would still look clean when tracking is enabled
 *    again, whatever the guest wrote meanwhile.  hvsim refuses with
 *    HV_STATUS_INVALID_PARTITION_STATE so that a VMM that forgets fails
 *    here (what the real hypervisor does then is not documented).
 *  - Not seen, as with a real hypervisor: writes of the root to guest
 *    memory through its own mapping (a VMM loading a kernel, device
 *    emulation), and accesses to SynIC pages overlaid on guest memory.
 *
 * Locking: a running VP sets bits with pt->gpa_lock read-held, by
 * atomic bit operations on the table's bitmaps.  The hypercall takes
 * gpa_lock for reading when it only reads or sets bits, and for writing
 * when it clears any, so that no VP runs meanwhile: a guest write that
 * came before the clear is reported, one that comes after it sets the
 * bit again.
 */
#include <linux/xarray.h>

#include "hvsim.h"

#define HVSIM_ACCESS_CLEARS	(HV_GPA_PAGE_ACCESS_STATE_CLEAR_ACCESSED | \
				 HV_GPA_PAGE_ACCESS_STATE_CLEAR_DIRTY)

/**
 * hvsim_access_note() - record a guest access the CPU model made
 * @pt: the partition; its gpa_lock read-held by the running VP
 * @gpa: guest physical address accessed
 * @write: the access was a write
 * @rc: what the access returned; only a successful one (0) is recorded
 *
 * Context: the VP's lock and gpa_lock held; does not sleep.
 * Return: @rc, so that an accessor can return through this.
 */
int __hvsim_hot hvsim_access_note(struct hvsim_partition *pt, u64 gpa, bool write, int rc)
{
	unsigned long gfn = gpa >> HV_HYP_PAGE_SHIFT;

	lockdep_assert_held(&pt->gpa_lock);

	if (rc || !READ_ONCE(pt->access_tracking))
		return rc;
	/* The access went to a SynIC page, not to the RAM under it. */
	if (xa_load(&pt->overlay, gfn))
		return 0;
	hvsim_gpt_note_access(&pt->gpa, gfn, write);
	return 0;
}

/**
 * hvsim_access_get_tracking() - GPA_PAGE_ACCESS_TRACKING, as read
 * @pt: the partition, locked
 *
 * Return: 1 if tracking is enabled, else 0.
 */
u64 hvsim_access_get_tracking(struct hvsim_partition *pt)
{
	lockdep_assert_held(&pt->lock);

	return READ_ONCE(pt->access_tracking);
}

/**
 * hvsim_access_set_tracking() - enable or disable access tracking
 * @pt: the partition, locked
 * @value: 0 or 1 (checked against the property table already)
 *
 * Enabling leaves the bits as they are.  Disabling is refused while any
 * mapped gfn is clean (see the top of this file).
 *
 * Return: HV_STATUS_SUCCESS or HV_STATUS_INVALID_PARTITION_STATE.
 */
u16 hvsim_access_set_tracking(struct hvsim_partition *pt, u64 value)
{
	u16 status = HV_STATUS_SUCCESS;

	lockdep_assert_held(&pt->lock);

	/* Exclusive: no VP runs while the switch is made. */
	down_write(&pt->gpa_lock);
	if (!value && hvsim_gpt_any_clean(&pt->gpa))
		status = HV_STATUS_INVALID_PARTITION_STATE;
	else
		WRITE_ONCE(pt->access_tracking, !!value);
	hvsim_engine_gpa_changed(pt);
	up_write(&pt->gpa_lock);
	return status;
}

/*
 * HVCALL_GET_GPA_PAGES_ACCESS_STATES: rep i writes the state byte of gfn
 * base + i, then applies the flags to it.  Reserved flag bits, a bit both
 * set and cleared, and gfns beyond the modelled GPA space are
 * INVALID_PARAMETER; only an initialized partition has a GPA map.
 */
u16 hvsim_hc_get_gpa_pages_access_states(struct hvsim_hc *hc)
{
	const struct hv_input_get_gpa_pages_access_state *in = hc->in;
	u64 base = in->hv_gpa_page_number;
	u64 flags = in->flags;
	struct hvsim_partition *pt;
	u8 *out = hc->out;
	bool excl;
	u16 status;

	if ((flags & ~HV_GPA_PAGE_ACCESS_STATE_FLAGS_MASK) ||
	    ((flags & HV_GPA_PAGE_ACCESS_STATE_CLEAR_ACCESSED) &&
	     (flags & HV_GPA_PAGE_ACCESS_STATE_SET_ACCESSED)) ||
	    ((flags & HV_GPA_PAGE_ACCESS_STATE_CLEAR_DIRTY) &&
	     (flags & HV_GPA_PAGE_ACCESS_STATE_SET_DIRTY)))
		return HV_STATUS_INVALID_PARAMETER;
	if (base > HVSIM_GPA_MAX_FN || HVSIM_GPA_MAX_FN - base < hc->rep_count - 1)
		return HV_STATUS_INVALID_PARAMETER;

	status = hvsim_pt_get_locked(in->partition_id, HVSIM_PT_IS(INITIALIZED),
				     &pt);
	if (status)
		return status;
	excl = flags & HVSIM_ACCESS_CLEARS;
	if (excl)
		down_write(&pt->gpa_lock);
	else
		down_read(&pt->gpa_lock);
	for (; hc->reps_done < hc->rep_count; hc->reps_done++)
		out[hc->reps_done] =
			hvsim_gpt_access_state(&pt->gpa,
					       base + hc->reps_done, flags);
	if (excl) {
		hvsim_engine_gpa_changed(pt);
		up_write(&pt->gpa_lock);
	} else {
		up_read(&pt->gpa_lock);
	}
	hvsim_pt_unlock_put(pt);
	return HV_STATUS_SUCCESS;
}
