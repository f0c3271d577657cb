// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: guest memory regions backed by device memory.
 *
 * When the user range of MSHV_SET_GUEST_MEMORY lies in a VM_IO |
 * VM_PFNMAP mapping (a PCI BAR mmap()ed through sysfs or VFIO, say), there
 * are no struct pages to pin: the region maps the host frames behind the
 * mapping, which must be consecutive, uncached.  Frames that the kernel
 * or the firmware owns are refused: system RAM (a PFN mapping of RAM
 * belongs to some driver that may free it) and what the firmware reserved
 * (e820/EFI reserved ranges, ACPI tables and NVS), which includes the BIOS
 * area and page 0 that /dev/mem lets one map.
 *
 * The frames are mapped whole when the region is created, and only as
 * long as the user mapping stays: an MMU interval notifier watches the
 * region's user range, and the first invalidation of any part of it
 * (munmap(), mremap(), mprotect(), the driver zapping its mapping...;
 * not the clearing of soft-dirty bits, which skips such mappings) unmaps
 * the whole region from the guest for good.  The region then stays
 * in place, revoked: a guest access to it is an HVMSG_UNMAPPED_GPA for
 * the VMM, which may remove the region and add it again to restore it.
 *
 * Locking follows mshv_region_movable.c: @mutex orders the hypervisor map
 * updates against the invalidations, with the usual
 * mmu_interval_read_begin() / resolve / lock / mmu_interval_read_retry()
 * / map / unlock.  Since the notifier takes @mutex, nothing under it
 * allocates: the hypercalls use the region's own page pair and never
 * deposit; an INSUFFICIENT_MEMORY answer drops the lock, deposits and
 * starts over.
 */

#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "mshv_root.h"

/**
 * struct mshv_mmio - the lifetime state of a MSHV_REGION_MMIO region
 * @mni: watches the region's user range
 * @mutex: orders map updates against invalidations (see the top)
 * @mr: the region
 * @pt_id: its partition
 * @hp: page pair for the hypercalls made under @mutex
 * @lo: first mapped frame (an offset in @mr), under @mutex
 * @hi: end of the mapped frames, under @mutex: frames [@lo, @hi) are
 *	mapped in the hypervisor, in the chunks mshv_region_run() gives
 * @pfns: one host frame per rep of a map hypercall, under @mutex
 */
struct mshv_mmio {
	struct mmu_interval_notifier mni;
	struct mutex mutex;	/* see above */
	struct mshv_mem_region *mr;
	u64 pt_id;
	struct mshv_hvpages hp;
	u64 lo;
	u64 hi;
	u64 *pfns;
};

/**
 * mshv_region_is_mmio() - does a user range lie in a device mapping?
 * @uaddr: start of the range, page aligned
 * @size: its size, page aligned, nonzero
 *
 * Return: 1 if the range starts in a VM_IO | VM_PFNMAP mapping that also
 * holds the rest of it, 0 if it starts elsewhere (pinning decides about
 * the rest), -EINVAL if it starts in such a mapping but leaves it or the
 * mapping is VM_IO without VM_PFNMAP.
 */
int mshv_region_is_mmio(u64 uaddr, u64 size)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	int ret = 0;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, uaddr);
	if (vma && (vma->vm_flags & (VM_IO | VM_PFNMAP))) {
		ret = 1;
		if (!(vma->vm_flags & VM_PFNMAP) ||
		    size > vma->vm_end - uaddr)
			ret = -EINVAL;
	}
	mmap_read_unlock(mm);
	return ret;
}

/* The host frame behind @addr, faulting it in once if need be. */
static int mshv_mmio_pfn(struct vm_area_struct *vma, unsigned long addr,
			 bool write, u64 *pfn)
{
	struct follow_pfnmap_args args = { .vma = vma, .address = addr };
	int ret;

	ret = follow_pfnmap_start(&args);
	if (ret) {
		ret = fixup_user_fault(vma->vm_mm, addr,
				       write ? FAULT_FLAG_WRITE : 0, NULL);
		if (ret)
			return ret;
		ret = follow_pfnmap_start(&args);
		if (ret)
			return ret;
	}
	*pfn = args.pfn;
	if (write && !args.writable)
		ret = -EFAULT;
	follow_pfnmap_end(&args);
	return ret;
}

