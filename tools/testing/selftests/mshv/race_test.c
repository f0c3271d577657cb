// SPDX-License-Identifier: GPL-2.0
/*
 * Races a VMM can start, each bounded in iterations, and ownership of the
 * fds.  After every case, once its fds are closed, hvsim owns nothing for
 * its partitions any more (the fixture teardown waits for that, bounded).
 *
 *  - close_while_running: the partition and VP fds are closed and the VP
 *    pages unmapped while another thread sits in MSHV_RUN_VP.
 *  - create_vp_same_index: two threads create VP 0 at once: one wins,
 *    the other gets EEXIST.
 *  - irqfd_vs_eventfd_close: irqfds are assigned and deassigned while
 *    another thread closes and signals their eventfds.
 *  - guest_memory_changes_while_running: MADV_DONTNEED, mprotect and
 *    munmap + mmap again of guest memory while the VP writes to it.
 *  - signal_storm: MSHV_RUN_VP interrupted by thousands of signals still
 *    delivers every exit, and the guest keeps making progress.
 *  - other_mm_refused: a forked child (another address space) gets EIO
 *    from every partition and VP ioctl; the parent's VM runs on.
 *  - dev_node_mode: /dev/mshv is 0600 and refused to an unprivileged user.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mshv_util.h"

#define GUEST_MEM_SIZE	0x10000
#define COUNTER_GPA	0x2000
#define ROUNDS		50
#define SIGNALS		5000
/*
 * The heaviest case takes about 10 s on the debug kernel, several times
 * that with both host cores busy: bounded by the work, allowed 180 s.
 */
#define CASE_TIMEOUT	180

/* 1: incb (0x2000); out %al,$0x80; jmp 1b */
static const __u8 count_loop[] = {
	0xfe, 0x06, 0x00, 0x20, 0xe6, 0x80, 0xeb, 0xf8,
};

struct vm {
	struct mshv_vm vm;
	struct mshv_vcpu vcpu;
	__u8 *mem;
};

static void vm_create(struct vm *v)
{
	mshv_vm_create(&v->vm, true);
	v->mem = mshv_map_guest_mem(v->vm.fd, 0, GUEST_MEM_SIZE);
	mshv_load_guest(v->mem, GUEST_CODE_GPA, count_loop,
			sizeof(count_loop));
	mshv_vcpu_create(&v->vcpu, v->vm.fd, 0);
	mshv_set_real_mode(v->vm.fd, 0, GUEST_CODE_GPA);
}

static void vm_destroy(struct vm *v)
{
	mshv_vcpu_destroy(&v->vcpu);
	mshv_vm_destroy(&v->vm);
	if (v->mem)
		munmap(v->mem, GUEST_MEM_SIZE);
	v->mem = NULL;
}

static void on_signal(int sig)
{
}

/* SIGUSR1 interrupts ioctls (no SA_RESTART) and does nothing else. */
static void catch_sigusr1(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGUSR1, &sa, NULL);
}

FIXTURE(race) {
	struct vm v;
	atomic_bool stop;
	atomic_uint exits;
	int vp_fd;
	pthread_t target;	/* of the signal storm */
};

FIXTURE_SETUP(race)
{
	memset(&self->v, 0, sizeof(self->v));
	self->v.vm.fd = -1;
	self->v.vm.dev_fd = -1;
	self->v.vcpu.fd = -1;
	MSHV_REQUIRE_DEV();
	MSHV_REQUIRE_HVSIM_DEBUGFS();
	catch_sigusr1();
}

FIXTURE_TEARDOWN(race)
{
	vm_destroy(&self->v);
	/* Every partition of the case is gone, within the bound. */
	EXPECT_TRUE(mshv_wait_idle());
}

/* Run until told to stop or until the VP fd goes away. */
static void *runner(void *arg)
{
	FIXTURE_DATA(race) *self = arg;
	struct hv_message msg;

	while (!atomic_load(&self->stop)) {
		if (ioctl(self->vp_fd, MSHV_RUN_VP, &msg) == 0)
			atomic_fetch_add(&self->exits, 1);
		else if (errno != EINTR && errno != EAGAIN)
			break;
	}
	return NULL;
}

TEST_F_TIMEOUT(race, close_while_running, CASE_TIMEOUT)
{
	unsigned int i, min_exits;
	pthread_t t;

	for (i = 0; i < ROUNDS; i++) {
		vm_create(&self->v);
		self->vp_fd = self->v.vcpu.fd;
		atomic_store(&self->stop, false);
		atomic_store(&self->exits, 0);
		ASSERT_EQ(0, pthread_create(&t, NULL, runner, self));
		/* Let the runner get into the VP at least once. */
		min_exits = 1 + i % 4;
		while (atomic_load(&self->exits) < min_exits)
			sched_yield();
		/* Fds and pages go in a different order each round. */
		if (i & 1) {
			mshv_vm_destroy(&self->v.vm);
			mshv_vcpu_destroy(&self->v.vcpu);
		} else {
			mshv_vcpu_destroy(&self->v.vcpu);
			mshv_vm_destroy(&self->v.vm);
		}
		atomic_store(&self->stop, true);
		pthread_kill(t, SIGUSR1);
		pthread_join(t, NULL);
		munmap(self->v.mem, GUEST_MEM_SIZE);
		self->v.mem = NULL;
	}
}

