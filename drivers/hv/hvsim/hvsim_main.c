// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim: a software Microsoft Hypervisor for testing mshv_root.
 *
 * This file holds the module entry points, the registration with
 * mshv_root's platform seam and the hypercall front end: decoding the
 * control word, validating it against a table of the implemented calls,
 * bounding the input and output against their pages, and dispatching to
 * the handler.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitfield.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/preempt.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/time64.h>
#include <asm/msr.h>
#include <asm/tsc.h>

#include "hvsim.h"

/* Fixed input headers are copied to the stack; none is bigger than this. */
#define HVSIM_HC_MAX_IN		80

#define HVSIM_HC_REP		BIT(0)	/* rep call */
#define HVSIM_HC_FAST		BIT(1)	/* may be issued as a fast call */
#define HVSIM_HC_VARHEAD	BIT(2)	/* accepts a variable header */
#define HVSIM_HC_ATOMIC		BIT(3)	/* handler never sleeps: any context */

/**
 * struct hvsim_hcall - an implemented hypercall
 * @code: call code
 * @flags: HVSIM_HC_*
 * @in_size: size of the fixed input header
 * @in_elem: size of one rep input element
 * @out_size: size of the fixed output
 * @out_elem: size of one rep output element
 * @name: name shown in debugfs
 * @fn: handler
 */
struct hvsim_hcall {
	u16 code;
	u16 flags;
	u16 in_size;
	u16 in_elem;
	u16 out_size;
	u16 out_elem;
	const char *name;
	hvsim_hc_fn fn;
};

#define HVSIM_IN(type) \
	(sizeof(type) + BUILD_BUG_ON_ZERO(sizeof(type) > HVSIM_HC_MAX_IN))

#define HC(_name, _fn, _flags, _in, _in_elem, _out, _out_elem) {	\
	.code = HVCALL_##_name, .name = #_name, .fn = _fn,		\
	.flags = _flags, .in_size = _in, .in_elem = _in_elem,		\
	.out_size = _out, .out_elem = _out_elem,			\
}

