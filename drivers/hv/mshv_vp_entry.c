// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: pending work before each entry into the guest.
 *
 * Before every dispatch (root scheduler) or resume (hypervisor's
 * scheduler) the VMM thread does what the kernel would otherwise only do
 * on its way back to user mode, as KVM does before each VM entry: a
 * pending signal ends the run with -EINTR, a reschedule is honoured, and
 * TIF_NOTIFY_RESUME work runs (task work queued with TWA_RESUME, the rseq
 * cpu id update after a migration, memcg and blkcg throttling).
 *
 * Linux 6.12 offers that to modules only as
 * xfer_to_guest_mode_handle_work() (CONFIG_KVM_XFER_TO_GUEST_WORK), which
 * takes a struct kvm_vcpu: on a signal it records the exit there
 * (vcpu->run->exit_reason, vcpu->stat.signal_exits).  The pieces it is
 * made of (task_work_run(), the rseq and memcg hooks) are not exported.
 * So the driver checks for signals itself first, and gives each VP a
 * zeroed kvm_vcpu/kvm_run pair of its own that is written to only when a
 * signal arrives in between, and never read.  Without
 * CONFIG_KVM_XFER_TO_GUEST_WORK (the debug kernel has no KVM) only
 * signals and rescheduling are handled; TIF_NOTIFY_RESUME work then waits
 * for the return to user mode, as before.
 */

#include <linux/sched/signal.h>
#include <linux/slab.h>

#if IS_ENABLED(CONFIG_KVM_XFER_TO_GUEST_WORK)
#include <linux/entry-kvm.h>
#include <linux/kvm_host.h>
#endif

#include "mshv_vp_entry.h"

#if IS_ENABLED(CONFIG_KVM_XFER_TO_GUEST_WORK)

/* Where xfer_to_guest_mode_handle_work() records a signal exit. */
struct mshv_vp_entry {
	struct kvm_vcpu vcpu;
	struct kvm_run run;
};

bool mshv_vp_entry_notify_resume = true;

/**
 * mshv_vp_entry_init() - allocate what one VP's entry work needs
 * @entry: receives it, for mshv_vp_entry_work() and mshv_vp_entry_free()
 *
 * Return: 0 or -ENOMEM.
 */
int mshv_vp_entry_init(void **entry)
{
	struct mshv_vp_entry *e;

	e = kvzalloc(sizeof(*e), GFP_KERNEL_ACCOUNT);
	if (!e)
		return -ENOMEM;
	e->vcpu.run = &e->run;
	*entry = e;
	return 0;
}

/**
 * mshv_vp_entry_work() - handle pending work before entering the guest
 * @entry: the VP's, from mshv_vp_entry_init(); its vp_mutex held
 *
 * Context: process context, may sleep (it may schedule and run task work).
 * Return: 0 to go on, -EINTR if a signal is pending.
 */
int mshv_vp_entry_work(void *entry)
{
	struct mshv_vp_entry *e = entry;

	if (signal_pending(current))
		return -EINTR;
	return xfer_to_guest_mode_handle_work(&e->vcpu);
}

#else

bool mshv_vp_entry_notify_resume;

int mshv_vp_entry_init(void **entry)
{
	*entry = NULL;
	return 0;
}

int mshv_vp_entry_work(void *entry)
{
	if (signal_pending(current))
		return -EINTR;
	cond_resched();
	return 0;
}

#endif

/**
 * mshv_vp_entry_free() - undo mshv_vp_entry_init()
 * @entry: from mshv_vp_entry_init(), or NULL
 */
void mshv_vp_entry_free(void *entry)
{
	kvfree(entry);
}
