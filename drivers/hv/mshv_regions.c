// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: guest memory regions (MSHV_SET_GUEST_MEMORY).
 *
 * A region is a range of user memory, pinned for as long as it is mapped
 * into the partition's guest physical address space.  Regions may not
 * overlap in GPA space (they may in user addresses).  The list is sorted
 * by guest frame number and protected by the partition mutex.
 */

#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <uapi/linux/mshv.h>

#include "mshv_root.h"

/* Pages pinned per pin_user_pages_fast() call. */
#define MSHV_PIN_BATCH	(SZ_256M >> PAGE_SHIFT)

/* Unpin pages [@from, @to) of a region. */
static void mshv_region_unpin(struct mshv_mem_region *mr, u64 from, u64 to)
{
	u32 n;

	while ((n = mshv_hvcall_batch(to, from, MSHV_PIN_BATCH))) {
		unpin_user_pages_dirty_lock(mr->pages + from, n, mr->writable);
		from += n;
	}
}

static int mshv_region_pin(struct mshv_mem_region *mr)
{
	unsigned int gup = FOLL_WRITE | FOLL_LONGTERM;
	u64 done = 0;
	u32 n;
	int ret;

	while ((n = mshv_hvcall_batch(mr->nr_pages, done, MSHV_PIN_BATCH))) {
		ret = pin_user_pages_fast(mr->uaddr + done * PAGE_SIZE, n, gup,
					  mr->pages + done);
		if (ret < 0)
			goto unpin;
		done += ret;
		if (ret != n) {
			ret = -EFAULT;
			goto unpin;
		}
		cond_resched();
	}
	return 0;

unpin:
	mshv_region_unpin(mr, 0, done);
	return ret;
}

static void mshv_region_free(struct mshv_mem_region *mr)
{
	kvfree(mr);
}

/* Unpin and free; the hypervisor must no longer map the pages. */
static void mshv_region_release(struct mshv_mem_region *mr)
{
	mshv_region_unpin(mr, 0, mr->nr_pages);
	mshv_region_free(mr);
}

/**
 * mshv_region_slot() - find where a region [gfn, gfn + n) goes
 * @regions: a partition's region list, sorted by start_gfn
 * @gfn: first frame of the new region
 * @n: its number of frames; gfn + n does not overflow
 *
 * Return: the entry to insert before (@regions to append), or
 * ERR_PTR(-EEXIST) if the range overlaps an existing region.
 */
struct list_head *mshv_region_slot(struct list_head *regions, u64 gfn, u64 n)
{
	struct mshv_mem_region *mr;

	list_for_each_entry(mr, regions, list) {
		if (gfn + n <= mr->start_gfn)
			return &mr->list;
		if (gfn < mr->start_gfn + mr->nr_pages)
			return ERR_PTR(-EEXIST);
	}
	return regions;
}

/**
 * mshv_region_lookup() - the region that contains a guest frame
 * @regions: a partition's region list, sorted by start_gfn
 * @gfn: the frame
 *
 * Return: the region, or NULL if @gfn is not in any.
 */
struct mshv_mem_region *mshv_region_lookup(struct list_head *regions, u64 gfn)
{
	struct mshv_mem_region *mr;

	list_for_each_entry(mr, regions, list) {
		if (gfn < mr->start_gfn)
			break;
		if (gfn - mr->start_gfn < mr->nr_pages)
			return mr;
	}
	return NULL;
}

static long mshv_region_map(struct mshv_partition *pt,
			    const struct mshv_user_mem_region *args)
{
	u64 nr_pages = args->size >> PAGE_SHIFT;
	struct mshv_mem_region *mr;
	struct list_head *slot;
	u64 mapped;
	int ret;

	slot = mshv_region_slot(&pt->pt_regions, args->guest_pfn, nr_pages);
	if (IS_ERR(slot))
		return PTR_ERR(slot);

	/* The size is user controlled: fail quietly when it is absurd. */
	mr = kvzalloc(struct_size(mr, pages, nr_pages),
		      GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!mr)
		return -ENOMEM;
	mr->start_gfn = args->guest_pfn;
	mr->nr_pages = nr_pages;
	mr->uaddr = args->userspace_addr;
	mr->hv_flags = HV_MAP_GPA_READABLE | HV_MAP_GPA_ADJUSTABLE;
	if (args->flags & BIT(MSHV_SET_MEM_BIT_WRITABLE)) {
		mr->hv_flags |= HV_MAP_GPA_WRITABLE;
		mr->writable = true;
	}
	if (args->flags & BIT(MSHV_SET_MEM_BIT_EXECUTABLE))
		mr->hv_flags |= HV_MAP_GPA_EXECUTABLE;

	ret = mshv_region_pin(mr);
	if (ret)
		goto free;

	ret = mshv_hv_map_gpa_pages(pt->pt_id, mr->start_gfn, mr->pages,
				    nr_pages, mr->hv_flags, &mapped);
	if (ret && mapped &&
	    mshv_hv_unmap_gpa_pages(pt->pt_id, mr->start_gfn, mapped)) {
		/*
		 * The guest may still reach the pages mapped so far, so they
		 * must stay pinned: keep them as a region until unmapped or
		 * until the partition is torn down.
		 */
		mshv_region_unpin(mr, mapped, nr_pages);
		mr->nr_pages = mapped;
		list_add_tail(&mr->list, slot);
		return ret;
	}
	if (ret)
		goto unpin;

	list_add_tail(&mr->list, slot);
	return 0;

unpin:
	mshv_region_unpin(mr, 0, nr_pages);
free:
	mshv_region_free(mr);
	return ret;
}

