// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim fault injection, netdevsim style: /sys/kernel/debug/hvsim/fault/
 *
 *   fail_code     hypercall code to fail (hex or decimal)
 *   fail_nth      fail the Nth next call of fail_code (1 = the next one);
 *                 counts down, 0 = off; one shot
 *   fail_status   HV_STATUS_* the failed call returns (default
 *                 INSUFFICIENT_MEMORY); a rep call reports no progress.
 *                 INSUFFICIENT_ROOT_MEMORY, INSUFFICIENT_CONTIGUOUS_MEMORY
 *                 and INSUFFICIENT_CONTIGUOUS_ROOT_MEMORY ask for a
 *                 particular deposit: the call keeps failing with the
 *                 same status until the root has made it (see wanted)
 *   injected      calls failed so far (read-only)
 *   pool_cap      most pages one child partition's deposit pool may hold;
 *                 0 = no limit.  A deposit beyond it fails at that page
 *                 with INSUFFICIENT_MEMORY (reps completed = pages
 *                 accepted): the driver's deposit error path runs, and
 *                 the call that wanted memory fails with -ENOMEM
 *   pool_cap_hits deposits refused by pool_cap (read-only)
 *   wanted        the status whose deposit is still awaited, 0 for none
 *                 (read-only); writing fail_nth forgets it
 *   wanted_met    deposits that gave what a status asked for (read-only)
 *
 * A failed call has no effect at all, as if the hypervisor had refused it
 * before looking at its input.
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/spinlock.h>

#include "hvsim.h"

static u32 hvsim_fail_code;
static atomic_t hvsim_fail_nth = ATOMIC_INIT(0);
static u32 hvsim_fail_status = HV_STATUS_INSUFFICIENT_MEMORY;
static atomic_long_t hvsim_injected;
static unsigned long hvsim_pool_cap;
static atomic_long_t hvsim_pool_cap_hits;

/*
 * The deposit an injected ROOT or CONTIGUOUS status asks for, until the
 * root makes it: a real hypervisor would fail the call again as long as
 * it lacks that memory.  Protected by hvsim_wanted_lock, a raw spinlock:
 * fast hypercalls reach hvsim_fault_check() from the root's SynIC
 * interrupt (irq_work in hard interrupt context).
 */
static DEFINE_RAW_SPINLOCK(hvsim_wanted_lock);
static u16 hvsim_wanted_code;
static u16 hvsim_wanted_status;	/* 0: nothing awaited */
static atomic_long_t hvsim_wanted_met;

/* Does @status want the deposit to go into the root's own pool? */
static bool hvsim_status_wants_root(u16 status)
{
	return status == HV_STATUS_INSUFFICIENT_ROOT_MEMORY ||
	       status == HV_STATUS_INSUFFICIENT_CONTIGUOUS_ROOT_MEMORY;
}

/* Does @status want HV_MAX_CONTIGUOUS_ALLOCATION_PAGES contiguous pages? */
static bool hvsim_status_wants_contiguous(u16 status)
{
	return status == HV_STATUS_INSUFFICIENT_CONTIGUOUS_MEMORY ||
	       status == HV_STATUS_INSUFFICIENT_CONTIGUOUS_ROOT_MEMORY;
}

static void hvsim_wanted_forget(void)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&hvsim_wanted_lock, flags);
	hvsim_wanted_status = HV_STATUS_SUCCESS;
	raw_spin_unlock_irqrestore(&hvsim_wanted_lock, flags);
}

/**
 * hvsim_fault_check() - should this call fail?
 * @code: the hypercall code
 *
 * Return: HV_STATUS_SUCCESS to go ahead, else the status to fail with.
 */
u16 __hvsim_hot hvsim_fault_check(u16 code)
{
	unsigned long flags;
	u16 status;

	raw_spin_lock_irqsave(&hvsim_wanted_lock, flags);
	status = hvsim_wanted_code == code ? hvsim_wanted_status :
					     HV_STATUS_SUCCESS;
	raw_spin_unlock_irqrestore(&hvsim_wanted_lock, flags);
	if (status) {
		atomic_long_inc(&hvsim_injected);
		return status;
	}

	if (code != READ_ONCE(hvsim_fail_code) ||
	    !atomic_read(&hvsim_fail_nth))
		return HV_STATUS_SUCCESS;
	/* Only the call that takes the count from 1 to 0 fails. */
	if (atomic_dec_if_positive(&hvsim_fail_nth) != 0)
		return HV_STATUS_SUCCESS;
	status = READ_ONCE(hvsim_fail_status);
	if (status == HV_STATUS_SUCCESS)
		return HV_STATUS_SUCCESS;
	if (hvsim_status_wants_root(status) ||
	    hvsim_status_wants_contiguous(status)) {
		raw_spin_lock_irqsave(&hvsim_wanted_lock, flags);
		hvsim_wanted_code = code;
		hvsim_wanted_status = status;
		raw_spin_unlock_irqrestore(&hvsim_wanted_lock, flags);
	}
	atomic_long_inc(&hvsim_injected);
	return status;
}

