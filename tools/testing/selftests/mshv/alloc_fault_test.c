// SPDX-License-Identifier: GPL-2.0
/*
 * Every kernel allocation on each /dev/mshv ioctl path, failed in turn.
 *
 * For N = 1, 2, ... the Nth allocation of the call under test fails
 * (fail-nth, see mshv_fail_nth_setup()), until the call makes fewer than
 * N.  Each failing call must return -1 with an errno its section of
 * Documentation/virt/mshv/api.rst allows, must change nothing a VMM can
 * see, and the same call without a failure must then work.  Once a path
 * is done and its fds are closed, hvsim and mshv_root own what they owned
 * before it.  Needs a kernel with fault injection (the debug kernel);
 * skips elsewhere.
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mshv_util.h"

/* Far more than any path allocates; reaching it fails the test. */
#define SWEEP_MAX	5000U
/* A test's bound: a sweep repeats its call hundreds of times. */
#define SWEEP_TIMEOUT_S	1200
#define GUEST_MEM_SIZE	0x10000
#define MAP_GPA		0x100000ULL
#define MAP_SIZE	0x10000ULL
#define IOEVENTFD_GPA	0xd0000000ULL
#define IRQ_GSI		5
/* VP indexes of a partition: below MSHV_MAX_VPS (api.rst, 3.2). */
#define MAX_VPS		256
#define IRQ_GSI_EDGE	6
#define MEM_RWX		(BIT(MSHV_SET_MEM_BIT_WRITABLE) | \
			 BIT(MSHV_SET_MEM_BIT_EXECUTABLE))
#define IRQFD_RESAMPLE	BIT(MSHV_IRQFD_BIT_RESAMPLE)
#define IRQFD_DEASSIGN	BIT(MSHV_IRQFD_BIT_DEASSIGN)

/* What hvsim and mshv_root own; each path must give all of it back. */
enum {
	C_PARTITIONS, C_VPS, C_DEPOSITED, C_MAPPED, C_PINNED, C_LEAKED,
	NR_COUNTERS
};

static const char * const counter_names[NR_COUNTERS] = {
	"partitions", "vps", "deposited_pages", "mapped_pages",
	"pinned_pages", "leaked_pages",
};

#define SAME(c)		(1u << (c))
/* A failed call that creates something left none of it behind. */
#define SAME_ALL	(SAME(C_PARTITIONS) | SAME(C_VPS) | \
			 SAME(C_DEPOSITED) | SAME(C_MAPPED) | \
			 SAME(C_PINNED) | SAME(C_LEAKED))
/*
 * Pages a failed call deposited into a partition stay in its pool until
 * the partition goes, and a failed run may have faulted in guest memory:
 * neither is visible to the VMM.
 */
#define SAME_OBJECTS	(SAME(C_PARTITIONS) | SAME(C_VPS) | \
			 SAME(C_PINNED) | SAME(C_LEAKED))

static void read_counters(long *v)
{
	unsigned int i;

	for (i = 0; i <= C_MAPPED; i++)
		v[i] = hvsim_counter(counter_names[i]);
	v[C_PINNED] = mshv_pinned_pages();
	v[C_LEAKED] = mshv_leaked_pages();
}

/* Everything the paths work on; what a path does not use stays unset. */
struct ctx {
	struct mshv_vm vm;
	struct mshv_vcpu vcpu;
	int pt_fd;		/* a partition fd under test */
	int vp_fd;		/* a VP fd under test */
	__u32 vp_index;
	bool set_movable;	/* the run path sets movable_regions ... */
	bool map_movable;	/* ... to this; what the path maps */
	void *mem;		/* guest RAM at GPA 0 */
	void *map_mem;		/* the region mapped at MAP_GPA */
	struct mshv_create_partition_v2 pt_args;
	/* VP pages */
	unsigned int vp_page;
	void *vp_map;
	int efd;
	int efd2;
	/* VP state */
	__u8 state_type;
	__u32 state_sz;
	void *state[2];
	/* registers */
	__u64 rax;
	/* the result of the last successful call */
	struct mshv_run_vp run;
	__u8 bitmap[MAP_SIZE / GUEST_PAGE_SIZE / 8];
};

/**
 * struct path - one ioctl path to sweep
 * @name: for the log
 * @same: counters (SAME()) a failed call must leave as they were
 * @errnos: allowed errnos of a failed call, 0-terminated; ENOMEM first
 * @begin: build what every call of the path needs
 * @prepare: before each call (no failures injected)
 * @call: the call under test; the ioctl's result, errno set on -1
 * @failed: after a failed call: check that nothing changed
 * @undo: after a successful call, with its result: back to the state
 *	@prepare left
 * @end: release what @begin built; every fd must be closed after it
 */
