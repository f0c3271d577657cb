// SPDX-License-Identifier: GPL-2.0
/*
 * Movable guest memory (a partition's movable_regions=Y, the default): a
 * 64-bit guest reads and writes a region whose pages the VMM's kernel is
 * free to move, free or copy, and must always see the VMM's current data:
 *
 *  - data_both_ways: data written before and after the faults, both ways;
 *    nothing is pinned.
 *  - dontneed: after MADV_DONTNEED the guest reads zeroes, not the page
 *    it had before.
 *  - collapse: MADV_COLLAPSE moves the data into a new huge page (the PFN
 *    in /proc/self/pagemap changes); the guest sees the current data, now
 *    through one 2 MiB mapping.
 *  - fork_cow: after fork() the VMM's write breaks CoW; the guest sees the
 *    VMM's new page, the child keeps the old data.
 *  - readonly_shares: a read fault on a read-only region does not break
 *    CoW (parent and child still share the page); a guest write to it is
 *    the VMM's GPA intercept.
 *  - windows: one fault (and at most two MAP_GPA_PAGES calls) per 2 MiB
 *    window, not per page.
 *  - unmap_while_running, efault_on_hole: unmapping a region while the VP
 *    runs in it, and user memory that is gone (MSHV_RUN_VP fails with
 *    EFAULT, and works again once the memory is back).
 *  - failures: failed creation, fault and unmap (hvsim fault injection)
 *    leave nothing mapped, nothing pinned and no notifier behind.
 *
 * Every test fails if GPA intercepts on movable memory reach the VMM or if
 * invalidations do not reach the hypervisor (the guest would read stale
 * pages).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vm64.h"
#include "movable.h"

#define SZ_2M		0x200000ULL
#define MOV_GPA		0x40000000ULL	/* 1 GiB, inside the identity map */
#define MOV_SIZE	(2 * SZ_2M)
#define RO_GPA		0x50000000ULL
#define RW		BIT(MSHV_SET_MEM_BIT_WRITABLE)
#define UNMAP		BIT(MSHV_SET_MEM_BIT_UNMAP)
#define FAULT_DIR	HVSIM_DEBUGFS_DIR "/fault"

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif

/* A movable/ counter of this process's partitions. */
static long counter(const char *name)
{
	char rel[64];

	snprintf(rel, sizeof(rel), "movable/%s", name);
	return mshv_pt_counter(rel);
}

static void set_cmd(struct vm64 *vm, __u64 op, __u64 gpa, __u64 val,
		    __u64 count)
{
	struct mov_cmd *c = vm64_gpa_ptr(vm, MOV_CMD_GPA, sizeof(*c));

	c->op = op;
	c->gpa = gpa;
	c->val = val;
	c->count = count;
}

/* Have the guest carry out one command; its reported value. */
static __u64 guest_op(struct vm64 *vm, __u64 op, __u64 gpa, __u64 val,
		      __u64 count)
{
	set_cmd(vm, op, gpa, val, count);
	vm64_expect_sync(vm, 2);
	TEST_ASSERT(vm->uc.args[0] == op, "guest answered op %llu, not %llu",
		    (unsigned long long)vm->uc.args[0],
		    (unsigned long long)op);
	return vm->uc.args[1];
}

static __u64 guest_read(struct vm64 *vm, __u64 gpa)
{
	return guest_op(vm, MOV_READ, gpa, 0, 0);
}

static void guest_write(struct vm64 *vm, __u64 gpa, __u64 val)
{
	guest_op(vm, MOV_WRITE, gpa, val, 0);
}

static __u64 *at(char *mem, __u64 page)
{
	return (__u64 *)(mem + page * MOV_PAGE);
}

FIXTURE(mov) {
	struct vm64 vm;
	char *mem;
	long pinned;
	bool movable;
};

FIXTURE_SETUP(mov)
{
	self->vm.vm.fd = -1;
	self->vm.vm.dev_fd = -1;
	self->vm.vcpu.fd = -1;
	self->mem = NULL;
	self->movable = false;
	MSHV_REQUIRE_DEV();
	self->pinned = mshv_pinned_pages();
	vm64_create(&self->vm, guest_movable);
	/* Movable is the default: the switch must say so. */
	if (mshv_set_movable(self->vm.vm.fd, true) < 0 || counter("faults") < 0)
		SKIP(return, "no partition directory in debugfs");
	self->movable = true;
	self->mem = mshv_alloc_2m_aligned(MOV_SIZE);
	ASSERT_EQ(0, __mshv_set_guest_memory(self->vm.vm.fd, MOV_GPA, MOV_SIZE, self->mem, RW));
}

