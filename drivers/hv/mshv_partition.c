// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: partitions.
 *
 * Creation, the partition fd and its ioctls, the id table the SynIC ISR
 * looks partitions up in, and destruction when the last reference (the fd
 * or a VP fd) goes away.
 */

#include <kunit/visibility.h>
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <uapi/linux/mshv.h>

#include "mshv_root.h"

/*
 * Partitions by hypervisor id; RCU-readable for the ISR.  The SynIC's
 * KUnit suite publishes fake partitions in it (mshv_kunit.h).
 */
VISIBLE_IF_KUNIT struct xarray mshv_partitions = XARRAY_INIT(mshv_partitions, 0);
EXPORT_SYMBOL_IF_KUNIT(mshv_partitions);

/* Partitions not yet destroyed to the end (see mshv_debugfs_init()). */
atomic_t mshv_partitions_live = ATOMIC_INIT(0);

/**
 * mshv_partition_find_rcu() - look a partition up by hypervisor id
 * @partition_id: id from a hypervisor message
 *
 * Context: rcu_read_lock() held (any context, including hardirq).  The
 * partition stays valid until rcu_read_unlock().
 * Return: the partition or NULL.
 */
struct mshv_partition *mshv_partition_find_rcu(u64 partition_id)
{
	RCU_LOCKDEP_WARN(!rcu_read_lock_held(),
			 "partition lookup outside an RCU read side");

	return xa_load(&mshv_partitions, partition_id);
}

/*
 * Pages the driver gave up on: guest memory still pinned because the
 * hypervisor may still map it.  debugfs mshv/leaked_pages, so tests can
 * tell a deliberate leak from a bug (the partition's own directory is
 * gone by then).
 */
atomic_long_t mshv_leaked_pages = ATOMIC_LONG_INIT(0);

/**
 * mshv_leak_pages() - account pages deliberately never freed
 * @nr: number of pages
 */
void mshv_leak_pages(u64 nr)
{
	atomic_long_add(nr, &mshv_leaked_pages);
}

/* A teardown hypercall on a partition, retried a few times. */
static bool mshv_teardown_call(int (*call)(u64 partition_id), u64 id)
{
	unsigned int i;

	for (i = 0; i < MSHV_TEARDOWN_TRIES; i++)
		if (!call(id))
			return true;
	return false;
}

/*
 * Delete the partition in the hypervisor.  DELETE fails while pages are
 * still deposited, so every attempt withdraws first: a withdrawal that
 * stopped early the last time gets another go.
 */
static bool mshv_partition_delete(struct mshv_partition *pt)
{
	unsigned int i;

	for (i = 0; i < MSHV_TEARDOWN_TRIES; i++) {
		mshv_hv_withdraw_all(&pt->pt_hvpages, pt->pt_id);
		if (!mshv_hv_delete_partition(pt->pt_id))
			return true;
	}
	return false;
}

/*
 * Tear down everything a partition owns, in the hypervisor and in the
 * kernel.  Works on a partition that was only partially created.
 *
 * Nothing here allocates memory: the hypercalls that need pages use the
 * partition's and the VPs' preallocated ones, the others are fast calls.
 * A failed allocation must never leave state behind in the hypervisor.
 *
 * Policy when teardown hypercalls fail (each is retried a few times
 * first): the driver frees nothing the hypervisor may still use.
 *  - DELETE_VP and UNMAP_VP_STATE_PAGE failures are harmless: finalizing
 *    the partition frees the VPs and their pages in the hypervisor.
 *  - A guest memory region is unpinned as soon as its GPA range is
 *    unmapped (FINALIZE unmaps every range), or once the partition is
 *    deleted.  If neither happens,
 *    its pages stay pinned forever and are counted in leaked_pages.
 *  - Pages deposited into the partition come back only through
 *    WITHDRAW_MEMORY; whatever the hypervisor keeps stays its own.
 *  - If FINALIZE or DELETE fail for good, the partition stays in the
 *    hypervisor; its id is logged.
 */
