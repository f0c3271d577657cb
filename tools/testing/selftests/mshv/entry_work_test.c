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
#include <sched.h>
#include <stdio.h>
#include <sys/rseq.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mshv_util.h"
#include "vp_thread.h"

#define NOTIFY_RESUME_FILE	MSHV_DEBUGFS_DIR "/entry_notify_resume"
/* TCG is slow: be generous (the harness gives a test 30 s). */
#define WAIT_S			8

/* What the VP thread tells the test about itself. */
struct entry_thread {
	int from_cpu;
	pid_t tid;
	struct rseq *rseq;
};

static bool pin_to(pid_t tid, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(tid, sizeof(set), &set) == 0;
}

/* In the VP thread: its rseq area, and on from_cpu before the first run. */
static int entry_prepare(struct mshv_vp_thread *t)
{
	struct entry_thread *e = t->data;

	e->tid = gettid();
	e->rseq = (struct rseq *)((char *)__builtin_thread_pointer() +
				  __rseq_offset);
	/* The return from sched_setaffinity() sets cpu_id to from_cpu. */
	return pin_to(0, e->from_cpu) ? 0 : errno;
}

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

FIXTURE(entry) {
	struct mshv_rm_vm v;
};

FIXTURE_SETUP(entry)
{
	static const __u8 spin[] = { 0xeb, 0xfe };	/* 1: jmp 1b */

	mshv_rm_vm_init(&self->v);
	MSHV_REQUIRE_DEV();
	MSHV_REQUIRE_HVSIM_DEBUGFS();
	if (!hvsim_root_scheduler())
		SKIP(return, "hvsim runs VPs itself (scheduler=hyp)");
	if (file_char(NOTIFY_RESUME_FILE) != 'Y')
		SKIP(return, "this kernel gives modules no way to run notify-resume work (no KVM)");
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "needs two CPUs");
	if (__rseq_size == 0)
		SKIP(return, "no rseq area registered by libc");
	mshv_rm_vm_create(&self->v, spin, sizeof(spin));
}

FIXTURE_TEARDOWN(entry)
{
	mshv_rm_vm_destroy(&self->v);
}

TEST_F(entry, rseq_follows_migration_inside_run_vp)
{
	struct entry_thread e = { .from_cpu = 0 };
	struct mshv_vp_thread t = {
		.vp_fd = self->v.vcpu.fd,
		.prepare = entry_prepare,
		.data = &e,
	};
	long dispatches;
	bool moved;
	int to_cpu = 1;

	ASSERT_EQ(0, mshv_vp_thread_start(&t));
	ASSERT_TRUE(MSHV_POLL(__atomic_load_n(&t.ready, __ATOMIC_ACQUIRE),
			      WAIT_S));
	ASSERT_EQ(0, __atomic_load_n(&t.err, __ATOMIC_ACQUIRE));
	ASSERT_EQ(e.from_cpu, (int)__atomic_load_n(&e.rseq->cpu_id,
						   __ATOMIC_RELAXED));

	/* The VP is being dispatched, so its thread is inside MSHV_RUN_VP. */
	dispatches = hvsim_hypercall_count(HVCALL_DISPATCH_VP);
	ASSERT_LE(0, dispatches);
	ASSERT_TRUE(MSHV_POLL(hvsim_hypercall_count(HVCALL_DISPATCH_VP) >
			      dispatches + 2, WAIT_S));

	ASSERT_TRUE(pin_to(e.tid, to_cpu));
	moved = MSHV_POLL((int)__atomic_load_n(&e.rseq->cpu_id,
					       __ATOMIC_RELAXED) == to_cpu,
			  WAIT_S);
	/* Still in the first call: the work ran before a guest entry. */
	EXPECT_EQ(0, __atomic_load_n(&t.returns, __ATOMIC_ACQUIRE));
	EXPECT_TRUE(moved) {
		TH_LOG("rseq cpu_id still %u, not %d",
		       __atomic_load_n(&e.rseq->cpu_id, __ATOMIC_RELAXED),
		       to_cpu);
	}

	ASSERT_TRUE(mshv_vp_thread_stop(&t, WAIT_S));
	EXPECT_EQ(0, t.err);
}

TEST_HARNESS_MAIN
