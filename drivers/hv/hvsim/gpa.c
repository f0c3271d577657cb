// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim guest physical address space: the GFN -> PFN map of a partition
 * (MAP_GPA_PAGES / UNMAP_GPA_PAGES) and the accessors the CPU model uses
 * to read and write guest memory.
 *
 * The map itself is a GPA table (gpa_table.c): 2 MiB chunks, each one
 * large mapping or a leaf of 4 KiB entries, each charged one page of the
 * partition's deposit pool like a real second-level page table.
 *
 * HV_MAP_GPA_LARGE_PAGE maps 512 gfns per rep from one 2 MiB-aligned pfn
 * (a misaligned gfn base or pfn fails the call with INVALID_PARAMETER);
 * it may later be unmapped either way (4 KiB reps split it).
 * HV_MAP_GPA_NOT_CACHED is recorded and changes nothing: there is no
 * cache to model.  A pfn without a struct page (a
 * device BAR behind an MMIO region) may be mapped but is never accessed:
 * the CPU model reads it as unmapped, so the VMM gets the access as an
 * UNMAPPED_GPA intercept and emulates the device.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <asm/msr.h>
#include <asm/processor-flags.h>

#include "hvsim.h"

#define HVSIM_MAP_FLAGS		(HV_MAP_GPA_PERMISSIONS_MASK |	\
				 HV_MAP_GPA_ADJUSTABLE |		\
				 HV_MAP_GPA_NO_ACCESS |		\
				 HV_MAP_GPA_NOT_CACHED |		\
				 HV_MAP_GPA_LARGE_PAGE)

/**
 * hvsim_gpa_init() - set up an empty GPA map
 * @pt: the partition
 */
void hvsim_gpa_init(struct hvsim_partition *pt)
{
	hvsim_gpt_init(&pt->gpa, &pt->pool);
	xa_init(&pt->overlay);
}

/**
 * hvsim_gpa_clear() - unmap everything (finalize, module exit)
 * @pt: the partition, locked
 */
void hvsim_gpa_clear(struct hvsim_partition *pt)
{
	lockdep_assert_held(&pt->lock);

	down_write(&pt->gpa_lock);
	hvsim_gpt_destroy(&pt->gpa);
	/* The VPs (and their SynIC overlays) are gone already. */
	xa_destroy(&pt->overlay);
	hvsim_engine_gpa_changed(pt);
	up_write(&pt->gpa_lock);
}

/*
 * Whether @reps runs of @count gfns from @base (aligned to @count) stay
 * within the guest-physical space hvsim models.
 */
static bool hvsim_gfn_range_ok(u64 base, unsigned int reps, unsigned int count)
{
	return IS_ALIGNED(base, count) && base <= HVSIM_GPA_MAX_FN &&
	       HVSIM_GPA_MAX_FN - base >= (u64)reps * count - 1;
}

/*
 * HVCALL_MAP_GPA_PAGES: rep i maps gfn base + i to pfns[i], or with
 * HV_MAP_GPA_LARGE_PAGE the 512 gfns from base + 512 * i to the 2 MiB run
 * starting at pfns[i].
 */
u16 hvsim_hc_map_gpa_pages(struct hvsim_hc *hc)
{
	const struct hv_input_map_gpa_pages *in = hc->in;
	const u64 *pfns = hc->reps;
	unsigned int count = 1, done, n;
	struct hvsim_partition *pt;
	unsigned long flags;
	u64 gfn, pfn;
	u16 status;

	if ((in->map_flags & ~HVSIM_MAP_FLAGS) || in->padding)
		return HV_STATUS_INVALID_PARAMETER;
	if (in->map_flags & HV_MAP_GPA_LARGE_PAGE)
		count = HV_HYP_PAGES_PER_LARGE_PAGE;
	if (!hvsim_gfn_range_ok(in->target_gpa_base, hc->rep_count, count))
		return HV_STATUS_INVALID_PARAMETER;

	flags = in->map_flags & HV_MAP_GPA_PERMISSIONS_MASK;
	if (in->map_flags & HV_MAP_GPA_NO_ACCESS)
		flags |= HVSIM_GPA_NO_ACCESS;
	if (in->map_flags & HV_MAP_GPA_NOT_CACHED)
		flags |= HVSIM_GPA_NOT_CACHED;

	status = hvsim_pt_get_locked(in->target_partition_id,
				     HVSIM_PT_IS(INITIALIZED), &pt);
	if (status)
		return status;
	down_write(&pt->gpa_lock);
	while (hc->reps_done < hc->rep_count) {
		gfn = in->target_gpa_base + (u64)hc->reps_done * count;
		if (count > 1) {
			pfn = READ_ONCE(pfns[hc->reps_done]);
			if (!hvsim_gpt_pfn_ok(pfn, count)) {
				status = HV_STATUS_INVALID_PARAMETER;
				break;
			}
			status = hvsim_gpt_map_large(&pt->gpa, gfn, pfn, flags);
			if (status)
				break;
			hc->reps_done++;
			continue;
		}
		/* 4 KiB reps: as many as there are to the next 2 MiB. */
		n = min_t(u64, hc->rep_count - hc->reps_done,
			  HV_HYP_PAGES_PER_LARGE_PAGE -
			  gfn % HV_HYP_PAGES_PER_LARGE_PAGE);
		status = hvsim_gpt_map(&pt->gpa, gfn, pfns + hc->reps_done, n,
				       flags, &done);
		hc->reps_done += done;
		if (status)
			break;
	}
	hvsim_engine_gpa_changed(pt);
	up_write(&pt->gpa_lock);
	hvsim_pt_unlock_put(pt);
	return status;
}

