// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: virtual processors.
 *
 * Creation (MSHV_CREATE_VP on a partition fd), the VP fd with its ioctls
 * and mmap() of the hypervisor's state pages, and MSHV_RUN_VP in both
 * scheduler models: with the root scheduler the VMM thread itself
 * dispatches the VP with HVCALL_DISPATCH_VP; with the hypervisor's
 * scheduler it resumes the VP through its suspend registers and sleeps
 * until the hypervisor reports an intercept.  Either way, GPA intercepts
 * on movable memory are handled here (the memory is faulted in and the VP
 * resumed) and never reach the VMM.
 */

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <uapi/linux/mshv.h>

#include "mshv_root.h"
#include "mshv_vp_entry.h"

static_assert(sizeof(struct hv_message) <= MSHV_RUN_VP_BUF_SZ);

/**
 * mshv_vp_kick() - wake a VP whose run loop waits for the hypervisor
 * @vp: the VP
 *
 * Context: any, including the SynIC ISR.
 */
void mshv_vp_kick(struct mshv_vp *vp)
{
	WRITE_ONCE(vp->vp_kicked, true);
	rcuwait_wake_up(&vp->vp_wait);
}

/*
 * A kick that arrives before its waiter sleeps is not lost: the flag stays
 * set until the waiter consumes it.
 */
static bool mshv_vp_kicked(struct mshv_vp *vp)
{
	return READ_ONCE(vp->vp_kicked);
}

static void mshv_vp_consume_kick(struct mshv_vp *vp)
{
	WRITE_ONCE(vp->vp_kicked, false);
}

static long __mshv_hot mshv_vp_copy_message(struct mshv_vp *vp, void __user *uarg)
{
	if (copy_to_user(uarg, page_address(vp->vp_intercept_page),
			 sizeof(struct hv_message)))
		return -EFAULT;
	return 0;
}

/*
 * The run loops write the suspend registers through the VP's own page
 * pair (vp_mutex held; mshv_vp_destroy() is its only other user, when no
 * ioctl can run), so that running a VP allocates nothing.
 */
static int mshv_vp_set_regs(struct mshv_vp *vp, u32 count,
			    const struct hv_register_assoc *regs)
{
	return mshv_hv_set_vp_registers_hp(&vp->vp_hvpages, vp->vp_pt->pt_id,
					   vp->vp_index, count, regs);
}

static int mshv_vp_set_reg(struct mshv_vp *vp, u32 name, u64 value)
{
	struct hv_register_assoc reg = { .name = name, .value.reg64 = value };

	return mshv_vp_set_regs(vp, 1, &reg);
}

/*
 * Root scheduler: whether the hypervisor still has the VP's dispatch thread
 * blocked, by the VP statistics page's counter.  A scheduler signal may
 * come before the VP can run; upstream Linux waits on until the counter
 * is 0 (or an interrupt is queued for injection), and so does this.
 */
static bool mshv_vp_hv_blocked(struct mshv_vp *vp)
{
	const u64 *cntrs;

	if (!vp->vp_stats_page)
		return false;
	cntrs = page_address(vp->vp_stats_page);
	return READ_ONCE(cntrs[HV_VP_COUNTER_ROOT_DISPATCH_THREAD_BLOCKED]);
}

/*
 * Root scheduler: wait for the kick that lets a blocked VP be dispatched
 * again.  @check_hv: consult the stats counter (not for a VP blocked by
 * its explicit suspend).
 */
static int mshv_vp_wait_kick(struct mshv_vp *vp, bool check_hv)
{
	for (;;) {
		if (rcuwait_wait_event(&vp->vp_wait, mshv_vp_kicked(vp),
				       TASK_INTERRUPTIBLE))
			return -EINTR;
		mshv_vp_consume_kick(vp);
		if (!check_hv || mshv_vp_irq_pending(vp) ||
		    !mshv_vp_hv_blocked(vp))
			return 0;
		/* Signalled, but still blocked: the next signal will come. */
		atomic_inc(&vp->vp_pt->pt_irq.stats.blocked_kicks);
	}
}

