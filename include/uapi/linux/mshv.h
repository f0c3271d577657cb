/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * User API of /dev/mshv: the Microsoft Hypervisor root-partition driver.
 *
 * Three kinds of file descriptor carry these ioctls: /dev/mshv itself,
 * a partition fd (returned by MSHV_CREATE_PARTITION) and a VP fd (returned
 * by MSHV_CREATE_VP).  Ioctl numbers are only unique per kind of fd.
 *
 * Every identifier, number and layout here is binary compatible with the
 * upstream Linux header of the same name; the comments are this project's.
 * All reserved fields must be zero; unknown flag bits are rejected.
 */
#ifndef _UAPI_LINUX_MSHV_H
#define _UAPI_LINUX_MSHV_H

#include <linux/types.h>

#define MSHV_IOCTL	0xB8

/* ---------------------------- /dev/mshv ---------------------------- */

/* Bit numbers for mshv_create_partition.pt_flags. */
enum {
	MSHV_PT_BIT_LAPIC,
	MSHV_PT_BIT_X2APIC,
	MSHV_PT_BIT_GPA_SUPER_PAGES,
	MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES,
	MSHV_PT_BIT_NESTED_VIRTUALIZATION,
	MSHV_PT_BIT_SMT_ENABLED_GUEST,
	MSHV_PT_BIT_COUNT,
};

#define MSHV_PT_FLAGS_MASK ((1 << MSHV_PT_BIT_COUNT) - 1)

/* Values for mshv_create_partition.pt_isolation. */
enum {
	MSHV_PT_ISOLATION_NONE,
	MSHV_PT_ISOLATION_COUNT,
};

/**
 * struct mshv_create_partition - MSHV_CREATE_PARTITION argument (v1)
 * @pt_flags: bitmask of (1 << MSHV_PT_BIT_*)
 * @pt_isolation: one of MSHV_PT_ISOLATION_*
 *
 * Returns a new partition fd.  The partition exists in the hypervisor but is
 * not initialized: properties that may only be set early are set now, then
 * MSHV_INITIALIZE_PARTITION is issued.
 */
struct mshv_create_partition {
	__u64 pt_flags;
	__u64 pt_isolation;
};

#define MSHV_NUM_CPU_FEATURES_BANKS 2

/**
 * struct mshv_create_partition_v2 - MSHV_CREATE_PARTITION argument (v2)
 * @pt_flags: as in v1; MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES selects this layout
 * @pt_isolation: as in v1
 * @pt_num_cpu_fbanks: number of valid entries in @pt_cpu_fbanks
 *	(at most MSHV_NUM_CPU_FEATURES_BANKS)
 * @pt_rsvd: must be zero
 * @pt_cpu_fbanks: processor feature banks to *disable*; banks beyond
 *	@pt_num_cpu_fbanks are treated as fully disabled
 * @pt_rsvd1: must be zero
 * @pt_disabled_xsave: XSAVE features to disable (x86-64)
 * @pt_rsvd2: must be zero (other architectures)
 *
 * Passed through the same ioctl number as v1: the kernel reads the first
 * 16 bytes and, when MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES is set, all 64.
 */
struct mshv_create_partition_v2 {
	__u64 pt_flags;
	__u64 pt_isolation;
	__u16 pt_num_cpu_fbanks;
	__u8  pt_rsvd[6];
	__u64 pt_cpu_fbanks[MSHV_NUM_CPU_FEATURES_BANKS];
	__u64 pt_rsvd1[2];
#if defined(__x86_64__)
	__u64 pt_disabled_xsave;
#else
	__u64 pt_rsvd2;
#endif
} __attribute__((__packed__));

#define MSHV_CREATE_PARTITION	_IOW(MSHV_IOCTL, 0x00, struct mshv_create_partition)

/* ------------------------- partition fd ---------------------------- */

/**
 * struct mshv_create_vp - MSHV_CREATE_VP argument
 * @vp_index: index of the new VP; unique in the partition
 */
struct mshv_create_vp {
	__u32 vp_index;
};

/* Bit numbers for mshv_user_mem_region.flags. */
enum {
	MSHV_SET_MEM_BIT_WRITABLE,
	MSHV_SET_MEM_BIT_EXECUTABLE,
	MSHV_SET_MEM_BIT_UNMAP,
	MSHV_SET_MEM_BIT_COUNT
};

