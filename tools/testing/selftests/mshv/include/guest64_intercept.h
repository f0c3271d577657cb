/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by translate_test.c, exception_intercept_test.c (VMM) and their
 * guest code (translate_guest.c, exception_intercept_guest.c).
 */
#ifndef SELFTEST_MSHV_GUEST64_INTERCEPT_H
#define SELFTEST_MSHV_GUEST64_INTERCEPT_H

#include <linux/types.h>

#include "x64_boot.h"

/* translate_test: pages of the scratch area whose PTEs the VMM edits */
#define XL_PAGE			X64_SCRATCH_GPA
#define XL_TARGET		(X64_SCRATCH_GPA + 0x5000)
#define XL_NOT_PRESENT		(X64_SCRATCH_GPA + 0x1000)
#define XL_READ_ONLY		(X64_SCRATCH_GPA + 0x2000)
#define XL_AD_PAGE		(X64_SCRATCH_GPA + 0x3000)
#define XL_NX_PAGE		(X64_SCRATCH_GPA + 0x4000)
/* a GVA the VMM points at an I/O APIC register (no memory there) */
#define XL_MMIO_VA		(X64_SCRATCH_GPA + 0x6000)
#define XL_MMIO_GPA		0xfec00000ULL
#define XL_MMIO_OFF		0x10
#define XL_MMIO_VALUE		0x00170011U

/* exception_intercept_test */
#define EI_RBX			0x5a5a1234c0debeefULL	/* RBX at the ud2 */
#define EI_HANDLED		0x600dULL		/* guest #UD handler ran */

void guest_translate(void);
void guest_translate_mmio(void);
void guest_ud2(void);

#endif /* SELFTEST_MSHV_GUEST64_INTERCEPT_H */
