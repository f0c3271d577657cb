// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: one wrapper per hypercall the driver issues on its own behalf,
 * for partitions and VPs (guest memory: mshv_hvcall_mem.c; interrupts and
 * ports: mshv_hvcall_irq.c).
 *
 * Each wrapper fills a zeroed page pair, issues the call (depositing memory
 * where the hypervisor may ask for it), logs unexpected failures and
 * returns an errno.
 */

#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "mshv_root.h"

/**
 * mshv_hv_get_partition_id() - ask the hypervisor for the caller's id
 * @partition_id: receives the root partition id
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_get_partition_id(u64 *partition_id)
{
	struct hv_output_create_partition out;
	int ret;

	/* GET_PARTITION_ID has no input; its output is the id alone. */
	ret = mshv_hvcall_copy(HVCALL_GET_PARTITION_ID, NULL, 0, &out,
			       sizeof(out), HV_PARTITION_ID_INVALID);
	if (!ret)
		*partition_id = out.partition_id;
	return ret;
}

/**
 * mshv_hv_get_scheduler_type() - which scheduler the hypervisor runs
 * @type: receives HV_SCHEDULER_TYPE_*
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_get_scheduler_type(u32 *type)
{
	struct hv_input_get_system_property in = {
		.property_id = HV_SYSTEM_PROPERTY_SCHEDULER_TYPE,
	};
	struct hv_output_get_system_property out;
	int ret;

	ret = mshv_hvcall_copy(HVCALL_GET_SYSTEM_PROPERTY, &in, sizeof(in),
			       &out, sizeof(out), HV_PARTITION_ID_INVALID);
	if (!ret)
		*type = out.scheduler_type;
	return ret;
}

/**
 * mshv_hv_create_partition() - create a child partition
 * @root_id: the root's partition id; creation charges the root
 * @args: creation input, copied as is
 * @partition_id: receives the new partition's id
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_create_partition(u64 root_id,
			     const struct hv_input_create_partition *args,
			     u64 *partition_id)
{
	struct hv_output_create_partition out;
	int ret;

	ret = mshv_hvcall_copy(HVCALL_CREATE_PARTITION, args, sizeof(*args),
			       &out, sizeof(out), root_id);
	if (!ret)
		*partition_id = out.partition_id;
	return ret;
}

/**
 * mshv_hv_initialize_partition() - initialize a created partition
 * @partition_id: the partition
 *
 * Deposits the memory initialization is known to need, then retries with
 * the deposit each answer asks for (mshv_hv_deposit_for()) while the
 * hypervisor wants more.  On failure the caller withdraws what was
 * deposited.
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_initialize_partition(u64 partition_id)
{
	unsigned int tries = 0;
	u64 result;
	int ret;

	ret = mshv_hv_deposit_pages(partition_id, MSHV_INIT_PARTITION_DEPOSIT);
	if (ret)
		return ret;
	for (;;) {
		result = mshv_hvcall_fast8(HVCALL_INITIALIZE_PARTITION,
					   partition_id);
		if (result == HV_HYPERCALL_NO_HYPERVISOR ||
		    !mshv_hvstatus_needs_memory(mshv_hvcall_status(result)) ||
		    ++tries > MSHV_MAX_DEPOSIT_RETRIES)
			break;
		ret = mshv_hv_deposit_for(partition_id,
					  mshv_hvcall_status(result),
					  MSHV_RETRY_DEPOSIT);
		if (ret)
			return ret;
	}
	return mshv_hvcall_check(HVCALL_INITIALIZE_PARTITION, result);
}

/**
 * mshv_hv_finalize_partition() - stop a partition and free its VPs and maps
 * @partition_id: the partition
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_finalize_partition(u64 partition_id)
{
	return mshv_hvcall_check(HVCALL_FINALIZE_PARTITION,
				 mshv_hvcall_fast8(HVCALL_FINALIZE_PARTITION,
						   partition_id));
}

/**
 * mshv_hv_delete_partition() - delete a partition in the hypervisor
 * @partition_id: the partition; its memory must have been withdrawn
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_delete_partition(u64 partition_id)
{
	return mshv_hvcall_check(HVCALL_DELETE_PARTITION,
				 mshv_hvcall_fast8(HVCALL_DELETE_PARTITION,
						   partition_id));
}

/**
 * mshv_hv_get_partition_property() - read a partition property
 * @partition_id: the partition
 * @code: HV_PARTITION_PROPERTY_*
 * @value: receives the value
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_get_partition_property(u64 partition_id, u32 code, u64 *value)
{
	struct hv_input_get_partition_property in = {
		.partition_id = partition_id,
		.property_code = code,
	};
	struct hv_output_get_partition_property out;
	int ret;

	ret = mshv_hvcall_copy(HVCALL_GET_PARTITION_PROPERTY, &in, sizeof(in),
			       &out, sizeof(out), HV_PARTITION_ID_INVALID);
	if (!ret)
		*value = out.property_value;
	return ret;
}

/**
 * mshv_hv_set_partition_property() - write a partition property
 * @partition_id: the partition
 * @code: HV_PARTITION_PROPERTY_*
 * @value: new value
 *
 * Properties that complete asynchronously are set through MSHV_ROOT_HVCALL,
 * which can wait for the completion; here HV_STATUS_CALL_PENDING is an error.
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_set_partition_property(u64 partition_id, u32 code, u64 value)
{
	struct hv_input_set_partition_property in = {
		.partition_id = partition_id,
		.property_code = code,
		.property_value = value,
	};

	return mshv_hvcall_copy(HVCALL_SET_PARTITION_PROPERTY, &in, sizeof(in),
				NULL, 0, HV_PARTITION_ID_INVALID);
}

/**
 * mshv_hv_create_vp() - create a VP in the hypervisor
 * @partition_id: the partition
 * @vp_index: index of the new VP
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_create_vp(u64 partition_id, u32 vp_index)
{
	struct hv_input_create_vp in = {
		.partition_id = partition_id,
		.vp_index = vp_index,
	};
	int ret;

	ret = mshv_hv_deposit_pages(partition_id, MSHV_CREATE_VP_DEPOSIT);
	if (ret)
		return ret;
	return mshv_hvcall_copy(HVCALL_CREATE_VP, &in, sizeof(in), NULL, 0,
				partition_id);
}

/**
 * mshv_hv_delete_vp() - delete a VP in the hypervisor
 * @partition_id: the partition
 * @vp_index: the VP
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_delete_vp(u64 partition_id, u32 vp_index)
{
	/* Second 8 bytes of input: u32 vp_index, then 4 reserved bytes. */
	return mshv_hvcall_check(HVCALL_DELETE_VP,
				 mshv_hvcall_fast16(HVCALL_DELETE_VP,
						    partition_id, vp_index));
}

