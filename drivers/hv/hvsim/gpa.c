// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim guest physical address space: the GFN -> PFN map of a partition
 * (MAP_GPA_PAGES / UNMAP_GPA_PAGES) and the accessors the CPU model uses
 * to read and write guest memory.
 *
 * Each mapped gfn is an xarray value entry holding the pfn and the access
 * flags.  Like a real second-level page table, each 2 MiB-aligned range
 * of GPA space with anything mapped in it costs one page of the
 * partition's deposit pool.
 *
 * HV_MAP_GPA_LARGE_PAGE maps 512 gfns per rep from one 2 MiB-aligned pfn
 * (a misaligned gfn base or pfn fails the call with INVALID_PARAMETER);
 * it is stored as 512 small entries, so a large mapping may later be
 * unmapped either way.  HV_MAP_GPA_NOT_CACHED is recorded and changes
 * nothing: there is no cache to model.  A pfn without a struct page (a
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

/* Entry layout: pfn << HVSIM_GPA_PFN_SHIFT | permission bits | these. */
#define HVSIM_GPA_NO_ACCESS	BIT(4)
#define HVSIM_GPA_NOT_CACHED	BIT(5)
#define HVSIM_GPA_PFN_SHIFT	6

#define HVSIM_MAP_FLAGS		(HV_MAP_GPA_PERMISSIONS_MASK |	\
				 HV_MAP_GPA_ADJUSTABLE |		\
				 HV_MAP_GPA_NO_ACCESS |		\
				 HV_MAP_GPA_NOT_CACHED |		\
				 HV_MAP_GPA_LARGE_PAGE)

/**
 * struct hvsim_ptp - the "page-table page" of one 2 MiB range of GPA space
 * @page: the pool page it is charged
 * @nr_mapped: gfns mapped in the range; the page is returned at zero
 */
struct hvsim_ptp {
	struct page *page;
	unsigned int nr_mapped;
};

/**
 * hvsim_gpa_init() - set up an empty GPA map
 * @pt: the partition
 */
void hvsim_gpa_init(struct hvsim_partition *pt)
{
	xa_init(&pt->gpa);
	xa_init(&pt->ptp);
	xa_init(&pt->overlay);
	pt->nr_mapped = 0;
}

static void hvsim_ptp_release(struct hvsim_partition *pt, unsigned long idx,
			      struct hvsim_ptp *ptp)
{
	xa_erase(&pt->ptp, idx);
	hvsim_pool_put(&pt->pool, ptp->page);
	kfree(ptp);
}

static struct hvsim_ptp *hvsim_ptp_get(struct hvsim_partition *pt,
				       unsigned long idx)
{
	struct hvsim_ptp *ptp = xa_load(&pt->ptp, idx);

	if (ptp)
		return ptp;
	ptp = kzalloc(sizeof(*ptp), GFP_KERNEL);
	if (!ptp)
		return NULL;
	ptp->page = hvsim_pool_get(&pt->pool);
	if (!ptp->page)
		goto err_free;
	if (xa_err(xa_store(&pt->ptp, idx, ptp, GFP_KERNEL)))
		goto err_put;
	return ptp;

err_put:
	hvsim_pool_put(&pt->pool, ptp->page);
err_free:
	kfree(ptp);
	return NULL;
}

/* A partition must never see hvsim's own pages. */
static bool hvsim_map_pfn_ok(u64 pfn, unsigned int count)
{
	return IS_ALIGNED(pfn, count) && pfn <= HVSIM_GPA_MAX_FN + 1 - count &&
	       !hvsim_pfns_owned(pfn, count);
}

/*
 * Map @count gfns from @gfn, all in one 2 MiB range, to @pfns[0..] (each
 * read once and checked) or, with @pfns NULL, to @pfn and the frames
 * after it (checked by the caller).  The entries are stored in one walk
 * under the xarray lock (a 2 MiB page is 512 of them), dropping it only
 * to allocate nodes.  *@done receives the number of gfns mapped.
 */
