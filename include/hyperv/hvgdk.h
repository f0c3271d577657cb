/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Microsoft Hypervisor ABI, part 1: what every partition sees.
 *
 * Hypercall control word and result, status codes, call codes, register
 * names, SynIC messages.  Numbers and layouts follow the Hypervisor Top
 * Level Functional Specification (TLFS) and the upstream Linux headers;
 * the text is this project's.
 *
 * This header is self-contained on purpose: the Debian 6.12 target kernel
 * has no include/hyperv/, and its asm/hyperv-tlfs.h defines some of the
 * same names, so a file must include either this header or
 * <asm/mshyperv.h>, never both.
 */
#ifndef _HYPERV_HVGDK_H
#define _HYPERV_HVGDK_H

#include <linux/types.h>
#include <linux/bits.h>

#define HV_HYP_PAGE_SHIFT		12
#define HV_HYP_PAGE_SIZE		BIT(HV_HYP_PAGE_SHIFT)
#define HV_HYP_LARGE_PAGE_SHIFT		21
#define HV_HYP_PAGES_PER_LARGE_PAGE	512

#define HV_PARTITION_ID_INVALID		((u64)0)
#define HV_PARTITION_ID_SELF		((u64)-1)
#define HV_VP_INDEX_SELF		((u32)-2)
#define HV_ANY_VP			((u32)-1)

/* ------------------------------------------------------------------ */
/* Hypercall control word (input in RCX) and result value (RAX).      */
/* ------------------------------------------------------------------ */

#define HV_HYPERCALL_CODE_MASK		GENMASK_ULL(15, 0)
#define HV_HYPERCALL_FAST_BIT		BIT_ULL(16)
#define HV_HYPERCALL_VARHEAD_OFFSET	17
#define HV_HYPERCALL_VARHEAD_MASK	GENMASK_ULL(26, 17)
#define HV_HYPERCALL_RSVD0_MASK		GENMASK_ULL(31, 27)
#define HV_HYPERCALL_REP_COMP_OFFSET	32
#define HV_HYPERCALL_REP_COMP_MASK	GENMASK_ULL(43, 32)
#define HV_HYPERCALL_RSVD1_MASK		GENMASK_ULL(47, 44)
#define HV_HYPERCALL_REP_START_OFFSET	48
#define HV_HYPERCALL_REP_START_MASK	GENMASK_ULL(59, 48)
#define HV_HYPERCALL_RSVD2_MASK		GENMASK_ULL(63, 60)
#define HV_HYPERCALL_RSVD_MASK		(HV_HYPERCALL_RSVD0_MASK | \
					 HV_HYPERCALL_RSVD1_MASK | \
					 HV_HYPERCALL_RSVD2_MASK)
/* Largest rep count / rep index the 12-bit fields can carry. */
#define HV_HYPERCALL_REP_MAX		0xfff

/* Result: status in bits 15:0, reps completed in bits 43:32. */
#define HV_HYPERCALL_RESULT_MASK	GENMASK_ULL(15, 0)

/* Returned by a platform that has no hypercall page at all. */
#define HV_HYPERCALL_NO_HYPERVISOR	U64_MAX

/* ------------------------------------------------------------------ */
/* Status codes.                                                      */
/* ------------------------------------------------------------------ */

