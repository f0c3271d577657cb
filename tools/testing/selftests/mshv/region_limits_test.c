// SPDX-License-Identifier: GPL-2.0
/*
 * Bounds of MSHV_SET_GUEST_MEMORY, from a fuzzing campaign:
 *
 *  - past_width, fuzzer_region, kernel_uaddr: a region must lie below the
 *    partition's guest physical address width (its PHYSICAL_ADDRESS_WIDTH
 *    property) and in the user address space (access_ok()), else EINVAL
 *    at once.  The fuzzer's {gfn 0, 2^52 bytes} movable region used to map
 *    no-access until the deposit pool ran dry and then unmap 2^40 frames,
 *    SIGKILL taking minutes to act.
 *  - kill_fuzzer_region, kill_largest: a SIGKILLed process in the middle
 *    of such a call dies promptly, its partition torn down; the second
 *    times it for the largest movable region still accepted, over several
 *    kills.
 *  - pinned_hole, pinned_hole_memcg: a pinned region over unmapped user
 *    memory fails with EFAULT before its page array (8 bytes a page) is
 *    allocated: at once for a 1 TiB range (whose array kvmalloc() refuses
 *    outright: the call used to fail with ENOMEM), and without going over
 *    a 32 MiB memory cgroup for a 64 GiB one (a 128 MiB array).
 *
 * Waits for a child are bounded by KILL_WAIT_MS, generous: the verdicts
 * never depend on how fast the machine is, only on a bound that the old
 * code overran by minutes.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mshv_util.h"

#define SZ_2M		0x200000ULL
#define SZ_1G		0x40000000ULL
#define RW		BIT(MSHV_SET_MEM_BIT_WRITABLE)
#define UNMAP		BIT(MSHV_SET_MEM_BIT_UNMAP)
/* How long a SIGKILLed child may take to die before the test fails. */
#define KILL_WAIT_MS	60000
/* Kills timed by kill_largest. */
#define KILL_ROUNDS	8
#define CGROUP_ROOT	"/sys/fs/cgroup"
#define CGROUP_DIR	CGROUP_ROOT "/mshv_region_limits"

FIXTURE(limits) {
	struct mshv_vm vm;
	int movable;
	long pinned;
	__u64 width;
};

FIXTURE_SETUP(limits)
{
	self->vm.fd = -1;
	self->vm.dev_fd = -1;
	self->movable = -1;
	MSHV_REQUIRE_DEV();
	self->pinned = mshv_pinned_pages();
	mshv_vm_create(&self->vm, true);
	self->movable = mshv_set_movable(self->vm.fd, true);
	if (self->movable < 0)
		SKIP(return, "no partition directory in debugfs");
	self->width = mshv_get_property(self->vm.fd,
					HV_PARTITION_PROPERTY_PHYSICAL_ADDRESS_WIDTH);
	TH_LOG("guest physical address width: %llu bits",
	       (unsigned long long)self->width);
	ASSERT_LE(32ULL, self->width);
	ASSERT_GE(52ULL, self->width);
}

