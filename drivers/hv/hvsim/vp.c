// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim virtual processors: creation, the register file behind
 * GET/SET_VP_REGISTERS, and the VP state pages (register page and
 * intercept message page).
 *
 * Writes of the three suspend registers go through sched.c, which also
 * sets up a new VP's scheduling state (it starts explicitly suspended)
 * and stops a deleted VP's thread.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "hvsim.h"

/* input_vtl: VTL 0, whether named explicitly or not; nothing else. */
static bool hvsim_vtl_ok(union hv_input_vtl vtl)
{
	return !vtl.target_vtl && !vtl.reserved_z;
}

static void hvsim_vp_release(struct kref *ref)
{
	struct hvsim_vp *vp = container_of(ref, struct hvsim_vp, ref);

	hvsim_engine_vp_destroy(vp);
	hvsim_vpstate_free(vp);
	/* Last: hvsim_vp_stats_blocked() may write it without vp->lock. */
	hvsim_pool_put(&hvsim_root.pool, vp->stats_page);
	mutex_destroy(&vp->lock);
	kfree(vp);
}

/**
 * hvsim_vp_get_locked() - look up a VP of an initialized partition, lock it
 * @pt_id: partition id
 * @vp_index: VP index
 * @vpp: returns the VP with vp->lock held
 *
 * The partition lock is not held while waiting for vp->lock: another
 * thread may be running the VP.
 *
 * Return: HV_STATUS_SUCCESS (release with hvsim_vp_unlock_put()), or the
 * partition look-up status, or INVALID_VP_INDEX.
 */
u16 __hvsim_hot hvsim_vp_get_locked(u64 pt_id, u32 vp_index, struct hvsim_vp **vpp)
{
	struct hvsim_partition *pt;
	struct hvsim_vp *vp = NULL;
	u16 status;

	status = hvsim_pt_get_locked(pt_id, HVSIM_PT_IS(INITIALIZED), &pt);
	if (status)
		return status;
	if (vp_index < HVSIM_MAX_VPS)
		vp = pt->vps[vp_index];
	if (vp)
		kref_get(&vp->ref);
	mutex_unlock(&pt->lock);
	if (!vp)
		goto err;

	mutex_lock(&vp->lock);
	if (!vp->dead) {
		*vpp = vp;
		return HV_STATUS_SUCCESS;
	}
	mutex_unlock(&vp->lock);
	kref_put(&vp->ref, hvsim_vp_release);
err:
	hvsim_pt_put(pt);
	return HV_STATUS_INVALID_VP_INDEX;
}

/**
 * hvsim_pt_set_vp() - fill or empty a slot of the VP table
 * @pt: the partition, its lock held
 * @index: the slot
 * @vp: the VP, or NULL
 */
void hvsim_pt_set_vp(struct hvsim_partition *pt, u32 index,
		     struct hvsim_vp *vp)
{
	lockdep_assert_held(&pt->lock);
	spin_lock(&pt->vps_lock);
	pt->vps[index] = vp;
	spin_unlock(&pt->vps_lock);
}

/**
 * hvsim_vp_unlock_put() - undo hvsim_vp_get_locked()
 * @vp: the VP
 */
void __hvsim_hot hvsim_vp_unlock_put(struct hvsim_vp *vp)
{
	struct hvsim_partition *pt = vp->pt;

	mutex_unlock(&vp->lock);
	kref_put(&vp->ref, hvsim_vp_release);
	hvsim_pt_put(pt);
}

/**
 * hvsim_vp_destroy() - delete a VP already removed from its partition
 * @vp: the VP; the caller holds vp->pt->lock
 *
 * Waits for a run in progress, returns the VP's pages to the pool, stops
 * the VP's thread (hypervisor scheduler) and drops the VP table's
 * reference.
 */
