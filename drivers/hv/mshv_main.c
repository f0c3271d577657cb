// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: module glue, the platform seam and /dev/mshv.
 *
 * A platform (arch/x86/hyperv/mshv_hyperv.c on the real Microsoft
 * Hypervisor, or hvsim) registers itself here.  Registration learns the
 * root partition id and the scheduler type, sets up the SynIC on every CPU
 * and only then creates /dev/mshv; unregistration undoes it in reverse.
 *
 * /dev/mshv and partition creation are the only things in this file; the
 * partition, VP and memory objects live in their own files.
 */

#include <kunit/visibility.h>
#include <linux/cpuhotplug.h>
#include <linux/crash_dump.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/uaccess.h>
#include <uapi/linux/mshv.h>

#include "mshv_root.h"

static_assert(HV_HYP_PAGE_SIZE == MSHV_HV_PAGE_SIZE);
static_assert(PAGE_SIZE == MSHV_HV_PAGE_SIZE);

struct mshv_root_state mshv_root;

/*
 * Protects mshv_root.ops and mshv_dev_ready.  misc_open() calls our open
 * with misc_mtx held, so misc_register()/misc_deregister() are called
 * without this lock to keep the lock order misc_mtx -> mshv_dev_lock.
 */
static DEFINE_MUTEX(mshv_dev_lock);
static bool mshv_dev_ready;

static int mshv_dev_open(struct inode *inode, struct file *filp)
{
	int ret = 0;

	mutex_lock(&mshv_dev_lock);
	if (!mshv_dev_ready || !try_module_get(mshv_root.ops->owner))
		ret = -ENODEV;
	mutex_unlock(&mshv_dev_lock);
	return ret;
}

static int mshv_dev_release(struct inode *inode, struct file *filp)
{
	/* The open file pins the platform, so ops cannot have changed. */
	module_put(mshv_root.ops->owner);
	return 0;
}

/**
 * mshv_create_check_v1() - validate the v1 part of MSHV_CREATE_PARTITION
 * @flags: pt_flags
 * @isolation: pt_isolation
 *
 * Return: 0, or -EINVAL for unknown flags or isolation types.
 */
VISIBLE_IF_KUNIT int mshv_create_check_v1(u64 flags, u64 isolation)
{
	if (flags & ~MSHV_PT_FLAGS_MASK ||
	    isolation >= MSHV_PT_ISOLATION_COUNT)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mshv_create_check_v1);

/**
 * mshv_create_check_v2() - validate a v2 MSHV_CREATE_PARTITION argument
 * @args: the whole argument, read a second time
 * @flags: pt_flags of the first read, already checked
 *
 * Return: 0, or -EINVAL if the flags changed between the reads, or the
 * isolation type, bank count or reserved fields are invalid.
 */
VISIBLE_IF_KUNIT int mshv_create_check_v2(const struct mshv_create_partition_v2 *args,
					  u64 flags)
{
	if (args->pt_flags != flags ||
	    args->pt_isolation >= MSHV_PT_ISOLATION_COUNT ||
	    args->pt_num_cpu_fbanks > MSHV_NUM_CPU_FEATURES_BANKS ||
	    memchr_inv(args->pt_rsvd, 0, sizeof(args->pt_rsvd)) ||
	    memchr_inv(args->pt_rsvd1, 0, sizeof(args->pt_rsvd1)))
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mshv_create_check_v2);

/**
 * mshv_create_input() - build the HVCALL_CREATE_PARTITION input
 * @args: validated argument; only the v1 part is read unless @flags has
 *	MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES
 * @in: filled in
 */
VISIBLE_IF_KUNIT void mshv_create_input(const struct mshv_create_partition_v2 *args,
					struct hv_input_create_partition *in)
{
	u64 flags = args->pt_flags;
	unsigned int i;

