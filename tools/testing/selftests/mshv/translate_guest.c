// SPDX-License-Identifier: GPL-2.0
/*
 * Guest code of translate_test: stops once in 64-bit mode with paging on
 * so the VMM can translate addresses through the VP's page tables; or
 * reads a device register through a GVA that the VMM mapped to an
 * unmapped GPA, and reports what it read.
 */
#include "guest_x86.h"
#include "guest64_intercept.h"

void guest_translate(void)
{
	GUEST_SYNC(1);
}

void guest_translate_mmio(void)
{
	__u32 val;

	/* one MOV the VMM's decoder knows: mov (%rdx), %eax */
	__asm__ __volatile__("movl (%%rdx), %%eax"
			     : "=a"(val) : "d"(XL_MMIO_VA + XL_MMIO_OFF)
			     : "memory");
	GUEST_SYNC(1, val);
}
