/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvsim internals: the object model of the simulated Microsoft Hypervisor.
 *
 * Locking, outermost first:
 *   hvsim_pt_lock (partition table)
 *   partition->lock (state, VP table, properties)
 *   vp->lock (register file, state pages, running)
 *   partition->gpa_lock (GPA map; read-held while a VP runs)
 *   pool->lock (deposited pages; a leaf)
 * A VP is looked up and referenced under partition->lock, which is then
 * dropped before vp->lock is taken (a VP may be busy running for a
 * while); whoever deletes a VP unlists it, then marks it dead under
 * vp->lock, so a holder of vp->lock only has to check vp->dead.
 */
#ifndef _HVSIM_H
#define _HVSIM_H

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/xarray.h>
#include <hyperv/hvhdk.h>
#include <hyperv/mshv_platform.h>

#include "cpu.h"

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
 * @out: output page, or NULL for fast calls
 * @rep_count: number of rep elements
 * @reps_done: rep handlers start at this index (the caller's rep start)
 *	and advance it past each element they complete
 */
struct hvsim_hc {
	const void *in;
	const void *reps;
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

#define HVSIM_NR_PROPS		8

struct hvsim_vp;

/**
 * struct hvsim_partition - a partition (the root or a child)
 * @id: partition id
 * @ref: held by the partition table and by each in-flight hypercall
 * @lock: protects @state, @vps, @props and the pool's object pages
 * @state: enum hvsim_pt_state
 * @pool: deposited pages
 * @vps: VPs by index
 * @props: settable property values, indexed like the property table
 * @gpa_lock: protects the GPA map; read-held while a VP runs
 * @gpa: gfn -> xa_mk_value(pfn << HVSIM_GPA_PFN_SHIFT | flags)
 * @ptp: (gfn / 512) -> struct hvsim_ptp: "page-table" pages
 * @nr_mapped: gfns currently mapped
 * @root_page: root pool page charged for the partition's existence
 * @init_pages: own pool pages charged by INITIALIZE_PARTITION
 */
struct hvsim_partition {
	u64 id;
	struct kref ref;
	struct mutex lock;	/* see the top of this file */
	int state;
	struct hvsim_pool pool;
	struct hvsim_vp *vps[HVSIM_MAX_VPS];
	u64 props[HVSIM_NR_PROPS];
	struct rw_semaphore gpa_lock;
	struct xarray gpa;
	struct xarray ptp;
	unsigned long nr_mapped;
	struct page *root_page;
	struct page *init_pages[HVSIM_INIT_PARTITION_PAGES];
};

enum hvsim_suspend {
	HVSIM_SUSPEND_EXPLICIT,
	HVSIM_SUSPEND_INTERCEPT,
	HVSIM_SUSPEND_DISPATCH,
	HVSIM_NR_SUSPEND,
};

/**
 * struct hvsim_vp - a virtual processor
 * @pt: owning partition
 * @index: VP index
 * @ref: held by the partition's VP table and by each user
 * @lock: protects everything below
 * @dead: deleted; its pages went back to the pool
 * @cpu: architectural register file
 * @suspend: the three suspend registers (0 or 1)
 * @pool_page: the pool page the VP itself is charged
 * @state_page: mapped state pages by HV_VP_STATE_PAGE_* type, or NULL
 */
struct hvsim_vp {
	struct hvsim_partition *pt;
	u32 index;
	struct kref ref;
	struct mutex lock;	/* see the top of this file */
	bool dead;
	struct hvsim_cpu_state cpu;
	u64 suspend[HVSIM_NR_SUSPEND];
	struct page *pool_page;
	struct page *state_page[HV_VP_STATE_PAGE_INTERCEPT_MESSAGE + 1];
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
};

extern struct hvsim_stats hvsim_stats;
extern struct hvsim_partition hvsim_root;

/* pool.c */
void hvsim_pool_init(struct hvsim_pool *pool, atomic_long_t *total);
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

/* vp.c */
u16 hvsim_vp_get_locked(u64 pt_id, u32 vp_index, struct hvsim_vp **vpp);
void hvsim_vp_unlock_put(struct hvsim_vp *vp);
void hvsim_vp_destroy(struct hvsim_vp *vp);
void hvsim_vp_load_register_page(struct hvsim_vp *vp);
void hvsim_vp_store_register_page(struct hvsim_vp *vp);
u16 hvsim_hc_create_vp(struct hvsim_hc *hc);
u16 hvsim_hc_delete_vp(struct hvsim_hc *hc);
u16 hvsim_hc_get_vp_registers(struct hvsim_hc *hc);
u16 hvsim_hc_set_vp_registers(struct hvsim_hc *hc);
u16 hvsim_hc_map_vp_state_page(struct hvsim_hc *hc);
u16 hvsim_hc_unmap_vp_state_page(struct hvsim_hc *hc);

/* gpa.c */
extern const struct hvsim_mem_ops hvsim_gpa_mem_ops;
void hvsim_gpa_init(struct hvsim_partition *pt);
void hvsim_gpa_clear(struct hvsim_partition *pt);
u16 hvsim_hc_map_gpa_pages(struct hvsim_hc *hc);
u16 hvsim_hc_unmap_gpa_pages(struct hvsim_hc *hc);

/* dispatch.c */
u16 hvsim_hc_dispatch_vp(struct hvsim_hc *hc);

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

/* debugfs.c */
void hvsim_debugfs_init(void);
void hvsim_debugfs_exit(void);

/* hvsim_main.c: for debugfs */
struct seq_file;
void hvsim_hcall_stats_show(struct seq_file *m);

#endif /* _HVSIM_H */
