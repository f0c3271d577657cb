// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim scheduling: the suspend registers and the two scheduler models.
 *
 * A VP has three suspend registers (TLFS): EXPLICIT_SUSPEND, set and
 * cleared by the root; INTERCEPT_SUSPEND, set by the hypervisor when the
 * VP stops on an intercept; DISPATCH_SUSPEND, set by the root to keep a VP
 * off the processors (teardown).  A VP may run only while all three are 0.
 * A fresh VP is explicitly suspended.
 *
 * scheduler=root (HV_SCHEDULER_TYPE_ROOT): the root runs a VP itself with
 * HVCALL_DISPATCH_VP (dispatch.c).  Dispatching a suspended VP returns
 * BLOCKED + SUSPEND without running it.  When a register write makes a
 * suspended VP runnable, hvsim signals the root on SINT 0 with a scheduler
 * message for that VP, so that the root dispatches it again.  hvsim
 * alternates between HVMSG_SCHEDULER_VP_SIGNAL_PAIR and _BITSET, one VP
 * per message, so that the root's parsing of both formats is exercised.
 *
 * scheduler=hyp (HV_SCHEDULER_TYPE_LP): hvsim runs every VP on a kernel
 * thread of its own, created when the VP is first resumed.  The thread
 * runs the VP while it is runnable, one instruction budget at a time under
 * vp->lock, yielding between budgets.  On an intercept it writes the
 * message into the VP's intercept message page, sets INTERCEPT_SUSPEND and
 * posts HVMSG_OPAQUE_INTERCEPT (the VP index, sent by the partition) on
 * SINT 0.  Everything else that touches a VP also holds vp->lock, so a
 * register access from the root only ever sees the VP stopped between two
 * instructions; in particular, once a write of EXPLICIT_SUSPEND = 1
 * returns, the VP executes no further instruction.
 *
 * A VP halted with interrupts enabled (lapic.c) is runnable but idle: the
 * root scheduler's dispatch reports it BLOCKED, its thread sleeps; when an
 * interrupt is posted to it, hvsim_sched_kick() signals the root or wakes
 * the thread.
 *
 * Approximations: the hypervisor scheduler has no notion of logical
 * processors, affinity, time slices or priorities (the host scheduler
 * places the threads); a VP whose intercept message page is not mapped
 * does not run in either model; HV_REGISTER_VP_ROOT_SIGNAL_COUNT is not
 * kept.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "hvsim.h"

static char *scheduler = "root";
module_param(scheduler, charp, 0444);
MODULE_PARM_DESC(scheduler,
		 "scheduler model: \"root\" (the root dispatches VPs) or \"hyp\" (hvsim runs VPs on its own threads)");

static bool hvsim_hyp;

/**
 * hvsim_sched_init() - parse the scheduler module parameter
 *
 * Return: 0, or -EINVAL for an unknown model.
 */
int hvsim_sched_init(void)
{
	if (!strcmp(scheduler, "root")) {
		hvsim_hyp = false;
	} else if (!strcmp(scheduler, "hyp")) {
		hvsim_hyp = true;
	} else {
		pr_err("scheduler=%s: must be \"root\" or \"hyp\"\n",
		       scheduler);
		return -EINVAL;
	}
	return 0;
}

/**
 * hvsim_sched_hyp() - does hvsim schedule VPs itself?
 *
 * Return: true for scheduler=hyp, false for the root scheduler.
 */
bool __hvsim_hot hvsim_sched_hyp(void)
{
	return hvsim_hyp;
}

/**
 * hvsim_sched_type() - the value of HV_SYSTEM_PROPERTY_SCHEDULER_TYPE
 *
 * Return: HV_SCHEDULER_TYPE_LP or HV_SCHEDULER_TYPE_ROOT.
 */
u32 hvsim_sched_type(void)
{
	return hvsim_hyp ? HV_SCHEDULER_TYPE_LP : HV_SCHEDULER_TYPE_ROOT;
}

/**
 * hvsim_vp_runnable() - may @vp run: is none of its suspend registers set?
 * @vp: the VP; locked, or read locklessly by its own thread
 *
 * Return: true if the VP may run.
 */
bool __hvsim_hot hvsim_vp_runnable(const struct hvsim_vp *vp)
{
	return !READ_ONCE(vp->suspend[HVSIM_SUSPEND_EXPLICIT]) &&
	       !READ_ONCE(vp->suspend[HVSIM_SUSPEND_INTERCEPT]) &&
	       !READ_ONCE(vp->suspend[HVSIM_SUSPEND_DISPATCH]);
}

/**
 * hvsim_sched_post() - post a message to the root on SINT 0
 * @msg: the message
 *
 * On this CPU if possible, else on any online CPU whose SynIC takes it.
 * Losing the message would leave the root waiting for ever, so say so if
 * it happens.  Context: any but hard interrupts.
 */
