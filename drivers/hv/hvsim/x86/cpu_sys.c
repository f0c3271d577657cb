// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim x86 interpreter: system instructions.  Descriptor-table and
 * task registers (0F 00, 0F 01), control and debug registers, CLTS,
 * INVLPG, SWAPGS, SYSCALL/SYSRET, RDMSR/WRMSR, RDTSC/RDTSCP, CPUID,
 * XGETBV/XSETBV, UD2 and the hint/cache NOPs.
 *
 * CPUID and the MSRs go to the platform callbacks first (which may ask
 * for an intercept exit); without them a fixed CPU model answers and
 * the MSRs map to struct hvsim_cpu_state.
 */

#include "cpu_internal.h"

#define HVSIM_MSR_TSC			0x10
#define HVSIM_MSR_APIC_BASE		0x1b
#define HVSIM_MSR_MTRRCAP		0xfe
#define HVSIM_MSR_SYSENTER_CS		0x174
#define HVSIM_MSR_SYSENTER_ESP		0x175
#define HVSIM_MSR_SYSENTER_EIP		0x176
#define HVSIM_MSR_MTRR_PHYS		0x200
#define HVSIM_MSR_MTRR_FIX64K		0x250
#define HVSIM_MSR_MTRR_FIX16K		0x258
#define HVSIM_MSR_MTRR_FIX4K		0x268
#define HVSIM_MSR_PAT			0x277
#define HVSIM_MSR_MTRR_DEF		0x2ff
#define HVSIM_MSR_EFER			0xc0000080
#define HVSIM_MSR_STAR			0xc0000081
#define HVSIM_MSR_LSTAR			0xc0000082
#define HVSIM_MSR_CSTAR			0xc0000083
#define HVSIM_MSR_SFMASK		0xc0000084
#define HVSIM_MSR_FS_BASE		0xc0000100
#define HVSIM_MSR_GS_BASE		0xc0000101
#define HVSIM_MSR_KGS_BASE		0xc0000102
#define HVSIM_MSR_TSC_AUX		0xc0000103

#define HVSIM_CR4_OK	(HVSIM_CR4_TSD | HVSIM_CR4_DE | HVSIM_CR4_PSE | \
			 HVSIM_CR4_PAE | HVSIM_CR4_MCE | HVSIM_CR4_PGE | \
			 HVSIM_CR4_PCE | HVSIM_CR4_OSFXSR | \
			 HVSIM_CR4_OSXMMEXCPT | HVSIM_CR4_FSGSBASE | \
			 HVSIM_CR4_PCIDE | HVSIM_CR4_OSXSAVE | HVSIM_CR4_LA57)

/**
 * hvsim_cpl_check() - privileged instruction: #GP(0) unless CPL 0
 * @in: instruction
 *
 * Return: 0 or HVSIM_EXC.
 */
int hvsim_cpl_check(struct hvsim_insn *in)
{
	return in->cpl ? hvsim_gp0(in) : 0;
}

static bool hvsim_is64(struct hvsim_insn *in)
{
	return in->code_size == 8;
}

/* The built-in CPU model: family 6, long mode, NX, PAE, PSE, TSC, MSR. */
static void hvsim_cpuid_default(struct hvsim_insn *in, u32 leaf, u32 sub,
				u32 *r)
{
	r[0] = 0;
	r[1] = 0;
	r[2] = 0;
	r[3] = 0;
	switch (leaf) {
	case 0:
		r[0] = 1;
		r[1] = 0x756e6547;	/* "GenuineIntel" */
		r[3] = 0x49656e69;
		r[2] = 0x6c65746e;
		break;
	case 1:
		r[0] = 0x00000663;	/* family 6 model 6 stepping 3 */
		/* TSC, MSR, PAE, APIC, PGE, CMOV, PAT, PSE, DE */
		r[3] = BIT(2) | BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(9) |
		       BIT(13) | BIT(15) | BIT(16);
		break;
	case 0x80000000:
		r[0] = 0x80000008;
		break;
	case 0x80000001:
		r[2] = BIT(0);		/* LAHF/SAHF in 64-bit mode */
		/* SYSCALL, NX, 1 GiB pages, RDTSCP, long mode */
		r[3] = BIT(11) | BIT(20) | BIT(26) | BIT(27) | BIT(29);
		break;
	case 0x80000008:
		r[0] = 0x3034;		/* 52 physical, 48 linear bits */
		break;
	}
}

