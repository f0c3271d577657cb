// SPDX-License-Identifier: GPL-2.0
/*
 * Work the kernel owes a thread before it returns to user mode must also
 * be done while that thread runs a VP, before each guest entry, as KVM
 * does: TIF_NOTIFY_RESUME work (task work queued with TWA_RESUME, the
 * rseq cpu id update after a migration).  Otherwise a VMM thread that
 * stays in MSHV_RUN_VP never gets it done.
 *
 * The observable piece is rseq: glibc registers an rseq area for every
 * thread, and the kernel rewrites its cpu_id only from that notify-resume
 * work.  A VP spins in the guest (jmp $) under the root scheduler, so its
 * thread stays in one MSHV_RUN_VP call, dispatching again and again;
 * another thread moves it to another CPU with sched_setaffinity().  The
 * rseq cpu_id of the VP thread must follow while it is still inside the
 * call.  Under the hypervisor's scheduler the thread sleeps until the VP
 * stops, so there is no guest entry of its own to do the work before:
 * skipped there.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/rseq.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mshv_util.h"

#define GUEST_MEM_SIZE		0x10000
#define HVSIM_SCHED_PARAM	"/sys/module/hvsim/parameters/scheduler"
#define NOTIFY_RESUME_FILE	MSHV_DEBUGFS_DIR "/entry_notify_resume"
/* TCG is slow: be generous (the harness gives a test 30 s). */
#define WAIT_S			8

struct vp_thread {
	int vp_fd;
	int from_cpu;
	pid_t tid;
	struct rseq *rseq;
	int ready;		/* the thread is about to enter MSHV_RUN_VP */
	int stop;
	int returns;		/* MSHV_RUN_VP calls that returned */
	int err;		/* errno of a return other than EINTR */
};

/* The first character of a small text file, or 0. */
static char file_char(const char *path)
{
	char c = 0;
	FILE *f = fopen(path, "re");

	if (f) {
		if (fread(&c, 1, 1, f) != 1)
			c = 0;
		fclose(f);
	}
	return c;
}

static void on_usr1(int sig)
{
}

static bool pin_to(pid_t tid, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(tid, sizeof(set), &set) == 0;
}

static void *run_vp(void *arg)
{
	struct vp_thread *t = arg;
	struct mshv_run_vp run;

	t->tid = gettid();
	t->rseq = (struct rseq *)((char *)__builtin_thread_pointer() +
				  __rseq_offset);
	if (!pin_to(0, t->from_cpu)) {
		__atomic_store_n(&t->err, errno, __ATOMIC_RELEASE);
		__atomic_store_n(&t->ready, 1, __ATOMIC_RELEASE);
		return NULL;
	}
	/* The return from sched_setaffinity() set cpu_id to from_cpu. */
	__atomic_store_n(&t->ready, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&t->stop, __ATOMIC_ACQUIRE)) {
		int ret = ioctl(t->vp_fd, MSHV_RUN_VP, &run);

		__atomic_add_fetch(&t->returns, 1, __ATOMIC_RELEASE);
		if (ret == 0 || errno != EINTR) {
			__atomic_store_n(&t->err, ret ? errno : -1,
					 __ATOMIC_RELEASE);
			break;
		}
	}
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

FIXTURE(entry) {
	struct mshv_vm vm;
	struct mshv_vcpu vcpu;
	__u8 *mem;
};

FIXTURE_SETUP(entry)
{
	static const __u8 spin[] = { 0xeb, 0xfe };	/* 1: jmp 1b */
	char sched = file_char(HVSIM_SCHED_PARAM);

	self->vm.fd = -1;
	self->vm.dev_fd = -1;
	self->vcpu.fd = -1;
	self->mem = NULL;
	MSHV_REQUIRE_DEV();
	MSHV_REQUIRE_HVSIM_DEBUGFS();
	if (sched && sched != 'r')
		SKIP(return, "hvsim runs VPs itself (scheduler=hyp)");
	if (file_char(NOTIFY_RESUME_FILE) != 'Y')
		SKIP(return, "this kernel gives modules no way to run notify-resume work (no KVM)");
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "needs two CPUs");
	if (__rseq_size == 0)
		SKIP(return, "no rseq area registered by libc");
	mshv_vm_create(&self->vm, true);
	self->mem = mshv_map_guest_mem(self->vm.fd, 0, GUEST_MEM_SIZE);
	mshv_vcpu_create(&self->vcpu, self->vm.fd, 0);
	mshv_load_guest(self->mem, GUEST_CODE_GPA, spin, sizeof(spin));
	mshv_set_real_mode(self->vm.fd, 0, GUEST_CODE_GPA);
}

FIXTURE_TEARDOWN(entry)
{
	mshv_vcpu_destroy(&self->vcpu);
	mshv_vm_destroy(&self->vm);
	if (self->mem)
		munmap(self->mem, GUEST_MEM_SIZE);
}

TEST_F(entry, rseq_follows_migration_inside_run_vp)
{
	struct sigaction sa = { .sa_handler = on_usr1 };  /* no SA_RESTART */
	struct vp_thread t = { .vp_fd = self->vcpu.fd, .from_cpu = 0 };
	long dispatches;
	bool moved;
	int to_cpu = 1;
	pthread_t thread;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, pthread_create(&thread, NULL, run_vp, &t));
	ASSERT_TRUE(POLL(__atomic_load_n(&t.ready, __ATOMIC_ACQUIRE)));
	ASSERT_EQ(0, __atomic_load_n(&t.err, __ATOMIC_ACQUIRE));
	ASSERT_EQ(t.from_cpu, (int)__atomic_load_n(&t.rseq->cpu_id,
						   __ATOMIC_RELAXED));

	/* The VP is being dispatched, so its thread is inside MSHV_RUN_VP. */
	dispatches = hvsim_hypercall_count(HVCALL_DISPATCH_VP);
	ASSERT_LE(0, dispatches);
	ASSERT_TRUE(POLL(hvsim_hypercall_count(HVCALL_DISPATCH_VP) >
			 dispatches + 2));

	ASSERT_TRUE(pin_to(t.tid, to_cpu));
	moved = POLL((int)__atomic_load_n(&t.rseq->cpu_id,
					  __ATOMIC_RELAXED) == to_cpu);
	/* Still in the first call: the work ran before a guest entry. */
	EXPECT_EQ(0, __atomic_load_n(&t.returns, __ATOMIC_ACQUIRE));
	EXPECT_TRUE(moved) {
		TH_LOG("rseq cpu_id still %u, not %d",
		       __atomic_load_n(&t.rseq->cpu_id, __ATOMIC_RELAXED),
		       to_cpu);
	}

	__atomic_store_n(&t.stop, 1, __ATOMIC_RELEASE);
	/* Signal until the thread has seen stop (one may land early). */
	ASSERT_TRUE(POLL((pthread_kill(thread, SIGUSR1),
			  __atomic_load_n(&t.returns, __ATOMIC_ACQUIRE) > 0)));
	ASSERT_EQ(0, pthread_join(thread, NULL));
	EXPECT_EQ(0, t.err);
}

TEST_HARNESS_MAIN
