// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim partitions: the partition table and the lifecycle
 *
 *   CREATE_PARTITION -> created -> INITIALIZE -> initialized
 *   -> FINALIZE -> finalized -> (withdraw everything) DELETE
 *
 * A created partition that was never initialized may be deleted directly.
 * The root partition is a static object that is never created or deleted.
 */
#include <linux/slab.h>

#include "hvsim.h"

struct hvsim_stats hvsim_stats;
struct hvsim_partition hvsim_root;

/* Protects hvsim_pts and hvsim_next_id. */
static DEFINE_MUTEX(hvsim_pt_lock);
static DEFINE_XARRAY(hvsim_pts);
static u64 hvsim_next_id = HVSIM_FIRST_CHILD_ID;

static void hvsim_pt_init(struct hvsim_partition *pt, u64 id, int state,
			  atomic_long_t *pool_total)
{
	pt->id = id;
	pt->state = state;
	kref_init(&pt->ref);
	mutex_init(&pt->lock);
	spin_lock_init(&pt->vps_lock);
	hvsim_pool_init(&pt->pool, pool_total);
	init_rwsem(&pt->gpa_lock);
	hvsim_gpa_init(pt);
	hvsim_icpt_init(pt);
	hvsim_ports_init(pt);
	pt->engine = hvsim_engine_pick();
}

static void hvsim_pt_release(struct kref *ref)
{
	kfree(container_of(ref, struct hvsim_partition, ref));
}

/**
 * hvsim_pt_get() - look up a partition and take a reference
 * @id: partition id; HV_PARTITION_ID_SELF and HVSIM_ROOT_ID are the root
 *
 * Return: the partition (release with hvsim_pt_put()), or NULL.
 */
__hvsim_hot struct hvsim_partition *hvsim_pt_get(u64 id)
{
	struct hvsim_partition *pt;

	if (id == HV_PARTITION_ID_SELF || id == HVSIM_ROOT_ID) {
		kref_get(&hvsim_root.ref);
		return &hvsim_root;
	}

	mutex_lock(&hvsim_pt_lock);
	pt = xa_load(&hvsim_pts, id);
	if (pt)
		kref_get(&pt->ref);
	mutex_unlock(&hvsim_pt_lock);
	return pt;
}

/**
 * hvsim_pt_put() - drop a reference taken by hvsim_pt_get()
 * @pt: the partition
 */
void __hvsim_hot hvsim_pt_put(struct hvsim_partition *pt)
{
	kref_put(&pt->ref, hvsim_pt_release);
}

/**
 * hvsim_pt_get_locked() - look up a partition, lock it and check its state
 * @id: partition id
 * @states: acceptable states, a mask of HVSIM_PT_IS()
 * @ptp: returns the partition, referenced and locked
 *
 * Return: HV_STATUS_SUCCESS, INVALID_PARTITION_ID (unknown or deleted),
 * ACCESS_DENIED (the root, where the call wants a child) or
 * INVALID_PARTITION_STATE.  On success release with hvsim_pt_unlock_put().
 */
u16 __hvsim_hot hvsim_pt_get_locked(u64 id, unsigned int states,
				    struct hvsim_partition **ptp)
{
	struct hvsim_partition *pt;
	u16 status;

	pt = hvsim_pt_get(id);
	if (!pt)
		return HV_STATUS_INVALID_PARTITION_ID;
	status = hvsim_pt_lock_check(pt, states);
	if (status) {
		hvsim_pt_put(pt);
		return status;
	}
	*ptp = pt;
	return HV_STATUS_SUCCESS;
}

/**
 * hvsim_pt_lock_check() - lock a referenced partition and check its state
 * @pt: the partition, referenced (hvsim_pt_get())
 * @states: acceptable states, a mask of HVSIM_PT_IS()
 *
 * For a caller that dropped the lock to allocate (see HVSIM_GFP_LOCKED)
 * and takes it again: the partition may have changed meanwhile.
 *
 * Return: as hvsim_pt_get_locked(); @pt is locked on success only.
 */