static void mshv_partition_destroy(struct mshv_partition *pt)
{
	bool deleted = false, finalized = false;
	unsigned int i;

	/* First make the partition invisible to the ISR. */
	if (pt->pt_in_table) {
		xa_erase(&mshv_partitions, pt->pt_id);
		synchronize_rcu();
	}

	for (i = 0; i < MSHV_MAX_VPS; i++) {
		if (pt->pt_vps[i]) {
			mshv_vp_destroy(pt->pt_vps[i]);
			pt->pt_vps[i] = NULL;
		}
	}

	if (pt->pt_initialized) {
		finalized = mshv_teardown_call(mshv_hv_finalize_partition,
					       pt->pt_id);
		if (!finalized)
			pr_err_ratelimited("mshv: partition %#llx could not be finalized\n",
					   pt->pt_id);
	}

	if (pt->pt_id) {
		/*
		 * FINALIZE removes every GPA mapping, and the hypervisor
		 * refuses GPA unmaps of a finalized partition: unmap only
		 * what a failed (or never issued) FINALIZE left mapped.
		 */
		if (finalized)
			mshv_regions_forget_hv(pt);
		else
			mshv_regions_unmap_all(pt);
		deleted = mshv_partition_delete(pt);
		if (!deleted)
			pr_err_ratelimited("mshv: partition %#llx could not be deleted; its memory stays with the hypervisor\n",
					   pt->pt_id);
	} else {
		deleted = true;		/* never existed in the hypervisor */
	}
	mshv_debugfs_partition_exit(pt);	/* if the fd never was */
	mshv_regions_release_all(pt, deleted);
	mshv_irq_state_destroy(&pt->pt_irq);
	mshv_hvpages_free(&pt->pt_hvpages);

	if (pt->pt_mm)
		mmdrop(pt->pt_mm);
	atomic_dec(&mshv_partitions_live);
	/* Last: nothing below may call into the platform any more. */
	module_put(pt->pt_owner);
	kfree(pt);
}

/**
 * mshv_partition_owned() - whether the caller may use a partition
 * @pt: the partition
 *
 * Its fds (inherited over fork, or passed over a unix socket) serve only
 * the process that created it, as KVM's do: user addresses in the ioctls
 * mean something only in that address space.
 *
 * Return: true if the current task runs in the partition's address space.
 */
bool __mshv_hot mshv_partition_owned(const struct mshv_partition *pt)
{
	return current->mm == pt->pt_mm;
}

/**
 * mshv_partition_put() - drop a partition reference
 * @pt: the partition
 *
 * The last reference destroys the partition.
 *
 * Context: process context; may sleep.
 */
void mshv_partition_put(struct mshv_partition *pt)
{
	if (refcount_dec_and_test(&pt->pt_ref))
		mshv_partition_destroy(pt);
}

static long mshv_partition_initialize(struct mshv_partition *pt)
{
	int ret;

	if (pt->pt_initialized)
		return 0;
	ret = mshv_hv_initialize_partition(pt->pt_id);
	if (ret) {
		/* Give back whatever initialization was given. */
		mshv_hv_withdraw_all(&pt->pt_hvpages, pt->pt_id);
		return ret;
	}
	pt->pt_initialized = true;
	return 0;
}

static long mshv_partition_ioctl(struct file *filp, unsigned int cmd,
				 unsigned long arg)
{
	struct mshv_partition *pt = filp->private_data;
	void __user *uarg = (void __user *)arg;
	long ret;

	if (!mshv_partition_owned(pt))
		return -EIO;
	if (mutex_lock_killable(&pt->pt_mutex))
		return -EINTR;

	switch (cmd) {
	case MSHV_INITIALIZE_PARTITION:
		ret = mshv_partition_initialize(pt);
		break;
	case MSHV_CREATE_VP:
		ret = mshv_vp_create(pt, uarg);
		break;
	case MSHV_SET_GUEST_MEMORY:
		ret = mshv_set_guest_memory(pt, uarg);
		break;
	case MSHV_ROOT_HVCALL:
		ret = mshv_root_hvcall(pt, NULL, uarg);
		break;
	case MSHV_GET_GPAP_ACCESS_BITMAP:
		ret = mshv_gpap_access_bitmap(pt, uarg);
		break;
	case MSHV_IRQFD:
		ret = mshv_irqfd(pt, uarg);
		break;
	case MSHV_IOEVENTFD:
		ret = mshv_ioeventfd(pt, uarg);
		break;
	case MSHV_SET_MSI_ROUTING:
		ret = mshv_set_msi_routing(pt, uarg);
		break;
	default:
		ret = -ENOTTY;
		break;
	}

	mutex_unlock(&pt->pt_mutex);
	return ret;
}

