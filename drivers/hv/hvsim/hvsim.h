/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvsim internals: the object model of the simulated Microsoft Hypervisor.
 *
 * Locking, outermost first (see Documentation/virt/mshv/locking.rst):
 *   hvsim_pt_lock (partition table)
 *   partition->lock (state, VP table, properties)
 *   vp->lock (register file, state pages, running)
 *   partition->vps_lock (VP table slots; a spinlock)
 *   partition->gpa_lock (GPA map; read-held while a VP runs)
 *   pool->lock (deposited pages; a leaf)
 * A VP is looked up and referenced under partition->lock, which is then
 * dropped before vp->lock is taken (a VP may be busy running for a
 * while); whoever deletes a VP unlists it, then marks it dead under
 * vp->lock, so a holder of vp->lock only has to check vp->dead.
 * A VP table slot changes with both partition->lock and ->vps_lock held,
 * so a running VP can reach the others (its IPIs) under vps_lock alone:
 * partition->lock comes before vp->lock and cannot be taken there.
 */
#ifndef _HVSIM_H
#define _HVSIM_H

#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/hrtimer.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include <hyperv/hvhdk.h>
#include <hyperv/mshv_platform.h>

#include "x86/cpu.h"
#include "engine.h"

/*
 * Allocations made under hvsim's locks (partition->lock, ->gpa_lock,
 * vp->lock, pool->lock, ...).  The root calls MAP_GPA_PAGES and
 * UNMAP_GPA_PAGES from its MMU notifier, that is from reclaim, and those
 * take partition->lock, ->gpa_lock and pool->lock: nothing under them may
 * enter direct reclaim.  Nor dip into the emergency reserves (no
 * __GFP_HIGH): a real hypervisor lives on the memory deposited with it.
 * A failed allocation is HV_STATUS_INSUFFICIENT_MEMORY, upon which the
 * root deposits and retries, while kswapd (which a GFP_NOWAIT allocation
 * wakes) frees memory.  What is big, or needs no lock, is allocated
 * before the lock is taken, with GFP_KERNEL (HVCALL_CREATE_VP).
 */
#define HVSIM_GFP_LOCKED	(GFP_NOWAIT | __GFP_NOWARN)

#define HVSIM_ROOT_ID		1ULL
#define HVSIM_FIRST_CHILD_ID	0x10ULL
#define HVSIM_MAX_VPS		256
/* Pages INITIALIZE_PARTITION takes from the partition's pool. */
#define HVSIM_INIT_PARTITION_PAGES 16
/* Build number reported in HV_REGISTER_HYPERVISOR_VERSION. */
#define HVSIM_HV_BUILD		27751

/* ------------------------------------------------------------------ */
/* Hypercall plumbing (hvsim_main.c).                                 */
/* ------------------------------------------------------------------ */

/**
 * struct hvsim_hc - one decoded hypercall, as a handler sees it
 * @in: fixed-size input header (a private copy, safe to re-read)
 * @reps: rep elements in the caller's input page (read each element once)
 * @varhead: variable header in the caller's input page, or NULL
 * @varhead_len: its size in bytes
 * @out: output page, or NULL for fast calls
 * @rep_count: number of rep elements
 * @reps_done: rep handlers start at this index (the caller's rep start)
 *	and advance it past each element they complete
 */
struct hvsim_hc {
	const void *in;
	const void *reps;
	const void *varhead;
	unsigned int varhead_len;
	void *out;
	unsigned int rep_count;
	unsigned int reps_done;
};

typedef u16 (*hvsim_hc_fn)(struct hvsim_hc *hc);

/* ------------------------------------------------------------------ */
/* Deposit pool (partition.c).                                        */
/* ------------------------------------------------------------------ */

/**
 * struct hvsim_pool - pages the root deposited into one partition
 * @lock: protects the fields below
 * @pages: pfn -> struct page *; XA_MARK_0 set on free pages
 * @nr_free: pages available for hvsim's own use or withdrawal
 * @nr_used: pages hvsim currently uses for objects
 * @total: global counter this pool's pages are accounted in
 */
struct hvsim_pool {
	struct mutex lock;	/* a leaf lock */
	struct xarray pages;
	unsigned long nr_free;
	unsigned long nr_used;
	atomic_long_t *total;
};

