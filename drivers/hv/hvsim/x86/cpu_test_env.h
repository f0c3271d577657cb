/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The machine the protected/long-mode test vectors run in: descriptor
 * tables, page tables and setup/check functions for
 * cpu_test_vectors_pm.h.  Included by cpu_test_vectors.h only.
 *
 * The setup functions build it in the 64 KiB of test RAM:
 *   0x1000 GDT (selectors below)      0x2000 IDT (all 256 vectors)
 *   0x3000 TSS (RSP0/ESP0 0xe000, IST1 0xd000)
 *   0x4000-0x7fff page tables         0x8000 + 16 * vector: HLT handlers
 *   0x9000 maps to 0xa000 (alias)     0xb000 not present
 *   0xd000 supervisor only            0xf000 read-only
 *   initial stack pointer 0xf000; everything else identity-mapped.
 */
#ifndef _HVSIM_CPU_TEST_ENV_H
#define _HVSIM_CPU_TEST_ENV_H

#define HVT_GDT		0x1000
#define HVT_IDT		0x2000
#define HVT_TSS		0x3000
#define HVT_HANDLER(v)	(0x8000 + (v) * 16)

/*
 * 0x08 code32, 0x10 data, 0x18 code64, 0x20 data (all DPL 0);
 * 0x28 code32, 0x30 data, 0x38 code64 (DPL 3); 0x40 data, limit 0xfff;
 * 0x48 data, not present; 0x50 data, base 0xa000, not yet accessed;
 * 0x58 code16; 0x60 read-only data; 0x68 available TSS (16 bytes).
 */
static const u8 hvt_gdt[0x78] = {
	[0x08] = 0xff, 0xff, 0, 0, 0, 0x9b, 0xcf, 0,
	[0x10] = 0xff, 0xff, 0, 0, 0, 0x93, 0xcf, 0,
	[0x18] = 0xff, 0xff, 0, 0, 0, 0x9b, 0xaf, 0,
	[0x20] = 0xff, 0xff, 0, 0, 0, 0x93, 0xcf, 0,
	[0x28] = 0xff, 0xff, 0, 0, 0, 0xfb, 0xcf, 0,
	[0x30] = 0xff, 0xff, 0, 0, 0, 0xf3, 0xcf, 0,
	[0x38] = 0xff, 0xff, 0, 0, 0, 0xfb, 0xaf, 0,
	[0x40] = 0xff, 0x0f, 0, 0, 0, 0x93, 0x40, 0,
	[0x48] = 0xff, 0xff, 0, 0, 0, 0x13, 0xcf, 0,
	[0x50] = 0xff, 0xff, 0, 0xa0, 0, 0x92, 0xcf, 0,
	[0x58] = 0xff, 0xff, 0, 0, 0, 0x9b, 0x00, 0,
	[0x60] = 0xff, 0xff, 0, 0, 0, 0x91, 0xcf, 0,
	[0x68] = 0x67, 0, 0, 0x30, 0, 0x89, 0, 0,
};

static void hvt_put(u8 *ram, u32 addr, u64 v, unsigned int size)
{
	unsigned int i;

	for (i = 0; i < size; i++, v >>= 8)
		ram[addr + i] = v & 0xff;
}

static void hvt_seg(struct hvsim_cpu_state *st, int sreg, u16 sel, u16 attr)
{
	st->seg[sreg].selector = sel;
	st->seg[sreg].base = 0;
	st->seg[sreg].limit = 0xffffffff;
	st->seg[sreg].attributes = attr;
}

/* IDT gates for every vector to HVT_HANDLER(); INT 0x80 is DPL 3. */
static void hvt_idt(struct hvsim_cpu_state *st, u8 *ram, bool lm)
{
	unsigned int v, gsize = lm ? 16 : 8;
	u32 g;

	for (v = 0; v < 256; v++) {
		g = HVT_IDT + v * gsize;
		hvt_put(ram, g, HVT_HANDLER(v), 2);
		hvt_put(ram, g + 2, lm ? 0x18 : 0x08, 2);
		ram[g + 5] = v == 0x80 ? 0xee : 0x8e;
		ram[HVT_HANDLER(v)] = 0xf4;
	}
	st->idtr.base = HVT_IDT;
	st->idtr.limit = 256 * gsize - 1;
}

