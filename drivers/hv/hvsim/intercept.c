// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim CPUID and intercepts.
 *
 * CPUID a partition sees is the host's (native CPUID in the kernel),
 * less the processor-feature banks the partition disabled at creation
 * (translated to CPUID bits by the table below), with the hypervisor
 * leaves 0x40000000.. describing a Microsoft hypervisor ("Microsoft Hv",
 * interface "Hv#1") when the partition's synthetic processor features
 * say a hypervisor is present.  Results registered with
 * REGISTER_INTERCEPT_RESULT (CPUID type) override it per VP (or for
 * every VP with HV_ANY_VP): masked bits take the registered value.
 *
 * INSTALL_INTERCEPT stores (type, parameter) -> access mask in the
 * partition; an access mask of 0 removes the intercept.  The
 * interpreter's CPUID and RDMSR/WRMSR callbacks (hvsim_vp_mem_ops in
 * gpa.c) consult both: an installed intercept makes the instruction exit
 * to the VMM, otherwise CPUID is answered from here and MSRs from the
 * VP's registers.  Its exception callback makes an exception raised by
 * an instruction, for an intercepted vector, exit (dispatch.c sends
 * HVMSG_X64_EXCEPTION_INTERCEPT) instead of going through the guest IDT;
 * software interrupts (INT3, INTO, INT n) are not intercepted.
 *
 * Leaf 0xD, and the features that need an XSAVE component, follow the
 * partition's XSAVE components and the VP's XCR0 (cpuid_xsave.c).
 *
 * Approximations: the xfem/xss inputs of GET_VP_CPUID_VALUES do not
 * change leaf 0xD; registered MSR results are stored and honoured only
 * for MSRs hvsim does not implement.
 */
#include <linux/list.h>
#include <linux/processor.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <asm/tsc.h>

#include "hvsim.h"
#include "lapic.h"

#define HVSIM_MAX_CPUID_RESULTS	4096

/* Hypervisor CPUID leaves. */
#define HVSIM_CPUID_HV_BASE	0x40000000
#define HVSIM_CPUID_HV_LAST	0x400000ff
#define HVSIM_CPUID_HV_MAX	0x40000006
#define HVSIM_CPUID_HV_SIG_EBX	0x7263694d	/* "Micr" */
#define HVSIM_CPUID_HV_SIG_ECX	0x666f736f	/* "osof" */
#define HVSIM_CPUID_HV_SIG_EDX	0x76482074	/* "t Hv" */
#define HVSIM_CPUID_HV_IFACE	0x31237648	/* "Hv#1" */

/* Pseudo intercept type under which registered MSR results are kept. */
#define HVSIM_ICPT_MSR_RESULT	0xffff0001

enum { EAX, EBX, ECX, EDX };

/**
 * struct hvsim_feature - one processor-feature bank bit and its CPUID bit
 * @bank: feature bank (0 or 1)
 * @bit: bit in the bank
 * @leaf: CPUID leaf
 * @sub: CPUID subleaf
 * @reg: EAX..EDX
 * @cpuid_bit: bit in that register
 */
struct hvsim_feature {
	u8 bank, bit;
	u32 leaf;
	u8 sub, reg, cpuid_bit;
};

#define F(_bank, _bit, _leaf, _sub, _reg, _cbit) \
	{ _bank, _bit, _leaf, _sub, _reg, _cbit }

