// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_hyperv: the real Microsoft Hypervisor as the platform of mshv_root.
 *
 * Used when Linux runs as the root partition.  Hypercalls go through the
 * kernel's hypercall page; the SynIC pages of the root are provided by the
 * hypervisor, so they are located through their MSRs and memremap()ed.
 *
 * Status: written against the Debian 6.12 headers and built here, but
 * never run: this machine has no Microsoft Hypervisor.  Treat it as
 * untested on hardware.
 *
 * MSRs: the root's own SynIC is programmed with hv_{get,set}_non_nested_msr().
 * On 6.12 hv_get_msr()/hv_set_msr() redirect the SynIC MSRs to the outer
 * hypervisor's nested copies when Linux is a nested root (hv_nested),
 * which would reprogram the host's SynIC instead of ours.
 *
 * Interrupts: on 6.12 the Hyper-V callback vector has a single hook,
 * hv_setup_vmbus_handler().  On a non-nested root VMBus does not start
 * (vmbus_drv.c returns early when hv_root_partition && !hv_nested), so the
 * hook is free and this module takes it.  On a nested root VMBus needs it
 * for its own channel interrupts and 6.12 has no second hook (Linux 6.15
 * added hv_setup_mshv_handler()), so the module refuses to load there
 * rather than steal VMBus's interrupts.
 */

#include <linux/bits.h>
#include <linux/io.h>
#include <linux/module.h>
#include <asm/irq_vectors.h>
#include <asm/mshyperv.h>
#include <hyperv/mshv_platform.h>

/* Not defined by the 6.12 headers. */
#define MSHV_HYPERV_MSR_SIRBP		0x40000085	/* event ring base */
#define MSHV_HYPERV_SIRBP_ENABLE	BIT_ULL(0)
#define MSHV_HYPERV_SINT_AS_INTERCEPT	BIT_ULL(19)	/* SINT register bit */
/* HYPERV_CPUID_FEATURES.ECX: HV_VP_DISPATCH_INTERRUPT_INJECTION_AVAILABLE */
#define MSHV_HYPERV_CPUID_DISPATCH_INJECTION	BIT(9)

static u64 mshv_hyperv_hypercall(u64 control, void *input, void *output)
{
	return hv_do_hypercall(control, input, output);
}

/*
 * mshv_root hands over full control words; the helpers that take a bare
 * call code would drop anything but the code and fast bit.
 */
static u64 mshv_hyperv_fast8(u64 control, u64 input)
{
	return _hv_do_fast_hypercall8(control, input);
}

static u64 mshv_hyperv_fast16(u64 control, u64 input1, u64 input2)
{
	return _hv_do_fast_hypercall16(control, input1, input2);
}

static bool mshv_hyperv_auto_eoi(void)
{
	return !(ms_hyperv.hints & HV_DEPRECATING_AEOI_RECOMMENDED);
}

/*
 * The root's own SynIC MSRs, never the outer hypervisor's nested copies
 * (see the top of this file).
 */
static u64 mshv_hyperv_rdmsr(unsigned int msr)
{
	return hv_get_non_nested_msr(msr);
}

static void mshv_hyperv_wrmsr(unsigned int msr, u64 val)
{
	hv_set_non_nested_msr(msr, val);
}

/* Map the hypervisor-provided page behind an enable-bit + GPA MSR. */
static void *mshv_hyperv_map_msr_page(unsigned int msr, u64 *val)
{
	void *page;

	*val = mshv_hyperv_rdmsr(msr);
	page = memremap(*val & HV_HYP_PAGE_MASK, HV_HYP_PAGE_SIZE,
			MEMREMAP_WB);
	if (page)
		mshv_hyperv_wrmsr(msr, *val | BIT_ULL(0));
	return page;
}

static void mshv_hyperv_unmap_msr_page(unsigned int msr, void *page)
{
	if (!page)
		return;
	mshv_hyperv_wrmsr(msr, mshv_hyperv_rdmsr(msr) & ~BIT_ULL(0));
	memunmap(page);
}

/*
 * SINT registers are written whole, from a fresh value: whatever an
 * earlier owner (a previous kernel before kexec, firmware) left in them,
 * polling, proxy or reserved bits included, does not survive.
 */
static void mshv_hyperv_set_sint(unsigned int sint, bool as_intercept)
{
	union hv_synic_sint reg = { .as_uint64 = 0 };

	reg.vector = HYPERVISOR_CALLBACK_VECTOR;
	reg.auto_eoi = mshv_hyperv_auto_eoi();
	if (as_intercept)
		reg.as_uint64 |= MSHV_HYPERV_SINT_AS_INTERCEPT;
	mshv_hyperv_wrmsr(HV_MSR_SINT0 + sint, reg.as_uint64);
}

static void mshv_hyperv_mask_sint(unsigned int sint)
{
	union hv_synic_sint reg = { .as_uint64 = 0 };

	reg.masked = true;
	mshv_hyperv_wrmsr(HV_MSR_SINT0 + sint, reg.as_uint64);
}

/* SINTs this CPU enabled, for synic_cpu_exit(). */
static DEFINE_PER_CPU(unsigned int, mshv_hyperv_intercept_sint);
static DEFINE_PER_CPU(unsigned int, mshv_hyperv_doorbell_sint);