u16 hvsim_pt_lock_check(struct hvsim_partition *pt, unsigned int states)
{
	u16 status;

	mutex_lock(&pt->lock);
	if (pt->state == HVSIM_PT_DELETED)
		status = HV_STATUS_INVALID_PARTITION_ID;
	else if (pt->state == HVSIM_PT_ROOT && !(states & HVSIM_PT_IS(ROOT)))
		status = HV_STATUS_ACCESS_DENIED;
	else if (!(states & BIT(pt->state)))
		status = HV_STATUS_INVALID_PARTITION_STATE;
	else
		status = HV_STATUS_SUCCESS;
	if (status)
		mutex_unlock(&pt->lock);
	return status;
}

/**
 * hvsim_pt_unlock_put() - undo hvsim_pt_get_locked()
 * @pt: the partition
 */
void hvsim_pt_unlock_put(struct hvsim_partition *pt)
{
	mutex_unlock(&pt->lock);
	hvsim_pt_put(pt);
}

/* Free every object of an initialized partition.  Called with pt->lock. */
static void hvsim_pt_free_objects(struct hvsim_partition *pt)
{
	unsigned int i;

	lockdep_assert_held(&pt->lock);

	for (i = 0; i < HVSIM_MAX_VPS; i++) {
		struct hvsim_vp *vp = pt->vps[i];

		if (vp) {
			hvsim_pt_set_vp(pt, i, NULL);
			hvsim_vp_destroy(vp);
		}
	}
	hvsim_gpa_clear(pt);
	hvsim_icpt_clear(pt);
	hvsim_ports_clear(pt);
	for (i = 0; i < HVSIM_INIT_PARTITION_PAGES; i++) {
		hvsim_pool_put(&pt->pool, pt->init_pages[i]);
		pt->init_pages[i] = NULL;
	}
}

#define HVSIM_CREATE_FLAGS (HV_PARTITION_CREATION_FLAG_SMT_ENABLED_GUEST | \
	HV_PARTITION_CREATION_FLAG_NESTED_VIRTUALIZATION_CAPABLE |	\
	HV_PARTITION_CREATION_FLAG_GPA_SUPER_PAGES_ENABLED |		\
	HV_PARTITION_CREATION_FLAG_EXO_PARTITION |			\
	HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED |			\
	HV_PARTITION_CREATION_FLAG_INTERCEPT_MESSAGE_PAGE_ENABLED |	\
	HV_PARTITION_CREATION_FLAG_X2APIC_CAPABLE)

/* HVCALL_CREATE_PARTITION: charges one page of the root's pool. */
u16 hvsim_hc_create_partition(struct hvsim_hc *hc)
{
	const struct hv_input_create_partition *in = hc->in;
	struct hv_output_create_partition *out = hc->out;
	struct hvsim_partition *pt;
	u16 status;
	int ret;

	/* The whole isolation_properties word: type NONE, nothing else. */
	if ((in->flags & ~HVSIM_CREATE_FLAGS) || in->padding ||
	    in->isolation_properties != HV_PARTITION_ISOLATION_TYPE_NONE)
		return HV_STATUS_INVALID_PARAMETER;

	pt = kzalloc(sizeof(*pt), GFP_KERNEL);
	if (!pt)
		return HV_STATUS_INSUFFICIENT_MEMORY;
	hvsim_pt_init(pt, 0, HVSIM_PT_CREATED, &hvsim_stats.child_pages);
	hvsim_prop_init(pt, in);
	pt->lapic = in->flags & HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED;

	pt->root_page = hvsim_pool_get(&hvsim_root.pool);
	if (!pt->root_page) {
		status = HV_STATUS_INSUFFICIENT_MEMORY;
		goto err_free;
	}

	mutex_lock(&hvsim_pt_lock);
	pt->id = hvsim_next_id;
	ret = xa_insert(&hvsim_pts, pt->id, pt, HVSIM_GFP_LOCKED);
	if (!ret)
		hvsim_next_id++;
	mutex_unlock(&hvsim_pt_lock);
	if (ret) {
		status = HV_STATUS_INSUFFICIENT_MEMORY;
		goto err_root_page;
	}

	atomic_long_inc(&hvsim_stats.partitions);
	out->partition_id = pt->id;
	return HV_STATUS_SUCCESS;

err_root_page:
	hvsim_pool_put(&hvsim_root.pool, pt->root_page);
err_free:
	kfree(pt);
	return status;
}

