// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: one wrapper per hypercall the driver issues on its own behalf.
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
	struct hv_output_create_partition *out;
	struct mshv_hvpages hp;
	u64 result;
	int ret;

	ret = mshv_hvpages_alloc(&hp);
	if (ret)
		return ret;
	out = hp.out;
	result = mshv_hvcall(mshv_hvcall_control(HVCALL_GET_PARTITION_ID,
						 false, 0, 0, 0),
			     hp.in, hp.out);
	ret = mshv_hvcall_check(HVCALL_GET_PARTITION_ID, result);
	if (!ret)
		*partition_id = out->partition_id;
	mshv_hvpages_free(&hp);
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
	struct hv_input_get_system_property *in;
	struct hv_output_get_system_property *out;
	struct mshv_hvpages hp;
	u64 result;
	int ret;

	ret = mshv_hvpages_alloc(&hp);
	if (ret)
		return ret;
	in = hp.in;
	out = hp.out;
	in->property_id = HV_SYSTEM_PROPERTY_SCHEDULER_TYPE;
	result = mshv_hvcall(mshv_hvcall_control(HVCALL_GET_SYSTEM_PROPERTY,
						 false, 0, 0, 0),
			     in, out);
	ret = mshv_hvcall_check(HVCALL_GET_SYSTEM_PROPERTY, result);
	if (!ret)
		*type = out->scheduler_type;
	mshv_hvpages_free(&hp);
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
	struct hv_output_create_partition *out;
	struct mshv_hvpages hp;
	u64 result;
	int ret;

	ret = mshv_hvpages_alloc(&hp);
	if (ret)
		return ret;
	out = hp.out;
	memcpy(hp.in, args, sizeof(*args));
	result = mshv_hvcall_deposit_retry(mshv_hvcall_control(HVCALL_CREATE_PARTITION,
							       false, 0, 0, 0),
					   hp.in, hp.out, root_id);
	ret = mshv_hvcall_check(HVCALL_CREATE_PARTITION, result);
	if (!ret)
		*partition_id = out->partition_id;
	mshv_hvpages_free(&hp);
	return ret;
}

/**
 * mshv_hv_initialize_partition() - initialize a created partition
 * @partition_id: the partition
 *
 * Deposits the memory initialization is known to need, then retries with
 * single-page deposits while the hypervisor asks for more.  On failure the
 * caller withdraws what was deposited.
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
		    mshv_hvcall_status(result) != HV_STATUS_INSUFFICIENT_MEMORY ||
		    ++tries > MSHV_MAX_DEPOSIT_RETRIES)
			break;
		ret = mshv_hv_deposit_pages(partition_id, MSHV_RETRY_DEPOSIT);
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
	struct hv_input_get_partition_property *in;
	struct hv_output_get_partition_property *out;
	struct mshv_hvpages hp;
	u64 result;
	int ret;

	ret = mshv_hvpages_alloc(&hp);
	if (ret)
		return ret;
	in = hp.in;
	out = hp.out;
	in->partition_id = partition_id;
	in->property_code = code;
	result = mshv_hvcall(mshv_hvcall_control(HVCALL_GET_PARTITION_PROPERTY,
						 false, 0, 0, 0),
			     in, out);
	ret = mshv_hvcall_check(HVCALL_GET_PARTITION_PROPERTY, result);
	if (!ret)
		*value = out->property_value;
	mshv_hvpages_free(&hp);
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
	struct hv_input_set_partition_property *in;
	struct mshv_hvpages hp;
	u64 result;
	int ret;

	ret = mshv_hvpages_alloc(&hp);
	if (ret)
		return ret;
	in = hp.in;
	in->partition_id = partition_id;
	in->property_code = code;
	in->property_value = value;
	result = mshv_hvcall(mshv_hvcall_control(HVCALL_SET_PARTITION_PROPERTY,
						 false, 0, 0, 0),
			     in, hp.out);
	ret = mshv_hvcall_check(HVCALL_SET_PARTITION_PROPERTY, result);
	mshv_hvpages_free(&hp);
	return ret;
}

/*
 * Map @count guest frames from @gfn, to @pages (one per frame) or, with
 * @pages NULL, to the consecutive frames from @pfn.  With
 * HV_MAP_GPA_LARGE_PAGE in @flags each rep maps 512 frames (2 MiB) and
 * names only the first of their host frames; @count is then a multiple of
 * 512 and @gfn as well as every named frame 2 MiB aligned.  *@mapped
 * counts 4 KiB frames.
 */
