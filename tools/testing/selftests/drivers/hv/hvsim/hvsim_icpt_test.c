// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim's intercept and SynIC interface through MSHV_ROOT_HVCALL: CPUID
 * values and registered results, intercept installation,
 * SIGNAL_EVENT_DIRECT and POST_MESSAGE_DIRECT, TRANSLATE_VIRTUAL_ADDRESS.
 */
#include <cpuid.h>

#include "hvsim_iface.h"

/* ------------------------------------------------------------------ */
/* CPUID and intercepts.                                              */
/* ------------------------------------------------------------------ */

TEST_F(iface, cpuid_values)
{
	__u32 out[4], host[4];
	__u16 st;

	mshv_set_property(self->vm.fd,
			  HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
			  HV_SYNTHETIC_PROC_FEATURE_HYPERVISOR_PRESENT |
			  HV_SYNTHETIC_PROC_FEATURE_HV1);
	init_with_vps(_metadata, self);

	/* Leaf 0 is the host's. */
	__cpuid_count(0, 0, host[0], host[1], host[2], host[3]);
	ASSERT_EQ(0, cpuid_values(self->vm.fd, 0, 0, 0, 0, out, &st));
	EXPECT_EQ(0, memcmp(host, out, sizeof(out)));

	/* The hypervisor leaves: "Microsoft Hv", "Hv#1". */
	ASSERT_EQ(0, cpuid_values(self->vm.fd, 0, 0, 0x40000000, 0, out, &st));
	EXPECT_LE(0x40000005U, out[0]);
	EXPECT_EQ(0, memcmp(&out[1], "Microsoft Hv", 12));
	ASSERT_EQ(0, cpuid_values(self->vm.fd, 1, 0, 0x40000001, 0, out, &st));
	EXPECT_EQ(0, memcmp(&out[0], "Hv#1", 4));

	/* Leaf 1: hypervisor bit, initial APIC id = VP index. */
	ASSERT_EQ(0, cpuid_values(self->vm.fd, 1, 0, 1, 0, out, &st));
	EXPECT_NE(0U, out[2] & (1U << 31));
	EXPECT_EQ(1U, out[1] >> 24);

	/* Registered results: for all VPs, then one VP; masked bits only. */
	ASSERT_EQ(0, register_cpuid(self->vm.fd, HV_ANY_VP, 0x80000002,
				    0x11223344, 0xffffffff, &st));
	ASSERT_EQ(0, register_cpuid(self->vm.fd, 1, 0x80000002, 0x0000aa00,
				    0x0000ff00, &st));
	ASSERT_EQ(0, cpuid_values(self->vm.fd, 0,
				  HV_GET_VP_CPUID_VALUES_APPLY_REGISTERED_VALUES,
				  0x80000002, 0, out, &st));
	EXPECT_EQ(0x11223344U, out[1]);
	ASSERT_EQ(0, cpuid_values(self->vm.fd, 1,
				  HV_GET_VP_CPUID_VALUES_APPLY_REGISTERED_VALUES,
				  0x80000002, 0, out, &st));
	EXPECT_EQ(0x1122aa44U, out[1]);
	/* Registering the same leaf again replaces the result. */
	ASSERT_EQ(0, register_cpuid(self->vm.fd, HV_ANY_VP, 0x80000002,
				    0x55667788, 0xffffffff, &st));
	ASSERT_EQ(0, cpuid_values(self->vm.fd, 0,
				  HV_GET_VP_CPUID_VALUES_APPLY_REGISTERED_VALUES,
				  0x80000002, 0, out, &st));
	EXPECT_EQ(0x55667788U, out[1]);
	/* Without the flag, the unregistered value. */
	__cpuid_count(0x80000002, 0, host[0], host[1], host[2], host[3]);
	ASSERT_EQ(0, cpuid_values(self->vm.fd, 1, 0, 0x80000002, 0, out, &st));
	EXPECT_EQ(host[1], out[1]);

	EXPECT_HV_ERROR(register_cpuid(self->vm.fd, 7, 1, 0, 0, &st),
			st, HV_STATUS_INVALID_VP_INDEX);
	EXPECT_HV_ERROR(cpuid_values(self->vm.fd, 0, 4, 0, 0, out, &st),
			st, HV_STATUS_INVALID_PARAMETER);
}