/*
 * Root scheduler: this thread runs the VP with HVCALL_DISPATCH_VP until it
 * stops on an intercept.  A blocked VP is waited for until the hypervisor
 * signals it (a scheduler message, see mshv_synic.c).  Pending work
 * (signals, rescheduling, TIF_NOTIFY_RESUME work: mshv_vp_entry.c) is
 * handled between dispatches only, so an intercept that a dispatch
 * returned is always delivered by this call.
 */
static long mshv_vp_run_root(struct mshv_vp *vp, void __user *uarg)
{
	struct mshv_partition *pt = vp->vp_pt;
	struct hv_output_dispatch_vp out;
	u32 flags;
	int ret;

	for (;;) {
		ret = mshv_vp_entry_work(vp->vp_entry);
		if (ret)
			return ret;

		flags = vp->vp_intercept_suspend ?
			HV_DISPATCH_VP_FLAG_CLEAR_INTERCEPT_SUSPEND : 0;
		/*
		 * Interrupt injection through the register page (see
		 * mshv_irq_inject_fast()) queues a vector, then checks
		 * vp_dispatching; here it is set, then vectors are looked
		 * for.  With a full barrier on both sides, either this
		 * dispatch scans the vector or the injector sees the flag.
		 */
		WRITE_ONCE(vp->vp_dispatching, true);
		smp_mb();	/* vp_dispatching store before vector load */
		if (mshv_vp_irq_pending(vp))
			flags |= HV_DISPATCH_VP_FLAG_SCAN_INTERRUPT_INJECTION;
		ret = mshv_hv_dispatch_vp(&vp->vp_hvpages, pt->pt_id,
					  vp->vp_index, flags, &out);
		WRITE_ONCE(vp->vp_dispatching, false);
		if (ret)
			return ret;
		vp->vp_intercept_suspend = false;

		switch (out.dispatch_state) {
		case HV_VP_DISPATCH_STATE_READY:
			if (out.dispatch_event != HV_VP_DISPATCH_EVENT_INTERCEPT)
				continue;	/* preempted: dispatch again */
			vp->vp_intercept_suspend = true;
			ret = mshv_region_movable_fault(vp);
			if (ret < 0)
				return ret;
			if (ret)
				continue;	/* faulted in: retry the access */
			return mshv_vp_copy_message(vp, uarg);
		case HV_VP_DISPATCH_STATE_BLOCKED:
			atomic_inc(&vp->vp_pt->pt_irq.stats.dispatch_blocked);
			/*
			 * A VP starts explicitly suspended: resume it; the
			 * hypervisor signals it once it may be dispatched.
			 */
			if (out.dispatch_event == HV_VP_DISPATCH_EVENT_SUSPEND) {
				ret = mshv_vp_set_reg(vp,
						      HV_REGISTER_EXPLICIT_SUSPEND,
						      0);
				if (ret)
					return ret;
			}
			/* After vp_dispatching went false: see mshv_irq.h. */
			atomic_inc(&vp->vp_pt->pt_irq.stats.vp_waits);
			ret = mshv_vp_wait_kick(vp, out.dispatch_event !=
						HV_VP_DISPATCH_EVENT_SUSPEND);
			if (ret)
				return ret;
			break;
		default:
			pr_err_ratelimited("mshv: VP %u: unexpected dispatch state %u event %u\n",
					   vp->vp_index, out.dispatch_state,
					   out.dispatch_event);
			return -EIO;
		}
	}
}

/*
 * Hypervisor scheduler, after a signal: stop the VP, then find out whether
 * it stopped on an intercept first.  Once the write of EXPLICIT_SUSPEND
 * returns the VP runs no more, so INTERCEPT_SUSPEND is final.
 *
 * Return: 0 if an intercept is in flight (its kick is guaranteed to
 * come), -EINTR if nothing is, or another negative errno.
 */