/* ------------------------------------------------------------------ */
/* Partitions and VPs.                                                */
/* ------------------------------------------------------------------ */

enum hvsim_pt_state {
	HVSIM_PT_ROOT,
	HVSIM_PT_CREATED,
	HVSIM_PT_INITIALIZED,
	HVSIM_PT_FINALIZED,
	HVSIM_PT_DELETED,
};

/* Sets of states for hvsim_pt_get_locked(). */
#define HVSIM_PT_IS(state)	BIT(HVSIM_PT_##state)
#define HVSIM_PT_ANY		(HVSIM_PT_IS(ROOT) | HVSIM_PT_IS(CREATED) | \
				 HVSIM_PT_IS(INITIALIZED) | \
				 HVSIM_PT_IS(FINALIZED))

#define HVSIM_NR_PROPS		16

/* GPAs and SPAs are at most 52 bits wide. */
#define HVSIM_GPA_MAX_FN	(BIT_ULL(52 - HV_HYP_PAGE_SHIFT) - 1)

struct hvsim_vp;

/**
 * struct hvsim_ports - ports and connections owned by a partition (port.c)
 * @ports: port id -> struct hvsim_port (the root's doorbell ports)
 * @conns: connection id -> struct hvsim_conn; changed only under the
 *	owning partition's lock
 * @db_lock: protects @doorbells; a leaf spinlock (the CPU model's write
 *	callback takes it)
 * @doorbells: connected doorbells, matched against guest writes
 * @nr_doorbells: entries on @doorbells, read locklessly as a shortcut
 */
struct hvsim_ports {
	struct xarray ports;
	struct xarray conns;
	spinlock_t db_lock;	/* see above */
	struct list_head doorbells;
	unsigned int nr_doorbells;
};

/**
 * struct hvsim_async - an asynchronous SET_PARTITION_PROPERTY in flight
 * @work: completes the call (property.c)
 * @busy: a call is in flight (at most one per partition)
 * @code: property being set
 * @value: value to store on completion
 * @cpu: CPU whose SINT 0 receives the completion message
 * @count: completions posted so far (the message's completion_count)
 */
struct hvsim_async {
	struct work_struct work;
	bool busy;
	u32 code;
	u64 value;
	unsigned int cpu;
	u32 count;
};

/**
 * struct hvsim_gpa_table - a partition's GFN -> PFN map (gpa_table.c)
 * @chunks: (gfn / 512) -> struct hvsim_gpa_chunk, for each 2 MiB chunk of
 *	GPA space with anything mapped in it
 * @pool: the pool each chunk is charged a page of
 * @nr_mapped: gfns currently mapped
 */
struct hvsim_gpa_table {
	struct xarray chunks;
	struct hvsim_pool *pool;
	unsigned long nr_mapped;
};

/*
 * A GPA table entry: pfn << HVSIM_GPA_PFN_SHIFT | HVSIM_GPA_PRESENT |
 * HV_MAP_GPA_* permission bits | the bits below; 0 for unmapped.
 */
#define HVSIM_GPA_NO_ACCESS	BIT(4)
#define HVSIM_GPA_NOT_CACHED	BIT(5)
#define HVSIM_GPA_PRESENT	BIT(6)
#define HVSIM_GPA_PFN_SHIFT	7

