// SPDX-License-Identifier: GPL-2.0
/*
 * Doorbells across CPU hotplug.  A doorbell's port id is queued on the
 * event ring of the root CPU the guest ran on; the driver drains it from
 * its own per-CPU tail.  When a CPU goes offline and comes back, its
 * SynIC is disabled and enabled again, and where the hypervisor then
 * writes is its business: upstream Linux expects it to keep its head
 * (and keeps its tail), hvsim restarts at slot 0 unless its debugfs knob
 * ring_keep_head is set.  The driver must work with both.
 *
 * For each behaviour: the test thread runs a guest on CPU 1 that writes
 * a doorbell (an ioeventfd) and halts, a few times, so that the ring of
 * CPU 1 is part-way round; CPU 1 goes offline and online again; more
 * runs on CPU 1 must each signal the eventfd.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mshv_util.h"

#define GUEST_MEM_SIZE	0x10000
#define DB_GPA		0x20000ULL	/* no RAM there */
#define CPU		1
#define CPU_ONLINE	"/sys/devices/system/cpu/cpu1/online"
#define KEEP_HEAD	HVSIM_DEBUGFS_DIR "/ring_keep_head"
#define RUNS		5
#define SIGNAL_MS	5000

/*
 * Real mode, at GUEST_CODE_GPA:
 *	1: mov ax, DB_GPA >> 4; mov ds, ax; mov byte [0], 1; hlt; jmp 1b
 */
static const __u8 guest_code[] = {
	0xb8, DB_GPA >> 4 & 0xff, DB_GPA >> 12 & 0xff,
	0x8e, 0xd8,
	0xc6, 0x06, 0x00, 0x00, 0x01,
	0xf4,
	0xeb, 0xf3,
};

static bool pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) == 0;
}

FIXTURE(hotplug) {
	struct mshv_vm vm;
	struct mshv_vcpu vcpu;
	__u8 *mem;
	int efd;
};

FIXTURE_VARIANT(hotplug) {
	int keep_head;
};

FIXTURE_VARIANT_ADD(hotplug, head_restarts) {
	.keep_head = 0,
};

FIXTURE_VARIANT_ADD(hotplug, head_kept) {
	.keep_head = 1,
};

FIXTURE_SETUP(hotplug)
{
	self->vm.fd = -1;
	self->vm.dev_fd = -1;
	self->vcpu.fd = -1;
	self->mem = NULL;
	self->efd = -1;
	MSHV_REQUIRE_DEV();
	MSHV_REQUIRE_HVSIM_DEBUGFS();
	if (access(KEEP_HEAD, W_OK))
		SKIP(return, "hvsim has no ring_keep_head knob");
	if (access(CPU_ONLINE, W_OK))
		SKIP(return, "CPU %d cannot go offline here", CPU);
	ASSERT_EQ(0, write_num_file(KEEP_HEAD, variant->keep_head));
	ASSERT_TRUE(pin_to(CPU));

	mshv_vm_create(&self->vm, true);
	self->mem = mshv_map_guest_mem(self->vm.fd, 0, GUEST_MEM_SIZE);
	mshv_vcpu_create(&self->vcpu, self->vm.fd, 0);
	mshv_load_guest(self->mem, GUEST_CODE_GPA, guest_code,
			sizeof(guest_code));
	mshv_set_real_mode(self->vm.fd, 0, GUEST_CODE_GPA);
	self->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, self->efd);
	ASSERT_EQ(0, __mshv_ioeventfd(self->vm.fd, self->efd, DB_GPA, 1, 0,
				      0));
}

FIXTURE_TEARDOWN(hotplug)
{
	write_num_file(CPU_ONLINE, 1);
	write_num_file(KEEP_HEAD, 0);
	if (self->efd >= 0)
		close(self->efd);
	mshv_vcpu_destroy(&self->vcpu);
	mshv_vm_destroy(&self->vm);
	if (self->mem)
		munmap(self->mem, GUEST_MEM_SIZE);
}

/* One pass of the guest loop: its doorbell must reach the eventfd. */
static void ring_once(struct __test_metadata *_metadata,
		      FIXTURE_DATA(hotplug) *self, unsigned int i)
{
	struct pollfd p = { .fd = self->efd, .events = POLLIN };
	struct hv_message msg;
	__u64 count = 0;

	mshv_run_vp(self->vcpu.fd, &msg);
	ASSERT_EQ(HVMSG_X64_HALT, msg.header.message_type);
	EXPECT_EQ(1, poll(&p, 1, SIGNAL_MS)) {
		TH_LOG("doorbell %u never signalled", i);
	}
	EXPECT_EQ((ssize_t)sizeof(count),
		  read(self->efd, &count, sizeof(count)));
	EXPECT_EQ(1ULL, count);
}

TEST_F(hotplug, doorbells_after_offline_online)
{
	unsigned int i;

	for (i = 0; i < RUNS; i++)
		ring_once(_metadata, self, i);

	ASSERT_TRUE(pin_to(0));
	ASSERT_EQ(0, write_num_file(CPU_ONLINE, 0));
	ASSERT_EQ(0, write_num_file(CPU_ONLINE, 1));
	ASSERT_TRUE(pin_to(CPU));

	for (i = 0; i < RUNS; i++)
		ring_once(_metadata, self, RUNS + i);
}

TEST_HARNESS_MAIN
