/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Microsoft Hypervisor ABI, part 2: the host (root partition) interface.
 *
 * Inputs and outputs of the partition-management hypercalls, partition
 * properties, intercept messages and the VP register page.  Layouts are
 * those of the TLFS and the upstream Linux headers; sizes that a mistake
 * would silently change are checked with static_assert at the bottom.
 */
#ifndef _HYPERV_HVHDK_H
#define _HYPERV_HVHDK_H

#include <linux/build_bug.h>
#include <hyperv/hvgdk.h>

/* ------------------------------------------------------------------ */
/* Partitions.                                                        */
/* ------------------------------------------------------------------ */

/* HVCALL_CREATE_PARTITION flags. */
#define HV_PARTITION_CREATION_FLAG_SMT_ENABLED_GUEST		BIT_ULL(0)
#define HV_PARTITION_CREATION_FLAG_NESTED_VIRTUALIZATION_CAPABLE BIT_ULL(1)
#define HV_PARTITION_CREATION_FLAG_GPA_SUPER_PAGES_ENABLED	BIT_ULL(4)
#define HV_PARTITION_CREATION_FLAG_EXO_PARTITION		BIT_ULL(8)
#define HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED		BIT_ULL(13)
#define HV_PARTITION_CREATION_FLAG_INTERCEPT_MESSAGE_PAGE_ENABLED BIT_ULL(19)
#define HV_PARTITION_CREATION_FLAG_X2APIC_CAPABLE		BIT_ULL(22)

#define HV_COMPATIBILITY_21_H2		0x0609

#define HV_PARTITION_ISOLATION_TYPE_NONE	0

#define HV_PARTITION_PROCESSOR_FEATURES_BANKS	2

struct hv_proximity_domain_info {
	u32 domain_id;
	u32 flags;
} __packed;

struct hv_partition_creation_properties {
	u64 disabled_processor_features[HV_PARTITION_PROCESSOR_FEATURES_BANKS];
	u64 disabled_processor_xsave_features;
} __packed;

struct hv_input_create_partition {
	u64 flags;
	struct hv_proximity_domain_info proximity_domain_info;
	u32 compatibility_version;
	u32 padding;
	struct hv_partition_creation_properties partition_creation_properties;
	u64 isolation_properties;	/* isolation_type in bits 4:0 */
} __packed;

struct hv_output_create_partition {
	u64 partition_id;
} __packed;

/*
 * Partition property codes (enum hv_partition_property_code).  Every code
 * and its source are listed in tools/mshv/abi/hv-constants.tsv.
 */
#define HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS			0x00010000
#define HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES		0x00010001
#define HV_PARTITION_PROPERTY_INTEGRATED_SCHEDULER_ENABLED	0x00020005
#define HV_PARTITION_PROPERTY_TIME_FREEZE			0x00030003
#define HV_PARTITION_PROPERTY_REFERENCE_TIME			0x00030005
#define HV_PARTITION_PROPERTY_GPA_PAGE_ACCESS_TRACKING		0x00050005
#define HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION		0x00050017
#define HV_PARTITION_PROPERTY_PROCESSOR_VENDOR			0x00060000
#define HV_PARTITION_PROPERTY_PROCESSOR_XSAVE_FEATURES		0x00060002
#define HV_PARTITION_PROPERTY_PROCESSOR_CL_FLUSH_SIZE		0x00060003
#define HV_PARTITION_PROPERTY_XSAVE_STATES			0x00060007
#define HV_PARTITION_PROPERTY_MAX_XSAVE_DATA_SIZE		0x00060008
#define HV_PARTITION_PROPERTY_PROCESSOR_CLOCK_FREQUENCY		0x00060009
#define HV_PARTITION_PROPERTY_VMM_CAPABILITIES			0x00090007
/* GET_PARTITION_PROPERTY_EX only; the output is a bank set (see below). */
#define HV_PARTITION_PROPERTY_ASSIGNABLE_SYNTHETIC_PROC_FEATURES 0x00090009
#define HV_PARTITION_PROPERTY_PHYSICAL_ADDRESS_WIDTH		0x00060006
#define HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0		0x0006000a
#define HV_PARTITION_PROPERTY_PROCESSOR_FEATURES1		0x0006000b

/* HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION values */
#define HV_UNIMPLEMENTED_MSR_ACTION_FAULT		0
#define HV_UNIMPLEMENTED_MSR_ACTION_IGNORE_WRITE_READ_ZERO 1

/* Bits of the VMM capabilities bank (GET_PARTITION_PROPERTY_EX). */
#define HV_VMM_CAP_MAP_GPA_PRESERVE_ADJUSTABLE		BIT_ULL(0)
#define HV_VMM_CAP_VMM_CAN_PROVIDE_OVERLAY_GPFN		BIT_ULL(1)
#define HV_VMM_CAP_VP_AFFINITY_PROPERTY			BIT_ULL(2)
#define HV_VMM_CAP_ASSIGNABLE_SYNTHETIC_PROC_FEATURES	BIT_ULL(4)
#define HV_VMM_CAP_VMM_ENABLE_INTEGRATED_SCHEDULER	BIT_ULL(6)

/* Output of GET_PARTITION_PROPERTY_EX(VMM_CAPABILITIES). */
struct hv_partition_property_vmm_capabilities {
	u16 bank_count;
	u16 reserved[3];
	u64 bank0;	/* HV_VMM_CAP_* */
} __packed;

/*
 * Synthetic processor features (bank 0): the bits hvsim looks at and the
 * ones VMM libraries ask for (rust-vmm's make_default_synthetic_features_
 * mask()).
 */
