/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The platform seam of mshv_root.
 *
 * Below this interface sits either the real Microsoft Hypervisor (the
 * root-partition code in arch/x86/hyperv/) or a simulator (hvsim).  Above
 * it, mshv_root does everything else: TLFS marshalling, rep loops, deposits,
 * message parsing.  The seam carries raw TLFS values only (control words,
 * input/output pages, SynIC pages); it knows nothing of partitions or fds.
 *
 * Rules for both sides:
 *  - hypercall() is called from process context with preemption enabled;
 *    it may sleep on hvsim, and on real hardware it simply traps.
 *    @input and @output are kernel virtual addresses of page-sized,
 *    page-aligned buffers in the direct map (real hardware needs their
 *    physical addresses).
 *  - fast_hypercall8/16() may be called from any context, including the
 *    message interrupt handler.
 *  - synic_cpu_init/exit() run in process context, in a thread bound to
 *    the CPU they set up (the CPU hotplug thread of that CPU), with
 *    preemption enabled: they may sleep (the real platform memremap()s
 *    the hypervisor's SynIC pages, which may allocate), but must not
 *    rely on anything that needs another CPU to make progress.  They
 *    are never called from interrupt or atomic context.
 *  - When a message is written to a CPU's message page, the platform calls
 *    mshv_platform_isr() on that CPU in hard interrupt context.
 */
#ifndef _HYPERV_MSHV_PLATFORM_H
#define _HYPERV_MSHV_PLATFORM_H

#include <linux/bits.h>
#include <linux/types.h>

struct module;

/**
 * struct mshv_synic_pages - the root's SynIC pages of one CPU
 * @message_page: SIMP: one 256-byte message slot per SINT
 * @event_flags_page: SIEFP: one 256-byte event-flag bitmap per SINT
 * @event_ring_page: SIRBP: one event ring per SINT (may be NULL when the
 *	platform has no ring support)
 */
struct mshv_synic_pages {
	void *message_page;
	void *event_flags_page;
	void *event_ring_page;
};

/*
 * Bits of mshv_platform_ops.features: optional hypervisor capabilities the
 * driver cannot probe through a hypercall.
 *
 * MSHV_PLATFORM_F_DISPATCH_INJECTION: HVCALL_DISPATCH_VP with
 *	HV_DISPATCH_VP_FLAG_SCAN_INTERRUPT_INJECTION injects the vectors
 *	queued in the VP register page's interrupt_vectors (real Hyper-V:
 *	CPUID 0x40000003 ECX bit 9, HV_VP_DISPATCH_INTERRUPT_INJECTION_AVAILABLE).
 */
#define MSHV_PLATFORM_F_DISPATCH_INJECTION	BIT_ULL(0)

/**
 * struct mshv_platform_ops - what the hypervisor below mshv_root provides
 * @name: shown in the kernel log
 * @owner: module implementing the ops; pinned while /dev/mshv is open
 * @features: MSHV_PLATFORM_F_* bits; constant while registered
 * @hypercall: issue a memory-based hypercall; returns the TLFS result value
 * @fast_hypercall8: register-based hypercall with 8 bytes of input
 * @fast_hypercall16: register-based hypercall with 16 bytes of input
 * @synic_cpu_init: on the calling CPU, locate or map the SynIC pages into
 *	@pages and enable SINT @intercept_sint (message interrupts) and
 *	@doorbell_sint (as_intercept, events arrive through the ring)
 * @synic_cpu_exit: undo synic_cpu_init() on the calling CPU
 * @synic_eom: signal end-of-message on the calling CPU, so the next
 *	pending message can be delivered into the freed slot
 */
struct mshv_platform_ops {
	const char *name;
	struct module *owner;
	u64 features;
	u64 (*hypercall)(u64 control, void *input, void *output);
	u64 (*fast_hypercall8)(u64 control, u64 input);
	u64 (*fast_hypercall16)(u64 control, u64 input1, u64 input2);
	int (*synic_cpu_init)(struct mshv_synic_pages *pages,
			      unsigned int intercept_sint,
			      unsigned int doorbell_sint);
	void (*synic_cpu_exit)(struct mshv_synic_pages *pages);
	void (*synic_eom)(void);
};

int mshv_platform_register(const struct mshv_platform_ops *ops);
void mshv_platform_unregister(const struct mshv_platform_ops *ops);
void mshv_platform_isr(void);

#endif /* _HYPERV_MSHV_PLATFORM_H */