static const struct hvsim_feature hvsim_features[] = {
	F(0, 0, 1, 0, ECX, 0),			/* sse3 */
	F(0, 1, 0x80000001, 0, ECX, 0),		/* lahf_sahf */
	F(0, 2, 1, 0, ECX, 9),			/* ssse3 */
	F(0, 3, 1, 0, ECX, 19),			/* sse4.1 */
	F(0, 4, 1, 0, ECX, 20),			/* sse4.2 */
	F(0, 5, 0x80000001, 0, ECX, 6),		/* sse4a */
	F(0, 6, 0x80000001, 0, ECX, 11),	/* xop */
	F(0, 7, 1, 0, ECX, 23),			/* popcnt */
	F(0, 8, 1, 0, ECX, 13),			/* cmpxchg16b */
	F(0, 9, 0x80000001, 0, ECX, 4),		/* altmovcr8 */
	F(0, 10, 0x80000001, 0, ECX, 5),	/* lzcnt */
	F(0, 11, 0x80000001, 0, ECX, 7),	/* misaligned sse */
	F(0, 12, 0x80000001, 0, EDX, 22),	/* mmx ext */
	F(0, 13, 0x80000001, 0, EDX, 31),	/* 3dnow */
	F(0, 14, 0x80000001, 0, EDX, 30),	/* extended 3dnow */
	F(0, 15, 0x80000001, 0, EDX, 26),	/* 1 GiB pages */
	F(0, 16, 1, 0, ECX, 25),		/* aes */
	F(0, 17, 1, 0, ECX, 1),			/* pclmulqdq */
	F(0, 18, 1, 0, ECX, 17),		/* pcid */
	F(0, 19, 0x80000001, 0, ECX, 16),	/* fma4 */
	F(0, 20, 1, 0, ECX, 29),		/* f16c */
	F(0, 21, 1, 0, ECX, 30),		/* rdrand */
	F(0, 22, 7, 0, EBX, 0),			/* fsgsbase */
	F(0, 23, 7, 0, EBX, 7),			/* smep */
	F(0, 24, 7, 0, EBX, 9),			/* erms */
	F(0, 25, 7, 0, EBX, 3),			/* bmi1 */
	F(0, 26, 7, 0, EBX, 8),			/* bmi2 */
	F(0, 29, 1, 0, ECX, 22),		/* movbe */
	F(0, 32, 7, 0, EBX, 18),		/* rdseed */
	F(0, 33, 7, 0, EBX, 19),		/* adx */
	F(0, 35, 7, 0, EBX, 20),		/* smap */
	F(0, 36, 7, 0, EBX, 4),			/* hle */
	F(0, 37, 7, 0, EBX, 11),		/* rtm */
	F(0, 38, 0x80000001, 0, EDX, 27),	/* rdtscp */
	F(0, 39, 7, 0, EBX, 23),		/* clflushopt */
	F(0, 40, 7, 0, EBX, 24),		/* clwb */
	F(0, 41, 7, 0, EBX, 29),		/* sha */
	F(0, 43, 7, 0, EBX, 10),		/* invpcid */
	F(0, 44, 7, 0, EDX, 26),		/* ibrs */
	F(0, 45, 7, 0, EDX, 27),		/* stibp */
	F(0, 49, 7, 0, EDX, 4),			/* fast short rep mov */
	F(0, 50, 7, 0, EDX, 28),		/* l1d flush */
	F(0, 57, 7, 0, ECX, 22),		/* rdpid */
	F(0, 58, 7, 0, ECX, 2),			/* umip */
	F(1, 1, 0x80000007, 0, EDX, 8),		/* invariant tsc */
	F(1, 2, 0x80000008, 0, EBX, 0),		/* clzero */
	F(1, 3, 0x80000008, 0, EBX, 4),		/* rdpru */
	F(1, 4, 7, 0, ECX, 16),			/* la57 */
	F(1, 11, 7, 0, ECX, 29),		/* enqcmd */
	F(1, 12, 7, 0, ECX, 5),			/* waitpkg */
	F(1, 13, 7, 0, ECX, 27),		/* movdiri */
	F(1, 14, 7, 0, ECX, 28),		/* movdir64b */
	F(1, 15, 7, 0, ECX, 25),		/* cldemote */
	F(1, 16, 7, 0, EDX, 14),		/* serialize */
	F(1, 17, 1, 0, ECX, 24),		/* tsc deadline */
};

#undef F

/**
 * struct hvsim_cpuid_result - a CPUID result registered for a VP
 * @node: on hvsim_partition.cpuid_results
 * @vp: VP index or HV_ANY_VP
 * @leaf: EAX input
 * @subleaf: ECX input, if @subleaf_specific
 * @subleaf_specific: match @subleaf too
 * @val: EAX..EDX
 * @mask: bits of @val that override
 */
struct hvsim_cpuid_result {
	struct list_head node;
	u32 vp;
	u32 leaf;
	u32 subleaf;
	bool subleaf_specific;
	u32 val[4];
	u32 mask[4];
};

static void hvsim_host_cpuid(u32 leaf, u32 sub, u32 r[4])
{
	cpuid_count(leaf, sub, &r[EAX], &r[EBX], &r[ECX], &r[EDX]);
}

/**
 * hvsim_processor_features() - a processor-feature bank of the host
 * @bank: 0 or 1
 *
 * Return: the bank's bits whose CPUID feature the host has.
 */
u64 hvsim_processor_features(unsigned int bank)
{
	const struct hvsim_feature *f;
	u64 bits = 0;
	u32 r[4];

	for (f = hvsim_features; f < hvsim_features + ARRAY_SIZE(hvsim_features);
	     f++) {
		if (f->bank != bank)
			continue;
		hvsim_host_cpuid(f->leaf, f->sub, r);
		if (r[f->reg] & BIT(f->cpuid_bit))
			bits |= BIT_ULL(f->bit);
	}
	return bits;
}