struct path {
	const char *name;
	unsigned int same;
	int errnos[3];
	void (*begin)(struct __test_metadata *_metadata, struct ctx *c);
	void (*prepare)(struct __test_metadata *_metadata, struct ctx *c);
	int (*call)(struct ctx *c);
	void (*failed)(struct __test_metadata *_metadata, struct ctx *c);
	void (*undo)(struct __test_metadata *_metadata, struct ctx *c,
		     int ret);
	void (*end)(struct __test_metadata *_metadata, struct ctx *c);
};

#define ERRNOS_MEM	{ ENOMEM }
#define ERRNOS_MEM_FAULT	{ ENOMEM, EFAULT }

FIXTURE(alloc_fault) {
	struct mshv_fail_nth fail;
	long base[NR_COUNTERS];
	struct ctx c;
};

FIXTURE_SETUP(alloc_fault)
{
	unsigned int i;

	MSHV_REQUIRE_DEV();
	MSHV_REQUIRE_HVSIM_DEBUGFS();
	read_counters(self->base);
	for (i = 0; i < NR_COUNTERS; i++)
		if (self->base[i] < 0)
			SKIP(return, "no hvsim or mshv_root counter %s",
			     counter_names[i]);
	memset(&self->c, 0, sizeof(self->c));
	self->c.vm.fd = -1;
	self->c.vm.dev_fd = -1;
	self->c.vcpu.fd = -1;
	self->c.pt_fd = -1;
	self->c.vp_fd = -1;
	self->c.efd = -1;
	self->c.efd2 = -1;
	MSHV_REQUIRE_FAIL_NTH(&self->fail);
}

FIXTURE_TEARDOWN(alloc_fault)
{
	mshv_fail_nth_cleanup(&self->fail);
}

/*
 * Wait (bounded) until every counter is back at @base: a partition goes
 * when its last fd closes, which close() itself completes, but a test
 * killed before may still be releasing one.
 */
static void expect_counters(struct __test_metadata *_metadata,
			    const char *name, const long *base)
{
	time_t end = time(NULL) + MSHV_IDLE_WAIT_S;
	long now[NR_COUNTERS];
	bool changed = false;
	unsigned int i;

	for (;;) {
		read_counters(now);
		if (!memcmp(now, base, sizeof(now)) || time(NULL) > end)
			break;
		usleep(1000);
	}
	for (i = 0; i < NR_COUNTERS; i++) {
		if (now[i] == base[i])
			continue;
		TH_LOG("%s: %s %ld, was %ld before the path", name,
		       counter_names[i], now[i], base[i]);
		changed = true;
	}
	EXPECT_FALSE(changed);
}

/* @err's place in @p->errnos, or ARRAY_SIZE(p->errnos) if not there. */
static unsigned int errno_index(const struct path *p, int err)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(p->errnos) && p->errnos[i]; i++)
		if (p->errnos[i] == err)
			return i;
	return ARRAY_SIZE(p->errnos);
}

/*
 * Sweep one path: returns the number of allocations its call makes (each
 * of which was failed once).
 */
static unsigned int sweep(struct __test_metadata *_metadata,
			  struct mshv_fail_nth *f, const long *base,
			  const struct path *p, struct ctx *c)
{
	long before[NR_COUNTERS], after[NR_COUNTERS];
	/* Failed calls by errno (ERRNOS order), and failures survived. */
	unsigned int nr_errno[ARRAY_SIZE(p->errnos)] = { 0 };
	unsigned int n, i, left = 0, survived = 0;
	bool changed = false;
	int ret, err;

	if (p->begin)
		p->begin(_metadata, c);
	for (n = 1; n <= SWEEP_MAX; n++) {
		if (p->prepare)
			p->prepare(_metadata, c);
		read_counters(before);

		mshv_fail_nth_arm(f, n);
		ret = p->call(c);
		err = errno;
		/* 0: the Nth allocation happened and failed. */
		left = mshv_fail_nth_disarm(f);

		if (ret < 0) {
			ASSERT_EQ(-1, ret);
			ASSERT_EQ(0U, left)
				TH_LOG("%s: failed (%s) with no allocation failed",
				       p->name, strerror(err));
			i = errno_index(p, err);
			ASSERT_GT(ARRAY_SIZE(p->errnos), i)
				TH_LOG("%s: allocation %u failed: errno %d (%s)",
				       p->name, n, err, strerror(err));
			nr_errno[i]++;
			read_counters(after);
			for (i = 0; i < NR_COUNTERS; i++) {
				if (!(p->same & SAME(i)) ||
				    before[i] == after[i])
					continue;
				TH_LOG("%s: allocation %u failed: %s %ld -> %ld",
				       p->name, n, counter_names[i], before[i],
				       after[i]);
				changed = true;
			}
			ASSERT_FALSE(changed);
			if (p->failed)
				p->failed(_metadata, c);
			/* The same call, with nothing failed, works. */
			ret = p->call(c);
			ASSERT_LE(0, ret)
				TH_LOG("%s: after allocation %u failed, the call fails: %s",
				       p->name, n, strerror(errno));
			left = 0;
		} else if (!left) {
			survived++;
		}
		if (p->undo)
			p->undo(_metadata, c, ret);
		if (left)
			break;
	}
	ASSERT_GE(SWEEP_MAX, n)
		TH_LOG("%s: still allocating after %u failures", p->name,
		       SWEEP_MAX);
	/* A path without an end leaves the caller's objects alive. */
	if (p->end) {
		p->end(_metadata, c);
		expect_counters(_metadata, p->name, base);
	}
	TH_LOG("%s: %u allocations failed in turn: %u survived, %u ENOMEM, %u %s, %u %s",
	       p->name, n - 1, survived, nr_errno[0], nr_errno[1],
	       p->errnos[1] ? strerrorname_np(p->errnos[1]) : "-",
	       nr_errno[2], p->errnos[2] ? strerrorname_np(p->errnos[2]) : "-");
	return n - 1;
}

