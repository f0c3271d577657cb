// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: injecting an interrupt into a partition.
 *
 * Two ways, chosen per interrupt by mshv_irqfd.c:
 *
 *  - Fast path (root scheduler, hypervisor support, fixed edge-triggered
 *    interrupt to one physical APIC id): append the vector to the target
 *    VP's register page (count + up to seven vectors in one 64-bit word,
 *    shared with the hypervisor and the VMM's mapping, updated with
 *    cmpxchg) and kick the VP's run loop, whose next HVCALL_DISPATCH_VP
 *    passes HV_DISPATCH_VP_FLAG_SCAN_INTERRUPT_INJECTION.  No hypercall of
 *    its own; usable in atomic context.
 *  - Slow path: HVCALL_ASSERT_VIRTUAL_INTERRUPT, in sleepable context.
 *
 * The fast path can be turned off per partition (its debugfs file
 * irq_fast_path), so that tests cover both paths.
 */

#include <kunit/visibility.h>
#include <linux/mm.h>
#include <linux/nospec.h>

#include "mshv_root.h"

/* ------------------------------------------------------------------ */
/* The register page's pending vectors: count in byte 0, then vectors. */
/* ------------------------------------------------------------------ */

#define MSHV_VECTORS_OFFSET \
	offsetof(struct hv_vp_register_page, interrupt_vector_count)
static_assert(MSHV_VECTORS_OFFSET % sizeof(u64) == 0);
static_assert(HV_VP_REGISTER_PAGE_MAX_VECTOR_COUNT + 1 == sizeof(u64));

/* Bounded: a VMM scribbling on its mapping must not stall a wakeup. */
#define MSHV_VECTOR_CMPXCHG_TRIES	16

union mshv_vectors {
	u64 word;
	u8 bytes[8];		/* [0]: count; [1..7]: vectors */
};

static u64 *mshv_vp_vectors(struct mshv_vp *vp)
{
	return page_address(vp->vp_register_page) + MSHV_VECTORS_OFFSET;
}

/**
 * mshv_vp_irq_pending() - whether vectors wait in a VP's register page
 * @vp: the VP
 *
 * Return: true if the next dispatch should scan them.
 */
bool __mshv_hot mshv_vp_irq_pending(struct mshv_vp *vp)
{
	union mshv_vectors v = { .word = READ_ONCE(*mshv_vp_vectors(vp)) };

	return v.bytes[0];
}

/* Index of @vector among the pending ones, or -1. */
static int mshv_vectors_find(const union mshv_vectors *v, u8 vector)
{
	unsigned int i, n = min_t(unsigned int, v->bytes[0],
				  HV_VP_REGISTER_PAGE_MAX_VECTOR_COUNT);

	for (i = 0; i < n; i++)
		if (v->bytes[i + 1] == vector)
			return i;
	return -1;
}

/**
 * mshv_vectors_post() - queue a vector in a register page's vector word
 * @word: the count + vectors word (shared with the hypervisor and the VMM)
 * @vector: the vector
 *
 * Return: 0 if queued, 1 if it was queued already, -ENOSPC if all slots
 * are taken, -EBUSY if the word kept changing under us.
 */
VISIBLE_IF_KUNIT int mshv_vectors_post(u64 *word, u8 vector)
{
	union mshv_vectors old, new;
	unsigned int tries;

	old.word = READ_ONCE(*word);
	for (tries = 0; tries < MSHV_VECTOR_CMPXCHG_TRIES; tries++) {
		if (mshv_vectors_find(&old, vector) >= 0)
			return 1;
		if (old.bytes[0] >= HV_VP_REGISTER_PAGE_MAX_VECTOR_COUNT)
			return -ENOSPC;
		new = old;
		new.bytes[++new.bytes[0]] = vector;
		if (try_cmpxchg(word, &old.word, new.word))
			return 0;
	}
	return -EBUSY;
}
EXPORT_SYMBOL_IF_KUNIT(mshv_vectors_post);

/**
 * mshv_vectors_withdraw() - take a queued vector back out
 * @word: the count + vectors word
 * @vector: the vector
 *
 * The word is shared with the VMM's mapping of the register page, so its
 * count may be anything: only the first HV_VP_REGISTER_PAGE_MAX_VECTOR_COUNT
 * slots are ever looked at or moved, and the compare-and-exchange is given
 * up after a bounded number of tries.
 *
 * Return: true if @vector was still queued and is now gone (the hypervisor
 * never saw it), false if it was not there (the hypervisor took it) or the
 * word kept changing under us.
 */
