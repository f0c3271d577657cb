// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: irqfds (MSHV_IRQFD), resamplers and interrupt injection.
 *
 * An irqfd hooks a wait-queue entry into an eventfd.  Signalling the
 * eventfd calls mshv_irqfd_wakeup() with the eventfd's wait-queue lock
 * held and interrupts off, so injection starts in atomic context:
 *
 *  - Fast path (root scheduler, hypervisor support, fixed edge-triggered
 *    interrupt to one physical APIC id): append the vector to the target
 *    VP's register page (count + up to seven vectors, one 64-bit word,
 *    updated with cmpxchg) and kick the VP's run loop, whose next
 *    HVCALL_DISPATCH_VP passes HV_DISPATCH_VP_FLAG_SCAN_INTERRUPT_INJECTION.
 *    No hypercall of its own.
 *  - Slow path (everything else, or when the fast path is refused):
 *    HVCALL_ASSERT_VIRTUAL_INTERRUPT from a work item, since platform
 *    hypercalls must be issued from sleepable context.  Signals that
 *    arrive while the work is still pending coalesce, like edges on an
 *    interrupt line.
 *
 * Resample (level-triggered routes): irqfds of one GSI share a resampler.
 * When the hypervisor reports HVMSG_X64_APIC_EOI for a vector, every
 * resample irqfd whose route has that vector and may target that VP gets
 * its resamplefd signalled (from the SynIC ISR), so the VMM can re-check
 * its device and signal again if the line is still up.
 *
 * Teardown: deassign, EPOLLHUP (eventfd closed) and partition fd release
 * unlink an irqfd and queue its shutdown work, which leaves the eventfd's
 * wait queue, cancels a pending injection and frees everything.  Deassign
 * and release wait for that, so nothing outlives them.
 */

#include <linux/debugfs.h>
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/nospec.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <uapi/linux/mshv.h>

#include "mshv_root.h"
#include "mshv_trace.h"

static bool irq_fast_path = true;
module_param(irq_fast_path, bool, 0644);
MODULE_PARM_DESC(irq_fast_path,
		 "inject fixed edge-triggered interrupts through the VP register page when the hypervisor supports it (root scheduler); 0 forces HVCALL_ASSERT_VIRTUAL_INTERRUPT");

static struct workqueue_struct *mshv_irq_inject_wq;
static struct workqueue_struct *mshv_irqfd_cleanup_wq;

/* Counters in /sys/kernel/debug/mshv/irq/, over all partitions. */
static struct {
	atomic_t inject_fast;		/* fast path taken */
	atomic_t inject_slow;		/* ASSERT hypercalls issued */
	atomic_t inject_failed;		/* ... and failed */
	atomic_t fast_refused;		/* fast path possible but refused */
	atomic_t coalesced;		/* signal merged into pending work */
	atomic_t dropped;		/* GSI without a route */
	atomic_t eoi;			/* HVMSG_X64_APIC_EOI messages */
	atomic_t resampled;		/* resamplefd signals */
	atomic_t routing_updates;	/* MSHV_SET_MSI_ROUTING swaps */
} mshv_irq_stats;

/**
 * struct mshv_resampler - the resample irqfds of one GSI
 * @node: entry in pt_irq.resamplers (SRCU-readable)
 * @pt: owning partition
 * @gsi: the GSI
 * @irqfds: its irqfds (SRCU-readable), never empty while listed
 * @clear_work: HVCALL_CLEAR_VIRTUAL_INTERRUPT after an ExtINT EOI
 */
struct mshv_resampler {
	struct list_head node;
	struct mshv_partition *pt;
	u32 gsi;
	struct list_head irqfds;
	struct work_struct clear_work;
};