/**
 * struct hvsim_partition - a partition (the root or a child)
 * @id: partition id
 * @ref: held by the partition table and by each in-flight hypercall
 * @lock: protects @state, @vps, @props and the pool's object pages
 * @state: enum hvsim_pt_state
 * @pool: deposited pages
 * @vps: VPs by index; a slot changes under @lock and @vps_lock
 * @vps_lock: lets posting to other VPs (interprocessor interrupts) read
 *	@vps without @lock
 * @props: settable property values, indexed like the property table
 * @gpa_lock: protects the GPA map; read-held while a VP runs
 * @gpa: the GPA map, with the access state of each mapped gfn
 * @root_page: root pool page charged for the partition's existence
 * @init_pages: own pool pages charged by INITIALIZE_PARTITION
 * @disabled_features: processor feature banks disabled at creation
 * @disabled_xsave: XSAVE features disabled at creation
 * @time_base: reference time (100 ns) at @time_stamp
 * @time_stamp: ktime_get_ns() when @time_base was taken
 * @time_frozen: TIME_FREEZE is set: reference time stands still
 * @ref_tsc: HV_REGISTER_REFERENCE_TSC, partition-wide (any VP's lock;
 *	READ_ONCE/WRITE_ONCE)
 * @async: the asynchronous property set in flight, if any
 * @icpt_lock: protects @cpuid_results; a leaf spinlock (the
 *	interpreter's callbacks take it)
 * @intercepts: installed intercepts, HVSIM_ICPT_KEY() -> xa_mk_value(mask)
 * @exc_intercepts: the exception vectors of @intercepts (any access type)
 *	as a bitmap, kept with them by HVCALL_INSTALL_INTERCEPT (pt->lock)
 *	for the exception checks of every instruction and VMRUN; READ_ONCE
 * @cpuid_results: registered CPUID results (struct hvsim_cpuid_result)
 * @nr_cpuid_results: entries on @cpuid_results
 * @overlay: gfn -> struct page *: SynIC pages overlaid on guest memory
 * @lapic: created with HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED: its VPs
 *	have a local APIC
 * @ports: ports (root) and connections (children)
 * @access_tracking: GPA_PAGE_ACCESS_TRACKING is enabled: guest accesses
 *	set the access state of their pages; written with gpa_lock
 *	write-held (access.c)
 * @gpa_gen: counts changes of the GPA map, its overlays and its access
 *	states (hvsim_engine_gpa_changed()); engines that cache guest
 *	physical translations compare it before running a VP
 * @engine: the execution engine that runs the partition's VPs, chosen
 *	at creation (engine.h)
 */
struct hvsim_partition {
	u64 id;
	struct kref ref;
	struct mutex lock;	/* see the top of this file */
	int state;
	struct hvsim_pool pool;
	struct hvsim_vp *vps[HVSIM_MAX_VPS];
	spinlock_t vps_lock;	/* see above */
	u64 props[HVSIM_NR_PROPS];
	struct rw_semaphore gpa_lock;
	struct hvsim_gpa_table gpa;
	struct page *root_page;
	struct page *init_pages[HVSIM_INIT_PARTITION_PAGES];
	u64 disabled_features[HV_PARTITION_PROCESSOR_FEATURES_BANKS];
	u64 disabled_xsave;
	u64 time_base;
	u64 time_stamp;
	bool time_frozen;
	u64 ref_tsc;
	struct hvsim_async async;
	spinlock_t icpt_lock;	/* see above */
	struct xarray intercepts;
	u32 exc_intercepts;
	struct list_head cpuid_results;
	unsigned int nr_cpuid_results;
	struct xarray overlay;
	bool lapic;
	struct hvsim_ports ports;
	bool access_tracking;
	atomic_long_t gpa_gen;
	const struct hvsim_engine_ops *engine;
};

/* Key of an installed intercept: type and parameter. */
#define HVSIM_ICPT_KEY(type, param)	((unsigned long)(type) << 32 | (param))

enum hvsim_suspend {
	HVSIM_SUSPEND_EXPLICIT,
	HVSIM_SUSPEND_INTERCEPT,
	HVSIM_SUSPEND_DISPATCH,
	HVSIM_NR_SUSPEND,
};

/**
 * struct hvsim_vp_synic - a VP's synthetic (Hyper-V) registers
 * @sint: SINT0..15
 * @scontrol: SCONTROL
 * @simp: SIMP (enable bit and overlay GPA)
 * @siefp: SIEFP (enable bit and overlay GPA)
 * @hypercall: HYPERCALL (hypercall page)
 * @guest_os_id: GUEST_OS_ID
 */
struct hvsim_vp_synic {
	u64 sint[HV_SYNIC_SINT_COUNT];
	u64 scontrol;
	u64 simp;
	u64 siefp;
	u64 hypercall;
	u64 guest_os_id;
};

/* XMM0 in the XSAVE area (standard form): 160 bytes into the legacy region. */
#define HVSIM_XSAVE_XMM_OFF	160
/* RFLAGS bits a VP may hold (bit 1 must also be set). */
#define HVSIM_RFLAGS_VALID	(GENMASK_ULL(21, 0) & ~(BIT_ULL(3) |	\
				 BIT_ULL(5) | BIT_ULL(15)))

