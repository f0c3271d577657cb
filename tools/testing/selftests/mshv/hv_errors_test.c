// SPDX-License-Identifier: GPL-2.0
/*
 * Hypervisor errors through MSHV_ROOT_HVCALL: each class of failure a VMM
 * can provoke comes back as the errno of the status table together with
 * the exact HV_STATUS_*, and reps and output are written back for the
 * elements that completed.
 */
#include <errno.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mshv_util.h"

#define UNKNOWN_PROPERTY	0x7fff0001
#define CR0_PG			0x80000000ULL
#define CR0_PE			0x1ULL

FIXTURE(hv_errors) {
	struct mshv_vm vm;
	int vp_fd;
};

FIXTURE_SETUP(hv_errors)
{
	self->vm.fd = -1;
	self->vm.dev_fd = -1;
	self->vp_fd = -1;
	MSHV_REQUIRE_DEV();
	mshv_vm_create(&self->vm, true);
	self->vp_fd = __mshv_create_vp(self->vm.fd, 0);
	ASSERT_LE(0, self->vp_fd);
}

FIXTURE_TEARDOWN(hv_errors)
{
	if (self->vp_fd >= 0)
		close(self->vp_fd);
	mshv_vm_destroy(&self->vm);
}

/* @ret/@err/@status from one call match the expected class. */
#define EXPECT_HV_ERROR(ret, err, status, want_errno, want_status)	\
	do {								\
		EXPECT_EQ(-1, (ret));					\
		EXPECT_EQ((want_errno), (err));				\
		EXPECT_EQ((want_status), (status));			\
	} while (0)

TEST_F(hv_errors, unknown_property)
{
	const int *fds[3];
	__u16 status;
	unsigned int i;
	int ret, fd;

	fds[0] = &self->vm.fd;
	fds[1] = &self->vp_fd;
	fds[2] = &self->vm.dev_fd;
	for (i = 0; i < ARRAY_SIZE(fds); i++) {
		fd = *fds[i];
		status = 0;
		ret = __mshv_get_property(fd, UNKNOWN_PROPERTY, NULL, &status);
		EXPECT_HV_ERROR(ret, errno, status, EIO,
				HV_STATUS_UNKNOWN_PROPERTY);
	}
	status = 0;
	ret = __mshv_set_property(self->vm.fd, UNKNOWN_PROPERTY, 1, &status);
	EXPECT_HV_ERROR(ret, errno, status, EIO, HV_STATUS_UNKNOWN_PROPERTY);
}

TEST_F(hv_errors, property_value_out_of_range)
{
	__u16 status = 0;
	int ret;

	ret = __mshv_set_property(self->vm.fd,
				  HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION,
				  0x1234, &status);
	EXPECT_HV_ERROR(ret, errno, status, EIO,
			HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE);
	/* A value in range still works afterwards. */
	mshv_set_property(self->vm.fd,
			  HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION, 1);
	EXPECT_EQ(1ULL, mshv_get_property(self->vm.fd,
					  HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION));
}

/* Privilege flags are fixed once the partition is initialized. */
TEST_F(hv_errors, privilege_flags_after_initialize)
{
	__u16 status = 0;
	int ret;

	ret = __mshv_set_property(self->vm.fd,
				  HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS, 0,
				  &status);
	EXPECT_HV_ERROR(ret, errno, status, EIO,
			HV_STATUS_INVALID_PARTITION_STATE);
}

/* Before initialization the same write is accepted. */
TEST(privilege_flags_before_initialize)
{
	struct mshv_vm vm;
	__u16 status = 0xffff;

	MSHV_REQUIRE_DEV();
	vm.dev_fd = mshv_open_dev();
	vm.fd = mshv_create_partition(vm.dev_fd, true);
	EXPECT_EQ(0, __mshv_set_property(vm.fd,
					 HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS,
					 0, &status));
	EXPECT_EQ(HV_STATUS_SUCCESS, status);
	mshv_vm_destroy(&vm);
}