static int hvsim_cpuid(struct hvsim_insn *in)
{
	u32 leaf = in->st->gpr[HVSIM_RAX], sub = in->st->gpr[HVSIM_RCX];
	u32 r[4];
	int cb = HVSIM_CB_DEFAULT;

	if (in->mem->cpuid)
		cb = in->mem->cpuid(in->mctx, leaf, sub, r);
	if (cb == HVSIM_CB_INTERCEPT) {
		in->exit->cpuid.leaf = leaf;
		in->exit->cpuid.subleaf = sub;
		return HVSIM_EXIT_CPUID;
	}
	if (cb != HVSIM_CB_DONE)
		hvsim_cpuid_default(in, leaf, sub, r);
	in->st->gpr[HVSIM_RAX] = r[0];
	in->st->gpr[HVSIM_RBX] = r[1];
	in->st->gpr[HVSIM_RCX] = r[2];
	in->st->gpr[HVSIM_RDX] = r[3];
	return 0;
}

static u64 *hvsim_msr_field(struct hvsim_cpu_state *st, u32 idx)
{
	switch (idx) {
	case HVSIM_MSR_APIC_BASE:
		return &st->msr.apic_base;
	case HVSIM_MSR_SYSENTER_CS:
		return &st->msr.sysenter_cs;
	case HVSIM_MSR_SYSENTER_ESP:
		return &st->msr.sysenter_esp;
	case HVSIM_MSR_SYSENTER_EIP:
		return &st->msr.sysenter_eip;
	case HVSIM_MSR_PAT:
		return &st->msr.pat;
	case HVSIM_MSR_MTRR_DEF:
		return &st->msr.mtrr_def_type;
	case HVSIM_MSR_STAR:
		return &st->msr.star;
	case HVSIM_MSR_LSTAR:
		return &st->msr.lstar;
	case HVSIM_MSR_CSTAR:
		return &st->msr.cstar;
	case HVSIM_MSR_SFMASK:
		return &st->msr.sfmask;
	case HVSIM_MSR_FS_BASE:
		return &st->seg[HVSIM_FS].base;
	case HVSIM_MSR_GS_BASE:
		return &st->seg[HVSIM_GS].base;
	case HVSIM_MSR_KGS_BASE:
		return &st->msr.kernel_gs_base;
	case HVSIM_MSR_TSC_AUX:
		return &st->msr.tsc_aux;
	case HVSIM_MSR_MTRR_FIX64K:
		return &st->msr.mtrr_fixed[0];
	case HVSIM_MSR_MTRR_FIX16K ... HVSIM_MSR_MTRR_FIX16K + 1:
		return &st->msr.mtrr_fixed[1 + idx - HVSIM_MSR_MTRR_FIX16K];
	case HVSIM_MSR_MTRR_FIX4K ... HVSIM_MSR_MTRR_FIX4K + 7:
		return &st->msr.mtrr_fixed[3 + idx - HVSIM_MSR_MTRR_FIX4K];
	case HVSIM_MSR_MTRR_PHYS ... HVSIM_MSR_MTRR_PHYS + 31:
		idx -= HVSIM_MSR_MTRR_PHYS;
		return &st->msr.mtrr_phys[idx / 2][idx & 1];
	}
	return NULL;
}

static u64 hvsim_tsc(struct hvsim_insn *in)
{
	u64 host = in->mem->rdtsc ? in->mem->rdtsc(in->mctx) : 0;

	return host + in->st->msr.tsc_offset;
}

/* Default RDMSR.  Return: 0 or HVSIM_EXC (#GP). */
static int hvsim_rdmsr_default(struct hvsim_insn *in, u32 idx, u64 *v)
{
	u64 *f;

	switch (idx) {
	case HVSIM_MSR_TSC:
		*v = hvsim_tsc(in);
		return 0;
	case HVSIM_MSR_MTRRCAP:
		*v = 0x508;	/* 8 variable ranges, fixed ranges, WC */
		return 0;
	case HVSIM_MSR_EFER:
		*v = in->st->efer;
		return 0;
	}
	f = hvsim_msr_field(in->st, idx);
	if (!f)
		return hvsim_gp0(in);
	*v = *f;
	return 0;
}