/* Memory the firmware keeps for itself (or for the kernel). */
static const unsigned long mshv_mmio_firmware_descs[] = {
	IORES_DESC_RESERVED,
	IORES_DESC_SOFT_RESERVED,
	IORES_DESC_ACPI_TABLES,
	IORES_DESC_ACPI_NV_STORAGE,
};

/**
 * mshv_mmio_frames_ok() - may a guest map these host frames?
 * @pfn: first frame
 * @count: number of frames
 *
 * Return: true unless some frame is system RAM or lies in a range the
 * firmware reserved (see mshv_mmio_firmware_descs).
 */
static bool mshv_mmio_frames_ok(u64 pfn, u64 count)
{
	resource_size_t start = PFN_PHYS(pfn);
	size_t size = count << PAGE_SHIFT;
	unsigned int i;

	if (region_intersects(start, size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT)
		return false;
	for (i = 0; i < ARRAY_SIZE(mshv_mmio_firmware_descs); i++)
		if (region_intersects(start, size, IORESOURCE_MEM,
				      mshv_mmio_firmware_descs[i]) !=
		    REGION_DISJOINT)
			return false;
	return true;
}

/**
 * mshv_mmio_resolve() - find the host frames of an MMIO region
 * @mr: the region
 * @first: receives the host frame of its first guest frame
 *
 * Nothing is pinned: the frames stay valid until the next invalidation
 * of the region's user range.
 *
 * Return: 0; -EINVAL if the mapping changed under us, its frames are not
 * consecutive or any of them is RAM or firmware memory; -EFAULT if a
 * frame cannot be found (or is read-only while the region is writable).
 */
static int mshv_mmio_resolve(const struct mshv_mem_region *mr, u64 *first)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	u64 i, pfn;
	int ret = 0;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, mr->uaddr);
	if (!vma || !(vma->vm_flags & VM_PFNMAP) ||
	    mr->nr_pages > (vma->vm_end - mr->uaddr) >> PAGE_SHIFT) {
		ret = -EINVAL;
		goto out;
	}
	for (i = 0; i < mr->nr_pages; i++) {
		ret = mshv_mmio_pfn(vma, mr->uaddr + i * PAGE_SIZE,
				    mr->writable, &pfn);
		if (ret)
			goto out;
		if (!i)
			*first = pfn;
		if (pfn != *first + i) {
			ret = -EINVAL;
			goto out;
		}
		cond_resched();
	}
	if (!mshv_mmio_frames_ok(*first, mr->nr_pages))
		ret = -EINVAL;
out:
	mmap_read_unlock(mm);
	return ret;
}

/*
 * Unmap frames [@mi->lo, @mi->hi), chunk by chunk as they were mapped;
 * @mi->lo follows the chunks unmapped, so a failure can be retried.
 * Under @mi->mutex.
 */
static int mshv_mmio_unmap_locked(struct mshv_mmio *mi)
{
	struct mshv_mem_region *mr = mi->mr;
	bool large;
	u64 n;
	int ret;

	lockdep_assert_held(&mi->mutex);

	while (mi->lo < mi->hi) {
		n = mshv_region_run(mr, mi->lo, mi->hi, &large);
		ret = mshv_hv_unmap_gpa_hp(&mi->hp, mi->pt_id,
					   mr->start_gfn + mi->lo, n,
					   large ? HV_UNMAP_GPA_LARGE_PAGE : 0);
		if (ret)
			return ret;
		mi->lo += n;
	}
	mi->lo = 0;
	mi->hi = 0;
	return 0;
}

/*
 * Map the frames from @mi->hi to the end of the region, advancing
 * @mi->hi.  Under @mi->mutex, with @mr->mmio_pfn current.
 * Return: 0, -ENOMEM when the hypervisor needs a deposit, or another
 * negative errno.
 */