#define HV_STATUS_SUCCESS				0x0
#define HV_STATUS_INVALID_HYPERCALL_CODE		0x2
#define HV_STATUS_INVALID_HYPERCALL_INPUT		0x3
#define HV_STATUS_INVALID_ALIGNMENT			0x4
#define HV_STATUS_INVALID_PARAMETER			0x5
#define HV_STATUS_ACCESS_DENIED				0x6
#define HV_STATUS_INVALID_PARTITION_STATE		0x7
#define HV_STATUS_OPERATION_DENIED			0x8
#define HV_STATUS_UNKNOWN_PROPERTY			0x9
#define HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE		0xA
#define HV_STATUS_INSUFFICIENT_MEMORY			0xB
#define HV_STATUS_INVALID_PARTITION_ID			0xD
#define HV_STATUS_INVALID_VP_INDEX			0xE
#define HV_STATUS_NOT_FOUND				0x10
#define HV_STATUS_INVALID_PORT_ID			0x11
#define HV_STATUS_INVALID_CONNECTION_ID			0x12
#define HV_STATUS_INSUFFICIENT_BUFFERS			0x13
#define HV_STATUS_NOT_ACKNOWLEDGED			0x14
#define HV_STATUS_INVALID_VP_STATE			0x15
#define HV_STATUS_NO_RESOURCES				0x1D
#define HV_STATUS_PROCESSOR_FEATURE_NOT_SUPPORTED	0x20
#define HV_STATUS_INVALID_LP_INDEX			0x41
#define HV_STATUS_INVALID_REGISTER_VALUE		0x50
#define HV_STATUS_OPERATION_FAILED			0x71
#define HV_STATUS_INSUFFICIENT_ROOT_MEMORY		0x73
#define HV_STATUS_INSUFFICIENT_CONTIGUOUS_MEMORY	0x75
#define HV_STATUS_TIME_OUT				0x78
#define HV_STATUS_CALL_PENDING				0x79
#define HV_STATUS_INSUFFICIENT_CONTIGUOUS_ROOT_MEMORY	0x83
#define HV_STATUS_VTL_ALREADY_ENABLED			0x86

/* ------------------------------------------------------------------ */
/* Call codes.                                                        */
/* ------------------------------------------------------------------ */

#define HVCALL_CREATE_PARTITION				0x0040
#define HVCALL_INITIALIZE_PARTITION			0x0041
#define HVCALL_FINALIZE_PARTITION			0x0042
#define HVCALL_DELETE_PARTITION				0x0043
#define HVCALL_GET_PARTITION_PROPERTY			0x0044
#define HVCALL_SET_PARTITION_PROPERTY			0x0045
#define HVCALL_GET_PARTITION_ID				0x0046
#define HVCALL_DEPOSIT_MEMORY				0x0048
#define HVCALL_WITHDRAW_MEMORY				0x0049
#define HVCALL_MAP_GPA_PAGES				0x004b
#define HVCALL_UNMAP_GPA_PAGES				0x004c
#define HVCALL_INSTALL_INTERCEPT			0x004d
#define HVCALL_CREATE_VP				0x004e
#define HVCALL_DELETE_VP				0x004f
#define HVCALL_GET_VP_REGISTERS				0x0050
#define HVCALL_SET_VP_REGISTERS				0x0051
#define HVCALL_TRANSLATE_VIRTUAL_ADDRESS		0x0052
#define HVCALL_READ_GPA					0x0053
#define HVCALL_WRITE_GPA				0x0054
#define HVCALL_CLEAR_VIRTUAL_INTERRUPT			0x0056
#define HVCALL_DELETE_PORT				0x0058
#define HVCALL_DISCONNECT_PORT				0x005b
#define HVCALL_POST_MESSAGE				0x005c
#define HVCALL_SIGNAL_EVENT				0x005d
#define HVCALL_MAP_STATS_PAGE				0x006c
#define HVCALL_UNMAP_STATS_PAGE				0x006d
#define HVCALL_GET_SYSTEM_PROPERTY			0x007b
#define HVCALL_NOTIFY_PORT_RING_EMPTY			0x008b
#define HVCALL_REGISTER_INTERCEPT_RESULT		0x0091
#define HVCALL_ASSERT_VIRTUAL_INTERRUPT			0x0094
#define HVCALL_CREATE_PORT				0x0095
#define HVCALL_CONNECT_PORT				0x0096
#define HVCALL_SIGNAL_EVENT_DIRECT			0x00c0
#define HVCALL_POST_MESSAGE_DIRECT			0x00c1
#define HVCALL_DISPATCH_VP				0x00c2
#define HVCALL_GET_GPA_PAGES_ACCESS_STATES		0x00c9
#define HVCALL_MAP_VP_STATE_PAGE			0x00e1
#define HVCALL_UNMAP_VP_STATE_PAGE			0x00e2
#define HVCALL_GET_VP_STATE				0x00e3
#define HVCALL_SET_VP_STATE				0x00e4
#define HVCALL_GET_VP_CPUID_VALUES			0x00f4
#define HVCALL_GET_PARTITION_PROPERTY_EX		0x0101