/* Default WRMSR.  Return: 0 or HVSIM_EXC (#GP). */
static int hvsim_wrmsr_default(struct hvsim_insn *in, u32 idx, u64 v)
{
	struct hvsim_cpu_state *st = in->st;
	u64 *f, ok;

	in->msr_dirty = true;
	switch (idx) {
	case HVSIM_MSR_TSC:
		st->msr.tsc_offset = v - (in->mem->rdtsc ?
					  in->mem->rdtsc(in->mctx) : 0);
		return 0;
	case HVSIM_MSR_EFER:
		ok = HVSIM_EFER_SCE | HVSIM_EFER_LME | HVSIM_EFER_NXE;
		if (v & ~(ok | HVSIM_EFER_LMA))
			return hvsim_gp0(in);
		if ((st->cr0 & HVSIM_CR0_PG) &&
		    ((v ^ st->efer) & HVSIM_EFER_LME))
			return hvsim_gp0(in);
		st->efer = (v & ok) | (st->efer & HVSIM_EFER_LMA);
		return 0;
	case HVSIM_MSR_FS_BASE:
	case HVSIM_MSR_GS_BASE:
	case HVSIM_MSR_KGS_BASE:
	case HVSIM_MSR_LSTAR:
	case HVSIM_MSR_CSTAR:
	case HVSIM_MSR_SYSENTER_ESP:
	case HVSIM_MSR_SYSENTER_EIP:
		if (!hvsim_canonical_addr(in->st, v))
			return hvsim_gp0(in);
		break;
	case HVSIM_MSR_TSC_AUX:
		if (v >> 32)
			return hvsim_gp0(in);
		break;
	}
	f = hvsim_msr_field(st, idx);
	if (!f)
		return hvsim_gp0(in);
	*f = v;
	return 0;
}

static int hvsim_msr(struct hvsim_insn *in, bool write)
{
	struct hvsim_cpu_state *st = in->st;
	u32 idx = st->gpr[HVSIM_RCX];
	u64 v = (st->gpr[HVSIM_RDX] << 32) | (st->gpr[HVSIM_RAX] & 0xffffffff);
	int cb = HVSIM_CB_DEFAULT, rc;

	rc = hvsim_cpl_check(in);
	if (rc)
		return rc;
	if (write && in->mem->wrmsr)
		cb = in->mem->wrmsr(in->mctx, idx, v);
	else if (!write && in->mem->rdmsr)
		cb = in->mem->rdmsr(in->mctx, idx, &v);
	switch (cb) {
	case HVSIM_CB_INTERCEPT:
		in->exit->msr.index = idx;
		in->exit->msr.write = write;
		in->exit->msr.value = write ? v : 0;
		return HVSIM_EXIT_MSR;
	case HVSIM_CB_GP:
		return hvsim_gp0(in);
	case HVSIM_CB_DONE:
		break;
	default:
		rc = write ? hvsim_wrmsr_default(in, idx, v) :
			     hvsim_rdmsr_default(in, idx, &v);
		if (rc)
			return rc;
	}
	if (!write) {
		st->gpr[HVSIM_RAX] = v & 0xffffffff;
		st->gpr[HVSIM_RDX] = v >> 32;
	}
	return 0;
}

static int hvsim_rdtsc(struct hvsim_insn *in, bool aux)
{
	struct hvsim_cpu_state *st = in->st;
	u64 t;

	if ((st->cr4 & HVSIM_CR4_TSD) && in->cpl)
		return hvsim_gp0(in);
	t = hvsim_tsc(in);
	st->gpr[HVSIM_RAX] = t & 0xffffffff;
	st->gpr[HVSIM_RDX] = t >> 32;
	if (aux)
		st->gpr[HVSIM_RCX] = st->msr.tsc_aux & 0xffffffff;
	return 0;
}

/* MOV to CR0: checks and long-mode activation. */
static int hvsim_set_cr0(struct hvsim_insn *in, u64 v)
{
	struct hvsim_cpu_state *st = in->st;

	if (v >> 32)
		return hvsim_gp0(in);
	v |= HVSIM_CR0_ET;
	if (((v & HVSIM_CR0_PG) && !(v & HVSIM_CR0_PE)) ||
	    ((v & HVSIM_CR0_NW) && !(v & HVSIM_CR0_CD)))
		return hvsim_gp0(in);
	if ((v & HVSIM_CR0_PG) && !(st->cr0 & HVSIM_CR0_PG) &&
	    (st->efer & HVSIM_EFER_LME)) {
		if (!(st->cr4 & HVSIM_CR4_PAE) ||
		    (st->seg[HVSIM_CS].attributes & HVSIM_SEG_ATTR_L))
			return hvsim_gp0(in);
		st->efer |= HVSIM_EFER_LMA;
	}
	if (!(v & HVSIM_CR0_PG) && (st->cr0 & HVSIM_CR0_PG)) {
		if (in->code_size == 8)
			return hvsim_gp0(in);
		st->efer &= ~HVSIM_EFER_LMA;
	}
	st->cr0 = v;
	return 0;
}

