/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvsim SVM engine: one VMRUN.
 *
 * void hvsim_svm_vmrun(u64 vmcb_pa, u64 host_save_pa,
 *			struct hvsim_svm_gprs *gprs);
 *
 * Called with GIF clear and RFLAGS.IF set (GIF keeps interrupts pending
 * until VMRUN sets it; they then cause an SVM_EXIT_INTR), EFER.SVME set,
 * the host's VMSAVE state in host_save_pa.  VMLOADs the guest's
 * FS/GS/TR/LDTR and syscall MSRs from its VMCB, loads the guest GPRs
 * (but RAX and RSP, which VMRUN takes from the VMCB), runs the guest,
 * stores the guest GPRs, VMSAVEs the guest's state and VMLOADs the
 * host's back before anything can use GS (per-CPU data).  Returns with
 * GIF clear and RFLAGS.IF as it was.  No STI right before VMRUN: its
 * interrupt shadow would leak into the guest (svm_run.c).  The sequence
 * is the one KVM's __svm_vcpu_run() uses.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>

/* struct hvsim_svm_gprs: hvsim_gpr order */
#define G_RCX	(1 * 8)
#define G_RDX	(2 * 8)
#define G_RBX	(3 * 8)
#define G_RBP	(5 * 8)
#define G_RSI	(6 * 8)
#define G_RDI	(7 * 8)
#define G_R8	(8 * 8)
#define G_R9	(9 * 8)
#define G_R10	(10 * 8)
#define G_R11	(11 * 8)
#define G_R12	(12 * 8)
#define G_R13	(13 * 8)
#define G_R14	(14 * 8)
#define G_R15	(15 * 8)

	/* With the run loop (__hvsim_hot in x86/cpu.h). */
	.section .text.hot, "ax"

SYM_FUNC_START(hvsim_svm_vmrun)
	push	%rbp
	mov	%rsp, %rbp
	push	%r15
	push	%r14
	push	%r13
	push	%r12
	push	%rbx

	/* 16(%rsp): host_save_pa, 8(%rsp): gprs, 0(%rsp): vmcb_pa */
	push	%rsi
	push	%rdx
	push	%rdi

	mov	%rdi, %rax
	vmload	%rax

	mov	8(%rsp), %rax
	mov	G_RCX(%rax), %rcx
	mov	G_RDX(%rax), %rdx
	mov	G_RBX(%rax), %rbx
	mov	G_RBP(%rax), %rbp
	mov	G_RSI(%rax), %rsi
	mov	G_RDI(%rax), %rdi
	mov	G_R8(%rax), %r8
	mov	G_R9(%rax), %r9
	mov	G_R10(%rax), %r10
	mov	G_R11(%rax), %r11
	mov	G_R12(%rax), %r12
	mov	G_R13(%rax), %r13
	mov	G_R14(%rax), %r14
	mov	G_R15(%rax), %r15
	mov	(%rsp), %rax

	vmrun	%rax

	/* RAX and RSP are the host's again (VMRUN saved them). */
	mov	8(%rsp), %rax
	mov	%rcx, G_RCX(%rax)
	mov	%rdx, G_RDX(%rax)
	mov	%rbx, G_RBX(%rax)
	mov	%rbp, G_RBP(%rax)
	mov	%rsi, G_RSI(%rax)
	mov	%rdi, G_RDI(%rax)
	mov	%r8, G_R8(%rax)
	mov	%r9, G_R9(%rax)
	mov	%r10, G_R10(%rax)
	mov	%r11, G_R11(%rax)
	mov	%r12, G_R12(%rax)
	mov	%r13, G_R13(%rax)
	mov	%r14, G_R14(%rax)
	mov	%r15, G_R15(%rax)

	mov	(%rsp), %rax
	vmsave	%rax
	mov	16(%rsp), %rax
	vmload	%rax

	/* No guest value stays in a register the host may not overwrite. */
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%edi, %edi
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d

	add	$24, %rsp
	pop	%rbx
	pop	%r12
	pop	%r13
	pop	%r14
	pop	%r15
	pop	%rbp
	RET
SYM_FUNC_END(hvsim_svm_vmrun)