static int mshv_vp_stop_after_signal(struct mshv_vp *vp)
{
	u32 name = HV_REGISTER_INTERCEPT_SUSPEND;
	union hv_register_value val;
	int ret;

	ret = mshv_vp_set_reg(vp, HV_REGISTER_EXPLICIT_SUSPEND, 1);
	if (ret)
		return ret;
	ret = mshv_hv_get_vp_registers(vp->vp_pt->pt_id, vp->vp_index, 1,
				       &name, &val);
	if (ret)
		return ret;
	return val.reg64 ? 0 : -EINTR;
}

/*
 * Hypervisor scheduler: the hypervisor runs the VP on its own; this thread
 * resumes it and sleeps until the hypervisor reports an intercept with an
 * HVMSG_OPAQUE_INTERCEPT message (the ISR kicks the VP).  Whenever this
 * returns, the VP is suspended: by the intercept (return 0), or
 * explicitly.
 */
static int mshv_vp_run_hyp_once(struct mshv_vp *vp)
{
	/*
	 * INTERCEPT_SUSPEND first: clearing EXPLICIT_SUSPEND first could let
	 * the VP run and stop on a new intercept whose INTERCEPT_SUSPEND the
	 * second write would then clear, losing that intercept.
	 */
	struct hv_register_assoc resume[] = {
		{ .name = HV_REGISTER_INTERCEPT_SUSPEND, .value.reg64 = 0 },
		{ .name = HV_REGISTER_EXPLICIT_SUSPEND, .value.reg64 = 0 },
	};
	int ret;

	ret = mshv_vp_entry_work(vp->vp_entry);
	if (ret)
		return ret;
	/* The VP is suspended: no kick can be on its way for it. */
	mshv_vp_consume_kick(vp);
	ret = mshv_vp_set_regs(vp, ARRAY_SIZE(resume), resume);
	if (ret)
		return ret;

	if (rcuwait_wait_event(&vp->vp_wait, mshv_vp_kicked(vp),
			       TASK_INTERRUPTIBLE)) {
		ret = mshv_vp_stop_after_signal(vp);
		if (ret)
			return ret;
		if (rcuwait_wait_event(&vp->vp_wait, mshv_vp_kicked(vp),
				       TASK_KILLABLE))
			return -EINTR;
	}
	mshv_vp_consume_kick(vp);
	return 0;
}

static long mshv_vp_run_hyp(struct mshv_vp *vp, void __user *uarg)
{
	int ret;

	for (;;) {
		ret = mshv_vp_run_hyp_once(vp);
		if (!ret)
			ret = mshv_region_movable_fault(vp);
		if (ret < 0)
			return ret;
		if (!ret)
			return mshv_vp_copy_message(vp, uarg);
		/* Faulted in: resume the VP (pending work first). */
	}
}

static long __mshv_hot mshv_vp_run(struct mshv_vp *vp, void __user *uarg)
{
	lockdep_assert_held(&vp->vp_mutex);

	if (mshv_root.scheduler_type == HV_SCHEDULER_TYPE_ROOT)
		return mshv_vp_run_root(vp, uarg);
	return mshv_vp_run_hyp(vp, uarg);
}

static long __mshv_hot mshv_vp_ioctl(struct file *filp, unsigned int cmd,
				     unsigned long arg)
{
	struct mshv_vp *vp = filp->private_data;
	void __user *uarg = (void __user *)arg;
	long ret;

	if (!mshv_partition_owned(vp->vp_pt))
		return -EIO;
	if (mutex_lock_killable(&vp->vp_mutex))
		return -EINTR;

	switch (cmd) {
	case MSHV_RUN_VP:
		ret = mshv_vp_run(vp, uarg);
		break;
	case MSHV_ROOT_HVCALL:
		ret = mshv_root_hvcall(vp->vp_pt, vp, uarg);
		break;
	case MSHV_GET_VP_STATE:
		ret = mshv_vp_get_set_state(vp, uarg, false);
		break;
	case MSHV_SET_VP_STATE:
		ret = mshv_vp_get_set_state(vp, uarg, true);
		break;
	default:
		ret = -ENOTTY;
		break;
	}

	mutex_unlock(&vp->vp_mutex);
	return ret;
}