/* The hypervisor leaves. */
static void hvsim_cpuid_hv(struct hvsim_vp *vp, u32 leaf, u32 r[4])
{
	struct hvsim_partition *pt = vp->pt;
	u64 synth = hvsim_prop_peek(pt,
				    HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES);
	u64 priv = hvsim_prop_peek(pt, HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS);
	bool hv1 = synth & HV_SYNTHETIC_PROC_FEATURE_HV1;

	memset(r, 0, 4 * sizeof(u32));
	if (!(synth & HV_SYNTHETIC_PROC_FEATURE_HYPERVISOR_PRESENT))
		return;
	switch (leaf) {
	case HVSIM_CPUID_HV_BASE:
		r[EAX] = hv1 ? HVSIM_CPUID_HV_MAX : HVSIM_CPUID_HV_BASE + 1;
		r[EBX] = HVSIM_CPUID_HV_SIG_EBX;
		r[ECX] = HVSIM_CPUID_HV_SIG_ECX;
		r[EDX] = HVSIM_CPUID_HV_SIG_EDX;
		return;
	case HVSIM_CPUID_HV_BASE + 1:
		r[EAX] = HVSIM_CPUID_HV_IFACE;
		return;
	}
	if (!hv1)
		return;
	switch (leaf) {
	case HVSIM_CPUID_HV_BASE + 2:		/* version */
		r[EAX] = HVSIM_HV_BUILD;
		r[EBX] = 10 << 16;
		return;
	case HVSIM_CPUID_HV_BASE + 3:		/* partition privileges */
		r[EAX] = lower_32_bits(priv);
		r[EBX] = upper_32_bits(priv);
		if (priv & HV_ACCESS_FREQUENCY_MSRS)
			r[EDX] = HV_FEATURE_FREQUENCY_MSRS_AVAILABLE;
		return;
	case HVSIM_CPUID_HV_BASE + 5:		/* implementation limits */
		r[EAX] = HVSIM_MAX_VPS;
		return;
	}
}

/* Clear what the partition disabled; set what the VP is. */
static void hvsim_cpuid_adjust(struct hvsim_vp *vp, u32 leaf, u32 sub,
			       u32 r[4])
{
	struct hvsim_partition *pt = vp->pt;
	const struct hvsim_feature *f;
	u64 synth;

	for (f = hvsim_features; f < hvsim_features + ARRAY_SIZE(hvsim_features);
	     f++)
		if (f->leaf == leaf && f->sub == sub &&
		    (pt->disabled_features[f->bank] & BIT_ULL(f->bit)))
			r[f->reg] &= ~BIT(f->cpuid_bit);

	switch (leaf) {
	case 1:
		synth = hvsim_prop_peek(pt,
					HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES);
		r[EBX] = (r[EBX] & 0x00ffffff) | (vp->index << 24);
		/* VMX, TSC-deadline (the LAPIC has no such mode), OSXSAVE */
		r[ECX] &= ~(BIT(5) | BIT(24) | BIT(27) | BIT(31));
		if (vp->cpu.cr4 & BIT_ULL(18))
			r[ECX] |= BIT(27);
		if (synth & HV_SYNTHETIC_PROC_FEATURE_HYPERVISOR_PRESENT)
			r[ECX] |= BIT(31);
		break;
	case 7:
		/* OSPKE mirrors the VP's CR4.PKE, not the host's. */
		if (sub == 0) {
			r[ECX] &= ~BIT(4);
			if (vp->cpu.cr4 & BIT_ULL(22))
				r[ECX] |= BIT(4);
		}
		break;
	case 0xb:
	case 0x1f:
		r[EDX] = vp->index;
		break;
	case 0x80000001:
		/* No nested SVM for child partitions (APM vol. 3, E.4.2). */
		r[ECX] &= ~BIT(2);
		break;
	case 0x8000000a:
		/* Reserved when Fn8000_0001_ECX[SVM] is clear. */
		memset(r, 0, 4 * sizeof(*r));
		break;
	}
	/* XSAVE: the components the guest may enable, its XCR0. */
	hvsim_cpuid_xsave(vp, leaf, sub, r);
	/* Only what the partition's execution engine executes. */
	hvsim_engine_cpuid(vp, leaf, sub, r);
}

