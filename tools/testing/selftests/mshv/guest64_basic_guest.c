// SPDX-License-Identifier: GPL-2.0
/*
 * Guest code of guest64_basic_test: loops, recursive calls, 64-bit
 * registers and memory, stack use.  Runs in the partition in long mode.
 */
#include "guest_x86.h"
#include "guest64_basic.h"

/* In the guest's copy of .bss: memory round trips go through guest RAM. */
static volatile __u64 wide_mem[4];

__attribute__((noipa)) static __u64 fib(unsigned int n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/* Recurse @n deep with a 64-byte local array per frame. */
__attribute__((noipa)) static __u64 deep(unsigned int n, __u64 *min_rsp)
{
	volatile __u8 buf[64];
	__u64 rsp = guest_read_rsp();
	unsigned int i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = n + i;
	if (rsp < *min_rsp)
		*min_rsp = rsp;
	if (!n)
		return buf[63];
	return deep(n - 1, min_rsp) + buf[0];
}

/* Loops: returns their results; the VMM checks them against its own. */
__u64 guest_loops(void)
{
	__u64 sum = 0, hash;

	sum = basic_sum_of_squares(BASIC_LOOP_N);
	hash = basic_fnv1a(BASIC_LOOP_N);
	GUEST_SYNC(sum, hash);
	return sum ^ hash;
}

__u64 guest_recursion(void)
{
	__u64 f = fib(BASIC_FIB_N);

	GUEST_ASSERT_EQ(f, (__u64)BASIC_FIB_RESULT);
	GUEST_SYNC(f);
	return f;
}

/* @a and @b come in RDI and RSI from the VMM, both above 2^32. */
__u64 guest_wide(__u64 a, __u64 b)
{
	__u64 rot, r13;

	wide_mem[0] = a;
	wide_mem[1] = b;
	wide_mem[2] = wide_mem[0] * wide_mem[1];
	/* Through a high register, explicitly: upper halves must survive. */
	__asm__ __volatile__("mov %1, %%r13\n\t"
			     "rol $32, %%r13\n\t"
			     "mov %%r13, %0"
			     : "=r"(r13) : "r"(a) : "r13");
	rot = (a << 17) | (a >> 47);
	wide_mem[3] = rot;
	GUEST_SYNC(wide_mem[0], wide_mem[1], wide_mem[2], wide_mem[3]);
	GUEST_SYNC(r13, b >> 32, (__u64)(__s64)(__s32)b, ~a);
	return BASIC_WIDE_RETURN;
}

__u64 guest_stack(void)
{
	__u64 start = guest_read_rsp(), min = start;
	__u64 r = deep(BASIC_DEPTH, &min);

	GUEST_SYNC(start, min, r);
	return r;
}

/* The state vm64 entered long mode with, as the guest sees it. */
void guest_state(void)
{
	__u64 cr0, cr4;
	__u16 cs, ss;

	__asm__ __volatile__("mov %%cr0, %0" : "=r"(cr0));
	__asm__ __volatile__("mov %%cr4, %0" : "=r"(cr4));
	__asm__ __volatile__("mov %%cs, %0" : "=r"(cs));
	__asm__ __volatile__("mov %%ss, %0" : "=r"(ss));
	GUEST_SYNC(cr0, guest_read_cr3(), cr4, (__u64)cs << 16 | ss);
	GUEST_DONE();
}