/* ------------------------------------------------------------------ */
/* Register values.                                                   */
/* ------------------------------------------------------------------ */

struct hv_u128 {
	u64 low_part;
	u64 high_part;
} __packed;

struct hv_x64_segment_register {
	u64 base;
	u32 limit;
	u16 selector;
	u16 attributes;	/* type:4 s:1 dpl:2 p:1 rsvd:4 avl:1 l:1 db:1 g:1 */
} __packed;

struct hv_x64_table_register {
	u16 pad[3];
	u16 limit;
	u64 base;
} __packed;

union hv_register_value {
	struct hv_u128 reg128;
	u64 reg64;
	u32 reg32;
	u16 reg16;
	u8 reg8;
	struct hv_x64_segment_register segment;
	struct hv_x64_table_register table;
};

struct hv_register_assoc {
	u32 name;
	u32 reserved1;
	u64 reserved2;
	union hv_register_value value;
} __packed;

union hv_input_vtl {
	u8 as_uint8;
	struct {
		u8 target_vtl : 4;
		u8 use_target_vtl : 1;
		u8 reserved_z : 3;
	} __packed;
};

/* Register names (enum hv_register_name). */
#define HV_REGISTER_EXPLICIT_SUSPEND		0x00000000
#define HV_REGISTER_INTERCEPT_SUSPEND		0x00000001
#define HV_REGISTER_DISPATCH_SUSPEND		0x00000003
#define HV_REGISTER_HYPERVISOR_VERSION		0x00000100
#define HV_REGISTER_PENDING_INTERRUPTION	0x00010002
#define HV_REGISTER_INTERRUPT_STATE		0x00010003
#define HV_REGISTER_PENDING_EVENT0		0x00010004
#define HV_REGISTER_PENDING_EVENT1		0x00010005
#define HV_X64_REGISTER_DELIVERABILITY_NOTIFICATIONS 0x00010006

#define HV_X64_REGISTER_RAX			0x00020000	/* ..R15 = +15 */
#define HV_X64_REGISTER_RCX			0x00020001
#define HV_X64_REGISTER_RDX			0x00020002
#define HV_X64_REGISTER_RBX			0x00020003
#define HV_X64_REGISTER_RSP			0x00020004
#define HV_X64_REGISTER_RBP			0x00020005
#define HV_X64_REGISTER_RSI			0x00020006
#define HV_X64_REGISTER_RDI			0x00020007
#define HV_X64_REGISTER_R8			0x00020008
#define HV_X64_REGISTER_R15			0x0002000F
#define HV_X64_REGISTER_RIP			0x00020010
#define HV_X64_REGISTER_RFLAGS			0x00020011

#define HV_X64_REGISTER_XMM0			0x00030000	/* ..XMM15 */
#define HV_X64_REGISTER_XMM15			0x0003000F
#define HV_X64_REGISTER_FP_MMX0			0x00030010	/* ..MMX7 */
#define HV_X64_REGISTER_FP_MMX7			0x00030017
#define HV_X64_REGISTER_FP_CONTROL_STATUS	0x00030018
#define HV_X64_REGISTER_XMM_CONTROL_STATUS	0x00030019

#define HV_X64_REGISTER_CR0			0x00040000
#define HV_X64_REGISTER_CR2			0x00040001
#define HV_X64_REGISTER_CR3			0x00040002
#define HV_X64_REGISTER_CR4			0x00040003
#define HV_X64_REGISTER_CR8			0x00040004
#define HV_X64_REGISTER_XFEM			0x00040005

#define HV_X64_REGISTER_DR0			0x00050000
#define HV_X64_REGISTER_DR1			0x00050001
#define HV_X64_REGISTER_DR2			0x00050002
#define HV_X64_REGISTER_DR3			0x00050003
#define HV_X64_REGISTER_DR6			0x00050004
#define HV_X64_REGISTER_DR7			0x00050005