static void hvsim_cpuid_apply_results(struct hvsim_vp *vp, u32 leaf, u32 sub,
				      u32 r[4])
{
	struct hvsim_partition *pt = vp->pt;
	struct hvsim_cpuid_result *res;
	unsigned int i;

	spin_lock(&pt->icpt_lock);
	list_for_each_entry(res, &pt->cpuid_results, node) {
		if ((res->vp != HV_ANY_VP && res->vp != vp->index) ||
		    res->leaf != leaf ||
		    (res->subleaf_specific && res->subleaf != sub))
			continue;
		for (i = 0; i < 4; i++)
			r[i] = (r[i] & ~res->mask[i]) |
			       (res->val[i] & res->mask[i]);
	}
	spin_unlock(&pt->icpt_lock);
}

/**
 * hvsim_cpuid() - what CPUID returns on a VP
 * @vp: the VP, locked
 * @leaf: EAX
 * @subleaf: ECX
 * @registered: apply results registered with REGISTER_INTERCEPT_RESULT
 * @out: EAX, EBX, ECX, EDX
 *
 * Does not sleep.
 */
void hvsim_cpuid(struct hvsim_vp *vp, u32 leaf, u32 subleaf, bool registered,
		 u32 out[4])
{
	lockdep_assert_held(&vp->lock);

	if (leaf >= HVSIM_CPUID_HV_BASE && leaf <= HVSIM_CPUID_HV_LAST) {
		hvsim_cpuid_hv(vp, leaf, out);
	} else {
		hvsim_host_cpuid(leaf, subleaf, out);
		hvsim_cpuid_adjust(vp, leaf, subleaf, out);
	}
	if (registered)
		hvsim_cpuid_apply_results(vp, leaf, subleaf, out);
}

/**
 * hvsim_intercepted() - is an access intercepted?
 * @pt: the partition
 * @type: HV_INTERCEPT_TYPE_*
 * @param: the type's parameter (port, leaf, vector, MSR), 0 if none
 * @access_mask: HV_INTERCEPT_ACCESS_MASK_* bits of the access
 *
 * Lockless (RCU inside the xarray); does not sleep.
 *
 * Return: true if an intercept of @type for @param covers the access.
 */
bool hvsim_intercepted(struct hvsim_partition *pt, u32 type, u32 param,
		       u32 access_mask)
{
	void *e = xa_load(&pt->intercepts, HVSIM_ICPT_KEY(type, param));

	return e && (xa_to_value(e) & access_mask);
}

/**
 * hvsim_icpt_init() - empty intercept tables
 * @pt: the partition
 */
void hvsim_icpt_init(struct hvsim_partition *pt)
{
	spin_lock_init(&pt->icpt_lock);
	xa_init(&pt->intercepts);
	pt->exc_intercepts = 0;
	INIT_LIST_HEAD(&pt->cpuid_results);
	pt->nr_cpuid_results = 0;
}

/**
 * hvsim_icpt_clear() - forget every intercept and registered result
 * @pt: the partition; no VP of it runs
 */
void hvsim_icpt_clear(struct hvsim_partition *pt)
{
	struct hvsim_cpuid_result *res, *tmp;
	LIST_HEAD(list);

	spin_lock(&pt->icpt_lock);
	list_splice_init(&pt->cpuid_results, &list);
	pt->nr_cpuid_results = 0;
	spin_unlock(&pt->icpt_lock);
	list_for_each_entry_safe(res, tmp, &list, node)
		kfree(res);
	xa_destroy(&pt->intercepts);
	WRITE_ONCE(pt->exc_intercepts, 0);
}

/* The parameter an intercept type takes, or false if the input is bad. */
static bool hvsim_icpt_param(u32 type, u64 raw, u32 *param)
{
	switch (type) {
	case HV_INTERCEPT_TYPE_X64_IO_PORT:
		*param = raw;
		return raw <= 0xffff;
	case HV_INTERCEPT_TYPE_EXCEPTION:
		*param = raw;
		return raw < 32;
	case HV_INTERCEPT_TYPE_X64_CPUID:
	case HV_INTERCEPT_TYPE_X64_MSR_INDEX:
	case HV_INTERCEPT_TYPE_X64_APIC_WRITE:
		*param = raw;
		return raw <= U32_MAX;
	case HV_INTERCEPT_TYPE_X64_MSR:
	case HV_INTERCEPT_TYPE_X64_GLOBAL_CPUID:
	case HV_INTERCEPT_TYPE_MMIO:
	case HV_INTERCEPT_TYPE_X64_APIC_SMI:
	case HV_INTERCEPT_TYPE_HYPERCALL:
	case HV_INTERCEPT_TYPE_X64_APIC_INIT_SIPI:
		*param = 0;
		return !raw;
	}
	return false;
}

