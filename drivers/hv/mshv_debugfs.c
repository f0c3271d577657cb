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

struct dentry *mshv_debugfs_dir;

/**
 * mshv_debugfs_init() - create /sys/kernel/debug/mshv/
 *
 * Its "partitions" file counts the partitions not yet destroyed to the
 * end (pages unpinned, memory freed): a test waits for it to read 0
 * before it takes a baseline of a global counter.
 *
 * Failure is not fatal: debugfs is for diagnostics only.
 */
void mshv_debugfs_init(void)
{
	mshv_debugfs_dir = debugfs_create_dir("mshv", NULL);
	debugfs_create_atomic_t("partitions", 0444, mshv_debugfs_dir,
				&mshv_partitions_live);
}

/**
 * mshv_debugfs_exit() - remove the directory and everything in it
 */
void mshv_debugfs_exit(void)
{
	debugfs_remove_recursive(mshv_debugfs_dir);
	mshv_debugfs_dir = NULL;
}