static int mshv_hv_map_gpa(u64 partition_id, u64 gfn, struct page **pages,
			   u64 pfn, u64 count, u32 flags, u64 *mapped)
{
	u32 stride = 1, n, i, reps;
	struct hv_input_map_gpa_pages *in;
	struct mshv_hvpages hp;
	u64 done = 0, first;
	u16 status;
	int ret;

	*mapped = 0;
	if (flags & HV_MAP_GPA_LARGE_PAGE)
		stride = HV_HYP_PAGES_PER_LARGE_PAGE;
	if (WARN_ON_ONCE(!IS_ALIGNED(gfn | count, stride)))
		return -EINVAL;
	count /= stride;
	ret = mshv_hvpages_alloc(&hp);
	if (ret)
		return ret;
	in = hp.in;

	while ((n = mshv_hvcall_batch(count, done, MSHV_MAP_GPA_BATCH))) {
		in->target_partition_id = partition_id;
		in->target_gpa_base = gfn + done * stride;
		in->map_flags = flags;
		in->padding = 0;
		for (i = 0; i < n; i++) {
			first = (done + i) * stride;
			in->source_gpa_page_list[i] = pages ?
				page_to_pfn(pages[first]) : pfn + first;
		}
		ret = mshv_hvcall_rep(HVCALL_MAP_GPA_PAGES, 0, n, in, hp.out,
				      partition_id, MSHV_MAP_GPA_DEPOSIT,
				      &reps, &status);
		done += reps;
		if (ret) {
			pr_err_ratelimited("mshv: MAP_GPA_PAGES gfn %#llx failed: status %#x\n",
					   gfn + done * stride, status);
			break;
		}
	}
	*mapped = done * stride;
	mshv_hvpages_free(&hp);
	return ret;
}

/**
 * mshv_hv_map_gpa_pages() - map host pages into a partition's GPA space
 * @partition_id: the partition
 * @gfn: first guest frame
 * @pages: the host pages, one per guest frame
 * @count: number of pages
 * @flags: HV_MAP_GPA_*; with HV_MAP_GPA_LARGE_PAGE, @gfn and @count are
 *	multiples of 512 and each 512 pages from a multiple of 512 on are
 *	one physically contiguous, 2 MiB aligned run: one PFN per run is
 *	passed
 * @mapped: receives how many pages (from @gfn on) ended up mapped, also on
 *	failure, so the caller can unmap exactly those
 *
 * Up to %MSHV_MAP_GPA_BATCH PFNs go in each call; memory is deposited and
 * the call resumed when the hypervisor runs out.
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_map_gpa_pages(u64 partition_id, u64 gfn, struct page **pages,
			  u64 count, u32 flags, u64 *mapped)
{
	return mshv_hv_map_gpa(partition_id, gfn, pages, 0, count, flags,
			       mapped);
}

/**
 * mshv_hv_unmap_gpa_hp() - remove GPA mappings with a caller's page pair
 * @hp: input/output pages owned by the caller
 * @partition_id: the partition
 * @gfn: first guest frame
 * @count: number of 4 KiB frames
 * @flags: 0 or HV_UNMAP_GPA_LARGE_PAGE (the range was mapped in 2 MiB
 *	pages; @gfn and @count are multiples of 512 and each rep unmaps 512
 *	frames)
 *
 * Allocates nothing, so it may be called under a lock that an MMU
 * notifier takes.
 *
 * Return: 0 or a negative errno (the first failure stops the walk).
 */