#define MSHV_SET_MEM_FLAGS_MASK ((1 << MSHV_SET_MEM_BIT_COUNT) - 1)

/* Page size of the hypervisor; every "page" in this API is this size. */
#define MSHV_HV_PAGE_SIZE	0x1000

/**
 * struct mshv_user_mem_region - MSHV_SET_GUEST_MEMORY argument
 * @size: length in bytes; a non-zero multiple of MSHV_HV_PAGE_SIZE
 * @guest_pfn: first guest page frame number
 * @userspace_addr: page-aligned start of the backing user memory
 * @flags: bitmask of (1 << MSHV_SET_MEM_BIT_*); with the UNMAP bit the
 *	other bits are ignored and the other fields must match a mapped region
 * @rsvd: must be zero
 *
 * Regions may not overlap in guest physical address space.
 */
struct mshv_user_mem_region {
	__u64 size;
	__u64 guest_pfn;
	__u64 userspace_addr;
	__u8 flags;
	__u8 rsvd[7];
};

/* Bit numbers for mshv_user_irqfd.flags. */
enum {
	MSHV_IRQFD_BIT_DEASSIGN,
	MSHV_IRQFD_BIT_RESAMPLE,
	MSHV_IRQFD_BIT_COUNT,
};

#define MSHV_IRQFD_FLAGS_MASK	((1 << MSHV_IRQFD_BIT_COUNT) - 1)

/**
 * struct mshv_user_irqfd - MSHV_IRQFD argument
 * @fd: eventfd that raises the interrupt routed at @gsi
 * @resamplefd: eventfd signalled on EOI (level-triggered, RESAMPLE flag)
 * @gsi: routing table entry
 * @flags: bitmask of (1 << MSHV_IRQFD_BIT_*)
 */
struct mshv_user_irqfd {
	__s32 fd;
	__s32 resamplefd;
	__u32 gsi;
	__u32 flags;
};

/* Bit numbers for mshv_user_ioeventfd.flags. */
enum {
	MSHV_IOEVENTFD_BIT_DATAMATCH,
	MSHV_IOEVENTFD_BIT_PIO,
	MSHV_IOEVENTFD_BIT_DEASSIGN,
	MSHV_IOEVENTFD_BIT_COUNT,
};

#define MSHV_IOEVENTFD_FLAGS_MASK	((1 << MSHV_IOEVENTFD_BIT_COUNT) - 1)

/**
 * struct mshv_user_ioeventfd - MSHV_IOEVENTFD argument
 * @datamatch: value a write must carry (DATAMATCH flag)
 * @addr: guest address of the doorbell
 * @len: access length: 0 (any), 1, 2, 4 or 8
 * @fd: eventfd to signal
 * @flags: bitmask of (1 << MSHV_IOEVENTFD_BIT_*)
 * @rsvd: must be zero
 */
struct mshv_user_ioeventfd {
	__u64 datamatch;
	__u64 addr;
	__u32 len;
	__s32 fd;
	__u32 flags;
	__u8  rsvd[4];
};

/**
 * struct mshv_user_irq_entry - one MSI route
 * @gsi: route number
 * @address_lo: MSI address, low 32 bits
 * @address_hi: MSI address, high 32 bits
 * @data: MSI data
 */
struct mshv_user_irq_entry {
	__u32 gsi;
	__u32 address_lo;
	__u32 address_hi;
	__u32 data;
};

/**
 * struct mshv_user_irq_table - MSHV_SET_MSI_ROUTING argument
 * @nr: number of entries that follow
 * @rsvd: must be zero
 * @entries: the routes; the table replaces the previous one as a whole
 */
struct mshv_user_irq_table {
	__u32 nr;
	__u32 rsvd;
	struct mshv_user_irq_entry entries[];
};

enum {
	MSHV_GPAP_ACCESS_TYPE_ACCESSED,
	MSHV_GPAP_ACCESS_TYPE_DIRTY,
	MSHV_GPAP_ACCESS_TYPE_COUNT
};

enum {
	MSHV_GPAP_ACCESS_OP_NOOP,
	MSHV_GPAP_ACCESS_OP_CLEAR,
	MSHV_GPAP_ACCESS_OP_SET,
	MSHV_GPAP_ACCESS_OP_COUNT
};