#define HV_SYNTHETIC_PROC_FEATURE_HYPERVISOR_PRESENT	BIT_ULL(0)
#define HV_SYNTHETIC_PROC_FEATURE_HV1			BIT_ULL(1)
#define HV_SYNTHETIC_PROC_FEATURE_ACCESS_PARTITION_REFERENCE_COUNTER BIT_ULL(3)
#define HV_SYNTHETIC_PROC_FEATURE_ACCESS_SYNIC_REGS	BIT_ULL(4)
#define HV_SYNTHETIC_PROC_FEATURE_ACCESS_SYNTHETIC_TIMER_REGS BIT_ULL(5)
#define HV_SYNTHETIC_PROC_FEATURE_ACCESS_INTR_CTRL_REGS	BIT_ULL(6)
#define HV_SYNTHETIC_PROC_FEATURE_ACCESS_HYPERCALL_REGS	BIT_ULL(7)
#define HV_SYNTHETIC_PROC_FEATURE_ACCESS_VP_INDEX	BIT_ULL(8)
#define HV_SYNTHETIC_PROC_FEATURE_ACCESS_PARTITION_REFERENCE_TSC BIT_ULL(9)
#define HV_SYNTHETIC_PROC_FEATURE_ACCESS_GUEST_IDLE_REG	BIT_ULL(10)
#define HV_SYNTHETIC_PROC_FEATURE_ACCESS_FREQUENCY_REGS	BIT_ULL(11)
#define HV_SYNTHETIC_PROC_FEATURE_DIRECT_SYNTHETIC_TIMERS BIT_ULL(22)
#define HV_SYNTHETIC_PROC_FEATURE_TB_FLUSH_HYPERCALLS	BIT_ULL(25)
#define HV_SYNTHETIC_PROC_FEATURE_SYNTHETIC_CLUSTER_IPI	BIT_ULL(26)

/* Processor features bank 0 and 1 (union hv_partition_processor_features). */
#define HV_PROC_FEATURE0_RDTSCP				BIT_ULL(38)
#define HV_PROC_FEATURE0_IBRS				BIT_ULL(44)
#define HV_PROC_FEATURE0_RESERVED_BANK0			BIT_ULL(63)
#define HV_PROC_FEATURE1_CET_SS				BIT_ULL(8)
#define HV_PROC_FEATURE1_TSC_ADJUST			BIT_ULL(18)

/* union hv_partition_processor_xsave_features */
#define HV_XSAVE_FEATURE_XSAVE				BIT_ULL(0)
#define HV_XSAVE_FEATURE_XSAVEOPT			BIT_ULL(1)
#define HV_XSAVE_FEATURE_AVX				BIT_ULL(2)
#define HV_XSAVE_FEATURE_XSAVE_COMP			BIT_ULL(11)
#define HV_XSAVE_FEATURE_XSAVE_SUPERVISOR		BIT_ULL(12)

/* Partition privileges (CPUID 0x40000003 EAX), the bits hvsim looks at. */
#define HV_MSR_HYPERCALL_AVAILABLE		BIT(5)
#define HV_MSR_VP_INDEX_AVAILABLE		BIT(6)
#define HV_ACCESS_FREQUENCY_MSRS		BIT(11)
#define HV_ACCESS_TSC_INVARIANT			BIT(15)

/* CPUID 0x40000003 EDX (x86 feature bits) */
#define HV_FEATURE_FREQUENCY_MSRS_AVAILABLE	BIT(8)

/* Read-only frequency MSRs (with HV_ACCESS_FREQUENCY_MSRS), in Hz. */
#define HV_X64_MSR_TSC_FREQUENCY		0x40000022
#define HV_X64_MSR_APIC_FREQUENCY		0x40000023

#define HV_PARTITION_SYNTHETIC_PROCESSOR_FEATURES_BANKS	1

/*
 * Output of GET_PARTITION_PROPERTY_EX(ASSIGNABLE_SYNTHETIC_PROC_FEATURES):
 * like the VMM capabilities, a u16 bank count and three reserved u16
 * come first; bank 0 (union hv_partition_synthetic_processor_features)
 * is at byte offset 8.
 */
struct hv_partition_property_assignable_synthetic_proc_features {
	u16 bank_count;
	u16 reserved[3];
	u64 banks[HV_PARTITION_SYNTHETIC_PROCESSOR_FEATURES_BANKS];
} __packed;

struct hv_input_get_partition_property {
	u64 partition_id;
	u32 property_code;
	u32 padding;
} __packed;

struct hv_output_get_partition_property {
	u64 property_value;
} __packed;

struct hv_input_set_partition_property {
	u64 partition_id;
	u32 property_code;
	u32 padding;
	u64 property_value;
} __packed;

struct hv_input_get_partition_property_ex {
	u64 partition_id;
	u32 property_code;
	u32 padding;
	u64 arg;
} __packed;

/* HVCALL_GET_SYSTEM_PROPERTY */
#define HV_SYSTEM_PROPERTY_SCHEDULER_TYPE	15

#define HV_SCHEDULER_TYPE_LP			1
#define HV_SCHEDULER_TYPE_LP_SMT		2
#define HV_SCHEDULER_TYPE_CORE_SMT		3
#define HV_SCHEDULER_TYPE_ROOT			4

struct hv_input_get_system_property {
	u32 property_id;
	u32 reserved;
	u64 arg;
} __packed;

struct hv_output_get_system_property {
	u32 scheduler_type;
	u32 reserved;
} __packed;

/* ------------------------------------------------------------------ */
/* Memory: deposit, withdraw, GPA mappings.                           */
/* ------------------------------------------------------------------ */

/*
 * Pages in the largest physically contiguous allocation the hypervisor
 * makes: a deposit of that many contiguous pages always satisfies
 * HV_STATUS_INSUFFICIENT_CONTIGUOUS_[ROOT_]MEMORY.
 */
#define HV_MAX_CONTIGUOUS_ALLOCATION_PAGES	8

struct hv_input_deposit_memory {
	u64 partition_id;
	u64 gpa_page_list[];
} __packed;

struct hv_input_withdraw_memory {
	u64 partition_id;
	struct hv_proximity_domain_info proximity_domain_info;
} __packed;

/* The output of HVCALL_WITHDRAW_MEMORY is one u64 page frame number per rep. */

#define HV_MAP_GPA_READABLE		0x00000001
#define HV_MAP_GPA_WRITABLE		0x00000002
#define HV_MAP_GPA_KERNEL_EXECUTABLE	0x00000004
#define HV_MAP_GPA_USER_EXECUTABLE	0x00000008
#define HV_MAP_GPA_EXECUTABLE		0x0000000C
#define HV_MAP_GPA_PERMISSIONS_MASK	0x0000000F
#define HV_MAP_GPA_ADJUSTABLE		0x00008000
#define HV_MAP_GPA_NO_ACCESS		0x00010000
#define HV_MAP_GPA_NOT_CACHED		0x00200000
#define HV_MAP_GPA_LARGE_PAGE		0x80000000