/* HVCALL_INSTALL_INTERCEPT */
u16 hvsim_hc_install_intercept(struct hvsim_hc *hc)
{
	const struct hv_input_install_intercept *in = hc->in;
	u32 mask = HV_INTERCEPT_ACCESS_MASK_READ |
		   HV_INTERCEPT_ACCESS_MASK_WRITE |
		   HV_INTERCEPT_ACCESS_MASK_EXECUTE;
	struct hvsim_partition *pt;
	unsigned long key;
	u32 param;
	u16 status;
	int ret;

	if ((in->access_type & ~mask) ||
	    !hvsim_icpt_param(in->intercept_type, in->intercept_parameter,
			      &param))
		return HV_STATUS_INVALID_PARAMETER;
	status = hvsim_pt_get_locked(in->partition_id,
				     HVSIM_PT_IS(CREATED) |
				     HVSIM_PT_IS(INITIALIZED), &pt);
	if (status)
		return status;
	key = HVSIM_ICPT_KEY(in->intercept_type, param);
	if (in->access_type) {
		ret = xa_err(xa_store(&pt->intercepts, key,
				      xa_mk_value(in->access_type),
				      HVSIM_GFP_LOCKED));
		if (ret)
			status = HV_STATUS_INSUFFICIENT_MEMORY;
	} else {
		xa_erase(&pt->intercepts, key);
	}
	if (!status && in->intercept_type == HV_INTERCEPT_TYPE_EXCEPTION) {
		if (in->access_type)
			WRITE_ONCE(pt->exc_intercepts,
				   pt->exc_intercepts | BIT(param));
		else
			WRITE_ONCE(pt->exc_intercepts,
				   pt->exc_intercepts & ~BIT(param));
	}
	hvsim_pt_unlock_put(pt);
	return status;
}

/* Add or replace a registered CPUID result; pt->lock held. */
static u16 hvsim_cpuid_register(struct hvsim_partition *pt, u32 vp,
				const struct hv_register_x64_cpuid_result_parameters *p)
{
	struct hvsim_cpuid_result *res, *old, *found = NULL;
	u16 status = HV_STATUS_SUCCESS;

	lockdep_assert_held(&pt->lock);

	if (p->input.padding || p->input.subleaf_specific > 1 ||
	    p->input.always_override > 1)
		return HV_STATUS_INVALID_PARAMETER;
	res = kzalloc(sizeof(*res), HVSIM_GFP_LOCKED);
	if (!res)
		return HV_STATUS_INSUFFICIENT_MEMORY;
	res->vp = vp;
	res->leaf = p->input.eax;
	res->subleaf = p->input.subleaf_specific ? p->input.ecx : 0;
	res->subleaf_specific = p->input.subleaf_specific;
	res->val[EAX] = p->result.eax;
	res->val[EBX] = p->result.ebx;
	res->val[ECX] = p->result.ecx;
	res->val[EDX] = p->result.edx;
	res->mask[EAX] = p->result.eax_mask;
	res->mask[EBX] = p->result.ebx_mask;
	res->mask[ECX] = p->result.ecx_mask;
	res->mask[EDX] = p->result.edx_mask;

	spin_lock(&pt->icpt_lock);
	list_for_each_entry(old, &pt->cpuid_results, node) {
		if (old->vp == vp && old->leaf == res->leaf &&
		    old->subleaf_specific == res->subleaf_specific &&
		    old->subleaf == res->subleaf) {
			found = old;
			break;
		}
	}
	if (found) {
		list_replace(&found->node, &res->node);
	} else if (pt->nr_cpuid_results < HVSIM_MAX_CPUID_RESULTS) {
		list_add_tail(&res->node, &pt->cpuid_results);
		pt->nr_cpuid_results++;
	} else {
		found = res;	/* table full: drop the new entry */
		status = HV_STATUS_INSUFFICIENT_BUFFERS;
	}
	spin_unlock(&pt->icpt_lock);
	kfree(found);
	return status;
}

static u16 hvsim_msr_result_register(struct hvsim_partition *pt,
				     const struct hv_register_x64_msr_result_parameters *p)
{
	u32 rw = HV_INTERCEPT_ACCESS_MASK_READ | HV_INTERCEPT_ACCESS_MASK_WRITE;

	if ((p->access_type & ~rw) || !p->access_type ||
	    p->action > HV_UNIMPLEMENTED_MSR_ACTION_IGNORE_WRITE_READ_ZERO)
		return HV_STATUS_INVALID_PARAMETER;
	if (xa_err(xa_store(&pt->intercepts,
			    HVSIM_ICPT_KEY(HVSIM_ICPT_MSR_RESULT, p->msr_index),
			    xa_mk_value(p->action << 8 | p->access_type),
			    HVSIM_GFP_LOCKED)))
		return HV_STATUS_INSUFFICIENT_MEMORY;
	return HV_STATUS_SUCCESS;
}

