// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of movable regions' pure parts: which window of frames a
 * GPA intercept faults in, and when a window's host frames can be mapped
 * as one 2 MiB page.  Part of mshv_root_kunit
 * (CONFIG_MSHV_ROOT_KUNIT_TEST).
 */

#include <kunit/test.h>

#include "mshv_root.h"

#define LARGE	HV_HYP_PAGES_PER_LARGE_PAGE

/* Windows are 2 MiB aligned and clamped to the region at both ends. */
static void mshv_movable_windows(struct kunit *test)
{
	struct mshv_mem_region mr = {
		.start_gfn = LARGE - 3,		/* 3 frames before a boundary */
		.nr_pages = 3 + 2 * LARGE + 5,	/* ... and 5 after the last */
	};
	u64 from;

	/* Head: the 3 frames before the first boundary. */
	KUNIT_EXPECT_EQ(test, mshv_movable_window(&mr, LARGE - 1, &from), 3);
	KUNIT_EXPECT_EQ(test, from, 0);
	/* A full window, whichever of its frames is accessed. */
	KUNIT_EXPECT_EQ(test, mshv_movable_window(&mr, LARGE, &from), LARGE);
	KUNIT_EXPECT_EQ(test, from, 3);
	KUNIT_EXPECT_EQ(test, mshv_movable_window(&mr, 3 * LARGE - 1, &from),
			LARGE);
	KUNIT_EXPECT_EQ(test, from, 3 + LARGE);
	/* Tail: the last 5 frames. */
	KUNIT_EXPECT_EQ(test, mshv_movable_window(&mr, 3 * LARGE + 4, &from),
			5);
	KUNIT_EXPECT_EQ(test, from, 3 + 2 * LARGE);
}

static void mshv_movable_large(struct kunit *test)
{
	u64 *pfns = kunit_kcalloc(test, LARGE, sizeof(*pfns), GFP_KERNEL);
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, pfns);
	for (i = 0; i < LARGE; i++)
		pfns[i] = 7 * LARGE + i;
	KUNIT_EXPECT_TRUE(test, mshv_movable_window_large(pfns, LARGE, LARGE));
	/* A short window or an unaligned guest frame never is. */
	KUNIT_EXPECT_FALSE(test,
			   mshv_movable_window_large(pfns, LARGE - 1, LARGE));
	KUNIT_EXPECT_FALSE(test, mshv_movable_window_large(pfns, LARGE, 1));
	/* One frame out of line. */
	pfns[300] = 1;
	KUNIT_EXPECT_FALSE(test, mshv_movable_window_large(pfns, LARGE, 0));
	/* Contiguous but not 2 MiB aligned. */
	for (i = 0; i < LARGE; i++)
		pfns[i] = 7 * LARGE + 1 + i;
	KUNIT_EXPECT_FALSE(test, mshv_movable_window_large(pfns, LARGE, 0));
}

static struct kunit_case mshv_movable_cases[] = {
	KUNIT_CASE(mshv_movable_windows),
	KUNIT_CASE(mshv_movable_large),
	{}
};

static struct kunit_suite mshv_movable_suite = {
	.name = "mshv_movable",
	.test_cases = mshv_movable_cases,
};

kunit_test_suite(mshv_movable_suite);
