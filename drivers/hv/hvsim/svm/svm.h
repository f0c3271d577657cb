/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvsim's SVM engine: runs VPs with AMD-V and nested paging.
 *
 * The model, in short (details in each file):
 *  - vp->cpu stays the canonical register state.  It is copied into the
 *    VP's VMCB before each VMRUN and back after each #VMEXIT
 *    (svm_state.c); vp->st.xsave is the guest's XSAVE area, loaded
 *    around VMRUN (svm_run.c).
 *  - Every exit that needs emulation (port I/O, MSRs, CPUID, HLT, an
 *    access the GPA map refuses or that goes to something that is not
 *    guest RAM, an intercepted exception, VMMCALL, ...) is resolved by
 *    running the interpreter for exactly one instruction from the synced
 *    state.  The interpreter then either executes the instruction with
 *    hvsim's semantics (CPUID and MSR values, the xAPIC page, SynIC
 *    pages, doorbells) or stops with exactly the struct hvsim_exit the
 *    interpreter engine would have produced.  No instruction length is
 *    needed from the CPU (QEMU's AMD-V has no NRIP save).  IN and OUT
 *    are the exception: the IOIO intercept's EXITINFO1/EXITINFO2 give
 *    the port access and the length, and only the instruction bytes
 *    are fetched (svm_run.c).
 *  - External interrupts from hvsim's LAPIC model are delivered by the
 *    interpreter's delivery code when deliverable.  When one waits for
 *    RFLAGS.IF, a V_IRQ with the VINTR intercept ends the run once the
 *    window opens.  NMIs are injected with EVENTINJ; while one is being
 *    handled, IRET is intercepted (the interpreter clears nmi_masked when
 *    it executes it).
 *  - An event whose delivery an exit interrupted (EXITINTINFO) is
 *    injected again at the next VMRUN (svm_run.c).
 *  - Nested page tables are per VP, built lazily on #NPF from the GPA
 *    table (svm_npt.c), with 2 MiB leaves where a whole 2 MiB of guest
 *    memory is one piece of host memory, and dropped whenever the
 *    partition's gpa_gen moves (map, unmap, access states, SynIC
 *    overlays).
 *  - EFER.SVME is set only around one VMRUN, with interrupts off; when
 *    it is already set (KVM owns SVM on this CPU), the slice runs in the
 *    interpreter instead.
 */
#ifndef _HVSIM_SVM_H
#define _HVSIM_SVM_H

#include <linux/smp.h>
#include <linux/types.h>
#include "vmcb.h"

#include "../hvsim.h"

/* Guest GPRs in hvsim_gpr order (RAX and RSP also live in the VMCB). */
struct hvsim_svm_gprs {
	u64 r[16];
};

/* Table pages a VP keeps in reserve (refilled outside the GPA lock). */
#define HVSIM_NPT_RESERVE	32

/**
 * struct hvsim_svm_npt - a VP's nested page tables
 * @root: the top-level table, or NULL (nothing built yet)
 * @pages: table pages in use
 * @gen: the partition's gpa_gen the tables were built for
 * @apic_gfn: the gfn of the xAPIC page never mapped in them
 * @reserve: free pages for new tables, allocated without direct reclaim
 *	(see hvsim_svm_npt_refill())
 * @nr_reserve: pages in @reserve
 */
struct hvsim_svm_npt {
	u64 *root;
	unsigned long pages;
	long gen;
	u64 apic_gfn;
	struct page *reserve[HVSIM_NPT_RESERVE];
	unsigned int nr_reserve;
};

#define HVSIM_SVM_TRAIL	8

/**
 * struct hvsim_svm_trail - what one #VMEXIT reported, for diagnostics
 * @rip: the guest's RIP in the VMCB
 * @info1: EXITINFO1
 * @code: the exit code
 * @exit_int_info: EXITINTINFO
 * @event_inj: the EVENTINJ of the VMRUN
 */
struct hvsim_svm_trail {
	u64 rip;
	u64 info1;
	u32 code;
	u32 exit_int_info;
	u32 event_inj;
};

