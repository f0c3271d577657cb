// SPDX-License-Identifier: GPL-2.0
/*
 * 64-bit C guests and the local APIC hvsim emulates: the APIC timer waking
 * a halted guest (one-shot and periodic), self-IPIs delivered by priority
 * and held back by IF and the TPR, an interrupt the VMM asserts with
 * HVCALL_ASSERT_VIRTUAL_INTERRUPT while the guest halts, the APIC state
 * as GET_VP_STATE reports it, and HLT with interrupts off reaching the
 * VMM.  Each case runs with the xAPIC page and with the x2APIC MSRs where
 * both exist.  Fails if the APIC, interrupt delivery or halting inside
 * the hypervisor is missing: a HLT would then reach the VMM as
 * HVMSG_X64_HALT, which vm64_expect_sync() rejects.
 */
#include <pthread.h>

#include "kselftest_harness.h"
#include "vm64.h"
#include "guest64_lapic.h"

FIXTURE(lapic) {
	struct vm64 vm;
};

FIXTURE_VARIANT(lapic) {
	bool x2apic;
};

FIXTURE_VARIANT_ADD(lapic, xapic) {
	.x2apic = false,
};

FIXTURE_VARIANT_ADD(lapic, x2apic) {
	.x2apic = true,
};

FIXTURE_SETUP(lapic)
{
	self->vm.vm.fd = -1;
	self->vm.vm.dev_fd = -1;
	self->vm.vcpu.fd = -1;
	MSHV_REQUIRE_DEV();
}

FIXTURE_TEARDOWN(lapic)
{
	vm64_destroy(&self->vm);
}

/* A one-shot timer ends a HLT with interrupts enabled. */
TEST_F(lapic, timer_wakes_halted_guest)
{
	struct hv_local_interrupt_controller_state *st;
	struct vm64 *vm = &self->vm;
	__u32 sz = 4096;

	vm64_create(vm, guest_timer_oneshot);
	vm64_set_arg(vm, 0, variant->x2apic);
	vm64_expect_sync(vm, 4);
	EXPECT_EQ(1ULL, vm->uc.args[0]);	/* exactly one tick */
	EXPECT_EQ(0ULL, vm->uc.args[1]);	/* the count ran out */
	EXPECT_EQ(0ULL, vm->uc.args[2]);	/* EOI'd */
	EXPECT_EQ((__u64)LAPIC_TIMER_VEC, vm->uc.args[3]);

	/* The state page is the APIC's register file. */
	st = mshv_alloc_state_buf(sz);
	ASSERT_EQ(0, __mshv_get_vp_state(vm->vcpu.fd, MSHV_VP_STATE_LAPIC,
					 st, &sz));
	EXPECT_EQ(0U, st->apic_id);
	EXPECT_EQ((__u32)LAPIC_TIMER_VEC, st->apic_lvt_timer);
	EXPECT_EQ((__u32)LAPIC_ONESHOT_COUNT, st->apic_initial_count);
	EXPECT_EQ(0U, st->apic_counter_value);
	EXPECT_EQ((__u32)GUEST_APIC_DIV_1, st->apic_divide_configuration);
	EXPECT_NE(0U, st->apic_spurious & (__u32)GUEST_APIC_SVR_ENABLE);
	free(st);
	vm64_expect_done(vm);
}

/*
 * A periodic timer keeps ending HLTs from one load of its count.  (How
 * many ticks fall into one HLT depends on the interpreter's speed.)
 */
TEST_F(lapic, periodic_timer)
{
	struct vm64 *vm = &self->vm;

	vm64_create(vm, guest_timer_periodic);
	vm64_set_arg(vm, 0, variant->x2apic);
	vm64_expect_sync(vm, 3);
	EXPECT_LE((__u64)LAPIC_PERIODIC_TICKS, vm->uc.args[0]);
	EXPECT_LE(1ULL, vm->uc.args[1]);
	EXPECT_GE(vm->uc.args[0], vm->uc.args[1]);
	EXPECT_EQ(0ULL, vm->uc.args[2]);	/* stopped */
	vm64_expect_done(vm);
}

/* Self-IPIs wait for IF and the TPR, then arrive highest class first. */
TEST_F(lapic, self_ipi_priority)
{
	struct vm64 *vm = &self->vm;

	vm64_create(vm, guest_self_ipi);
	vm64_set_arg(vm, 0, variant->x2apic);
	vm64_expect_sync(vm, 4);
	EXPECT_EQ(4ULL, vm->uc.args[0]);
	EXPECT_EQ((__u64)LAPIC_TPR_BLOCK, vm->uc.args[1]);	/* PPR = TPR */
	EXPECT_EQ(4ULL, vm->uc.args[2]);	/* in service in the handler */
	EXPECT_EQ((__u64)(LAPIC_IPI_HIGH << 16 | LAPIC_IPI_MID << 8 | LAPIC_IPI_LOW),
		  vm->uc.args[3]);
	vm64_expect_done(vm);
}