/*
 * Unmapping names a region by all of its fields: -ENOENT if no region
 * starts at the given frame, -EINVAL if one does but differs in size or
 * user address.
 */
static long mshv_region_unmap(struct mshv_partition *pt,
			      const struct mshv_user_mem_region *args)
{
	struct mshv_mem_region *mr;
	int ret;

	/* Regions do not overlap: at most one contains the frame. */
	mr = mshv_region_lookup(&pt->pt_regions, args->guest_pfn);
	if (!mr || mr->start_gfn != args->guest_pfn)
		return -ENOENT;
	if (mr->nr_pages != args->size >> PAGE_SHIFT ||
	    mr->uaddr != args->userspace_addr)
		return -EINVAL;
	ret = mshv_hv_unmap_gpa_pages(pt->pt_id, mr->start_gfn, mr->nr_pages);
	if (ret)
		return ret;	/* still mapped: keep it pinned */
	list_del(&mr->list);
	mshv_region_release(mr);
	return 0;
}

/**
 * mshv_mem_region_check() - validate an MSHV_SET_GUEST_MEMORY argument
 * @args: the argument
 *
 * Return: 0, or -EINVAL for unknown flags, nonzero reserved bytes, a zero
 * or unaligned size, an unaligned user address, or a guest frame or user
 * range that wraps.
 */
int mshv_mem_region_check(const struct mshv_user_mem_region *args)
{
	u64 last;

	if (args->flags & ~MSHV_SET_MEM_FLAGS_MASK ||
	    memchr_inv(args->rsvd, 0, sizeof(args->rsvd)) ||
	    !args->size || !PAGE_ALIGNED(args->size) ||
	    !PAGE_ALIGNED(args->userspace_addr))
		return -EINVAL;
	if (check_add_overflow(args->guest_pfn, args->size >> PAGE_SHIFT,
			       &last) ||
	    check_add_overflow(args->userspace_addr, args->size, &last))
		return -EINVAL;
	return 0;
}

/**
 * mshv_set_guest_memory() - MSHV_SET_GUEST_MEMORY
 * @pt: the partition, pt_mutex held
 * @uarg: struct mshv_user_mem_region
 *
 * Return: 0 or a negative errno.  On error nothing changed, except in one
 * case: when a failed map cannot be rolled back in the hypervisor, the
 * pages it may still map stay pinned as a region (see mshv_region_map()).
 */
long mshv_set_guest_memory(struct mshv_partition *pt, void __user *uarg)
{
	struct mshv_user_mem_region args;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (mshv_mem_region_check(&args))
		return -EINVAL;

	if (args.flags & BIT(MSHV_SET_MEM_BIT_UNMAP))
		return mshv_region_unmap(pt, &args);
	return mshv_region_map(pt, &args);
}

/**
 * mshv_regions_unmap_all() - remove every region from the GPA space
 * @pt: the dying partition; no ioctl can run on it any more
 *
 * Each unmap is retried a few times.  A region whose unmap succeeded can
 * no longer be reached by the guest and is released at once; the others
 * stay on the list for mshv_regions_release_all().
 */
void mshv_regions_unmap_all(struct mshv_partition *pt)
{
	struct mshv_mem_region *mr, *tmp;
	unsigned int i;

	list_for_each_entry_safe(mr, tmp, &pt->pt_regions, list) {
		for (i = 0; i < MSHV_TEARDOWN_TRIES; i++)
			if (!mshv_hv_unmap_gpa_pages(pt->pt_id, mr->start_gfn,
						     mr->nr_pages))
				break;
		if (i == MSHV_TEARDOWN_TRIES)
			continue;
		list_del(&mr->list);
		mshv_region_release(mr);
	}
}

/**
 * mshv_regions_release_all() - unpin and free every region left
 * @pt: the dying partition
 * @hv_gone: the partition was deleted in the hypervisor (or never created
 *	there), so no page can be reached by the guest any more
 *
 * Without @hv_gone the pages of the regions left may still be mapped: they
 * stay pinned for good and are accounted as leaked.
 */
void mshv_regions_release_all(struct mshv_partition *pt, bool hv_gone)
{
	struct mshv_mem_region *mr, *tmp;

	list_for_each_entry_safe(mr, tmp, &pt->pt_regions, list) {
		list_del(&mr->list);
		if (hv_gone) {
			mshv_region_release(mr);
			continue;
		}
		pr_err("mshv: partition %#llx: leaking %llu pinned pages at gfn %#llx\n",
		       pt->pt_id, mr->nr_pages, mr->start_gfn);
		mshv_leak_pages(mr->nr_pages);
		mshv_region_free(mr);	/* the pins themselves stay */
	}
}
