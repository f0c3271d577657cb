// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim running a VP: one instruction budget of the CPU model and the
 * intercept message it may end with (used by both scheduler models, see
 * sched.c), and HVCALL_DISPATCH_VP, the root scheduler's "run this VP now".
 *
 * HLT with interrupts enabled in a partition with local APICs halts the
 * VP inside hvsim (no message): a dispatch of a halted VP reports it
 * BLOCKED until an interrupt can wake it, and the root is then signalled
 * (lapic.c, sched.c).  HLT with interrupts disabled, or without an APIC,
 * is an HVMSG_X64_HALT intercept.
 *
 * Not modelled yet: time_slice (the instruction budget bounds a run
 * instead), spec_ctrl and the speculation flags.
 */
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>

#include "hvsim.h"

static unsigned int budget = 20000;
module_param(budget, uint, 0644);
MODULE_PARM_DESC(budget,
		 "instructions a VP runs per DISPATCH_VP (or per slice of its thread) at most");

#define HVSIM_DISPATCH_FLAGS	(HV_DISPATCH_VP_FLAG_CLEAR_INTERCEPT_SUSPEND | \
				 HV_DISPATCH_VP_FLAG_ENABLE_CALLER_INTERRUPTS | \
				 HV_DISPATCH_VP_FLAG_SET_CALLER_SPEC_CTRL |	\
				 HV_DISPATCH_VP_FLAG_SKIP_VP_SPEC_FLUSH |	\
				 HV_DISPATCH_VP_FLAG_SKIP_CALLER_SPEC_FLUSH |	\
				 HV_DISPATCH_VP_FLAG_SKIP_CALLER_USER_SPEC_FLUSH | \
				 HV_DISPATCH_VP_FLAG_SCAN_INTERRUPT_INJECTION)

static void __hvsim_hot hvsim_fill_intercept_header(struct hv_x64_intercept_message_header *h,
						    const struct hvsim_vp *vp,
						    const struct hvsim_exit *exit,
						    u8 access_type)
{
	const struct hvsim_cpu_state *cpu = &vp->cpu;
	const struct hvsim_segment *cs = &cpu->seg[HVSIM_CS];
	u16 state = 0;

	if (cpu->cr0 & X86_CR0_PE) {
		state |= HV_X64_EXEC_STATE_CR0_PE;
		state |= cs->selector & HV_X64_EXEC_STATE_CPL_MASK;
	}
	if (cpu->cr0 & X86_CR0_AM)
		state |= HV_X64_EXEC_STATE_CR0_AM;
	if (cpu->efer & EFER_LMA)
		state |= HV_X64_EXEC_STATE_EFER_LMA;

	h->vp_index = vp->index;
	h->instruction_length_cr8 = (exit->insn_len & 0xf) |
				    (cpu->cr8 & 0xf) << 4;
	h->intercept_access_type = access_type;
	h->execution_state = state;
	hvsim_seg_to_hv(&h->cs_segment, cs);
	h->rip = exit->rip;
	h->rflags = cpu->rflags;
}

static void hvsim_build_io_message(struct hv_message *msg,
				   const struct hvsim_vp *vp,
				   const struct hvsim_exit *exit)
{
	struct hv_x64_io_port_intercept_message *io = (void *)msg->u.payload;
	const struct hvsim_cpu_state *cpu = &vp->cpu;
	unsigned int nbytes = min_t(unsigned int, exit->insn_bytes,
				    sizeof(io->instruction_bytes));

	msg->header.message_type = HVMSG_X64_IO_PORT_INTERCEPT;
	msg->header.payload_size = sizeof(*io);
	hvsim_fill_intercept_header(&io->header, vp, exit,
				    exit->io.write ? HV_INTERCEPT_ACCESS_WRITE :
						     HV_INTERCEPT_ACCESS_READ);
	io->port_number = exit->io.port;
	io->access_info = (exit->io.size & HV_X64_IO_PORT_ACCESS_SIZE_MASK) |
			  (exit->io.string ? HV_X64_IO_PORT_ACCESS_STRING_OP : 0) |
			  (exit->io.rep ? HV_X64_IO_PORT_ACCESS_REP_PREFIX : 0);
	io->instruction_byte_count = nbytes;
	io->rax = cpu->gpr[HVSIM_RAX];
	memcpy(io->instruction_bytes, exit->insn, nbytes);
	hvsim_seg_to_hv(&io->ds_segment, &cpu->seg[HVSIM_DS]);
	hvsim_seg_to_hv(&io->es_segment, &cpu->seg[HVSIM_ES]);
	io->rcx = cpu->gpr[HVSIM_RCX];
	io->rsi = cpu->gpr[HVSIM_RSI];
	io->rdi = cpu->gpr[HVSIM_RDI];
}