#define HV_X64_REGISTER_ES			0x00060000
#define HV_X64_REGISTER_CS			0x00060001
#define HV_X64_REGISTER_SS			0x00060002
#define HV_X64_REGISTER_DS			0x00060003
#define HV_X64_REGISTER_FS			0x00060004
#define HV_X64_REGISTER_GS			0x00060005
#define HV_X64_REGISTER_LDTR			0x00060006
#define HV_X64_REGISTER_TR			0x00060007

#define HV_X64_REGISTER_IDTR			0x00070000
#define HV_X64_REGISTER_GDTR			0x00070001

#define HV_X64_REGISTER_TSC			0x00080000
#define HV_X64_REGISTER_EFER			0x00080001
#define HV_X64_REGISTER_KERNEL_GS_BASE		0x00080002
#define HV_X64_REGISTER_APIC_BASE		0x00080003
#define HV_X64_REGISTER_PAT			0x00080004
#define HV_X64_REGISTER_SYSENTER_CS		0x00080005
#define HV_X64_REGISTER_SYSENTER_EIP		0x00080006
#define HV_X64_REGISTER_SYSENTER_ESP		0x00080007
#define HV_X64_REGISTER_STAR			0x00080008
#define HV_X64_REGISTER_LSTAR			0x00080009
#define HV_X64_REGISTER_CSTAR			0x0008000A
#define HV_X64_REGISTER_SFMASK			0x0008000B
#define HV_X64_REGISTER_INITIAL_APIC_ID		0x0008000C
#define HV_X64_REGISTER_MSR_MTRR_CAP		0x0008000D
#define HV_X64_REGISTER_MSR_MTRR_DEF_TYPE	0x0008000E
#define HV_X64_REGISTER_MSR_MTRR_PHYS_BASE0	0x00080010	/* ..BASEF */
#define HV_X64_REGISTER_MSR_MTRR_PHYS_MASK0	0x00080040	/* ..MASKF */
#define HV_X64_REGISTER_MSR_MTRR_FIX64K00000	0x00080070	/* ..0x7A */
#define HV_X64_REGISTER_MSR_MTRR_FIX4KF8000	0x0008007A
#define HV_X64_REGISTER_TSC_AUX			0x0008007B
#define HV_X64_REGISTER_SPEC_CTRL		0x00080084
#define HV_X64_REGISTER_TSC_ADJUST		0x00080096

#define HV_REGISTER_GUEST_OS_ID			0x00090002
#define HV_REGISTER_VP_INDEX			0x00090003
#define HV_REGISTER_VP_ROOT_SIGNAL_COUNT	0x00090014
#define HV_X64_REGISTER_HYPERCALL		0x00090001

#define HV_REGISTER_SINT0			0x000A0000	/* ..SINT15 */
#define HV_REGISTER_SINT15			0x000A000F
#define HV_REGISTER_SCONTROL			0x000A0010
#define HV_REGISTER_SVERSION			0x000A0011
#define HV_REGISTER_SIEFP			0x000A0012
#define HV_REGISTER_SIMP			0x000A0013
#define HV_REGISTER_EOM				0x000A0014
#define HV_REGISTER_SIRBP			0x000A0015

#define HV_REGISTER_STIMER0_CONFIG		0x000B0000
#define HV_REGISTER_STIMER0_COUNT		0x000B0001
/* STIMERn_CONFIG = STIMER0_CONFIG + 2n, STIMERn_COUNT = that + 1; n < 4 */
#define HV_REGISTER_STIMER3_COUNT		0x000B0007

/* ------------------------------------------------------------------ */
/* SynIC.                                                             */
/* ------------------------------------------------------------------ */

#define HV_SYNIC_SINT_COUNT			16
#define HV_SYNIC_INTERCEPTION_SINT_INDEX	0
#define HV_SYNIC_DOORBELL_SINT_INDEX		5

#define HV_SYNIC_SINT_VECTOR_MASK		0xFFULL
#define HV_SYNIC_SINT_MASKED			BIT_ULL(16)
#define HV_SYNIC_SINT_AUTO_EOI			BIT_ULL(17)
#define HV_SYNIC_SINT_POLLING			BIT_ULL(18)
#define HV_SYNIC_SINT_AS_INTERCEPT		BIT_ULL(19)

