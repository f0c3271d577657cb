/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mshv_root: guest interrupts raised by the VMM.
 *
 * MSHV_SET_MSI_ROUTING installs a table GSI -> MSI (address, data); an
 * irqfd (MSHV_IRQFD) binds an eventfd to a GSI, so that signalling the
 * eventfd injects the MSI the GSI currently routes to.  Level-triggered
 * routes may carry a resamplefd, signalled when the guest EOIs the vector.
 *
 * Locking and lifetimes (all per partition):
 *  - pt_irq.lock (mutex) serialises routing-table swaps and the resampler
 *    list.  The table and the resampler lists are read under pt_irq.srcu,
 *    from any context (eventfd wakeups, the SynIC ISR, workqueues).
 *  - pt_irq.irqfds_lock (spinlock, IRQ-safe) guards the irqfd list.  Each
 *    irqfd caches its decoded route behind a seqcount tied to that lock.
 * Order: pt_mutex -> pt_irq.lock -> pt_irq.irqfds_lock, and an eventfd's
 * wait-queue lock -> pt_irq.irqfds_lock (see locking.rst).
 *  - An irqfd is freed by its shutdown work only, after it left the
 *    eventfd's wait queue; partition fd release shuts all of them down
 *    and waits for that before the partition reference is dropped.
 */
#ifndef _MSHV_IRQ_H
#define _MSHV_IRQ_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/srcu.h>
#include <linux/types.h>

/* Routing-table limit and the largest GSI + 1 (upstream value). */
#define MSHV_MAX_GUEST_IRQS	4096

struct mshv_partition;
struct mshv_user_irq_entry;
struct mshv_vp;

/**
 * struct mshv_msi - an MSI decoded into interrupt-control terms
 * @valid: a route exists; nothing else is meaningful otherwise
 * @vector: interrupt vector (data bits 7:0)
 * @type: HV_X64_INTERRUPT_TYPE_* (data bits 10:8)
 * @level: level-triggered (data bit 15)
 * @logical: logical destination mode (address bit 2)
 * @dest: destination APIC id or logical mask (address bits 19:12)
 */
struct mshv_msi {
	bool valid;
	u8 vector;
	u8 type;
	bool level;
	bool logical;
	u8 dest;
};

/**
 * struct mshv_irq_route - one routing-table slot
 * @valid: the slot holds a route
 * @address_lo: MSI address, low 32 bits (address_hi must be zero)
 * @data: MSI data
 */
struct mshv_irq_route {
	bool valid;
	u32 address_lo;
	u32 data;
};

/**
 * struct mshv_irq_table - a partition's routing table, indexed by GSI
 * @nr_slots: highest routed GSI + 1
 * @nr_routes: number of routes (valid slots)
 * @slots: the slots
 */
struct mshv_irq_table {
	u32 nr_slots;
	u32 nr_routes;
	struct mshv_irq_route slots[];
};

/*
 * A partition's interrupt counters, its debugfs irq/ directory (see
 * mshv_debugfs.c).  vp_waits counts the root scheduler's run loops that,
 * the VP blocked, wait for its kick (having stopped dispatching; see
 * mshv_irq_inject_fast()); tests synchronise with a halted guest on it
 * instead of sleeping.  dispatch_blocked and blocked_kicks show the
 * hypervisor's BLOCKED dispatch state, which nothing else makes visible.
 */
struct mshv_irq_stats {
	atomic_t inject_fast;		/* fast path taken */
	atomic_t inject_slow;		/* ASSERT hypercalls issued */
	atomic_t inject_failed;		/* ... and failed */
	atomic_t fast_refused;		/* fast path possible but refused */
	atomic_t coalesced;		/* signal merged into pending work */
	atomic_t dropped;		/* GSI without a route */
	atomic_t eoi;			/* HVMSG_X64_APIC_EOI messages */
	atomic_t resampled;		/* resamplefd signals */
	atomic_t routing_updates;	/* MSHV_SET_MSI_ROUTING swaps */
	atomic_t vp_waits;		/* run loops waiting for a kick */
	atomic_t dispatch_blocked;	/* DISPATCH_VP returned BLOCKED */
	atomic_t blocked_kicks;		/* kicks of a VP the hypervisor
					 * still reports blocked: not
					 * dispatched
					 */
};

