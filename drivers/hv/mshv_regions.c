// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: guest memory regions (MSHV_SET_GUEST_MEMORY).
 *
 * A region is a range of guest frames backed by user memory, either
 * mapped on demand and never pinned (movable, see mshv_region_movable.c;
 * the default) or pinned for as long as it is mapped (if the partition's
 * debugfs file movable_regions is N when the region is created), or by the
 * device memory of a VM_IO | VM_PFNMAP mapping, mapped for as long as
 * that mapping lasts (see mshv_region_mmio.c).
 * Regions may not overlap in GPA space (they may in user addresses).
 *
 * The regions of a partition live in a maple tree keyed by their frame
 * ranges, so finding the region of a frame is O(log n).  Writers hold the
 * partition mutex; the tree's own lock and RCU make lookups safe without
 * it, and a region is freed only after an RCU grace period.  Its pages are
 * unpinned before that, so a lookup that touches the pages must hold the
 * partition mutex (as every user does today).
 *
 * Pinned and MMIO regions are mapped whole, in runs of one kind of chunk:
 * a 2 MiB chunk wherever the guest frame, the host frame and the remaining
 * length are 2 MiB aligned and the 512 host pages are one contiguous piece
 * of a large folio (a THP, or a 2 MiB or 1 GiB hugetlb page), else single
 * 4 KiB pages.  Unmapping walks the same chunks, so each range is
 * unmapped as it was mapped.
 *
 * A region is bounded before anything is done for it: its user range must
 * pass access_ok() and its frames must lie below the partition's guest
 * physical address width.  The walks that map, pin or unmap it go in
 * pieces of at most MSHV_REGION_STEP frames and stop with -EINTR between
 * two pieces when the caller gets a fatal signal, undoing what they did;
 * only the teardown of a partition and the undoing itself go on to the
 * end, which costs no more than what was done before.
 */

#include <kunit/visibility.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <uapi/linux/mshv.h>

#include "mshv_root.h"

/* Pages pinned per pin_user_pages_fast() call. */
#define MSHV_PIN_BATCH	(SZ_256M >> PAGE_SHIFT)

#define MSHV_LARGE	HV_HYP_PAGES_PER_LARGE_PAGE

/*
 * Guest pages pinned by all regions, debugfs mshv/pinned_pages: tests
 * check that a failed call leaves it unchanged, and that destroying a
 * partition brings it back.
 */
atomic_long_t mshv_pinned_pages = ATOMIC_LONG_INIT(0);

/* Unpin pages [@from, @to) of a region. */
static void mshv_region_unpin(struct mshv_mem_region *mr, u64 from, u64 to)
{
	u32 n;

	if (mr->kind != MSHV_REGION_PINNED || from >= to)
		return;
	atomic_long_sub(to - from, &mshv_pinned_pages);
	while ((n = mshv_hvcall_batch(to, from, MSHV_PIN_BATCH))) {
		unpin_user_pages_dirty_lock(mr->pages + from, n, mr->writable);
		from += n;
		cond_resched();
	}
}

/* Pin the whole region, or nothing: -EFAULT for a hole, -EINTR if killed. */
static int mshv_region_pin(struct mshv_mem_region *mr)
{
	unsigned int gup = FOLL_WRITE | FOLL_LONGTERM;
	u64 done = 0;
	u32 n;
	int ret;

	while ((n = mshv_hvcall_batch(mr->nr_pages, done, MSHV_PIN_BATCH))) {
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto unpin;
		}
		ret = pin_user_pages_fast(mr->uaddr + done * PAGE_SIZE, n, gup,
					  mr->pages + done);
		if (ret > 0) {
			atomic_long_add(ret, &mshv_pinned_pages);
			done += ret;
		}
		if (ret < 0)
			goto unpin;
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
	kvfree_rcu(mr, rcu);
}

/* Unpin and free; the hypervisor must no longer map the pages. */
static void mshv_region_release(struct mshv_mem_region *mr)
{
	mshv_region_movable_release(mr);
	mshv_region_mmio_release(mr);
	mshv_region_unpin(mr, 0, mr->nr_pages);
	mshv_region_free(mr);
}

/*
 * Whether the 512 frames from @i form a 2 MiB chunk that can be mapped
 * with one large-page rep.  Only frames below @mr->nr_pages count, so the
 * answer for a chunk never depends on how far a walk goes.
 */
