// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for hvsim's GPA table (gpa_table.c): 2 MiB chunks mapped
 * large or as 4 KiB leaves, splitting one into the other, the pool pages
 * the chunks are charged, and the per-page accessed and dirty bits.
 *
 * The table runs on a private pool filled with pages of the test's own;
 * the frames it maps are numbers only (nothing is accessed through them),
 * low ones no pool can own, except for a pool page the table must refuse.
 *
 * Part of hvsim_kunit (CONFIG_MSHV_HVSIM_KUNIT_TEST), whose module
 * information is here.
 */

#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/string.h>

#include "hvsim.h"

#define GT_GFNS		HV_HYP_PAGES_PER_LARGE_PAGE
#define GT_GFN		(7 * GT_GFNS)		/* a chunk, not the first */
#define GT_PFN		(64 * GT_GFNS)		/* 2 MiB aligned */
#define GT_POOL_PAGES	4
#define GT_FLAGS	(HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE)
#define GT_A		HV_GPA_PAGE_ACCESS_ACCESSED
#define GT_D		HV_GPA_PAGE_ACCESS_DIRTY

struct gt_ctx {
	struct hvsim_pool pool;
	atomic_long_t total;
	struct hvsim_gpa_table t;
};

static void gt_exit(struct kunit *test)
{
	struct gt_ctx *c = test->priv;

	hvsim_gpt_destroy(&c->t);
	hvsim_pool_destroy(&c->pool);
}

static int gt_init(struct kunit *test)
{
	struct gt_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct page *page;
	unsigned int i;

	if (!c)
		return -ENOMEM;
	test->priv = c;
	hvsim_pool_init(&c->pool, &c->total);
	hvsim_gpt_init(&c->t, &c->pool);
	for (i = 0; i < GT_POOL_PAGES; i++) {
		page = alloc_page(GFP_KERNEL);
		if (!page)
			goto err;
		/* Garbage: a chunk's leaf is never cleared. */
		memset(page_address(page), 0xa5, PAGE_SIZE);
		if (hvsim_pool_deposit(&c->pool, page_to_pfn(page))) {
			__free_page(page);
			goto err;
		}
	}
	return 0;

err:
	gt_exit(test);
	return -ENOMEM;
}

/* The frame @gfn maps to, or -1 if it is unmapped. */
static long gt_pfn(struct gt_ctx *c, u64 gfn)
{
	u64 e = hvsim_gpt_lookup(&c->t, gfn);

	return e ? (long)(e >> HVSIM_GPA_PFN_SHIFT) : -1;
}

static u8 gt_state(struct gt_ctx *c, u64 gfn, u64 flags)
{
	return hvsim_gpt_access_state(&c->t, gfn, flags);
}

static void gt_map1(struct kunit *test, u64 gfn, u64 pfn)
{
	struct gt_ctx *c = test->priv;
	unsigned int done;

	KUNIT_ASSERT_EQ(test, hvsim_gpt_map(&c->t, gfn, &pfn, 1, GT_FLAGS,
					    &done),
			HV_STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, done, 1);
}