/**
 * struct hvsim_vp_state - VP state beyond the interpreter's register file
 * @lapic: 4 KiB: struct hv_local_interrupt_controller_state, then zeroes
 * @xsave: 4 KiB: XSAVE area (legacy region, header, AVX), standard form
 * @simp_page: the SynIC message page overlaid at the SIMP GPA
 * @siefp_page: the SynIC event flags page overlaid at the SIEFP GPA
 * @stimers: synthetic timers (STIMERn_CONFIG/COUNT live here)
 * @synic: synthetic registers
 * @pending_interruption: HV_REGISTER_PENDING_INTERRUPTION
 * @pending_event: HV_REGISTER_PENDING_EVENT0/1
 * @deliverability: HV_X64_REGISTER_DELIVERABILITY_NOTIFICATIONS
 * @spec_ctrl: IA32_SPEC_CTRL
 * @tsc_adjust: IA32_TSC_ADJUST
 * @debug_ctl: IA32_DEBUGCTL
 */
struct hvsim_vp_state {
	void *lapic;
	void *xsave;
	struct page *simp_page;
	struct page *siefp_page;
	struct hv_synthetic_timers_state stimers;
	struct hvsim_vp_synic synic;
	u64 pending_interruption;
	struct hv_u128 pending_event[2];
	u64 deliverability;
	u64 spec_ctrl;
	u64 tsc_adjust;
	u64 debug_ctl;
};

#define HVSIM_APIC_WORDS	(256 / BITS_PER_LONG)

/* struct hvsim_lapic.events */
#define HVSIM_LAPIC_EV_POSTED	0	/* @posted has vectors */
#define HVSIM_LAPIC_EV_TIMER	1	/* the timer expired */
#define HVSIM_LAPIC_EV_NMI	2	/* an NMI was asserted */
#define HVSIM_LAPIC_EV_EXTINT	3	/* an ExtINT (@extint_posted) was asserted */
#define HVSIM_LAPIC_EV_EXTINT_CLEAR 4	/* CLEAR_VIRTUAL_INTERRUPT came before it */
#define HVSIM_LAPIC_EV_INIT	5	/* an INIT was asserted */
#define HVSIM_LAPIC_EV_SIPI	6	/* a SIPI (@sipi_posted) was asserted */

/**
 * struct hvsim_lapic - the local APIC of a VP, beyond its register file
 *	(which is the VP's LAPIC state page, see lapic.c)
 * @events: HVSIM_LAPIC_EV_* bits, set by sources outside the VP
 * @posted: vectors asserted from outside the VP, not yet in the IRR
 * @posted_level: which of them are level-triggered
 * @halted: the VP executed HLT with interrupts enabled and waits for one
 * @tpr_dirty: the guest wrote the TPR through the APIC (@tpr_write);
 *	it reaches CR8 at the next instruction boundary
 * @tpr_write: the value written
 * @timer: the APIC timer (a soft hrtimer)
 * @timer_start: ktime_get_ns() when the count was loaded
 * @timer_period: ns from a full count to zero; 0 if the timer is stopped
 * @timer_unit: ns per count
 * @timer_periodic: the count reloads at zero
 * @extint_posted: vector of the last ExtINT asserted
 * @sipi_posted: vector (start page) of the last SIPI asserted
 * @nmi_pending: an NMI waits for delivery (VP locked, from @events)
 * @extint_pending: an ExtINT waits for delivery (likewise)
 * @extint_vector: its vector
 * @extint_delivering: what the CPU model was last offered is the ExtINT
 * @wait_sipi: INIT received, no SIPI yet: the VP does not run
 */
struct hvsim_lapic {
	unsigned long events;
	unsigned long posted[HVSIM_APIC_WORDS];
	unsigned long posted_level[HVSIM_APIC_WORDS];
	u8 extint_posted;
	u8 sipi_posted;
	bool nmi_pending;
	bool extint_pending;
	u8 extint_vector;
	bool extint_delivering;
	bool wait_sipi;
	bool halted;
	bool tpr_dirty;
	u8 tpr_write;
	struct hrtimer timer;
	u64 timer_start;
	u64 timer_period;
	u64 timer_unit;
	bool timer_periodic;
};

