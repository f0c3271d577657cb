// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim SVM engine: the run loop.
 *
 * One call of hvsim_svm_run() is one slice of the VP: VMRUNs until an
 * exit that needs the VMM (an intercept message, HLT, a triple fault) or
 * until the host wants the CPU back (need_resched(), a signal for the
 * calling thread, or slice_us used up; checked at every #VMEXIT, and a
 * host interrupt always causes one).
 *
 * Each #VMEXIT is handled in one of three ways:
 *  - nothing to do for the guest: host interrupt or NMI, interrupt
 *    window, a #NPF the nested page tables can satisfy;
 *  - a triple fault (shutdown intercept);
 *  - everything else is emulated: the interpreter runs exactly one
 *    instruction from the state just synced into vp->cpu, with the same
 *    callbacks as the interpreter engine (hvsim_vp_mem_ops).  Its exit,
 *    if any, ends the slice; otherwise the guest runs on.  An IN or OUT
 *    skips the decode: EXITINFO1/EXITINFO2 say what it is
 *    (hvsim_svm_ioio()).
 * An instruction the interpreter does not implement (x87/SSE/AVX, ...)
 * that needs emulation (e.g. an SSE store to emulated MMIO) ends as
 * HVSIM_EXIT_UNSUPPORTED, as under the interpreter engine.
 *
 * Events come from hvsim's LAPIC model through the interpreter's
 * callbacks: before each VMRUN the pending interrupt (hvsim_lapic_irq_
 * pending()) is delivered with hvsim_cpu_interrupt() when RFLAGS.IF and
 * the shadow allow, else a V_IRQ with the VINTR intercept ends the run
 * when the window opens.  The instruction in an interrupt shadow runs in
 * the interpreter (hvsim_svm_step_shadow()).  An NMI is injected with
 * EVENTINJ, and IRET is intercepted while one is being handled so that
 * nmi_masked stays exact.
 *
 * An exit that interrupts the delivery of an event (EXITINTINFO: a #NPF
 * on the IDT, the stack or a guest page table, a host interrupt) loses
 * nothing: the event is injected again at the next VMRUN (AMD APM vol.
 * 2, 15.7.2 and 15.20), or, if the exit needs the interpreter, delivered
 * by it (hvsim_svm_event_deliver()).
 *
 * The guest's x87/SSE/AVX state is vp->st.xsave (standard XSAVE format,
 * as GET/SET_VP_STATE see it), loaded around each VMRUN inside
 * kernel_fpu_begin()/kernel_fpu_end(), with the guest's XCR0.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/ratelimit.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <asm/debugreg.h>
#include <asm/fpu/api.h>
#include <asm/fpu/xcr.h>
#include <asm/msr.h>
#include <asm/processor-flags.h>
#include <asm/traps.h>
#include <asm/tsc.h>

#include "svm.h"

static unsigned int slice_us = 2000;
module_param(slice_us, uint, 0644);
MODULE_PARM_DESC(slice_us,
		 "engine=svm: microseconds a VP runs per slice before the host gets its CPU back (checked at host interrupts)");

/* The XSAVE features hvsim may let a guest enable: XCR0 of the host. */
static u64 hvsim_svm_host_xcr0(void)
{
	return xgetbv(XCR_XFEATURE_ENABLED_MASK);
}

/*
 * Whether XRSTOR (standard form) takes @area with @xcr0 as the mask,
 * i.e. does not raise #GP (Intel SDM vol. 1, 13.8; AMD APM vol. 2,
 * 11.5.9): header bytes 8-23 (XCOMP_BV and the first reserved quadword)
 * zero, XSTATE_BV within XCR0, no reserved MXCSR bit set.  SET_VP_STATE
 * lets the VMM write anything there.
 */
static bool hvsim_svm_xsave_ok(const void *area, u64 xcr0)
{
	const u8 *a = area;
	u64 xstate_bv, hdr[2];
	u32 mxcsr;

	memcpy(&mxcsr, a + 24, sizeof(mxcsr));
	memcpy(&xstate_bv, a + 512, sizeof(xstate_bv));
	memcpy(hdr, a + 520, sizeof(hdr));
	return !hdr[0] && !hdr[1] && !(xstate_bv & ~xcr0) &&
	       !(mxcsr & 0xffff0000U);
}

