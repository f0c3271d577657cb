// SPDX-License-Identifier: GPL-2.0
/*
 * Releasing partitions: whatever order the fds and mappings go away in,
 * also when the process just exits, and also when an allocation on the
 * way fails, hvsim ends up owning nothing for the partition (its debugfs
 * counters return to zero).
 */
#include <errno.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mshv_util.h"

#define GUEST_MEM_SIZE	0x10000
#define NR_VPS		2

static const char * const counters[] = {
	"partitions", "vps", "deposited_pages", "mapped_pages",
};

#define NR_COUNTERS	ARRAY_SIZE(counters)

struct guest {
	struct mshv_vm vm;
	struct mshv_vcpu vcpu[NR_VPS];
	void *mem;
};

static void read_counters(long *values)
{
	unsigned int i;

	for (i = 0; i < NR_COUNTERS; i++)
		values[i] = hvsim_counter(counters[i]);
}

static void expect_all_zero(struct __test_metadata *_metadata,
			    const long *before)
{
	long after[NR_COUNTERS];
	unsigned int i;

	read_counters(after);
	for (i = 0; i < NR_COUNTERS; i++) {
		TH_LOG("%s: before %ld after %ld", counters[i], before[i],
		       after[i]);
		EXPECT_EQ(0, after[i]);
	}
}

/* A partition with memory and NR_VPS VPs; VP 0 has run to a HLT. */
static void guest_create(struct __test_metadata *_metadata, struct guest *g)
{
	static const __u8 hlt = 0xf4;
	struct hv_message msg;
	long live[NR_COUNTERS];
	unsigned int i;

	mshv_vm_create(&g->vm, true);
	g->mem = mshv_map_guest_mem(g->vm.fd, 0, GUEST_MEM_SIZE);
	for (i = 0; i < NR_VPS; i++)
		mshv_vcpu_create(&g->vcpu[i], g->vm.fd, i);
	mshv_load_guest(g->mem, GUEST_CODE_GPA, &hlt, 1);
	mshv_set_real_mode(g->vm.fd, 0, GUEST_CODE_GPA);
	mshv_run_vp(g->vcpu[0].fd, &msg);
	ASSERT_EQ(HVMSG_X64_HALT, msg.header.message_type);

	/* Everything is accounted for while it lives. */
	read_counters(live);
	EXPECT_LE(1, live[0]);
	EXPECT_LE(NR_VPS, live[1]);
	EXPECT_LT(0, live[2]);
	EXPECT_LE(GUEST_MEM_SIZE / GUEST_PAGE_SIZE, live[3]);
}

static void unmap_vp_pages(struct mshv_vcpu *vcpu)
{
	munmap(vcpu->regs, GUEST_PAGE_SIZE);
	munmap(vcpu->msg, GUEST_PAGE_SIZE);
	vcpu->regs = NULL;
	vcpu->msg = NULL;
}

FIXTURE(teardown) {
	long before[NR_COUNTERS];
	struct guest g;
};

FIXTURE_SETUP(teardown)
{
	MSHV_REQUIRE_DEV();
	MSHV_REQUIRE_HVSIM_DEBUGFS();
	read_counters(self->before);
}

FIXTURE_TEARDOWN(teardown)
{
}

TEST_F(teardown, partition_fd_first)
{
	struct guest *g = &self->g;
	unsigned int i;

	guest_create(_metadata, g);
	for (i = 0; i < NR_VPS; i++)
		unmap_vp_pages(&g->vcpu[i]);
	close(g->vm.fd);
	/* The VP fds still hold the partition. */
	EXPECT_LE(1, hvsim_counter("partitions"));
	for (i = 0; i < NR_VPS; i++)
		close(g->vcpu[i].fd);
	close(g->vm.dev_fd);
	munmap(g->mem, GUEST_MEM_SIZE);
	expect_all_zero(_metadata, self->before);
}

