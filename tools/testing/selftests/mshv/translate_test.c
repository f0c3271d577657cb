// SPDX-License-Identifier: GPL-2.0
/*
 * HVCALL_TRANSLATE_VIRTUAL_ADDRESS through MSHV_ROOT_HVCALL on the VP fd,
 * on a 64-bit guest with 4-level paging: the VMM edits the guest's PTEs
 * and checks that the hypervisor walks them (a remapped page translates
 * to its new GPA, a cleared P bit is PAGE_NOT_PRESENT, a read-only page
 * fails VALIDATE_WRITE with PRIVILEGE_VIOLATION, an NX page fails
 * VALIDATE_EXECUTE the same way, accessed/dirty bits are written only
 * with SET_PAGE_TABLE_BITS).  Fails without a page walk.
 *
 * The result codes as Microsoft documents them (HV_TRANSLATE_GVA_RESULT_
 * CODE; WHvTranslateGva): the GPA access failures (GPA_UNMAPPED,
 * GPA_NO_READ/WRITE_ACCESS) are about the GPA mapping of the pages the
 * walk touches; a final GPA with nothing mapped (a device's MMIO)
 * translates successfully, which is what a VMM's instruction emulator
 * relies on: mmio_gva_translates is such an emulator's exit path.
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
	/* mapped by the page tables, nothing in the GPA map: MMIO */
	EXPECT_EQ((__u32)HV_TRANSLATE_GVA_SUCCESS,
		  translate(_metadata, &self->vm,
			    HV_TRANSLATE_GVA_VALIDATE_READ |
			    HV_TRANSLATE_GVA_VALIDATE_WRITE, 3ULL << 30, &gpa));
	EXPECT_EQ(3ULL << 30, gpa);
}

/* A page-table page at a GPA with nothing mapped: the walk cannot read it. */
TEST_F(xlate, page_table_page_unmapped)
{
	__u64 *pdpte = vm64_gpa_ptr(&self->vm, X64_PDPT_GPA + 3 * 8, 8);
	__u64 saved = *pdpte, gpa;

	/* the page directory of 3..4 GiB moves to 3 GiB + 2 MiB: MMIO */
	*pdpte = (saved & ~X64_PTE_ADDR_MASK) | ((3ULL << 30) + 0x200000);
	EXPECT_EQ((__u32)HV_TRANSLATE_GVA_GPA_UNMAPPED,
		  translate(_metadata, &self->vm,
			    HV_TRANSLATE_GVA_VALIDATE_READ, 3ULL << 30, &gpa));
	*pdpte = saved;
	EXPECT_EQ((__u32)HV_TRANSLATE_GVA_SUCCESS,
		  translate(_metadata, &self->vm,
			    HV_TRANSLATE_GVA_VALIDATE_READ, 3ULL << 30, &gpa));
}

/*
 * The final GPA is mapped read-only: only VALIDATE_WRITE fails.  Pinned,
 * not movable: a movable region's pages have no access rights until the
 * guest touches them (and would answer GPA_NO_READ_ACCESS).
 */
TEST_F(xlate, final_gpa_read_only)
{
	__u64 base = 3ULL << 30, gpa;
	void *mem = mshv_alloc_guest_mem(0x200000);
	int ret;

	/* Pinned if the partition's switch is there: mapped whole, now. */
	mshv_set_movable(self->vm.vm.fd, false);
	ret = __mshv_set_guest_memory(self->vm.vm.fd, base, 0x200000, mem, 0);
	ASSERT_EQ(0, ret);
	EXPECT_EQ((__u32)HV_TRANSLATE_GVA_SUCCESS,
		  translate(_metadata, &self->vm,
			    HV_TRANSLATE_GVA_VALIDATE_READ, base + 0x1000,
			    &gpa));
	EXPECT_EQ(base + 0x1000, gpa);
	EXPECT_EQ((__u32)HV_TRANSLATE_GVA_GPA_NO_WRITE_ACCESS,
		  translate(_metadata, &self->vm,
			    HV_TRANSLATE_GVA_VALIDATE_READ |
			    HV_TRANSLATE_GVA_VALIDATE_WRITE, base + 0x1000,
			    &gpa));
}