/*
 * HVCALL_UNMAP_GPA_PAGES: rep i unmaps gfn base + i (512 gfns with
 * HV_UNMAP_GPA_LARGE_PAGE).  Unmapping what is not mapped is not an error.
 * FINALIZE removed every mapping; like the real hypervisor, which fails
 * GPA unmaps of a finalized partition, hvsim refuses them then (with
 * INVALID_PARTITION_STATE: which status Hyper-V returns is not published).
 */
u16 hvsim_hc_unmap_gpa_pages(struct hvsim_hc *hc)
{
	const struct hv_input_unmap_gpa_pages *in = hc->in;
	struct hvsim_partition *pt;
	unsigned int count = 1, n;
	u16 status;
	u64 gfn;

	if ((in->unmap_flags & ~HV_UNMAP_GPA_LARGE_PAGE) || in->padding)
		return HV_STATUS_INVALID_PARAMETER;
	if (in->unmap_flags & HV_UNMAP_GPA_LARGE_PAGE)
		count = HV_HYP_PAGES_PER_LARGE_PAGE;
	if (!hvsim_gfn_range_ok(in->target_gpa_base, hc->rep_count, count))
		return HV_STATUS_INVALID_PARAMETER;

	status = hvsim_pt_get_locked(in->target_partition_id,
				     HVSIM_PT_IS(INITIALIZED), &pt);
	if (status)
		return status;
	down_write(&pt->gpa_lock);
	while (hc->reps_done < hc->rep_count) {
		gfn = in->target_gpa_base + (u64)hc->reps_done * count;
		/* 4 KiB reps: as many as there are to the next 2 MiB. */
		n = count > 1 ? 1 :
		    min_t(u64, hc->rep_count - hc->reps_done,
			  HV_HYP_PAGES_PER_LARGE_PAGE -
			  gfn % HV_HYP_PAGES_PER_LARGE_PAGE);
		hvsim_gpt_unmap(&pt->gpa, gfn, n * count);
		hc->reps_done += n;
	}
	hvsim_engine_gpa_changed(pt);
	up_write(&pt->gpa_lock);
	hvsim_pt_unlock_put(pt);
	return HV_STATUS_SUCCESS;
}

/*
 * The CPU model's view of memory; called with pt->gpa_lock read-held.
 * -EFAULT: nothing mapped (or not RAM); -EACCES: mapped without the
 * permission the access needs (a GPA intercept).
 */
static int __hvsim_hot hvsim_gpa_access(struct hvsim_partition *pt, u64 gpa, void *buf,
					unsigned int len, bool write)
{
	unsigned int off = offset_in_page(gpa);
	u64 gfn = gpa >> HV_HYP_PAGE_SHIFT;
	struct page *page;
	u64 entry, pfn;
	void *va;

	lockdep_assert_held(&pt->gpa_lock);
	if (off + len > HV_HYP_PAGE_SIZE || gfn > HVSIM_GPA_MAX_FN)
		return -EFAULT;
	/* A VP's SynIC page overlays whatever is mapped there. */
	page = xa_load(&pt->overlay, gfn);
	if (page) {
		va = page_address(page);
		if (write)
			memcpy(va + off, buf, len);
		else
			memcpy(buf, va + off, len);
		return 0;
	}
	entry = hvsim_gpt_lookup(&pt->gpa, gfn);
	if (!entry)
		return -EFAULT;
	if ((entry & HVSIM_GPA_NO_ACCESS) ||
	    !(entry & (write ? HV_MAP_GPA_WRITABLE : HV_MAP_GPA_READABLE)))
		return -EACCES;
	/* Not RAM (e.g. a device BAR): the VMM gets to emulate it. */
	pfn = entry >> HVSIM_GPA_PFN_SHIFT;
	if (!pfn_valid(pfn))
		return -EFAULT;

	va = kmap_local_page(pfn_to_page(pfn));
	if (write)
		memcpy(va + off, buf, len);
	else
		memcpy(buf, va + off, len);
	kunmap_local(va);
	return 0;
}