#define HV_UNMAP_GPA_LARGE_PAGE		0x2

struct hv_input_map_gpa_pages {
	u64 target_partition_id;
	u64 target_gpa_base;
	u32 map_flags;
	u32 padding;
	u64 source_gpa_page_list[];
} __packed;

struct hv_input_unmap_gpa_pages {
	u64 target_partition_id;
	u64 target_gpa_base;
	u32 unmap_flags;
	u32 padding;
} __packed;

/*
 * HVCALL_GET_GPA_PAGES_ACCESS_STATES (rep): rep i reports the state of
 * gfn hv_gpa_page_number + i as one byte of output (HV_GPA_PAGE_ACCESS_*),
 * then applies the flags to it.  The flags word is
 * union hv_gpa_page_access_state_flags: bit 0 clear_accessed, bit 1
 * set_accessed, bit 2 clear_dirty, bit 3 set_dirty, bits 63:4 reserved.
 */
#define HV_GPA_PAGE_ACCESS_STATE_CLEAR_ACCESSED	BIT_ULL(0)
#define HV_GPA_PAGE_ACCESS_STATE_SET_ACCESSED	BIT_ULL(1)
#define HV_GPA_PAGE_ACCESS_STATE_CLEAR_DIRTY	BIT_ULL(2)
#define HV_GPA_PAGE_ACCESS_STATE_SET_DIRTY	BIT_ULL(3)
#define HV_GPA_PAGE_ACCESS_STATE_FLAGS_MASK	GENMASK_ULL(3, 0)

struct hv_input_get_gpa_pages_access_state {
	u64 partition_id;
	u64 flags;
	u64 hv_gpa_page_number;
} __packed;

/* One output byte per page: union hv_gpa_page_access_state. */
#define HV_GPA_PAGE_ACCESS_ACCESSED	BIT(0)
#define HV_GPA_PAGE_ACCESS_DIRTY	BIT(1)

/*
 * HV_PARTITION_PROPERTY_GPA_PAGE_ACCESS_TRACKING is written 1 (track) and
 * 0 (stop) by Cloud Hypervisor and rust-vmm; no other value is used here.
 */

/* ------------------------------------------------------------------ */
/* Virtual processors.                                                */
/* ------------------------------------------------------------------ */

struct hv_input_create_vp {
	u64 partition_id;
	u32 vp_index;
	u8 padding[3];
	u8 subnode_type;
	u64 subnode_id;
	struct hv_proximity_domain_info proximity_domain_info;
	u64 flags;
} __packed;

struct hv_input_delete_vp {
	u64 partition_id;
	u32 vp_index;
	u8 reserved[4];
} __packed;

struct hv_input_get_vp_registers {
	u64 partition_id;
	u32 vp_index;
	union hv_input_vtl input_vtl;
	u8 rsvd_z8;
	u16 rsvd_z16;
	u32 names[];
} __packed;

struct hv_input_set_vp_registers {
	u64 partition_id;
	u32 vp_index;
	union hv_input_vtl input_vtl;
	u8 rsvd_z8;
	u16 rsvd_z16;
	struct hv_register_assoc elements[];
} __packed;

/* VP state pages that HVCALL_MAP_VP_STATE_PAGE can map. */
#define HV_VP_STATE_PAGE_REGISTERS		0
#define HV_VP_STATE_PAGE_INTERCEPT_MESSAGE	1
#define HV_VP_STATE_PAGE_GHCB			2

#define HV_MAP_VP_STATE_PAGE_FLAG_MAP_LOCATION_PROVIDED	BIT(0)

struct hv_input_map_vp_state_page {
	u64 partition_id;
	u32 vp_index;
	u16 type;
	union hv_input_vtl input_vtl;
	u8 flags;
	u64 requested_map_location;
} __packed;

struct hv_output_map_vp_state_page {
	u64 map_location;	/* page frame number in root memory */
} __packed;

struct hv_input_unmap_vp_state_page {
	u64 partition_id;
	u32 vp_index;
	u16 type;
	union hv_input_vtl input_vtl;
	u8 reserved0;
} __packed;

/* HVCALL_MAP_STATS_PAGE / HVCALL_UNMAP_STATS_PAGE: statistics pages. */
#define HV_STATS_OBJECT_VP		0x00010002
#define HV_STATS_AREA_SELF		0
#define HV_STATS_AREA_PARENT		1
/*
 * Index of the u64 counter in a VP statistics page that says the root's
 * dispatch thread should stay blocked (x86; 201 in a hypervisor version
 * that did not ship).
 */
#define HV_VP_COUNTER_ROOT_DISPATCH_THREAD_BLOCKED	202

/* The VP member of the 16-byte statistics object identity. */
struct hv_stats_object_identity_vp {
	u64 partition_id;
	u32 vp_index;
	u16 flags;
	u8 reserved;
	u8 stats_area_type;
} __packed;

struct hv_input_map_stats_page {
	u32 type;
	u32 padding;
	struct hv_stats_object_identity_vp identity;
} __packed;

struct hv_output_map_stats_page {
	u64 map_location;	/* page frame number in root memory */
} __packed;

struct hv_input_unmap_stats_page {
	u32 type;
	u32 padding;
	struct hv_stats_object_identity_vp identity;
} __packed;

/* HVCALL_DISPATCH_VP (root scheduler). */
#define HV_DISPATCH_VP_FLAG_CLEAR_INTERCEPT_SUSPEND	0x1
#define HV_DISPATCH_VP_FLAG_ENABLE_CALLER_INTERRUPTS	0x2
#define HV_DISPATCH_VP_FLAG_SET_CALLER_SPEC_CTRL	0x4
#define HV_DISPATCH_VP_FLAG_SKIP_VP_SPEC_FLUSH		0x8
#define HV_DISPATCH_VP_FLAG_SKIP_CALLER_SPEC_FLUSH	0x10
#define HV_DISPATCH_VP_FLAG_SKIP_CALLER_USER_SPEC_FLUSH	0x20
#define HV_DISPATCH_VP_FLAG_SCAN_INTERRUPT_INJECTION	0x40

#define HV_VP_DISPATCH_STATE_INVALID	0
#define HV_VP_DISPATCH_STATE_BLOCKED	1
#define HV_VP_DISPATCH_STATE_READY	2