/* ------------------------------------------------------------------ */
/* Shared building blocks                                             */
/* ------------------------------------------------------------------ */

static void vm_end(struct __test_metadata *_metadata, struct ctx *c)
{
	mshv_vm_destroy(&c->vm);
}

/* An initialized partition with VP 0, its pages mapped. */
static void vp_begin(struct __test_metadata *_metadata, struct ctx *c)
{
	mshv_vm_create(&c->vm, true);
	mshv_vcpu_create(&c->vcpu, c->vm.fd, 0);
}

static void vp_end(struct __test_metadata *_metadata, struct ctx *c)
{
	mshv_vcpu_destroy(&c->vcpu);
	mshv_vm_destroy(&c->vm);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* ------------------------------------------------------------------ */
/* MSHV_CREATE_PARTITION, MSHV_INITIALIZE_PARTITION                   */
/* ------------------------------------------------------------------ */

static void dev_begin(struct __test_metadata *_metadata, struct ctx *c)
{
	c->vm.dev_fd = mshv_open_dev();
}

static int create_partition(struct ctx *c)
{
	c->pt_fd = __mshv_create_partition(c->vm.dev_fd, &c->pt_args);
	return c->pt_fd;
}

static void close_pt(struct __test_metadata *_metadata, struct ctx *c,
		     int ret)
{
	close_fd(&c->pt_fd);
}

static const struct path create_partition_path = {
	.name = "MSHV_CREATE_PARTITION",
	.same = SAME_ALL,
	.errnos = ERRNOS_MEM,
	.begin = dev_begin,
	.call = create_partition,
	.undo = close_pt,
	.end = vm_end,
};

TEST_F_TIMEOUT(alloc_fault, create_partition_v1, SWEEP_TIMEOUT_S)
{
	mshv_partition_args(&self->c.pt_args, false);
	sweep(_metadata, &self->fail, self->base, &create_partition_path,
	      &self->c);
}

TEST_F_TIMEOUT(alloc_fault, create_partition_v2, SWEEP_TIMEOUT_S)
{
	mshv_partition_args(&self->c.pt_args, true);
	sweep(_metadata, &self->fail, self->base, &create_partition_path,
	      &self->c);
}

static void new_partition(struct __test_metadata *_metadata, struct ctx *c)
{
	c->pt_fd = mshv_create_partition(c->vm.dev_fd, true);
}

static int initialize_partition(struct ctx *c)
{
	return __mshv_initialize_partition(c->pt_fd);
}

/* Initialization withdraws what it deposited when it fails. */
TEST_F_TIMEOUT(alloc_fault, initialize_partition, SWEEP_TIMEOUT_S)
{
	static const struct path path = {
		.name = "MSHV_INITIALIZE_PARTITION",
		.same = SAME_ALL,
		.errnos = ERRNOS_MEM,
		.begin = dev_begin,
		.prepare = new_partition,
		.call = initialize_partition,
		.undo = close_pt,
		.end = vm_end,
	};

	sweep(_metadata, &self->fail, self->base, &path, &self->c);
}

/* ------------------------------------------------------------------ */
/* MSHV_SET_GUEST_MEMORY                                              */
/* ------------------------------------------------------------------ */

static void mem_begin(struct __test_metadata *_metadata, struct ctx *c)
{
	mshv_vm_create(&c->vm, true);
	c->map_mem = mshv_alloc_guest_mem(MAP_SIZE);
	/* Populated: the sweep is about the driver, not page faults. */
	memset(c->map_mem, 0x5a, MAP_SIZE);
	ASSERT_LE(0, mshv_set_movable(c->vm.fd, c->map_movable));
}

static void mem_end(struct __test_metadata *_metadata, struct ctx *c)
{
	mshv_vm_destroy(&c->vm);
	munmap(c->map_mem, MAP_SIZE);
}

static int map_region(struct ctx *c)
{
	return __mshv_set_guest_memory(c->vm.fd, MAP_GPA, MAP_SIZE,
				       c->map_mem, MEM_RWX);
}

static int unmap_region(struct ctx *c)
{
	return __mshv_set_guest_memory(c->vm.fd, MAP_GPA, MAP_SIZE,
				       c->map_mem,
				       BIT(MSHV_SET_MEM_BIT_UNMAP));
}

static void unmap_ok(struct __test_metadata *_metadata, struct ctx *c,
		     int ret)
{
	ASSERT_EQ(0, unmap_region(c));
}

static void map_ok(struct __test_metadata *_metadata, struct ctx *c)
{
	ASSERT_EQ(0, map_region(c));
}

/* A failed unmap leaves the region in place. */
static void region_present(struct __test_metadata *_metadata,
			   struct ctx *c)
{
	ASSERT_EQ(-1, map_region(c));
	ASSERT_EQ(EEXIST, errno);
}

/* A failed map leaves no region: the retry (a second map) succeeds. */
static const struct path map_path = {
	.name = "MSHV_SET_GUEST_MEMORY map",
	.same = SAME_ALL,
	.errnos = ERRNOS_MEM_FAULT,
	.begin = mem_begin,
	.call = map_region,
	.undo = unmap_ok,
	.end = mem_end,
};

static const struct path unmap_path = {
	.name = "MSHV_SET_GUEST_MEMORY unmap",
	.same = SAME(C_PARTITIONS) | SAME(C_VPS) | SAME(C_PINNED) |
		SAME(C_LEAKED),
	.errnos = ERRNOS_MEM,
	.begin = mem_begin,
	.prepare = map_ok,
	.call = unmap_region,
	.failed = region_present,
	.end = mem_end,
};

TEST_F_TIMEOUT(alloc_fault, map_movable, SWEEP_TIMEOUT_S)
{
	self->c.map_movable = true;
	sweep(_metadata, &self->fail, self->base, &map_path, &self->c);
}

TEST_F_TIMEOUT(alloc_fault, map_pinned, SWEEP_TIMEOUT_S)
{
	self->c.map_movable = false;
	sweep(_metadata, &self->fail, self->base, &map_path, &self->c);
}

TEST_F_TIMEOUT(alloc_fault, unmap_movable, SWEEP_TIMEOUT_S)
{
	self->c.map_movable = true;
	sweep(_metadata, &self->fail, self->base, &unmap_path, &self->c);
}

TEST_F_TIMEOUT(alloc_fault, unmap_pinned, SWEEP_TIMEOUT_S)
{
	self->c.map_movable = false;
	sweep(_metadata, &self->fail, self->base, &unmap_path, &self->c);
}

/* ------------------------------------------------------------------ */
/* MSHV_CREATE_VP                                                     */
/* ------------------------------------------------------------------ */

/* Each call creates the next VP index; a partition takes MAX_VPS. */
static void next_vp_index(struct __test_metadata *_metadata, struct ctx *c)
{
	if (c->vm.fd < 0 || c->vp_index == MAX_VPS) {
		mshv_vm_destroy(&c->vm);
		mshv_vm_create(&c->vm, true);
		c->vp_index = 0;
	}
}

static int create_vp(struct ctx *c)
{
	c->vp_fd = __mshv_create_vp(c->vm.fd, c->vp_index);
	return c->vp_fd;
}

static void close_vp(struct __test_metadata *_metadata, struct ctx *c,
		     int ret)
{
	close_fd(&c->vp_fd);
	c->vp_index++;
}

/* A failed create leaves the VP index free: the retry creates it. */
TEST_F_TIMEOUT(alloc_fault, create_vp, SWEEP_TIMEOUT_S)
{
	static const struct path path = {
		.name = "MSHV_CREATE_VP",
		.same = SAME_OBJECTS,
		.errnos = ERRNOS_MEM,
		.prepare = next_vp_index,
		.call = create_vp,
		.undo = close_vp,
		.end = vm_end,
	};

	sweep(_metadata, &self->fail, self->base, &path, &self->c);
}

/* ------------------------------------------------------------------ */
/* mmap() of the VP pages and their first fault                       */
/* ------------------------------------------------------------------ */

static void vp_fd_begin(struct __test_metadata *_metadata, struct ctx *c)
{
	mshv_vm_create(&c->vm, true);
	c->vp_fd = __mshv_create_vp(c->vm.fd, 0);
	ASSERT_LE(0, c->vp_fd);
}

static void vp_fd_end(struct __test_metadata *_metadata, struct ctx *c)
{
	close_fd(&c->vp_fd);
	mshv_vm_destroy(&c->vm);
}

static void new_efd(struct __test_metadata *_metadata, struct ctx *c)
{
	c->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, c->efd);
}