void hvsim_vp_destroy(struct hvsim_vp *vp)
{
	struct hvsim_pool *pool = &vp->pt->pool;
	unsigned int i;

	mutex_lock(&vp->lock);
	vp->dead = true;
	hvsim_child_synic_clear(vp);
	for (i = 0; i < ARRAY_SIZE(vp->state_page); i++) {
		hvsim_pool_put(pool, vp->state_page[i]);
		vp->state_page[i] = NULL;
	}
	hvsim_pool_put(pool, vp->pool_page);
	vp->pool_page = NULL;
	mutex_unlock(&vp->lock);
	hvsim_lapic_stop(vp);
	hvsim_sched_vp_stop(vp);
	kref_put(&vp->ref, hvsim_vp_release);
	atomic_long_dec(&hvsim_stats.vps);
}

/*
 * A new VP of @pt, with its state pages and the engine's state; without
 * its pool page.  Allocated before pt->lock is taken (HVSIM_GFP_LOCKED).
 */
static struct hvsim_vp *hvsim_vp_alloc(struct hvsim_partition *pt, u32 index)
{
	struct hvsim_vp *vp;

	vp = kzalloc(sizeof(*vp), GFP_KERNEL);
	if (!vp)
		return NULL;
	vp->pt = pt;
	vp->index = index;
	kref_init(&vp->ref);
	mutex_init(&vp->lock);
	hvsim_cpu_reset(&vp->cpu);
	if (hvsim_vpstate_alloc(vp))
		goto err_free;
	if (hvsim_engine_vp_init(vp))
		goto err_state;
	if (hvsim_sched_vp_init(vp))
		goto err_engine;
	return vp;

err_engine:
	hvsim_engine_vp_destroy(vp);
err_state:
	hvsim_vpstate_free(vp);
err_free:
	mutex_destroy(&vp->lock);
	kfree(vp);
	return NULL;
}

/* Undo hvsim_vp_alloc() of a VP that was never listed. */
static void hvsim_vp_free(struct hvsim_vp *vp)
{
	hvsim_sched_vp_stop(vp);
	hvsim_engine_vp_destroy(vp);
	hvsim_vpstate_free(vp);
	mutex_destroy(&vp->lock);
	kfree(vp);
}

/*
 * HVCALL_CREATE_VP: charges one page of the partition's pool.  The VP is
 * allocated with pt->lock dropped, so the state and the slot are checked
 * again once it is taken back.
 */
u16 hvsim_hc_create_vp(struct hvsim_hc *hc)
{
	const struct hv_input_create_vp *in = hc->in;
	unsigned int states = HVSIM_PT_IS(INITIALIZED);
	struct hvsim_partition *pt;
	struct hvsim_vp *vp;
	u16 status;

	if (memchr_inv(in->padding, 0, sizeof(in->padding)) || in->flags)
		return HV_STATUS_INVALID_PARAMETER;
	if (in->vp_index >= HVSIM_MAX_VPS)
		return HV_STATUS_INVALID_VP_INDEX;

	status = hvsim_pt_get_locked(in->partition_id, states, &pt);
	if (status)
		return status;
	if (pt->vps[in->vp_index]) {
		hvsim_pt_unlock_put(pt);
		return HV_STATUS_INVALID_VP_INDEX;
	}
	mutex_unlock(&pt->lock);

	vp = hvsim_vp_alloc(pt, in->vp_index);
	status = hvsim_pt_lock_check(pt, states);
	if (status)
		goto put;
	if (!vp)
		status = HV_STATUS_INSUFFICIENT_MEMORY;
	else if (pt->vps[in->vp_index])
		status = HV_STATUS_INVALID_VP_INDEX;
	if (status)
		goto unlock;
	vp->pool_page = hvsim_pool_get(&pt->pool);
	if (!vp->pool_page) {
		status = HV_STATUS_INSUFFICIENT_MEMORY;
		goto unlock;
	}
	hvsim_pt_set_vp(pt, vp->index, vp);
	atomic_long_inc(&hvsim_stats.vps);
	hvsim_pt_unlock_put(pt);
	return HV_STATUS_SUCCESS;

unlock:
	mutex_unlock(&pt->lock);
put:
	if (vp)
		hvsim_vp_free(vp);
	hvsim_pt_put(pt);
	return status;
}