static int hvsim_set_cr(struct hvsim_insn *in, unsigned int cr, u64 v)
{
	struct hvsim_cpu_state *st = in->st;

	switch (cr) {
	case 0:
		return hvsim_set_cr0(in, v);
	case 2:
		st->cr2 = v;
		return 0;
	case 3:
		if (hvsim_lma(in) && (v >> 52))
			return hvsim_gp0(in);
		st->cr3 = v;
		return 0;
	case 4:
		/*
		 * CR4.LA57 changes only outside long mode (Intel SDM vol. 2B,
		 * MOV to/from control registers; AMD APM vol. 2, 3.1.3).
		 */
		if ((v & ~HVSIM_CR4_OK) ||
		    (hvsim_lma(in) && !(v & HVSIM_CR4_PAE)) ||
		    (hvsim_lma(in) && ((v ^ st->cr4) & HVSIM_CR4_LA57)) ||
		    ((v & HVSIM_CR4_PCIDE) && !hvsim_lma(in)))
			return hvsim_gp0(in);
		st->cr4 = v;
		return 0;
	default:	/* 8 */
		if (v & ~0xfULL)
			return hvsim_gp0(in);
		st->cr8 = v;
		return 0;
	}
}

/* 0F 20-23: MOV from/to CRn and DRn (the r/m operand is a register). */
static int hvsim_mov_crdr(struct hvsim_insn *in)
{
	struct hvsim_cpu_state *st = in->st;
	unsigned int size = hvsim_is64(in) ? 8 : 4, n;
	bool to = in->opcode & 2, dr = in->opcode & 1;
	u64 v;
	int rc;

	/* ModRM without displacement: mod is ignored, r/m is a register */
	rc = hvsim_fetch(in, 1, &v);
	if (rc)
		return rc;
	n = ((v >> 3) & 7) | ((in->rex & HVSIM_REX_R) ? 8 : 0);
	in->rm = (v & 7) | ((in->rex & HVSIM_REX_B) ? 8 : 0);
	if (!dr && n != 0 && n != 2 && n != 3 && n != 4 && n != 8)
		return hvsim_ud(in);
	if (dr && n > 7)
		return hvsim_ud(in);
	if (dr && (n == 4 || n == 5)) {
		if (st->cr4 & HVSIM_CR4_DE)
			return hvsim_ud(in);
		n += 2;
	}
	rc = hvsim_cpl_check(in);
	if (rc)
		return rc;
	if (!to) {
		if (dr)
			v = n < 4 ? st->dr[n] : n == 6 ? st->dr6 : st->dr7;
		else
			v = n == 0 ? st->cr0 : n == 2 ? st->cr2 :
			    n == 3 ? st->cr3 : n == 4 ? st->cr4 : st->cr8;
		hvsim_reg_set(in, in->rm, size, v);
		return 0;
	}
	v = hvsim_reg_get(in, in->rm, size);
	if (!dr)
		return hvsim_set_cr(in, n, v);
	if (n >= 6 && (v >> 32))
		return hvsim_gp0(in);
	if (n < 4)
		st->dr[n] = v;
	else if (n == 6)
		st->dr6 = (v & 0x1e00f) | 0xffff0ff0;
	else
		st->dr7 = (v & ~0xd800ULL) | 0x400;
	return 0;
}

