// SPDX-License-Identifier: GPL-2.0
/*
 * Guest code of ioeventfd_test: writes of each size to doorbell
 * addresses, with the MOV forms the VMM's MMIO decoder knows.
 */
#include "guest_x86.h"
#include "ioeventfd.h"

struct db_job db_job;

static void db_write(__u64 addr, __u64 size, __u64 value)
{
	switch (size) {
	case 1:		/* 88 02 */
		__asm__ __volatile__("movb %%al, (%%rdx)"
				     : : "a"(value), "d"(addr) : "memory");
		break;
	case 2:		/* 66 89 02 */
		__asm__ __volatile__("movw %%ax, (%%rdx)"
				     : : "a"(value), "d"(addr) : "memory");
		break;
	case 4:		/* 89 02 */
		__asm__ __volatile__("movl %%eax, (%%rdx)"
				     : : "a"(value), "d"(addr) : "memory");
		break;
	default:	/* 48 89 02 */
		__asm__ __volatile__("movq %%rax, (%%rdx)"
				     : : "a"(value), "d"(addr) : "memory");
		break;
	}
}

static __u64 guest_rdtsc(void)
{
	__u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return (__u64)hi << 32 | lo;
}

void guest_db_loop(void)
{
	volatile struct db_job *job = &db_job;
	__u64 i, count;

	while ((count = job->count)) {
		for (i = 1; i <= count; i++) {
			job->tsc = guest_rdtsc();
			db_write(job->addr, job->size, job->value);
			if (job->roundtrip)
				while (job->ack != i)
					;
		}
		GUEST_SYNC(count, job->size);
	}
}
