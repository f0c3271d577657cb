// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim CPUID: what a VP is told about XSAVE.
 *
 * Leaf 0xD describes the XSAVE state components.  The host's leaf
 * describes the host's CPU with the host's XCR0 in force (CPUID runs in
 * hvsim, not in the guest), so it is rebuilt here from the components
 * the partition's engine lets a guest enable (hvsim_engine_xcr0_mask())
 * and the VP's own XCR0 (Intel SDM vol. 2A, CPUID, "Processor Extended
 * State Enumeration"; AMD APM vol. 3, appendix E.3.10, Fn0000_000D):
 *  - sub-leaf 0: EDX:EAX the components XSETBV may enable; EBX the size
 *    of the standard-form XSAVE area for the VP's current XCR0 (it
 *    follows XSETBV); ECX that size for every component of EDX:EAX;
 *  - sub-leaf 1: EAX keeps XSAVEOPT, XSAVEC and XGETBV with ECX=1 (bits
 *    0-2), which run on the hardware with the guest's XCR0; XSAVES (bit
 *    3) and XFD (bit 4) go, as hvsim has neither IA32_XSS nor the XFD
 *    MSRs; EBX the compacted-form size for XCR0 (IA32_XSS being 0);
 *    ECX:EDX (the IA32_XSS components) 0;
 *  - sub-leaf n >= 2: the host's size and offset for a component of
 *    EDX:EAX, zeroes for any other.
 * The features whose registers live in a component the guest may not
 * enable are hidden too: AVX, FMA, F16C and AVX2 need YMM, MPX its two
 * components, AVX-512 its three, PKU the PKRU component (Intel SDM vol.
 * 1, 13.1; CPUID leaf 1 ECX and leaf 7 sub-leaf 0 EBX/ECX bits below are
 * from the SDM vol. 2A CPUID tables).
 */
#include <linux/align.h>
#include <linux/bits.h>
#include <linux/minmax.h>
#include <linux/processor.h>
#include <linux/string.h>

#include "hvsim.h"
#include "engine.h"

enum { EAX, EBX, ECX, EDX };

/* XCR0 state-component bits (Intel SDM vol. 1, 13.1). */
#define HVSIM_XC_YMM		BIT_ULL(2)
#define HVSIM_XC_MPX		(BIT_ULL(3) | BIT_ULL(4))
#define HVSIM_XC_AVX512		(BIT_ULL(5) | BIT_ULL(6) | BIT_ULL(7))
#define HVSIM_XC_PKRU		BIT_ULL(9)

/* Legacy region (512 bytes) and XSAVE header (64 bytes). */
#define HVSIM_XSAVE_HDR_END	576
/* Sub-leaf n >= 2 ECX: aligned to 64 bytes in the compacted form. */
#define HVSIM_XSAVE_ALIGN64	BIT(1)
/* Sub-leaf 1 EAX: XSAVEOPT, XSAVEC, XGETBV with ECX=1. */
#define HVSIM_XSAVE_D1_KEEP	(BIT(0) | BIT(1) | BIT(2))

/* Leaf 1 ECX: FMA (12), AVX (28), F16C (29). */
#define HVSIM_CPUID1_ECX_YMM	(BIT(12) | BIT(28) | BIT(29))
/* Leaf 7.0 EBX: AVX2 (5); MPX (14); AVX-512 F, DQ, IFMA, PF, ER, CD, BW, VL. */
#define HVSIM_CPUID7_EBX_YMM	BIT(5)
#define HVSIM_CPUID7_EBX_MPX	BIT(14)
#define HVSIM_CPUID7_EBX_AVX512	(BIT(16) | BIT(17) | BIT(21) | BIT(26) | \
				 BIT(27) | BIT(28) | BIT(30) | BIT(31))
