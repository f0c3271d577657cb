// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim VP registers beyond the interpreter's core set: x87/SSE state,
 * debug registers, XCR0, the MSRs a VMM saves and restores, the synthetic
 * (SynIC, timer, hypercall) registers and the interrupt-state registers;
 * and the validation of values written to the core registers.
 *
 * x87/SSE registers live in the VP's XSAVE area, so GET/SET_VP_REGISTERS
 * and GET/SET_VP_STATE(XSAVE) see the same bytes: FP_CONTROL_STATUS is
 * bytes 0-15 of the legacy region, XMM_CONTROL_STATUS bytes 16-31,
 * FP_MMXn starts at 32 + 16n and XMMn at 160 + 16n.  The synthetic timer
 * registers live in the VP's synthetic timer state the same way.
 *
 * A value the architecture would refuse (a reserved bit set, a
 * non-canonical address where one is required) is INVALID_PARAMETER,
 * like an unknown name; read-only registers refuse writes with
 * ACCESS_DENIED.  Documentation/virt/mshv/hvsim.rst lists every published
 * x64 register name with what hvsim does with it (the register selftest
 * checks the same list against this code).
 */
#include <linux/cpufeature.h>
#include <linux/string.h>
#include <asm/msr.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>

#include "hvsim.h"

#define HVSIM_XSAVE_FP_CS	0
#define HVSIM_XSAVE_XMM_CS	16
#define HVSIM_XSAVE_MXCSR	24
#define HVSIM_XSAVE_MMX0	32
#define HVSIM_XSAVE_XMM0	HVSIM_XSAVE_XMM_OFF
#define HVSIM_XSAVE_BV		512

/* Reported by MTRR_CAP: 8 variable ranges, fixed ranges, write-combining. */
#define HVSIM_MTRR_CAP		0x508ULL

#define HVSIM_CR0_VALID		(X86_CR0_PE | X86_CR0_MP | X86_CR0_EM |	\
				 X86_CR0_TS | X86_CR0_ET | X86_CR0_NE |	\
				 X86_CR0_WP | X86_CR0_AM | X86_CR0_NW |	\
				 X86_CR0_CD | X86_CR0_PG)
#define HVSIM_CR4_VALID		(GENMASK_ULL(14, 0) | GENMASK_ULL(24, 16))
#define HVSIM_EFER_VALID	(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX | \
				 EFER_SVME | EFER_LMSLE | EFER_FFXSR |	\
				 BIT_ULL(_EFER_AUTOIBRS))
#define HVSIM_APIC_BASE_VALID	(BIT_ULL(8) | BIT_ULL(10) | BIT_ULL(11) | \
				 GENMASK_ULL(51, 12))
#define HVSIM_SINT_VALID	(HV_SYNIC_SINT_VECTOR_MASK |		\
				 HV_SYNIC_SINT_MASKED |			\
				 HV_SYNIC_SINT_AUTO_EOI |		\
				 HV_SYNIC_SINT_POLLING |		\
				 HV_SYNIC_SINT_AS_INTERCEPT |		\
				 HV_SYNIC_SINT_PROXY)
#define HVSIM_MTRR_DEF_VALID	(GENMASK_ULL(7, 0) | BIT_ULL(10) | BIT_ULL(11))
#define HVSIM_INTR_STATE_VALID	(BIT_ULL(0) | BIT_ULL(1))
/* IA32_DEBUGCTL: LBR and BTF; the other bits need LBR/BTS/PMU support. */
#define HVSIM_DEBUGCTL_VALID	(BIT_ULL(0) | BIT_ULL(1))
/* IA32_PRED_CMD: IBPB is its only bit. */
#define HVSIM_PRED_CMD_IBPB	BIT_ULL(0)
#define HVSIM_DELIVERABILITY_VALID (HV_DELIVERABILITY_NMI |		\
				    HV_DELIVERABILITY_INTERRUPT |	\
				    HV_DELIVERABILITY_INTERRUPT_PRIORITY | \
				    HV_DELIVERABILITY_SINTS)
/*
 * Reserved fields of union hv_x64_pending_interruption_register (bits
 * 15:10) and of the pending exception and virtualization fault events
 * (bits 7:4 and 15:9 of the first word; bit 8 is the exception's
 * deliver_error_code).
 */
