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

/* Partition property codes (enum hv_partition_property_code). */
#define HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS			0x00010000
#define HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES		0x00010001
#define HV_PARTITION_PROPERTY_SCHEDULING_WEIGHT			0x00020000
#define HV_PARTITION_PROPERTY_INTEGRATED_SCHEDULER_ENABLED	0x00020005
#define HV_PARTITION_PROPERTY_GPA_PAGE_ACCESS_TRACKING		0x00050005
#define HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION		0x00050017
#define HV_PARTITION_PROPERTY_PROCESSOR_VENDOR			0x00060000
#define HV_PARTITION_PROPERTY_PROCESSOR_XSAVE_FEATURES		0x00060002
#define HV_PARTITION_PROPERTY_PROCESSOR_CL_FLUSH_SIZE		0x00060003
#define HV_PARTITION_PROPERTY_XSAVE_STATES			0x00060007
#define HV_PARTITION_PROPERTY_MAX_XSAVE_DATA_SIZE		0x00060008
#define HV_PARTITION_PROPERTY_PROCESSOR_CLOCK_FREQUENCY		0x00060009
#define HV_PARTITION_PROPERTY_VMM_CAPABILITIES			0x00090007

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
/* Layout checks.                                                     */
/* ------------------------------------------------------------------ */

static_assert(sizeof(struct hv_message) == HV_MESSAGE_SIZE);
static_assert(sizeof(struct hv_register_assoc) == 32);
static_assert(sizeof(struct hv_input_create_partition) == 56);
static_assert(sizeof(struct hv_input_create_vp) == 40);
static_assert(sizeof(struct hv_input_dispatch_vp) == 32);
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

#endif /* _HYPERV_HVHDK_H */