/* 0F 00: SLDT, STR, LLDT, LTR (VERR/VERW are not modelled). */
static int hvsim_grp6(struct hvsim_insn *in)
{
	struct hvsim_cpu_state *st = in->st;
	unsigned int op, len = hvsim_lma(in) ? 16 : 8;
	int sreg;
	u64 sel;
	u8 d[16];
	int rc;

	rc = hvsim_decode_modrm(in);
	if (rc)
		return rc;
	op = in->reg & 7;
	if (!hvsim_pmode(in))
		return op < 4 ? hvsim_ud(in) : hvsim_unsupported(in);
	if (op < 2) {
		sel = st->seg[op ? HVSIM_TR : HVSIM_LDTR].selector;
		return hvsim_rm_write(in, in->rm_mem ? 2 : in->op_size, sel);
	}
	if (op > 3)
		return hvsim_unsupported(in);
	rc = hvsim_cpl_check(in);
	if (!rc)
		rc = hvsim_rm_read(in, 2, &sel);
	if (rc)
		return rc;
	sreg = op == 2 ? HVSIM_LDTR : HVSIM_TR;
	if (!(sel & 0xfffc)) {
		if (op == 3)
			return hvsim_gp0(in);
		hvsim_null_seg(&st->seg[HVSIM_LDTR], sel);
		return 0;
	}
	if (sel & 4)
		return hvsim_raise(in, HVSIM_GP, sel & 0xfffc);
	rc = hvsim_read_desc(in, sel, d, len, HVSIM_GP);
	if (rc)
		return rc;
	/* LDT: type 2; LTR: available 32/64-bit TSS (9) or 16-bit (1) */
	if ((d[5] & HVSIM_SEG_ATTR_S) ||
	    (op == 2 && (d[5] & 0xf) != 2) ||
	    (op == 3 && (d[5] & 0xf) != 9 &&
	     ((d[5] & 0xf) != 1 || hvsim_lma(in))))
		return hvsim_raise(in, HVSIM_GP, sel & 0xfffc);
	if (!(d[5] & HVSIM_SEG_ATTR_P))
		return hvsim_raise(in, HVSIM_NP, sel & 0xfffc);
	if (op == 3) {
		/* mark the TSS busy in the GDT */
		rc = hvsim_write(in, HVSIM_SEG_NONE,
				 st->gdtr.base + (sel & 0xfff8) + 5, 1,
				 d[5] | 2);
		if (rc)
			return rc;
		d[5] |= 2;
	}
	hvsim_desc_to_seg(d, sel, &st->seg[sreg], hvsim_lma(in));
	return 0;
}

/*
 * XCR0 state-component bits (Intel SDM vol. 1, 13.1 "XSAVE-supported
 * features and state-component bitmaps"; AMD APM vol. 2, 11.5.2).
 */
#define HVSIM_XCR0_X87		BIT_ULL(0)
#define HVSIM_XCR0_SSE		BIT_ULL(1)
#define HVSIM_XCR0_YMM		BIT_ULL(2)
#define HVSIM_XCR0_BNDREGS	BIT_ULL(3)
#define HVSIM_XCR0_BNDCSR	BIT_ULL(4)
#define HVSIM_XCR0_AVX512	GENMASK_ULL(7, 5)	/* opmask, ZMM_Hi256, Hi16_ZMM */
#define HVSIM_XCR0_TILE		GENMASK_ULL(18, 17)	/* TILECFG, TILEDATA */

/**
 * hvsim_cpu_xcr0_valid() - would XSETBV take @xcr0?
 * @xcr0: the value for XCR0
 * @supported: the bits CPUID.(EAX=0DH,ECX=0):EDX:EAX reports
 *
 * The checks of XSETBV (Intel SDM vol. 2D, XSETBV; vol. 1, 13.3): x87
 * always on, nothing unsupported, AVX (YMM) only with SSE, the two MPX
 * components together, the three AVX-512 components together and only
 * with AVX, the two AMX components together.
 *
 * Return: true if XSETBV would set it, false if it raises #GP.
 */
bool hvsim_cpu_xcr0_valid(u64 xcr0, u64 supported)
{
	u64 avx512 = xcr0 & HVSIM_XCR0_AVX512;
	u64 tile = xcr0 & HVSIM_XCR0_TILE;

	if (!(xcr0 & HVSIM_XCR0_X87) || (xcr0 & ~supported))
		return false;
	if ((xcr0 & HVSIM_XCR0_YMM) && !(xcr0 & HVSIM_XCR0_SSE))
		return false;
	if (!(xcr0 & HVSIM_XCR0_BNDREGS) != !(xcr0 & HVSIM_XCR0_BNDCSR))
		return false;
	if (avx512 && (avx512 != HVSIM_XCR0_AVX512 ||
		       !(xcr0 & HVSIM_XCR0_YMM)))
		return false;
	return !tile || tile == HVSIM_XCR0_TILE;
}

