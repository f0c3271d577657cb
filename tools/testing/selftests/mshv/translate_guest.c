// SPDX-License-Identifier: GPL-2.0
/*
 * Guest code of translate_test: stops once in 64-bit mode with paging on
 * so the VMM can translate addresses through the VP's page tables.
 */
#include "guest_x86.h"
#include "guest64_intercept.h"

void guest_translate(void)
{
	GUEST_SYNC(1);
}