static vm_fault_t mshv_vp_fault(struct vm_fault *vmf)
{
	struct page *page = vmf->vma->vm_private_data;

	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct mshv_vp_vm_ops = {
	.fault = mshv_vp_fault,
};

static int mshv_vp_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct mshv_vp *vp = filp->private_data;
	struct page *page;

	if (vma->vm_end - vma->vm_start != PAGE_SIZE)
		return -EINVAL;

	switch (vma->vm_pgoff) {
	case MSHV_VP_MMAP_OFFSET_REGISTERS:
		page = vp->vp_register_page;
		break;
	case MSHV_VP_MMAP_OFFSET_INTERCEPT_MESSAGE:
		page = vp->vp_intercept_page;
		break;
	case MSHV_VP_MMAP_OFFSET_GHCB:
		/* Only encrypted partitions have one; none are supported. */
		return -ENODEV;
	default:
		return -EINVAL;
	}

	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_private_data = page;
	vma->vm_ops = &mshv_vp_vm_ops;
	return 0;
}

static int mshv_vp_release(struct inode *inode, struct file *filp)
{
	struct mshv_vp *vp = filp->private_data;

	/* The VP itself lives until the partition is destroyed. */
	mshv_partition_put(vp->vp_pt);
	return 0;
}

static const struct file_operations mshv_vp_fops = {
	.owner = THIS_MODULE,
	.release = mshv_vp_release,
	.unlocked_ioctl = mshv_vp_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = mshv_vp_mmap,
	.llseek = noop_llseek,
};

/* Allocates nothing: the VP's own hypercall pages carry the calls. */
static void mshv_vp_unmap_state_pages(struct mshv_vp *vp, u64 partition_id,
				      u32 vp_index, struct page *regs,
				      struct page *msg)
{
	if (regs)
		mshv_hv_unmap_vp_page_hp(&mshv_vp_state_page, &vp->vp_hvpages,
					 partition_id, vp_index,
					 HV_VP_STATE_PAGE_REGISTERS);
	if (msg)
		mshv_hv_unmap_vp_page_hp(&mshv_vp_state_page, &vp->vp_hvpages,
					 partition_id, vp_index,
					 HV_VP_STATE_PAGE_INTERCEPT_MESSAGE);
}

/**
 * mshv_vp_destroy() - delete a VP in the hypervisor and free it
 * @vp: the VP; no fd refers to it any more
 *
 * Allocates nothing, so that it cannot fail for want of memory.
 *
 * Context: partition destruction, after the partition left the id table
 * and an RCU grace period passed, so the ISR cannot see @vp.
 */
void mshv_vp_destroy(struct mshv_vp *vp)
{
	u64 partition_id = vp->vp_pt->pt_id;

	/*
	 * Keep the VP off the processors for good before it goes away (no
	 * VP fd is left, so nothing runs it); failure changes nothing below.
	 */
	mshv_vp_set_reg(vp, HV_REGISTER_DISPATCH_SUSPEND, 1);

	mshv_vp_unmap_state_pages(vp, partition_id, vp->vp_index,
				  vp->vp_register_page, vp->vp_intercept_page);
	if (vp->vp_stats_page)
		mshv_hv_unmap_vp_page_hp(&mshv_vp_stats_page, &vp->vp_hvpages,
					 partition_id, vp->vp_index,
					 HV_STATS_AREA_SELF);
	mshv_hv_delete_vp(partition_id, vp->vp_index);
	mshv_hvpages_free(&vp->vp_hvpages);
	mshv_vp_entry_free(vp->vp_entry);
	kfree(vp);
}