/**
 * struct mshv_irq_state - the interrupt state embedded in a partition
 * @lock: serialises table swaps and the resampler list
 * @srcu: readers of the table, the resampler lists and cached routes
 * @table: current routing table, NULL when empty
 * @irqfds_lock: guards @irqfds; the seqcount of every cached route
 * @irqfds: active irqfds
 * @resamplers: one struct mshv_resampler per GSI with resample irqfds
 * @stats: the partition's interrupt counters
 * @fast_path: fixed edge-triggered interrupts may be injected through the
 *	VP register page (default true; the partition's debugfs file
 *	irq_fast_path, so that tests cover both paths)
 */
struct mshv_irq_state {
	struct mutex lock;		/* table swaps, resampler list */
	struct srcu_struct srcu;
	struct mshv_irq_table __rcu *table;
	spinlock_t irqfds_lock;		/* irqfds list, cached routes */
	struct list_head irqfds;
	struct list_head resamplers;
	struct mshv_irq_stats stats;
	bool fast_path;
};

/* mshv_irq.c: pure helpers (covered by mshv_irq_kunit.c) */
bool mshv_msi_targets_vp(const struct mshv_msi *msi, u32 vp_index);
#if IS_ENABLED(CONFIG_KUNIT)
/* Static unless KUnit is on (VISIBLE_IF_KUNIT): for mshv_irq_kunit.c. */
void mshv_msi_decode(u32 address_lo, u32 data, struct mshv_msi *msi);
int mshv_irq_table_build(const struct mshv_user_irq_entry *entries, u32 nr,
			 struct mshv_irq_table **table);
/* mshv_irq_inject.c: the register page's vector word */
int mshv_vectors_post(u64 *word, u8 vector);
bool mshv_vectors_withdraw(u64 *word, u8 vector);
#endif

/* mshv_irq.c */
int mshv_irq_state_init(struct mshv_irq_state *irq);
void mshv_irq_state_destroy(struct mshv_irq_state *irq);
void mshv_irq_route_lookup(const struct mshv_irq_table *table, u32 gsi,
			   struct mshv_msi *msi);
long mshv_set_msi_routing(struct mshv_partition *pt, void __user *uarg);

/* mshv_irqfd.c */
long mshv_irqfd(struct mshv_partition *pt, void __user *uarg);
void mshv_irqfd_routing_update(struct mshv_partition *pt,
			       const struct mshv_irq_table *table);
void mshv_irqfd_release(struct mshv_partition *pt);
void mshv_irq_eoi(struct mshv_partition *pt, u32 vp_index, u32 vector);
int mshv_irqfd_init(void);
void mshv_irqfd_exit(void);

/* mshv_irq_inject.c */
struct mshv_hvpages;

/*
 * Doorbell rings whose next entry was not at the driver's tail (after CPU
 * hotplug; see mshv_synic_doorbells()): the root's rings belong to no
 * partition, so this one counter is global (debugfs mshv/ring_resyncs).
 */
extern atomic_t mshv_ring_resyncs;

bool mshv_irq_fast_path_usable(const struct mshv_partition *pt);
bool mshv_vp_irq_pending(struct mshv_vp *vp);
int mshv_irq_inject_fast(struct mshv_partition *pt,
			 const struct mshv_msi *msi);
int mshv_irq_assert(struct mshv_partition *pt, struct mshv_hvpages *hp,
		    const struct mshv_msi *msi);

#endif /* _MSHV_IRQ_H */