/* 4-level tables; PAE uses the same PD and PT, 32-bit paging its own. */
static void hvt_page_tables(u8 *ram)
{
	unsigned int i;

	hvt_put(ram, 0x4000, 0x5007, 8);
	hvt_put(ram, 0x5000, 0x6007, 8);
	hvt_put(ram, 0x5008, 0x87, 8);		/* 1 GiB page: 1G -> 0 */
	hvt_put(ram, 0x6000, 0x7007, 8);
	hvt_put(ram, 0x6008, 0x87, 8);		/* 2 MiB page: 2M -> 0 */
	for (i = 0; i < 16; i++)
		hvt_put(ram, 0x7000 + i * 8, i * 0x1000 + 7, 8);
	hvt_put(ram, 0x7000 + 9 * 8, 0xa007, 8);
	hvt_put(ram, 0x7000 + 11 * 8, 0, 8);
	hvt_put(ram, 0x7000 + 13 * 8, 0xd003, 8);
	hvt_put(ram, 0x7000 + 15 * 8, 0xf005, 8);
}

static void hvt_tables(u8 *ram)
{
	memcpy(ram + HVT_GDT, hvt_gdt, sizeof(hvt_gdt));
	hvt_put(ram, HVT_TSS + 4, 0xe000, 4);	/* RSP0 / ESP0 */
	hvt_put(ram, HVT_TSS + 8, 0x10, 2);	/* SS0 (32-bit TSS) */
	hvt_put(ram, HVT_TSS + 0x24, 0xd000, 8);	/* IST1 */
	hvt_page_tables(ram);
}

static void hvt_setup_tables_only(struct hvsim_cpu_state *st, u8 *ram)
{
	hvt_tables(ram);
}

/* Protected mode, CPL 0, flat segments, TR loaded; paging off. */
static void hvt_setup_pm32(struct hvsim_cpu_state *st, u8 *ram)
{
	int i;

	hvt_tables(ram);
	hvt_idt(st, ram, false);
	st->gdtr.base = HVT_GDT;
	st->gdtr.limit = sizeof(hvt_gdt) - 1;
	if (!st->cr0)
		st->cr0 = 0x11;
	st->cr0 |= 1;
	for (i = HVSIM_ES; i <= HVSIM_GS; i++)
		hvt_seg(st, i, 0x10, 0xc093);
	hvt_seg(st, HVSIM_CS, 0x08, 0xc09b);
	st->seg[HVSIM_TR] = (struct hvsim_segment) {
		.selector = 0x68, .base = HVT_TSS, .limit = 0x67,
		.attributes = 0x8b };
	st->gpr[HVSIM_RSP] = 0xf000;
}

static void hvt_setup_pm32_no_tr(struct hvsim_cpu_state *st, u8 *ram)
{
	hvt_setup_pm32(st, ram);
	st->seg[HVSIM_TR].selector = 0;
}

static void hvt_setup_pm32_de(struct hvsim_cpu_state *st, u8 *ram)
{
	hvt_setup_pm32(st, ram);
	st->cr4 = 8;	/* CR4.DE */
}

/* #GP's gate is not present (so a #GP becomes #NP, then #DF). */
static void hvt_setup_pm32_gp_np(struct hvsim_cpu_state *st, u8 *ram)
{
	hvt_setup_pm32(st, ram);
	ram[HVT_IDT + 13 * 8 + 5] &= 0x7f;
}

static void hvt_setup_pm32_user(struct hvsim_cpu_state *st, u8 *ram)
{
	int i;

	hvt_setup_pm32(st, ram);
	for (i = HVSIM_ES; i <= HVSIM_GS; i++)
		hvt_seg(st, i, 0x33, 0xc0f3);
	hvt_seg(st, HVSIM_CS, 0x2b, 0xc0fb);
}

/* 32-bit paging with a 4 MiB page at 4M (-> 0) and a 4 KiB table. */
static void hvt_setup_paging32(struct hvsim_cpu_state *st, u8 *ram)
{
	unsigned int i;

	st->cr0 = 0x80010011;
	hvt_setup_pm32(st, ram);
	memset(ram + 0x4000, 0, 0x2000);
	hvt_put(ram, 0x4000, 0x5007, 4);
	hvt_put(ram, 0x4004, 0x87, 4);
	for (i = 0; i < 16; i++)
		hvt_put(ram, 0x5000 + i * 4, i * 0x1000 + 7, 4);
	hvt_put(ram, 0x5000 + 9 * 4, 0xa007, 4);
	hvt_put(ram, 0x5000 + 11 * 4, 0, 4);
	st->cr3 = 0x4000;
	st->cr4 = 0x10;		/* PSE */
}