static int hvsim_gpa_read(void *ctx, u64 gpa, void *buf, unsigned int len)
{
	return hvsim_gpa_access(ctx, gpa, buf, len, false);
}

static int hvsim_gpa_write(void *ctx, u64 gpa, const void *buf,
			   unsigned int len)
{
	return hvsim_gpa_access(ctx, gpa, (void *)buf, len, true);
}

const struct hvsim_mem_ops hvsim_gpa_mem_ops = {
	.read = hvsim_gpa_read,
	.write = hvsim_gpa_write,
};

/*
 * A read of guest RAM through the VP's read hint: the page it read last,
 * looked up again only when it is another one or the GPA map changed.
 * Instruction fetches and page walks mostly read one page after another
 * (every exit of the SVM engine fetches the instruction: the lookup of
 * its page touched the GPA table's xarray, chunk and leaf, the memory
 * section and the struct page).  Not with access tracking (every access
 * is noted), not for an overlay or what is not readable RAM.
 * Return: true if @buf was read.
 */
static bool __hvsim_hot hvsim_vp_hint_read(struct hvsim_vp *vp, u64 gpa, void *buf,
					   unsigned int len)
{
	struct hvsim_gpa_hint *h = &vp->read_hint;
	struct hvsim_partition *pt = vp->pt;
	long gen = atomic_long_read(&pt->gpa_gen);
	unsigned int off = offset_in_page(gpa);
	u64 gfn = gpa >> HV_HYP_PAGE_SHIFT;
	u64 entry, pfn;

	lockdep_assert_held(&pt->gpa_lock);
	/* The address is kept: no highmem, and no kunmap. */
	BUILD_BUG_ON(IS_ENABLED(CONFIG_HIGHMEM));
	if (READ_ONCE(pt->access_tracking) || off + len > HV_HYP_PAGE_SIZE ||
	    gfn > HVSIM_GPA_MAX_FN)
		return false;
	if (!h->va || h->gen != gen || h->gfn != gfn) {
		if (xa_load(&pt->overlay, gfn))
			return false;
		entry = hvsim_gpt_lookup(&pt->gpa, gfn);
		pfn = entry >> HVSIM_GPA_PFN_SHIFT;
		if (!entry || (entry & HVSIM_GPA_NO_ACCESS) ||
		    !(entry & HV_MAP_GPA_READABLE) || !pfn_valid(pfn))
			return false;
		h->va = page_address(pfn_to_page(pfn));
		h->gen = gen;
		h->gfn = gfn;
		h->entry = entry;
	}
	memcpy(buf, h->va + off, len);
	return true;
}

/* The same accessors with a VP as context, plus the CPUID/MSR callbacks. */
static int __hvsim_hot hvsim_vp_read(void *ctx, u64 gpa, void *buf, unsigned int len)
{
	struct hvsim_vp *vp = ctx;

	if (!hvsim_lapic_mmio(vp, gpa, buf, len, false))
		return 0;
	if (hvsim_vp_hint_read(vp, gpa, buf, len))
		return 0;
	return hvsim_access_note(vp->pt, gpa, false,
				 hvsim_gpa_access(vp->pt, gpa, buf, len, false));
}

static int hvsim_vp_write(void *ctx, u64 gpa, const void *buf,
			  unsigned int len)
{
	struct hvsim_vp *vp = ctx;
	int ret;

	if (!hvsim_lapic_mmio(vp, gpa, (void *)buf, len, true))
		return 0;
	ret = hvsim_access_note(vp->pt, gpa, true,
				hvsim_gpa_access(vp->pt, gpa, (void *)buf, len,
						 true));
	/* Unmapped: a doorbell (port.c) swallows a write it matches. */
	if (ret == -EFAULT && hvsim_doorbell_write(vp->pt, gpa, buf, len))
		return 0;
	return ret;
}

