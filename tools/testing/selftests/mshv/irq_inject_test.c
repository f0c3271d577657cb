// SPDX-License-Identifier: GPL-2.0
/*
 * Guest interrupts through irqfds: a guest that enables its local APIC
 * and halts with interrupts on is woken by irqfd-signalled MSIs; its
 * handler EOIs and reports through port I/O (irq_inject_guest.c).
 *
 *  - counted: on both injection paths (fixture variants), every signal is
 *    one interrupt; the fast path issues no ASSERT_VIRTUAL_INTERRUPT at
 *    all, the slow path exactly one per interrupt.
 *  - wake_from_halt: another thread signals the eventfd once per reported
 *    interrupt; under the root scheduler each time only once the VP's run
 *    loop blocked on the guest's HLT, so every one must take the fast path
 *    (fast variant) and wake the VP.
 *  - level_resample: a level-triggered route with a resamplefd; the
 *    guest's EOI fires the resamplefd, which lets the "device" assert
 *    the line again.
 *  - routing_alternates: the routing table is replaced between
 *    interrupts; each interrupt arrives with the vector of the table in
 *    force when it was signalled.
 *  - routing_swap_while_firing: a third thread replaces the table while
 *    interrupts fire; none is lost.
 *  - sti_first_after_exit: STI as the first instruction after an exit
 *    (CPUID), with a self-IPI waiting: it is taken after the HLT that
 *    STI's shadow covers, never before it.
 * Every interrupt handler of the guest asserts that it does not return
 * to a HLT right after STI (a wake-up lost in the shadow, issue #16).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vm64.h"
#include "irq_inject.h"

#define NR_IRQS		200U
#define GSI		1
#define SCHED_PARAM	"/sys/module/hvsim/parameters/scheduler"
#define RESAMPLE	(1u << MSHV_IRQFD_BIT_RESAMPLE)

static int read_param(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

static struct mshv_user_irq_entry route(__u32 gsi, __u32 vec, bool level)
{
	struct mshv_user_irq_entry e = {
		.gsi = gsi,
		.address_lo = MSI_ADDR(0),
		.data = vec | (level ? MSI_DATA_LEVEL : 0),
	};

	return e;
}

static void set_route(int pt_fd, __u32 vec, bool level)
{
	struct mshv_user_irq_entry e = route(GSI, vec, level);

	TEST_ASSERT(__mshv_set_msi_routing(pt_fd, &e, 1) == 0,
		    "MSHV_SET_MSI_ROUTING: %s", strerror(errno));
}

static void signal_fd(int fd)
{
	__u64 one = 1;

	TEST_ASSERT(write(fd, &one, sizeof(one)) == sizeof(one), "write");
}

/* The guest, its eventfds, and a thread playing the device. */
struct irq_vm {
	struct vm64 vm;
	int efd;
	int rfd;
	sem_t ack;		/* main -> device: an interrupt was reported */
	unsigned int count;	/* signals the device sends */
	atomic_bool failed;	/* the device thread timed out */
	bool wait_halt;		/* device: signal once the VP blocked */
	atomic_long waits;	/* vp_waits when the last report was acked */
	atomic_bool stop_swap;
	pthread_t device;
	pthread_t swapper;
};

static void irq_vm_create(struct irq_vm *v, unsigned long count)
{
	vm64_create(&v->vm, irq_guest_main);
	vm64_set_arg(&v->vm, 0, count);
	v->efd = eventfd(0, EFD_CLOEXEC);
	v->rfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	TEST_ASSERT(v->efd >= 0 && v->rfd >= 0, "eventfd");
	TEST_ASSERT(sem_init(&v->ack, 0, 0) == 0, "sem_init");
	v->count = count;
	atomic_store(&v->failed, false);
}

static void irq_vm_destroy(struct irq_vm *v)
{
	vm64_destroy(&v->vm);
	close(v->efd);
	close(v->rfd);
	sem_destroy(&v->ack);
}

/* Run to the guest's first report: its APIC is on, it starts halting. */
static void irq_vm_start(struct irq_vm *v)
{
	TEST_ASSERT(vm64_run_ucall(&v->vm) == UCALL_SYNC &&
		    v->vm.uc.args[0] == IRQ_SYNC_READY,
		    "guest did not report ready");
}

