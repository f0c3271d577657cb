// SPDX-License-Identifier: GPL-2.0
/*
 * mshv-engine-bench: hvsim's execution engines against KVM, same guest.
 *
 * One real-mode guest loop, run through /dev/mshv (hvsim with
 * engine=interp or engine=svm, chosen through hvsim's engine= parameter
 * before the partition is created) or through /dev/kvm (Debian's
 * kvm_amd on the same emulated CPU):
 *  - guest instructions/s: "mov $N,%ecx; 1: inc %ebx; addr32 loop 1b;
 *    out; jmp" (N INC+LOOP pairs per OUT); EBX, read at the end, must
 *    have counted every iteration, or the run fails;
 *  - PIO exit round trip: "1: out %al,(%dx); jmp 1b", every run of the
 *    VP one exit, stepped over by the VMM.
 *
 * Usage: mshv-engine-bench -e interp|svm|kvm [-n EXITS] [-l LOOPS]
 *        mshv-engine-bench -s         (table of the results so far)
 *        mshv-engine-bench -H         (hold a KVM VM until killed)
 * Each run appends its two numbers to /tmp/mshv-engine-bench.txt; -s
 * prints the best of each engine's runs as a table with the ratios to
 * KVM.  On a loaded host the numbers of one run vary by 2x or more;
 * the best of several runs of each engine compare best.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kvm.h>
#include <linux/mshv.h>
#include "hyperv_root.h"

#include "bench.h"

#define MEM_SIZE	0x10000
#define EXIT_GPA	0x1000	/* the OUT loop */
#define LOOP_GPA	0x2000	/* the LOOP guest */
#define RESULTS		"/tmp/mshv-engine-bench.txt"

/* 1: out %al,(%dx); jmp 1b */
static const unsigned char out_loop[] = { 0xee, 0xeb, 0xfd };
/* 0: mov $N,%ecx; 6: inc %ebx; 8: addr32 loop 6; b: out %al,(%dx); c: jmp 0 */
static unsigned char spin_loop[] = {
	0x66, 0xb9, 0, 0, 0, 0, 0x66, 0x43, 0x67, 0xe2, 0xfb, 0xee, 0xeb, 0xf2,
};

/* One VP of either hypervisor: run to the next OUT, step over it. */
struct vm {
	int fd;			/* partition or KVM VM */
	int vp;			/* VP or vCPU */
	unsigned char *mem;
	void *run;		/* register page (mshv) or kvm_run */
	int (*to_out)(struct vm *vm);
	void (*reset)(struct vm *vm, __u64 rip);
	__u64 (*rbx)(struct vm *vm);	/* after an exit */
};

/* ------------------------------------------------------------------ */
/* /dev/mshv                                                          */
/* ------------------------------------------------------------------ */

/* Real mode, flat 64 KiB segments, at @rip. */
static void mshv_reset(struct vm *vm, __u64 rip)
{
	bench_real_mode(vm->fd, 0, rip);
}

static int mshv_to_out(struct vm *vm)
{
	return bench_run_to_out(vm->vp, vm->run);
}

static __u64 mshv_rbx(struct vm *vm)
{
	struct hv_vp_register_page *regs = vm->run;

	return regs->gp_registers[3];
}

static int set_engine(const char *name)
{
	int fd = open("/sys/module/hvsim/parameters/engine", O_WRONLY);
	int ret = 0;

	if (fd < 0)
		return -1;
	if (write(fd, name, strlen(name)) < 0)
		ret = -1;
	close(fd);
	return ret;
}

static void mshv_create(struct vm *vm, const char *engine)
{
	struct mshv_create_partition cp = {
		.pt_flags = 1ULL << MSHV_PT_BIT_LAPIC,
		.pt_isolation = MSHV_PT_ISOLATION_NONE,
	};
	struct mshv_user_mem_region region = {
		.size = MEM_SIZE,
		.userspace_addr = (unsigned long)vm->mem,
		.flags = (1 << MSHV_SET_MEM_BIT_WRITABLE) |
			 (1 << MSHV_SET_MEM_BIT_EXECUTABLE),
	};
	struct hv_vp_register_page *regs;
	int dev;

	if (set_engine(engine))
		die("hvsim engine= parameter");
	dev = open("/dev/mshv", O_RDWR | O_CLOEXEC);
	if (dev < 0)
		die("/dev/mshv");
	vm->fd = ioctl(dev, MSHV_CREATE_PARTITION, &cp);
	if (vm->fd < 0)
		die("MSHV_CREATE_PARTITION");
	if (ioctl(vm->fd, MSHV_INITIALIZE_PARTITION))
		die("MSHV_INITIALIZE_PARTITION");
	if (ioctl(vm->fd, MSHV_SET_GUEST_MEMORY, &region))
		die("MSHV_SET_GUEST_MEMORY");
	vm->vp = bench_create_vp(vm->fd, 0, &regs);
	vm->run = regs;
	vm->to_out = mshv_to_out;
	vm->reset = mshv_reset;
	vm->rbx = mshv_rbx;
}

