// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt types beyond fixed vectors, asserted by the VMM with
 * HVCALL_ASSERT_VIRTUAL_INTERRUPT: NMIs (taken with interrupts off, one
 * at a time until IRET), ExtINTs (past the TPR, not in service, withdrawn
 * by HVCALL_CLEAR_VIRTUAL_INTERRUPT), and INIT + SIPI (the VP restarts in
 * real mode at the SIPI's page; a SIPI alone does nothing).  Each assert
 * fails with INVALID_PARAMETER where a hypervisor lacks the type.
 */
#include "kselftest_harness.h"
#include "vm64.h"
#include "guest64_irq_types.h"

FIXTURE(irq_types) {
	struct vm64 vm;
};

FIXTURE_SETUP(irq_types)
{
	self->vm.vm.fd = -1;
	self->vm.vm.dev_fd = -1;
	self->vm.vcpu.fd = -1;
	MSHV_REQUIRE_DEV();
}

FIXTURE_TEARDOWN(irq_types)
{
	vm64_destroy(&self->vm);
}

/* ASSERT_VIRTUAL_INTERRUPT of @type to VP 0; the hypercall status. */
static __u16 assert_irq(struct vm64 *vm, __u32 type, __u32 vector)
{
	struct hv_input_assert_virtual_interrupt in = {
		.control.interrupt_type = type,
		.dest_addr = 0,
		.vector = vector,
	};
	__u16 status = 0xffff;

	__mshv_hvcall(vm->vm.fd, HVCALL_ASSERT_VIRTUAL_INTERRUPT, 0, &in,
		      sizeof(in), NULL, 0, &status);
	return status;
}

TEST_F(irq_types, nmi_ignores_if_and_waits_for_iret)
{
	struct vm64 *vm = &self->vm;

	vm64_create(vm, guest_nmi);
	vm64_expect_sync(vm, 1);
	ASSERT_EQ(HV_STATUS_SUCCESS,
		  assert_irq(vm, HV_X64_INTERRUPT_TYPE_NMI, 0));
	ASSERT_EQ(HV_STATUS_SUCCESS,
		  assert_irq(vm, HV_X64_INTERRUPT_TYPE_FIXED, IRQT_FIXED_VEC));
	/* In the handler of the first NMI. */
	vm64_expect_sync(vm, 1);
	EXPECT_EQ(1ULL, vm->uc.args[0]);
	ASSERT_EQ(HV_STATUS_SUCCESS,
		  assert_irq(vm, HV_X64_INTERRUPT_TYPE_NMI, 0));
	vm64_expect_sync(vm, 4);
	EXPECT_EQ(2ULL, vm->uc.args[0]);	/* both NMIs */
	EXPECT_EQ(1ULL, vm->uc.args[1]);	/* the second after IRET */
	EXPECT_EQ(0ULL, vm->uc.args[2]);	/* the fixed one waits */
	EXPECT_EQ(0ULL, vm->uc.args[3]);	/* with IF clear */
	vm64_expect_sync(vm, 1);
	EXPECT_EQ(1ULL, vm->uc.args[0]);	/* then arrives after STI */
	vm64_expect_done(vm);
}

TEST_F(irq_types, extint_bypasses_tpr_and_can_be_withdrawn)
{
	struct vm64 *vm = &self->vm;
	__u64 id = 0;
	__u16 status;

	vm64_create(vm, guest_extint);
	vm64_expect_sync(vm, 1);
	ASSERT_EQ(HV_STATUS_SUCCESS,
		  assert_irq(vm, HV_X64_INTERRUPT_TYPE_EXTINT,
			     IRQT_EXTINT_VEC));
	ASSERT_EQ(HV_STATUS_SUCCESS,
		  assert_irq(vm, HV_X64_INTERRUPT_TYPE_FIXED, IRQT_FIXED_VEC));
	vm64_expect_sync(vm, 3);
	EXPECT_EQ(1ULL, vm->uc.args[0]);	/* delivered past the TPR */
	EXPECT_EQ(0ULL, vm->uc.args[1]);	/* not in service */
	EXPECT_EQ(0ULL, vm->uc.args[2]);	/* the TPR holds the fixed one */

	vm64_expect_sync(vm, 1);
	ASSERT_EQ(HV_STATUS_SUCCESS,
		  assert_irq(vm, HV_X64_INTERRUPT_TYPE_EXTINT,
			     IRQT_EXTINT_VEC));
	/* CLEAR_VIRTUAL_INTERRUPT: fast, the partition id (0 = this one). */
	ASSERT_EQ(0, __mshv_hvcall(vm->vm.fd, HVCALL_CLEAR_VIRTUAL_INTERRUPT,
				   0, &id, sizeof(id), NULL, 0, &status));
	EXPECT_EQ(HV_STATUS_SUCCESS, status);
	vm64_expect_sync(vm, 1);
	EXPECT_EQ(1ULL, vm->uc.args[0]);	/* no second ExtINT */
	vm64_expect_done(vm);
}

TEST_F(irq_types, init_sipi_restart_in_real_mode)
{
	/* mov $IRQT_SIPI_AX, %ax; hlt (16-bit code) */
	static const __u8 code[] = { 0xb8, IRQT_SIPI_AX & 0xff,
				     IRQT_SIPI_AX >> 8, 0xf4 };
	struct hv_local_interrupt_controller_state *st;
	struct vm64 *vm = &self->vm;
	__u32 sz = 4096;
	int fd;

	vm64_create(vm, guest_wait_init);
	memcpy(vm64_gpa_ptr(vm, IRQT_SIPI_VEC << 12, sizeof(code)), code,
	       sizeof(code));
	vm64_expect_sync(vm, 1);

	/* A SIPI without an INIT is dropped: the guest goes on. */
	ASSERT_EQ(HV_STATUS_SUCCESS,
		  assert_irq(vm, HV_X64_INTERRUPT_TYPE_SIPI, IRQT_SIPI_VEC));
	vm64_expect_sync(vm, 1);
	EXPECT_EQ(1ULL, vm->uc.args[0]);

	ASSERT_EQ(HV_STATUS_SUCCESS,
		  assert_irq(vm, HV_X64_INTERRUPT_TYPE_INIT, 0));
	ASSERT_EQ(HV_STATUS_SUCCESS,
		  assert_irq(vm, HV_X64_INTERRUPT_TYPE_SIPI, IRQT_SIPI_VEC));
	/* HLT with IF clear, as INIT left it: the VMM sees it. */
	ASSERT_EQ((unsigned int)UCALL_NONE, vm64_run(vm));
	ASSERT_EQ((__u32)HVMSG_X64_HALT, vm->msg.header.message_type);

	fd = vm->vm.fd;
	EXPECT_EQ((__u64)sizeof(code), mshv_get_reg(fd, 0, HV_X64_REGISTER_RIP));
	EXPECT_EQ((__u64)IRQT_SIPI_VEC << 12,
		  mshv_get_reg(fd, 0, HV_X64_REGISTER_CS));	/* its base */
	EXPECT_EQ((__u64)IRQT_SIPI_AX,
		  mshv_get_reg(fd, 0, HV_X64_REGISTER_RAX) & 0xffff);
	EXPECT_EQ(0x60000010ULL, mshv_get_reg(fd, 0, HV_X64_REGISTER_CR0));
	EXPECT_EQ(0ULL, mshv_get_reg(fd, 0, HV_X64_REGISTER_EFER));

	/* INIT reset the APIC too: the guest had software-enabled it. */
	st = mshv_alloc_state_buf(sz);
	ASSERT_EQ(0, __mshv_get_vp_state(vm->vcpu.fd, MSHV_VP_STATE_LAPIC,
					 st, &sz));
	EXPECT_EQ(0xffU, st->apic_spurious);
	EXPECT_EQ(0U, st->apic_id);
	free(st);
}

TEST_F(irq_types, unmodelled_types_refused)
{
	struct vm64 *vm = &self->vm;

	vm64_create(vm, guest_wait_init);
	EXPECT_EQ(HV_STATUS_INVALID_PARAMETER,
		  assert_irq(vm, HV_X64_INTERRUPT_TYPE_SMI, 0));
	EXPECT_EQ(HV_STATUS_INVALID_PARAMETER,
		  assert_irq(vm, HV_X64_INTERRUPT_TYPE_LOCALINT0, 0));
	EXPECT_EQ(HV_STATUS_INVALID_PARAMETER,
		  assert_irq(vm, 10, 0));
}

TEST_HARNESS_MAIN