struct creator {
	int pt_fd;
	pthread_barrier_t *go;
	int fd;
	int err;
};

static void *create_vp0(void *arg)
{
	struct creator *c = arg;

	pthread_barrier_wait(c->go);
	c->fd = __mshv_create_vp(c->pt_fd, 0);
	c->err = errno;
	return NULL;
}

TEST_F_TIMEOUT(race, create_vp_same_index, CASE_TIMEOUT)
{
	struct creator c[2];
	pthread_barrier_t go;
	pthread_t t[2];
	unsigned int i, j;

	for (i = 0; i < ROUNDS; i++) {
		mshv_vm_create(&self->v.vm, true);
		ASSERT_EQ(0, pthread_barrier_init(&go, NULL, 2));
		for (j = 0; j < 2; j++) {
			c[j] = (struct creator){ .pt_fd = self->v.vm.fd,
						 .go = &go };
			ASSERT_EQ(0, pthread_create(&t[j], NULL, create_vp0,
						    &c[j]));
		}
		for (j = 0; j < 2; j++)
			pthread_join(t[j], NULL);
		pthread_barrier_destroy(&go);
		/* Exactly one VP 0. */
		ASSERT_TRUE((c[0].fd >= 0) != (c[1].fd >= 0));
		j = c[0].fd >= 0;
		EXPECT_EQ(EEXIST, c[j].err);
		close(c[!j].fd);
		mshv_vm_destroy(&self->v.vm);
	}
}

struct irqfd_race {
	int pt_fd;
	_Atomic int efd;
	atomic_bool stop;
};

/* Assign and deassign irqfds on whatever eventfd is current. */
static void *irqfd_toggler(void *arg)
{
	struct irqfd_race *r = arg;
	unsigned int n = 0;
	int fd;

	while (!atomic_load(&r->stop)) {
		fd = atomic_load(&r->efd);
		if (!__mshv_irqfd(r->pt_fd, fd, -1, n % 4, 0))
			__mshv_irqfd(r->pt_fd, fd, -1, n % 4,
				     1u << MSHV_IRQFD_BIT_DEASSIGN);
		n++;
	}
	return NULL;
}

TEST_F_TIMEOUT(race, irqfd_vs_eventfd_close, CASE_TIMEOUT)
{
	struct mshv_user_irq_entry e[4];
	struct irqfd_race r;
	__u64 one = 1;
	unsigned int i;
	pthread_t t;
	int old;

	mshv_vm_create(&self->v.vm, true);
	for (i = 0; i < 4; i++)
		e[i] = (struct mshv_user_irq_entry){
			.gsi = i, .address_lo = MSI_ADDR(0), .data = 0x30 + i,
		};
	ASSERT_EQ(0, __mshv_set_msi_routing(self->v.vm.fd, e, 4));
	mshv_vcpu_create(&self->v.vcpu, self->v.vm.fd, 0);
	r.pt_fd = self->v.vm.fd;
	atomic_store(&r.efd, eventfd(0, EFD_CLOEXEC));
	atomic_store(&r.stop, false);
	ASSERT_EQ(0, pthread_create(&t, NULL, irqfd_toggler, &r));
	for (i = 0; i < 20 * ROUNDS; i++) {
		old = atomic_exchange(&r.efd, eventfd(0, EFD_CLOEXEC));
		ASSERT_EQ((ssize_t)sizeof(one), write(old, &one, sizeof(one)));
		close(old);
	}
	atomic_store(&r.stop, true);
	pthread_join(t, NULL);
	close(atomic_load(&r.efd));
}

