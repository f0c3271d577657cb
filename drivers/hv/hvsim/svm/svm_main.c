// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim SVM engine: the hardware side.  Feature checks, the per-CPU host
 * areas, ASIDs, the I/O and MSR permission maps, EFER.SVME around each
 * VMRUN, kicks, and the engine's per-VP state.
 *
 * EFER.SVME is never left set: hvsim_svm_cpu_enter() sets it (and
 * VM_HSAVE_PA) with interrupts off, just before a VMRUN, and
 * hvsim_svm_cpu_leave() clears it right after the #VMEXIT, before
 * interrupts come back.  Nothing has to be undone on reboot, kexec or
 * CPU offlining, and a CPU on which EFER.SVME is already set belongs to
 * another hypervisor (KVM): hvsim does not touch it and the slice runs
 * in the interpreter instead (busy_fallbacks in debugfs).
 *
 * Host state that VMRUN/#VMEXIT does not switch is saved as KVM does
 * (arch/x86/kvm/svm/): VMSAVE of a per-CPU host area before the run,
 * VMLOAD of it right after (FS, GS, TR, LDTR with their hidden parts,
 * KERNEL_GS_BASE, STAR, LSTAR, CSTAR, SFMASK, SYSENTER_*).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpufeature.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/processor.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <asm/fpu/xcr.h>
#include <asm/msr.h>

#include "svm.h"

/**
 * struct hvsim_svm_cpu - per-CPU state of the SVM engine
 * @hsave: page VM_HSAVE_PA points to while hvsim runs a guest here
 * @host_save: page the host's VMSAVE state goes to around a run
 * @host_efer: EFER before hvsim_svm_cpu_enter() set SVME, for
 *	hvsim_svm_cpu_leave()
 * @asid_gen: ASID generation; a VP's ASID is valid only in its own
 * @next_asid: next ASID to hand out in this generation
 * @kick_csd: the kick IPI to this CPU
 * @kick_busy: @kick_csd is in flight
 */
struct hvsim_svm_cpu {
	struct page *hsave;
	struct page *host_save;
	u64 host_efer;
	u64 asid_gen;
	u32 next_asid;
	call_single_data_t kick_csd;
	atomic_t kick_busy;
};

static DEFINE_PER_CPU(struct hvsim_svm_cpu, hvsim_svm_cpus);
static u32 hvsim_svm_max_asid;
static struct page *hvsim_svm_iopm, *hvsim_svm_msrpm;
u64 hvsim_svm_iopm_pa, hvsim_svm_msrpm_pa;
struct hvsim_svm_stats hvsim_svm_stats;

/* 12 KiB of I/O permission map, 8 KiB of MSR permission map: all set. */
#define HVSIM_IOPM_ORDER	2
#define HVSIM_MSRPM_ORDER	1

/**
 * hvsim_svm_usable() - can this machine run the SVM engine?
 * @need_free: also require EFER.SVME clear on this CPU (nobody else
 *	owns SVM now), as engine=auto does
 *
 * Return: true with SVM, NPT and XSAVE present and SVM not disabled
 * by the firmware (VM_CR.SVMDIS).
 */
bool hvsim_svm_usable(bool need_free)
{
	u64 vm_cr, efer;

	if (!boot_cpu_has(X86_FEATURE_SVM) || !boot_cpu_has(X86_FEATURE_NPT) ||
	    !boot_cpu_has(X86_FEATURE_XSAVE) ||
	    boot_cpu_data.extended_cpuid_level < 0x8000000a)
		return false;
	rdmsrl(MSR_VM_CR, vm_cr);
	if (vm_cr & SVM_VM_CR_SVM_DIS_MASK)
		return false;
	rdmsrl(MSR_EFER, efer);
	return !need_free || !(efer & EFER_SVME);
}

static void hvsim_svm_kick_fn(void *info)
{
	atomic_set(&this_cpu_ptr(&hvsim_svm_cpus)->kick_busy, 0);
}

static void hvsim_svm_free_cpus(void)
{
	struct hvsim_svm_cpu *c;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		c = per_cpu_ptr(&hvsim_svm_cpus, cpu);
		if (c->hsave)
			__free_page(c->hsave);
		if (c->host_save)
			__free_page(c->host_save);
		c->hsave = NULL;
		c->host_save = NULL;
	}
}

/**
 * hvsim_svm_init() - allocate the SVM engine's global state
 *
 * Return: 0 or -ENOMEM, -ENODEV (no ASIDs).
 */