/**
 * mshv_vp_create() - MSHV_CREATE_VP
 * @pt: the partition, pt_mutex held
 * @uarg: struct mshv_create_vp
 *
 * The VP and its hypercall pages are allocated before the VP exists in the
 * hypervisor, so that undoing it there never needs an allocation.
 *
 * Return: the VP fd or a negative errno; on error nothing is left behind.
 */
long mshv_vp_create(struct mshv_partition *pt, void __user *uarg)
{
	struct page *regs = NULL, *msg = NULL;
	struct mshv_create_vp args;
	struct mshv_vp *vp;
	struct file *file;
	int fd, ret;

	lockdep_assert_held(&pt->pt_mutex);

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.vp_index >= MSHV_MAX_VPS || !pt->pt_initialized)
		return -EINVAL;
	if (pt->pt_vps[args.vp_index])
		return -EEXIST;

	vp = kzalloc(sizeof(*vp), GFP_KERNEL);
	if (!vp)
		return -ENOMEM;
	ret = mshv_vp_entry_init(&vp->vp_entry);
	if (ret)
		goto free_vp;
	ret = mshv_hvpages_alloc(&vp->vp_hvpages);
	if (ret)
		goto free_vp;

	ret = mshv_hv_create_vp(pt->pt_id, args.vp_index);
	if (ret)
		goto free_pages;
	ret = mshv_hv_map_vp_page(&mshv_vp_state_page, pt->pt_id,
				  args.vp_index,
				  HV_VP_STATE_PAGE_INTERCEPT_MESSAGE, &msg);
	if (ret)
		goto delete_vp;
	ret = mshv_hv_map_vp_page(&mshv_vp_state_page, pt->pt_id,
				  args.vp_index, HV_VP_STATE_PAGE_REGISTERS,
				  &regs);
	if (ret)
		goto unmap_pages;
	/* Only the root scheduler waits on the stats counter. */
	if (mshv_root.scheduler_type == HV_SCHEDULER_TYPE_ROOT) {
		ret = mshv_hv_map_vp_page(&mshv_vp_stats_page, pt->pt_id,
					  args.vp_index, HV_STATS_AREA_SELF,
					  &vp->vp_stats_page);
		if (ret)
			goto unmap_pages;
	}

	vp->vp_index = args.vp_index;
	vp->vp_pt = pt;
	vp->vp_register_page = regs;
	vp->vp_intercept_page = msg;
	mutex_init(&vp->vp_mutex);
	rcuwait_init(&vp->vp_wait);

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto unmap_pages;
	}
	/* The VP fd's partition reference; the partition fd holds one. */
	refcount_inc(&pt->pt_ref);
	file = anon_inode_getfile("mshv_vp", &mshv_vp_fops, vp,
				  O_RDWR | O_CLOEXEC);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		refcount_dec(&pt->pt_ref);
		goto put_fd;
	}

	/* Visible to the ISR from here on; fully initialised before. */
	smp_store_release(&pt->pt_vps[args.vp_index], vp);
	fd_install(fd, file);
	return fd;

put_fd:
	put_unused_fd(fd);
unmap_pages:
	if (vp->vp_stats_page)
		mshv_hv_unmap_vp_page_hp(&mshv_vp_stats_page, &vp->vp_hvpages,
					 pt->pt_id, args.vp_index,
					 HV_STATS_AREA_SELF);
	mshv_vp_unmap_state_pages(vp, pt->pt_id, args.vp_index, regs, msg);
delete_vp:
	mshv_hv_delete_vp(pt->pt_id, args.vp_index);
free_pages:
	mshv_hvpages_free(&vp->vp_hvpages);
free_vp:
	mshv_vp_entry_free(vp->vp_entry);
	kfree(vp);
	return ret;
}