static u16 hvsim_gpa_map_range(struct hvsim_partition *pt, u64 gfn, u64 pfn,
			       const u64 *pfns, unsigned int count,
			       unsigned long flags, unsigned int *done)
{
	unsigned long idx = gfn / HV_HYP_PAGES_PER_LARGE_PAGE;
	XA_STATE(xas, &pt->gpa, gfn);
	unsigned int i = 0, added = 0;
	struct hvsim_ptp *ptp;
	bool bad = false;
	void *old;
	u64 f;

	*done = 0;
	ptp = hvsim_ptp_get(pt, idx);
	if (!ptp)
		return HV_STATUS_INSUFFICIENT_MEMORY;
	do {
		xas_lock(&xas);
		for (; i < count; i++) {
			f = pfns ? READ_ONCE(pfns[i]) : pfn + i;
			if (pfns && !hvsim_map_pfn_ok(f, 1)) {
				bad = true;
				break;
			}
			old = xas_store(&xas, xa_mk_value(f << HVSIM_GPA_PFN_SHIFT |
							  flags));
			if (xas_error(&xas))
				break;
			if (!old)
				added++;
			xas_next(&xas);
		}
		xas_unlock(&xas);
	} while (xas_nomem(&xas, GFP_KERNEL));

	ptp->nr_mapped += added;
	pt->nr_mapped += added;
	atomic_long_add(added, &hvsim_stats.mapped_pages);
	if (!ptp->nr_mapped)
		hvsim_ptp_release(pt, idx, ptp);
	*done = i;
	if (bad)
		return HV_STATUS_INVALID_PARAMETER;
	return xas_error(&xas) ? HV_STATUS_INSUFFICIENT_MEMORY :
				 HV_STATUS_SUCCESS;
}

static void hvsim_gpa_unmap_range(struct hvsim_partition *pt, u64 gfn,
				  unsigned int count)
{
	unsigned long idx = gfn / HV_HYP_PAGES_PER_LARGE_PAGE;
	struct hvsim_ptp *ptp = xa_load(&pt->ptp, idx);
	XA_STATE(xas, &pt->gpa, gfn);
	unsigned int removed = 0;
	void *old;

	if (!ptp)
		return;
	/* Storing NULL frees nodes but never allocates: no retry. */
	xas_lock(&xas);
	xas_for_each(&xas, old, gfn + count - 1) {
		xas_store(&xas, NULL);
		removed++;
	}
	xas_unlock(&xas);

	ptp->nr_mapped -= removed;
	pt->nr_mapped -= removed;
	atomic_long_sub(removed, &hvsim_stats.mapped_pages);
	if (!ptp->nr_mapped)
		hvsim_ptp_release(pt, idx, ptp);
}

/**
 * hvsim_gpa_clear() - unmap everything (finalize, module exit)
 * @pt: the partition, locked
 */
void hvsim_gpa_clear(struct hvsim_partition *pt)
{
	struct hvsim_ptp *ptp;
	unsigned long idx;

	down_write(&pt->gpa_lock);
	xa_destroy(&pt->gpa);
	atomic_long_sub(pt->nr_mapped, &hvsim_stats.mapped_pages);
	pt->nr_mapped = 0;
	xa_for_each(&pt->ptp, idx, ptp)
		hvsim_ptp_release(pt, idx, ptp);
	xa_destroy(&pt->ptp);
	/* The VPs (and their SynIC overlays) are gone already. */
	xa_destroy(&pt->overlay);
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
			if (!hvsim_map_pfn_ok(pfn, count)) {
				status = HV_STATUS_INVALID_PARAMETER;
				break;
			}
			status = hvsim_gpa_map_range(pt, gfn, pfn, NULL, count,
						     flags, &done);
			if (status)
				break;
			hc->reps_done++;
			continue;
		}
		/* 4 KiB reps: as many as there are to the next 2 MiB. */
		n = min_t(u64, hc->rep_count - hc->reps_done,
			  HV_HYP_PAGES_PER_LARGE_PAGE -
			  gfn % HV_HYP_PAGES_PER_LARGE_PAGE);
		status = hvsim_gpa_map_range(pt, gfn, 0, pfns + hc->reps_done,
					     n, flags, &done);
		hc->reps_done += done;
		if (status)
			break;
	}
	up_write(&pt->gpa_lock);
	hvsim_pt_unlock_put(pt);
	return status;
}