/**
 * struct mshv_irqfd - an eventfd bound to a GSI
 * @pt: owning partition (outlives the irqfd, see mshv_irqfd_release())
 * @node: entry in pt_irq.irqfds; empty once deactivated
 * @eventfd: the eventfd whose signals inject
 * @gsi: the GSI
 * @route_seq: guards @route; writers hold pt_irq.irqfds_lock
 * @route: the GSI's route, decoded (invalid: no route)
 * @wait: our entry in the eventfd's wait queue
 * @poll: used once, to hook @wait in
 * @hp: hypercall pages of @inject_work
 * @inject_work: slow-path injection
 * @shutdown_work: unhooks and frees the irqfd
 * @resampler: shared resampler of @gsi, or NULL
 * @resamplefd: eventfd signalled on EOI, with @resampler
 * @resampler_node: entry in @resampler's list
 */
struct mshv_irqfd {
	struct mshv_partition *pt;
	struct list_head node;
	struct eventfd_ctx *eventfd;
	u32 gsi;
	seqcount_spinlock_t route_seq;
	struct mshv_msi route;
	wait_queue_entry_t wait;
	poll_table poll;
	struct mshv_hvpages hp;
	struct work_struct inject_work;
	struct work_struct shutdown_work;
	struct mshv_resampler *resampler;
	struct eventfd_ctx *resamplefd;
	struct list_head resampler_node;
};

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
bool mshv_vp_irq_pending(struct mshv_vp *vp)
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

/*
 * Queue @vector.  Return: 0 if queued, 1 if it was queued already, -ENOSPC
 * if all slots are taken, -EBUSY if the word kept changing under us.
 */
