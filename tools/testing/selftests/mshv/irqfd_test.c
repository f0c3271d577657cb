// SPDX-License-Identifier: GPL-2.0
/*
 * MSHV_SET_MSI_ROUTING and MSHV_IRQFD without a running guest: argument
 * rules and errnos, resample rules, resamplefd signalling on an APIC EOI
 * message (posted through hvsim's inject_message), the tracepoints, and
 * races: deassign while signalling, routing replacement while signalling,
 * closing the partition with live irqfds.  Guest interrupts are in
 * irq_inject_test.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mshv_util.h"

#define VEC		0x41
/* Upstream limit on routes and GSIs (MSHV_MAX_GUEST_IRQS in the driver). */
#define MAX_GUEST_IRQS	4096
#define DEASSIGN	(1u << MSHV_IRQFD_BIT_DEASSIGN)
#define RESAMPLE	(1u << MSHV_IRQFD_BIT_RESAMPLE)
#define NR_RACE_LOOPS	40
#define NR_RACE_FDS	4

static struct mshv_user_irq_entry route(__u32 gsi, __u32 dest, __u32 vec,
					bool level)
{
	struct mshv_user_irq_entry e = {
		.gsi = gsi,
		.address_lo = MSI_ADDR(dest),
		.data = vec | (level ? MSI_DATA_LEVEL : 0),
	};

	return e;
}

static int new_eventfd(void)
{
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

	TEST_ASSERT(fd >= 0, "eventfd");
	return fd;
}

static void signal_fd(int fd)
{
	__u64 one = 1;

	TEST_ASSERT(write(fd, &one, sizeof(one)) == sizeof(one), "write");
}

/* Value of an eventfd after waiting up to 5 s for it; 0 on timeout. */
static __u64 wait_fd(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	__u64 v = 0;

	if (poll(&p, 1, 5000) == 1)
		TEST_ASSERT(read(fd, &v, sizeof(v)) == sizeof(v), "read");
	return v;
}

FIXTURE(irq) {
	struct mshv_vm vm;
	struct mshv_vcpu vcpu;
};

FIXTURE_SETUP(irq)
{
	self->vm.fd = -1;
	self->vm.dev_fd = -1;
	self->vcpu.fd = -1;
	MSHV_REQUIRE_DEV();
	mshv_vm_create(&self->vm, true);
	mshv_vcpu_create(&self->vcpu, self->vm.fd, 0);
}

FIXTURE_TEARDOWN(irq)
{
	if (self->vcpu.fd >= 0)
		mshv_vcpu_destroy(&self->vcpu);
	mshv_vm_destroy(&self->vm);
}

TEST_F(irq, routing_rules)
{
	struct mshv_user_irq_entry *e;
	struct mshv_user_irq_table hdr = { .nr = 0, .rsvd = 1 };
	long updates = mshv_irq_counter("routing_updates");
	unsigned int i;

	e = calloc(MAX_GUEST_IRQS + 1, sizeof(*e));
	ASSERT_NE(NULL, e);
	for (i = 0; i <= MAX_GUEST_IRQS; i++)
		e[i] = route(i, 0, 0x20 + i % 200, false);

	/* The whole range, then too many entries. */
	EXPECT_EQ(0, __mshv_set_msi_routing(self->vm.fd, e,
					    MAX_GUEST_IRQS));
	EXPECT_EQ(-1, __mshv_set_msi_routing(self->vm.fd, e,
					     MAX_GUEST_IRQS + 1));
	EXPECT_EQ(EINVAL, errno);
	/* GSI out of range. */
	EXPECT_EQ(-1, __mshv_set_msi_routing(self->vm.fd,
					     &e[MAX_GUEST_IRQS], 1));
	EXPECT_EQ(EINVAL, errno);
	/* address_hi must be zero. */
	e[1].address_hi = 1;
	EXPECT_EQ(-1, __mshv_set_msi_routing(self->vm.fd, e, 2));
	EXPECT_EQ(EINVAL, errno);
	e[1].address_hi = 0;
	/* One route per GSI. */
	e[1].gsi = 0;
	EXPECT_EQ(-1, __mshv_set_msi_routing(self->vm.fd, e, 2));
	EXPECT_EQ(EINVAL, errno);
	/* Reserved header field. */
	EXPECT_EQ(-1, ioctl(self->vm.fd, MSHV_SET_MSI_ROUTING, &hdr));
	EXPECT_EQ(EINVAL, errno);
	/* An empty table clears the routes. */
	EXPECT_EQ(0, __mshv_set_msi_routing(self->vm.fd, NULL, 0));
	free(e);

	if (updates >= 0)
		EXPECT_EQ(updates + 2, mshv_irq_counter("routing_updates"));
}