/* HVCALL_INITIALIZE_PARTITION (fast8): takes 16 pages of its own pool. */
u16 hvsim_hc_initialize_partition(struct hvsim_hc *hc)
{
	const u64 *id = hc->in;
	struct hvsim_partition *pt;
	unsigned int i;
	u16 status;

	status = hvsim_pt_get_locked(*id, HVSIM_PT_IS(CREATED), &pt);
	if (status)
		return status;

	for (i = 0; i < HVSIM_INIT_PARTITION_PAGES; i++) {
		pt->init_pages[i] = hvsim_pool_get(&pt->pool);
		if (!pt->init_pages[i])
			break;
	}
	if (i < HVSIM_INIT_PARTITION_PAGES) {
		while (i--) {
			hvsim_pool_put(&pt->pool, pt->init_pages[i]);
			pt->init_pages[i] = NULL;
		}
		status = HV_STATUS_INSUFFICIENT_MEMORY;
	} else {
		pt->state = HVSIM_PT_INITIALIZED;
	}
	hvsim_pt_unlock_put(pt);
	return status;
}

/* HVCALL_FINALIZE_PARTITION (fast8): frees every VP and GPA mapping. */
u16 hvsim_hc_finalize_partition(struct hvsim_hc *hc)
{
	const u64 *id = hc->in;
	struct hvsim_partition *pt;
	u16 status;

	status = hvsim_pt_get_locked(*id, HVSIM_PT_IS(INITIALIZED), &pt);
	if (status)
		return status;
	hvsim_pt_free_objects(pt);
	pt->state = HVSIM_PT_FINALIZED;
	hvsim_pt_unlock_put(pt);
	return HV_STATUS_SUCCESS;
}

/* HVCALL_DELETE_PARTITION (fast8): the pool must have been withdrawn. */
u16 hvsim_hc_delete_partition(struct hvsim_hc *hc)
{
	const u64 *id = hc->in;
	struct hvsim_partition *pt;
	u16 status;

	status = hvsim_pt_get_locked(*id, HVSIM_PT_IS(CREATED) |
				     HVSIM_PT_IS(FINALIZED), &pt);
	if (status)
		return status;
	mutex_lock(&pt->pool.lock);
	if (pt->pool.nr_free || pt->pool.nr_used)
		status = HV_STATUS_INVALID_PARTITION_STATE;
	mutex_unlock(&pt->pool.lock);
	if (status) {
		hvsim_pt_unlock_put(pt);
		return status;
	}
	pt->state = HVSIM_PT_DELETED;
	hvsim_icpt_clear(pt);
	mutex_unlock(&pt->lock);

	mutex_lock(&hvsim_pt_lock);
	xa_erase(&hvsim_pts, pt->id);
	mutex_unlock(&hvsim_pt_lock);

	hvsim_pool_put(&hvsim_root.pool, pt->root_page);
	hvsim_pool_destroy(&pt->pool);
	atomic_long_dec(&hvsim_stats.partitions);
	hvsim_pt_put(pt);	/* the table's reference */
	hvsim_pt_put(pt);	/* ours */
	return HV_STATUS_SUCCESS;
}

/* HVCALL_GET_PARTITION_ID: the caller is always the root. */
u16 hvsim_hc_get_partition_id(struct hvsim_hc *hc)
{
	u64 *out = hc->out;

	*out = HVSIM_ROOT_ID;
	return HV_STATUS_SUCCESS;
}

/**
 * hvsim_partitions_init() - set up the root partition
 */
void hvsim_partitions_init(void)
{
	hvsim_pt_init(&hvsim_root, HVSIM_ROOT_ID, HVSIM_PT_ROOT,
		      &hvsim_stats.root_pages);
	hvsim_prop_init(&hvsim_root, NULL);
}

/**
 * hvsim_partitions_exit() - free every partition and every owned page
 *
 * Called at module exit, after mshv_root stopped issuing hypercalls.
 */
void hvsim_partitions_exit(void)
{
	struct hvsim_partition *pt;
	unsigned long id;

	xa_for_each(&hvsim_pts, id, pt) {
		xa_erase(&hvsim_pts, id);
		mutex_lock(&pt->lock);
		hvsim_pt_free_objects(pt);
		pt->state = HVSIM_PT_DELETED;
		mutex_unlock(&pt->lock);
		hvsim_pool_destroy(&pt->pool);
		atomic_long_dec(&hvsim_stats.partitions);
		hvsim_pt_put(pt);
	}
	xa_destroy(&hvsim_pts);
	hvsim_ports_clear(&hvsim_root);
	hvsim_pool_destroy(&hvsim_root.pool);
}