#define HVSIM_PENDING_INTR_RSVD	GENMASK_ULL(15, 10)
#define HVSIM_PENDING_EVENT_RSVD (GENMASK_ULL(7, 4) | GENMASK_ULL(15, 9))
#define HVSIM_ACTIVITY_STARTUP	HV_INTERNAL_ACTIVITY_STARTUP_SUSPEND
#define HVSIM_ACTIVITY_HALT	HV_INTERNAL_ACTIVITY_HALT_SUSPEND

/* Canonical: 48 bits, 57 with 5-level paging (CR4.LA57). */
static bool hvsim_canonical(const struct hvsim_cpu_state *cpu, u64 va)
{
	unsigned int unused = cpu->cr4 & X86_CR4_LA57 ? 7 : 16;

	return (u64)((s64)(va << unused) >> unused) == va;
}

static bool hvsim_pat_ok(u64 pat)
{
	unsigned int i;
	u8 type;

	for (i = 0; i < 8; i++) {
		type = pat >> (8 * i);
		if (type == 2 || type == 3 || type > 7)
			return false;
	}
	return true;
}

static bool hvsim_mtrr_type_ok(u8 type)
{
	return type <= 1 || (type >= 4 && type <= 6);
}

/* Bytes of a 16-byte register inside the XSAVE area, or NULL. */
static u8 *hvsim_xsave_reg(struct hvsim_vp *vp, u32 name)
{
	u8 *xs = vp->st.xsave;

	if (name >= HV_X64_REGISTER_XMM0 && name <= HV_X64_REGISTER_XMM15)
		return xs + HVSIM_XSAVE_XMM0 + 16 * (name - HV_X64_REGISTER_XMM0);
	if (name >= HV_X64_REGISTER_FP_MMX0 && name <= HV_X64_REGISTER_FP_MMX7)
		return xs + HVSIM_XSAVE_MMX0 +
		       16 * (name - HV_X64_REGISTER_FP_MMX0);
	if (name == HV_X64_REGISTER_FP_CONTROL_STATUS)
		return xs + HVSIM_XSAVE_FP_CS;
	if (name == HV_X64_REGISTER_XMM_CONTROL_STATUS)
		return xs + HVSIM_XSAVE_XMM_CS;
	return NULL;
}

/* Plain 64-bit MSR and synthetic registers, or NULL. */
static u64 *hvsim_ext_reg64(struct hvsim_vp *vp, u32 name)
{
	struct hvsim_cpu_state *cpu = &vp->cpu;
	struct hvsim_vp_state *st = &vp->st;
	u32 i;

	if (name >= HV_X64_REGISTER_DR0 && name <= HV_X64_REGISTER_DR3)
		return &cpu->dr[name - HV_X64_REGISTER_DR0];
	if (name >= HV_X64_REGISTER_MSR_MTRR_PHYS_BASE0 &&
	    name < HV_X64_REGISTER_MSR_MTRR_PHYS_BASE0 + 16)
		return &cpu->msr.mtrr_phys[name -
				HV_X64_REGISTER_MSR_MTRR_PHYS_BASE0][0];
	if (name >= HV_X64_REGISTER_MSR_MTRR_PHYS_MASK0 &&
	    name < HV_X64_REGISTER_MSR_MTRR_PHYS_MASK0 + 16)
		return &cpu->msr.mtrr_phys[name -
				HV_X64_REGISTER_MSR_MTRR_PHYS_MASK0][1];
	if (name >= HV_X64_REGISTER_MSR_MTRR_FIX64K00000 &&
	    name <= HV_X64_REGISTER_MSR_MTRR_FIX4KF8000)
		return &cpu->msr.mtrr_fixed[name -
				HV_X64_REGISTER_MSR_MTRR_FIX64K00000];
	if (name >= HV_REGISTER_STIMER0_CONFIG &&
	    name <= HV_REGISTER_STIMER3_COUNT) {
		i = name - HV_REGISTER_STIMER0_CONFIG;
		return i & 1 ? &st->stimers.timers[i / 2].count :
			       &st->stimers.timers[i / 2].config;
	}
	switch (name) {
	case HV_X64_REGISTER_KERNEL_GS_BASE:
		return &cpu->msr.kernel_gs_base;
	case HV_X64_REGISTER_SYSENTER_CS:
		return &cpu->msr.sysenter_cs;
	case HV_X64_REGISTER_SYSENTER_EIP:
		return &cpu->msr.sysenter_eip;
	case HV_X64_REGISTER_SYSENTER_ESP:
		return &cpu->msr.sysenter_esp;
	case HV_X64_REGISTER_STAR:
		return &cpu->msr.star;
	case HV_X64_REGISTER_SFMASK:
		return &cpu->msr.sfmask;
	case HV_X64_REGISTER_SPEC_CTRL:
		return &st->spec_ctrl;
	case HV_X64_REGISTER_TSC_ADJUST:
		return &st->tsc_adjust;
	case HV_X64_REGISTER_DEBUG_CTL:
		return &st->debug_ctl;
	case HV_REGISTER_GUEST_OS_ID:
		return &st->synic.guest_os_id;
	case HV_X64_REGISTER_HYPERCALL:
		return &st->synic.hypercall;
	case HV_REGISTER_PENDING_INTERRUPTION:
		return &st->pending_interruption;
	case HV_X64_REGISTER_DELIVERABILITY_NOTIFICATIONS:
		return &st->deliverability;
	}
	return NULL;
}

