// SPDX-License-Identifier: GPL-2.0
/*
 * What a guest running on hvsim sees of its partition's configuration:
 * registered and intercepted CPUID leaves, MSRs, the SynIC overlay pages,
 * XMM registers through the register page, no-execute mappings.
 */
#include "hvsim_iface.h"

/* ------------------------------------------------------------------ */
/* What a running guest sees: CPUID, MSRs, intercepts, SynIC overlay. */
/* ------------------------------------------------------------------ */

FIXTURE(run) {
	struct mshv_vm vm;
	struct mshv_vcpu vcpu;
	void *mem;
	struct hv_message msg;
};

FIXTURE_SETUP(run)
{
	self->vm.dev_fd = -1;
	self->vm.fd = -1;
	self->vcpu.fd = -1;
	MSHV_REQUIRE_DEV();
	self->vm.dev_fd = mshv_open_dev();
	self->vm.fd = mshv_create_partition(self->vm.dev_fd, true);
	mshv_set_property(self->vm.fd,
			  HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
			  HV_SYNTHETIC_PROC_FEATURE_HYPERVISOR_PRESENT |
			  HV_SYNTHETIC_PROC_FEATURE_HV1);
	ASSERT_EQ(0, __mshv_initialize_partition(self->vm.fd));
	self->mem = mshv_map_guest_mem(self->vm.fd, 0, GUEST_MEM_SIZE);
	mshv_vcpu_create(&self->vcpu, self->vm.fd, 0);
}

FIXTURE_TEARDOWN(run)
{
	mshv_vcpu_destroy(&self->vcpu);
	mshv_vm_destroy(&self->vm);
}

/* Load real-mode @code at GUEST_CODE_GPA and run until the first exit. */
static void run_code(struct __test_metadata *_metadata,
		     FIXTURE_DATA(run) *self, const void *code, size_t len)
{
	mshv_load_guest(self->mem, GUEST_CODE_GPA, code, len);
	mshv_set_real_mode(self->vm.fd, 0, GUEST_CODE_GPA);
	mshv_run_vp(self->vcpu.fd, &self->msg);
}

TEST_F(run, cpuid_registered_and_intercepted)
{
	/* mov eax, 4; xor ecx, ecx; cpuid; hlt */
	static const __u8 code[] = {
		0x66, 0xb8, 0x04, 0x00, 0x00, 0x00, 0x66, 0x31, 0xc9,
		0x0f, 0xa2, 0xf4,
	};
	struct hv_x64_cpuid_intercept_message *c = (void *)self->msg.u.payload;
	__u16 st;

	/* A registered result is what the guest's CPUID returns. */
	ASSERT_EQ(0, register_cpuid(self->vm.fd, HV_ANY_VP, 4, 0xabcd1234,
				    0xffffffff, &st));
	run_code(_metadata, self, code, sizeof(code));
	ASSERT_EQ(HVMSG_X64_HALT, self->msg.header.message_type);
	EXPECT_EQ(0xabcd1234ULL,
		  mshv_get_reg(self->vm.fd, 0, HV_X64_REGISTER_RBX));

	/* Intercepted, the VMM gets the leaf and the default answer. */
	ASSERT_EQ(0, install_intercept(self->vm.fd,
				       HV_INTERCEPT_TYPE_X64_CPUID,
				       HV_INTERCEPT_ACCESS_MASK_EXECUTE, 4,
				       &st));
	run_code(_metadata, self, code, sizeof(code));
	ASSERT_EQ(HVMSG_X64_CPUID_INTERCEPT, self->msg.header.message_type);
	EXPECT_EQ(4ULL, c->rax);
	EXPECT_EQ(0xabcd1234ULL, c->default_result_rbx);
	EXPECT_EQ(GUEST_CODE_GPA + 9, c->header.rip);
}

TEST_F(run, msrs)
{
	/* mov ecx, 0x40000000 (GUEST_OS_ID); rdmsr; hlt */
	static const __u8 synthetic[] = {
		0x66, 0xb9, 0x00, 0x00, 0x00, 0x40, 0x0f, 0x32, 0xf4,
	};
	/* mov ecx, 0x12345 (no such MSR); rdmsr; hlt */
	static const __u8 unknown[] = {
		0x66, 0xb9, 0x45, 0x23, 0x01, 0x00, 0x0f, 0x32, 0xf4,
	};
	/* mov ecx, 0x174 (SYSENTER_CS); rdmsr; hlt */
	static const __u8 sysenter[] = {
		0x66, 0xb9, 0x74, 0x01, 0x00, 0x00, 0x0f, 0x32, 0xf4,
	};
	struct hv_x64_msr_intercept_message *m = (void *)self->msg.u.payload;
	__u16 st;

	mshv_set_reg(self->vm.fd, 0, HV_REGISTER_GUEST_OS_ID, 0x8100123456ULL);
	run_code(_metadata, self, synthetic, sizeof(synthetic));
	ASSERT_EQ(HVMSG_X64_HALT, self->msg.header.message_type);
	EXPECT_EQ(0x00123456ULL, mshv_get_reg(self->vm.fd, 0,
					      HV_X64_REGISTER_RAX));
	EXPECT_EQ(0x81ULL, mshv_get_reg(self->vm.fd, 0, HV_X64_REGISTER_RDX));

	/* Unimplemented MSRs read as zero when the partition says so. */
	mshv_set_property(self->vm.fd,
			  HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION,
			  HV_UNIMPLEMENTED_MSR_ACTION_IGNORE_WRITE_READ_ZERO);
	mshv_set_reg(self->vm.fd, 0, HV_X64_REGISTER_RAX, 0x77);
	run_code(_metadata, self, unknown, sizeof(unknown));
	ASSERT_EQ(HVMSG_X64_HALT, self->msg.header.message_type);
	EXPECT_EQ(0ULL, mshv_get_reg(self->vm.fd, 0, HV_X64_REGISTER_RAX));

	ASSERT_EQ(0, install_intercept(self->vm.fd,
				       HV_INTERCEPT_TYPE_X64_MSR_INDEX,
				       HV_INTERCEPT_ACCESS_MASK_READ, 0x174,
				       &st));
	run_code(_metadata, self, sysenter, sizeof(sysenter));
	ASSERT_EQ(HVMSG_X64_MSR_INTERCEPT, self->msg.header.message_type);
	EXPECT_EQ(0x174U, m->msr_number);
	EXPECT_EQ(HV_INTERCEPT_ACCESS_READ, m->header.intercept_access_type);
}