/*
 * The frequency MSRs are announced (CPUID 0x40000003 EDX bit 8) exactly
 * when the partition has the AccessFrequencyMsrs privilege, and OSPKE
 * (leaf 7 ECX bit 4) follows the VP's CR4.PKE - clear on a fresh VP -
 * not the host's CR4.
 */
TEST_F(iface, cpuid_frequency_msrs_and_ospke)
{
	__u32 out[4];
	__u16 st;

	mshv_set_property(self->vm.fd,
			  HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
			  HV_SYNTHETIC_PROC_FEATURE_HYPERVISOR_PRESENT |
			  HV_SYNTHETIC_PROC_FEATURE_HV1);
	mshv_set_property(self->vm.fd, HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS,
			  HV_ACCESS_FREQUENCY_MSRS | HV_ACCESS_TSC_INVARIANT);
	init_with_vps(_metadata, self);

	ASSERT_EQ(0, cpuid_values(self->vm.fd, 0, 0, 0x40000003, 0, out, &st));
	EXPECT_EQ((__u32)(HV_ACCESS_FREQUENCY_MSRS | HV_ACCESS_TSC_INVARIANT),
		  out[0]);
	EXPECT_EQ((__u32)HV_FEATURE_FREQUENCY_MSRS_AVAILABLE,
		  out[3] & HV_FEATURE_FREQUENCY_MSRS_AVAILABLE);

	ASSERT_EQ(0, cpuid_values(self->vm.fd, 0, 0, 7, 0, out, &st));
	EXPECT_EQ(0U, out[2] & (1U << 4));
}

TEST_F(iface, cpuid_no_frequency_msrs_without_privilege)
{
	__u32 out[4];
	__u16 st;

	mshv_set_property(self->vm.fd,
			  HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
			  HV_SYNTHETIC_PROC_FEATURE_HYPERVISOR_PRESENT |
			  HV_SYNTHETIC_PROC_FEATURE_HV1);
	init_with_vps(_metadata, self);

	ASSERT_EQ(0, cpuid_values(self->vm.fd, 0, 0, 0x40000003, 0, out, &st));
	EXPECT_EQ(0U, out[3] & HV_FEATURE_FREQUENCY_MSRS_AVAILABLE);
}

