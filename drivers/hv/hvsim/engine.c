// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim execution engines (engine.h): the engine= module parameter, the
 * interpreter engine, and the calls the rest of hvsim makes into the
 * engine of a partition.
 *
 * The engine is chosen per partition, when it is created, from the
 * parameter's value at that moment: "interp", "svm", or "auto" (svm if
 * this machine can run it and EFER.SVME was clear when hvsim loaded,
 * i.e. no other hypervisor owned SVM, else interp).  The parameter is
 * writable, so that a test can run the same guest under both engines in
 * one boot; writing "svm" fails with ENODEV where the SVM engine cannot
 * run.  The SVM engine's global state is set up at load when the CPU
 * has what it needs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "hvsim.h"
#include "engine.h"

enum hvsim_engine_choice {
	HVSIM_ENGINE_AUTO,
	HVSIM_ENGINE_INTERP,
	HVSIM_ENGINE_SVM,
};

static const char * const hvsim_engine_names[] = {
	[HVSIM_ENGINE_AUTO] = "auto",
	[HVSIM_ENGINE_INTERP] = "interp",
	[HVSIM_ENGINE_SVM] = "svm",
};

/* interp until engine=svm has a record in make check of its own. */
static int hvsim_engine_choice = HVSIM_ENGINE_INTERP;
/* The SVM engine is set up (hardware has SVM, NPT, XSAVE). */
static bool hvsim_svm_ready;
/* engine=auto picks svm: ready, and SVM was free when hvsim loaded. */
static bool hvsim_svm_auto;
/* hvsim_engine_init() ran: a write of the parameter is checked here. */
static bool hvsim_engine_loaded;

static int hvsim_engine_param_set(const char *val,
				  const struct kernel_param *kp)
{
	int i = sysfs_match_string(hvsim_engine_names, val);

	if (i < 0)
		return -EINVAL;
	/* Before hvsim_engine_init() (module load): checked there. */
	if (i == HVSIM_ENGINE_SVM && !hvsim_svm_ready && hvsim_engine_loaded)
		return -ENODEV;
	WRITE_ONCE(hvsim_engine_choice, i);
	return 0;
}

static int hvsim_engine_param_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n",
			  hvsim_engine_names[READ_ONCE(hvsim_engine_choice)]);
}

static const struct kernel_param_ops hvsim_engine_param_ops = {
	.set = hvsim_engine_param_set,
	.get = hvsim_engine_param_get,
};
module_param_cb(engine, &hvsim_engine_param_ops, NULL, 0644);
MODULE_PARM_DESC(engine,
		 "execution engine of partitions created from now on: \"interp\" (default), \"svm\" (AMD-V with nested paging) or \"auto\" (svm if usable and free at load, else interp)");

/**
 * hvsim_interp_run() - run a VP with the interpreter
 * @vp: the VP, locked, GPA map read-locked
 * @budget: instructions at most
 * @exit: why the run stopped
 */
void hvsim_interp_run(struct hvsim_vp *vp, unsigned long budget,
		      struct hvsim_exit *exit)
{
	lockdep_assert_held(&vp->lock);
	lockdep_assert_held_read(&vp->pt->gpa_lock);

	hvsim_cpu_run(&vp->cpu, &hvsim_vp_mem_ops, vp, budget, exit);
}

/*
 * CPUID bits of what the interpreter does not execute: x87, MMX, SSE to
 * SSE4.2 and SSE4A, AVX, AVX2, AVX-512, FMA, F16C, AES, PCLMULQDQ, GFNI,
 * VAES and 3DNow! (Intel SDM vol. 2A, CPUID; AMD APM vol. 3, appendix E);
 * no XSAVEOPT, XSAVEC, XGETBV with ECX=1 or XSAVES (leaf 0xD sub-leaf 1
 * EAX[3:0]).  XSAVE stays: the interpreter keeps XCR0 (XSETBV, XGETBV),
 * with x87 as the only component (hvsim_engine_xcr0_mask()).
 */