FIXTURE_TEARDOWN(limits)
{
	mshv_vm_destroy(&self->vm);
	if (self->pinned >= 0)
		EXPECT_EQ(self->pinned, mshv_pinned_pages());
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * Wait up to KILL_WAIT_MS for child @pid (its pidfd @pidfd) and reap it.
 * Return: its wait status, or -1 if it did not end in time.
 */
static int wait_child(pid_t pid, int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	int status;

	if (poll(&p, 1, KILL_WAIT_MS) != 1)
		return -1;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static int pidfd_of(pid_t pid)
{
	return syscall(SYS_pidfd_open, pid, 0);
}

/* A hole of @size bytes in the address space (reserved, then released). */
static void *user_hole(__u64 size)
{
	void *p = mmap(NULL, size, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	munmap(p, size);
	return p;
}

/* The number of frames below the partition's address width. */
static __u64 gfn_limit(__u64 width)
{
	return 1ULL << (width - 12);
}

TEST_F(limits, past_width)
{
	__u64 top = gfn_limit(self->width) * GUEST_PAGE_SIZE;
	void *mem = mshv_alloc_2m_aligned(2 * SZ_2M);

	/* The last 2 MiB of GPA space fit, ... */
	EXPECT_EQ(0, __mshv_set_guest_memory(self->vm.fd, top - SZ_2M, SZ_2M,
					     mem, RW));
	EXPECT_EQ(0, __mshv_set_guest_memory(self->vm.fd, top - SZ_2M, SZ_2M,
					     mem, UNMAP));
	/* ... one page more does not, nor anything past the top. */
	EXPECT_EQ(-1, __mshv_set_guest_memory(self->vm.fd, top - SZ_2M,
					      SZ_2M + GUEST_PAGE_SIZE, mem,
					      RW));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, __mshv_set_guest_memory(self->vm.fd, top, SZ_2M, mem,
					      RW));
	EXPECT_EQ(EINVAL, errno);
	/* The same for a pinned region. */
	mshv_set_movable(self->vm.fd, false);
	EXPECT_EQ(-1, __mshv_set_guest_memory(self->vm.fd, top - SZ_2M,
					      2 * SZ_2M, mem, RW));
	EXPECT_EQ(EINVAL, errno);
	munmap(mem, 2 * SZ_2M);
}

TEST_F(limits, kernel_uaddr)
{
	/* The kernel half: access_ok() refuses it, movable or pinned. */
	void *kaddr = (void *)0xffff888000000000UL;

	EXPECT_EQ(-1, __mshv_set_guest_memory(self->vm.fd, SZ_1G, SZ_2M,
					      kaddr, RW));
	EXPECT_EQ(EINVAL, errno);
	mshv_set_movable(self->vm.fd, false);
	EXPECT_EQ(-1, __mshv_set_guest_memory(self->vm.fd, SZ_1G, SZ_2M,
					      kaddr, RW));
	EXPECT_EQ(EINVAL, errno);
}

/* The fuzzer's call (made in a child: with the old code it lasted). */
static void fuzzer_call(int pt_fd)
{
	struct mshv_user_mem_region r = {
		.guest_pfn = 0,
		.size = 1ULL << 52,
		.userspace_addr = 0x10000,
		.flags = RW,
	};

	if (ioctl(pt_fd, MSHV_SET_GUEST_MEMORY, &r) == -1 && errno == EINVAL)
		return;
	_exit(1);
}

TEST_F_TIMEOUT(limits, fuzzer_region, 2 * KILL_WAIT_MS / 1000)
{
	int pidfd, status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* Partition fds serve only their creator's address space. */
		struct mshv_vm vm;

		mshv_vm_create(&vm, true);
		fuzzer_call(vm.fd);
		_exit(0);
	}
	pidfd = pidfd_of(pid);
	ASSERT_LE(0, pidfd);
	status = wait_child(pid, pidfd);
	if (status == -1) {
		kill(pid, SIGKILL);
		close(pidfd);
		ASSERT_TRUE(0) TH_LOG("the call took over %d ms", KILL_WAIT_MS);
	}
	close(pidfd);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("not EINVAL");
}

/* System time of @pid in clock ticks (/proc/PID/stat), -1 if unknown. */
static long long stime_of(pid_t pid)
{
	char path[64], buf[512];
	long long stime = -1;
	const char *p;
	ssize_t n;
	int fd, i;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* Fields from 3 on follow the ")" that ends the command name. */
	p = strrchr(buf, ')');
	for (i = 2; p && i < 15; i++)
		p = strchr(p + 1, ' ');
	if (p)
		sscanf(p + 1, "%lld", &stime);
	return stime;
}

/*
 * Start a child with a partition of its own that makes @call on it over
 * and over, telling each one on a pipe before it starts; SIGKILL it
 * once it has started call @nth (counting from 0) and has been seen
 * running in the kernel (its system time grew, within a bound), and time
 * its death, which takes in the teardown of its partition.
 * Return: milliseconds from the kill to the end of the child, or -1 if it
 * outlived KILL_WAIT_MS.
 */
static long long kill_in_call(struct __test_metadata *_metadata,
			      void (*call)(int pt_fd), int nth, bool *in_kernel)
{
	int pipefd[2], pidfd, status, i;
	long long t0, stime0, deadline;
	struct mshv_vm vm;
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(pipefd[0]);
		mshv_vm_create(&vm, true);
		for (c = 1;; c++) {
			if (write(pipefd[1], &c, 1) != 1)
				_exit(2);
			call(vm.fd);
		}
	}
	close(pipefd[1]);
	pidfd = pidfd_of(pid);
	ASSERT_LE(0, pidfd);
	for (i = 0; i <= nth; i++)
		ASSERT_EQ(1, read(pipefd[0], &c, 1));
	stime0 = stime_of(pid);
	deadline = now_ms() + KILL_WAIT_MS / 4;
	*in_kernel = false;
	while (stime0 >= 0 && !*in_kernel && now_ms() < deadline)
		*in_kernel = stime_of(pid) > stime0;
	t0 = now_ms();
	kill(pid, SIGKILL);
	status = wait_child(pid, pidfd);
	close(pidfd);
	close(pipefd[0]);
	if (status == -1)
		return -1;
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	return now_ms() - t0;
}