/* HVCALL_DELETE_VP (fast16) */
u16 hvsim_hc_delete_vp(struct hvsim_hc *hc)
{
	const struct hv_input_delete_vp *in = hc->in;
	struct hvsim_partition *pt;
	struct hvsim_vp *vp = NULL;
	u16 status;

	if (memchr_inv(in->reserved, 0, sizeof(in->reserved)))
		return HV_STATUS_INVALID_PARAMETER;
	status = hvsim_pt_get_locked(in->partition_id,
				     HVSIM_PT_IS(INITIALIZED), &pt);
	if (status)
		return status;
	if (in->vp_index < HVSIM_MAX_VPS)
		vp = pt->vps[in->vp_index];
	if (vp) {
		hvsim_pt_set_vp(pt, in->vp_index, NULL);
		hvsim_vp_destroy(vp);
	} else {
		status = HV_STATUS_INVALID_VP_INDEX;
	}
	hvsim_pt_unlock_put(pt);
	return status;
}

/* ------------------------------------------------------------------ */
/* Register page.                                                     */
/* ------------------------------------------------------------------ */

/**
 * hvsim_vp_register_page() - the VP's register page, if the root mapped it
 * @vp: the VP, locked
 *
 * Return: the page's kernel address, or NULL.
 */
struct hv_vp_register_page *hvsim_vp_register_page(struct hvsim_vp *vp)
{
	struct page *page = vp->state_page[HV_VP_STATE_PAGE_REGISTERS];

	lockdep_assert_held(&vp->lock);

	return page ? page_address(page) : NULL;
}

/**
 * hvsim_vp_load_register_page() - take the VMM's changes from the register
 *	page: every class whose bit is set in @dirty; then clear @dirty
 * @vp: the VP, locked
 *
 * The page is shared with user space; each field is read once.
 */
void __hvsim_hot hvsim_vp_load_register_page(struct hvsim_vp *vp)
{
	struct hv_vp_register_page *rp = hvsim_vp_register_page(vp);
	struct hv_x64_segment_register seg;
	unsigned int i;
	u32 dirty;

	lockdep_assert_held(&vp->lock);

	if (!rp)
		return;
	dirty = READ_ONCE(rp->dirty);
	if (dirty & BIT(HV_X64_REGISTER_CLASS_GENERAL))
		for (i = 0; i < HVSIM_NR_GPRS; i++)
			vp->cpu.gpr[i] = READ_ONCE(rp->gp_registers[i]);
	if (dirty & BIT(HV_X64_REGISTER_CLASS_IP))
		vp->cpu.rip = READ_ONCE(rp->rip);
	/* Unlike SET_VP_REGISTERS nothing can be refused: fix the value. */
	if (dirty & BIT(HV_X64_REGISTER_CLASS_FLAGS))
		vp->cpu.rflags = (READ_ONCE(rp->rflags) & HVSIM_RFLAGS_VALID) |
				 X86_EFLAGS_FIXED;
	if (dirty & BIT(HV_X64_REGISTER_CLASS_SEGMENT)) {
		for (i = 0; i <= HVSIM_GS; i++) {
			memcpy(&seg, &rp->segment_registers[i], sizeof(seg));
			hvsim_seg_from_hv(&vp->cpu.seg[i], &seg);
		}
	}
	if (dirty & BIT(HV_X64_REGISTER_CLASS_XMM))
		for (i = 0; i < ARRAY_SIZE(rp->xmm_registers); i++)
			memcpy(vp->st.xsave + HVSIM_XSAVE_XMM_OFF + 16 * i,
			       &rp->xmm_registers[i], 16);
	WRITE_ONCE(rp->dirty, 0);
}

/**
 * hvsim_vp_store_register_page() - mirror the VP's registers into its
 *	register page, if mapped
 * @vp: the VP, locked
 */
