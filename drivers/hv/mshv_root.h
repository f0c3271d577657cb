/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mshv_root: objects shared between the files of the driver.
 *
 * Lifetimes:
 *  - /dev/mshv is registered while a platform (real Hyper-V or hvsim) is
 *    registered; every open file and every partition pins the platform
 *    module, so the platform cannot go away under live objects.
 *  - A partition is refcounted: one reference for its fd and one per VP fd.
 *    The last put destroys it, VPs and memory regions included.
 *  - A VP lives exactly as long as its partition; its fd only holds a
 *    partition reference.
 *
 * Locking (the orders and every lock: Documentation/virt/mshv/locking.rst):
 *  - mshv_partition.pt_mutex serialises every partition ioctl and guards
 *    the region tree writers, the VP array writers and the async-call
 *    state.  Region lookups take pt_mutex too when they use the backing
 *    pages; a lookup under RCU only may read a region's fields (regions
 *    are freed after a grace period, but unpinned before it).
 *  - mshv_vp.vp_mutex serialises every VP ioctl.
 *  - The SynIC ISR looks partitions up under RCU (an xarray keyed by
 *    partition id) and reads pt_vps[] with acquire semantics; VPs are only
 *    freed after the partition left the table and an RCU grace period.
 */
#ifndef _MSHV_ROOT_H
#define _MSHV_ROOT_H

#include <linux/bits.h>
#include <linux/completion.h>
#include <linux/list.h>
#include <linux/maple_tree.h>
#include <linux/mutex.h>
#include <linux/rcuwait.h>
#include <linux/refcount.h>
#include <linux/sizes.h>
#include <linux/types.h>

#include <linux/wait.h>
#include <hyperv/mshv_platform.h>

/*
 * The functions of the intercept round trip (MSHV_RUN_VP, the dispatch
 * hypercall, the message back) share one text section, so that they
 * occupy few pages.  Under a hypervisor that flushes the TLB at every
 * world switch (QEMU's TCG model of AMD-V flushes it at each VMRUN and
 * #VMEXIT), every page an exit touches costs a page walk each time.
 */
#define __mshv_hot	__section(".text.hot")

#include "mshv_hvcall.h"
#include "mshv_irq.h"

#define MSHV_MAX_VPS	256
/* Attempts at each teardown hypercall before giving up on it. */
#define MSHV_TEARDOWN_TRIES	3

/*
 * Guest physical addresses are at most 52 bits wide on x64 (the
 * architectural MAXPHYADDR): no region reaches past this frame, whatever
 * the hypervisor reports.
 */
#define MSHV_GFN_LIMIT		BIT_ULL(52 - HV_HYP_PAGE_SHIFT)
/*
 * Frames a region map or unmap walk handles between two checks for a
 * fatal signal: 1 GiB, a multiple of 2 MiB so that each piece ends on a
 * 2 MiB chunk of GPA space.
 */
#define MSHV_REGION_STEP	(SZ_1G >> HV_HYP_PAGE_SHIFT)

struct file;
struct module;
struct page;

/**
 * struct mshv_root_state - global state while a platform is registered
 * @ops: the registered platform, NULL if none
 * @root_id: partition id of the root (this kernel), for root deposits
 * @scheduler_type: HV_SCHEDULER_TYPE_*: ROOT, or one of the hypervisor's
 *	scheduler types (LP, LP_SMT, CORE_SMT), which MSHV_RUN_VP treats alike
 * @cpuhp_state: dynamic CPU hotplug state of the per-CPU SynIC setup
 */
struct mshv_root_state {
	const struct mshv_platform_ops *ops;
	u64 root_id;
	u32 scheduler_type;
	int cpuhp_state;
};

extern struct mshv_root_state mshv_root;

