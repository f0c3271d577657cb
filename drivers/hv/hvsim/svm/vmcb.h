/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parts of the AMD-V VMCB hvsim's SVM engine uses, laid out as in
 * AMD64 Architecture Programmer's Manual vol. 2, appendix B (control
 * area at 0x000, state save area at 0x400).  The kernel's <asm/svm.h>
 * describes the same, but it pulls in <asm/hyperv-tlfs.h>, which cannot
 * coexist with the TLFS headers hvsim is built on.
 */
#ifndef _HVSIM_SVM_VMCB_H
#define _HVSIM_SVM_VMCB_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/types.h>

/* Intercept bits: 32-bit words at 0x000 (APM vol. 2, table B-1). */
#define HVSIM_ICPT_CR8_WRITE	(16 + 8)
#define HVSIM_ICPT_WORD_CR	0
#define HVSIM_ICPT_WORD_DR	1
#define HVSIM_ICPT_WORD_EXC	2
#define HVSIM_ICPT_INTR		96
#define HVSIM_ICPT_NMI		97
#define HVSIM_ICPT_VINTR	100
#define HVSIM_ICPT_CPUID	114
#define HVSIM_ICPT_RSM		115
#define HVSIM_ICPT_IRET		116
#define HVSIM_ICPT_INTN		117
#define HVSIM_ICPT_INVD		118
#define HVSIM_ICPT_HLT		120
#define HVSIM_ICPT_INVLPGA	122
#define HVSIM_ICPT_IOIO		123
#define HVSIM_ICPT_MSR		124
#define HVSIM_ICPT_SHUTDOWN	127
#define HVSIM_ICPT_VMRUN	128
#define HVSIM_ICPT_VMMCALL	129
#define HVSIM_ICPT_VMLOAD	130
#define HVSIM_ICPT_VMSAVE	131
#define HVSIM_ICPT_STGI		132
#define HVSIM_ICPT_CLGI		133
#define HVSIM_ICPT_SKINIT	134
#define HVSIM_ICPT_RDTSCP	135
#define HVSIM_ICPT_MONITOR	138
#define HVSIM_ICPT_MWAIT	139
#define HVSIM_ICPT_MWAIT_COND	140
#define HVSIM_ICPT_XSETBV	141
#define HVSIM_ICPT_RDPRU	142

/* int_ctl (0x060) */
#define HVSIM_V_TPR_MASK	0x0fU
#define HVSIM_V_IRQ		BIT(8)
#define HVSIM_V_INTR_PRIO	(0xfU << 16)
#define HVSIM_V_IGN_TPR		BIT(20)
#define HVSIM_V_INTR_MASKING	BIT(24)
/* int_state (0x068) */
#define HVSIM_INT_SHADOW	BIT(0)
/*
 * EXITINFO1 of an IOIO intercept (APM vol. 2, 15.10.2, figure 15-2):
 * TYPE (1: IN), STR, REP, SZ8/SZ16/SZ32 (bits 4-6), the port in 31:16.
 * EXITINFO2 is the RIP of the next instruction.
 */
#define HVSIM_IOIO_TYPE_IN	BIT(0)
#define HVSIM_IOIO_STR		BIT(2)
#define HVSIM_IOIO_REP		BIT(3)
#define HVSIM_IOIO_SZ_SHIFT	4
#define HVSIM_IOIO_SZ_MASK	(7U << HVSIM_IOIO_SZ_SHIFT)
#define HVSIM_IOIO_PORT_SHIFT	16
/* nested_ctl (0x090) */
#define HVSIM_NP_ENABLE		BIT(0)
/*
 * event_inj (0x0a8, EVENTINJ) and exit_int_info (0x088, EXITINTINFO) share
 * one format (APM vol. 2, 15.20 "Event Injection" and 15.7.2 "Intercepts
 * During IDT Interrupt Delivery"): vector, type, error code valid, valid;
 * the error code is the next 32-bit word.
 */
#define HVSIM_EVT_VECTOR	GENMASK(7, 0)
#define HVSIM_EVT_TYPE		GENMASK(10, 8)
#define HVSIM_EVT_TYPE_INTR	(0U << 8)	/* external or virtual interrupt */
#define HVSIM_EVT_TYPE_NMI	(2U << 8)
#define HVSIM_EVT_TYPE_EXCEPT	(3U << 8)	/* exception (fault or trap) */
#define HVSIM_EVT_TYPE_SOFT	(4U << 8)	/* INTn */
#define HVSIM_EVT_EV		BIT(11)		/* error code valid */
#define HVSIM_EVT_VALID		BIT(31)
/* #NPF EXITINFO1 bits (APM vol. 2, 15.25.6 "Nested versus Guest Page Faults") */
#define HVSIM_NPF_EI_WRITE	BIT_ULL(1)
#define HVSIM_NPF_EI_FETCH	BIT_ULL(4)
#define HVSIM_NPF_EI_WALK	BIT_ULL(33)	/* a guest page-table access */
/* tlb_ctl (0x05c) */
#define HVSIM_TLB_FLUSH_ALL	1