/**
 * hvsim_xsave_states() - XSAVE components a partition's VPs may enable
 * @pt: the partition
 *
 * Return: x87 | SSE, plus AVX when the host has it and the partition did
 * not disable it at creation.
 */
u64 hvsim_xsave_states(struct hvsim_partition *pt)
{
	u64 states = HV_X64_XSAVE_LEGACY_X87 | HV_X64_XSAVE_LEGACY_SSE;

	if (boot_cpu_has(X86_FEATURE_AVX) && !(pt->disabled_xsave & BIT_ULL(2)))
		states |= BIT_ULL(2);
	return states;
}

/**
 * hvsim_xsave_size() - size of a partition's XSAVE area (standard form)
 * @pt: the partition
 *
 * Return: legacy region and header (576 bytes), plus 256 with AVX.
 */
u32 hvsim_xsave_size(struct hvsim_partition *pt)
{
	return 576 + (hvsim_xsave_states(pt) & BIT_ULL(2) ? 256 : 0);
}

/**
 * hvsim_vpregs_check() - validate a value for one of the core registers
 * @vp: the VP, locked
 * @name: register name
 * @val: the value
 *
 * Return: HV_STATUS_SUCCESS or INVALID_PARAMETER.
 */
u16 hvsim_vpregs_check(struct hvsim_vp *vp, u32 name,
		       const union hv_register_value *val)
{
	u64 v = val->reg64;
	bool bad;

	lockdep_assert_held(&vp->lock);

	switch (name) {
	case HV_X64_REGISTER_RFLAGS:
		bad = (v & ~HVSIM_RFLAGS_VALID) || !(v & X86_EFLAGS_FIXED);
		break;
	case HV_X64_REGISTER_RIP:
		bad = (vp->cpu.efer & EFER_LMA) &&
		      !hvsim_canonical(&vp->cpu, v);
		break;
	case HV_X64_REGISTER_CR0:
		bad = (v & ~HVSIM_CR0_VALID) ||
		      ((v & X86_CR0_PG) && !(v & X86_CR0_PE)) ||
		      ((v & X86_CR0_NW) && !(v & X86_CR0_CD));
		break;
	case HV_X64_REGISTER_CR4:
		bad = v & ~HVSIM_CR4_VALID;
		break;
	case HV_X64_REGISTER_CR8:
		bad = v > 15;
		break;
	case HV_X64_REGISTER_EFER:
		bad = v & ~HVSIM_EFER_VALID;
		break;
	default:
		bad = false;
	}
	return bad ? HV_STATUS_INVALID_PARAMETER : HV_STATUS_SUCCESS;
}

/*
 * HV_REGISTER_INTERNAL_ACTIVITY_STATE is the VP's startup (waiting for a
 * SIPI) and halt suspension: the LAPIC model's wait_sipi and halted.
 */
static u64 hvsim_activity_get(struct hvsim_vp *vp)
{
	if (vp->lapic.wait_sipi)
		return HVSIM_ACTIVITY_STARTUP;
	return READ_ONCE(vp->lapic.halted) ? HVSIM_ACTIVITY_HALT : 0;
}

/*
 * Startup suspension implies a halted VP (as INIT leaves it); clearing
 * both lets the VP run at its current RIP.  Idle suspension belongs to
 * the guest idle register, which hvsim does not offer.
 */