/**
 * struct mshv_gpap_access_bitmap - MSHV_GET_GPAP_ACCESS_BITMAP argument
 * @access_type: MSHV_GPAP_ACCESS_TYPE_*: which bit to report
 * @access_op: MSHV_GPAP_ACCESS_OP_*: applied to the range after reading
 * @rsvd: must be zero
 * @page_count: number of guest pages (non-zero)
 * @gpap_base: first guest page frame number
 * @bitmap_ptr: user buffer of at least (page_count + 7) / 8 bytes
 */
struct mshv_gpap_access_bitmap {
	__u8 access_type;
	__u8 access_op;
	__u8 rsvd[6];
	__u64 page_count;
	__u64 gpap_base;
	__u64 bitmap_ptr;
};

/**
 * struct mshv_root_hvcall - MSHV_ROOT_HVCALL argument
 * @code: hypercall code (must be on the kernel's allowlist)
 * @reps: in: rep count (zero for a simple hypercall); out: reps completed
 * @in_sz: bytes of input, rep elements included; at most MSHV_HV_PAGE_SIZE
 * @out_sz: bytes of output buffer; at most MSHV_HV_PAGE_SIZE; zero when
 *	@out_ptr is zero
 * @status: in: must be zero; out: the hypervisor's status code
 * @rsvd: must be zero
 * @in_ptr: input buffer; the kernel overwrites its first 8 bytes with the
 *	partition id of the fd the ioctl was issued on
 * @out_ptr: output buffer, optional
 */
struct mshv_root_hvcall {
	__u16 code;
	__u16 reps;
	__u16 in_sz;
	__u16 out_sz;
	__u16 status;
	__u8 rsvd[6];
	__u64 in_ptr;
	__u64 out_ptr;
};

#define MSHV_INITIALIZE_PARTITION	_IO(MSHV_IOCTL, 0x00)
#define MSHV_CREATE_VP			_IOW(MSHV_IOCTL, 0x01, struct mshv_create_vp)
#define MSHV_SET_GUEST_MEMORY		_IOW(MSHV_IOCTL, 0x02, struct mshv_user_mem_region)
#define MSHV_IRQFD			_IOW(MSHV_IOCTL, 0x03, struct mshv_user_irqfd)
#define MSHV_IOEVENTFD			_IOW(MSHV_IOCTL, 0x04, struct mshv_user_ioeventfd)
#define MSHV_SET_MSI_ROUTING		_IOW(MSHV_IOCTL, 0x05, struct mshv_user_irq_table)
#define MSHV_GET_GPAP_ACCESS_BITMAP	_IOWR(MSHV_IOCTL, 0x06, struct mshv_gpap_access_bitmap)
/* Also accepted on VP fds and, for property reads only, on /dev/mshv. */
#define MSHV_ROOT_HVCALL		_IOWR(MSHV_IOCTL, 0x07, struct mshv_root_hvcall)

/* ----------------------------- VP fd ------------------------------- */

#define MSHV_RUN_VP_BUF_SZ 256

/*
 * Pages of a VP that can be mmap()ed from its fd, at offset
 * MSHV_VP_MMAP_OFFSET_* times the system page size.
 */
enum {
	MSHV_VP_MMAP_OFFSET_REGISTERS,
	MSHV_VP_MMAP_OFFSET_INTERCEPT_MESSAGE,
	MSHV_VP_MMAP_OFFSET_GHCB,
	MSHV_VP_MMAP_OFFSET_COUNT
};

/**
 * struct mshv_run_vp - MSHV_RUN_VP argument
 * @msg_buf: receives the hypervisor message that ended the run
 */
struct mshv_run_vp {
	__u8 msg_buf[MSHV_RUN_VP_BUF_SZ];
};

enum {
	MSHV_VP_STATE_LAPIC,
	MSHV_VP_STATE_XSAVE,
	MSHV_VP_STATE_SIMP,
	MSHV_VP_STATE_SIEFP,
	MSHV_VP_STATE_SYNTHETIC_TIMERS,
	MSHV_VP_STATE_COUNT,
};