static void gt_large_test(struct kunit *test)
{
	struct gt_ctx *c = test->priv;
	u64 e;

	KUNIT_EXPECT_EQ(test, gt_pfn(c, GT_GFN), -1);
	KUNIT_ASSERT_EQ(test, hvsim_gpt_map_large(&c->t, GT_GFN, GT_PFN,
						  GT_FLAGS),
			HV_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, c->t.nr_mapped, GT_GFNS);
	KUNIT_EXPECT_EQ(test, c->pool.nr_used, 1);
	KUNIT_EXPECT_EQ(test, gt_pfn(c, GT_GFN), GT_PFN);
	KUNIT_EXPECT_EQ(test, gt_pfn(c, GT_GFN + 300), GT_PFN + 300);
	KUNIT_EXPECT_EQ(test, gt_pfn(c, GT_GFN + GT_GFNS - 1),
			GT_PFN + GT_GFNS - 1);
	KUNIT_EXPECT_EQ(test, gt_pfn(c, GT_GFN - 1), -1);
	KUNIT_EXPECT_EQ(test, gt_pfn(c, GT_GFN + GT_GFNS), -1);
	e = hvsim_gpt_lookup(&c->t, GT_GFN + 9);
	KUNIT_EXPECT_EQ(test, e & HV_MAP_GPA_PERMISSIONS_MASK, GT_FLAGS);

	/* Remapped large elsewhere: replaced, still one chunk. */
	KUNIT_ASSERT_EQ(test, hvsim_gpt_map_large(&c->t, GT_GFN, 2 * GT_PFN,
						  HV_MAP_GPA_READABLE),
			HV_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, c->t.nr_mapped, GT_GFNS);
	KUNIT_EXPECT_EQ(test, gt_pfn(c, GT_GFN + 5), 2 * GT_PFN + 5);
	e = hvsim_gpt_lookup(&c->t, GT_GFN + 5);
	KUNIT_EXPECT_EQ(test, e & HV_MAP_GPA_PERMISSIONS_MASK,
			HV_MAP_GPA_READABLE);

	hvsim_gpt_unmap(&c->t, GT_GFN, GT_GFNS);
	KUNIT_EXPECT_EQ(test, c->t.nr_mapped, 0);
	KUNIT_EXPECT_EQ(test, c->pool.nr_used, 0);
	KUNIT_EXPECT_EQ(test, gt_pfn(c, GT_GFN + 5), -1);
}

/* 4 KiB over large splits the chunk; the other 511 keep their frames. */
static void gt_split_test(struct kunit *test)
{
	struct gt_ctx *c = test->priv;

	KUNIT_ASSERT_EQ(test, hvsim_gpt_map_large(&c->t, GT_GFN, GT_PFN,
						  GT_FLAGS),
			HV_STATUS_SUCCESS);
	gt_map1(test, GT_GFN + 3, 0x1234);
	KUNIT_EXPECT_EQ(test, c->t.nr_mapped, GT_GFNS);
	KUNIT_EXPECT_EQ(test, gt_pfn(c, GT_GFN + 3), 0x1234);
	KUNIT_EXPECT_EQ(test, gt_pfn(c, GT_GFN + 2), GT_PFN + 2);
	KUNIT_EXPECT_EQ(test, gt_pfn(c, GT_GFN + 4), GT_PFN + 4);
	KUNIT_EXPECT_EQ(test, gt_pfn(c, GT_GFN + GT_GFNS - 1),
			GT_PFN + GT_GFNS - 1);

	/* Unmapping part of a large chunk splits it as well. */
	hvsim_gpt_map_large(&c->t, GT_GFN, GT_PFN, GT_FLAGS);
	hvsim_gpt_unmap(&c->t, GT_GFN + 10, 2);
	KUNIT_EXPECT_EQ(test, c->t.nr_mapped, GT_GFNS - 2);
	KUNIT_EXPECT_EQ(test, gt_pfn(c, GT_GFN + 9), GT_PFN + 9);
	KUNIT_EXPECT_EQ(test, gt_pfn(c, GT_GFN + 10), -1);
	KUNIT_EXPECT_EQ(test, gt_pfn(c, GT_GFN + 11), -1);
	KUNIT_EXPECT_EQ(test, gt_pfn(c, GT_GFN + 12), GT_PFN + 12);
	/* Unmapping what is not mapped changes nothing. */
	hvsim_gpt_unmap(&c->t, GT_GFN + 10, 2);
	KUNIT_EXPECT_EQ(test, c->t.nr_mapped, GT_GFNS - 2);

	/* 4 KiB by 4 KiB: the chunk goes when its last gfn does. */
	hvsim_gpt_unmap(&c->t, GT_GFN, 10);
	hvsim_gpt_unmap(&c->t, GT_GFN + 12, GT_GFNS - 12);
	KUNIT_EXPECT_EQ(test, c->t.nr_mapped, 0);
	KUNIT_EXPECT_EQ(test, c->pool.nr_used, 0);
}

/*
 * Map the chunk of GT_GFN page by page, gfn k to @first + k, with @flags;
 * @pfns has room for GT_GFNS frames.
 */
static void gt_map_run(struct kunit *test, u64 *pfns, u64 first,
		       unsigned long flags)
{
	struct gt_ctx *c = test->priv;
	unsigned int k, done;

	for (k = 0; k < GT_GFNS; k++)
		pfns[k] = first + k;
	KUNIT_ASSERT_EQ(test, hvsim_gpt_map(&c->t, GT_GFN, pfns, GT_GFNS,
					    flags, &done),
			HV_STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, done, GT_GFNS);
}

