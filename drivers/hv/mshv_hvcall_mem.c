// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: the hypercall wrappers for guest memory: mapping and unmapping
 * guest frames, and their access states.
 *
 * Like mshv_hvcall_typed.c: each wrapper fills a zeroed page pair, issues
 * the call (depositing memory where the hypervisor may ask for it), logs
 * unexpected failures and returns an errno.
 */

#include <kunit/visibility.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "mshv_root.h"

/**
 * mshv_hv_map_gpa_pages() - map host pages into a partition's GPA space
 * @partition_id: the partition
 * @gfn: first guest frame
 * @pages: the host pages, one per guest frame
 * @count: number of pages
 * @flags: HV_MAP_GPA_*; with HV_MAP_GPA_LARGE_PAGE, @gfn and @count are
 *	multiples of 512 and each 512 pages from a multiple of 512 on are
 *	one physically contiguous, 2 MiB aligned run: one PFN per run is
 *	passed
 * @mapped: receives how many pages (from @gfn on) ended up mapped, also on
 *	failure, so the caller can unmap exactly those
 *
 * Up to %MSHV_MAP_GPA_BATCH PFNs go in each call; memory is deposited and
 * the call resumed when the hypervisor runs out.
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_map_gpa_pages(u64 partition_id, u64 gfn, struct page **pages,
			  u64 count, u32 flags, u64 *mapped)
{
	u32 stride = 1, n, i, reps;
	struct hv_input_map_gpa_pages *in;
	struct mshv_hvpages hp;
	u64 done = 0, first;
	u16 status;
	int ret;

	*mapped = 0;
	if (flags & HV_MAP_GPA_LARGE_PAGE)
		stride = HV_HYP_PAGES_PER_LARGE_PAGE;
	if (WARN_ON_ONCE(!IS_ALIGNED(gfn | count, stride)))
		return -EINVAL;
	count /= stride;
	ret = mshv_hvpages_alloc(&hp);
	if (ret)
		return ret;
	in = hp.in;

	while ((n = mshv_hvcall_batch(count, done, MSHV_MAP_GPA_BATCH))) {
		in->target_partition_id = partition_id;
		in->target_gpa_base = gfn + done * stride;
		in->map_flags = flags;
		in->padding = 0;
		for (i = 0; i < n; i++) {
			first = (done + i) * stride;
			in->source_gpa_page_list[i] = page_to_pfn(pages[first]);
		}
		ret = mshv_hvcall_rep(HVCALL_MAP_GPA_PAGES, 0, n, in, hp.out,
				      partition_id, MSHV_MAP_GPA_DEPOSIT,
				      &reps, &status);
		done += reps;
		if (ret) {
			pr_err_ratelimited("mshv: MAP_GPA_PAGES gfn %#llx failed: status %#x\n",
					   gfn + done * stride, status);
			break;
		}
	}
	*mapped = done * stride;
	mshv_hvpages_free(&hp);
	return ret;
}

/**
 * mshv_hv_unmap_gpa_hp() - remove GPA mappings with a caller's page pair
 * @hp: input/output pages owned by the caller
 * @partition_id: the partition
 * @gfn: first guest frame
 * @count: number of 4 KiB frames
 * @flags: 0 or HV_UNMAP_GPA_LARGE_PAGE (the range was mapped in 2 MiB
 *	pages; @gfn and @count are multiples of 512 and each rep unmaps 512
 *	frames)
 *
 * Allocates nothing, so it may be called under a lock that an MMU
 * notifier takes.
 *
 * Return: 0 or a negative errno (the first failure stops the walk).
 */
int mshv_hv_unmap_gpa_hp(struct mshv_hvpages *hp, u64 partition_id, u64 gfn,
			 u64 count, u32 flags)
{
	struct hv_input_unmap_gpa_pages *in = hp->in;
	u32 stride = 1, n;
	u64 done = 0;
	u16 status;
	int ret = 0;

	if (flags & HV_UNMAP_GPA_LARGE_PAGE)
		stride = HV_HYP_PAGES_PER_LARGE_PAGE;
	if (WARN_ON_ONCE(!IS_ALIGNED(gfn | count, stride)))
		return -EINVAL;
	count /= stride;

	while ((n = mshv_hvcall_batch(count, done, MSHV_UNMAP_GPA_BATCH))) {
		in->target_partition_id = partition_id;
		in->target_gpa_base = gfn + done * stride;
		in->unmap_flags = flags;
		in->padding = 0;
		ret = mshv_hvcall_rep(HVCALL_UNMAP_GPA_PAGES, 0, n, in, hp->out,
				      HV_PARTITION_ID_INVALID, 0, NULL,
				      &status);
		if (ret) {
			pr_err_ratelimited("mshv: UNMAP_GPA_PAGES gfn %#llx failed: status %#x\n",
					   gfn + done * stride, status);
			break;
		}
		done += n;
	}
	return ret;
}

