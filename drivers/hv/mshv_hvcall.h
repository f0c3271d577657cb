/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mshv_root: the typed hypercall layer.
 *
 * Everything that marshals a hypercall lives behind this header: control
 * word encoding, result decoding, status to errno mapping, rep loops,
 * memory deposits and withdrawals, and one wrapper per hypercall the
 * driver issues itself.  Callers never touch a control word.
 *
 * Input and output buffers are a page pair from the page allocator (see
 * struct mshv_hvpages), never the kernel's per-CPU hypercall pages: the
 * platform below may sleep in hypercall().
 */
#ifndef _MSHV_HVCALL_H
#define _MSHV_HVCALL_H

#include <linux/bits.h>
#include <linux/types.h>
#include <hyperv/hvhdk.h>

struct page;

/* Rep elements per call: what fits a 4 KiB input (or output) page. */
#define MSHV_DEPOSIT_BATCH	511	/* 8-byte header + 511 PFNs */
#define MSHV_WITHDRAW_BATCH	511	/* output: 511 PFNs */
#define MSHV_MAP_GPA_BATCH	509	/* 24-byte header + 509 PFNs */
#define MSHV_UNMAP_GPA_BATCH	512	/* header only */
#define MSHV_GET_REGS_BATCH	256	/* output: 256 16-byte values */
#define MSHV_SET_REGS_BATCH	127	/* 16-byte header + 127 assocs */
/*
 * Output: one state byte per page.  A multiple of 64 below the rep count
 * limit (4095), so that each batch fills whole words of a bitmap.
 */
#define MSHV_GPA_ACCESS_BATCH	4032

/* Pages deposited up front, or on an INSUFFICIENT_MEMORY status. */
#define MSHV_INIT_PARTITION_DEPOSIT	208
#define MSHV_CREATE_VP_DEPOSIT		90
#define MSHV_MAP_GPA_DEPOSIT		256
#define MSHV_RETRY_DEPOSIT		1

/* Deposits in a row that may fail to make progress before -ENOMEM. */
#define MSHV_MAX_DEPOSIT_RETRIES	64

/* Kinds of deposit, from mshv_hvstatus_deposit_kind(). */
#define MSHV_DEPOSIT_ROOT		BIT(0)	/* into the root itself */
#define MSHV_DEPOSIT_CONTIGUOUS	BIT(1)	/* one contiguous chunk */

/* Pure helpers: no side effects, covered by the KUnit suite. */
u64 mshv_hvcall_control(u16 code, bool fast, u32 varhead_qwords,
			u32 rep_count, u32 rep_start);
u16 mshv_hvcall_status(u64 result);
int mshv_hvcall_errno(u64 result);
int mshv_hvstatus_errno(u16 status);
bool mshv_hvstatus_needs_memory(u16 status);
u32 mshv_hvcall_batch(u64 total, u64 done, u32 max);
#if IS_ENABLED(CONFIG_KUNIT)
/* Static unless KUnit is on (VISIBLE_IF_KUNIT): for its suite alone. */
u32 mshv_hvcall_reps_done(u64 result);
int mshv_hvstatus_deposit_kind(u16 status);
const char *mshv_hvcall_name(u16 code);
#endif

/**
 * struct mshv_hvpages - a page-aligned input/output page pair
 * @in: input page (first page of an order-1 allocation)
 * @out: output page (second page)
 * @want: for calls that leave the deposit to their caller
 *	(mshv_hv_map_gpa_list()): the status that asked for memory when one
 *	returned -ENOMEM, to pass to mshv_hv_deposit_for().  Read it under
 *	whatever lock serializes the pair's users.
 */
struct mshv_hvpages {
	void *in;
	void *out;
	u16 want;
};

int mshv_hvpages_alloc(struct mshv_hvpages *hp);
void mshv_hvpages_free(struct mshv_hvpages *hp);

/* Raw issue through the platform. */
u64 mshv_hvcall(u64 control, void *in, void *out);
u64 mshv_hvcall_fast8(u16 code, u64 arg);
u64 mshv_hvcall_fast16(u16 code, u64 arg1, u64 arg2);
u64 mshv_hvcall_deposit_retry(u64 control, void *in, void *out,
			      u64 deposit_pid);
int mshv_hvcall_rep(u16 code, u32 varhead_qwords, u32 rep_count,
		    void *in, void *out, u64 deposit_pid, u32 deposit_pages,
		    u32 *reps_done, u16 *status);
int mshv_hvcall_check(u16 code, u64 result);
int mshv_hvcall_deposit_checked(u16 code, void *in, void *out,
				u64 deposit_pid);