/* Edge "device": one signal, then wait until main saw the interrupt. */
/*
 * Until the VP's run loop waits for a kick again (it blocked on the
 * guest's HLT): mshv_root's vp_waits counter passes the value it had when
 * the last report was acknowledged.  Bounded by the clock, not a sleep.
 */
static bool wait_for_halt(struct irq_vm *v)
{
	time_t end = time(NULL) + 10;

	while (mshv_irq_counter("vp_waits") <= atomic_load(&v->waits))
		if (time(NULL) > end)
			return false;
	return true;
}

/*
 * Edge "device": one signal per interrupt the guest reported; with
 * @wait_halt, each only once the guest halted.
 */
static void *edge_device(void *arg)
{
	struct irq_vm *v = arg;
	unsigned int i;

	for (i = 0; i < v->count; i++) {
		if (v->wait_halt && !wait_for_halt(v)) {
			atomic_store(&v->failed, true);
			return NULL;
		}
		signal_fd(v->efd);
		sem_wait(&v->ack);
	}
	return NULL;
}

/*
 * Level "device": assert (signal the irqfd), then wait for the guest's
 * EOI on the resamplefd before asserting again.  The wait is bounded so a
 * missing resample fails the test instead of hanging it.
 */
static void *level_device(void *arg)
{
	struct pollfd p;
	struct irq_vm *v = arg;
	unsigned int i;
	__u64 val;

	for (i = 0; i < v->count; i++) {
		signal_fd(v->efd);
		p.fd = v->rfd;
		p.events = POLLIN;
		if (poll(&p, 1, 10000) != 1 ||
		    read(v->rfd, &val, sizeof(val)) != sizeof(val)) {
			atomic_store(&v->failed, true);
			break;
		}
	}
	return NULL;
}

/*
 * Main thread: run the guest until it returns.  Every interrupt it
 * reports must be the next one (count = @n + 1) and have a vector from
 * @vectors (checked by the caller through @seen).
 */
static unsigned int run_guest(struct __test_metadata *_metadata,
			      struct irq_vm *v, unsigned int *seen,
			      unsigned int nr_seen, void (*between)(struct irq_vm *))
{
	unsigned int n = 0;
	unsigned int cmd;

	for (;;) {
		cmd = vm64_run_ucall(&v->vm);
		if (cmd == UCALL_DONE)
			break;
		ASSERT_EQ((unsigned int)UCALL_SYNC, cmd);
		ASSERT_EQ((__u64)n + 1, v->vm.uc.args[1]);
		if (n < nr_seen)
			seen[n] = v->vm.uc.args[0];
		n++;
		if (between)
			between(v);
		atomic_store(&v->waits, mshv_irq_counter("vp_waits"));
		sem_post(&v->ack);
	}
	EXPECT_EQ((__u64)v->count, v->vm.uc.args[0]);
	return n;
}

FIXTURE(inject) {
	struct irq_vm v;
	bool root_sched;
	bool fast_usable;
};

FIXTURE_VARIANT(inject) {
	bool fast;
};

FIXTURE_VARIANT_ADD(inject, fast_path) { .fast = true };
FIXTURE_VARIANT_ADD(inject, slow_path) { .fast = false };

FIXTURE_SETUP(inject)
{
	char sched[16] = "";

	memset(&self->v, 0, sizeof(self->v));
	self->v.vm.vm.fd = -1;
	MSHV_REQUIRE_DEV();
	MSHV_REQUIRE_HVSIM_DEBUGFS();
	/* hvsim advertises the fast path; it needs the root scheduler. */
	read_param(SCHED_PARAM, sched, sizeof(sched));
	self->root_sched = strncmp(sched, "hyp", 3);
	self->fast_usable = variant->fast && self->root_sched;
	irq_vm_create(&self->v, NR_IRQS);
	/* The partition's own switch, before anything is injected. */
	ASSERT_LE(0, mshv_pt_switch(self->v.vm.vm.fd, "irq_fast_path",
				    variant->fast));
	irq_vm_start(&self->v);
}

FIXTURE_TEARDOWN(inject)
{
	if (self->v.vm.vm.fd >= 0)
		irq_vm_destroy(&self->v);
}

struct counts {
	long asserts, dispatches, fast, slow;
};

static void counts_read(struct counts *c)
{
	c->asserts = hvsim_hypercall_count(HVCALL_ASSERT_VIRTUAL_INTERRUPT);
	c->dispatches = hvsim_hypercall_count(HVCALL_DISPATCH_VP);
	c->fast = mshv_irq_counter("inject_fast");
	c->slow = mshv_irq_counter("inject_slow");
}