static void hvsim_svm_xrstor(void *area, u64 mask)
{
	asm volatile("xrstor64 (%[a])"
		     :
		     : [a] "r" (area), "a" ((u32)mask), "d" ((u32)(mask >> 32))
		     : "memory");
}

static void hvsim_svm_xsave(void *area, u64 mask)
{
	asm volatile("xsave64 (%[a])"
		     :
		     : [a] "r" (area), "a" ((u32)mask), "d" ((u32)(mask >> 32))
		     : "memory");
}

/* An XCR0 the hardware would take: x87 on, AVX only with SSE, known. */
static bool hvsim_svm_xcr0_ok(u64 xcr0, u64 host)
{
	return (xcr0 & XFEATURE_MASK_FP) && !(xcr0 & ~host) &&
	       (!(xcr0 & XFEATURE_MASK_YMM) || (xcr0 & XFEATURE_MASK_SSE));
}

enum {
	HVSIM_SVM_RAN,		/* VMRUN done, exit code in the VMCB */
	HVSIM_SVM_RETRY,	/* something came up before VMRUN */
	HVSIM_SVM_BUSY,		/* EFER.SVME set by someone else */
	HVSIM_SVM_BAD_FPU,	/* the guest's XSAVE state does not load */
};

/*
 * The components the guest's XSAVE state is loaded and saved with: what
 * its XCR0 enables, and x87 and SSE always.  The SSE state (XMM
 * registers, MXCSR) is there whatever XCR0 says - XCR0 only decides what
 * XSAVE manages - and a VMM may set it (SET_VP_REGISTERS of the XMM
 * registers marks it in XSTATE_BV) before the guest enables anything.
 */
static u64 hvsim_svm_fpu_mask(u64 guest_xcr0)
{
	return guest_xcr0 | XFEATURE_MASK_FP | XFEATURE_MASK_SSE;
}

/*
 * The guest's XCR0 as the CPU left it at the #VMEXIT.  XSETBV is
 * intercepted (hvsim_svm_vmcb_init(); the interpreter emulates it), so
 * this is normally the XCR0 the guest entered with.  QEMU's model of
 * AMD-V (7.2, the test VMs' CPU) does not check that intercept and runs
 * the guest's XSETBV itself: the value it set is the guest's, as if the
 * intercept had been taken, provided XSETBV would have taken it here
 * (hvsim_cpu_xcr0_valid() against the partition's components); a value
 * outside those is dropped, and the guest keeps its previous XCR0.
 * Without this, the guest's XCR0 silently went back to its old value at
 * the next VMRUN, and a Linux guest's signal frames (XSAVE with SSE and
 * AVX in XSTATE_BV) no longer restored ("bad frame in rt_sigreturn").
 */
static void hvsim_svm_guest_xcr0(struct hvsim_vp *vp, u64 hw_xcr0)
{
	if (hw_xcr0 == vp->cpu.xcr0 ||
	    !hvsim_cpu_xcr0_valid(hw_xcr0, hvsim_engine_xcr0_mask(vp->pt)))
		return;
	vp->cpu.xcr0 = hw_xcr0;
	atomic_long_inc(&hvsim_svm_stats.xsetbv_unintercepted);
}

/*
 * One VMRUN of the state in the VMCB.  Guest FPU state in, host state
 * out, EFER.SVME on, VMRUN, and all of it back.  As KVM does, the guest's
 * state is restored and saved while the host's XCR0 is in force (it
 * covers the guest's, hvsim_svm_xcr0_ok()); the guest's XCR0 is set
 * only around the VMRUN, with GIF clear, and read back after it
 * (hvsim_svm_guest_xcr0()): the state is saved with the XCR0 the guest
 * left.
 */