static int mshv_vp_post_vector(struct mshv_vp *vp, u8 vector)
{
	u64 *word = mshv_vp_vectors(vp);
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

/*
 * Take @vector back out.  Return: true if it was still queued and is now
 * gone (the hypervisor never saw it), false if the hypervisor took it.
 */
static bool mshv_vp_withdraw_vector(struct mshv_vp *vp, u8 vector)
{
	u64 *word = mshv_vp_vectors(vp);
	union mshv_vectors old, new;
	unsigned int i, n;
	int at;

	old.word = READ_ONCE(*word);
	for (;;) {
		at = mshv_vectors_find(&old, vector);
		if (at < 0)
			return false;
		n = old.bytes[0];
		new = old;
		for (i = at + 1; i < n; i++)
			new.bytes[i] = new.bytes[i + 1];
		new.bytes[n] = 0;
		new.bytes[0] = n - 1;
		if (try_cmpxchg(word, &old.word, new.word))
			return true;
	}
}

/**
 * mshv_irq_fast_path_usable() - whether injection may use register pages
 *
 * Return: true with the root scheduler, a hypervisor that scans the
 * register page on dispatch, and the irq_fast_path parameter set.
 */
bool mshv_irq_fast_path_usable(void)
{
	return READ_ONCE(irq_fast_path) &&
	       mshv_root.scheduler_type == HV_SCHEDULER_TYPE_ROOT &&
	       (mshv_root.ops->features & MSHV_PLATFORM_F_DISPATCH_INJECTION);
}

/*
 * The fast path.  Context: any (called from eventfd wakeups).
 * Return: 0 if the vector is queued for the VP's next dispatch and the VP
 * was kicked; -EOPNOTSUPP if the route cannot take this path; another
 * negative errno if the path was refused this time (use the slow path).
 */
static int mshv_irq_inject_fast(struct mshv_partition *pt,
				const struct mshv_msi *msi)
{
	struct mshv_vp *vp;
	int ret;

	if (!mshv_irq_fast_path_usable() || msi->logical || msi->level ||
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
	ret = mshv_vp_post_vector(vp, msi->vector);
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
	    mshv_vp_withdraw_vector(vp, msi->vector))
		return -EBUSY;
	mshv_vp_kick(vp);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Injection.                                                         */
/* ------------------------------------------------------------------ */

static void mshv_irqfd_route(struct mshv_irqfd *irqfd, struct mshv_msi *msi)
{
	unsigned int seq;

	do {
		seq = read_seqcount_begin(&irqfd->route_seq);
		*msi = irqfd->route;
	} while (read_seqcount_retry(&irqfd->route_seq, seq));
}

static void mshv_irq_trace(const struct mshv_irqfd *irqfd,
			   const struct mshv_msi *msi, int path, int ret)
{
	trace_mshv_irq_inject(irqfd->pt->pt_id, irqfd->gsi, msi->vector,
			      msi->dest, msi->type, msi->level, msi->logical,
			      path, ret);
}

/* The slow path: HVCALL_ASSERT_VIRTUAL_INTERRUPT with the current route. */
static void mshv_irqfd_inject_work(struct work_struct *work)
{
	struct mshv_irqfd *irqfd = container_of(work, struct mshv_irqfd,
						inject_work);
	struct mshv_partition *pt = irqfd->pt;
	struct hv_interrupt_control control = {};
	struct mshv_msi msi;
	int idx, ret;

	idx = srcu_read_lock(&pt->pt_irq.srcu);
	mshv_irqfd_route(irqfd, &msi);
	if (!msi.valid) {
		/* The route went away since the signal. */
		atomic_inc(&mshv_irq_stats.dropped);
		mshv_irq_trace(irqfd, &msi, MSHV_IRQ_PATH_DROPPED, 0);
		goto out;
	}
	control.interrupt_type = msi.type;
	if (msi.level)
		control.flags |= HV_INTERRUPT_CONTROL_LEVEL_TRIGGERED;
	if (msi.logical)
		control.flags |= HV_INTERRUPT_CONTROL_LOGICAL_DEST;
	ret = mshv_hv_assert_virtual_interrupt(&irqfd->hp, pt->pt_id,
					       msi.vector, msi.dest, &control);
	atomic_inc(&mshv_irq_stats.inject_slow);
	if (ret)
		atomic_inc(&mshv_irq_stats.inject_failed);
	mshv_irq_trace(irqfd, &msi, MSHV_IRQ_PATH_SLOW, ret);
out:
	srcu_read_unlock(&pt->pt_irq.srcu, idx);
}

/* Raise the irqfd's interrupt.  Context: any. */
static void mshv_irqfd_inject(struct mshv_irqfd *irqfd)
{
	struct mshv_partition *pt = irqfd->pt;
	struct mshv_msi msi;
	int idx, ret;

	idx = srcu_read_lock(&pt->pt_irq.srcu);
	mshv_irqfd_route(irqfd, &msi);
	if (!msi.valid) {
		atomic_inc(&mshv_irq_stats.dropped);
		mshv_irq_trace(irqfd, &msi, MSHV_IRQ_PATH_DROPPED, 0);
		goto out;
	}
	ret = mshv_irq_inject_fast(pt, &msi);
	if (!ret) {
		atomic_inc(&mshv_irq_stats.inject_fast);
		mshv_irq_trace(irqfd, &msi, MSHV_IRQ_PATH_FAST, 0);
		goto out;
	}
	if (ret != -EOPNOTSUPP)
		atomic_inc(&mshv_irq_stats.fast_refused);
	if (!queue_work(mshv_irq_inject_wq, &irqfd->inject_work))
		atomic_inc(&mshv_irq_stats.coalesced);
out:
	srcu_read_unlock(&pt->pt_irq.srcu, idx);
}

/* ------------------------------------------------------------------ */
/* Resample: EOI of a level-triggered vector.                         */
/* ------------------------------------------------------------------ */

static void mshv_resampler_clear_work(struct work_struct *work)
{
	struct mshv_resampler *rs = container_of(work, struct mshv_resampler,
						 clear_work);

	mshv_hv_clear_virtual_interrupt(rs->pt->pt_id);
}

/**
 * mshv_irq_eoi() - the guest EOIed a level-triggered vector
 * @pt: the partition
 * @vp_index: the VP that EOIed (untrusted message content)
 * @vector: the vector (untrusted message content)
 *
 * Signals the resamplefd of every resample irqfd whose route has @vector
 * and may target @vp_index.  An ExtINT also gets its pending state
 * cleared in the hypervisor (from a work item).
 *
 * Context: any, including the SynIC ISR; @pt is kept alive by the caller.
 */
void mshv_irq_eoi(struct mshv_partition *pt, u32 vp_index, u32 vector)
{
	struct mshv_resampler *rs;
	struct mshv_irqfd *irqfd;
	unsigned int n = 0;
	struct mshv_msi msi;
	int idx;

	idx = srcu_read_lock(&pt->pt_irq.srcu);
	list_for_each_entry_srcu(rs, &pt->pt_irq.resamplers, node,
				 srcu_read_lock_held(&pt->pt_irq.srcu)) {
		list_for_each_entry_srcu(irqfd, &rs->irqfds, resampler_node,
					 srcu_read_lock_held(&pt->pt_irq.srcu)) {
			mshv_irqfd_route(irqfd, &msi);
			if (!msi.valid || msi.vector != vector ||
			    !mshv_msi_targets_vp(&msi, vp_index))
				continue;
			if (msi.type == HV_X64_INTERRUPT_TYPE_EXTINT)
				queue_work(mshv_irq_inject_wq, &rs->clear_work);
			eventfd_signal(irqfd->resamplefd);
			n++;
		}
	}
	srcu_read_unlock(&pt->pt_irq.srcu, idx);

	atomic_inc(&mshv_irq_stats.eoi);
	atomic_add(n, &mshv_irq_stats.resampled);
	trace_mshv_irq_eoi(pt->pt_id, vp_index, vector, n);
}

/*
 * Join the resampler of irqfd->gsi, using @spare if there is none yet.
 * Return: true if @spare was used.  Context: pt_irq.lock held.
 */
static bool mshv_resampler_attach(struct mshv_irqfd *irqfd,
				  struct mshv_resampler *spare)
{
	struct mshv_partition *pt = irqfd->pt;
	struct mshv_resampler *rs;
	bool used = false;

	lockdep_assert_held(&pt->pt_irq.lock);
	list_for_each_entry(rs, &pt->pt_irq.resamplers, node)
		if (rs->gsi == irqfd->gsi)
			goto found;

	rs = spare;
	used = true;
	rs->pt = pt;
	rs->gsi = irqfd->gsi;
	INIT_LIST_HEAD(&rs->irqfds);
	INIT_WORK(&rs->clear_work, mshv_resampler_clear_work);
	list_add_tail_rcu(&rs->node, &pt->pt_irq.resamplers);
found:
	irqfd->resampler = rs;
	list_add_tail_rcu(&irqfd->resampler_node, &rs->irqfds);
	return used;
}

/* Leave the resampler; the last irqfd out frees it.  Context: may sleep. */
static void mshv_resampler_detach(struct mshv_irqfd *irqfd)
{
	struct mshv_resampler *rs = irqfd->resampler;
	struct mshv_partition *pt = irqfd->pt;
	bool last;

	mutex_lock(&pt->pt_irq.lock);
	list_del_rcu(&irqfd->resampler_node);
	last = list_empty(&rs->irqfds);
	if (last)
		list_del_rcu(&rs->node);
	mutex_unlock(&pt->pt_irq.lock);

	/* No EOI handler walks past the irqfd (or the resampler) now. */
	synchronize_srcu(&pt->pt_irq.srcu);
	if (last) {
		cancel_work_sync(&rs->clear_work);
		kfree(rs);
	}
	irqfd->resampler = NULL;
}

/* ------------------------------------------------------------------ */
/* irqfd life cycle.                                                  */
/* ------------------------------------------------------------------ */

static void mshv_irqfd_free(struct mshv_irqfd *irqfd)
{
	if (irqfd->resamplefd)
		eventfd_ctx_put(irqfd->resamplefd);
	if (irqfd->eventfd)
		eventfd_ctx_put(irqfd->eventfd);
	mshv_hvpages_free(&irqfd->hp);
	kfree(irqfd);
}

static void mshv_irqfd_shutdown(struct work_struct *work)
{
	struct mshv_irqfd *irqfd = container_of(work, struct mshv_irqfd,
						shutdown_work);
	u64 cnt;

	/* After this no wakeup runs, so no injection gets queued. */
	eventfd_ctx_remove_wait_queue(irqfd->eventfd, &irqfd->wait, &cnt);
	cancel_work_sync(&irqfd->inject_work);
	if (irqfd->resampler)
		mshv_resampler_detach(irqfd);
	mshv_irqfd_free(irqfd);
}

/* Unlink an active irqfd and queue its shutdown.  pt_irq.irqfds_lock held. */
static bool mshv_irqfd_deactivate(struct mshv_irqfd *irqfd)
{
	lockdep_assert_held(&irqfd->pt->pt_irq.irqfds_lock);
	if (list_empty(&irqfd->node))
		return false;
	list_del_init(&irqfd->node);
	queue_work(mshv_irqfd_cleanup_wq, &irqfd->shutdown_work);
	return true;
}

/* Called with the eventfd's wait-queue lock held, interrupts off. */
static int mshv_irqfd_wakeup(wait_queue_entry_t *wait, unsigned int mode,
			     int sync, void *key)
{
	struct mshv_irqfd *irqfd = container_of(wait, struct mshv_irqfd, wait);
	__poll_t events = key_to_poll(key);
	struct mshv_irq_state *irq = &irqfd->pt->pt_irq;
	unsigned long flags;
	int ret = 0;

	if (events & EPOLLIN) {
		u64 cnt;

		eventfd_ctx_do_read(irqfd->eventfd, &cnt);
		mshv_irqfd_inject(irqfd);
		ret = 1;
	}
	if (events & EPOLLHUP) {
		/*
		 * The eventfd is going away.  Teardown from our side (which
		 * may have unlinked the irqfd already) removes the entry from
		 * this wait queue under the lock we hold: the irqfd is alive.
		 */
		spin_lock_irqsave(&irq->irqfds_lock, flags);
		mshv_irqfd_deactivate(irqfd);
		spin_unlock_irqrestore(&irq->irqfds_lock, flags);
	}
	return ret;
}

static void mshv_irqfd_poll_queue(struct file *file, wait_queue_head_t *wqh,
				  poll_table *pt)
{
	struct mshv_irqfd *irqfd = container_of(pt, struct mshv_irqfd, poll);

	add_wait_queue(wqh, &irqfd->wait);
}

/* Context: pt_mutex held (serialises assignments and routing updates). */
static int mshv_irqfd_assign(struct mshv_partition *pt,
			     const struct mshv_user_irqfd *args)
{
	bool resample = args->flags & BIT(MSHV_IRQFD_BIT_RESAMPLE);
	struct mshv_irq_state *irq = &pt->pt_irq;
	struct mshv_resampler *spare = NULL;
	const struct mshv_irq_table *table;
	struct mshv_irqfd *irqfd, *tmp;
	__poll_t events;
	int ret;

	CLASS(fd, f)(args->fd);
	if (fd_empty(f))
		return -EBADF;

	irqfd = kzalloc(sizeof(*irqfd), GFP_KERNEL_ACCOUNT);
	if (!irqfd)
		return -ENOMEM;
	irqfd->pt = pt;
	irqfd->gsi = args->gsi;
	INIT_LIST_HEAD(&irqfd->node);
	INIT_LIST_HEAD(&irqfd->resampler_node);
	INIT_WORK(&irqfd->inject_work, mshv_irqfd_inject_work);
	INIT_WORK(&irqfd->shutdown_work, mshv_irqfd_shutdown);
	seqcount_spinlock_init(&irqfd->route_seq, &irq->irqfds_lock);
	init_waitqueue_func_entry(&irqfd->wait, mshv_irqfd_wakeup);
	init_poll_funcptr(&irqfd->poll, mshv_irqfd_poll_queue);

	ret = mshv_hvpages_alloc(&irqfd->hp);
	if (ret)
		goto free;
	irqfd->eventfd = eventfd_ctx_fileget(fd_file(f));
	if (IS_ERR(irqfd->eventfd)) {
		ret = PTR_ERR(irqfd->eventfd);
		irqfd->eventfd = NULL;
		goto free;
	}
	if (resample) {
		irqfd->resamplefd = eventfd_ctx_fdget(args->resamplefd);
		if (IS_ERR(irqfd->resamplefd)) {
			ret = PTR_ERR(irqfd->resamplefd);
			irqfd->resamplefd = NULL;
			goto free;
		}
		spare = kzalloc(sizeof(*spare), GFP_KERNEL_ACCOUNT);
		if (!spare) {
			ret = -ENOMEM;
			goto free;
		}
	}

	mutex_lock(&irq->lock);
	table = rcu_dereference_protected(irq->table,
					  lockdep_is_held(&irq->lock));
	spin_lock_irq(&irq->irqfds_lock);
	list_for_each_entry(tmp, &irq->irqfds, node) {
		if (tmp->eventfd == irqfd->eventfd) {
			ret = -EBUSY;	/* one GSI per eventfd */
			goto unlock;
		}
	}
	mshv_irq_route_lookup(table, irqfd->gsi, &irqfd->route);
	if (resample && !irqfd->route.level) {
		ret = -EINVAL;	/* resampling needs a level-triggered route */
		goto unlock;
	}
	list_add_tail(&irqfd->node, &irq->irqfds);
	spin_unlock_irq(&irq->irqfds_lock);
	if (resample && mshv_resampler_attach(irqfd, spare))
		spare = NULL;
	mutex_unlock(&irq->lock);
	kfree(spare);

	/*
	 * Hook into the eventfd last: from here on signals inject.  A signal
	 * that came before is pending in the counter; inject it now.
	 */
	events = vfs_poll(fd_file(f), &irqfd->poll);
	if (events & EPOLLIN)
		mshv_irqfd_inject(irqfd);
	return 0;

unlock:
	spin_unlock_irq(&irq->irqfds_lock);
	mutex_unlock(&irq->lock);
free:
	kfree(spare);
	mshv_irqfd_free(irqfd);
	return ret;
}

/* Context: pt_mutex held. */
static int mshv_irqfd_deassign(struct mshv_partition *pt,
			       const struct mshv_user_irqfd *args)
{
	struct mshv_irq_state *irq = &pt->pt_irq;
	struct mshv_irqfd *irqfd, *tmp;
	struct eventfd_ctx *eventfd;
	bool found = false;

	eventfd = eventfd_ctx_fdget(args->fd);
	if (IS_ERR(eventfd))
		return PTR_ERR(eventfd);

	spin_lock_irq(&irq->irqfds_lock);
	list_for_each_entry_safe(irqfd, tmp, &irq->irqfds, node)
		if (irqfd->eventfd == eventfd && irqfd->gsi == args->gsi)
			found |= mshv_irqfd_deactivate(irqfd);
	spin_unlock_irq(&irq->irqfds_lock);
	eventfd_ctx_put(eventfd);

	/* Once this returns, the GSI gets no interrupt from this eventfd. */
	flush_workqueue(mshv_irqfd_cleanup_wq);
	return found ? 0 : -ENOENT;
}

/**
 * mshv_irqfd() - MSHV_IRQFD
 * @pt: the partition, pt_mutex held
 * @uarg: struct mshv_user_irqfd
 *
 * Assign: -EBADF if @fd is no file, -EINVAL if it (or @resamplefd, with
 * RESAMPLE) is no eventfd, -EBUSY if the eventfd is bound already, and
 * -EINVAL for RESAMPLE on a GSI whose route is not level-triggered.
 * Deassign: -ENOENT if that eventfd is not bound to that GSI.
 *
 * Return: 0 or a negative errno; on error nothing changed.
 */
long mshv_irqfd(struct mshv_partition *pt, void __user *uarg)
{
	struct mshv_user_irqfd args;
	long ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags & ~MSHV_IRQFD_FLAGS_MASK ||
	    args.gsi >= MSHV_MAX_GUEST_IRQS)
		return -EINVAL;

	if (args.flags & BIT(MSHV_IRQFD_BIT_DEASSIGN)) {
		if (args.flags & BIT(MSHV_IRQFD_BIT_RESAMPLE))
			return -EINVAL;
		ret = mshv_irqfd_deassign(pt, &args);
	} else {
		ret = mshv_irqfd_assign(pt, &args);
	}
	trace_mshv_irqfd(pt->pt_id, args.gsi, args.flags, ret);
	return ret;
}

/**
 * mshv_irqfd_routing_update() - give every irqfd its route in a new table
 * @pt: the partition
 * @table: the table just installed (NULL: no routes)
 *
 * Context: pt_irq.lock held.
 */
void mshv_irqfd_routing_update(struct mshv_partition *pt,
			       const struct mshv_irq_table *table)
{
	struct mshv_irq_state *irq = &pt->pt_irq;
	struct mshv_irqfd *irqfd;

	lockdep_assert_held(&irq->lock);
	spin_lock_irq(&irq->irqfds_lock);
	list_for_each_entry(irqfd, &irq->irqfds, node) {
		write_seqcount_begin(&irqfd->route_seq);
		mshv_irq_route_lookup(table, irqfd->gsi, &irqfd->route);
		write_seqcount_end(&irqfd->route_seq);
	}
	spin_unlock_irq(&irq->irqfds_lock);
}

/**
 * mshv_irq_count_routing_update() - count a routing-table swap
 */
void mshv_irq_count_routing_update(void)
{
	atomic_inc(&mshv_irq_stats.routing_updates);
}

/**
 * mshv_irqfd_release() - shut down every irqfd of a partition
 * @pt: the partition, whose fd is being released
 *
 * Returns once all of them are freed: nothing refers to @pt any more.
 *
 * Context: process context.
 */
void mshv_irqfd_release(struct mshv_partition *pt)
{
	struct mshv_irq_state *irq = &pt->pt_irq;
	struct mshv_irqfd *irqfd, *tmp;

	spin_lock_irq(&irq->irqfds_lock);
	list_for_each_entry_safe(irqfd, tmp, &irq->irqfds, node)
		mshv_irqfd_deactivate(irqfd);
	spin_unlock_irq(&irq->irqfds_lock);
	/* Includes those an EPOLLHUP deactivated earlier. */
	flush_workqueue(mshv_irqfd_cleanup_wq);
}

static void mshv_irq_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("irq", mshv_debugfs_dir);

	debugfs_create_atomic_t("inject_fast", 0444, dir,
				&mshv_irq_stats.inject_fast);
	debugfs_create_atomic_t("inject_slow", 0444, dir,
				&mshv_irq_stats.inject_slow);
	debugfs_create_atomic_t("inject_failed", 0444, dir,
				&mshv_irq_stats.inject_failed);
	debugfs_create_atomic_t("fast_refused", 0444, dir,
				&mshv_irq_stats.fast_refused);
	debugfs_create_atomic_t("coalesced", 0444, dir,
				&mshv_irq_stats.coalesced);
	debugfs_create_atomic_t("dropped", 0444, dir,
				&mshv_irq_stats.dropped);
	debugfs_create_atomic_t("eoi", 0444, dir, &mshv_irq_stats.eoi);
	debugfs_create_atomic_t("resampled", 0444, dir,
				&mshv_irq_stats.resampled);
	debugfs_create_atomic_t("routing_updates", 0444, dir,
				&mshv_irq_stats.routing_updates);
}

/**
 * mshv_irqfd_init() - module init: workqueues and debugfs counters
 *
 * Return: 0 or -ENOMEM.
 */
int mshv_irqfd_init(void)
{
	mshv_irq_inject_wq = alloc_workqueue("mshv-irq-inject", WQ_HIGHPRI, 0);
	if (!mshv_irq_inject_wq)
		return -ENOMEM;
	mshv_irqfd_cleanup_wq = alloc_workqueue("mshv-irqfd-cleanup", 0, 0);
	if (!mshv_irqfd_cleanup_wq) {
		destroy_workqueue(mshv_irq_inject_wq);
		return -ENOMEM;
	}
	mshv_irq_debugfs_init();
	return 0;
}

/**
 * mshv_irqfd_exit() - module exit; no partition is left
 */
void mshv_irqfd_exit(void)
{
	destroy_workqueue(mshv_irqfd_cleanup_wq);
	destroy_workqueue(mshv_irq_inject_wq);
}