/* HVMSG_UNMAPPED_GPA or HVMSG_GPA_INTERCEPT (mapped, access denied). */
static void hvsim_build_memory_message(struct hv_message *msg, u32 type,
				       const struct hvsim_vp *vp,
				       const struct hvsim_exit *exit)
{
	struct hv_x64_memory_intercept_message *mem = (void *)msg->u.payload;
	unsigned int nbytes = min_t(unsigned int, exit->insn_bytes,
				    sizeof(mem->instruction_bytes));
	u8 access = HV_INTERCEPT_ACCESS_READ;

	if (exit->mem.exec)
		access = HV_INTERCEPT_ACCESS_EXECUTE;
	else if (exit->mem.write)
		access = HV_INTERCEPT_ACCESS_WRITE;
	msg->header.message_type = type;
	msg->header.payload_size = sizeof(*mem);
	hvsim_fill_intercept_header(&mem->header, vp, exit, access);
	mem->instruction_byte_count = nbytes;
	mem->memory_access_info = exit->mem.no_gva ? 0 :
				  HV_X64_MEMORY_ACCESS_GVA_VALID |
				  HV_X64_MEMORY_ACCESS_GVA_GPA_VALID;
	mem->guest_virtual_address = exit->mem.no_gva ? 0 : exit->mem.gva;
	mem->guest_physical_address = exit->mem.gpa;
	memcpy(mem->instruction_bytes, exit->insn, nbytes);
}

/*
 * HVMSG_X64_CPUID_INTERCEPT: the guest's RAX/RCX/RDX/RBX and what the
 * hypervisor would have answered (with registered results applied).
 */
static void hvsim_build_cpuid_message(struct hv_message *msg,
				      struct hvsim_vp *vp,
				      const struct hvsim_exit *exit)
{
	struct hv_x64_cpuid_intercept_message *c = (void *)msg->u.payload;
	const struct hvsim_cpu_state *cpu = &vp->cpu;
	u32 res[4];

	msg->header.message_type = HVMSG_X64_CPUID_INTERCEPT;
	msg->header.payload_size = sizeof(*c);
	hvsim_fill_intercept_header(&c->header, vp, exit,
				    HV_INTERCEPT_ACCESS_EXECUTE);
	c->rax = cpu->gpr[HVSIM_RAX];
	c->rcx = cpu->gpr[HVSIM_RCX];
	c->rdx = cpu->gpr[HVSIM_RDX];
	c->rbx = cpu->gpr[HVSIM_RBX];
	hvsim_cpuid(vp, exit->cpuid.leaf, exit->cpuid.subleaf, true, res);
	c->default_result_rax = res[0];
	c->default_result_rbx = res[1];
	c->default_result_rcx = res[2];
	c->default_result_rdx = res[3];
}

/* HVMSG_X64_MSR_INTERCEPT: RDMSR (access read) or WRMSR (write). */
static void hvsim_build_msr_message(struct hv_message *msg,
				    const struct hvsim_vp *vp,
				    const struct hvsim_exit *exit)
{
	struct hv_x64_msr_intercept_message *m = (void *)msg->u.payload;
	const struct hvsim_cpu_state *cpu = &vp->cpu;

	msg->header.message_type = HVMSG_X64_MSR_INTERCEPT;
	msg->header.payload_size = sizeof(*m);
	hvsim_fill_intercept_header(&m->header, vp, exit,
				    exit->msr.write ? HV_INTERCEPT_ACCESS_WRITE :
						      HV_INTERCEPT_ACCESS_READ);
	m->msr_number = exit->msr.index;
	if (exit->msr.write) {
		m->rdx = upper_32_bits(exit->msr.value);
		m->rax = lower_32_bits(exit->msr.value);
	} else {
		m->rdx = cpu->gpr[HVSIM_RDX];
		m->rax = cpu->gpr[HVSIM_RAX];
	}
}

/*
 * HVMSG_X64_EXCEPTION_INTERCEPT: the state is that of the faulting
 * instruction (for a fault), which the VMM may resume or inject into.
 */