static void *mem_changer(void *arg)
{
	FIXTURE_DATA(race) *self = arg;
	__u8 *page = self->v.mem + COUNTER_GPA;
	unsigned int i;

	for (i = 0; i < 20 * ROUNDS && !atomic_load(&self->stop); i++) {
		switch (i % 3) {
		case 0:
			madvise(page, GUEST_PAGE_SIZE, MADV_DONTNEED);
			break;
		case 1:
			mprotect(page, GUEST_PAGE_SIZE, PROT_READ);
			mprotect(page, GUEST_PAGE_SIZE, PROT_READ | PROT_WRITE);
			break;
		default:
			/* A hole for a moment, then fresh memory. */
			munmap(page, GUEST_PAGE_SIZE);
			mmap(page, GUEST_PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			break;
		}
		sched_yield();
	}
	atomic_store(&self->stop, true);
	return NULL;
}

TEST_F_TIMEOUT(race, guest_memory_changes_while_running, CASE_TIMEOUT)
{
	unsigned int ok = 0, efault = 0, other = 0;
	int other_errno = 0;
	struct hv_message msg;
	pthread_t t;

	vm_create(&self->v);
	atomic_store(&self->stop, false);
	ASSERT_EQ(0, pthread_create(&t, NULL, mem_changer, self));
	while (!atomic_load(&self->stop)) {
		if (!ioctl(self->v.vcpu.fd, MSHV_RUN_VP, &msg))
			ok++;
		else if (errno == EFAULT)
			efault++;
		else
			other++, other_errno = errno;
	}
	pthread_join(t, NULL);
	TH_LOG("%u exits, %u EFAULT, %u other errors (last: %s)", ok, efault,
	       other, other ? strerror(other_errno) : "none");
	EXPECT_LT(0U, ok);
	EXPECT_EQ(0U, other);
	/* The memory is whole again: the guest runs. */
	ASSERT_EQ(0, ioctl(self->v.vcpu.fd, MSHV_RUN_VP, &msg));
	EXPECT_EQ(HVMSG_X64_IO_PORT_INTERCEPT, msg.header.message_type);
}

static void *signaller(void *arg)
{
	FIXTURE_DATA(race) *self = arg;
	unsigned int i;

	for (i = 0; i < SIGNALS; i++)
		pthread_kill(self->target, SIGUSR1);
	atomic_store(&self->stop, true);
	return NULL;
}

TEST_F_TIMEOUT(race, signal_storm, CASE_TIMEOUT)
{
	unsigned int exits = 0, eintr = 0;
	struct hv_message msg;
	pthread_t t;
	__u8 before;

	vm_create(&self->v);
	before = self->v.mem[COUNTER_GPA];
	atomic_store(&self->stop, false);
	self->target = pthread_self();
	ASSERT_EQ(0, pthread_create(&t, NULL, signaller, self));
	while (!atomic_load(&self->stop)) {
		if (!ioctl(self->v.vcpu.fd, MSHV_RUN_VP, &msg)) {
			ASSERT_EQ(HVMSG_X64_IO_PORT_INTERCEPT,
				  msg.header.message_type);
			exits++;
		} else {
			ASSERT_EQ(EINTR, errno);
			eintr++;
		}
	}
	pthread_join(t, NULL);
	TH_LOG("%u exits, %u EINTR", exits, eintr);
	/* Progress: a run after the storm still reaches the next OUT. */
	ASSERT_EQ(0, ioctl(self->v.vcpu.fd, MSHV_RUN_VP, &msg));
	ASSERT_EQ(0, ioctl(self->v.vcpu.fd, MSHV_RUN_VP, &msg));
	EXPECT_NE(before, self->v.mem[COUNTER_GPA]);
}

TEST_F_TIMEOUT(race, other_mm_refused, CASE_TIMEOUT)
{
	struct hv_message msg;
	int status;
	pid_t pid;

	vm_create(&self->v);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* The child shares the fds, not the address space. */
		if (ioctl(self->v.vcpu.fd, MSHV_RUN_VP, &msg) != -1 ||
		    errno != EIO)
			_exit(1);
		if (ioctl(self->v.vm.fd, MSHV_INITIALIZE_PARTITION) != -1 ||
		    errno != EIO)
			_exit(2);
		if (__mshv_set_guest_memory(self->v.vm.fd, 0x100000,
					    GUEST_PAGE_SIZE, self->v.mem,
					    0) != -1 || errno != EIO)
			_exit(3);
		if (__mshv_create_vp(self->v.vm.fd, 1) != -1 || errno != EIO)
			_exit(4);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* The owner is not affected. */
	ASSERT_EQ(0, ioctl(self->v.vcpu.fd, MSHV_RUN_VP, &msg));
	EXPECT_EQ(HVMSG_X64_IO_PORT_INTERCEPT, msg.header.message_type);
}

TEST(dev_node_mode)
{
	struct stat st;
	int status;
	pid_t pid;

	MSHV_REQUIRE_DEV();
	ASSERT_EQ(0, stat(MSHV_DEV_PATH, &st));
	EXPECT_EQ(0600U, st.st_mode & 07777);
	EXPECT_EQ(0U, st.st_uid);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* nobody: neither the owner nor privileged. */
		if (setgid(65534) || setuid(65534))
			_exit(2);
		_exit(open(MSHV_DEV_PATH, O_RDWR) == -1 && errno == EACCES ?
		      0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