/* Instruction fetch: -EACCES from a page mapped without execute. */
static int __hvsim_hot hvsim_vp_fetch(void *ctx, u64 gpa)
{
	struct hvsim_vp *vp = ctx;
	const struct hvsim_gpa_hint *h = &vp->read_hint;
	u64 gfn = gpa >> HV_HYP_PAGE_SHIFT;
	u64 e;

	/* The read of the bytes just looked the page up. */
	if (h->va && h->gfn == gfn &&
	    h->gen == atomic_long_read(&vp->pt->gpa_gen))
		return (h->entry & HV_MAP_GPA_EXECUTABLE) ? 0 : -EACCES;
	if (gfn > HVSIM_GPA_MAX_FN || xa_load(&vp->pt->overlay, gfn))
		return 0;
	e = hvsim_gpt_lookup(&vp->pt->gpa, gfn);
	/* Unmapped: the read that follows reports it. */
	if (!e || (e & HV_MAP_GPA_EXECUTABLE))
		return 0;
	return -EACCES;
}

static u64 hvsim_vp_rdtsc(void *ctx)
{
	return rdtsc();
}

static u64 hvsim_vp_xcr0_mask(void *ctx)
{
	struct hvsim_vp *vp = ctx;

	return hvsim_engine_xcr0_mask(vp->pt);
}

/*
 * For hvsim_cpu_run() with the VP (locked, GPA lock read-held) as
 * context: guest memory with execute permission and the xAPIC page,
 * CPUID and MSRs as the partition configured them (intercept.c),
 * exceptions the VMM intercepts, the host TSC, the local APIC as the
 * interrupt controller (lapic.c) and the XSAVE components of the
 * partition's engine.
 */
const struct hvsim_mem_ops hvsim_vp_mem_ops = {
	.read = hvsim_vp_read,
	.write = hvsim_vp_write,
	.fetch = hvsim_vp_fetch,
	.cpuid = hvsim_icpt_cpuid_cb,
	.rdmsr = hvsim_icpt_rdmsr_cb,
	.wrmsr = hvsim_icpt_wrmsr_cb,
	.rdtsc = hvsim_vp_rdtsc,
	.exception = hvsim_icpt_exception_cb,
	.irq_pending = hvsim_lapic_irq_pending,
	.irq_ack = hvsim_lapic_irq_ack,
	.xcr0_mask = hvsim_vp_xcr0_mask,
};

/*
 * What the GPA map says about the final page of a translation.  A GPA
 * nothing is mapped at (MMIO: an emulated device, a PCI BAR) translates
 * successfully: the VMM that asks is about to emulate the access there.
 * The GPA access failure codes are for mapped pages whose access rights
 * refuse what the VALIDATE flags ask.
 */
static u32 hvsim_translate_gpa(struct hvsim_partition *pt, u64 gfn,
			       u64 flags, u32 *cache_type_overlay)
{
	u64 entry;

	*cache_type_overlay = HV_CACHE_TYPE_WRITE_BACK;
	if (xa_load(&pt->overlay, gfn)) {
		*cache_type_overlay |= HV_TRANSLATE_GVA_OVERLAY_PAGE;
		return HV_TRANSLATE_GVA_SUCCESS;
	}
	entry = gfn > HVSIM_GPA_MAX_FN ? 0 : hvsim_gpt_lookup(&pt->gpa, gfn);
	if (!entry)
		return HV_TRANSLATE_GVA_SUCCESS;
	if ((flags & HV_TRANSLATE_GVA_VALIDATE_READ) &&
	    ((entry & HVSIM_GPA_NO_ACCESS) || !(entry & HV_MAP_GPA_READABLE)))
		return HV_TRANSLATE_GVA_GPA_NO_READ_ACCESS;
	if ((flags & HV_TRANSLATE_GVA_VALIDATE_WRITE) &&
	    ((entry & HVSIM_GPA_NO_ACCESS) || !(entry & HV_MAP_GPA_WRITABLE)))
		return HV_TRANSLATE_GVA_GPA_NO_WRITE_ACCESS;
	return HV_TRANSLATE_GVA_SUCCESS;
}

#define HVSIM_TRANSLATE_FLAGS	(GENMASK_ULL(10, 0) | \
				 HV_TRANSLATE_GVA_INPUT_VTL_MASK)

