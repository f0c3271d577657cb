/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A thread that sits in MSHV_RUN_VP for one VP until it is told to stop,
 * for tests that watch a running VP from another thread (counters, CPU
 * migration, signals); the real-mode partition it usually runs; and
 * bounded polling for what that thread changes.
 */
#ifndef SELFTEST_MSHV_VP_THREAD_H
#define SELFTEST_MSHV_VP_THREAD_H

#include <pthread.h>
#include <stdbool.h>
#include <unistd.h>

#include "mshv_util.h"

/**
 * struct mshv_vp_thread - one VP run by a thread of its own
 * @vp_fd:	the VP to run (set by the caller)
 * @prepare:	optional, run by the new thread before its first
 *		MSHV_RUN_VP; a non-zero return (an errno) ends the thread
 *		there, with that value in @err
 * @data:	for @prepare
 * @thread:	the thread
 * @ready:	@prepare is done, the thread is about to run the VP
 * @stop:	set by mshv_vp_thread_stop(); seen after each return
 * @returns:	MSHV_RUN_VP calls that returned, EINTR included
 * @err:	0, the errno of a return other than EINTR, -1 for a return
 *		of 0 (an exit no test here expects), or @prepare's error
 * @done:	the thread has finished
 *
 * The flags are read and written with __atomic builtins.
 */
struct mshv_vp_thread {
	int vp_fd;
	int (*prepare)(struct mshv_vp_thread *t);
	void *data;
	pthread_t thread;
	int ready;
	int stop;
	int returns;
	int err;
	int done;
};

/**
 * struct mshv_rm_vm - a partition with one VP running real-mode code
 * @vm:		the partition
 * @vcpu:	VP 0
 * @mem:	MSHV_RM_VM_MEM bytes of guest memory at GPA 0, or NULL
 */
struct mshv_rm_vm {
	struct mshv_vm vm;
	struct mshv_vcpu vcpu;
	__u8 *mem;
};

#define MSHV_RM_VM_MEM		0x10000

void mshv_rm_vm_init(struct mshv_rm_vm *v);
void mshv_rm_vm_create(struct mshv_rm_vm *v, const void *code, size_t len);
void mshv_rm_vm_destroy(struct mshv_rm_vm *v);

int mshv_vp_thread_start(struct mshv_vp_thread *t);
bool mshv_vp_thread_stop(struct mshv_vp_thread *t, double wait_s);

/* CLOCK_MONOTONIC in seconds. */
double mshv_now(void);

/*
 * MSHV_POLL - poll @cond every millisecond for up to @wait_s seconds;
 * evaluates to its last value (as a bool).  A bound, not a delay: it returns as soon
 * as @cond holds.
 */
#define MSHV_POLL(cond, wait_s) ({					\
	double __end = mshv_now() + (wait_s);				\
	bool __ok;							\
	while (!(__ok = (cond)) && mshv_now() < __end)			\
		usleep(1000);						\
	__ok;								\
})

#endif /* SELFTEST_MSHV_VP_THREAD_H */
