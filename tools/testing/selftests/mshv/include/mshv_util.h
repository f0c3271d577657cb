/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the /dev/mshv selftests: file descriptors, partitions, guest
 * memory, VPs and their mmapped pages, running, registers through the
 * MSHV_ROOT_HVCALL passthrough, and hvsim's debugfs counters.
 *
 * Functions named __mshv_*() return the raw ioctl result (-1 with errno
 * set on failure) so tests can check error paths.  The others assert
 * success and end the test with a diagnostic if the call fails.
 */
#ifndef SELFTEST_MSHV_UTIL_H
#define SELFTEST_MSHV_UTIL_H

#include <stdbool.h>
#include <sys/ioctl.h>
#include <linux/mshv.h>
#include "hyperv_root.h"

#include "kselftest.h"
#include "mshv_bits.h"

#define MSHV_DEV_PATH		"/dev/mshv"
#define HVSIM_DEBUGFS_DIR	"/sys/kernel/debug/hvsim"
#define MSHV_DEBUGFS_DIR	"/sys/kernel/debug/mshv"

#define GUEST_PAGE_SIZE		MSHV_HV_PAGE_SIZE

/* Real-mode code at this guest address in the run tests. */
#define GUEST_CODE_GPA		0x1000ULL
/* Stack pointer of real-mode guests: near the top of the first 64 KiB. */
#define GUEST_STACK_TOP		0xfff0

__noreturn __printf(4, 5)
void mshv_assert_fail(const char *file, int line, const char *expr,
		      const char *fmt, ...);

/*
 * TEST_ASSERT - end the current test (exit status KSFT_FAIL) when @cond is
 * false, printing the location, the condition, errno and a message.
 */