FIXTURE_TEARDOWN(mov)
{
	vm64_destroy(&self->vm);
	if (self->mem)
		munmap(self->mem, MOV_SIZE);
	/* Movable regions pin nothing, at any time. */
	if (self->movable)
		EXPECT_EQ(self->pinned, mshv_pinned_pages());
}

TEST_F(mov, data_both_ways)
{
	long faults = counter("faults");

	*at(self->mem, 0) = 0x1111;
	*at(self->mem, 600) = 0x2222;	/* the second 2 MiB window */
	EXPECT_EQ(0x1111ULL, guest_read(&self->vm, MOV_GPA));
	EXPECT_EQ(0x2222ULL, guest_read(&self->vm, MOV_GPA + 600 * MOV_PAGE));
	/* At least one fault per window (the guest's own RAM faults too). */
	EXPECT_LE(faults + 2, counter("faults"));

	guest_write(&self->vm, MOV_GPA + 5 * MOV_PAGE, 0x5555);
	EXPECT_EQ(0x5555ULL, *at(self->mem, 5));
	*at(self->mem, 5) = 0x6666;
	EXPECT_EQ(0x6666ULL, guest_read(&self->vm, MOV_GPA + 5 * MOV_PAGE));
	EXPECT_EQ(self->pinned, mshv_pinned_pages());
}

TEST_F(mov, dontneed)
{
	long inval;

	guest_write(&self->vm, MOV_GPA + 3 * MOV_PAGE, 0xabc);
	EXPECT_EQ(0xabcULL, *at(self->mem, 3));
	inval = counter("invalidations");
	ASSERT_EQ(0, madvise(self->mem, MOV_SIZE, MADV_DONTNEED));
	EXPECT_LT(inval, counter("invalidations"));
	/* The page the guest wrote is gone: a new one reads zero. */
	EXPECT_EQ(0ULL, guest_read(&self->vm, MOV_GPA + 3 * MOV_PAGE));
	*at(self->mem, 3) = 0xdef;
	EXPECT_EQ(0xdefULL, guest_read(&self->vm, MOV_GPA + 3 * MOV_PAGE));
}

TEST_F(mov, collapse)
{
	__u64 i, sum = 0, before, after;
	long large;

	/* Small pages first, each with its own value, seen by the guest. */
	ASSERT_EQ(0, madvise(self->mem, SZ_2M, MADV_NOHUGEPAGE));
	for (i = 0; i < SZ_2M / MOV_PAGE; i++) {
		*at(self->mem, i) = i;
		sum += i;
	}
	EXPECT_EQ(sum, guest_op(&self->vm, MOV_SUM, MOV_GPA, 0,
				SZ_2M / MOV_PAGE));
	before = mshv_host_pfn(at(self->mem, 7));
	ASSERT_NE(0ULL, before);

	ASSERT_EQ(0, madvise(self->mem, SZ_2M, MADV_HUGEPAGE));
	if (madvise(self->mem, SZ_2M, MADV_COLLAPSE))
		SKIP(return, "MADV_COLLAPSE: %s", strerror(errno));
	after = mshv_host_pfn(at(self->mem, 7));
	/* The data moved to a new (huge) page. */
	EXPECT_NE(before, after);
	EXPECT_NE(0ULL, after);
	EXPECT_EQ(7ULL, *at(self->mem, 7));

	large = counter("fault_large");
	*at(self->mem, 7) = 0x7777;
	/* Through the old page the guest would still read 7. */
	EXPECT_EQ(0x7777ULL, guest_read(&self->vm, MOV_GPA + 7 * MOV_PAGE));
	/* A huge page is mapped as one 2 MiB page. */
	EXPECT_EQ(large + 1, counter("fault_large"));
	EXPECT_EQ(sum - 7 + 0x7777,
		  guest_op(&self->vm, MOV_SUM, MOV_GPA, 0, SZ_2M / MOV_PAGE));
}

