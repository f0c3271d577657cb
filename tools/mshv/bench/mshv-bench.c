// SPDX-License-Identifier: GPL-2.0
/*
 * mshv-bench: how fast MSHV_RUN_VP goes, whatever the scheduler model.
 *
 *  - exits/s: a guest that does nothing but OUT; every MSHV_RUN_VP is one
 *    intercept, stepped over through the register page;
 *    against two baselines of the same boot: a null ioctl (an ioctl
 *    number the partition fd does not know) and the time hvsim itself
 *    spends in each HVCALL_DISPATCH_VP (its debugfs "hypercalls" file;
 *    root scheduler only);
 *  - the same with two VPs of one partition in two threads (aggregate);
 *  - guest instructions/s: a guest that runs a 65535-iteration LOOP
 *    between OUTs, so nearly all the time is spent interpreting;
 *  - doorbells (MSHV_IOEVENTFD): a guest that writes a doorbell and spins
 *    until a VMM thread, woken by the eventfd, acknowledges it in guest
 *    memory: round trips/s, and the latency from the guest's write (its
 *    TSC, which hvsim takes from the host's) to the eventfd read.
 *
 * Usage: mshv-bench [-n EXITS] [-d DOORBELLS]
 * (needs /dev/mshv; prints one line each)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/mshv.h>
#include "hyperv_root.h"

#include "bench.h"

#define MEM_SIZE	0x10000
#define CODE_GPA(vp)	(0x1000 + (vp) * 0x100)
#define LOOP_INSNS	(65535 + 3)	/* LOOPs, then OUT, JMP, MOV */

/* 1: out %al,(%dx); jmp 1b */
static const unsigned char out_loop[] = { 0xee, 0xeb, 0xfd };
/* 0: mov $0xffff,%cx; 3: loop 3; out %al,(%dx); jmp 0 */
static const unsigned char spin_loop[] = {
	0xb9, 0xff, 0xff, 0xe2, 0xfe, 0xee, 0xeb, 0xf8,
};

/*
 * Doorbell guest (real mode; bx counts writes):
 *  0: mov $0x1000,%ax; mov %ax,%es; xor %bx,%bx
 *  7: inc %bx; rdtsc; mov %eax,0x3008; mov %edx,0x300c
 *     movb %bl,%es:0                    (GPA 0x10000: the doorbell)
 * 18: cmp %bx,0x3000; jne 18            (wait for the VMM's ack)
 *     cmp 0x3002,%bx; jne 7             (until the count is reached)
 *     out %al,(%dx); jmp 0
 */
static const unsigned char db_loop[] = {
	0xb8, 0x00, 0x10, 0x8e, 0xc0, 0x31, 0xdb,
	0x43, 0x0f, 0x31, 0x66, 0xa3, 0x08, 0x30,
	0x66, 0x89, 0x16, 0x0c, 0x30, 0x26, 0x88, 0x1e, 0x00, 0x00,
	0x39, 0x1e, 0x00, 0x30, 0x75, 0xfa,
	0x3b, 0x1e, 0x02, 0x30, 0x75, 0xe3,
	0xee, 0xeb, 0xd9,
};

#define DB_GPA		0x10000		/* ES:0 above: no RAM there */
#define DB_ACK		0x3000		/* u16: writes acknowledged */
#define DB_COUNT	0x3002		/* u16: writes to do */
#define DB_TSC		0x3008		/* u64: TSC before the latest write */

struct vcpu {
	int fd;
	unsigned int index;
	struct hv_vp_register_page *regs;
	unsigned long exits;
	int err;
};

static void create_vp(int pt_fd, struct vcpu *v, unsigned int index)
{
	v->index = index;
	v->fd = bench_create_vp(pt_fd, index, &v->regs);
}

/* Run to the next OUT and step over it.  Returns 0 or -errno. */
static int run_to_out(struct vcpu *v)
{
	int err = bench_run_to_out(v->fd, v->regs);

	if (!err)
		v->exits++;
	return err;
}

static unsigned long nr_exits = 20000;
static unsigned long nr_doorbells = 2000;

struct db_acker {
	int efd;
	unsigned char *mem;
	unsigned long n;
	unsigned long long *lat;
	int err;
};

/*
 * Best effort: keep the acknowledging thread off the CPU of the thread
 * that runs the spinning guest (the root scheduler runs it in the
 * MSHV_RUN_VP caller), or each ack waits for a scheduler tick.
 */
