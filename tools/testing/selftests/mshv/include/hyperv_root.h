/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Microsoft Hypervisor ABI as the mshv selftests, benchmarks and
 * mshv-run see it, part 2: the root partition's interfaces (partition
 * creation and properties, memory, VPs and their state, intercepts,
 * interrupts, ports), in uAPI types.  Names and values as in the kernel's
 * include/hyperv/hvhdk.h (upstream Linux include/hyperv/hvhdk*.h);
 * checked by tools/mshv/scripts/check-hv-userspace.sh.
 */
#ifndef SELFTEST_MSHV_HYPERV_ROOT_H
#define SELFTEST_MSHV_HYPERV_ROOT_H

#include "hyperv.h"

/*
 * Partition property codes (enum hv_partition_property_code).  Every code
 * and its source are listed in tools/mshv/abi/hv-constants.tsv.
 */
#define HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS			0x00010000
#define HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES		0x00010001
#define HV_PARTITION_PROPERTY_TIME_FREEZE			0x00030003
#define HV_PARTITION_PROPERTY_REFERENCE_TIME			0x00030005
#define HV_PARTITION_PROPERTY_GPA_PAGE_ACCESS_TRACKING		0x00050005
#define HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION		0x00050017
#define HV_PARTITION_PROPERTY_PROCESSOR_XSAVE_FEATURES		0x00060002
#define HV_PARTITION_PROPERTY_XSAVE_STATES			0x00060007
#define HV_PARTITION_PROPERTY_MAX_XSAVE_DATA_SIZE		0x00060008
#define HV_PARTITION_PROPERTY_PROCESSOR_CLOCK_FREQUENCY		0x00060009
#define HV_PARTITION_PROPERTY_VMM_CAPABILITIES			0x00090007

/* GET_PARTITION_PROPERTY_EX only; the output is a bank set (see below). */
#define HV_PARTITION_PROPERTY_ASSIGNABLE_SYNTHETIC_PROC_FEATURES 0x00090009
#define HV_PARTITION_PROPERTY_PHYSICAL_ADDRESS_WIDTH		0x00060006
#define HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0		0x0006000a
#define HV_PARTITION_PROPERTY_PROCESSOR_FEATURES1		0x0006000b
#define HV_UNIMPLEMENTED_MSR_ACTION_IGNORE_WRITE_READ_ZERO 1
#define HV_VMM_CAP_ASSIGNABLE_SYNTHETIC_PROC_FEATURES	BIT_ULL(4)