/*
 * Map the page, and have the kernel read it (a write of its first 8
 * bytes to an eventfd): the first fault then happens in the kernel, so
 * that a failure in it is an EFAULT rather than a retried user fault.
 */
static int vp_page_fault(struct ctx *c)
{
	if (!c->vp_map) {
		c->vp_map = mshv_mmap_vp_page(c->vp_fd, c->vp_page);
		if (c->vp_map == MAP_FAILED) {
			c->vp_map = NULL;
			return -1;
		}
	}
	return write(c->efd, c->vp_map, sizeof(__u64)) == sizeof(__u64) ?
	       0 : -1;
}

static void vp_page_unmap(struct __test_metadata *_metadata, struct ctx *c,
			  int ret)
{
	munmap(c->vp_map, GUEST_PAGE_SIZE);
	c->vp_map = NULL;
	close_fd(&c->efd);
}

static const struct path vp_page_path = {
	.name = "VP page mmap and first fault",
	.same = SAME_ALL,
	.errnos = ERRNOS_MEM_FAULT,
	.begin = vp_fd_begin,
	.prepare = new_efd,
	.call = vp_page_fault,
	.undo = vp_page_unmap,
	.end = vp_fd_end,
};

TEST_F_TIMEOUT(alloc_fault, mmap_register_page, SWEEP_TIMEOUT_S)
{
	self->c.vp_page = MSHV_VP_MMAP_OFFSET_REGISTERS;
	sweep(_metadata, &self->fail, self->base, &vp_page_path, &self->c);
}

