// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim SVM engine: nested page tables.
 *
 * Each VP has its own table in the host's paging format (four levels,
 * or five when the host runs with LA57: the CPU walks nested tables in
 * the host's paging mode), filled lazily: a #NPF on a gfn the GPA map
 * lets the access have maps that gfn and the guest retries; anything
 * else is emulated by the interpreter (svm_run.c), which produces the
 * UNMAPPED_GPA or GPA_INTERCEPT exit, the xAPIC access, the SynIC
 * overlay access or the doorbell the interpreter engine would.  An access
 * the GPA map refuses (HVSIM_NPF_REFUSED) by an instruction the
 * interpreter lacks is the GPA_INTERCEPT all the same (svm_run.c).  What
 * is never mapped:
 *  - gfns not mapped, mapped with NO_ACCESS or without read permission
 *    (a write-only or execute-only page cannot be expressed), and
 *    frames without a struct page (device memory: the VMM emulates it);
 *  - the VP's xAPIC page while the partition has local APICs.
 * Write permission comes from HV_MAP_GPA_WRITABLE, execute from either
 * executable flag (as the interpreter's fetch check).  SynIC overlay
 * pages are mapped read/write/execute over whatever is below them.
 *
 * Leaves are 4 KiB, or 2 MiB (a page directory entry with PS set) when
 * the fault's 2 MiB-aligned range is one piece: all of it mapped with the
 * same flags to one 2 MiB-aligned run of RAM frames (what a VMM backs
 * with a THP or a hugetlb page), no SynIC overlay and not the xAPIC page
 * in it, and access tracking off.  The first fault in such a range maps
 * all of it; a range whose table of 4 KiB leaves exists already keeps
 * it (its leaves are right: nothing changed in this generation).  Either
 * way a 2 MiB leaf and a table under the same entry never coexist.
 * debugfs counts the 4 KiB leaves made (npt_maps) and the 2 MiB ones
 * (npt_maps_2m).
 *
 * Access tracking (GPA_PAGE_ACCESS_TRACKING): a gfn enters the table
 * only through a fault, which records the access (and, for a write, the
 * dirty bit), and while its dirty bit is clear it is mapped read-only, so
 * that the first write faults and is recorded too.  Hence 4 KiB leaves
 * only while it is on.
 *
 * Table pages come from a small per-VP reserve, refilled before each
 * slice without direct reclaim (hvsim_svm_npt_refill()); a fault that
 * might need more than what is left ends the slice, so that the next
 * one starts refilled, and is emulated only if that refill fell short.
 *
 * Coherence: any change of the GPA map, its overlays or its access
 * states moves the partition's gpa_gen (hvsim_engine_gpa_changed()).
 * Before each VMRUN the VP compares it with the generation its tables
 * were built for and throws them away if it moved (and then takes a
 * fresh ASID, so no stale translation survives in the TLB).  Being per
 * VP, the tables need no lock: only the VP's own run touches them.
 * Unmapping or changing one 4 KiB page of a range mapped with a 2 MiB
 * leaf thus drops the leaf with everything else, and the rebuilt tables
 * map the range's other pages with 4 KiB leaves.
 */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>

#include "svm.h"

#define HVSIM_NPT_P		BIT_ULL(0)
#define HVSIM_NPT_RW		BIT_ULL(1)
#define HVSIM_NPT_US		BIT_ULL(2)
/* PDE bit 7: the entry maps a 2 MiB page (AMD APM vol. 2, 5.3.4) */
#define HVSIM_NPT_PS		BIT_ULL(7)
#define HVSIM_NPT_NX		BIT_ULL(63)
#define HVSIM_NPT_ADDR		GENMASK_ULL(51, 12)
#define HVSIM_NPT_DIR		(HVSIM_NPT_P | HVSIM_NPT_RW | HVSIM_NPT_US)
/* Four levels translate 48 bits of guest physical address. */
#define HVSIM_NPT_MAX_GFN	(BIT_ULL(48 - PAGE_SHIFT) - 1)
/* Page directories (level 2) hold the 2 MiB leaves, 512 gfns each. */
#define HVSIM_NPT_LEVEL_2M	2
#define HVSIM_NPT_GFNS_2M	512

/* Levels of the nested tables: those of the host's own paging. */
static int hvsim_npt_levels(void)
{
	return pgtable_l5_enabled() ? 5 : 4;
}

/* #NPF exit_info_1 bits (AMD APM vol. 2, 15.25.6) */
#define HVSIM_NPF_WRITE		BIT_ULL(1)
#define HVSIM_NPF_FETCH		BIT_ULL(4)

/**
 * hvsim_svm_npt_refill() - fill the reserve of table pages
 * @npt: the VP's tables
 *
 * Without direct reclaim: reclaim can end in an MMU notifier of the
 * driver's movable memory, which unmaps guest memory, which takes the
 * partition's lock, under which a VP's lock is taken (lockdep has the
 * chain).
 *
 * Context: the VP locked, the GPA lock not held; does not sleep.
 */
void __hvsim_hot hvsim_svm_npt_refill(struct hvsim_svm_npt *npt)
{
	struct page *page;

	while (npt->nr_reserve < HVSIM_NPT_RESERVE) {
		page = alloc_page(GFP_NOWAIT | __GFP_NOWARN | __GFP_ACCOUNT);
		if (!page)
			return;
		npt->reserve[npt->nr_reserve++] = page;
	}
}

/**
 * hvsim_svm_npt_can_fault() - is the reserve enough for any one fault?
 * @npt: the VP's tables
 *
 * Return: true if a new root and a full path of tables fit.
 */
bool __hvsim_hot hvsim_svm_npt_can_fault(struct hvsim_svm_npt *npt)
{
	return npt->nr_reserve >= 5;
}

/* A zeroed table page from the reserve, or NULL. */
static u64 *hvsim_npt_take(struct hvsim_svm_npt *npt)
{
	void *va;

	if (!npt->nr_reserve)
		return NULL;
	va = page_address(npt->reserve[--npt->nr_reserve]);
	clear_page(va);
	npt->pages++;
	return va;
}

static void hvsim_npt_free_level(u64 *table, int level)
{
	int i;

	if (level > 1) {
		/* A 2 MiB leaf points to guest memory, not to a table. */
		for (i = 0; i < 512; i++)
			if ((table[i] & HVSIM_NPT_P) &&
			    !(table[i] & HVSIM_NPT_PS))
				hvsim_npt_free_level(phys_to_virt(table[i] &
								  HVSIM_NPT_ADDR),
						     level - 1);
	}
	free_page((unsigned long)table);
}

/**
 * hvsim_svm_npt_free() - free a VP's nested page tables
 * @npt: the tables
 */
void hvsim_svm_npt_free(struct hvsim_svm_npt *npt)
{
	if (npt->root)
		hvsim_npt_free_level(npt->root, hvsim_npt_levels());
	npt->root = NULL;
	npt->pages = 0;
}

/**
 * hvsim_svm_npt_destroy() - free the tables and the reserve
 * @npt: the VP's tables
 */
void hvsim_svm_npt_destroy(struct hvsim_svm_npt *npt)
{
	hvsim_svm_npt_free(npt);
	while (npt->nr_reserve)
		__free_page(npt->reserve[--npt->nr_reserve]);
}

/**
 * hvsim_svm_npt_root() - the VP's nested page table root, up to date
 * @vp: the VP, locked, GPA map read-locked
 * @s: its engine state
 *
 * Drops the tables if the GPA map changed since they were built, or the
 * VP moved its xAPIC page.
 *
 * Return: the physical address of the top-level table, or 0 if the
 * reserve is empty.
 */
u64 __hvsim_hot hvsim_svm_npt_root(struct hvsim_vp *vp, struct hvsim_svm_vp *s)
{
	struct hvsim_svm_npt *npt = &s->npt;
	long gen = atomic_long_read(&vp->pt->gpa_gen);
	u64 apic_gfn = vp->cpu.msr.apic_base >> PAGE_SHIFT;

	lockdep_assert_held(&vp->lock);
	lockdep_assert_held_read(&vp->pt->gpa_lock);

	if (npt->root && (npt->gen != gen || npt->apic_gfn != apic_gfn)) {
		hvsim_svm_npt_free(npt);
		atomic_long_inc(&hvsim_svm_stats.npt_zaps);
		s->cpu = -1;	/* a fresh ASID: no stale TLB entries */
	}
	if (!npt->root) {
		npt->root = hvsim_npt_take(npt);
		if (!npt->root)
			return 0;
		npt->gen = gen;
		npt->apic_gfn = apic_gfn;
	}
	return virt_to_phys(npt->root);
}

/*
 * The entry of @gfn at @level (1: a 4 KiB leaf, HVSIM_NPT_LEVEL_2M: a
 * 2 MiB leaf or a table of 4 KiB ones), allocating the tables above it;
 * a 2 MiB leaf met on the way down instead (HVSIM_NPT_PS set); NULL if
 * the reserve ran out.
 */
static u64 *hvsim_npt_slot(struct hvsim_svm_npt *npt, u64 gfn, int level)
{
	u64 *table = npt->root;
	u64 *e, *next;
	int l;

	for (l = hvsim_npt_levels(); ; l--) {
		e = &table[(gfn >> (9 * (l - 1))) & 511];
		if (l == level || (*e & HVSIM_NPT_PS))
			return e;
		if (!(*e & HVSIM_NPT_P)) {
			next = hvsim_npt_take(npt);
			if (!next)
				return NULL;
			*e = virt_to_phys(next) | HVSIM_NPT_DIR;
		}
		table = phys_to_virt(*e & HVSIM_NPT_ADDR);
	}
}

/* The leaf entry the GPA map allows for @gfn and the access, or 0. */
static u64 hvsim_npt_leaf(struct hvsim_vp *vp, u64 gfn, bool write,
			  bool fetch)
{
	struct hvsim_partition *pt = vp->pt;
	struct page *overlay;
	u64 entry, pfn, leaf;

	if (gfn > HVSIM_NPT_MAX_GFN)
		return 0;
	if (pt->lapic && gfn == vp->cpu.msr.apic_base >> PAGE_SHIFT)
		return 0;
	overlay = xa_load(&pt->overlay, gfn);
	if (overlay)
		return PFN_PHYS(page_to_pfn(overlay)) | HVSIM_NPT_P |
		       HVSIM_NPT_RW | HVSIM_NPT_US;

	entry = hvsim_gpt_lookup(&pt->gpa, gfn);
	if (!entry || (entry & HVSIM_GPA_NO_ACCESS) ||
	    !(entry & HV_MAP_GPA_READABLE))
		return 0;
	if ((write && !(entry & HV_MAP_GPA_WRITABLE)) ||
	    (fetch && !(entry & HV_MAP_GPA_EXECUTABLE)))
		return 0;
	pfn = entry >> HVSIM_GPA_PFN_SHIFT;
	if (!pfn_valid(pfn))
		return 0;

	leaf = PFN_PHYS(pfn) | HVSIM_NPT_P | HVSIM_NPT_US;
	if (!(entry & HV_MAP_GPA_EXECUTABLE))
		leaf |= HVSIM_NPT_NX;
	if (entry & HV_MAP_GPA_WRITABLE)
		leaf |= HVSIM_NPT_RW;
	if (READ_ONCE(pt->access_tracking)) {
		hvsim_gpt_note_access(&pt->gpa, gfn, write);
		if (!(hvsim_gpt_access_state(&pt->gpa, gfn, 0) &
		      HV_GPA_PAGE_ACCESS_DIRTY))
			leaf &= ~HVSIM_NPT_RW;
	}
	return leaf;
}

/*
 * The 2 MiB leaf that may map the 2 MiB-aligned range of @gfn, given that
 * @leaf is the 4 KiB leaf of @gfn, or 0 if the range must be mapped page
 * by page.  It may when the GPA map maps the whole range as one piece
 * (hvsim_gpt_lookup_2m(): same flags, one aligned run of frames), those
 * frames are RAM, nothing of the range is special (a SynIC overlay, the
 * VP's xAPIC page) and access tracking is off (it needs the accessed and
 * dirty bits of each 4 KiB page).  The flags being those of @gfn, the
 * access that faulted is allowed.
 */
static u64 hvsim_npt_leaf_2m(struct hvsim_vp *vp, u64 gfn, u64 leaf)
{
	struct hvsim_partition *pt = vp->pt;
	unsigned long first = ALIGN_DOWN(gfn, HVSIM_NPT_GFNS_2M);
	u64 entry, pfn;

	if (READ_ONCE(pt->access_tracking))
		return 0;
	if (pt->lapic && ALIGN_DOWN(vp->cpu.msr.apic_base >> PAGE_SHIFT,
				    HVSIM_NPT_GFNS_2M) == first)
		return 0;
	if (xa_find(&pt->overlay, &first, first + HVSIM_NPT_GFNS_2M - 1,
		    XA_PRESENT))
		return 0;
	entry = hvsim_gpt_lookup_2m(&pt->gpa, gfn);
	if (!entry)
		return 0;
	pfn = entry >> HVSIM_GPA_PFN_SHIFT;
	/* pfn_valid() answers per memory (sub)section: ask at both ends. */
	if (!pfn_valid(pfn) || !pfn_valid(pfn + HVSIM_NPT_GFNS_2M - 1))
		return 0;
	/* @leaf has the range's permissions: only its frame changes. */
	return (leaf & ~HVSIM_NPT_ADDR) | PFN_PHYS(pfn) | HVSIM_NPT_PS;
}

/*
 * Does the GPA map itself refuse the access to @gfn (an entry without the
 * permission, or NO_ACCESS), where the interpreter would report a
 * GPA_INTERCEPT (gpa.c: -EACCES)?  Not for the xAPIC page or an overlay.
 */
static bool hvsim_npt_refused(struct hvsim_vp *vp, u64 gfn, bool write,
			      bool fetch)
{
	struct hvsim_partition *pt = vp->pt;
	u64 entry;

	if (gfn > HVSIM_NPT_MAX_GFN || xa_load(&pt->overlay, gfn) ||
	    (pt->lapic && gfn == vp->cpu.msr.apic_base >> PAGE_SHIFT))
		return false;
	entry = hvsim_gpt_lookup(&pt->gpa, gfn);
	return entry && ((entry & HVSIM_GPA_NO_ACCESS) ||
			 !(entry & HV_MAP_GPA_READABLE) ||
			 (write && !(entry & HV_MAP_GPA_WRITABLE)) ||
			 (fetch && !(entry & HV_MAP_GPA_EXECUTABLE)));
}

/**
 * hvsim_svm_npt_fault() - handle a #NPF
 * @vp: the VP, locked, GPA map read-locked
 * @s: its engine state
 * @gpa: the faulting guest physical address (exit_info_2)
 * @info: the fault's error code (exit_info_1)
 *
 * Return: 0 if the gfn is now mapped for the access (run the guest
 * again), HVSIM_NPF_EMULATE if the access needs emulation,
 * HVSIM_NPF_REFUSED if it does because the GPA map refuses it (a page
 * mapped NO_ACCESS, e.g. a movable region not faulted in yet, or without
 * the permission), -ENOMEM if the reserve ran out
 * (hvsim_svm_npt_can_fault() said no).
 */
int hvsim_svm_npt_fault(struct hvsim_vp *vp, struct hvsim_svm_vp *s,
			u64 gpa, u64 info)
{
	u64 gfn = gpa >> PAGE_SHIFT;
	u64 leaf, large, *slot;

	lockdep_assert_held(&vp->lock);
	lockdep_assert_held_read(&vp->pt->gpa_lock);

	leaf = hvsim_npt_leaf(vp, gfn, info & HVSIM_NPF_WRITE,
			      info & HVSIM_NPF_FETCH);
	if (!leaf)
		return hvsim_npt_refused(vp, gfn, info & HVSIM_NPF_WRITE,
					 info & HVSIM_NPF_FETCH) ?
		       HVSIM_NPF_REFUSED : HVSIM_NPF_EMULATE;

	/*
	 * A 2 MiB leaf where the range allows one and no table of 4 KiB
	 * leaves is there yet (one built before is kept: its leaves are
	 * right, and replacing a table would need a TLB flush).
	 */
	large = hvsim_npt_leaf_2m(vp, gfn, leaf);
	if (large) {
		slot = hvsim_npt_slot(&s->npt, gfn, HVSIM_NPT_LEVEL_2M);
		if (!slot)
			return -ENOMEM;
		if (!(*slot & HVSIM_NPT_P)) {
			WRITE_ONCE(*slot, large);
			atomic_long_inc(&hvsim_svm_stats.npt_maps_2m);
			return 0;
		}
	}

	slot = hvsim_npt_slot(&s->npt, gfn, 1);
	if (!slot)
		return -ENOMEM;
	/*
	 * The same entry faulted again, or the 2 MiB leaf over @gfn did (it
	 * is the same for the whole generation): let the interpreter make
	 * progress.
	 */
	if (*slot == leaf || (*slot & HVSIM_NPT_PS))
		return HVSIM_NPF_EMULATE;
	WRITE_ONCE(*slot, leaf);
	atomic_long_inc(&hvsim_svm_stats.npt_maps);
	return 0;
}
