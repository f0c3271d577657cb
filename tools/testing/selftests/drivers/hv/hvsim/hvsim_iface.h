/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the hvsim_*_test programs, which drive hvsim's partition and
 * VP interface through MSHV_ROOT_HVCALL and MSHV_GET/SET_VP_STATE: small
 * hypercall wrappers and the "iface" fixture (a partition, not yet
 * initialized, and optionally two VPs).  Hypervisor errors come back as -1
 * with errno EIO or EINVAL (the driver's status-to-errno table) and the
 * status in the argument.
 */
#ifndef SELFTEST_MSHV_HVSIM_IFACE_H
#define SELFTEST_MSHV_HVSIM_IFACE_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mshv_util.h"

#define FAULT_DIR		HVSIM_DEBUGFS_DIR "/fault"
#define STATE_BUF_SIZE		(16 * GUEST_PAGE_SIZE)
#define GUEST_MEM_SIZE		0x10000

#define SIEFP_GPA		0x5000ULL
#define SIMP_GPA		0x6000ULL

/* Hypervisor errors are EIO or EINVAL, with the status written back. */
#define EXPECT_HV_ERROR(ret, st, want) do {				\
		EXPECT_EQ(-1, (ret));					\
		EXPECT_TRUE(errno == EIO || errno == EINVAL);		\
		EXPECT_EQ((want), (st));				\
	} while (0)

/* Get @type; SKIP the test if the driver does not have the ioctl. */
#define GET_STATE_OR_SKIP(fd, type, buf, sz) do {			\
		*(sz) = STATE_BUF_SIZE;					\
		if (__mshv_get_vp_state(fd, type, buf, sz) &&		\
		    (errno == ENOTTY || errno == EOPNOTSUPP))		\
			SKIP(goto out, "MSHV_GET_VP_STATE not supported"); \
	} while (0)

static inline int get_property_ex(int fd, __u32 code, void *out, __u16 out_sz,
			   __u16 *status)
{
	struct hv_input_get_partition_property_ex in = {
		.property_code = code,
	};

	return __mshv_hvcall(fd, HVCALL_GET_PARTITION_PROPERTY_EX, 0, &in,
			     sizeof(in), out, out_sz, status);
}

static inline int set_reg128(int fd, __u32 vp, __u32 name, __u64 lo, __u64 hi,
		      __u16 *status)
{
	struct hv_register_assoc a = { .name = name };

	a.value.reg128.low_part = lo;
	a.value.reg128.high_part = hi;
	return __mshv_set_regs(fd, vp, &a, 1, status);
}

static inline int set_reg(int fd, __u32 vp, __u32 name, __u64 v, __u16 *status)
{
	return set_reg128(fd, vp, name, v, 0, status);
}

static inline union hv_register_value get_reg128(struct __test_metadata *_metadata,
					  int fd, __u32 vp, __u32 name)
{
	union hv_register_value v;
	__u16 status = 0;

	memset(&v, 0xa5, sizeof(v));
	EXPECT_EQ(0, __mshv_get_regs(fd, vp, &name, &v, 1, &status)) {
		TH_LOG("GET 0x%x: status 0x%x", name, status);
	}
	return v;
}

/* GET_VP_CPUID_VALUES for one leaf. */
static inline int cpuid_values(int fd, __u32 vp, __u32 flags, __u32 leaf,
			__u32 subleaf, __u32 out[4], __u16 *status)
{
	struct {
		struct hv_input_get_vp_cpuid_values hdr;
		struct hv_cpuid_leaf_info leaf;
	} in = { 0 };

	in.hdr.vp_index = vp;
	in.hdr.flags = flags;
	in.leaf.eax = leaf;
	in.leaf.ecx = subleaf;
	return __mshv_hvcall(fd, HVCALL_GET_VP_CPUID_VALUES, 1, &in,
			     sizeof(in), out, 16, status);
}

static inline int register_cpuid(int fd, __u32 vp, __u32 leaf, __u32 ebx,
			  __u32 ebx_mask, __u16 *status)
{
	struct hv_input_register_intercept_result in = {
		.vp_index = vp,
		.intercept_type = HV_INTERCEPT_TYPE_X64_CPUID,
	};

	in.parameters.cpuid.input.eax = leaf;
	in.parameters.cpuid.result.ebx = ebx;
	in.parameters.cpuid.result.ebx_mask = ebx_mask;
	return __mshv_hvcall(fd, HVCALL_REGISTER_INTERCEPT_RESULT, 0, &in,
			     sizeof(in), NULL, 0, status);
}

static inline int install_intercept(int fd, __u32 type, __u32 access, __u64 param,
			     __u16 *status)
{
	struct hv_input_install_intercept in = {
		.access_type = access,
		.intercept_type = type,
		.intercept_parameter = param,
	};

	return __mshv_hvcall(fd, HVCALL_INSTALL_INTERCEPT, 0, &in, sizeof(in),
			     NULL, 0, status);
}

/* POST_MESSAGE_DIRECT of a message with one payload word. */
static inline int post_message(int fd, __u32 vp, __u32 sint, __u32 type,
			       __u64 word, __u16 *status)
{
	struct hv_input_post_message_direct in = {
		.vp_index = vp,
		.sint_index = sint,
	};
	struct hv_message *msg = (void *)in.message;

	msg->header.message_type = type;
	msg->header.payload_size = 8;
	msg->u.payload[0] = word;
	return __mshv_hvcall(fd, HVCALL_POST_MESSAGE_DIRECT, 0, &in,
			     sizeof(in), NULL, 0, status);
}

/* ------------------------------------------------------------------ */
/* A partition, not yet initialized, and optionally two VPs.          */
/* ------------------------------------------------------------------ */

FIXTURE(iface) {
	struct mshv_vm vm;
	int vp_fd[2];
};

FIXTURE_SETUP(iface)
{
	self->vm.dev_fd = -1;
	self->vm.fd = -1;
	self->vp_fd[0] = self->vp_fd[1] = -1;
	MSHV_REQUIRE_DEV();
	self->vm.dev_fd = mshv_open_dev();
	self->vm.fd = mshv_create_partition(self->vm.dev_fd, true);
}

FIXTURE_TEARDOWN(iface)
{
	if (self->vp_fd[1] >= 0)
		close(self->vp_fd[1]);
	if (self->vp_fd[0] >= 0)
		close(self->vp_fd[0]);
	mshv_vm_destroy(&self->vm);
}

static inline void init_with_vps(struct __test_metadata *_metadata,
			  FIXTURE_DATA(iface) *self)
{
	ASSERT_EQ(0, __mshv_initialize_partition(self->vm.fd));
	self->vp_fd[0] = __mshv_create_vp(self->vm.fd, 0);
	ASSERT_LE(0, self->vp_fd[0]);
	self->vp_fd[1] = __mshv_create_vp(self->vm.fd, 1);
	ASSERT_LE(0, self->vp_fd[1]);
}

#endif /* SELFTEST_MSHV_HVSIM_IFACE_H */