/* Whether a chunk is one 2 MiB piece, mapped large or page by page. */
static void gt_lookup_2m_test(struct kunit *test)
{
	struct gt_ctx *c = test->priv;
	u64 *pfns = kunit_kmalloc_array(test, GT_GFNS, sizeof(*pfns),
					GFP_KERNEL);
	unsigned int done;
	u64 large;

	KUNIT_ASSERT_NOT_NULL(test, pfns);
	KUNIT_EXPECT_EQ(test, hvsim_gpt_lookup_2m(&c->t, GT_GFN), 0);
	KUNIT_ASSERT_EQ(test, hvsim_gpt_map_large(&c->t, GT_GFN, GT_PFN,
						  GT_FLAGS),
			HV_STATUS_SUCCESS);
	large = hvsim_gpt_lookup_2m(&c->t, GT_GFN + 77);
	KUNIT_EXPECT_EQ(test, large, hvsim_gpt_lookup(&c->t, GT_GFN));
	KUNIT_EXPECT_EQ(test, large >> HVSIM_GPA_PFN_SHIFT, GT_PFN);

	/* The same frames page by page: the same entry. */
	hvsim_gpt_unmap(&c->t, GT_GFN, GT_GFNS);
	gt_map_run(test, pfns, GT_PFN, GT_FLAGS);
	KUNIT_EXPECT_EQ(test, hvsim_gpt_lookup_2m(&c->t, GT_GFN + 511), large);

	/* One frame elsewhere, then back in its place. */
	gt_map1(test, GT_GFN + 3, 0x1234);
	KUNIT_EXPECT_EQ(test, hvsim_gpt_lookup_2m(&c->t, GT_GFN), 0);
	gt_map1(test, GT_GFN + 3, GT_PFN + 3);
	KUNIT_EXPECT_EQ(test, hvsim_gpt_lookup_2m(&c->t, GT_GFN), large);

	/* One gfn with other flags. */
	pfns[9] = GT_PFN + 9;
	KUNIT_ASSERT_EQ(test, hvsim_gpt_map(&c->t, GT_GFN + 9, &pfns[9], 1,
					    HV_MAP_GPA_READABLE, &done),
			HV_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, hvsim_gpt_lookup_2m(&c->t, GT_GFN), 0);

	/* One gfn unmapped (its stale leaf entry would still fit). */
	gt_map_run(test, pfns, GT_PFN, GT_FLAGS);
	hvsim_gpt_unmap(&c->t, GT_GFN + GT_GFNS - 1, 1);
	KUNIT_EXPECT_EQ(test, hvsim_gpt_lookup_2m(&c->t, GT_GFN), 0);

	/* Consecutive frames, but not from a 2 MiB-aligned one. */
	gt_map_run(test, pfns, GT_PFN + 1, GT_FLAGS);
	KUNIT_EXPECT_EQ(test, hvsim_gpt_lookup_2m(&c->t, GT_GFN), 0);
}

/* Large over 4 KiB replaces the leaf. */
static void gt_replace_leaf_test(struct kunit *test)
{
	struct gt_ctx *c = test->priv;

	gt_map1(test, GT_GFN + 1, 0x77);
	gt_map1(test, GT_GFN + 100, 0x78);
	KUNIT_EXPECT_EQ(test, c->t.nr_mapped, 2);
	KUNIT_EXPECT_EQ(test, gt_pfn(c, GT_GFN), -1);
	KUNIT_ASSERT_EQ(test, hvsim_gpt_map_large(&c->t, GT_GFN, GT_PFN,
						  GT_FLAGS),
			HV_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, c->t.nr_mapped, GT_GFNS);
	KUNIT_EXPECT_EQ(test, c->pool.nr_used, 1);
	KUNIT_EXPECT_EQ(test, gt_pfn(c, GT_GFN), GT_PFN);
	KUNIT_EXPECT_EQ(test, gt_pfn(c, GT_GFN + 1), GT_PFN + 1);
	KUNIT_EXPECT_EQ(test, gt_pfn(c, GT_GFN + 100), GT_PFN + 100);

	/* Split again: the stale leaf must not show through. */
	hvsim_gpt_unmap(&c->t, GT_GFN + 200, 1);
	KUNIT_EXPECT_EQ(test, gt_pfn(c, GT_GFN + 1), GT_PFN + 1);
	KUNIT_EXPECT_EQ(test, gt_pfn(c, GT_GFN + 100), GT_PFN + 100);
	KUNIT_EXPECT_EQ(test, c->t.nr_mapped, GT_GFNS - 1);
}