static const struct hvsim_hcall hvsim_hcalls[] = {
	HC(CREATE_PARTITION, hvsim_hc_create_partition, 0,
	   HVSIM_IN(struct hv_input_create_partition), 0,
	   sizeof(struct hv_output_create_partition), 0),
	HC(INITIALIZE_PARTITION, hvsim_hc_initialize_partition, HVSIM_HC_FAST,
	   HVSIM_IN(u64), 0, 0, 0),
	HC(FINALIZE_PARTITION, hvsim_hc_finalize_partition, HVSIM_HC_FAST,
	   HVSIM_IN(u64), 0, 0, 0),
	HC(DELETE_PARTITION, hvsim_hc_delete_partition, HVSIM_HC_FAST,
	   HVSIM_IN(u64), 0, 0, 0),
	HC(GET_PARTITION_PROPERTY, hvsim_hc_get_property, 0,
	   HVSIM_IN(struct hv_input_get_partition_property), 0,
	   sizeof(struct hv_output_get_partition_property), 0),
	HC(SET_PARTITION_PROPERTY, hvsim_hc_set_property, 0,
	   HVSIM_IN(struct hv_input_set_partition_property), 0, 0, 0),
	HC(GET_PARTITION_ID, hvsim_hc_get_partition_id, 0,
	   0, 0, sizeof(u64), 0),
	HC(DEPOSIT_MEMORY, hvsim_hc_deposit_memory, HVSIM_HC_REP,
	   HVSIM_IN(struct hv_input_deposit_memory), sizeof(u64), 0, 0),
	HC(WITHDRAW_MEMORY, hvsim_hc_withdraw_memory, HVSIM_HC_REP,
	   HVSIM_IN(struct hv_input_withdraw_memory), 0, 0, sizeof(u64)),
	HC(MAP_GPA_PAGES, hvsim_hc_map_gpa_pages, HVSIM_HC_REP,
	   HVSIM_IN(struct hv_input_map_gpa_pages), sizeof(u64), 0, 0),
	HC(UNMAP_GPA_PAGES, hvsim_hc_unmap_gpa_pages, HVSIM_HC_REP,
	   HVSIM_IN(struct hv_input_unmap_gpa_pages), 0, 0, 0),
	HC(CREATE_VP, hvsim_hc_create_vp, 0,
	   HVSIM_IN(struct hv_input_create_vp), 0, 0, 0),
	HC(DELETE_VP, hvsim_hc_delete_vp, HVSIM_HC_FAST,
	   HVSIM_IN(struct hv_input_delete_vp), 0, 0, 0),
	HC(GET_VP_REGISTERS, hvsim_hc_get_vp_registers,
	   HVSIM_HC_REP | HVSIM_HC_VARHEAD,
	   HVSIM_IN(struct hv_input_get_vp_registers), sizeof(u32),
	   0, sizeof(union hv_register_value)),
	HC(SET_VP_REGISTERS, hvsim_hc_set_vp_registers,
	   HVSIM_HC_REP | HVSIM_HC_VARHEAD,
	   HVSIM_IN(struct hv_input_set_vp_registers),
	   sizeof(struct hv_register_assoc), 0, 0),
	HC(GET_SYSTEM_PROPERTY, hvsim_hc_get_system_property, 0,
	   HVSIM_IN(struct hv_input_get_system_property), 0,
	   sizeof(struct hv_output_get_system_property), 0),
	HC(DISPATCH_VP, hvsim_hc_dispatch_vp, 0,
	   HVSIM_IN(struct hv_input_dispatch_vp), 0,
	   sizeof(struct hv_output_dispatch_vp), 0),
	HC(MAP_VP_STATE_PAGE, hvsim_hc_map_vp_state_page, 0,
	   HVSIM_IN(struct hv_input_map_vp_state_page), 0,
	   sizeof(struct hv_output_map_vp_state_page), 0),
	HC(UNMAP_VP_STATE_PAGE, hvsim_hc_unmap_vp_state_page, 0,
	   HVSIM_IN(struct hv_input_unmap_vp_state_page), 0, 0, 0),
	HC(MAP_STATS_PAGE, hvsim_hc_map_stats_page, 0,
	   HVSIM_IN(struct hv_input_map_stats_page), 0,
	   sizeof(struct hv_output_map_stats_page), 0),
	HC(UNMAP_STATS_PAGE, hvsim_hc_unmap_stats_page, 0,
	   HVSIM_IN(struct hv_input_unmap_stats_page), 0, 0, 0),
	HC(GET_PARTITION_PROPERTY_EX, hvsim_hc_get_property_ex, 0,
	   HVSIM_IN(struct hv_input_get_partition_property_ex), 0,
	   2 * sizeof(u64), 0),
	HC(INSTALL_INTERCEPT, hvsim_hc_install_intercept, 0,
	   HVSIM_IN(struct hv_input_install_intercept), 0, 0, 0),
	HC(REGISTER_INTERCEPT_RESULT, hvsim_hc_register_intercept_result, 0,
	   HVSIM_IN(struct hv_input_register_intercept_result), 0, 0, 0),
	HC(GET_VP_CPUID_VALUES, hvsim_hc_get_vp_cpuid_values, HVSIM_HC_REP,
	   HVSIM_IN(struct hv_input_get_vp_cpuid_values),
	   sizeof(struct hv_cpuid_leaf_info), 0,
	   sizeof(struct hv_output_get_vp_cpuid_values)),
	HC(TRANSLATE_VIRTUAL_ADDRESS, hvsim_hc_translate_virtual_address, 0,
	   HVSIM_IN(struct hv_input_translate_virtual_address), 0,
	   sizeof(struct hv_output_translate_virtual_address), 0),
	HC(SIGNAL_EVENT_DIRECT, hvsim_hc_signal_event_direct, 0,
	   HVSIM_IN(struct hv_input_signal_event_direct), 0,
	   sizeof(struct hv_output_signal_event_direct), 0),
	/* The 256-byte message is read from the caller's page by the handler. */
	HC(POST_MESSAGE_DIRECT, hvsim_hc_post_message_direct, 0,
	   offsetof(struct hv_input_post_message_direct, message), 0, 0, 0),
	HC(ASSERT_VIRTUAL_INTERRUPT, hvsim_hc_assert_virtual_interrupt, 0,
	   HVSIM_IN(struct hv_input_assert_virtual_interrupt), 0, 0, 0),
	HC(CLEAR_VIRTUAL_INTERRUPT, hvsim_hc_clear_virtual_interrupt,
	   HVSIM_HC_FAST, HVSIM_IN(u64), 0, 0, 0),
	HC(CREATE_PORT, hvsim_hc_create_port, 0,
	   HVSIM_IN(struct hv_input_create_port), 0, 0, 0),
	HC(CONNECT_PORT, hvsim_hc_connect_port, 0,
	   HVSIM_IN(struct hv_input_connect_port), 0, 0, 0),
	HC(DISCONNECT_PORT, hvsim_hc_disconnect_port, HVSIM_HC_FAST,
	   HVSIM_IN(struct hv_input_disconnect_port), 0, 0, 0),
	HC(DELETE_PORT, hvsim_hc_delete_port, HVSIM_HC_FAST,
	   HVSIM_IN(struct hv_input_delete_port), 0, 0, 0),
	/* The driver calls it from its interrupt handler. */
	HC(NOTIFY_PORT_RING_EMPTY, hvsim_hc_notify_port_ring_empty,
	   HVSIM_HC_FAST | HVSIM_HC_ATOMIC,
	   HVSIM_IN(struct hv_input_notify_port_ring_empty), 0, 0, 0),
	HC(GET_GPA_PAGES_ACCESS_STATES, hvsim_hc_get_gpa_pages_access_states,
	   HVSIM_HC_REP,
	   HVSIM_IN(struct hv_input_get_gpa_pages_access_state), 0, 0,
	   sizeof(u8)),
	HC(GET_VP_STATE, hvsim_hc_get_vp_state, HVSIM_HC_VARHEAD,
	   HVSIM_IN(struct hv_input_get_vp_state), 0, 0, 0),
	HC(SET_VP_STATE, hvsim_hc_set_vp_state, HVSIM_HC_VARHEAD,
	   HVSIM_IN(struct hv_input_set_vp_state), 0, 0, 0),
};