static int mshv_mmio_map_locked(struct mshv_mmio *mi)
{
	struct mshv_mem_region *mr = mi->mr;
	u64 n, reps, k, stride, done;
	u32 flags;
	bool large;
	int ret;

	lockdep_assert_held(&mi->mutex);

	while (mi->hi < mr->nr_pages) {
		n = mshv_region_run(mr, mi->hi, mr->nr_pages, &large);
		stride = large ? HV_HYP_PAGES_PER_LARGE_PAGE : 1;
		reps = min_t(u64, n / stride, MSHV_MAP_GPA_BATCH);
		for (k = 0; k < reps; k++)
			mi->pfns[k] = mr->mmio_pfn + mi->hi + k * stride;
		flags = mr->hv_flags | (large ? HV_MAP_GPA_LARGE_PAGE : 0);
		ret = mshv_hv_map_gpa_list(&mi->hp, mi->pt_id,
					   mr->start_gfn + mi->hi, mi->pfns,
					   reps * stride, flags, &done);
		mi->hi += done;
		if (ret)
			return ret;
	}
	return 0;
}

static bool mshv_mmio_invalidate(struct mmu_interval_notifier *mni,
				 const struct mmu_notifier_range *range,
				 unsigned long cur_seq)
{
	struct mshv_mmio *mi = container_of(mni, struct mshv_mmio, mni);
	struct mshv_mem_region *mr = mi->mr;
	int ret = 0;

	/*
	 * Clearing soft-dirty bits (/proc/pid/clear_refs) notifies the
	 * whole address space but leaves VM_PFNMAP mappings alone.
	 */
	if (range->event == MMU_NOTIFY_SOFT_DIRTY)
		return true;
	/*
	 * Unmapping takes a hypercall, which may sleep: a caller that
	 * cannot wait (the OOM reaper, on whatever replaced the device
	 * mapping) may go ahead only if nothing is mapped any more.
	 */
	if (mmu_notifier_range_blockable(range)) {
		mutex_lock(&mi->mutex);
	} else if (!mutex_trylock(&mi->mutex)) {
		return false;
	} else if (mi->lo < mi->hi) {
		mutex_unlock(&mi->mutex);
		return false;
	}
	mmu_interval_set_seq(mni, cur_seq);
	ret = mshv_mmio_unmap_locked(mi);
	mutex_unlock(&mi->mutex);
	/*
	 * Nothing here can stop the mapping from going: if the hypervisor
	 * refuses to unmap, the guest may keep reaching the frames.
	 */
	if (ret)
		pr_err_ratelimited("mshv: partition %#llx: cannot revoke device gfns %#llx+%#llx: %d\n",
				   mi->pt_id, mr->start_gfn, mr->nr_pages, ret);
	return true;
}

static const struct mmu_interval_notifier_ops mshv_mmio_mni_ops = {
	.invalidate = mshv_mmio_invalidate,
};

/*
 * Resolve and map the whole region, over again whenever an invalidation
 * gets in between.  Return: 0 with all of it mapped, or a negative errno
 * (what is mapped then stays in [@mi->lo, @mi->hi), watched).
 */
static int mshv_mmio_map(struct mshv_mmio *mi)
{
	struct mshv_mem_region *mr = mi->mr;
	unsigned int deposits = 0;
	unsigned long seq;
	u16 want;
	u64 pfn;
	int ret;

again:
	if (fatal_signal_pending(current))
		return -EINTR;
	seq = mmu_interval_read_begin(&mi->mni);
	ret = mshv_mmio_resolve(mr, &pfn);
	if (ret)
		return ret;
	mutex_lock(&mi->mutex);
	if (mmu_interval_read_retry(&mi->mni, seq)) {
		mutex_unlock(&mi->mutex);
		goto again;
	}
	/*
	 * Frames mapped before a deposit are still current (an
	 * invalidation would have unmapped them), so @pfn is unchanged.
	 */
	if (mi->lo == mi->hi) {
		mi->lo = 0;
		mi->hi = 0;
		mr->mmio_pfn = pfn;
	}
	ret = mshv_mmio_map_locked(mi);
	want = mi->hp.want;
	mutex_unlock(&mi->mutex);
	if (ret == -ENOMEM && ++deposits <= MSHV_MAX_DEPOSIT_RETRIES) {
		ret = mshv_hv_deposit_for(mi->pt_id, want,
					  MSHV_MAP_GPA_DEPOSIT);
		if (!ret)
			goto again;
	}
	return ret;
}

