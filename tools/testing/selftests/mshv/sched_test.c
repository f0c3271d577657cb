// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduling: the suspend registers and MSHV_RUN_VP under whichever
 * scheduler model the hypervisor runs (hvsim: module parameter scheduler=
 * root or hyp).  A fresh VP is explicitly suspended; running reaches
 * intercepts; a signal interrupts a run without losing an intercept; two
 * VPs of one partition run concurrently; closing the fds while a VP runs
 * is safe.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mshv_util.h"

#define GUEST_MEM_SIZE	0x10000
#define SCHED_PARAM	"/sys/module/hvsim/parameters/scheduler"

/* Where each VP's counter guest lives, and its counter and port. */
#define CODE_GPA(vp)	(GUEST_CODE_GPA + (vp) * 0x100)
#define COUNTER_GPA(vp)	(0x3000 + (vp) * 0x10)
#define PORT(vp)	(0x500 + (vp))

/*
 * 0: mov $delay,%cx; 3: loop 3; inc (%bx); mov (%bx),%ax; out %ax,(%dx);
 * jmp 0.  Each OUT reports the next value of the 16-bit counter at BX.
 */
static const __u8 counter_guest[] = {
	0xb9, 0x00, 0x00, 0xe2, 0xfe, 0xff, 0x07, 0x8b, 0x07, 0xef,
	0xeb, 0xf4,
};

#define COUNTER_OUT_OFF	9	/* offset of the OUT */

static void log_model(struct __test_metadata *_metadata)
{
	char model[16] = "unknown";
	FILE *f = fopen(SCHED_PARAM, "r");

	if (f) {
		if (!fgets(model, sizeof(model), f))
			snprintf(model, sizeof(model), "unknown");
		model[strcspn(model, "\n")] = 0;
		fclose(f);
	}
	TH_LOG("scheduler model: %s", model);
}

/* Load the counter guest for VP @vp (1..65535 delay loop iterations). */
static void setup_counter_guest(int pt_fd, __u8 *mem, __u32 vp, __u16 delay)
{
	__u8 code[sizeof(counter_guest)];

	memcpy(code, counter_guest, sizeof(code));
	code[1] = delay & 0xff;
	code[2] = delay >> 8;
	mshv_load_guest(mem, CODE_GPA(vp), code, sizeof(code));
	memset(mem + COUNTER_GPA(vp), 0, 2);
	mshv_set_real_mode(pt_fd, vp, CODE_GPA(vp));
	mshv_set_reg(pt_fd, vp, HV_X64_REGISTER_RBX, COUNTER_GPA(vp));
	mshv_set_reg(pt_fd, vp, HV_X64_REGISTER_RDX, PORT(vp));
}

/*
 * Check that @msg is the OUT of counter value @value by VP @vp and step
 * over it through the register page.  Returns a description of the first
 * mismatch, or NULL (usable from any thread).
 */
static const char *check_counter_out(const struct hv_message *msg,
				     struct mshv_vcpu *vcpu, __u16 value)
{
	const struct hv_x64_io_port_intercept_message *io =
		(const void *)msg->u.payload;

	if (msg->header.message_type != HVMSG_X64_IO_PORT_INTERCEPT)
		return "not an IO port intercept";
	if (io->header.vp_index != vcpu->index)
		return "wrong vp_index";
	if (io->port_number != PORT(vcpu->index))
		return "wrong port";
	if (io->header.rip != CODE_GPA(vcpu->index) + COUNTER_OUT_OFF)
		return "wrong rip";
	if ((__u16)io->rax != value)
		return "counter value lost or repeated";
	vcpu->regs->rip = io->header.rip + (io->header.instruction_length_cr8 & 0xf);
	vcpu->regs->dirty |= 1U << HV_X64_REGISTER_CLASS_IP;
	return NULL;
}

static void on_signal(int sig)
{
}