static atomic_long_t hvsim_hcall_count[ARRAY_SIZE(hvsim_hcalls)];
/*
 * TSC cycles spent in each code's handler, for benchmarks (shown in
 * nanoseconds).  Counted with rdtsc(), which touches no memory: this is
 * on every intercept round trip (HVCALL_DISPATCH_VP), where under QEMU's
 * TCG each page touched costs a TLB fill after every VMRUN and #VMEXIT
 * (ktime_get_ns() reads the timekeeper and calls the clocksource).
 */
static atomic64_t hvsim_hcall_cycles[ARRAY_SIZE(hvsim_hcalls)];
/* Codes hvsim does not implement: code -> xa_mk_value(count). */
static DEFINE_XARRAY_FLAGS(hvsim_unknown_count, XA_FLAGS_LOCK_IRQ);

/* Look up @code in the table and count the call. */
static const struct hvsim_hcall *hvsim_hcall_find(u16 code)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hvsim_hcalls); i++) {
		if (hvsim_hcalls[i].code == code) {
			atomic_long_inc(&hvsim_hcall_count[i]);
			return &hvsim_hcalls[i];
		}
	}
	return NULL;
}

static void hvsim_count_unknown(u16 code)
{
	unsigned long flags;
	void *old;

	xa_lock_irqsave(&hvsim_unknown_count, flags);
	old = xa_load(&hvsim_unknown_count, code);
	/* Best effort: a failed allocation just loses one count. */
	__xa_store(&hvsim_unknown_count, code,
		   xa_mk_value(old ? xa_to_value(old) + 1 : 1),
		   HVSIM_GFP_LOCKED);
	xa_unlock_irqrestore(&hvsim_unknown_count, flags);
}

/**
 * hvsim_hcall_stats_show() - print the per-code hypercall counters
 * @m: seq_file of the debugfs "hypercalls" file
 */