static u16 hvsim_activity_set(struct hvsim_vp *vp, u64 v)
{
	struct hvsim_lapic *a = &vp->lapic;

	if (v & ~(HVSIM_ACTIVITY_STARTUP | HVSIM_ACTIVITY_HALT))
		return HV_STATUS_INVALID_PARAMETER;
	a->wait_sipi = v & HVSIM_ACTIVITY_STARTUP;
	WRITE_ONCE(a->halted, !!v);
	if (!v)
		hvsim_sched_kick(vp);
	return HV_STATUS_SUCCESS;
}

/**
 * hvsim_vpregs_get() - read a register that is not one of the core set
 * @vp: the VP, locked
 * @name: register name
 * @val: receives the value (already zeroed)
 *
 * Return: HV_STATUS_SUCCESS or INVALID_PARAMETER for an unknown name.
 */
u16 hvsim_vpregs_get(struct hvsim_vp *vp, u32 name,
		     union hv_register_value *val)
{
	struct hvsim_cpu_state *cpu = &vp->cpu;
	struct hvsim_vp_state *st = &vp->st;
	u8 *xs = hvsim_xsave_reg(vp, name);
	u64 *reg = hvsim_ext_reg64(vp, name);

	lockdep_assert_held(&vp->lock);

	if (xs) {
		memcpy(&val->reg128, xs, sizeof(val->reg128));
		return HV_STATUS_SUCCESS;
	}
	if (reg) {
		val->reg64 = *reg;
		return HV_STATUS_SUCCESS;
	}
	if (name >= HV_REGISTER_SINT0 && name <= HV_REGISTER_SINT15) {
		val->reg64 = st->synic.sint[name - HV_REGISTER_SINT0];
		return HV_STATUS_SUCCESS;
	}
	switch (name) {
	case HV_X64_REGISTER_DR6:
		val->reg64 = cpu->dr6;
		break;
	case HV_X64_REGISTER_DR7:
		val->reg64 = cpu->dr7;
		break;
	case HV_X64_REGISTER_XFEM:
		val->reg64 = cpu->xcr0;
		break;
	case HV_X64_REGISTER_TSC:
		val->reg64 = rdtsc() + cpu->msr.tsc_offset;
		break;
	case HV_X64_REGISTER_APIC_BASE:
		val->reg64 = cpu->msr.apic_base;
		break;
	case HV_X64_REGISTER_PAT:
		val->reg64 = cpu->msr.pat;
		break;
	case HV_X64_REGISTER_LSTAR:
		val->reg64 = cpu->msr.lstar;
		break;
	case HV_X64_REGISTER_CSTAR:
		val->reg64 = cpu->msr.cstar;
		break;
	case HV_X64_REGISTER_TSC_AUX:
		val->reg64 = cpu->msr.tsc_aux;
		break;
	case HV_X64_REGISTER_MSR_MTRR_CAP:
		val->reg64 = HVSIM_MTRR_CAP;
		break;
	case HV_X64_REGISTER_MSR_MTRR_DEF_TYPE:
		val->reg64 = cpu->msr.mtrr_def_type;
		break;
	case HV_X64_REGISTER_INITIAL_APIC_ID:
		val->reg64 = vp->index;
		break;
	case HV_REGISTER_SCONTROL:
		val->reg64 = st->synic.scontrol;
		break;
	case HV_REGISTER_SVERSION:
		val->reg64 = HV_SYNIC_VERSION_1;
		break;
	case HV_REGISTER_SIMP:
		val->reg64 = st->synic.simp;
		break;
	case HV_REGISTER_SIEFP:
		val->reg64 = st->synic.siefp;
		break;
	case HV_REGISTER_EOM:
		val->reg64 = 0;		/* write-only */
		break;
	case HV_REGISTER_INTERRUPT_STATE:
		val->reg64 = (cpu->interrupt_shadow ? BIT_ULL(0) : 0) |
			     (cpu->nmi_masked ? BIT_ULL(1) : 0);
		break;
	case HV_REGISTER_PENDING_EVENT0:
	case HV_REGISTER_PENDING_EVENT1:
		val->reg128 = st->pending_event[name - HV_REGISTER_PENDING_EVENT0];
		break;
	case HV_REGISTER_INTERNAL_ACTIVITY_STATE:
		val->reg64 = hvsim_activity_get(vp);
		break;
	case HV_REGISTER_REFERENCE_TSC:
		val->reg64 = READ_ONCE(vp->pt->ref_tsc);
		break;
	case HV_X64_REGISTER_PRED_CMD:	/* write-only command */
	case HV_X64_REGISTER_XSS:	/* no supervisor state is offered */
		val->reg64 = 0;
		break;
	default:
		return HV_STATUS_INVALID_PARAMETER;
	}
	return HV_STATUS_SUCCESS;
}