#define HVSIM_ANY_SUB	0xffffffffU
enum { HVSIM_EAX, HVSIM_EBX, HVSIM_ECX, HVSIM_EDX };
static const struct {
	u32 leaf, sub;
	u8 reg;
	u32 mask;
} hvsim_interp_cpuid_masks[] = {
	/* FPU, MMX, FXSR, SSE, SSE2 */
	{ 1, HVSIM_ANY_SUB, HVSIM_EDX,
	  BIT(0) | BIT(23) | BIT(24) | BIT(25) | BIT(26) },
	/* SSE3, PCLMULQDQ, SSSE3, FMA, SSE4.1, SSE4.2, AES, AVX, F16C */
	{ 1, HVSIM_ANY_SUB, HVSIM_ECX,
	  BIT(0) | BIT(1) | BIT(9) | BIT(12) | BIT(19) | BIT(20) | BIT(25) |
	  BIT(28) | BIT(29) },
	/* AVX2, AVX512F/DQ/IFMA/PF/ER/CD/BW/VL */
	{ 7, 0, HVSIM_EBX,
	  BIT(5) | BIT(16) | BIT(17) | BIT(21) | BIT(26) | BIT(27) | BIT(28) |
	  BIT(30) | BIT(31) },
	/* AVX512_VBMI, VBMI2, GFNI, VAES, VPCLMULQDQ, VNNI, BITALG, VPOPCNTDQ */
	{ 7, 0, HVSIM_ECX,
	  BIT(1) | BIT(6) | BIT(8) | BIT(9) | BIT(10) | BIT(11) | BIT(12) |
	  BIT(14) },
	/* AVX512_4VNNIW, 4FMAPS, VP2INTERSECT, FP16 */
	{ 7, 0, HVSIM_EDX, BIT(2) | BIT(3) | BIT(8) | BIT(23) },
	/* AVX-VNNI, AVX512_BF16 */
	{ 7, 1, HVSIM_EAX, BIT(4) | BIT(5) },
	/* SSE4A, XOP, FMA4 */
	{ 0x80000001, HVSIM_ANY_SUB, HVSIM_ECX, BIT(6) | BIT(11) | BIT(16) },
	/* MMX extensions, MMX, FXSR, 3DNow! extensions, 3DNow! */
	{ 0x80000001, HVSIM_ANY_SUB, HVSIM_EDX,
	  BIT(22) | BIT(23) | BIT(24) | BIT(30) | BIT(31) },
	/* XSAVEOPT, XSAVEC, XGETBV1, XSAVES */
	{ 0xd, 1, HVSIM_EAX, BIT(0) | BIT(1) | BIT(2) | BIT(3) },
};

static void hvsim_interp_cpuid(struct hvsim_vp *vp, u32 leaf, u32 subleaf,
			       u32 r[4])
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hvsim_interp_cpuid_masks); i++)
		if (hvsim_interp_cpuid_masks[i].leaf == leaf &&
		    (hvsim_interp_cpuid_masks[i].sub == HVSIM_ANY_SUB ||
		     hvsim_interp_cpuid_masks[i].sub == subleaf))
			r[hvsim_interp_cpuid_masks[i].reg] &=
				~hvsim_interp_cpuid_masks[i].mask;
}

const struct hvsim_engine_ops hvsim_interp_engine = {
	.name = "interp",
	.run = hvsim_interp_run,
	.cpuid = hvsim_interp_cpuid,
};

/**
 * hvsim_engine_init() - set up the SVM engine if the machine has it
 *
 * Called before any partition exists.
 *
 * Return: 0, or -ENODEV if engine=svm was asked for at load and cannot
 * be had.
 */
int hvsim_engine_init(void)
{
	if (hvsim_svm_usable(false) && !hvsim_svm_init()) {
		hvsim_svm_ready = true;
		hvsim_svm_auto = hvsim_svm_usable(true);
	}
	if (hvsim_engine_choice == HVSIM_ENGINE_SVM && !hvsim_svm_ready) {
		pr_err("engine=svm: no usable AMD-V with nested paging\n");
		hvsim_engine_exit();
		return -ENODEV;
	}
	hvsim_engine_loaded = true;
	pr_info("execution engine: %s (svm %s)\n",
		hvsim_engine_names[hvsim_engine_choice],
		hvsim_svm_ready ? "available" : "not available");
	return 0;
}

/**
 * hvsim_engine_exit() - release what the engines set up at load
 */