/**
 * hvsim_msr_result() - the registered action for an unimplemented MSR
 * @pt: the partition
 * @msr: MSR index
 * @access_mask: HV_INTERCEPT_ACCESS_MASK_READ or _WRITE
 *
 * Return: HV_UNIMPLEMENTED_MSR_ACTION_*, or -1 if nothing is registered.
 */
int hvsim_msr_result(struct hvsim_partition *pt, u32 msr, u32 access_mask)
{
	void *e = xa_load(&pt->intercepts,
			  HVSIM_ICPT_KEY(HVSIM_ICPT_MSR_RESULT, msr));

	if (!e || !(xa_to_value(e) & access_mask))
		return -1;
	return xa_to_value(e) >> 8;
}

/* HVCALL_REGISTER_INTERCEPT_RESULT */
u16 hvsim_hc_register_intercept_result(struct hvsim_hc *hc)
{
	const struct hv_input_register_intercept_result *in = hc->in;
	struct hvsim_partition *pt;
	u16 status;

	if (in->intercept_type != HV_INTERCEPT_TYPE_X64_CPUID &&
	    in->intercept_type != HV_INTERCEPT_TYPE_X64_MSR)
		return HV_STATUS_INVALID_PARAMETER;
	status = hvsim_pt_get_locked(in->partition_id,
				     HVSIM_PT_IS(INITIALIZED), &pt);
	if (status)
		return status;
	if (in->vp_index != HV_ANY_VP &&
	    (in->vp_index >= HVSIM_MAX_VPS || !pt->vps[in->vp_index]))
		status = HV_STATUS_INVALID_VP_INDEX;
	else if (in->intercept_type == HV_INTERCEPT_TYPE_X64_CPUID)
		status = hvsim_cpuid_register(pt, in->vp_index,
					      &in->parameters.cpuid);
	else
		status = hvsim_msr_result_register(pt, &in->parameters.msr);
	hvsim_pt_unlock_put(pt);
	return status;
}