	memset(in, 0, sizeof(*in));
	in->flags = HV_PARTITION_CREATION_FLAG_EXO_PARTITION |
		    HV_PARTITION_CREATION_FLAG_INTERCEPT_MESSAGE_PAGE_ENABLED;
	if (flags & BIT(MSHV_PT_BIT_LAPIC))
		in->flags |= HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED;
	if (flags & BIT(MSHV_PT_BIT_X2APIC))
		in->flags |= HV_PARTITION_CREATION_FLAG_X2APIC_CAPABLE;
	if (flags & BIT(MSHV_PT_BIT_GPA_SUPER_PAGES))
		in->flags |= HV_PARTITION_CREATION_FLAG_GPA_SUPER_PAGES_ENABLED;
	if (flags & BIT(MSHV_PT_BIT_NESTED_VIRTUALIZATION))
		in->flags |= HV_PARTITION_CREATION_FLAG_NESTED_VIRTUALIZATION_CAPABLE;
	if (flags & BIT(MSHV_PT_BIT_SMT_ENABLED_GUEST))
		in->flags |= HV_PARTITION_CREATION_FLAG_SMT_ENABLED_GUEST;
	in->compatibility_version = HV_COMPATIBILITY_21_H2;
	in->isolation_properties = HV_PARTITION_ISOLATION_TYPE_NONE;

	/* v1 asks for every feature: nothing disabled. */
	if (flags & BIT(MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES)) {
		struct hv_partition_creation_properties *p =
			&in->partition_creation_properties;

		for (i = 0; i < HV_PARTITION_PROCESSOR_FEATURES_BANKS; i++)
			p->disabled_processor_features[i] =
				i < args->pt_num_cpu_fbanks ?
				args->pt_cpu_fbanks[i] : U64_MAX;
		p->disabled_processor_xsave_features = args->pt_disabled_xsave;
	}
}
EXPORT_SYMBOL_IF_KUNIT(mshv_create_input);

/*
 * Build the HVCALL_CREATE_PARTITION input from the uAPI argument.  The
 * first 16 bytes are the v1 layout; the v2 layout is read only when its
 * flag bit says so, and is re-validated as a whole after the second copy.
 */
static int mshv_create_args(void __user *uarg,
			    struct hv_input_create_partition *in)
{
	struct mshv_create_partition_v2 args = {};
	u64 flags;

	if (copy_from_user(&args, uarg, sizeof(struct mshv_create_partition)))
		return -EFAULT;
	if (mshv_create_check_v1(args.pt_flags, args.pt_isolation))
		return -EINVAL;
	flags = args.pt_flags;

	if (flags & BIT(MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES)) {
		if (copy_from_user(&args, uarg, sizeof(args)))
			return -EFAULT;
		if (mshv_create_check_v2(&args, flags))
			return -EINVAL;
	}

	mshv_create_input(&args, in);
	return 0;
}