static int __hvsim_hot hvsim_svm_enter(struct hvsim_vp *vp, struct hvsim_svm_vp *s)
{
	u64 guest_xcr0 = vp->cpu.xcr0, host_xcr0, host_save_pa, hw_xcr0;
	u64 mask = hvsim_svm_fpu_mask(guest_xcr0);
	int ret = HVSIM_SVM_RAN;

	kernel_fpu_begin();
	host_xcr0 = hvsim_svm_host_xcr0();
	if (!hvsim_svm_xcr0_ok(guest_xcr0, host_xcr0) ||
	    (mask & ~host_xcr0) ||
	    !hvsim_svm_xsave_ok(vp->st.xsave, mask)) {
		kernel_fpu_end();
		return HVSIM_SVM_BAD_FPU;
	}
	hvsim_svm_xrstor(vp->st.xsave, mask);

	local_irq_disable();
	if (hvsim_svm_cpu_enter(s, &host_save_pa)) {
		ret = HVSIM_SVM_BUSY;
		goto out_irq;
	}
	WRITE_ONCE(s->running_cpu, smp_processor_id());
	smp_mb();	/* running_cpu before the events; pairs with the kick */
	if (READ_ONCE(vp->lapic.events) || need_resched()) {
		ret = HVSIM_SVM_RETRY;
		goto out_svm;
	}

	asm volatile("vmsave %%rax" : : "a" (host_save_pa) : "memory");
	asm volatile("clgi" : : : "memory");
	/* Not even an NMI sees the guest's XCR0. */
	if (guest_xcr0 != host_xcr0)
		xsetbv(XCR_XFEATURE_ENABLED_MASK, guest_xcr0);
	/*
	 * RFLAGS.IF at VMRUN decides whether host interrupts end the run
	 * (V_INTR_MASKING).  Set it here, with GIF still clear, not with an
	 * STI right before VMRUN: the STI's interrupt shadow would leak
	 * into the guest (KVM's svm_vcpu_enter_exit() says the same of AMD
	 * CPUs; QEMU's TCG keeps it for the whole run, and the guest then
	 * runs one instruction per translated block and reports the shadow
	 * at every #VMEXIT).  Raw: for lockdep, interrupts stay off.
	 */
	raw_local_irq_enable();
	hvsim_svm_vmrun(s->vmcb_pa, host_save_pa, &s->gprs);
	raw_local_irq_disable();
	hw_xcr0 = xgetbv(XCR_XFEATURE_ENABLED_MASK);
	if (hw_xcr0 != host_xcr0)
		xsetbv(XCR_XFEATURE_ENABLED_MASK, host_xcr0);
	asm volatile("stgi" : : : "memory");
	if (hw_xcr0 != guest_xcr0) {
		hvsim_svm_guest_xcr0(vp, hw_xcr0);
		mask = hvsim_svm_fpu_mask(vp->cpu.xcr0);
	}

	if (s->vmcb->save.dr6 != DR6_RESERVED)
		set_debugreg(DR6_RESERVED, 6);
	if (hw_breakpoint_active())
		hw_breakpoint_restore();
out_svm:
	WRITE_ONCE(s->running_cpu, -1);
	hvsim_svm_cpu_leave();
out_irq:
	local_irq_enable();
	if (ret == HVSIM_SVM_RAN)
		hvsim_svm_xsave(vp->st.xsave, mask);
	kernel_fpu_end();
	return ret;
}

/*
 * Intercepts that depend on the VP's state: the exceptions, INTn when
 * #BP or #OF is intercepted (QEMU checks an INT3 against the INTn
 * intercept, not the #BP one), IRET while an NMI is being handled,
 * VINTR while an interrupt waits for the window.
 */
static void __hvsim_hot hvsim_svm_set_dynamic(struct hvsim_vp *vp, struct hvsim_svm_vp *s,
					      bool window)
{
	struct hvsim_vmcb_control *c = &s->vmcb->control;
	u32 w3 = c->intercepts[3];

	c->intercepts[HVSIM_ICPT_WORD_EXC] = s->exceptions;
	w3 &= ~(BIT(HVSIM_ICPT_INTN - 96) | BIT(HVSIM_ICPT_IRET - 96) |
		BIT(HVSIM_ICPT_VINTR - 96));
	if (s->exceptions & (BIT(X86_TRAP_BP) | BIT(X86_TRAP_OF)))
		w3 |= BIT(HVSIM_ICPT_INTN - 96);
	if (vp->cpu.nmi_masked)
		w3 |= BIT(HVSIM_ICPT_IRET - 96);
	c->int_ctl &= ~(HVSIM_V_IRQ | HVSIM_V_INTR_PRIO | HVSIM_V_IGN_TPR);
	if (window) {
		w3 |= BIT(HVSIM_ICPT_VINTR - 96);
		c->int_ctl |= HVSIM_V_IRQ | HVSIM_V_INTR_PRIO | HVSIM_V_IGN_TPR;
	}
	c->intercepts[3] = w3;
}