TEST_F_TIMEOUT(limits, kill_fuzzer_region, 2 * KILL_WAIT_MS / 1000)
{
	bool in_kernel;
	long long ms;

	ms = kill_in_call(_metadata, fuzzer_call, 0, &in_kernel);
	ASSERT_LE(0, ms) TH_LOG("still alive %d ms after SIGKILL",
				KILL_WAIT_MS);
	TH_LOG("died %lld ms after SIGKILL%s", ms,
	       in_kernel ? ", sent in the kernel" : "");
}

/*
 * The largest movable region accepted: all the GPA space below the
 * address width (at most 2^46 bytes of user addresses, which any x86-64
 * process has), over a hole: movable regions need no user memory to be
 * created, only the hypervisor's, which runs out first (ENOMEM) unless
 * it is plentiful.  Either way the call must die promptly when killed.
 */
static __u64 largest_size;
static void *largest_uaddr;

static void largest_call(int pt_fd)
{
	int ret;

	ret = __mshv_set_guest_memory(pt_fd, 0, largest_size, largest_uaddr,
				      RW);
	if (!ret)
		__mshv_set_guest_memory(pt_fd, 0, largest_size, largest_uaddr,
					UNMAP);
}

/*
 * Each failed call leaves the memory deposited for it with the
 * hypervisor, so the next one maps further before it fails: kill i lands
 * in call i of its child or a later one, each longer than the last.
 */
TEST_F_TIMEOUT(limits, kill_largest,
	       (KILL_ROUNDS + 1) * 2 * KILL_WAIT_MS / 1000)
{
	long long ms, worst = 0, t0;
	int i, ret, in_n = 0;
	bool in_kernel;

	largest_size = gfn_limit(self->width) * GUEST_PAGE_SIZE;
	if (largest_size > (1ULL << 46))
		largest_size = 1ULL << 46;
	largest_uaddr = user_hole(largest_size);
	ASSERT_NE(NULL, largest_uaddr);

	/* A few calls in the open, to see what they do and how long. */
	for (i = 0; i < 3; i++) {
		t0 = now_ms();
		ret = __mshv_set_guest_memory(self->vm.fd, 0, largest_size,
					      largest_uaddr, RW);
		TH_LOG("%llu GiB movable region, call %d: %s after %lld ms",
		       (unsigned long long)(largest_size / SZ_1G), i,
		       ret ? strerror(errno) : "mapped", now_ms() - t0);
		if (!ret)
			EXPECT_EQ(0, __mshv_set_guest_memory(self->vm.fd, 0,
							     largest_size,
							     largest_uaddr,
							     UNMAP));
	}

	for (i = 0; i < KILL_ROUNDS; i++) {
		ms = kill_in_call(_metadata, largest_call, i, &in_kernel);
		ASSERT_LE(0, ms) TH_LOG("still alive %d ms after SIGKILL",
					KILL_WAIT_MS);
		TH_LOG("kill from call %d on: dead after %lld ms%s", i, ms,
		       in_kernel ? ", sent in the kernel" : "");
		if (ms > worst)
			worst = ms;
		in_n += in_kernel;
	}
	TH_LOG("%d kills (%d sent in the kernel): worst %lld ms from SIGKILL to death",
	       KILL_ROUNDS, in_n, worst);
}

