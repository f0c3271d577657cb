// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the uAPI argument checks of mshv_root: partition creation
 * (v1 and v2), guest memory regions, MSHV_ROOT_HVCALL and VP state.  The
 * checks are pure functions on the user structs, called by the ioctls
 * after copy_from_user().  Part of mshv_root_kunit
 * (CONFIG_MSHV_ROOT_KUNIT_TEST).
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <uapi/linux/mshv.h>

#include "mshv_root.h"

static void mshv_create_v1(struct kunit *test)
{
	u64 bit;

	KUNIT_EXPECT_EQ(test, mshv_create_check_v1(0, MSHV_PT_ISOLATION_NONE),
			0);
	KUNIT_EXPECT_EQ(test, mshv_create_check_v1(MSHV_PT_FLAGS_MASK, 0), 0);
	for (bit = MSHV_PT_BIT_COUNT; bit < 64; bit++)
		KUNIT_EXPECT_EQ(test, mshv_create_check_v1(BIT_ULL(bit), 0),
				-EINVAL);
	KUNIT_EXPECT_EQ(test, mshv_create_check_v1(0, MSHV_PT_ISOLATION_COUNT),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, mshv_create_check_v1(0, U64_MAX), -EINVAL);
	KUNIT_EXPECT_EQ(test, mshv_create_check_v1(0, 1ULL << 32), -EINVAL);
}

static void mshv_create_v2_fill(struct mshv_create_partition_v2 *a)
{
	memset(a, 0, sizeof(*a));
	a->pt_flags = BIT(MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES) |
		      BIT(MSHV_PT_BIT_LAPIC);
	a->pt_num_cpu_fbanks = MSHV_NUM_CPU_FEATURES_BANKS;
}

static void mshv_create_v2(struct kunit *test)
{
	struct mshv_create_partition_v2 a;
	u64 flags, other;
	unsigned int i;

	mshv_create_v2_fill(&a);
	flags = a.pt_flags;
	KUNIT_EXPECT_EQ(test, mshv_create_check_v2(&a, flags), 0);

	/* The flags may not change between the two reads. */
	other = flags | BIT(MSHV_PT_BIT_X2APIC);
	KUNIT_EXPECT_EQ(test, mshv_create_check_v2(&a, other), -EINVAL);
	other = BIT(MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES);
	KUNIT_EXPECT_EQ(test, mshv_create_check_v2(&a, other), -EINVAL);

	a.pt_num_cpu_fbanks = 0;
	KUNIT_EXPECT_EQ(test, mshv_create_check_v2(&a, flags), 0);
	a.pt_num_cpu_fbanks = MSHV_NUM_CPU_FEATURES_BANKS + 1;
	KUNIT_EXPECT_EQ(test, mshv_create_check_v2(&a, flags), -EINVAL);
	a.pt_num_cpu_fbanks = U16_MAX;
	KUNIT_EXPECT_EQ(test, mshv_create_check_v2(&a, flags), -EINVAL);

	mshv_create_v2_fill(&a);
	a.pt_isolation = MSHV_PT_ISOLATION_COUNT;
	KUNIT_EXPECT_EQ(test, mshv_create_check_v2(&a, flags), -EINVAL);

	for (i = 0; i < sizeof(a.pt_rsvd); i++) {
		mshv_create_v2_fill(&a);
		a.pt_rsvd[i] = 0x80;
		KUNIT_EXPECT_EQ(test, mshv_create_check_v2(&a, flags), -EINVAL);
	}
	for (i = 0; i < ARRAY_SIZE(a.pt_rsvd1); i++) {
		mshv_create_v2_fill(&a);
		a.pt_rsvd1[i] = 1ULL << 63;
		KUNIT_EXPECT_EQ(test, mshv_create_check_v2(&a, flags), -EINVAL);
	}
}