#define HV_VP_DISPATCH_EVENT_INVALID	0
#define HV_VP_DISPATCH_EVENT_SUSPEND	1
#define HV_VP_DISPATCH_EVENT_INTERCEPT	2

struct hv_input_dispatch_vp {
	u64 partition_id;
	u32 vp_index;
	u32 flags;
	u64 time_slice;		/* 100 ns units; 0 = until an event */
	u64 spec_ctrl;
} __packed;

struct hv_output_dispatch_vp {
	u32 dispatch_state;
	u32 dispatch_event;
} __packed;

/*
 * CPUID 0x40000003 (HYPERV_CPUID_FEATURES), ECX: the hypervisor scans the
 * register page's interrupt_vectors when HVCALL_DISPATCH_VP is issued
 * with HV_DISPATCH_VP_FLAG_SCAN_INTERRUPT_INJECTION.
 */
#define HV_VP_DISPATCH_INTERRUPT_INJECTION_AVAILABLE	BIT(9)

/* ------------------------------------------------------------------ */
/* VP state: HVCALL_GET_VP_STATE / HVCALL_SET_VP_STATE.               */
/* ------------------------------------------------------------------ */

/*
 * State types.  With HV_GET_SET_VP_STATE_TYPE_PFN the data moves through
 * whole pages whose frame numbers follow the fixed input (their count is
 * the variable header size); without it the data is inline: after the
 * fixed input for a set, in the output page for a get.
 */
#define HV_GET_SET_VP_STATE_TYPE_PFN			BIT(31)
#define HV_GET_SET_VP_STATE_LAPIC_STATE			(0 | HV_GET_SET_VP_STATE_TYPE_PFN)
#define HV_GET_SET_VP_STATE_XSAVE			(1 | HV_GET_SET_VP_STATE_TYPE_PFN)
#define HV_GET_SET_VP_STATE_SIM_PAGE			(2 | HV_GET_SET_VP_STATE_TYPE_PFN)
#define HV_GET_SET_VP_STATE_SIEF_PAGE			(3 | HV_GET_SET_VP_STATE_TYPE_PFN)
#define HV_GET_SET_VP_STATE_SYNTHETIC_TIMERS		4

/* Bits of the XSAVE state mask (XCR0 layout). */
#define HV_X64_XSAVE_LEGACY_X87				BIT_ULL(0)
#define HV_X64_XSAVE_LEGACY_SSE				BIT_ULL(1)

/**
 * struct hv_vp_state_data - what to get or set
 * @type: HV_GET_SET_VP_STATE_*
 * @rsvd: MBZ
 * @xsave_flags: XSAVE only: MBZ so far
 * @xsave_states: XSAVE only: which components (HV_X64_XSAVE_* bits)
 */
struct hv_vp_state_data {
	u32 type;
	u32 rsvd;
	u64 xsave_flags;
	u64 xsave_states;
} __packed;

struct hv_input_get_vp_state {
	u64 partition_id;
	u32 vp_index;
	union hv_input_vtl input_vtl;
	u8 rsvd0;
	u16 rsvd1;
	struct hv_vp_state_data state_data;
	u64 output_data_pfns[];
} __packed;

struct hv_input_set_vp_state {
	u64 partition_id;
	u32 vp_index;
	union hv_input_vtl input_vtl;
	u8 rsvd0;
	u16 rsvd1;
	struct hv_vp_state_data state_data;
	u64 data[];	/* PFNs, or the inline bytes padded to qwords */
} __packed;

#define HV_SYNIC_STIMER_COUNT		4

/* One synthetic timer of HV_GET_SET_VP_STATE_SYNTHETIC_TIMERS. */
#define HV_STIMER_STATE_UNDELIVERED_MSG_PENDING	BIT(0)

struct hv_stimer_state {
	u32 flags;		/* HV_STIMER_STATE_* */
	u32 reserved;
	u64 config;
	u64 count;
	u64 adjustment;
	u64 undelivered_exp_time;
} __packed;

struct hv_synthetic_timers_state {
	struct hv_stimer_state timers[HV_SYNIC_STIMER_COUNT];
	u64 reserved[5];
} __packed;

/* Output of HVCALL_GET_VP_STATE for the inline (non-PFN) types. */
union hv_output_get_vp_state {
	struct hv_synthetic_timers_state synthetic_timers_state;
} __packed;

/* ------------------------------------------------------------------ */
/* Intercept messages (payloads of struct hv_message).                */
/* ------------------------------------------------------------------ */

/* execution_state bits */
#define HV_X64_EXEC_STATE_CPL_MASK		GENMASK(1, 0)
#define HV_X64_EXEC_STATE_CR0_PE		BIT(2)
#define HV_X64_EXEC_STATE_CR0_AM		BIT(3)
#define HV_X64_EXEC_STATE_EFER_LMA		BIT(4)
#define HV_X64_EXEC_STATE_DEBUG_ACTIVE		BIT(5)
#define HV_X64_EXEC_STATE_INTERRUPTION_PENDING	BIT(6)
#define HV_X64_EXEC_STATE_INTERRUPT_SHADOW	BIT(12)

#define HV_INTERCEPT_ACCESS_READ	0
#define HV_INTERCEPT_ACCESS_WRITE	1
#define HV_INTERCEPT_ACCESS_EXECUTE	2

struct hv_x64_intercept_message_header {
	u32 vp_index;
	u8 instruction_length_cr8;	/* instruction_length:4, cr8:4 */
	u8 intercept_access_type;
	u16 execution_state;
	struct hv_x64_segment_register cs_segment;
	u64 rip;
	u64 rflags;
} __packed;

/* access_info of an IO port intercept */
#define HV_X64_IO_PORT_ACCESS_SIZE_MASK		GENMASK(2, 0)
#define HV_X64_IO_PORT_ACCESS_STRING_OP		BIT(3)
#define HV_X64_IO_PORT_ACCESS_REP_PREFIX	BIT(4)

struct hv_x64_io_port_intercept_message {
	struct hv_x64_intercept_message_header header;
	u16 port_number;
	u8 access_info;
	u8 instruction_byte_count;
	u32 reserved;
	u64 rax;
	u8 instruction_bytes[16];
	struct hv_x64_segment_register ds_segment;
	struct hv_x64_segment_register es_segment;
	u64 rcx;
	u64 rsi;
	u64 rdi;
} __packed;

