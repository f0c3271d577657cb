/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the mshv benchmark programs, and the real-mode VP
 * that mshv-bench and mshv-engine-bench run their OUT and LOOP guests
 * on.
 */
#ifndef MSHV_BENCH_H
#define MSHV_BENCH_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/mshv.h>
#include "hyperv_root.h"

static inline void die(const char *what)
{
	perror(what);
	exit(1);
}

/* Seconds on the monotonic clock. */
static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* HVCALL_SET_VP_REGISTERS of @n (at most 8) registers of VP @vp. */
static inline void bench_set_regs(int pt_fd, unsigned int vp,
				  const struct hv_register_assoc *regs,
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

	if (n > 8) {
		errno = EINVAL;
		die("bench_set_regs");
	}
	memset(&in, 0, sizeof(in));
	in.hdr.vp_index = vp;
	memcpy(in.regs, regs, n * sizeof(*regs));
	if (ioctl(pt_fd, MSHV_ROOT_HVCALL, &call))
		die("SET_VP_REGISTERS");
}

/* VP @vp in real mode, flat 64 KiB segments, RIP at @rip. */
static inline void bench_real_mode(int pt_fd, unsigned int vp, __u64 rip)
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
	bench_set_regs(pt_fd, vp, r, 6);
}

/* Create VP @index of partition @pt_fd; its register page in *@regs. */
static inline int bench_create_vp(int pt_fd, unsigned int index,
				  struct hv_vp_register_page **regs)
{
	struct mshv_create_vp args = { .vp_index = index };
	int fd = ioctl(pt_fd, MSHV_CREATE_VP, &args);

	if (fd < 0)
		die("MSHV_CREATE_VP");
	*regs = mmap(NULL, sysconf(_SC_PAGESIZE), PROT_READ | PROT_WRITE,
		     MAP_SHARED, fd,
		     MSHV_VP_MMAP_OFFSET_REGISTERS * sysconf(_SC_PAGESIZE));
	if (*regs == MAP_FAILED)
		die("mmap register page");
	return fd;
}

/*
 * Run VP @vp_fd to its next intercept, which must be a one-byte
 * "out %al,(%dx)", and step over it through the register page @regs.
 * Return: 0 or -errno (-EPROTO: another intercept).
 */
static inline int bench_run_to_out(int vp_fd, struct hv_vp_register_page *regs)
{
	struct mshv_run_vp run;
	struct hv_message *msg = (void *)run.msg_buf;
	struct hv_x64_io_port_intercept_message *io = (void *)msg->u.payload;

	while (ioctl(vp_fd, MSHV_RUN_VP, &run)) {
		if (errno != EINTR)
			return -errno;
	}
	if (msg->header.message_type != HVMSG_X64_IO_PORT_INTERCEPT)
		return -EPROTO;
	regs->rip = io->header.rip + 1;
	regs->dirty |= 1U << HV_X64_REGISTER_CLASS_IP;
	return 0;
}

#endif /* MSHV_BENCH_H */