/**
 * struct mshv_vp - a virtual processor
 * @vp_index: index in the partition
 * @vp_pt: owning partition
 * @vp_mutex: serialises the VP ioctls
 * @vp_register_page: hypervisor register page (root memory)
 * @vp_intercept_page: hypervisor intercept message page (root memory)
 * @vp_hvpages: preallocated hypercall pages of the run loop
 *	(HVCALL_DISPATCH_VP, the suspend registers); vp_mutex held
 * @vp_intercept_suspend: root scheduler: the last run ended on an intercept
 * @vp_dispatching: root scheduler: HVCALL_DISPATCH_VP is (about to be)
 *	issued for this VP; interrupt injection through the register page
 *	checks it (see mshv_irqfd.c)
 * @vp_kicked: set by the ISR when the hypervisor signals the VP (root
 *	scheduler) or reports an intercept (hypervisor scheduler); consumed
 *	by MSHV_RUN_VP
 * @vp_wait: MSHV_RUN_VP, the only waiter, sleeps here for a kick (an
 *	rcuwait: the ISR may run in any hard interrupt context)
 * @vp_entry: what the work before each guest entry needs (mshv_vp_entry.c)
 * @vp_stats_page: root scheduler: the VP's statistics page (SELF area),
 *	whose "root dispatch thread blocked" counter says whether a
 *	signalled VP may be dispatched; NULL under the hypervisor's scheduler
 */
struct mshv_vp {
	u32 vp_index;
	struct mshv_partition *vp_pt;
	struct mutex vp_mutex;		/* serialises the VP ioctls */
	struct page *vp_register_page;
	struct page *vp_intercept_page;
	struct mshv_hvpages vp_hvpages;
	bool vp_intercept_suspend;
	bool vp_dispatching;
	bool vp_kicked;
	struct rcuwait vp_wait;
	void *vp_entry;
	struct page *vp_stats_page;
};

/**
 * enum mshv_region_kind - what backs a guest memory region
 * @MSHV_REGION_PINNED: user pages, pinned while mapped (the pages array)
 * @MSHV_REGION_MMIO: device memory of a VM_IO | VM_PFNMAP mapping:
 *	consecutive host frames from @mmio_pfn, mapped uncached, not pinned,
 *	revoked by an MMU notifier (mshv_region_mmio.c)
 * @MSHV_REGION_MOVABLE: user pages, mapped on demand on GPA intercepts
 *	and revoked by an MMU notifier (mshv_region_movable.c); nothing pinned
 */
enum mshv_region_kind {
	MSHV_REGION_PINNED,
	MSHV_REGION_MMIO,
	MSHV_REGION_MOVABLE,
};

struct mshv_movable;
struct mshv_mmio;

/**
 * struct mshv_mem_region - a range of guest frames and what backs it
 * @rcu: frees the region after lockless lookups are done with it
 * @start_gfn: first guest page frame
 * @nr_pages: number of pages
 * @uaddr: start of the user mapping
 * @hv_flags: HV_MAP_GPA_* the pages are mapped with (without LARGE_PAGE,
 *	which is decided per 2 MiB chunk)
 * @kind: MSHV_REGION_*
 * @writable: pages are dirtied on unpin
 * @hv_unmapped: the range is gone from the GPA space (partition teardown,
 *	or an unmap whose removal from the tree failed); never mapped again
 * @mmio_pfn: MSHV_REGION_MMIO: host frame of @start_gfn
 * @movable: MSHV_REGION_MOVABLE: notifier and fault state
 * @mmio: MSHV_REGION_MMIO: notifier state
 * @pages: MSHV_REGION_PINNED: the pinned pages (empty for the others)
 */
struct mshv_mem_region {
	struct rcu_head rcu;
	u64 start_gfn;
	u64 nr_pages;
	u64 uaddr;
	u32 hv_flags;
	enum mshv_region_kind kind;
	bool writable;
	bool hv_unmapped;
	u64 mmio_pfn;
	struct mshv_movable *movable;
	struct mshv_mmio *mmio;
	struct page *pages[];
};

/* The counters of a partition's movable regions (mshv_region_movable.c). */
struct mshv_movable_stats {
	atomic_t faults;		/* GPA intercepts handled */
	atomic_t fault_pages;		/* frames they mapped */
	atomic_t fault_large;		/* ... as one 2 MiB page */
	atomic_t fault_retries;		/* hmm_range_fault() raced */
	atomic_t fault_errors;		/* faults that failed */
	atomic_t invalidations;		/* MMU notifier revocations */
	atomic_t invalidated_pages;	/* frames they revoked */
	atomic_t invalidate_errors;	/* revocations that failed */
};