/* EFER.NXE is on: an NX page fails VALIDATE_EXECUTE, nothing else. */
TEST_F(xlate, execute_of_nx_page)
{
	__u64 *pte = vm64_pte(&self->vm, XL_NX_PAGE);
	__u64 gpa;

	*pte |= X64_PTE_NX;
	EXPECT_EQ((__u32)HV_TRANSLATE_GVA_SUCCESS,
		  translate(_metadata, &self->vm,
			    HV_TRANSLATE_GVA_VALIDATE_READ |
			    HV_TRANSLATE_GVA_VALIDATE_WRITE, XL_NX_PAGE, &gpa));
	EXPECT_EQ((__u32)HV_TRANSLATE_GVA_PRIVILEGE_VIOLATION,
		  translate(_metadata, &self->vm,
			    HV_TRANSLATE_GVA_VALIDATE_EXECUTE, XL_NX_PAGE,
			    &gpa));
	*pte &= ~X64_PTE_NX;
	EXPECT_EQ((__u32)HV_TRANSLATE_GVA_SUCCESS,
		  translate(_metadata, &self->vm,
			    HV_TRANSLATE_GVA_VALIDATE_EXECUTE, XL_NX_PAGE,
			    &gpa));
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
	__u64 *pte = vm64_pte(&self->vm, XL_TARGET);
	__u64 gpa;

	/* a user page: user and supervisor reads both pass */
	*pte |= X64_PTE_US;
	EXPECT_EQ((__u32)HV_TRANSLATE_GVA_SUCCESS,
		  translate(_metadata, &self->vm,
			    HV_TRANSLATE_GVA_VALIDATE_READ |
			    HV_TRANSLATE_GVA_SUPERVISOR_ACCESS, XL_TARGET,
			    &gpa));

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

/*
 * A VMM's instruction emulator: the guest reads an I/O APIC register
 * through a GVA its page tables map to 0xfec00000, where nothing is
 * mapped.  The VMM translates the faulting GVA (as Cloud Hypervisor does
 * when the message's GVA-to-GPA is not marked valid), must get SUCCESS and
 * the device's GPA, emulates the load and resumes the guest.
 */
TEST(mmio_gva_translates)
{
	struct hv_x64_memory_intercept_message *m;
	struct vm64_mmio acc;
	struct vm64 vm;
	__u64 *pte, gpa;

	vm.vm.fd = -1;
	vm.vm.dev_fd = -1;
	vm.vcpu.fd = -1;
	MSHV_REQUIRE_DEV();
	vm64_create(&vm, guest_translate_mmio);
	ASSERT_GT(XL_MMIO_GPA, vm.ram_size);
	pte = vm64_pte(&vm, XL_MMIO_VA);
	*pte = (*pte & ~X64_PTE_ADDR_MASK) | XL_MMIO_GPA;

	ASSERT_EQ((unsigned int)UCALL_NONE, vm64_run(&vm));
	ASSERT_EQ(HVMSG_UNMAPPED_GPA, vm.msg.header.message_type);
	m = (void *)vm.msg.u.payload;
	EXPECT_EQ(XL_MMIO_GPA + XL_MMIO_OFF, m->guest_physical_address);
	if (m->memory_access_info & HV_X64_MEMORY_ACCESS_GVA_VALID)
		EXPECT_EQ(XL_MMIO_VA + XL_MMIO_OFF, m->guest_virtual_address);

	/* the emulator's translation of the faulting GVA */
	ASSERT_EQ((__u32)HV_TRANSLATE_GVA_SUCCESS,
		  translate(_metadata, &vm, HV_TRANSLATE_GVA_VALIDATE_READ,
			    XL_MMIO_VA + XL_MMIO_OFF, &gpa));
	EXPECT_EQ(XL_MMIO_GPA, gpa);

	ASSERT_TRUE(vm64_decode_mmio(&vm, &acc));
	EXPECT_FALSE(acc.write);
	EXPECT_EQ(4U, acc.size);
	EXPECT_EQ(gpa + XL_MMIO_OFF, acc.gpa);
	vm64_complete_mmio(&vm, &acc, XL_MMIO_VALUE);
	vm64_expect_sync(&vm, 2);
	EXPECT_EQ((__u64)XL_MMIO_VALUE, vm.uc.args[1]);
	vm64_expect_done(&vm);
	vm64_destroy(&vm);
}

TEST_HARNESS_MAIN