TEST_F_TIMEOUT(alloc_fault, mmap_intercept_page, SWEEP_TIMEOUT_S)
{
	self->c.vp_page = MSHV_VP_MMAP_OFFSET_INTERCEPT_MESSAGE;
	sweep(_metadata, &self->fail, self->base, &vp_page_path, &self->c);
}

/* ------------------------------------------------------------------ */
/* MSHV_RUN_VP: the first run of a real-mode guest                    */
/* ------------------------------------------------------------------ */

static void guest_prepare(struct __test_metadata *_metadata, struct ctx *c)
{
	static const __u8 hlt = 0xf4;

	mshv_vm_create(&c->vm, true);
	if (c->set_movable)
		ASSERT_LE(0, mshv_set_movable(c->vm.fd, c->map_movable));
	c->mem = mshv_map_guest_mem(c->vm.fd, 0, GUEST_MEM_SIZE);
	mshv_load_guest(c->mem, GUEST_CODE_GPA, &hlt, 1);
	mshv_vcpu_create(&c->vcpu, c->vm.fd, 0);
	mshv_set_real_mode(c->vm.fd, 0, GUEST_CODE_GPA);
}

static int run_vp(struct ctx *c)
{
	return ioctl(c->vcpu.fd, MSHV_RUN_VP, &c->run);
}

static void guest_halted(struct __test_metadata *_metadata, struct ctx *c,
			 int ret)
{
	struct hv_message *msg = (void *)c->run.msg_buf;

	EXPECT_EQ(HVMSG_X64_HALT, msg->header.message_type);
	mshv_vcpu_destroy(&c->vcpu);
	mshv_vm_destroy(&c->vm);
	munmap(c->mem, GUEST_MEM_SIZE);
}

static void movable_begin(struct __test_metadata *_metadata, struct ctx *c)
{
	c->set_movable = true;
}

static void movable_end(struct __test_metadata *_metadata, struct ctx *c)
{
	c->set_movable = false;
}

/* A failed run may have faulted guest memory in, or deposited pages. */
static const struct path run_path = {
	.name = "MSHV_RUN_VP (first run)",
	.same = SAME_OBJECTS,
	.errnos = ERRNOS_MEM_FAULT,
	.begin = movable_begin,
	.prepare = guest_prepare,
	.call = run_vp,
	.undo = guest_halted,
	.end = movable_end,
};

TEST_F_TIMEOUT(alloc_fault, run_vp_movable, SWEEP_TIMEOUT_S)
{
	self->c.map_movable = true;
	sweep(_metadata, &self->fail, self->base, &run_path, &self->c);
}

TEST_F_TIMEOUT(alloc_fault, run_vp_pinned, SWEEP_TIMEOUT_S)
{
	self->c.map_movable = false;
	sweep(_metadata, &self->fail, self->base, &run_path, &self->c);
}

/* ------------------------------------------------------------------ */
/* MSHV_GET_VP_STATE, MSHV_SET_VP_STATE                               */
/* ------------------------------------------------------------------ */

static int get_state(struct ctx *c)
{
	__u32 sz = c->state_sz;

	return __mshv_get_vp_state(c->vcpu.fd, c->state_type, c->state[1],
				   &sz);
}

static int set_state(struct ctx *c)
{
	__u32 sz = c->state_sz;

	return __mshv_set_vp_state(c->vcpu.fd, c->state_type, c->state[0],
				   &sz);
}