/*
 * The pages the hypervisor keeps for a VP and maps into root memory on
 * request: the state pages (HVCALL_MAP_VP_STATE_PAGE) and the statistics
 * pages (HVCALL_MAP_STATS_PAGE).  Both answer with the frame; each unmap
 * input is a prefix of its map input, so one fill serves both calls.
 */
static_assert(sizeof(struct hv_output_map_vp_state_page) ==
	      sizeof(struct hv_output_map_stats_page));
static_assert(offsetofend(struct hv_input_unmap_vp_state_page, type) ==
	      offsetofend(struct hv_input_map_vp_state_page, type));
static_assert(sizeof(struct hv_input_unmap_stats_page) ==
	      sizeof(struct hv_input_map_stats_page));

static void mshv_vp_state_page_fill(void *in, u64 partition_id, u32 vp_index,
				    u16 type)
{
	struct hv_input_map_vp_state_page *p = in;

	p->partition_id = partition_id;
	p->vp_index = vp_index;
	p->type = type;
}

static void mshv_vp_stats_page_fill(void *in, u64 partition_id, u32 vp_index,
				    u16 area)
{
	struct hv_input_map_stats_page *p = in;

	p->type = HV_STATS_OBJECT_VP;
	p->identity.partition_id = partition_id;
	p->identity.vp_index = vp_index;
	p->identity.stats_area_type = area;
}

