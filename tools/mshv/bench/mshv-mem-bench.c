// SPDX-License-Identifier: GPL-2.0
/*
 * mshv-mem-bench: what guest memory costs.
 *
 *  - map + unmap of one region (1 GiB by default) backed by 4 KiB pages,
 *    by THPs and by hugetlbfs 2 MiB pages, against a pin-only floor
 *    measured in the same boot on the same buffer: registering it as an
 *    io_uring fixed buffer (a FOLL_LONGTERM pin of every page) and
 *    unregistering it; with hvsim, the MAP_GPA_PAGES calls per GiB.
 *    These are pinned regions (the partition's movable_regions switch in
 *    mshv_root's debugfs is set to N); one more row maps and unmaps a
 *    movable region (no-access, nothing pinned: the floor does not apply);
 *  - region lookup: an unmap that names a region by a wrong size is
 *    refused right after the lookup, so its cost is the ioctl plus one
 *    lookup, at 10, 1k and 10k regions;
 *  - partitions created + initialized + destroyed per second, and VPs
 *    created per second (they are destroyed with their partition).
 *
 * Times are the best of a few rounds after a warm-up round; nothing is
 * asserted.  Usage: mshv-mem-bench [-s SIZE_MIB] [-r ROUNDS]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <linux/io_uring.h>
#include <linux/mshv.h>
#include "hyperv_root.h"

#include "bench.h"

#define SZ_2M		(2UL << 20)
#define PAGE		4096UL
#define GPA		(1UL << 32)	/* 2 MiB aligned, clear of the lookups */
#define LOOKUPS		20000

#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB	(21 << MAP_HUGE_SHIFT)
#endif

static unsigned long size_mib = 1024;
static unsigned int rounds = 3;

static long read_num(const char *path)
{
	char buf[64];
	long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f))
		v = strtol(buf, NULL, 0);
	fclose(f);
	return v;
}

static void write_num(const char *path, long v)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fprintf(f, "%ld\n", v);
		fclose(f);
	}
}

/*
 * Make the new regions of partition @pt movable (1) or pinned (0); the old
 * setting, or -1 if mshv_root has no such switch (no debugfs).  A debugfs
 * bool reads Y or N and takes 1 or 0 (not write_num()'s numbers with a
 * base).
 */
static int set_movable(int pt, int on)
{
	char old[4] = "", path[128];
	FILE *f;

	snprintf(path, sizeof(path),
		 "/sys/kernel/debug/mshv/partition/%d-%d/movable_regions",
		 getpid(), pt);
	f = fopen(path, "r+");
	if (!f)
		return -1;
	if (!fgets(old, sizeof(old), f) || (old[0] != 'Y' && old[0] != 'N')) {
		fclose(f);
		return -1;
	}
	rewind(f);
	fputs(on ? "1\n" : "0\n", f);
	fclose(f);
	return old[0] == 'Y';
}

/* hvsim's count of calls with @code; -1 without hvsim's debugfs. */
static long hypercalls(unsigned int code)
{
	char line[128];
	unsigned int c;
	long n, ret;
	FILE *f = fopen("/sys/kernel/debug/hvsim/hypercalls", "r");

	if (!f)
		return -1;
	ret = 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%x %*s %ld", &c, &n) == 2 && c == code)
			ret = n;
	fclose(f);
	return ret;
}

static int new_partition(int dev)
{
	struct mshv_create_partition cp = {
		.pt_flags = 1ULL << MSHV_PT_BIT_LAPIC,
		.pt_isolation = MSHV_PT_ISOLATION_NONE,
	};
	int pt = ioctl(dev, MSHV_CREATE_PARTITION, &cp);

	if (pt < 0)
		die("MSHV_CREATE_PARTITION");
	if (ioctl(pt, MSHV_INITIALIZE_PARTITION))
		die("MSHV_INITIALIZE_PARTITION");
	return pt;
}

static int set_mem(int pt, unsigned long gpa, unsigned long size, void *hva,
		   unsigned int flags)
{
	struct mshv_user_mem_region r = {
		.size = size,
		.guest_pfn = gpa / PAGE,
		.userspace_addr = (unsigned long)hva,
		.flags = flags,
	};

	return ioctl(pt, MSHV_SET_GUEST_MEMORY, &r);
}