/* Entries that run into an unmapped page: -EFAULT, table unchanged. */
TEST_F(irq, routing_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	struct mshv_user_irq_table *t;
	char *buf;

	buf = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_EQ(0, mprotect(buf + page, page, PROT_NONE));
	t = (void *)(buf + page - sizeof(*t) - sizeof(t->entries[0]));
	t->nr = 2;
	t->rsvd = 0;
	t->entries[0] = route(0, 0, VEC, false);
	EXPECT_EQ(-1, ioctl(self->vm.fd, MSHV_SET_MSI_ROUTING, t));
	EXPECT_EQ(EFAULT, errno);
	munmap(buf, 2 * page);
}

TEST_F(irq, irqfd_errors)
{
	int efd = new_eventfd(), efd2 = new_eventfd();
	int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	ASSERT_LE(0, null_fd);
	/* Unknown flag, GSI out of range, bad fds. */
	EXPECT_EQ(-1, __mshv_irqfd(self->vm.fd, efd, -1, 1, 1u << 2));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, __mshv_irqfd(self->vm.fd, efd, -1, 4096, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, __mshv_irqfd(self->vm.fd, -1, -1, 1, 0));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, __mshv_irqfd(self->vm.fd, null_fd, -1, 1, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, __mshv_irqfd(self->vm.fd, efd, -1, 1,
				   DEASSIGN | RESAMPLE));
	EXPECT_EQ(EINVAL, errno);
	/* Deassign of something never assigned. */
	EXPECT_EQ(-1, __mshv_irqfd(self->vm.fd, efd, -1, 1, DEASSIGN));
	EXPECT_EQ(ENOENT, errno);

	/* One GSI per eventfd; a failed assign changes nothing. */
	ASSERT_EQ(0, __mshv_irqfd(self->vm.fd, efd, -1, 1, 0));
	EXPECT_EQ(-1, __mshv_irqfd(self->vm.fd, efd, -1, 1, 0));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(-1, __mshv_irqfd(self->vm.fd, efd, -1, 2, 0));
	EXPECT_EQ(EBUSY, errno);
	/* Other eventfds may share the GSI. */
	EXPECT_EQ(0, __mshv_irqfd(self->vm.fd, efd2, -1, 1, 0));

	/* Deassign matches eventfd and GSI. */
	EXPECT_EQ(-1, __mshv_irqfd(self->vm.fd, efd, -1, 2, DEASSIGN));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(0, __mshv_irqfd(self->vm.fd, efd, -1, 1, DEASSIGN));
	EXPECT_EQ(-1, __mshv_irqfd(self->vm.fd, efd, -1, 1, DEASSIGN));
	EXPECT_EQ(ENOENT, errno);
	/* Free again: it can be bound elsewhere. */
	EXPECT_EQ(0, __mshv_irqfd(self->vm.fd, efd, -1, 2, 0));
	EXPECT_EQ(-1, __mshv_irqfd(self->vm.fd, null_fd, -1, 2, DEASSIGN));
	EXPECT_EQ(EINVAL, errno);

	close(null_fd);
	close(efd);
	close(efd2);
}