/**
 * struct hvsim_gpa_hint - the guest RAM page a VP read last (gpa.c)
 * @va: its kernel address, or NULL (none)
 * @gen: the partition's gpa_gen it was looked up in: valid while that
 *	stands (any change of the GPA map, its overlays or access states
 *	moves it)
 * @gfn: the page
 * @entry: its GPA map entry
 */
struct hvsim_gpa_hint {
	void *va;
	long gen;
	u64 gfn;
	u64 entry;
};

/**
 * struct hvsim_vp - a virtual processor
 * @pt: owning partition
 * @index: VP index
 * @ref: held by the partition's VP table and by each user
 * @lock: protects everything below
 * @dead: deleted; its pages went back to the pool
 * @read_hint: the guest page the CPU model read last (gpa.c)
 * @cpu: architectural register file
 * @suspend: the three suspend registers (0 or 1); written under @lock
 *	with WRITE_ONCE(), read locklessly by the VP's thread (sched.c)
 * @pool_page: the pool page the VP itself is charged
 * @state_page: mapped state pages by HV_VP_STATE_PAGE_* type, or NULL
 * @st: LAPIC, XSAVE, SynIC and timer state (vpstate.c, vpregs.c)
 * @lapic: local APIC runtime state (lapic.c)
 * @thread: hypervisor scheduler only: the kthread that runs the VP,
 *	created on the first resume; stopped once @dead is set
 * @run_wq: @thread waits here for the VP to become runnable
 * @engine: the execution engine's per-VP state (engine.h), or NULL
 */
struct hvsim_vp {
	struct hvsim_partition *pt;
	u32 index;
	struct kref ref;
	struct mutex lock;	/* see the top of this file */
	bool dead;
	struct hvsim_gpa_hint read_hint;
	struct hvsim_cpu_state cpu;
	u64 suspend[HVSIM_NR_SUSPEND];
	struct page *pool_page;
	struct page *state_page[HV_VP_STATE_PAGE_INTERCEPT_MESSAGE + 1];
	struct page *stats_page;	/* root pool; freed with the VP */
	struct hvsim_vp_state st;
	struct hvsim_lapic lapic;
	struct task_struct *thread;
	wait_queue_head_t run_wq;
	void *engine;
};

static inline void hvsim_seg_from_hv(struct hvsim_segment *seg,
				     const struct hv_x64_segment_register *hv)
{
	seg->base = hv->base;
	seg->limit = hv->limit;
	seg->selector = hv->selector;
	seg->attributes = hv->attributes;
}

static inline void hvsim_seg_to_hv(struct hv_x64_segment_register *hv,
				   const struct hvsim_segment *seg)
{
	hv->base = seg->base;
	hv->limit = seg->limit;
	hv->selector = seg->selector;
	hv->attributes = seg->attributes;
}

/* ------------------------------------------------------------------ */
/* Global counters (debugfs).                                         */
/* ------------------------------------------------------------------ */

struct hvsim_stats {
	atomic_long_t partitions;
	atomic_long_t vps;
	atomic_long_t child_pages;
	atomic_long_t root_pages;
	atomic_long_t mapped_pages;
	atomic_long_t doorbells;
	atomic_long_t doorbells_dropped;
	atomic_long_t ring_full;
};

extern struct hvsim_stats hvsim_stats;
extern struct hvsim_partition hvsim_root;

/* fault.c */
struct dentry;
u16 hvsim_fault_check(u16 code);
bool hvsim_fault_pool_full(const struct hvsim_pool *pool);
void hvsim_fault_deposited(bool root, const u64 *pfns, u32 count);
void hvsim_fault_debugfs_init(struct dentry *parent);

/* pool.c */
void hvsim_pool_init(struct hvsim_pool *pool, atomic_long_t *total);
#if IS_ENABLED(CONFIG_KUNIT)
/* Static unless KUnit is on (VISIBLE_IF_KUNIT): for gpa_table_kunit.c. */
u16 hvsim_pool_deposit(struct hvsim_pool *pool, u64 pfn);
#endif
struct page *hvsim_pool_take(struct hvsim_pool *pool);
struct page *hvsim_pool_get(struct hvsim_pool *pool);
void hvsim_pool_put(struct hvsim_pool *pool, struct page *page);
void hvsim_pool_destroy(struct hvsim_pool *pool);
u16 hvsim_hc_deposit_memory(struct hvsim_hc *hc);
u16 hvsim_hc_withdraw_memory(struct hvsim_hc *hc);

