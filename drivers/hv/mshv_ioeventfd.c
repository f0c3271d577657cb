// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: MSHV_IOEVENTFD.
 *
 * An ioeventfd turns guest writes to an MMIO address (optionally of one
 * size, optionally of one value) into an eventfd signal without an exit
 * to the VMM.  Each one is a hypervisor doorbell (mshv_doorbell.c).  The
 * doorbell callback runs in the SynIC interrupt, a raw hard interrupt
 * context where the eventfd's wait-queue lock may not be taken (it sleeps
 * on PREEMPT_RT): it counts the signal and queues an irq_work, which
 * signals the eventfd once per counted write.
 *
 * Rules (as upstream): MMIO only (PIO: -EOPNOTSUPP); length 0 (any), 1,
 * 2, 4 or 8; unknown flags or non-zero reserved bytes: -EINVAL.  Two
 * ioeventfds collide when they have the same address and length and
 * either has no datamatch or both match the same value: -EEXIST.
 * Deassigning looks for the same eventfd, address, length and datamatch
 * (or none): -ENOENT if there is none.
 *
 * The list of a partition's ioeventfds is guarded by the partition mutex;
 * the interrupt handler never walks it (the doorbell hands it the entry).
 * An entry is freed only after its doorbell is gone, a grace period has
 * passed and its irq_work is idle.  All of a partition's ioeventfds go
 * when its fd is released.
 */

#include <kunit/visibility.h>
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/irq_work.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <uapi/linux/mshv.h>

#include "mshv_trace.h"
#include "mshv_root.h"

/**
 * struct mshv_ioeventfd - one assigned ioeventfd
 * @node: entry on mshv_partition.pt_ioeventfds
 * @addr: guest physical address
 * @len: access length, 0 for any
 * @datamatch: value a write must carry, unless @wildcard
 * @wildcard: no datamatch: any value
 * @eventfd: signalled on a matching write
 * @port_id: the doorbell port
 * @pending: writes counted by the interrupt handler, not yet signalled
 * @work: signals them
 */
struct mshv_ioeventfd {
	struct list_head node;
	u64 addr;
	u32 len;
	u64 datamatch;
	bool wildcard;
	struct eventfd_ctx *eventfd;
	u32 port_id;
	atomic_t pending;
	struct irq_work work;
};

/* Context: irq_work (not a raw hard interrupt: spinlock_t is allowed). */
static void mshv_ioeventfd_work(struct irq_work *work)
{
	struct mshv_ioeventfd *p = container_of(work, struct mshv_ioeventfd,
						work);
	int n = atomic_xchg(&p->pending, 0);

	while (n-- > 0)
		eventfd_signal(p->eventfd);
}

/* Doorbell callback.  Context: hard interrupt, under rcu_read_lock(). */
static void mshv_ioeventfd_ring(void *data)
{
	struct mshv_ioeventfd *p = data;

	atomic_inc(&p->pending);
	irq_work_queue(&p->work);
}

/**
 * mshv_ioeventfd_trigger_flags() - doorbell flags for an ioeventfd
 * @len: access length: 0 (any), 1, 2, 4 or 8
 * @datamatch: whether a value must match
 * @flags: receives HV_DOORBELL_FLAG_*
 *
 * Return: 0, or -EINVAL for any other length.
 */
static int mshv_ioeventfd_trigger_flags(u32 len, bool datamatch, u64 *flags)
{
	switch (len) {
	case 0:
		*flags = HV_DOORBELL_FLAG_TRIGGER_SIZE_ANY;
		break;
	case 1:
		*flags = HV_DOORBELL_FLAG_TRIGGER_SIZE_BYTE;
		break;
	case 2:
		*flags = HV_DOORBELL_FLAG_TRIGGER_SIZE_WORD;
		break;
	case 4:
		*flags = HV_DOORBELL_FLAG_TRIGGER_SIZE_DWORD;
		break;
	case 8:
		*flags = HV_DOORBELL_FLAG_TRIGGER_SIZE_QWORD;
		break;
	default:
		return -EINVAL;
	}
	if (!datamatch)
		*flags |= HV_DOORBELL_FLAG_TRIGGER_ANY_VALUE;
	return 0;
}

/**
 * mshv_ioeventfd_check() - validate an MSHV_IOEVENTFD argument
 * @args: the argument as copied from userspace
 * @hv_flags: receives the doorbell flags (assign only)
 *
 * A deassign is only checked for flags and reserved bytes: whatever else
 * it names either exists or gets -ENOENT.  Pure; no side effects.
 *
 * Return: 0, -EINVAL (unknown flags, reserved bytes, length, address
 * range) or -EOPNOTSUPP (PIO).
 */
VISIBLE_IF_KUNIT int mshv_ioeventfd_check(const struct mshv_user_ioeventfd *args,
					  u64 *hv_flags)
{
	if ((args->flags & ~MSHV_IOEVENTFD_FLAGS_MASK) ||
	    memchr_inv(args->rsvd, 0, sizeof(args->rsvd)))
		return -EINVAL;
	if (args->flags & BIT(MSHV_IOEVENTFD_BIT_PIO))
		return -EOPNOTSUPP;
	if (args->flags & BIT(MSHV_IOEVENTFD_BIT_DEASSIGN))
		return 0;
	if (mshv_ioeventfd_trigger_flags(args->len,
					 args->flags &
					 BIT(MSHV_IOEVENTFD_BIT_DATAMATCH),
					 hv_flags))
		return -EINVAL;
	if (args->addr + args->len < args->addr)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mshv_ioeventfd_check);

