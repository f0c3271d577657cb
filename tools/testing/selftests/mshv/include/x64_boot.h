/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x64_boot - put a VP straight into 64-bit long mode
 *
 * Shared by mshv-run (64-bit ELF guests) and the selftests' vm64 library.
 * Guest RAM starts at GPA 0 and is at least X64_MIN_RAM bytes.  The
 * builder writes the system structures into the first 64 KiB of it:
 *
 *   0x00000          not mapped (NULL dereferences fault)
 *   0x01000          PML4, one entry -> PDPT
 *   0x02000          PDPT, four entries -> the four page directories
 *   0x03000-0x06fff  page directories: 0-4 GiB identity, 2 MiB pages,
 *                    except the first 2 MiB which go through ...
 *   0x07000          ... one page table of 4 KiB pages (PTE 0 not present)
 *   0x08000          GDT: null, 64-bit code (0x08), data (0x10), TSS (0x18)
 *   0x09000          TSS (64-bit, 104 bytes, IST/RSP0 left zero)
 *   0x0a000          IDT: 256 16-byte gates, all not present
 *   0x10000-0x7ffff  stack (the initial RSP is X64_STACK_TOP)
 *   0x80000-0xfffff  scratch pages for tests (4 KiB pages)
 *   0x100000-        free: guest code and data (ELF images load here)
 *
 * Everything is identity mapped (GVA == GPA), supervisor, writable and
 * executable; GPAs above RAM are mapped too, so an access there reaches
 * the VMM as an unmapped-GPA intercept (MMIO).
 *
 * The VP starts with CR0 = PE|MP|ET|NE|WP|PG, CR4 = PAE, EFER =
 * LME|LMA|NXE, CR3 = the PML4, CS = 0x08 (64-bit, L=1), DS/ES/SS/FS/GS =
 * 0x10 (flat data), TR = 0x18 (busy TSS), GDTR/IDTR as above, RFLAGS = 2.
 */
#ifndef MSHV_X64_BOOT_H
#define MSHV_X64_BOOT_H

#include <linux/types.h>
#include "hyperv.h"
#include "mshv_bits.h"

#define X64_PML4_GPA		0x1000ULL
#define X64_PDPT_GPA		0x2000ULL
#define X64_PD_GPA		0x3000ULL	/* X64_NR_PDS pages */
#define X64_NR_PDS		4
#define X64_PT_GPA		0x7000ULL	/* 4 KiB pages of 0..2 MiB */
#define X64_GDT_GPA		0x8000ULL
#define X64_TSS_GPA		0x9000ULL
#define X64_IDT_GPA		0xa000ULL
#define X64_STACK_BOTTOM	0x10000ULL
#define X64_STACK_TOP		0x80000ULL
#define X64_SCRATCH_GPA		0x80000ULL
#define X64_SCRATCH_END		0x100000ULL
#define X64_FREE_GPA		0x100000ULL
#define X64_MIN_RAM		0x200000ULL
#define X64_MAP_LIMIT		(4ULL << 30)	/* identity map: 0..4 GiB */

#define X64_SEL_CODE		0x08
#define X64_SEL_DATA		0x10
#define X64_SEL_TSS		0x18
#define X64_GDT_LIMIT		(X64_SEL_TSS + 16 - 1)
#define X64_IDT_LIMIT		(256 * 16 - 1)
#define X64_TSS_LIMIT		0x67

/* Page-table entry bits. */
#define X64_PTE_P		BIT_ULL(0)
#define X64_PTE_RW		BIT_ULL(1)
#define X64_PTE_US		BIT_ULL(2)
#define X64_PTE_PS		BIT_ULL(7)
#define X64_PTE_NX		BIT_ULL(63)
#define X64_PTE_ADDR_MASK	0x000ffffffffff000ULL

/* Control register and EFER bits. */
#define X64_CR0_PE		BIT_ULL(0)
#define X64_CR0_MP		BIT_ULL(1)
#define X64_CR0_ET		BIT_ULL(4)
#define X64_CR0_NE		BIT_ULL(5)
#define X64_CR0_WP		BIT_ULL(16)
#define X64_CR0_PG		BIT_ULL(31)
#define X64_CR4_PAE		BIT_ULL(5)
#define X64_EFER_LME		BIT_ULL(8)
#define X64_EFER_LMA		BIT_ULL(10)
#define X64_EFER_NXE		BIT_ULL(11)

#define X64_BOOT_CR0	(X64_CR0_PE | X64_CR0_MP | X64_CR0_ET | X64_CR0_NE | \
			 X64_CR0_WP | X64_CR0_PG)
#define X64_BOOT_CR4	X64_CR4_PAE
#define X64_BOOT_EFER	(X64_EFER_LME | X64_EFER_LMA | X64_EFER_NXE)

/* Segment attributes, TLFS layout (type:4 s:1 dpl:2 p:1 rsvd:4 avl l db g). */
#define X64_ATTR_CODE64		0xa09b	/* exec/read, accessed, L=1, G=1 */
#define X64_ATTR_DATA		0xc093	/* read/write, accessed, D/B=1, G=1 */
#define X64_ATTR_TSS_BUSY	0x008b	/* 64-bit TSS, busy */

/* Registers set by x64_boot_regs(). */
#define X64_NR_BOOT_REGS	17

int x64_build(void *ram, __u64 ram_size);
void x64_set_idt_gate(void *ram, unsigned int vector, __u64 handler,
		      unsigned int ist);
__u64 *x64_pte(void *ram, __u64 gva);
unsigned int x64_boot_regs(struct hv_register_assoc *regs, __u64 rip,
			   __u64 rsp);

#endif /* MSHV_X64_BOOT_H */