static bool mshv_region_large_at(const struct mshv_mem_region *mr, u64 i)
{
	struct page *head;
	u32 k;

	if (!IS_ALIGNED(mr->start_gfn + i, MSHV_LARGE) ||
	    mr->nr_pages - i < MSHV_LARGE)
		return false;
	if (mr->kind == MSHV_REGION_MMIO)
		return IS_ALIGNED(mr->mmio_pfn + i, MSHV_LARGE);

	head = mr->pages[i];
	if (!IS_ALIGNED(page_to_pfn(head), MSHV_LARGE) ||
	    folio_nr_pages(page_folio(head)) < MSHV_LARGE)
		return false;
	/*
	 * A hugetlb folio is mapped whole, at an address with the same offset
	 * in it as the frame: 512 pages from an aligned frame are its next
	 * 512 frames.
	 */
	if (folio_test_hugetlb(page_folio(head)))
		return true;
	/* Another folio is contiguous, but the user mapping may jumble it. */
	for (k = 1; k < MSHV_LARGE; k++)
		if (mr->pages[i + k] != nth_page(head, k))
			return false;
	return true;
}

/**
 * mshv_region_run() - the run of chunks of one kind from a frame on
 * @mr: the region
 * @from: offset of a chunk start in the region
 * @to: end of the walk, at most @mr->nr_pages
 * @large: set if the run is made of 2 MiB chunks, else of 4 KiB pages
 *
 * Return: the length of the run in 4 KiB frames, 1 .. @to - @from.
 */
u64 mshv_region_run(const struct mshv_mem_region *mr, u64 from, u64 to,
		    bool *large)
{
	u64 i = from;

	*large = mshv_region_large_at(mr, from);
	if (*large) {
		do
			i += MSHV_LARGE;
		while (i + MSHV_LARGE <= to && mshv_region_large_at(mr, i));
		return min(i, to) - from;
	}
	/* Single pages up to the next 2 MiB chunk. */
	do
		i = min(ALIGN(mr->start_gfn + i + 1, MSHV_LARGE) -
			mr->start_gfn, to);
	while (i < to && !mshv_region_large_at(mr, i));
	return i - from;
}
EXPORT_SYMBOL_IF_KUNIT(mshv_region_run);

/*
 * The end of the piece of a walk from frame @i (a chunk start) of @mr:
 * at most MSHV_REGION_STEP frames on, at a 2 MiB boundary of GPA space
 * (where a chunk starts, so the runs of the piece are those of a walk
 * without pieces), and not past @to.
 */
static u64 mshv_region_step_end(const struct mshv_mem_region *mr, u64 i,
				u64 to)
{
	u64 end = ALIGN_DOWN(mr->start_gfn + i + MSHV_REGION_STEP, MSHV_LARGE);

	return min(end - mr->start_gfn, to);
}

/**
 * mshv_region_hv_unmap() - unmap the first frames of a region
 * @pt: the partition
 * @mr: the region
 * @to: frames [0, @to) are unmapped, chunk by chunk as they were mapped
 * @killable: stop with -EINTR on a fatal signal; false where the unmap
 *	must complete (teardown, undoing a failed map)
 *
 * Allocates nothing (the partition's hypercall pages are used: pt_mutex
 * held, or the partition is being destroyed), so teardown can count on it.
 *
 * Return: 0, or a negative errno with part of the range still mapped (the
 * caller keeps the region).
 */
static int mshv_region_hv_unmap(struct mshv_partition *pt,
				struct mshv_mem_region *mr, u64 to,
				bool killable)
{
	u64 i = 0, n;
	bool large;
	int ret;

	if (mr->kind == MSHV_REGION_MOVABLE)
		return mshv_region_movable_unmap(mr, killable);
	if (mr->kind == MSHV_REGION_MMIO)
		return mshv_region_mmio_unmap(mr);
	while (i < to) {
		if (killable && fatal_signal_pending(current))
			return -EINTR;
		n = mshv_region_run(mr, i, mshv_region_step_end(mr, i, to),
				    &large);
		ret = mshv_hv_unmap_gpa_hp(&pt->pt_hvpages, pt->pt_id,
					   mr->start_gfn + i, n,
					   large ? HV_UNMAP_GPA_LARGE_PAGE : 0);
		if (ret)
			return ret;
		i += n;
		cond_resched();
	}
	return 0;
}

