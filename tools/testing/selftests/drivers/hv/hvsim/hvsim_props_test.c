// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim's partition properties through MSHV_ROOT_HVCALL: errors, the
 * host's and the partition's properties, disabled feature banks, time
 * freeze and reference time, the asynchronous property set.
 */
#include "hvsim_iface.h"

/* ------------------------------------------------------------------ */
/* Properties.                                                        */
/* ------------------------------------------------------------------ */

TEST_F(iface, property_errors)
{
	__u16 st = 0;

	EXPECT_HV_ERROR(__mshv_get_property(self->vm.fd, 0x12345, NULL, &st),
			st, HV_STATUS_UNKNOWN_PROPERTY);
	EXPECT_HV_ERROR(__mshv_set_property(self->vm.fd, 0x12345, 0, &st),
			st, HV_STATUS_UNKNOWN_PROPERTY);
	/* Read-only. */
	EXPECT_HV_ERROR(__mshv_set_property(self->vm.fd,
					    HV_PARTITION_PROPERTY_PROCESSOR_CLOCK_FREQUENCY,
					    1, &st),
			st, HV_STATUS_ACCESS_DENIED);
	/* Out of range. */
	EXPECT_HV_ERROR(__mshv_set_property(self->vm.fd,
					    HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION,
					    2, &st),
			st, HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE);
	EXPECT_HV_ERROR(__mshv_set_property(self->vm.fd,
					    HV_PARTITION_PROPERTY_TIME_FREEZE,
					    2, &st),
			st, HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE);
	EXPECT_HV_ERROR(__mshv_set_property(self->vm.fd,
					    HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
					    1ULL << 12, &st),
			st, HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE);
	/* VMM capabilities exist only through the _EX call. */
	EXPECT_HV_ERROR(__mshv_get_property(self->vm.fd,
					    HV_PARTITION_PROPERTY_VMM_CAPABILITIES,
					    NULL, &st),
			st, HV_STATUS_UNKNOWN_PROPERTY);

	/* Early properties: fine before initialize, refused after. */
	mshv_set_property(self->vm.fd, HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS,
			  0x1234);
	EXPECT_EQ(0x1234ULL, mshv_get_property(self->vm.fd,
					       HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS));
	ASSERT_EQ(0, __mshv_initialize_partition(self->vm.fd));
	EXPECT_HV_ERROR(__mshv_set_property(self->vm.fd,
					    HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS,
					    1, &st),
			st, HV_STATUS_INVALID_PARTITION_STATE);
	EXPECT_HV_ERROR(__mshv_set_property(self->vm.fd,
					    HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
					    1, &st),
			st, HV_STATUS_INVALID_PARTITION_STATE);
	/* Late ones still work. */
	mshv_set_property(self->vm.fd,
			  HV_PARTITION_PROPERTY_GPA_PAGE_ACCESS_TRACKING, 1);
	EXPECT_EQ(1ULL, mshv_get_property(self->vm.fd,
					  HV_PARTITION_PROPERTY_GPA_PAGE_ACCESS_TRACKING));
}