static bool mshv_ioeventfd_collides(struct mshv_partition *pt, u64 addr,
				    u32 len, bool wildcard, u64 datamatch)
{
	struct mshv_ioeventfd *p;

	list_for_each_entry(p, &pt->pt_ioeventfds, node)
		if (p->addr == addr && p->len == len &&
		    (p->wildcard || wildcard || p->datamatch == datamatch))
			return true;
	return false;
}

static int mshv_ioeventfd_assign(struct mshv_partition *pt,
				 const struct mshv_user_ioeventfd *args,
				 u64 hv_flags)
{
	bool wildcard = !(args->flags & BIT(MSHV_IOEVENTFD_BIT_DATAMATCH));
	struct eventfd_ctx *eventfd;
	struct mshv_ioeventfd *p;
	int ret;

	eventfd = eventfd_ctx_fdget(args->fd);
	if (IS_ERR(eventfd))
		return PTR_ERR(eventfd);

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p) {
		ret = -ENOMEM;
		goto err_put;
	}
	p->addr = args->addr;
	p->len = args->len;
	p->wildcard = wildcard;
	p->datamatch = wildcard ? 0 : args->datamatch;
	p->eventfd = eventfd;
	init_irq_work(&p->work, mshv_ioeventfd_work);

	if (mshv_ioeventfd_collides(pt, p->addr, p->len, wildcard,
				    p->datamatch)) {
		ret = -EEXIST;
		goto err_free;
	}
	ret = mshv_doorbell_register(pt->pt_id, p->addr, p->datamatch,
				     hv_flags, mshv_ioeventfd_ring, p,
				     &p->port_id);
	if (ret)
		goto err_free;
	list_add_tail(&p->node, &pt->pt_ioeventfds);
	trace_mshv_ioeventfd_assign(pt->pt_id, p->addr, p->len, p->datamatch,
				    wildcard, p->port_id);
	return 0;

err_free:
	kfree(p);
err_put:
	eventfd_ctx_put(eventfd);
	return ret;
}

/* Unhook from the hypervisor; the caller frees after a grace period. */
static void mshv_ioeventfd_unhook(struct mshv_partition *pt,
				  struct mshv_ioeventfd *p)
{
	list_del(&p->node);
	mshv_doorbell_unregister(pt->pt_id, p->port_id);
	trace_mshv_ioeventfd_deassign(pt->pt_id, p->addr, p->len,
				      p->datamatch, p->wildcard, p->port_id);
}

/* After the grace period that follows the unhook. */
static void mshv_ioeventfd_free(struct mshv_ioeventfd *p)
{
	irq_work_sync(&p->work);
	eventfd_ctx_put(p->eventfd);
	kfree(p);
}

static int mshv_ioeventfd_deassign(struct mshv_partition *pt,
				   const struct mshv_user_ioeventfd *args)
{
	bool wildcard = !(args->flags & BIT(MSHV_IOEVENTFD_BIT_DATAMATCH));
	struct eventfd_ctx *eventfd;
	struct mshv_ioeventfd *p;
	int ret = -ENOENT;

	eventfd = eventfd_ctx_fdget(args->fd);
	if (IS_ERR(eventfd))
		return PTR_ERR(eventfd);

	list_for_each_entry(p, &pt->pt_ioeventfds, node) {
		if (p->eventfd != eventfd || p->addr != args->addr ||
		    p->len != args->len || p->wildcard != wildcard ||
		    (!wildcard && p->datamatch != args->datamatch))
			continue;
		mshv_ioeventfd_unhook(pt, p);
		/* The interrupt handler may be signalling it right now. */
		synchronize_rcu();
		mshv_ioeventfd_free(p);
		ret = 0;
		break;
	}
	eventfd_ctx_put(eventfd);
	return ret;
}

/**
 * mshv_ioeventfd() - MSHV_IOEVENTFD: assign or deassign an ioeventfd
 * @pt: the partition, with pt_mutex held
 * @uarg: struct mshv_user_ioeventfd in userspace
 *
 * Return: 0 or a negative errno; nothing changes on error.
 */
long mshv_ioeventfd(struct mshv_partition *pt, void __user *uarg)
{
	struct mshv_user_ioeventfd args;
	u64 hv_flags = 0;
	int ret;

	lockdep_assert_held(&pt->pt_mutex);
	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	ret = mshv_ioeventfd_check(&args, &hv_flags);
	if (ret)
		return ret;
	if (args.flags & BIT(MSHV_IOEVENTFD_BIT_DEASSIGN))
		return mshv_ioeventfd_deassign(pt, &args);
	return mshv_ioeventfd_assign(pt, &args, hv_flags);
}

/**
 * mshv_ioeventfd_release_all() - remove every ioeventfd of a partition
 * @pt: the partition, with pt_mutex held (or unreachable)
 *
 * Called when the partition fd is released: the doorbells go first, then
 * one grace period covers every entry.
 */
void mshv_ioeventfd_release_all(struct mshv_partition *pt)
{
	struct mshv_ioeventfd *p, *tmp;
	LIST_HEAD(gone);

	list_for_each_entry_safe(p, tmp, &pt->pt_ioeventfds, node) {
		mshv_ioeventfd_unhook(pt, p);
		list_add_tail(&p->node, &gone);
	}
	if (list_empty(&gone))
		return;
	synchronize_rcu();
	list_for_each_entry_safe(p, tmp, &gone, node)
		mshv_ioeventfd_free(p);
}