/* Pin-only floor: register @buf as an io_uring fixed buffer and drop it. */
static double pin_floor(void *buf, unsigned long size)
{
	struct io_uring_params p = { 0 };
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	double best = 1e9, t0, dt;
	unsigned int i;
	int ring;

	ring = syscall(__NR_io_uring_setup, 4, &p);
	if (ring < 0)
		return -1;
	for (i = 0; i <= rounds; i++) {
		t0 = now();
		if (syscall(__NR_io_uring_register, ring,
			    IORING_REGISTER_BUFFERS, &iov, 1) ||
		    syscall(__NR_io_uring_register, ring,
			    IORING_UNREGISTER_BUFFERS, NULL, 0)) {
			close(ring);
			return -1;
		}
		dt = now() - t0;
		if (i && dt < best)	/* round 0 warms up */
			best = dt;
	}
	close(ring);
	return best;
}

struct map_result {
	double map, unmap, floor;
	long calls;
};

/* What map_bench() maps: pinned (0) or movable (1) regions. */
static int bench_movable;

static struct map_result map_bench(int dev, void *buf, unsigned long size)
{
	struct map_result r = { 1e9, 1e9, -1, -1 };
	int pt = new_partition(dev);
	double t0, t1, t2;
	long c0, c1;
	unsigned int i;

	if (set_movable(pt, bench_movable) < 0 && bench_movable)
		die("movable_regions");

	r.floor = pin_floor(buf, size);
	for (i = 0; i <= rounds; i++) {
		c0 = hypercalls(HVCALL_MAP_GPA_PAGES);
		t0 = now();
		if (set_mem(pt, GPA, size, buf, 3))
			die("map");
		t1 = now();
		c1 = hypercalls(HVCALL_MAP_GPA_PAGES);
		if (set_mem(pt, GPA, size, buf, 1 << MSHV_SET_MEM_BIT_UNMAP))
			die("unmap");
		t2 = now();
		if (!i)		/* warm-up: deposits into the partition */
			continue;
		if (t1 - t0 < r.map)
			r.map = t1 - t0;
		if (t2 - t1 < r.unmap)
			r.unmap = t2 - t1;
		if (c0 >= 0)
			r.calls = c1 - c0;
	}
	close(pt);
	return r;
}

static void print_map(const char *what, struct map_result r,
		      unsigned long size)
{
	double gib = (double)size / (1UL << 30);

	printf("%-22s %9.1f %9.1f %9.1f ", what, r.map * 1e3, r.unmap * 1e3,
	       (r.map + r.unmap) * 1e3);
	if (r.floor > 0)
		printf("%9.1f %7.2fx ", r.floor * 1e3,
		       (r.map + r.unmap) / r.floor);
	else
		printf("%9s %8s ", "n/a", "n/a");
	if (r.calls >= 0)
		printf("%10.0f\n", r.calls / gib);
	else
		printf("%10s\n", "n/a");
}

static void *anon(unsigned long size, int advice)
{
	char *p = mmap(NULL, size + SZ_2M, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	p = (char *)(((unsigned long)p + SZ_2M - 1) & ~(SZ_2M - 1));
	madvise(p, size, advice);
	memset(p, 1, size);
	return p;
}

static void map_benches(int dev)
{
	const char *nr_huge = "/proc/sys/vm/nr_hugepages";
	unsigned long size = size_mib << 20;
	int probe = new_partition(dev);
	int movable = set_movable(probe, 0);	/* is the switch there? */
	long old;
	void *p;

	close(probe);

	printf("map + unmap of %lu MiB (ms, best of %u)\n", size_mib, rounds);
	printf("%-22s %9s %9s %9s %9s %8s %10s\n", "backing", "map", "unmap",
	       "total", "pin-only", "ratio", "MAPs/GiB");

	p = anon(size, MADV_NOHUGEPAGE);
	print_map("4 KiB pages", map_bench(dev, p, size), size);
	if (movable >= 0) {
		bench_movable = 1;
		print_map("movable (no-access)", map_bench(dev, p, size),
			  size);
		bench_movable = 0;
	}
	munmap(p, size);

	p = anon(size, MADV_HUGEPAGE);
	print_map("THP (madvise)", map_bench(dev, p, size), size);
	munmap(p, size);

	old = read_num(nr_huge);
	write_num(nr_huge, size / SZ_2M);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_2MB,
		 -1, 0);
	if (p != MAP_FAILED) {
		memset(p, 1, size);
		print_map("hugetlbfs 2 MiB", map_bench(dev, p, size), size);
		munmap(p, size);
	} else {
		printf("%-22s (no %lu huge pages: %s)\n", "hugetlbfs 2 MiB",
		       size / SZ_2M, strerror(errno));
	}
	if (old >= 0)
		write_num(nr_huge, old);
	printf("ratio = (map + unmap) / pin-only (io_uring buffer register + unregister)\n\n");
}

