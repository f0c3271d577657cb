// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim debugfs: /sys/kernel/debug/hvsim/
 *
 *   partitions       child partitions that exist
 *   vps              VPs that exist
 *   deposited_pages  pages owned by child partition pools (used or free)
 *   root_pages       pages owned by the root partition's pool
 *   mapped_pages     gfns currently mapped, all partitions
 *   hypercalls       "0x004b MAP_GPA_PAGES 12 34567": per call code ever
 *                    issued, the calls and the nanoseconds spent in them
 *   inject_message   write "CPU SINT TYPE [SENDER [QWORD0 [QWORD1]]]" (TYPE
 *                    and the rest in hex) to post a message to the root,
 *                    for testing the driver's message handling
 *   async_delay_ms   delay before an asynchronous hypercall completes
 *   async_completions  completion messages posted to the root so far
 *   doorbells        guest writes that rang a doorbell (port queued)
 *   doorbells_dropped  doorbell writes whose port was gone or found no
 *                    room (no doorbell SINT, too many waiting on a full
 *                    ring)
 *   ring_full        times a root doorbell event ring filled up
 *   doorbell_hold    1: queue doorbells without notifying the root (so
 *                    the ring fills); writing 0 notifies and returns once
 *                    the root has drained
 *   engine           the execution engine in use and its statistics
 *                    (engine.h)
 *   fault/           fault injection (fault.c)
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "hvsim.h"

static struct dentry *hvsim_debugfs_dir;

static int hvsim_counter_get(void *data, u64 *val)
{
	*val = atomic_long_read(data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(hvsim_counter_fops, hvsim_counter_get, NULL,
			 "%llu\n");

static int hvsim_hypercalls_show(struct seq_file *m, void *unused)
{
	hvsim_hcall_stats_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hvsim_hypercalls);

static int hvsim_engine_info_show(struct seq_file *m, void *unused)
{
	hvsim_engine_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hvsim_engine_info);

static ssize_t hvsim_inject_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct hv_message msg = {};
	unsigned int cpu, sint;
	char buf[128];
	int n, ret;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	n = sscanf(buf, "%u %u %x %llx %llx %llx", &cpu, &sint,
		   &msg.header.message_type, &msg.header.sender,
		   &msg.u.payload[0], &msg.u.payload[1]);
	if (n < 3)
		return -EINVAL;
	msg.header.payload_size = n > 4 ? (n - 4) * sizeof(u64) : 0;
	ret = hvsim_post_root_message(cpu, sint, &msg);
	return ret ? ret : count;
}

static const struct file_operations hvsim_inject_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = hvsim_inject_write,
	.llseek = noop_llseek,
};

static const struct {
	const char *name;
	atomic_long_t *counter;
} hvsim_counters[] = {
	{ "partitions", &hvsim_stats.partitions },
	{ "vps", &hvsim_stats.vps },
	{ "deposited_pages", &hvsim_stats.child_pages },
	{ "root_pages", &hvsim_stats.root_pages },
	{ "mapped_pages", &hvsim_stats.mapped_pages },
	{ "doorbells", &hvsim_stats.doorbells },
	{ "doorbells_dropped", &hvsim_stats.doorbells_dropped },
	{ "ring_full", &hvsim_stats.ring_full },
};

static int hvsim_hold_get(void *data, u64 *val)
{
	*val = hvsim_synic_ring_held();
	return 0;
}

static int hvsim_hold_set(void *data, u64 val)
{
	if (val > 1)
		return -EINVAL;
	hvsim_synic_ring_hold(val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(hvsim_hold_fops, hvsim_hold_get, hvsim_hold_set,
			 "%llu\n");

/**
 * hvsim_debugfs_init() - create /sys/kernel/debug/hvsim/
 *
 * Failures are not fatal: debugfs is for tests and debugging only.
 */
void hvsim_debugfs_init(void)
{
	unsigned int i;

	hvsim_debugfs_dir = debugfs_create_dir("hvsim", NULL);
	for (i = 0; i < ARRAY_SIZE(hvsim_counters); i++)
		debugfs_create_file_unsafe(hvsim_counters[i].name, 0444,
					   hvsim_debugfs_dir,
					   hvsim_counters[i].counter,
					   &hvsim_counter_fops);
	debugfs_create_file("hypercalls", 0444, hvsim_debugfs_dir, NULL,
			    &hvsim_hypercalls_fops);
	debugfs_create_file("engine", 0444, hvsim_debugfs_dir, NULL,
			    &hvsim_engine_info_fops);
	debugfs_create_file("inject_message", 0200, hvsim_debugfs_dir, NULL,
			    &hvsim_inject_fops);
	debugfs_create_file_unsafe("doorbell_hold", 0644, hvsim_debugfs_dir,
				   NULL, &hvsim_hold_fops);
	hvsim_async_debugfs_init(hvsim_debugfs_dir);
	hvsim_fault_debugfs_init(hvsim_debugfs_dir);
}

/**
 * hvsim_debugfs_exit() - remove /sys/kernel/debug/hvsim/
 */
void hvsim_debugfs_exit(void)
{
	debugfs_remove_recursive(hvsim_debugfs_dir);
}
