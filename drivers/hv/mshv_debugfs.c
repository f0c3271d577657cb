// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: the debugfs directory /sys/kernel/debug/mshv/.
 *
 * Each part of the driver that exposes counters adds its files under
 * mshv_debugfs_dir.  Without debugfs the directory is an error pointer,
 * which the debugfs API accepts and ignores.
 */

#include <linux/debugfs.h>

#include "mshv_root.h"
#include "mshv_vp_entry.h"

struct dentry *mshv_debugfs_dir;

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
	mshv_debugfs_dir = debugfs_create_dir("mshv", NULL);
	debugfs_create_atomic_t("partitions", 0444, mshv_debugfs_dir,
				&mshv_partitions_live);
	debugfs_create_bool("entry_notify_resume", 0444, mshv_debugfs_dir,
			    &mshv_vp_entry_notify_resume);
}

/**
 * mshv_debugfs_exit() - remove the directory and everything in it
 */
void mshv_debugfs_exit(void)
{
	debugfs_remove_recursive(mshv_debugfs_dir);
	mshv_debugfs_dir = NULL;
}