/* Is there an aligned run of HV_MAX_CONTIGUOUS_ALLOCATION_PAGES frames? */
static bool hvsim_pfns_have_run(const u64 *pfns, u32 count)
{
	const u32 run = HV_MAX_CONTIGUOUS_ALLOCATION_PAGES;
	u32 i, j;

	for (i = 0; i + run <= count; i++) {
		if (!IS_ALIGNED(READ_ONCE(pfns[i]), run))
			continue;
		for (j = 1; j < run; j++)
			if (READ_ONCE(pfns[i + j]) != READ_ONCE(pfns[i]) + j)
				break;
		if (j == run)
			return true;
	}
	return false;
}

/**
 * hvsim_fault_deposited() - tell fault injection about a deposit
 * @root: the pages went into the root's own pool
 * @pfns: the frames the pool accepted
 * @count: how many
 *
 * Ends the wait for the deposit an injected status asked for when this
 * one is of the kind it wants: into the root for the ROOT variants, with
 * an aligned run of HV_MAX_CONTIGUOUS_ALLOCATION_PAGES frames for the
 * CONTIGUOUS variants.
 */
void hvsim_fault_deposited(bool root, const u64 *pfns, u32 count)
{
	unsigned long flags;
	u16 status;
	bool met;

	raw_spin_lock_irqsave(&hvsim_wanted_lock, flags);
	status = hvsim_wanted_status;
	raw_spin_unlock_irqrestore(&hvsim_wanted_lock, flags);
	if (!status || !count)
		return;
	met = (root || !hvsim_status_wants_root(status)) &&
	      (!hvsim_status_wants_contiguous(status) ||
	       hvsim_pfns_have_run(pfns, count));
	if (!met)
		return;
	raw_spin_lock_irqsave(&hvsim_wanted_lock, flags);
	/* Unless it was rearmed meanwhile. */
	if (hvsim_wanted_status == status) {
		hvsim_wanted_status = HV_STATUS_SUCCESS;
		atomic_long_inc(&hvsim_wanted_met);
	}
	raw_spin_unlock_irqrestore(&hvsim_wanted_lock, flags);
}

/**
 * hvsim_fault_pool_full() - may @pool take no more deposits?
 * @pool: a deposit pool, locked
 *
 * Return: true if the pool is a child's and holds pool_cap pages already.
 */
bool __hvsim_hot hvsim_fault_pool_full(const struct hvsim_pool *pool)
{
	unsigned long cap = READ_ONCE(hvsim_pool_cap);

	lockdep_assert_held(&pool->lock);

	if (!cap || pool->total != &hvsim_stats.child_pages ||
	    pool->nr_free + pool->nr_used < cap)
		return false;
	atomic_long_inc(&hvsim_pool_cap_hits);
	return true;
}

static int hvsim_fail_nth_get(void *data, u64 *val)
{
	*val = atomic_read(&hvsim_fail_nth);
	return 0;
}

static int hvsim_fail_nth_set(void *data, u64 val)
{
	if (val > INT_MAX)
		return -EINVAL;
	hvsim_wanted_forget();
	atomic_set(&hvsim_fail_nth, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(hvsim_fail_nth_fops, hvsim_fail_nth_get,
			 hvsim_fail_nth_set, "%llu\n");

static int hvsim_fault_u16_set(void *data, u64 val)
{
	if (val > U16_MAX)
		return -EINVAL;
	WRITE_ONCE(*(u32 *)data, val);
	return 0;
}

static int hvsim_fault_u16_get(void *data, u64 *val)
{
	*val = READ_ONCE(*(u32 *)data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(hvsim_fault_u16_fops, hvsim_fault_u16_get,
			 hvsim_fault_u16_set, "0x%llx\n");

static int hvsim_wanted_get(void *data, u64 *val)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&hvsim_wanted_lock, flags);
	*val = hvsim_wanted_status;
	raw_spin_unlock_irqrestore(&hvsim_wanted_lock, flags);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(hvsim_wanted_fops, hvsim_wanted_get, NULL,
			 "0x%llx\n");

static int hvsim_fault_counter_get(void *data, u64 *val)
{
	*val = atomic_long_read(data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(hvsim_fault_counter_fops, hvsim_fault_counter_get,
			 NULL, "%llu\n");

/**
 * hvsim_fault_debugfs_init() - create the fault/ directory
 * @parent: hvsim's debugfs directory
 */
void hvsim_fault_debugfs_init(struct dentry *parent)
{
	struct dentry *dir = debugfs_create_dir("fault", parent);

	debugfs_create_file_unsafe("fail_code", 0644, dir, &hvsim_fail_code,
				   &hvsim_fault_u16_fops);
	debugfs_create_file_unsafe("fail_nth", 0644, dir, NULL,
				   &hvsim_fail_nth_fops);
	debugfs_create_file_unsafe("fail_status", 0644, dir,
				   &hvsim_fail_status, &hvsim_fault_u16_fops);
	debugfs_create_file_unsafe("injected", 0444, dir, &hvsim_injected,
				   &hvsim_fault_counter_fops);
	debugfs_create_ulong("pool_cap", 0644, dir, &hvsim_pool_cap);
	debugfs_create_file_unsafe("pool_cap_hits", 0444, dir,
				   &hvsim_pool_cap_hits,
				   &hvsim_fault_counter_fops);
	debugfs_create_file_unsafe("wanted", 0444, dir, NULL,
				   &hvsim_wanted_fops);
	debugfs_create_file_unsafe("wanted_met", 0444, dir,
				   &hvsim_wanted_met, &hvsim_fault_counter_fops);
}