/* VP state pages: the partition's pool pays. */
const struct mshv_vp_page mshv_vp_state_page = {
	.map = HVCALL_MAP_VP_STATE_PAGE,
	.unmap = HVCALL_UNMAP_VP_STATE_PAGE,
	.what = "state",
	.fill = mshv_vp_state_page_fill,
};

/* VP statistics pages: the root's own pool pays. */
const struct mshv_vp_page mshv_vp_stats_page = {
	.map = HVCALL_MAP_STATS_PAGE,
	.unmap = HVCALL_UNMAP_STATS_PAGE,
	.what = "stats",
	.root_pays = true,
	.fill = mshv_vp_stats_page_fill,
};

/**
 * mshv_hv_unmap_vp_page_hp() - undo mshv_hv_map_vp_page(), with a caller's
 *	page pair
 * @kind: &mshv_vp_state_page or &mshv_vp_stats_page
 * @hp: input/output pages owned by the caller
 * @partition_id: the partition
 * @vp_index: the VP
 * @which: HV_VP_STATE_PAGE_* or HV_STATS_AREA_*, as mapped
 *
 * Allocates nothing: for teardown.
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_unmap_vp_page_hp(const struct mshv_vp_page *kind,
			     struct mshv_hvpages *hp, u64 partition_id,
			     u32 vp_index, u16 which)
{
	u64 result;

	memset(hp->in, 0, HV_HYP_PAGE_SIZE);
	kind->fill(hp->in, partition_id, vp_index, which);
	result = mshv_hvcall(mshv_hvcall_control(kind->unmap, false, 0, 0, 0),
			     hp->in, hp->out);
	return mshv_hvcall_check(kind->unmap, result);
}

/**
 * mshv_hv_map_vp_page() - map a page the hypervisor keeps for a VP into
 *	root memory
 * @kind: &mshv_vp_state_page or &mshv_vp_stats_page
 * @partition_id: the partition
 * @vp_index: the VP
 * @which: HV_VP_STATE_PAGE_* for a state page, HV_STATS_AREA_SELF or
 *	HV_STATS_AREA_PARENT for a statistics page
 * @page: receives the page
 *
 * Memory is deposited (into the pool @kind says) while the hypervisor
 * asks for it.
 *
 * Return: 0, -EIO if the hypervisor returned a frame the kernel does not
 * manage, or another negative errno.
 */
int mshv_hv_map_vp_page(const struct mshv_vp_page *kind, u64 partition_id,
			u32 vp_index, u16 which, struct page **page)
{
	struct hv_output_map_vp_state_page *out;
	struct mshv_hvpages hp;
	u64 pfn;
	int ret;

	ret = mshv_hvpages_alloc(&hp);
	if (ret)
		return ret;
	out = hp.out;
	kind->fill(hp.in, partition_id, vp_index, which);
	ret = mshv_hvcall_deposit_checked(kind->map, hp.in, out,
					  kind->root_pays ? mshv_root.root_id :
							    partition_id);
	if (ret)
		goto out;

	pfn = out->map_location;
	if (!pfn_valid(pfn)) {
		pr_err_ratelimited("mshv: VP %u %s page %u: invalid pfn %#llx\n",
				   vp_index, kind->what, which, pfn);
		mshv_hv_unmap_vp_page_hp(kind, &hp, partition_id, vp_index,
					 which);
		ret = -EIO;
		goto out;
	}
	*page = pfn_to_page(pfn);
out:
	mshv_hvpages_free(&hp);
	return ret;
}

