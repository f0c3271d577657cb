// SPDX-License-Identifier: GPL-2.0
/*
 * 64-bit C guests: an MMIO device emulated by the VMM.  The guest reads and
 * writes registers at MMIO_BASE, which its page tables map but no memory
 * region backs; each access ends the run with HVMSG_UNMAPPED_GPA.  The VMM
 * decodes the MOV from the message's instruction bytes, emulates the
 * device (a load's value goes into the destination register through the
 * register page), steps over the instruction and resumes.  The guest
 * asserts what it read.  Fails if unmapped-GPA exits, their message
 * fields or register-page updates between runs are missing.
 */
#include "kselftest_harness.h"
#include "vm64.h"
#include "guest64_mmio.h"

struct mmio_dev {
	__u32 scratch;
	__u32 doubled;
	__u64 wide;
	unsigned int reads;
	unsigned int writes;
};

/* Emulate one access; returns the value of a read. */
static __u64 mmio_emulate(struct __test_metadata *_metadata,
			  struct mmio_dev *dev, const struct vm64_mmio *acc)
{
	__u64 off = acc->gpa - MMIO_BASE;

	if (acc->write)
		dev->writes++;
	else
		dev->reads++;
	switch (off) {
	case MMIO_REG_ID:
		EXPECT_FALSE(acc->write);
		EXPECT_EQ(4U, acc->size);
		return MMIO_ID;
	case MMIO_REG_SCRATCH:
		EXPECT_EQ(4U, acc->size);
		if (acc->write)
			dev->scratch = acc->value;
		return dev->scratch;
	case MMIO_REG_DOUBLE:
		EXPECT_EQ(4U, acc->size);
		if (acc->write)
			dev->doubled = acc->value;
		return 2ULL * dev->doubled;
	case MMIO_REG_WIDE:
		EXPECT_EQ(8U, acc->size);
		if (acc->write)
			dev->wide = acc->value;
		return dev->wide;
	}
	TH_LOG("access at unexpected offset 0x%llx", (unsigned long long)off);
	_metadata->exit_code = KSFT_FAIL;
	return ~0ULL;
}

TEST(mmio_device)
{
	struct mmio_dev dev = { 0 };
	struct vm64 vm;
	unsigned int cmd, exits = 0;

	vm.vm.fd = -1;
	vm.vm.dev_fd = -1;
	vm.vcpu.fd = -1;
	MSHV_REQUIRE_DEV();
	vm64_create(&vm, guest_mmio);
	ASSERT_GT(MMIO_BASE, vm.ram_size);

	while ((cmd = vm64_run(&vm)) == (unsigned int)UCALL_NONE) {
		struct hv_x64_memory_intercept_message *m =
			(void *)vm.msg.u.payload;
		unsigned int hdr_len = m->header.instruction_length_cr8 & 0xf;
		struct vm64_mmio acc;

		ASSERT_EQ(HVMSG_UNMAPPED_GPA, vm.msg.header.message_type) {
			TH_LOG("exit %u: message %s", exits,
			       vm64_msg_name(vm.msg.header.message_type));
		}
		ASSERT_LT(exits, (unsigned int)MMIO_NR_ACCESSES);
		exits++;
		ASSERT_TRUE(vm64_decode_mmio(&vm, &acc)) {
			TH_LOG("cannot decode %u bytes: %02x %02x %02x %02x",
			       m->instruction_byte_count,
			       m->instruction_bytes[0], m->instruction_bytes[1],
			       m->instruction_bytes[2], m->instruction_bytes[3]);
		}
		ASSERT_GE(acc.gpa, MMIO_BASE);
		ASSERT_LT(acc.gpa, MMIO_BASE + MMIO_SIZE);
		EXPECT_EQ(acc.write ? HV_INTERCEPT_ACCESS_WRITE :
				      HV_INTERCEPT_ACCESS_READ,
			  m->header.intercept_access_type);
		/* Identity mapped: the GVA, when given, equals the GPA. */
		if (m->memory_access_info & HV_X64_MEMORY_ACCESS_GVA_VALID)
			EXPECT_EQ(acc.gpa, m->guest_virtual_address);
		/* The RAX/RDX forms are 2 bytes, REX 3, REX + disp8 4. */
		EXPECT_GE(acc.len, 2U);
		EXPECT_LE(acc.len, 4U);
		if (hdr_len)
			EXPECT_EQ(acc.len, hdr_len);
		vm64_complete_mmio(&vm, &acc, mmio_emulate(_metadata, &dev, &acc));
	}
	vm64_check_ucall(&vm);	/* reports a guest assertion */
	ASSERT_EQ((unsigned int)UCALL_SYNC, cmd);
	EXPECT_EQ((unsigned int)MMIO_NR_ACCESSES, exits);
	EXPECT_EQ(4U, dev.reads);
	EXPECT_EQ(3U, dev.writes);
	EXPECT_EQ(MMIO_ID, vm.uc.args[0]);
	EXPECT_EQ(MMIO_SCRATCH_VALUE, vm.uc.args[1]);
	EXPECT_EQ(2ULL * MMIO_DOUBLE_VALUE, vm.uc.args[2]);
	EXPECT_EQ(MMIO_WIDE_VALUE, vm.uc.args[3]);
	EXPECT_EQ(MMIO_WIDE_VALUE, dev.wide);
	vm64_expect_done(&vm);
	vm64_destroy(&vm);
}

TEST_HARNESS_MAIN