/*
 * Record the event the CPU was delivering when the guest exited
 * (EXITINTINFO, AMD APM vol. 2, 15.7.2), to inject it again at the next
 * VMRUN: an interrupt, an NMI or an exception is gone from the CPU once
 * the exit happened, and a trap (#DB) would not come back by running the
 * instruction again.  INTn, INT3 and INTO are not injected again: the
 * saved RIP is still that of the instruction, which raises the event
 * again (injecting it would need its length, i.e. NRIP save, which
 * QEMU's AMD-V lacks).  What EVENTINJ injected is gone either way.
 */
static void __hvsim_hot hvsim_svm_exit_event(struct hvsim_vp *vp, struct hvsim_svm_vp *s)
{
	u32 info = s->vmcb->control.exit_int_info;
	u32 type = info & HVSIM_EVT_TYPE;
	u32 vector = info & HVSIM_EVT_VECTOR;

	s->event = 0;
	if (!(info & HVSIM_EVT_VALID) || type == HVSIM_EVT_TYPE_SOFT ||
	    (type == HVSIM_EVT_TYPE_EXCEPT &&
	     (vector == X86_TRAP_BP || vector == X86_TRAP_OF)))
		return;
	s->event = info & (HVSIM_EVT_VALID | HVSIM_EVT_EV | HVSIM_EVT_TYPE |
			   HVSIM_EVT_VECTOR);
	s->event_err = s->vmcb->control.exit_int_info_err;
	s->event_rip = vp->cpu.rip;
	atomic_long_inc(&hvsim_svm_stats.reinjected);
}

/*
 * Deliver the pending event with the interpreter, for an exit that needs
 * it (or a slice the interpreter runs): an event whose delivery stopped
 * on something only the interpreter resolves (an unmapped or intercepted
 * GPA) is delivered by it, which then stops on the same access.  The
 * event then stays pending for the next run, after the VMM resolved the
 * access; any other stop (an intercepted exception, a triple fault) ends
 * it.  Return: true if the interpreter stopped with @exit.
 */
static bool hvsim_svm_event_deliver(struct hvsim_vp *vp, struct hvsim_svm_vp *s,
				    struct hvsim_exit *exit)
{
	struct hvsim_cpu_state *cpu = &vp->cpu;
	u32 type = s->event & HVSIM_EVT_TYPE;
	u8 vector = s->event & HVSIM_EVT_VECTOR;
	int rc;

	if (type == HVSIM_EVT_TYPE_INTR)
		rc = hvsim_cpu_interrupt(cpu, &hvsim_vp_mem_ops, vp, vector,
					 exit) < 0 ? -1 : 0;
	else
		rc = hvsim_cpu_event(cpu, &hvsim_vp_mem_ops, vp, vector,
				     type == HVSIM_EVT_TYPE_NMI,
				     s->event & HVSIM_EVT_EV, s->event_err,
				     exit);
	if (!rc || (exit->reason != HVSIM_EXIT_UNMAPPED_GPA &&
		    exit->reason != HVSIM_EXIT_GPA_INTERCEPT))
		s->event = 0;
	return rc;
}

/*
 * Run the interpreter for one instruction, or, if an event is pending,
 * let it deliver that.  Return: true if it exited.
 */
static bool hvsim_svm_emulate(struct hvsim_vp *vp, struct hvsim_exit *exit)
{
	struct hvsim_svm_vp *s = hvsim_svm(vp);

	atomic_long_inc(&hvsim_svm_stats.emulated);
	if (s->event)
		return hvsim_svm_event_deliver(vp, s, exit);
	hvsim_cpu_run(&vp->cpu, &hvsim_vp_mem_ops, vp, 1, exit);
	return exit->reason != HVSIM_EXIT_NONE;
}

enum hvsim_svm_irq {
	HVSIM_SVM_IRQ_NONE,	/* nothing pending (or delivered) */
	HVSIM_SVM_IRQ_WINDOW,	/* an interrupt waits for RFLAGS.IF */
	HVSIM_SVM_IRQ_EXIT,	/* delivering it stopped with @exit */
};