/* A child that reports, once told to, the u64 at @p and its frame. */
struct child {
	pid_t pid;
	int go[2];
	int back[2];
};

static void child_start(struct __test_metadata *_metadata, struct child *c,
			__u64 *p)
{
	__u64 out[2];
	char x;

	ASSERT_EQ(0, pipe(c->go));
	ASSERT_EQ(0, pipe(c->back));
	c->pid = fork();
	ASSERT_LE(0, c->pid);
	if (c->pid)
		return;
	if (read(c->go[0], &x, 1) != 1)
		_exit(1);
	out[0] = *(volatile __u64 *)p;
	out[1] = mshv_host_pfn(p);
	_exit(write(c->back[1], out, sizeof(out)) == sizeof(out) ? 0 : 1);
}

static void child_report(struct __test_metadata *_metadata, struct child *c,
			 __u64 *value, __u64 *pfn)
{
	__u64 in[2] = { 0 };
	int status;

	ASSERT_EQ(1, write(c->go[1], "x", 1));
	ASSERT_EQ((ssize_t)sizeof(in), read(c->back[0], in, sizeof(in)));
	ASSERT_EQ(c->pid, waitpid(c->pid, &status, 0));
	EXPECT_EQ(0, status);
	*value = in[0];
	*pfn = in[1];
	close(c->go[0]);
	close(c->go[1]);
	close(c->back[0]);
	close(c->back[1]);
}

TEST_F(mov, fork_cow)
{
	struct child c;
	__u64 value, pfn;

	guest_write(&self->vm, MOV_GPA + 2 * MOV_PAGE, 1);
	child_start(_metadata, &c, at(self->mem, 2));
	/* Breaks CoW: the VMM's page 2 is a new page from here on. */
	*at(self->mem, 2) = 2;
	EXPECT_EQ(2ULL, guest_read(&self->vm, MOV_GPA + 2 * MOV_PAGE));
	guest_write(&self->vm, MOV_GPA + 2 * MOV_PAGE, 3);
	EXPECT_EQ(3ULL, *at(self->mem, 2));
	/* The guest never wrote into the child's copy. */
	child_report(_metadata, &c, &value, &pfn);
	EXPECT_EQ(1ULL, value);
	EXPECT_NE(mshv_host_pfn(at(self->mem, 2)), pfn);
}

TEST_F(mov, readonly_shares)
{
	struct hv_x64_memory_intercept_message *mm;
	char *ro = mshv_alloc_2m_aligned(SZ_2M);
	__u64 value, pfn, before;
	struct child c;

	*at(ro, 0) = 0x4242;
	ASSERT_EQ(0, __mshv_set_guest_memory(self->vm.vm.fd, RO_GPA, SZ_2M, ro, 0));
	child_start(_metadata, &c, at(ro, 0));
	before = mshv_host_pfn(at(ro, 0));
	ASSERT_NE(0ULL, before);

	EXPECT_EQ(0x4242ULL, guest_read(&self->vm, RO_GPA));
	/* A read fault must not have broken CoW in the VMM. */
	EXPECT_EQ(before, mshv_host_pfn(at(ro, 0)));
	child_report(_metadata, &c, &value, &pfn);
	EXPECT_EQ(0x4242ULL, value);
	EXPECT_EQ(before, pfn);

	/* Writing read-only memory is the VMM's business. */
	set_cmd(&self->vm, MOV_WRITE, RO_GPA + 8, 1, 0);
	EXPECT_EQ((unsigned int)UCALL_NONE, vm64_run(&self->vm));
	mm = (void *)self->vm.msg.u.payload;
	EXPECT_EQ(HVMSG_GPA_INTERCEPT, self->vm.msg.header.message_type);
	EXPECT_EQ(RO_GPA + 8, mm->guest_physical_address);
	EXPECT_EQ((__u8)HV_INTERCEPT_ACCESS_WRITE,
		  mm->header.intercept_access_type);
	EXPECT_EQ(0x4242ULL, *at(ro, 0));
	EXPECT_EQ(0, __mshv_set_guest_memory(self->vm.vm.fd, RO_GPA, SZ_2M, ro, UNMAP));
	munmap(ro, SZ_2M);
}