TEST_F(iface, host_properties)
{
	struct hv_partition_property_assignable_synthetic_proc_features assignable;
	struct hv_partition_property_vmm_capabilities caps;
	__u64 v = 0;
	__u16 st = 0;
	int fd = self->vm.dev_fd;

	v = mshv_get_property(fd, HV_PARTITION_PROPERTY_PHYSICAL_ADDRESS_WIDTH);
	EXPECT_LE(32ULL, v);
	EXPECT_GE(52ULL, v);
	v = mshv_get_property(fd, HV_PARTITION_PROPERTY_XSAVE_STATES);
	EXPECT_EQ(3ULL, v & 3);
	v = mshv_get_property(fd, HV_PARTITION_PROPERTY_MAX_XSAVE_DATA_SIZE);
	EXPECT_LE(576ULL, v);
	EXPECT_NE(0ULL, mshv_get_property(fd,
					  HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0));
	EXPECT_NE(0ULL, mshv_get_property(fd,
					  HV_PARTITION_PROPERTY_PROCESSOR_CLOCK_FREQUENCY));

	memset(&caps, 0xff, sizeof(caps));
	ASSERT_EQ(0, get_property_ex(fd, HV_PARTITION_PROPERTY_VMM_CAPABILITIES,
				     &caps, sizeof(caps), &st));
	EXPECT_EQ(1, caps.bank_count);
	EXPECT_TRUE(!!(caps.bank0 &
		       HV_VMM_CAP_ASSIGNABLE_SYNTHETIC_PROC_FEATURES));
	memset(&assignable, 0xff, sizeof(assignable));
	ASSERT_EQ(0, get_property_ex(fd,
				     HV_PARTITION_PROPERTY_ASSIGNABLE_SYNTHETIC_PROC_FEATURES,
				     &assignable, sizeof(assignable), &st));
	EXPECT_EQ(1, assignable.bank_count);
	EXPECT_EQ(3ULL, assignable.banks[0] & 3);

	/* The root's own stored properties are not readable... */
	EXPECT_HV_ERROR(__mshv_get_property(fd,
					    HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS,
					    NULL, &st),
			st, HV_STATUS_ACCESS_DENIED);
}

/*
 * ASSIGNABLE_SYNTHETIC_PROC_FEATURES read the way rust-vmm's create_vm
 * reads it: code 0x00090009 (mshv-bindings, openvmm hvdef) through
 * GET_PARTITION_PROPERTY_EX; the output starts with a u16 bank count and
 * three reserved u16, and bank 0 is the u64 at byte offset 8.  The offsets
 * are written out here, not taken from our header.
 */
#define PUBLISHED_ASSIGNABLE_SYNTHETIC_PROC_FEATURES	0x00090009u

TEST_F(iface, assignable_features_published_layout)
{
	__u8 buf[32];
	__u16 count, st = 0, rsvd[3];
	__u64 bank0;
	unsigned int i;

	EXPECT_EQ(PUBLISHED_ASSIGNABLE_SYNTHETIC_PROC_FEATURES,
		  (__u32)HV_PARTITION_PROPERTY_ASSIGNABLE_SYNTHETIC_PROC_FEATURES);
	memset(buf, 0xa5, sizeof(buf));
	ASSERT_EQ(0, get_property_ex(self->vm.dev_fd,
				     PUBLISHED_ASSIGNABLE_SYNTHETIC_PROC_FEATURES,
				     buf, sizeof(buf), &st)) {
		TH_LOG("GET_PARTITION_PROPERTY_EX(0x%x): status 0x%x",
		       PUBLISHED_ASSIGNABLE_SYNTHETIC_PROC_FEATURES, st);
	}
	memcpy(&count, buf, sizeof(count));
	memcpy(rsvd, buf + 2, sizeof(rsvd));
	memcpy(&bank0, buf + 8, sizeof(bank0));
	EXPECT_EQ(1, count);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(0, rsvd[i]);
	/* hypervisor_present (bit 0) and hv1 (bit 1) can be assigned. */
	EXPECT_EQ(3ULL, bank0 & 3);
	/* Only the features in bank 0: no bit outside the 64 of one bank. */
	for (i = 16; i < sizeof(buf); i++)
		EXPECT_EQ(0, buf[i]);

	/* The same property is not readable without _EX. */
	EXPECT_HV_ERROR(__mshv_get_property(self->vm.dev_fd,
					    PUBLISHED_ASSIGNABLE_SYNTHETIC_PROC_FEATURES,
					    NULL, &st),
			st, HV_STATUS_UNKNOWN_PROPERTY);
}