/**
 * struct mshv_partition - a child partition
 * @pt_id: hypervisor partition id; 0 until created in the hypervisor
 * @pt_ref: one reference for the fd, one per VP fd
 * @pt_mutex: serialises the partition ioctls
 * @pt_owner: platform module pinned by this partition, or NULL
 * @pt_mm: the address space of the process that created the partition;
 *	guest memory is described in it, so the partition and VP ioctls
 *	are only served to that process (a reference, mmgrab())
 * @pt_hvpages: hypercall pages for what must not fail on an allocation:
 *	withdrawing the deposit and unmapping regions, also at teardown;
 *	used under @pt_mutex, or by the destructor alone
 * @pt_in_table: present in the id table (visible to the ISR)
 * @pt_initialized: HVCALL_INITIALIZE_PARTITION succeeded
 * @pt_vps: VPs by index, published with release semantics
 * @pt_regions: memory regions, a maple tree keyed by guest frame range;
 *	written under @pt_mutex, readable under RCU (see mshv_regions.c)
 * @pt_gfn_limit: no region reaches this guest frame; 0 until the first
 *	map reads it (see mshv_region_gfn_limit()), under @pt_mutex
 * @pt_async_pending: an asynchronous hypercall is in flight
 * @pt_async_done: completed by the ISR on HVMSG_ASYNC_CALL_COMPLETION
 * @pt_async_status: status reported with the completion
 * @pt_xsave_size: MAX_XSAVE_DATA_SIZE, 0 until read (see mshv_vp_state.c)
 * @pt_xsave_states: XSAVE components of the partition, valid with the size
 * @pt_irq: MSI routing, irqfds and resamplers (see mshv_irq.h)
 * @pt_ioeventfds: assigned ioeventfds (mshv_ioeventfd.c), under pt_mutex
 * @pt_movable_regions: new RAM regions are movable (default true; the
 *	debugfs file movable_regions, so that tests cover pinned regions)
 * @pt_movable_stats: the counters of its movable regions
 * @pt_debugfs: its debugfs directory (see mshv_debugfs.c)
 */
struct mshv_partition {
	u64 pt_id;
	refcount_t pt_ref;
	struct mutex pt_mutex;		/* serialises the partition ioctls */
	struct module *pt_owner;
	struct mm_struct *pt_mm;
	struct mshv_hvpages pt_hvpages;
	bool pt_in_table;
	bool pt_initialized;
	struct mshv_vp *pt_vps[MSHV_MAX_VPS];
	struct maple_tree pt_regions;
	u64 pt_gfn_limit;
	bool pt_async_pending;
	struct completion pt_async_done;
	u16 pt_async_status;
	u32 pt_xsave_size;
	u64 pt_xsave_states;
	struct mshv_irq_state pt_irq;
	struct list_head pt_ioeventfds;
	bool pt_movable_regions;
	struct mshv_movable_stats pt_movable_stats;
	struct dentry *pt_debugfs;
};

/* mshv_partition.c */
long mshv_partition_create(const struct hv_input_create_partition *args);
void mshv_partition_put(struct mshv_partition *pt);
bool mshv_partition_owned(const struct mshv_partition *pt);
struct mshv_partition *mshv_partition_find_rcu(u64 partition_id);
void mshv_leak_pages(u64 nr);

/* mshv_vp.c */
long mshv_vp_create(struct mshv_partition *pt, void __user *uarg);
void mshv_vp_destroy(struct mshv_vp *vp);
void mshv_vp_kick(struct mshv_vp *vp);

/* mshv_vp_state.c */
long mshv_vp_get_set_state(struct mshv_vp *vp, void __user *uarg, bool set);

/* mshv_regions.c */
struct mshv_mem_region *mshv_region_lookup(struct maple_tree *regions,
					   u64 gfn);
u64 mshv_region_run(const struct mshv_mem_region *mr, u64 from, u64 to,
		    bool *large);

/* mshv_region_mmio.c */
int mshv_region_is_mmio(u64 uaddr, u64 size);
int mshv_region_mmio_create(struct mshv_partition *pt,
			    struct mshv_mem_region *mr);
int mshv_region_mmio_unmap(struct mshv_mem_region *mr);
void mshv_region_mmio_release(struct mshv_mem_region *mr);

/* mshv_region_movable.c */
int mshv_region_movable_create(struct mshv_partition *pt,
			       struct mshv_mem_region *mr);
