// SPDX-License-Identifier: GPL-2.0
/*
 * Pages the VMM shares with the driver and the hypervisor are untrusted
 * input: whatever user space writes into its mapping of a VP's register
 * page or intercept message page while the VP runs and interrupts are
 * injected, the kernel must neither crash nor read or write outside the
 * fields it owns.
 *
 *  - vector_count_scribble: the register page's interrupt-vector word
 *    (count byte + seven vectors) is overwritten with a count of 0xff and
 *    the routed vector in its slots, over and over, while an irqfd fires
 *    at a VP that exits on every instruction.  The driver's fast-path
 *    injection must bound the count (it once shifted up to 255 bytes of a
 *    stack union: a kernel stack overflow).
 *  - register_page_garbage: random bytes in every field of the register
 *    page (dirty bits set) between runs: each run either works or fails
 *    with an errno; the partition can still be torn down.
 *  - intercept_page_garbage: random bytes in the intercept message page
 *    while the VP runs (movable guest memory consults it on every exit).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mshv_util.h"

#define GUEST_MEM_SIZE	0x10000
#define GSI		3
#define VECTOR		0x41
#define ITERATIONS	20000
#define GARBAGE_RUNS	1000
/*
 * Each case takes 5-10 s on the debug kernel and over 30 s with both host
 * cores busy: bounded by the work, allowed six times that.
 */
#define CASE_TIMEOUT	180

/* 1: out %al,$0x80; jmp 1b -- an exit on every other instruction. */
static const __u8 out_loop[] = { 0xe6, 0x80, 0xeb, 0xfc };

FIXTURE(shared) {
	struct mshv_vm vm;
	struct mshv_vcpu vcpu;
	__u8 *mem;
	int efd;
	atomic_bool stop;
	unsigned int seed;
};

FIXTURE_SETUP(shared)
{
	struct mshv_create_partition_v2 args;

	self->vm.fd = -1;
	self->vm.dev_fd = -1;
	self->vcpu.fd = -1;
	self->efd = -1;
	MSHV_REQUIRE_DEV();
	/*
	 * No LAPIC: the hypervisor then never consumes the vector word, so
	 * what this test writes there stays for the driver to find.
	 */
	self->vm.dev_fd = mshv_open_dev();
	mshv_partition_args(&args, true);
	args.pt_flags &= ~(1ULL << MSHV_PT_BIT_LAPIC);
	self->vm.fd = __mshv_create_partition(self->vm.dev_fd, &args);
	ASSERT_LE(0, self->vm.fd);
	ASSERT_EQ(0, __mshv_initialize_partition(self->vm.fd));
	self->mem = mshv_map_guest_mem(self->vm.fd, 0, GUEST_MEM_SIZE);
	mshv_load_guest(self->mem, GUEST_CODE_GPA, out_loop,
			sizeof(out_loop));
	mshv_vcpu_create(&self->vcpu, self->vm.fd, 0);
	mshv_set_real_mode(self->vm.fd, 0, GUEST_CODE_GPA);
	self->seed = 0x5eed;
}

FIXTURE_TEARDOWN(shared)
{
	if (self->efd >= 0)
		close(self->efd);
	mshv_vcpu_destroy(&self->vcpu);
	mshv_vm_destroy(&self->vm);
	if (self->mem)
		munmap(self->mem, GUEST_MEM_SIZE);
}

/* The 64-bit count + vectors word of the register page. */
static _Atomic __u64 *vector_word(struct hv_vp_register_page *regs)
{
	return (_Atomic __u64 *)&regs->interrupt_vector_count;
}

/* Other thread: scribble on the vector word and fire the irqfd. */
static void *scribbler(void *arg)
{
	FIXTURE_DATA(shared) *self = arg;
	__u64 bad = 0xff | (__u64)VECTOR << 8 | (__u64)VECTOR << 48 |
		    0xa5a5ULL << 24;
	__u64 one = 1;
	unsigned int i;

	for (i = 0; i < ITERATIONS && !atomic_load(&self->stop); i++) {
		atomic_store(vector_word(self->vcpu.regs), bad);
		if (write(self->efd, &one, sizeof(one)) != sizeof(one))
			break;
	}
	atomic_store(&self->stop, true);
	return NULL;
}

