// SPDX-License-Identifier: GPL-2.0
/*
 * HVCALL_TRANSLATE_VIRTUAL_ADDRESS through MSHV_ROOT_HVCALL on the VP fd,
 * on a 64-bit guest with 4-level paging: the VMM edits the guest's PTEs
 * and checks that the hypervisor walks them (a remapped page translates
 * to its new GPA, a cleared P bit is PAGE_NOT_PRESENT, a read-only page
 * fails VALIDATE_WRITE with PRIVILEGE_VIOLATION, accessed/dirty bits are
 * written only with SET_PAGE_TABLE_BITS).  Fails without a page walk.
 */
#include "kselftest_harness.h"
#include "vm64.h"
#include "guest64_intercept.h"

#define X64_PTE_A	BIT_ULL(5)
#define X64_PTE_D	BIT_ULL(6)

FIXTURE(xlate) {
	struct vm64 vm;
};

FIXTURE_SETUP(xlate)
{
	self->vm.vm.fd = -1;
	self->vm.vm.dev_fd = -1;
	self->vm.vcpu.fd = -1;
	MSHV_REQUIRE_DEV();
	vm64_create(&self->vm, guest_translate);
	/* the guest stops in long mode with paging on */
	vm64_expect_sync(&self->vm, 1);
}

FIXTURE_TEARDOWN(xlate)
{
	if (self->vm.vm.fd >= 0 && !_metadata->exit_code)
		vm64_expect_done(&self->vm);
	vm64_destroy(&self->vm);
}

/* Translate @gva on the VP fd; returns the result code. */
static __u32 translate(struct __test_metadata *_metadata, struct vm64 *vm,
		       __u64 flags, __u64 gva, __u64 *gpa)
{
	struct hv_input_translate_virtual_address in = {
		.control_flags = flags,
		.gva_page = gva >> 12,
	};
	struct hv_output_translate_virtual_address out;
	__u16 status = 0xffff;

	memset(&out, 0xee, sizeof(out));
	EXPECT_EQ(0, __mshv_hvcall(vm->vcpu.fd,
				   HVCALL_TRANSLATE_VIRTUAL_ADDRESS, 0, &in,
				   sizeof(in), &out, sizeof(out), &status));
	EXPECT_EQ(HV_STATUS_SUCCESS, status);
	if (out.result_code == HV_TRANSLATE_GVA_SUCCESS) {
		EXPECT_EQ((__u32)HV_CACHE_TYPE_WRITE_BACK,
			  out.cache_type_overlay & 0xff);
		*gpa = out.gpa_page << 12;
	} else {
		EXPECT_EQ(0ULL, out.gpa_page);
		*gpa = ~0ULL;
	}
	return out.result_code;
}

TEST_F(xlate, mapped_page_walks_page_tables)
{
	__u64 *pte = vm64_pte(&self->vm, XL_PAGE);
	__u64 gpa;

	/* identity mapped: GVA == GPA */
	ASSERT_EQ((__u32)HV_TRANSLATE_GVA_SUCCESS,
		  translate(_metadata, &self->vm,
			    HV_TRANSLATE_GVA_VALIDATE_READ, XL_PAGE, &gpa));
	EXPECT_EQ(XL_PAGE, gpa);
	/* remapped: the answer follows the PTE, so it is a real walk */
	*pte = (*pte & ~X64_PTE_ADDR_MASK) | XL_TARGET;
	ASSERT_EQ((__u32)HV_TRANSLATE_GVA_SUCCESS,
		  translate(_metadata, &self->vm,
			    HV_TRANSLATE_GVA_VALIDATE_READ, XL_PAGE, &gpa));
	EXPECT_EQ(XL_TARGET, gpa);
	/* a 2 MiB page of the identity map (above the first 2 MiB) */
	if (self->vm.ram_size > X64_MIN_RAM + 0x46000) {
		ASSERT_EQ((__u32)HV_TRANSLATE_GVA_SUCCESS,
			  translate(_metadata, &self->vm, 0,
				    X64_MIN_RAM + 0x45000, &gpa));
		EXPECT_EQ(X64_MIN_RAM + 0x45000, gpa);
	}
}