/* memory_access_info of a memory intercept */
#define HV_X64_MEMORY_ACCESS_GVA_VALID		BIT(0)
#define HV_X64_MEMORY_ACCESS_GVA_GPA_VALID	BIT(1)

struct hv_x64_memory_intercept_message {
	struct hv_x64_intercept_message_header header;
	u32 cache_type;
	u8 instruction_byte_count;
	u8 memory_access_info;
	u8 tpr_priority;
	u8 reserved1;
	u64 guest_virtual_address;
	u64 guest_physical_address;
	u8 instruction_bytes[16];
} __packed;

struct hv_x64_halt_message {
	struct hv_x64_intercept_message_header header;
} __packed;

struct hv_opaque_intercept_message {
	u32 vp_index;
} __packed;

struct hv_async_completion_message_payload {
	u64 partition_id;
	u32 status;
	u32 completion_count;
	u64 sub_status;
} __packed;

/* Root scheduler: HVMSG_SCHEDULER_VP_SIGNAL_BITSET payload (one partition). */
#define HV_GENERIC_SET_SPARSE_4K		0
#define HV_SCHEDULER_BITSET_BANKS		26	/* fills the payload */

struct hv_vp_signal_bitset_scheduler_message {
	u64 partition_id;
	u32 overflow_count;
	u16 vp_count;
	u16 reserved;
	/* An hv_vpset: bank b of valid_bank_mask covers VPs 64*b..64*b+63. */
	u64 vpset_format;			/* HV_GENERIC_SET_SPARSE_4K */
	u64 vpset_valid_bank_mask;
	u64 vpset_bank_contents[HV_SCHEDULER_BITSET_BANKS]; /* present banks */
} __packed;

/* Root scheduler: HVMSG_SCHEDULER_VP_SIGNAL_PAIR payload. */
#define HV_SCHEDULER_PAIR_MAX			19

struct hv_vp_signal_pair_scheduler_message {
	u32 overflow_count;
	u8 vp_count;				/* valid pairs, <= 19 */
	u8 reserved1[3];
	u64 partition_ids[HV_SCHEDULER_PAIR_MAX];
	u32 vp_indexes[HV_SCHEDULER_PAIR_MAX];
	u8 reserved2[4];
} __packed;

/* ------------------------------------------------------------------ */
/* The VP register page (HV_VP_STATE_PAGE_REGISTERS).                 */
/* ------------------------------------------------------------------ */

/* Bits of hv_vp_register_page.dirty */
#define HV_X64_REGISTER_CLASS_GENERAL	0
#define HV_X64_REGISTER_CLASS_IP	1
#define HV_X64_REGISTER_CLASS_XMM	2
#define HV_X64_REGISTER_CLASS_SEGMENT	3
#define HV_X64_REGISTER_CLASS_FLAGS	4

#define HV_VP_REGISTER_PAGE_VERSION_1		1u
#define HV_VP_REGISTER_PAGE_MAX_VECTOR_COUNT	7

struct hv_vp_register_page {
	u16 version;
	u8 isvalid;
	u8 rsvdz;
	u32 dirty;
	u64 gp_registers[16];	/* rax rcx rdx rbx rsp rbp rsi rdi r8..r15 */
	u64 rip;
	u64 rflags;
	u8 reserved[8];
	struct hv_u128 xmm_registers[6];
	struct hv_x64_segment_register segment_registers[6]; /* es cs ss ds fs gs */
	/* Read-only for the VMM. */
	u64 cr0;
	u64 cr3;
	u64 cr4;
	u64 cr8;
	u64 efer;
	u64 dr7;
	u64 pending_interruption;
	u64 interrupt_state;
	u64 instruction_emulation_hints;
	u64 xfem;
	u8 reserved1[0x100];
	/* Vectors injected by the next HVCALL_DISPATCH_VP: count, then vectors. */
	u8 interrupt_vector_count;
	u8 interrupt_vectors[HV_VP_REGISTER_PAGE_MAX_VECTOR_COUNT];
} __packed;

/* ------------------------------------------------------------------ */
/* Virtual interrupts: ASSERT_VIRTUAL_INTERRUPT, the APIC EOI message.  */
/* ------------------------------------------------------------------ */

#define HV_X64_INTERRUPT_TYPE_FIXED		0x0000
#define HV_X64_INTERRUPT_TYPE_LOWESTPRIORITY	0x0001
#define HV_X64_INTERRUPT_TYPE_SMI		0x0002
#define HV_X64_INTERRUPT_TYPE_REMOTEREAD	0x0003
#define HV_X64_INTERRUPT_TYPE_NMI		0x0004
#define HV_X64_INTERRUPT_TYPE_INIT		0x0005
#define HV_X64_INTERRUPT_TYPE_SIPI		0x0006
#define HV_X64_INTERRUPT_TYPE_EXTINT		0x0007
#define HV_X64_INTERRUPT_TYPE_LOCALINT0		0x0008
#define HV_X64_INTERRUPT_TYPE_LOCALINT1		0x0009

/* Second word of union hv_interrupt_control (x86). */
#define HV_INTERRUPT_CONTROL_LEVEL_TRIGGERED	BIT(0)
#define HV_INTERRUPT_CONTROL_LOGICAL_DEST	BIT(1)

union hv_interrupt_control {
	u64 as_uint64;
	struct {
		u32 interrupt_type;	/* HV_X64_INTERRUPT_TYPE_* */
		u32 flags;		/* HV_INTERRUPT_CONTROL_* */
	} __packed;
};

/* HVCALL_ASSERT_VIRTUAL_INTERRUPT; dest_addr is an APIC id (or mask). */
struct hv_input_assert_virtual_interrupt {
	u64 partition_id;
	union hv_interrupt_control control;
	u64 dest_addr;
	u32 vector;
	u8 target_vtl;
	u8 rsvd_z0;
	u16 rsvd_z1;
} __packed;

/* HVMSG_X64_APIC_EOI: the guest EOI'd a level-triggered vector. */
struct hv_x64_apic_eoi_message {
	u32 vp_index;
	u32 interrupt_vector;
} __packed;

/* ------------------------------------------------------------------ */
/* Local APIC state (HV_GET_SET_VP_STATE_LAPIC_STATE, start of page). */
/* ------------------------------------------------------------------ */