/* 0F 01 with a register operand: SWAPGS, RDTSCP, XGETBV, XSETBV, ... */
static int hvsim_grp7_reg(struct hvsim_insn *in)
{
	struct hvsim_cpu_state *st = in->st;
	u8 modrm = in->buf[in->len - 1];
	u64 t, v;
	int rc;

	switch (modrm) {
	case 0xf8:	/* SWAPGS */
		if (!hvsim_is64(in))
			return hvsim_ud(in);
		rc = hvsim_cpl_check(in);
		if (rc)
			return rc;
		t = st->seg[HVSIM_GS].base;
		st->seg[HVSIM_GS].base = st->msr.kernel_gs_base;
		st->msr.kernel_gs_base = t;
		in->msr_dirty = true;
		return 0;
	case 0xf9:	/* RDTSCP */
		return hvsim_rdtsc(in, true);
	case 0xd0:	/* XGETBV */
		if (!(st->cr4 & HVSIM_CR4_OSXSAVE))
			return hvsim_ud(in);
		if ((u32)st->gpr[HVSIM_RCX])
			return hvsim_gp0(in);
		st->gpr[HVSIM_RAX] = st->xcr0 & 0xffffffff;
		st->gpr[HVSIM_RDX] = st->xcr0 >> 32;
		return 0;
	case 0xd1:	/* XSETBV */
		if (!(st->cr4 & HVSIM_CR4_OSXSAVE))
			return hvsim_ud(in);
		rc = hvsim_cpl_check(in);
		if (rc)
			return rc;
		v = (st->gpr[HVSIM_RDX] << 32) |
		    (st->gpr[HVSIM_RAX] & 0xffffffff);
		if ((u32)st->gpr[HVSIM_RCX] ||
		    !hvsim_cpu_xcr0_valid(v, in->mem->xcr0_mask ?
					  in->mem->xcr0_mask(in->mctx) :
					  HVSIM_XCR0_X87))
			return hvsim_gp0(in);
		st->xcr0 = v;
		return 0;
	}
	return hvsim_unsupported(in);
}

/* 0F 01: SGDT, SIDT, LGDT, LIDT, SMSW, LMSW, INVLPG and register forms. */
static int hvsim_grp7(struct hvsim_insn *in)
{
	struct hvsim_cpu_state *st = in->st;
	unsigned int op, bsize = hvsim_is64(in) ? 8 : 4;
	struct hvsim_dtable *dt;
	u8 b[10];
	u64 v;
	int rc;

	rc = hvsim_decode_modrm(in);
	if (rc)
		return rc;
	op = in->reg & 7;
	if (!in->rm_mem && op != 4 && op != 6)
		return hvsim_grp7_reg(in);
	dt = (op & 1) ? &st->idtr : &st->gdtr;
	switch (op) {
	case 0:
	case 1:		/* SGDT/SIDT */
		hvsim_le_put(b, 2, dt->limit);
		hvsim_le_put(b + 2, bsize, dt->base);
		return hvsim_write_buf(in, in->ea_seg, in->ea, 2 + bsize, b);
	case 2:
	case 3:		/* LGDT/LIDT */
		rc = hvsim_cpl_check(in);
		if (!rc)
			rc = hvsim_read_buf(in, in->ea_seg, in->ea, 2 + bsize,
					    b);
		if (rc)
			return rc;
		v = hvsim_le_get(b + 2, bsize);
		if (in->op_size == 2 && !hvsim_is64(in))
			v &= 0xffffff;
		if (hvsim_is64(in) && !hvsim_canonical_addr(in->st, v))
			return hvsim_gp0(in);
		dt->limit = hvsim_le_get(b, 2);
		dt->base = v;
		return 0;
	case 4:		/* SMSW */
		return hvsim_rm_write(in, in->rm_mem ? 2 : in->op_size,
				      st->cr0);
	case 6:		/* LMSW: PE can be set, not cleared */
		rc = hvsim_cpl_check(in);
		if (!rc)
			rc = hvsim_rm_read(in, 2, &v);
		if (rc)
			return rc;
		st->cr0 = (st->cr0 & ~0xeULL) | (v & 0xf) | (st->cr0 & 1);
		return 0;
	case 7:		/* INVLPG */
		in->tlb_flush = true;
		return hvsim_cpl_check(in);
	}
	return hvsim_unsupported(in);
}

