// SPDX-License-Identifier: GPL-2.0
/*
 * 64-bit C guests: triple faults.  The guest breaks its own exception
 * delivery (IDT limit 0, not-present gates, a #PF handler that faults)
 * and raises an exception; the processor escalates to #DF and then to a
 * triple fault, which the hypervisor reports to the VMM as
 * HVMSG_UNRECOVERABLE_EXCEPTION.  Each guest first reports that it is
 * running, so the test fails if long mode itself does not work, and
 * fails if an undeliverable exception is ignored or handled otherwise.
 */
#include "kselftest_harness.h"
#include "vm64.h"
#include "guest64_triple_fault.h"

FIXTURE(tf) {
	struct vm64 vm;
};

FIXTURE_SETUP(tf)
{
	self->vm.vm.fd = -1;
	self->vm.vm.dev_fd = -1;
	self->vm.vcpu.fd = -1;
	MSHV_REQUIRE_DEV();
}

FIXTURE_TEARDOWN(tf)
{
	vm64_destroy(&self->vm);
}

/* Run to the triple fault: the next exit must be the unrecoverable one. */
static void expect_triple_fault(struct __test_metadata *_metadata,
				struct vm64 *vm)
{
	unsigned int cmd = vm64_run(vm);

	if (cmd != UCALL_NONE)
		vm64_check_ucall(vm);
	ASSERT_EQ((unsigned int)UCALL_NONE, cmd) {
		TH_LOG("the guest survived (ucall %u)", cmd);
	}
	ASSERT_EQ(HVMSG_UNRECOVERABLE_EXCEPTION, vm->msg.header.message_type) {
		TH_LOG("got %s", vm64_msg_name(vm->msg.header.message_type));
	}
}

TEST_F(tf, idt_limit_zero)
{
	vm64_create(&self->vm, guest_tf_idt_limit0);
	vm64_expect_sync(&self->vm, 1);
	ASSERT_EQ(TF_STAGE_READY, self->vm.uc.args[0]);
	expect_triple_fault(_metadata, &self->vm);
}

TEST_F(tf, idt_gates_not_present)
{
	vm64_create(&self->vm, guest_tf_idt_not_present);
	vm64_expect_sync(&self->vm, 3);
	ASSERT_EQ(TF_STAGE_READY, self->vm.uc.args[0]);
	/* LIDT/SIDT round trip the 64-bit base. */
	EXPECT_NE(X64_IDT_GPA, self->vm.uc.args[1]);
	EXPECT_EQ(4095ULL, self->vm.uc.args[2]);
	expect_triple_fault(_metadata, &self->vm);
}

TEST_F(tf, faulting_page_fault_handler)
{
	struct vm64 *vm = &self->vm;

	vm64_create(vm, guest_tf_page_fault_loop);
	/* #PF vectors to page 0, which faults again: #DF, no gate: triple. */
	x64_set_idt_gate(vm->ram, GUEST_VEC_PF, 0x10, 0);
	*vm64_pte(vm, 0x10) &= ~X64_PTE_P;
	x64_set_idt_gate(vm->ram, GUEST_VEC_DF, 0, 0);
	vm64_expect_sync(vm, 1);
	ASSERT_EQ(TF_STAGE_READY, vm->uc.args[0]);
	expect_triple_fault(_metadata, vm);
}

TEST_HARNESS_MAIN
