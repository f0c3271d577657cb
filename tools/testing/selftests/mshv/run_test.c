// SPDX-License-Identifier: GPL-2.0
/*
 * MSHV_RUN_VP with small real-mode guests: IO port intercepts, HLT,
 * unmapped GPAs, and the two ways a VMM changes registers between runs
 * (SET_VP_REGISTERS through MSHV_ROOT_HVCALL, or the mmapped register page).
 */
#include <errno.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mshv_util.h"

#define GUEST_MEM_SIZE	0x10000
#define COM1_THR	0x3f8
#define COM1_LSR	0x3fd

/*
 * mov $0x3f8,%dx; add %bl,%al; add $'0',%al; out %al,(%dx);
 * mov $'\n',%al; out %al,(%dx); hlt
 */
static const __u8 print_sum[] = {
	0xba, 0xf8, 0x03, 0x00, 0xd8, 0x04, 0x30, 0xee,
	0xb0, 0x0a, 0xee, 0xf4,
};

#define PRINT_SUM_OUT1	(GUEST_CODE_GPA + 7)
#define PRINT_SUM_OUT2	(GUEST_CODE_GPA + 10)
#define PRINT_SUM_HLT	(GUEST_CODE_GPA + 11)

FIXTURE(guest) {
	struct mshv_vm vm;
	struct mshv_vcpu vcpu;
	__u8 *mem;
	struct hv_message msg;
};

FIXTURE_SETUP(guest)
{
	self->vm.fd = -1;
	self->vm.dev_fd = -1;
	self->vcpu.fd = -1;
	MSHV_REQUIRE_DEV();
	mshv_vm_create(&self->vm, true);
	self->mem = mshv_map_guest_mem(self->vm.fd, 0, GUEST_MEM_SIZE);
	mshv_vcpu_create(&self->vcpu, self->vm.fd, 0);
	mshv_set_real_mode(self->vm.fd, 0, GUEST_CODE_GPA);
}

FIXTURE_TEARDOWN(guest)
{
	mshv_vcpu_destroy(&self->vcpu);
	mshv_vm_destroy(&self->vm);
	if (self->mem)
		munmap(self->mem, GUEST_MEM_SIZE);
}

static struct hv_x64_io_port_intercept_message *io_msg(struct hv_message *m)
{
	return (struct hv_x64_io_port_intercept_message *)m->u.payload;
}

static unsigned int insn_len(const struct hv_x64_intercept_message_header *h)
{
	return h->instruction_length_cr8 & 0xf;
}

/* Check an IO port intercept of a one-byte access of @type at @rip. */
static void check_io(struct __test_metadata *_metadata, struct hv_message *m,
		     __u16 port, __u8 type, __u64 rip)
{
	struct hv_x64_io_port_intercept_message *io = io_msg(m);

	ASSERT_EQ(HVMSG_X64_IO_PORT_INTERCEPT, m->header.message_type);
	EXPECT_EQ(port, io->port_number);
	EXPECT_EQ(1UL, io->access_info & HV_X64_IO_PORT_ACCESS_SIZE_MASK);
	EXPECT_EQ(type, io->header.intercept_access_type);
	EXPECT_EQ(rip, io->header.rip);
	EXPECT_EQ(1U, insn_len(&io->header));
	EXPECT_EQ(0U, io->header.vp_index);
	EXPECT_LT(0, io->instruction_byte_count);
	EXPECT_EQ(type == HV_INTERCEPT_ACCESS_WRITE ? 0xee : 0xec,
		  io->instruction_bytes[0]);
}

static void check_halt(struct __test_metadata *_metadata,
		       struct hv_message *m, __u64 rip)
{
	struct hv_x64_halt_message *halt = (void *)m->u.payload;

	ASSERT_EQ(HVMSG_X64_HALT, m->header.message_type);
	EXPECT_EQ(rip, halt->header.rip);
}

static void load_print_sum(FIXTURE_DATA(guest) *self)
{
	mshv_load_guest(self->mem, GUEST_CODE_GPA, print_sum,
			sizeof(print_sum));
	mshv_set_reg(self->vm.fd, 0, HV_X64_REGISTER_RAX, 2);
	mshv_set_reg(self->vm.fd, 0, HV_X64_REGISTER_RBX, 2);
}