/* Cases without an APIC-mode variant. */
FIXTURE(lapic_vmm) {
	struct vm64 vm;
};

FIXTURE_SETUP(lapic_vmm)
{
	self->vm.vm.fd = -1;
	self->vm.vm.dev_fd = -1;
	self->vm.vcpu.fd = -1;
	MSHV_REQUIRE_DEV();
}

FIXTURE_TEARDOWN(lapic_vmm)
{
	vm64_destroy(&self->vm);
}

struct assert_ctx {
	int pt_fd;
	__u16 status;
	int ret;
};

static void *assert_thread(void *arg)
{
	struct assert_ctx *c = arg;
	struct hv_input_assert_virtual_interrupt in = {
		.control.interrupt_type = HV_X64_INTERRUPT_TYPE_FIXED,
		.dest_addr = 0,
		.vector = LAPIC_ASSERT_VEC,
	};

	c->ret = __mshv_hvcall(c->pt_fd, HVCALL_ASSERT_VIRTUAL_INTERRUPT, 0,
			       &in, sizeof(in), NULL, 0, &c->status);
	return NULL;
}

/*
 * The VMM asserts an interrupt from another thread while the guest halts
 * (or is about to): it runs the handler and leaves its loop.
 */
TEST_F(lapic_vmm, asserted_interrupt_wakes_guest)
{
	struct vm64 *vm = &self->vm;
	struct assert_ctx c = { 0 };
	pthread_t t;

	vm64_create(vm, guest_wait_asserted);
	vm64_expect_sync(vm, 1);
	c.pt_fd = vm->vm.fd;
	ASSERT_EQ(0, pthread_create(&t, NULL, assert_thread, &c));
	vm64_expect_sync(vm, 1);
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(0, c.ret);
	EXPECT_EQ((__u16)HV_STATUS_SUCCESS, c.status);
	EXPECT_EQ(1ULL, vm->uc.args[0]);
	vm64_expect_done(vm);
}

/* Bad ASSERT_VIRTUAL_INTERRUPT inputs are refused. */
TEST_F(lapic_vmm, assert_bad_input)
{
	struct hv_input_assert_virtual_interrupt in;
	struct vm64 *vm = &self->vm;
	__u16 status;

	vm64_create(vm, guest_wait_asserted);

	memset(&in, 0, sizeof(in));
	in.vector = LAPIC_ASSERT_VEC;
	in.dest_addr = 7;	/* no such VP */
	EXPECT_EQ(-1, __mshv_hvcall(vm->vm.fd, HVCALL_ASSERT_VIRTUAL_INTERRUPT,
				    0, &in, sizeof(in), NULL, 0, &status));
	EXPECT_EQ((__u16)HV_STATUS_INVALID_VP_INDEX, status);

	in.dest_addr = 0;
	in.control.interrupt_type = HV_X64_INTERRUPT_TYPE_SMI;
	EXPECT_EQ(-1, __mshv_hvcall(vm->vm.fd, HVCALL_ASSERT_VIRTUAL_INTERRUPT,
				    0, &in, sizeof(in), NULL, 0, &status));
	EXPECT_EQ((__u16)HV_STATUS_INVALID_PARAMETER, status);

	in.control.interrupt_type = HV_X64_INTERRUPT_TYPE_FIXED;
	in.control.flags = 1U << 5;	/* reserved */
	EXPECT_EQ(-1, __mshv_hvcall(vm->vm.fd, HVCALL_ASSERT_VIRTUAL_INTERRUPT,
				    0, &in, sizeof(in), NULL, 0, &status));
	EXPECT_EQ((__u16)HV_STATUS_INVALID_PARAMETER, status);
}

/* HLT with interrupts disabled is the VMM's business. */
TEST_F(lapic_vmm, hlt_with_interrupts_off_exits)
{
	struct vm64 *vm = &self->vm;

	vm64_create(vm, guest_hlt_cli);
	ASSERT_EQ((unsigned int)UCALL_NONE, vm64_run(vm));
	EXPECT_EQ((__u32)HVMSG_X64_HALT, vm->msg.header.message_type);
	vm64_expect_sync(vm, 1);
	vm64_expect_done(vm);
}

TEST_HARNESS_MAIN
