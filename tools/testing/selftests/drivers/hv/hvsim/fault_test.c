// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercall failures injected through hvsim's debugfs fault knobs
 * (/sys/kernel/debug/hvsim/fault/: fail_code, fail_status, fail_nth):
 * for every hypercall the driver issues on its own, failing it once makes
 * the ioctl that issued it fail with an errno (or succeed, for the
 * statuses that ask for memory, which the driver answers by depositing
 * and retrying), and once every fd is closed hvsim owns nothing for the
 * partition any more.  hvsim repeats INSUFFICIENT_ROOT_MEMORY and the
 * CONTIGUOUS variants until it gets the deposit they ask for (into the
 * root itself; an aligned run of HV_MAX_CONTIGUOUS_ALLOCATION_PAGES
 * frames), so only a driver that makes that deposit sees the ioctl work.
 * Failures of teardown hypercalls are retried by the driver, so they
 * must not leak either.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mshv_util.h"

#define FAULT_DIR		HVSIM_DEBUGFS_DIR "/fault"
#define GUEST_MEM_SIZE		0x10000
/* Big enough for any XSAVE area the driver accepts. */
#define STATE_BUF_SIZE		(16 * GUEST_PAGE_SIZE)

/* Where in the life of a partition the fault is armed. */
enum stage {
	ST_CREATE,		/* MSHV_CREATE_PARTITION */
	ST_INIT,		/* MSHV_INITIALIZE_PARTITION */
	ST_MAP,			/* MSHV_SET_GUEST_MEMORY */
	ST_CREATE_VP,		/* MSHV_CREATE_VP */
	ST_SET_REGS,		/* ROOT_HVCALL(SET_VP_REGISTERS) */
	ST_GET_REGS,		/* ROOT_HVCALL(GET_VP_REGISTERS) */
	ST_SET_STATE,		/* MSHV_SET_VP_STATE(LAPIC) */
	ST_GET_STATE,		/* MSHV_GET_VP_STATE(LAPIC) */
	ST_XSAVE,		/* MSHV_GET_VP_STATE(XSAVE), first use */
	ST_RUN,			/* MSHV_RUN_VP */
	ST_UNMAP,		/* MSHV_SET_GUEST_MEMORY(UNMAP) */
	ST_TEARDOWN,		/* closing the last fd */
	ST_NONE,
};

static const char * const counters[] = {
	"partitions", "vps", "deposited_pages", "mapped_pages",
};

static int write_knob(const char *name, unsigned long long value)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", FAULT_DIR, name);
	return write_num_file(path, value);
}

static void fault_arm(__u16 code, __u16 status)
{
	TEST_ASSERT(write_knob("fail_nth", 0) == 0, "disarm");
	TEST_ASSERT(write_knob("fail_status", status) == 0,
		    "fail_status 0x%x", status);
	TEST_ASSERT(write_knob("fail_code", code) == 0, "fail_code 0x%x",
		    code);
	TEST_ASSERT(write_knob("fail_nth", 1) == 0, "fail_nth 1");
}

static void fault_disarm(void)
{
	write_knob("fail_nth", 0);
}

FIXTURE(fault) {
	struct mshv_vm vm;
	int vp_fd;
	void *regs_page;
	void *mem;
	void *state;
	long leaked;
	long root_pages;
	long wanted_met;
};

FIXTURE_VARIANT(fault) {
	enum stage stage;
	__u16 code;
	__u16 status;
	int want_errno;		/* 0: the ioctl succeeds anyway */
};

#define FAULT(_name, _stage, _code, _status, _errno)			\
	FIXTURE_VARIANT_ADD(fault, _name) {				\
		.stage = _stage, .code = HVCALL_##_code,		\
		.status = HV_STATUS_##_status, .want_errno = _errno,	\
	}