static void counts_delta(struct counts *c)
{
	struct counts now;

	counts_read(&now);
	c->asserts = now.asserts - c->asserts;
	c->dispatches = now.dispatches - c->dispatches;
	c->fast = now.fast - c->fast;
	c->slow = now.slow - c->slow;
}

/*
 * Exact counts: the VMM signals while the VP is stopped (in its exit),
 * then runs it.  The fast path then always applies: no hypercall but the
 * dispatches; the slow path costs one ASSERT_VIRTUAL_INTERRUPT each.
 */
TEST_F(inject, counted)
{
	const char *trace = mshv_tracefs();
	struct counts c;
	unsigned int i;

	set_route(self->v.vm.vm.fd, IRQ_VEC_A, false);
	ASSERT_EQ(0, __mshv_irqfd(self->v.vm.vm.fd, self->v.efd, -1, GSI, 0));
	if (trace) {
		mshv_trace_write(trace, "trace", "");
		mshv_trace_write(trace, "events/mshv/mshv_irq_inject/enable",
				 "1");
	}
	counts_read(&c);
	for (i = 0; i < NR_IRQS; i++) {
		signal_fd(self->v.efd);
		ASSERT_EQ((unsigned int)UCALL_SYNC, vm64_run_ucall(&self->v.vm));
		ASSERT_EQ((__u64)IRQ_VEC_A, self->v.vm.uc.args[0]);
		ASSERT_EQ((__u64)i + 1, self->v.vm.uc.args[1]);
	}
	counts_delta(&c);
	TH_LOG("%s path: %u interrupts: %ld ASSERT_VIRTUAL_INTERRUPT, %ld DISPATCH_VP, %ld fast, %ld slow",
	       variant->fast ? "fast" : "slow", NR_IRQS, c.asserts,
	       c.dispatches, c.fast, c.slow);
	if (self->fast_usable) {
		EXPECT_EQ(0, c.asserts);
		EXPECT_EQ(NR_IRQS, c.fast);
		EXPECT_EQ(0, c.slow);
	} else {
		EXPECT_EQ(NR_IRQS, c.asserts);
		EXPECT_EQ(NR_IRQS, c.slow);
		EXPECT_EQ(0, c.fast);
	}
	if (trace) {
		/* The tracepoint names the path each injection took. */
		const char *t = mshv_trace_read(trace);

		mshv_trace_write(trace, "events/mshv/mshv_irq_inject/enable",
				 "0");
		EXPECT_NE(NULL, strstr(t, self->fast_usable ?
				       "vector 64 dest 0 type 0 edge path fast" :
				       "vector 64 dest 0 type 0 edge path slow"))
			TH_LOG("trace:\n%.2000s", t);
	}
	ASSERT_EQ((unsigned int)UCALL_DONE, vm64_run_ucall(&self->v.vm));
}

/*
 * Wake-ups from HLT: another thread signals once per reported interrupt,
 * usually while the VP is halted.  A signal that finds the VP inside a
 * dispatch takes the slow path even in the fast variant.
 */
TEST_F(inject, wake_from_halt)
{
	unsigned int seen[NR_IRQS], i, n;
	struct counts c;

	set_route(self->v.vm.vm.fd, IRQ_VEC_A, false);
	ASSERT_EQ(0, __mshv_irqfd(self->v.vm.vm.fd, self->v.efd, -1, GSI, 0));
	counts_read(&c);
	/* The root scheduler's run loop tells when the VP blocked. */
	self->v.wait_halt = self->root_sched;
	atomic_store(&self->v.waits, mshv_irq_counter("vp_waits"));
	ASSERT_EQ(0, pthread_create(&self->v.device, NULL, edge_device,
				    &self->v));
	n = run_guest(_metadata, &self->v, seen, NR_IRQS, NULL);
	pthread_join(self->v.device, NULL);
	ASSERT_EQ(NR_IRQS, n);
	for (i = 0; i < n; i++)
		ASSERT_EQ((unsigned int)IRQ_VEC_A, seen[i]);

	counts_delta(&c);
	TH_LOG("%s path: %u interrupts: %ld ASSERT_VIRTUAL_INTERRUPT, %ld DISPATCH_VP, %ld fast, %ld slow",
	       variant->fast ? "fast" : "slow", n, c.asserts, c.dispatches,
	       c.fast, c.slow);
	EXPECT_FALSE(atomic_load(&self->v.failed));
	EXPECT_EQ(NR_IRQS, c.fast + c.slow);
	EXPECT_EQ(c.slow, c.asserts);
	/* Signalled while blocked, never while dispatching: all fast. */
	EXPECT_EQ(self->fast_usable ? NR_IRQS : 0, c.fast);
}

