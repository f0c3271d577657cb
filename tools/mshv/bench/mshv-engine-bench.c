// SPDX-License-Identifier: GPL-2.0
/*
 * mshv-engine-bench: hvsim's execution engines against KVM, same guest.
 *
 * One real-mode guest loop, run through /dev/mshv (hvsim with
 * engine=interp or engine=svm, chosen through hvsim's engine= parameter
 * before the partition is created) or through /dev/kvm (Debian's
 * kvm_amd on the same emulated CPU):
 *  - guest instructions/s: "mov $N,%ecx; 1: addr32 loop 1b; out; jmp"
 *    (N LOOPs per OUT);
 *  - PIO exit round trip: "1: out %al,(%dx); jmp 1b", every run of the
 *    VP one exit, stepped over by the VMM.
 *
 * Usage: mshv-engine-bench -e interp|svm|kvm [-n EXITS] [-l LOOPS]
 *        mshv-engine-bench -s         (table of the results so far)
 * Each run appends its two numbers to /tmp/mshv-engine-bench.txt; -s
 * prints them as a table with the ratios to KVM.
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

#define PAGE		4096
#define MEM_SIZE	0x10000
#define EXIT_GPA	0x1000	/* the OUT loop */
#define LOOP_GPA	0x2000	/* the LOOP guest */
#define RESULTS		"/tmp/mshv-engine-bench.txt"

/* 1: out %al,(%dx); jmp 1b */
static const unsigned char out_loop[] = { 0xee, 0xeb, 0xfd };
/* 0: mov $N,%ecx; 6: addr32 loop 6; 9: out %al,(%dx); a: jmp 0 */
static unsigned char spin_loop[] = {
	0x66, 0xb9, 0, 0, 0, 0, 0x67, 0xe2, 0xfd, 0xee, 0xeb, 0xf4,
};

/* One VP of either hypervisor: run to the next OUT, step over it. */
struct vm {
	int fd;			/* partition or KVM VM */
	int vp;			/* VP or vCPU */
	unsigned char *mem;
	void *run;		/* register page (mshv) or kvm_run */
	int (*to_out)(struct vm *vm);
	void (*reset)(struct vm *vm, __u64 rip);
};

/* ------------------------------------------------------------------ */
/* /dev/mshv                                                          */
/* ------------------------------------------------------------------ */

static void mshv_set_regs(struct vm *vm, const struct hv_register_assoc *r,
			  unsigned int n)
{
	struct {
		struct hv_input_set_vp_registers hdr;
		struct hv_register_assoc regs[8];
	} in;
	struct mshv_root_hvcall call = {
		.code = HVCALL_SET_VP_REGISTERS,
		.reps = n,
		.in_sz = sizeof(in.hdr) + n * sizeof(in.regs[0]),
		.in_ptr = (unsigned long)&in,
	};

	memset(&in, 0, sizeof(in));
	memcpy(in.regs, r, n * sizeof(*r));
	if (ioctl(vm->fd, MSHV_ROOT_HVCALL, &call))
		die("SET_VP_REGISTERS");
}

/* Real mode, flat 64 KiB segments, at @rip. */
static void mshv_reset(struct vm *vm, __u64 rip)
{
	static const __u32 segs[] = {
		HV_X64_REGISTER_CS, HV_X64_REGISTER_DS, HV_X64_REGISTER_ES,
		HV_X64_REGISTER_SS,
	};
	struct hv_register_assoc r[6];
	unsigned int i;

	memset(r, 0, sizeof(r));
	for (i = 0; i < 4; i++) {
		r[i].name = segs[i];
		r[i].value.segment.limit = 0xffff;
		r[i].value.segment.attributes = i ? 0x93 : 0x9b;
	}
	r[4].name = HV_X64_REGISTER_RIP;
	r[4].value.reg64 = rip;
	r[5].name = HV_X64_REGISTER_RFLAGS;
	r[5].value.reg64 = 2;
	mshv_set_regs(vm, r, 6);
}

static int mshv_to_out(struct vm *vm)
{
	struct mshv_run_vp run;
	struct hv_message *msg = (void *)run.msg_buf;
	struct hv_x64_io_port_intercept_message *io = (void *)msg->u.payload;
	struct hv_vp_register_page *regs = vm->run;

	while (ioctl(vm->vp, MSHV_RUN_VP, &run)) {
		if (errno != EINTR)
			return errno;
	}
	if (msg->header.message_type != HVMSG_X64_IO_PORT_INTERCEPT)
		return EPROTO;
	regs->rip = io->header.rip + 1;
	regs->dirty |= 1U << HV_X64_REGISTER_CLASS_IP;
	return 0;
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
	struct mshv_create_vp cv = { .vp_index = 0 };
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
	vm->vp = ioctl(vm->fd, MSHV_CREATE_VP, &cv);
	if (vm->vp < 0)
		die("MSHV_CREATE_VP");
	vm->run = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vp,
		       MSHV_VP_MMAP_OFFSET_REGISTERS * sysconf(_SC_PAGESIZE));
	if (vm->run == MAP_FAILED)
		die("mmap register page");
	vm->to_out = mshv_to_out;
	vm->reset = mshv_reset;
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
	sregs.ds = sregs.es = sregs.ss = sregs.cs;
	sregs.ds.type = sregs.es.type = sregs.ss.type = 3;
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
			return errno;
	}
	/* KVM has already stepped over the OUT: the next run resumes. */
	return run->exit_reason == KVM_EXIT_IO ? 0 : EPROTO;
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
	if ((err = vm->to_out(vm)))	/* warm up: the code page is mapped */
		return fprintf(stderr, "run: %s\n", strerror(err)), -1;
	t0 = now();
	for (i = 0; i < n; i++)
		if ((err = vm->to_out(vm)))
			return fprintf(stderr, "run: %s\n", strerror(err)), -1;
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
	for (i = 0; i < rounds; i++)
		if ((err = vm->to_out(vm)))
			return fprintf(stderr, "run: %s\n", strerror(err)), -1;
	dt = now() - t0;
	/* LOOPs, then OUT, JMP, MOV per round (the first has no JMP). */
	return (double)rounds * (loops + 3) / dt / 1e6;
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
	while (fscanf(f, "%15s %lf %lf", name, &m, &u) == 3)
		for (i = 0; i < 3; i++)
			if (!strcmp(name, names[i])) {
				mips[i] = m;
				us[i] = u;
			}
	fclose(f);
	printf("engine   guest M insn/s  (x KVM)   PIO exit round trip us  (x KVM)\n");
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

int main(int argc, char **argv)
{
	unsigned long exits = 20000, loops = 0;
	const char *engine = NULL;
	struct vm vm;
	double mips, us;
	int opt, rounds = 4;
	FILE *f;

	while ((opt = getopt(argc, argv, "e:n:l:s")) != -1) {
		if (opt == 'e')
			engine = optarg;
		else if (opt == 'n')
			exits = strtoul(optarg, NULL, 0);
		else if (opt == 'l')
			loops = strtoul(optarg, NULL, 0);
		else if (opt == 's')
			return summary();
		else
			engine = NULL, optind = argc + 1;
	}
	if (!engine || (strcmp(engine, "interp") && strcmp(engine, "svm") &&
			strcmp(engine, "kvm")) || !exits || loops > 0xffffffffUL)
		return fprintf(stderr,
			       "usage: %s -e interp|svm|kvm [-n EXITS] [-l LOOPS] | -s\n",
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