int mshv_hv_unmap_gpa_hp(struct mshv_hvpages *hp, u64 partition_id, u64 gfn,
			 u64 count, u32 flags)
{
	struct hv_input_unmap_gpa_pages *in = hp->in;
	u32 stride = 1, n;
	u64 done = 0;
	u16 status;
	int ret = 0;

	if (flags & HV_UNMAP_GPA_LARGE_PAGE)
		stride = HV_HYP_PAGES_PER_LARGE_PAGE;
	if (WARN_ON_ONCE(!IS_ALIGNED(gfn | count, stride)))
		return -EINVAL;
	count /= stride;

	while ((n = mshv_hvcall_batch(count, done, MSHV_UNMAP_GPA_BATCH))) {
		in->target_partition_id = partition_id;
		in->target_gpa_base = gfn + done * stride;
		in->unmap_flags = flags;
		in->padding = 0;
		ret = mshv_hvcall_rep(HVCALL_UNMAP_GPA_PAGES, 0, n, in, hp->out,
				      HV_PARTITION_ID_INVALID, 0, NULL,
				      &status);
		if (ret) {
			pr_err_ratelimited("mshv: UNMAP_GPA_PAGES gfn %#llx failed: status %#x\n",
					   gfn + done * stride, status);
			break;
		}
		done += n;
	}
	return ret;
}

/**
 * mshv_hv_unmap_gpa_pages() - remove GPA mappings of a partition
 * @partition_id: the partition
 * @gfn: first guest frame
 * @count: number of 4 KiB frames
 * @flags: as for mshv_hv_unmap_gpa_hp()
 *
 * Return: 0 or a negative errno (the first failure stops the walk).
 */