static void hvt_setup_pae(struct hvsim_cpu_state *st, u8 *ram)
{
	st->cr0 = 0x80010011;
	hvt_setup_pm32(st, ram);
	memset(ram + 0x4000, 0, 0x1000);
	hvt_put(ram, 0x4000, 0x6001, 8);	/* PDPTE 0 */
	st->cr3 = 0x4000;
	st->cr4 = 0x20;		/* PAE */
}

/* Long mode, 4-level paging, NX enabled, CPL 0. */
static void hvt_setup_lm(struct hvsim_cpu_state *st, u8 *ram)
{
	int i;

	hvt_tables(ram);
	hvt_idt(st, ram, true);
	st->gdtr.base = HVT_GDT;
	st->gdtr.limit = sizeof(hvt_gdt) - 1;
	st->cr0 = 0x80010011;
	st->cr3 = 0x4000;
	st->cr4 = 0x20;
	st->efer = 0xd00;	/* LME | LMA | NXE */
	for (i = HVSIM_ES; i <= HVSIM_GS; i++)
		hvt_seg(st, i, 0x10, 0xc093);
	hvt_seg(st, HVSIM_CS, 0x18, 0xa09b);
	st->seg[HVSIM_TR] = (struct hvsim_segment) {
		.selector = 0x68, .base = HVT_TSS, .limit = 0x67,
		.attributes = 0x8b };
	st->gpr[HVSIM_RSP] = 0xf000;
	hvt_put(ram, HVT_TSS + 8, 0, 4);	/* RSP0 is 64-bit here */
}

static void hvt_setup_lm_user(struct hvsim_cpu_state *st, u8 *ram)
{
	int i;

	hvt_setup_lm(st, ram);
	for (i = HVSIM_ES; i <= HVSIM_GS; i++)
		hvt_seg(st, i, 0x33, 0xc0f3);
	hvt_seg(st, HVSIM_CS, 0x3b, 0xa0fb);
}

static void hvt_setup_lm_nowp(struct hvsim_cpu_state *st, u8 *ram)
{
	hvt_setup_lm(st, ram);
	st->cr0 &= ~0x10000ULL;
}

/* The page at 0x9000 is identity-mapped but not executable. */
static void hvt_setup_lm_nx(struct hvsim_cpu_state *st, u8 *ram)
{
	hvt_setup_lm(st, ram);
	hvt_put(ram, 0x7000 + 9 * 8, 0x8000000000009007ULL, 8);
	ram[0x9000] = 0xf4;
}

/* NX set in a PTE while EFER.NXE is clear: reserved-bit fault. */
static void hvt_setup_lm_nonxe(struct hvsim_cpu_state *st, u8 *ram)
{
	hvt_setup_lm_nx(st, ram);
	st->efer &= ~0x800ULL;
}

static void hvt_setup_lm_cr3_hole(struct hvsim_cpu_state *st, u8 *ram)
{
	hvt_setup_lm(st, ram);
	st->cr3 = 0x20000;
}

static void hvt_setup_lm_ist(struct hvsim_cpu_state *st, u8 *ram)
{
	hvt_setup_lm(st, ram);
	ram[HVT_IDT + 6 * 16 + 4] = 1;
}

static void hvt_setup_lm_de_np(struct hvsim_cpu_state *st, u8 *ram)
{
	hvt_setup_lm(st, ram);
	ram[HVT_IDT + 5] &= 0x7f;
}

static void hvt_setup_lm_no_idt(struct hvsim_cpu_state *st, u8 *ram)
{
	hvt_setup_lm(st, ram);
	st->idtr.limit = 0;
}

static void hvt_setup_lm_syscall(struct hvsim_cpu_state *st, u8 *ram)
{
	hvt_setup_lm_user(st, ram);
	st->efer |= 1;		/* SCE */
	st->msr.star = (0x28ULL << 48) | (0x18ULL << 32);
	st->msr.lstar = 0x300;
	st->msr.sfmask = 0x200;
}

static void hvt_setup_lm_kgs(struct hvsim_cpu_state *st, u8 *ram)
{
	hvt_setup_lm(st, ram);
	st->msr.kernel_gs_base = 0x500001234ULL;
}