TEST_F(run, synic_overlay)
{
	/* mov eax, [SIMP_GPA + 256 + 16]: SINT 1's first payload word; hlt */
	static const __u8 code[] = { 0x66, 0xa1, 0x10, 0x61, 0xf4 };
	__u32 *ram = (__u32 *)((char *)self->mem + SIMP_GPA + 256 + 16);
	__u16 st;

	*ram = 0x11111111;
	mshv_set_reg(self->vm.fd, 0, HV_REGISTER_SIMP, SIMP_GPA | 1);
	ASSERT_EQ(0, post_message(self->vm.fd, 0, 1, 0x4242, 0x55aa55aa, &st));
	run_code(_metadata, self, code, sizeof(code));
	ASSERT_EQ(HVMSG_X64_HALT, self->msg.header.message_type);
	/* The guest read the hypervisor's page, not its RAM behind it. */
	EXPECT_EQ(0x55aa55aaULL, mshv_get_reg(self->vm.fd, 0,
					      HV_X64_REGISTER_RAX));
	EXPECT_EQ(0x11111111U, *ram);

	/* Disabled, the RAM shows through again. */
	mshv_set_reg(self->vm.fd, 0, HV_REGISTER_SIMP, SIMP_GPA);
	run_code(_metadata, self, code, sizeof(code));
	ASSERT_EQ(HVMSG_X64_HALT, self->msg.header.message_type);
	EXPECT_EQ(0x11111111ULL, mshv_get_reg(self->vm.fd, 0,
					      HV_X64_REGISTER_RAX));
}

TEST_F(run, register_page_xmm)
{
	struct hv_vp_register_page *rp = self->vcpu.regs;
	union hv_register_value v;
	__u16 st;

	/* SET_VP_REGISTERS is mirrored into the page... */
	ASSERT_EQ(0, set_reg128(self->vm.fd, 0, HV_X64_REGISTER_XMM0 + 2,
				0x1111222233334444ULL, 0x5555666677778888ULL,
				&st));
	ASSERT_EQ(0, set_reg(self->vm.fd, 0, HV_X64_REGISTER_XFEM, 3, &st));
	EXPECT_EQ(0x1111222233334444ULL, rp->xmm_registers[2].low_part);
	EXPECT_EQ(0x5555666677778888ULL, rp->xmm_registers[2].high_part);
	EXPECT_EQ(3ULL, rp->xfem);

	/* ...and the VMM's dirty XMM class is taken from it. */
	rp->xmm_registers[5].low_part = 0xabcdef;
	rp->xmm_registers[5].high_part = 0x123456;
	rp->dirty |= 1U << HV_X64_REGISTER_CLASS_XMM;
	v = get_reg128(_metadata, self->vm.fd, 0, HV_X64_REGISTER_XMM0 + 5);
	EXPECT_EQ(0xabcdefULL, v.reg128.low_part);
	EXPECT_EQ(0x123456ULL, v.reg128.high_part);
}

TEST_F(run, no_execute)
{
	struct hv_x64_memory_intercept_message *m = (void *)self->msg.u.payload;
	void *page = mshv_alloc_guest_mem(GUEST_PAGE_SIZE);
	struct mshv_user_mem_region r = {
		.size = GUEST_PAGE_SIZE,
		.guest_pfn = 0x10,
		.userspace_addr = (__u64)(unsigned long)page,
		.flags = BIT(MSHV_SET_MEM_BIT_WRITABLE),
	};
	struct hv_register_assoc cs = { .name = HV_X64_REGISTER_CS };

	memset(page, 0xf4, GUEST_PAGE_SIZE);		/* hlt */
	ASSERT_EQ(0, ioctl(self->vm.fd, MSHV_SET_GUEST_MEMORY, &r));
	mshv_set_real_mode(self->vm.fd, 0, 0);
	cs.value.segment.base = 0x10000;
	cs.value.segment.limit = 0xffff;
	cs.value.segment.selector = 0x1000;
	cs.value.segment.attributes = 0x9b;
	ASSERT_EQ(0, __mshv_set_regs(self->vm.fd, 0, &cs, 1, NULL));
	mshv_run_vp(self->vcpu.fd, &self->msg);
	ASSERT_EQ(HVMSG_GPA_INTERCEPT, self->msg.header.message_type);
	EXPECT_EQ(HV_INTERCEPT_ACCESS_EXECUTE, m->header.intercept_access_type);
	EXPECT_EQ(0x10000ULL, m->guest_physical_address);
}

TEST_HARNESS_MAIN