TEST_F(irq, resample_rules)
{
	struct mshv_user_irq_entry e[] = {
		route(1, 0, VEC, false), route(3, 0, VEC + 1, true),
	};
	int efd = new_eventfd(), efd2 = new_eventfd(), rfd = new_eventfd();

	ASSERT_EQ(0, __mshv_set_msi_routing(self->vm.fd, e, 2));
	/* Edge-triggered route, no route, bad resamplefd. */
	EXPECT_EQ(-1, __mshv_irqfd(self->vm.fd, efd, rfd, 1, RESAMPLE));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, __mshv_irqfd(self->vm.fd, efd, rfd, 2, RESAMPLE));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, __mshv_irqfd(self->vm.fd, efd, -1, 3, RESAMPLE));
	EXPECT_EQ(EBADF, errno);
	/* Level-triggered: fine, and two irqfds share the resampler. */
	EXPECT_EQ(0, __mshv_irqfd(self->vm.fd, efd, rfd, 3, RESAMPLE));
	EXPECT_EQ(0, __mshv_irqfd(self->vm.fd, efd2, rfd, 3, RESAMPLE));
	EXPECT_EQ(0, __mshv_irqfd(self->vm.fd, efd, -1, 3, DEASSIGN));
	EXPECT_EQ(0, __mshv_irqfd(self->vm.fd, efd2, -1, 3, DEASSIGN));
	close(efd);
	close(efd2);
	close(rfd);
}

/*
 * Signals without a route are dropped, synchronously in the eventfd
 * write; a signal pending before the assignment is taken at assignment.
 */
TEST_F(irq, unrouted_and_pending)
{
	long dropped = mshv_irq_counter("dropped");
	int efd = new_eventfd();

	if (dropped < 0)
		SKIP(return, MSHV_DEBUGFS_PT_DIR " not readable");
	signal_fd(efd);
	ASSERT_EQ(0, __mshv_irqfd(self->vm.fd, efd, -1, 9, 0));
	EXPECT_EQ(dropped + 1, mshv_irq_counter("dropped"));
	signal_fd(efd);
	EXPECT_EQ(dropped + 2, mshv_irq_counter("dropped"));

	/* Gone with the eventfd: later signals reach nothing. */
	ASSERT_EQ(0, __mshv_irqfd(self->vm.fd, efd, -1, 9, DEASSIGN));
	signal_fd(efd);
	EXPECT_EQ(dropped + 2, mshv_irq_counter("dropped"));
	close(efd);
}

/* Closing the eventfd unbinds it; closing the partition unbinds all. */
TEST_F(irq, eventfd_and_partition_close)
{
	long dropped = mshv_irq_counter("dropped");
	long partitions = hvsim_counter("partitions");
	int efd = new_eventfd(), efd2 = new_eventfd();

	if (dropped < 0 || partitions < 0)
		SKIP(return, "debugfs counters not readable");
	ASSERT_EQ(0, __mshv_irqfd(self->vm.fd, efd, -1, 5, 0));
	close(efd);
	ASSERT_EQ(0, __mshv_irqfd(self->vm.fd, efd2, -1, 5, 0));

	/* The irqfd holds no partition reference: it goes away. */
	mshv_vcpu_destroy(&self->vcpu);
	self->vcpu.fd = -1;
	mshv_vm_destroy(&self->vm);
	EXPECT_EQ(partitions - 1, hvsim_counter("partitions"));
	signal_fd(efd2);
	EXPECT_EQ(dropped, mshv_irq_counter("dropped"));
	close(efd2);
}

/*
 * Resample without a guest: hvsim posts HVMSG_X64_APIC_EOI as the LAPIC
 * would.  The partition id (the message's sender) comes from the
 * mshv_irqfd tracepoint, which is checked on the way, like mshv_irq_eoi.
 */