TEST_F(iface, install_intercept)
{
	__u16 st;

	/* Allowed before and after initialize. */
	EXPECT_EQ(0, install_intercept(self->vm.fd,
				       HV_INTERCEPT_TYPE_X64_CPUID,
				       HV_INTERCEPT_ACCESS_MASK_EXECUTE, 0x1,
				       &st));
	init_with_vps(_metadata, self);
	EXPECT_EQ(0, install_intercept(self->vm.fd,
				       HV_INTERCEPT_TYPE_X64_IO_PORT,
				       HV_INTERCEPT_ACCESS_MASK_READ |
				       HV_INTERCEPT_ACCESS_MASK_WRITE, 0x3f8,
				       &st));
	EXPECT_EQ(0, install_intercept(self->vm.fd,
				       HV_INTERCEPT_TYPE_X64_MSR_INDEX,
				       HV_INTERCEPT_ACCESS_MASK_WRITE,
				       0xc0000080, &st));
	EXPECT_EQ(0, install_intercept(self->vm.fd,
				       HV_INTERCEPT_TYPE_EXCEPTION,
				       HV_INTERCEPT_ACCESS_MASK_EXECUTE, 14,
				       &st));
	EXPECT_EQ(0, install_intercept(self->vm.fd, HV_INTERCEPT_TYPE_X64_MSR,
				       HV_INTERCEPT_ACCESS_MASK_READ, 0, &st));
	/* Access 0 removes. */
	EXPECT_EQ(0, install_intercept(self->vm.fd,
				       HV_INTERCEPT_TYPE_X64_CPUID, 0, 0x1,
				       &st));

	EXPECT_HV_ERROR(install_intercept(self->vm.fd,
					  HV_INTERCEPT_TYPE_X64_IO_PORT, 8,
					  0x3f8, &st),
			st, HV_STATUS_INVALID_PARAMETER);
	EXPECT_HV_ERROR(install_intercept(self->vm.fd,
					  HV_INTERCEPT_TYPE_X64_IO_PORT, 1,
					  0x10000, &st),
			st, HV_STATUS_INVALID_PARAMETER);
	EXPECT_HV_ERROR(install_intercept(self->vm.fd,
					  HV_INTERCEPT_TYPE_EXCEPTION, 4, 40,
					  &st),
			st, HV_STATUS_INVALID_PARAMETER);
	EXPECT_HV_ERROR(install_intercept(self->vm.fd, 0x55, 1, 0, &st),
			st, HV_STATUS_INVALID_PARAMETER);
	EXPECT_HV_ERROR(install_intercept(self->vm.fd,
					  HV_INTERCEPT_TYPE_X64_MSR, 1, 5,
					  &st),
			st, HV_STATUS_INVALID_PARAMETER);
}

/* ------------------------------------------------------------------ */
/* Child SynIC and address translation.                               */
/* ------------------------------------------------------------------ */

static int signal_event(int fd, __u32 vp, __u8 sint, __u16 flag,
			__u8 *newly, __u16 *status)
{
	struct hv_input_signal_event_direct in = {
		.target_vp = vp,
		.target_sint = sint,
		.flag_number = flag,
	};
	struct hv_output_signal_event_direct out = { 0 };
	int ret;

	ret = __mshv_hvcall(fd, HVCALL_SIGNAL_EVENT_DIRECT, 0, &in, sizeof(in),
			    &out, sizeof(out), status);
	*newly = out.newly_signaled;
	return ret;
}

TEST_F(iface, signal_and_post_direct)
{
	__u8 *buf = mshv_alloc_state_buf(STATE_BUF_SIZE);
	struct hv_message *slot;
	__u8 newly = 0xff;
	__u32 sz;
	__u16 st;

	init_with_vps(_metadata, self);
	/* SynIC pages not enabled yet. */
	EXPECT_HV_ERROR(signal_event(self->vm.fd, 0, 2, 5, &newly, &st),
			st, HV_STATUS_INVALID_VP_STATE);
	EXPECT_HV_ERROR(post_message(self->vm.fd, 0, 3, 0x1234, 1, &st),
			st, HV_STATUS_INVALID_VP_STATE);

	ASSERT_EQ(0, set_reg(self->vm.fd, 0, HV_REGISTER_SIEFP, SIEFP_GPA | 1,
			     &st));
	ASSERT_EQ(0, set_reg(self->vm.fd, 0, HV_REGISTER_SIMP, SIMP_GPA | 1,
			     &st));

	ASSERT_EQ(0, signal_event(self->vm.fd, 0, 2, 5, &newly, &st));
	EXPECT_EQ(1, newly);
	ASSERT_EQ(0, signal_event(self->vm.fd, 0, 2, 5, &newly, &st));
	EXPECT_EQ(0, newly);
	EXPECT_HV_ERROR(signal_event(self->vm.fd, 0, 16, 5, &newly, &st),
			st, HV_STATUS_INVALID_PARAMETER);

	ASSERT_EQ(0, post_message(self->vm.fd, 0, 3, 0x1234, 0xdeadbeef, &st));
	/* The slot is busy until the guest frees it. */
	EXPECT_HV_ERROR(post_message(self->vm.fd, 0, 3, 0x1234, 2, &st),
			st, HV_STATUS_INSUFFICIENT_BUFFERS);
	EXPECT_HV_ERROR(post_message(self->vm.fd, 0, 3, HVMSG_NONE, 2, &st),
			st, HV_STATUS_INVALID_PARAMETER);

	GET_STATE_OR_SKIP(self->vp_fd[0], MSHV_VP_STATE_SIEFP, buf, &sz);
	EXPECT_EQ(1 << 5, buf[2 * 256]);
	sz = STATE_BUF_SIZE;
	ASSERT_EQ(0, __mshv_get_vp_state(self->vp_fd[0], MSHV_VP_STATE_SIMP,
					 buf, &sz));
	slot = (struct hv_message *)buf + 3;
	EXPECT_EQ(0x1234U, slot->header.message_type);
	EXPECT_EQ(8, slot->header.payload_size);
	EXPECT_EQ(0xdeadbeefULL, slot->u.payload[0]);
out:
	free(buf);
}