void hvsim_engine_exit(void)
{
	if (hvsim_svm_ready)
		hvsim_svm_exit();
	hvsim_svm_ready = false;
	hvsim_engine_loaded = false;
}

/**
 * hvsim_engine_pick() - the engine for a partition being created
 *
 * Return: the engine the engine= parameter asks for now.
 */
const struct hvsim_engine_ops *hvsim_engine_pick(void)
{
	switch (READ_ONCE(hvsim_engine_choice)) {
	case HVSIM_ENGINE_SVM:
		return hvsim_svm_ready ? &hvsim_svm_engine :
					 &hvsim_interp_engine;
	case HVSIM_ENGINE_AUTO:
		return hvsim_svm_auto ? &hvsim_svm_engine :
					&hvsim_interp_engine;
	default:
		return &hvsim_interp_engine;
	}
}

/**
 * hvsim_engine_vp_init() - the engine's per-VP state
 * @vp: a VP being created
 *
 * Return: 0 or -ENOMEM.
 */
int hvsim_engine_vp_init(struct hvsim_vp *vp)
{
	const struct hvsim_engine_ops *e = vp->pt->engine;

	return e->vp_init ? e->vp_init(vp) : 0;
}

/**
 * hvsim_engine_vp_destroy() - free the engine's per-VP state
 * @vp: a VP that runs no more
 */
void hvsim_engine_vp_destroy(struct hvsim_vp *vp)
{
	const struct hvsim_engine_ops *e = vp->pt->engine;

	if (e->vp_destroy)
		e->vp_destroy(vp);
}

/**
 * hvsim_engine_gpa_changed() - the GPA map of @pt changed
 * @pt: the partition; gpa_lock write-held, except for a SynIC overlay
 *	moved by its VP (which is running or locked)
 *
 * Counts a generation of the map (engines that cache guest physical
 * translations compare it before running a VP).  Does not sleep.
 */
void hvsim_engine_gpa_changed(struct hvsim_partition *pt)
{
	atomic_long_inc(&pt->gpa_gen);
	if (pt->engine && pt->engine->gpa_changed)
		pt->engine->gpa_changed(pt);
}

/**
 * hvsim_engine_kick() - something was posted to @vp from outside
 * @vp: the VP (referenced)
 */
void hvsim_engine_kick(struct hvsim_vp *vp)
{
	const struct hvsim_engine_ops *e = vp->pt->engine;

	if (e->kick)
		e->kick(vp);
}

/**
 * hvsim_engine_cpuid() - CPUID as the engine of @vp's partition executes
 * @vp: the VP
 * @leaf: EAX
 * @subleaf: ECX
 * @r: EAX, EBX, ECX, EDX, adjusted in place
 */
void hvsim_engine_cpuid(struct hvsim_vp *vp, u32 leaf, u32 subleaf, u32 r[4])
{
	const struct hvsim_engine_ops *e = vp->pt->engine;

	if (e->cpuid)
		e->cpuid(vp, leaf, subleaf, r);
}

/**
 * hvsim_engine_xcr0_mask() - XSAVE components a guest of @pt may enable
 * @pt: the partition
 *
 * Return: the XCR0 bits XSETBV takes and CPUID leaf 0xD reports: x87
 * only under the interpreter (it has no x87, SSE or AVX and no XSAVE
 * instructions: XCR0 keeps its reset value), the engine's otherwise.
 */
u64 hvsim_engine_xcr0_mask(struct hvsim_partition *pt)
{
	const struct hvsim_engine_ops *e = pt->engine;

	return e->xcr0_mask ? e->xcr0_mask(pt) : HV_X64_XSAVE_LEGACY_X87;
}

/**
 * hvsim_engine_show() - debugfs "engine": the choice, each engine's state
 * @m: the file
 */
void hvsim_engine_show(struct seq_file *m)
{
	seq_printf(m, "engine %s\n",
		   hvsim_engine_names[READ_ONCE(hvsim_engine_choice)]);
	seq_printf(m, "new_partitions %s\n", hvsim_engine_pick()->name);
	seq_printf(m, "svm %s\n", !hvsim_svm_ready ? "unavailable" :
		   hvsim_svm_auto ? "available" : "available (not auto)");
	if (hvsim_svm_ready)
		hvsim_svm_engine.show(m);
}