TEST_F(mov, windows)
{
	__u64 size = 4 * SZ_2M, pages = size / MOV_PAGE;
	char *big = mshv_alloc_2m_aligned(size);
	long faults, fpages, maps;

	ASSERT_EQ(0, __mshv_set_guest_memory(self->vm.vm.fd, 2 * MOV_GPA, size, big, RW));
	/* Fault in what the guest's own code, stack and data use. */
	guest_op(&self->vm, MOV_SUM, MOV_CMD_GPA, 0, 1);

	faults = counter("faults");
	fpages = counter("fault_pages");
	maps = hvsim_hypercall_count(HVCALL_MAP_GPA_PAGES);
	EXPECT_EQ(0ULL, guest_op(&self->vm, MOV_SUM, 2 * MOV_GPA, 0, pages));
	/* One fault per 2 MiB window, each mapping the whole window. */
	EXPECT_EQ(faults + 4, counter("faults"));
	EXPECT_EQ(fpages + (long)pages, counter("fault_pages"));
	/* 512 small pages take two calls (509 PFNs per call), a huge one 1. */
	if (maps >= 0)
		EXPECT_GE(maps + 8, hvsim_hypercall_count(HVCALL_MAP_GPA_PAGES));
	EXPECT_EQ(0, __mshv_set_guest_memory(self->vm.vm.fd, 2 * MOV_GPA, size, big, UNMAP));
	munmap(big, size);
}

struct runner {
	int vp_fd;
	int ret;
	int err;
	struct hv_message msg;
};

static void *run_vp(void *arg)
{
	struct runner *r = arg;

	r->ret = ioctl(r->vp_fd, MSHV_RUN_VP, &r->msg);
	r->err = errno;
	return NULL;
}

TEST_F(mov, unmap_while_running)
{
	volatile __u64 *pass = vm64_gpa_ptr(&self->vm, MOV_PASS_GPA, 8);
	struct hv_x64_memory_intercept_message *mm;
	struct runner r = { .vp_fd = self->vm.vcpu.fd };
	struct timespec t0, t;
	pthread_t thread;
	long inval;

	*pass = 0;
	set_cmd(&self->vm, MOV_SPIN, MOV_GPA, 0, MOV_SIZE / MOV_PAGE);
	ASSERT_EQ(0, pthread_create(&thread, NULL, run_vp, &r));
	/* Wait (bounded) until the guest went round its loop twice. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		clock_gettime(CLOCK_MONOTONIC, &t);
	while (__atomic_load_n(pass, __ATOMIC_RELAXED) < 2 &&
	       t.tv_sec - t0.tv_sec < 60);
	EXPECT_LE(2ULL, *pass);
	EXPECT_EQ(0, __mshv_set_guest_memory(self->vm.vm.fd, MOV_GPA, MOV_SIZE, self->mem,
			     UNMAP));
	ASSERT_EQ(0, pthread_join(thread, NULL));
	EXPECT_EQ(0, r.ret);
	mm = (void *)r.msg.u.payload;
	EXPECT_EQ(HVMSG_UNMAPPED_GPA, r.msg.header.message_type);
	EXPECT_LE(MOV_GPA, mm->guest_physical_address);
	EXPECT_GT(MOV_GPA + MOV_SIZE, mm->guest_physical_address);

	/* The notifier went with the region. */
	inval = counter("invalidations");
	ASSERT_EQ(0, madvise(self->mem, MOV_SIZE, MADV_DONTNEED));
	EXPECT_EQ(inval, counter("invalidations"));
}