/* Test A: the VMM steps over each OUT with SET_VP_REGISTERS. */
TEST_F(guest, io_out_then_halt_hvcall)
{
	struct hv_x64_io_port_intercept_message *io = io_msg(&self->msg);
	int i;

	load_print_sum(self);
	for (i = 0; i < 2; i++) {
		mshv_run_vp(self->vcpu.fd, &self->msg);
		check_io(_metadata, &self->msg, COM1_THR,
			 HV_INTERCEPT_ACCESS_WRITE,
			 i ? PRINT_SUM_OUT2 : PRINT_SUM_OUT1);
		EXPECT_EQ(i ? '\n' : '4', (__u8)io->rax);
		mshv_set_reg(self->vm.fd, 0, HV_X64_REGISTER_RIP,
			     io->header.rip + insn_len(&io->header));
	}
	mshv_run_vp(self->vcpu.fd, &self->msg);
	check_halt(_metadata, &self->msg, PRINT_SUM_HLT);
}

/* Test B: the VMM steps over each OUT through the register page. */
TEST_F(guest, io_out_then_halt_register_page)
{
	struct hv_x64_io_port_intercept_message *io = io_msg(&self->msg);
	struct hv_vp_register_page *regs = self->vcpu.regs;
	int i;

	load_print_sum(self);
	for (i = 0; i < 2; i++) {
		mshv_run_vp(self->vcpu.fd, &self->msg);
		check_io(_metadata, &self->msg, COM1_THR,
			 HV_INTERCEPT_ACCESS_WRITE,
			 i ? PRINT_SUM_OUT2 : PRINT_SUM_OUT1);
		EXPECT_EQ(i ? '\n' : '4', (__u8)io->rax);
		EXPECT_EQ(HV_VP_REGISTER_PAGE_VERSION_1, regs->version);
		EXPECT_EQ(io->header.rip, regs->rip);
		regs->rip = io->header.rip + insn_len(&io->header);
		regs->dirty |= 1U << HV_X64_REGISTER_CLASS_IP;
	}
	mshv_run_vp(self->vcpu.fd, &self->msg);
	check_halt(_metadata, &self->msg, PRINT_SUM_HLT);
}

/* An IN is completed by the VMM writing RAX through the register page. */
TEST_F(guest, io_in_completed_through_register_page)
{
	/* mov $0x3fd,%dx; in (%dx),%al; mov $0x3f8,%dx; out %al,(%dx); hlt */
	static const __u8 code[] = {
		0xba, 0xfd, 0x03, 0xec, 0xba, 0xf8, 0x03, 0xee, 0xf4,
	};
	struct hv_vp_register_page *regs = self->vcpu.regs;

	mshv_load_guest(self->mem, GUEST_CODE_GPA, code, sizeof(code));
	mshv_run_vp(self->vcpu.fd, &self->msg);
	check_io(_metadata, &self->msg, COM1_LSR, HV_INTERCEPT_ACCESS_READ,
		 GUEST_CODE_GPA + 3);

	regs->gp_registers[0] = (regs->gp_registers[0] & ~0xffULL) | 0x60;
	regs->rip += 1;
	regs->dirty |= (1U << HV_X64_REGISTER_CLASS_GENERAL) |
		       (1U << HV_X64_REGISTER_CLASS_IP);
	mshv_run_vp(self->vcpu.fd, &self->msg);
	check_io(_metadata, &self->msg, COM1_THR, HV_INTERCEPT_ACCESS_WRITE,
		 GUEST_CODE_GPA + 7);
	EXPECT_EQ(0x60, (__u8)io_msg(&self->msg)->rax);
	regs->rip += 1;
	regs->dirty |= 1U << HV_X64_REGISTER_CLASS_IP;
	mshv_run_vp(self->vcpu.fd, &self->msg);
	check_halt(_metadata, &self->msg, GUEST_CODE_GPA + 8);
}

TEST_F(guest, run_message_matches_page)
{
	load_print_sum(self);
	mshv_run_vp(self->vcpu.fd, &self->msg);
	ASSERT_EQ(HVMSG_X64_IO_PORT_INTERCEPT, self->msg.header.message_type);
	EXPECT_EQ(0, memcmp(&self->msg, self->vcpu.msg, sizeof(self->msg)));
}