static int hvsim_syscall(struct hvsim_insn *in)
{
	struct hvsim_cpu_state *st = in->st;
	u16 sel = (st->msr.star >> 32) & 0xfffc;

	if (!hvsim_is64(in) || !(st->efer & HVSIM_EFER_SCE))
		return hvsim_ud(in);
	st->gpr[HVSIM_RCX] = hvsim_next_ip(in);
	st->gpr[HVSIM_R11] = st->rflags & ~HVSIM_FL_RF;
	st->rflags &= ~(st->msr.sfmask | HVSIM_FL_RF);
	st->seg[HVSIM_CS] = (struct hvsim_segment) {
		.selector = sel, .base = 0, .limit = 0xffffffff,
		.attributes = 0xa09b };
	st->seg[HVSIM_SS] = (struct hvsim_segment) {
		.selector = sel + 8, .base = 0, .limit = 0xffffffff,
		.attributes = 0xc093 };
	in->cpl = 0;
	st->rip = st->msr.lstar;
	in->branch = true;
	return 0;
}

static int hvsim_sysret(struct hvsim_insn *in)
{
	struct hvsim_cpu_state *st = in->st;
	u16 sel = (st->msr.star >> 48) & 0xfffc;
	bool to64 = in->rex & HVSIM_REX_W;
	int rc;

	if (!hvsim_is64(in) || !(st->efer & HVSIM_EFER_SCE))
		return hvsim_ud(in);
	rc = hvsim_cpl_check(in);
	if (rc)
		return rc;
	if (to64 && !hvsim_canonical_addr(st, st->gpr[HVSIM_RCX]))
		return hvsim_gp0(in);
	st->seg[HVSIM_CS] = (struct hvsim_segment) {
		.selector = (to64 ? sel + 16 : sel) | 3, .base = 0,
		.limit = 0xffffffff, .attributes = to64 ? 0xa0fb : 0xc0fb };
	st->seg[HVSIM_SS].selector = (sel + 8) | 3;
	st->seg[HVSIM_SS].attributes = 0xc0f3;
	in->cpl = 3;
	st->rflags = (st->gpr[HVSIM_R11] & 0x3c7fd7) | HVSIM_FL_FIXED;
	st->rip = to64 ? st->gpr[HVSIM_RCX] : st->gpr[HVSIM_RCX] & 0xffffffff;
	in->branch = true;
	return 0;
}

/**
 * hvsim_exec_0f_sys() - system instructions in the 0F xx map
 * @in: instruction with prefixes and opcode decoded
 *
 * Return: 0, HVSIM_EXC or an exit reason.
 */
int hvsim_exec_0f_sys(struct hvsim_insn *in)
{
	struct hvsim_cpu_state *st = in->st;
	int rc;

	switch (in->opcode) {
	case 0x00:
		return hvsim_grp6(in);
	case 0x01:
		return hvsim_grp7(in);
	case 0x05:
		return hvsim_syscall(in);
	case 0x06:	/* CLTS */
		rc = hvsim_cpl_check(in);
		if (!rc)
			st->cr0 &= ~HVSIM_CR0_TS;
		return rc;
	case 0x07:
		return hvsim_sysret(in);
	case 0x08:	/* INVD, WBINVD: no caches */
	case 0x09:
		return hvsim_cpl_check(in);
	case 0x0b:	/* UD2 */
		return hvsim_ud(in);
	case 0x0d:
	case 0x18 ... 0x1f:	/* prefetch and hint NOPs */
		return hvsim_decode_modrm(in);
	case 0x20 ... 0x23:
		return hvsim_mov_crdr(in);
	case 0x30:
		return hvsim_msr(in, true);
	case 0x31:
		return hvsim_rdtsc(in, false);
	case 0x32:
		return hvsim_msr(in, false);
	case 0xa2:
		return hvsim_cpuid(in);
	case 0xae:	/* LFENCE, MFENCE, SFENCE, CLFLUSH: nothing to do */
		rc = hvsim_decode_modrm(in);
		if (rc)
			return rc;
		if ((in->rm_mem && (in->reg & 7) == 7) ||
		    (!in->rm_mem && (in->reg & 7) >= 5))
			return 0;
		return hvsim_unsupported(in);	/* FXSAVE etc. */
	}
	return hvsim_unsupported(in);
}