struct hv_local_interrupt_controller_state {
	u32 apic_id;
	u32 apic_version;
	u32 apic_ldr;
	u32 apic_dfr;
	u32 apic_spurious;
	u32 apic_isr[8];
	u32 apic_tmr[8];
	u32 apic_irr[8];
	u32 apic_esr;
	u32 apic_icr_high;
	u32 apic_icr_low;
	u32 apic_lvt_timer;
	u32 apic_lvt_thermal;
	u32 apic_lvt_perfmon;
	u32 apic_lvt_lint0;
	u32 apic_lvt_lint1;
	u32 apic_lvt_error;
	u32 apic_lvt_cmci;
	u32 apic_error_status;
	u32 apic_initial_count;
	u32 apic_counter_value;
	u32 apic_divide_configuration;
	u32 apic_remote_read;
} __packed;

/* ------------------------------------------------------------------ */
/* Intercepts: INSTALL_INTERCEPT, REGISTER_INTERCEPT_RESULT.          */
/* ------------------------------------------------------------------ */

#define HV_INTERCEPT_ACCESS_MASK_NONE		0x00
#define HV_INTERCEPT_ACCESS_MASK_READ		0x01
#define HV_INTERCEPT_ACCESS_MASK_WRITE		0x02
#define HV_INTERCEPT_ACCESS_MASK_EXECUTE	0x04

/*
 * intercept_parameter by type: IO_PORT u16 port, CPUID u32 leaf,
 * EXCEPTION u16 vector, MSR_INDEX u32 msr, APIC_WRITE u32 mask; the
 * other types take none (MBZ).
 */
struct hv_input_install_intercept {
	u64 partition_id;
	u32 access_type;	/* HV_INTERCEPT_ACCESS_MASK_* */
	u32 intercept_type;	/* HV_INTERCEPT_TYPE_* */
	u64 intercept_parameter;
} __packed;

struct hv_register_x64_cpuid_result_parameters {
	struct {
		u32 eax;
		u32 ecx;
		u8 subleaf_specific;
		u8 always_override;
		u16 padding;
	} __packed input;
	struct {
		u32 eax;
		u32 eax_mask;
		u32 ebx;
		u32 ebx_mask;
		u32 ecx;
		u32 ecx_mask;
		u32 edx;
		u32 edx_mask;
	} __packed result;
} __packed;

struct hv_register_x64_msr_result_parameters {
	u32 msr_index;
	u32 access_type;	/* HV_INTERCEPT_ACCESS_MASK_* */
	u32 action;		/* HV_UNIMPLEMENTED_MSR_ACTION_* */
} __packed;

struct hv_input_register_intercept_result {
	u64 partition_id;
	u32 vp_index;		/* or HV_ANY_VP */
	u32 intercept_type;	/* X64_CPUID or X64_MSR */
	union {
		struct hv_register_x64_cpuid_result_parameters cpuid;
		struct hv_register_x64_msr_result_parameters msr;
	} parameters;
} __packed;

/* HVCALL_GET_VP_CPUID_VALUES: rep, one leaf in, eax..edx out. */
#define HV_GET_VP_CPUID_VALUES_USE_VP_XFEM_XSS		BIT(0)
#define HV_GET_VP_CPUID_VALUES_APPLY_REGISTERED_VALUES	BIT(1)

struct hv_cpuid_leaf_info {
	u32 eax;
	u32 ecx;
	u64 xfem;
	u64 xss;
} __packed;

struct hv_input_get_vp_cpuid_values {
	u64 partition_id;
	u32 vp_index;
	u32 flags;		/* HV_GET_VP_CPUID_VALUES_* */
	u32 reserved;
	u32 padding;
	struct hv_cpuid_leaf_info cpuid_leaf_info[];
} __packed;

struct hv_output_get_vp_cpuid_values {
	u32 eax;
	u32 ebx;
	u32 ecx;
	u32 edx;
} __packed;

/* Payloads of HVMSG_X64_CPUID_INTERCEPT and HVMSG_X64_MSR_INTERCEPT. */
struct hv_x64_cpuid_intercept_message {
	struct hv_x64_intercept_message_header header;
	u64 rax;
	u64 rcx;
	u64 rdx;
	u64 rbx;
	u64 default_result_rax;
	u64 default_result_rcx;
	u64 default_result_rdx;
	u64 default_result_rbx;
} __packed;

struct hv_x64_msr_intercept_message {
	struct hv_x64_intercept_message_header header;
	u32 msr_number;
	u32 reserved;
	u64 rdx;
	u64 rax;
} __packed;

/* HVMSG_X64_EXCEPTION_INTERCEPT */
#define HV_X64_EXCEPTION_INFO_ERROR_CODE_VALID	BIT(0)
#define HV_X64_EXCEPTION_INFO_SOFTWARE		BIT(1)

struct hv_x64_exception_intercept_message {
	struct hv_x64_intercept_message_header header;
	u16 exception_vector;
	u8 exception_info;	/* HV_X64_EXCEPTION_INFO_* */
	u8 instruction_byte_count;
	u32 error_code;
	u64 exception_parameter;	/* CR2 for #PF */
	u64 reserved;
	u8 instruction_bytes[16];
	struct hv_x64_segment_register ds_segment;
	struct hv_x64_segment_register ss_segment;
	u64 rax;
	u64 rcx;
	u64 rdx;
	u64 rbx;
	u64 rsp;
	u64 rbp;
	u64 rsi;
	u64 rdi;
	u64 r8;
	u64 r9;
	u64 r10;
	u64 r11;
	u64 r12;
	u64 r13;
	u64 r14;
	u64 r15;
} __packed;

/* ------------------------------------------------------------------ */
/* HVCALL_TRANSLATE_VIRTUAL_ADDRESS.                                  */
/* ------------------------------------------------------------------ */

#define HV_TRANSLATE_GVA_VALIDATE_READ		0x0001
#define HV_TRANSLATE_GVA_VALIDATE_WRITE		0x0002
#define HV_TRANSLATE_GVA_VALIDATE_EXECUTE	0x0004
#define HV_TRANSLATE_GVA_PRIVILEGE_EXEMPT	0x0008
#define HV_TRANSLATE_GVA_SET_PAGE_TABLE_BITS	0x0010
#define HV_TRANSLATE_GVA_TLB_FLUSH_INHIBIT	0x0020
#define HV_TRANSLATE_GVA_SUPERVISOR_ACCESS	0x0040
#define HV_TRANSLATE_GVA_USER_ACCESS		0x0080
#define HV_TRANSLATE_GVA_ENFORCE_SMAP		0x0100
#define HV_TRANSLATE_GVA_OVERRIDE_SMAP		0x0200
#define HV_TRANSLATE_GVA_SHADOW_STACK		0x0400
#define HV_TRANSLATE_GVA_INPUT_VTL_MASK		GENMASK_ULL(63, 56)

