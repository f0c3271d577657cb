// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the pure hypercall helpers of mshv_root: control word
 * encoding, result decoding, status to errno mapping and batching.
 * Part of mshv_root_kunit (CONFIG_MSHV_ROOT_KUNIT_TEST), whose module
 * information is here.
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/module.h>
#include <linux/string.h>

#include "mshv_hvcall.h"

static void mshv_control_simple(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mshv_hvcall_control(HVCALL_CREATE_PARTITION,
						  false, 0, 0, 0),
			0x40ULL);
	KUNIT_EXPECT_EQ(test, mshv_hvcall_control(HVCALL_INITIALIZE_PARTITION,
						  true, 0, 0, 0),
			0x41ULL | BIT_ULL(16));
}

static void mshv_control_rep(struct kunit *test)
{
	u64 c = mshv_hvcall_control(HVCALL_MAP_GPA_PAGES, false, 0, 509, 7);

	KUNIT_EXPECT_EQ(test, c & 0xffff, (u64)HVCALL_MAP_GPA_PAGES);
	KUNIT_EXPECT_EQ(test, (c >> 32) & 0xfff, 509ULL);
	KUNIT_EXPECT_EQ(test, (c >> 48) & 0xfff, 7ULL);
	KUNIT_EXPECT_EQ(test, c & HV_HYPERCALL_RSVD_MASK, 0ULL);
	KUNIT_EXPECT_EQ(test, c & HV_HYPERCALL_FAST_BIT, 0ULL);
}

static void mshv_control_varhead(struct kunit *test)
{
	u64 c = mshv_hvcall_control(HVCALL_GET_VP_REGISTERS, false, 3, 1, 0);

	KUNIT_EXPECT_EQ(test, (c >> 17) & 0x3ff, 3ULL);
	/* Oversized fields never spill into reserved bits. */
	c = mshv_hvcall_control(0xffff, true, ~0U, ~0U, ~0U);
	KUNIT_EXPECT_EQ(test, c & HV_HYPERCALL_RSVD_MASK, 0ULL);
}

static void mshv_result_decode(struct kunit *test)
{
	u64 r = (123ULL << 32) | HV_STATUS_INSUFFICIENT_MEMORY |
		(0xabcdULL << 16);

	KUNIT_EXPECT_EQ(test, mshv_hvcall_status(r),
			(u16)HV_STATUS_INSUFFICIENT_MEMORY);
	KUNIT_EXPECT_EQ(test, mshv_hvcall_reps_done(r), 123U);
	KUNIT_EXPECT_EQ(test, mshv_hvcall_reps_done(0xfffULL << 32), 0xfffU);
	KUNIT_EXPECT_EQ(test, mshv_hvcall_reps_done(1ULL << 44), 0U);
}

static void mshv_errno_map(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mshv_hvcall_errno(HV_STATUS_SUCCESS), 0);
	KUNIT_EXPECT_EQ(test, mshv_hvcall_errno(5ULL << 32), 0);
	KUNIT_EXPECT_EQ(test, mshv_hvcall_errno(HV_STATUS_INVALID_PARAMETER),
			-EINVAL);
	KUNIT_EXPECT_EQ(test,
			mshv_hvcall_errno(HV_STATUS_INSUFFICIENT_MEMORY),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, mshv_hvcall_errno(HV_STATUS_ACCESS_DENIED),
			-EIO);
	KUNIT_EXPECT_EQ(test, mshv_hvcall_errno(HV_STATUS_INVALID_LP_INDEX),
			-EINVAL);
	KUNIT_EXPECT_EQ(test,
			mshv_hvcall_errno(HV_STATUS_INVALID_REGISTER_VALUE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, mshv_hvcall_errno(HV_STATUS_CALL_PENDING), -EIO);
	KUNIT_EXPECT_EQ(test,
			mshv_hvcall_errno(HV_STATUS_INSUFFICIENT_ROOT_MEMORY),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test,
			mshv_hvstatus_errno(HV_STATUS_INSUFFICIENT_CONTIGUOUS_MEMORY),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test,
			mshv_hvstatus_errno(HV_STATUS_INSUFFICIENT_CONTIGUOUS_ROOT_MEMORY),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, mshv_hvcall_errno(0x1234), -EIO);
	KUNIT_EXPECT_EQ(test, mshv_hvcall_errno(U64_MAX), -EOPNOTSUPP);
}