/* Failures the ioctl reports. */
FAULT(create_partition, ST_CREATE, CREATE_PARTITION, INVALID_PARAMETER, EINVAL);
FAULT(initialize_partition, ST_INIT, INITIALIZE_PARTITION, INVALID_PARAMETER, EINVAL);
FAULT(deposit_memory, ST_INIT, DEPOSIT_MEMORY, INVALID_PARAMETER, EINVAL);
FAULT(deposit_no_memory, ST_INIT, DEPOSIT_MEMORY, INSUFFICIENT_MEMORY, ENOMEM);
FAULT(map_gpa_pages, ST_MAP, MAP_GPA_PAGES, INVALID_PARAMETER, EINVAL);
FAULT(create_vp, ST_CREATE_VP, CREATE_VP, INVALID_PARAMETER, EINVAL);
FAULT(create_vp_deposit, ST_CREATE_VP, DEPOSIT_MEMORY, OPERATION_DENIED, EIO);
FAULT(map_vp_state_page, ST_CREATE_VP, MAP_VP_STATE_PAGE, INVALID_PARAMETER, EINVAL);
FAULT(set_vp_registers, ST_SET_REGS, SET_VP_REGISTERS, INVALID_PARAMETER, EINVAL);
FAULT(get_vp_registers, ST_GET_REGS, GET_VP_REGISTERS, ACCESS_DENIED, EIO);
FAULT(set_vp_state, ST_SET_STATE, SET_VP_STATE, INVALID_PARAMETER, EINVAL);
FAULT(get_vp_state, ST_GET_STATE, GET_VP_STATE, INVALID_PARAMETER, EINVAL);
FAULT(get_partition_property, ST_XSAVE, GET_PARTITION_PROPERTY, INVALID_PARAMETER, EINVAL);
FAULT(dispatch_vp, ST_RUN, DISPATCH_VP, INVALID_PARAMETER, EINVAL);
FAULT(unmap_gpa_pages, ST_UNMAP, UNMAP_GPA_PAGES, INVALID_PARAMETER, EINVAL);

/* INSUFFICIENT_MEMORY: the driver deposits and retries; the ioctl works. */
FAULT(create_partition_nomem, ST_CREATE, CREATE_PARTITION, INSUFFICIENT_MEMORY, 0);
FAULT(initialize_partition_nomem, ST_INIT, INITIALIZE_PARTITION, INSUFFICIENT_MEMORY, 0);
FAULT(map_gpa_pages_nomem, ST_MAP, MAP_GPA_PAGES, INSUFFICIENT_MEMORY, 0);
FAULT(create_vp_nomem, ST_CREATE_VP, CREATE_VP, INSUFFICIENT_MEMORY, 0);
FAULT(map_vp_state_page_nomem, ST_CREATE_VP, MAP_VP_STATE_PAGE, INSUFFICIENT_MEMORY, 0);
FAULT(set_vp_registers_nomem, ST_SET_REGS, SET_VP_REGISTERS, INSUFFICIENT_MEMORY, 0);
FAULT(set_vp_state_nomem, ST_SET_STATE, SET_VP_STATE, INSUFFICIENT_MEMORY, 0);
FAULT(get_vp_state_nomem, ST_GET_STATE, GET_VP_STATE, INSUFFICIENT_MEMORY, 0);

/*
 * The statuses of newer hypervisors that ask for a particular deposit, at
 * every site that deposits and retries: the ioctl works once the driver
 * made it.
 */
