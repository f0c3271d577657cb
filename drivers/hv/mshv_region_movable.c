// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: guest memory regions whose pages may move (the default for
 * ordinary RAM; a partition's debugfs file movable_regions turns it off
 * for the RAM regions created after, so that tests cover pinned ones).
 *
 * Nothing is pinned.  When the region is created its whole GPA range is
 * mapped HV_MAP_GPA_NO_ACCESS, and an MMU interval notifier starts
 * watching its user range.  A guest access then stops the VP with a
 * HVMSG_GPA_INTERCEPT, which MSHV_RUN_VP handles itself: it faults in the
 * 2 MiB-aligned window of user memory around the frame with
 * hmm_range_fault() and maps it with the region's access flags (one
 * 2 MiB page where the host frames allow, else 4 KiB pages), then resumes
 * the VP.  When the kernel is about to move, free or write-protect a page
 * of the range (reclaim, migration, compaction, MADV_DONTNEED, CoW on
 * fork, munmap) the notifier maps its frames NO_ACCESS again before the
 * page changes, so the guest never sees a page its VMM no longer has.
 *
 * Invalidations that may not block (the OOM reaper) are refused, as the
 * hypercall may sleep.
 *
 * The first NO_ACCESS map and the unmap of a region walk it in pieces of
 * at most MSHV_REGION_STEP frames and stop with -EINTR between two pieces
 * on a fatal signal.  Only as much as the first map reached is ever
 * unmapped (@extent), so a map that fails early (the hypervisor out of
 * memory for a huge region, say) costs little to undo.
 *
 * Locking: @mutex orders hypervisor map updates against invalidations:
 * the usual HMM pattern of mmu_interval_read_begin() / hmm_range_fault() /
 * lock / mmu_interval_read_retry() / update / unlock.  Since the notifier
 * takes @mutex, nothing under it may allocate memory with direct reclaim:
 * the hypercalls use the region's own page pair and never deposit; an
 * INSUFFICIENT_MEMORY answer drops the lock, deposits and starts over.
 * The fault path runs under the partition mutex, which keeps the region
 * alive and serialises the faults (and the use of @pfns).
 */

#include <kunit/visibility.h>
#include <linux/debugfs.h>
#include <linux/hmm.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "mshv_root.h"
#include "mshv_trace.h"

#define MSHV_LARGE		HV_HYP_PAGES_PER_LARGE_PAGE

/**
 * struct mshv_movable - the on-demand state of a MSHV_REGION_MOVABLE region
 * @mni: watches the region's user range
 * @mutex: orders map updates against invalidations (see the top)
 * @mr: the region
 * @pt_id: its partition
 * @stats: its partition's counters
 * @hp: page pair for the hypercalls made under @mutex
 * @dead: set while nothing of the range is mapped but NO_ACCESS (before
 *	the first map completes, and under @mutex once the range is
 *	unmapped): invalidations have nothing to revoke
 * @extent: frames from the region's start that may be mapped: how far the
 *	first map got (all of them once it completed)
 * @pfns: hmm_range_fault() output for one window, under the partition mutex
 */
struct mshv_movable {
	struct mmu_interval_notifier mni;
	struct mutex mutex;	/* see above */
	struct mshv_mem_region *mr;
	u64 pt_id;
	struct mshv_movable_stats *stats;
	struct mshv_hvpages hp;
	bool dead;
	u64 extent;
	unsigned long pfns[MSHV_LARGE];
};

/**
 * mshv_movable_walk() - apply a map or unmap step to a range of a region
 * @mv: the region's state
 * @pos: in: first frame of the range (an offset in the region); out: the
 *	first frame of the piece that failed, or @to
 * @to: end of the range
 * @killable: stop with -EINTR between two pieces on a fatal signal
 * @fn: the step, given a piece
 *
 * The pieces are single 4 KiB frames up to a 2 MiB boundary or 2 MiB
 * aligned runs of whole chunks, so that a range is always mapped and
 * unmapped in the same shape; a run is at most MSHV_REGION_STEP frames,
 * so that a piece that failed ends less than that past *@pos.
 *
 * Return: 0 or the first error.
 */