static void mshv_create_input_v1(struct kunit *test)
{
	struct mshv_create_partition_v2 a = {};
	struct hv_input_create_partition in;
	unsigned int i;

	memset(&in, 0xa5, sizeof(in));
	a.pt_flags = BIT(MSHV_PT_BIT_LAPIC) | BIT(MSHV_PT_BIT_X2APIC);
	/* Beyond the v1 part: must be ignored without the v2 flag. */
	a.pt_num_cpu_fbanks = 1;
	a.pt_cpu_fbanks[0] = 0x1234;
	mshv_create_input(&a, &in);
	KUNIT_EXPECT_TRUE(test, in.flags &
			  HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED);
	KUNIT_EXPECT_TRUE(test, in.flags &
			  HV_PARTITION_CREATION_FLAG_X2APIC_CAPABLE);
	KUNIT_EXPECT_TRUE(test, in.flags &
			  HV_PARTITION_CREATION_FLAG_EXO_PARTITION);
	KUNIT_EXPECT_FALSE(test, in.flags &
			   HV_PARTITION_CREATION_FLAG_SMT_ENABLED_GUEST);
	KUNIT_EXPECT_EQ(test, in.isolation_properties,
			(u64)HV_PARTITION_ISOLATION_TYPE_NONE);
	/* v1 disables no processor feature. */
	for (i = 0; i < HV_PARTITION_PROCESSOR_FEATURES_BANKS; i++)
		KUNIT_EXPECT_EQ(test, in.partition_creation_properties
				.disabled_processor_features[i], 0ULL);
	KUNIT_EXPECT_EQ(test, in.partition_creation_properties
			.disabled_processor_xsave_features, 0ULL);
}

static void mshv_create_input_v2(struct kunit *test)
{
	struct mshv_create_partition_v2 a;
	struct hv_input_create_partition in;
	struct hv_partition_creation_properties *p =
		&in.partition_creation_properties;
	unsigned int i;

	mshv_create_v2_fill(&a);
	a.pt_flags |= BIT(MSHV_PT_BIT_SMT_ENABLED_GUEST);
	a.pt_num_cpu_fbanks = 1;
	a.pt_cpu_fbanks[0] = 0x1234;
	a.pt_cpu_fbanks[1] = 0x5678;	/* not counted: ignored */
	a.pt_disabled_xsave = 0x40;
	mshv_create_input(&a, &in);
	KUNIT_EXPECT_TRUE(test, in.flags &
			  HV_PARTITION_CREATION_FLAG_SMT_ENABLED_GUEST);
	KUNIT_EXPECT_FALSE(test, in.flags &
			   HV_PARTITION_CREATION_FLAG_X2APIC_CAPABLE);
	KUNIT_EXPECT_EQ(test, p->disabled_processor_features[0], 0x1234ULL);
	/* Banks the VMM did not give are disabled entirely. */
	for (i = 1; i < HV_PARTITION_PROCESSOR_FEATURES_BANKS; i++)
		KUNIT_EXPECT_EQ(test, p->disabled_processor_features[i],
				U64_MAX);
	KUNIT_EXPECT_EQ(test, p->disabled_processor_xsave_features, 0x40ULL);
}

static void mshv_mem_fill(struct mshv_user_mem_region *r)
{
	memset(r, 0, sizeof(*r));
	r->size = 16 * PAGE_SIZE;
	r->guest_pfn = 0x100;
	r->userspace_addr = 0x7f0000000000ULL;
	r->flags = BIT(MSHV_SET_MEM_BIT_WRITABLE);
}

