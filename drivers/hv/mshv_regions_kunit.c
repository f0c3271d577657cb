// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the guest memory regions of mshv_root: overlap detection
 * and lookup by guest frame in the region tree, and how a region is cut
 * into runs of 2 MiB chunks and single pages.  No page is pinned or
 * mapped.  Part of mshv_root_kunit (CONFIG_MSHV_ROOT_KUNIT_TEST).
 */

#include <kunit/test.h>
#include <linux/maple_tree.h>
#include <linux/mm.h>

#include "mshv_root.h"

struct mshv_regions_ctx {
	struct maple_tree regions;
	struct mshv_mem_region *a, *b;
};

static struct mshv_mem_region *mshv_test_region(struct kunit *test,
						struct maple_tree *regions,
						u64 gfn, u64 n)
{
	struct mshv_mem_region *mr;

	mr = kunit_kzalloc(test, sizeof(*mr), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mr);
	mr->start_gfn = gfn;
	mr->nr_pages = n;
	KUNIT_ASSERT_FALSE(test, mshv_region_overlaps(regions, gfn, n));
	KUNIT_ASSERT_EQ(test, mshv_region_insert(regions, mr), 0);
	return mr;
}

/* Two regions: a = [0x100, 0x110), b = [0x200, 0x240). */
static int mshv_regions_init(struct kunit *test)
{
	struct mshv_regions_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	mt_init(&ctx->regions);
	test->priv = ctx;
	ctx->b = mshv_test_region(test, &ctx->regions, 0x200, 0x40);
	ctx->a = mshv_test_region(test, &ctx->regions, 0x100, 0x10);
	return 0;
}

static void mshv_regions_exit(struct kunit *test)
{
	struct mshv_regions_ctx *ctx = test->priv;

	/* The regions themselves are kunit allocations. */
	mtree_destroy(&ctx->regions);
}

static void mshv_regions_free_ranges(struct kunit *test)
{
	struct maple_tree *t = &((struct mshv_regions_ctx *)test->priv)->regions;

	/* Entirely before, between and after. */
	KUNIT_EXPECT_FALSE(test, mshv_region_overlaps(t, 0, 0x100));
	KUNIT_EXPECT_FALSE(test, mshv_region_overlaps(t, 0x110, 0xf0));
	KUNIT_EXPECT_FALSE(test, mshv_region_overlaps(t, 0x240, 1));
	KUNIT_EXPECT_FALSE(test, mshv_region_overlaps(t, U64_MAX - 1, 1));
	/* Adjacent on both sides of a is not an overlap. */
	KUNIT_EXPECT_FALSE(test, mshv_region_overlaps(t, 0xff, 1));
	KUNIT_EXPECT_FALSE(test, mshv_region_overlaps(t, 0x110, 1));
	KUNIT_EXPECT_FALSE(test, mshv_region_overlaps(t, 0x1ff, 1));
}

static void mshv_regions_overlapping(struct kunit *test)
{
	struct mshv_regions_ctx *ctx = test->priv;
	struct maple_tree *t = &ctx->regions;
	struct mshv_mem_region c = { .start_gfn = 0x10f, .nr_pages = 2 };

	/* Overlapping the first or last frame of a region. */
	KUNIT_EXPECT_TRUE(test, mshv_region_overlaps(t, 0xff, 2));
	KUNIT_EXPECT_TRUE(test, mshv_region_overlaps(t, 0x10f, 2));
	KUNIT_EXPECT_TRUE(test, mshv_region_overlaps(t, 0x23f, 1));
	/* Contained in, equal to, and containing a region. */
	KUNIT_EXPECT_TRUE(test, mshv_region_overlaps(t, 0x104, 2));
	KUNIT_EXPECT_TRUE(test, mshv_region_overlaps(t, 0x100, 0x10));
	KUNIT_EXPECT_TRUE(test, mshv_region_overlaps(t, 0x1f0, 0x100));
	/* Spanning both regions and the hole between them. */
	KUNIT_EXPECT_TRUE(test, mshv_region_overlaps(t, 0, 0x1000));
	/* Starting in the hole, ending inside b. */
	KUNIT_EXPECT_TRUE(test, mshv_region_overlaps(t, 0x180, 0x81));
	/* The tree refuses an overlapping insert and stays as it was. */
	KUNIT_EXPECT_EQ(test, mshv_region_insert(t, &c), -EEXIST);
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_lookup(t, 0x10f), ctx->a);
	KUNIT_EXPECT_NULL(test, mshv_region_lookup(t, 0x110));
}

/* A region at the very top of the GPA space (the check allows it). */
static void mshv_regions_top(struct kunit *test)
{
	struct maple_tree *t = &((struct mshv_regions_ctx *)test->priv)->regions;
	struct mshv_mem_region *top;

	top = mshv_test_region(test, t, U64_MAX - 0x10, 0x10);
	KUNIT_EXPECT_TRUE(test, mshv_region_overlaps(t, U64_MAX - 1, 1));
	KUNIT_EXPECT_FALSE(test, mshv_region_overlaps(t, U64_MAX - 0x11, 1));
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_lookup(t, U64_MAX - 1), top);
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_lookup(t, U64_MAX - 0x10), top);
	KUNIT_EXPECT_NULL(test, mshv_region_lookup(t, U64_MAX));
	KUNIT_EXPECT_NULL(test, mshv_region_lookup(t, U64_MAX - 0x11));
}