TEST_F(limits, pinned_hole)
{
	__u64 size = 1ULL << 40;	/* 2^28 pages: a 2 GiB page array */
	void *hole;

	if (gfn_limit(self->width) * GUEST_PAGE_SIZE < size)
		size = gfn_limit(self->width) * GUEST_PAGE_SIZE;
	hole = user_hole(size);
	ASSERT_NE(NULL, hole);
	mshv_set_movable(self->vm.fd, false);
	EXPECT_EQ(-1, __mshv_set_guest_memory(self->vm.fd, 0, size, hole,
					      RW));
	EXPECT_EQ(EFAULT, errno);
	/* A hole at the end of a mapping as well. */
	hole = mmap(hole, SZ_2M, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	EXPECT_EQ(-1, __mshv_set_guest_memory(self->vm.fd, 0, size, hole,
					      RW));
	EXPECT_EQ(EFAULT, errno);
	/* A mapping that pinning (which asks for write) would refuse. */
	ASSERT_EQ(0, mprotect(hole, SZ_2M, PROT_READ));
	EXPECT_EQ(-1, __mshv_set_guest_memory(self->vm.fd, 0, SZ_2M, hole,
					      RW));
	EXPECT_EQ(EFAULT, errno);
	munmap(hole, SZ_2M);
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* A 32 MiB memory cgroup; false without cgroup v2 and its memory controller. */
static bool memcg_make(void)
{
	struct stat st;

	if (stat(CGROUP_ROOT "/cgroup.controllers", &st) &&
	    mount("cgroup2", CGROUP_ROOT, "cgroup2", 0, NULL))
		return false;
	if (write_file(CGROUP_ROOT "/cgroup.subtree_control", "+memory"))
		return false;
	if (mkdir(CGROUP_DIR, 0755) && errno != EEXIST)
		return false;
	/* No swap to fall back on, where swap is accounted at all. */
	write_file(CGROUP_DIR "/memory.swap.max", "0");
	return !write_file(CGROUP_DIR "/memory.max", "33554432");
}

TEST_F_TIMEOUT(limits, pinned_hole_memcg, 2 * KILL_WAIT_MS / 1000)
{
	__u64 size = 1ULL << 36;	/* 2^24 pages: a 128 MiB page array */
	int pidfd, status;
	void *hole;
	pid_t pid;

	if (!memcg_make())
		SKIP(return, "no cgroup v2 memory controller");
	hole = user_hole(size);
	ASSERT_NE(NULL, hole);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct mshv_vm vm;
		char me[32];

		snprintf(me, sizeof(me), "%d", getpid());
		if (write_file(CGROUP_DIR "/cgroup.procs", me))
			_exit(3);
		/* Its own partition: fds serve only their creator's mm. */
		mshv_vm_create(&vm, true);
		mshv_set_movable(vm.fd, false);
		if (__mshv_set_guest_memory(vm.fd, 0, size, hole, RW))
			_exit(errno == EFAULT ? 0 : errno == ENOMEM ? 4 : 5);
		_exit(6);
	}
	pidfd = pidfd_of(pid);
	ASSERT_LE(0, pidfd);
	status = wait_child(pid, pidfd);
	close(pidfd);
	rmdir(CGROUP_DIR);
	ASSERT_NE(-1, status);
	ASSERT_TRUE(WIFEXITED(status))
		TH_LOG("killed by signal %d (the memcg OOM killer?)",
		       WTERMSIG(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("exit %d: 3 no cgroup, 4 ENOMEM, 5 other error, 6 mapped",
		       WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