static void pin_to_cpu(int cpu)
{
	cpu_set_t set;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* VMM side: take each doorbell, note its latency, acknowledge it. */
static void *db_ack(void *arg)
{
	struct db_acker *a = arg;
	unsigned long long v, tsc;
	unsigned long seen = 0;

	pin_to_cpu(1);

	while (seen < a->n) {
		if (read(a->efd, &v, sizeof(v)) != sizeof(v)) {
			a->err = -errno;
			break;
		}
		memcpy(&tsc, a->mem + DB_TSC, sizeof(tsc));
		a->lat[seen] = __builtin_ia32_rdtsc() - tsc;
		seen += v;
		__atomic_store_n((__u16 *)(a->mem + DB_ACK), (__u16)seen,
				 __ATOMIC_RELEASE);
	}
	return NULL;
}

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

/* Doorbell round trips with VP @v of @pt; returns 0 or -errno. */
static int bench_doorbell(int pt, struct vcpu *v, unsigned char *mem,
			  const char *model)
{
	struct mshv_user_ioeventfd io = { .addr = DB_GPA, .len = 1 };
	struct db_acker a = { .mem = mem, .n = nr_doorbells };
	unsigned long long c0, c1;
	double t0, dt, us;
	pthread_t thr;
	__u16 count = nr_doorbells;
	int rc;

	a.lat = calloc(a.n, sizeof(*a.lat));
	a.efd = eventfd(0, EFD_CLOEXEC);
	if (!a.lat || a.efd < 0)
		return -ENOMEM;
	io.fd = a.efd;
	if (ioctl(pt, MSHV_IOEVENTFD, &io))
		return -errno;
	memcpy(mem + CODE_GPA(0), db_loop, sizeof(db_loop));
	memset(mem + DB_ACK, 0, 16);
	memcpy(mem + DB_COUNT, &count, sizeof(count));
	bench_real_mode(pt, v->index, CODE_GPA(0));
	pin_to_cpu(0);
	rc = pthread_create(&thr, NULL, db_ack, &a);
	if (rc)
		return -rc;
	t0 = now();
	c0 = __builtin_ia32_rdtsc();
	v->err = run_to_out(v);
	c1 = __builtin_ia32_rdtsc();
	dt = now() - t0;
	pthread_join(thr, NULL);
	if (v->err || a.err)
		return v->err ? v->err : a.err;

	us = dt * 1e6 / (double)(c1 - c0);	/* per TSC tick */
	qsort(a.lat, a.n, sizeof(*a.lat), cmp_ull);
	printf("scheduler=%s doorbells: %lu round trips in %.3f s: %.0f/s, %.1f us each\n",
	       model, a.n, dt, a.n / dt, dt * 1e6 / a.n);
	printf("scheduler=%s doorbell write -> eventfd read: min %.1f median %.1f p90 %.1f us\n",
	       model, a.lat[0] * us, a.lat[a.n / 2] * us,
	       a.lat[a.n * 9 / 10] * us);
	free(a.lat);
	close(a.efd);
	return 0;
}

/* hvsim's count of HVCALL_DISPATCH_VP and the ns spent in it; 0 if none. */
static void dispatch_stats(long *calls, long long *ns)
{
	FILE *f = fopen("/sys/kernel/debug/hvsim/hypercalls", "re");
	char line[128];
	unsigned int code;

	*calls = 0;
	*ns = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%x %*s %ld %lld", &code, calls, ns) == 3 &&
		    code == HVCALL_DISPATCH_VP)
			break;
	fclose(f);
}

/* Microseconds per ioctl that the partition fd answers with ENOTTY. */
static double null_ioctl_us(int pt, unsigned long n)
{
	unsigned long i;
	double t0 = now();

	for (i = 0; i < n; i++)
		if (ioctl(pt, _IO(MSHV_IOCTL, 0xff)) != -1 || errno != ENOTTY)
			die("null ioctl");
	return (now() - t0) * 1e6 / n;
}

static void *run_exits(void *arg)
{
	struct vcpu *v = arg;

	while (v->exits < nr_exits && !v->err)
		v->err = run_to_out(v);
	return NULL;
}