int mshv_hv_unmap_gpa_pages(u64 partition_id, u64 gfn, u64 count, u32 flags)
{
	struct mshv_hvpages hp;
	int ret;

	ret = mshv_hvpages_alloc(&hp);
	if (ret)
		return ret;
	ret = mshv_hv_unmap_gpa_hp(&hp, partition_id, gfn, count, flags);
	mshv_hvpages_free(&hp);
	return ret;
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
	struct hv_input_create_vp *in;
	struct mshv_hvpages hp;
	u64 result;
	int ret;

	ret = mshv_hv_deposit_pages(partition_id, MSHV_CREATE_VP_DEPOSIT);
	if (ret)
		return ret;
	ret = mshv_hvpages_alloc(&hp);
	if (ret)
		return ret;
	in = hp.in;
	in->partition_id = partition_id;
	in->vp_index = vp_index;
	result = mshv_hvcall_deposit_retry(mshv_hvcall_control(HVCALL_CREATE_VP,
							       false, 0, 0, 0),
					   in, hp.out, partition_id);
	ret = mshv_hvcall_check(HVCALL_CREATE_VP, result);
	mshv_hvpages_free(&hp);
	return ret;
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

/**
 * mshv_hv_map_vp_state_page() - map a VP state page into root memory
 * @partition_id: the partition
 * @vp_index: the VP
 * @type: HV_VP_STATE_PAGE_*
 * @page: receives the page the hypervisor placed the state in
 *
 * Return: 0, -EIO if the hypervisor returned a frame the kernel does not
 * manage, or another negative errno.
 */
int mshv_hv_map_vp_state_page(u64 partition_id, u32 vp_index, u16 type,
			      struct page **page)
{
	struct hv_input_map_vp_state_page *in;
	struct hv_output_map_vp_state_page *out;
	struct mshv_hvpages hp;
	u64 result, pfn;
	int ret;

	ret = mshv_hvpages_alloc(&hp);
	if (ret)
		return ret;
	in = hp.in;
	out = hp.out;
	in->partition_id = partition_id;
	in->vp_index = vp_index;
	in->type = type;
	result = mshv_hvcall_deposit_retry(mshv_hvcall_control(HVCALL_MAP_VP_STATE_PAGE,
							       false, 0, 0, 0),
					   in, out, partition_id);
	ret = mshv_hvcall_check(HVCALL_MAP_VP_STATE_PAGE, result);
	if (ret)
		goto out;

	pfn = out->map_location;
	if (!pfn_valid(pfn)) {
		pr_err("mshv: VP %u state page %u: invalid pfn %#llx\n",
		       vp_index, type, pfn);
		mshv_hv_unmap_vp_state_page(partition_id, vp_index, type);
		ret = -EIO;
		goto out;
	}
	*page = pfn_to_page(pfn);
out:
	mshv_hvpages_free(&hp);
	return ret;
}

/**
 * mshv_hv_unmap_vp_state_page() - undo mshv_hv_map_vp_state_page()
 * @partition_id: the partition
 * @vp_index: the VP
 * @type: HV_VP_STATE_PAGE_*
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_unmap_vp_state_page(u64 partition_id, u32 vp_index, u16 type)
{
	struct hv_input_unmap_vp_state_page *in;
	struct mshv_hvpages hp;
	u64 result;
	int ret;

	ret = mshv_hvpages_alloc(&hp);
	if (ret)
		return ret;
	in = hp.in;
	in->partition_id = partition_id;
	in->vp_index = vp_index;
	in->type = type;
	result = mshv_hvcall(mshv_hvcall_control(HVCALL_UNMAP_VP_STATE_PAGE,
						 false, 0, 0, 0),
			     in, hp.out);
	ret = mshv_hvcall_check(HVCALL_UNMAP_VP_STATE_PAGE, result);
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
	struct hv_input_set_vp_registers *in;
	struct mshv_hvpages hp;
	u32 done = 0, n;
	u16 status;
	int ret;

	ret = mshv_hvpages_alloc(&hp);
	if (ret)
		return ret;
	in = hp.in;

	while ((n = mshv_hvcall_batch(count, done, MSHV_SET_REGS_BATCH))) {
		in->partition_id = partition_id;
		in->vp_index = vp_index;
		in->input_vtl.as_uint8 = 0;
		memcpy(in->elements, regs + done, n * sizeof(*regs));
		ret = mshv_hvcall_rep(HVCALL_SET_VP_REGISTERS, 0, n, in, hp.out,
				      HV_PARTITION_ID_INVALID, 0, NULL,
				      &status);
		if (ret) {
			pr_err_ratelimited("mshv: SET_VP_REGISTERS failed: status %#x\n",
					   status);
			break;
		}
		done += n;
	}
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
int mshv_hv_dispatch_vp(struct mshv_hvpages *hp, u64 partition_id,
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

/**
 * mshv_hv_assert_virtual_interrupt() - raise an interrupt in a partition
 * @hp: a page pair owned by the caller for the duration of the call
 * @partition_id: the partition
 * @vector: interrupt vector
 * @dest: APIC id (physical mode) or logical destination mask
 * @control: interrupt type and trigger/destination mode flags
 *
 * Context: process context (the platform may sleep).
 * Return: 0 or a negative errno.
 */
int mshv_hv_assert_virtual_interrupt(struct mshv_hvpages *hp,
				     u64 partition_id, u32 vector, u64 dest,
				     const union hv_interrupt_control *control)
{
	struct hv_input_assert_virtual_interrupt *in = hp->in;
	u64 result;

	memset(in, 0, sizeof(*in));
	in->partition_id = partition_id;
	in->control = *control;
	in->dest_addr = dest;
	in->vector = vector;
	result = mshv_hvcall(mshv_hvcall_control(HVCALL_ASSERT_VIRTUAL_INTERRUPT,
						 false, 0, 0, 0),
			     in, hp->out);
	return mshv_hvcall_check(HVCALL_ASSERT_VIRTUAL_INTERRUPT, result);
}

/**
 * mshv_hv_clear_virtual_interrupt() - withdraw a pending ExtINT
 * @partition_id: the partition
 *
 * Context: process context (the platform may sleep).
 * Return: 0 or a negative errno.
 */
int mshv_hv_clear_virtual_interrupt(u64 partition_id)
{
	return mshv_hvcall_check(HVCALL_CLEAR_VIRTUAL_INTERRUPT,
				 mshv_hvcall_fast8(HVCALL_CLEAR_VIRTUAL_INTERRUPT,
						   partition_id));
}

/**
 * mshv_hv_create_port() - create a port owned by a partition
 * @port_pid: the owner (the root, for doorbells)
 * @port_id: id the owner chose, 1..HV_PORT_ID_MASK
 * @conn_pid: the partition that may connect to it
 * @info: port type and target
 *
 * The port is charged to its owner: memory is deposited there on demand.
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_create_port(u64 port_pid, u32 port_id, u64 conn_pid,
			const struct hv_port_info *info)
{
	struct hv_input_create_port *in;
	struct mshv_hvpages hp;
	u64 result;
	int ret;

	ret = mshv_hvpages_alloc(&hp);
	if (ret)
		return ret;
	in = hp.in;
	in->port_partition_id = port_pid;
	in->port_id = port_id;
	in->connection_partition_id = conn_pid;
	in->port_info = *info;
	result = mshv_hvcall_deposit_retry(mshv_hvcall_control(HVCALL_CREATE_PORT,
							       false, 0, 0, 0),
					   in, hp.out, port_pid);
	ret = mshv_hvcall_check(HVCALL_CREATE_PORT, result);
	mshv_hvpages_free(&hp);
	return ret;
}

/**
 * mshv_hv_connect_port() - connect a partition to a port
 * @port_pid: the port's owner
 * @port_id: the port
 * @conn_pid: the connecting partition
 * @conn_id: id of the connection in @conn_pid
 * @info: connection type and trigger
 *
 * The connection is charged to @conn_pid.
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_connect_port(u64 port_pid, u32 port_id, u64 conn_pid,
			 u32 conn_id, const struct hv_connection_info *info)
{
	struct hv_input_connect_port *in;
	struct mshv_hvpages hp;
	u64 result;
	int ret;

	ret = mshv_hvpages_alloc(&hp);
	if (ret)
		return ret;
	in = hp.in;
	in->connection_partition_id = conn_pid;
	in->connection_id = conn_id;
	in->port_partition_id = port_pid;
	in->port_id = port_id;
	in->connection_info = *info;
	result = mshv_hvcall_deposit_retry(mshv_hvcall_control(HVCALL_CONNECT_PORT,
							       false, 0, 0, 0),
					   in, hp.out, conn_pid);
	ret = mshv_hvcall_check(HVCALL_CONNECT_PORT, result);
	mshv_hvpages_free(&hp);
	return ret;
}

/**
 * mshv_hv_disconnect_port() - remove a doorbell connection
 * @conn_pid: the connecting partition
 * @conn_id: the connection
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_disconnect_port(u64 conn_pid, u32 conn_id)
{
	struct hv_input_disconnect_port in = {
		.connection_partition_id = conn_pid,
		.connection_id = conn_id,
		.flags = HV_DISCONNECT_PORT_IS_DOORBELL,
	};
	u64 words[2];

	memcpy(words, &in, sizeof(words));
	return mshv_hvcall_check(HVCALL_DISCONNECT_PORT,
				 mshv_hvcall_fast16(HVCALL_DISCONNECT_PORT,
						    words[0], words[1]));
}

/**
 * mshv_hv_delete_port() - delete a port
 * @port_pid: its owner
 * @port_id: the port
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_delete_port(u64 port_pid, u32 port_id)
{
	struct hv_input_delete_port in = {
		.port_partition_id = port_pid,
		.port_id = port_id,
	};
	u64 words[2];

	memcpy(words, &in, sizeof(words));
	return mshv_hvcall_check(HVCALL_DELETE_PORT,
				 mshv_hvcall_fast16(HVCALL_DELETE_PORT,
						    words[0], words[1]));
}

/**
 * mshv_hv_notify_port_ring_empty() - tell the hypervisor a full event
 *	ring of this CPU has been emptied
 * @sint: the SINT of the ring
 *
 * Context: any, including the SynIC interrupt handler.
 * Return: 0 or a negative errno.
 */
int mshv_hv_notify_port_ring_empty(u32 sint)
{
	struct hv_input_notify_port_ring_empty in = { .sint_index = sint };
	u64 word;

	memcpy(&word, &in, sizeof(word));
	return mshv_hvcall_check(HVCALL_NOTIFY_PORT_RING_EMPTY,
				 mshv_hvcall_fast8(HVCALL_NOTIFY_PORT_RING_EMPTY,
						   word));
}

/**
 * mshv_hv_get_gpa_access_states() - read, and change, the access states of
 *	a run of guest pages
 * @hp: a page pair; the states are left in @hp->out, one byte per page
 *	(HV_GPA_PAGE_ACCESS_*)
 * @partition_id: the partition
 * @gfn: first guest page frame
 * @count: number of pages, 1..MSHV_GPA_ACCESS_BATCH
 * @flags: HV_GPA_PAGE_ACCESS_STATE_* changes applied after reading
 *
 * Return: 0 or a negative errno; on error some pages may have been
 * processed.
 */
int mshv_hv_get_gpa_access_states(struct mshv_hvpages *hp, u64 partition_id,
				  u64 gfn, u32 count, u64 flags)
{
	struct hv_input_get_gpa_pages_access_state *in = hp->in;
	u16 status;
	int ret;

	if (WARN_ON_ONCE(!count || count > MSHV_GPA_ACCESS_BATCH))
		return -EINVAL;
	memset(in, 0, sizeof(*in));
	in->partition_id = partition_id;
	in->flags = flags;
	in->hv_gpa_page_number = gfn;
	ret = mshv_hvcall_rep(HVCALL_GET_GPA_PAGES_ACCESS_STATES, 0, count, in,
			      hp->out, HV_PARTITION_ID_INVALID, 0, NULL,
			      &status);
	if (ret)
		pr_err_ratelimited("mshv: GET_GPA_PAGES_ACCESS_STATES failed: status %#x\n",
				   status);
	return ret;
}

/**
 * mshv_hv_map_gpa_pfns() - map consecutive host frames (e.g. device MMIO)
 * @partition_id: the partition
 * @gfn: first guest frame
 * @pfn: host frame that @gfn maps to; the rest follow consecutively
 * @count: number of 4 KiB frames
 * @flags: HV_MAP_GPA_*, as for mshv_hv_map_gpa_pages() (with
 *	HV_MAP_GPA_LARGE_PAGE, @pfn is 2 MiB aligned too)
 * @mapped: receives how many frames ended up mapped, also on failure
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_map_gpa_pfns(u64 partition_id, u64 gfn, u64 pfn, u64 count,
			 u32 flags, u64 *mapped)
{
	if (WARN_ON_ONCE((flags & HV_MAP_GPA_LARGE_PAGE) &&
			 !IS_ALIGNED(pfn, HV_HYP_PAGES_PER_LARGE_PAGE)))
		return -EINVAL;
	return mshv_hv_map_gpa(partition_id, gfn, NULL, pfn, count, flags,
			       mapped);
}

/**
 * mshv_hv_map_gpa_list() - map guest frames with a caller's page pair
 * @hp: input/output pages owned by the caller
 * @partition_id: the partition
 * @gfn: first guest frame
 * @pfns: one host frame per rep, or NULL to name frame 0 in every rep
 *	(what HV_MAP_GPA_NO_ACCESS mappings pass: no frame is reachable)
 * @count: number of 4 KiB frames
 * @flags: HV_MAP_GPA_*; with HV_MAP_GPA_LARGE_PAGE each rep maps 512
 *	frames, so @gfn and @count are multiples of 512 and @pfns holds one
 *	2 MiB aligned frame per 512
 * @mapped: receives how many frames ended up mapped, also on failure
 *
 * Unlike mshv_hv_map_gpa_pages() this allocates nothing and deposits
 * nothing, so it may be called under a lock that an MMU notifier takes:
 * HV_STATUS_INSUFFICIENT_MEMORY comes back as -ENOMEM for the caller to
 * deposit (mshv_hv_deposit_pages()) once the lock is dropped.
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_map_gpa_list(struct mshv_hvpages *hp, u64 partition_id, u64 gfn,
			 const u64 *pfns, u64 count, u32 flags, u64 *mapped)
{
	struct hv_input_map_gpa_pages *in = hp->in;
	u32 stride = 1, n, reps;
	u64 done = 0;
	u16 status;
	int ret = 0;

	*mapped = 0;
	if (flags & HV_MAP_GPA_LARGE_PAGE)
		stride = HV_HYP_PAGES_PER_LARGE_PAGE;
	if (WARN_ON_ONCE(!IS_ALIGNED(gfn | count, stride)))
		return -EINVAL;
	count /= stride;

	while ((n = mshv_hvcall_batch(count, done, MSHV_MAP_GPA_BATCH))) {
		in->target_partition_id = partition_id;
		in->target_gpa_base = gfn + done * stride;
		in->map_flags = flags;
		in->padding = 0;
		if (pfns)
			memcpy(in->source_gpa_page_list, pfns + done,
			       n * sizeof(u64));
		else
			memset(in->source_gpa_page_list, 0, n * sizeof(u64));
		ret = mshv_hvcall_rep(HVCALL_MAP_GPA_PAGES, 0, n, in, hp->out,
				      HV_PARTITION_ID_INVALID, 0, &reps,
				      &status);
		done += reps;
		if (ret) {
			if (status != HV_STATUS_INSUFFICIENT_MEMORY)
				pr_err_ratelimited("mshv: MAP_GPA_PAGES gfn %#llx failed: status %#x\n",
						   gfn + done * stride, status);
			break;
		}
	}
	*mapped = done * stride;
	return ret;
}
