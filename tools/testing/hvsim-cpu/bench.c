// SPDX-License-Identifier: GPL-2.0
/*
 * Interpreter speed on the host: a "dec ecx; jnz" loop in real mode, in
 * 64-bit mode with paging off and in 64-bit mode with 4-level paging
 * (every access walks the page tables: there is no TLB).  Prints guest
 * instructions per second for each.  Build without sanitizers:
 *   make bench
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <linux/errno.h>

#include "cpu_internal.h"

#define MEM	0x10000
#define LOOPS	5000000UL

static u8 ram[MEM];

static int b_read(void *ctx, u64 gpa, void *buf, unsigned int len)
{
	if (gpa + len > MEM)
		return -EFAULT;
	memcpy(buf, ram + gpa, len);
	return 0;
}

static int b_write(void *ctx, u64 gpa, const void *buf, unsigned int len)
{
	if (gpa + len > MEM)
		return -EFAULT;
	memcpy(ram + gpa, buf, len);
	return 0;
}

static const struct hvsim_mem_ops b_ops = { .read = b_read, .write = b_write };

static void put(u32 a, u64 v)
{
	memcpy(ram + a, &v, 8);
}

static double run(const char *name, int mode)
{
	/* (66) FF C9: dec ecx; 75 xx: jnz back; F4: hlt */
	static const u8 loop16[] = { 0x66, 0xff, 0xc9, 0x75, 0xfb, 0xf4 };
	static const u8 loop64[] = { 0xff, 0xc9, 0x75, 0xfc, 0xf4 };
	struct hvsim_cpu_state st;
	struct hvsim_exit ex;
	struct timespec t0, t1;
	unsigned long n;
	double s;
	int i;

	memset(ram, 0, sizeof(ram));
	if (mode)
		memcpy(ram + 0x100, loop64, sizeof(loop64));
	else
		memcpy(ram + 0x100, loop16, sizeof(loop16));
	hvsim_cpu_reset(&st);
	st.seg[HVSIM_CS].base = 0;
	st.seg[HVSIM_CS].selector = 0;
	st.rip = 0x100;
	st.gpr[HVSIM_RCX] = LOOPS;
	if (mode) {
		st.cr0 = 0x11;
		st.efer = HVSIM_EFER_LME | HVSIM_EFER_LMA;
		for (i = HVSIM_ES; i <= HVSIM_GS; i++) {
			st.seg[i].limit = 0xffffffff;
			st.seg[i].attributes = i == HVSIM_CS ? 0xa09b : 0xc093;
		}
	}
	if (mode == 2) {
		put(0x1000, 0x2003);
		put(0x2000, 0x3003);
		put(0x3000, 0x83);	/* 2 MiB page at 0 */
		st.cr3 = 0x1000;
		st.cr4 = HVSIM_CR4_PAE;
		st.cr0 |= HVSIM_CR0_PG;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	n = hvsim_cpu_run(&st, &b_ops, NULL, ~0UL, &ex);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%-24s %10lu insns in %.3f s: %.1f M insns/s (exit %d)\n",
	       name, n, s, n / s / 1e6, ex.reason);
	return n / s;
}

int main(void)
{
	run("real mode", 0);
	run("64-bit, paging off", 1);
	run("64-bit, 4-level paging", 2);
	return 0;
}