void __hvsim_hot hvsim_vp_store_register_page(struct hvsim_vp *vp)
{
	struct hv_vp_register_page *rp = hvsim_vp_register_page(vp);
	const struct hvsim_cpu_state *cpu = &vp->cpu;
	unsigned int i;

	lockdep_assert_held(&vp->lock);

	if (!rp)
		return;
	rp->version = HV_VP_REGISTER_PAGE_VERSION_1;
	rp->isvalid = 1;
	for (i = 0; i < HVSIM_NR_GPRS; i++)
		rp->gp_registers[i] = cpu->gpr[i];
	rp->rip = cpu->rip;
	rp->rflags = cpu->rflags;
	for (i = 0; i <= HVSIM_GS; i++)
		hvsim_seg_to_hv(&rp->segment_registers[i], &cpu->seg[i]);
	rp->cr0 = cpu->cr0;
	rp->cr3 = cpu->cr3;
	rp->cr4 = cpu->cr4;
	rp->cr8 = cpu->cr8;
	rp->efer = cpu->efer;
	rp->dr7 = cpu->dr7;
	rp->xfem = cpu->xcr0;
	rp->pending_interruption = vp->st.pending_interruption;
	rp->interrupt_state = (cpu->interrupt_shadow ? BIT_ULL(0) : 0) |
			      (cpu->nmi_masked ? BIT_ULL(1) : 0);
	for (i = 0; i < ARRAY_SIZE(rp->xmm_registers); i++)
		memcpy(&rp->xmm_registers[i],
		       vp->st.xsave + HVSIM_XSAVE_XMM_OFF + 16 * i, 16);
}

/* ------------------------------------------------------------------ */
/* GET/SET_VP_REGISTERS.                                              */
/* ------------------------------------------------------------------ */

/* Where a 64-bit register lives in the VP, or NULL if not a plain one. */
static u64 *hvsim_reg64(struct hvsim_vp *vp, u32 name)
{
	struct hvsim_cpu_state *cpu = &vp->cpu;

	if (name >= HV_X64_REGISTER_RAX && name <= HV_X64_REGISTER_R15)
		return &cpu->gpr[name - HV_X64_REGISTER_RAX];
	switch (name) {
	case HV_X64_REGISTER_RIP:
		return &cpu->rip;
	case HV_X64_REGISTER_RFLAGS:
		return &cpu->rflags;
	case HV_X64_REGISTER_CR0:
		return &cpu->cr0;
	case HV_X64_REGISTER_CR2:
		return &cpu->cr2;
	case HV_X64_REGISTER_CR3:
		return &cpu->cr3;
	case HV_X64_REGISTER_CR4:
		return &cpu->cr4;
	case HV_X64_REGISTER_CR8:
		return &cpu->cr8;
	case HV_X64_REGISTER_EFER:
		return &cpu->efer;
	case HV_REGISTER_EXPLICIT_SUSPEND:
		return &vp->suspend[HVSIM_SUSPEND_EXPLICIT];
	case HV_REGISTER_INTERCEPT_SUSPEND:
		return &vp->suspend[HVSIM_SUSPEND_INTERCEPT];
	case HV_REGISTER_DISPATCH_SUSPEND:
		return &vp->suspend[HVSIM_SUSPEND_DISPATCH];
	}
	return NULL;
}

static bool hvsim_reg_is_suspend(u32 name)
{
	return name == HV_REGISTER_EXPLICIT_SUSPEND ||
	       name == HV_REGISTER_INTERCEPT_SUSPEND ||
	       name == HV_REGISTER_DISPATCH_SUSPEND;
}

static struct hvsim_dtable *hvsim_reg_dtable(struct hvsim_vp *vp, u32 name)
{
	if (name == HV_X64_REGISTER_IDTR)
		return &vp->cpu.idtr;
	if (name == HV_X64_REGISTER_GDTR)
		return &vp->cpu.gdtr;
	return NULL;
}

static bool hvsim_reg_is_segment(u32 name)
{
	return name >= HV_X64_REGISTER_ES && name <= HV_X64_REGISTER_TR;
}

/*
 * The intermediate control registers hold a value a guest wrote before
 * the CR intercept masks applied to it.  hvsim installs no CR intercept
 * masks, so an intermediate register is the control register itself.
 */
