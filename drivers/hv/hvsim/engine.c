// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim execution engines (engine.h): the engine= module parameter, the
 * interpreter engine, and the calls the rest of hvsim makes into
 * whichever engine runs the VPs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "hvsim.h"
#include "engine.h"

static char *engine = "auto";
module_param(engine, charp, 0444);
MODULE_PARM_DESC(engine,
		 "execution engine: \"auto\" (svm if usable, else interp), \"interp\" or \"svm\" (AMD-V with nested paging)");

/* The engine in use; set once at module load. */
const struct hvsim_engine_ops *hvsim_engine = &hvsim_interp_engine;

/**
 * hvsim_interp_run() - run a VP with the interpreter
 * @vp: the VP, locked, GPA map read-locked
 * @budget: instructions at most
 * @exit: why the run stopped
 */
void hvsim_interp_run(struct hvsim_vp *vp, unsigned long budget,
		      struct hvsim_exit *exit)
{
	hvsim_cpu_run(&vp->cpu, &hvsim_vp_mem_ops, vp, budget, exit);
}

const struct hvsim_engine_ops hvsim_interp_engine = {
	.name = "interp",
	.run = hvsim_interp_run,
};

/**
 * hvsim_engine_init() - pick the engine the engine= parameter asks for
 *
 * Return: 0, -EINVAL for an unknown name, or -ENODEV (or the SVM
 * engine's error) if engine=svm cannot be had on this machine.
 */
int hvsim_engine_init(void)
{
	int ret;

	if (!strcmp(engine, "interp"))
		return 0;
	if (strcmp(engine, "auto") && strcmp(engine, "svm")) {
		pr_err("engine=%s: must be \"auto\", \"interp\" or \"svm\"\n",
		       engine);
		return -EINVAL;
	}
	if (!hvsim_svm_usable(!strcmp(engine, "auto"))) {
		if (!strcmp(engine, "auto"))
			return 0;
		pr_err("engine=svm: no usable AMD-V with nested paging\n");
		return -ENODEV;
	}
	ret = hvsim_svm_init();
	if (ret) {
		if (!strcmp(engine, "auto"))
			return 0;
		return ret;
	}
	hvsim_engine = &hvsim_svm_engine;
	pr_info("execution engine: %s\n", hvsim_engine->name);
	return 0;
}

/**
 * hvsim_engine_exit() - release what the engine set up at load
 */
void hvsim_engine_exit(void)
{
	if (hvsim_engine == &hvsim_svm_engine)
		hvsim_svm_exit();
}

/**
 * hvsim_engine_vp_init() - the engine's per-VP state
 * @vp: a VP being created
 *
 * Return: 0 or -ENOMEM.
 */
int hvsim_engine_vp_init(struct hvsim_vp *vp)
{
	return hvsim_engine->vp_init ? hvsim_engine->vp_init(vp) : 0;
}

/**
 * hvsim_engine_vp_destroy() - free the engine's per-VP state
 * @vp: a VP that runs no more
 */
void hvsim_engine_vp_destroy(struct hvsim_vp *vp)
{
	if (hvsim_engine->vp_destroy)
		hvsim_engine->vp_destroy(vp);
}

/**
 * hvsim_engine_gpa_changed() - the GPA map of @pt changed
 * @pt: the partition; gpa_lock write-held, except for a SynIC overlay
 *	moved by its VP (which is running or locked)
 *
 * Counts a generation of the map (engines that cache translations
 * compare it before running a VP) and tells the engine.  Does not sleep.
 */
void hvsim_engine_gpa_changed(struct hvsim_partition *pt)
{
	atomic_long_inc(&pt->gpa_gen);
	if (hvsim_engine->gpa_changed)
		hvsim_engine->gpa_changed(pt);
}

/**
 * hvsim_engine_kick() - something was posted to @vp from outside
 * @vp: the VP (referenced)
 */
void hvsim_engine_kick(struct hvsim_vp *vp)
{
	if (hvsim_engine->kick)
		hvsim_engine->kick(vp);
}

/**
 * hvsim_engine_show() - debugfs "engine": the engine's name, statistics
 * @m: the file
 */
void hvsim_engine_show(struct seq_file *m)
{
	seq_printf(m, "engine %s\n", hvsim_engine->name);
	if (hvsim_engine->show)
		hvsim_engine->show(m);
}
