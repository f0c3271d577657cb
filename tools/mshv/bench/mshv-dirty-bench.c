// SPDX-License-Identifier: GPL-2.0
/*
 * mshv-dirty-bench: how long MSHV_GET_GPAP_ACCESS_BITMAP takes over 1 GiB
 * of guest memory (262144 pages, a 32 KiB bitmap), for each op on the
 * DIRTY bits, with access tracking enabled.
 *
 * The GPA range is backed by one 64 MiB buffer mapped 16 times (regions
 * may share user memory), so the test VM's RAM is enough.  The guest does
 * not run: this measures the ioctl, the hypercall batches and the
 * hypervisor's walk of its GPA map, not guest writes.
 *
 * Usage: mshv-dirty-bench [-n ROUNDS]   (needs /dev/mshv; prints numbers,
 * checks nothing but errors)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/mshv.h>
#include "hyperv_root.h"

#include "bench.h"

#define PAGE		4096ULL
#define CHUNK		(64ULL << 20)
#define TOTAL		(1ULL << 30)	/* 1 GiB */
#define NR_PAGES	(TOTAL / PAGE)

static void set_tracking(int pt, __u64 value)
{
	struct hv_input_set_partition_property in = {
		.property_code = HV_PARTITION_PROPERTY_GPA_PAGE_ACCESS_TRACKING,
		.property_value = value,
	};
	struct mshv_root_hvcall call = {
		.code = HVCALL_SET_PARTITION_PROPERTY,
		.in_sz = sizeof(in),
		.in_ptr = (unsigned long)&in,
	};

	if (ioctl(pt, MSHV_ROOT_HVCALL, &call))
		die("SET_PARTITION_PROPERTY(GPA_PAGE_ACCESS_TRACKING)");
}

/* One fetch of the whole range; returns seconds and the bits set. */
static double fetch(int pt, __u8 op, __u8 *bitmap, unsigned long *set)
{
	struct mshv_gpap_access_bitmap args = {
		.access_type = MSHV_GPAP_ACCESS_TYPE_DIRTY,
		.access_op = op,
		.page_count = NR_PAGES,
		.gpap_base = 0,
		.bitmap_ptr = (unsigned long)bitmap,
	};
	double t0 = now(), dt;
	unsigned long i;

	if (ioctl(pt, MSHV_GET_GPAP_ACCESS_BITMAP, &args))
		die("MSHV_GET_GPAP_ACCESS_BITMAP");
	dt = now() - t0;
	*set = 0;
	for (i = 0; i < NR_PAGES / 8; i++)
		*set += __builtin_popcount(bitmap[i]);
	return dt;
}

int main(int argc, char **argv)
{
	static const char *const names[] = { "noop", "clear", "set" };
	static const __u8 order[] = {
		MSHV_GPAP_ACCESS_OP_NOOP, MSHV_GPAP_ACCESS_OP_CLEAR,
		MSHV_GPAP_ACCESS_OP_NOOP, MSHV_GPAP_ACCESS_OP_SET,
	};
	struct mshv_create_partition cp = { 0 };
	double best[4], sum[4], dt;
	unsigned long rounds = 10, set, r, i;
	int dev, pt, opt;
	__u8 *bitmap;
	void *mem;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt != 'n')
			goto usage;
		rounds = strtoul(optarg, NULL, 0);
	}
	if (!rounds || optind != argc)
		goto usage;

	dev = open("/dev/mshv", O_RDWR | O_CLOEXEC);
	if (dev < 0)
		die("/dev/mshv");
	pt = ioctl(dev, MSHV_CREATE_PARTITION, &cp);
	if (pt < 0)
		die("MSHV_CREATE_PARTITION");
	if (ioctl(pt, MSHV_INITIALIZE_PARTITION))
		die("MSHV_INITIALIZE_PARTITION");
	mem = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap");
	for (i = 0; i < TOTAL / CHUNK; i++) {
		struct mshv_user_mem_region region = {
			.size = CHUNK,
			.guest_pfn = i * CHUNK / PAGE,
			.userspace_addr = (unsigned long)mem,
			.flags = 1 << MSHV_SET_MEM_BIT_WRITABLE,
		};

		if (ioctl(pt, MSHV_SET_GUEST_MEMORY, &region))
			die("MSHV_SET_GUEST_MEMORY");
	}
	bitmap = calloc(1, NR_PAGES / 8);
	if (!bitmap)
		die("calloc");
	set_tracking(pt, 1);

	for (i = 0; i < 4; i++) {
		best[i] = 1e9;
		sum[i] = 0;
	}
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < 4; i++) {
			dt = fetch(pt, order[i], bitmap, &set);
			/*
			 * Each fetch reports before its op: the two after
			 * the CLEAR see nothing dirty, the others all.
			 */
			if (set != (i >= 2 ? 0 : NR_PAGES)) {
				fprintf(stderr, "%s: %lu pages dirty\n",
					names[order[i]], set);
				return 1;
			}
			sum[i] += dt;
			if (dt < best[i])
				best[i] = dt;
		}
	}
	for (i = 0; i < 4; i++) {
		printf("dirty bitmap 1 GiB (%llu pages) op=%s%s: ", NR_PAGES,
		       names[order[i]],
		       i < 2 ? " (all dirty)" : " (all clean)");
		printf("best %.2f ms, mean %.2f ms, %.1f Mpages/s\n",
		       best[i] * 1e3, sum[i] / rounds * 1e3,
		       NR_PAGES / best[i] / 1e6);
	}

	set_tracking(pt, 0);	/* allowed: the last op was SET */
	close(pt);
	close(dev);
	munmap(mem, CHUNK);
	free(bitmap);
	return 0;

usage:
	fprintf(stderr, "usage: %s [-n ROUNDS]\n", argv[0]);
	return 2;
}
