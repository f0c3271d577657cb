// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of mshv_root's interrupt helpers: MSI decoding, destination
 * matching, routing-table construction and its rules, and the register
 * page's pending-vector word used by the fast injection path.  Part of
 * mshv_root_kunit (CONFIG_MSHV_ROOT_KUNIT_TEST).
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <uapi/linux/mshv.h>

#include "mshv_root.h"

static void mshv_irq_decode(struct kunit *test)
{
	struct mshv_msi msi;

	/* Fixed, edge, physical APIC id 3, vector 0x41. */
	mshv_msi_decode(0xfee03000, 0x41, &msi);
	KUNIT_EXPECT_TRUE(test, msi.valid);
	KUNIT_EXPECT_EQ(test, msi.vector, 0x41);
	KUNIT_EXPECT_EQ(test, msi.dest, 3);
	KUNIT_EXPECT_EQ(test, msi.type, HV_X64_INTERRUPT_TYPE_FIXED);
	KUNIT_EXPECT_FALSE(test, msi.level);
	KUNIT_EXPECT_FALSE(test, msi.logical);

	/* Lowest priority, level (assert + trigger bits), logical mask 0x5. */
	mshv_msi_decode(0xfee05004, 0xc1ff, &msi);
	KUNIT_EXPECT_EQ(test, msi.vector, 0xff);
	KUNIT_EXPECT_EQ(test, msi.dest, 5);
	KUNIT_EXPECT_EQ(test, msi.type, HV_X64_INTERRUPT_TYPE_LOWESTPRIORITY);
	KUNIT_EXPECT_TRUE(test, msi.level);
	KUNIT_EXPECT_TRUE(test, msi.logical);

	/* ExtINT and NMI delivery modes; bits above 15 are ignored. */
	mshv_msi_decode(0xfee00000, 0xffff0720, &msi);
	KUNIT_EXPECT_EQ(test, msi.type, HV_X64_INTERRUPT_TYPE_EXTINT);
	KUNIT_EXPECT_EQ(test, msi.vector, 0x20);
	KUNIT_EXPECT_FALSE(test, msi.level);
	mshv_msi_decode(0xfeeff000, 0x400, &msi);
	KUNIT_EXPECT_EQ(test, msi.type, HV_X64_INTERRUPT_TYPE_NMI);
	KUNIT_EXPECT_EQ(test, msi.dest, 0xff);
}

static void mshv_irq_targets(struct kunit *test)
{
	struct mshv_msi msi = {};

	KUNIT_EXPECT_FALSE(test, mshv_msi_targets_vp(&msi, 0));
	mshv_msi_decode(0xfee02000, 0x30, &msi);
	KUNIT_EXPECT_TRUE(test, mshv_msi_targets_vp(&msi, 2));
	KUNIT_EXPECT_FALSE(test, mshv_msi_targets_vp(&msi, 0));
	KUNIT_EXPECT_FALSE(test, mshv_msi_targets_vp(&msi, 258));
	/* Physical broadcast. */
	mshv_msi_decode(0xfeeff000, 0x30, &msi);
	KUNIT_EXPECT_TRUE(test, mshv_msi_targets_vp(&msi, 0));
	KUNIT_EXPECT_TRUE(test, mshv_msi_targets_vp(&msi, 200));
	/* Flat logical: one bit per APIC, first eight only. */
	mshv_msi_decode(0xfee82004, 0x30, &msi);
	KUNIT_EXPECT_TRUE(test, mshv_msi_targets_vp(&msi, 1));
	KUNIT_EXPECT_TRUE(test, mshv_msi_targets_vp(&msi, 7));
	KUNIT_EXPECT_FALSE(test, mshv_msi_targets_vp(&msi, 0));
	KUNIT_EXPECT_FALSE(test, mshv_msi_targets_vp(&msi, 9));
}