/* Write a 16-byte x87/SSE register into the XSAVE area. */
static u16 hvsim_xsave_reg_set(struct hvsim_vp *vp, u32 name, u8 *xs,
			       const union hv_register_value *val)
{
	u64 *xstate_bv = vp->st.xsave + HVSIM_XSAVE_BV;
	u32 mxcsr;

	if (name == HV_X64_REGISTER_XMM_CONTROL_STATUS) {
		memcpy(&mxcsr, (const u8 *)&val->reg128 +
		       HVSIM_XSAVE_MXCSR - HVSIM_XSAVE_XMM_CS, sizeof(mxcsr));
		if (mxcsr & ~0xffffU)
			return HV_STATUS_INVALID_PARAMETER;
	}
	memcpy(xs, &val->reg128, sizeof(val->reg128));
	*xstate_bv |= HV_X64_XSAVE_LEGACY_X87 | HV_X64_XSAVE_LEGACY_SSE;
	return HV_STATUS_SUCCESS;
}

static u16 hvsim_xfem_set(struct hvsim_vp *vp, u64 v)
{
	u64 allowed = hvsim_xsave_states(vp->pt);

	if (!(v & HV_X64_XSAVE_LEGACY_X87) || (v & ~allowed) ||
	    ((v & BIT_ULL(2)) && !(v & HV_X64_XSAVE_LEGACY_SSE)))
		return HV_STATUS_INVALID_PARAMETER;
	vp->cpu.xcr0 = v;
	return HV_STATUS_SUCCESS;
}

static u16 hvsim_mtrr_def_set(struct hvsim_vp *vp, u64 v)
{
	if ((v & ~HVSIM_MTRR_DEF_VALID) || !hvsim_mtrr_type_ok(v & 0xff))
		return HV_STATUS_INVALID_PARAMETER;
	vp->cpu.msr.mtrr_def_type = v;
	return HV_STATUS_SUCCESS;
}