/* Leaf 7.0 ECX: AVX-512 VBMI, VBMI2, VNNI, BITALG, VPOPCNTDQ; PKU. */
#define HVSIM_CPUID7_ECX_AVX512	(BIT(1) | BIT(6) | BIT(11) | BIT(12) | BIT(14))
#define HVSIM_CPUID7_ECX_PKU	BIT(3)
/* Leaf 7.0 EDX: AVX-512 4VNNIW, 4FMAPS, VP2INTERSECT, FP16. */
#define HVSIM_CPUID7_EDX_AVX512	(BIT(2) | BIT(3) | BIT(8) | BIT(23))

/*
 * The size of an XSAVE area holding the components of @xcr0 (bits 2 and
 * up come from the host's sub-leaves): standard form, each component at
 * its fixed offset; compacted form, each after the previous one.
 */
static u32 hvsim_xsave_area_size(u64 xcr0, bool compacted)
{
	u32 size = HVSIM_XSAVE_HDR_END, r[4];
	unsigned int i;

	for (i = 2; i < 63; i++) {
		if (!(xcr0 & BIT_ULL(i)))
			continue;
		cpuid_count(0xd, i, &r[EAX], &r[EBX], &r[ECX], &r[EDX]);
		if (!compacted) {
			size = max(size, r[EBX] + r[EAX]);
			continue;
		}
		if (r[ECX] & HVSIM_XSAVE_ALIGN64)
			size = ALIGN(size, 64);
		size += r[EAX];
	}
	return size;
}

/* Hide what needs a state component outside @mask. */
static void hvsim_cpuid_xsave_features(u32 leaf, u32 sub, u64 mask, u32 r[4])
{
	if (leaf == 1 && !(mask & HVSIM_XC_YMM))
		r[ECX] &= ~HVSIM_CPUID1_ECX_YMM;
	if (leaf != 7 || sub != 0)
		return;
	if (!(mask & HVSIM_XC_YMM))
		r[EBX] &= ~HVSIM_CPUID7_EBX_YMM;
	if ((mask & HVSIM_XC_MPX) != HVSIM_XC_MPX)
		r[EBX] &= ~HVSIM_CPUID7_EBX_MPX;
	if ((mask & HVSIM_XC_AVX512) != HVSIM_XC_AVX512) {
		r[EBX] &= ~HVSIM_CPUID7_EBX_AVX512;
		r[ECX] &= ~HVSIM_CPUID7_ECX_AVX512;
		r[EDX] &= ~HVSIM_CPUID7_EDX_AVX512;
	}
	if (!(mask & HVSIM_XC_PKRU))
		r[ECX] &= ~HVSIM_CPUID7_ECX_PKU;
}

/**
 * hvsim_cpuid_xsave() - CPUID as the partition's XSAVE components allow
 * @vp: the VP, locked
 * @leaf: EAX
 * @sub: ECX
 * @r: the host's EAX..EDX for @leaf/@sub, adjusted in place
 *
 * Leaf 0xD, and the feature bits of leaves 1 and 7 whose state needs a
 * component the guest may not enable (see the top of the file).
 */
void hvsim_cpuid_xsave(struct hvsim_vp *vp, u32 leaf, u32 sub, u32 r[4])
{
	u64 mask;

	if (leaf != 1 && leaf != 7 && leaf != 0xd)
		return;
	mask = hvsim_engine_xcr0_mask(vp->pt);
	if (leaf != 0xd) {
		hvsim_cpuid_xsave_features(leaf, sub, mask, r);
		return;
	}
	switch (sub) {
	case 0:
		r[EAX] = lower_32_bits(mask);
		r[EDX] = upper_32_bits(mask);
		r[EBX] = hvsim_xsave_area_size(vp->cpu.xcr0 & mask, false);
		r[ECX] = hvsim_xsave_area_size(mask, false);
		break;
	case 1:
		r[EAX] &= HVSIM_XSAVE_D1_KEEP;
		r[EBX] = hvsim_xsave_area_size(vp->cpu.xcr0 & mask, true);
		r[ECX] = 0;
		r[EDX] = 0;
		break;
	default:
		if (sub >= 63 || !(mask & BIT_ULL(sub)))
			memset(r, 0, 4 * sizeof(*r));
		break;
	}
}