TEST_F(guest, registers_match_register_page)
{
	static const __u32 names[] = {
		HV_X64_REGISTER_RAX, HV_X64_REGISTER_RCX, HV_X64_REGISTER_RDX,
		HV_X64_REGISTER_RBX, HV_X64_REGISTER_RSP, HV_X64_REGISTER_RBP,
		HV_X64_REGISTER_RSI, HV_X64_REGISTER_RDI, HV_X64_REGISTER_RIP,
		HV_X64_REGISTER_RFLAGS, HV_X64_REGISTER_CS,
	};
	union hv_register_value v[ARRAY_SIZE(names)];
	struct hv_vp_register_page *regs = self->vcpu.regs;
	struct hv_x64_segment_register *cs = &regs->segment_registers[1];
	__u16 status = 0xffff;
	int i;

	load_print_sum(self);
	mshv_run_vp(self->vcpu.fd, &self->msg);
	ASSERT_EQ(HVMSG_X64_IO_PORT_INTERCEPT, self->msg.header.message_type);
	ASSERT_EQ(0, __mshv_get_regs(self->vm.fd, 0, names, v, ARRAY_SIZE(names),
				     &status));
	EXPECT_EQ(HV_STATUS_SUCCESS, status);
	for (i = 0; i < 8; i++)
		EXPECT_EQ(v[i].reg64, regs->gp_registers[i]);
	EXPECT_EQ(v[8].reg64, regs->rip);
	EXPECT_EQ(v[9].reg64, regs->rflags);
	EXPECT_EQ(v[10].segment.base, cs->base);
	EXPECT_EQ(v[10].segment.limit, cs->limit);
	EXPECT_EQ(v[10].segment.selector, cs->selector);
	EXPECT_EQ(v[10].segment.attributes, cs->attributes);
	/* The guest did the arithmetic: '0' + 2 + 2, and DX holds the port. */
	EXPECT_EQ('4', (__u8)v[0].reg64);
	EXPECT_EQ(COM1_THR, (__u16)v[2].reg64);
	EXPECT_EQ(PRINT_SUM_OUT1, v[8].reg64);
}

/* Guest loads and stores land in the VMM's memory, and vice versa. */
TEST_F(guest, memory_shared_with_guest)
{
	/* mov (%bx),%al; add $1,%al; mov %al,1(%bx); hlt */
	static const __u8 code[] = {
		0x8a, 0x07, 0x04, 0x01, 0x88, 0x47, 0x01, 0xf4,
	};

	mshv_load_guest(self->mem, GUEST_CODE_GPA, code, sizeof(code));
	self->mem[0x2000] = 0x41;
	mshv_set_reg(self->vm.fd, 0, HV_X64_REGISTER_RBX, 0x2000);
	mshv_run_vp(self->vcpu.fd, &self->msg);
	check_halt(_metadata, &self->msg, GUEST_CODE_GPA + 7);
	EXPECT_EQ(0x42, self->mem[0x2001]);
}

/* A load from a GPA with no memory behind it ends the run. */
TEST_F(guest, unmapped_gpa)
{
	/* mov (%bx),%al; hlt   with DS based at 1 MiB (not mapped) */
	static const __u8 code[] = { 0x8a, 0x07, 0xf4 };
	struct hv_x64_memory_intercept_message *mem_msg =
		(void *)self->msg.u.payload;
	struct hv_register_assoc ds = { .name = HV_X64_REGISTER_DS };
	__u16 status;

	ds.value.segment.base = 0x100000;
	ds.value.segment.limit = 0xffff;
	ds.value.segment.selector = 0x1000;
	ds.value.segment.attributes = 0x93;
	ASSERT_EQ(0, __mshv_set_regs(self->vm.fd, 0, &ds, 1, &status));
	mshv_set_reg(self->vm.fd, 0, HV_X64_REGISTER_RBX, 0x10);
	mshv_load_guest(self->mem, GUEST_CODE_GPA, code, sizeof(code));
	mshv_run_vp(self->vcpu.fd, &self->msg);
	ASSERT_EQ(HVMSG_UNMAPPED_GPA, self->msg.header.message_type);
	EXPECT_EQ(0x100010ULL, mem_msg->guest_physical_address);
	EXPECT_EQ(GUEST_CODE_GPA, mem_msg->header.rip);
}

static void on_alarm(int sig)
{
}

/* A signal ends a run that never exits with EINTR; running again resumes. */
TEST_F(guest, signal_interrupts_run)
{
	static const __u8 spin[] = { 0xeb, 0xfe };	/* 1: jmp 1b */
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	struct itimerval timer = { .it_value.tv_usec = 200000 };
	struct mshv_run_vp run;

	mshv_load_guest(self->mem, GUEST_CODE_GPA, spin, sizeof(spin));
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &timer, NULL));
	EXPECT_EQ(-1, ioctl(self->vcpu.fd, MSHV_RUN_VP, &run));
	EXPECT_EQ(EINTR, errno);

	/* Turn the loop into a HLT: the VP picks up where it was. */
	self->mem[GUEST_CODE_GPA] = 0xf4;
	mshv_run_vp(self->vcpu.fd, &self->msg);
	check_halt(_metadata, &self->msg, GUEST_CODE_GPA);
}

TEST_HARNESS_MAIN
