// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: MSHV_ROOT_HVCALL, hypercalls issued on behalf of the VMM.
 *
 * Only hypercalls whose input starts with the target partition id are
 * allowed; the kernel overwrites that id with the partition of the fd the
 * ioctl came in on (HV_PARTITION_ID_SELF on /dev/mshv, where only property
 * reads are allowed), so a VMM can only ever touch its own partitions.
 */

#include <kunit/visibility.h>
#include <linux/bsearch.h>
#include <linux/errno.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include <uapi/linux/mshv.h>

#include "mshv_root.h"

/* Sorted by code. */
static const u16 mshv_passthru_allowed[] = {
	HVCALL_GET_PARTITION_PROPERTY,
	HVCALL_SET_PARTITION_PROPERTY,
	HVCALL_INSTALL_INTERCEPT,
	HVCALL_GET_VP_REGISTERS,
	HVCALL_SET_VP_REGISTERS,
	HVCALL_TRANSLATE_VIRTUAL_ADDRESS,
	HVCALL_CLEAR_VIRTUAL_INTERRUPT,
	HVCALL_REGISTER_INTERCEPT_RESULT,
	HVCALL_ASSERT_VIRTUAL_INTERRUPT,
	HVCALL_SIGNAL_EVENT_DIRECT,
	HVCALL_POST_MESSAGE_DIRECT,
	HVCALL_GET_GPA_PAGES_ACCESS_STATES,
	HVCALL_GET_VP_CPUID_VALUES,
	HVCALL_GET_PARTITION_PROPERTY_EX,
};

static int mshv_cmp_u16(const void *key, const void *elt)
{
	return (int)*(const u16 *)key - (int)*(const u16 *)elt;
}

static bool mshv_passthru_allowed_code(u16 code, bool self)
{
	if (self)
		return code == HVCALL_GET_PARTITION_PROPERTY ||
		       code == HVCALL_GET_PARTITION_PROPERTY_EX;
	return bsearch(&code, mshv_passthru_allowed,
		       ARRAY_SIZE(mshv_passthru_allowed), sizeof(u16),
		       mshv_cmp_u16);
}

/**
 * mshv_passthru_validate() - validate an MSHV_ROOT_HVCALL argument
 * @args: the argument
 * @self: issued on /dev/mshv (the root itself) rather than a partition
 *
 * Return: 0, or -EINVAL for a call code not allowed here, bad buffer
 * sizes or pointers, a nonzero status or reserved field, or too many reps.
 */
VISIBLE_IF_KUNIT int mshv_passthru_validate(const struct mshv_root_hvcall *args, bool self)
{
	if (!mshv_passthru_allowed_code(args->code, self))
		return -EINVAL;
	if (args->in_sz < sizeof(u64) || args->in_sz > MSHV_HV_PAGE_SIZE ||
	    args->out_sz > MSHV_HV_PAGE_SIZE ||
	    (!args->out_ptr && args->out_sz) ||
	    !args->in_ptr || args->status ||
	    args->reps > HV_HYPERCALL_REP_MAX ||
	    memchr_inv(args->rsvd, 0, sizeof(args->rsvd)))
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mshv_passthru_validate);

/*
 * Wait for the HVMSG_ASYNC_CALL_COMPLETION of a hypercall that returned
 * HV_STATUS_CALL_PENDING.  Called with pt_mutex held, so at most one such
 * call per partition is in flight.  If the wait is interrupted, the call
 * stays in flight and further asynchronous calls fail with -EPERM until
 * the completion has arrived.
 */
static int mshv_passthru_wait_async(struct mshv_partition *pt, u16 *status)
{
	lockdep_assert_held(&pt->pt_mutex);

	if (wait_for_completion_killable(&pt->pt_async_done))
		return -EINTR;
	pt->pt_async_pending = false;
	*status = READ_ONCE(pt->pt_async_status);
	return 0;
}

/*
 * Issue a simple (non-rep) hypercall, depositing memory into the target
 * partition while the hypervisor asks for it.
 */