/**
 * mshv_hv_get_vp_registers() - read VP registers, in batches
 * @partition_id: the partition
 * @vp_index: the VP
 * @count: number of registers
 * @names: HV register names
 * @values: receives one value per name
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_get_vp_registers(u64 partition_id, u32 vp_index, u32 count,
			     const u32 *names, union hv_register_value *values)
{
	struct hv_input_get_vp_registers *in;
	struct mshv_hvpages hp;
	u32 done = 0, n;
	u16 status;
	int ret;

	ret = mshv_hvpages_alloc(&hp);
	if (ret)
		return ret;
	in = hp.in;

	while ((n = mshv_hvcall_batch(count, done, MSHV_GET_REGS_BATCH))) {
		in->partition_id = partition_id;
		in->vp_index = vp_index;
		in->input_vtl.as_uint8 = 0;
		memcpy(in->names, names + done, n * sizeof(*names));
		ret = mshv_hvcall_rep(HVCALL_GET_VP_REGISTERS, 0, n, in, hp.out,
				      HV_PARTITION_ID_INVALID, 0, NULL,
				      &status);
		if (ret) {
			pr_err_ratelimited("mshv: GET_VP_REGISTERS failed: status %#x\n",
					   status);
			break;
		}
		memcpy(values + done, hp.out, n * sizeof(*values));
		done += n;
	}
	mshv_hvpages_free(&hp);
	return ret;
}

/**
 * mshv_hv_set_vp_registers_hp() - write VP registers, in batches, with a
 *	caller's page pair
 * @hp: input/output pages owned by the caller
 * @partition_id: the partition
 * @vp_index: the VP
 * @count: number of registers
 * @regs: name/value pairs
 *
 * Allocates nothing: for teardown.
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_set_vp_registers_hp(struct mshv_hvpages *hp, u64 partition_id,
				u32 vp_index, u32 count,
				const struct hv_register_assoc *regs)
{
	struct hv_input_set_vp_registers *in = hp->in;
	u32 done = 0, n;
	u16 status;
	int ret = 0;

	while ((n = mshv_hvcall_batch(count, done, MSHV_SET_REGS_BATCH))) {
		memset(in, 0, sizeof(*in));
		in->partition_id = partition_id;
		in->vp_index = vp_index;
		memcpy(in->elements, regs + done, n * sizeof(*regs));
		ret = mshv_hvcall_rep(HVCALL_SET_VP_REGISTERS, 0, n, in, hp->out,
				      HV_PARTITION_ID_INVALID, 0, NULL,
				      &status);
		if (ret) {
			pr_err_ratelimited("mshv: SET_VP_REGISTERS failed: status %#x\n",
					   status);
			break;
		}
		done += n;
	}
	return ret;
}

/**
 * mshv_hv_set_vp_registers() - write VP registers, in batches
 * @partition_id: the partition
 * @vp_index: the VP
 * @count: number of registers
 * @regs: name/value pairs
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_set_vp_registers(u64 partition_id, u32 vp_index, u32 count,
			     const struct hv_register_assoc *regs)
{
	struct mshv_hvpages hp;
	int ret;

	ret = mshv_hvpages_alloc(&hp);
	if (ret)
		return ret;
	ret = mshv_hv_set_vp_registers_hp(&hp, partition_id, vp_index, count,
					  regs);
	mshv_hvpages_free(&hp);
	return ret;
}

/**
 * mshv_hv_dispatch_vp() - run a VP until it blocks, is preempted or exits
 * @hp: the VP's preallocated page pair
 * @partition_id: the partition
 * @vp_index: the VP
 * @flags: HV_DISPATCH_VP_FLAG_*
 * @out: receives the dispatch state and event
 *
 * Return: 0 or a negative errno.
 */
int __mshv_hot mshv_hv_dispatch_vp(struct mshv_hvpages *hp, u64 partition_id,
				   u32 vp_index, u32 flags,
				   struct hv_output_dispatch_vp *out)
{
	struct hv_input_dispatch_vp *in = hp->in;
	u64 result;
	int ret;

	memset(in, 0, sizeof(*in));
	in->partition_id = partition_id;
	in->vp_index = vp_index;
	in->flags = flags;
	result = mshv_hvcall(mshv_hvcall_control(HVCALL_DISPATCH_VP, false,
						 0, 0, 0),
			     in, hp->out);
	ret = mshv_hvcall_check(HVCALL_DISPATCH_VP, result);
	if (!ret)
		memcpy(out, hp->out, sizeof(*out));
	return ret;
}
