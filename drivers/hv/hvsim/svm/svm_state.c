// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim SVM engine: the VMCB.  Its control area is set up once per VP
 * (the intercepts that never change); its state save area is filled
 * from vp->cpu before each VMRUN and read back after each #VMEXIT.
 *
 * Differences between vp->cpu and the VMCB:
 *  - segment attributes: TLFS layout (type:4 s:1 dpl:2 p:1, reserved:4,
 *    avl:1 l:1 db:1 g:1) against the VMCB's packed 12 bits;
 *  - EFER.SVME must be set in a guest's VMCB; the guest never sees it
 *    (vp->cpu.efer keeps the guest's own value of the bit);
 *  - CR8 is V_TPR (with V_INTR_MASKING, guest CR8 accesses go there);
 *  - DR7 is 0x400 in the VMCB and all debug-register accesses are
 *    intercepted: like the interpreter, the SVM engine stores DR0-DR3
 *    and DR7 without arming breakpoints (the hardware's DR0-3 are the
 *    host's);
 *  - the interrupt shadow is VMCB int_state bit 0.
 */
#include <asm/processor-flags.h>

#include "svm.h"

#define HVSIM_SVM_DR_INTERCEPTS		0x00ff00ffU	/* DR0-7 read, write */
#define HVSIM_SVM_DR7			0x400	/* no breakpoint armed */

static void hvsim_svm_set(struct hvsim_vmcb_control *c, unsigned int bit)
{
	c->intercepts[bit / 32] |= BIT(bit % 32);
}

/**
 * hvsim_svm_vmcb_init() - the fixed part of a VP's VMCB control area
 * @s: the VP's engine state, VMCB zeroed
 */
void hvsim_svm_vmcb_init(struct hvsim_svm_vp *s)
{
	struct hvsim_vmcb_control *c = &s->vmcb->control;
	static const u16 always[] = {
		HVSIM_ICPT_CR8_WRITE, HVSIM_ICPT_INTR, HVSIM_ICPT_NMI,
		HVSIM_ICPT_CPUID, HVSIM_ICPT_INVD, HVSIM_ICPT_HLT,
		HVSIM_ICPT_INVLPGA, HVSIM_ICPT_IOIO, HVSIM_ICPT_MSR,
		HVSIM_ICPT_SHUTDOWN, HVSIM_ICPT_RSM, HVSIM_ICPT_VMRUN,
		HVSIM_ICPT_VMMCALL, HVSIM_ICPT_VMLOAD, HVSIM_ICPT_VMSAVE,
		HVSIM_ICPT_STGI, HVSIM_ICPT_CLGI, HVSIM_ICPT_SKINIT,
		HVSIM_ICPT_RDTSCP, HVSIM_ICPT_MONITOR, HVSIM_ICPT_MWAIT,
		HVSIM_ICPT_MWAIT_COND, HVSIM_ICPT_XSETBV, HVSIM_ICPT_RDPRU,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(always); i++)
		hvsim_svm_set(c, always[i]);
	c->intercepts[HVSIM_ICPT_WORD_DR] = HVSIM_SVM_DR_INTERCEPTS;
	c->iopm_base_pa = hvsim_svm_iopm_pa;
	c->msrpm_base_pa = hvsim_svm_msrpm_pa;
	c->int_ctl = HVSIM_V_INTR_MASKING;
	c->nested_ctl = HVSIM_NP_ENABLE;
}

/* TLFS segment attributes <-> VMCB attrib. */
static u16 hvsim_svm_attr(u16 a)
{
	return (a & 0xff) | ((a >> 4) & 0xf00);
}

static u16 hvsim_svm_unattr(u16 a)
{
	return (a & 0xff) | ((a & 0xf00) << 4);
}

static void hvsim_svm_seg_to(struct hvsim_vmcb_seg *v, const struct hvsim_segment *s)
{
	v->selector = s->selector;
	v->attrib = hvsim_svm_attr(s->attributes);
	v->limit = s->limit;
	v->base = s->base;
}

static void hvsim_svm_seg_from(struct hvsim_segment *s, const struct hvsim_vmcb_seg *v)
{
	s->selector = v->selector;
	s->attributes = hvsim_svm_unattr(v->attrib);
	s->limit = v->limit;
	s->base = v->base;
}

/* Segment registers in hvsim order, and where they are in the VMCB. */
static struct hvsim_vmcb_seg *hvsim_svm_seg(struct hvsim_vmcb_save *sa, int i)
{
	switch (i) {
	case HVSIM_ES: return &sa->es;
	case HVSIM_CS: return &sa->cs;
	case HVSIM_SS: return &sa->ss;
	case HVSIM_DS: return &sa->ds;
	case HVSIM_FS: return &sa->fs;
	case HVSIM_GS: return &sa->gs;
	case HVSIM_LDTR: return &sa->ldtr;
	default: return &sa->tr;
	}
}

/**
 * hvsim_svm_state_to_vmcb() - load vp->cpu into the VMCB
 * @vp: the VP, locked
 * @s: its engine state
 */
void __hvsim_hot hvsim_svm_state_to_vmcb(struct hvsim_vp *vp, struct hvsim_svm_vp *s)
{
	const struct hvsim_cpu_state *cpu = &vp->cpu;
	struct hvsim_vmcb_save *sa = &s->vmcb->save;
	struct hvsim_vmcb_control *c = &s->vmcb->control;
	int i;

	lockdep_assert_held(&vp->lock);

	for (i = 0; i < HVSIM_NR_SREGS; i++)
		hvsim_svm_seg_to(hvsim_svm_seg(sa, i), &cpu->seg[i]);
	sa->gdtr.base = cpu->gdtr.base;
	sa->gdtr.limit = cpu->gdtr.limit;
	sa->idtr.base = cpu->idtr.base;
	sa->idtr.limit = cpu->idtr.limit;
	sa->cpl = (cpu->cr0 & X86_CR0_PE) ?
		  cpu->seg[HVSIM_CS].selector & 3 : 0;
	sa->efer = cpu->efer | EFER_SVME;
	sa->cr0 = cpu->cr0;
	sa->cr2 = cpu->cr2;
	sa->cr3 = cpu->cr3;
	sa->cr4 = cpu->cr4;
	sa->dr6 = cpu->dr6;
	sa->dr7 = HVSIM_SVM_DR7;
	sa->rflags = cpu->rflags;
	sa->rip = cpu->rip;
	sa->rsp = cpu->gpr[HVSIM_RSP];
	sa->rax = cpu->gpr[HVSIM_RAX];
	sa->star = cpu->msr.star;
	sa->lstar = cpu->msr.lstar;
	sa->cstar = cpu->msr.cstar;
	sa->sfmask = cpu->msr.sfmask;
	sa->kernel_gs_base = cpu->msr.kernel_gs_base;
	sa->sysenter_cs = cpu->msr.sysenter_cs;
	sa->sysenter_esp = cpu->msr.sysenter_esp;
	sa->sysenter_eip = cpu->msr.sysenter_eip;
	sa->g_pat = cpu->msr.pat;
	memcpy(s->gprs.r, cpu->gpr, sizeof(s->gprs.r));

	c->int_ctl = (c->int_ctl & ~HVSIM_V_TPR_MASK) | (cpu->cr8 & HVSIM_V_TPR_MASK);
	c->int_state = cpu->interrupt_shadow ? HVSIM_INT_SHADOW : 0;
	c->tsc_offset = cpu->msr.tsc_offset;
	c->clean = 0;
}

/**
 * hvsim_svm_state_from_vmcb() - store the VMCB's guest state in vp->cpu
 * @vp: the VP, locked
 * @s: its engine state, after a #VMEXIT
 */
void __hvsim_hot hvsim_svm_state_from_vmcb(struct hvsim_vp *vp, struct hvsim_svm_vp *s)
{
	struct hvsim_cpu_state *cpu = &vp->cpu;
	const struct hvsim_vmcb_save *sa = &s->vmcb->save;
	const struct hvsim_vmcb_control *c = &s->vmcb->control;
	int i;

	lockdep_assert_held(&vp->lock);

	memcpy(cpu->gpr, s->gprs.r, sizeof(s->gprs.r));
	cpu->gpr[HVSIM_RSP] = sa->rsp;
	cpu->gpr[HVSIM_RAX] = sa->rax;
	for (i = 0; i < HVSIM_NR_SREGS; i++)
		hvsim_svm_seg_from(&cpu->seg[i], hvsim_svm_seg((void *)sa, i));
	cpu->gdtr.base = sa->gdtr.base;
	cpu->gdtr.limit = sa->gdtr.limit;
	cpu->idtr.base = sa->idtr.base;
	cpu->idtr.limit = sa->idtr.limit;
	cpu->efer = (sa->efer & ~EFER_SVME) | (cpu->efer & EFER_SVME);
	cpu->cr0 = sa->cr0;
	cpu->cr2 = sa->cr2;
	cpu->cr3 = sa->cr3;
	cpu->cr4 = sa->cr4;
	cpu->dr6 = sa->dr6;
	cpu->rflags = sa->rflags;
	cpu->rip = sa->rip;
	cpu->msr.star = sa->star;
	cpu->msr.lstar = sa->lstar;
	cpu->msr.cstar = sa->cstar;
	cpu->msr.sfmask = sa->sfmask;
	cpu->msr.kernel_gs_base = sa->kernel_gs_base;
	cpu->msr.sysenter_cs = sa->sysenter_cs;
	cpu->msr.sysenter_esp = sa->sysenter_esp;
	cpu->msr.sysenter_eip = sa->sysenter_eip;
	cpu->cr8 = c->int_ctl & HVSIM_V_TPR_MASK;
	cpu->interrupt_shadow = c->int_state & HVSIM_INT_SHADOW;
}
