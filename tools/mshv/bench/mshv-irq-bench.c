// SPDX-License-Identifier: GPL-2.0
/*
 * mshv-irq-bench: what injecting one interrupt through an irqfd costs, on
 * the fast path (VP register page) and the slow path
 * (HVCALL_ASSERT_VIRTUAL_INTERRUPT), measured in the same boot.
 *
 * The guest is the selftests' irq_inject guest (a vm64 guest that halts
 * with interrupts on; its handler EOIs and reports through port I/O), so
 * this program is built by tools/testing/selftests/mshv/Makefile with the
 * vm64 library.  Two ways of signalling:
 *
 *  - "exit": the VMM thread signals the eventfd while the VP is stopped
 *    in the previous interrupt's report, then runs it: one MSHV_RUN_VP
 *    round trip per interrupt;
 *  - "halt": a second thread signals once the previous interrupt was
 *    reported and the VP's run loop blocked on the guest's HLT (root
 *    scheduler), so each interrupt also wakes the VP.
 *
 * For each path and way it prints interrupts/s, microseconds per
 * interrupt, and hypercalls per interrupt as counted by hvsim (ASSERT,
 * DISPATCH_VP, all of them), plus the driver's fast/slow counts.
 * The partition's irq_fast_path switch (mshv_root's debugfs) selects the
 * path.
 *
 * Usage: mshv-irq-bench [-n INTERRUPTS]   (needs /dev/mshv and hvsim)
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "vm64.h"
#include "irq_inject.h"
#include "bench.h"

#define GSI		1

static unsigned long nr_irqs = 5000;
static int efd;
static sem_t ack;
/* mshv_root's vp_waits when the last report was acknowledged. */
static atomic_long waits;

/* All hypercalls hvsim served so far, every code. */
static long hypercalls_total(void)
{
	char line[128], name[64];
	unsigned int code;
	long n, sum = 0;
	FILE *f = fopen(HVSIM_DEBUGFS_DIR "/hypercalls", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%x %63s %ld", &code, name, &n) == 3)
			sum += n;
	fclose(f);
	return sum;
}

struct counts {
	long asserts, dispatches, all, fast, slow;
};

static void counts_read(struct counts *c)
{
	c->asserts = hvsim_hypercall_count(HVCALL_ASSERT_VIRTUAL_INTERRUPT);
	c->dispatches = hvsim_hypercall_count(HVCALL_DISPATCH_VP);
	c->all = hypercalls_total();
	c->fast = mshv_irq_counter("inject_fast");
	c->slow = mshv_irq_counter("inject_slow");
}

static void signal_efd(void)
{
	__u64 one = 1;

	TEST_ASSERT(write(efd, &one, sizeof(one)) == sizeof(one), "write");
}

/*
 * Signals one interrupt per report, each once the VP's run loop blocked on
 * the guest's HLT (mshv_root's vp_waits moved; root scheduler only: under
 * hvsim's own scheduler the counter stays and the wait gives up after a
 * millisecond).
 */
static void *device(void *arg)
{
	unsigned long i;
	double end;

	for (i = 0; i < nr_irqs; i++) {
		end = now() + 1e-3;
		while (mshv_irq_counter("vp_waits") <= atomic_load(&waits) &&
		       now() < end)
			;
		signal_efd();
		sem_wait(&ack);
	}
	return NULL;
}

/* One report of the guest: the interrupt number @i + 1. */
static void expect_irq(struct vm64 *vm, unsigned long i)
{
	TEST_ASSERT(vm64_run_ucall(vm) == UCALL_SYNC &&
		    vm->uc.args[0] == IRQ_VEC_A && vm->uc.args[1] == i + 1,
		    "interrupt %lu not reported", i + 1);
}

static void run(bool fast, bool halt)
{
	const char *path = fast ? "fast" : "slow";
	struct mshv_user_irq_entry e = {
		.gsi = GSI, .address_lo = MSI_ADDR(0), .data = IRQ_VEC_A,
	};
	struct counts a, b;
	pthread_t th;
	struct vm64 vm;
	unsigned long i;
	double t;

	vm64_create(&vm, irq_guest_main);
	vm64_set_arg(&vm, 0, nr_irqs);
	TEST_ASSERT(mshv_pt_switch(vm.vm.fd, "irq_fast_path", fast) >= 0,
		    "irq_fast_path");
	efd = eventfd(0, EFD_CLOEXEC);
	TEST_ASSERT(efd >= 0, "eventfd");
	TEST_ASSERT(__mshv_set_msi_routing(vm.vm.fd, &e, 1) == 0,
		    "MSHV_SET_MSI_ROUTING");
	TEST_ASSERT(__mshv_irqfd(vm.vm.fd, efd, -1, GSI, 0) == 0,
		    "MSHV_IRQFD");
	TEST_ASSERT(vm64_run_ucall(&vm) == UCALL_SYNC &&
		    vm.uc.args[0] == IRQ_SYNC_READY, "guest not ready");

	counts_read(&a);
	atomic_store(&waits, mshv_irq_counter("vp_waits"));
	t = now();
	if (halt) {
		TEST_ASSERT(pthread_create(&th, NULL, device, NULL) == 0,
			    "pthread_create");
		for (i = 0; i < nr_irqs; i++) {
			expect_irq(&vm, i);
			atomic_store(&waits, mshv_irq_counter("vp_waits"));
			sem_post(&ack);
		}
		pthread_join(th, NULL);
	} else {
		for (i = 0; i < nr_irqs; i++) {
			signal_efd();
			expect_irq(&vm, i);
		}
	}
	t = now() - t;
	counts_read(&b);
	TEST_ASSERT(vm64_run_ucall(&vm) == UCALL_DONE, "guest did not finish");

	printf("irq %s path%s, signalled %s: %lu interrupts in %.3f s: %.0f interrupts/s, %.1f us each; per interrupt: %.3f ASSERT_VIRTUAL_INTERRUPT, %.3f DISPATCH_VP, %.3f hypercalls in all; %ld fast, %ld slow\n",
	       path, !strcmp(path, "fast") && b.fast == a.fast ?
	       " (unavailable: not the root scheduler?)" : "",
	       halt ? "while halted" : "at exits", nr_irqs, t,
	       nr_irqs / t, t * 1e6 / nr_irqs,
	       (double)(b.asserts - a.asserts) / nr_irqs,
	       (double)(b.dispatches - a.dispatches) / nr_irqs,
	       (double)(b.all - a.all) / nr_irqs, b.fast - a.fast,
	       b.slow - a.slow);
	fflush(stdout);
	close(efd);
	vm64_destroy(&vm);
}

int main(int argc, char **argv)
{
	int opt;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt != 'n')
			goto usage;
		nr_irqs = strtoul(optarg, NULL, 0);
	}
	if (optind != argc || !nr_irqs)
		goto usage;
	if (!mshv_dev_present() || hvsim_counter("partitions") < 0 ||
	    access(MSHV_DEBUGFS_PT_DIR, F_OK)) {
		fprintf(stderr, "mshv-irq-bench: needs /dev/mshv, hvsim's and mshv_root's debugfs\n");
		return 1;
	}
	TEST_ASSERT(sem_init(&ack, 0, 0) == 0, "sem_init");

	run(true, false);
	run(true, true);
	run(false, false);
	run(false, true);
	return 0;

usage:
	fprintf(stderr, "usage: %s [-n INTERRUPTS]\n", argv[0]);
	return 2;
}