TEST_F(teardown, vp_fds_first)
{
	struct guest *g = &self->g;
	unsigned int i;

	guest_create(_metadata, g);
	for (i = 0; i < NR_VPS; i++)
		mshv_vcpu_destroy(&g->vcpu[i]);
	close(g->vm.dev_fd);
	/* The partition fd still holds the partition. */
	EXPECT_LE(1, hvsim_counter("partitions"));
	close(g->vm.fd);
	expect_all_zero(_metadata, self->before);
	munmap(g->mem, GUEST_MEM_SIZE);
}

/*
 * FINALIZE removes every GPA mapping, and the hypervisor refuses GPA
 * unmaps of a finalized partition (hvsim does too): closing an
 * initialized partition whose memory is still mapped issues no
 * UNMAP_GPA_PAGES, and the memory is released all the same.
 */
TEST_F(teardown, no_unmap_after_finalize)
{
	struct guest *g = &self->g;
	long unmaps;
	unsigned int i;

	guest_create(_metadata, g);
	for (i = 0; i < NR_VPS; i++)
		mshv_vcpu_destroy(&g->vcpu[i]);
	unmaps = hvsim_hypercall_count(HVCALL_UNMAP_GPA_PAGES);
	ASSERT_LE(0, unmaps);
	close(g->vm.fd);
	close(g->vm.dev_fd);
	EXPECT_EQ(unmaps, hvsim_hypercall_count(HVCALL_UNMAP_GPA_PAGES));
	expect_all_zero(_metadata, self->before);
	munmap(g->mem, GUEST_MEM_SIZE);
}

/* The mmapped VP pages keep the VP (and its partition) alive. */
TEST_F(teardown, mappings_last)
{
	struct guest *g = &self->g;
	unsigned int i;

	guest_create(_metadata, g);
	close(g->vm.fd);
	for (i = 0; i < NR_VPS; i++)
		close(g->vcpu[i].fd);
	close(g->vm.dev_fd);
	EXPECT_LE(1, hvsim_counter("partitions"));
	/* Still readable: the last message is the HLT. */
	EXPECT_EQ(HVMSG_X64_HALT, g->vcpu[0].msg->header.message_type);
	for (i = 0; i < NR_VPS; i++)
		unmap_vp_pages(&g->vcpu[i]);
	expect_all_zero(_metadata, self->before);
	munmap(g->mem, GUEST_MEM_SIZE);
}

/* A process that exits without closing anything leaks nothing. */
TEST_F(teardown, process_exit)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		guest_create(_metadata, &self->g);
		_exit(_metadata->exit_code);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	expect_all_zero(_metadata, self->before);
}

/* Two partitions, released interleaved with each other. */
TEST_F(teardown, two_partitions)
{
	struct guest g2;
	struct guest *g = &self->g;
	unsigned int i;

	guest_create(_metadata, g);
	guest_create(_metadata, &g2);
	EXPECT_LE(2, hvsim_counter("partitions"));
	close(g->vm.fd);
	for (i = 0; i < NR_VPS; i++)
		mshv_vcpu_destroy(&g2.vcpu[i]);
	close(g2.vm.fd);
	for (i = 0; i < NR_VPS; i++)
		mshv_vcpu_destroy(&g->vcpu[i]);
	close(g->vm.dev_fd);
	close(g2.vm.dev_fd);
	expect_all_zero(_metadata, self->before);
	munmap(g->mem, GUEST_MEM_SIZE);
	munmap(g2.mem, GUEST_MEM_SIZE);
}

/* ------------------------------------------------------------------ */
/* Allocation failures while the partition fd is closed.              */
/* ------------------------------------------------------------------ */

/* Far more than the close path allocates; reaching it fails the test. */
#define SWEEP_MAX	2000
#define IOEVENTFD_GPA	0xd0000000ULL
#define IRQ_GSI		5

/* Fault injection (see mshv_fail_nth_setup()). */
FIXTURE(alloc_fail) {
	struct mshv_fail_nth fail;
};