static void mshv_mmio_free(struct mshv_mmio *mi)
{
	kfree(mi->pfns);
	mshv_hvpages_free(&mi->hp);
	mutex_destroy(&mi->mutex);
	kfree(mi);
}

/**
 * mshv_region_mmio_create() - map a new MMIO region and watch its mapping
 * @pt: the partition, pt_mutex held
 * @mr: a new MSHV_REGION_MMIO region, not yet in the tree
 *
 * The notifier goes in before the frames are looked up, so that no
 * invalidation can be missed between the lookup and the mapping.
 *
 * Return: 0, or a negative errno with nothing left mapped or allocated
 * (short of a hypervisor that refuses to unmap, which is logged).
 */
int mshv_region_mmio_create(struct mshv_partition *pt,
			    struct mshv_mem_region *mr)
{
	struct mshv_mmio *mi;
	int ret;

	lockdep_assert_held(&pt->pt_mutex);

	mi = kzalloc(sizeof(*mi), GFP_KERNEL_ACCOUNT);
	if (!mi)
		return -ENOMEM;
	mutex_init(&mi->mutex);
	mi->mr = mr;
	mi->pt_id = pt->pt_id;
	ret = -ENOMEM;
	mi->pfns = kcalloc(MSHV_MAP_GPA_BATCH, sizeof(*mi->pfns),
			   GFP_KERNEL_ACCOUNT);
	if (!mi->pfns)
		goto free;
	ret = mshv_hvpages_alloc(&mi->hp);
	if (ret)
		goto free;
	ret = mmu_interval_notifier_insert(&mi->mni, current->mm, mr->uaddr,
					   mr->nr_pages << PAGE_SHIFT,
					   &mshv_mmio_mni_ops);
	if (ret)
		goto free;
	mr->mmio = mi;
	ret = mshv_mmio_map(mi);
	if (!ret)
		return 0;

	if (mshv_region_mmio_unmap(mr))
		pr_err_ratelimited("mshv: partition %#llx: device gfns %#llx+%#llx may stay mapped\n",
				   pt->pt_id, mr->start_gfn, mr->nr_pages);
	mshv_region_mmio_release(mr);
	return ret;

free:
	mshv_mmio_free(mi);
	return ret;
}

/**
 * mshv_region_mmio_unmap() - remove an MMIO region from the GPA space
 * @mr: the region; pt_mutex held, or the partition is being destroyed
 *
 * Succeeds at once for a region an invalidation revoked already.  The
 * notifier stays until mshv_region_mmio_release().
 *
 * Return: 0, or a negative errno if the hypervisor still maps part of the
 * region (which stays watched; unmapping again resumes where this one
 * stopped).
 */
int mshv_region_mmio_unmap(struct mshv_mem_region *mr)
{
	struct mshv_mmio *mi = mr->mmio;
	int ret;

	mutex_lock(&mi->mutex);
	ret = mshv_mmio_unmap_locked(mi);
	mutex_unlock(&mi->mutex);
	return ret;
}

/**
 * mshv_region_mmio_release() - stop watching a region and free its state
 * @mr: the region, unmapped (or its partition gone from the hypervisor)
 *
 * Waits for invalidations in flight.
 */
void mshv_region_mmio_release(struct mshv_mem_region *mr)
{
	struct mshv_mmio *mi = mr->mmio;

	if (!mi)
		return;
	mmu_interval_notifier_remove(&mi->mni);
	mshv_mmio_free(mi);
	mr->mmio = NULL;
}