void hvsim_sched_post(const struct hv_message *msg)
{
	unsigned int cpu, first = raw_smp_processor_id();

	if (!hvsim_post_root_message(first, HV_SYNIC_INTERCEPTION_SINT_INDEX,
				     msg))
		return;
	for_each_online_cpu(cpu) {
		if (cpu != first &&
		    !hvsim_post_root_message(cpu,
					     HV_SYNIC_INTERCEPTION_SINT_INDEX,
					     msg))
			return;
	}
	pr_warn_ratelimited("scheduler message %#x lost\n",
			    msg->header.message_type);
}

/*
 * debugfs early_signal: when a dispatch finds the VP halted, signal the
 * root at once although the VP stays blocked (its stats counter says so),
 * as a hypervisor may; a root that does not consult the counter then
 * dispatches it again for nothing.
 */
bool hvsim_early_signal;

/* Post a scheduler signal for @vp to the root. */
static void hvsim_sched_post_signal(const struct hvsim_vp *vp)
{
	static atomic_t seq = ATOMIC_INIT(0);
	struct hv_vp_signal_bitset_scheduler_message *bitset;
	struct hv_vp_signal_pair_scheduler_message *pair;
	struct hv_message msg;

	memset(&msg, 0, sizeof(msg));
	msg.header.payload_size = HV_MESSAGE_PAYLOAD_BYTE_COUNT;
	if (atomic_inc_return(&seq) & 1) {
		msg.header.message_type = HVMSG_SCHEDULER_VP_SIGNAL_PAIR;
		pair = (void *)msg.u.payload;
		pair->vp_count = 1;
		pair->partition_ids[0] = vp->pt->id;
		pair->vp_indexes[0] = vp->index;
	} else {
		msg.header.message_type = HVMSG_SCHEDULER_VP_SIGNAL_BITSET;
		bitset = (void *)msg.u.payload;
		bitset->partition_id = vp->pt->id;
		bitset->vp_count = 1;
		bitset->vpset_format = HV_GENERIC_SET_SPARSE_4K;
		bitset->vpset_valid_bank_mask = BIT_ULL(vp->index / 64);
		bitset->vpset_bank_contents[0] = BIT_ULL(vp->index % 64);
	}
	hvsim_sched_post(&msg);
}

/*
 * Root scheduler: tell the root that @vp became runnable; its "root
 * dispatch thread blocked" counter is cleared first.
 */
static void hvsim_sched_signal_root(const struct hvsim_vp *vp)
{
	hvsim_vp_stats_blocked(vp, false);
	/* Counter cleared before the root can see the signal. */
	smp_wmb();
	hvsim_sched_post_signal(vp);
}

/**
 * hvsim_sched_blocked() - a dispatch found @vp halted (root scheduler)
 * @vp: the VP, locked; its counter was set when the dispatch began
 *
 * With early_signal, signals the root right away, the counter left set.
 */
void hvsim_sched_blocked(const struct hvsim_vp *vp)
{
	lockdep_assert_held(&vp->lock);

	if (READ_ONCE(hvsim_early_signal))
		hvsim_sched_post_signal(vp);
}

/* Hypervisor scheduler: tell the root that @vp stopped on an intercept. */
static void hvsim_sched_signal_intercept(const struct hvsim_vp *vp)
{
	struct hv_opaque_intercept_message *op;
	struct hv_message msg;

	memset(&msg, 0, sizeof(msg));
	msg.header.message_type = HVMSG_OPAQUE_INTERCEPT;
	msg.header.payload_size = sizeof(*op);
	msg.header.sender = vp->pt->id;
	op = (void *)msg.u.payload;
	op->vp_index = vp->index;
	hvsim_sched_post(&msg);
}

/*
 * The thread may run the VP: runnable, there is a page for messages, and
 * it is not halted with nothing to wake it.
 */
static bool hvsim_vp_thread_can_run(const struct hvsim_vp *vp)
{
	return hvsim_vp_runnable(vp) &&
	       READ_ONCE(vp->state_page[HV_VP_STATE_PAGE_INTERCEPT_MESSAGE]) &&
	       !hvsim_lapic_sleeping(vp);
}

static bool hvsim_vp_thread_wanted(const struct hvsim_vp *vp)
{
	return hvsim_vp_thread_can_run(vp) || kthread_should_stop();
}

/*
 * The hypervisor scheduler's thread of one VP.  It holds vp->lock only
 * while running one budget, so the root's register accesses and the
 * deletion of the VP get in between budgets.
 */