/*
 * Map the whole region; *@mapped: frames from the start now mapped (the
 * end of a chunk).  A fatal signal stops it with -EINTR.
 */
static int mshv_region_hv_map(struct mshv_partition *pt,
			      struct mshv_mem_region *mr, u64 *mapped)
{
	u64 i = 0, n, done;
	u32 flags;
	bool large;
	int ret = 0;

	while (i < mr->nr_pages) {
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		n = mshv_region_run(mr, i,
				    mshv_region_step_end(mr, i, mr->nr_pages),
				    &large);
		flags = mr->hv_flags | (large ? HV_MAP_GPA_LARGE_PAGE : 0);
		ret = mshv_hv_map_gpa_pages(pt->pt_id, mr->start_gfn + i,
					    mr->pages + i, n, flags, &done);
		i += done;
		if (ret)
			break;
		cond_resched();
	}
	*mapped = i;
	return ret;
}

/**
 * mshv_region_overlaps() - whether a frame range meets any region
 * @regions: a partition's region tree
 * @gfn: first frame
 * @n: number of frames, at least 1; gfn + n does not overflow
 *
 * Return: true if some region holds a frame of [@gfn, @gfn + @n).
 */
VISIBLE_IF_KUNIT bool mshv_region_overlaps(struct maple_tree *regions, u64 gfn, u64 n)
{
	unsigned long index = gfn;

	return mt_find(regions, &index, gfn + n - 1);
}
EXPORT_SYMBOL_IF_KUNIT(mshv_region_overlaps);

/**
 * mshv_region_insert() - add a region to the tree
 * @regions: a partition's region tree
 * @mr: the region; its frames must not overlap another region's
 *
 * Return: 0, -EEXIST on overlap or -ENOMEM.
 */
VISIBLE_IF_KUNIT int mshv_region_insert(struct maple_tree *regions, struct mshv_mem_region *mr)
{
	return mtree_insert_range(regions, mr->start_gfn,
				  mr->start_gfn + mr->nr_pages - 1, mr,
				  GFP_KERNEL_ACCOUNT);
}
EXPORT_SYMBOL_IF_KUNIT(mshv_region_insert);

/**
 * mshv_region_lookup() - the region that contains a guest frame
 * @regions: a partition's region tree
 * @gfn: the frame
 *
 * O(log n) in the number of regions.  The result stays valid while the
 * caller holds the partition mutex, or (fields only) an RCU read lock.
 *
 * Return: the region, or NULL if @gfn is not in any.
 */
struct mshv_mem_region *mshv_region_lookup(struct maple_tree *regions,
					   u64 gfn)
{
	return mtree_load(regions, gfn);
}
EXPORT_SYMBOL_IF_KUNIT(mshv_region_lookup);

static struct mshv_mem_region *
mshv_region_alloc(const struct mshv_user_mem_region *args,
		  enum mshv_region_kind kind)
{
	u64 nr_pages = args->size >> PAGE_SHIFT;
	bool mmio = kind == MSHV_REGION_MMIO;
	struct mshv_mem_region *mr;

	/* The size is user controlled: fail quietly when it is absurd. */
	mr = kvzalloc(struct_size(mr, pages,
				  kind == MSHV_REGION_PINNED ? nr_pages : 0),
		      GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!mr)
		return NULL;
	mr->start_gfn = args->guest_pfn;
	mr->nr_pages = nr_pages;
	mr->uaddr = args->userspace_addr;
	mr->kind = kind;
	/* Device memory is mapped uncached and never moved. */
	mr->hv_flags = HV_MAP_GPA_READABLE |
		       (mmio ? HV_MAP_GPA_NOT_CACHED : HV_MAP_GPA_ADJUSTABLE);
	if (args->flags & BIT(MSHV_SET_MEM_BIT_WRITABLE)) {
		mr->hv_flags |= HV_MAP_GPA_WRITABLE;
		mr->writable = true;
	}
	if (args->flags & BIT(MSHV_SET_MEM_BIT_EXECUTABLE))
		mr->hv_flags |= HV_MAP_GPA_EXECUTABLE;
	return mr;
}