/* HV_TRANSLATE_GVA_* control flags to hvsim_cpu_translate() flags. */
static unsigned int hvsim_translate_access(u64 flags)
{
	unsigned int acc = 0;

	if (flags & HV_TRANSLATE_GVA_VALIDATE_WRITE)
		acc |= HVSIM_XLATE_WRITE;
	if (flags & HV_TRANSLATE_GVA_VALIDATE_EXECUTE)
		acc |= HVSIM_XLATE_EXEC;
	if (flags & HV_TRANSLATE_GVA_USER_ACCESS)
		acc |= HVSIM_XLATE_USER;
	else if (flags & HV_TRANSLATE_GVA_SUPERVISOR_ACCESS)
		acc |= HVSIM_XLATE_SUPERVISOR;
	if (flags & HV_TRANSLATE_GVA_PRIVILEGE_EXEMPT)
		acc |= HVSIM_XLATE_PRIV_EXEMPT;
	if (flags & HV_TRANSLATE_GVA_SET_PAGE_TABLE_BITS)
		acc |= HVSIM_XLATE_SET_AD;
	return acc;
}

static const u32 hvsim_xlate_results[] = {
	[HVSIM_XLATE_OK] = HV_TRANSLATE_GVA_SUCCESS,
	[HVSIM_XLATE_NOT_PRESENT] = HV_TRANSLATE_GVA_PAGE_NOT_PRESENT,
	[HVSIM_XLATE_PRIVILEGE] = HV_TRANSLATE_GVA_PRIVILEGE_VIOLATION,
	[HVSIM_XLATE_RESERVED] = HV_TRANSLATE_GVA_INVALID_PAGE_TABLE_FLAGS,
	[HVSIM_XLATE_WALK_UNMAPPED] = HV_TRANSLATE_GVA_GPA_UNMAPPED,
	[HVSIM_XLATE_WALK_NO_READ] = HV_TRANSLATE_GVA_GPA_NO_READ_ACCESS,
	[HVSIM_XLATE_WALK_NO_WRITE] = HV_TRANSLATE_GVA_GPA_NO_WRITE_ACCESS,
};

/*
 * HVCALL_TRANSLATE_VIRTUAL_ADDRESS.  The guest page tables are walked as
 * the VP's current paging mode has it (the identity with paging off);
 * PAGE_NOT_PRESENT, PRIVILEGE_VIOLATION and INVALID_PAGE_TABLE_FLAGS are
 * what the walk found (the access checked is the one the VALIDATE, USER,
 * SUPERVISOR and PRIVILEGE_EXEMPT flags ask for).  The GPA_* failures
 * concern the page-table pages the walk reads (and, with
 * SET_PAGE_TABLE_BITS, writes); for the final page see
 * hvsim_translate_gpa().  TLB_FLUSH_INHIBIT needs nothing (there is no
 * TLB); SMAP and shadow-stack checks are not modelled.
 */
u16 hvsim_hc_translate_virtual_address(struct hvsim_hc *hc)
{
	const struct hv_input_translate_virtual_address *in = hc->in;
	struct hv_output_translate_virtual_address *out = hc->out;
	u64 flags = in->control_flags;
	u32 result, cache_type_overlay;
	struct hvsim_vp *vp;
	u16 status;
	u64 gpa;
	int rc;

	if (in->padding || (flags & ~HVSIM_TRANSLATE_FLAGS) ||
	    (flags & HV_TRANSLATE_GVA_INPUT_VTL_MASK))
		return HV_STATUS_INVALID_PARAMETER;
	if (in->gva_page >= BIT_ULL(64 - HV_HYP_PAGE_SHIFT))
		return HV_STATUS_INVALID_PARAMETER;
	status = hvsim_vp_get_locked(in->partition_id, in->vp_index, &vp);
	if (status)
		return status;
	memset(out, 0, sizeof(*out));
	down_read(&vp->pt->gpa_lock);
	rc = hvsim_cpu_translate(&vp->cpu, &hvsim_vp_mem_ops, vp,
				 in->gva_page << HV_HYP_PAGE_SHIFT,
				 hvsim_translate_access(flags), &gpa);
	if (rc == HVSIM_XLATE_OK)
		result = hvsim_translate_gpa(vp->pt, gpa >> HV_HYP_PAGE_SHIFT,
					     flags, &cache_type_overlay);
	else
		result = hvsim_xlate_results[rc];
	up_read(&vp->pt->gpa_lock);
	out->result_code = result;
	if (result == HV_TRANSLATE_GVA_SUCCESS) {
		out->gpa_page = gpa >> HV_HYP_PAGE_SHIFT;
		out->cache_type_overlay = cache_type_overlay;
	}
	hvsim_vp_unlock_put(vp);
	return HV_STATUS_SUCCESS;
}