TEST_F(inject, level_resample)
{
	long resampled = mshv_irq_counter("resampled");
	unsigned int n;

	set_route(self->v.vm.vm.fd, IRQ_VEC_LEVEL, true);
	ASSERT_EQ(0, __mshv_irqfd(self->v.vm.vm.fd, self->v.efd, self->v.rfd,
				  GSI, RESAMPLE));
	ASSERT_EQ(0, pthread_create(&self->v.device, NULL, level_device,
				    &self->v));
	n = run_guest(_metadata, &self->v, NULL, 0, NULL);
	pthread_join(self->v.device, NULL);
	EXPECT_FALSE(atomic_load(&self->v.failed));
	EXPECT_EQ(NR_IRQS, n);
	/* The last EOI's resample may still be on its way: at least n - 1. */
	EXPECT_LE(resampled + NR_IRQS - 1, mshv_irq_counter("resampled"));
}

static void alternate_route(struct irq_vm *v)
{
	static bool b;

	b = !b;
	set_route(v->vm.vm.fd, b ? IRQ_VEC_B : IRQ_VEC_A, false);
}

TEST_F(inject, routing_alternates)
{
	unsigned int seen[NR_IRQS], i, n;

	set_route(self->v.vm.vm.fd, IRQ_VEC_A, false);
	ASSERT_EQ(0, __mshv_irqfd(self->v.vm.vm.fd, self->v.efd, -1, GSI, 0));
	ASSERT_EQ(0, pthread_create(&self->v.device, NULL, edge_device,
				    &self->v));
	n = run_guest(_metadata, &self->v, seen, NR_IRQS, alternate_route);
	pthread_join(self->v.device, NULL);
	ASSERT_EQ(NR_IRQS, n);
	for (i = 0; i < n; i++)
		EXPECT_EQ(i & 1 ? IRQ_VEC_B : IRQ_VEC_A, (int)seen[i]);
}

static void *swapper(void *arg)
{
	struct irq_vm *v = arg;
	unsigned int i = 0;

	while (!atomic_load(&v->stop_swap))
		set_route(v->vm.vm.fd, i++ & 1 ? IRQ_VEC_B : IRQ_VEC_A, false);
	return NULL;
}

TEST_F(inject, routing_swap_while_firing)
{
	unsigned int seen[NR_IRQS], i, n, a = 0;

	set_route(self->v.vm.vm.fd, IRQ_VEC_A, false);
	ASSERT_EQ(0, __mshv_irqfd(self->v.vm.vm.fd, self->v.efd, -1, GSI, 0));
	atomic_store(&self->v.stop_swap, false);
	ASSERT_EQ(0, pthread_create(&self->v.swapper, NULL, swapper,
				    &self->v));
	ASSERT_EQ(0, pthread_create(&self->v.device, NULL, edge_device,
				    &self->v));
	n = run_guest(_metadata, &self->v, seen, NR_IRQS, NULL);
	pthread_join(self->v.device, NULL);
	atomic_store(&self->v.stop_swap, true);
	pthread_join(self->v.swapper, NULL);
	ASSERT_EQ(NR_IRQS, n);
	for (i = 0; i < n; i++) {
		ASSERT_TRUE(seen[i] == IRQ_VEC_A || seen[i] == IRQ_VEC_B);
		a += seen[i] == IRQ_VEC_A;
	}
	TH_LOG("%u of %u interrupts on vector A", a, n);
}

/*
 * Under engine=svm the CPUID exit makes the STI the first instruction of
 * a VMRUN; the guest's handler checks where each interrupt returns to.
 */
TEST(sti_first_after_exit)
{
	struct vm64 vm;

	MSHV_REQUIRE_DEV();
	vm64_create(&vm, irq_guest_sti_first);
	vm64_set_arg(&vm, 0, NR_IRQS);
	ASSERT_EQ((unsigned int)UCALL_DONE, vm64_run_ucall(&vm));
	EXPECT_EQ((__u64)NR_IRQS, vm.uc.args[0]);
	vm64_destroy(&vm);
}

TEST_HARNESS_MAIN