static int mshv_movable_walk(struct mshv_movable *mv, u64 *pos, u64 to,
			     bool killable,
			     int (*fn)(struct mshv_movable *mv, u64 gfn,
				       u64 count, bool large))
{
	u64 start = mv->mr->start_gfn, gfn = start + *pos, end = start + to;
	u64 next;
	int ret = 0;

	while (gfn < end) {
		if (killable && fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		if (IS_ALIGNED(gfn, MSHV_LARGE) && end - gfn >= MSHV_LARGE) {
			next = min(ALIGN_DOWN(end, MSHV_LARGE),
				   gfn + MSHV_REGION_STEP);
			ret = fn(mv, gfn, next - gfn, true);
		} else {
			next = min(ALIGN(gfn + 1, MSHV_LARGE), end);
			ret = fn(mv, gfn, next - gfn, false);
		}
		if (ret)
			break;
		gfn = next;
		cond_resched();
	}
	*pos = gfn - start;
	return ret;
}

static int mshv_movable_map_none(struct mshv_movable *mv, u64 gfn, u64 count,
				 bool large)
{
	u32 flags = HV_MAP_GPA_NO_ACCESS | (large ? HV_MAP_GPA_LARGE_PAGE : 0);
	u64 done;

	return mshv_hv_map_gpa_list(&mv->hp, mv->pt_id, gfn, NULL, count,
				    flags, &done);
}

static int mshv_movable_unmap(struct mshv_movable *mv, u64 gfn, u64 count,
			      bool large)
{
	return mshv_hv_unmap_gpa_hp(&mv->hp, mv->pt_id, gfn, count,
				    large ? HV_UNMAP_GPA_LARGE_PAGE : 0);
}

/* Map frames [@from, @to) NO_ACCESS again: an invalidation, under @mutex. */
static int mshv_movable_revoke(struct mshv_movable *mv, u64 from, u64 to)
{
	return mshv_movable_walk(mv, &from, to, false, mshv_movable_map_none);
}

/*
 * Map a new region NO_ACCESS, without @mutex (no invalidation uses @hp
 * yet), depositing and going on from where it stopped while the
 * hypervisor lacks memory, a few times at most.  @extent follows it.
 * Return: 0, or a negative errno (-EINTR on a fatal signal).
 */
static int mshv_movable_map_first(struct mshv_movable *mv)
{
	u64 pos = 0, nr = mv->mr->nr_pages;
	unsigned int tries = 0;
	int ret;

	for (;;) {
		ret = mshv_movable_walk(mv, &pos, nr, true,
					mshv_movable_map_none);
		/* The failed piece may be mapped in part. */
		mv->extent = ret ? min(pos + MSHV_REGION_STEP, nr) : nr;
		if (ret != -ENOMEM || ++tries > MSHV_TEARDOWN_TRIES)
			return ret;
		ret = mshv_hv_deposit_for(mv->pt_id, mv->hp.want,
					  MSHV_MAP_GPA_DEPOSIT);
		if (ret)
			return ret;
	}
}

/* Unmap what the first map may have mapped; must complete. */
static int mshv_movable_unmap_all(struct mshv_movable *mv, bool killable)
{
	u64 pos = 0;

	return mshv_movable_walk(mv, &pos, mv->extent, killable,
				 mshv_movable_unmap);
}

static bool mshv_movable_invalidate(struct mmu_interval_notifier *mni,
				    const struct mmu_notifier_range *range,
				    unsigned long cur_seq)
{
	struct mshv_movable *mv = container_of(mni, struct mshv_movable, mni);
	struct mshv_mem_region *mr = mv->mr;
	u64 start = max_t(u64, range->start, mr->uaddr);
	u64 end = min_t(u64, range->end,
			mr->uaddr + (mr->nr_pages << PAGE_SHIFT));
	u64 from = 0, to = 0;
	int ret = 0;

	if (start < end) {
		from = (start - mr->uaddr) >> PAGE_SHIFT;
		to = (end - mr->uaddr + PAGE_SIZE - 1) >> PAGE_SHIFT;
	}

	/*
	 * Revoking takes a hypercall, which may sleep (in hvsim at least):
	 * a caller that cannot wait (the OOM reaper) has to leave the range.
	 */
	if (!mmu_notifier_range_blockable(range))
		return false;
	mutex_lock(&mv->mutex);
	mmu_interval_set_seq(mni, cur_seq);
	if (!mv->dead && from < to) {
		ret = mshv_movable_revoke(mv, from, to);
		atomic_inc(&mv->stats->invalidations);
		atomic_add(to - from, &mv->stats->invalidated_pages);
	}
	mutex_unlock(&mv->mutex);
	/*
	 * NO_ACCESS remaps existing entries, which the hypervisor needs no
	 * memory for; if it fails anyway the guest may keep reaching a page
	 * that is about to go, and nothing here can stop that.
	 */
	if (ret) {
		atomic_inc(&mv->stats->invalidate_errors);
		pr_err_ratelimited("mshv: partition %#llx: cannot revoke gfns %#llx-%#llx: %d\n",
				   mv->pt_id, mr->start_gfn + from,
				   mr->start_gfn + to - 1, ret);
	}
	trace_mshv_movable_invalidate(mv->pt_id, mr->start_gfn + from,
				      to > from ? to - from : 0, range->event,
				      ret);
	return true;
}

static const struct mmu_interval_notifier_ops mshv_movable_mni_ops = {
	.invalidate = mshv_movable_invalidate,
};

static void mshv_movable_free(struct mshv_movable *mv)
{
	mshv_hvpages_free(&mv->hp);
	mutex_destroy(&mv->mutex);
	kfree(mv);
}

/**
 * mshv_region_movable_create() - map a new movable region NO_ACCESS
 * @pt: the partition, pt_mutex held
 * @mr: a new MSHV_REGION_MOVABLE region, not yet in the tree
 *
 * The notifier goes in first (its first insertion in a process can fail
 * with -EINTR, better before the hypercalls than after), with nothing to
 * revoke until the range is mapped; on error it is removed before the
 * state is freed.
 *
 * Return: 0, or a negative errno (-EINTR on a fatal signal) with nothing
 * left mapped or allocated (short of a hypervisor that refuses to unmap,
 * which is logged).
 */
int mshv_region_movable_create(struct mshv_partition *pt,
			       struct mshv_mem_region *mr)
{
	struct mshv_movable *mv;
	int ret;

	lockdep_assert_held(&pt->pt_mutex);

	mv = kzalloc(sizeof(*mv), GFP_KERNEL_ACCOUNT);
	if (!mv)
		return -ENOMEM;
	mutex_init(&mv->mutex);
	mv->mr = mr;
	mv->pt_id = pt->pt_id;
	mv->stats = &pt->pt_movable_stats;
	mv->dead = true;	/* until mapped: nothing to revoke */
	ret = mshv_hvpages_alloc(&mv->hp);
	if (ret)
		goto free;
	ret = mmu_interval_notifier_insert(&mv->mni, current->mm, mr->uaddr,
					   mr->nr_pages << PAGE_SHIFT,
					   &mshv_movable_mni_ops);
	if (ret)
		goto free;

	ret = mshv_movable_map_first(mv);
	if (ret)
		goto remove;
	mutex_lock(&mv->mutex);
	mv->dead = false;
	mutex_unlock(&mv->mutex);
	mr->movable = mv;
	return 0;

remove:
	mmu_interval_notifier_remove(&mv->mni);
	/* No page was ever reachable: a failed unmap only costs GPA space. */
	if (mshv_movable_unmap_all(mv, false))
		pr_err_ratelimited("mshv: partition %#llx: gfns %#llx+%#llx stay mapped no-access\n",
				   pt->pt_id, mr->start_gfn, mr->nr_pages);
free:
	mshv_movable_free(mv);
	return ret;
}

/**
 * mshv_region_movable_unmap() - remove a movable region from the GPA space
 * @mr: the region; pt_mutex held, or the partition is being destroyed
 * @killable: stop with -EINTR on a fatal signal (the MSHV_SET_GUEST_MEMORY
 *	unmap); false where it must complete
 *
 * The range is unmapped under the region mutex, so an invalidation either
 * completes before or finds nothing left to revoke.  The notifier stays
 * until mshv_region_movable_release().
 *
 * Return: 0, or a negative errno if the hypervisor still maps part of the
 * range (the region then keeps working as before, but for the frames
 * already unmapped, whose accesses go to the VMM).
 */
int mshv_region_movable_unmap(struct mshv_mem_region *mr, bool killable)
{
	struct mshv_movable *mv = mr->movable;
	int ret;

	mutex_lock(&mv->mutex);
	ret = mshv_movable_unmap_all(mv, killable);
	if (!ret)
		mv->dead = true;
	mutex_unlock(&mv->mutex);
	return ret;
}

/**
 * mshv_region_movable_release() - stop watching a region and free its state
 * @mr: the region, unmapped (or its partition gone from the hypervisor)
 *
 * Waits for invalidations in flight; nothing is pinned, so nothing else
 * needs undoing.
 */
void mshv_region_movable_release(struct mshv_mem_region *mr)
{
	struct mshv_movable *mv = mr->movable;

	if (!mv)
		return;
	mmu_interval_notifier_remove(&mv->mni);
	mshv_movable_free(mv);
	mr->movable = NULL;
}

/**
 * mshv_movable_window_large() - can a window be mapped as one 2 MiB page?
 * @pfns: the host frames of the window, one per guest frame
 * @count: frames in the window
 * @gfn: its first guest frame
 *
 * Return: true if the window is 512 frames from a 2 MiB-aligned @gfn and
 * its host frames are one 2 MiB-aligned run.
 */
VISIBLE_IF_KUNIT bool mshv_movable_window_large(const u64 *pfns, u64 count, u64 gfn)
{
	u32 i;

	if (count != MSHV_LARGE || !IS_ALIGNED(gfn, MSHV_LARGE) ||
	    !IS_ALIGNED(pfns[0], MSHV_LARGE))
		return false;
	for (i = 1; i < MSHV_LARGE; i++)
		if (pfns[i] != pfns[0] + i)
			return false;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(mshv_movable_window_large);

/*
 * Fault in frames [@from, @from + @count) (one window) and map them.
 * Return: 0, or a negative errno (the window stays as it was).
 */
static int mshv_movable_fault_window(struct mshv_movable *mv, u64 from,
				     u64 count, bool *large)
{
	struct mshv_mem_region *mr = mv->mr;
	struct mm_struct *mm = mv->mni.mm;
	u64 *pfns = (u64 *)mv->pfns;
	u64 gfn = mr->start_gfn + from;
	struct hmm_range range = {
		.notifier = &mv->mni,
		.start = mr->uaddr + (from << PAGE_SHIFT),
		.end = mr->uaddr + ((from + count) << PAGE_SHIFT),
		.hmm_pfns = mv->pfns,
		/* Never ask for write on a read-only region: no CoW break. */
		.default_flags = HMM_PFN_REQ_FAULT |
				 (mr->writable ? HMM_PFN_REQ_WRITE : 0),
	};
	unsigned int deposits = 0;
	u16 want;
	u32 flags;
	u64 i, done;
	int ret;

	static_assert(sizeof(u64) == sizeof(unsigned long));
	if (!mmget_not_zero(mm))
		return -EFAULT;
again:
	if (fatal_signal_pending(current)) {
		ret = -EINTR;
		goto out;
	}
	range.notifier_seq = mmu_interval_read_begin(&mv->mni);
	mmap_read_lock(mm);
	ret = hmm_range_fault(&range);
	mmap_read_unlock(mm);
	if (ret == -EBUSY) {
		atomic_inc(&mv->stats->fault_retries);
		cond_resched();
		goto again;
	}
	if (ret)
		goto out;

	mutex_lock(&mv->mutex);
	if (mmu_interval_read_retry(&mv->mni, range.notifier_seq)) {
		mutex_unlock(&mv->mutex);
		atomic_inc(&mv->stats->fault_retries);
		goto again;
	}
	/* In place: an hmm pfn becomes the plain frame number. */
	for (i = 0; i < count; i++)
		pfns[i] = page_to_pfn(hmm_pfn_to_page(mv->pfns[i]));
	*large = mshv_movable_window_large(pfns, count, gfn);
	flags = mr->hv_flags;
	if (*large)
		ret = mshv_hv_map_gpa_list(&mv->hp, mv->pt_id, gfn, pfns,
					   count, flags | HV_MAP_GPA_LARGE_PAGE,
					   &done);
	else
		ret = mshv_hv_map_gpa_list(&mv->hp, mv->pt_id, gfn, pfns,
					   count, flags, &done);
	/*
	 * On failure the frames mapped so far stay mapped: the pages are
	 * current (the sequence check passed under the mutex) and the
	 * notifier will revoke them like any other.
	 */
	want = mv->hp.want;
	mutex_unlock(&mv->mutex);
	if (ret == -ENOMEM && ++deposits <= MSHV_MAX_DEPOSIT_RETRIES) {
		ret = mshv_hv_deposit_for(mv->pt_id, want,
					  MSHV_MAP_GPA_DEPOSIT);
		if (!ret)
			goto again;
	}
out:
	mmput(mm);
	return ret;
}

/**
 * mshv_movable_window() - the fault-in window of a frame
 * @mr: the region holding @gfn
 * @gfn: the guest frame accessed
 * @from: receives the window's first frame, as an offset in @mr
 *
 * Return: the window's length: the 2 MiB-aligned 512 frames around @gfn,
 * clamped to the region.
 */
VISIBLE_IF_KUNIT u64 mshv_movable_window(const struct mshv_mem_region *mr, u64 gfn, u64 *from)
{
	u64 start = ALIGN_DOWN(gfn, MSHV_LARGE);
	u64 end = min(start + MSHV_LARGE, mr->start_gfn + mr->nr_pages);

	start = max(start, mr->start_gfn);
	*from = start - mr->start_gfn;
	return end - start;
}
EXPORT_SYMBOL_IF_KUNIT(mshv_movable_window);

/**
 * mshv_region_movable_fault() - handle a GPA intercept inside MSHV_RUN_VP
 * @vp: the VP, stopped on the intercept in its intercept message page
 *
 * An HVMSG_GPA_INTERCEPT on a frame of a movable region that the region's
 * flags allow is handled here: the 2 MiB-aligned window around the frame
 * (clamped to the region) is faulted in and mapped, and the VP may be
 * resumed to retry the access.  Everything else (other messages, frames
 * outside movable regions, a write to a read-only region...) is the VMM's.
 *
 * Return: 1 if handled, 0 if the message is for the VMM, or a negative
 * errno (-EFAULT if the user memory behind the frame cannot be faulted
 * in; the VP then stays stopped on the access).
 */
int __mshv_hot mshv_region_movable_fault(struct mshv_vp *vp)
{
	const struct hv_message *msg = page_address(vp->vp_intercept_page);
	const struct hv_x64_memory_intercept_message *mem =
		(const void *)msg->u.payload;
	struct mshv_partition *pt = vp->vp_pt;
	struct mshv_mem_region *mr;
	u64 gfn, from, count;
	bool large = false;
	u8 access;
	int ret;

	if (READ_ONCE(msg->header.message_type) != HVMSG_GPA_INTERCEPT)
		return 0;
	gfn = READ_ONCE(mem->guest_physical_address) >> HV_HYP_PAGE_SHIFT;
	access = READ_ONCE(mem->header.intercept_access_type);

	if (mutex_lock_killable(&pt->pt_mutex))
		return -EINTR;
	mr = mshv_region_lookup(&pt->pt_regions, gfn);
	if (!mr || mr->kind != MSHV_REGION_MOVABLE || mr->hv_unmapped ||
	    (access == HV_INTERCEPT_ACCESS_WRITE && !mr->writable) ||
	    (access == HV_INTERCEPT_ACCESS_EXECUTE &&
	     !(mr->hv_flags & HV_MAP_GPA_EXECUTABLE))) {
		ret = 0;
		goto unlock;
	}
	count = mshv_movable_window(mr, gfn, &from);
	ret = mshv_movable_fault_window(mr->movable, from, count, &large);
	atomic_inc(&pt->pt_movable_stats.faults);
	/*
	 * hmm_range_fault() says EPERM when the user mapping lost the write
	 * permission a writable region needs: to the VMM, as for a pinned
	 * region, the memory behind the frame cannot be faulted in.
	 */
	if (ret == -EPERM)
		ret = -EFAULT;
	if (ret) {
		atomic_inc(&pt->pt_movable_stats.fault_errors);
	} else {
		atomic_add(count, &pt->pt_movable_stats.fault_pages);
		if (large)
			atomic_inc(&pt->pt_movable_stats.fault_large);
		ret = 1;
	}
	trace_mshv_movable_fault(pt->pt_id, vp->vp_index, gfn, access,
				 mr->start_gfn + from, count, large,
				 ret < 0 ? ret : 0);
unlock:
	mutex_unlock(&pt->pt_mutex);
	return ret;
}
