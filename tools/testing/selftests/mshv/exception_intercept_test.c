// SPDX-License-Identifier: GPL-2.0
/*
 * Exception intercepts: with HV_INTERCEPT_TYPE_EXCEPTION installed for
 * #UD, a 64-bit guest's ud2 stops the VP with HVMSG_X64_EXCEPTION_INTERCEPT
 * (vector 6, the RIP of the ud2, its bytes and the guest's registers)
 * instead of going to the guest's own #UD handler; the VMM steps over it
 * and the guest carries on.  Without the intercept the guest handler runs.
 * Fails if the intercept is not consulted or the message is wrong.
 */
#include "kselftest_harness.h"
#include "vm64.h"
#include "guest64_intercept.h"

static int install_exception_intercept(int pt_fd, __u32 access, __u64 vec)
{
	struct hv_input_install_intercept in = {
		.access_type = access,
		.intercept_type = HV_INTERCEPT_TYPE_EXCEPTION,
		.intercept_parameter = vec,
	};
	__u16 status = 0xffff;

	if (__mshv_hvcall(pt_fd, HVCALL_INSTALL_INTERCEPT, 0, &in, sizeof(in),
			  NULL, 0, &status))
		return -1;
	return status;
}

FIXTURE(ei) {
	struct vm64 vm;
};

FIXTURE_SETUP(ei)
{
	self->vm.vm.fd = -1;
	self->vm.vm.dev_fd = -1;
	self->vm.vcpu.fd = -1;
	MSHV_REQUIRE_DEV();
	vm64_create(&self->vm, guest_ud2);
}

FIXTURE_TEARDOWN(ei)
{
	vm64_destroy(&self->vm);
}

TEST_F(ei, ud_intercepted)
{
	struct hv_x64_exception_intercept_message *x =
		(void *)self->vm.msg.u.payload;
	struct hv_vp_register_page *regs = self->vm.vcpu.regs;
	__u8 *insn;

	ASSERT_EQ(0, install_exception_intercept(self->vm.vm.fd,
						 HV_INTERCEPT_ACCESS_MASK_EXECUTE,
						 GUEST_VEC_UD));
	ASSERT_EQ((unsigned int)UCALL_NONE, vm64_run(&self->vm));
	ASSERT_EQ(HVMSG_X64_EXCEPTION_INTERCEPT,
		  self->vm.msg.header.message_type) {
		TH_LOG("got %s", vm64_msg_name(self->vm.msg.header.message_type));
	}
	EXPECT_EQ(sizeof(*x), self->vm.msg.header.payload_size);
	EXPECT_EQ(GUEST_VEC_UD, x->exception_vector);
	EXPECT_EQ(0UL, x->exception_info &
		  HV_X64_EXCEPTION_INFO_ERROR_CODE_VALID);
	EXPECT_EQ(0U, x->error_code);
	/* the RIP is that of the ud2, which has not been executed */
	insn = vm64_gpa_ptr(&self->vm, x->header.rip, 2);
	EXPECT_EQ(0x0f, insn[0]);
	EXPECT_EQ(0x0b, insn[1]);
	EXPECT_EQ(x->header.rip, regs->rip);
	ASSERT_GE(x->instruction_byte_count, 2);
	EXPECT_EQ(0x0f, x->instruction_bytes[0]);
	EXPECT_EQ(0x0b, x->instruction_bytes[1]);
	EXPECT_EQ(EI_RBX, x->rbx);
	EXPECT_EQ(regs->gp_registers[4],
		  x->rsp);
	EXPECT_EQ(X64_SEL_DATA, x->ss_segment.selector);

	/* the VMM emulates the instruction: step over it */
	regs->rip = x->header.rip + 2;
	regs->dirty |= 1U << HV_X64_REGISTER_CLASS_IP;
	vm64_expect_sync(&self->vm, 1);
	EXPECT_EQ(2ULL, self->vm.uc.args[0]);
	vm64_expect_done(&self->vm);
}

TEST_F(ei, not_intercepted_goes_to_guest)
{
	/* installed, then removed (access mask 0) */
	ASSERT_EQ(0, install_exception_intercept(self->vm.vm.fd,
						 HV_INTERCEPT_ACCESS_MASK_EXECUTE,
						 GUEST_VEC_UD));
	ASSERT_EQ(0, install_exception_intercept(self->vm.vm.fd, 0,
						 GUEST_VEC_UD));
	/* another vector's intercept does not catch #UD */
	ASSERT_EQ(0, install_exception_intercept(self->vm.vm.fd,
						 HV_INTERCEPT_ACCESS_MASK_EXECUTE,
						 GUEST_VEC_GP));
	vm64_expect_sync(&self->vm, 2);
	EXPECT_EQ(EI_HANDLED, self->vm.uc.args[0]);
	EXPECT_EQ(0x0f, *(__u8 *)vm64_gpa_ptr(&self->vm, self->vm.uc.args[1],
					      1));
	vm64_expect_sync(&self->vm, 1);
	EXPECT_EQ(2ULL, self->vm.uc.args[0]);
	vm64_expect_done(&self->vm);
}

TEST_HARNESS_MAIN