int main(int argc, char **argv)
{
	struct mshv_create_partition cp = {
		.pt_flags = 1ULL << MSHV_PT_BIT_LAPIC,
		.pt_isolation = MSHV_PT_ISOLATION_NONE,
	};
	struct mshv_user_mem_region region = {
		.size = MEM_SIZE,
		.flags = (1 << MSHV_SET_MEM_BIT_WRITABLE) |
			 (1 << MSHV_SET_MEM_BIT_EXECUTABLE),
	};
	char model[16] = "unknown";
	struct vcpu vp[2];
	pthread_t t[2];
	int dev, pt, i, opt;
	unsigned char *mem;
	double t0, dt, exit_us, null_us, hv_us;
	long long ns0, ns1;
	long calls0, calls1;
	FILE *f;

	memset(vp, 0, sizeof(vp));

	while ((opt = getopt(argc, argv, "n:d:")) != -1) {
		if (opt == 'n')
			nr_exits = strtoul(optarg, NULL, 0);
		else if (opt == 'd')
			nr_doorbells = strtoul(optarg, NULL, 0);
		else
			return fprintf(stderr,
				       "usage: %s [-n EXITS] [-d DOORBELLS]\n",
				       argv[0]), 2;
	}
	if (!nr_doorbells || nr_doorbells > 65535)
		return fprintf(stderr, "-d: 1..65535\n"), 2;
	f = fopen("/sys/module/hvsim/parameters/scheduler", "r");
	if (f) {
		if (fgets(model, sizeof(model), f))
			model[strcspn(model, "\n")] = 0;
		fclose(f);
	}

	dev = open("/dev/mshv", O_RDWR | O_CLOEXEC);
	if (dev < 0)
		die("/dev/mshv");
	pt = ioctl(dev, MSHV_CREATE_PARTITION, &cp);
	if (pt < 0)
		die("MSHV_CREATE_PARTITION");
	if (ioctl(pt, MSHV_INITIALIZE_PARTITION))
		die("MSHV_INITIALIZE_PARTITION");
	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap guest memory");
	region.userspace_addr = (unsigned long)mem;
	if (ioctl(pt, MSHV_SET_GUEST_MEMORY, &region))
		die("MSHV_SET_GUEST_MEMORY");
	for (i = 0; i < 2; i++) {
		create_vp(pt, &vp[i], i);
		memcpy(mem + CODE_GPA(i), out_loop, sizeof(out_loop));
		bench_real_mode(pt, i, CODE_GPA(i));
	}

	/* One VP, one thread. */
	dispatch_stats(&calls0, &ns0);
	t0 = now();
	run_exits(&vp[0]);
	dt = now() - t0;
	if (vp[0].err)
		return fprintf(stderr, "run: %s\n", strerror(-vp[0].err)), 1;
	dispatch_stats(&calls1, &ns1);
	printf("scheduler=%s 1 VP: %lu exits in %.3f s: %.0f exits/s\n",
	       model, vp[0].exits, dt, vp[0].exits / dt);
	exit_us = dt * 1e6 / vp[0].exits;
	null_us = null_ioctl_us(pt, nr_exits);
	printf("scheduler=%s PIO exit round trip %.2f us; null ioctl %.2f us (x%.1f)",
	       model, exit_us, null_us, exit_us / null_us);
	if (calls1 > calls0) {
		hv_us = (ns1 - ns0) / 1e3 / (calls1 - calls0);
		printf("; hvsim DISPATCH_VP %.2f us (x%.1f)", hv_us,
		       exit_us / hv_us);
	}
	printf("\n");

	/* Two VPs of one partition, two threads. */
	vp[0].exits = 0;
	t0 = now();
	for (i = 0; i < 2; i++)
		if (pthread_create(&t[i], NULL, run_exits, &vp[i]))
			die("pthread_create");
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	dt = now() - t0;
	if (vp[0].err || vp[1].err)
		return fprintf(stderr, "run: %s\n",
			       strerror(-(vp[0].err ? : vp[1].err))), 1;
	printf("scheduler=%s 2 VPs: %lu exits in %.3f s: %.0f exits/s\n",
	       model, vp[0].exits + vp[1].exits, dt,
	       (vp[0].exits + vp[1].exits) / dt);

	/* Interpretation speed: a long LOOP between OUTs. */
	memcpy(mem + CODE_GPA(0), spin_loop, sizeof(spin_loop));
	bench_real_mode(pt, 0, CODE_GPA(0));
	vp[0].exits = 0;
	nr_exits = 30;
	t0 = now();
	run_exits(&vp[0]);
	dt = now() - t0;
	if (vp[0].err)
		return fprintf(stderr, "run: %s\n", strerror(-vp[0].err)), 1;
	printf("scheduler=%s guest: %.1f M instructions/s\n", model,
	       vp[0].exits * (double)LOOP_INSNS / dt / 1e6);

	i = bench_doorbell(pt, &vp[0], mem, model);
	if (i)
		return fprintf(stderr, "doorbells: %s\n", strerror(-i)), 1;
	return 0;
}