/* Install a handler without SA_RESTART, so that MSHV_RUN_VP sees EINTR. */
static int catch_signal(int sig)
{
	struct sigaction sa = { .sa_handler = on_signal };

	return sigaction(sig, &sa, NULL);
}

FIXTURE(sched) {
	struct mshv_vm vm;
	struct mshv_vcpu vcpu[2];
	__u8 *mem;
};

FIXTURE_SETUP(sched)
{
	self->vm.fd = -1;
	self->vm.dev_fd = -1;
	self->vcpu[0].fd = -1;
	self->vcpu[1].fd = -1;
	MSHV_REQUIRE_DEV();
	log_model(_metadata);
	mshv_vm_create(&self->vm, true);
	self->mem = mshv_map_guest_mem(self->vm.fd, 0, GUEST_MEM_SIZE);
	mshv_vcpu_create(&self->vcpu[0], self->vm.fd, 0);
}

FIXTURE_TEARDOWN(sched)
{
	mshv_vcpu_destroy(&self->vcpu[1]);
	mshv_vcpu_destroy(&self->vcpu[0]);
	mshv_vm_destroy(&self->vm);
	if (self->mem)
		munmap(self->mem, GUEST_MEM_SIZE);
}

/* A new VP is explicitly suspended; after an intercept it is suspended by it. */
TEST_F(sched, suspend_registers)
{
	struct hv_message msg;

	EXPECT_EQ(1ULL, mshv_get_reg(self->vm.fd, 0,
				     HV_REGISTER_EXPLICIT_SUSPEND));
	EXPECT_EQ(0ULL, mshv_get_reg(self->vm.fd, 0,
				     HV_REGISTER_INTERCEPT_SUSPEND));
	EXPECT_EQ(0ULL, mshv_get_reg(self->vm.fd, 0,
				     HV_REGISTER_DISPATCH_SUSPEND));

	setup_counter_guest(self->vm.fd, self->mem, 0, 1);
	mshv_run_vp(self->vcpu[0].fd, &msg);
	EXPECT_EQ(NULL, check_counter_out(&msg, &self->vcpu[0], 1));
	EXPECT_EQ(0ULL, mshv_get_reg(self->vm.fd, 0,
				     HV_REGISTER_EXPLICIT_SUSPEND));
	EXPECT_EQ(1ULL, mshv_get_reg(self->vm.fd, 0,
				     HV_REGISTER_INTERCEPT_SUSPEND));
}

/* The suspend registers hold 0 or 1, nothing else. */
TEST_F(sched, suspend_register_values)
{
	struct hv_register_assoc reg = {
		.name = HV_REGISTER_EXPLICIT_SUSPEND,
		.value.reg64 = 2,
	};
	__u16 status = 0;

	EXPECT_EQ(-1, __mshv_set_regs(self->vm.fd, 0, &reg, 1, &status));
	EXPECT_EQ(HV_STATUS_INVALID_PARAMETER, status);
	EXPECT_EQ(1ULL, mshv_get_reg(self->vm.fd, 0,
				     HV_REGISTER_EXPLICIT_SUSPEND));
}

/* IO intercept, then HLT. */
TEST_F(sched, io_then_halt)
{
	/* mov $0x3f8,%dx; mov $'A',%al; out %al,(%dx); hlt */
	static const __u8 code[] = {
		0xba, 0xf8, 0x03, 0xb0, 0x41, 0xee, 0xf4,
	};
	struct hv_x64_io_port_intercept_message *io;
	struct hv_message msg;

	mshv_load_guest(self->mem, GUEST_CODE_GPA, code, sizeof(code));
	mshv_set_real_mode(self->vm.fd, 0, GUEST_CODE_GPA);
	mshv_run_vp(self->vcpu[0].fd, &msg);
	ASSERT_EQ(HVMSG_X64_IO_PORT_INTERCEPT, msg.header.message_type);
	io = (void *)msg.u.payload;
	EXPECT_EQ(0x3f8, io->port_number);
	EXPECT_EQ('A', (__u8)io->rax);
	EXPECT_EQ(GUEST_CODE_GPA + 5, io->header.rip);
	mshv_set_reg(self->vm.fd, 0, HV_X64_REGISTER_RIP, io->header.rip + 1);
	mshv_run_vp(self->vcpu[0].fd, &msg);
	ASSERT_EQ(HVMSG_X64_HALT, msg.header.message_type);
	EXPECT_EQ(GUEST_CODE_GPA + 6,
		  ((struct hv_x64_halt_message *)msg.u.payload)->header.rip);
}