TEST_F(irq, resample_on_eoi_message)
{
	struct mshv_user_irq_entry e[] = {
		route(3, 0, VEC, true), route(4, 1, VEC + 1, true),
	};
	int efd = new_eventfd(), efd2 = new_eventfd();
	int rfd = new_eventfd(), rfd2 = new_eventfd();
	const char *dir = mshv_tracefs(), *t, *p;
	long eoi = mshv_irq_counter("eoi");
	unsigned long long id = 0;
	char msg[128];
	int inj;

	MSHV_REQUIRE_HVSIM_DEBUGFS();
	if (!dir || eoi < 0)
		SKIP(return, "no tracefs or no mshv debugfs");
	inj = open(HVSIM_DEBUGFS_DIR "/inject_message", O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, inj);

	ASSERT_EQ(0, mshv_trace_write(dir, "trace", ""));
	ASSERT_EQ(0, mshv_trace_write(dir, "events/mshv/enable", "1"));
	ASSERT_EQ(0, __mshv_set_msi_routing(self->vm.fd, e, 2));
	ASSERT_EQ(0, __mshv_irqfd(self->vm.fd, efd, rfd, 3, RESAMPLE));
	ASSERT_EQ(0, __mshv_irqfd(self->vm.fd, efd2, rfd2, 3, RESAMPLE));
	t = mshv_trace_read(dir);
	p = strstr(t, "mshv_irqfd: partition ");
	ASSERT_NE(NULL, p) TH_LOG("trace:\n%s", t);
	ASSERT_EQ(1, sscanf(p, "mshv_irqfd: partition %llx", &id));
	EXPECT_NE(NULL, strstr(t, "mshv_irq_routing_update: partition"));

	/*
	 * Three EOIs in order: wrong vector, right vector from a VP the
	 * route does not target, the real one.  Only the last resamples,
	 * both resamplefds of the shared resampler.
	 */
	snprintf(msg, sizeof(msg), "%d 0 80010004 %llx %llx", sched_getcpu(),
		 id, (unsigned long long)(VEC + 2) << 32);
	ASSERT_EQ((ssize_t)strlen(msg), write(inj, msg, strlen(msg)));
	snprintf(msg, sizeof(msg), "%d 0 80010004 %llx %llx", sched_getcpu(),
		 id, (unsigned long long)VEC << 32 | 1);
	ASSERT_EQ((ssize_t)strlen(msg), write(inj, msg, strlen(msg)));
	snprintf(msg, sizeof(msg), "%d 0 80010004 %llx %llx", sched_getcpu(),
		 id, (unsigned long long)VEC << 32);
	ASSERT_EQ((ssize_t)strlen(msg), write(inj, msg, strlen(msg)));
	EXPECT_EQ(1ULL, wait_fd(rfd));
	EXPECT_EQ(1ULL, wait_fd(rfd2));
	EXPECT_EQ(eoi + 3, mshv_irq_counter("eoi"));
	t = mshv_trace_read(dir);
	EXPECT_NE(NULL, strstr(t, "resamplefds 2")) TH_LOG("trace:\n%s", t);

	/* After deassign, the EOI resamples only the remaining one. */
	ASSERT_EQ(0, __mshv_irqfd(self->vm.fd, efd, -1, 3, DEASSIGN));
	ASSERT_EQ((ssize_t)strlen(msg), write(inj, msg, strlen(msg)));
	EXPECT_EQ(1ULL, wait_fd(rfd2));
	EXPECT_EQ(eoi + 4, mshv_irq_counter("eoi"));
	EXPECT_EQ(0, read(rfd, msg, 8) == 8);

	mshv_trace_write(dir, "events/mshv/enable", "0");
	close(inj);
	close(efd);
	close(efd2);
	close(rfd);
	close(rfd2);
}

struct signaller {
	int fds[NR_RACE_FDS];
	atomic_bool stop;
	unsigned long writes;
};

static void *signal_loop(void *arg)
{
	struct signaller *s = arg;
	__u64 one = 1;
	unsigned int i;

	while (!atomic_load(&s->stop)) {
		for (i = 0; i < NR_RACE_FDS; i++)
			if (write(s->fds[i], &one, sizeof(one)) == sizeof(one))
				s->writes++;
	}
	return NULL;
}

static void race_start(struct signaller *s, pthread_t *th)
{
	unsigned int i;

	for (i = 0; i < NR_RACE_FDS; i++)
		s->fds[i] = new_eventfd();
	atomic_store(&s->stop, false);
	s->writes = 0;
	TEST_ASSERT(pthread_create(th, NULL, signal_loop, s) == 0,
		    "pthread_create");
}

static void race_stop(struct signaller *s, pthread_t th)
{
	unsigned int i;

	atomic_store(&s->stop, true);
	pthread_join(th, NULL);
	for (i = 0; i < NR_RACE_FDS; i++)
		close(s->fds[i]);
}

