// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the guest memory region list of mshv_root: where a new
 * region goes in the sorted list, overlap detection, and lookup by guest
 * frame.  Only the list logic runs; no page is pinned or mapped.  Built
 * into mshv_root when CONFIG_MSHV_ROOT_KUNIT_TEST is set.
 */

#include <kunit/test.h>
#include <linux/err.h>
#include <linux/list.h>

#include "mshv_root.h"

struct mshv_regions_ctx {
	struct list_head regions;
	struct mshv_mem_region *a, *b;
};

static struct mshv_mem_region *mshv_test_region(struct kunit *test,
						struct list_head *regions,
						u64 gfn, u64 n)
{
	struct mshv_mem_region *mr;
	struct list_head *slot;

	mr = kunit_kzalloc(test, sizeof(*mr), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mr);
	mr->start_gfn = gfn;
	mr->nr_pages = n;
	slot = mshv_region_slot(regions, gfn, n);
	KUNIT_ASSERT_FALSE(test, IS_ERR(slot));
	list_add_tail(&mr->list, slot);
	return mr;
}

/* Two regions: a = [0x100, 0x110), b = [0x200, 0x240). */
static int mshv_regions_init(struct kunit *test)
{
	struct mshv_regions_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	INIT_LIST_HEAD(&ctx->regions);
	/* Inserted out of order: the slot keeps the list sorted. */
	ctx->b = mshv_test_region(test, &ctx->regions, 0x200, 0x40);
	ctx->a = mshv_test_region(test, &ctx->regions, 0x100, 0x10);
	test->priv = ctx;
	return 0;
}

static void mshv_regions_sorted(struct kunit *test)
{
	struct mshv_regions_ctx *ctx = test->priv;
	struct mshv_mem_region *c;

	KUNIT_EXPECT_PTR_EQ(test, list_first_entry(&ctx->regions,
						   struct mshv_mem_region,
						   list), ctx->a);
	KUNIT_EXPECT_PTR_EQ(test, list_last_entry(&ctx->regions,
						  struct mshv_mem_region,
						  list), ctx->b);
	/* Between the two: goes before b. */
	c = mshv_test_region(test, &ctx->regions, 0x150, 0x10);
	KUNIT_EXPECT_PTR_EQ(test, list_next_entry(ctx->a, list), c);
	KUNIT_EXPECT_PTR_EQ(test, list_next_entry(c, list), ctx->b);
}

static void mshv_regions_free_slots(struct kunit *test)
{
	struct mshv_regions_ctx *ctx = test->priv;
	struct list_head *l = &ctx->regions;

	/* Entirely before, between and after. */
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_slot(l, 0, 0x100), &ctx->a->list);
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_slot(l, 0x110, 0xf0),
			    &ctx->b->list);
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_slot(l, 0x240, 1), l);
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_slot(l, U64_MAX - 1, 1), l);
	/* Adjacent on both sides of a is not an overlap. */
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_slot(l, 0xff, 1), &ctx->a->list);
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_slot(l, 0x110, 1),
			    &ctx->b->list);
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_slot(l, 0x1ff, 1),
			    &ctx->b->list);
}

static void mshv_regions_overlaps(struct kunit *test)
{
	struct mshv_regions_ctx *ctx = test->priv;
	struct list_head *l = &ctx->regions;
	struct list_head *eexist = ERR_PTR(-EEXIST);

	/* Overlapping the first or last frame of a region. */
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_slot(l, 0xff, 2), eexist);
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_slot(l, 0x10f, 2), eexist);
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_slot(l, 0x23f, 1), eexist);
	/* Contained in, equal to, and containing a region. */
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_slot(l, 0x104, 2), eexist);
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_slot(l, 0x100, 0x10), eexist);
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_slot(l, 0x1f0, 0x100), eexist);
	/* Spanning both regions and the hole between them. */
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_slot(l, 0, 0x1000), eexist);
	/* Starting in the hole, ending inside b. */
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_slot(l, 0x180, 0x81), eexist);
}

/* A region at the very top of the GPA space (the check allows it). */
static void mshv_regions_top(struct kunit *test)
{
	struct mshv_regions_ctx *ctx = test->priv;
	struct list_head *l = &ctx->regions;
	struct mshv_mem_region *top;

	top = mshv_test_region(test, l, U64_MAX - 0x10, 0x10);
	KUNIT_EXPECT_PTR_EQ(test, list_last_entry(l, struct mshv_mem_region,
						  list), top);
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_slot(l, U64_MAX - 1, 1),
			    ERR_PTR(-EEXIST));
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_slot(l, U64_MAX - 0x11, 1),
			    l->prev);
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_lookup(l, U64_MAX - 1), top);
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_lookup(l, U64_MAX - 0x10), top);
	KUNIT_EXPECT_NULL(test, mshv_region_lookup(l, U64_MAX));
	KUNIT_EXPECT_NULL(test, mshv_region_lookup(l, U64_MAX - 0x11));
}

static void mshv_regions_lookup(struct kunit *test)
{
	struct mshv_regions_ctx *ctx = test->priv;
	struct list_head *l = &ctx->regions;
	struct list_head empty;

	KUNIT_EXPECT_PTR_EQ(test, mshv_region_lookup(l, 0x100), ctx->a);
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_lookup(l, 0x10f), ctx->a);
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_lookup(l, 0x200), ctx->b);
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_lookup(l, 0x23f), ctx->b);
	KUNIT_EXPECT_NULL(test, mshv_region_lookup(l, 0));
	KUNIT_EXPECT_NULL(test, mshv_region_lookup(l, 0xff));
	KUNIT_EXPECT_NULL(test, mshv_region_lookup(l, 0x110));
	KUNIT_EXPECT_NULL(test, mshv_region_lookup(l, 0x1ff));
	KUNIT_EXPECT_NULL(test, mshv_region_lookup(l, 0x240));
	KUNIT_EXPECT_NULL(test, mshv_region_lookup(l, U64_MAX));

	INIT_LIST_HEAD(&empty);
	KUNIT_EXPECT_NULL(test, mshv_region_lookup(&empty, 0x100));
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_slot(&empty, 0, U64_MAX),
			    &empty);
}

static struct kunit_case mshv_regions_cases[] = {
	KUNIT_CASE(mshv_regions_sorted),
	KUNIT_CASE(mshv_regions_free_slots),
	KUNIT_CASE(mshv_regions_overlaps),
	KUNIT_CASE(mshv_regions_top),
	KUNIT_CASE(mshv_regions_lookup),
	{}
};

static struct kunit_suite mshv_regions_suite = {
	.name = "mshv_regions",
	.init = mshv_regions_init,
	.test_cases = mshv_regions_cases,
};

kunit_test_suite(mshv_regions_suite);