/* Long mode, but CS is the 32-bit code segment: compatibility mode. */
/*
 * 5-level paging (CR4.LA57): a PML5 table at 0xc000 whose entries 0 and 1
 * both lead to the PML4, so linear 0x1_0000_0000_a000 (PML5 index 1,
 * canonical only with 57 bits) reads RAM at 0xa000 too.
 */
static void hvt_setup_lm_la57(struct hvsim_cpu_state *st, u8 *ram)
{
	hvt_setup_lm(st, ram);
	hvt_put(ram, 0xc000, 0x4007, 8);
	hvt_put(ram, 0xc008, 0x4007, 8);
	hvt_put(ram, 0xa000, 0x1122334455667788ULL, 8);
	st->cr3 = 0xc000;
	st->cr4 |= 0x1000;	/* LA57 */
}

/* Long mode with CR4.OSXSAVE: XGETBV and XSETBV allowed. */
static void hvt_setup_lm_osxsave(struct hvsim_cpu_state *st, u8 *ram)
{
	hvt_setup_lm(st, ram);
	st->cr4 |= 0x40000;	/* OSXSAVE */
}

static void hvt_setup_lm_compat(struct hvsim_cpu_state *st, u8 *ram)
{
	hvt_setup_lm(st, ram);
	hvt_seg(st, HVSIM_CS, 0x08, 0xc09b);
}

static int hvt_chk_cs08(const struct hvsim_cpu_state *st, const u8 *ram,
			const struct hvsim_exit *ex)
{
	return st->seg[HVSIM_CS].selector != 0x08 ||
	       st->seg[HVSIM_CS].attributes != 0xc09b;
}

static int hvt_chk_kernel32(const struct hvsim_cpu_state *st, const u8 *ram,
			    const struct hvsim_exit *ex)
{
	if (st->seg[HVSIM_CS].selector != 0x08)
		return 1;
	if (st->seg[HVSIM_SS].selector != 0x10)
		return 2;
	return 0;
}

static int hvt_chk_kernel64(const struct hvsim_cpu_state *st, const u8 *ram,
			    const struct hvsim_exit *ex)
{
	if (st->seg[HVSIM_CS].selector != 0x18)
		return 1;
	if (st->seg[HVSIM_SS].selector != 0)	/* null SS, RPL 0 */
		return 2;
	return 0;
}

static int hvt_chk_tr(const struct hvsim_cpu_state *st, const u8 *ram,
		      const struct hvsim_exit *ex)
{
	return st->seg[HVSIM_TR].base != HVT_TSS ||
	       st->seg[HVSIM_TR].limit != 0x67 ||
	       (st->seg[HVSIM_TR].attributes & 0xff) != 0x8b;
}

static int hvt_chk_shadow(const struct hvsim_cpu_state *st, const u8 *ram,
			  const struct hvsim_exit *ex)
{
	return !st->interrupt_shadow;
}

static int hvt_chk_no_shadow(const struct hvsim_cpu_state *st,
			     const u8 *ram, const struct hvsim_exit *ex)
{
	return st->interrupt_shadow;
}

static int hvt_chk_cr2_b000(const struct hvsim_cpu_state *st,
			    const u8 *ram, const struct hvsim_exit *ex)
{
	return st->cr2 != 0xb000;
}

static int hvt_chk_cr2_b010(const struct hvsim_cpu_state *st,
			    const u8 *ram, const struct hvsim_exit *ex)
{
	return st->cr2 != 0xb010;
}

static int hvt_chk_dr6_bs(const struct hvsim_cpu_state *st, const u8 *ram,
			  const struct hvsim_exit *ex)
{
	return !(st->dr6 & 0x4000) || (st->rflags & 0x100);
}

static int hvt_chk_long_mode(const struct hvsim_cpu_state *st,
			     const u8 *ram, const struct hvsim_exit *ex)
{
	if (!(st->efer & 0x400))
		return 1;
	if (st->seg[HVSIM_CS].selector != 0x18)
		return 2;
	if (!(st->cr0 & 0x80000000))
		return 3;
	return 0;
}

static int hvt_chk_cpuid_exit(const struct hvsim_cpu_state *st,
			      const u8 *ram, const struct hvsim_exit *ex)
{
	return ex->cpuid.leaf != 0x40000000;
}

static int hvt_chk_msr_exit(const struct hvsim_cpu_state *st, const u8 *ram,
			    const struct hvsim_exit *ex)
{
	return ex->msr.index != 0x40000000 || !ex->msr.write ||
	       ex->msr.value != 9;
}

#endif /* _HVSIM_CPU_TEST_ENV_H */