/* ------------------------------------------------------------------ */
/* /dev/kvm                                                           */
/* ------------------------------------------------------------------ */

/*
 * Real mode at @rip.  KVM completes a port write at the next KVM_RUN by
 * stepping over the OUT if RIP is still there: the two guests live at
 * different addresses for that reason.
 */
static void kvm_reset(struct vm *vm, __u64 rip)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	if (ioctl(vm->vp, KVM_GET_SREGS, &sregs))
		die("KVM_GET_SREGS");
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	sregs.ds = sregs.cs;
	sregs.ds.type = 3;
	sregs.es = sregs.ds;
	sregs.ss = sregs.ds;
	if (ioctl(vm->vp, KVM_SET_SREGS, &sregs))
		die("KVM_SET_SREGS");
	memset(&regs, 0, sizeof(regs));
	regs.rip = rip;
	regs.rflags = 2;
	if (ioctl(vm->vp, KVM_SET_REGS, &regs))
		die("KVM_SET_REGS");
}

static int kvm_to_out(struct vm *vm)
{
	struct kvm_run *run = vm->run;

	while (ioctl(vm->vp, KVM_RUN, 0)) {
		if (errno != EINTR)
			return -errno;
	}
	/* KVM has already stepped over the OUT: the next run resumes. */
	return run->exit_reason == KVM_EXIT_IO ? 0 : -EPROTO;
}

static __u64 kvm_rbx(struct vm *vm)
{
	struct kvm_regs regs;

	if (ioctl(vm->vp, KVM_GET_REGS, &regs))
		die("KVM_GET_REGS");
	return regs.rbx;
}

static void kvm_create(struct vm *vm)
{
	struct kvm_userspace_memory_region region = {
		.memory_size = MEM_SIZE,
		.userspace_addr = (unsigned long)vm->mem,
	};
	int dev, size;

	dev = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (dev < 0)
		die("/dev/kvm");
	vm->fd = ioctl(dev, KVM_CREATE_VM, 0);
	if (vm->fd < 0)
		die("KVM_CREATE_VM");
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &region))
		die("KVM_SET_USER_MEMORY_REGION");
	vm->vp = ioctl(vm->fd, KVM_CREATE_VCPU, 0);
	if (vm->vp < 0)
		die("KVM_CREATE_VCPU");
	size = ioctl(dev, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size <= 0)
		die("KVM_GET_VCPU_MMAP_SIZE");
	vm->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vp,
		       0);
	if (vm->run == MAP_FAILED)
		die("mmap kvm_run");
	vm->to_out = kvm_to_out;
	vm->reset = kvm_reset;
	vm->rbx = kvm_rbx;
}

/* ------------------------------------------------------------------ */

/* Microseconds per exit of the OUT loop. */
static double bench_exits(struct vm *vm, unsigned long n)
{
	unsigned long i;
	double t0;
	int err;

	memcpy(vm->mem + EXIT_GPA, out_loop, sizeof(out_loop));
	vm->reset(vm, EXIT_GPA);
	err = vm->to_out(vm);	/* warm up: the code page is mapped */
	t0 = now();
	for (i = 0; i < n && !err; i++)
		err = vm->to_out(vm);
	if (err)
		return fprintf(stderr, "run: %s\n", strerror(-err)), -1;
	return (now() - t0) * 1e6 / n;
}

/* Million guest instructions per second in the LOOP guest. */
static double bench_loop(struct vm *vm, unsigned long loops, int rounds)
{
	double t0, dt;
	int i, err;

	memcpy(spin_loop + 2, &loops, 4);
	memcpy(vm->mem + LOOP_GPA, spin_loop, sizeof(spin_loop));
	vm->reset(vm, LOOP_GPA);
	t0 = now();
	for (i = 0, err = 0; i < rounds && !err; i++)
		err = vm->to_out(vm);
	if (err)
		return fprintf(stderr, "run: %s\n", strerror(-err)), -1;
	dt = now() - t0;
	/* EBX started at 0 (bench_exits() leaves it alone). */
	if ((__u32)vm->rbx(vm) != (__u32)(rounds * loops)) {
		fprintf(stderr, "guest counted %u iterations, not %u\n",
			(__u32)vm->rbx(vm), (__u32)(rounds * loops));
		return -1;
	}
	/* INC+LOOPs, then OUT, JMP, MOV per round (the first has no JMP). */
	return (double)rounds * (2 * loops + 3) / dt / 1e6;
}

