// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim VP state: the local APIC, the XSAVE area, the SynIC message and
 * event-flag pages and the synthetic timers of a VP, with their reset
 * values, and HVCALL_GET_VP_STATE / HVCALL_SET_VP_STATE.
 *
 * The LAPIC state page is the APIC's register file (lapic.c): a get
 * first brings it up to date, a set restarts the APIC timer from it.
 *
 * Types with HV_GET_SET_VP_STATE_TYPE_PFN move whole pages: the frames
 * follow the fixed input as the variable header.  The synthetic timers
 * travel inline: after the fixed input of a set (variable header again),
 * in the output page of a get.  What is set is stored byte for byte and
 * read back unchanged, with two checks on XSAVE data: the header's
 * XSTATE_BV must name only components the partition supports and
 * XCOMP_BV must be 0 (standard form); MXCSR's reserved bits must be 0.
 *
 * The state pages are kernel pages of the VP, not charged to the deposit
 * pool (the pool charges one page per VP already).
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "hvsim.h"

#define HVSIM_PAT_RESET		0x0007040600070406ULL
#define HVSIM_APIC_BASE_RESET	0xfee00000ULL
#define HVSIM_APIC_BASE_BSP	BIT_ULL(8)
#define HVSIM_APIC_BASE_ENABLE	BIT_ULL(11)

/* Offsets in the XSAVE area (standard form). */
#define HVSIM_XS_FCW		0
#define HVSIM_XS_MXCSR		24
#define HVSIM_XS_MXCSR_MASK	28
#define HVSIM_XS_XSTATE_BV	512
#define HVSIM_XS_XCOMP_BV	520

static void hvsim_xsave_reset(void *xs)
{
	u16 fcw = 0x37f;
	u32 mxcsr = 0x1f80, mask = 0xffff;

	memset(xs, 0, HV_HYP_PAGE_SIZE);
	memcpy(xs + HVSIM_XS_FCW, &fcw, sizeof(fcw));
	memcpy(xs + HVSIM_XS_MXCSR, &mxcsr, sizeof(mxcsr));
	memcpy(xs + HVSIM_XS_MXCSR_MASK, &mask, sizeof(mask));
}

/**
 * hvsim_vpstate_alloc() - allocate a new VP's state and reset it
 * @vp: the VP; its register file was reset by hvsim_cpu_reset()
 *
 * Also gives the MSRs and synthetic registers their x86/TLFS reset
 * values.
 *
 * Return: 0 or -ENOMEM (nothing is left allocated).
 */
int hvsim_vpstate_alloc(struct hvsim_vp *vp)
{
	struct hvsim_vp_state *st = &vp->st;
	struct hvsim_cpu_state *cpu = &vp->cpu;
	unsigned int i;

	st->lapic = (void *)__get_free_page(GFP_KERNEL);
	st->xsave = (void *)__get_free_page(GFP_KERNEL);
	st->simp_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	st->siefp_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!st->lapic || !st->xsave || !st->simp_page || !st->siefp_page) {
		hvsim_vpstate_free(vp);
		return -ENOMEM;
	}
	hvsim_lapic_init(vp);
	hvsim_xsave_reset(st->xsave);

	cpu->msr.apic_base = HVSIM_APIC_BASE_RESET | HVSIM_APIC_BASE_ENABLE |
			     (vp->index ? 0 : HVSIM_APIC_BASE_BSP);
	cpu->msr.pat = HVSIM_PAT_RESET;
	cpu->dr6 = 0xffff0ff0;
	cpu->dr7 = 0x400;
	cpu->xcr0 = HV_X64_XSAVE_LEGACY_X87;
	for (i = 0; i < HV_SYNIC_SINT_COUNT; i++)
		st->synic.sint[i] = HV_SYNIC_SINT_MASKED;
	return 0;
}

/**
 * hvsim_vpstate_free() - free what hvsim_vpstate_alloc() allocated
 * @vp: the VP
 */