/* Refused frames, and a pool with nothing left. */
static void gt_errors_test(struct kunit *test)
{
	struct gt_ctx *c = test->priv;
	u64 pfns[4] = { 0x10, 0x11, 0, 0x13 };
	struct page *taken[GT_POOL_PAGES];
	unsigned int done, i;

	/* A page of a pool: never to be mapped. */
	taken[0] = hvsim_pool_get(&c->pool);
	KUNIT_ASSERT_NOT_NULL(test, taken[0]);
	pfns[2] = page_to_pfn(taken[0]);
	hvsim_pool_put(&c->pool, taken[0]);
	KUNIT_EXPECT_FALSE(test, hvsim_gpt_pfn_ok(pfns[2], 1));
	KUNIT_EXPECT_TRUE(test, hvsim_gpt_pfn_ok(pfns[1], 1));

	KUNIT_EXPECT_EQ(test, hvsim_gpt_map(&c->t, GT_GFN + 4, pfns, 4,
					    GT_FLAGS, &done),
			HV_STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, done, 2);
	KUNIT_EXPECT_EQ(test, c->t.nr_mapped, 2);
	KUNIT_EXPECT_EQ(test, gt_pfn(c, GT_GFN + 5), 0x11);
	KUNIT_EXPECT_EQ(test, gt_pfn(c, GT_GFN + 6), -1);

	/* Refused at the first frame: the new chunk does not stay. */
	KUNIT_EXPECT_EQ(test, hvsim_gpt_map(&c->t, 3 * GT_GFN, pfns + 2, 2,
					    GT_FLAGS, &done),
			HV_STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, done, 0);
	KUNIT_EXPECT_EQ(test, c->pool.nr_used, 1);

	/* No pool page for a new chunk; an existing one needs none. */
	for (i = 0; i < GT_POOL_PAGES - 1; i++)
		taken[i] = hvsim_pool_get(&c->pool);
	KUNIT_EXPECT_NULL(test, hvsim_pool_get(&c->pool));
	KUNIT_EXPECT_EQ(test, hvsim_gpt_map(&c->t, 3 * GT_GFN, pfns, 2,
					    GT_FLAGS, &done),
			HV_STATUS_INSUFFICIENT_MEMORY);
	KUNIT_EXPECT_EQ(test, done, 0);
	KUNIT_EXPECT_EQ(test, hvsim_gpt_map_large(&c->t, 3 * GT_GFN, GT_PFN,
						  GT_FLAGS),
			HV_STATUS_INSUFFICIENT_MEMORY);
	KUNIT_EXPECT_EQ(test, gt_pfn(c, 3 * GT_GFN), -1);
	KUNIT_EXPECT_EQ(test, hvsim_gpt_map_large(&c->t, GT_GFN, GT_PFN,
						  GT_FLAGS),
			HV_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, c->t.nr_mapped, GT_GFNS);
	for (i = 0; i < GT_POOL_PAGES - 1; i++)
		hvsim_pool_put(&c->pool, taken[i]);
}