static u32 hvsim_reg_alias(u32 name)
{
	switch (name) {
	case HV_X64_REGISTER_INTERMEDIATE_CR0:
		return HV_X64_REGISTER_CR0;
	case HV_X64_REGISTER_INTERMEDIATE_CR3:
		return HV_X64_REGISTER_CR3;
	case HV_X64_REGISTER_INTERMEDIATE_CR4:
		return HV_X64_REGISTER_CR4;
	case HV_X64_REGISTER_INTERMEDIATE_CR8:
		return HV_X64_REGISTER_CR8;
	}
	return name;
}

static u16 hvsim_reg_get(struct hvsim_vp *vp, u32 name,
			 union hv_register_value *val)
{
	struct hvsim_dtable *dt;
	u64 *reg;

	name = hvsim_reg_alias(name);
	dt = hvsim_reg_dtable(vp, name);
	reg = hvsim_reg64(vp, name);

	memset(val, 0, sizeof(*val));
	if (reg)
		val->reg64 = *reg;
	else if (dt)
		val->table = (struct hv_x64_table_register) {
			.limit = dt->limit, .base = dt->base,
		};
	else if (hvsim_reg_is_segment(name))
		hvsim_seg_to_hv(&val->segment,
				&vp->cpu.seg[name - HV_X64_REGISTER_ES]);
	else if (name == HV_REGISTER_VP_INDEX)
		val->reg64 = vp->index;
	else if (name == HV_REGISTER_VP_ROOT_SIGNAL_COUNT)
		val->reg64 = 0;		/* hvsim sends no scheduler signals */
	else
		return hvsim_vpregs_get(vp, name, val);
	return HV_STATUS_SUCCESS;
}

static u16 hvsim_reg_set(struct hvsim_vp *vp, u32 name,
			 const union hv_register_value *val)
{
	struct hvsim_dtable *dt;
	u16 status;
	u64 *reg;

	name = hvsim_reg_alias(name);
	dt = hvsim_reg_dtable(vp, name);
	reg = hvsim_reg64(vp, name);

	if (hvsim_reg_is_suspend(name)) {
		return hvsim_sched_set_suspend(vp, name, val->reg64);
	} else if (reg) {
		status = hvsim_vpregs_check(vp, name, val);
		if (status)
			return status;
		*reg = val->reg64;
	} else if (dt) {
		dt->limit = val->table.limit;
		dt->base = val->table.base;
	} else if (hvsim_reg_is_segment(name)) {
		hvsim_seg_from_hv(&vp->cpu.seg[name - HV_X64_REGISTER_ES],
				  &val->segment);
	} else if (name == HV_REGISTER_VP_INDEX ||
		   name == HV_REGISTER_VP_ROOT_SIGNAL_COUNT) {
		return HV_STATUS_ACCESS_DENIED;
	} else {
		return hvsim_vpregs_set(vp, name, val);
	}
	return HV_STATUS_SUCCESS;
}

/* The root's own registers: only the hypervisor version is modelled. */
static u16 hvsim_root_get_registers(struct hvsim_hc *hc)
{
	const struct hv_input_get_vp_registers *in = hc->in;
	union hv_register_value *out = hc->out;
	const u32 *names = hc->reps;
	union hv_register_value *val;

	if (in->vp_index != HV_VP_INDEX_SELF && in->vp_index >= nr_cpu_ids)
		return HV_STATUS_INVALID_VP_INDEX;
	for (; hc->reps_done < hc->rep_count; hc->reps_done++) {
		if (READ_ONCE(names[hc->reps_done]) !=
		    HV_REGISTER_HYPERVISOR_VERSION)
			return HV_STATUS_INVALID_PARAMETER;
		/* Build number; then version 10.0 (major << 16 | minor). */
		val = &out[hc->reps_done];
		memset(val, 0, sizeof(*val));
		val->reg128.low_part = HVSIM_HV_BUILD | (10ULL << 48);
	}
	return HV_STATUS_SUCCESS;
}