static void mshv_irq_table(struct kunit *test)
{
	struct mshv_user_irq_entry e[3] = {
		{ .gsi = 7, .address_lo = 0xfee01000, .data = 0x41 },
		{ .gsi = 2, .address_lo = 0xfee00000, .data = 0x8042 },
		{ .gsi = 4095, .address_lo = 0xfee00000, .data = 0x43 },
	};
	struct mshv_irq_table *t;
	struct mshv_msi msi;

	KUNIT_ASSERT_EQ(test, mshv_irq_table_build(e, 0, &t), 0);
	KUNIT_EXPECT_NULL(test, t);
	mshv_irq_route_lookup(NULL, 0, &msi);
	KUNIT_EXPECT_FALSE(test, msi.valid);

	KUNIT_ASSERT_EQ(test, mshv_irq_table_build(e, 2, &t), 0);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, t->nr_slots, 8);
	KUNIT_EXPECT_EQ(test, t->nr_routes, 2);
	mshv_irq_route_lookup(t, 7, &msi);
	KUNIT_EXPECT_TRUE(test, msi.valid);
	KUNIT_EXPECT_EQ(test, msi.vector, 0x41);
	KUNIT_EXPECT_EQ(test, msi.dest, 1);
	mshv_irq_route_lookup(t, 2, &msi);
	KUNIT_EXPECT_TRUE(test, msi.level);
	mshv_irq_route_lookup(t, 3, &msi);
	KUNIT_EXPECT_FALSE(test, msi.valid);
	mshv_irq_route_lookup(t, 8, &msi);
	KUNIT_EXPECT_FALSE(test, msi.valid);
	kvfree(t);

	KUNIT_ASSERT_EQ(test, mshv_irq_table_build(e, 3, &t), 0);
	KUNIT_EXPECT_EQ(test, t->nr_slots, MSHV_MAX_GUEST_IRQS);
	kvfree(t);

	/* Rules: GSI range, address_hi, one route per GSI, count. */
	e[2].gsi = MSHV_MAX_GUEST_IRQS;
	KUNIT_EXPECT_EQ(test, mshv_irq_table_build(e, 3, &t), -EINVAL);
	KUNIT_EXPECT_NULL(test, t);
	e[2].gsi = 7;
	KUNIT_EXPECT_EQ(test, mshv_irq_table_build(e, 3, &t), -EINVAL);
	e[2].gsi = 9;
	e[2].address_hi = 1;
	KUNIT_EXPECT_EQ(test, mshv_irq_table_build(e, 3, &t), -EINVAL);
	KUNIT_EXPECT_EQ(test, mshv_irq_table_build(e, MSHV_MAX_GUEST_IRQS + 1,
						   &t), -EINVAL);
}

/* The vector word: byte 0 the count, bytes 1..7 the vectors. */
static u64 vw(unsigned int n, u8 v1, u8 v2, u8 v3)
{
	return n | (u64)v1 << 8 | (u64)v2 << 16 | (u64)v3 << 24;
}

static void mshv_irq_vectors(struct kunit *test)
{
	u64 word = 0;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, mshv_vectors_post(&word, 0x30), 0);
	KUNIT_EXPECT_EQ(test, mshv_vectors_post(&word, 0x31), 0);
	KUNIT_EXPECT_EQ(test, mshv_vectors_post(&word, 0x30), 1);
	KUNIT_EXPECT_EQ(test, word, vw(2, 0x30, 0x31, 0));
	KUNIT_EXPECT_EQ(test, mshv_vectors_post(&word, 0x32), 0);

	/* Withdrawing closes the gap. */
	KUNIT_EXPECT_TRUE(test, mshv_vectors_withdraw(&word, 0x31));
	KUNIT_EXPECT_EQ(test, word, vw(2, 0x30, 0x32, 0));
	KUNIT_EXPECT_FALSE(test, mshv_vectors_withdraw(&word, 0x31));
	KUNIT_EXPECT_TRUE(test, mshv_vectors_withdraw(&word, 0x32));
	KUNIT_EXPECT_TRUE(test, mshv_vectors_withdraw(&word, 0x30));
	KUNIT_EXPECT_EQ(test, word, 0);

	/* Seven slots, then full. */
	for (i = 0; i < HV_VP_REGISTER_PAGE_MAX_VECTOR_COUNT; i++)
		KUNIT_EXPECT_EQ(test, mshv_vectors_post(&word, 0x40 + i), 0);
	KUNIT_EXPECT_EQ(test, mshv_vectors_post(&word, 0x50), -ENOSPC);
	KUNIT_EXPECT_EQ(test, mshv_vectors_post(&word, 0x46), 1);
	KUNIT_EXPECT_TRUE(test, mshv_vectors_withdraw(&word, 0x46));
	KUNIT_EXPECT_EQ(test, word & 0xff, 6);

	/* A count the VMM scribbled beyond seven: treated as full. */
	word = 0xff;
	KUNIT_EXPECT_EQ(test, mshv_vectors_post(&word, 0x50), -ENOSPC);
	KUNIT_EXPECT_FALSE(test, mshv_vectors_withdraw(&word, 0x50));

	/*
	 * ... and when the vector is among the seven slots, only those move:
	 * the count becomes six, nothing past the word is written.
	 */
	word = 0xff | vw(0, 0x41, 0x42, 0x43) | 0x4746454400000000ULL;
	KUNIT_EXPECT_TRUE(test, mshv_vectors_withdraw(&word, 0x42));
	KUNIT_EXPECT_EQ(test, word,
			6 | vw(0, 0x41, 0x43, 0x44) | 0x0047464500000000ULL);
}

static struct kunit_case mshv_irq_cases[] = {
	KUNIT_CASE(mshv_irq_decode),
	KUNIT_CASE(mshv_irq_targets),
	KUNIT_CASE(mshv_irq_table),
	KUNIT_CASE(mshv_irq_vectors),
	{}
};

static struct kunit_suite mshv_irq_suite = {
	.name = "mshv_irq",
	.test_cases = mshv_irq_cases,
};

kunit_test_suite(mshv_irq_suite);