static int translate(int fd, __u32 vp, __u64 flags, __u64 gva_page,
		     struct hv_output_translate_virtual_address *out,
		     __u16 *status)
{
	struct hv_input_translate_virtual_address in = {
		.vp_index = vp,
		.control_flags = flags,
		.gva_page = gva_page,
	};

	memset(out, 0xee, sizeof(*out));
	return __mshv_hvcall(fd, HVCALL_TRANSLATE_VIRTUAL_ADDRESS, 0, &in,
			     sizeof(in), out, sizeof(*out), status);
}

TEST_F(iface, translate_virtual_address)
{
	struct hv_output_translate_virtual_address out;
	__u16 st;

	init_with_vps(_metadata, self);
	/* Pinned: a movable page is no-access until the guest touches it. */
	mshv_set_movable(self->vm.fd, false);
	mshv_map_guest_mem(self->vm.fd, 0, GUEST_MEM_SIZE);

	/* Paging off: the identity, checked against the GPA map. */
	ASSERT_EQ(0, translate(self->vm.fd, 0, HV_TRANSLATE_GVA_VALIDATE_READ,
			       0x3, &out, &st));
	EXPECT_EQ((__u32)HV_TRANSLATE_GVA_SUCCESS, out.result_code);
	EXPECT_EQ(0x3ULL, out.gpa_page);
	/* Nothing mapped there (MMIO): still a translation. */
	ASSERT_EQ(0, translate(self->vm.fd, 0, HV_TRANSLATE_GVA_VALIDATE_READ,
			       0x900, &out, &st));
	EXPECT_EQ((__u32)HV_TRANSLATE_GVA_SUCCESS, out.result_code);
	EXPECT_EQ(0x900ULL, out.gpa_page);
	EXPECT_HV_ERROR(translate(self->vm.fd, 0, 1ULL << 20, 0x3, &out, &st),
			st, HV_STATUS_INVALID_PARAMETER);

	/* Paging on, CR3 = 0: the walk finds a zero (not present) entry. */
	ASSERT_EQ(0, set_reg(self->vm.fd, 0, HV_X64_REGISTER_CR0, 0x80000011,
			     &st));
	ASSERT_EQ(0, translate(self->vm.fd, 0, 0, 0x3, &out, &st));
	EXPECT_EQ((__u32)HV_TRANSLATE_GVA_PAGE_NOT_PRESENT, out.result_code);
	/* The page directory at a GPA with nothing mapped: GPA_UNMAPPED. */
	ASSERT_EQ(0, set_reg(self->vm.fd, 0, HV_X64_REGISTER_CR3, 0x900000,
			     &st));
	ASSERT_EQ(0, translate(self->vm.fd, 0, 0, 0x3, &out, &st));
	EXPECT_EQ((__u32)HV_TRANSLATE_GVA_GPA_UNMAPPED, out.result_code);
}

TEST_HARNESS_MAIN