/* CR0.PG without CR0.PE is not a value a processor can hold. */
TEST_F(hv_errors, invalid_register_value)
{
	struct hv_register_assoc assoc = {
		.name = HV_X64_REGISTER_CR0,
		.value.reg64 = CR0_PG,
	};
	__u16 status = 0;
	__u64 before;
	int ret;

	before = mshv_get_reg(self->vp_fd, 0, HV_X64_REGISTER_CR0);
	ret = __mshv_set_regs(self->vp_fd, 0, &assoc, 1, &status);
	EXPECT_HV_ERROR(ret, errno, status, EINVAL,
			HV_STATUS_INVALID_PARAMETER);
	EXPECT_EQ(before, mshv_get_reg(self->vp_fd, 0, HV_X64_REGISTER_CR0));
	/* PG with PE is fine. */
	assoc.value.reg64 = CR0_PG | CR0_PE;
	EXPECT_EQ(0, __mshv_set_regs(self->vp_fd, 0, &assoc, 1, &status));
}

TEST_F(hv_errors, invalid_vp_index)
{
	__u32 name = HV_X64_REGISTER_RIP;
	union hv_register_value value;
	__u16 status = 0;
	int ret;

	ret = __mshv_get_regs(self->vm.fd, 255, &name, &value, 1, &status);
	EXPECT_HV_ERROR(ret, errno, status, EINVAL,
			HV_STATUS_INVALID_VP_INDEX);
	ret = __mshv_get_regs(self->vm.fd, 0x10000, &name, &value, 1,
			      &status);
	EXPECT_HV_ERROR(ret, errno, status, EINVAL,
			HV_STATUS_INVALID_VP_INDEX);
}

/*
 * A rep call that fails part way: reps says how many elements completed
 * and the output holds their results.
 */
TEST_F(hv_errors, partial_rep_output)
{
	struct {
		struct hv_input_get_vp_registers hdr;
		__u32 names[3];
	} in = { 0 };
	union hv_register_value out[3];
	struct mshv_root_hvcall args = {
		.code = HVCALL_GET_VP_REGISTERS,
		.reps = 3,
		.in_sz = sizeof(in),
		.out_sz = sizeof(out),
		.in_ptr = (__u64)(unsigned long)&in,
		.out_ptr = (__u64)(unsigned long)out,
	};

	mshv_set_reg(self->vp_fd, 0, HV_X64_REGISTER_RBX, 0xb0b0b0b0);
	mshv_set_reg(self->vp_fd, 0, HV_X64_REGISTER_RCX, 0xc0c0c0c0);
	in.names[0] = HV_X64_REGISTER_RBX;
	in.names[1] = HV_X64_REGISTER_RCX;
	in.names[2] = 0x0001ffff;	/* no such register */
	memset(out, 0xee, sizeof(out));
	EXPECT_EQ(-1, ioctl(self->vp_fd, MSHV_ROOT_HVCALL, &args));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(HV_STATUS_INVALID_PARAMETER, args.status);
	EXPECT_EQ(2, args.reps);
	EXPECT_EQ(0xb0b0b0b0ULL, out[0].reg64);
	EXPECT_EQ(0xc0c0c0c0ULL, out[1].reg64);
}

/* Success writes status 0 and, for a rep call, the full rep count. */
TEST_F(hv_errors, success_written_back)
{
	__u32 names[2] = { HV_X64_REGISTER_RAX, HV_X64_REGISTER_RIP };
	struct {
		struct hv_input_get_vp_registers hdr;
		__u32 names[2];
	} in = { 0 };
	union hv_register_value out[2];
	struct mshv_root_hvcall args = {
		.code = HVCALL_GET_VP_REGISTERS,
		.reps = 2,
		.in_sz = sizeof(in),
		.out_sz = sizeof(out),
		.in_ptr = (__u64)(unsigned long)&in,
		.out_ptr = (__u64)(unsigned long)out,
	};

	memcpy(in.names, names, sizeof(names));
	ASSERT_EQ(0, ioctl(self->vp_fd, MSHV_ROOT_HVCALL, &args));
	EXPECT_EQ(HV_STATUS_SUCCESS, args.status);
	EXPECT_EQ(2, args.reps);
}

TEST_HARNESS_MAIN