static int mshv_partition_release(struct inode *inode, struct file *filp)
{
	struct mshv_partition *pt = filp->private_data;

	/*
	 * irqfds go first: they refer to the partition and its VPs without
	 * holding a reference, and may be injecting right now.
	 */
	mshv_irqfd_release(pt);
	/*
	 * The directory is named after the fd, which may be reused while VP
	 * fds keep the partition: it goes with the fd.
	 */
	mshv_debugfs_partition_exit(pt);
	/* Eventfds are the fd's business: they go with it (VP fds or not). */
	mutex_lock(&pt->pt_mutex);
	mshv_ioeventfd_release_all(pt);
	mutex_unlock(&pt->pt_mutex);
	mshv_partition_put(pt);
	return 0;
}

static const struct file_operations mshv_partition_fops = {
	.owner = THIS_MODULE,
	.release = mshv_partition_release,
	.unlocked_ioctl = mshv_partition_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

/**
 * mshv_partition_create() - create a partition and return its fd
 * @args: HVCALL_CREATE_PARTITION input, already validated
 *
 * Context: process context, from an open /dev/mshv (which pins the
 * platform module).
 * Return: the new fd or a negative errno; on error nothing is left behind.
 */
long mshv_partition_create(const struct hv_input_create_partition *args)
{
	struct mshv_partition *pt;
	struct file *file;
	int fd, ret;

	pt = kzalloc(sizeof(*pt), GFP_KERNEL);
	if (!pt)
		return -ENOMEM;
	/* Teardown must not depend on an allocation: take its pages now. */
	ret = mshv_hvpages_alloc(&pt->pt_hvpages);
	if (ret)
		goto free_pt;
	ret = mshv_irq_state_init(&pt->pt_irq);
	if (ret)
		goto free_pages;
	refcount_set(&pt->pt_ref, 1);
	atomic_inc(&mshv_partitions_live);
	mutex_init(&pt->pt_mutex);
	mt_init(&pt->pt_regions);
	INIT_LIST_HEAD(&pt->pt_ioeventfds);
	init_completion(&pt->pt_async_done);
	pt->pt_movable_regions = true;
	/* The caller's /dev/mshv file holds a reference already. */
	pt->pt_owner = mshv_root.ops->owner;
	__module_get(pt->pt_owner);
	/* NULL from a kernel thread, which has no fd to use it through. */
	pt->pt_mm = current->mm;
	if (pt->pt_mm)
		mmgrab(pt->pt_mm);

	ret = mshv_hv_create_partition(mshv_root.root_id, args, &pt->pt_id);
	if (ret)
		goto put;
	if (!pt->pt_id) {
		/* Id 0 is HV_PARTITION_ID_INVALID; never track it. */
		ret = -EIO;
		goto put;
	}

	ret = xa_insert(&mshv_partitions, pt->pt_id, pt, GFP_KERNEL);
	if (ret) {
		pr_err("mshv: partition id %#llx already in use\n", pt->pt_id);
		ret = ret == -EBUSY ? -EIO : ret;
		goto put;
	}
	pt->pt_in_table = true;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto put;
	}
	mshv_debugfs_partition_init(pt, fd);
	file = anon_inode_getfile("mshv_partition", &mshv_partition_fops, pt,
				  O_RDWR | O_CLOEXEC);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		goto put_fd;
	}
	fd_install(fd, file);
	return fd;

put_fd:
	put_unused_fd(fd);
put:
	mshv_partition_put(pt);
	return ret;

free_pages:
	mshv_hvpages_free(&pt->pt_hvpages);
free_pt:
	kfree(pt);
	return ret;
}
