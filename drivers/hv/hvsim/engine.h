/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvsim execution engines: what runs a VP's guest code.
 *
 * Everything above an engine (intercept messages, both scheduler models,
 * SynIC, LAPIC, registers, TRANSLATE_VIRTUAL_ADDRESS) works on the VP's
 * canonical state: vp->cpu (struct hvsim_cpu_state) and vp->st.xsave.
 * An engine takes that state, runs the guest until something needs the
 * hypervisor, and leaves the state there again, with a struct hvsim_exit
 * saying why it stopped, exactly as the interpreter (hvsim_cpu_run())
 * reports it.
 *
 * Engines:
 *   interp  hvsim's own x86 interpreter (cpu*.c); always available
 *   svm     AMD-V with nested paging (svm/); see svm/svm.h
 * The module parameter engine=auto|interp|svm picks the engine of each
 * partition when it is created (engine.c).
 */
#ifndef _HVSIM_ENGINE_H
#define _HVSIM_ENGINE_H

#include <linux/types.h>

struct hvsim_vp;
struct hvsim_partition;
struct hvsim_exit;
struct seq_file;

/**
 * struct hvsim_engine_ops - an execution engine
 * @name: "interp", "svm"
 * @vp_init: allocate the engine's per-VP state (VP not yet visible)
 * @vp_destroy: free it (the VP no longer runs)
 * @prepare: before each run of @vp (locked), without the GPA lock; must
 *	not sleep or enter direct reclaim; NULL if nothing to do
 * @run: run @vp (locked, GPA map read-locked) for at most @budget
 *	instructions or an engine-defined time slice; fill @exit like
 *	hvsim_cpu_run() does
 * @gpa_changed: the GPA map, its overlays or its access states changed
 *	(called with gpa_lock write-held); NULL if nothing is cached
 * @kick: something was posted to @vp from outside (any context, no
 *	locks): make a running VP look at its interrupt controller soon;
 *	NULL if runs are bounded anyway
 * @cpuid: adjust what CPUID reports on @vp (@r: EAX, EBX, ECX, EDX) to
 *	what the engine executes; NULL if it executes what the host has
 * @xcr0_mask: the XSAVE state components (XCR0 bits) a guest of @pt
 *	may enable with this engine: what CPUID leaf 0xD reports and XSETBV
 *	takes; NULL: x87 only
 * @show: debugfs statistics; may be NULL
 */
struct hvsim_engine_ops {
	const char *name;
	int (*vp_init)(struct hvsim_vp *vp);
	void (*vp_destroy)(struct hvsim_vp *vp);
	void (*prepare)(struct hvsim_vp *vp);
	void (*run)(struct hvsim_vp *vp, unsigned long budget,
		    struct hvsim_exit *exit);
	void (*gpa_changed)(struct hvsim_partition *pt);
	void (*kick)(struct hvsim_vp *vp);
	void (*cpuid)(struct hvsim_vp *vp, u32 leaf, u32 subleaf, u32 r[4]);
	u64 (*xcr0_mask)(struct hvsim_partition *pt);
	void (*show)(struct seq_file *m);
};

extern const struct hvsim_engine_ops hvsim_interp_engine;

int hvsim_engine_init(void);
const struct hvsim_engine_ops *hvsim_engine_pick(void);
void hvsim_engine_exit(void);
int hvsim_engine_vp_init(struct hvsim_vp *vp);
void hvsim_engine_vp_destroy(struct hvsim_vp *vp);
void hvsim_engine_gpa_changed(struct hvsim_partition *pt);
void hvsim_engine_kick(struct hvsim_vp *vp);
void hvsim_engine_cpuid(struct hvsim_vp *vp, u32 leaf, u32 subleaf, u32 r[4]);
u64 hvsim_engine_xcr0_mask(struct hvsim_partition *pt);
void hvsim_engine_show(struct seq_file *m);

/* The interpreter engine's run, for engines that fall back to it. */
void hvsim_interp_run(struct hvsim_vp *vp, unsigned long budget,
		      struct hvsim_exit *exit);

bool hvsim_svm_usable(bool need_free);
int hvsim_svm_init(void);
void hvsim_svm_exit(void);
extern const struct hvsim_engine_ops hvsim_svm_engine;

#endif /* _HVSIM_ENGINE_H */
