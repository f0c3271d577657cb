/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What current VMM libraries ask of /dev/mshv, written down from their
 * public source (rust-vmm/mshv 0.7: mshv-ioctls system.rs, vm.rs, vcpu.rs;
 * mshv-bindings x86_64/regs.rs; Cloud Hypervisor's hypervisor/src/mshv),
 * for the replay tests (vmm_replay_test, ch_boot_test).  Our own C: the
 * calls, their order and the register groups; no code was taken over.
 *
 * rust-vmm's VcpuFd reads and writes a vCPU's state one group at a time,
 * one HVCALL_GET/SET_VP_REGISTERS rep call per group (any refused name
 * fails the whole group, and with it Cloud Hypervisor's vCPU save or
 * restore):
 *   get/set_regs     the 16 GPRs, RIP, RFLAGS
 *   get/set_sregs    segments, GDTR/IDTR, CR0/2/3/4/8, EFER, APIC_BASE
 *                    (get also PENDING_INTERRUPTION)
 *   get/set_fpu      XMM0-15, FP_MMX0-7, FP and XMM control/status
 *   get/set_debug_regs  DR0-3, DR6, DR7
 *   get/set_xcrs     XFEM
 *   get/set_vcpu_events  PENDING_INTERRUPTION, INTERRUPT_STATE,
 *                    INTERNAL_ACTIVITY_STATE, PENDING_EVENT0/1
 *   get/set_misc_regs  HYPERCALL
 *   get_suspend_regs EXPLICIT_SUSPEND, INTERCEPT_SUSPEND
 *   get/set_msrs     the partition's supported MSR list
 *                    (get_partition_supported_msrs(): a common list, then
 *                    TSC_AUX with RDTSCP, XSS with supervisor XSAVE, the
 *                    CET registers with CET-SS, the SynIC registers,
 *                    REFERENCE_TSC and GUEST_OS_ID with their synthetic
 *                    features), each MSR through its register name
 *
 * QEMU's mshv accelerator (target/i386/mshv/msr.c) gets and sets its MSRs
 * in one rep call: the architectural and syscall MSRs, TSC, TSC_AUX,
 * TSC_ADJUST and SPEC_CTRL (those two only with their processor features),
 * HYPERCALL, GUEST_OS_ID and REFERENCE_TSC (written on vCPU 0 only),
 * SCONTROL, SIEFP, SIMP, MTRR_DEF_TYPE, the CET registers and XSS only
 * with CET, then 8 variable and 11 fixed MTRR pairs.
 */
#ifndef SELFTEST_MSHV_VMM_REPLAY_H
#define SELFTEST_MSHV_VMM_REPLAY_H

#include "mshv_util.h"

/* rust-vmm's make_default_synthetic_features_mask() (x86_64). */
#define VMM_SYNTHETIC_FEATURES						\
	(HV_SYNTHETIC_PROC_FEATURE_HYPERVISOR_PRESENT |			\
	 HV_SYNTHETIC_PROC_FEATURE_HV1 |				\
	 HV_SYNTHETIC_PROC_FEATURE_ACCESS_PARTITION_REFERENCE_COUNTER |	\
	 HV_SYNTHETIC_PROC_FEATURE_ACCESS_SYNIC_REGS |			\
	 HV_SYNTHETIC_PROC_FEATURE_ACCESS_SYNTHETIC_TIMER_REGS |	\
	 HV_SYNTHETIC_PROC_FEATURE_ACCESS_PARTITION_REFERENCE_TSC |	\
	 HV_SYNTHETIC_PROC_FEATURE_ACCESS_FREQUENCY_REGS |		\
	 HV_SYNTHETIC_PROC_FEATURE_ACCESS_INTR_CTRL_REGS |		\
	 HV_SYNTHETIC_PROC_FEATURE_ACCESS_VP_INDEX |			\
	 HV_SYNTHETIC_PROC_FEATURE_ACCESS_HYPERCALL_REGS |		\
	 HV_SYNTHETIC_PROC_FEATURE_ACCESS_GUEST_IDLE_REG |		\
	 HV_SYNTHETIC_PROC_FEATURE_TB_FLUSH_HYPERCALLS |		\
	 HV_SYNTHETIC_PROC_FEATURE_SYNTHETIC_CLUSTER_IPI |		\
	 HV_SYNTHETIC_PROC_FEATURE_DIRECT_SYNTHETIC_TIMERS)

/* The XSAVE features make_default_partition_create_arg() leaves enabled. */
#define VMM_XSAVE_ENABLED						\
	(HV_XSAVE_FEATURE_XSAVE | HV_XSAVE_FEATURE_XSAVEOPT |		\
	 HV_XSAVE_FEATURE_AVX | HV_XSAVE_FEATURE_XSAVE_COMP |		\
	 HV_XSAVE_FEATURE_XSAVE_SUPERVISOR)

enum vmm_group {
	VMM_REGS, VMM_SREGS_GET, VMM_SREGS_SET, VMM_FPU, VMM_DEBUG,
	VMM_XCRS, VMM_EVENTS, VMM_MISC, VMM_SUSPEND, VMM_NR_FIXED_GROUPS
};

#define VMM_MAX_GROUP	128

struct vmm_group_names {
	const char *what;
	unsigned int n;
	__u32 names[VMM_MAX_GROUP];
};

static inline void vmm_add(struct vmm_group_names *g, __u32 name)
{
	if (g->n < VMM_MAX_GROUP)
		g->names[g->n++] = name;
}

static inline void vmm_add_range(struct vmm_group_names *g, __u32 first,
				 unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		vmm_add(g, first + i);
}

/* The register groups of rust-vmm's VcpuFd getters and setters. */
static inline void vmm_fixed_group(enum vmm_group which,
				   struct vmm_group_names *g)
{
	static const __u32 gprs[] = {
		HV_X64_REGISTER_RAX, HV_X64_REGISTER_RBX, HV_X64_REGISTER_RCX,
		HV_X64_REGISTER_RDX, HV_X64_REGISTER_RSI, HV_X64_REGISTER_RDI,
		HV_X64_REGISTER_RSP, HV_X64_REGISTER_RBP,
	};
	static const __u32 sregs[] = {
		HV_X64_REGISTER_CS, HV_X64_REGISTER_DS, HV_X64_REGISTER_ES,
		HV_X64_REGISTER_FS, HV_X64_REGISTER_GS, HV_X64_REGISTER_SS,
		HV_X64_REGISTER_TR, HV_X64_REGISTER_LDTR, HV_X64_REGISTER_GDTR,
		HV_X64_REGISTER_IDTR, HV_X64_REGISTER_CR0, HV_X64_REGISTER_CR2,
		HV_X64_REGISTER_CR3, HV_X64_REGISTER_CR4, HV_X64_REGISTER_CR8,
		HV_X64_REGISTER_EFER, HV_X64_REGISTER_APIC_BASE,
	};
	unsigned int i;

	memset(g, 0, sizeof(*g));
	switch (which) {
	case VMM_REGS:
		g->what = "regs";
		for (i = 0; i < ARRAY_SIZE(gprs); i++)
			vmm_add(g, gprs[i]);
		vmm_add_range(g, HV_X64_REGISTER_R8, 8);
		vmm_add(g, HV_X64_REGISTER_RIP);
		vmm_add(g, HV_X64_REGISTER_RFLAGS);
		break;
	case VMM_SREGS_GET:
	case VMM_SREGS_SET:
		g->what = which == VMM_SREGS_GET ? "get_sregs" : "set_sregs";
		for (i = 0; i < ARRAY_SIZE(sregs); i++)
			vmm_add(g, sregs[i]);
		if (which == VMM_SREGS_GET)
			vmm_add(g, HV_REGISTER_PENDING_INTERRUPTION);
		break;
	case VMM_FPU:
		g->what = "fpu";
		vmm_add_range(g, HV_X64_REGISTER_XMM0, 16);
		vmm_add_range(g, HV_X64_REGISTER_FP_MMX0, 8);
		vmm_add(g, HV_X64_REGISTER_FP_CONTROL_STATUS);
		vmm_add(g, HV_X64_REGISTER_XMM_CONTROL_STATUS);
		break;
	case VMM_DEBUG:
		g->what = "debug_regs";
		vmm_add_range(g, HV_X64_REGISTER_DR0, 4);
		vmm_add(g, HV_X64_REGISTER_DR6);
		vmm_add(g, HV_X64_REGISTER_DR7);
		break;
	case VMM_XCRS:
		g->what = "xcrs";
		vmm_add(g, HV_X64_REGISTER_XFEM);
		break;
	case VMM_EVENTS:
		g->what = "vcpu_events";
		vmm_add(g, HV_REGISTER_PENDING_INTERRUPTION);
		vmm_add(g, HV_REGISTER_INTERRUPT_STATE);
		vmm_add(g, HV_REGISTER_INTERNAL_ACTIVITY_STATE);
		vmm_add(g, HV_REGISTER_PENDING_EVENT0);
		vmm_add(g, HV_REGISTER_PENDING_EVENT1);
		break;
	case VMM_MISC:
		g->what = "misc_regs";
		vmm_add(g, HV_X64_REGISTER_HYPERCALL);
		break;
	case VMM_SUSPEND:
		g->what = "suspend_regs";
		vmm_add(g, HV_REGISTER_EXPLICIT_SUSPEND);
		vmm_add(g, HV_REGISTER_INTERCEPT_SUSPEND);
		break;
	default:
		break;
	}
}

/*
 * The MSR group from the partition's features, as rust-vmm's
 * get_partition_supported_msrs() builds it (MSRs as register names).
 */
static inline void vmm_msr_group(__u64 features0, __u64 features1,
				 __u64 xsave, __u64 synthetic,
				 struct vmm_group_names *g)
{
	static const __u32 common[] = {
		HV_X64_REGISTER_TSC, HV_X64_REGISTER_EFER,
		HV_X64_REGISTER_KERNEL_GS_BASE, HV_X64_REGISTER_APIC_BASE,
		HV_X64_REGISTER_PAT, HV_X64_REGISTER_SYSENTER_CS,
		HV_X64_REGISTER_SYSENTER_ESP, HV_X64_REGISTER_SYSENTER_EIP,
		HV_X64_REGISTER_STAR, HV_X64_REGISTER_LSTAR,
		HV_X64_REGISTER_CSTAR, HV_X64_REGISTER_SFMASK,
		HV_X64_REGISTER_MSR_MTRR_DEF_TYPE,
	};
	unsigned int i;

	memset(g, 0, sizeof(*g));
	g->what = "msrs";
	for (i = 0; i < ARRAY_SIZE(common); i++)
		vmm_add(g, common[i]);
	for (i = 0; i < 8; i++) {
		vmm_add(g, HV_X64_REGISTER_MSR_MTRR_PHYS_BASE0 + i);
		vmm_add(g, HV_X64_REGISTER_MSR_MTRR_PHYS_MASK0 + i);
	}
	vmm_add_range(g, HV_X64_REGISTER_MSR_MTRR_FIX64K00000, 11);
	vmm_add(g, HV_X64_REGISTER_DEBUG_CTL);
	vmm_add(g, HV_REGISTER_EOM);
	/* 42 so far: MSRS_COMMON */
	if (features1 & HV_PROC_FEATURE1_CET_SS)	/* MSRS_CET_SS */
		vmm_add_range(g, HV_X64_REGISTER_XSS + 1, 8);
	if (features0 & HV_PROC_FEATURE0_RDTSCP)
		vmm_add(g, HV_X64_REGISTER_TSC_AUX);
	if (xsave & HV_XSAVE_FEATURE_XSAVE_SUPERVISOR)
		vmm_add(g, HV_X64_REGISTER_XSS);
	if (synthetic & HV_SYNTHETIC_PROC_FEATURE_ACCESS_SYNIC_REGS) {
		vmm_add_range(g, HV_REGISTER_SINT0, 16);
		vmm_add(g, HV_REGISTER_SCONTROL);
		vmm_add(g, HV_REGISTER_SIEFP);
		vmm_add(g, HV_REGISTER_SIMP);
	}
	if (synthetic & HV_SYNTHETIC_PROC_FEATURE_ACCESS_PARTITION_REFERENCE_TSC)
		vmm_add(g, HV_REGISTER_REFERENCE_TSC);
	if (synthetic & HV_SYNTHETIC_PROC_FEATURE_ACCESS_HYPERCALL_REGS)
		vmm_add(g, HV_REGISTER_GUEST_OS_ID);
}

/* QEMU's MSR set (msr_env_map, then the MTRRs), filtered as it filters. */
static inline void vmm_qemu_msr_group(__u64 features0, __u64 features1,
				      struct vmm_group_names *g)
{
	static const __u32 map[] = {
		HV_X64_REGISTER_EFER, HV_X64_REGISTER_PAT,
		HV_X64_REGISTER_SYSENTER_CS, HV_X64_REGISTER_SYSENTER_ESP,
		HV_X64_REGISTER_SYSENTER_EIP, HV_X64_REGISTER_STAR,
		HV_X64_REGISTER_LSTAR, HV_X64_REGISTER_CSTAR,
		HV_X64_REGISTER_SFMASK, HV_X64_REGISTER_KERNEL_GS_BASE,
		HV_X64_REGISTER_TSC, HV_X64_REGISTER_TSC_AUX,
		HV_X64_REGISTER_HYPERCALL, HV_REGISTER_GUEST_OS_ID,
		HV_REGISTER_REFERENCE_TSC, HV_REGISTER_SCONTROL,
		HV_REGISTER_SIEFP, HV_REGISTER_SIMP,
		HV_X64_REGISTER_MSR_MTRR_DEF_TYPE,
	};
	unsigned int i;

	memset(g, 0, sizeof(*g));
	g->what = "qemu msrs";
	for (i = 0; i < ARRAY_SIZE(map); i++)
		vmm_add(g, map[i]);
	if (features1 & HV_PROC_FEATURE1_TSC_ADJUST)
		vmm_add(g, HV_X64_REGISTER_TSC_ADJUST);
	if (features1 & HV_PROC_FEATURE1_CET_SS) {
		vmm_add_range(g, HV_X64_REGISTER_XSS + 1, 2);	/* U/S_CET */
		vmm_add_range(g, HV_X64_REGISTER_XSS + 4, 5);	/* PLn_SSP, ISST */
		vmm_add(g, HV_X64_REGISTER_XSS);
	}
	if (features0 & HV_PROC_FEATURE0_IBRS)
		vmm_add(g, HV_X64_REGISTER_SPEC_CTRL);
	vmm_add_range(g, HV_X64_REGISTER_MSR_MTRR_PHYS_BASE0, 8);
	vmm_add_range(g, HV_X64_REGISTER_MSR_MTRR_PHYS_MASK0, 8);
	vmm_add_range(g, HV_X64_REGISTER_MSR_MTRR_FIX64K00000, 11);
}

#endif /* SELFTEST_MSHV_VMM_REPLAY_H */