/* HVCALL_GET_VP_REGISTERS: rep, names in, 16-byte values out. */
u16 hvsim_hc_get_vp_registers(struct hvsim_hc *hc)
{
	const struct hv_input_get_vp_registers *in = hc->in;
	union hv_register_value *out = hc->out;
	const u32 *names = hc->reps;
	struct hvsim_vp *vp;
	u16 status;

	if (!hvsim_vtl_ok(in->input_vtl) || in->rsvd_z8 || in->rsvd_z16)
		return HV_STATUS_INVALID_PARAMETER;
	if (in->partition_id == HV_PARTITION_ID_SELF ||
	    in->partition_id == HVSIM_ROOT_ID)
		return hvsim_root_get_registers(hc);

	status = hvsim_vp_get_locked(in->partition_id, in->vp_index, &vp);
	if (status)
		return status;
	hvsim_vp_load_register_page(vp);
	for (; hc->reps_done < hc->rep_count; hc->reps_done++) {
		status = hvsim_reg_get(vp, READ_ONCE(names[hc->reps_done]),
				       &out[hc->reps_done]);
		if (status)
			break;
	}
	hvsim_vp_unlock_put(vp);
	return status;
}

/* HVCALL_SET_VP_REGISTERS: rep, struct hv_register_assoc elements. */
u16 hvsim_hc_set_vp_registers(struct hvsim_hc *hc)
{
	const struct hv_input_set_vp_registers *in = hc->in;
	const struct hv_register_assoc *elems = hc->reps;
	struct hv_register_assoc elem;
	struct hvsim_vp *vp;
	u16 status;

	if (!hvsim_vtl_ok(in->input_vtl) || in->rsvd_z8 || in->rsvd_z16)
		return HV_STATUS_INVALID_PARAMETER;
	status = hvsim_vp_get_locked(in->partition_id, in->vp_index, &vp);
	if (status)
		return status;
	hvsim_vp_load_register_page(vp);
	for (; hc->reps_done < hc->rep_count; hc->reps_done++) {
		memcpy(&elem, &elems[hc->reps_done], sizeof(elem));
		if (elem.reserved1 || elem.reserved2)
			status = HV_STATUS_INVALID_PARAMETER;
		else
			status = hvsim_reg_set(vp, elem.name, &elem.value);
		if (status)
			break;
	}
	hvsim_vp_store_register_page(vp);
	hvsim_vp_unlock_put(vp);
	return status;
}

/* ------------------------------------------------------------------ */
/* MAP/UNMAP_VP_STATE_PAGE.                                           */
/* ------------------------------------------------------------------ */

/*
 * HVCALL_MAP_VP_STATE_PAGE: the page comes from the partition's pool and
 * is handed to the root by pfn.  Mapping twice returns the same page.
 */
u16 hvsim_hc_map_vp_state_page(struct hvsim_hc *hc)
{
	const struct hv_input_map_vp_state_page *in = hc->in;
	struct hv_output_map_vp_state_page *out = hc->out;
	struct hvsim_vp *vp;
	struct page *page;
	u16 status;

	/* Overlay pages chosen by the caller are not supported. */
	if (in->type > HV_VP_STATE_PAGE_INTERCEPT_MESSAGE ||
	    !hvsim_vtl_ok(in->input_vtl) || in->flags ||
	    in->requested_map_location)
		return HV_STATUS_INVALID_PARAMETER;
	status = hvsim_vp_get_locked(in->partition_id, in->vp_index, &vp);
	if (status)
		return status;
	page = vp->state_page[in->type];
	if (!page) {
		page = hvsim_pool_get(&vp->pt->pool);
		if (!page) {
			status = HV_STATUS_INSUFFICIENT_MEMORY;
			goto out;
		}
		vp->state_page[in->type] = page;
		if (in->type == HV_VP_STATE_PAGE_REGISTERS)
			hvsim_vp_store_register_page(vp);
	}
	out->map_location = page_to_pfn(page);
out:
	hvsim_vp_unlock_put(vp);
	return status;
}

/*
 * The VP a MAP/UNMAP_STATS_PAGE input names (VP objects only), locked.
 * Return: HV_STATUS_SUCCESS, INVALID_PARAMETER or the look-up status.
 */