static void mshv_mem_checks(struct kunit *test)
{
	struct mshv_user_mem_region r;
	unsigned int i;

	mshv_mem_fill(&r);
	KUNIT_EXPECT_EQ(test, mshv_mem_region_check(&r, U64_MAX), 0);
	r.flags = MSHV_SET_MEM_FLAGS_MASK;
	KUNIT_EXPECT_EQ(test, mshv_mem_region_check(&r, U64_MAX), 0);

	for (i = MSHV_SET_MEM_BIT_COUNT; i < 8; i++) {
		mshv_mem_fill(&r);
		r.flags = BIT(i);
		KUNIT_EXPECT_EQ(test, mshv_mem_region_check(&r, U64_MAX), -EINVAL);
	}
	for (i = 0; i < sizeof(r.rsvd); i++) {
		mshv_mem_fill(&r);
		r.rsvd[i] = 1;
		KUNIT_EXPECT_EQ(test, mshv_mem_region_check(&r, U64_MAX), -EINVAL);
	}

	mshv_mem_fill(&r);
	r.size = 0;
	KUNIT_EXPECT_EQ(test, mshv_mem_region_check(&r, U64_MAX), -EINVAL);
	r.size = PAGE_SIZE + 1;
	KUNIT_EXPECT_EQ(test, mshv_mem_region_check(&r, U64_MAX), -EINVAL);
	r.size = PAGE_SIZE / 2;
	KUNIT_EXPECT_EQ(test, mshv_mem_region_check(&r, U64_MAX), -EINVAL);

	mshv_mem_fill(&r);
	r.userspace_addr += 8;
	KUNIT_EXPECT_EQ(test, mshv_mem_region_check(&r, U64_MAX), -EINVAL);
}

static void mshv_mem_wrap(struct kunit *test)
{
	struct mshv_user_mem_region r;

	/* The last frame of the GPA space fits, one more wraps. */
	mshv_mem_fill(&r);
	r.size = PAGE_SIZE;
	r.guest_pfn = U64_MAX - 1;
	KUNIT_EXPECT_EQ(test, mshv_mem_region_check(&r, U64_MAX), 0);
	r.guest_pfn = U64_MAX;
	KUNIT_EXPECT_EQ(test, mshv_mem_region_check(&r, U64_MAX), -EINVAL);
	r.guest_pfn = U64_MAX - 1;
	r.size = 2 * PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, mshv_mem_region_check(&r, U64_MAX), -EINVAL);

	/* User ranges that wrap around the address space. */
	mshv_mem_fill(&r);
	r.userspace_addr = U64_MAX & PAGE_MASK;
	r.size = PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, mshv_mem_region_check(&r, U64_MAX), -EINVAL);
	r.userspace_addr = PAGE_SIZE;
	r.size = U64_MAX & PAGE_MASK;
	KUNIT_EXPECT_EQ(test, mshv_mem_region_check(&r, U64_MAX), -EINVAL);
}

static void mshv_mem_bounds(struct kunit *test)
{
	struct mshv_user_mem_region r;

	/* The frames may end at the limit, not one past it. */
	mshv_mem_fill(&r);
	r.guest_pfn = MSHV_GFN_LIMIT - 16;
	KUNIT_EXPECT_EQ(test, mshv_mem_region_check(&r, MSHV_GFN_LIMIT), 0);
	r.guest_pfn++;
	KUNIT_EXPECT_EQ(test, mshv_mem_region_check(&r, MSHV_GFN_LIMIT),
			-EINVAL);
	r.guest_pfn = 0x100;
	KUNIT_EXPECT_EQ(test, mshv_mem_region_check(&r, 0x110), 0);
	KUNIT_EXPECT_EQ(test, mshv_mem_region_check(&r, 0x10f), -EINVAL);
	/* All of 52-bit GPA space fits the architectural limit, no more. */
	r.guest_pfn = 0;
	r.size = 1ULL << 52;
	r.userspace_addr = 0;
	KUNIT_EXPECT_EQ(test, mshv_mem_region_check(&r, MSHV_GFN_LIMIT),
			r.size <= TASK_SIZE_MAX ? 0 : -EINVAL);
	r.guest_pfn = 1;
	KUNIT_EXPECT_EQ(test, mshv_mem_region_check(&r, MSHV_GFN_LIMIT),
			-EINVAL);

	/* User ranges must stay in the user address space. */
	mshv_mem_fill(&r);
	r.userspace_addr = TASK_SIZE_MAX - r.size - PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, mshv_mem_region_check(&r, U64_MAX), 0);
	r.userspace_addr += 2 * PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, mshv_mem_region_check(&r, U64_MAX), -EINVAL);
	r.userspace_addr = PAGE_SIZE;
	r.size = TASK_SIZE_MAX;
	KUNIT_EXPECT_EQ(test, mshv_mem_region_check(&r, U64_MAX), -EINVAL);
	/* A kernel address is no user address. */
	r.userspace_addr = PAGE_OFFSET;
	r.size = PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, mshv_mem_region_check(&r, U64_MAX), -EINVAL);
}