#define FAULT_WANT(_name, _stage, _code)				\
	FAULT(_name##_root, _stage, _code, INSUFFICIENT_ROOT_MEMORY, 0);	\
	FAULT(_name##_contig, _stage, _code,				\
	      INSUFFICIENT_CONTIGUOUS_MEMORY, 0);			\
	FAULT(_name##_contig_root, _stage, _code,			\
	      INSUFFICIENT_CONTIGUOUS_ROOT_MEMORY, 0)
FAULT_WANT(create_partition, ST_CREATE, CREATE_PARTITION);
FAULT_WANT(initialize_partition, ST_INIT, INITIALIZE_PARTITION);
FAULT_WANT(map_gpa_pages, ST_MAP, MAP_GPA_PAGES);
FAULT_WANT(create_vp, ST_CREATE_VP, CREATE_VP);
FAULT_WANT(map_vp_state_page, ST_CREATE_VP, MAP_VP_STATE_PAGE);
FAULT_WANT(set_vp_registers, ST_SET_REGS, SET_VP_REGISTERS);
FAULT_WANT(set_vp_state, ST_SET_STATE, SET_VP_STATE);
FAULT_WANT(get_vp_state, ST_GET_STATE, GET_VP_STATE);

/* Teardown: retried by the driver, nothing may be left behind. */
FAULT(teardown_unmap_vp_state_page, ST_TEARDOWN, UNMAP_VP_STATE_PAGE, INVALID_PARAMETER, 0);
FAULT(teardown_delete_vp, ST_TEARDOWN, DELETE_VP, INVALID_PARAMETER, 0);
FAULT(teardown_finalize, ST_TEARDOWN, FINALIZE_PARTITION, OPERATION_FAILED, 0);
FAULT(teardown_unmap_gpa, ST_TEARDOWN, UNMAP_GPA_PAGES, OPERATION_FAILED, 0);
FAULT(teardown_withdraw, ST_TEARDOWN, WITHDRAW_MEMORY, OPERATION_FAILED, 0);
/* A withdrawal that stops early is retried before DELETE is. */
FAULT(teardown_withdraw_stops, ST_TEARDOWN, WITHDRAW_MEMORY, NO_RESOURCES, 0);
FAULT(teardown_delete, ST_TEARDOWN, DELETE_PARTITION, OPERATION_FAILED, 0);

FIXTURE_SETUP(fault)
{
	unsigned int i;

	self->vm.fd = -1;
	self->vm.dev_fd = -1;
	self->vp_fd = -1;
	self->regs_page = MAP_FAILED;
	self->mem = NULL;
	self->state = NULL;
	MSHV_REQUIRE_DEV();
	MSHV_REQUIRE_HVSIM_DEBUGFS();
	if (access(FAULT_DIR "/fail_nth", W_OK))
		SKIP(return, FAULT_DIR " not present: hvsim has no fault injection");
	if (variant->stage == ST_RUN && !hvsim_root_scheduler())
		SKIP(return, "DISPATCH_VP is only issued under the root scheduler");
	for (i = 0; i < ARRAY_SIZE(counters); i++)
		ASSERT_EQ(0, hvsim_counter(counters[i]));
	self->leaked = mshv_leaked_pages();
	self->root_pages = hvsim_counter("root_pages");
	self->wanted_met = read_num_file(FAULT_DIR "/wanted_met");
	self->state = mshv_alloc_state_buf(STATE_BUF_SIZE);
}

FIXTURE_TEARDOWN(fault)
{
	fault_disarm();
}

/*
 * One step of building the guest: arm the fault before it if this is the
 * variant's stage, and afterwards check the outcome.  Return: true if the
 * step failed, so the test stops building.
 */
static bool step(struct __test_metadata *_metadata,
		 const FIXTURE_VARIANT(fault) *variant, enum stage stage,
		 int ret, int err, __u16 status, bool has_status)
{
	if (variant->stage != stage) {
		EXPECT_LE(0, ret) {
			TH_LOG("stage %d failed: errno %d", stage, err);
		}
		return ret < 0;
	}
	/* hvsim still waiting for a deposit: the driver never made it. */
	EXPECT_EQ(0, read_num_file(FAULT_DIR "/wanted"));
	fault_disarm();
	if (variant->want_errno) {
		EXPECT_EQ(-1, ret);
		EXPECT_EQ(variant->want_errno, err);
		if (has_status)
			EXPECT_EQ(variant->status, status);
	} else {
		EXPECT_LE(0, ret) {
			TH_LOG("errno %d: the driver should have deposited and retried",
			       err);
		}
	}
	return ret < 0;
}

static void arm_at(const FIXTURE_VARIANT(fault) *variant, enum stage stage)
{
	if (variant->stage == stage)
		fault_arm(variant->code, variant->status);
}

/* Run the stages in order up to the first failure; return the failed one. */
static enum stage build(struct __test_metadata *_metadata,
			FIXTURE_DATA(fault) *self,
			const FIXTURE_VARIANT(fault) *variant)
{
	static const __u8 hlt = 0xf4;
	struct mshv_create_partition_v2 args;
	struct mshv_user_mem_region region;
	struct mshv_run_vp run;
	struct hv_register_assoc assoc = {
		.name = HV_X64_REGISTER_RCX,
		.value.reg64 = 0x5678,
	};
	__u32 name = HV_X64_REGISTER_RBX, sz;
	union hv_register_value value;
	__u16 status = 0;
	int ret;

	self->vm.dev_fd = mshv_open_dev();
	mshv_partition_args(&args, true);
	arm_at(variant, ST_CREATE);
	ret = __mshv_create_partition(self->vm.dev_fd, &args);
	if (step(_metadata, variant, ST_CREATE, ret, errno, 0, false))
		return ST_CREATE;
	self->vm.fd = ret;

	arm_at(variant, ST_INIT);
	ret = __mshv_initialize_partition(self->vm.fd);
	if (step(_metadata, variant, ST_INIT, ret, errno, 0, false))
		return ST_INIT;

	self->mem = mshv_alloc_guest_mem(GUEST_MEM_SIZE);
	region = (struct mshv_user_mem_region) {
		.size = GUEST_MEM_SIZE,
		.guest_pfn = 0,
		.userspace_addr = (__u64)(unsigned long)self->mem,
		.flags = BIT(MSHV_SET_MEM_BIT_WRITABLE) |
			 BIT(MSHV_SET_MEM_BIT_EXECUTABLE),
	};
	arm_at(variant, ST_MAP);
	ret = ioctl(self->vm.fd, MSHV_SET_GUEST_MEMORY, &region);
	if (step(_metadata, variant, ST_MAP, ret, errno, 0, false))
		return ST_MAP;
	if (variant->stage == ST_MAP)
		EXPECT_EQ(GUEST_MEM_SIZE / GUEST_PAGE_SIZE,
			  hvsim_counter("mapped_pages"));

	arm_at(variant, ST_CREATE_VP);
	ret = __mshv_create_vp(self->vm.fd, 0);
	if (step(_metadata, variant, ST_CREATE_VP, ret, errno, 0, false)) {
		EXPECT_EQ(0, hvsim_counter("vps"));
		return ST_CREATE_VP;
	}
	self->vp_fd = ret;
	self->regs_page = mshv_mmap_vp_page(self->vp_fd,
					    MSHV_VP_MMAP_OFFSET_REGISTERS);
	EXPECT_NE(MAP_FAILED, self->regs_page);

	mshv_load_guest(self->mem, GUEST_CODE_GPA, &hlt, 1);
	arm_at(variant, ST_SET_REGS);
	ret = __mshv_set_regs(self->vp_fd, 0, &assoc, 1, &status);
	if (step(_metadata, variant, ST_SET_REGS, ret, errno, status, true))
		return ST_SET_REGS;
	EXPECT_EQ(0x5678ULL, mshv_get_reg(self->vp_fd, 0, HV_X64_REGISTER_RCX));

	arm_at(variant, ST_GET_REGS);
	ret = __mshv_get_regs(self->vp_fd, 0, &name, &value, 1, &status);
	if (step(_metadata, variant, ST_GET_REGS, ret, errno, status, true))
		return ST_GET_REGS;

	sz = GUEST_PAGE_SIZE;
	arm_at(variant, ST_GET_STATE);
	ret = __mshv_get_vp_state(self->vp_fd, MSHV_VP_STATE_LAPIC,
				  self->state, &sz);
	if (step(_metadata, variant, ST_GET_STATE, ret, errno, 0, false))
		return ST_GET_STATE;
	arm_at(variant, ST_SET_STATE);
	ret = __mshv_set_vp_state(self->vp_fd, MSHV_VP_STATE_LAPIC,
				  self->state, &sz);
	if (step(_metadata, variant, ST_SET_STATE, ret, errno, 0, false))
		return ST_SET_STATE;
	sz = STATE_BUF_SIZE;
	arm_at(variant, ST_XSAVE);
	ret = __mshv_get_vp_state(self->vp_fd, MSHV_VP_STATE_XSAVE,
				  self->state, &sz);
	if (step(_metadata, variant, ST_XSAVE, ret, errno, 0, false))
		return ST_XSAVE;

	mshv_set_real_mode(self->vp_fd, 0, GUEST_CODE_GPA);
	arm_at(variant, ST_RUN);
	do {
		ret = ioctl(self->vp_fd, MSHV_RUN_VP, &run);
	} while (ret < 0 && errno == EINTR);
	if (step(_metadata, variant, ST_RUN, ret, errno, 0, false))
		return ST_RUN;

	region.flags = BIT(MSHV_SET_MEM_BIT_UNMAP);
	arm_at(variant, ST_UNMAP);
	ret = ioctl(self->vm.fd, MSHV_SET_GUEST_MEMORY, &region);
	if (step(_metadata, variant, ST_UNMAP, ret, errno, 0, false)) {
		/* Still mapped and pinned; a second unmap works. */
		EXPECT_EQ(0, ioctl(self->vm.fd, MSHV_SET_GUEST_MEMORY,
				   &region));
		return ST_UNMAP;
	}
	/* Map it again so that teardown has a region to unmap. */
	region.flags = BIT(MSHV_SET_MEM_BIT_WRITABLE);
	EXPECT_EQ(0, ioctl(self->vm.fd, MSHV_SET_GUEST_MEMORY, &region));
	return ST_NONE;
}

/* Pages the deposit a status asks for puts into the root, or 0. */
static long root_deposit(__u16 status)
{
	switch (status) {
	case HV_STATUS_INSUFFICIENT_ROOT_MEMORY:
		return 1;
	case HV_STATUS_INSUFFICIENT_CONTIGUOUS_ROOT_MEMORY:
		return HV_MAX_CONTIGUOUS_ALLOCATION_PAGES;
	default:
		return 0;
	}
}

/*
 * For the statuses hvsim repeats until it gets their deposit: hvsim saw
 * exactly one deposit of the wanted kind.  What went into the root stays
 * there (the root never withdraws its own pages; hvsim frees them when
 * it is unloaded): root_pages grew by at least that much.  Deposits into
 * the guest all came back (deposited_pages, checked above, is 0).
 */
static void check_wanted_deposit(struct __test_metadata *_metadata,
				 FIXTURE_DATA(fault) *self,
				 const FIXTURE_VARIANT(fault) *variant)
{
	bool wants = variant->status == HV_STATUS_INSUFFICIENT_ROOT_MEMORY ||
		     variant->status == HV_STATUS_INSUFFICIENT_CONTIGUOUS_MEMORY ||
		     variant->status ==
				HV_STATUS_INSUFFICIENT_CONTIGUOUS_ROOT_MEMORY;

	EXPECT_EQ(0, read_num_file(FAULT_DIR "/wanted"));
	EXPECT_EQ(self->wanted_met + (wants ? 1 : 0),
		  read_num_file(FAULT_DIR "/wanted_met"));
	EXPECT_LE(self->root_pages + root_deposit(variant->status),
		  hvsim_counter("root_pages"));
}

TEST_F(fault, inject)
{
	unsigned int i;
	long after;

	TH_LOG("code 0x%x (stage %d) fails with status 0x%x",
	       variant->code, variant->stage, variant->status);
	build(_metadata, self, variant);

	if (self->regs_page != MAP_FAILED)
		munmap(self->regs_page, GUEST_PAGE_SIZE);
	if (self->vp_fd >= 0)
		close(self->vp_fd);
	close(self->vm.dev_fd);
	arm_at(variant, ST_TEARDOWN);
	if (self->vm.fd >= 0)
		close(self->vm.fd);
	fault_disarm();
	if (self->mem)
		munmap(self->mem, GUEST_MEM_SIZE);
	free(self->state);

	for (i = 0; i < ARRAY_SIZE(counters); i++) {
		after = hvsim_counter(counters[i]);
		EXPECT_EQ(0, after) {
			TH_LOG("%s: %ld left after close", counters[i], after);
		}
	}
	EXPECT_EQ(self->leaked, mshv_leaked_pages());
	check_wanted_deposit(_metadata, self, variant);
}

/* ------------------------------------------------------------------ */
/* The knobs themselves: one-shot fail_nth, the pool cap.             */
/* ------------------------------------------------------------------ */

FIXTURE(knobs) {
	struct mshv_vm vm;
	int vp_fd;
};

FIXTURE_SETUP(knobs)
{
	self->vm.dev_fd = -1;
	self->vm.fd = -1;
	self->vp_fd = -1;
	MSHV_REQUIRE_DEV();
	if (access(FAULT_DIR "/fail_nth", W_OK))
		SKIP(return, "no %s", FAULT_DIR);
	mshv_vm_create(&self->vm, true);
	self->vp_fd = __mshv_create_vp(self->vm.fd, 0);
	ASSERT_LE(0, self->vp_fd);
}

FIXTURE_TEARDOWN(knobs)
{
	write_num_file(FAULT_DIR "/fail_nth", 0);
	write_num_file(FAULT_DIR "/pool_cap", 0);
	write_num_file(FAULT_DIR "/fail_status", HV_STATUS_INSUFFICIENT_MEMORY);
	if (self->vp_fd >= 0)
		close(self->vp_fd);
	mshv_vm_destroy(&self->vm);
}

TEST_F(knobs, fail_nth_passthrough)
{
	long long before = read_num_file(FAULT_DIR "/injected");
	__u32 name = HV_X64_REGISTER_RIP;
	union hv_register_value v;
	__u16 st;

	ASSERT_EQ(0, write_num_file(FAULT_DIR "/fail_code",
				HVCALL_GET_VP_REGISTERS));
	ASSERT_EQ(0, write_num_file(FAULT_DIR "/fail_status",
				HV_STATUS_OPERATION_FAILED));
	ASSERT_EQ(0, write_num_file(FAULT_DIR "/fail_nth", 2));

	EXPECT_EQ(0, __mshv_get_regs(self->vm.fd, 0, &name, &v, 1, &st));
	EXPECT_EQ(-1, __mshv_get_regs(self->vm.fd, 0, &name, &v, 1, &st));
	EXPECT_EQ(EIO, errno);
	EXPECT_EQ(HV_STATUS_OPERATION_FAILED, st);
	/* One shot. */
	EXPECT_EQ(0, __mshv_get_regs(self->vm.fd, 0, &name, &v, 1, &st));
	EXPECT_EQ(0, read_num_file(FAULT_DIR "/fail_nth"));
	EXPECT_EQ(before + 1, read_num_file(FAULT_DIR "/injected"));
}

TEST_F(knobs, pool_cap)
{
	long long hits = read_num_file(FAULT_DIR "/pool_cap_hits");
	int fd;

	/* A child pool of one page cannot be initialized. */
	ASSERT_EQ(0, write_num_file(FAULT_DIR "/pool_cap", 1));
	fd = mshv_create_partition(self->vm.dev_fd, true);
	EXPECT_EQ(-1, __mshv_initialize_partition(fd));
	EXPECT_EQ(ENOMEM, errno);
	EXPECT_LT(hits, read_num_file(FAULT_DIR "/pool_cap_hits"));
	ASSERT_EQ(0, write_num_file(FAULT_DIR "/pool_cap", 0));
	/* Lifted, it works (the initialize is retried). */
	EXPECT_EQ(0, __mshv_initialize_partition(fd));
	close(fd);
}

TEST_HARNESS_MAIN