static int summary(void)
{
	static const char * const names[] = { "interp", "svm", "kvm" };
	double mips[3] = { 0 }, us[3] = { 0 }, m, u;
	char name[16];
	FILE *f = fopen(RESULTS, "r");
	int i;

	if (!f)
		die(RESULTS);
	/* Best of each engine's runs: the least disturbed by the host. */
	while (fscanf(f, "%15s %lf %lf", name, &m, &u) == 3)
		for (i = 0; i < 3; i++)
			if (!strcmp(name, names[i])) {
				if (m > mips[i])
					mips[i] = m;
				if (!us[i] || u < us[i])
					us[i] = u;
			}
	fclose(f);
	printf("engine   guest M insn/s  (x KVM)   PIO exit round trip us  (x KVM)   %s\n",
	       "[best of the runs]");
	for (i = 0; i < 3; i++) {
		if (!mips[i])
			continue;
		printf("%-8s %14.1f  ", names[i], mips[i]);
		if (mips[2])
			printf("(%6.3f)", mips[i] / mips[2]);
		else
			printf("(   n/a)");
		printf("   %22.2f  ", us[i]);
		if (us[2])
			printf("(%6.2f)\n", us[i] / us[2]);
		else
			printf("(   n/a)\n");
	}
	return 0;
}

/*
 * Keep one KVM VM until killed.  KVM counts its VMs in static keys (the
 * preempt notifiers of __schedule(), among others): each first VM and
 * each last one patches kernel text.  Under QEMU's TCG that patching has
 * once left a stale INT3 behind in the test VM ("Oops: int3" in
 * __schedule(), a panic); with this VM alive, the runs' VMs come and go
 * without patching anything.  Not while hvsim's svm engine runs: a KVM
 * VM keeps EFER.SVME set.
 */
static int hold_kvm(void)
{
	struct vm vm;

	memset(&vm, 0, sizeof(vm));
	vm.mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (vm.mem == MAP_FAILED)
		die("mmap guest memory");
	kvm_create(&vm);
	printf("holding a KVM VM\n");
	fflush(stdout);
	while (pause() < 0 && errno == EINTR)
		continue;
	return 1;
}

int main(int argc, char **argv)
{
	unsigned long exits = 20000, loops = 0;
	const char *engine = NULL;
	struct vm vm;
	double mips, us;
	int opt, rounds = 4;
	FILE *f;

	while ((opt = getopt(argc, argv, "e:n:l:sH")) != -1) {
		switch (opt) {
		case 'e':
			engine = optarg;
			break;
		case 'n':
			exits = strtoul(optarg, NULL, 0);
			break;
		case 'l':
			loops = strtoul(optarg, NULL, 0);
			break;
		case 's':
			return summary();
		case 'H':
			return hold_kvm();
		default:
			engine = NULL;
			optind = argc + 1;
			break;
		}
	}
	if (!engine || (strcmp(engine, "interp") && strcmp(engine, "svm") &&
			strcmp(engine, "kvm")) || !exits || loops > 0xffffffffUL)
		return fprintf(stderr,
			       "usage: %s -e interp|svm|kvm [-n EXITS] [-l LOOPS] | -s | -H\n",
			       argv[0]), 2;
	if (!loops)	/* about a second each way */
		loops = strcmp(engine, "interp") ? 100000000 : 100000;

	memset(&vm, 0, sizeof(vm));
	vm.mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (vm.mem == MAP_FAILED)
		die("mmap guest memory");
	if (!strcmp(engine, "kvm"))
		kvm_create(&vm);
	else
		mshv_create(&vm, engine);

	us = bench_exits(&vm, exits);
	mips = bench_loop(&vm, loops, rounds);
	if (us < 0 || mips < 0)
		return 1;
	printf("engine=%s guest: %.1f M instructions/s; PIO exit round trip %.2f us\n",
	       engine, mips, us);
	f = fopen(RESULTS, "a");
	if (f) {
		fprintf(f, "%s %f %f\n", engine, mips, us);
		fclose(f);
	}
	return 0;
}