static void mshv_hvcall_fill(struct mshv_root_hvcall *h, u16 code)
{
	memset(h, 0, sizeof(*h));
	h->code = code;
	h->in_sz = 16;
	h->out_sz = 8;
	h->in_ptr = 0x10000;
	h->out_ptr = 0x20000;
}

static void mshv_hvcall_allowlist(struct kunit *test)
{
	struct mshv_root_hvcall h;

	mshv_hvcall_fill(&h, HVCALL_GET_PARTITION_PROPERTY);
	KUNIT_EXPECT_EQ(test, mshv_passthru_validate(&h, false), 0);
	KUNIT_EXPECT_EQ(test, mshv_passthru_validate(&h, true), 0);

	/* On a partition only; the root may not post to itself. */
	mshv_hvcall_fill(&h, HVCALL_POST_MESSAGE_DIRECT);
	KUNIT_EXPECT_EQ(test, mshv_passthru_validate(&h, false), 0);
	KUNIT_EXPECT_EQ(test, mshv_passthru_validate(&h, true), -EINVAL);
	mshv_hvcall_fill(&h, HVCALL_GET_PARTITION_PROPERTY_EX);
	KUNIT_EXPECT_EQ(test, mshv_passthru_validate(&h, false), 0);
	KUNIT_EXPECT_EQ(test, mshv_passthru_validate(&h, true), 0);
	mshv_hvcall_fill(&h, HVCALL_GET_VP_CPUID_VALUES);
	KUNIT_EXPECT_EQ(test, mshv_passthru_validate(&h, false), 0);

	/* Calls the driver issues itself are never passed through. */
	mshv_hvcall_fill(&h, HVCALL_DEPOSIT_MEMORY);
	KUNIT_EXPECT_EQ(test, mshv_passthru_validate(&h, false), -EINVAL);
	mshv_hvcall_fill(&h, HVCALL_DELETE_PARTITION);
	KUNIT_EXPECT_EQ(test, mshv_passthru_validate(&h, false), -EINVAL);
	mshv_hvcall_fill(&h, HVCALL_MAP_GPA_PAGES);
	KUNIT_EXPECT_EQ(test, mshv_passthru_validate(&h, false), -EINVAL);
	mshv_hvcall_fill(&h, 0);
	KUNIT_EXPECT_EQ(test, mshv_passthru_validate(&h, false), -EINVAL);
	mshv_hvcall_fill(&h, 0xffff);
	KUNIT_EXPECT_EQ(test, mshv_passthru_validate(&h, false), -EINVAL);
}