/* Exit codes (APM vol. 2, appendix C) */
#define HVSIM_SVM_EXIT_INTR	0x060
#define HVSIM_SVM_EXIT_NMI	0x061
#define HVSIM_SVM_EXIT_VINTR	0x064
#define HVSIM_SVM_EXIT_IOIO	0x07b
#define HVSIM_SVM_EXIT_SHUTDOWN	0x07f
#define HVSIM_SVM_EXIT_NPF	0x400
#define HVSIM_SVM_EXIT_ERR	0xffffffffU	/* VMEXIT_INVALID, low word */

struct hvsim_vmcb_seg {
	u16 selector;
	u16 attrib;
	u32 limit;
	u64 base;
} __packed;

struct hvsim_vmcb_control {
	u32 intercepts[6];		/* 0x000 */
	u8 rsvd0[0x40 - 0x18];
	u64 iopm_base_pa;		/* 0x040 */
	u64 msrpm_base_pa;		/* 0x048 */
	u64 tsc_offset;			/* 0x050 */
	u32 asid;			/* 0x058 */
	u8 tlb_ctl;			/* 0x05c */
	u8 rsvd1[3];
	u32 int_ctl;			/* 0x060 */
	u32 int_vector;			/* 0x064 */
	u32 int_state;			/* 0x068 */
	u8 rsvd2[4];
	u32 exit_code;			/* 0x070 */
	u32 exit_code_hi;		/* 0x074 */
	u64 exit_info_1;		/* 0x078 */
	u64 exit_info_2;		/* 0x080 */
	u32 exit_int_info;		/* 0x088 */
	u32 exit_int_info_err;		/* 0x08c */
	u64 nested_ctl;			/* 0x090 */
	u8 rsvd3[0xa8 - 0x98];
	u32 event_inj;			/* 0x0a8 */
	u32 event_inj_err;		/* 0x0ac */
	u64 nested_cr3;			/* 0x0b0 */
	u64 virt_ext;			/* 0x0b8 */
	u32 clean;			/* 0x0c0 */
	u8 rsvd4[0x400 - 0xc4];
} __packed;

struct hvsim_vmcb_save {
	struct hvsim_vmcb_seg es;	/* 0x000 */
	struct hvsim_vmcb_seg cs;
	struct hvsim_vmcb_seg ss;
	struct hvsim_vmcb_seg ds;
	struct hvsim_vmcb_seg fs;
	struct hvsim_vmcb_seg gs;
	struct hvsim_vmcb_seg gdtr;	/* 0x060 */
	struct hvsim_vmcb_seg ldtr;
	struct hvsim_vmcb_seg idtr;
	struct hvsim_vmcb_seg tr;	/* 0x090 */
	u8 rsvd0[0xcb - 0xa0];
	u8 cpl;				/* 0x0cb */
	u8 rsvd1[4];
	u64 efer;			/* 0x0d0 */
	u8 rsvd2[0x148 - 0xd8];
	u64 cr4;			/* 0x148 */
	u64 cr3;
	u64 cr0;
	u64 dr7;
	u64 dr6;
	u64 rflags;
	u64 rip;			/* 0x178 */
	u8 rsvd3[0x1d8 - 0x180];
	u64 rsp;			/* 0x1d8 */
	u8 rsvd4[0x1f8 - 0x1e0];
	u64 rax;			/* 0x1f8 */
	u64 star;
	u64 lstar;
	u64 cstar;
	u64 sfmask;
	u64 kernel_gs_base;
	u64 sysenter_cs;
	u64 sysenter_esp;
	u64 sysenter_eip;
	u64 cr2;			/* 0x240 */
	u8 rsvd5[0x268 - 0x248];
	u64 g_pat;			/* 0x268 */
} __packed;

struct hvsim_vmcb {
	struct hvsim_vmcb_control control;
	struct hvsim_vmcb_save save;
} __packed;

static_assert(offsetof(struct hvsim_vmcb_control, exit_code) == 0x70);
static_assert(offsetof(struct hvsim_vmcb_control, exit_int_info) == 0x88);
static_assert(offsetof(struct hvsim_vmcb_control, event_inj) == 0xa8);
static_assert(offsetof(struct hvsim_vmcb_control, nested_cr3) == 0xb0);
static_assert(offsetof(struct hvsim_vmcb, save) == 0x400);
static_assert(offsetof(struct hvsim_vmcb_save, efer) == 0xd0);
static_assert(offsetof(struct hvsim_vmcb_save, rip) == 0x178);
static_assert(offsetof(struct hvsim_vmcb_save, rsp) == 0x1d8);
static_assert(offsetof(struct hvsim_vmcb_save, cr2) == 0x240);
static_assert(offsetof(struct hvsim_vmcb_save, g_pat) == 0x268);

#endif /* _HVSIM_SVM_VMCB_H */
