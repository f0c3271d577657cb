/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by engines_test.c (VMM side) and engines_guest.c (guest side).
 */
#ifndef SELFTEST_MSHV_ENGINES_H
#define SELFTEST_MSHV_ENGINES_H

#include <linux/types.h>

/* Port the guests write progress to (a plain IO intercept, not a ucall). */
#define ENGINES_PORT		0x80
/* Port the guests read a value from (the VMM answers ENGINES_IN_VALUE). */
#define ENGINES_IN_PORT		0x84
#define ENGINES_IN_VALUE	0x5a5aa5a5U
/* Iterations of the long compute loop: out of the interpreter's reach. */
#define ENGINES_LONG_N		40000000ULL
/* The single-step trap and its RFLAGS bit (guest_db_fresh_stack()). */
#define ENGINES_VEC_DB		1
#define ENGINES_RFLAGS_TF	0x100
/*
 * A 2 MiB region of its own (identity mapped) for guest_sse_first_touch(),
 * guest_db_fresh_stack(), guest_touch_pages() and guest_2m_split().
 */
#define ENGINES_TOUCH_GPA	0x40000000ULL
#define ENGINES_TOUCH_SIZE	0x200000ULL
/* Quadwords in a 4 KiB page. */
#define ENGINES_PAGE_QWORDS	512
#define ENGINES_TOUCH_VALUE	0x0123456789abcdefULL
/* Elements of the SSE guest's vectors. */
#define ENGINES_SSE_N		64
/* What guest_xsave() puts in XMM0 before XSAVE. */
#define ENGINES_XMM0_VALUE	0x0badc0ffee0ddf00ULL
/* Where guest_xsave()'s XSAVE area keeps XMM0 (standard form). */
#define ENGINES_XSAVE_XMM0	160
/* ... and XSTATE_BV (the first quadword of the XSAVE header). */
#define ENGINES_XSAVE_BV	512

__u64 guest_mix(__u64 seed);
__u64 guest_paging(__u64 seed);
__u64 guest_sse(void);
__u64 guest_xmm0(void);
__u64 guest_long_loop(__u64 n);
__u64 guest_cpuid_leaf(__u64 leaf);
__u64 guest_db_fresh_stack(__u64 top);
__u64 guest_sse_first_touch(__u64 gva);
__u64 guest_xsave(__u64 xcr0);
__u64 guest_touch_pages(__u64 gva, __u64 n);
__u64 guest_2m_split(__u64 gva);

/* The long loop's result, computed the same way on either side. */
static inline __u64 engines_long_hash(__u64 n)
{
	__u64 h = 0xcbf29ce484222325ULL, i;

	for (i = 0; i < n; i++)
		h = (h ^ (i & 0xff)) * 0x100000001b3ULL;
	return h;
}

#endif /* SELFTEST_MSHV_ENGINES_H */
