// SPDX-License-Identifier: GPL-2.0
/*
 * Root scheduler, blocked VPs.  HVCALL_DISPATCH_VP reports a halted VP
 * BLOCKED; the hypervisor later signals the root with a scheduler
 * message, and it also keeps a "root dispatch thread blocked" counter in
 * the VP's statistics page (HVCALL_MAP_STATS_PAGE).  A signal may come
 * while the counter still says blocked; the root must then keep waiting
 * instead of dispatching the VP again for nothing, as upstream Linux does.
 *
 * hvsim's debugfs early_signal makes it signal the root as soon as a
 * dispatch finds the VP halted, the counter left set.  A VP halts with
 * interrupts enabled (sti; hlt) and nothing ever wakes it: after the
 * early signal the driver must count a kick it did not act on (the
 * partition's irq/blocked_kicks in mshv_root's debugfs) and dispatch no
 * more until the run is interrupted.  irq/dispatch_blocked counts BLOCKED
 * dispatches.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mshv_util.h"

#define GUEST_MEM_SIZE		0x10000
#define HVSIM_SCHED_PARAM	"/sys/module/hvsim/parameters/scheduler"
#define EARLY_SIGNAL		HVSIM_DEBUGFS_DIR "/early_signal"
#define WAIT_S			10

struct runner {
	int vp_fd;
	int stop;
	int done;
	int err;
};

static void on_usr1(int sig)
{
}

static void *run_vp(void *arg)
{
	struct runner *r = arg;
	struct mshv_run_vp run;

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		if (ioctl(r->vp_fd, MSHV_RUN_VP, &run) == 0 || errno != EINTR) {
			r->err = errno ? errno : -1;
			break;
		}
	}
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Poll @cond every millisecond for up to WAIT_S seconds; its last value. */
#define POLL(cond) ({							\
	double __end = now() + WAIT_S;					\
	while (!(cond) && now() < __end)				\
		usleep(1000);						\
	(cond);								\
})

static bool root_scheduler(void)
{
	char c = 0;
	FILE *f = fopen(HVSIM_SCHED_PARAM, "re");

	if (f) {
		if (fread(&c, 1, 1, f) != 1)
			c = 0;
		fclose(f);
	}
	return c == 0 || c == 'r';
}

FIXTURE(blocked) {
	struct mshv_vm vm;
	struct mshv_vcpu vcpu;
	__u8 *mem;
};

FIXTURE_SETUP(blocked)
{
	static const __u8 code[] = { 0xfb, 0xf4, 0xeb, 0xfd }; /* sti; 1: hlt; jmp 1b */

	self->vm.fd = -1;
	self->vm.dev_fd = -1;
	self->vcpu.fd = -1;
	self->mem = NULL;
	MSHV_REQUIRE_DEV();
	MSHV_REQUIRE_HVSIM_DEBUGFS();
	if (!root_scheduler())
		SKIP(return, "only the root scheduler dispatches VPs");
	if (access(EARLY_SIGNAL, W_OK))
		SKIP(return, "hvsim has no early_signal knob");
	mshv_vm_create(&self->vm, true);
	self->mem = mshv_map_guest_mem(self->vm.fd, 0, GUEST_MEM_SIZE);
	mshv_vcpu_create(&self->vcpu, self->vm.fd, 0);
	mshv_load_guest(self->mem, GUEST_CODE_GPA, code, sizeof(code));
	mshv_set_real_mode(self->vm.fd, 0, GUEST_CODE_GPA);
	ASSERT_EQ(0, write_num_file(EARLY_SIGNAL, 1));
}

FIXTURE_TEARDOWN(blocked)
{
	write_num_file(EARLY_SIGNAL, 0);
	mshv_vcpu_destroy(&self->vcpu);
	mshv_vm_destroy(&self->vm);
	if (self->mem)
		munmap(self->mem, GUEST_MEM_SIZE);
}

TEST_F(blocked, early_signal_does_not_redispatch)
{
	struct sigaction sa = { .sa_handler = on_usr1 };  /* no SA_RESTART */
	struct runner r = { .vp_fd = self->vcpu.fd };
	long kicks0 = mshv_irq_counter("blocked_kicks");
	long blocked0 = mshv_irq_counter("dispatch_blocked");
	long blocked, dispatches;
	pthread_t thread;

	ASSERT_LE(0, kicks0) TH_LOG("no irq/blocked_kicks");
	ASSERT_LE(0, blocked0);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, pthread_create(&thread, NULL, run_vp, &r));

	/* The early signal came and was not acted on. */
	EXPECT_TRUE(POLL(mshv_irq_counter("blocked_kicks") > kicks0));
	blocked = mshv_irq_counter("dispatch_blocked");
	dispatches = hvsim_hypercall_count(HVCALL_DISPATCH_VP);
	/* The first dispatch (explicit suspend) and the halted one at least. */
	EXPECT_LE(blocked0 + 2, blocked);

	__atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
	ASSERT_TRUE(POLL((pthread_kill(thread, SIGUSR1),
			  __atomic_load_n(&r.done, __ATOMIC_ACQUIRE))));
	ASSERT_EQ(0, pthread_join(thread, NULL));
	EXPECT_EQ(0, r.err);
	/* Nothing was dispatched after the signal that changed nothing. */
	EXPECT_EQ(blocked, mshv_irq_counter("dispatch_blocked"));
	EXPECT_EQ(dispatches, hvsim_hypercall_count(HVCALL_DISPATCH_VP));
	TH_LOG("BLOCKED dispatches %ld, kicks left waiting %ld",
	       blocked - blocked0, mshv_irq_counter("blocked_kicks") - kicks0);
}

TEST_HARNESS_MAIN
