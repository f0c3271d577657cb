// SPDX-License-Identifier: GPL-2.0
/*
 * Guest code of guest64_pagefault_test: page faults taken through the
 * guest's own IDT and handled by its #PF handler.
 */
#include "guest_x86.h"
#include "guest64_pagefault.h"

static volatile unsigned int pf_count;

/* Report the fault, then make the page present and retry the access. */
static void pf_fix_pte(struct guest_frame *frame)
{
	__u64 cr2 = guest_read_cr2();

	pf_count++;
	GUEST_SYNC(cr2, frame->error_code, frame->rip);
	*guest_pte(cr2) |= X64_PTE_P;
	guest_invlpg(cr2);
}

/* Report the fault, then skip the faulting (2-byte) MOV. */
static void pf_skip(struct guest_frame *frame)
{
	pf_count++;
	GUEST_SYNC(guest_read_cr2(), frame->error_code, frame->rip);
	frame->rip += 2;
}

/*
 * @page: not present (the VMM cleared its PTE); holds PF_MAGIC.
 * @page2: not present either; the guest writes to it.
 */
void guest_pf_not_present(__u64 page, __u64 page2)
{
	volatile __u64 *p = (volatile __u64 *)page;
	volatile __u64 *q = (volatile __u64 *)(page2 + PF_WRITE_OFFSET);
	__u64 v;

	guest_install_handler(GUEST_VEC_PF, pf_fix_pte);
	v = *p;
	GUEST_ASSERT_EQ(pf_count, 1);
	GUEST_ASSERT_EQ(v, PF_MAGIC);
	*q = PF_WRITTEN;
	GUEST_ASSERT_EQ(pf_count, 2);
	GUEST_ASSERT_EQ(*q, PF_WRITTEN);
	GUEST_SYNC(v, *q);
}

/* @page: present but read-only, and CR0.WP is set. */
void guest_pf_write_protect(__u64 page)
{
	__u32 value = 0x5a5a5a5a, seen;

	guest_install_handler(GUEST_VEC_PF, pf_skip);
	seen = *(volatile __u32 *)page;
	GUEST_ASSERT_EQ(pf_count, 0);
	/* movl %eax, (%rdx): 89 02, the two bytes pf_skip steps over. */
	__asm__ __volatile__("movl %%eax, (%%rdx)"
			     : : "a"(value), "d"(page) : "memory");
	GUEST_ASSERT_EQ(pf_count, 1);
	GUEST_ASSERT_EQ(*(volatile __u32 *)page, seen);
	GUEST_SYNC(seen);
}