#define HV_TRANSLATE_GVA_SUCCESS			0
#define HV_TRANSLATE_GVA_PAGE_NOT_PRESENT		1
#define HV_TRANSLATE_GVA_PRIVILEGE_VIOLATION		2
#define HV_TRANSLATE_GVA_INVALID_PAGE_TABLE_FLAGS	3
#define HV_TRANSLATE_GVA_GPA_UNMAPPED			4
#define HV_TRANSLATE_GVA_GPA_NO_READ_ACCESS		5
#define HV_TRANSLATE_GVA_GPA_NO_WRITE_ACCESS		6
#define HV_TRANSLATE_GVA_GPA_ILLEGAL_OVERLAY_ACCESS	7

#define HV_CACHE_TYPE_UNCACHED		0
#define HV_CACHE_TYPE_WRITE_BACK	6

struct hv_input_translate_virtual_address {
	u64 partition_id;
	u32 vp_index;
	u32 padding;
	u64 control_flags;	/* HV_TRANSLATE_GVA_* */
	u64 gva_page;
} __packed;

struct hv_output_translate_virtual_address {
	u32 result_code;	/* HV_TRANSLATE_GVA_SUCCESS.. */
	u32 cache_type_overlay;	/* cache_type:8, overlay_page:1 */
	u64 gpa_page;
} __packed;

/* cache_type_overlay: the page is an overlay page (hypervisor-owned). */
#define HV_TRANSLATE_GVA_OVERLAY_PAGE		BIT(8)

/* ------------------------------------------------------------------ */
/* Child SynIC: SIGNAL_EVENT_DIRECT, POST_MESSAGE_DIRECT.             */
/* ------------------------------------------------------------------ */

/* SIMP / SIEFP / SCONTROL / SINTx register bits */
#define HV_SYNIC_SIMP_ENABLE		BIT_ULL(0)
#define HV_SYNIC_SIEFP_ENABLE		BIT_ULL(0)
#define HV_SYNIC_SCONTROL_ENABLE	BIT_ULL(0)
#define HV_SYNIC_SINT_PROXY		BIT_ULL(20)
#define HV_SYNIC_PAGE_GPA_MASK		GENMASK_ULL(63, 12)
#define HV_SYNIC_VERSION_1		1

/* One 256-byte event-flag bitmap per SINT in the SIEF page. */
#define HV_EVENT_FLAGS_BYTE_COUNT	256
#define HV_EVENT_FLAGS_COUNT		(HV_EVENT_FLAGS_BYTE_COUNT * 8)

struct hv_input_signal_event_direct {
	u64 target_partition;
	u32 target_vp;
	u8 target_vtl;
	u8 target_sint;
	u16 flag_number;
} __packed;

struct hv_output_signal_event_direct {
	u8 newly_signaled;
	u8 reserved[7];
} __packed;

struct hv_input_post_message_direct {
	u64 partition_id;
	u32 vp_index;
	u8 vtl;
	u8 padding[3];
	u32 sint_index;
	u8 message[HV_MESSAGE_SIZE];
	u32 padding2;
} __packed;

/* ------------------------------------------------------------------ */
/* Ports, connections and the SynIC event ring (doorbells).           */
/* ------------------------------------------------------------------ */

/*
 * Port and connection ids (union hv_port_id / hv_connection_id): a 24-bit
 * id in bits 23:0, bits 31:24 reserved (zero).  The event ring uses 0 as
 * "empty slot", so 0 is never a valid port id.
 */
#define HV_PORT_ID_MASK			GENMASK(23, 0)
#define HV_CONNECTION_ID_MASK		GENMASK(23, 0)

/* Port types (enum hv_port_type). */
#define HV_PORT_TYPE_MESSAGE		1
#define HV_PORT_TYPE_EVENT		2
#define HV_PORT_TYPE_MONITOR		3
#define HV_PORT_TYPE_DOORBELL		4	/* root partition only */

/*
 * Doorbell connection flags: the access size a guest write must have
 * (ANY: every size) and, unless TRIGGER_ANY_VALUE, the value it must
 * write (trigger_value).
 */
#define HV_DOORBELL_FLAG_TRIGGER_SIZE_MASK	GENMASK_ULL(2, 0)
#define HV_DOORBELL_FLAG_TRIGGER_SIZE_ANY	0
#define HV_DOORBELL_FLAG_TRIGGER_SIZE_BYTE	1
#define HV_DOORBELL_FLAG_TRIGGER_SIZE_WORD	2
#define HV_DOORBELL_FLAG_TRIGGER_SIZE_DWORD	3
#define HV_DOORBELL_FLAG_TRIGGER_SIZE_QWORD	4
#define HV_DOORBELL_FLAG_TRIGGER_ANY_VALUE	BIT_ULL(31)

/*
 * struct hv_port_info: what a port delivers to its owner.  Only the
 * doorbell form is spelled out; the message and event forms share the
 * target_sint/target_vp prefix, the monitor form is a GPA.
 */
struct hv_port_info {
	u32 port_type;
	u32 padding;
	union {
		struct {
			u32 target_sint;
			u32 target_vp;		/* or HV_ANY_VP */
			u64 rsvdz;
		} __packed doorbell;
		u64 as_u64[2];
	};
} __packed;

/* struct hv_connection_info: how the connecting partition triggers it. */
struct hv_connection_info {
	u32 port_type;
	u32 padding;
	union {
		struct {
			u64 gpa;
			u64 trigger_value;
			u64 flags;		/* HV_DOORBELL_FLAG_* */
		} __packed doorbell;
		u64 as_u64[3];
	};
} __packed;

/* HVCALL_CREATE_PORT: a port owned by port_partition_id. */
struct hv_input_create_port {
	u64 port_partition_id;
	u32 port_id;
	u8 port_vtl;
	u8 min_connection_vtl;
	u16 padding;
	u64 connection_partition_id;
	struct hv_port_info port_info;
	struct hv_proximity_domain_info proximity_domain_info;
} __packed;