static u16 hvsim_stats_vp_get_locked(u32 type, u32 padding,
				     const struct hv_stats_object_identity_vp *id,
				     struct hvsim_vp **vpp)
{
	if (type != HV_STATS_OBJECT_VP || padding || id->flags ||
	    id->reserved || id->stats_area_type > HV_STATS_AREA_PARENT)
		return HV_STATUS_INVALID_PARAMETER;
	return hvsim_vp_get_locked(id->partition_id, id->vp_index, vpp);
}

/*
 * HVCALL_MAP_STATS_PAGE, VP objects only: one page per VP, from the root's
 * pool, for both areas (SELF and PARENT); only the counter
 * HV_VP_COUNTER_ROOT_DISPATCH_THREAD_BLOCKED is kept (see
 * hvsim_vp_stats_blocked()).  The page stays with the VP until it is
 * freed, so that an unmap never races with a lockless counter update.
 */
u16 hvsim_hc_map_stats_page(struct hvsim_hc *hc)
{
	const struct hv_input_map_stats_page *in = hc->in;
	struct hv_output_map_stats_page *out = hc->out;
	struct hvsim_vp *vp;
	struct page *page;
	u16 status;

	status = hvsim_stats_vp_get_locked(in->type, in->padding,
					   &in->identity, &vp);
	if (status)
		return status;
	page = vp->stats_page;
	if (!page) {
		page = hvsim_pool_get(&hvsim_root.pool);
		if (!page) {
			status = HV_STATUS_INSUFFICIENT_MEMORY;
			goto out;
		}
		clear_page(page_address(page));
		/* Cleared before hvsim_vp_stats_blocked() can see it. */
		smp_store_release(&vp->stats_page, page);
	}
	out->map_location = page_to_pfn(page);
out:
	hvsim_vp_unlock_put(vp);
	return status;
}

/* HVCALL_UNMAP_STATS_PAGE: the page itself goes with the VP. */
u16 hvsim_hc_unmap_stats_page(struct hvsim_hc *hc)
{
	const struct hv_input_unmap_stats_page *in = hc->in;
	struct hvsim_vp *vp;
	u16 status;

	status = hvsim_stats_vp_get_locked(in->type, in->padding,
					   &in->identity, &vp);
	if (status)
		return status;
	if (!vp->stats_page)
		status = HV_STATUS_INVALID_PARAMETER;
	hvsim_vp_unlock_put(vp);
	return status;
}

/**
 * hvsim_vp_stats_blocked() - set the VP's "root dispatch thread blocked"
 *	counter
 * @vp: the VP (referenced)
 * @blocked: the root's dispatch thread should stay blocked
 *
 * Context: any but hard interrupts; no lock needed.
 */
void __hvsim_hot hvsim_vp_stats_blocked(const struct hvsim_vp *vp, bool blocked)
{
	/* Pairs with the release in hvsim_hc_map_stats_page(). */
	struct page *page = smp_load_acquire(&vp->stats_page);
	u64 *cntrs;

	if (!page)
		return;
	cntrs = page_address(page);
	WRITE_ONCE(cntrs[HV_VP_COUNTER_ROOT_DISPATCH_THREAD_BLOCKED], blocked);
}

/* HVCALL_UNMAP_VP_STATE_PAGE */
u16 hvsim_hc_unmap_vp_state_page(struct hvsim_hc *hc)
{
	const struct hv_input_unmap_vp_state_page *in = hc->in;
	struct hvsim_vp *vp;
	u16 status;

	if (in->type > HV_VP_STATE_PAGE_INTERCEPT_MESSAGE ||
	    !hvsim_vtl_ok(in->input_vtl) || in->reserved0)
		return HV_STATUS_INVALID_PARAMETER;
	status = hvsim_vp_get_locked(in->partition_id, in->vp_index, &vp);
	if (status)
		return status;
	if (vp->state_page[in->type]) {
		hvsim_pool_put(&vp->pt->pool, vp->state_page[in->type]);
		vp->state_page[in->type] = NULL;
	} else {
		status = HV_STATUS_INVALID_PARAMETER;
	}
	hvsim_vp_unlock_put(vp);
	return status;
}