TEST_F_TIMEOUT(shared, vector_count_scribble, CASE_TIMEOUT)
{
	struct mshv_user_irq_entry e = {
		.gsi = GSI,
		.address_lo = MSI_ADDR(0),
		.data = VECTOR,
	};
	long fast = mshv_irq_counter("inject_fast");
	long refused = mshv_irq_counter("fast_refused");
	unsigned int runs = 0;
	pthread_t t;

	self->efd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, self->efd);
	ASSERT_EQ(0, __mshv_set_msi_routing(self->vm.fd, &e, 1));
	ASSERT_EQ(0, __mshv_irqfd(self->vm.fd, self->efd, -1, GSI, 0));
	atomic_store(&self->stop, false);
	ASSERT_EQ(0, pthread_create(&t, NULL, scribbler, self));
	/*
	 * The VP exits on every OUT and is run again at once (its RIP stays
	 * on the OUT), so the irqfd finds it dispatching as often as not.
	 */
	while (!atomic_load(&self->stop)) {
		struct hv_message msg;

		if (ioctl(self->vcpu.fd, MSHV_RUN_VP, &msg)) {
			atomic_store(&self->stop, true);
			break;
		}
		ASSERT_EQ(HVMSG_X64_IO_PORT_INTERCEPT, msg.header.message_type);
		runs++;
	}
	pthread_join(t, NULL);
	TH_LOG("%u runs; fast-path injections %ld, refused %ld", runs,
	       mshv_irq_counter("inject_fast") - fast,
	       mshv_irq_counter("fast_refused") - refused);
	/* The VP ran throughout; the kernel survived to count it. */
	EXPECT_LT(0U, runs);
}

static void fill_random(void *p, size_t len, unsigned int *seed)
{
	__u8 *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = rand_r(seed);
}

static void on_alarm(int sig)
{
}

/*
 * Garbage state may leave the VP halted or spinning without exits: a
 * timer signal ends each such run with EINTR, as it would a VMM's.
 */
static void start_run_timer(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = {
		.it_interval = { .tv_usec = 20000 },
		.it_value = { .tv_usec = 20000 },
	};

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

TEST_F_TIMEOUT(shared, register_page_garbage, CASE_TIMEOUT)
{
	unsigned int i, ok = 0, failed = 0;
	struct mshv_vcpu vp1;
	struct hv_message msg;

	start_run_timer();
	for (i = 0; i < GARBAGE_RUNS; i++) {
		fill_random(self->vcpu.regs, GUEST_PAGE_SIZE, &self->seed);
		if (ioctl(self->vcpu.fd, MSHV_RUN_VP, &msg))
			failed++;
		else
			ok++;
		/* Put the VP back on its loop half of the time. */
		if (i & 1)
			mshv_set_real_mode(self->vm.fd, 0, GUEST_CODE_GPA);
	}
	TH_LOG("%u runs returned an exit, %u an error", ok, failed);
	EXPECT_EQ((unsigned int)GARBAGE_RUNS, ok + failed);
	/*
	 * The partition is still usable: a second VP runs the loop.  (The
	 * garbage VP itself may keep state the register page never shows,
	 * such as an event it was delivering when a run was interrupted, and
	 * its random stores may have hit the loop's code: load it again.)
	 */
	setitimer(ITIMER_REAL, &(struct itimerval){}, NULL);
	mshv_load_guest(self->mem, GUEST_CODE_GPA, out_loop,
			sizeof(out_loop));
	mshv_vcpu_create(&vp1, self->vm.fd, 1);
	mshv_set_real_mode(self->vm.fd, 1, GUEST_CODE_GPA);
	ASSERT_EQ(0, ioctl(vp1.fd, MSHV_RUN_VP, &msg));
	EXPECT_EQ(HVMSG_X64_IO_PORT_INTERCEPT, msg.header.message_type);
	mshv_vcpu_destroy(&vp1);
}

static void *page_scribbler(void *arg)
{
	FIXTURE_DATA(shared) *self = arg;
	unsigned int seed = 42;

	while (!atomic_load(&self->stop))
		fill_random(self->vcpu.msg, sizeof(struct hv_message), &seed);
	return NULL;
}

TEST_F_TIMEOUT(shared, intercept_page_garbage, CASE_TIMEOUT)
{
	struct hv_message msg;
	unsigned int i, ok = 0;
	pthread_t t;

	atomic_store(&self->stop, false);
	ASSERT_EQ(0, pthread_create(&t, NULL, page_scribbler, self));
	for (i = 0; i < GARBAGE_RUNS; i++)
		ok += !ioctl(self->vcpu.fd, MSHV_RUN_VP, &msg);
	atomic_store(&self->stop, true);
	pthread_join(t, NULL);
	TH_LOG("%u of %u runs returned an exit", ok, GARBAGE_RUNS);
	/* The driver copies what it read; the exit itself is the guest's. */
	EXPECT_LT(0U, ok);
}

TEST_HARNESS_MAIN