/* Every status that asks for memory, and only those, with its kind. */
static void mshv_deposit_kinds(struct kunit *test)
{
	unsigned int status;
	int kind;

	KUNIT_EXPECT_EQ(test,
			mshv_hvstatus_deposit_kind(HV_STATUS_INSUFFICIENT_MEMORY),
			0);
	KUNIT_EXPECT_EQ(test,
			mshv_hvstatus_deposit_kind(HV_STATUS_INSUFFICIENT_ROOT_MEMORY),
			MSHV_DEPOSIT_ROOT);
	KUNIT_EXPECT_EQ(test,
			mshv_hvstatus_deposit_kind(HV_STATUS_INSUFFICIENT_CONTIGUOUS_MEMORY),
			MSHV_DEPOSIT_CONTIGUOUS);
	KUNIT_EXPECT_EQ(test,
			mshv_hvstatus_deposit_kind(HV_STATUS_INSUFFICIENT_CONTIGUOUS_ROOT_MEMORY),
			MSHV_DEPOSIT_ROOT | MSHV_DEPOSIT_CONTIGUOUS);
	/* A status that asks for memory is ENOMEM once the retries ran out. */
	for (status = 0; status <= U16_MAX; status++) {
		kind = mshv_hvstatus_deposit_kind(status);
		KUNIT_EXPECT_EQ(test, mshv_hvstatus_needs_memory(status),
				kind >= 0);
		if (kind >= 0)
			KUNIT_EXPECT_EQ(test, mshv_hvstatus_errno(status),
					-ENOMEM);
	}
	KUNIT_EXPECT_FALSE(test,
			   mshv_hvstatus_needs_memory(HV_STATUS_INSUFFICIENT_BUFFERS));
	KUNIT_EXPECT_FALSE(test, mshv_hvstatus_needs_memory(HV_STATUS_SUCCESS));
}

static void mshv_batching(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mshv_hvcall_batch(1000, 0, MSHV_MAP_GPA_BATCH),
			509U);
	KUNIT_EXPECT_EQ(test, mshv_hvcall_batch(1000, 509, MSHV_MAP_GPA_BATCH),
			491U);
	KUNIT_EXPECT_EQ(test, mshv_hvcall_batch(1000, 1000, 509), 0U);
	KUNIT_EXPECT_EQ(test, mshv_hvcall_batch(10, 20, 509), 0U);
	KUNIT_EXPECT_EQ(test, mshv_hvcall_batch(U64_MAX, 0, 512), 512U);
	/* The batches fit one 4 KiB page. */
	KUNIT_EXPECT_LE(test, 24 + MSHV_MAP_GPA_BATCH * 8, 4096);
	KUNIT_EXPECT_LE(test, 8 + MSHV_DEPOSIT_BATCH * 8, 4096);
	KUNIT_EXPECT_LE(test, 16 + MSHV_SET_REGS_BATCH * 32, 4096);
	KUNIT_EXPECT_LE(test, MSHV_GET_REGS_BATCH * 16, 4096);
}

static void mshv_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, mshv_hvcall_name(HVCALL_DISPATCH_VP),
			   "DISPATCH_VP");
	KUNIT_EXPECT_STREQ(test, mshv_hvcall_name(0xfffe), "unknown");
}

static struct kunit_case mshv_hvcall_cases[] = {
	KUNIT_CASE(mshv_control_simple),
	KUNIT_CASE(mshv_control_rep),
	KUNIT_CASE(mshv_control_varhead),
	KUNIT_CASE(mshv_result_decode),
	KUNIT_CASE(mshv_errno_map),
	KUNIT_CASE(mshv_deposit_kinds),
	KUNIT_CASE(mshv_batching),
	KUNIT_CASE(mshv_names),
	{}
};

static struct kunit_suite mshv_hvcall_suite = {
	.name = "mshv_hvcall",
	.test_cases = mshv_hvcall_cases,
};

kunit_test_suite(mshv_hvcall_suite);

MODULE_DESCRIPTION("KUnit tests of mshv_root");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