/**
 * struct mshv_get_set_vp_state - MSHV_GET_VP_STATE / MSHV_SET_VP_STATE
 * @type: MSHV_VP_STATE_*
 * @rsvd: must be zero
 * @buf_sz: in: size of the page-aligned buffer; out: size of the state
 *	(on -EINVAL, check whether the buffer was too small)
 * @buf_ptr: page-aligned user buffer
 */
struct mshv_get_set_vp_state {
	__u8 type;
	__u8 rsvd[3];
	__u32 buf_sz;
	__u64 buf_ptr;
};

#define MSHV_RUN_VP		_IOR(MSHV_IOCTL, 0x00, struct mshv_run_vp)
#define MSHV_GET_VP_STATE	_IOWR(MSHV_IOCTL, 0x01, struct mshv_get_set_vp_state)
#define MSHV_SET_VP_STATE	_IOWR(MSHV_IOCTL, 0x02, struct mshv_get_set_vp_state)

/* ----------------- VTL (mshv_vtl driver) definitions --------------- */

#define MSHV_CAP_CORE_API_STABLE	0x0
#define MSHV_CAP_REGISTER_PAGE		0x1
#define MSHV_CAP_VTL_RETURN_ACTION	0x2
#define MSHV_CAP_DR6_SHARED		0x3
#define MSHV_MAX_RUN_MSG_SIZE		256

struct mshv_vp_registers {
	__u32 count;
	__u32 reserved;
	__u64 regs_ptr;
};

struct mshv_vtl_set_eventfd {
	__s32 fd;
	__u32 flag;
};

struct mshv_vtl_signal_event {
	__u32 connection_id;
	__u32 flag;
};

struct mshv_vtl_sint_post_msg {
	__u64 message_type;
	__u32 connection_id;
	__u32 payload_size;
	__u64 payload_ptr;
};

/* Range [start_pfn, last_pfn) */
struct mshv_vtl_ram_disposition {
	__u64 start_pfn;
	__u64 last_pfn;
};

struct mshv_vtl_set_poll_file {
	__u32 cpu;
	__u32 fd;
};

struct mshv_vtl_hvcall_setup {
	__u64 bitmap_array_size;
	__u64 allow_bitmap_ptr;
};

struct mshv_vtl_hvcall {
	__u64 control;
	__u64 input_size;
	__u64 input_ptr;
	__u64 status;
	__u64 output_size;
	__u64 output_ptr;
};

struct mshv_sint_mask {
	__u8 mask;
	__u8 reserved[7];
};

#define MSHV_CHECK_EXTENSION		_IOW(MSHV_IOCTL, 0x00, __u32)
#define MSHV_CREATE_VTL			_IOR(MSHV_IOCTL, 0x1D, char)
#define MSHV_ADD_VTL0_MEMORY		_IOW(MSHV_IOCTL, 0x21, struct mshv_vtl_ram_disposition)
#define MSHV_SET_POLL_FILE		_IOW(MSHV_IOCTL, 0x25, struct mshv_vtl_set_poll_file)
#define MSHV_RETURN_TO_LOWER_VTL	_IO(MSHV_IOCTL, 0x27)
#define MSHV_GET_VP_REGISTERS		_IOWR(MSHV_IOCTL, 0x05, struct mshv_vp_registers)
#define MSHV_SET_VP_REGISTERS		_IOW(MSHV_IOCTL, 0x06, struct mshv_vp_registers)
#define MSHV_SINT_SIGNAL_EVENT		_IOW(MSHV_IOCTL, 0x22, struct mshv_vtl_signal_event)
#define MSHV_SINT_POST_MESSAGE		_IOW(MSHV_IOCTL, 0x23, struct mshv_vtl_sint_post_msg)
#define MSHV_SINT_SET_EVENTFD		_IOW(MSHV_IOCTL, 0x24, struct mshv_vtl_set_eventfd)
#define MSHV_SINT_PAUSE_MESSAGE_STREAM	_IOW(MSHV_IOCTL, 0x25, struct mshv_sint_mask)
#define MSHV_HVCALL_SETUP		_IOW(MSHV_IOCTL, 0x1E, struct mshv_vtl_hvcall_setup)
#define MSHV_HVCALL			_IOWR(MSHV_IOCTL, 0x1F, struct mshv_vtl_hvcall)

#endif /* _UAPI_LINUX_MSHV_H */