TEST_F(mov, efault_on_hole)
{
	char *hole = (char *)at(self->mem, 10);
	struct hv_message msg;
	long errors = counter("fault_errors");

	ASSERT_EQ(0, munmap(hole, MOV_PAGE));
	set_cmd(&self->vm, MOV_READ, MOV_GPA + 10 * MOV_PAGE, 0, 0);
	EXPECT_EQ(-1, ioctl(self->vm.vcpu.fd, MSHV_RUN_VP, &msg));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(errors + 1, counter("fault_errors"));
	/* Memory back in place: the same access now completes. */
	ASSERT_EQ(hole, mmap(hole, MOV_PAGE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	*(__u64 *)hole = 0x99;
	vm64_expect_sync(&self->vm, 2);
	EXPECT_EQ(0x99ULL, self->vm.uc.args[1]);
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

TEST_F(mov, failures)
{
	__u64 size = 2 * SZ_2M + 3 * MOV_PAGE;	/* small pages at the end */
	char *p = mshv_alloc_2m_aligned(size + SZ_2M);
	long mapped, inval;
	struct hv_message msg;

	if (access(FAULT_DIR "/fail_nth", W_OK))
		SKIP(return, "no hvsim fault injection");
	guest_op(&self->vm, MOV_SUM, MOV_CMD_GPA, 0, 1);
	mapped = hvsim_counter("mapped_pages");
	inval = counter("invalidations");

	/* Creation: the first or the second no-access MAP fails. */
	fault_arm(HVCALL_MAP_GPA_PAGES, 1, HV_STATUS_INVALID_PARAMETER);
	EXPECT_EQ(-1, __mshv_set_guest_memory(self->vm.vm.fd, 2 * MOV_GPA, size, p, RW));
	EXPECT_EQ(EINVAL, errno);
	fault_arm(HVCALL_MAP_GPA_PAGES, 2, HV_STATUS_INVALID_PARAMETER);
	EXPECT_EQ(-1, __mshv_set_guest_memory(self->vm.vm.fd, 2 * MOV_GPA, size, p, RW));
	EXPECT_EQ(EINVAL, errno);
	write_num_file(FAULT_DIR "/fail_nth", 0);
	EXPECT_EQ(mapped, hvsim_counter("mapped_pages"));
	/* No notifier was left watching the memory. */
	ASSERT_EQ(0, madvise(p, size, MADV_DONTNEED));
	EXPECT_EQ(inval, counter("invalidations"));

	/* A fault whose MAP fails: MSHV_RUN_VP fails, a retry works. */
	ASSERT_EQ(0, __mshv_set_guest_memory(self->vm.vm.fd, 2 * MOV_GPA, size, p, RW));
	EXPECT_EQ(mapped + (long)(size / MOV_PAGE),
		  hvsim_counter("mapped_pages"));
	*at(p, 513) = 0x513;
	fault_arm(HVCALL_MAP_GPA_PAGES, 1, HV_STATUS_INVALID_PARAMETER);
	set_cmd(&self->vm, MOV_READ, 2 * MOV_GPA + 513 * MOV_PAGE, 0, 0);
	EXPECT_EQ(-1, ioctl(self->vm.vcpu.fd, MSHV_RUN_VP, &msg));
	EXPECT_EQ(EINVAL, errno);
	write_num_file(FAULT_DIR "/fail_nth", 0);
	vm64_expect_sync(&self->vm, 2);
	EXPECT_EQ(0x513ULL, self->vm.uc.args[1]);
	/* The small pages at the end make a window of their own. */
	*at(p, 1025) = 0x1025;
	EXPECT_EQ(0x1025ULL, guest_read(&self->vm,
					2 * MOV_GPA + 1025 * MOV_PAGE));

	/* A failed unmap keeps the region working, notifier and all. */
	fault_arm(HVCALL_UNMAP_GPA_PAGES, 1, HV_STATUS_INVALID_PARAMETER);
	EXPECT_EQ(-1, __mshv_set_guest_memory(self->vm.vm.fd, 2 * MOV_GPA, size, p, UNMAP));
	write_num_file(FAULT_DIR "/fail_nth", 0);
	inval = counter("invalidations");
	ASSERT_EQ(0, madvise(p, size, MADV_DONTNEED));
	EXPECT_LT(inval, counter("invalidations"));
	EXPECT_EQ(0ULL, guest_read(&self->vm, 2 * MOV_GPA + 513 * MOV_PAGE));

	EXPECT_EQ(0, __mshv_set_guest_memory(self->vm.vm.fd, 2 * MOV_GPA, size, p, UNMAP));
	EXPECT_EQ(mapped, hvsim_counter("mapped_pages"));
	inval = counter("invalidations");
	ASSERT_EQ(0, madvise(p, size, MADV_DONTNEED));
	EXPECT_EQ(inval, counter("invalidations"));
	munmap(p, size + SZ_2M);
}

TEST_HARNESS_MAIN