static int hvsim_vp_thread(void *data)
{
	struct hvsim_vp *vp = data;
	bool intercept;

	for (;;) {
		wait_event_idle(vp->run_wq, hvsim_vp_thread_wanted(vp));
		if (kthread_should_stop())
			break;

		intercept = false;
		mutex_lock(&vp->lock);
		if (!vp->dead && hvsim_vp_thread_can_run(vp))
			intercept = hvsim_vp_run_slice(vp) ==
				    HVSIM_SLICE_INTERCEPT;
		mutex_unlock(&vp->lock);

		/* The VP stays alive until this thread has been stopped. */
		if (intercept)
			hvsim_sched_signal_intercept(vp);
		cond_resched();
	}
	return 0;
}

/**
 * hvsim_sched_vp_init() - scheduling state of a new VP
 * @vp: the VP, not yet visible to anyone
 *
 * A new VP starts explicitly suspended, in both models.  Under the
 * hypervisor scheduler it gets its thread here.
 *
 * Return: 0, or a negative errno if the thread cannot be created.
 */
int hvsim_sched_vp_init(struct hvsim_vp *vp)
{
	struct task_struct *t;

	vp->suspend[HVSIM_SUSPEND_EXPLICIT] = 1;
	init_waitqueue_head(&vp->run_wq);
	if (!hvsim_hyp)
		return 0;
	/*
	 * The hypervisor scheduler's thread exists from the start (it waits
	 * until the VP may run): creating it allocates, which hvsim must not
	 * do under its locks, and SET_VP_REGISTERS holds vp->lock.
	 */
	t = kthread_run(hvsim_vp_thread, vp, "hvsim/%llx:%u", vp->pt->id,
			vp->index);
	if (IS_ERR(t))
		return PTR_ERR(t);
	vp->thread = t;
	return 0;
}

/**
 * hvsim_sched_vp_stop() - stop the thread of a deleted VP
 * @vp: the VP; vp->dead is set, vp->lock is not held
 *
 * Waits for the thread to finish its budget and exit.  The thread exists
 * from hvsim_sched_vp_init() on, so vp->thread is stable here.  Also for
 * a VP that was never listed (vp->dead not set, the thread never ran it).
 */
void hvsim_sched_vp_stop(struct hvsim_vp *vp)
{
	if (vp->thread) {
		kthread_stop(vp->thread);
		vp->thread = NULL;
	}
}

/**
 * hvsim_sched_set_suspend() - SET_VP_REGISTERS of a suspend register
 * @vp: the VP, locked
 * @name: HV_REGISTER_EXPLICIT_SUSPEND, _INTERCEPT_SUSPEND or
 *	_DISPATCH_SUSPEND
 * @value: 0 or 1
 *
 * Suspending takes effect at once: the VP is not running while its lock
 * is held.  A write that makes the VP runnable wakes its thread (hypervisor
 * scheduler) or signals the root (root scheduler).
 *
 * Return: HV_STATUS_SUCCESS, or INVALID_PARAMETER for a value other than
 * 0 or 1.
 */
u16 hvsim_sched_set_suspend(struct hvsim_vp *vp, u32 name, u64 value)
{
	unsigned int which;
	bool was_runnable;

	lockdep_assert_held(&vp->lock);

	switch (name) {
	case HV_REGISTER_EXPLICIT_SUSPEND:
		which = HVSIM_SUSPEND_EXPLICIT;
		break;
	case HV_REGISTER_INTERCEPT_SUSPEND:
		which = HVSIM_SUSPEND_INTERCEPT;
		break;
	case HV_REGISTER_DISPATCH_SUSPEND:
		which = HVSIM_SUSPEND_DISPATCH;
		break;
	default:
		return HV_STATUS_INVALID_PARAMETER;
	}
	if (value > 1)
		return HV_STATUS_INVALID_PARAMETER;

	was_runnable = hvsim_vp_runnable(vp);
	WRITE_ONCE(vp->suspend[which], value);
	if (was_runnable || !hvsim_vp_runnable(vp))
		return HV_STATUS_SUCCESS;

	if (hvsim_hyp)
		wake_up(&vp->run_wq);
	else
		hvsim_sched_signal_root(vp);
	return HV_STATUS_SUCCESS;
}

/**
 * hvsim_sched_kick() - something may wake a halted VP
 * @vp: the VP (referenced)
 *
 * Wakes its thread (hypervisor scheduler) or, if the VP may run,
 * signals the root to dispatch it (root scheduler); it re-evaluates
 * whether it can take an interrupt.  Context: any but hard interrupts.
 */
void hvsim_sched_kick(struct hvsim_vp *vp)
{
	if (hvsim_hyp)
		wake_up(&vp->run_wq);
	else if (hvsim_vp_runnable(vp))
		hvsim_sched_signal_root(vp);
}