/* A partition with @n one-page regions, every other frame. */
static int lookup_partition(int dev, unsigned int n, char *buf)
{
	int pt = new_partition(dev);
	unsigned int i;

	for (i = 0; i < n; i++)
		if (set_mem(pt, 2UL * i * PAGE, PAGE, buf + i * PAGE, 1))
			die("map for lookup");
	return pt;
}

/* ns per lookup-only ioctl on @pt, which has @n regions. */
static double lookup_round(int pt, unsigned int n, char *buf)
{
	struct mshv_user_mem_region bad = {
		.size = 2 * PAGE,	/* the region has one page */
		.flags = 1 << MSHV_SET_MEM_BIT_UNMAP,
	};
	unsigned int i, k;
	double t0 = now();

	for (i = 0; i < LOOKUPS; i++) {
		k = (i * 7919U) % n;
		bad.guest_pfn = 2UL * k;
		bad.userspace_addr = (unsigned long)buf + k * PAGE;
		if (!ioctl(pt, MSHV_SET_GUEST_MEMORY, &bad) || errno != EINVAL)
			die("lookup: expected EINVAL");
	}
	return (now() - t0) / LOOKUPS * 1e9;
}

/*
 * The three sizes take turns round by round, so that a slow stretch of
 * the (shared, emulated) machine does not land on one of them only.
 */
static void lookup_benches(int dev)
{
	static const unsigned int n[] = { 10, 1000, 10000 };
	char *buf = anon(n[2] * PAGE, MADV_NOHUGEPAGE);
	double ns[3] = { 1e18, 1e18, 1e18 }, t;
	unsigned int i, r;
	int pt[3];

	for (i = 0; i < 3; i++)
		pt[i] = lookup_partition(dev, n[i], buf);
	for (r = 0; r <= rounds + 2; r++)
		for (i = 0; i < 3; i++) {
			t = lookup_round(pt[i], n[i], buf);
			if (r && t < ns[i])	/* round 0 warms up */
				ns[i] = t;
		}
	printf("region lookup (ns per MSHV_SET_GUEST_MEMORY that stops at the lookup, best of %u)\n",
	       rounds + 2);
	for (i = 0; i < 3; i++) {
		printf("%6u regions %10.0f ns %7.2fx\n", n[i], ns[i],
		       ns[i] / ns[0]);
		close(pt[i]);
	}
	printf("\n");
	munmap(buf, n[2] * PAGE);
}

static void lifecycle_benches(int dev)
{
	unsigned int i, nr_pt = 200, nr_vp = 64;
	struct mshv_create_vp vp;
	double t0, dt;
	int pt, fd;

	t0 = now();
	for (i = 0; i < nr_pt; i++)
		close(new_partition(dev));
	dt = now() - t0;
	printf("partitions created + initialized + destroyed: %8.0f /s\n",
	       nr_pt / dt);

	pt = new_partition(dev);
	t0 = now();
	for (i = 0; i < nr_vp; i++) {
		vp.vp_index = i;
		fd = ioctl(pt, MSHV_CREATE_VP, &vp);
		if (fd < 0)
			die("MSHV_CREATE_VP");
		close(fd);	/* the VP lives on with its partition */
	}
	dt = now() - t0;
	t0 = now();
	close(pt);
	printf("VPs created: %8.0f /s; partition of %u VPs destroyed in %.2f ms\n",
	       nr_vp / dt, nr_vp, (now() - t0) * 1e3);
}

int main(int argc, char **argv)
{
	int dev, opt;

	while ((opt = getopt(argc, argv, "s:r:")) != -1) {
		if (opt == 's')
			size_mib = strtoul(optarg, NULL, 0);
		else if (opt == 'r')
			rounds = strtoul(optarg, NULL, 0);
		else
			return fprintf(stderr, "usage: %s [-s SIZE_MIB] [-r ROUNDS]\n",
				       argv[0]), 2;
	}
	if (!size_mib || size_mib % 2 || !rounds)
		return fprintf(stderr, "size: even MiB; rounds: >= 1\n"), 2;
	dev = open("/dev/mshv", O_RDWR | O_CLOEXEC);
	if (dev < 0)
		die("/dev/mshv");
	map_benches(dev);
	lookup_benches(dev);
	lifecycle_benches(dev);
	return 0;
}
