// SPDX-License-Identifier: GPL-2.0
/*
 * 64-bit C guests: page faults handled by the guest.  The VMM clears
 * present or writable bits in the guest's page tables; the guest's #PF
 * handler (through its IDT) reports CR2, the error code and the faulting
 * RIP, fixes the PTE or skips the instruction and returns with IRETQ.
 * Fails if 4-level paging does not check P/RW, if #PF is not delivered
 * through the IDT with CR2 and the error code, or if IRETQ is missing.
 */
#include "kselftest_harness.h"
#include "vm64.h"
#include "guest64_pagefault.h"

FIXTURE(pf) {
	struct vm64 vm;
};

FIXTURE_SETUP(pf)
{
	self->vm.vm.fd = -1;
	self->vm.vm.dev_fd = -1;
	self->vm.vcpu.fd = -1;
	MSHV_REQUIRE_DEV();
}

FIXTURE_TEARDOWN(pf)
{
	vm64_destroy(&self->vm);
}

TEST_F(pf, not_present_read_and_write)
{
	struct vm64 *vm = &self->vm;
	__u64 *pte = NULL, *pte2 = NULL;
	__u64 read_rip;

	vm64_create(vm, guest_pf_not_present);
	*(__u64 *)vm64_gpa_ptr(vm, PF_PAGE, 8) = PF_MAGIC;
	pte = vm64_pte(vm, PF_PAGE);
	pte2 = vm64_pte(vm, PF_PAGE2);
	ASSERT_EQ(PF_PAGE | X64_PTE_P | X64_PTE_RW, *pte);
	*pte &= ~X64_PTE_P;
	*pte2 &= ~X64_PTE_P;
	vm64_set_arg(vm, 0, PF_PAGE);
	vm64_set_arg(vm, 1, PF_PAGE2);

	/* Read of a not-present page: error code 0 (supervisor read). */
	vm64_expect_sync(vm, 3);
	EXPECT_EQ(PF_PAGE, vm->uc.args[0]);
	EXPECT_EQ(0ULL, vm->uc.args[1]);
	read_rip = vm->uc.args[2];
	EXPECT_GE(read_rip, (__u64)(unsigned long)guest_pf_not_present);
	/* Write: error code W. */
	vm64_expect_sync(vm, 3);
	EXPECT_EQ(PF_PAGE2 + PF_WRITE_OFFSET, vm->uc.args[0]);
	EXPECT_EQ((__u64)GUEST_PF_W, vm->uc.args[1]);
	EXPECT_GT(vm->uc.args[2], read_rip);
	/* Both accesses were retried after the handler fixed the PTEs. */
	vm64_expect_sync(vm, 2);
	EXPECT_EQ(PF_MAGIC, vm->uc.args[0]);
	EXPECT_EQ(PF_WRITTEN, vm->uc.args[1]);
	vm64_expect_done(vm);

	EXPECT_EQ(X64_PTE_P, *pte & X64_PTE_P);
	EXPECT_EQ(X64_PTE_P, *pte2 & X64_PTE_P);
	EXPECT_EQ(PF_WRITTEN,
		  *(__u64 *)vm64_gpa_ptr(vm, PF_PAGE2 + PF_WRITE_OFFSET, 8));
}

TEST_F(pf, write_protected_skipped)
{
	struct vm64 *vm = &self->vm;
	__u64 *pte;

	vm64_create(vm, guest_pf_write_protect);
	*(__u32 *)vm64_gpa_ptr(vm, PF_RO_PAGE, 4) = PF_RO_VALUE;
	pte = vm64_pte(vm, PF_RO_PAGE);
	*pte &= ~X64_PTE_RW;
	vm64_set_arg(vm, 0, PF_RO_PAGE);

	/* Write to a present read-only page with CR0.WP: error code P|W. */
	vm64_expect_sync(vm, 3);
	EXPECT_EQ(PF_RO_PAGE, vm->uc.args[0]);
	EXPECT_EQ((__u64)(GUEST_PF_P | GUEST_PF_W), vm->uc.args[1]);
	EXPECT_EQ(0x89, *(__u8 *)vm64_gpa_ptr(vm, vm->uc.args[2], 1));
	vm64_expect_sync(vm, 1);
	EXPECT_EQ((__u64)PF_RO_VALUE, vm->uc.args[0]);
	vm64_expect_done(vm);
	EXPECT_EQ(PF_RO_VALUE, *(__u32 *)vm64_gpa_ptr(vm, PF_RO_PAGE, 4));
}

TEST_HARNESS_MAIN
