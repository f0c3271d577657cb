// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory regions at scale: 2 MiB strides for THP and hugetlb backed
 * memory (checked through hvsim's per-code hypercall counts), regions
 * mixing large and small pages, MMIO regions over a PCI BAR, ten thousand
 * regions, unmapping while a VP runs, and failures that leave nothing
 * pinned (mshv_root's pinned_pages parameter) or mapped.  All of it on
 * pinned regions (the partition's movable_regions=0; movable_test.c
 * covers the movable ones).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mshv_util.h"

#define SZ_2M		0x200000ULL
#define PAGES_2M	(SZ_2M / GUEST_PAGE_SIZE)
#define MAP_BATCH	509	/* PFNs in one MAP_GPA_PAGES input page */
#define BIG_GPA		0x40000000ULL	/* 1 GiB: 2 MiB aligned */
#define RW		BIT(MSHV_SET_MEM_BIT_WRITABLE)
#define RWX		(RW | BIT(MSHV_SET_MEM_BIT_EXECUTABLE))
#define UNMAP		BIT(MSHV_SET_MEM_BIT_UNMAP)
#define FAULT_DIR	HVSIM_DEBUGFS_DIR "/fault"

#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB	(21 << MAP_HUGE_SHIFT)
#endif

FIXTURE(regions) {
	struct mshv_vm vm;
	long pinned;
};

FIXTURE_SETUP(regions)
{
	self->vm.fd = -1;
	self->vm.dev_fd = -1;
	MSHV_REQUIRE_DEV();
	MSHV_REQUIRE_HVSIM_DEBUGFS();
	self->pinned = mshv_pinned_pages();
	if (self->pinned < 0)
		SKIP(return, "mshv_root has no debugfs pinned_pages");
	mshv_vm_create(&self->vm, true);
	/* Every region of these tests is pinned. */
	if (mshv_set_movable(self->vm.fd, false) < 0)
		SKIP(return, "no partition directory in debugfs");
}

FIXTURE_TEARDOWN(regions)
{
	mshv_vm_destroy(&self->vm);
	/* Destroying the partition unpins everything it had. */
	if (self->pinned >= 0)
		EXPECT_EQ(self->pinned, mshv_pinned_pages());
}

static bool thp_available(void)
{
	char buf[128] = "";
	int fd = open("/sys/kernel/mm/transparent_hugepage/enabled", O_RDONLY);

	if (fd < 0)
		return false;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = '\0';
	close(fd);
	return strstr(buf, "[always]") || strstr(buf, "[madvise]");
}

/* kB of AnonHugePages in the mapping that holds @addr (smaps). */
static long thp_kb(void *addr)
{
	unsigned long a = (unsigned long)addr, start, end;
	bool in = false;
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/smaps", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in = a >= start && a < end;
			continue;
		}
		if (in && sscanf(line, "AnonHugePages: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

/* Back [@p, @p + @size) with THPs (madvise, then touch every page). */
static bool make_thp(void *p, __u64 size)
{
	if (madvise(p, size, MADV_HUGEPAGE))
		return false;
	memset(p, 0x5a, size);
	return thp_kb(p) >= (long)(size / 1024);
}

static void no_thp(void *p, __u64 size)
{
	TEST_ASSERT(!madvise(p, size, MADV_NOHUGEPAGE), "MADV_NOHUGEPAGE");
	memset(p, 0xa5, size);
}

/* MAP_GPA_PAGES calls one map takes, and UNMAP calls its unmap takes. */
struct counts {
	long map, unmap;
};

static struct counts map_unmap(struct __test_metadata *_metadata, int fd,
			       __u64 gpa, __u64 size, void *hva)
{
	long mapped = hvsim_counter("mapped_pages");
	long pinned = mshv_pinned_pages();
	long m0 = hvsim_hypercall_count(HVCALL_MAP_GPA_PAGES);
	long u0 = hvsim_hypercall_count(HVCALL_UNMAP_GPA_PAGES);
	struct counts c;

	EXPECT_EQ(0, __mshv_set_guest_memory(fd, gpa, size, hva, RWX));
	c.map = hvsim_hypercall_count(HVCALL_MAP_GPA_PAGES) - m0;
	EXPECT_EQ(mapped + (long)(size / GUEST_PAGE_SIZE),
		  hvsim_counter("mapped_pages"));
	EXPECT_EQ(pinned + (long)(size / GUEST_PAGE_SIZE), mshv_pinned_pages());
	EXPECT_EQ(0, __mshv_set_guest_memory(fd, gpa, size, hva, UNMAP));
	c.unmap = hvsim_hypercall_count(HVCALL_UNMAP_GPA_PAGES) - u0;
	EXPECT_EQ(mapped, hvsim_counter("mapped_pages"));
	EXPECT_EQ(pinned, mshv_pinned_pages());
	return c;
}

/*
 * Map and unmap a page once so that the partition has deposit memory:
 * later maps then need no INSUFFICIENT_MEMORY round trip, which would
 * add a call to the counts.
 */
static void warm_up(struct __test_metadata *_metadata, int fd)
{
	void *p = mshv_alloc_guest_mem(GUEST_PAGE_SIZE);

	ASSERT_EQ(0, __mshv_set_guest_memory(fd, 0, GUEST_PAGE_SIZE, p, RW));
	ASSERT_EQ(0, __mshv_set_guest_memory(fd, 0, GUEST_PAGE_SIZE, p, UNMAP));
	munmap(p, GUEST_PAGE_SIZE);
}

/* Four THPs: one call with four 2 MiB reps each way. */
TEST_F(regions, thp_large_pages)
{
	__u64 size = 4 * SZ_2M;
	void *p = mshv_alloc_2m_aligned(size);
	struct counts c;

	if (!thp_available() || !make_thp(p, size))
		SKIP(return, "no transparent huge pages");
	warm_up(_metadata, self->vm.fd);
	c = map_unmap(_metadata, self->vm.fd, BIG_GPA, size, p);
	EXPECT_EQ(1, c.map);
	EXPECT_EQ(1, c.unmap);

	/* One page off in GPA space: no chunk lines up, 4 KiB throughout. */
	c = map_unmap(_metadata, self->vm.fd, BIG_GPA + GUEST_PAGE_SIZE,
		      size, p);
	EXPECT_EQ((long)((size / GUEST_PAGE_SIZE + MAP_BATCH - 1) / MAP_BATCH),
		  c.map);
}

/* 4 KiB pages, a THP, 4 KiB pages: runs of each kind, in order. */
TEST_F(regions, mixed_region)
{
	__u64 size = 3 * SZ_2M;
	char *p = mshv_alloc_2m_aligned(size);
	struct counts c;

	if (!thp_available())
		SKIP(return, "no transparent huge pages");
	no_thp(p, SZ_2M);
	no_thp(p + 2 * SZ_2M, SZ_2M);
	if (!make_thp(p + SZ_2M, SZ_2M))
		SKIP(return, "no transparent huge page");
	ASSERT_EQ(0, thp_kb(p));
	warm_up(_metadata, self->vm.fd);
	c = map_unmap(_metadata, self->vm.fd, BIG_GPA, size, p);
	/* 512 single pages take two calls (509 + 3), the THP one. */
	EXPECT_EQ(2 + 1 + 2, c.map);
	EXPECT_EQ(1 + 1 + 1, c.unmap);

	/* The region may start and end inside the 4 KiB runs. */
	c = map_unmap(_metadata, self->vm.fd,
		      BIG_GPA + SZ_2M - 3 * GUEST_PAGE_SIZE,
		      SZ_2M + 5 * GUEST_PAGE_SIZE, p + SZ_2M - 3 * 4096);
	EXPECT_EQ(3, c.map);
	EXPECT_EQ(3, c.unmap);
}

/* hugetlbfs 2 MiB pages (vm.nr_hugepages raised for the test). */
TEST_F(regions, hugetlb_large_pages)
{
	const char *knob = "/proc/sys/vm/nr_hugepages";
	long old = read_num_file(knob);
	__u64 size = 2 * SZ_2M;
	struct counts c;
	void *p;

	if (old < 0)
		SKIP(return, "no hugetlbfs");
	if (old < 2 && write_num_file(knob, 2))
		SKIP(return, "cannot reserve huge pages");
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_2MB,
		 -1, 0);
	if (p == MAP_FAILED) {
		write_num_file(knob, old);
		SKIP(return, "no 2 MiB huge pages");
	}
	memset(p, 1, size);
	warm_up(_metadata, self->vm.fd);
	c = map_unmap(_metadata, self->vm.fd, BIG_GPA, size, p);
	EXPECT_EQ(1, c.map);
	EXPECT_EQ(1, c.unmap);
	munmap(p, size);
	write_num_file(knob, old);
}

/*
 * A memory BAR of some PCI device of at least @min bytes, mmap()ed through
 * sysfs (VM_IO | VM_PFNMAP): *@phys and *@len receive where and how big
 * (at most 4 MiB).
 */
static void *map_pci_bar(__u64 *phys, __u64 *len, __u64 min)
{
	unsigned long long start, end, flags;
	char path[512], line[128];
	struct dirent *d;
	void *p = NULL;
	DIR *dir;

	dir = opendir("/sys/bus/pci/devices");
	if (!dir)
		return NULL;
	while (!p && (d = readdir(dir))) {
		FILE *f;
		int bar = 0, fd;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource",
			 d->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		for (; !p && bar < 6 && fgets(line, sizeof(line), f); bar++) {
			if (sscanf(line, "%llx %llx %llx", &start, &end,
				   &flags) != 3 || !(flags & 0x200) ||
			    end - start + 1 < min ||
			    start % GUEST_PAGE_SIZE)
				continue;
			*len = end - start + 1;
			if (*len > 2 * SZ_2M)
				*len = 2 * SZ_2M;
			*len &= ~(GUEST_PAGE_SIZE - 1);
			snprintf(path, sizeof(path),
				 "/sys/bus/pci/devices/%s/resource%d",
				 d->d_name, bar);
			fd = open(path, O_RDWR);
			if (fd < 0)
				continue;
			p = mmap(NULL, *len, PROT_READ | PROT_WRITE,
				 MAP_SHARED, fd, 0);
			close(fd);
			if (p == MAP_FAILED)
				p = NULL;
			*phys = start;
		}
		fclose(f);
	}
	closedir(dir);
	return p;
}

/* Device memory: consecutive frames, nothing pinned, 2 MiB if aligned. */
TEST_F(regions, mmio_region)
{
	long mapped = hvsim_counter("mapped_pages");
	__u64 phys = 0, len = 0, gpa;
	long m0, pages;
	void *bar;

	bar = map_pci_bar(&phys, &len, GUEST_PAGE_SIZE);
	if (!bar)
		SKIP(return, "no mappable PCI memory BAR");
	pages = len / GUEST_PAGE_SIZE;
	/* The same offset in a 2 MiB page as the BAR: strides line up. */
	gpa = BIG_GPA + phys % SZ_2M;
	warm_up(_metadata, self->vm.fd);
	m0 = hvsim_hypercall_count(HVCALL_MAP_GPA_PAGES);
	ASSERT_EQ(0, __mshv_set_guest_memory(self->vm.fd, gpa, len, bar, RW));
	EXPECT_EQ(self->pinned, mshv_pinned_pages());
	EXPECT_EQ(mapped + pages, hvsim_counter("mapped_pages"));
	if (phys % SZ_2M == 0 && len % SZ_2M == 0)
		EXPECT_EQ(1, hvsim_hypercall_count(HVCALL_MAP_GPA_PAGES) - m0);
	/* Overlaps are refused for MMIO regions as for RAM. */
	EXPECT_EQ(-1, __mshv_set_guest_memory(self->vm.fd, gpa, GUEST_PAGE_SIZE, bar, RW));
	EXPECT_EQ(EEXIST, errno);
	/* A region must not run past the end of the device mapping. */
	EXPECT_EQ(-1, __mshv_set_guest_memory(self->vm.fd, gpa + 2 * len, len + 4096, bar,
			      RW));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, __mshv_set_guest_memory(self->vm.fd, gpa, len, bar, UNMAP));
	EXPECT_EQ(mapped, hvsim_counter("mapped_pages"));
	munmap(bar, len);
}

/* A PFN mapping of system RAM (/dev/mem, low memory) is refused. */
TEST_F(regions, mmio_ram_refused)
{
	long mapped = hvsim_counter("mapped_pages");
	int fd = open("/dev/mem", O_RDWR);
	void *p;

	if (fd < 0)
		SKIP(return, "no /dev/mem");
	/* 64 KiB: system RAM on any PC, and mappable under STRICT_DEVMEM. */
	p = mmap(NULL, GUEST_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		 fd, 0x10000);
	close(fd);
	if (p == MAP_FAILED)
		SKIP(return, "cannot mmap /dev/mem");
	EXPECT_EQ(-1, __mshv_set_guest_memory(self->vm.fd, BIG_GPA, GUEST_PAGE_SIZE, p, RW));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(mapped, hvsim_counter("mapped_pages"));
	munmap(p, GUEST_PAGE_SIZE);
}

/*
 * The guest keeps device frames only as long as the VMM maps them: taking
 * one page out of the device mapping revokes the whole region (its
 * frames leave the hypervisor's map), which stays revoked and can still
 * be removed.
 */
TEST_F(regions, mmio_munmap_revokes)
{
	long mapped = hvsim_counter("mapped_pages");
	__u64 phys = 0, len = 0, gpa;
	char *bar, *ram;

	bar = map_pci_bar(&phys, &len, 2 * GUEST_PAGE_SIZE);
	if (!bar)
		SKIP(return, "no mappable PCI memory BAR of two pages");
	gpa = BIG_GPA + phys % SZ_2M;
	ASSERT_EQ(0, __mshv_set_guest_memory(self->vm.fd, gpa, len, bar, RW));
	EXPECT_EQ(mapped + (long)(len / GUEST_PAGE_SIZE),
		  hvsim_counter("mapped_pages"));
	/* Clearing soft-dirty bits notifies every range, but changes none. */
	if (!write_num_file("/proc/self/clear_refs", 4))
		EXPECT_EQ(mapped + (long)(len / GUEST_PAGE_SIZE),
			  hvsim_counter("mapped_pages"));

	ASSERT_EQ(0, munmap(bar + GUEST_PAGE_SIZE, GUEST_PAGE_SIZE));
	EXPECT_EQ(mapped, hvsim_counter("mapped_pages"));
	/* Nothing comes back when the rest goes too. */
	munmap(bar, len);
	EXPECT_EQ(mapped, hvsim_counter("mapped_pages"));

	/* The revoked region is still there: it holds its GPA range... */
	ram = mshv_alloc_guest_mem(GUEST_PAGE_SIZE);
	EXPECT_EQ(-1, __mshv_set_guest_memory(self->vm.fd, gpa, GUEST_PAGE_SIZE, ram, RW));
	EXPECT_EQ(EEXIST, errno);
	munmap(ram, GUEST_PAGE_SIZE);
	/* ...until removed, which has nothing left to unmap. */
	EXPECT_EQ(0, __mshv_set_guest_memory(self->vm.fd, gpa, len, bar, UNMAP));
	EXPECT_EQ(mapped, hvsim_counter("mapped_pages"));
}

/* Firmware memory (page 0, the BIOS area) through /dev/mem is refused. */
TEST_F(regions, mmio_firmware_refused)
{
	static const __u64 addrs[] = { 0, 0xf0000 };
	long mapped = hvsim_counter("mapped_pages");
	unsigned int i;
	int fd = open("/dev/mem", O_RDWR);
	void *p;

	if (fd < 0)
		SKIP(return, "no /dev/mem");
	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		p = mmap(NULL, GUEST_PAGE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_SHARED, fd, addrs[i]);
		if (p == MAP_FAILED) {
			close(fd);
			SKIP(return, "cannot mmap /dev/mem at %#llx",
			     (unsigned long long)addrs[i]);
		}
		EXPECT_EQ(-1, __mshv_set_guest_memory(self->vm.fd, BIG_GPA,
						      GUEST_PAGE_SIZE, p, RW))
			TH_LOG("phys %#llx", (unsigned long long)addrs[i]);
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(mapped, hvsim_counter("mapped_pages"));
		munmap(p, GUEST_PAGE_SIZE);
	}
	close(fd);
}

#define MANY	10000

/*
 * Ten thousand one-page regions, every other guest frame.  About 20 s on
 * the debug kernel, over 30 s with both host cores busy: 240 s allowed.
 */
TEST_F_TIMEOUT(regions, ten_thousand, 240)
{
	char *p = mshv_alloc_guest_mem(MANY * GUEST_PAGE_SIZE);
	long mapped = hvsim_counter("mapped_pages");
	unsigned int i, j;

	for (i = 0; i < MANY; i++)
		ASSERT_EQ(0, __mshv_set_guest_memory(self->vm.fd, 2ULL * i * GUEST_PAGE_SIZE,
				     GUEST_PAGE_SIZE, p + i * 4096, RW));
	EXPECT_EQ(mapped + MANY, hvsim_counter("mapped_pages"));
	EXPECT_EQ(self->pinned + MANY, mshv_pinned_pages());
	/* Lookups: holes are free, every region is found by its frame. */
	EXPECT_EQ(0, __mshv_set_guest_memory(self->vm.fd, 2ULL * 4321 * GUEST_PAGE_SIZE +
			     GUEST_PAGE_SIZE, GUEST_PAGE_SIZE, p, RW));
	EXPECT_EQ(-1, __mshv_set_guest_memory(self->vm.fd, 2ULL * 4321 * GUEST_PAGE_SIZE,
			      2 * GUEST_PAGE_SIZE, p, RW));
	EXPECT_EQ(EEXIST, errno);
	EXPECT_EQ(0, __mshv_set_guest_memory(self->vm.fd, 2ULL * 4321 * GUEST_PAGE_SIZE +
			     GUEST_PAGE_SIZE, GUEST_PAGE_SIZE, p, UNMAP));
	/* Named with the wrong user address: found, refused. */
	EXPECT_EQ(-1, __mshv_set_guest_memory(self->vm.fd, 2ULL * 9999 * GUEST_PAGE_SIZE,
			      GUEST_PAGE_SIZE, p, UNMAP));
	EXPECT_EQ(EINVAL, errno);
	/* Unmap in a scattered order (7919 is prime, coprime to MANY). */
	for (i = 0; i < MANY; i++) {
		j = (i * 7919ULL) % MANY;
		ASSERT_EQ(0, __mshv_set_guest_memory(self->vm.fd, 2ULL * j * GUEST_PAGE_SIZE,
				     GUEST_PAGE_SIZE, p + j * 4096, UNMAP));
	}
	EXPECT_EQ(-1, __mshv_set_guest_memory(self->vm.fd, 0, GUEST_PAGE_SIZE, p, UNMAP));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(mapped, hvsim_counter("mapped_pages"));
	EXPECT_EQ(self->pinned, mshv_pinned_pages());
	munmap(p, MANY * GUEST_PAGE_SIZE);
}

struct runner {
	int vp_fd;
	struct hv_message msg;
};

static void *run_vp(void *arg)
{
	struct runner *r = arg;

	mshv_run_vp(r->vp_fd, &r->msg);
	return NULL;
}

#define LOOP_GPA	0x100000ULL	/* ES base: the region unmapped */

/*
 * The guest counts at 0x2000 and reads from a second region in a loop;
 * that region is unmapped while the VP runs: the run ends on the read
 * that no longer finds memory.
 */
TEST_F(regions, unmap_while_running)
{
	/* 1: incb 0x2000; mov %es:(%bx),%al; jmp 1b */
	static const __u8 code[] = {
		0xfe, 0x06, 0x00, 0x20, 0x26, 0x8a, 0x07, 0xeb, 0xf7,
	};
	struct hv_x64_memory_intercept_message *mm;
	struct hv_register_assoc es = { .name = HV_X64_REGISTER_ES };
	struct mshv_vcpu vcpu = { .fd = -1 };
	__u8 *mem, *data;
	struct runner r = { 0 };
	struct timespec t0, t;
	pthread_t thread;
	__u16 status;
	__u8 seen;

	mem = mshv_map_guest_mem(self->vm.fd, 0, 0x10000);
	data = mshv_alloc_guest_mem(SZ_2M);
	ASSERT_EQ(0, __mshv_set_guest_memory(self->vm.fd, LOOP_GPA, SZ_2M, data, RW));
	mshv_vcpu_create(&vcpu, self->vm.fd, 0);
	mshv_set_real_mode(self->vm.fd, 0, GUEST_CODE_GPA);
	es.value.segment.base = LOOP_GPA;
	es.value.segment.limit = 0xffff;
	es.value.segment.selector = 0x1000;	/* descriptor cache wins */
	es.value.segment.attributes = 0x93;
	ASSERT_EQ(0, __mshv_set_regs(self->vm.fd, 0, &es, 1, &status));
	mshv_set_reg(self->vm.fd, 0, HV_X64_REGISTER_RBX, 0x20);
	mshv_load_guest(mem, GUEST_CODE_GPA, code, sizeof(code));

	r.vp_fd = vcpu.fd;
	ASSERT_EQ(0, pthread_create(&thread, NULL, run_vp, &r));
	/* Wait (bounded) until the guest has been round its loop. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		clock_gettime(CLOCK_MONOTONIC, &t);
		seen = __atomic_load_n(&mem[0x2000], __ATOMIC_RELAXED);
	} while (seen < 2 && t.tv_sec - t0.tv_sec < 60);
	EXPECT_LE(2, seen);
	EXPECT_EQ(0, __mshv_set_guest_memory(self->vm.fd, LOOP_GPA, SZ_2M, data,
			     UNMAP));
	ASSERT_EQ(0, pthread_join(thread, NULL));

	mm = (void *)r.msg.u.payload;
	EXPECT_EQ(HVMSG_UNMAPPED_GPA, r.msg.header.message_type);
	EXPECT_EQ(LOOP_GPA + 0x20, mm->guest_physical_address);
	EXPECT_EQ(self->pinned + 0x10, mshv_pinned_pages());
	mshv_vcpu_destroy(&vcpu);
	munmap(data, SZ_2M);
	munmap(mem, 0x10000);
}

static void fault_arm(__u16 code, unsigned int nth, __u16 status)
{
	TEST_ASSERT(!write_num_file(FAULT_DIR "/fail_nth", 0), "disarm");
	TEST_ASSERT(!write_num_file(FAULT_DIR "/fail_status", status),
		    "fail_status");
	TEST_ASSERT(!write_num_file(FAULT_DIR "/fail_code", code),
		    "fail_code");
	TEST_ASSERT(!write_num_file(FAULT_DIR "/fail_nth", nth), "fail_nth");
}

/* Expect a map to fail with @err, leaving nothing pinned or mapped. */
static void expect_clean_fail(struct __test_metadata *_metadata, int fd,
			      __u64 gpa, __u64 size, void *hva, int err)
{
	long mapped = hvsim_counter("mapped_pages");
	long pinned = mshv_pinned_pages();

	EXPECT_EQ(-1, __mshv_set_guest_memory(fd, gpa, size, hva, RW));
	EXPECT_EQ(err, errno);
	EXPECT_EQ(mapped, hvsim_counter("mapped_pages"));
	EXPECT_EQ(pinned, mshv_pinned_pages());
}

TEST_F(regions, failures_unpin)
{
	__u64 size = 4 * SZ_2M;
	char *p = mshv_alloc_2m_aligned(size);
	char *hole;

	if (access(FAULT_DIR "/fail_nth", W_OK))
		SKIP(return, "no hvsim fault injection");
	/* 4 KiB pages: 2048 of them take five calls. */
	no_thp(p, size);
	warm_up(_metadata, self->vm.fd);

	/* The third MAP_GPA_PAGES call fails: the first two are undone. */
	fault_arm(HVCALL_MAP_GPA_PAGES, 3, HV_STATUS_INVALID_PARAMETER);
	expect_clean_fail(_metadata, self->vm.fd, BIG_GPA, size, p, EINVAL);
	/* The very first call fails: nothing was mapped. */
	fault_arm(HVCALL_MAP_GPA_PAGES, 1, HV_STATUS_ACCESS_DENIED);
	expect_clean_fail(_metadata, self->vm.fd, BIG_GPA, size, p, EIO);
	write_num_file(FAULT_DIR "/fail_nth", 0);

	/* Pinning stops at a hole: what was pinned before it is let go. */
	hole = p + SZ_2M + 5 * 4096;
	ASSERT_EQ(0, munmap(hole, 4096));
	expect_clean_fail(_metadata, self->vm.fd, BIG_GPA, size, p, EFAULT);
	/* Overlap: refused before anything is pinned. */
	ASSERT_EQ(0, __mshv_set_guest_memory(self->vm.fd, BIG_GPA, SZ_2M, p, RW));
	expect_clean_fail(_metadata, self->vm.fd, BIG_GPA - SZ_2M,
			  2 * SZ_2M, p + SZ_2M * 2, EEXIST);
	EXPECT_EQ(0, __mshv_set_guest_memory(self->vm.fd, BIG_GPA, SZ_2M, p, UNMAP));
	EXPECT_EQ(self->pinned, mshv_pinned_pages());
}

/*
 * MMIO regions are mapped under their notifier's mutex, without deposits:
 * a failed call leaves nothing mapped, a hypervisor short of memory gets
 * a deposit and the map goes on, and a revocation that fails half-way is
 * finished by removing the region.
 */
TEST_F(regions, mmio_failures)
{
	long mapped = hvsim_counter("mapped_pages");
	__u64 phys = 0, len = 0, gpa;
	long pages;
	char *bar;

	if (access(FAULT_DIR "/fail_nth", W_OK))
		SKIP(return, "no hvsim fault injection");
	bar = map_pci_bar(&phys, &len, 2 * SZ_2M);
	if (!bar)
		SKIP(return, "no mappable 4 MiB PCI memory BAR");
	pages = len / GUEST_PAGE_SIZE;
	/* A page off a 2 MiB boundary: 4 KiB pages, 509 per call. */
	gpa = BIG_GPA + phys % SZ_2M + GUEST_PAGE_SIZE;
	warm_up(_metadata, self->vm.fd);

	fault_arm(HVCALL_MAP_GPA_PAGES, 2, HV_STATUS_INVALID_PARAMETER);
	expect_clean_fail(_metadata, self->vm.fd, gpa, len, bar, EINVAL);
	fault_arm(HVCALL_MAP_GPA_PAGES, 2, HV_STATUS_INSUFFICIENT_MEMORY);
	ASSERT_EQ(0, __mshv_set_guest_memory(self->vm.fd, gpa, len, bar, RW));
	EXPECT_EQ(mapped + pages, hvsim_counter("mapped_pages"));

	/* The second of two UNMAP_GPA_PAGES calls fails. */
	fault_arm(HVCALL_UNMAP_GPA_PAGES, 2, HV_STATUS_ACCESS_DENIED);
	ASSERT_EQ(0, munmap(bar, len));
	write_num_file(FAULT_DIR "/fail_nth", 0);
	EXPECT_EQ(mapped + pages - 512, hvsim_counter("mapped_pages"));
	EXPECT_EQ(0, __mshv_set_guest_memory(self->vm.fd, gpa, len, bar, UNMAP));
	EXPECT_EQ(mapped, hvsim_counter("mapped_pages"));
}

TEST_HARNESS_MAIN
