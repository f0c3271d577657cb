// SPDX-License-Identifier: GPL-2.0
/*
 * x64_boot - page tables, GDT, TSS, IDT and the register state that put a
 * VP straight into 64-bit long mode.  See x64_boot.h for the layout.
 */
#include <errno.h>
#include <string.h>

#include "x64_boot.h"

#define PAGE_4K		0x1000ULL
#define PAGE_2M		0x200000ULL
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static __u64 *gpa_ptr(void *ram, __u64 gpa)
{
	return (__u64 *)((char *)ram + gpa);
}

static void build_page_tables(void *ram)
{
	__u64 *pml4 = gpa_ptr(ram, X64_PML4_GPA);
	__u64 *pdpt = gpa_ptr(ram, X64_PDPT_GPA);
	__u64 *pt = gpa_ptr(ram, X64_PT_GPA);
	__u64 table = X64_PTE_P | X64_PTE_RW;
	unsigned int i;

	pml4[0] = X64_PDPT_GPA | table;
	for (i = 0; i < X64_NR_PDS; i++) {
		__u64 *pd = gpa_ptr(ram, X64_PD_GPA + i * PAGE_4K);
		unsigned int j;

		pdpt[i] = (X64_PD_GPA + i * PAGE_4K) | table;
		for (j = 0; j < 512; j++) {
			__u64 addr = ((__u64)i << 30) + j * PAGE_2M;

			pd[j] = addr | table | X64_PTE_PS;
		}
	}
	/* The first 2 MiB in 4 KiB pages; page 0 stays unmapped. */
	gpa_ptr(ram, X64_PD_GPA)[0] = X64_PT_GPA | table;
	for (i = 1; i < 512; i++)
		pt[i] = i * PAGE_4K | table;
}

/* An 8-byte code/data descriptor: base 0, limit 0xfffff (G=1). */
static __u64 flat_descriptor(__u16 attributes)
{
	__u64 d = 0xffffULL | 0xfULL << 48;

	d |= (__u64)(attributes & 0xff) << 40;		/* type, S, DPL, P */
	d |= (__u64)((attributes >> 12) & 0xf) << 52;	/* AVL, L, D/B, G */
	return d;
}

static void build_gdt_tss(void *ram)
{
	__u64 *gdt = gpa_ptr(ram, X64_GDT_GPA);
	__u64 base = X64_TSS_GPA;

	gdt[0] = 0;
	gdt[X64_SEL_CODE / 8] = flat_descriptor(X64_ATTR_CODE64);
	gdt[X64_SEL_DATA / 8] = flat_descriptor(X64_ATTR_DATA);
	/* 16-byte system descriptor: limit, base 0..31, type; base 32..63. */
	gdt[X64_SEL_TSS / 8] = X64_TSS_LIMIT | (base & 0xffffff) << 16 |
			       (__u64)X64_ATTR_TSS_BUSY << 40 |
			       ((base >> 24) & 0xff) << 56;
	gdt[X64_SEL_TSS / 8 + 1] = base >> 32;
	/* The TSS itself: no RSP0/IST stacks, I/O bitmap beyond the limit. */
	memset(gpa_ptr(ram, X64_TSS_GPA), 0, X64_TSS_LIMIT + 1);
	*(__u16 *)((char *)ram + X64_TSS_GPA + 0x66) = X64_TSS_LIMIT + 1;
}

/**
 * x64_build() - write the long-mode system structures into guest RAM
 * @ram: guest RAM, mapped at GPA 0
 * @ram_size: its size; at least X64_MIN_RAM
 *
 * Writes the page tables, GDT, TSS and an IDT of not-present gates (see
 * x64_boot.h) and leaves the rest of RAM alone.
 *
 * Return: 0, or -EINVAL if RAM is too small.
 */
int x64_build(void *ram, __u64 ram_size)
{
	if (ram_size < X64_MIN_RAM)
		return -EINVAL;
	memset(ram, 0, X64_STACK_BOTTOM);
	build_page_tables(ram);
	build_gdt_tss(ram);
	return 0;
}

/**
 * x64_set_idt_gate() - point an IDT entry at a handler
 * @ram: guest RAM built by x64_build()
 * @vector: 0..255
 * @handler: the handler's guest virtual address; 0 clears the gate
 * @ist: interrupt stack table index, 0 for none
 *
 * The gate is a present 64-bit interrupt gate (IF cleared on entry), DPL 0,
 * through the 64-bit code selector.
 */