int hvsim_svm_init(void)
{
	struct hvsim_svm_cpu *c;
	unsigned int cpu;

	/* CPUID Fn8000_000A EBX: number of ASIDs (ASID 0 is the host's). */
	hvsim_svm_max_asid = cpuid_ebx(0x8000000a) - 1;
	if (!hvsim_svm_max_asid || hvsim_svm_max_asid > 0xffff)
		return -ENODEV;
	for_each_possible_cpu(cpu) {
		c = per_cpu_ptr(&hvsim_svm_cpus, cpu);
		c->hsave = alloc_pages_node(cpu_to_node(cpu),
					    GFP_KERNEL | __GFP_ZERO, 0);
		c->host_save = alloc_pages_node(cpu_to_node(cpu),
						GFP_KERNEL | __GFP_ZERO, 0);
		if (!c->hsave || !c->host_save)
			goto err;
		c->asid_gen = 1;
		c->next_asid = 1;
		INIT_CSD(&c->kick_csd, hvsim_svm_kick_fn, NULL);
		atomic_set(&c->kick_busy, 0);
	}
	hvsim_svm_iopm = alloc_pages(GFP_KERNEL, HVSIM_IOPM_ORDER);
	hvsim_svm_msrpm = alloc_pages(GFP_KERNEL, HVSIM_MSRPM_ORDER);
	if (!hvsim_svm_iopm || !hvsim_svm_msrpm)
		goto err;
	memset(page_address(hvsim_svm_iopm), 0xff,
	       PAGE_SIZE << HVSIM_IOPM_ORDER);
	memset(page_address(hvsim_svm_msrpm), 0xff,
	       PAGE_SIZE << HVSIM_MSRPM_ORDER);
	hvsim_svm_iopm_pa = page_to_phys(hvsim_svm_iopm);
	hvsim_svm_msrpm_pa = page_to_phys(hvsim_svm_msrpm);
	return 0;

err:
	if (hvsim_svm_iopm)
		__free_pages(hvsim_svm_iopm, HVSIM_IOPM_ORDER);
	if (hvsim_svm_msrpm)
		__free_pages(hvsim_svm_msrpm, HVSIM_MSRPM_ORDER);
	hvsim_svm_iopm = NULL;
	hvsim_svm_msrpm = NULL;
	hvsim_svm_free_cpus();
	return -ENOMEM;
}

/**
 * hvsim_svm_exit() - free the global state; no VP exists any more
 *
 * Waits for kick IPIs still in flight (their function is module text).
 */
void hvsim_svm_exit(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		while (atomic_read(&per_cpu_ptr(&hvsim_svm_cpus,
						cpu)->kick_busy))
			cpu_relax();
	/* The IPI handlers ran with interrupts off: wait them out. */
	synchronize_rcu();
	__free_pages(hvsim_svm_iopm, HVSIM_IOPM_ORDER);
	__free_pages(hvsim_svm_msrpm, HVSIM_MSRPM_ORDER);
	hvsim_svm_free_cpus();
}

/**
 * hvsim_svm_cpu_enter() - make this CPU ready for a VMRUN of @s
 * @s: the VP's engine state
 * @host_save_pa: returns the page for the host's VMSAVE state
 *
 * Sets EFER.SVME and VM_HSAVE_PA, and gives the VP an ASID valid on this
 * CPU (a fresh one whenever it comes from another CPU or its nested page
 * tables changed; a wrap of the ASID space flushes all of them).
 *
 * Context: interrupts off; hvsim_svm_cpu_leave() before they come back.
 * Return: 0, or -EBUSY if EFER.SVME is set already (another hypervisor).
 */
int __hvsim_hot hvsim_svm_cpu_enter(struct hvsim_svm_vp *s, u64 *host_save_pa)
{
	struct hvsim_svm_cpu *c = this_cpu_ptr(&hvsim_svm_cpus);
	int cpu = smp_processor_id();
	u64 efer;

	rdmsrl(MSR_EFER, efer);
	if (efer & EFER_SVME)
		return -EBUSY;
	c->host_efer = efer;
	wrmsrl(MSR_EFER, efer | EFER_SVME);
	wrmsrl(MSR_VM_HSAVE_PA, page_to_phys(c->hsave));

	s->vmcb->control.tlb_ctl = 0;
	if (s->cpu != cpu || s->asid_gen != c->asid_gen) {
		if (c->next_asid > hvsim_svm_max_asid) {
			c->asid_gen++;
			c->next_asid = 1;
			s->vmcb->control.tlb_ctl = HVSIM_TLB_FLUSH_ALL;
		}
		s->asid = c->next_asid++;
		s->asid_gen = c->asid_gen;
		s->cpu = cpu;
	}
	s->vmcb->control.asid = s->asid;
	*host_save_pa = page_to_phys(c->host_save);
	return 0;
}

/**
 * hvsim_svm_cpu_leave() - clear EFER.SVME after a run
 *
 * EFER goes back to the value hvsim_svm_cpu_enter() found (interrupts
 * stayed off in between: nothing else wrote it), without reading it
 * again: every RDMSR is a helper call under QEMU's TCG.
 *
 * Context: interrupts off since hvsim_svm_cpu_enter(), GIF set.
 */
void __hvsim_hot hvsim_svm_cpu_leave(void)
{
	wrmsrl(MSR_EFER, this_cpu_read(hvsim_svm_cpus.host_efer));
}