static void gt_access_test(struct kunit *test)
{
	struct gt_ctx *c = test->priv;
	const u64 clear = HV_GPA_PAGE_ACCESS_STATE_CLEAR_ACCESSED |
			  HV_GPA_PAGE_ACCESS_STATE_CLEAR_DIRTY;

	/* Unmapped: reads as 0, nothing recorded. */
	hvsim_gpt_note_access(&c->t, GT_GFN, true);
	KUNIT_EXPECT_EQ(test, gt_state(c, GT_GFN, 0), 0);

	/* A new mapping is accessed and dirty. */
	KUNIT_ASSERT_EQ(test, hvsim_gpt_map_large(&c->t, GT_GFN, GT_PFN,
						  GT_FLAGS),
			HV_STATUS_SUCCESS);
	KUNIT_EXPECT_FALSE(test, hvsim_gpt_any_clean(&c->t));
	KUNIT_EXPECT_EQ(test, gt_state(c, GT_GFN + 1, clear), GT_A | GT_D);
	KUNIT_EXPECT_EQ(test, gt_state(c, GT_GFN + 1, 0), 0);
	KUNIT_EXPECT_EQ(test, gt_state(c, GT_GFN + 2, 0), GT_A | GT_D);
	KUNIT_EXPECT_TRUE(test, hvsim_gpt_any_clean(&c->t));

	/* A read sets the accessed bit, a write the dirty bit too. */
	hvsim_gpt_note_access(&c->t, GT_GFN + 1, false);
	KUNIT_EXPECT_EQ(test, gt_state(c, GT_GFN + 1, clear), GT_A);
	hvsim_gpt_note_access(&c->t, GT_GFN + 1, true);
	KUNIT_EXPECT_EQ(test, gt_state(c, GT_GFN + 1, clear), GT_A | GT_D);

	/* The set operations, one bit at a time. */
	KUNIT_EXPECT_EQ(test, gt_state(c, GT_GFN + 1,
				       HV_GPA_PAGE_ACCESS_STATE_SET_DIRTY), 0);
	KUNIT_EXPECT_EQ(test, gt_state(c, GT_GFN + 1,
				       HV_GPA_PAGE_ACCESS_STATE_SET_ACCESSED),
			GT_D);
	KUNIT_EXPECT_EQ(test, gt_state(c, GT_GFN + 1, clear), GT_A | GT_D);

	/* Splitting keeps the bits; remapping over a mapping keeps them. */
	gt_map1(test, GT_GFN + 1, 0x99);
	gt_map1(test, GT_GFN + 2, 0x9a);
	KUNIT_EXPECT_EQ(test, gt_state(c, GT_GFN + 1, 0), 0);
	KUNIT_EXPECT_EQ(test, gt_state(c, GT_GFN + 2, 0), GT_A | GT_D);
	hvsim_gpt_map_large(&c->t, GT_GFN, GT_PFN, GT_FLAGS);
	KUNIT_EXPECT_EQ(test, gt_state(c, GT_GFN + 1, 0), 0);

	/* Unmapping forgets them: mapped again, accessed and dirty. */
	hvsim_gpt_unmap(&c->t, GT_GFN + 1, 1);
	KUNIT_EXPECT_EQ(test, gt_state(c, GT_GFN + 1, 0), 0);
	KUNIT_EXPECT_FALSE(test, hvsim_gpt_any_clean(&c->t));
	gt_map1(test, GT_GFN + 1, 0x99);
	KUNIT_EXPECT_EQ(test, gt_state(c, GT_GFN + 1, 0), GT_A | GT_D);

	/* A whole chunk too. */
	gt_state(c, GT_GFN + GT_GFNS - 1, clear);
	KUNIT_EXPECT_TRUE(test, hvsim_gpt_any_clean(&c->t));
	hvsim_gpt_unmap(&c->t, GT_GFN, GT_GFNS);
	KUNIT_EXPECT_FALSE(test, hvsim_gpt_any_clean(&c->t));
	hvsim_gpt_map_large(&c->t, GT_GFN, GT_PFN, GT_FLAGS);
	KUNIT_EXPECT_EQ(test, gt_state(c, GT_GFN + GT_GFNS - 1, 0),
			GT_A | GT_D);
}

static struct kunit_case hvsim_gpa_table_cases[] = {
	KUNIT_CASE(gt_large_test),
	KUNIT_CASE(gt_split_test),
	KUNIT_CASE(gt_lookup_2m_test),
	KUNIT_CASE(gt_replace_leaf_test),
	KUNIT_CASE(gt_errors_test),
	KUNIT_CASE(gt_access_test),
	{}
};

static struct kunit_suite hvsim_gpa_table_suite = {
	.name = "hvsim-gpa-table",
	.init = gt_init,
	.exit = gt_exit,
	.test_cases = hvsim_gpa_table_cases,
};

kunit_test_suite(hvsim_gpa_table_suite);

MODULE_DESCRIPTION("KUnit tests of hvsim's interpreter and GPA table");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
