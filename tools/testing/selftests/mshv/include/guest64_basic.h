/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by guest64_basic_test.c (VMM) and guest64_basic_guest.c (guest):
 * the guest entry points, their parameters and the reference
 * computations, which the VMM also runs natively.
 */
#ifndef SELFTEST_MSHV_GUEST64_BASIC_H
#define SELFTEST_MSHV_GUEST64_BASIC_H

#include <linux/types.h>

#define BASIC_LOOP_N		1000
#define BASIC_FIB_N		20
#define BASIC_FIB_RESULT	6765
#define BASIC_DEPTH		200
#define BASIC_WIDE_A		0x123456789abcdef1ULL
#define BASIC_WIDE_B		0xfedcba9876543210ULL
#define BASIC_WIDE_RETURN	0x8877665544332211ULL

__u64 guest_loops(void);
__u64 guest_recursion(void);
__u64 guest_wide(__u64 a, __u64 b);
__u64 guest_stack(void);
void guest_state(void);

static inline __u64 basic_sum_of_squares(unsigned int n)
{
	__u64 sum = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		sum += (__u64)i * i;
	return sum;
}

/* FNV-1a, 64-bit, over the bytes i & 0xff for i < n. */
static inline __u64 basic_fnv1a(unsigned int n)
{
	__u64 hash = 0xcbf29ce484222325ULL;
	unsigned int i;

	for (i = 0; i < n; i++) {
		hash ^= i & 0xff;
		hash *= 0x100000001b3ULL;
	}
	return hash;
}

#endif /* SELFTEST_MSHV_GUEST64_BASIC_H */