void hvsim_hcall_stats_show(struct seq_file *m)
{
	/* No TSC rate (calibration failed): the times show as 0. */
	u32 khz = tsc_khz;
	unsigned long code;
	unsigned int i;
	void *entry;

	for (i = 0; i < ARRAY_SIZE(hvsim_hcalls); i++) {
		long n = atomic_long_read(&hvsim_hcall_count[i]);
		u64 cycles = atomic64_read(&hvsim_hcall_cycles[i]);

		if (n)
			seq_printf(m, "0x%04x %s %ld %llu\n",
				   hvsim_hcalls[i].code, hvsim_hcalls[i].name,
				   n, khz ? mul_u64_u32_div(cycles, USEC_PER_SEC,
							    khz) : 0);
	}
	xa_for_each(&hvsim_unknown_count, code, entry)
		seq_printf(m, "0x%04lx UNKNOWN %lu\n", code, xa_to_value(entry));
}

static u64 hvsim_result(u16 status, unsigned int reps_done)
{
	return status | ((u64)reps_done << HV_HYPERCALL_REP_COMP_OFFSET);
}

/*
 * The common path of every hypercall.  @in/@out are page-sized buffers for
 * memory calls; for fast calls @in is a stack copy of the registers
 * (@fast_len bytes) and @out is NULL.
 */
static u64 __hvsim_hot hvsim_hypercall_common(u64 control, const void *in, void *out,
					      unsigned int fast_len)
{
	bool fast = control & HV_HYPERCALL_FAST_BIT;
	unsigned int rep_count, rep_start, varhead, in_len, out_len;
	const struct hvsim_hcall *hc_desc;
	u64 hdr[HVSIM_HC_MAX_IN / sizeof(u64)];
	struct hvsim_hc hc;
	u16 status;
	u64 t0;

	hc_desc = hvsim_hcall_find(FIELD_GET(HV_HYPERCALL_CODE_MASK, control));
	if (!hc_desc) {
		hvsim_count_unknown(FIELD_GET(HV_HYPERCALL_CODE_MASK, control));
		return HV_STATUS_INVALID_HYPERCALL_CODE;
	}
	if (control & HV_HYPERCALL_RSVD_MASK)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;

	rep_count = FIELD_GET(HV_HYPERCALL_REP_COMP_MASK, control);
	rep_start = FIELD_GET(HV_HYPERCALL_REP_START_MASK, control);
	varhead = FIELD_GET(HV_HYPERCALL_VARHEAD_MASK, control) * sizeof(u64);

	if (!(hc_desc->flags & HVSIM_HC_REP) != !rep_count ||
	    rep_start > rep_count)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	if (varhead && !(hc_desc->flags & HVSIM_HC_VARHEAD))
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	if (fast != !!fast_len)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;

	in_len = hc_desc->in_size + varhead + rep_count * hc_desc->in_elem;
	out_len = hc_desc->out_size + rep_count * hc_desc->out_elem;
	if (fast) {
		if (!(hc_desc->flags & HVSIM_HC_FAST) || in_len > fast_len ||
		    out_len)
			return HV_STATUS_INVALID_HYPERCALL_INPUT;
	} else {
		if (in_len > HV_HYP_PAGE_SIZE || out_len > HV_HYP_PAGE_SIZE)
			return HV_STATUS_INVALID_HYPERCALL_INPUT;
		if ((in_len && !in) || (out_len && !out))
			return HV_STATUS_INVALID_HYPERCALL_INPUT;
		if (!PAGE_ALIGNED(in) || !PAGE_ALIGNED(out))
			return HV_STATUS_INVALID_ALIGNMENT;
	}

	/*
	 * Handlers may sleep unless marked atomic.  The seam promises
	 * process context for the others; refuse rather than splat if not.
	 * (The hardirq/softirq/NMI bits of preempt_count() exist even
	 * without CONFIG_PREEMPT_COUNT.)
	 */
	if (!(hc_desc->flags & HVSIM_HC_ATOMIC) &&
	    (preempt_count() || irqs_disabled())) {
		pr_warn_once("%s issued from atomic context\n", hc_desc->name);
		return HV_STATUS_OPERATION_DENIED;
	}

	/* A private copy of the header: the caller's page may change. */
	if (hc_desc->in_size)
		memcpy(hdr, in, hc_desc->in_size);
	hc.in = hdr;
	hc.reps = fast || !in ? NULL : in + hc_desc->in_size + varhead;
	hc.varhead = fast || !in || !varhead ? NULL : in + hc_desc->in_size;
	hc.varhead_len = hc.varhead ? varhead : 0;
	hc.out = out;
	hc.rep_count = rep_count;
	hc.reps_done = rep_start;

	t0 = rdtsc();
	/*
	 * Fault injection: fail this call without doing anything.  The
	 * root may call a handler from its MMU notifier, that is from
	 * reclaim: the handlers allocate nothing with direct reclaim under
	 * their locks (see HVSIM_GFP_LOCKED).
	 */
	status = hvsim_fault_check(hc_desc->code);
	if (!status)
		status = hc_desc->fn(&hc);
	atomic64_add(rdtsc() - t0,
		     &hvsim_hcall_cycles[hc_desc - hvsim_hcalls]);
	if (!(hc_desc->flags & HVSIM_HC_REP))
		return hvsim_result(status, 0);
	if (status == HV_STATUS_SUCCESS)
		hc.reps_done = rep_count;
	return hvsim_result(status, hc.reps_done);
}