#define SIGNAL_OUTS	4U	/* at least this many intercepts... */
#define SIGNAL_EINTRS	1U	/* ...and interrupted runs, unless */
#define SIGNAL_MAX_OUTS	1000U	/* runs are never interrupted */

/*
 * A timer keeps interrupting runs of a guest that spins between OUTs:
 * MSHV_RUN_VP returns EINTR, and running again continues the same guest;
 * the VMM still sees every counter value exactly once.  The spin is
 * longer than one dispatch (hvsim's budget is 20000 instructions): the
 * root scheduler only returns EINTR between dispatches.
 */
TEST_F(sched, signal_loses_no_intercept)
{
	struct itimerval timer = {
		.it_interval.tv_usec = 2000, .it_value.tv_usec = 2000,
	};
	struct itimerval off = { 0 };
	unsigned int eintr = 0, value = 1;
	struct mshv_run_vp run;
	const char *err = NULL;
	int ret = 0;

	setup_counter_guest(self->vm.fd, self->mem, 0, 0xffff);
	ASSERT_EQ(0, catch_signal(SIGALRM));
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &timer, NULL));
	while (value <= SIGNAL_OUTS ||
	       (eintr < SIGNAL_EINTRS && value <= SIGNAL_MAX_OUTS)) {
		ret = ioctl(self->vcpu[0].fd, MSHV_RUN_VP, &run);
		if (ret < 0) {
			if (errno != EINTR)
				break;
			eintr++;
			continue;
		}
		err = check_counter_out((void *)run.msg_buf, &self->vcpu[0],
					value);
		if (err)
			break;
		value++;
	}
	setitimer(ITIMER_REAL, &off, NULL);
	ASSERT_EQ(NULL, err) {
		TH_LOG("at value %u: %s", value, err);
	}
	ASSERT_LT(SIGNAL_OUTS, value) {
		TH_LOG("stopped at value %u: ret %d errno %d", value, ret,
		       errno);
	}
	EXPECT_EQ((__u16)(value - 1), *(__u16 *)(self->mem + COUNTER_GPA(0)));
	TH_LOG("%u runs interrupted for %u intercepts", eintr, value - 1);
	EXPECT_LT(0U, eintr);
}

#define CONCURRENT_OUTS	200U

struct runner {
	struct mshv_vcpu *vcpu;
	unsigned int outs;
	const char *err;
	int err_errno;
	atomic_int *started;
};

/* Run the counter guest of one VP to CONCURRENT_OUTS intercepts. */
static void *run_counter(void *arg)
{
	struct runner *r = arg;
	struct mshv_run_vp run;

	atomic_fetch_add(r->started, 1);
	while (r->outs < CONCURRENT_OUTS) {
		if (ioctl(r->vcpu->fd, MSHV_RUN_VP, &run)) {
			if (errno == EINTR)
				continue;
			r->err = "MSHV_RUN_VP failed";
			r->err_errno = errno;
			break;
		}
		r->err = check_counter_out((void *)run.msg_buf, r->vcpu,
					   r->outs + 1);
		if (r->err)
			break;
		r->outs++;
	}
	return NULL;
}