void hvsim_vpstate_free(struct hvsim_vp *vp)
{
	struct hvsim_vp_state *st = &vp->st;

	free_page((unsigned long)st->lapic);
	free_page((unsigned long)st->xsave);
	if (st->simp_page)
		__free_page(st->simp_page);
	if (st->siefp_page)
		__free_page(st->siefp_page);
	st->lapic = NULL;
	st->xsave = NULL;
	st->simp_page = NULL;
	st->siefp_page = NULL;
}

/* The bytes a PFN-type state is kept in, and their number. */
static void *hvsim_state_buf(struct hvsim_vp *vp, u32 type, u32 *size)
{
	*size = HV_HYP_PAGE_SIZE;
	switch (type) {
	case HV_GET_SET_VP_STATE_LAPIC_STATE:
		return vp->st.lapic;
	case HV_GET_SET_VP_STATE_XSAVE:
		*size = hvsim_xsave_size(vp->pt);
		return vp->st.xsave;
	case HV_GET_SET_VP_STATE_SIM_PAGE:
		return page_address(vp->st.simp_page);
	case HV_GET_SET_VP_STATE_SIEF_PAGE:
		return page_address(vp->st.siefp_page);
	}
	return NULL;
}

/* Can hvsim write into / read from this root page? */
static bool hvsim_state_pfn_ok(u64 pfn)
{
	return pfn_valid(pfn) && !hvsim_pfns_owned(pfn, 1);
}

/*
 * Copy between @buf and the caller's frames; @pfns is the caller's
 * variable header (each entry read once).
 */
static u16 hvsim_state_copy(void *buf, u32 size, const u64 *pfns,
			    unsigned int nr_pfns, bool to_pages)
{
	unsigned int i, chunk;
	u64 pfn;
	void *va;

	if (nr_pfns < DIV_ROUND_UP(size, HV_HYP_PAGE_SIZE))
		return HV_STATUS_INVALID_PARAMETER;
	for (i = 0; size; i++, size -= chunk, buf += chunk) {
		chunk = min_t(u32, size, HV_HYP_PAGE_SIZE);
		pfn = READ_ONCE(pfns[i]);
		if (!hvsim_state_pfn_ok(pfn))
			return HV_STATUS_INVALID_PARAMETER;
		va = kmap_local_page(pfn_to_page(pfn));
		if (to_pages)
			memcpy(va, buf, chunk);
		else
			memcpy(buf, va, chunk);
		kunmap_local(va);
	}
	return HV_STATUS_SUCCESS;
}

/* Check the state-data header; XSAVE states must be ones we hold. */
static u16 hvsim_state_data_ok(struct hvsim_vp *vp,
			       const struct hv_vp_state_data *sd)
{
	u64 legacy = HV_X64_XSAVE_LEGACY_X87 | HV_X64_XSAVE_LEGACY_SSE;

	if (sd->rsvd)
		return HV_STATUS_INVALID_PARAMETER;
	if (sd->type != HV_GET_SET_VP_STATE_XSAVE)
		return sd->xsave_flags || sd->xsave_states ?
		       HV_STATUS_INVALID_PARAMETER : HV_STATUS_SUCCESS;
	if (sd->xsave_flags || (sd->xsave_states & legacy) != legacy ||
	    (sd->xsave_states & ~hvsim_xsave_states(vp->pt)))
		return HV_STATUS_INVALID_PARAMETER;
	return HV_STATUS_SUCCESS;
}

/* Validate XSAVE data about to be stored (see the top of the file). */
static u16 hvsim_xsave_data_ok(struct hvsim_vp *vp, const u8 *xs)
{
	u64 bv, comp;
	u32 mxcsr;

	memcpy(&mxcsr, xs + HVSIM_XS_MXCSR, sizeof(mxcsr));
	memcpy(&bv, xs + HVSIM_XS_XSTATE_BV, sizeof(bv));
	memcpy(&comp, xs + HVSIM_XS_XCOMP_BV, sizeof(comp));
	if ((mxcsr & ~0xffffU) || comp || (bv & ~hvsim_xsave_states(vp->pt)))
		return HV_STATUS_INVALID_PARAMETER;
	return HV_STATUS_SUCCESS;
}