/* The state read is the state there was (a set writes it back). */
static void state_same(struct __test_metadata *_metadata, struct ctx *c)
{
	memset(c->state[1], 0, c->state_sz);
	ASSERT_EQ(0, get_state(c));
	EXPECT_EQ(0, memcmp(c->state[0], c->state[1], c->state_sz));
}

static void state_got(struct __test_metadata *_metadata, struct ctx *c,
		      int ret)
{
	EXPECT_EQ(0, memcmp(c->state[0], c->state[1], c->state_sz));
}

static void state_set(struct __test_metadata *_metadata, struct ctx *c,
		      int ret)
{
	state_same(_metadata, c);
}

TEST_F_TIMEOUT(alloc_fault, vp_state, SWEEP_TIMEOUT_S)
{
	static const char * const names[] = {
		"LAPIC", "XSAVE", "SIMP", "SIEFP", "SYNTHETIC_TIMERS",
	};
	struct path get = {
		.same = SAME_OBJECTS,
		.errnos = ERRNOS_MEM_FAULT,
		.call = get_state,
		.failed = state_same,
		.undo = state_got,
	};
	struct path set = {
		.same = SAME_OBJECTS,
		.errnos = ERRNOS_MEM_FAULT,
		.call = set_state,
		.failed = state_same,
		.undo = state_set,
	};
	char get_name[64], set_name[64];
	struct ctx *c = &self->c;
	__u8 type;

	static_assert(ARRAY_SIZE(names) == MSHV_VP_STATE_COUNT);
	vp_begin(_metadata, c);
	for (type = 0; type < MSHV_VP_STATE_COUNT; type++) {
		__u32 sz = GUEST_PAGE_SIZE;
		void *probe = mshv_alloc_state_buf(sz);
		int ret;

		ret = __mshv_get_vp_state(c->vcpu.fd, type, probe, &sz);
		free(probe);
		ASSERT_TRUE(ret == 0 || errno == EINVAL) TH_LOG("%s", names[type]);
		c->state_type = type;
		c->state_sz = (sz + GUEST_PAGE_SIZE - 1) &
			      ~(GUEST_PAGE_SIZE - 1);
		c->state[0] = mshv_alloc_state_buf(c->state_sz);
		c->state[1] = mshv_alloc_state_buf(c->state_sz);
		sz = c->state_sz;
		ASSERT_EQ(0, __mshv_get_vp_state(c->vcpu.fd, type, c->state[0],
						 &sz));

		snprintf(get_name, sizeof(get_name), "MSHV_GET_VP_STATE %s",
			 names[type]);
		get.name = get_name;
		sweep(_metadata, &self->fail, self->base, &get, c);
		snprintf(set_name, sizeof(set_name), "MSHV_SET_VP_STATE %s",
			 names[type]);
		set.name = set_name;
		sweep(_metadata, &self->fail, self->base, &set, c);
		free(c->state[0]);
		free(c->state[1]);
	}
	vp_end(_metadata, c);
	expect_counters(_metadata, "MSHV_GET/SET_VP_STATE", self->base);
}

/* ------------------------------------------------------------------ */
/* MSHV_ROOT_HVCALL: GET_VP_REGISTERS, SET_VP_REGISTERS               */
/* ------------------------------------------------------------------ */

static int get_rax(struct ctx *c)
{
	static const __u32 name = HV_X64_REGISTER_RAX;
	union hv_register_value value;
	int ret;

	ret = __mshv_get_regs(c->vm.fd, 0, &name, &value, 1, NULL);
	if (!ret)
		c->rax = value.reg64;
	return ret;
}

static int set_rax(struct ctx *c)
{
	struct hv_register_assoc assoc = {
		.name = HV_X64_REGISTER_RAX,
		.value.reg64 = c->rax + 1,
	};

	return __mshv_set_regs(c->vm.fd, 0, &assoc, 1, NULL);
}

static void read_rax(struct __test_metadata *_metadata, struct ctx *c)
{
	ASSERT_EQ(0, get_rax(c));
}

/* A failed set changed nothing. */
static void rax_same(struct __test_metadata *_metadata, struct ctx *c)
{
	__u64 old = c->rax;

	read_rax(_metadata, c);
	ASSERT_EQ(old, c->rax);
}

static void rax_set(struct __test_metadata *_metadata, struct ctx *c,
		    int ret)
{
	__u64 old = c->rax;

	read_rax(_metadata, c);
	ASSERT_EQ(old + 1, c->rax);
}