static void mshv_hvcall_args(struct kunit *test)
{
	struct mshv_root_hvcall h;
	unsigned int i;
	u16 code = HVCALL_SET_VP_REGISTERS;

	mshv_hvcall_fill(&h, code);
	h.in_sz = 8;
	KUNIT_EXPECT_EQ(test, mshv_passthru_validate(&h, false), 0);
	h.in_sz = 7;
	KUNIT_EXPECT_EQ(test, mshv_passthru_validate(&h, false), -EINVAL);
	h.in_sz = 0;
	KUNIT_EXPECT_EQ(test, mshv_passthru_validate(&h, false), -EINVAL);
	h.in_sz = MSHV_HV_PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, mshv_passthru_validate(&h, false), 0);
	h.in_sz = MSHV_HV_PAGE_SIZE + 1;
	KUNIT_EXPECT_EQ(test, mshv_passthru_validate(&h, false), -EINVAL);

	mshv_hvcall_fill(&h, code);
	h.out_sz = MSHV_HV_PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, mshv_passthru_validate(&h, false), 0);
	h.out_sz = MSHV_HV_PAGE_SIZE + 1;
	KUNIT_EXPECT_EQ(test, mshv_passthru_validate(&h, false), -EINVAL);

	/* Output size without a buffer; a missing input buffer. */
	mshv_hvcall_fill(&h, code);
	h.out_ptr = 0;
	KUNIT_EXPECT_EQ(test, mshv_passthru_validate(&h, false), -EINVAL);
	h.out_sz = 0;
	KUNIT_EXPECT_EQ(test, mshv_passthru_validate(&h, false), 0);
	h.in_ptr = 0;
	KUNIT_EXPECT_EQ(test, mshv_passthru_validate(&h, false), -EINVAL);

	/* status is output only; reps within the control word field. */
	mshv_hvcall_fill(&h, code);
	h.status = 1;
	KUNIT_EXPECT_EQ(test, mshv_passthru_validate(&h, false), -EINVAL);
	mshv_hvcall_fill(&h, code);
	h.reps = HV_HYPERCALL_REP_MAX;
	KUNIT_EXPECT_EQ(test, mshv_passthru_validate(&h, false), 0);
	h.reps = HV_HYPERCALL_REP_MAX + 1;
	KUNIT_EXPECT_EQ(test, mshv_passthru_validate(&h, false), -EINVAL);

	for (i = 0; i < sizeof(h.rsvd); i++) {
		mshv_hvcall_fill(&h, code);
		h.rsvd[i] = 0xff;
		KUNIT_EXPECT_EQ(test, mshv_passthru_validate(&h, false),
				-EINVAL);
	}
}

static void mshv_vp_state_args(struct kunit *test)
{
	struct mshv_get_set_vp_state s = {
		.type = MSHV_VP_STATE_LAPIC,
		.buf_sz = PAGE_SIZE,
		.buf_ptr = 0x7f0000001000ULL,
	};
	unsigned int i;

	KUNIT_EXPECT_EQ(test, mshv_vp_state_check(&s), 0);
	s.type = MSHV_VP_STATE_SYNTHETIC_TIMERS;
	KUNIT_EXPECT_EQ(test, mshv_vp_state_check(&s), 0);
	s.type = MSHV_VP_STATE_COUNT;
	KUNIT_EXPECT_EQ(test, mshv_vp_state_check(&s), -EINVAL);
	s.type = 0xff;
	KUNIT_EXPECT_EQ(test, mshv_vp_state_check(&s), -EINVAL);

	s.type = MSHV_VP_STATE_XSAVE;
	for (i = 0; i < sizeof(s.rsvd); i++) {
		s.rsvd[i] = 1;
		KUNIT_EXPECT_EQ(test, mshv_vp_state_check(&s), -EINVAL);
		s.rsvd[i] = 0;
	}
	s.buf_sz = 0;
	KUNIT_EXPECT_EQ(test, mshv_vp_state_check(&s), -EINVAL);
	s.buf_sz = PAGE_SIZE - 8;
	KUNIT_EXPECT_EQ(test, mshv_vp_state_check(&s), -EINVAL);
	s.buf_sz = 3 * PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, mshv_vp_state_check(&s), 0);
	s.buf_ptr += 64;
	KUNIT_EXPECT_EQ(test, mshv_vp_state_check(&s), -EINVAL);
}

static struct kunit_case mshv_uapi_cases[] = {
	KUNIT_CASE(mshv_create_v1),
	KUNIT_CASE(mshv_create_v2),
	KUNIT_CASE(mshv_create_input_v1),
	KUNIT_CASE(mshv_create_input_v2),
	KUNIT_CASE(mshv_mem_checks),
	KUNIT_CASE(mshv_mem_wrap),
	KUNIT_CASE(mshv_mem_bounds),
	KUNIT_CASE(mshv_hvcall_allowlist),
	KUNIT_CASE(mshv_hvcall_args),
	KUNIT_CASE(mshv_vp_state_args),
	{}
};

static struct kunit_suite mshv_uapi_suite = {
	.name = "mshv_uapi",
	.test_cases = mshv_uapi_cases,
};

kunit_test_suite(mshv_uapi_suite);