/* Look up and check what a GET/SET_VP_STATE input names; VP locked. */
static u16 hvsim_state_begin(struct hvsim_hc *hc, struct hvsim_vp **vpp)
{
	const struct hv_input_get_vp_state *in = hc->in;
	u16 status;

	/* Both inputs share the layout of their fixed part. */
	BUILD_BUG_ON(sizeof(struct hv_input_get_vp_state) !=
		     sizeof(struct hv_input_set_vp_state));
	if (in->input_vtl.as_uint8 & ~0x10 || in->rsvd0 || in->rsvd1)
		return HV_STATUS_INVALID_PARAMETER;
	if (in->input_vtl.target_vtl)
		return HV_STATUS_INVALID_PARAMETER;
	status = hvsim_vp_get_locked(in->partition_id, in->vp_index, vpp);
	if (status)
		return status;
	status = hvsim_state_data_ok(*vpp, &in->state_data);
	if (status)
		hvsim_vp_unlock_put(*vpp);
	return status;
}

/* HVCALL_GET_VP_STATE */
u16 hvsim_hc_get_vp_state(struct hvsim_hc *hc)
{
	const struct hv_input_get_vp_state *in = hc->in;
	u32 type = in->state_data.type, size;
	struct hvsim_vp *vp;
	void *buf;
	u16 status;

	status = hvsim_state_begin(hc, &vp);
	if (status)
		return status;
	if (type == HV_GET_SET_VP_STATE_SYNTHETIC_TIMERS) {
		if (!hc->out || hc->varhead_len)
			status = HV_STATUS_INVALID_PARAMETER;
		else
			memcpy(hc->out, &vp->st.stimers,
			       sizeof(vp->st.stimers));
		goto out;
	}
	buf = hvsim_state_buf(vp, type, &size);
	if (!buf) {
		status = HV_STATUS_INVALID_PARAMETER;
		goto out;
	}
	if (type == HV_GET_SET_VP_STATE_LAPIC_STATE)
		hvsim_lapic_state_get(vp);
	status = hvsim_state_copy(buf, size, hc->varhead,
				  hc->varhead_len / sizeof(u64), true);
out:
	hvsim_vp_unlock_put(vp);
	return status;
}

/* HVCALL_SET_VP_STATE */
u16 hvsim_hc_set_vp_state(struct hvsim_hc *hc)
{
	const struct hv_input_set_vp_state *in = hc->in;
	u32 type = in->state_data.type, size;
	struct hv_synthetic_timers_state timers;
	struct hvsim_vp *vp;
	void *buf, *tmp;
	u16 status;

	status = hvsim_state_begin(hc, &vp);
	if (status)
		return status;
	if (type == HV_GET_SET_VP_STATE_SYNTHETIC_TIMERS) {
		if (hc->varhead_len < sizeof(timers)) {
			status = HV_STATUS_INVALID_PARAMETER;
		} else {
			memcpy(&timers, hc->varhead, sizeof(timers));
			vp->st.stimers = timers;
		}
		goto out;
	}
	buf = hvsim_state_buf(vp, type, &size);
	if (!buf) {
		status = HV_STATUS_INVALID_PARAMETER;
		goto out;
	}
	/* Stage the data: a failed set must leave the state unchanged. */
	tmp = (void *)__get_free_page(HVSIM_GFP_LOCKED);
	if (!tmp) {
		status = HV_STATUS_INSUFFICIENT_MEMORY;
		goto out;
	}
	status = hvsim_state_copy(tmp, size, hc->varhead,
				  hc->varhead_len / sizeof(u64), false);
	if (!status && type == HV_GET_SET_VP_STATE_XSAVE)
		status = hvsim_xsave_data_ok(vp, tmp);
	if (!status) {
		memcpy(buf, tmp, size);
		if (type == HV_GET_SET_VP_STATE_LAPIC_STATE)
			hvsim_lapic_state_set(vp);
	}
	free_page((unsigned long)tmp);
out:
	hvsim_vp_unlock_put(vp);
	return status;
}
