// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: irqfds (MSHV_IRQFD) and resamplers.
 *
 * An irqfd hooks a wait-queue entry into an eventfd.  Signalling the
 * eventfd calls mshv_irqfd_wakeup() with the eventfd's wait-queue lock
 * held and interrupts off, so injection starts in atomic context (see
 * mshv_irq_inject.c for both paths):
 *
 *  - the fast path, through the VP register page, runs right there;
 *  - otherwise (or when the fast path is refused) a work item issues
 *    HVCALL_ASSERT_VIRTUAL_INTERRUPT, since platform hypercalls must be
 *    issued from sleepable context.  Signals that arrive while the work
 *    is still pending coalesce, like edges on an interrupt line.
 *
 * Resample (level-triggered routes): irqfds of one GSI share a resampler.
 * When the hypervisor reports HVMSG_X64_APIC_EOI for a vector, every
 * resample irqfd whose route has that vector and may target that VP gets
 * its resamplefd signalled, so the VMM can re-check its device and signal
 * again if the line is still up.  The SynIC ISR finds the irqfds; the
 * signal comes from a work item (an eventfd's wait-queue lock is not a
 * raw spinlock: it must not be taken in hard interrupt context).
 *
 * Teardown: deassign, EPOLLHUP (eventfd closed) and partition fd release
 * unlink an irqfd and queue its shutdown work, which leaves the eventfd's
 * wait queue, cancels a pending injection and frees everything.  Deassign
 * and release wait for that, so nothing outlives them.
 */

#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <uapi/linux/mshv.h>

#include "mshv_root.h"
#include "mshv_trace.h"

static struct workqueue_struct *mshv_irq_inject_wq;
static struct workqueue_struct *mshv_irqfd_cleanup_wq;

/**
 * struct mshv_resampler - the resample irqfds of one GSI
 * @node: entry in pt_irq.resamplers (SRCU-readable)
 * @pt: owning partition
 * @gsi: the GSI
 * @irqfds: its irqfds (SRCU-readable), never empty while listed
 */
struct mshv_resampler {
	struct list_head node;
	struct mshv_partition *pt;
	u32 gsi;
	struct list_head irqfds;
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
 * @resample_work: signals @resamplefd after an EOI (and clears an ExtINT)
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
	struct work_struct resample_work;
};

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

/*
 * The irqfd's current route into @msi (pt_irq.srcu held).  Return: false,
 * the signal counted and traced as dropped, if the GSI has none.
 */
static bool mshv_irqfd_routed(struct mshv_irqfd *irqfd, struct mshv_msi *msi)
{
	RCU_LOCKDEP_WARN(!srcu_read_lock_held(&irqfd->pt->pt_irq.srcu),
			 "irqfd route read outside pt_irq.srcu");

	mshv_irqfd_route(irqfd, msi);
	if (msi->valid)
		return true;
	atomic_inc(&irqfd->pt->pt_irq.stats.dropped);
	mshv_irq_trace(irqfd, msi, MSHV_IRQ_PATH_DROPPED, 0);
	return false;
}

/* The slow path: HVCALL_ASSERT_VIRTUAL_INTERRUPT with the current route. */
static void mshv_irqfd_inject_work(struct work_struct *work)
{
	struct mshv_irqfd *irqfd = container_of(work, struct mshv_irqfd,
						inject_work);
	struct mshv_partition *pt = irqfd->pt;
	struct mshv_msi msi;
	int idx, ret;

	idx = srcu_read_lock(&pt->pt_irq.srcu);
	/* The route may have gone away since the signal. */
	if (!mshv_irqfd_routed(irqfd, &msi))
		goto out;
	ret = mshv_irq_assert(pt, &irqfd->hp, &msi);
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
	if (!mshv_irqfd_routed(irqfd, &msi))
		goto out;
	ret = mshv_irq_inject_fast(pt, &msi);
	if (!ret) {
		atomic_inc(&pt->pt_irq.stats.inject_fast);
		mshv_irq_trace(irqfd, &msi, MSHV_IRQ_PATH_FAST, 0);
		goto out;
	}
	if (ret != -EOPNOTSUPP)
		atomic_inc(&pt->pt_irq.stats.fast_refused);
	if (!queue_work(mshv_irq_inject_wq, &irqfd->inject_work))
		atomic_inc(&pt->pt_irq.stats.coalesced);
out:
	srcu_read_unlock(&pt->pt_irq.srcu, idx);
}

/* ------------------------------------------------------------------ */
/* Resample: EOI of a level-triggered vector.                         */
/* ------------------------------------------------------------------ */

/* Tell the VMM its level-triggered interrupt was EOIed. */
static void mshv_irqfd_resample_work(struct work_struct *work)
{
	struct mshv_irqfd *irqfd = container_of(work, struct mshv_irqfd,
						resample_work);
	struct mshv_msi msi;

	mshv_irqfd_route(irqfd, &msi);
	if (msi.valid && msi.type == HV_X64_INTERRUPT_TYPE_EXTINT)
		mshv_hv_clear_virtual_interrupt(irqfd->pt->pt_id);
	eventfd_signal(irqfd->resamplefd);
	atomic_inc(&irqfd->pt->pt_irq.stats.resampled);
}

/**
 * mshv_irq_eoi() - the guest EOIed a level-triggered vector
 * @pt: the partition
 * @vp_index: the VP that EOIed (untrusted message content)
 * @vector: the vector (untrusted message content)
 *
 * Has the resamplefd of every resample irqfd whose route has @vector and
 * may target @vp_index signalled, from a work item (EOIs that come while
 * it is pending merge).  An ExtINT also gets its pending state cleared in
 * the hypervisor.
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
			queue_work(mshv_irq_inject_wq, &irqfd->resample_work);
			n++;
		}
	}
	srcu_read_unlock(&pt->pt_irq.srcu, idx);

	atomic_inc(&pt->pt_irq.stats.eoi);
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
	cancel_work_sync(&irqfd->resample_work);
	if (last)
		kfree(rs);
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

	lockdep_assert_held(&pt->pt_mutex);

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
	INIT_WORK(&irqfd->resample_work, mshv_irqfd_resample_work);
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

	lockdep_assert_held(&pt->pt_mutex);

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

	lockdep_assert_held(&pt->pt_mutex);

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