int mshv_region_movable_unmap(struct mshv_mem_region *mr, bool killable);
void mshv_region_movable_release(struct mshv_mem_region *mr);
int mshv_region_movable_fault(struct mshv_vp *vp);

long mshv_set_guest_memory(struct mshv_partition *pt, void __user *uarg);
void mshv_regions_unmap_all(struct mshv_partition *pt);
void mshv_regions_forget_hv(struct mshv_partition *pt);
void mshv_regions_release_all(struct mshv_partition *pt, bool hv_gone);

/* mshv_gpap.c */
long mshv_gpap_access_bitmap(struct mshv_partition *pt, void __user *uarg);

/* mshv_passthru.c */
long mshv_root_hvcall(struct mshv_partition *pt, struct mshv_vp *vp,
		      void __user *uarg);

/* mshv_debugfs.c */
struct dentry;
extern struct dentry *mshv_debugfs_dir;
extern atomic_t mshv_partitions_live;
extern atomic_long_t mshv_pinned_pages;
extern atomic_long_t mshv_leaked_pages;
void mshv_debugfs_init(void);
void mshv_debugfs_exit(void);
void mshv_debugfs_partition_init(struct mshv_partition *pt, int fd);
void mshv_debugfs_partition_exit(struct mshv_partition *pt);
/* mshv_doorbell.c */
typedef void (*mshv_doorbell_fn)(void *data);
int mshv_doorbell_register(u64 partition_id, u64 gpa, u64 value, u64 flags,
			   mshv_doorbell_fn fn, void *data, u32 *port_id);
void mshv_doorbell_unregister(u64 partition_id, u32 port_id);
void mshv_doorbell_signal(u32 port_id);
void mshv_doorbell_exit(void);

/* mshv_ioeventfd.c */
long mshv_ioeventfd(struct mshv_partition *pt, void __user *uarg);
void mshv_ioeventfd_release_all(struct mshv_partition *pt);

/* mshv_synic.c */
int mshv_synic_init(void);
void mshv_synic_exit(void);

/*
 * Static unless KUnit is on (VISIBLE_IF_KUNIT), and then exported for the
 * test module mshv_root_kunit (EXPORT_SYMBOL_IF_KUNIT): the pure helpers
 * its suites check, and the partition table (mshv_kunit.h).
 */
#if IS_ENABLED(CONFIG_KUNIT)
/* mshv_main.c: argument checks */
struct mshv_create_partition_v2;
int mshv_create_check_v1(u64 flags, u64 isolation);
int mshv_create_check_v2(const struct mshv_create_partition_v2 *args,
			 u64 flags);
void mshv_create_input(const struct mshv_create_partition_v2 *args,
		       struct hv_input_create_partition *in);

/* mshv_partition.c */
struct xarray;
extern struct xarray mshv_partitions;

/* mshv_vp_state.c */
struct mshv_get_set_vp_state;
int mshv_vp_state_check(const struct mshv_get_set_vp_state *args);

/* mshv_regions.c */
struct mshv_user_mem_region;
int mshv_mem_region_check(const struct mshv_user_mem_region *args,
			  u64 gfn_limit);
bool mshv_region_overlaps(struct maple_tree *regions, u64 gfn, u64 n);
int mshv_region_insert(struct maple_tree *regions,
		       struct mshv_mem_region *mr);

/* mshv_region_movable.c */
u64 mshv_movable_window(const struct mshv_mem_region *mr, u64 gfn, u64 *from);
bool mshv_movable_window_large(const u64 *pfns, u64 count, u64 gfn);

/* mshv_gpap.c */
struct mshv_gpap_access_bitmap;
int mshv_gpap_check(const struct mshv_gpap_access_bitmap *args);
u64 mshv_gpap_hv_flags(u8 type, u8 op);
void mshv_gpap_pack(const u8 *states, u32 count, u8 mask, u8 *bitmap);

/* mshv_passthru.c */
struct mshv_root_hvcall;
int mshv_passthru_validate(const struct mshv_root_hvcall *args, bool self);

/* mshv_ioeventfd.c */
struct mshv_user_ioeventfd;
int mshv_ioeventfd_check(const struct mshv_user_ioeventfd *args,
			 u64 *hv_flags);

/* mshv_synic.c */
struct hv_message;
int mshv_synic_dispatch(const struct hv_message *msg);
#endif

#endif /* _MSHV_ROOT_H */