FIXTURE_SETUP(alloc_fail)
{
	unsigned int i;

	MSHV_REQUIRE_DEV();
	MSHV_REQUIRE_HVSIM_DEBUGFS();
	for (i = 0; i < NR_COUNTERS; i++)
		ASSERT_EQ(0, hvsim_counter(counters[i]));
	MSHV_REQUIRE_FAIL_NTH(&self->fail);
}

FIXTURE_TEARDOWN(alloc_fail)
{
	mshv_fail_nth_cleanup(&self->fail);
}

/*
 * A partition with everything whose release the partition fd's close
 * runs: a movable and a pinned memory region, a VP (its fd closed, so
 * the partition goes with the partition fd), an irqfd and an ioeventfd.
 */
struct sweep_guest {
	struct mshv_vm vm;
	void *mem[2];
	int efd[2];
};

static void sweep_guest_create(struct __test_metadata *_metadata,
			       struct sweep_guest *g)
{
	struct mshv_user_irq_entry route = {
		.gsi = IRQ_GSI, .address_lo = MSI_ADDR(0), .data = 0x30,
	};
	struct mshv_user_ioeventfd ioev = {
		.addr = IOEVENTFD_GPA, .len = 4,
	};
	struct mshv_vcpu vcpu;

	mshv_vm_create(&g->vm, true);
	g->mem[0] = mshv_map_guest_mem(g->vm.fd, 0, GUEST_MEM_SIZE);
	/* One pinned region beside the movable one, if the switch is there. */
	mshv_set_movable(g->vm.fd, false);
	g->mem[1] = mshv_map_guest_mem(g->vm.fd, GUEST_MEM_SIZE,
				       GUEST_MEM_SIZE);
	mshv_vcpu_create(&vcpu, g->vm.fd, 0);
	mshv_vcpu_destroy(&vcpu);

	g->efd[0] = eventfd(0, EFD_CLOEXEC);
	g->efd[1] = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, g->efd[0]);
	ASSERT_LE(0, g->efd[1]);
	ASSERT_EQ(0, __mshv_set_msi_routing(g->vm.fd, &route, 1));
	ASSERT_EQ(0, __mshv_irqfd(g->vm.fd, g->efd[0], -1, IRQ_GSI, 0));
	ioev.fd = g->efd[1];
	ASSERT_EQ(0, ioctl(g->vm.fd, MSHV_IOEVENTFD, &ioev));
	close(g->vm.dev_fd);
}

static void sweep_guest_free(struct sweep_guest *g)
{
	close(g->efd[0]);
	close(g->efd[1]);
	munmap(g->mem[0], GUEST_MEM_SIZE);
	munmap(g->mem[1], GUEST_MEM_SIZE);
}

/*
 * For N = 1, 2, ...: fail the Nth allocation made while the partition fd
 * is closed, until the close makes fewer than N.  Whatever fails, the
 * partition must be gone from the hypervisor afterwards, its deposit
 * withdrawn, its VPs and mappings removed.
 */
TEST_F(alloc_fail, close_partition_sweep)
{
	struct sweep_guest g;
	long after[NR_COUNTERS];
	bool leaked = false;
	unsigned int n, i;
	unsigned int left = 0;

	for (n = 1; n <= SWEEP_MAX && !left && !leaked; n++) {
		sweep_guest_create(_metadata, &g);
		mshv_fail_nth_arm(&self->fail, n);
		close(g.vm.fd);
		/* 0: the Nth allocation was failed; else it never came. */
		left = mshv_fail_nth_disarm(&self->fail);
		sweep_guest_free(&g);

		read_counters(after);
		for (i = 0; i < NR_COUNTERS; i++) {
			if (!after[i])
				continue;
			TH_LOG("allocation %u of the close failed: %s: %ld left",
			       n, counters[i], after[i]);
			leaked = true;
		}
	}
	ASSERT_FALSE(leaked);
	EXPECT_NE(0U, left) {
		TH_LOG("the close still allocated after %u failures",
		       SWEEP_MAX);
	}
	if (left)
		TH_LOG("the close made %u allocations; failing each left nothing behind",
		       n - 2);
}

TEST_HARNESS_MAIN