bool hvsim_pfns_owned(unsigned long pfn, unsigned int count);

/* partition.c */
struct hvsim_partition *hvsim_pt_get(u64 id);
void hvsim_pt_put(struct hvsim_partition *pt);
u16 hvsim_pt_get_locked(u64 id, unsigned int states,
			struct hvsim_partition **ptp);
u16 hvsim_pt_lock_check(struct hvsim_partition *pt, unsigned int states);
void hvsim_pt_unlock_put(struct hvsim_partition *pt);
void hvsim_partitions_init(void);
void hvsim_partitions_exit(void);

u16 hvsim_hc_create_partition(struct hvsim_hc *hc);
u16 hvsim_hc_initialize_partition(struct hvsim_hc *hc);
u16 hvsim_hc_finalize_partition(struct hvsim_hc *hc);
u16 hvsim_hc_delete_partition(struct hvsim_hc *hc);
u16 hvsim_hc_get_partition_id(struct hvsim_hc *hc);

/* property.c */
u16 hvsim_hc_get_property(struct hvsim_hc *hc);
u16 hvsim_hc_get_property_ex(struct hvsim_hc *hc);
u16 hvsim_hc_set_property(struct hvsim_hc *hc);
u16 hvsim_hc_get_system_property(struct hvsim_hc *hc);
void hvsim_prop_init(struct hvsim_partition *pt,
		     const struct hv_input_create_partition *in);
int hvsim_async_init(void);
void hvsim_async_exit(void);
void hvsim_async_debugfs_init(struct dentry *parent);
u64 hvsim_prop_reference_time(struct hvsim_partition *pt);
u64 hvsim_prop_peek(struct hvsim_partition *pt, u32 code);

/* vp.c */
u16 hvsim_vp_get_locked(u64 pt_id, u32 vp_index, struct hvsim_vp **vpp);
void hvsim_vp_unlock_put(struct hvsim_vp *vp);
void hvsim_pt_set_vp(struct hvsim_partition *pt, u32 index,
		     struct hvsim_vp *vp);
void hvsim_vp_destroy(struct hvsim_vp *vp);
void hvsim_vp_load_register_page(struct hvsim_vp *vp);
void hvsim_vp_store_register_page(struct hvsim_vp *vp);
struct hv_vp_register_page *hvsim_vp_register_page(struct hvsim_vp *vp);
u16 hvsim_hc_create_vp(struct hvsim_hc *hc);
u16 hvsim_hc_delete_vp(struct hvsim_hc *hc);
u16 hvsim_hc_get_vp_registers(struct hvsim_hc *hc);
u16 hvsim_hc_set_vp_registers(struct hvsim_hc *hc);
u16 hvsim_hc_map_vp_state_page(struct hvsim_hc *hc);
u16 hvsim_hc_unmap_vp_state_page(struct hvsim_hc *hc);
u16 hvsim_hc_map_stats_page(struct hvsim_hc *hc);
u16 hvsim_hc_unmap_stats_page(struct hvsim_hc *hc);
void hvsim_vp_stats_blocked(const struct hvsim_vp *vp, bool blocked);

/* vpregs.c: the registers beyond the interpreter's core set */
u16 hvsim_vpregs_get(struct hvsim_vp *vp, u32 name,
		     union hv_register_value *val);
u16 hvsim_vpregs_set(struct hvsim_vp *vp, u32 name,
		     const union hv_register_value *val);

u16 hvsim_vpregs_check(struct hvsim_vp *vp, u32 name,
		       const union hv_register_value *val);
u64 hvsim_xsave_states(struct hvsim_partition *pt);
u32 hvsim_xsave_size(struct hvsim_partition *pt);

/* vpstate.c */
int hvsim_vpstate_alloc(struct hvsim_vp *vp);
void hvsim_vpstate_free(struct hvsim_vp *vp);
u16 hvsim_hc_get_vp_state(struct hvsim_hc *hc);
u16 hvsim_hc_set_vp_state(struct hvsim_hc *hc);

/* cpuid_xsave.c */
void hvsim_cpuid_xsave(struct hvsim_vp *vp, u32 leaf, u32 sub, u32 r[4]);

