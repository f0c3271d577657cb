// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the MSHV_IOEVENTFD argument check: what is refused with
 * which errno (as upstream), and the doorbell trigger flags an accepted
 * argument turns into.  Part of mshv_root_kunit
 * (CONFIG_MSHV_ROOT_KUNIT_TEST).
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <uapi/linux/mshv.h>

#include "mshv_root.h"

#define DM	BIT(MSHV_IOEVENTFD_BIT_DATAMATCH)

static void mshv_ioeventfd_lengths(struct kunit *test)
{
	static const struct {
		u32 len;
		u64 size;
	} ok[] = {
		{ 0, HV_DOORBELL_FLAG_TRIGGER_SIZE_ANY },
		{ 1, HV_DOORBELL_FLAG_TRIGGER_SIZE_BYTE },
		{ 2, HV_DOORBELL_FLAG_TRIGGER_SIZE_WORD },
		{ 4, HV_DOORBELL_FLAG_TRIGGER_SIZE_DWORD },
		{ 8, HV_DOORBELL_FLAG_TRIGGER_SIZE_QWORD },
	};
	struct mshv_user_ioeventfd a = { .addr = 0xd0000000 };
	unsigned int i;
	u64 flags;

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		a.len = ok[i].len;
		a.flags = 0;
		flags = 0;
		KUNIT_EXPECT_EQ(test, mshv_ioeventfd_check(&a, &flags), 0);
		KUNIT_EXPECT_EQ(test, flags, ok[i].size |
				HV_DOORBELL_FLAG_TRIGGER_ANY_VALUE);
		a.flags = DM;
		KUNIT_EXPECT_EQ(test, mshv_ioeventfd_check(&a, &flags), 0);
		KUNIT_EXPECT_EQ(test, flags, ok[i].size);
	}
	for (a.len = 0; a.len <= 64; a.len++) {
		if (a.len == 0 || a.len == 1 || a.len == 2 || a.len == 4 ||
		    a.len == 8)
			continue;
		KUNIT_EXPECT_EQ(test, mshv_ioeventfd_check(&a, &flags),
				-EINVAL);
	}
	a.len = U32_MAX;
	KUNIT_EXPECT_EQ(test, mshv_ioeventfd_check(&a, &flags), -EINVAL);
}

static void mshv_ioeventfd_refused(struct kunit *test)
{
	struct mshv_user_ioeventfd a = { .addr = 0xd0000000, .len = 4 };
	unsigned int i, bit;
	u64 flags;

	for (bit = MSHV_IOEVENTFD_BIT_COUNT; bit < 32; bit++) {
		a.flags = BIT(bit);
		KUNIT_EXPECT_EQ(test, mshv_ioeventfd_check(&a, &flags),
				-EINVAL);
	}
	a.flags = 0;
	for (i = 0; i < sizeof(a.rsvd); i++) {
		a.rsvd[i] = 0x80;
		KUNIT_EXPECT_EQ(test, mshv_ioeventfd_check(&a, &flags),
				-EINVAL);
		a.rsvd[i] = 0;
	}
	/* Port I/O: not supported, assigning or not. */
	a.flags = BIT(MSHV_IOEVENTFD_BIT_PIO);
	KUNIT_EXPECT_EQ(test, mshv_ioeventfd_check(&a, &flags), -EOPNOTSUPP);
	a.flags |= BIT(MSHV_IOEVENTFD_BIT_DEASSIGN);
	KUNIT_EXPECT_EQ(test, mshv_ioeventfd_check(&a, &flags), -EOPNOTSUPP);

	/*
	 * A range whose end (addr + len) wraps, as upstream checks it: even
	 * one ending on the last byte of the space.
	 */
	a.flags = 0;
	a.addr = U64_MAX - 2;
	KUNIT_EXPECT_EQ(test, mshv_ioeventfd_check(&a, &flags), -EINVAL);
	a.addr = U64_MAX - 3;
	KUNIT_EXPECT_EQ(test, mshv_ioeventfd_check(&a, &flags), -EINVAL);
	a.addr = U64_MAX - 4;
	KUNIT_EXPECT_EQ(test, mshv_ioeventfd_check(&a, &flags), 0);

	/* Deassign only checks flags and reserved bytes. */
	a.flags = BIT(MSHV_IOEVENTFD_BIT_DEASSIGN);
	a.len = 3;
	a.addr = U64_MAX;
	KUNIT_EXPECT_EQ(test, mshv_ioeventfd_check(&a, &flags), 0);
	a.rsvd[3] = 1;
	KUNIT_EXPECT_EQ(test, mshv_ioeventfd_check(&a, &flags), -EINVAL);
}

static struct kunit_case mshv_ioeventfd_cases[] = {
	KUNIT_CASE(mshv_ioeventfd_lengths),
	KUNIT_CASE(mshv_ioeventfd_refused),
	{}
};

static struct kunit_suite mshv_ioeventfd_suite = {
	.name = "mshv_ioeventfd",
	.test_cases = mshv_ioeventfd_cases,
};

kunit_test_suite(mshv_ioeventfd_suite);