/*
 * Runs in the CPU hotplug thread bound to this CPU, in process context:
 * memremap() of pages outside the kernel's RAM map may allocate and
 * sleep, which the platform rules allow (mshv_platform.h); the thread
 * cannot move to another CPU, so the MSRs written are the right ones.
 */
static int mshv_hyperv_synic_cpu_init(struct mshv_synic_pages *pages,
				      unsigned int intercept_sint,
				      unsigned int doorbell_sint)
{
	union hv_synic_scontrol sctrl;
	u64 val;

	pages->message_page = mshv_hyperv_map_msr_page(HV_MSR_SIMP, &val);
	if (!pages->message_page)
		goto fail;
	pages->event_flags_page = mshv_hyperv_map_msr_page(HV_MSR_SIEFP, &val);
	if (!pages->event_flags_page)
		goto fail;
	pages->event_ring_page = mshv_hyperv_map_msr_page(MSHV_HYPERV_MSR_SIRBP,
							  &val);
	if (!pages->event_ring_page)
		goto fail;

	this_cpu_write(mshv_hyperv_intercept_sint, intercept_sint);
	this_cpu_write(mshv_hyperv_doorbell_sint, doorbell_sint);
	mshv_hyperv_set_sint(intercept_sint, false);
	mshv_hyperv_set_sint(doorbell_sint, true);

	sctrl.as_uint64 = mshv_hyperv_rdmsr(HV_MSR_SCONTROL);
	sctrl.enable = 1;
	mshv_hyperv_wrmsr(HV_MSR_SCONTROL, sctrl.as_uint64);
	return 0;

fail:
	pr_err("mshv_hyperv: CPU %d: cannot map SynIC pages\n",
	       smp_processor_id());
	mshv_hyperv_unmap_msr_page(MSHV_HYPERV_MSR_SIRBP,
				   pages->event_ring_page);
	mshv_hyperv_unmap_msr_page(HV_MSR_SIEFP, pages->event_flags_page);
	mshv_hyperv_unmap_msr_page(HV_MSR_SIMP, pages->message_page);
	pages->event_ring_page = NULL;
	pages->event_flags_page = NULL;
	pages->message_page = NULL;
	return -EFAULT;
}

static void mshv_hyperv_synic_cpu_exit(struct mshv_synic_pages *pages)
{
	union hv_synic_scontrol sctrl;

	mshv_hyperv_mask_sint(this_cpu_read(mshv_hyperv_doorbell_sint));
	mshv_hyperv_mask_sint(this_cpu_read(mshv_hyperv_intercept_sint));

	mshv_hyperv_unmap_msr_page(MSHV_HYPERV_MSR_SIRBP,
				   pages->event_ring_page);
	mshv_hyperv_unmap_msr_page(HV_MSR_SIEFP, pages->event_flags_page);
	mshv_hyperv_unmap_msr_page(HV_MSR_SIMP, pages->message_page);

	sctrl.as_uint64 = mshv_hyperv_rdmsr(HV_MSR_SCONTROL);
	sctrl.enable = 0;
	mshv_hyperv_wrmsr(HV_MSR_SCONTROL, sctrl.as_uint64);
}

static void mshv_hyperv_synic_eom(void)
{
	mshv_hyperv_wrmsr(HV_MSR_EOM, 0);
}

/* .features is filled from CPUID at init. */
static struct mshv_platform_ops mshv_hyperv_ops = {
	.name = "hyperv",
	.owner = THIS_MODULE,
	.hypercall = mshv_hyperv_hypercall,
	.fast_hypercall8 = mshv_hyperv_fast8,
	.fast_hypercall16 = mshv_hyperv_fast16,
	.synic_cpu_init = mshv_hyperv_synic_cpu_init,
	.synic_cpu_exit = mshv_hyperv_synic_cpu_exit,
	.synic_eom = mshv_hyperv_synic_eom,
};

static int __init mshv_hyperv_init(void)
{
	int ret;

	if (!hv_root_partition)
		return -ENODEV;
	if (hv_nested) {
		pr_err("mshv_hyperv: nested root: the Hyper-V callback vector's only hook on this kernel belongs to VMBus; not loading (needs hv_setup_mshv_handler(), Linux 6.15+)\n");
		return -EBUSY;
	}

	if (cpuid_ecx(HYPERV_CPUID_FEATURES) &
	    MSHV_HYPERV_CPUID_DISPATCH_INJECTION)
		mshv_hyperv_ops.features |= MSHV_PLATFORM_F_DISPATCH_INJECTION;

	/* Route the callback vector before any SINT is unmasked. */
	hv_setup_vmbus_handler(mshv_platform_isr);
	ret = mshv_platform_register(&mshv_hyperv_ops);
	if (ret)
		hv_remove_vmbus_handler();
	return ret;
}

static void __exit mshv_hyperv_exit(void)
{
	mshv_platform_unregister(&mshv_hyperv_ops);
	hv_remove_vmbus_handler();
}

module_init(mshv_hyperv_init);
module_exit(mshv_hyperv_exit);

MODULE_DESCRIPTION("Microsoft Hypervisor root partition platform for mshv_root");
MODULE_LICENSE("GPL");