/* intercept.c */
void hvsim_icpt_init(struct hvsim_partition *pt);
void hvsim_icpt_clear(struct hvsim_partition *pt);
void hvsim_cpuid(struct hvsim_vp *vp, u32 leaf, u32 subleaf, bool registered,
		 u32 out[4]);
bool hvsim_intercepted(struct hvsim_partition *pt, u32 type, u32 param,
		       u32 access_mask);
u64 hvsim_processor_features(unsigned int bank);
int hvsim_msr_result(struct hvsim_partition *pt, u32 msr, u32 access_mask);
int hvsim_icpt_cpuid_cb(void *ctx, u32 leaf, u32 subleaf, u32 out[4]);
int hvsim_icpt_rdmsr_cb(void *ctx, u32 index, u64 *val);
int hvsim_icpt_wrmsr_cb(void *ctx, u32 index, u64 val);
bool hvsim_icpt_exception_cb(void *ctx, u8 vector);
u16 hvsim_hc_install_intercept(struct hvsim_hc *hc);
u16 hvsim_hc_register_intercept_result(struct hvsim_hc *hc);
u16 hvsim_hc_get_vp_cpuid_values(struct hvsim_hc *hc);

/* child_synic.c */
u16 hvsim_synic_set_page(struct hvsim_vp *vp, bool simp, u64 value);
void hvsim_child_synic_clear(struct hvsim_vp *vp);
u16 hvsim_hc_signal_event_direct(struct hvsim_hc *hc);
u16 hvsim_hc_post_message_direct(struct hvsim_hc *hc);

/* gpa_table.c */
void hvsim_gpt_init(struct hvsim_gpa_table *t, struct hvsim_pool *pool);
void hvsim_gpt_destroy(struct hvsim_gpa_table *t);
u64 hvsim_gpt_lookup(struct hvsim_gpa_table *t, u64 gfn);
u64 hvsim_gpt_lookup_2m(struct hvsim_gpa_table *t, u64 gfn);
u16 hvsim_gpt_map_large(struct hvsim_gpa_table *t, u64 gfn, u64 pfn,
			unsigned long flags);
bool hvsim_gpt_pfn_ok(u64 pfn, unsigned int count);
u16 hvsim_gpt_map(struct hvsim_gpa_table *t, u64 gfn, const u64 *pfns,
		  unsigned int count, unsigned long flags, unsigned int *done);
void hvsim_gpt_unmap(struct hvsim_gpa_table *t, u64 gfn, unsigned int count);
void hvsim_gpt_note_access(struct hvsim_gpa_table *t, u64 gfn, bool write);
u8 hvsim_gpt_access_state(struct hvsim_gpa_table *t, u64 gfn, u64 flags);
bool hvsim_gpt_any_clean(struct hvsim_gpa_table *t);

/* gpa.c */
extern const struct hvsim_mem_ops hvsim_gpa_mem_ops;
extern const struct hvsim_mem_ops hvsim_vp_mem_ops;
void hvsim_gpa_init(struct hvsim_partition *pt);
void hvsim_gpa_clear(struct hvsim_partition *pt);
u16 hvsim_hc_map_gpa_pages(struct hvsim_hc *hc);
u16 hvsim_hc_unmap_gpa_pages(struct hvsim_hc *hc);
u16 hvsim_hc_translate_virtual_address(struct hvsim_hc *hc);

/* access.c */
int hvsim_access_note(struct hvsim_partition *pt, u64 gpa, bool write, int rc);
u64 hvsim_access_get_tracking(struct hvsim_partition *pt);
u16 hvsim_access_set_tracking(struct hvsim_partition *pt, u64 value);
u16 hvsim_hc_get_gpa_pages_access_states(struct hvsim_hc *hc);

/* lapic.c */
void hvsim_lapic_init(struct hvsim_vp *vp);
void hvsim_lapic_reset(struct hvsim_vp *vp);
void hvsim_lapic_stop(struct hvsim_vp *vp);
int hvsim_lapic_mmio(struct hvsim_vp *vp, u64 gpa, void *buf,
		     unsigned int len, bool write);
