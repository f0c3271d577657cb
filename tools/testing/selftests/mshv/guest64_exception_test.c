// SPDX-License-Identifier: GPL-2.0
/*
 * 64-bit C guests: exceptions handled by the guest.  #DE, #BP, #UD and
 * #GP are raised in long mode and delivered through the guest's IDT to
 * its handlers; each reports vector, error code, the pushed RIP and
 * selectors, and resumes with IRETQ (after the faulting instruction for
 * faults, where the CPU left RIP for a trap).  Fails if an exception is
 * not delivered, has the wrong frame, or IRETQ loses register state.
 */
#include "kselftest_harness.h"
#include "vm64.h"
#include "guest64_exception.h"

struct expect_exc {
	__u64 vector;
	__u64 error_code;
	__u8 byte;		/* opcode byte at the reported RIP */
	int byte_offset;	/* where, relative to RIP */
};

TEST(exceptions_delivered_through_idt)
{
	static const struct expect_exc expect[] = {
		{ GUEST_VEC_DE, 0, 0xf7, 0 },	/* divl: fault, at the insn */
		{ GUEST_VEC_BP, 0, 0xcc, -1 },	/* int3: trap, after it */
		{ GUEST_VEC_UD, 0, 0x0f, 0 },	/* ud2 */
		{ GUEST_VEC_GP, 0, 0x48, 0 },	/* movq, REX.W */
	};
	struct vm64 vm;
	unsigned int i;

	vm.vm.fd = -1;
	vm.vm.dev_fd = -1;
	vm.vcpu.fd = -1;
	MSHV_REQUIRE_DEV();
	vm64_create(&vm, guest_exceptions);

	for (i = 0; i < ARRAY_SIZE(expect); i++) {
		__u64 rip;

		vm64_expect_sync(&vm, 4);
		EXPECT_EQ(expect[i].vector, vm.uc.args[0]);
		EXPECT_EQ(expect[i].error_code, vm.uc.args[1]);
		rip = vm.uc.args[2] + expect[i].byte_offset;
		EXPECT_EQ(expect[i].byte, *(__u8 *)vm64_gpa_ptr(&vm, rip, 1)) {
			TH_LOG("vector %llu: RIP 0x%llx",
			       (unsigned long long)expect[i].vector,
			       (unsigned long long)vm.uc.args[2]);
		}
		EXPECT_EQ((__u64)X64_SEL_CODE << 16 | X64_SEL_DATA,
			  vm.uc.args[3]);
	}
	/* After #GP the guest reports RAX: the MOV never completed. */
	vm64_expect_sync(&vm, 1);
	EXPECT_EQ(EXC_UD_RAX, vm.uc.args[0]);
	vm64_expect_done(&vm);
	vm64_destroy(&vm);
}

TEST_HARNESS_MAIN