TEST_F_TIMEOUT(alloc_fault, hvcall_vp_registers, SWEEP_TIMEOUT_S)
{
	static const struct path get = {
		.name = "MSHV_ROOT_HVCALL GET_VP_REGISTERS",
		.same = SAME_OBJECTS,
		.errnos = ERRNOS_MEM,
		.begin = vp_begin,
		.call = get_rax,
		.end = vp_end,
	};
	static const struct path set = {
		.name = "MSHV_ROOT_HVCALL SET_VP_REGISTERS",
		.same = SAME_OBJECTS,
		.errnos = ERRNOS_MEM,
		.begin = vp_begin,
		.prepare = read_rax,
		.call = set_rax,
		.failed = rax_same,
		.undo = rax_set,
		.end = vp_end,
	};

	sweep(_metadata, &self->fail, self->base, &get, &self->c);
	sweep(_metadata, &self->fail, self->base, &set, &self->c);
}

/* ------------------------------------------------------------------ */
/* MSHV_SET_MSI_ROUTING, MSHV_IRQFD                                   */
/* ------------------------------------------------------------------ */

static const struct mshv_user_irq_entry routes[] = {
	{ .gsi = IRQ_GSI, .address_lo = MSI_ADDR(0),
	  .data = MSI_DATA_LEVEL | 0x30 },
	{ .gsi = IRQ_GSI_EDGE, .address_lo = MSI_ADDR(0), .data = 0x31 },
};

static void irq_begin(struct __test_metadata *_metadata, struct ctx *c)
{
	mshv_vm_create(&c->vm, true);
	c->efd = eventfd(0, EFD_CLOEXEC);
	c->efd2 = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, c->efd);
	ASSERT_LE(0, c->efd2);
}

static void irq_end(struct __test_metadata *_metadata, struct ctx *c)
{
	close_fd(&c->efd);
	close_fd(&c->efd2);
	mshv_vm_destroy(&c->vm);
}

static void no_routes(struct __test_metadata *_metadata, struct ctx *c)
{
	ASSERT_EQ(0, __mshv_set_msi_routing(c->vm.fd, NULL, 0));
}

static int set_routes(struct ctx *c)
{
	return __mshv_set_msi_routing(c->vm.fd, routes, ARRAY_SIZE(routes));
}

/* A resample irqfd needs a level-triggered route for its GSI. */
static int resample_irqfd(struct ctx *c)
{
	return __mshv_irqfd(c->vm.fd, c->efd, c->efd2, IRQ_GSI,
			    IRQFD_RESAMPLE);
}

static int irqfd_deassign(struct ctx *c)
{
	return __mshv_irqfd(c->vm.fd, c->efd, -1, IRQ_GSI, IRQFD_DEASSIGN);
}

/* The old table (none) stays when the new one fails. */
static void routes_old(struct __test_metadata *_metadata, struct ctx *c)
{
	ASSERT_EQ(-1, resample_irqfd(c));
	ASSERT_EQ(EINVAL, errno);
}

static void routes_new(struct __test_metadata *_metadata, struct ctx *c,
		       int ret)
{
	ASSERT_EQ(0, resample_irqfd(c));
	ASSERT_EQ(0, irqfd_deassign(c));
}

TEST_F_TIMEOUT(alloc_fault, set_msi_routing, SWEEP_TIMEOUT_S)
{
	static const struct path path = {
		.name = "MSHV_SET_MSI_ROUTING",
		.same = SAME_OBJECTS,
		.errnos = ERRNOS_MEM,
		.begin = irq_begin,
		.prepare = no_routes,
		.call = set_routes,
		.failed = routes_old,
		.undo = routes_new,
		.end = irq_end,
	};

	sweep(_metadata, &self->fail, self->base, &path, &self->c);
}

static void routed_begin(struct __test_metadata *_metadata, struct ctx *c)
{
	irq_begin(_metadata, c);
	ASSERT_EQ(0, set_routes(c));
}

static int irqfd_assign(struct ctx *c)
{
	return __mshv_irqfd(c->vm.fd, c->efd, -1, IRQ_GSI, 0);
}

static void deassign_ok(struct __test_metadata *_metadata, struct ctx *c,
			int ret)
{
	ASSERT_EQ(0, irqfd_deassign(c));
}

static void assign_ok(struct __test_metadata *_metadata, struct ctx *c)
{
	ASSERT_EQ(0, irqfd_assign(c));
}

/* A failed deassign leaves the binding: binding the eventfd is refused. */
static void still_bound(struct __test_metadata *_metadata, struct ctx *c)
{
	ASSERT_EQ(-1, __mshv_irqfd(c->vm.fd, c->efd, -1, IRQ_GSI_EDGE, 0));
	ASSERT_EQ(EBUSY, errno);
}