int hvsim_lapic_rdmsr(struct hvsim_vp *vp, u32 index, u64 *val);
int hvsim_lapic_wrmsr(struct hvsim_vp *vp, u32 index, u64 val);
int hvsim_lapic_irq_pending(void *ctx, struct hvsim_cpu_state *st);
void hvsim_lapic_irq_ack(void *ctx, int vector);
void hvsim_lapic_post(struct hvsim_vp *vp, u8 vector, bool level);
void hvsim_lapic_post_event(struct hvsim_vp *vp, unsigned int event,
			    u8 vector);
void hvsim_lapic_clear_extint(struct hvsim_vp *vp);
void hvsim_lapic_kick(struct hvsim_vp *vp);
bool hvsim_lapic_startup(struct hvsim_vp *vp);
void hvsim_lapic_post_local(struct hvsim_vp *vp, u8 vector);
bool hvsim_lapic_halt(struct hvsim_vp *vp);
bool hvsim_lapic_wakeup(struct hvsim_vp *vp);
bool hvsim_lapic_sleeping(const struct hvsim_vp *vp);
void hvsim_lapic_state_get(struct hvsim_vp *vp);
void hvsim_lapic_state_set(struct hvsim_vp *vp);

/* interrupt.c */
void hvsim_scan_register_page_vectors(struct hvsim_vp *vp);
u16 hvsim_hc_assert_virtual_interrupt(struct hvsim_hc *hc);
u16 hvsim_hc_clear_virtual_interrupt(struct hvsim_hc *hc);
/* port.c */
void hvsim_ports_init(struct hvsim_partition *pt);
void hvsim_ports_clear(struct hvsim_partition *pt);
bool hvsim_doorbell_write(struct hvsim_partition *pt, u64 gpa,
			  const void *buf, unsigned int len);
u16 hvsim_hc_create_port(struct hvsim_hc *hc);
u16 hvsim_hc_connect_port(struct hvsim_hc *hc);
u16 hvsim_hc_disconnect_port(struct hvsim_hc *hc);
u16 hvsim_hc_delete_port(struct hvsim_hc *hc);
u16 hvsim_hc_notify_port_ring_empty(struct hvsim_hc *hc);

/* dispatch.c */
enum hvsim_slice {
	HVSIM_SLICE_PREEMPTED,	/* the instruction budget ran out */
	HVSIM_SLICE_INTERCEPT,	/* stopped on an intercept: message written */
	HVSIM_SLICE_HALTED,	/* halted, waiting for an interrupt */
};

u16 hvsim_hc_dispatch_vp(struct hvsim_hc *hc);
enum hvsim_slice hvsim_vp_run_slice(struct hvsim_vp *vp);

/* sched.c */
int hvsim_sched_init(void);
bool hvsim_sched_hyp(void);
u32 hvsim_sched_type(void);
bool hvsim_vp_runnable(const struct hvsim_vp *vp);
int hvsim_sched_vp_init(struct hvsim_vp *vp);
void hvsim_sched_vp_stop(struct hvsim_vp *vp);
u16 hvsim_sched_set_suspend(struct hvsim_vp *vp, u32 name, u64 value);
void hvsim_sched_kick(struct hvsim_vp *vp);
void hvsim_sched_blocked(const struct hvsim_vp *vp);
extern bool hvsim_early_signal;
void hvsim_sched_post(const struct hv_message *msg);

/* synic.c */
int hvsim_synic_init(void);
void hvsim_synic_exit(void);
int hvsim_synic_cpu_init(struct mshv_synic_pages *pages,
			 unsigned int intercept_sint,
			 unsigned int doorbell_sint);
void hvsim_synic_cpu_exit(struct mshv_synic_pages *pages);
void hvsim_synic_eom(void);
int hvsim_post_root_message(unsigned int cpu, unsigned int sint,
			    const struct hv_message *msg);
bool hvsim_synic_ring_signal(u32 target_vp, u32 sint, u32 port_id);
u16 hvsim_synic_ring_empty(u32 sint);
void hvsim_synic_ring_hold(bool hold);
extern bool hvsim_ring_keep_head;
bool hvsim_synic_ring_held(void);

/* debugfs.c */
void hvsim_debugfs_init(void);
void hvsim_debugfs_exit(void);

/* hvsim_main.c: for debugfs */
struct seq_file;
void hvsim_hcall_stats_show(struct seq_file *m);

#endif /* _HVSIM_H */
