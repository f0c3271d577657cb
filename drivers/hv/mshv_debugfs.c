// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: the debugfs directory /sys/kernel/debug/mshv/.
 *
 *   partitions           partitions not yet destroyed to the end
 *   pinned_pages         guest pages pinned by the regions of all partitions
 *   leaked_pages         guest pages left pinned by a failed teardown
 *   ring_resyncs         doorbell rings resynchronised (see mshv_irq.h)
 *   entry_notify_resume  whether TIF_NOTIFY_RESUME work runs before entry
 *   partition/<tgid>-<fd>/  one directory per partition, named after
 *                        the process that created it and the partition's
 *                        fd there (as KVM names its VMs' directories):
 *     movable_regions    Y: new RAM regions are movable (the default);
 *                        N: they are pinned (mshv_regions.c)
 *     irq_fast_path      Y: fixed edge-triggered interrupts may go through
 *                        the VP register page (the default); N: always
 *                        HVCALL_ASSERT_VIRTUAL_INTERRUPT (mshv_irq_inject.c)
 *     irq/               the partition's interrupt counters
 *     movable/           the counters of its movable regions
 *
 * The two switches are the partition's own, so that tests cover both
 * behaviours of each without changing how other partitions run.  Without
 * debugfs the directories are error pointers, which the debugfs API
 * accepts and ignores.
 */

#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/sched.h>

#include "mshv_root.h"
#include "mshv_vp_entry.h"

struct dentry *mshv_debugfs_dir;
static struct dentry *mshv_debugfs_pt_dir;

/* One atomic_t counter of a statistics structure. */
struct mshv_debugfs_counter {
	const char *name;
	size_t offset;
};

#define MSHV_COUNTER(type, field) { #field, offsetof(type, field) }
#define MSHV_IRQ_COUNTER(field) MSHV_COUNTER(struct mshv_irq_stats, field)
#define MSHV_MOVABLE_COUNTER(field) \
	MSHV_COUNTER(struct mshv_movable_stats, field)

static const struct mshv_debugfs_counter mshv_irq_counters[] = {
	MSHV_IRQ_COUNTER(inject_fast),
	MSHV_IRQ_COUNTER(inject_slow),
	MSHV_IRQ_COUNTER(inject_failed),
	MSHV_IRQ_COUNTER(fast_refused),
	MSHV_IRQ_COUNTER(coalesced),
	MSHV_IRQ_COUNTER(dropped),
	MSHV_IRQ_COUNTER(eoi),
	MSHV_IRQ_COUNTER(resampled),
	MSHV_IRQ_COUNTER(routing_updates),
	MSHV_IRQ_COUNTER(vp_waits),
	MSHV_IRQ_COUNTER(dispatch_blocked),
	MSHV_IRQ_COUNTER(blocked_kicks),
};

static const struct mshv_debugfs_counter mshv_movable_counters[] = {
	MSHV_MOVABLE_COUNTER(faults),
	MSHV_MOVABLE_COUNTER(fault_pages),
	MSHV_MOVABLE_COUNTER(fault_large),
	MSHV_MOVABLE_COUNTER(fault_retries),
	MSHV_MOVABLE_COUNTER(fault_errors),
	MSHV_MOVABLE_COUNTER(invalidations),
	MSHV_MOVABLE_COUNTER(invalidated_pages),
	MSHV_MOVABLE_COUNTER(invalidate_errors),
};

/* Directory @name under @parent with the counters @c of @stats. */
static void mshv_debugfs_counters(struct dentry *parent, const char *name,
				  void *stats,
				  const struct mshv_debugfs_counter *c,
				  size_t n)
{
	struct dentry *dir = debugfs_create_dir(name, parent);
	size_t i;

	for (i = 0; i < n; i++)
		debugfs_create_atomic_t(c[i].name, 0444, dir,
					stats + c[i].offset);
}

static int mshv_atomic_long_get(void *data, u64 *val)
{
	*val = atomic_long_read(data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(mshv_atomic_long_fops, mshv_atomic_long_get, NULL,
			 "%llu\n");

/**
 * mshv_debugfs_init() - create /sys/kernel/debug/mshv/
 *
 * Its "partitions" file counts the partitions not yet destroyed to the
 * end (pages unpinned, memory freed): a test waits for it to read 0
 * before it takes a baseline of a global counter.
 *
 * "entry_notify_resume" says whether TIF_NOTIFY_RESUME work (task work,
 * rseq) runs before each guest entry (see mshv_vp_entry.c).
 *
 * Failure is not fatal: debugfs is for diagnostics only.
 */
void mshv_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("mshv", NULL);

	mshv_debugfs_dir = dir;
	debugfs_create_atomic_t("partitions", 0444, dir,
				&mshv_partitions_live);
	debugfs_create_file_unsafe("pinned_pages", 0444, dir,
				   &mshv_pinned_pages, &mshv_atomic_long_fops);
	debugfs_create_file_unsafe("leaked_pages", 0444, dir,
				   &mshv_leaked_pages, &mshv_atomic_long_fops);
	debugfs_create_atomic_t("ring_resyncs", 0444, dir, &mshv_ring_resyncs);
	debugfs_create_bool("entry_notify_resume", 0444, dir,
			    &mshv_vp_entry_notify_resume);
	mshv_debugfs_pt_dir = debugfs_create_dir("partition", dir);
}

/**
 * mshv_debugfs_exit() - remove the directory and everything in it
 */
void mshv_debugfs_exit(void)
{
	debugfs_remove_recursive(mshv_debugfs_dir);
	mshv_debugfs_dir = NULL;
	mshv_debugfs_pt_dir = NULL;
}

/**
 * mshv_debugfs_partition_init() - the directory of a new partition
 * @pt: the partition, not yet visible to user space
 * @fd: the fd it is about to be installed at
 *
 * Context: process context, in the process that creates the partition.
 */
void mshv_debugfs_partition_init(struct mshv_partition *pt, int fd)
{
	char name[32];
	struct dentry *dir;

	snprintf(name, sizeof(name), "%d-%d", task_tgid_nr(current), fd);
	dir = debugfs_create_dir(name, mshv_debugfs_pt_dir);
	pt->pt_debugfs = dir;
	debugfs_create_bool("movable_regions", 0644, dir,
			    &pt->pt_movable_regions);
	debugfs_create_bool("irq_fast_path", 0644, dir,
			    &pt->pt_irq.fast_path);
	mshv_debugfs_counters(dir, "irq", &pt->pt_irq.stats,
			      mshv_irq_counters,
			      ARRAY_SIZE(mshv_irq_counters));
	mshv_debugfs_counters(dir, "movable", &pt->pt_movable_stats,
			      mshv_movable_counters,
			      ARRAY_SIZE(mshv_movable_counters));
}

/**
 * mshv_debugfs_partition_exit() - remove a partition's directory
 * @pt: the partition; its counters stay valid until this returns
 */
void mshv_debugfs_partition_exit(struct mshv_partition *pt)
{
	debugfs_remove_recursive(pt->pt_debugfs);
	pt->pt_debugfs = NULL;
}
