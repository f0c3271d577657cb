// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: MSHV_GET_GPAP_ACCESS_BITMAP, the guest page access bitmap.
 *
 * The hypervisor keeps an accessed and a dirty bit per guest page (while
 * the partition property GPA_PAGE_ACCESS_TRACKING is enabled, it records
 * the guest's accesses in them).  HVCALL_GET_GPA_PAGES_ACCESS_STATES
 * reports one state byte per page and then sets or clears the bits.  The
 * ioctl turns a range of those bytes into a bitmap of one of the two bits,
 * one batch of pages at a time, so that its memory use does not grow with
 * the range.
 *
 * As upstream: CLEAR of the accessed bit clears the dirty bit too (a page
 * not accessed cannot be dirty), SET of the dirty bit sets the accessed
 * bit too.  The bitmap has bit i (byte i / 8, bit i % 8) for page
 * gpap_base + i, and the unused bits of its last byte are zero.
 */

#include <kunit/visibility.h>
#include <linux/bitops.h>
#include <linux/minmax.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <uapi/linux/mshv.h>

#include "mshv_root.h"

/* Guest physical addresses are at most 52 bits wide on x64. */
#define MSHV_GPAP_GFN_LIMIT	BIT_ULL(52 - HV_HYP_PAGE_SHIFT)

/**
 * mshv_gpap_check() - validate an MSHV_GET_GPAP_ACCESS_BITMAP argument
 * @args: the argument as copied from userspace
 *
 * Return: 0, or -EINVAL for an unknown type or op, non-zero reserved
 * bytes, no pages, no bitmap, or a page range that wraps or leaves the
 * 52-bit guest physical address space.
 */
VISIBLE_IF_KUNIT int mshv_gpap_check(const struct mshv_gpap_access_bitmap *args)
{
	if (args->access_type >= MSHV_GPAP_ACCESS_TYPE_COUNT ||
	    args->access_op >= MSHV_GPAP_ACCESS_OP_COUNT ||
	    memchr_inv(args->rsvd, 0, sizeof(args->rsvd)) ||
	    !args->page_count || !args->bitmap_ptr)
		return -EINVAL;
	if (args->gpap_base >= MSHV_GPAP_GFN_LIMIT ||
	    args->page_count > MSHV_GPAP_GFN_LIMIT - args->gpap_base)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mshv_gpap_check);

/**
 * mshv_gpap_hv_flags() - the hypercall flags for an access type and op
 * @type: MSHV_GPAP_ACCESS_TYPE_*, valid
 * @op: MSHV_GPAP_ACCESS_OP_*, valid
 *
 * Return: HV_GPA_PAGE_ACCESS_STATE_* flags.
 */
VISIBLE_IF_KUNIT u64 mshv_gpap_hv_flags(u8 type, u8 op)
{
	if (op == MSHV_GPAP_ACCESS_OP_NOOP)
		return 0;
	if (type == MSHV_GPAP_ACCESS_TYPE_ACCESSED)
		return op == MSHV_GPAP_ACCESS_OP_CLEAR ?
		       HV_GPA_PAGE_ACCESS_STATE_CLEAR_ACCESSED |
		       HV_GPA_PAGE_ACCESS_STATE_CLEAR_DIRTY :
		       HV_GPA_PAGE_ACCESS_STATE_SET_ACCESSED;
	return op == MSHV_GPAP_ACCESS_OP_CLEAR ?
	       HV_GPA_PAGE_ACCESS_STATE_CLEAR_DIRTY :
	       HV_GPA_PAGE_ACCESS_STATE_SET_DIRTY |
	       HV_GPA_PAGE_ACCESS_STATE_SET_ACCESSED;
}
EXPORT_SYMBOL_IF_KUNIT(mshv_gpap_hv_flags);

/**
 * mshv_gpap_pack() - turn state bytes into bitmap bytes
 * @states: one HV_GPA_PAGE_ACCESS_* byte per page
 * @count: number of pages
 * @mask: the state bit to report
 * @bitmap: receives DIV_ROUND_UP(@count, 8) bytes; bits past @count are 0
 */
VISIBLE_IF_KUNIT void mshv_gpap_pack(const u8 *states, u32 count, u8 mask, u8 *bitmap)
{
	u32 i;

	memset(bitmap, 0, DIV_ROUND_UP(count, 8));
	for (i = 0; i < count; i++)
		if (states[i] & mask)
			bitmap[i / 8] |= BIT(i % 8);
}
EXPORT_SYMBOL_IF_KUNIT(mshv_gpap_pack);

/**
 * mshv_gpap_access_bitmap() - MSHV_GET_GPAP_ACCESS_BITMAP
 * @pt: the partition; pt_mutex held
 * @uarg: struct mshv_gpap_access_bitmap
 *
 * The whole user bitmap is zeroed first, so that a bad buffer is found
 * before the hypervisor changes anything.  If the hypervisor fails part
 * way, the op has been applied to the pages before the failure and the
 * bitmap holds their bits; the rest of it stays zero.
 *
 * Context: process context; may sleep.  A fatal signal stops it between
 * batches.
 * Return: 0 or a negative errno.
 */
long mshv_gpap_access_bitmap(struct mshv_partition *pt, void __user *uarg)
{
	struct mshv_gpap_access_bitmap args;
	u8 bits[MSHV_GPA_ACCESS_BATCH / 8];
	struct mshv_hvpages hp;
	u8 __user *ubitmap;
	u64 done, flags;
	u32 n;
	u8 mask;
	int ret;

	lockdep_assert_held(&pt->pt_mutex);

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	ret = mshv_gpap_check(&args);
	if (ret)
		return ret;
	ubitmap = u64_to_user_ptr(args.bitmap_ptr);
	if (clear_user(ubitmap, DIV_ROUND_UP(args.page_count, 8)))
		return -EFAULT;

	flags = mshv_gpap_hv_flags(args.access_type, args.access_op);
	mask = args.access_type == MSHV_GPAP_ACCESS_TYPE_DIRTY ?
	       HV_GPA_PAGE_ACCESS_DIRTY : HV_GPA_PAGE_ACCESS_ACCESSED;
	ret = mshv_hvpages_alloc(&hp);
	if (ret)
		return ret;

	for (done = 0; done < args.page_count; done += n) {
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		n = mshv_hvcall_batch(args.page_count, done,
				      MSHV_GPA_ACCESS_BATCH);
		ret = mshv_hv_get_gpa_access_states(&hp, pt->pt_id,
						    args.gpap_base + done, n,
						    flags);
		if (ret)
			break;
		mshv_gpap_pack(hp.out, n, mask, bits);
		/* done is a multiple of the batch, so of 8. */
		if (copy_to_user(ubitmap + done / 8, bits, DIV_ROUND_UP(n, 8))) {
			ret = -EFAULT;
			break;
		}
		cond_resched();
	}
	mshv_hvpages_free(&hp);
	return ret;
}