#define HV_MESSAGE_SIZE				256
#define HV_MESSAGE_PAYLOAD_BYTE_COUNT		240
#define HV_MESSAGE_PAYLOAD_QWORD_COUNT		30

/* Message types (enum hv_message_type). */
#define HVMSG_NONE				0x00000000
#define HVMSG_UNMAPPED_GPA			0x80000000
#define HVMSG_GPA_INTERCEPT			0x80000001
#define HVMSG_TIMER_EXPIRED			0x80000010
#define HVMSG_INVALID_VP_REGISTER_VALUE		0x80000020
#define HVMSG_UNRECOVERABLE_EXCEPTION		0x80000021
#define HVMSG_UNSUPPORTED_FEATURE		0x80000022
#define HVMSG_OPAQUE_INTERCEPT			0x8000003F
#define HVMSG_HYPERCALL_INTERCEPT		0x80000050
#define HVMSG_SYNIC_EVENT_INTERCEPT		0x80000060
#define HVMSG_SYNIC_SINT_INTERCEPT		0x80000061
#define HVMSG_SYNIC_SINT_DELIVERABLE		0x80000062
#define HVMSG_ASYNC_CALL_COMPLETION		0x80000070
#define HVMSG_SCHEDULER_VP_SIGNAL_BITSET	0x80000100
#define HVMSG_SCHEDULER_VP_SIGNAL_PAIR		0x80000101
#define HVMSG_X64_IO_PORT_INTERCEPT		0x80010000
#define HVMSG_X64_MSR_INTERCEPT			0x80010001
#define HVMSG_X64_CPUID_INTERCEPT		0x80010002
#define HVMSG_X64_EXCEPTION_INTERCEPT		0x80010003
#define HVMSG_X64_APIC_EOI			0x80010004
#define HVMSG_X64_LEGACY_FP_ERROR		0x80010005
#define HVMSG_X64_IOMMU_PRQ			0x80010006
#define HVMSG_X64_HALT				0x80010007
#define HVMSG_X64_INTERRUPTION_DELIVERABLE	0x80010008
#define HVMSG_X64_SIPI_INTERCEPT		0x80010009

#define HV_MESSAGE_FLAG_PENDING			BIT(0)

struct hv_message_header {
	u32 message_type;
	u8 payload_size;
	u8 message_flags;	/* HV_MESSAGE_FLAG_* */
	u8 reserved[2];
	u64 sender;		/* partition id, or port id in bits 23:0 */
} __packed;

struct hv_message {
	struct hv_message_header header;
	union {
		u64 payload[HV_MESSAGE_PAYLOAD_QWORD_COUNT];
		u8 bytes[HV_MESSAGE_PAYLOAD_BYTE_COUNT];
	} u;
} __packed;

/* The SIMP page: one message slot per SINT. */
struct hv_message_page {
	struct hv_message sint_message[HV_SYNIC_SINT_COUNT];
} __packed;

/* Payload of HVMSG_SYNIC_SINT_INTERCEPT (a SINT set as_intercept). */
struct hv_notification_message_payload {
	u32 sint_index;
} __packed;

/* Intercept types (enum hv_intercept_type). */
#define HV_INTERCEPT_TYPE_X64_IO_PORT		0x00000000
#define HV_INTERCEPT_TYPE_X64_MSR		0x00000001
#define HV_INTERCEPT_TYPE_X64_CPUID		0x00000002
#define HV_INTERCEPT_TYPE_EXCEPTION		0x00000003
#define HV_INTERCEPT_TYPE_MMIO			0x00000005
#define HV_INTERCEPT_TYPE_X64_GLOBAL_CPUID	0x00000006
#define HV_INTERCEPT_TYPE_X64_APIC_SMI		0x00000007
#define HV_INTERCEPT_TYPE_HYPERCALL		0x00000008
#define HV_INTERCEPT_TYPE_X64_APIC_INIT_SIPI	0x00000009
#define HV_INTERCEPT_TYPE_X64_APIC_WRITE	0x0000000B
#define HV_INTERCEPT_TYPE_X64_MSR_INDEX		0x0000000C

#endif /* _HYPERV_HVGDK_H */