static void hvsim_build_exception_message(struct hv_message *msg,
					  const struct hvsim_vp *vp,
					  const struct hvsim_exit *exit)
{
	struct hv_x64_exception_intercept_message *x = (void *)msg->u.payload;
	const struct hvsim_cpu_state *cpu = &vp->cpu;
	unsigned int nbytes = min_t(unsigned int, exit->insn_bytes,
				    sizeof(x->instruction_bytes));

	msg->header.message_type = HVMSG_X64_EXCEPTION_INTERCEPT;
	msg->header.payload_size = sizeof(*x);
	hvsim_fill_intercept_header(&x->header, vp, exit,
				    HV_INTERCEPT_ACCESS_EXECUTE);
	x->exception_vector = exit->exc.vector;
	x->exception_info = exit->exc.has_err ?
			    HV_X64_EXCEPTION_INFO_ERROR_CODE_VALID : 0;
	x->instruction_byte_count = nbytes;
	x->error_code = exit->exc.err;
	x->exception_parameter = exit->exc.cr2;
	memcpy(x->instruction_bytes, exit->insn, nbytes);
	hvsim_seg_to_hv(&x->ds_segment, &cpu->seg[HVSIM_DS]);
	hvsim_seg_to_hv(&x->ss_segment, &cpu->seg[HVSIM_SS]);
	x->rax = cpu->gpr[HVSIM_RAX];
	x->rcx = cpu->gpr[HVSIM_RCX];
	x->rdx = cpu->gpr[HVSIM_RDX];
	x->rbx = cpu->gpr[HVSIM_RBX];
	x->rsp = cpu->gpr[HVSIM_RSP];
	x->rbp = cpu->gpr[HVSIM_RBP];
	x->rsi = cpu->gpr[HVSIM_RSI];
	x->rdi = cpu->gpr[HVSIM_RDI];
	x->r8 = cpu->gpr[HVSIM_R8];
	x->r9 = cpu->gpr[HVSIM_R9];
	x->r10 = cpu->gpr[HVSIM_R10];
	x->r11 = cpu->gpr[HVSIM_R11];
	x->r12 = cpu->gpr[HVSIM_R12];
	x->r13 = cpu->gpr[HVSIM_R13];
	x->r14 = cpu->gpr[HVSIM_R14];
	x->r15 = cpu->gpr[HVSIM_R15];
}

/* Messages whose payload is the bare intercept header. */
static void hvsim_build_header_message(struct hv_message *msg, u32 type,
				       const struct hvsim_vp *vp,
				       const struct hvsim_exit *exit)
{
	struct hv_x64_halt_message *halt = (void *)msg->u.payload;

	msg->header.message_type = type;
	msg->header.payload_size = sizeof(*halt);
	hvsim_fill_intercept_header(&halt->header, vp, exit,
				    HV_INTERCEPT_ACCESS_EXECUTE);
}

/*
 * Build the message for @exit into @msg.  Returns false when the exit
 * needs no message (the instruction budget ran out).
 */
static bool hvsim_build_message(struct hv_message *msg, struct hvsim_vp *vp,
				const struct hvsim_exit *exit)
{
	memset(msg, 0, sizeof(*msg));
	switch (exit->reason) {
	case HVSIM_EXIT_NONE:
		return false;
	case HVSIM_EXIT_IO:
		hvsim_build_io_message(msg, vp, exit);
		break;
	case HVSIM_EXIT_HLT:
		hvsim_build_header_message(msg, HVMSG_X64_HALT, vp, exit);
		break;
	case HVSIM_EXIT_UNMAPPED_GPA:
		hvsim_build_memory_message(msg, HVMSG_UNMAPPED_GPA, vp, exit);
		break;
	case HVSIM_EXIT_GPA_INTERCEPT:
		hvsim_build_memory_message(msg, HVMSG_GPA_INTERCEPT, vp, exit);
		break;
	case HVSIM_EXIT_CPUID:
		hvsim_build_cpuid_message(msg, vp, exit);
		break;
	case HVSIM_EXIT_MSR:
		hvsim_build_msr_message(msg, vp, exit);
		break;
	case HVSIM_EXIT_EXCEPTION:
		hvsim_build_exception_message(msg, vp, exit);
		break;
	default:	/* HVSIM_EXIT_UNSUPPORTED, HVSIM_EXIT_TRIPLE_FAULT */
		hvsim_build_header_message(msg, HVMSG_UNRECOVERABLE_EXCEPTION,
					   vp, exit);
		break;
	}
	return true;
}

/**
 * hvsim_vp_run_slice() - run a VP for at most one instruction budget
 * @vp: the VP, locked, runnable, with its intercept message page mapped
 *
 * Takes the VMM's register-page changes, runs the execution engine
 * (engine.h: the interpreter, or hardware virtualization) with the GPA
 * map read-locked (guest memory, CPUID and MSRs as the partition
 * configured them: hvsim_vp_mem_ops) and mirrors the registers back into
 * the register page.
 * If the run stopped on an intercept, its message goes into the intercept
 * message page and INTERCEPT_SUSPEND is set, as the TLFS has it for both
 * scheduler models.
 *
 * A halted VP runs only once it can take an interrupt; HLT with
 * interrupts enabled (and an APIC) halts it.  INIT and SIPI take effect
 * first (a VP waiting for a SIPI counts as halted).
 *
 * Return: HVSIM_SLICE_INTERCEPT, HVSIM_SLICE_PREEMPTED (the budget ran
 * out) or HVSIM_SLICE_HALTED.
 */