/**
 * mshv_hv_unmap_gpa_pages() - remove GPA mappings of a partition
 * @partition_id: the partition
 * @gfn: first guest frame
 * @count: number of 4 KiB frames
 * @flags: as for mshv_hv_unmap_gpa_hp()
 *
 * Return: 0 or a negative errno (the first failure stops the walk).
 */
int mshv_hv_unmap_gpa_pages(u64 partition_id, u64 gfn, u64 count, u32 flags)
{
	struct mshv_hvpages hp;
	int ret;

	ret = mshv_hvpages_alloc(&hp);
	if (ret)
		return ret;
	ret = mshv_hv_unmap_gpa_hp(&hp, partition_id, gfn, count, flags);
	mshv_hvpages_free(&hp);
	return ret;
}

/**
 * mshv_hv_get_gpa_access_states() - read, and change, the access states of
 *	a run of guest pages
 * @hp: a page pair; the states are left in @hp->out, one byte per page
 *	(HV_GPA_PAGE_ACCESS_*)
 * @partition_id: the partition
 * @gfn: first guest page frame
 * @count: number of pages, 1..MSHV_GPA_ACCESS_BATCH
 * @flags: HV_GPA_PAGE_ACCESS_STATE_* changes applied after reading
 *
 * Return: 0 or a negative errno; on error some pages may have been
 * processed.
 */
int mshv_hv_get_gpa_access_states(struct mshv_hvpages *hp, u64 partition_id,
				  u64 gfn, u32 count, u64 flags)
{
	struct hv_input_get_gpa_pages_access_state *in = hp->in;
	u16 status;
	int ret;

	if (WARN_ON_ONCE(!count || count > MSHV_GPA_ACCESS_BATCH))
		return -EINVAL;
	memset(in, 0, sizeof(*in));
	in->partition_id = partition_id;
	in->flags = flags;
	in->hv_gpa_page_number = gfn;
	ret = mshv_hvcall_rep(HVCALL_GET_GPA_PAGES_ACCESS_STATES, 0, count, in,
			      hp->out, HV_PARTITION_ID_INVALID, 0, NULL,
			      &status);
	if (ret)
		pr_err_ratelimited("mshv: GET_GPA_PAGES_ACCESS_STATES failed: status %#x\n",
				   status);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(mshv_hv_get_gpa_access_states);

/**
 * mshv_hv_map_gpa_list() - map guest frames with a caller's page pair
 * @hp: input/output pages owned by the caller
 * @partition_id: the partition
 * @gfn: first guest frame
 * @pfns: one host frame per rep, or NULL to name frame 0 in every rep
 *	(what HV_MAP_GPA_NO_ACCESS mappings pass: no frame is reachable)
 * @count: number of 4 KiB frames
 * @flags: HV_MAP_GPA_*; with HV_MAP_GPA_LARGE_PAGE each rep maps 512
 *	frames, so @gfn and @count are multiples of 512 and @pfns holds one
 *	2 MiB aligned frame per 512
 * @mapped: receives how many frames ended up mapped, also on failure
 *
 * Unlike mshv_hv_map_gpa_pages() this allocates nothing and deposits
 * nothing, so it may be called under a lock that an MMU notifier takes:
 * a status that asks for memory comes back as -ENOMEM, with the status in
 * @hp->want, for the caller to deposit (mshv_hv_deposit_for()) once the
 * lock is dropped.
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_map_gpa_list(struct mshv_hvpages *hp, u64 partition_id, u64 gfn,
			 const u64 *pfns, u64 count, u32 flags, u64 *mapped)
{
	struct hv_input_map_gpa_pages *in = hp->in;
	u32 stride = 1, n, reps;
	u64 done = 0;
	u16 status;
	int ret = 0;

	*mapped = 0;
	hp->want = HV_STATUS_INSUFFICIENT_MEMORY;
	if (flags & HV_MAP_GPA_LARGE_PAGE)
		stride = HV_HYP_PAGES_PER_LARGE_PAGE;
	if (WARN_ON_ONCE(!IS_ALIGNED(gfn | count, stride)))
		return -EINVAL;
	count /= stride;

	while ((n = mshv_hvcall_batch(count, done, MSHV_MAP_GPA_BATCH))) {
		in->target_partition_id = partition_id;
		in->target_gpa_base = gfn + done * stride;
		in->map_flags = flags;
		in->padding = 0;
		if (pfns)
			memcpy(in->source_gpa_page_list, pfns + done,
			       n * sizeof(u64));
		else
			memset(in->source_gpa_page_list, 0, n * sizeof(u64));
		ret = mshv_hvcall_rep(HVCALL_MAP_GPA_PAGES, 0, n, in, hp->out,
				      HV_PARTITION_ID_INVALID, 0, &reps,
				      &status);
		done += reps;
		if (ret) {
			if (mshv_hvstatus_needs_memory(status))
				hp->want = status;
			else
				pr_err_ratelimited("mshv: MAP_GPA_PAGES gfn %#llx failed: status %#x\n",
						   gfn + done * stride, status);
			break;
		}
	}
	*mapped = done * stride;
	return ret;
}