/* Deassign and reassign while another thread signals the eventfds. */
TEST_F(irq, race_deassign_while_signalling)
{
	struct mshv_user_irq_entry e[NR_RACE_FDS];
	struct signaller s;
	unsigned int i, n;
	pthread_t th;

	for (i = 0; i < NR_RACE_FDS; i++)
		e[i] = route(i, 0, VEC + i, false);
	ASSERT_EQ(0, __mshv_set_msi_routing(self->vm.fd, e, NR_RACE_FDS));
	race_start(&s, &th);
	for (n = 0; n < NR_RACE_LOOPS * 10; n++) {
		i = n % NR_RACE_FDS;
		ASSERT_EQ(0, __mshv_irqfd(self->vm.fd, s.fds[i], -1, i, 0));
		ASSERT_EQ(0, __mshv_irqfd(self->vm.fd, s.fds[i], -1, i,
					  DEASSIGN));
	}
	race_stop(&s, th);
	TH_LOG("%lu eventfd writes", s.writes);
}

/* Replace the routing table while signals inject through it. */
TEST_F(irq, race_routing_swap_while_signalling)
{
	struct mshv_user_irq_entry a[NR_RACE_FDS], b[NR_RACE_FDS];
	struct signaller s;
	unsigned int i, n;
	pthread_t th;

	for (i = 0; i < NR_RACE_FDS; i++) {
		a[i] = route(i, 0, VEC + i, false);
		b[i] = route(NR_RACE_FDS - 1 - i, 0, VEC + 8 + i, i & 1);
	}
	race_start(&s, &th);
	for (i = 0; i < NR_RACE_FDS; i++)
		ASSERT_EQ(0, __mshv_irqfd(self->vm.fd, s.fds[i], -1, i, 0));
	for (n = 0; n < NR_RACE_LOOPS * 5; n++) {
		ASSERT_EQ(0, __mshv_set_msi_routing(self->vm.fd, a,
						    NR_RACE_FDS));
		ASSERT_EQ(0, __mshv_set_msi_routing(self->vm.fd, b,
						    NR_RACE_FDS - n % 3));
		ASSERT_EQ(0, __mshv_set_msi_routing(self->vm.fd, NULL, 0));
	}
	race_stop(&s, th);
	TH_LOG("%lu eventfd writes", s.writes);
}

/*
 * Close partitions with live irqfds while they are being signalled.  Forty
 * partitions take about 30 s on the debug kernel when the machine is
 * overcommitted four times: allow six times that.
 */
FIXTURE(close_race) {
};

FIXTURE_SETUP(close_race)
{
}

FIXTURE_TEARDOWN(close_race)
{
}

TEST_F_TIMEOUT(close_race, partition_with_live_irqfds, 180)
{
	long partitions = hvsim_counter("partitions");
	struct mshv_user_irq_entry e[NR_RACE_FDS];
	struct mshv_vcpu vcpu;
	struct mshv_vm vm;
	struct signaller s;
	unsigned int i, n;
	pthread_t th;

	MSHV_REQUIRE_DEV();
	for (i = 0; i < NR_RACE_FDS; i++)
		e[i] = route(i, 0, VEC + i, i == 3);
	for (n = 0; n < NR_RACE_LOOPS; n++) {
		int rfd = new_eventfd();

		mshv_vm_create(&vm, true);
		mshv_vcpu_create(&vcpu, vm.fd, 0);
		ASSERT_EQ(0, __mshv_set_msi_routing(vm.fd, e, NR_RACE_FDS));
		race_start(&s, &th);
		for (i = 0; i < NR_RACE_FDS; i++)
			ASSERT_EQ(0, __mshv_irqfd(vm.fd, s.fds[i], rfd, i,
						  i == 3 ? RESAMPLE : 0));
		/* Alternate: partition fd last, or VP fd last. */
		if (n & 1) {
			mshv_vm_destroy(&vm);
			mshv_vcpu_destroy(&vcpu);
		} else {
			mshv_vcpu_destroy(&vcpu);
			mshv_vm_destroy(&vm);
		}
		race_stop(&s, th);
		close(rfd);
	}
	if (partitions >= 0)
		EXPECT_EQ(partitions, hvsim_counter("partitions"));
}

TEST_HARNESS_MAIN