enum hvsim_slice __hvsim_hot hvsim_vp_run_slice(struct hvsim_vp *vp)
{
	struct page *msg_page = vp->state_page[HV_VP_STATE_PAGE_INTERCEPT_MESSAGE];
	struct hvsim_exit exit;
	struct hv_message msg;

	lockdep_assert_held(&vp->lock);

	hvsim_vp_load_register_page(vp);
	if (hvsim_lapic_startup(vp))
		hvsim_vp_store_register_page(vp);
	if (!hvsim_lapic_wakeup(vp))
		return HVSIM_SLICE_HALTED;
	if (vp->pt->engine->prepare)
		vp->pt->engine->prepare(vp);
	down_read(&vp->pt->gpa_lock);
	vp->pt->engine->run(vp, max(READ_ONCE(budget), 1U), &exit);
	up_read(&vp->pt->gpa_lock);
	/* A TPR write by the last instruction reaches CR8 before the copy. */
	hvsim_lapic_irq_pending(vp, &vp->cpu);
	hvsim_vp_store_register_page(vp);

	if (exit.reason == HVSIM_EXIT_HLT && vp->pt->lapic &&
	    (vp->cpu.rflags & X86_EFLAGS_IF))
		return hvsim_lapic_halt(vp) ? HVSIM_SLICE_HALTED :
					      HVSIM_SLICE_PREEMPTED;
	if (!hvsim_build_message(&msg, vp, &exit))
		return HVSIM_SLICE_PREEMPTED;
	memcpy(page_address(msg_page), &msg, sizeof(msg));
	WRITE_ONCE(vp->suspend[HVSIM_SUSPEND_INTERCEPT], 1);
	return HVSIM_SLICE_INTERCEPT;
}

/*
 * HVCALL_DISPATCH_VP: input struct hv_input_dispatch_vp, output state and
 * event.  Only the root scheduler has it; a suspended VP is not run and
 * reported BLOCKED + SUSPEND (sched.c signals the root once it becomes
 * runnable).
 */
u16 __hvsim_hot hvsim_hc_dispatch_vp(struct hvsim_hc *hc)
{
	const struct hv_input_dispatch_vp *in = hc->in;
	struct hv_output_dispatch_vp *out = hc->out;
	struct hvsim_vp *vp;
	u16 status;

	if (hvsim_sched_hyp())
		return HV_STATUS_ACCESS_DENIED;
	if (in->flags & ~HVSIM_DISPATCH_FLAGS)
		return HV_STATUS_INVALID_PARAMETER;
	status = hvsim_vp_get_locked(in->partition_id, in->vp_index, &vp);
	if (status)
		return status;
	if (!vp->state_page[HV_VP_STATE_PAGE_INTERCEPT_MESSAGE]) {
		status = HV_STATUS_INVALID_VP_STATE;
		goto out;
	}
	if (in->flags & HV_DISPATCH_VP_FLAG_CLEAR_INTERCEPT_SUSPEND)
		WRITE_ONCE(vp->suspend[HVSIM_SUSPEND_INTERCEPT], 0);
	if (in->flags & HV_DISPATCH_VP_FLAG_SCAN_INTERRUPT_INJECTION)
		hvsim_scan_register_page_vectors(vp);

	if (!hvsim_vp_runnable(vp)) {
		out->dispatch_state = HV_VP_DISPATCH_STATE_BLOCKED;
		out->dispatch_event = HV_VP_DISPATCH_EVENT_SUSPEND;
		goto out;
	}
	/*
	 * "Root dispatch thread blocked" until this dispatch says otherwise
	 * or a kick clears it (sched.c): set before the VP can halt, so a
	 * kick racing with the halt always wins.
	 */
	hvsim_vp_stats_blocked(vp, true);
	smp_mb();	/* counter set before the halt check in the slice */
	switch (hvsim_vp_run_slice(vp)) {
	case HVSIM_SLICE_INTERCEPT:
		out->dispatch_state = HV_VP_DISPATCH_STATE_READY;
		out->dispatch_event = HV_VP_DISPATCH_EVENT_INTERCEPT;
		break;
	case HVSIM_SLICE_PREEMPTED:
		/* Budget used up: the root dispatches again. */
		out->dispatch_state = HV_VP_DISPATCH_STATE_READY;
		out->dispatch_event = HV_VP_DISPATCH_EVENT_INVALID;
		break;
	case HVSIM_SLICE_HALTED:
		/* Signalled by a scheduler message once it can run. */
		out->dispatch_state = HV_VP_DISPATCH_STATE_BLOCKED;
		out->dispatch_event = HV_VP_DISPATCH_EVENT_INVALID;
		hvsim_sched_blocked(vp);
		break;
	}
	if (out->dispatch_state == HV_VP_DISPATCH_STATE_READY)
		hvsim_vp_stats_blocked(vp, false);
out:
	hvsim_vp_unlock_put(vp);
	return status;
}