TEST_F(iface, disabled_feature_banks)
{
	struct mshv_create_partition_v2 args;
	__u64 host0, child0;
	int fd, vp_fd;
	__u32 out[4];
	__u16 st;

	host0 = mshv_get_property(self->vm.dev_fd,
				  HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0);
	ASSERT_NE(0ULL, host0 & 1) TH_LOG("host has no SSE3?");
	EXPECT_EQ(host0, mshv_get_property(self->vm.fd,
					   HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0));

	mshv_partition_args(&args, true);
	args.pt_cpu_fbanks[0] = 1;		/* disable SSE3 */
	fd = __mshv_create_partition(self->vm.dev_fd, &args);
	ASSERT_LE(0, fd);
	child0 = mshv_get_property(fd, HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0);
	EXPECT_EQ(host0 & ~1ULL, child0);

	ASSERT_EQ(0, __mshv_initialize_partition(fd));
	vp_fd = __mshv_create_vp(fd, 0);
	ASSERT_LE(0, vp_fd);
	ASSERT_EQ(0, cpuid_values(fd, 0, 0, 1, 0, out, &st));
	EXPECT_EQ(0U, out[2] & 1);		/* CPUID.1:ECX.SSE3 */
	close(vp_fd);
	close(fd);
}

TEST_F(iface, time_freeze_and_reference_time)
{
	__u64 t1, t2;
	__u16 st = 0;
	int i;

	ASSERT_EQ(0, __mshv_initialize_partition(self->vm.fd));
	EXPECT_HV_ERROR(__mshv_set_property(self->vm.fd,
					    HV_PARTITION_PROPERTY_REFERENCE_TIME,
					    5, &st),
			st, HV_STATUS_INVALID_PARTITION_STATE);

	mshv_set_property(self->vm.fd, HV_PARTITION_PROPERTY_TIME_FREEZE, 1);
	EXPECT_EQ(1ULL, mshv_get_property(self->vm.fd,
					  HV_PARTITION_PROPERTY_TIME_FREEZE));
	mshv_set_property(self->vm.fd, HV_PARTITION_PROPERTY_REFERENCE_TIME,
			  1000000);
	t1 = mshv_get_property(self->vm.fd, HV_PARTITION_PROPERTY_REFERENCE_TIME);
	t2 = mshv_get_property(self->vm.fd, HV_PARTITION_PROPERTY_REFERENCE_TIME);
	EXPECT_EQ(1000000ULL, t1);
	EXPECT_EQ(t1, t2);

	/* Thawed, the clock moves on from where it was set. */
	mshv_set_property(self->vm.fd, HV_PARTITION_PROPERTY_TIME_FREEZE, 0);
	for (i = 0; i < 1000000; i++) {
		t2 = mshv_get_property(self->vm.fd,
				       HV_PARTITION_PROPERTY_REFERENCE_TIME);
		if (t2 > t1)
			break;
	}
	EXPECT_LT(t1, t2);
}

TEST_F(iface, async_synthetic_features)
{
	const char *count = HVSIM_DEBUGFS_DIR "/async_completions";
	long long before = read_num_file(count);
	__u16 st = 0xffff;
	int ret;

	if (before < 0)
		SKIP(return, "no %s", count);
	ret = __mshv_set_property(self->vm.fd,
				  HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
				  HV_SYNTHETIC_PROC_FEATURE_HYPERVISOR_PRESENT |
				  HV_SYNTHETIC_PROC_FEATURE_HV1, &st);
	ASSERT_EQ(0, ret) TH_LOG("errno %d status 0x%x", errno, st);
	/*
	 * The hypervisor answered CALL_PENDING and posted exactly one
	 * completion message; the ioctl returned that message's status.
	 */
	EXPECT_EQ(HV_STATUS_SUCCESS, st);
	EXPECT_EQ(before + 1, read_num_file(count));
	EXPECT_EQ(3ULL, mshv_get_property(self->vm.fd,
					  HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES));
}

TEST_HARNESS_MAIN