/* Output of GET_PARTITION_PROPERTY_EX(VMM_CAPABILITIES). */
struct hv_partition_property_vmm_capabilities {
	__u16 bank_count;
	__u16 reserved[3];
	__u64 bank0;	/* HV_VMM_CAP_* */
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
#define HV_PARTITION_SYNTHETIC_PROCESSOR_FEATURES_BANKS	1

/*
 * Output of GET_PARTITION_PROPERTY_EX(ASSIGNABLE_SYNTHETIC_PROC_FEATURES):
 * like the VMM capabilities, a __u16 bank count and three reserved __u16
 * come first; bank 0 (union hv_partition_synthetic_processor_features)
 * is at byte offset 8.
 */
struct hv_partition_property_assignable_synthetic_proc_features {
	__u16 bank_count;
	__u16 reserved[3];
	__u64 banks[HV_PARTITION_SYNTHETIC_PROCESSOR_FEATURES_BANKS];
} __packed;

struct hv_input_get_partition_property {
	__u64 partition_id;
	__u32 property_code;
	__u32 padding;
} __packed;

struct hv_output_get_partition_property {
	__u64 property_value;
} __packed;

struct hv_input_set_partition_property {
	__u64 partition_id;
	__u32 property_code;
	__u32 padding;
	__u64 property_value;
} __packed;

struct hv_input_get_partition_property_ex {
	__u64 partition_id;
	__u32 property_code;
	__u32 padding;
	__u64 arg;
} __packed;

/*
 * Pages in the largest physically contiguous allocation the hypervisor
 * makes: a deposit of that many contiguous pages always satisfies
 * HV_STATUS_INSUFFICIENT_CONTIGUOUS_[ROOT_]MEMORY.
 */
#define HV_MAX_CONTIGUOUS_ALLOCATION_PAGES	8
#define HV_GPA_PAGE_ACCESS_STATE_CLEAR_DIRTY	BIT_ULL(2)
#define HV_GPA_PAGE_ACCESS_STATE_SET_DIRTY	BIT_ULL(3)

struct hv_input_get_gpa_pages_access_state {
	__u64 partition_id;
	__u64 flags;
	__u64 hv_gpa_page_number;
} __packed;

/* One output byte per page: union hv_gpa_page_access_state. */
#define HV_GPA_PAGE_ACCESS_ACCESSED	BIT(0)
#define HV_GPA_PAGE_ACCESS_DIRTY	BIT(1)

struct hv_input_get_vp_registers {
	__u64 partition_id;
	__u32 vp_index;
	union hv_input_vtl input_vtl;
	__u8 rsvd_z8;
	__u16 rsvd_z16;
	__u32 names[];
} __packed;

struct hv_input_set_vp_registers {
	__u64 partition_id;
	__u32 vp_index;
	union hv_input_vtl input_vtl;
	__u8 rsvd_z8;
	__u16 rsvd_z16;
	struct hv_register_assoc elements[];
} __packed;
#define HV_SYNIC_STIMER_COUNT		4

struct hv_stimer_state {
	__u32 flags;		/* HV_STIMER_STATE_* */
	__u32 reserved;
	__u64 config;
	__u64 count;
	__u64 adjustment;
	__u64 undelivered_exp_time;
} __packed;

struct hv_synthetic_timers_state {
	struct hv_stimer_state timers[HV_SYNIC_STIMER_COUNT];
	__u64 reserved[5];
} __packed;
#define HV_X64_EXEC_STATE_CR0_PE		BIT(2)
#define HV_X64_EXEC_STATE_EFER_LMA		BIT(4)
#define HV_INTERCEPT_ACCESS_READ	0
#define HV_INTERCEPT_ACCESS_WRITE	1
#define HV_INTERCEPT_ACCESS_EXECUTE	2

struct hv_x64_intercept_message_header {
	__u32 vp_index;
	__u8 instruction_length_cr8;	/* instruction_length:4, cr8:4 */
	__u8 intercept_access_type;
	__u16 execution_state;
	struct hv_x64_segment_register cs_segment;
	__u64 rip;
	__u64 rflags;
} __packed;

/* access_info of an IO port intercept */
#define HV_X64_IO_PORT_ACCESS_SIZE_MASK		0x7UL
#define HV_X64_IO_PORT_ACCESS_STRING_OP		BIT(3)

struct hv_x64_io_port_intercept_message {
	struct hv_x64_intercept_message_header header;
	__u16 port_number;
	__u8 access_info;
	__u8 instruction_byte_count;
	__u32 reserved;
	__u64 rax;
	__u8 instruction_bytes[16];
	struct hv_x64_segment_register ds_segment;
	struct hv_x64_segment_register es_segment;
	__u64 rcx;
	__u64 rsi;
	__u64 rdi;
} __packed;

/* memory_access_info of a memory intercept */
#define HV_X64_MEMORY_ACCESS_GVA_VALID		BIT(0)

struct hv_x64_memory_intercept_message {
	struct hv_x64_intercept_message_header header;
	__u32 cache_type;
	__u8 instruction_byte_count;
	__u8 memory_access_info;
	__u8 tpr_priority;
	__u8 reserved1;
	__u64 guest_virtual_address;
	__u64 guest_physical_address;
	__u8 instruction_bytes[16];
} __packed;

struct hv_x64_halt_message {
	struct hv_x64_intercept_message_header header;
} __packed;

/* Bits of hv_vp_register_page.dirty */
#define HV_X64_REGISTER_CLASS_GENERAL	0
#define HV_X64_REGISTER_CLASS_IP	1
#define HV_X64_REGISTER_CLASS_XMM	2
#define HV_VP_REGISTER_PAGE_VERSION_1		1u
#define HV_VP_REGISTER_PAGE_MAX_VECTOR_COUNT	7

struct hv_vp_register_page {
	__u16 version;
	__u8 isvalid;
	__u8 rsvdz;
	__u32 dirty;
	__u64 gp_registers[16];	/* rax rcx rdx rbx rsp rbp rsi rdi r8..r15 */
	__u64 rip;
	__u64 rflags;
	__u8 reserved[8];
	struct hv_u128 xmm_registers[6];
	struct hv_x64_segment_register segment_registers[6]; /* es cs ss ds fs gs */
	/* Read-only for the VMM. */
	__u64 cr0;
	__u64 cr3;
	__u64 cr4;
	__u64 cr8;
	__u64 efer;
	__u64 dr7;
	__u64 pending_interruption;
	__u64 interrupt_state;
	__u64 instruction_emulation_hints;
	__u64 xfem;
	__u8 reserved1[0x100];
	/* Vectors injected by the next HVCALL_DISPATCH_VP: count, then vectors. */
	__u8 interrupt_vector_count;
	__u8 interrupt_vectors[HV_VP_REGISTER_PAGE_MAX_VECTOR_COUNT];
} __packed;
#define HV_X64_INTERRUPT_TYPE_FIXED		0x0000
#define HV_X64_INTERRUPT_TYPE_SMI		0x0002
#define HV_X64_INTERRUPT_TYPE_NMI		0x0004
#define HV_X64_INTERRUPT_TYPE_INIT		0x0005
#define HV_X64_INTERRUPT_TYPE_SIPI		0x0006
#define HV_X64_INTERRUPT_TYPE_EXTINT		0x0007
#define HV_X64_INTERRUPT_TYPE_LOCALINT0		0x0008

union hv_interrupt_control {
	__u64 as_uint64;
	struct {
		__u32 interrupt_type;	/* HV_X64_INTERRUPT_TYPE_* */
		__u32 flags;		/* HV_INTERRUPT_CONTROL_* */
	} __packed;
};

/* HVCALL_ASSERT_VIRTUAL_INTERRUPT; dest_addr is an APIC id (or mask). */
struct hv_input_assert_virtual_interrupt {
	__u64 partition_id;
	union hv_interrupt_control control;
	__u64 dest_addr;
	__u32 vector;
	__u8 target_vtl;
	__u8 rsvd_z0;
	__u16 rsvd_z1;
} __packed;

struct hv_local_interrupt_controller_state {
	__u32 apic_id;
	__u32 apic_version;
	__u32 apic_ldr;
	__u32 apic_dfr;
	__u32 apic_spurious;
	__u32 apic_isr[8];
	__u32 apic_tmr[8];
	__u32 apic_irr[8];
	__u32 apic_esr;
	__u32 apic_icr_high;
	__u32 apic_icr_low;
	__u32 apic_lvt_timer;
	__u32 apic_lvt_thermal;
	__u32 apic_lvt_perfmon;
	__u32 apic_lvt_lint0;
	__u32 apic_lvt_lint1;
	__u32 apic_lvt_error;
	__u32 apic_lvt_cmci;
	__u32 apic_error_status;
	__u32 apic_initial_count;
	__u32 apic_counter_value;
	__u32 apic_divide_configuration;
	__u32 apic_remote_read;
} __packed;
#define HV_INTERCEPT_ACCESS_MASK_READ		0x01
#define HV_INTERCEPT_ACCESS_MASK_WRITE		0x02
#define HV_INTERCEPT_ACCESS_MASK_EXECUTE	0x04

/*
 * intercept_parameter by type: IO_PORT __u16 port, CPUID __u32 leaf,
 * EXCEPTION __u16 vector, MSR_INDEX __u32 msr, APIC_WRITE __u32 mask; the
 * other types take none (MBZ).
 */
struct hv_input_install_intercept {
	__u64 partition_id;
	__u32 access_type;	/* HV_INTERCEPT_ACCESS_MASK_* */
	__u32 intercept_type;	/* HV_INTERCEPT_TYPE_* */
	__u64 intercept_parameter;
} __packed;

struct hv_register_x64_cpuid_result_parameters {
	struct {
		__u32 eax;
		__u32 ecx;
		__u8 subleaf_specific;
		__u8 always_override;
		__u16 padding;
	} __packed input;
	struct {
		__u32 eax;
		__u32 eax_mask;
		__u32 ebx;
		__u32 ebx_mask;
		__u32 ecx;
		__u32 ecx_mask;
		__u32 edx;
		__u32 edx_mask;
	} __packed result;
} __packed;

struct hv_register_x64_msr_result_parameters {
	__u32 msr_index;
	__u32 access_type;	/* HV_INTERCEPT_ACCESS_MASK_* */
	__u32 action;		/* HV_UNIMPLEMENTED_MSR_ACTION_* */
} __packed;

struct hv_input_register_intercept_result {
	__u64 partition_id;
	__u32 vp_index;		/* or HV_ANY_VP */
	__u32 intercept_type;	/* X64_CPUID or X64_MSR */
	union {
		struct hv_register_x64_cpuid_result_parameters cpuid;
		struct hv_register_x64_msr_result_parameters msr;
	} parameters;
} __packed;
#define HV_GET_VP_CPUID_VALUES_APPLY_REGISTERED_VALUES	BIT(1)

struct hv_cpuid_leaf_info {
	__u32 eax;
	__u32 ecx;
	__u64 xfem;
	__u64 xss;
} __packed;

struct hv_input_get_vp_cpuid_values {
	__u64 partition_id;
	__u32 vp_index;
	__u32 flags;		/* HV_GET_VP_CPUID_VALUES_* */
	__u32 reserved;
	__u32 padding;
	struct hv_cpuid_leaf_info cpuid_leaf_info[];
} __packed;

struct hv_output_get_vp_cpuid_values {
	__u32 eax;
	__u32 ebx;
	__u32 ecx;
	__u32 edx;
} __packed;

/* Payloads of HVMSG_X64_CPUID_INTERCEPT and HVMSG_X64_MSR_INTERCEPT. */
struct hv_x64_cpuid_intercept_message {
	struct hv_x64_intercept_message_header header;
	__u64 rax;
	__u64 rcx;
	__u64 rdx;
	__u64 rbx;
	__u64 default_result_rax;
	__u64 default_result_rcx;
	__u64 default_result_rdx;
	__u64 default_result_rbx;
} __packed;

struct hv_x64_msr_intercept_message {
	struct hv_x64_intercept_message_header header;
	__u32 msr_number;
	__u32 reserved;
	__u64 rdx;
	__u64 rax;
} __packed;

/* HVMSG_X64_EXCEPTION_INTERCEPT */
#define HV_X64_EXCEPTION_INFO_ERROR_CODE_VALID	BIT(0)

struct hv_x64_exception_intercept_message {
	struct hv_x64_intercept_message_header header;
	__u16 exception_vector;
	__u8 exception_info;	/* HV_X64_EXCEPTION_INFO_* */
	__u8 instruction_byte_count;
	__u32 error_code;
	__u64 exception_parameter;	/* CR2 for #PF */
	__u64 reserved;
	__u8 instruction_bytes[16];
	struct hv_x64_segment_register ds_segment;
	struct hv_x64_segment_register ss_segment;
	__u64 rax;
	__u64 rcx;
	__u64 rdx;
	__u64 rbx;
	__u64 rsp;
	__u64 rbp;
	__u64 rsi;
	__u64 rdi;
	__u64 r8;
	__u64 r9;
	__u64 r10;
	__u64 r11;
	__u64 r12;
	__u64 r13;
	__u64 r14;
	__u64 r15;
} __packed;
#define HV_TRANSLATE_GVA_VALIDATE_READ		0x0001
#define HV_TRANSLATE_GVA_VALIDATE_WRITE		0x0002
#define HV_TRANSLATE_GVA_VALIDATE_EXECUTE	0x0004
#define HV_TRANSLATE_GVA_PRIVILEGE_EXEMPT	0x0008
#define HV_TRANSLATE_GVA_SET_PAGE_TABLE_BITS	0x0010
#define HV_TRANSLATE_GVA_SUPERVISOR_ACCESS	0x0040
#define HV_TRANSLATE_GVA_USER_ACCESS		0x0080
#define HV_TRANSLATE_GVA_SUCCESS			0
#define HV_TRANSLATE_GVA_PAGE_NOT_PRESENT		1
#define HV_TRANSLATE_GVA_PRIVILEGE_VIOLATION		2
#define HV_TRANSLATE_GVA_GPA_UNMAPPED			4
#define HV_TRANSLATE_GVA_GPA_NO_WRITE_ACCESS		6
#define HV_CACHE_TYPE_WRITE_BACK	6

struct hv_input_translate_virtual_address {
	__u64 partition_id;
	__u32 vp_index;
	__u32 padding;
	__u64 control_flags;	/* HV_TRANSLATE_GVA_* */
	__u64 gva_page;
} __packed;

struct hv_output_translate_virtual_address {
	__u32 result_code;	/* HV_TRANSLATE_GVA_SUCCESS.. */
	__u32 cache_type_overlay;	/* cache_type:8, overlay_page:1 */
	__u64 gpa_page;
} __packed;

struct hv_input_signal_event_direct {
	__u64 target_partition;
	__u32 target_vp;
	__u8 target_vtl;
	__u8 target_sint;
	__u16 flag_number;
} __packed;

struct hv_output_signal_event_direct {
	__u8 newly_signaled;
	__u8 reserved[7];
} __packed;

struct hv_input_post_message_direct {
	__u64 partition_id;
	__u32 vp_index;
	__u8 vtl;
	__u8 padding[3];
	__u32 sint_index;
	__u8 message[HV_MESSAGE_SIZE];
	__u32 padding2;
} __packed;

#endif /* SELFTEST_MSHV_HYPERV_ROOT_H */
