// SPDX-License-Identifier: GPL-2.0
/*
 * 64-bit C guests, basics: the VP enters a guest function in long mode
 * (vm64), which runs loops, recursive calls and 64-bit arithmetic and
 * reports through ucalls; the VMM checks the results against its own
 * computation.  Fails if long mode, 4-level paging, 64-bit operands,
 * CALL/RET, the stack or the IO intercept path is missing.
 */
#include "kselftest_harness.h"
#include "vm64.h"
#include "guest64_basic.h"

FIXTURE(guest64) {
	struct vm64 vm;
};

FIXTURE_SETUP(guest64)
{
	self->vm.vm.fd = -1;
	self->vm.vm.dev_fd = -1;
	self->vm.vcpu.fd = -1;
	MSHV_REQUIRE_DEV();
}

FIXTURE_TEARDOWN(guest64)
{
	vm64_destroy(&self->vm);
}

/* The guest sees the control registers and selectors vm64 set. */
TEST_F(guest64, entry_state)
{
	struct vm64 *vm = &self->vm;

	vm64_create(vm, guest_state);
	vm64_expect_sync(vm, 4);
	EXPECT_EQ(X64_BOOT_CR0, vm->uc.args[0]);
	EXPECT_EQ(X64_PML4_GPA, vm->uc.args[1]);
	EXPECT_EQ(X64_BOOT_CR4, vm->uc.args[2] & X64_BOOT_CR4);
	EXPECT_EQ((__u64)X64_SEL_CODE << 16 | X64_SEL_DATA, vm->uc.args[3]);
	vm64_expect_done(vm);
	EXPECT_EQ(X64_BOOT_EFER, vm->vcpu.regs->efer);
}

TEST_F(guest64, loops)
{
	struct vm64 *vm = &self->vm;
	__u64 sum = basic_sum_of_squares(BASIC_LOOP_N);
	__u64 hash = basic_fnv1a(BASIC_LOOP_N);

	vm64_create(vm, guest_loops);
	vm64_expect_sync(vm, 2);
	EXPECT_EQ(sum, vm->uc.args[0]);
	EXPECT_EQ(hash, vm->uc.args[1]);
	/* Returning from the guest function reports its return value. */
	vm64_expect_done(vm);
	EXPECT_EQ(1ULL, vm->uc.nargs);
	EXPECT_EQ(sum ^ hash, vm->uc.args[0]);
}

TEST_F(guest64, recursive_calls)
{
	struct vm64 *vm = &self->vm;

	vm64_create(vm, guest_recursion);
	vm64_expect_sync(vm, 1);
	EXPECT_EQ((__u64)BASIC_FIB_RESULT, vm->uc.args[0]);
	vm64_expect_done(vm);
	EXPECT_EQ((__u64)BASIC_FIB_RESULT, vm->uc.args[0]);
}

/* Values above 2^32 through argument registers, memory, R13 and RAX. */
TEST_F(guest64, wide_registers)
{
	struct vm64 *vm = &self->vm;
	__u64 a = BASIC_WIDE_A, b = BASIC_WIDE_B;

	vm64_create(vm, guest_wide);
	vm64_set_arg(vm, 0, a);
	vm64_set_arg(vm, 1, b);
	vm64_expect_sync(vm, 4);
	EXPECT_EQ(a, vm->uc.args[0]);
	EXPECT_EQ(b, vm->uc.args[1]);
	EXPECT_EQ(a * b, vm->uc.args[2]);
	EXPECT_EQ((a << 17) | (a >> 47), vm->uc.args[3]);
	vm64_expect_sync(vm, 4);
	EXPECT_EQ((a << 32) | (a >> 32), vm->uc.args[0]);
	EXPECT_EQ(b >> 32, vm->uc.args[1]);
	EXPECT_EQ((__u64)(__s64)(__s32)b, vm->uc.args[2]);
	EXPECT_EQ(~a, vm->uc.args[3]);
	vm64_expect_done(vm);
	EXPECT_EQ(BASIC_WIDE_RETURN, vm->uc.args[0]);
}

/* A deep recursion stays on the vm64 stack and unwinds back to its top. */
TEST_F(guest64, stack)
{
	struct vm64 *vm = &self->vm;
	__u64 start, min, expect = 0;
	unsigned int n;

	for (n = 1; n <= BASIC_DEPTH; n++)
		expect += n & 0xff;
	expect += 63;		/* the innermost frame's buf[63] */

	vm64_create(vm, guest_stack);
	vm64_expect_sync(vm, 3);
	start = vm->uc.args[0];
	min = vm->uc.args[1];
	EXPECT_LT(start, X64_STACK_TOP);
	EXPECT_GT(start, X64_STACK_TOP - 0x1000);
	/* At least 64 bytes of locals and a return address per level. */
	EXPECT_GE(start - min, (__u64)BASIC_DEPTH * 72);
	EXPECT_GT(min, X64_STACK_BOTTOM);
	EXPECT_EQ(expect, vm->uc.args[2]);
	vm64_expect_done(vm);
	EXPECT_EQ(expect, vm->uc.args[0]);
}

TEST_HARNESS_MAIN