/*
 * Deliver what the LAPIC has for the VP, if it can take it now.  An event
 * still to be injected again goes first; an interrupt then waits for the
 * window after it.  An NMI is injected with EVENTINJ (type NMI, AMD APM
 * vol. 2, 15.20) and masks NMIs until the IRET the engine intercepts; in
 * an interrupt shadow it waits for the VINTR window when RFLAGS.IF is
 * set, else the interpreter steps over the shadowed instruction.
 */
static int __hvsim_hot hvsim_svm_take_irq(struct hvsim_vp *vp, struct hvsim_svm_vp *s,
					  struct hvsim_exit *exit)
{
	struct hvsim_cpu_state *cpu = &vp->cpu;
	int vector = hvsim_lapic_irq_pending(vp, cpu);
	int rc;

	if (vector < 0)
		return HVSIM_SVM_IRQ_NONE;
	if (s->event)
		return vector == HVSIM_IRQ_NMI ? HVSIM_SVM_IRQ_NONE :
						 HVSIM_SVM_IRQ_WINDOW;
	if (vector == HVSIM_IRQ_NMI) {
		if (cpu->interrupt_shadow) {
			if (cpu->rflags & X86_EFLAGS_IF)
				return HVSIM_SVM_IRQ_WINDOW;
			return hvsim_svm_emulate(vp, exit) ?
			       HVSIM_SVM_IRQ_EXIT : HVSIM_SVM_IRQ_NONE;
		}
		hvsim_lapic_irq_ack(vp, HVSIM_IRQ_NMI);
		cpu->nmi_masked = true;
		s->event = HVSIM_EVT_VALID | HVSIM_EVT_TYPE_NMI | X86_TRAP_NMI;
		s->event_err = 0;
		s->event_rip = cpu->rip;
		return HVSIM_SVM_IRQ_NONE;
	}
	/*
	 * Not deliverable yet: the CPU exits (VINTR) once it is, after the
	 * interrupt shadow too.  Emulating the shadowed instruction instead
	 * would hand the interpreter whatever comes next (SSE, say).
	 */
	if (cpu->interrupt_shadow || !(cpu->rflags & X86_EFLAGS_IF))
		return HVSIM_SVM_IRQ_WINDOW;
	rc = hvsim_cpu_interrupt(cpu, &hvsim_vp_mem_ops, vp, vector, exit);
	if (rc < 0)
		return HVSIM_SVM_IRQ_EXIT;
	if (rc > 0)
		hvsim_lapic_irq_ack(vp, vector);
	return HVSIM_SVM_IRQ_NONE;
}

/*
 * A #NPF on a page the GPA map refuses, taken by an instruction the
 * interpreter does not implement (SSE, AVX, ...): it is the GPA intercept
 * the access is, built from the #NPF (AMD APM vol. 2, 15.25.6: the GPA in
 * EXITINFO2, the access in EXITINFO1; no GVA), and not an unrecoverable
 * exception.  A movable region's first touch of a window, or its touch
 * after the host moved a page (mshv_root maps such pages NO_ACCESS until
 * the next access faults them in), is just that: MSHV_RUN_VP maps the
 * window and the guest retries the instruction on the hardware.
 */
static void hvsim_svm_npf_intercept(struct hvsim_vp *vp,
				    const struct hvsim_vmcb_control *c,
				    struct hvsim_exit *exit)
{
	exit->reason = HVSIM_EXIT_GPA_INTERCEPT;
	exit->rip = vp->cpu.rip;
	exit->insn_len = 0;
	exit->mem.gpa = c->exit_info_2;
	exit->mem.gva = 0;
	exit->mem.no_gva = true;
	exit->mem.write = c->exit_info_1 & HVSIM_NPF_EI_WRITE;
	exit->mem.exec = c->exit_info_1 & HVSIM_NPF_EI_FETCH;
	exit->mem.walk = c->exit_info_1 & HVSIM_NPF_EI_WALK;
	atomic_long_inc(&hvsim_svm_stats.npf_intercepts);
}

enum hvsim_svm_shadow {
	HVSIM_SVM_SHADOW_STEPPED,	/* the interpreter ran the instruction */
	HVSIM_SVM_SHADOW_EXIT,		/* ... and it stopped with @exit */
	HVSIM_SVM_SHADOW_VMRUN,		/* the interpreter lacks it: VMRUN */
};