/**
 * struct hvsim_svm_vp - the SVM engine's state of one VP
 * @vmcb: the VP's VMCB (one page)
 * @vmcb_pa: its physical address
 * @gprs: guest GPRs, loaded and saved by hvsim_svm_vmrun()
 * @npt: nested page tables
 * @asid: ASID in use on @cpu
 * @asid_gen: the per-CPU ASID generation @asid belongs to
 * @cpu: CPU the VP last ran on, -1 if none
 * @running_cpu: CPU the VP is in guest mode on now, or -1 (for kicks)
 * @exceptions: exception intercept bitmap of the current slice
 * @slice_end: the TSC when the current slice is over
 * @short_at_start: the current slice began with too few table pages in
 *	reserve (the refill before it came up short)
 * @refill: a #NPF found the reserve short: end the slice, so that the
 *	reserve is refilled before the next one
 * @event: an event (EVENTINJ format) the CPU was delivering when the
 *	guest last exited, or an NMI hvsim is delivering; injected at the
 *	next VMRUN (svm_run.c), 0 if none
 * @event_err: its error code
 * @event_rip: the guest's RIP when @event was recorded; a VP the VMM moved
 *	meanwhile (new RIP, INIT) drops @event
 * @trail: the last #VMEXITs (svm_run.c), printed when the VP stops with
 *	an unrecoverable exit
 * @trail_next: next slot of @trail
 */
struct hvsim_svm_vp {
	struct hvsim_vmcb *vmcb;
	u64 vmcb_pa;
	struct hvsim_svm_gprs gprs;
	struct hvsim_svm_npt npt;
	u32 asid;
	u64 asid_gen;
	int cpu;
	int running_cpu;
	u32 exceptions;
	u64 slice_end;
	bool short_at_start;
	bool refill;
	u32 event;
	u32 event_err;
	u64 event_rip;
	struct hvsim_svm_trail trail[HVSIM_SVM_TRAIL];
	unsigned int trail_next;
};

static inline struct hvsim_svm_vp *hvsim_svm(struct hvsim_vp *vp)
{
	return vp->engine;
}

/* svm_main.c */
/* Exit codes counted one by one in debugfs (#NPF is folded into 0xff). */
#define HVSIM_SVM_NR_CODES	0x100
struct hvsim_svm_stats {
	atomic_long_t runs;
	atomic_long_t vmexits;
	atomic_long_t emulated;
	atomic_long_t npt_maps;
	atomic_long_t npt_maps_2m;
	atomic_long_t npt_zaps;
	atomic_long_t busy_fallbacks;
	atomic_long_t invalid_fallbacks;
	atomic_long_t preempted;
	atomic_long_t refills;
	atomic_long_t kicks;
	atomic_long_t reinjected;
	atomic_long_t npf_intercepts;
	atomic_long_t xsetbv_unintercepted;
	atomic_long_t ioio_fast;
	atomic_long_t by_code[HVSIM_SVM_NR_CODES];
};

extern struct hvsim_svm_stats hvsim_svm_stats;
extern u64 hvsim_svm_iopm_pa, hvsim_svm_msrpm_pa;
int hvsim_svm_cpu_enter(struct hvsim_svm_vp *s, u64 *host_save_pa);
void hvsim_svm_cpu_leave(void);

/* svm_state.c */
void hvsim_svm_vmcb_init(struct hvsim_svm_vp *s);
void hvsim_svm_state_to_vmcb(struct hvsim_vp *vp, struct hvsim_svm_vp *s);
void hvsim_svm_state_from_vmcb(struct hvsim_vp *vp, struct hvsim_svm_vp *s);

/* svm_npt.c */
/* hvsim_svm_npt_fault() results besides 0 and -ENOMEM */
#define HVSIM_NPF_EMULATE	1
#define HVSIM_NPF_REFUSED	2
void hvsim_svm_npt_refill(struct hvsim_svm_npt *npt);
bool hvsim_svm_npt_can_fault(struct hvsim_svm_npt *npt);
u64 hvsim_svm_npt_root(struct hvsim_vp *vp, struct hvsim_svm_vp *s);
int hvsim_svm_npt_fault(struct hvsim_vp *vp, struct hvsim_svm_vp *s,
			u64 gpa, u64 info);
void hvsim_svm_npt_free(struct hvsim_svm_npt *npt);
void hvsim_svm_npt_destroy(struct hvsim_svm_npt *npt);

/* svm_run.c */
void hvsim_svm_run(struct hvsim_vp *vp, unsigned long budget,
		   struct hvsim_exit *exit);

/* vmenter.S */
void hvsim_svm_vmrun(u64 vmcb_pa, u64 host_save_pa,
		     struct hvsim_svm_gprs *gprs);

#endif /* _HVSIM_SVM_H */
