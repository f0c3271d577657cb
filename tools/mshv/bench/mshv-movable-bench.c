// SPDX-License-Identifier: GPL-2.0
/*
 * mshv-movable-bench: what movable guest memory costs.
 *
 * A 1 GiB (-s) movable region is created (mapped no-access), then the
 * selftests' movable guest reads one word per 2 MiB of it, so that every
 * read is a GPA intercept that MSHV_RUN_VP handles by faulting in one
 * window.  Printed per backing: the fault-in time of the whole region,
 * faults and MAP_GPA_PAGES calls per GiB (hvsim's count), the time of
 * MADV_DONTNEED over the region (every window revoked through the
 * notifier, and the pages freed), and the region's unmap.  Backings: 4 KiB
 * pages and THPs, either populated by the VMM first (the fault only maps)
 * or not (the fault also allocates and zeroes).  Built with the selftests
 * for the vm64 library; needs /dev/mshv and hvsim.
 *
 * Usage: mshv-movable-bench [-s SIZE_MIB]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "vm64.h"
#include "movable.h"
#include "bench.h"

#define SZ_2M		0x200000ULL
#define GPA		0x40000000ULL

static unsigned long size_mib = 1024;

static __u64 guest_sum(struct vm64 *vm, __u64 gpa, __u64 count, __u64 stride)
{
	struct mov_cmd *c = vm64_gpa_ptr(vm, MOV_CMD_GPA, sizeof(*c));

	c->op = MOV_SUM;
	c->gpa = gpa;
	c->val = stride;
	c->count = count;
	vm64_expect_sync(vm, 2);
	return vm->uc.args[1];
}

static void row(const char *what, int advice, int populate)
{
	__u64 size = (__u64)size_mib << 20, windows = size / SZ_2M;
	double gib = (double)size / (1ULL << 30), t0, t1, t2, t3, t4;
	long f0, f1, m0, m1;
	struct vm64 vm;
	char *p;

	vm64_create(&vm, guest_movable);
	p = mmap(NULL, size + SZ_2M, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(p != MAP_FAILED, "mmap");
	p = (char *)(((unsigned long)p + SZ_2M - 1) & ~(SZ_2M - 1));
	madvise(p, size, advice);
	if (populate)
		memset(p, 0, size);
	/* The guest's own pages first. */
	guest_sum(&vm, MOV_CMD_GPA, 1, MOV_PAGE);

	t0 = now();
	TEST_ASSERT(!__mshv_set_guest_memory(vm.vm.fd, GPA, size, p,
					     BIT(MSHV_SET_MEM_BIT_WRITABLE)),
		    "map");
	t1 = now();
	f0 = mshv_pt_counter("movable/faults");
	m0 = hvsim_hypercall_count(HVCALL_MAP_GPA_PAGES);
	guest_sum(&vm, GPA, windows, SZ_2M);
	t2 = now();
	f1 = mshv_pt_counter("movable/faults");
	m1 = hvsim_hypercall_count(HVCALL_MAP_GPA_PAGES);
	TEST_ASSERT(!madvise(p, size, MADV_DONTNEED), "MADV_DONTNEED");
	t3 = now();
	TEST_ASSERT(!__mshv_set_guest_memory(vm.vm.fd, GPA, size, p,
					     BIT(MSHV_SET_MEM_BIT_UNMAP)),
		    "unmap");
	t4 = now();

	printf("%-24s %8.1f %9.1f %9.0f %9.0f %10.1f %8.1f\n", what,
	       (t1 - t0) * 1e3, (t2 - t1) * 1e3, (f1 - f0) / gib,
	       m0 >= 0 ? (m1 - m0) / gib : -1.0, (t3 - t2) * 1e3,
	       (t4 - t3) * 1e3);
	munmap(p, size);
	vm64_destroy(&vm);
}

int main(int argc, char **argv)
{
	int opt;

	while ((opt = getopt(argc, argv, "s:")) != -1) {
		if (opt != 's')
			return fprintf(stderr, "usage: %s [-s SIZE_MIB]\n",
				       argv[0]), 2;
		size_mib = strtoul(optarg, NULL, 0);
	}
	if (!size_mib || size_mib % 2)
		return fprintf(stderr, "size: even MiB\n"), 2;
	if (mshv_pt_counter("movable/faults") < 0)
		return fprintf(stderr, "no %s\n", MSHV_DEBUGFS_PT_DIR), 1;

	printf("movable region of %lu MiB: guest reads one word per 2 MiB (ms)\n",
	       size_mib);
	printf("%-24s %8s %9s %9s %9s %10s %8s\n", "backing", "map",
	       "fault-in", "flt/GiB", "MAPs/GiB", "DONTNEED", "unmap");
	row("4 KiB, populated", MADV_NOHUGEPAGE, 1);
	row("THP, populated", MADV_HUGEPAGE, 1);
	row("4 KiB, empty", MADV_NOHUGEPAGE, 0);
	row("THP, empty", MADV_HUGEPAGE, 0);
	printf("map: no-access map of the region; fault-in: every window, from the guest;\n"
	       "DONTNEED: revokes every window (and frees the pages)\n\n");
	return 0;
}