/* HVCALL_GET_VP_CPUID_VALUES: rep, one leaf in, EAX..EDX out. */
u16 hvsim_hc_get_vp_cpuid_values(struct hvsim_hc *hc)
{
	const struct hv_input_get_vp_cpuid_values *in = hc->in;
	const struct hv_cpuid_leaf_info *leaves = hc->reps;
	struct hv_output_get_vp_cpuid_values *out = hc->out;
	u32 flags = HV_GET_VP_CPUID_VALUES_USE_VP_XFEM_XSS |
		    HV_GET_VP_CPUID_VALUES_APPLY_REGISTERED_VALUES;
	struct hv_cpuid_leaf_info leaf;
	struct hvsim_vp *vp;
	u32 r[4];
	u16 status;

	if ((in->flags & ~flags) || in->reserved || in->padding)
		return HV_STATUS_INVALID_PARAMETER;
	status = hvsim_vp_get_locked(in->partition_id, in->vp_index, &vp);
	if (status)
		return status;
	for (; hc->reps_done < hc->rep_count; hc->reps_done++) {
		memcpy(&leaf, &leaves[hc->reps_done], sizeof(leaf));
		hvsim_cpuid(vp, leaf.eax, leaf.ecx,
			    in->flags &
			    HV_GET_VP_CPUID_VALUES_APPLY_REGISTERED_VALUES, r);
		out[hc->reps_done] = (struct hv_output_get_vp_cpuid_values) {
			.eax = r[EAX], .ebx = r[EBX],
			.ecx = r[ECX], .edx = r[EDX],
		};
	}
	hvsim_vp_unlock_put(vp);
	return HV_STATUS_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* The interpreter's CPUID and MSR callbacks (ctx: the VP, locked).   */
/* ------------------------------------------------------------------ */

#define HVSIM_MSR_HV_GUEST_OS_ID	0x40000000
#define HVSIM_MSR_HV_HYPERCALL		0x40000001
#define HVSIM_MSR_HV_VP_INDEX		0x40000002
#define HVSIM_MSR_HV_SCONTROL		0x40000080	/* ..EOM 0x84 */
#define HVSIM_MSR_HV_EOM		0x40000084
#define HVSIM_MSR_HV_SINT0		0x40000090
#define HVSIM_MSR_HV_SINT15		0x4000009f
#define HVSIM_MSR_HV_STIMER0_CONFIG	0x400000b0	/* ..STIMER3_COUNT */
#define HVSIM_MSR_HV_STIMER3_COUNT	0x400000b7
#define HVSIM_MSR_SPEC_CTRL		0x48
#define HVSIM_MSR_TSC_ADJUST		0x3b

/* The register behind a Hyper-V or extra MSR hvsim implements, or 0. */
static u32 hvsim_msr_reg(u32 msr)
{
	if (msr >= HVSIM_MSR_HV_SCONTROL && msr <= HVSIM_MSR_HV_EOM)
		return HV_REGISTER_SCONTROL + msr - HVSIM_MSR_HV_SCONTROL;
	if (msr >= HVSIM_MSR_HV_SINT0 && msr <= HVSIM_MSR_HV_SINT15)
		return HV_REGISTER_SINT0 + msr - HVSIM_MSR_HV_SINT0;
	if (msr >= HVSIM_MSR_HV_STIMER0_CONFIG &&
	    msr <= HVSIM_MSR_HV_STIMER3_COUNT)
		return HV_REGISTER_STIMER0_CONFIG + msr -
		       HVSIM_MSR_HV_STIMER0_CONFIG;
	switch (msr) {
	case HVSIM_MSR_HV_GUEST_OS_ID:
		return HV_REGISTER_GUEST_OS_ID;
	case HVSIM_MSR_HV_HYPERCALL:
		return HV_X64_REGISTER_HYPERCALL;
	case HVSIM_MSR_SPEC_CTRL:
		return HV_X64_REGISTER_SPEC_CTRL;
	case HVSIM_MSR_TSC_ADJUST:
		return HV_X64_REGISTER_TSC_ADJUST;
	}
	return 0;
}

/*
 * The read-only frequency MSRs, for a partition with the
 * AccessFrequencyMsrs privilege: the TSC's rate (the guest's TSC is the
 * host's, offset) and the local APIC timer's (lapic_timer.c).  Return:
 * true if @msr is one of them (*@val set if @val).
 */
static bool hvsim_msr_frequency(struct hvsim_partition *pt, u32 msr, u64 *val)
{
	u64 priv = hvsim_prop_peek(pt, HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS);
	u64 hz;

	if (!(priv & HV_ACCESS_FREQUENCY_MSRS))
		return false;
	if (msr == HV_X64_MSR_TSC_FREQUENCY)
		hz = (u64)tsc_khz * 1000;
	else if (msr == HV_X64_MSR_APIC_FREQUENCY)
		hz = HVSIM_APIC_HZ;
	else
		return false;
	if (val)
		*val = hz;
	return true;
}

/* MSRs the interpreter implements itself (its struct hvsim_cpu_state). */
static bool hvsim_msr_builtin(u32 msr)
{
	return msr == 0x10 || msr == 0x1b || msr == 0xfe ||
	       (msr >= 0x174 && msr <= 0x176) || msr == 0x277 ||
	       msr == 0x2ff || (msr >= 0x200 && msr <= 0x21f) ||
	       msr == 0x250 || msr == 0x258 || msr == 0x259 ||
	       (msr >= 0x268 && msr <= 0x26f) ||
	       (msr >= 0xc0000080 && msr <= 0xc0000084) ||
	       (msr >= 0xc0000100 && msr <= 0xc0000103);
}

/* The x2APIC's MSRs (lapic.c). */
static bool hvsim_msr_x2apic(u32 msr)
{
	return msr >= 0x800 && msr <= 0x8ff;
}

static bool hvsim_msr_intercepted(struct hvsim_partition *pt, u32 msr,
				  u32 access)
{
	return hvsim_intercepted(pt, HV_INTERCEPT_TYPE_X64_MSR_INDEX, msr,
				 access) ||
	       hvsim_intercepted(pt, HV_INTERCEPT_TYPE_X64_MSR, 0, access);
}

/* An MSR nobody implements: registered result, else the partition's rule. */
static int hvsim_msr_unimplemented(struct hvsim_partition *pt, u32 msr,
				   u32 access, u64 *val)
{
	int action = hvsim_msr_result(pt, msr, access);

	if (action < 0)
		action = hvsim_prop_peek(pt,
					 HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION);
	if (action != HV_UNIMPLEMENTED_MSR_ACTION_IGNORE_WRITE_READ_ZERO)
		return HVSIM_CB_GP;
	if (val)
		*val = 0;
	return HVSIM_CB_DONE;
}

/**
 * hvsim_icpt_cpuid_cb() - the interpreter's CPUID callback
 * @ctx: the VP
 * @leaf: EAX
 * @subleaf: ECX
 * @out: EAX..EDX
 *
 * Return: HVSIM_CB_INTERCEPT if the VMM intercepts the leaf, else
 * HVSIM_CB_DONE with the partition's CPUID (registered results applied).
 */
int hvsim_icpt_cpuid_cb(void *ctx, u32 leaf, u32 subleaf, u32 out[4])
{
	struct hvsim_vp *vp = ctx;
	u32 any = HV_INTERCEPT_ACCESS_MASK_READ |
		  HV_INTERCEPT_ACCESS_MASK_WRITE |
		  HV_INTERCEPT_ACCESS_MASK_EXECUTE;

	lockdep_assert_held(&vp->lock);

	if (hvsim_intercepted(vp->pt, HV_INTERCEPT_TYPE_X64_CPUID, leaf, any) ||
	    hvsim_intercepted(vp->pt, HV_INTERCEPT_TYPE_X64_GLOBAL_CPUID, 0,
			      any))
		return HVSIM_CB_INTERCEPT;
	hvsim_cpuid(vp, leaf, subleaf, true, out);
	return HVSIM_CB_DONE;
}

/**
 * hvsim_icpt_exception_cb() - the interpreter's exception callback
 * @ctx: the VP
 * @vector: exception vector
 *
 * Return: true if the VMM installed an exception intercept for @vector.
 */
bool __hvsim_hot hvsim_icpt_exception_cb(void *ctx, u8 vector)
{
	struct hvsim_vp *vp = ctx;

	lockdep_assert_held(&vp->lock);

	/* Exception intercepts are installed for vectors 0-31 only. */
	return vector < 32 &&
	       (READ_ONCE(vp->pt->exc_intercepts) & BIT(vector));
}

/**
 * hvsim_icpt_rdmsr_cb() - the interpreter's RDMSR callback
 * @ctx: the VP
 * @index: MSR
 * @val: receives the value
 *
 * Return: HVSIM_CB_INTERCEPT, HVSIM_CB_DEFAULT (an MSR of the register
 * file), HVSIM_CB_DONE or HVSIM_CB_GP.
 */
int hvsim_icpt_rdmsr_cb(void *ctx, u32 index, u64 *val)
{
	struct hvsim_vp *vp = ctx;
	union hv_register_value v = {};
	u32 reg;

	lockdep_assert_held(&vp->lock);

	if (hvsim_msr_intercepted(vp->pt, index, HV_INTERCEPT_ACCESS_MASK_READ))
		return HVSIM_CB_INTERCEPT;
	if (hvsim_msr_builtin(index))
		return HVSIM_CB_DEFAULT;
	if (hvsim_msr_x2apic(index))
		return hvsim_lapic_rdmsr(vp, index, val);
	if (index == HVSIM_MSR_HV_VP_INDEX) {
		*val = vp->index;
		return HVSIM_CB_DONE;
	}
	if (hvsim_msr_frequency(vp->pt, index, val))
		return HVSIM_CB_DONE;
	reg = hvsim_msr_reg(index);
	if (!reg)
		return hvsim_msr_unimplemented(vp->pt, index,
					       HV_INTERCEPT_ACCESS_MASK_READ,
					       val);
	if (hvsim_vpregs_get(vp, reg, &v))
		return HVSIM_CB_GP;
	*val = v.reg64;
	return HVSIM_CB_DONE;
}

/**
 * hvsim_icpt_wrmsr_cb() - the interpreter's WRMSR callback
 * @ctx: the VP
 * @index: MSR
 * @val: the value
 *
 * Return: as hvsim_icpt_rdmsr_cb(); a value the register refuses is #GP.
 */
int hvsim_icpt_wrmsr_cb(void *ctx, u32 index, u64 val)
{
	struct hvsim_vp *vp = ctx;
	union hv_register_value v = { .reg64 = val };
	u32 reg;

	lockdep_assert_held(&vp->lock);

	if (hvsim_msr_intercepted(vp->pt, index, HV_INTERCEPT_ACCESS_MASK_WRITE))
		return HVSIM_CB_INTERCEPT;
	if (hvsim_msr_builtin(index))
		return HVSIM_CB_DEFAULT;
	if (hvsim_msr_x2apic(index))
		return hvsim_lapic_wrmsr(vp, index, val);
	reg = hvsim_msr_reg(index);
	if (!reg)
		return index == HVSIM_MSR_HV_VP_INDEX ||
		       hvsim_msr_frequency(vp->pt, index, NULL) ? HVSIM_CB_GP :
		       hvsim_msr_unimplemented(vp->pt, index,
					       HV_INTERCEPT_ACCESS_MASK_WRITE,
					       NULL);
	return hvsim_vpregs_set(vp, reg, &v) ? HVSIM_CB_GP : HVSIM_CB_DONE;
}
