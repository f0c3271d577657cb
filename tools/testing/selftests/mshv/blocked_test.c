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
#include <unistd.h>

#include "kselftest_harness.h"
#include "mshv_util.h"
#include "vp_thread.h"

#define EARLY_SIGNAL		HVSIM_DEBUGFS_DIR "/early_signal"
#define WAIT_S			10

FIXTURE(blocked) {
	struct mshv_rm_vm v;
};

FIXTURE_SETUP(blocked)
{
	static const __u8 code[] = { 0xfb, 0xf4, 0xeb, 0xfd }; /* sti; 1: hlt; jmp 1b */

	mshv_rm_vm_init(&self->v);
	MSHV_REQUIRE_DEV();
	MSHV_REQUIRE_HVSIM_DEBUGFS();
	if (!hvsim_root_scheduler())
		SKIP(return, "only the root scheduler dispatches VPs");
	if (access(EARLY_SIGNAL, W_OK))
		SKIP(return, "hvsim has no early_signal knob");
	mshv_rm_vm_create(&self->v, code, sizeof(code));
	ASSERT_EQ(0, write_num_file(EARLY_SIGNAL, 1));
}

FIXTURE_TEARDOWN(blocked)
{
	write_num_file(EARLY_SIGNAL, 0);
	mshv_rm_vm_destroy(&self->v);
}

TEST_F(blocked, early_signal_does_not_redispatch)
{
	struct mshv_vp_thread t = { .vp_fd = self->v.vcpu.fd };
	long kicks0 = mshv_irq_counter("blocked_kicks");
	long blocked0 = mshv_irq_counter("dispatch_blocked");
	long blocked, dispatches;

	ASSERT_LE(0, kicks0) TH_LOG("no irq/blocked_kicks");
	ASSERT_LE(0, blocked0);
	ASSERT_EQ(0, mshv_vp_thread_start(&t));

	/* The early signal came and was not acted on. */
	EXPECT_TRUE(MSHV_POLL(mshv_irq_counter("blocked_kicks") > kicks0,
			      WAIT_S));
	blocked = mshv_irq_counter("dispatch_blocked");
	dispatches = hvsim_hypercall_count(HVCALL_DISPATCH_VP);
	/* The first dispatch (explicit suspend) and the halted one at least. */
	EXPECT_LE(blocked0 + 2, blocked);

	ASSERT_TRUE(mshv_vp_thread_stop(&t, WAIT_S));
	EXPECT_EQ(0, t.err);
	/* Nothing was dispatched after the signal that changed nothing. */
	EXPECT_EQ(blocked, mshv_irq_counter("dispatch_blocked"));
	EXPECT_EQ(dispatches, hvsim_hypercall_count(HVCALL_DISPATCH_VP));
	TH_LOG("BLOCKED dispatches %ld, kicks left waiting %ld",
	       blocked - blocked0, mshv_irq_counter("blocked_kicks") - kicks0);
}

TEST_HARNESS_MAIN