/**
 * mshv_region_pinnable() - can a user range be pinned at all?
 * @uaddr: start of the range, page aligned
 * @size: its size, page aligned, nonzero
 *
 * A pinned region needs a page array of 8 bytes per page before the first
 * page is pinned.  Checked first, so that a range pinning would refuse
 * costs no such array: mappings must cover it without a hole, and allow
 * what pinning asks (FOLL_WRITE, no VM_IO or VM_PFNMAP).  The mappings
 * may still change before they are pinned: pinning has the last word.
 *
 * Return: 0, -EFAULT if pinning would fail, or -EINTR if killed.
 */
static int mshv_region_pinnable(u64 uaddr, u64 size)
{
	struct mm_struct *mm = current->mm;
	u64 addr = uaddr, end = uaddr + size;
	struct vm_area_struct *vma;
	int ret = 0;

	VMA_ITERATOR(vmi, mm, uaddr);
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	for_each_vma_range(vmi, vma, end) {
		if (vma->vm_start > addr || !(vma->vm_flags & VM_WRITE) ||
		    vma->vm_flags & (VM_IO | VM_PFNMAP)) {
			ret = -EFAULT;
			break;
		}
		addr = vma->vm_end;
	}
	if (addr < end)
		ret = -EFAULT;
	mmap_read_unlock(mm);
	return ret;
}

/*
 * A movable region is mapped no-access, an MMIO region mapped whole, and
 * either is watched by its notifier (undone by mshv_region_hv_unmap() and
 * mshv_region_release()); nothing is pinned, and nothing stays behind on
 * failure.
 */
static long mshv_region_map_watched(struct mshv_partition *pt,
				    struct mshv_mem_region *mr)
{
	int ret;

	if (mr->kind == MSHV_REGION_MMIO)
		ret = mshv_region_mmio_create(pt, mr);
	else
		ret = mshv_region_movable_create(pt, mr);
	if (ret)
		goto free;
	ret = mshv_region_insert(&pt->pt_regions, mr);
	if (!ret)
		return 0;
	if (mshv_region_hv_unmap(pt, mr, mr->nr_pages, false))
		pr_err_ratelimited("mshv: partition %#llx: gfns %#llx+%#llx stay mapped\n",
				   pt->pt_id, mr->start_gfn, mr->nr_pages);
	mshv_region_release(mr);
	return ret;
free:
	mshv_region_free(mr);
	return ret;
}

static long mshv_region_map(struct mshv_partition *pt,
			    const struct mshv_user_mem_region *args)
{
	u64 nr_pages = args->size >> PAGE_SHIFT;
	enum mshv_region_kind kind = MSHV_REGION_PINNED;
	struct mshv_mem_region *mr;
	u64 mapped;
	int mmio, ret;

	if (mshv_region_overlaps(&pt->pt_regions, args->guest_pfn, nr_pages))
		return -EEXIST;
	mmio = mshv_region_is_mmio(args->userspace_addr, args->size);
	if (mmio < 0)
		return mmio;
	if (mmio)
		kind = MSHV_REGION_MMIO;
	else if (READ_ONCE(pt->pt_movable_regions))
		kind = MSHV_REGION_MOVABLE;
	if (kind == MSHV_REGION_PINNED) {
		ret = mshv_region_pinnable(args->userspace_addr, args->size);
		if (ret)
			return ret;
	}
	mr = mshv_region_alloc(args, kind);
	if (!mr)
		return -ENOMEM;
	if (kind != MSHV_REGION_PINNED)
		return mshv_region_map_watched(pt, mr);

	ret = mshv_region_pin(mr);
	if (ret)
		goto free;

	ret = mshv_region_hv_map(pt, mr, &mapped);
	if (ret && mapped && mshv_region_hv_unmap(pt, mr, mapped, false)) {
		/*
		 * The guest may still reach the pages mapped so far, so they
		 * must stay pinned: keep them as a region until unmapped or
		 * until the partition is torn down.  @mapped ends a chunk,
		 * so the shorter region has the same chunks.
		 */
		mshv_region_unpin(mr, mapped, nr_pages);
		mr->nr_pages = mapped;
		if (mshv_region_insert(&pt->pt_regions, mr)) {
			pr_err_ratelimited("mshv: partition %#llx: leaking %llu pinned pages at gfn %#llx\n",
					   pt->pt_id, mapped, mr->start_gfn);
			if (mr->kind == MSHV_REGION_PINNED)
				mshv_leak_pages(mapped);
			mshv_region_free(mr);
		}
		return ret;
	}
	if (ret)
		goto unpin;

	ret = mshv_region_insert(&pt->pt_regions, mr);
	if (!ret)
		return 0;
	if (mshv_region_hv_unmap(pt, mr, nr_pages, false)) {
		/* Cannot happen short of a broken hypervisor: keep the pins. */
		if (mr->kind == MSHV_REGION_PINNED)
			mshv_leak_pages(nr_pages);
		mshv_region_free(mr);
		return ret;
	}

unpin:
	mshv_region_unpin(mr, 0, nr_pages);
free:
	mshv_region_free(mr);
	return ret;
}