static long mshv_dev_ioctl(struct file *filp, unsigned int cmd,
			   unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	struct hv_input_create_partition in;
	long ret;

	switch (cmd) {
	case MSHV_CREATE_PARTITION:
		ret = mshv_create_args(uarg, &in);
		if (ret)
			return ret;
		return mshv_partition_create(&in);
	case MSHV_ROOT_HVCALL:
		return mshv_root_hvcall(NULL, NULL, uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations mshv_dev_fops = {
	.owner = THIS_MODULE,
	.open = mshv_dev_open,
	.release = mshv_dev_release,
	.unlocked_ioctl = mshv_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice mshv_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "mshv",
	.fops = &mshv_dev_fops,
	.mode = 0600,
};

static bool mshv_ops_complete(const struct mshv_platform_ops *ops)
{
	return ops && ops->hypercall && ops->fast_hypercall8 &&
	       ops->fast_hypercall16 && ops->synic_cpu_init &&
	       ops->synic_cpu_exit && ops->synic_eom;
}

/**
 * mshv_platform_register() - attach the hypervisor below mshv_root
 * @ops: the platform; must stay valid until mshv_platform_unregister()
 *
 * Learns the root partition id and the scheduler type, sets up the SynIC
 * on every CPU and creates /dev/mshv.  Only one platform at a time.
 *
 * Context: process context (module init of the platform).
 * Return: 0; -EBUSY if a platform is registered; -EINVAL if @ops is
 * incomplete; -EOPNOTSUPP if the hypervisor reports a scheduler type this
 * driver does not know; or another negative errno.
 */
int mshv_platform_register(const struct mshv_platform_ops *ops)
{
	int ret;

	if (!mshv_ops_complete(ops))
		return -EINVAL;

	mutex_lock(&mshv_dev_lock);
	if (mshv_root.ops) {
		mutex_unlock(&mshv_dev_lock);
		return -EBUSY;
	}
	mshv_root.ops = ops;
	mutex_unlock(&mshv_dev_lock);

	ret = mshv_hv_get_partition_id(&mshv_root.root_id);
	if (ret)
		goto clear_ops;
	ret = mshv_hv_get_scheduler_type(&mshv_root.scheduler_type);
	if (ret)
		goto clear_ops;
	switch (mshv_root.scheduler_type) {
	case HV_SCHEDULER_TYPE_ROOT:		/* the root dispatches VPs */
	case HV_SCHEDULER_TYPE_LP:		/* the hypervisor does */
	case HV_SCHEDULER_TYPE_LP_SMT:
	case HV_SCHEDULER_TYPE_CORE_SMT:
		break;
	default:
		pr_err("mshv: %s: unknown scheduler type %u\n", ops->name,
		       mshv_root.scheduler_type);
		ret = -EOPNOTSUPP;
		goto clear_ops;
	}

	ret = mshv_synic_init();
	if (ret)
		goto clear_ops;

	ret = misc_register(&mshv_dev);
	if (ret)
		goto synic_exit;

	mutex_lock(&mshv_dev_lock);
	mshv_dev_ready = true;
	mutex_unlock(&mshv_dev_lock);

	pr_info("mshv: platform %s registered, root partition %#llx, %s scheduler\n",
		ops->name, mshv_root.root_id,
		mshv_root.scheduler_type == HV_SCHEDULER_TYPE_ROOT ?
		"root" : "hypervisor");
	return 0;

synic_exit:
	mshv_synic_exit();
clear_ops:
	mutex_lock(&mshv_dev_lock);
	mshv_root.ops = NULL;
	mutex_unlock(&mshv_dev_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(mshv_platform_register);

/**
 * mshv_platform_unregister() - detach the platform
 * @ops: the platform passed to mshv_platform_register()
 *
 * Removes /dev/mshv and the per-CPU SynIC setup.  Every open /dev/mshv and
 * every partition holds a reference on @ops->owner, so when this runs from
 * the platform's module exit no object that uses the platform is left.
 *
 * Context: process context (module exit of the platform).
 */
void mshv_platform_unregister(const struct mshv_platform_ops *ops)
{
	mutex_lock(&mshv_dev_lock);
	if (WARN_ON(!ops || mshv_root.ops != ops || !mshv_dev_ready)) {
		mutex_unlock(&mshv_dev_lock);
		return;
	}
	mshv_dev_ready = false;
	mutex_unlock(&mshv_dev_lock);

	misc_deregister(&mshv_dev);
	mshv_synic_exit();
	mshv_doorbell_exit();

	mutex_lock(&mshv_dev_lock);
	mshv_root.ops = NULL;
	mutex_unlock(&mshv_dev_lock);
	pr_info("mshv: platform %s unregistered\n", ops->name);
}
EXPORT_SYMBOL_GPL(mshv_platform_unregister);

static int __init mshv_root_init(void)
{
	int ret;

	/*
	 * A kdump kernel inherits the crashed kernel's hypervisor state
	 * (partitions, deposited pages, SynIC setup) and has no business
	 * creating guests: stay out.
	 */
	if (is_kdump_kernel()) {
		pr_info("mshv: not loading in a kdump kernel\n");
		return -ENODEV;
	}

	mshv_debugfs_init();
	ret = mshv_irqfd_init();
	if (ret)
		mshv_debugfs_exit();
	return ret;
}

static void __exit mshv_root_exit(void)
{
	mshv_irqfd_exit();
	mshv_debugfs_exit();
}

module_init(mshv_root_init);
module_exit(mshv_root_exit);

MODULE_DESCRIPTION("Microsoft Hypervisor root partition VMM interface (/dev/mshv)");
MODULE_LICENSE("GPL");
MODULE_SOFTDEP("post: mshv_hyperv");
