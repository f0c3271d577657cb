// SPDX-License-Identifier: GPL-2.0
/*
 * A VP run by a thread of its own; see include/vp_thread.h.
 */
#include <errno.h>
#include <signal.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "mshv_util.h"
#include "vp_thread.h"

/**
 * mshv_rm_vm_init() - mark @v as holding nothing
 * @v: the partition; call before anything that may skip or fail, so that
 *     mshv_rm_vm_destroy() is always safe
 */
void mshv_rm_vm_init(struct mshv_rm_vm *v)
{
	v->vm.fd = -1;
	v->vm.dev_fd = -1;
	v->vcpu.fd = -1;
	v->mem = NULL;
}

/**
 * mshv_rm_vm_create() - a partition whose VP 0 runs @code in real mode
 * @v: initialized by mshv_rm_vm_init()
 * @code: the guest's code, loaded at GUEST_CODE_GPA, where VP 0 starts
 * @len: its size
 *
 * Ends the test (TEST_ASSERT) when a step fails.
 */
void mshv_rm_vm_create(struct mshv_rm_vm *v, const void *code, size_t len)
{
	mshv_vm_create(&v->vm, true);
	v->mem = mshv_map_guest_mem(v->vm.fd, 0, MSHV_RM_VM_MEM);
	mshv_vcpu_create(&v->vcpu, v->vm.fd, 0);
	mshv_load_guest(v->mem, GUEST_CODE_GPA, code, len);
	mshv_set_real_mode(v->vm.fd, 0, GUEST_CODE_GPA);
}

void mshv_rm_vm_destroy(struct mshv_rm_vm *v)
{
	mshv_vcpu_destroy(&v->vcpu);
	mshv_vm_destroy(&v->vm);
	if (v->mem)
		munmap(v->mem, MSHV_RM_VM_MEM);
	v->mem = NULL;
}

/* SIGUSR1 only interrupts MSHV_RUN_VP (no SA_RESTART). */
static void on_usr1(int sig)
{
}

static void *vp_thread_fn(void *arg)
{
	struct mshv_vp_thread *t = arg;
	struct mshv_run_vp run;
	int err = t->prepare ? t->prepare(t) : 0;

	__atomic_store_n(&t->err, err, __ATOMIC_RELEASE);
	__atomic_store_n(&t->ready, 1, __ATOMIC_RELEASE);
	while (!err && !__atomic_load_n(&t->stop, __ATOMIC_ACQUIRE)) {
		int ret = ioctl(t->vp_fd, MSHV_RUN_VP, &run);

		__atomic_add_fetch(&t->returns, 1, __ATOMIC_RELEASE);
		if (ret == 0 || errno != EINTR) {
			__atomic_store_n(&t->err, ret ? errno : -1,
					 __ATOMIC_RELEASE);
			break;
		}
	}
	__atomic_store_n(&t->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/**
 * mshv_vp_thread_start() - start a thread that runs @t->vp_fd
 * @t: zeroed but for @vp_fd, @prepare and @data
 *
 * Installs a SIGUSR1 handler without SA_RESTART for the process, which
 * mshv_vp_thread_stop() uses to interrupt MSHV_RUN_VP.
 *
 * Return: 0, or an errno.
 */
int mshv_vp_thread_start(struct mshv_vp_thread *t)
{
	struct sigaction sa = { .sa_handler = on_usr1 };

	if (sigaction(SIGUSR1, &sa, NULL))
		return errno;
	return pthread_create(&t->thread, NULL, vp_thread_fn, t);
}

/**
 * mshv_vp_thread_stop() - stop and join the thread of @t
 * @t: started by mshv_vp_thread_start()
 * @wait_s: how long the thread may take to see the stop
 *
 * Sets @t->stop and signals the thread until it has finished: a signal
 * may land before the thread is inside MSHV_RUN_VP.
 *
 * Return: true once joined; false if the thread did not finish in time
 * (it is then left running).
 */
bool mshv_vp_thread_stop(struct mshv_vp_thread *t, double wait_s)
{
	__atomic_store_n(&t->stop, 1, __ATOMIC_RELEASE);
	if (!MSHV_POLL((pthread_kill(t->thread, SIGUSR1),
			__atomic_load_n(&t->done, __ATOMIC_ACQUIRE)), wait_s))
		return false;
	return pthread_join(t->thread, NULL) == 0;
}

double mshv_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}