static u64 __hvsim_hot hvsim_hypercall(u64 control, void *input, void *output)
{
	return hvsim_hypercall_common(control, input, output, 0);
}

static u64 hvsim_fast_hypercall8(u64 control, u64 input)
{
	return hvsim_hypercall_common(control, &input, NULL, sizeof(input));
}

static u64 hvsim_fast_hypercall16(u64 control, u64 input1, u64 input2)
{
	u64 in[2] = { input1, input2 };

	return hvsim_hypercall_common(control, in, NULL, sizeof(in));
}

static const struct mshv_platform_ops hvsim_platform_ops = {
	.name = "hvsim",
	.owner = THIS_MODULE,
	.features = MSHV_PLATFORM_F_DISPATCH_INJECTION,
	.hypercall = hvsim_hypercall,
	.fast_hypercall8 = hvsim_fast_hypercall8,
	.fast_hypercall16 = hvsim_fast_hypercall16,
	.synic_cpu_init = hvsim_synic_cpu_init,
	.synic_cpu_exit = hvsim_synic_cpu_exit,
	.synic_eom = hvsim_synic_eom,
};

static int __init hvsim_init(void)
{
	int ret;

	ret = hvsim_sched_init();
	if (ret)
		return ret;
	ret = hvsim_engine_init();
	if (ret)
		return ret;

	hvsim_partitions_init();
	ret = hvsim_synic_init();
	if (ret)
		goto err_partitions;
	ret = hvsim_async_init();
	if (ret)
		goto err_synic;
	hvsim_debugfs_init();

	ret = mshv_platform_register(&hvsim_platform_ops);
	if (ret)
		goto err_debugfs;
	pr_info("simulated Microsoft Hypervisor registered\n");
	return 0;

err_debugfs:
	hvsim_debugfs_exit();
	hvsim_async_exit();
err_synic:
	hvsim_synic_exit();
err_partitions:
	hvsim_partitions_exit();
	hvsim_engine_exit();
	return ret;
}

static void __exit hvsim_exit(void)
{
	mshv_platform_unregister(&hvsim_platform_ops);
	hvsim_debugfs_exit();
	/* Completions still queued post into the SynIC: drain them first. */
	hvsim_async_exit();
	hvsim_synic_exit();
	hvsim_partitions_exit();
	hvsim_engine_exit();
	xa_destroy(&hvsim_unknown_count);
}

module_init(hvsim_init);
module_exit(hvsim_exit);

MODULE_DESCRIPTION("hvsim: a software Microsoft Hypervisor for testing mshv");
MODULE_LICENSE("GPL");