/* A failed assign leaves the eventfd unbound: the retry binds it. */
TEST_F_TIMEOUT(alloc_fault, irqfd, SWEEP_TIMEOUT_S)
{
	static const struct path assign = {
		.name = "MSHV_IRQFD assign",
		.same = SAME_OBJECTS,
		.errnos = ERRNOS_MEM,
		.begin = routed_begin,
		.call = irqfd_assign,
		.undo = deassign_ok,
		.end = irq_end,
	};
	static const struct path resample = {
		.name = "MSHV_IRQFD assign with resample",
		.same = SAME_OBJECTS,
		.errnos = ERRNOS_MEM,
		.begin = routed_begin,
		.call = resample_irqfd,
		.undo = deassign_ok,
		.end = irq_end,
	};
	static const struct path deassign = {
		.name = "MSHV_IRQFD deassign",
		.same = SAME_OBJECTS,
		.errnos = ERRNOS_MEM,
		.begin = routed_begin,
		.prepare = assign_ok,
		.call = irqfd_deassign,
		.failed = still_bound,
		.end = irq_end,
	};

	sweep(_metadata, &self->fail, self->base, &assign, &self->c);
	sweep(_metadata, &self->fail, self->base, &resample, &self->c);
	sweep(_metadata, &self->fail, self->base, &deassign, &self->c);
}

/* ------------------------------------------------------------------ */
/* MSHV_IOEVENTFD                                                     */
/* ------------------------------------------------------------------ */

static int ioeventfd(struct ctx *c, __u32 flags)
{
	return __mshv_ioeventfd(c->vm.fd, c->efd, IOEVENTFD_GPA, 4, flags, 0);
}

static int ioeventfd_assign(struct ctx *c)
{
	return ioeventfd(c, 0);
}

static int ioeventfd_deassign(struct ctx *c)
{
	return ioeventfd(c, BIT(MSHV_IOEVENTFD_BIT_DEASSIGN));
}

static void ioeventfd_deassign_ok(struct __test_metadata *_metadata,
				  struct ctx *c, int ret)
{
	ASSERT_EQ(0, ioeventfd_deassign(c));
}

static void ioeventfd_assign_ok(struct __test_metadata *_metadata,
				struct ctx *c)
{
	ASSERT_EQ(0, ioeventfd_assign(c));
}

/* A failed deassign leaves the ioeventfd: a second one is refused. */
static void ioeventfd_present(struct __test_metadata *_metadata,
			      struct ctx *c)
{
	ASSERT_EQ(-1, ioeventfd_assign(c));
	ASSERT_EQ(EEXIST, errno);
}

/* A failed assign leaves none: the retry assigns it. */
TEST_F_TIMEOUT(alloc_fault, ioeventfd, SWEEP_TIMEOUT_S)
{
	static const struct path assign = {
		.name = "MSHV_IOEVENTFD assign",
		.same = SAME_OBJECTS,
		.errnos = ERRNOS_MEM,
		.begin = irq_begin,
		.call = ioeventfd_assign,
		.undo = ioeventfd_deassign_ok,
		.end = irq_end,
	};
	static const struct path deassign = {
		.name = "MSHV_IOEVENTFD deassign",
		.same = SAME_OBJECTS,
		.errnos = ERRNOS_MEM,
		.begin = irq_begin,
		.prepare = ioeventfd_assign_ok,
		.call = ioeventfd_deassign,
		.failed = ioeventfd_present,
		.end = irq_end,
	};

	sweep(_metadata, &self->fail, self->base, &assign, &self->c);
	sweep(_metadata, &self->fail, self->base, &deassign, &self->c);
}

/* ------------------------------------------------------------------ */
/* MSHV_GET_GPAP_ACCESS_BITMAP                                        */
/* ------------------------------------------------------------------ */

static void gpap_begin(struct __test_metadata *_metadata, struct ctx *c)
{
	mshv_vm_create(&c->vm, true);
	c->mem = mshv_map_guest_mem(c->vm.fd, MAP_GPA, MAP_SIZE);
}

static void gpap_end(struct __test_metadata *_metadata, struct ctx *c)
{
	mshv_vm_destroy(&c->vm);
	munmap(c->mem, MAP_SIZE);
}

static int gpap(struct ctx *c)
{
	struct mshv_gpap_access_bitmap args = {
		.access_type = MSHV_GPAP_ACCESS_TYPE_DIRTY,
		.access_op = MSHV_GPAP_ACCESS_OP_NOOP,
		.page_count = MAP_SIZE / GUEST_PAGE_SIZE,
		.gpap_base = MAP_GPA / GUEST_PAGE_SIZE,
		.bitmap_ptr = (__u64)(unsigned long)c->bitmap,
	};

	return ioctl(c->vm.fd, MSHV_GET_GPAP_ACCESS_BITMAP, &args);
}

TEST_F_TIMEOUT(alloc_fault, gpap_access_bitmap, SWEEP_TIMEOUT_S)
{
	static const struct path path = {
		.name = "MSHV_GET_GPAP_ACCESS_BITMAP",
		.same = SAME_OBJECTS,
		.errnos = { ENOMEM, EFAULT, EINTR },
		.begin = gpap_begin,
		.call = gpap,
		.end = gpap_end,
	};

	sweep(_metadata, &self->fail, self->base, &path, &self->c);
}

TEST_HARNESS_MAIN