void x64_set_idt_gate(void *ram, unsigned int vector, __u64 handler,
		      unsigned int ist)
{
	__u64 *gate = gpa_ptr(ram, X64_IDT_GPA + (vector & 0xff) * 16);

	if (!handler) {
		gate[0] = 0;
		gate[1] = 0;
		return;
	}
	gate[0] = (handler & 0xffff) | (__u64)X64_SEL_CODE << 16 |
		  (__u64)(ist & 7) << 32 | 0x8eULL << 40 |
		  ((handler >> 16) & 0xffff) << 48;
	gate[1] = handler >> 32;
}

/**
 * x64_pte() - the page-table entry of a 4 KiB page of the first 2 MiB
 * @ram: guest RAM built by x64_build()
 * @gva: an address below 2 MiB
 *
 * Return: a pointer into @ram, or NULL if @gva is not mapped by 4 KiB pages.
 */
__u64 *x64_pte(void *ram, __u64 gva)
{
	if (gva >= PAGE_2M)
		return NULL;
	return gpa_ptr(ram, X64_PT_GPA + (gva / PAGE_4K) * 8);
}

static void set_seg(struct hv_register_assoc *r, __u32 name, __u16 sel,
		    __u64 base, __u32 limit, __u16 attributes)
{
	memset(r, 0, sizeof(*r));
	r->name = name;
	r->value.segment.base = base;
	r->value.segment.limit = limit;
	r->value.segment.selector = sel;
	r->value.segment.attributes = attributes;
}

static void set_table(struct hv_register_assoc *r, __u32 name, __u64 base,
		      __u16 limit)
{
	memset(r, 0, sizeof(*r));
	r->name = name;
	r->value.table.base = base;
	r->value.table.limit = limit;
}

static void set_reg(struct hv_register_assoc *r, __u32 name, __u64 value)
{
	memset(r, 0, sizeof(*r));
	r->name = name;
	r->value.reg64 = value;
}

/**
 * x64_boot_regs() - the register state of a VP entering long mode
 * @regs: X64_NR_BOOT_REGS entries, filled in
 * @rip: first instruction
 * @rsp: initial stack pointer
 *
 * Control registers and EFER come first, so a hypervisor that checks
 * segment state against the mode sees the final mode.
 *
 * Return: the number of entries filled in (X64_NR_BOOT_REGS).
 */
unsigned int x64_boot_regs(struct hv_register_assoc *regs, __u64 rip,
			   __u64 rsp)
{
	static const __u32 data_segs[] = {
		HV_X64_REGISTER_DS, HV_X64_REGISTER_ES, HV_X64_REGISTER_SS,
		HV_X64_REGISTER_FS, HV_X64_REGISTER_GS,
	};
	struct hv_register_assoc *r = regs;
	unsigned int i;

	set_reg(r++, HV_X64_REGISTER_EFER, X64_BOOT_EFER);
	set_reg(r++, HV_X64_REGISTER_CR4, X64_BOOT_CR4);
	set_reg(r++, HV_X64_REGISTER_CR3, X64_PML4_GPA);
	set_reg(r++, HV_X64_REGISTER_CR0, X64_BOOT_CR0);
	set_table(r++, HV_X64_REGISTER_GDTR, X64_GDT_GPA, X64_GDT_LIMIT);
	set_table(r++, HV_X64_REGISTER_IDTR, X64_IDT_GPA, X64_IDT_LIMIT);
	set_seg(r++, HV_X64_REGISTER_CS, X64_SEL_CODE, 0, 0xffffffff,
		X64_ATTR_CODE64);
	for (i = 0; i < ARRAY_SIZE(data_segs); i++)
		set_seg(r++, data_segs[i], X64_SEL_DATA, 0, 0xffffffff,
			X64_ATTR_DATA);
	set_seg(r++, HV_X64_REGISTER_TR, X64_SEL_TSS, X64_TSS_GPA,
		X64_TSS_LIMIT, X64_ATTR_TSS_BUSY);
	/* No LDT: a null selector, not present. */
	set_seg(r++, HV_X64_REGISTER_LDTR, 0, 0, 0, 0);
	set_reg(r++, HV_X64_REGISTER_RFLAGS, 0x2);
	set_reg(r++, HV_X64_REGISTER_RSP, rsp);
	set_reg(r++, HV_X64_REGISTER_RIP, rip);
	return r - regs;
}