/* Two VPs of one partition run in two threads, each to its own intercepts. */
TEST_F(sched, two_vps_concurrently)
{
	atomic_int started = 0;
	struct runner r[2];
	pthread_t t[2];
	int i;

	mshv_vcpu_create(&self->vcpu[1], self->vm.fd, 1);
	for (i = 0; i < 2; i++) {
		setup_counter_guest(self->vm.fd, self->mem, i, 100);
		r[i] = (struct runner){ .vcpu = &self->vcpu[i],
					.started = &started };
	}
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, run_counter, &r[i]));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, pthread_join(t[i], NULL));
		EXPECT_EQ(NULL, r[i].err) {
			TH_LOG("VP %d after %u intercepts: %s (errno %d)", i,
			       r[i].outs, r[i].err, r[i].err_errno);
		}
		EXPECT_EQ(CONCURRENT_OUTS, r[i].outs);
		EXPECT_EQ(CONCURRENT_OUTS,
			  (unsigned int)*(__u16 *)(self->mem + COUNTER_GPA(i)));
	}
}

struct closer {
	int vp_fd;
	atomic_int in_run;
	int ret;
	int err;
	__u32 msg_type;
};

/* One MSHV_RUN_VP, not retried: the main thread closes fds meanwhile. */
static void *run_once(void *arg)
{
	struct closer *c = arg;
	struct mshv_run_vp run;

	atomic_store(&c->in_run, 1);
	c->ret = ioctl(c->vp_fd, MSHV_RUN_VP, &run);
	c->err = errno;
	memcpy(&c->msg_type, run.msg_buf, sizeof(c->msg_type));
	return NULL;
}

/*
 * mov $8,%si; 3: mov $0xffff,%cx; 6: loop 6; dec %si; jnz 3;
 * mov $0x500,%dx; out %al,(%dx); hlt: half a million instructions, then
 * OUT (about a second with hvsim under TCG).
 */
static const __u8 long_spin[] = {
	0xbe, 0x08, 0x00, 0xb9, 0xff, 0xff, 0xe2, 0xfe, 0x4e, 0x75, 0xf8,
	0xba, 0x00, 0x05, 0xee, 0xf4,
};

/*
 * Close the partition fd and the VP fd while another thread is inside
 * MSHV_RUN_VP: the run ends with an intercept or EINTR (it is signalled),
 * and once the thread is done and the mappings are gone, the partition
 * is torn down completely.
 */
TEST_F(sched, close_fds_during_run)
{
	struct closer c = { 0 };
	long before;
	pthread_t t;

	MSHV_REQUIRE_HVSIM_DEBUGFS();
	ASSERT_EQ(0, catch_signal(SIGUSR1));
	mshv_load_guest(self->mem, GUEST_CODE_GPA, long_spin, sizeof(long_spin));
	mshv_set_real_mode(self->vm.fd, 0, GUEST_CODE_GPA);

	c.vp_fd = self->vcpu[0].fd;
	ASSERT_EQ(0, pthread_create(&t, NULL, run_once, &c));
	while (!atomic_load(&c.in_run))
		;
	/* The partition fd's reference goes; the VP fd keeps it alive. */
	close(self->vm.fd);
	self->vm.fd = -1;
	close(self->vcpu[0].fd);
	self->vcpu[0].fd = -1;
	pthread_kill(t, SIGUSR1);
	ASSERT_EQ(0, pthread_join(t, NULL));
	if (c.ret) {
		EXPECT_EQ(EINTR, c.err);
	} else {
		EXPECT_EQ(HVMSG_X64_IO_PORT_INTERCEPT, c.msg_type);
	}
	TH_LOG("run ended with %d (errno %d)", c.ret, c.ret ? c.err : 0);

	before = hvsim_counter("partitions");
	mshv_vcpu_destroy(&self->vcpu[0]);	/* the mappings: last refs */
	EXPECT_EQ(before - 1, hvsim_counter("partitions"));
}

TEST_HARNESS_MAIN