#define TEST_ASSERT(cond, fmt, ...)					\
	do {								\
		if (!(cond))						\
			mshv_assert_fail(__FILE__, __LINE__, #cond,	\
					 fmt, ##__VA_ARGS__);		\
	} while (0)

/* Bound of mshv_wait_idle(), well below the harness's test timeout. */
#define MSHV_IDLE_WAIT_S	20

/*
 * At the start of a harness test or fixture setup: skip unless /dev/mshv
 * exists; then wait until the partitions of earlier tests are gone, so
 * global counters read as a baseline are not still changing.
 */
#define MSHV_REQUIRE_DEV()						\
	do {								\
		if (!mshv_dev_present())				\
			SKIP(return, MSHV_DEV_PATH " not present");	\
		ASSERT_TRUE(mshv_wait_idle())				\
			TH_LOG("partitions of an earlier test still exist"); \
	} while (0)

/* Skip unless hvsim's debugfs counters are readable. */
#define MSHV_REQUIRE_HVSIM_DEBUGFS()					\
	do {								\
		if (hvsim_counter("partitions") < 0)			\
			SKIP(return, HVSIM_DEBUGFS_DIR " not readable");	\
	} while (0)

/* A partition: the /dev/mshv fd it was created from and its own fd. */
struct mshv_vm {
	int dev_fd;
	int fd;
};

/* A VP: its fd and its two mmapped state pages. */
struct mshv_vcpu {
	int fd;
	__u32 index;
	struct hv_vp_register_page *regs;
	struct hv_message *msg;
};

bool mshv_dev_present(void);
int mshv_open_dev(void);

/* Partitions. */
void mshv_partition_args(struct mshv_create_partition_v2 *args, bool v2);
int __mshv_create_partition(int dev_fd, const void *args);
int mshv_create_partition(int dev_fd, bool v2);
int __mshv_initialize_partition(int pt_fd);
void mshv_vm_create(struct mshv_vm *vm, bool v2);
void mshv_vm_destroy(struct mshv_vm *vm);

/* Guest memory. */
void *mshv_alloc_guest_mem(__u64 size);
void *mshv_alloc_2m_aligned(__u64 size);
__u64 mshv_host_pfn(const void *addr);
/* MSHV_SET_GUEST_MEMORY; the raw result. */
int __mshv_set_guest_memory(int pt_fd, __u64 gpa, __u64 size, void *hva,
			    __u8 flags);
void *mshv_map_guest_mem(int pt_fd, __u64 gpa, __u64 size);

/* VPs. */
int __mshv_create_vp(int pt_fd, __u32 index);
void *mshv_mmap_vp_page(int vp_fd, unsigned int page);
void mshv_vcpu_create(struct mshv_vcpu *vcpu, int pt_fd, __u32 index);
void mshv_vcpu_destroy(struct mshv_vcpu *vcpu);
void mshv_run_vp(int vp_fd, struct hv_message *msg);

/* MSHV_ROOT_HVCALL passthrough and registers. */
int __mshv_hvcall(int fd, __u16 code, __u16 reps, void *in, __u16 in_sz,
		  void *out, __u16 out_sz, __u16 *status);
int __mshv_get_regs(int fd, __u32 vp_index, const __u32 *names,
		    union hv_register_value *values, unsigned int count,
		    __u16 *status);
int __mshv_set_regs(int fd, __u32 vp_index,
		    const struct hv_register_assoc *assocs,
		    unsigned int count, __u16 *status);
__u64 mshv_get_reg(int fd, __u32 vp_index, __u32 name);
void mshv_set_reg(int fd, __u32 vp_index, __u32 name, __u64 value);
int __mshv_set_real_mode(int fd, __u32 vp_index, __u64 rip);
void mshv_set_real_mode(int fd, __u32 vp_index, __u64 rip);
void mshv_load_guest(void *mem, __u64 gpa, const void *code, size_t len);

/* Partition properties through the passthrough (/dev/mshv: self). */
int __mshv_get_property(int fd, __u32 code, __u64 *value, __u16 *status);
int __mshv_set_property(int fd, __u32 code, __u64 value, __u16 *status);
__u64 mshv_get_property(int fd, __u32 code);
void mshv_set_property(int fd, __u32 code, __u64 value);

/* MSHV_GET_VP_STATE / MSHV_SET_VP_STATE; *buf_sz is updated. */
int __mshv_get_vp_state(int vp_fd, __u8 type, void *buf, __u32 *buf_sz);
int __mshv_set_vp_state(int vp_fd, __u8 type, const void *buf,
			__u32 *buf_sz);
/* Page-aligned, zeroed buffer for VP state; free with free(). */
void *mshv_alloc_state_buf(size_t size);

/* hvsim debugfs counters; -1 when hvsim's debugfs is not there. */
long long read_num_file(const char *path);
int write_num_file(const char *path, unsigned long long value);
long hvsim_counter(const char *name);
/* hvsim dispatches VPs through the root (scheduler=root, or no hvsim). */
bool hvsim_root_scheduler(void);
bool mshv_wait_idle(void);
/* Times hvsim served hypercall @code (its "hypercalls" file); -1 if unknown. */
long hvsim_hypercall_count(__u16 code);

/* Interrupts: MSHV_SET_MSI_ROUTING and MSHV_IRQFD (raw results). */
#define MSI_ADDR(dest)		(0xfee00000u | ((__u32)(dest) << 12))
#define MSI_ADDR_LOGICAL	(1u << 2)
#define MSI_DATA_LEVEL		((1u << 15) | (1u << 14))

int __mshv_set_msi_routing(int pt_fd, const struct mshv_user_irq_entry *e,
			   __u32 nr);
int __mshv_irqfd(int pt_fd, int fd, int resamplefd, __u32 gsi, __u32 flags);
int __mshv_ioeventfd(int pt_fd, int efd, __u64 addr, __u32 len,
		     __u32 flags, __u64 datamatch);
/*
 * mshv_root's per-partition debugfs directories, MSHV_DEBUGFS_PT_DIR/
 * <pid>-<fd>: a counter (e.g. "irq/dropped", "movable/faults") summed
 * over this process's partitions (0 without any; -1 if not readable),
 * and the irq/ ones by name.
 */
#define MSHV_DEBUGFS_PT_DIR	MSHV_DEBUGFS_DIR "/partition"
long mshv_pt_counter(const char *rel);
long mshv_irq_counter(const char *name);

/* Tracing: tracefs's directory or NULL; write one of its files; read
 * the trace buffer (a static, NUL-terminated copy of its start). */
const char *mshv_tracefs(void);
int mshv_trace_write(const char *dir, const char *file, const char *s);
const char *mshv_trace_read(const char *dir);
/*
 * Guest pages pinned by mshv_root's regions, and left pinned by a failed
 * teardown (debugfs); -1 if not readable.
 */
long mshv_pinned_pages(void);
long mshv_leaked_pages(void);
/*
 * A behaviour switch of partition @pt_fd (its debugfs bool @name, e.g.
 * "irq_fast_path"): sets it to @on, returns the old value, or -1 if
 * there is no such file.  mshv_set_movable(): whether the partition's
 * next RAM regions are movable ("movable_regions"; pinned if not).
 */
int mshv_pt_switch(int pt_fd, const char *name, bool on);
int mshv_set_movable(int pt_fd, bool on);

/*
 * Kernel fault injection through fail-nth (debug kernels with
 * CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC and CONFIG_FAULT_INJECTION_DEBUG_FS):
 * after N is written to /proc/thread-self/fail-nth, the Nth slab or page
 * allocation of this thread fails.  By default failslab and fail_page_alloc
 * leave allocations that may reclaim (GFP_KERNEL) and order-0 pages alone,
 * and log every failure with a stack dump; mshv_fail_nth_setup() lifts
 * both and mshv_fail_nth_cleanup() puts them back.
 */
#define MSHV_FAIL_NTH_PATH	"/proc/thread-self/fail-nth"
#define MSHV_FAILSLAB_DIR	"/sys/kernel/debug/failslab"
#define MSHV_FAIL_PAGE_DIR	"/sys/kernel/debug/fail_page_alloc"
#define MSHV_FAIL_NR_KNOBS	5

/* All zero (a fixture's initial state) means nothing is set up. */
struct mshv_fail_nth {
	/* The first nr_saved knobs were changed; their old values. */
	unsigned int nr_saved;
	long long saved[MSHV_FAIL_NR_KNOBS];
	/* fail-nth of the thread, open once every knob is changed. */
	int fd;
};

bool mshv_fail_nth_present(void);
int mshv_fail_nth_setup(struct mshv_fail_nth *f);
void mshv_fail_nth_cleanup(struct mshv_fail_nth *f);
void mshv_fail_nth_arm(struct mshv_fail_nth *f, unsigned int n);
unsigned int mshv_fail_nth_disarm(struct mshv_fail_nth *f);

/*
 * MSHV_REQUIRE_FAIL_NTH - in a fixture setup: skip unless the kernel
 * injects faults, else set them up in @f (released by
 * mshv_fail_nth_cleanup() in the teardown).
 */
#define MSHV_REQUIRE_FAIL_NTH(f)					\
	do {								\
		if (!mshv_fail_nth_present())				\
			SKIP(return, "no fail-nth, failslab or "	\
			     "fail_page_alloc: no fault injection");	\
		ASSERT_EQ(0, mshv_fail_nth_setup(f))			\
			TH_LOG("fault injection cannot be set up, or "	\
			       "fail-nth fails no allocation");	\
	} while (0)

#endif /* SELFTEST_MSHV_UTIL_H */
