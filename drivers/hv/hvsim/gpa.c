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
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "hvsim.h"

/* Entry layout: pfn << HVSIM_GPA_PFN_SHIFT | permission bits | these. */
#define HVSIM_GPA_NO_ACCESS	BIT(4)
#define HVSIM_GPA_NOT_CACHED	BIT(5)
#define HVSIM_GPA_PFN_SHIFT	6

/* GPAs and SPAs are at most 52 bits wide. */
#define HVSIM_GPA_MAX_FN	(BIT_ULL(52 - HV_HYP_PAGE_SHIFT) - 1)

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

/* Map @count gfns from @gfn to @pfn..; all in one 2 MiB range. */
static u16 hvsim_gpa_map_range(struct hvsim_partition *pt, u64 gfn, u64 pfn,
			       unsigned int count, unsigned long flags)
{
	unsigned long idx = gfn / HV_HYP_PAGES_PER_LARGE_PAGE;
	struct hvsim_ptp *ptp;
	u16 status = HV_STATUS_SUCCESS;
	unsigned int i;
	void *old;

	ptp = hvsim_ptp_get(pt, idx);
	if (!ptp)
		return HV_STATUS_INSUFFICIENT_MEMORY;
	for (i = 0; i < count; i++) {
		old = xa_store(&pt->gpa, gfn + i,
			       xa_mk_value((pfn + i) << HVSIM_GPA_PFN_SHIFT |
					   flags), GFP_KERNEL);
		if (xa_is_err(old)) {
			status = HV_STATUS_INSUFFICIENT_MEMORY;
			break;
		}
		if (!old) {
			ptp->nr_mapped++;
			pt->nr_mapped++;
			atomic_long_inc(&hvsim_stats.mapped_pages);
		}
	}
	if (!ptp->nr_mapped)
		hvsim_ptp_release(pt, idx, ptp);
	return status;
}

static void hvsim_gpa_unmap_range(struct hvsim_partition *pt, u64 gfn,
				  unsigned int count)
{
	unsigned long idx = gfn / HV_HYP_PAGES_PER_LARGE_PAGE;
	struct hvsim_ptp *ptp = xa_load(&pt->ptp, idx);
	unsigned int i;

	if (!ptp)
		return;
	for (i = 0; i < count; i++) {
		if (!xa_erase(&pt->gpa, gfn + i))
			continue;
		ptp->nr_mapped--;
		pt->nr_mapped--;
		atomic_long_dec(&hvsim_stats.mapped_pages);
	}
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
	up_write(&pt->gpa_lock);
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
	unsigned int count = 1;
	struct hvsim_partition *pt;
	unsigned long flags;
	u64 gfn, pfn;
	u16 status;

	if ((in->map_flags & ~HVSIM_MAP_FLAGS) || in->padding)
		return HV_STATUS_INVALID_PARAMETER;
	if (in->map_flags & HV_MAP_GPA_LARGE_PAGE) {
		count = HV_HYP_PAGES_PER_LARGE_PAGE;
		if (!IS_ALIGNED(in->target_gpa_base, count))
			return HV_STATUS_INVALID_PARAMETER;
	}
	if (in->target_gpa_base > HVSIM_GPA_MAX_FN ||
	    HVSIM_GPA_MAX_FN - in->target_gpa_base <
	    (u64)hc->rep_count * count - 1)
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
	for (; hc->reps_done < hc->rep_count; hc->reps_done++) {
		pfn = READ_ONCE(pfns[hc->reps_done]);
		gfn = in->target_gpa_base + (u64)hc->reps_done * count;
		/* A partition must never see hvsim's own pages. */
		if (!IS_ALIGNED(pfn, count) ||
		    pfn > HVSIM_GPA_MAX_FN + 1 - count ||
		    hvsim_pfns_owned(pfn, count)) {
			status = HV_STATUS_INVALID_PARAMETER;
			break;
		}
		status = hvsim_gpa_map_range(pt, gfn, pfn, count, flags);
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
	unsigned int count = 1;
	u16 status;
	u64 gfn;

	if ((in->unmap_flags & ~HV_UNMAP_GPA_LARGE_PAGE) || in->padding)
		return HV_STATUS_INVALID_PARAMETER;
	if (in->unmap_flags & HV_UNMAP_GPA_LARGE_PAGE) {
		count = HV_HYP_PAGES_PER_LARGE_PAGE;
		if (!IS_ALIGNED(in->target_gpa_base, count))
			return HV_STATUS_INVALID_PARAMETER;
	}
	if (in->target_gpa_base > HVSIM_GPA_MAX_FN ||
	    HVSIM_GPA_MAX_FN - in->target_gpa_base <
	    (u64)hc->rep_count * count - 1)
		return HV_STATUS_INVALID_PARAMETER;

	status = hvsim_pt_get_locked(in->target_partition_id,
				     HVSIM_PT_IS(INITIALIZED) |
				     HVSIM_PT_IS(FINALIZED), &pt);
	if (status)
		return status;
	down_write(&pt->gpa_lock);
	for (; hc->reps_done < hc->rep_count; hc->reps_done++) {
		gfn = in->target_gpa_base + (u64)hc->reps_done * count;
		hvsim_gpa_unmap_range(pt, gfn, count);
	}
	up_write(&pt->gpa_lock);
	hvsim_pt_unlock_put(pt);
	return HV_STATUS_SUCCESS;
}

/* The CPU model's view of memory; called with pt->gpa_lock read-held. */
static int hvsim_gpa_access(struct hvsim_partition *pt, u64 gpa, void *buf,
			    unsigned int len, bool write)
{
	unsigned int off = offset_in_page(gpa);
	u64 gfn = gpa >> HV_HYP_PAGE_SHIFT;
	unsigned long entry, pfn;
	void *xa_entry, *va;

	if (off + len > HV_HYP_PAGE_SIZE || gfn > HVSIM_GPA_MAX_FN)
		return -EFAULT;
	xa_entry = xa_load(&pt->gpa, gfn);
	if (!xa_entry)
		return -EFAULT;
	entry = xa_to_value(xa_entry);
	if ((entry & HVSIM_GPA_NO_ACCESS) ||
	    !(entry & (write ? HV_MAP_GPA_WRITABLE : HV_MAP_GPA_READABLE)))
		return -EFAULT;
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