static u16 mshv_passthru_simple(u64 control, struct mshv_hvpages *hp,
				u64 partition_id, int *err)
{
	u64 result;

	if (partition_id == HV_PARTITION_ID_SELF)
		result = mshv_hvcall(control, hp->in, hp->out);
	else
		result = mshv_hvcall_deposit_retry(control, hp->in, hp->out,
						   partition_id);
	*err = mshv_hvcall_errno(result);
	if (result == HV_HYPERCALL_NO_HYPERVISOR)
		return HV_STATUS_INVALID_HYPERCALL_CODE;
	return mshv_hvcall_status(result);
}

/**
 * mshv_root_hvcall() - MSHV_ROOT_HVCALL on any kind of fd
 * @pt: partition of a partition or VP fd; NULL on /dev/mshv
 * @vp: the VP of a VP fd, else NULL
 * @uarg: struct mshv_root_hvcall
 *
 * Context: pt_mutex held on a partition fd, vp_mutex on a VP fd.
 * Return: 0 on success, or the errno of the hypervisor status; status,
 * reps and the output are written back to userspace in both cases.
 */
long mshv_root_hvcall(struct mshv_partition *pt, struct mshv_vp *vp,
		      void __user *uarg)
{
	struct mshv_root_hvcall __user *user = uarg;
	u64 partition_id = pt ? pt->pt_id : HV_PARTITION_ID_SELF;
	bool async_ok = pt && !vp;
	struct mshv_root_hvcall args;
	struct mshv_hvpages hp;
	u32 reps_done = 0;
	u16 status;
	int ret, err;

	if (vp)
		lockdep_assert_held(&vp->vp_mutex);
	else if (pt)
		lockdep_assert_held(&pt->pt_mutex);

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	ret = mshv_passthru_validate(&args, !pt);
	if (ret)
		return ret;

	if (args.code == HVCALL_SET_PARTITION_PROPERTY && async_ok &&
	    pt->pt_async_pending) {
		/* An earlier call's completion may have arrived meanwhile. */
		if (!try_wait_for_completion(&pt->pt_async_done))
			return -EPERM;
		pt->pt_async_pending = false;
	}

	ret = mshv_hvpages_alloc(&hp);
	if (ret)
		return ret;
	if (copy_from_user(hp.in, u64_to_user_ptr(args.in_ptr), args.in_sz)) {
		ret = -EFAULT;
		goto free;
	}
	*(u64 *)hp.in = partition_id;

	if (args.reps) {
		err = mshv_hvcall_rep(args.code, 0, args.reps, hp.in, hp.out,
				      pt ? partition_id : HV_PARTITION_ID_INVALID,
				      MSHV_RETRY_DEPOSIT, &reps_done, &status);
	} else {
		if (async_ok && args.code == HVCALL_SET_PARTITION_PROPERTY)
			reinit_completion(&pt->pt_async_done);
		status = mshv_passthru_simple(mshv_hvcall_control(args.code,
								  false, 0,
								  0, 0),
					      &hp, partition_id, &err);
	}

	if (status == HV_STATUS_CALL_PENDING) {
		if (async_ok && args.code == HVCALL_SET_PARTITION_PROPERTY &&
		    !args.reps) {
			pt->pt_async_pending = true;
			err = mshv_passthru_wait_async(pt, &status);
			if (!err)
				err = mshv_hvstatus_errno(status);
		} else {
			err = -EBADFD;
		}
	}

	/* Always report status and reps, success or not. */
	if (put_user(status, &user->status) ||
	    put_user((u16)reps_done, &user->reps)) {
		ret = -EFAULT;
		goto free;
	}
	/*
	 * The output too: after a failed rep call it holds the results of
	 * the elements that completed.  The page started zeroed.
	 */
	ret = err;
	if (args.out_sz &&
	    copy_to_user(u64_to_user_ptr(args.out_ptr), hp.out, args.out_sz))
		ret = -EFAULT;
free:
	mshv_hvpages_free(&hp);
	return ret;
}