static void mshv_regions_lookup(struct kunit *test)
{
	struct mshv_regions_ctx *ctx = test->priv;
	struct maple_tree *t = &ctx->regions;
	struct maple_tree empty;

	KUNIT_EXPECT_PTR_EQ(test, mshv_region_lookup(t, 0x100), ctx->a);
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_lookup(t, 0x10f), ctx->a);
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_lookup(t, 0x200), ctx->b);
	KUNIT_EXPECT_PTR_EQ(test, mshv_region_lookup(t, 0x23f), ctx->b);
	KUNIT_EXPECT_NULL(test, mshv_region_lookup(t, 0));
	KUNIT_EXPECT_NULL(test, mshv_region_lookup(t, 0xff));
	KUNIT_EXPECT_NULL(test, mshv_region_lookup(t, 0x110));
	KUNIT_EXPECT_NULL(test, mshv_region_lookup(t, 0x1ff));
	KUNIT_EXPECT_NULL(test, mshv_region_lookup(t, 0x240));
	KUNIT_EXPECT_NULL(test, mshv_region_lookup(t, U64_MAX));

	mt_init(&empty);
	KUNIT_EXPECT_NULL(test, mshv_region_lookup(&empty, 0x100));
	KUNIT_EXPECT_FALSE(test, mshv_region_overlaps(&empty, 0, U64_MAX));
}

/* An MMIO region: the chunks depend on gfn and pfn alignment only. */
static void mshv_regions_runs(struct kunit *test)
{
	struct mshv_mem_region mr = {
		.kind = MSHV_REGION_MMIO,
		.start_gfn = 0x1ff, .mmio_pfn = 0x801ff, .nr_pages = 0x402,
	};
	bool large;

	/* One page to the 2 MiB boundary, two chunks, one page left. */
	KUNIT_EXPECT_EQ(test, mshv_region_run(&mr, 0, mr.nr_pages, &large), 1);
	KUNIT_EXPECT_FALSE(test, large);
	KUNIT_EXPECT_EQ(test, mshv_region_run(&mr, 1, mr.nr_pages, &large),
			0x400);
	KUNIT_EXPECT_TRUE(test, large);
	KUNIT_EXPECT_EQ(test, mshv_region_run(&mr, 0x401, mr.nr_pages, &large),
			1);
	KUNIT_EXPECT_FALSE(test, large);
	/* A walk that stops after the first chunk. */
	KUNIT_EXPECT_EQ(test, mshv_region_run(&mr, 1, 0x201, &large), 0x200);
	KUNIT_EXPECT_TRUE(test, large);

	/* gfn and pfn aligned differently: single pages throughout. */
	mr.mmio_pfn = 0x80200;
	KUNIT_EXPECT_EQ(test, mshv_region_run(&mr, 0, mr.nr_pages, &large),
			0x402);
	KUNIT_EXPECT_FALSE(test, large);

	/* Aligned but shorter than 2 MiB: single pages. */
	mr.start_gfn = 0x200;
	mr.nr_pages = 0x1ff;
	KUNIT_EXPECT_EQ(test, mshv_region_run(&mr, 0, mr.nr_pages, &large),
			0x1ff);
	KUNIT_EXPECT_FALSE(test, large);
}

static void mshv_free_folio(void *folio)
{
	folio_put(folio);
}

/*
 * A pinned region over one 2 MiB folio and a 4 KiB page: the folio is a
 * 2 MiB chunk only where the guest frame lines up and its pages come in
 * order.
 */
static void mshv_regions_folio_runs(struct kunit *test)
{
	struct mshv_mem_region *mr;
	struct folio *big, *small;
	struct page *tmp;
	bool large;
	u32 i;

	big = folio_alloc(GFP_KERNEL | __GFP_NOWARN, HV_HYP_LARGE_PAGE_SHIFT -
			  PAGE_SHIFT);
	if (!big)
		kunit_skip(test, "no 2 MiB folio");
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, mshv_free_folio,
							big), 0);
	small = folio_alloc(GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, small);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, mshv_free_folio,
							small), 0);
	mr = kunit_kzalloc(test, struct_size(mr, pages, 513), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mr);
	mr->kind = MSHV_REGION_PINNED;
	mr->nr_pages = 513;
	for (i = 0; i < 512; i++)
		mr->pages[i] = folio_page(big, i);
	mr->pages[512] = folio_page(small, 0);

	mr->start_gfn = 0x400;
	KUNIT_EXPECT_EQ(test, mshv_region_run(mr, 0, 513, &large), 512);
	KUNIT_EXPECT_TRUE(test, large);
	KUNIT_EXPECT_EQ(test, mshv_region_run(mr, 512, 513, &large), 1);
	KUNIT_EXPECT_FALSE(test, large);

	/* The same pages one frame off in GPA space. */
	mr->start_gfn = 0x401;
	KUNIT_EXPECT_EQ(test, mshv_region_run(mr, 0, 513, &large), 513);
	KUNIT_EXPECT_FALSE(test, large);

	/* Two pages swapped: contiguous no more. */
	mr->start_gfn = 0x400;
	tmp = mr->pages[7];
	mr->pages[7] = mr->pages[8];
	mr->pages[8] = tmp;
	KUNIT_EXPECT_EQ(test, mshv_region_run(mr, 0, 513, &large), 513);
	KUNIT_EXPECT_FALSE(test, large);
}

static struct kunit_case mshv_regions_cases[] = {
	KUNIT_CASE(mshv_regions_free_ranges),
	KUNIT_CASE(mshv_regions_overlapping),
	KUNIT_CASE(mshv_regions_top),
	KUNIT_CASE(mshv_regions_lookup),
	KUNIT_CASE(mshv_regions_runs),
	KUNIT_CASE(mshv_regions_folio_runs),
	{}
};

static struct kunit_suite mshv_regions_suite = {
	.name = "mshv_regions",
	.init = mshv_regions_init,
	.exit = mshv_regions_exit,
	.test_cases = mshv_regions_cases,
};

kunit_test_suite(mshv_regions_suite);