/* Engine op: per-VP state. */
static int hvsim_svm_vp_init(struct hvsim_vp *vp)
{
	struct hvsim_svm_vp *s;
	struct page *page;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page) {
		kfree(s);
		return -ENOMEM;
	}
	s->vmcb = page_address(page);
	s->vmcb_pa = page_to_phys(page);
	s->cpu = -1;
	s->running_cpu = -1;
	hvsim_svm_vmcb_init(s);
	vp->engine = s;
	return 0;
}

static void hvsim_svm_vp_destroy(struct hvsim_vp *vp)
{
	struct hvsim_svm_vp *s = hvsim_svm(vp);

	if (!s)
		return;
	hvsim_svm_npt_destroy(&s->npt);
	free_page((unsigned long)s->vmcb);
	kfree(s);
	vp->engine = NULL;
}

/*
 * Engine op: something was posted to @vp.  If it is in guest mode on
 * another CPU, an IPI makes it exit (HVSIM_SVM_EXIT_INTR); the run loop then
 * looks at the LAPIC again.  A VP about to enter checks the LAPIC's
 * event bits after publishing running_cpu (svm_run.c), so either it sees
 * the post or this sees it running.
 */
static void hvsim_svm_kick(struct hvsim_vp *vp)
{
	struct hvsim_svm_vp *s = hvsim_svm(vp);
	struct hvsim_svm_cpu *c;
	int cpu;

	smp_mb();	/* the post before running_cpu; pairs with svm_run.c */
	cpu = READ_ONCE(s->running_cpu);
	if (cpu < 0 || cpu == raw_smp_processor_id())
		return;
	c = per_cpu_ptr(&hvsim_svm_cpus, cpu);
	if (atomic_xchg(&c->kick_busy, 1))
		return;		/* one is on its way */
	atomic_long_inc(&hvsim_svm_stats.kicks);
	if (smp_call_function_single_async(cpu, &c->kick_csd))
		atomic_set(&c->kick_busy, 0);
}

/* Engine op: before a slice, outside the GPA lock. */
static void __hvsim_hot hvsim_svm_prepare(struct hvsim_vp *vp)
{
	hvsim_svm_npt_refill(&hvsim_svm(vp)->npt);
}

static void hvsim_svm_show(struct seq_file *m)
{
	static const struct {
		const char *name;
		atomic_long_t *v;
	} rows[] = {
		{ "runs", &hvsim_svm_stats.runs },
		{ "vmexits", &hvsim_svm_stats.vmexits },
		{ "emulated", &hvsim_svm_stats.emulated },
		{ "npt_maps", &hvsim_svm_stats.npt_maps },
		{ "npt_maps_2m", &hvsim_svm_stats.npt_maps_2m },
		{ "npt_zaps", &hvsim_svm_stats.npt_zaps },
		{ "busy_fallbacks", &hvsim_svm_stats.busy_fallbacks },
		{ "invalid_fallbacks", &hvsim_svm_stats.invalid_fallbacks },
		{ "preempted", &hvsim_svm_stats.preempted },
		{ "refills", &hvsim_svm_stats.refills },
		{ "kicks", &hvsim_svm_stats.kicks },
		{ "reinjected", &hvsim_svm_stats.reinjected },
		{ "npf_intercepts", &hvsim_svm_stats.npf_intercepts },
		{ "xsetbv_unintercepted",
		  &hvsim_svm_stats.xsetbv_unintercepted },
		{ "ioio_fast", &hvsim_svm_stats.ioio_fast },
	};
	unsigned int i;

	seq_printf(m, "asids %u\n", hvsim_svm_max_asid);
	for (i = 0; i < ARRAY_SIZE(rows); i++)
		seq_printf(m, "%s %ld\n", rows[i].name,
			   atomic_long_read(rows[i].v));
	for (i = 0; i < HVSIM_SVM_NR_CODES; i++)
		if (atomic_long_read(&hvsim_svm_stats.by_code[i]))
			seq_printf(m, "exit_%#x %ld\n",
				   i == 0xff ? HVSIM_SVM_EXIT_NPF : i,
				   atomic_long_read(&hvsim_svm_stats.by_code[i]));
}

/*
 * The XSAVE components a guest may enable: those of the VP's XSAVE area
 * (hvsim_xsave_states(): x87, SSE, AVX) that the host's XCR0 has, since
 * the guest's state is loaded and saved under the host's XCR0 around each
 * VMRUN (svm_run.c).
 */
static u64 hvsim_svm_xcr0_mask(struct hvsim_partition *pt)
{
	return hvsim_xsave_states(pt) & xgetbv(XCR_XFEATURE_ENABLED_MASK);
}

const struct hvsim_engine_ops hvsim_svm_engine = {
	.name = "svm",
	.vp_init = hvsim_svm_vp_init,
	.vp_destroy = hvsim_svm_vp_destroy,
	.prepare = hvsim_svm_prepare,
	.run = hvsim_svm_run,
	.kick = hvsim_svm_kick,
	.xcr0_mask = hvsim_svm_xcr0_mask,
	.show = hvsim_svm_show,
};