/*
 * The guest is in an interrupt shadow (after STI, MOV SS, POP SS): run the
 * shadowed instruction in the interpreter, so that no interrupt comes
 * before it.  VMRUN cannot be trusted with the shadow: it is VMCB
 * int_state bit 0 (INTERRUPT_SHADOW, AMD APM vol. 2, appendix B), which
 * QEMU's model of VMRUN (the test VMs' CPU) does not load, so that an
 * interrupt posted meanwhile - or waiting already, in the VINTR window -
 * would be taken before the instruction.  After STI; HLT it then returns
 * to the HLT and the guest halts again although it has just been woken.
 * An instruction the interpreter does not implement (SSE, say) runs in
 * the guest, with the shadow in int_state.
 */
static int hvsim_svm_step_shadow(struct hvsim_vp *vp, struct hvsim_exit *exit)
{
	if (!hvsim_svm_emulate(vp, exit))
		return HVSIM_SVM_SHADOW_STEPPED;
	if (exit->reason != HVSIM_EXIT_UNSUPPORTED)
		return HVSIM_SVM_SHADOW_EXIT;
	memset(exit, 0, sizeof(*exit));
	return HVSIM_SVM_SHADOW_VMRUN;
}

/*
 * An IN or OUT (not INS/OUTS) the VMM handles: the exit the interpreter
 * would have stopped with, built from the intercept's EXITINFO1 (port,
 * size, direction) and EXITINFO2 (the next RIP, so the length; AMD APM
 * vol. 2, 15.10.2) as KVM's io_interception() does, without decoding.
 * Only the instruction bytes are fetched, as the interpreter fetches
 * them (the message carries them).  The interpreter still takes what the
 * CPU's view may differ on: a string instruction, CPL > IOPL (the
 * interpreter has no TSS I/O bitmap: #GP), virtual-8086 mode, an event
 * to deliver first, or a length or bytes that do not add up.
 * Return: true if @exit is the port access.
 */
static bool __hvsim_hot hvsim_svm_ioio(struct hvsim_vp *vp, struct hvsim_svm_vp *s,
				       struct hvsim_exit *exit)
{
	const struct hvsim_vmcb_control *c = &s->vmcb->control;
	struct hvsim_cpu_state *cpu = &vp->cpu;
	u64 info = c->exit_info_1, len = c->exit_info_2 - cpu->rip;
	unsigned int size = (info & HVSIM_IOIO_SZ_MASK) >> HVSIM_IOIO_SZ_SHIFT;
	u64 iopl = (cpu->rflags & X86_EFLAGS_IOPL) >> X86_EFLAGS_IOPL_BIT;

	if (s->event || (info & (HVSIM_IOIO_STR | HVSIM_IOIO_REP)) ||
	    (cpu->rflags & X86_EFLAGS_VM) || !len || len > 15 ||
	    (size != 1 && size != 2 && size != 4) ||
	    ((cpu->cr0 & X86_CR0_PE) &&
	     (cpu->seg[HVSIM_SS].attributes >> 5 & 3) > iopl))
		return false;
	if (hvsim_cpu_fetch(cpu, &hvsim_vp_mem_ops, vp, exit) < len) {
		memset(exit, 0, sizeof(*exit));
		return false;
	}
	exit->reason = HVSIM_EXIT_IO;
	exit->rip = cpu->rip;
	exit->insn_len = len;
	exit->io.port = info >> HVSIM_IOIO_PORT_SHIFT;
	exit->io.size = size;
	exit->io.write = !(info & HVSIM_IOIO_TYPE_IN);
	atomic_long_inc(&hvsim_svm_stats.ioio_fast);
	return true;
}

/* The host wants the CPU back: end the slice. */
static bool __hvsim_hot hvsim_svm_slice_over(struct hvsim_svm_vp *s)
{
	return need_resched() || signal_pending(current) ||
	       (s64)(rdtsc() - s->slice_end) > 0;
}

/*
 * Handle the #VMEXIT in the VMCB.  Return: true if the slice ends with
 * @exit.
 */
static bool __hvsim_hot hvsim_svm_handle_exit(struct hvsim_vp *vp, struct hvsim_svm_vp *s,
					      struct hvsim_exit *exit)
{
	const struct hvsim_vmcb_control *c = &s->vmcb->control;
	int rc;