/*
 * Unmapping names a region by all of its fields: -ENOENT if no region
 * starts at the given frame, -EINVAL if one does but differs in size or
 * user address.  A fatal signal may stop it with -EINTR: the region then
 * stays, as after any failed unmap.
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
	if (!mr->hv_unmapped) {
		ret = mshv_region_hv_unmap(pt, mr, mr->nr_pages, true);
		if (ret)
			return ret;	/* still mapped: keep it pinned */
		mr->hv_unmapped = true;
	}
	/*
	 * Unlike mtree_erase(), storing NULL says when the tree could not
	 * get the nodes it needs.  The region then stays in the tree, gone
	 * from the GPA space (nothing faults it in again), and the same
	 * unmap may be retried.
	 */
	ret = mtree_store_range(&pt->pt_regions, mr->start_gfn,
				mr->start_gfn + mr->nr_pages - 1, NULL,
				GFP_KERNEL_ACCOUNT);
	if (ret)
		return ret;
	mshv_region_release(mr);
	return 0;
}

/**
 * mshv_mem_region_check() - validate an MSHV_SET_GUEST_MEMORY argument
 * @args: the argument
 * @gfn_limit: the guest frames must end at or below this one
 *
 * Return: 0, or -EINVAL for unknown flags, nonzero reserved bytes, a zero
 * or unaligned size, an unaligned user address, a guest frame range that
 * wraps or ends past @gfn_limit, or a user range that wraps or leaves the
 * user address space (access_ok()).
 */
VISIBLE_IF_KUNIT int mshv_mem_region_check(const struct mshv_user_mem_region *args,
					   u64 gfn_limit)
{
	u64 end;

	if (args->flags & ~MSHV_SET_MEM_FLAGS_MASK ||
	    memchr_inv(args->rsvd, 0, sizeof(args->rsvd)) ||
	    !args->size || !PAGE_ALIGNED(args->size) ||
	    !PAGE_ALIGNED(args->userspace_addr))
		return -EINVAL;
	if (check_add_overflow(args->guest_pfn, args->size >> PAGE_SHIFT,
			       &end) || end > gfn_limit ||
	    check_add_overflow(args->userspace_addr, args->size, &end) ||
	    !access_ok(u64_to_user_ptr(args->userspace_addr), args->size))
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mshv_mem_region_check);

/**
 * mshv_region_gfn_limit() - the guest frame no region of a partition reaches
 * @pt: the partition, pt_mutex held
 *
 * The guest cannot address a frame at or past 2^(width - 12), where width
 * is the partition's HV_PARTITION_PROPERTY_PHYSICAL_ADDRESS_WIDTH (the
 * MAXPHYADDR its processors report).  Read once per partition, with one
 * hypercall; if the hypervisor does not answer, or answers a width outside
 * 32..52, the architectural MSHV_GFN_LIMIT (52 bits) stands in, for good.
 *
 * Return: the limit, a guest frame number.
 */
static u64 mshv_region_gfn_limit(struct mshv_partition *pt)
{
	u64 width;

	lockdep_assert_held(&pt->pt_mutex);

	if (pt->pt_gfn_limit)
		return pt->pt_gfn_limit;
	if (mshv_hv_get_partition_property(pt->pt_id,
					   HV_PARTITION_PROPERTY_PHYSICAL_ADDRESS_WIDTH,
					   &width) ||
	    width < 32 || width > 52)
		pt->pt_gfn_limit = MSHV_GFN_LIMIT;
	else
		pt->pt_gfn_limit = BIT_ULL(width - HV_HYP_PAGE_SHIFT);
	return pt->pt_gfn_limit;
}