/* Registers with a rule or a side effect; -1 if @name is not one. */
static int hvsim_special_set(struct hvsim_vp *vp, u32 name, u64 v)
{
	struct hvsim_cpu_state *cpu = &vp->cpu;
	struct hvsim_vp_state *st = &vp->st;

	if (name >= HV_REGISTER_SINT0 && name <= HV_REGISTER_SINT15) {
		if (v & ~HVSIM_SINT_VALID)
			return HV_STATUS_INVALID_PARAMETER;
		st->synic.sint[name - HV_REGISTER_SINT0] = v;
		return HV_STATUS_SUCCESS;
	}
	switch (name) {
	case HV_X64_REGISTER_DR6:
	case HV_X64_REGISTER_DR7:
		if (v >> 32)
			return HV_STATUS_INVALID_PARAMETER;
		if (name == HV_X64_REGISTER_DR6)
			cpu->dr6 = v;
		else
			cpu->dr7 = v;
		return HV_STATUS_SUCCESS;
	case HV_X64_REGISTER_XFEM:
		return hvsim_xfem_set(vp, v);
	case HV_X64_REGISTER_TSC:
		cpu->msr.tsc_offset = v - rdtsc();
		return HV_STATUS_SUCCESS;
	case HV_X64_REGISTER_APIC_BASE:
		if (v & ~HVSIM_APIC_BASE_VALID)
			return HV_STATUS_INVALID_PARAMETER;
		cpu->msr.apic_base = v;
		return HV_STATUS_SUCCESS;
	case HV_X64_REGISTER_PAT:
		if (!hvsim_pat_ok(v))
			return HV_STATUS_INVALID_PARAMETER;
		cpu->msr.pat = v;
		return HV_STATUS_SUCCESS;
	case HV_X64_REGISTER_LSTAR:
	case HV_X64_REGISTER_CSTAR:
		if (!hvsim_canonical(cpu, v))
			return HV_STATUS_INVALID_PARAMETER;
		if (name == HV_X64_REGISTER_LSTAR)
			cpu->msr.lstar = v;
		else
			cpu->msr.cstar = v;
		return HV_STATUS_SUCCESS;
	case HV_X64_REGISTER_TSC_AUX:
		if (v >> 32)
			return HV_STATUS_INVALID_PARAMETER;
		cpu->msr.tsc_aux = v;
		return HV_STATUS_SUCCESS;
	case HV_X64_REGISTER_MSR_MTRR_DEF_TYPE:
		return hvsim_mtrr_def_set(vp, v);
	case HV_REGISTER_SCONTROL:
		if (v & ~HV_SYNIC_SCONTROL_ENABLE)
			return HV_STATUS_INVALID_PARAMETER;
		st->synic.scontrol = v;
		return HV_STATUS_SUCCESS;
	case HV_REGISTER_SIMP:
	case HV_REGISTER_SIEFP:
		return hvsim_synic_set_page(vp, name == HV_REGISTER_SIMP, v);
	case HV_REGISTER_EOM:
		return HV_STATUS_SUCCESS;	/* no queued child messages */
	case HV_REGISTER_INTERRUPT_STATE:
		if (v & ~HVSIM_INTR_STATE_VALID)
			return HV_STATUS_INVALID_PARAMETER;
		cpu->interrupt_shadow = v & BIT_ULL(0);
		cpu->nmi_masked = v & BIT_ULL(1);
		return HV_STATUS_SUCCESS;
	case HV_REGISTER_INTERNAL_ACTIVITY_STATE:
		return hvsim_activity_set(vp, v);
	case HV_REGISTER_PENDING_INTERRUPTION:
		if (v & HVSIM_PENDING_INTR_RSVD)
			return HV_STATUS_INVALID_PARAMETER;
		st->pending_interruption = v;
		return HV_STATUS_SUCCESS;
	case HV_X64_REGISTER_DELIVERABILITY_NOTIFICATIONS:
		if (v & ~HVSIM_DELIVERABILITY_VALID)
			return HV_STATUS_INVALID_PARAMETER;
		st->deliverability = v;
		return HV_STATUS_SUCCESS;
	case HV_X64_REGISTER_DEBUG_CTL:
		if (v & ~HVSIM_DEBUGCTL_VALID)
			return HV_STATUS_INVALID_PARAMETER;
		st->debug_ctl = v;
		return HV_STATUS_SUCCESS;
	case HV_X64_REGISTER_PRED_CMD:
		return v & ~HVSIM_PRED_CMD_IBPB ? HV_STATUS_INVALID_PARAMETER :
						  HV_STATUS_SUCCESS;
	case HV_X64_REGISTER_XSS:
		return v ? HV_STATUS_INVALID_PARAMETER : HV_STATUS_SUCCESS;
	case HV_REGISTER_REFERENCE_TSC:
		/* bits 11:1 are reserved-preserved: kept as written */
		WRITE_ONCE(vp->pt->ref_tsc, v);
		return HV_STATUS_SUCCESS;
	case HV_X64_REGISTER_MSR_MTRR_CAP:
	case HV_X64_REGISTER_INITIAL_APIC_ID:
	case HV_REGISTER_SVERSION:
		return HV_STATUS_ACCESS_DENIED;
	}
	return -1;
}

/**
 * hvsim_vpregs_set() - write a register that is not one of the core set
 * @vp: the VP, locked
 * @name: register name
 * @val: the value
 *
 * Return: HV_STATUS_SUCCESS, INVALID_PARAMETER (unknown name or invalid
 * value) or ACCESS_DENIED (read-only register).
 */
u16 hvsim_vpregs_set(struct hvsim_vp *vp, u32 name,
		     const union hv_register_value *val)
{
	u8 *xs = hvsim_xsave_reg(vp, name);
	u64 *reg;
	int ret;

	lockdep_assert_held(&vp->lock);

	if (xs)
		return hvsim_xsave_reg_set(vp, name, xs, val);
	if (name == HV_REGISTER_PENDING_EVENT0 ||
	    name == HV_REGISTER_PENDING_EVENT1) {
		if (val->reg128.low_part & HVSIM_PENDING_EVENT_RSVD)
			return HV_STATUS_INVALID_PARAMETER;
		vp->st.pending_event[name - HV_REGISTER_PENDING_EVENT0] =
			val->reg128;
		return HV_STATUS_SUCCESS;
	}
	ret = hvsim_special_set(vp, name, val->reg64);
	if (ret >= 0)
		return ret;
	reg = hvsim_ext_reg64(vp, name);
	if (!reg)
		return HV_STATUS_INVALID_PARAMETER;
	*reg = val->reg64;
	return HV_STATUS_SUCCESS;
}