	atomic_long_inc(&hvsim_svm_stats.by_code[c->exit_code <
						  HVSIM_SVM_NR_CODES - 1 ?
						  c->exit_code :
						  HVSIM_SVM_NR_CODES - 1]);

	switch (c->exit_code) {
	case HVSIM_SVM_EXIT_INTR:
	case HVSIM_SVM_EXIT_NMI:
	case HVSIM_SVM_EXIT_VINTR:
		return false;
	case HVSIM_SVM_EXIT_NPF:
		/*
		 * Short of table pages: end the slice, the reserve is refilled
		 * before the next one.  Only when even that refill came up
		 * short (memory is tight) does the interpreter take the access:
		 * it may be an instruction the interpreter lacks (SSE).
		 */
		if (!hvsim_svm_npt_can_fault(&s->npt)) {
			if (s->short_at_start)
				return hvsim_svm_emulate(vp, exit);
			s->refill = true;
			return false;
		}
		rc = hvsim_svm_npt_fault(vp, s, c->exit_info_2,
					 c->exit_info_1);
		if (!rc)
			return false;
		if (!hvsim_svm_emulate(vp, exit))
			return false;
		if (rc == HVSIM_NPF_REFUSED &&
		    exit->reason == HVSIM_EXIT_UNSUPPORTED)
			hvsim_svm_npf_intercept(vp, c, exit);
		return true;
	case HVSIM_SVM_EXIT_IOIO:
		return hvsim_svm_ioio(vp, s, exit) ||
		       hvsim_svm_emulate(vp, exit);
	case HVSIM_SVM_EXIT_SHUTDOWN:
		memset(exit, 0, sizeof(*exit));
		exit->reason = HVSIM_EXIT_TRIPLE_FAULT;
		exit->rip = vp->cpu.rip;
		return true;
	default:
		return hvsim_svm_emulate(vp, exit);
	}
}

/* Note the #VMEXIT in the VP's trail. */
static void __hvsim_hot hvsim_svm_trail_add(struct hvsim_svm_vp *s, u32 event_inj)
{
	struct hvsim_svm_trail *t = &s->trail[s->trail_next];

	t->rip = s->vmcb->save.rip;
	t->info1 = s->vmcb->control.exit_info_1;
	t->code = s->vmcb->control.exit_code;
	t->exit_int_info = s->vmcb->control.exit_int_info;
	t->event_inj = event_inj;
	s->trail_next = (s->trail_next + 1) % HVSIM_SVM_TRAIL;
}

/*
 * The VP stops for good (triple fault, or an instruction nothing can
 * run): say what the last #VMEXITs were, oldest first.
 */
static void hvsim_svm_trail_show(struct hvsim_vp *vp, struct hvsim_svm_vp *s,
				 const struct hvsim_exit *exit)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);
	const struct hvsim_svm_trail *t;
	unsigned int i;

	if (!__ratelimit(&rs))
		return;
	pr_warn("vp %u: exit %d at rip %#llx (cr0 %#llx cr3 %#llx cr4 %#llx efer %#llx), last #VMEXITs:\n",
		vp->index, exit->reason, vp->cpu.rip, vp->cpu.cr0,
		vp->cpu.cr3, vp->cpu.cr4, vp->cpu.efer);
	for (i = 0; i < HVSIM_SVM_TRAIL; i++) {
		t = &s->trail[(s->trail_next + i) % HVSIM_SVM_TRAIL];
		if (t->code || t->rip)
			pr_warn("  code %#x info1 %#llx rip %#llx exitintinfo %#x eventinj %#x\n",
				t->code, t->info1, t->rip, t->exit_int_info,
				t->event_inj);
	}
}

static void __hvsim_svm_run(struct hvsim_vp *vp, unsigned long budget,
			    struct hvsim_exit *exit);

/**
 * hvsim_svm_run() - the SVM engine's run op
 * @vp: the VP, locked, GPA map read-locked
 * @budget: the interpreter's instruction budget; used only when the
 *	slice falls back to the interpreter
 * @exit: why the run stopped
 */