/*
 * HVCALL_UNMAP_GPA_PAGES: rep i unmaps gfn base + i (512 gfns with
 * HV_UNMAP_GPA_LARGE_PAGE).  Unmapping what is not mapped is not an error,
 * and after finalize there is nothing left to unmap.
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
				     HVSIM_PT_IS(INITIALIZED) |
				     HVSIM_PT_IS(FINALIZED), &pt);
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
		hvsim_gpa_unmap_range(pt, gfn, n * count);
		hc->reps_done += n;
	}
	up_write(&pt->gpa_lock);
	hvsim_pt_unlock_put(pt);
	return HV_STATUS_SUCCESS;
}

/*
 * The CPU model's view of memory; called with pt->gpa_lock read-held.
 * -EFAULT: nothing mapped (or not RAM); -EACCES: mapped without the
 * permission the access needs (a GPA intercept).
 */
static int hvsim_gpa_access(struct hvsim_partition *pt, u64 gpa, void *buf,
			    unsigned int len, bool write)
{
	unsigned int off = offset_in_page(gpa);
	u64 gfn = gpa >> HV_HYP_PAGE_SHIFT;
	unsigned long entry, pfn;
	void *xa_entry, *va;
	struct page *page;

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
	xa_entry = xa_load(&pt->gpa, gfn);
	if (!xa_entry)
		return -EFAULT;
	entry = xa_to_value(xa_entry);
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

/* The same accessors with a VP as context, plus the CPUID/MSR callbacks. */
static int hvsim_vp_read(void *ctx, u64 gpa, void *buf, unsigned int len)
{
	struct hvsim_vp *vp = ctx;

	if (!hvsim_lapic_mmio(vp, gpa, buf, len, false))
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
static int hvsim_vp_fetch(void *ctx, u64 gpa)
{
	struct hvsim_vp *vp = ctx;
	u64 gfn = gpa >> HV_HYP_PAGE_SHIFT;
	void *e;

	if (gfn > HVSIM_GPA_MAX_FN || xa_load(&vp->pt->overlay, gfn))
		return 0;
	e = xa_load(&vp->pt->gpa, gfn);
	/* Unmapped: the read that follows reports it. */
	if (!e || (xa_to_value(e) & HV_MAP_GPA_EXECUTABLE))
		return 0;
	return -EACCES;
}

static u64 hvsim_vp_rdtsc(void *ctx)
{
	return rdtsc();
}

/*
 * For hvsim_cpu_run() with the VP (locked, GPA lock read-held) as
 * context: guest memory with execute permission and the xAPIC page,
 * CPUID and MSRs as the partition configured them (intercept.c),
 * exceptions the VMM intercepts, the host TSC and the local APIC as the
 * interrupt controller (lapic.c).
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
};

/* What the GPA map says about @gfn for a translation result. */
static u32 hvsim_translate_gpa(struct hvsim_partition *pt, u64 gfn,
			       u64 flags)
{
	unsigned long entry;
	void *e;

	if (xa_load(&pt->overlay, gfn))
		return HV_TRANSLATE_GVA_SUCCESS;
	e = xa_load(&pt->gpa, gfn);
	if (!e)
		return HV_TRANSLATE_GVA_GPA_UNMAPPED;
	entry = xa_to_value(e);
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
 * the VP's current paging mode has it (the identity with paging off),
 * then the GPA map is consulted for the resulting page (its read/write
 * permissions only when a VALIDATE flag asks).  TLB_FLUSH_INHIBIT needs
 * nothing (there is no TLB); SMAP and shadow-stack checks are not
 * modelled.
 */
u16 hvsim_hc_translate_virtual_address(struct hvsim_hc *hc)
{
	const struct hv_input_translate_virtual_address *in = hc->in;
	struct hv_output_translate_virtual_address *out = hc->out;
	u64 flags = in->control_flags;
	struct hvsim_vp *vp;
	u32 result;
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
	if (rc == HVSIM_XLATE_OK && (gpa >> HV_HYP_PAGE_SHIFT) >
	    HVSIM_GPA_MAX_FN)
		result = HV_TRANSLATE_GVA_GPA_UNMAPPED;
	else if (rc == HVSIM_XLATE_OK)
		result = hvsim_translate_gpa(vp->pt, gpa >> HV_HYP_PAGE_SHIFT,
					     flags);
	else
		result = hvsim_xlate_results[rc];
	up_read(&vp->pt->gpa_lock);
	out->result_code = result;
	if (result == HV_TRANSLATE_GVA_SUCCESS) {
		out->gpa_page = gpa >> HV_HYP_PAGE_SHIFT;
		out->cache_type_overlay = HV_CACHE_TYPE_WRITE_BACK;
	}
	hvsim_vp_unlock_put(vp);
	return HV_STATUS_SUCCESS;
}