/**
 * mshv_set_guest_memory() - MSHV_SET_GUEST_MEMORY
 * @pt: the partition, pt_mutex held
 * @uarg: struct mshv_user_mem_region
 *
 * Return: 0 or a negative errno (-EINTR on a fatal signal).  On error
 * nothing changed, except in two cases: when a failed map cannot be rolled
 * back in the hypervisor, the pages it may still map stay pinned as a
 * region (see mshv_region_map()); and an unmap that fails or is killed
 * part way leaves the region in place, part of it no longer mapped.
 */
long mshv_set_guest_memory(struct mshv_partition *pt, void __user *uarg)
{
	struct mshv_user_mem_region args;
	bool unmap;

	lockdep_assert_held(&pt->pt_mutex);

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	/* A region to unmap passed the check of its partition when mapped. */
	unmap = args.flags & BIT(MSHV_SET_MEM_BIT_UNMAP);
	if (mshv_mem_region_check(&args, unmap ? MSHV_GFN_LIMIT :
				  mshv_region_gfn_limit(pt)))
		return -EINVAL;

	if (unmap)
		return mshv_region_unmap(pt, &args);
	return mshv_region_map(pt, &args);
}

/**
 * mshv_regions_unmap_all() - remove every region from the GPA space
 * @pt: the dying partition; no ioctl can run on it any more
 *
 * Each unmap is retried a few times.  A region whose unmap succeeded can
 * no longer be reached by the guest and is marked so; every region stays
 * in the tree for mshv_regions_release_all() (erasing from a maple tree
 * may need memory, and teardown must not depend on any).
 */
void mshv_regions_unmap_all(struct mshv_partition *pt)
{
	struct mshv_mem_region *mr;
	unsigned long index = 0;
	unsigned int i;

	mt_for_each(&pt->pt_regions, mr, index, ULONG_MAX) {
		if (mr->hv_unmapped)
			continue;	/* by MSHV_SET_GUEST_MEMORY already */
		for (i = 0; i < MSHV_TEARDOWN_TRIES; i++)
			if (!mshv_region_hv_unmap(pt, mr, mr->nr_pages,
						  false))
				break;
		mr->hv_unmapped = i < MSHV_TEARDOWN_TRIES;
		cond_resched();
	}
}

/**
 * mshv_regions_forget_hv() - note that the hypervisor unmapped every region
 * @pt: the dying partition, finalized in the hypervisor
 *
 * A successful FINALIZE_PARTITION removes all GPA mappings at once; the
 * hypervisor fails GPA unmaps of a finalized partition, so none is sent.
 */
void mshv_regions_forget_hv(struct mshv_partition *pt)
{
	struct mshv_mem_region *mr;
	unsigned long index = 0;

	mt_for_each(&pt->pt_regions, mr, index, ULONG_MAX)
		mr->hv_unmapped = true;
}

/**
 * mshv_regions_release_all() - unpin and free every region left
 * @pt: the dying partition
 * @hv_gone: the partition was deleted in the hypervisor (or never created
 *	there), so no page can be reached by the guest any more
 *
 * Without @hv_gone the pages of the regions mshv_regions_unmap_all() could
 * not unmap may still be mapped: they stay pinned for good and are
 * accounted as leaked.
 */
void mshv_regions_release_all(struct mshv_partition *pt, bool hv_gone)
{
	struct mshv_mem_region *mr;
	unsigned long index = 0;

	mt_for_each(&pt->pt_regions, mr, index, ULONG_MAX) {
		if (mr->hv_unmapped) {
			mshv_region_release(mr);
			continue;
		}
		/*
		 * A movable or MMIO region holds no page to keep: what the
		 * hypervisor may still map goes with the notifier.  Nothing
		 * can be done about it but say so.
		 */
		if (!hv_gone && mr->kind != MSHV_REGION_PINNED)
			pr_err_ratelimited("mshv: partition %#llx: gfns %#llx+%#llx may stay mapped, no longer watched\n",
					   pt->pt_id, mr->start_gfn, mr->nr_pages);
		if (hv_gone || mr->kind != MSHV_REGION_PINNED) {
			mshv_region_release(mr);
			continue;
		}
		pr_err_ratelimited("mshv: partition %#llx: leaking %llu pinned pages at gfn %#llx\n",
				   pt->pt_id, mr->nr_pages, mr->start_gfn);
		mshv_leak_pages(mr->nr_pages);
		mshv_region_free(mr);	/* the pins themselves stay */
	}
	mtree_destroy(&pt->pt_regions);
}