void __hvsim_hot hvsim_svm_run(struct hvsim_vp *vp, unsigned long budget,
			       struct hvsim_exit *exit)
{
	__hvsim_svm_run(vp, budget, exit);
	if (exit->reason == HVSIM_EXIT_UNSUPPORTED ||
	    exit->reason == HVSIM_EXIT_TRIPLE_FAULT)
		hvsim_svm_trail_show(vp, hvsim_svm(vp), exit);
}

/* The run loop of hvsim_svm_run(). */
static void __hvsim_hot __hvsim_svm_run(struct hvsim_vp *vp, unsigned long budget,
					struct hvsim_exit *exit)
{
	struct hvsim_svm_vp *s = hvsim_svm(vp);
	bool window;
	int ret;

	lockdep_assert_held(&vp->lock);
	lockdep_assert_held_read(&vp->pt->gpa_lock);

	memset(exit, 0, sizeof(*exit));
	/*
	 * In TSC cycles: the clock is read at every #VMEXIT, and rdtsc()
	 * touches no memory (ktime_get_ns() reads the timekeeper and calls
	 * the clocksource, pages the exit would touch only for this).
	 */
	s->slice_end = rdtsc() + (u64)READ_ONCE(slice_us) * tsc_khz / 1000;
	/* The exceptions the partition intercepts: the SVM bitmap's layout. */
	s->exceptions = READ_ONCE(vp->pt->exc_intercepts);
	s->short_at_start = !hvsim_svm_npt_can_fault(&s->npt);
	s->refill = false;
	/* The VMM moved the VP (registers, INIT) since the event was seen. */
	if (s->event && s->event_rip != vp->cpu.rip &&
	    (s->event & HVSIM_EVT_TYPE) != HVSIM_EVT_TYPE_NMI)
		s->event = 0;
	atomic_long_inc(&hvsim_svm_stats.runs);
	for (;;) {
		switch (hvsim_svm_take_irq(vp, s, exit)) {
		case HVSIM_SVM_IRQ_EXIT:
			return;
		case HVSIM_SVM_IRQ_WINDOW:
			window = true;
			break;
		default:
			window = false;
			break;
		}
		if (hvsim_svm_slice_over(s)) {
			atomic_long_inc(&hvsim_svm_stats.preempted);
			break;
		}
		/* An event to inject again comes before any instruction. */
		if (vp->cpu.interrupt_shadow && !s->event) {
			ret = hvsim_svm_step_shadow(vp, exit);
			if (ret == HVSIM_SVM_SHADOW_EXIT)
				return;
			if (ret == HVSIM_SVM_SHADOW_STEPPED)
				continue;
		}
		s->vmcb->control.nested_cr3 = hvsim_svm_npt_root(vp, s);
		if (!s->vmcb->control.nested_cr3)
			goto fallback;
		hvsim_svm_state_to_vmcb(vp, s);
		hvsim_svm_set_dynamic(vp, s, window);
		s->vmcb->control.event_inj = s->event;
		s->vmcb->control.event_inj_err = s->event_err;

		ret = hvsim_svm_enter(vp, s);
		if (ret == HVSIM_SVM_RETRY)
			continue;
		if (ret == HVSIM_SVM_BUSY) {
			atomic_long_inc(&hvsim_svm_stats.busy_fallbacks);
			goto fallback;
		}
		if (ret == HVSIM_SVM_BAD_FPU)
			goto invalid;
		atomic_long_inc(&hvsim_svm_stats.vmexits);
		hvsim_svm_trail_add(s, s->event);
		if (s->vmcb->control.exit_code == HVSIM_SVM_EXIT_ERR)
			goto invalid;	/* VMRUN refused the state */
		hvsim_svm_state_from_vmcb(vp, s);
		hvsim_svm_exit_event(vp, s);
		if (hvsim_svm_handle_exit(vp, s, exit))
			return;
		if (s->refill) {
			atomic_long_inc(&hvsim_svm_stats.refills);
			break;
		}
	}
	exit->reason = HVSIM_EXIT_NONE;
	exit->rip = vp->cpu.rip;
	return;

invalid:
	atomic_long_inc(&hvsim_svm_stats.invalid_fallbacks);
fallback:
	/* vp->cpu is canonical: the interpreter takes over the slice. */
	if (s->event && hvsim_svm_event_deliver(vp, s, exit))
		return;
	hvsim_interp_run(vp, budget, exit);
}