TEST_F(xlate, not_present)
{
	__u64 *pte = vm64_pte(&self->vm, XL_NOT_PRESENT);
	__u64 gpa;

	*pte &= ~X64_PTE_P;
	EXPECT_EQ((__u32)HV_TRANSLATE_GVA_PAGE_NOT_PRESENT,
		  translate(_metadata, &self->vm,
			    HV_TRANSLATE_GVA_VALIDATE_READ, XL_NOT_PRESENT,
			    &gpa));
	/* mapped by the page tables, beyond guest RAM in the GPA map */
	EXPECT_EQ((__u32)HV_TRANSLATE_GVA_GPA_UNMAPPED,
		  translate(_metadata, &self->vm,
			    HV_TRANSLATE_GVA_VALIDATE_READ, 3ULL << 30, &gpa));
}

TEST_F(xlate, write_to_read_only_page)
{
	__u64 *pte = vm64_pte(&self->vm, XL_READ_ONLY);
	__u64 gpa;

	*pte &= ~X64_PTE_RW;
	EXPECT_EQ((__u32)HV_TRANSLATE_GVA_SUCCESS,
		  translate(_metadata, &self->vm,
			    HV_TRANSLATE_GVA_VALIDATE_READ, XL_READ_ONLY,
			    &gpa));
	EXPECT_EQ((__u32)HV_TRANSLATE_GVA_PRIVILEGE_VIOLATION,
		  translate(_metadata, &self->vm,
			    HV_TRANSLATE_GVA_VALIDATE_READ |
			    HV_TRANSLATE_GVA_VALIDATE_WRITE, XL_READ_ONLY,
			    &gpa));
	/* privilege exempt: the R/W bit is not checked */
	EXPECT_EQ((__u32)HV_TRANSLATE_GVA_SUCCESS,
		  translate(_metadata, &self->vm,
			    HV_TRANSLATE_GVA_VALIDATE_WRITE |
			    HV_TRANSLATE_GVA_PRIVILEGE_EXEMPT, XL_READ_ONLY,
			    &gpa));
	EXPECT_EQ(XL_READ_ONLY, gpa);
}

TEST_F(xlate, user_access_to_supervisor_page)
{
	__u64 gpa;

	EXPECT_EQ((__u32)HV_TRANSLATE_GVA_PRIVILEGE_VIOLATION,
		  translate(_metadata, &self->vm,
			    HV_TRANSLATE_GVA_VALIDATE_READ |
			    HV_TRANSLATE_GVA_USER_ACCESS, XL_PAGE, &gpa));
	EXPECT_EQ((__u32)HV_TRANSLATE_GVA_SUCCESS,
		  translate(_metadata, &self->vm,
			    HV_TRANSLATE_GVA_VALIDATE_READ |
			    HV_TRANSLATE_GVA_USER_ACCESS |
			    HV_TRANSLATE_GVA_PRIVILEGE_EXEMPT, XL_PAGE, &gpa));
}

TEST_F(xlate, accessed_dirty_only_when_asked)
{
	__u64 *pte = vm64_pte(&self->vm, XL_AD_PAGE);
	__u64 gpa;

	*pte &= ~(X64_PTE_A | X64_PTE_D);
	ASSERT_EQ((__u32)HV_TRANSLATE_GVA_SUCCESS,
		  translate(_metadata, &self->vm,
			    HV_TRANSLATE_GVA_VALIDATE_READ |
			    HV_TRANSLATE_GVA_VALIDATE_WRITE, XL_AD_PAGE, &gpa));
	EXPECT_EQ(0ULL, *pte & (X64_PTE_A | X64_PTE_D));
	ASSERT_EQ((__u32)HV_TRANSLATE_GVA_SUCCESS,
		  translate(_metadata, &self->vm,
			    HV_TRANSLATE_GVA_VALIDATE_READ |
			    HV_TRANSLATE_GVA_SET_PAGE_TABLE_BITS, XL_AD_PAGE,
			    &gpa));
	EXPECT_EQ(X64_PTE_A, *pte & (X64_PTE_A | X64_PTE_D));
	ASSERT_EQ((__u32)HV_TRANSLATE_GVA_SUCCESS,
		  translate(_metadata, &self->vm,
			    HV_TRANSLATE_GVA_VALIDATE_WRITE |
			    HV_TRANSLATE_GVA_SET_PAGE_TABLE_BITS, XL_AD_PAGE,
			    &gpa));
	EXPECT_EQ(X64_PTE_A | X64_PTE_D, *pte & (X64_PTE_A | X64_PTE_D));
}

TEST_HARNESS_MAIN