VISIBLE_IF_KUNIT bool mshv_vectors_withdraw(u64 *word, u8 vector)
{
	union mshv_vectors old, new;
	unsigned int i, n, tries;
	int at;

	old.word = READ_ONCE(*word);
	for (tries = 0; tries < MSHV_VECTOR_CMPXCHG_TRIES; tries++) {
		at = mshv_vectors_find(&old, vector);
		if (at < 0)
			return false;
		/* find() found @at below the clamped count: n >= 1. */
		n = min_t(unsigned int, old.bytes[0],
			  HV_VP_REGISTER_PAGE_MAX_VECTOR_COUNT);
		new = old;
		for (i = at + 1; i < n; i++)
			new.bytes[i] = new.bytes[i + 1];
		new.bytes[n] = 0;
		new.bytes[0] = n - 1;
		if (try_cmpxchg(word, &old.word, new.word))
			return true;
	}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(mshv_vectors_withdraw);

/**
 * mshv_irq_fast_path_usable() - whether injection may use register pages
 * @pt: the partition
 *
 * Return: true with the root scheduler, a hypervisor that scans the
 * register page on dispatch, and the fast path left on for @pt.
 */
bool mshv_irq_fast_path_usable(const struct mshv_partition *pt)
{
	return READ_ONCE(pt->pt_irq.fast_path) &&
	       mshv_root.scheduler_type == HV_SCHEDULER_TYPE_ROOT &&
	       (mshv_root.ops->features & MSHV_PLATFORM_F_DISPATCH_INJECTION);
}

/**
 * mshv_irq_inject_fast() - the fast path
 * @pt: the partition
 * @msi: a valid route
 *
 * Context: any (called from eventfd wakeups).
 * Return: 0 if the vector is queued for the VP's next dispatch and the VP
 * was kicked; -EOPNOTSUPP if the route cannot take this path; another
 * negative errno if the path was refused this time (use the slow path).
 */
int mshv_irq_inject_fast(struct mshv_partition *pt,
			 const struct mshv_msi *msi)
{
	struct mshv_vp *vp;
	int ret;

	if (!mshv_irq_fast_path_usable(pt) || msi->logical || msi->level ||
	    msi->type != HV_X64_INTERRUPT_TYPE_FIXED)
		return -EOPNOTSUPP;
	/* Pairs with the release in mshv_vp_create(). */
	vp = smp_load_acquire(&pt->pt_vps[array_index_nospec(msi->dest,
							     MSHV_MAX_VPS)]);
	if (!vp || !vp->vp_register_page)
		return -EOPNOTSUPP;

	/*
	 * A dispatch in progress scans the page only when it starts: the
	 * vector would wait for the VP's next exit.
	 */
	if (READ_ONCE(vp->vp_dispatching))
		return -EBUSY;
	ret = mshv_vectors_post(mshv_vp_vectors(vp), msi->vector);
	if (ret < 0)
		return ret;
	/*
	 * Pairs with the barrier in mshv_vp_run_root(), which sets
	 * vp_dispatching and then looks for vectors: either that dispatch
	 * scans ours, or we see it dispatching here and take the vector
	 * back (unless the hypervisor consumed it already).
	 */
	smp_mb();	/* vector store before vp_dispatching load */
	if (READ_ONCE(vp->vp_dispatching) &&
	    mshv_vectors_withdraw(mshv_vp_vectors(vp), msi->vector))
		return -EBUSY;
	mshv_vp_kick(vp);
	return 0;
}

/**
 * mshv_irq_assert() - the slow path: HVCALL_ASSERT_VIRTUAL_INTERRUPT
 * @pt: the partition
 * @hp: hypercall pages owned by the caller
 * @msi: a valid route
 *
 * Context: process context.
 * Return: 0 or a negative errno.
 */
int mshv_irq_assert(struct mshv_partition *pt, struct mshv_hvpages *hp,
		    const struct mshv_msi *msi)
{
	union hv_interrupt_control control = {
		.interrupt_type = msi->type,
	};
	int ret;

	if (msi->level)
		control.flags |= HV_INTERRUPT_CONTROL_LEVEL_TRIGGERED;
	if (msi->logical)
		control.flags |= HV_INTERRUPT_CONTROL_LOGICAL_DEST;
	ret = mshv_hv_assert_virtual_interrupt(hp, pt->pt_id, msi->vector,
					       msi->dest, &control);
	atomic_inc(&pt->pt_irq.stats.inject_slow);
	if (ret)
		atomic_inc(&pt->pt_irq.stats.inject_failed);
	return ret;
}