int mshv_hvcall_copy(u16 code, const void *in, size_t in_size, void *out,
		     size_t out_size, u64 deposit_pid);

/* Memory donated to the hypervisor. */
int mshv_hv_deposit_pages(u64 partition_id, u32 count);
int mshv_hv_deposit_for(u64 partition_id, u16 status, u32 count);
int mshv_hv_withdraw_all(struct mshv_hvpages *hp, u64 partition_id);

/* System and partitions. */
int mshv_hv_get_partition_id(u64 *partition_id);
int mshv_hv_get_scheduler_type(u32 *type);
int mshv_hv_create_partition(u64 root_id,
			     const struct hv_input_create_partition *args,
			     u64 *partition_id);
int mshv_hv_initialize_partition(u64 partition_id);
int mshv_hv_finalize_partition(u64 partition_id);
int mshv_hv_delete_partition(u64 partition_id);
int mshv_hv_get_partition_property(u64 partition_id, u32 code, u64 *value);
int mshv_hv_set_partition_property(u64 partition_id, u32 code, u64 value);

/* Guest physical memory. */
int mshv_hv_map_gpa_pages(u64 partition_id, u64 gfn, struct page **pages,
			  u64 count, u32 flags, u64 *mapped);
int mshv_hv_unmap_gpa_pages(u64 partition_id, u64 gfn, u64 count, u32 flags);
int mshv_hv_unmap_gpa_hp(struct mshv_hvpages *hp, u64 partition_id, u64 gfn,
			 u64 count, u32 flags);
int mshv_hv_map_gpa_list(struct mshv_hvpages *hp, u64 partition_id, u64 gfn,
			 const u64 *pfns, u64 count, u32 flags, u64 *mapped);
int mshv_hv_get_gpa_access_states(struct mshv_hvpages *hp, u64 partition_id,
				  u64 gfn, u32 count, u64 flags);

/* Virtual processors. */
int mshv_hv_create_vp(u64 partition_id, u32 vp_index);
int mshv_hv_delete_vp(u64 partition_id, u32 vp_index);
/**
 * struct mshv_vp_page - one kind of page the hypervisor keeps for a VP and
 *	maps into root memory on request
 * @map: its map hypercall
 * @unmap: its unmap hypercall
 * @what: its name, for the log
 * @root_pays: the root's pool pays for the map, not the partition's
 * @fill: writes the VP and @which (page type or stats area) into a
 *	zeroed input of either call
 */
struct mshv_vp_page {
	u16 map;
	u16 unmap;
	const char *what;
	bool root_pays;
	void (*fill)(void *in, u64 partition_id, u32 vp_index, u16 which);
};

extern const struct mshv_vp_page mshv_vp_state_page;
extern const struct mshv_vp_page mshv_vp_stats_page;
int mshv_hv_map_vp_page(const struct mshv_vp_page *kind, u64 partition_id,
			u32 vp_index, u16 which, struct page **page);
int mshv_hv_unmap_vp_page_hp(const struct mshv_vp_page *kind,
			     struct mshv_hvpages *hp, u64 partition_id,
			     u32 vp_index, u16 which);
int mshv_hv_get_vp_registers(u64 partition_id, u32 vp_index, u32 count,
			     const u32 *names, union hv_register_value *values);
int mshv_hv_set_vp_registers(u64 partition_id, u32 vp_index, u32 count,
			     const struct hv_register_assoc *regs);
int mshv_hv_set_vp_registers_hp(struct mshv_hvpages *hp, u64 partition_id,
				u32 vp_index, u32 count,
				const struct hv_register_assoc *regs);
int mshv_hv_dispatch_vp(struct mshv_hvpages *hp, u64 partition_id,
			u32 vp_index, u32 flags,
			struct hv_output_dispatch_vp *out);

/* Virtual interrupts. */
int mshv_hv_assert_virtual_interrupt(struct mshv_hvpages *hp,
				     u64 partition_id, u32 vector, u64 dest,
				     const union hv_interrupt_control *control);
int mshv_hv_clear_virtual_interrupt(u64 partition_id);
/* Ports and connections (doorbells). */
int mshv_hv_create_port(u64 port_pid, u32 port_id, u64 conn_pid,
			const struct hv_port_info *info);
int mshv_hv_connect_port(u64 port_pid, u32 port_id, u64 conn_pid,
			 u32 conn_id, const struct hv_connection_info *info);
int mshv_hv_disconnect_port(u64 conn_pid, u32 conn_id);
int mshv_hv_delete_port(u64 port_pid, u32 port_id);
int mshv_hv_notify_port_ring_empty(u32 sint);

#endif /* _MSHV_HVCALL_H */