/* HVCALL_CONNECT_PORT: a connection of connection_partition_id to a port. */
struct hv_input_connect_port {
	u64 connection_partition_id;
	u32 connection_id;
	u8 connection_vtl;
	u8 rsvdz0;
	u16 rsvdz1;
	u64 port_partition_id;
	u32 port_id;
	u32 reserved2;
	struct hv_connection_info connection_info;
	struct hv_proximity_domain_info proximity_domain_info;
} __packed;

/* HVCALL_DELETE_PORT (fast, 16 bytes). */
struct hv_input_delete_port {
	u64 port_partition_id;
	u32 port_id;
	u32 reserved;
} __packed;

/* HVCALL_DISCONNECT_PORT (fast, 16 bytes). */
#define HV_DISCONNECT_PORT_IS_DOORBELL	BIT(0)

struct hv_input_disconnect_port {
	u64 connection_partition_id;
	u32 connection_id;
	u32 flags;		/* HV_DISCONNECT_PORT_IS_DOORBELL, rest zero */
} __packed;

/* HVCALL_NOTIFY_PORT_RING_EMPTY (fast, 8 bytes). */
struct hv_input_notify_port_ring_empty {
	u32 sint_index;
	u32 reserved;
} __packed;

/*
 * The SIRBP page: one event ring per SINT.  The hypervisor writes port
 * ids into data[] at its own head and sets ring_full when the slot at its
 * head is still in use; the consumer keeps its own tail, zeroes each slot
 * it takes, sets signal_masked while it drains (no notification needed)
 * and calls NOTIFY_PORT_RING_EMPTY after emptying a ring marked full.
 */
#define HV_SYNIC_EVENT_RING_MESSAGE_COUNT	63

struct hv_synic_event_ring {
	u8 signal_masked;
	u8 ring_full;
	u16 reserved_z;
	u32 data[HV_SYNIC_EVENT_RING_MESSAGE_COUNT];
} __packed;

struct hv_synic_event_ring_page {
	struct hv_synic_event_ring sint_event_ring[HV_SYNIC_SINT_COUNT];
} __packed;

/* ------------------------------------------------------------------ */
/* Layout checks.                                                     */
/* ------------------------------------------------------------------ */

static_assert(sizeof(struct hv_message) == HV_MESSAGE_SIZE);
static_assert(sizeof(struct hv_register_assoc) == 32);
static_assert(sizeof(struct hv_input_create_partition) == 56);
static_assert(sizeof(struct hv_input_create_vp) == 40);
static_assert(sizeof(struct hv_input_dispatch_vp) == 32);
static_assert(sizeof(struct hv_vp_state_data) == 24);
static_assert(sizeof(struct hv_input_get_vp_state) == 40);
static_assert(sizeof(struct hv_input_set_vp_state) == 40);
static_assert(sizeof(struct hv_stimer_state) == 40);
static_assert(sizeof(struct hv_synthetic_timers_state) == 200);
static_assert(sizeof(struct hv_x64_intercept_message_header) == 40);
static_assert(sizeof(struct hv_x64_io_port_intercept_message) == 128);
static_assert(sizeof(struct hv_x64_memory_intercept_message) == 80);
static_assert(sizeof(struct hv_vp_signal_bitset_scheduler_message) ==
	      HV_MESSAGE_PAYLOAD_BYTE_COUNT);
static_assert(sizeof(struct hv_vp_signal_pair_scheduler_message) ==
	      HV_MESSAGE_PAYLOAD_BYTE_COUNT);
static_assert(offsetof(struct hv_vp_register_page, rip) == 136);
static_assert(offsetof(struct hv_vp_register_page, xmm_registers) == 160);
static_assert(offsetof(struct hv_vp_register_page, segment_registers) == 256);
static_assert(offsetof(struct hv_vp_register_page, cr0) == 352);
static_assert(offsetof(struct hv_vp_register_page, interrupt_vector_count) == 688);

static_assert(sizeof(struct hv_partition_property_vmm_capabilities) == 16);
static_assert(offsetof(struct hv_partition_property_assignable_synthetic_proc_features,
		       banks) == 8);
static_assert(sizeof(struct hv_local_interrupt_controller_state) == 176);
static_assert(sizeof(struct hv_input_assert_virtual_interrupt) == 32);
static_assert(sizeof(struct hv_x64_apic_eoi_message) == 8);
static_assert(sizeof(struct hv_input_install_intercept) == 24);
static_assert(sizeof(struct hv_register_x64_cpuid_result_parameters) == 44);
static_assert(sizeof(struct hv_input_register_intercept_result) == 60);
static_assert(sizeof(struct hv_input_get_vp_cpuid_values) == 24);
static_assert(sizeof(struct hv_cpuid_leaf_info) == 24);
static_assert(sizeof(struct hv_x64_cpuid_intercept_message) == 104);
static_assert(sizeof(struct hv_x64_msr_intercept_message) == 64);
static_assert(sizeof(struct hv_x64_exception_intercept_message) == 240);
static_assert(sizeof(struct hv_input_translate_virtual_address) == 32);
static_assert(sizeof(struct hv_output_translate_virtual_address) == 16);
static_assert(sizeof(struct hv_input_signal_event_direct) == 16);
static_assert(sizeof(struct hv_input_post_message_direct) == 280);
static_assert(sizeof(struct hv_port_info) == 24);
static_assert(sizeof(struct hv_connection_info) == 32);
static_assert(sizeof(struct hv_input_create_port) == 56);
static_assert(offsetof(struct hv_input_create_port, port_info) == 24);
static_assert(sizeof(struct hv_input_connect_port) == 72);
static_assert(offsetof(struct hv_input_connect_port, connection_info) == 32);
static_assert(sizeof(struct hv_input_delete_port) == 16);
static_assert(sizeof(struct hv_input_disconnect_port) == 16);
static_assert(sizeof(struct hv_input_notify_port_ring_empty) == 8);
static_assert(sizeof(struct hv_synic_event_ring) == 256);
static_assert(sizeof(struct hv_synic_event_ring_page) == HV_HYP_PAGE_SIZE);

#endif /* _HYPERV_HVHDK_H */
