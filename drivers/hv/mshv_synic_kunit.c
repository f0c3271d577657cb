// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the SynIC message parser of mshv_root.
 *
 * A fake partition with a few VPs is published in the partition table,
 * then messages of each type are fed to mshv_synic_dispatch(), which the
 * ISR calls on the intercept slot.  The tests check which VPs were kicked
 * and that malformed messages (indexes or counts out of range, unknown
 * partitions, formats or types) are ignored.  Each message is its own
 * exactly-sized allocation, so KASAN reports any read beyond it.  Part
 * of mshv_root_kunit (CONFIG_MSHV_ROOT_KUNIT_TEST).
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/errno.h>
#include <linux/rcuwait.h>

#include "mshv_kunit.h"

/* Far from the small ids hvsim hands out. */
#define FAKE_PT_ID	0x7e57000000000001ULL
#define OTHER_PT_ID	0x7e57000000000002ULL

static const u32 mshv_fake_vps[] = { 0, 63, 64, 255 };

struct mshv_synic_ctx {
	struct mshv_partition *pt;
	struct hv_message *msg;
};

static int mshv_synic_init_test(struct kunit *test)
{
	struct mshv_synic_ctx *ctx;
	struct mshv_partition *pt;
	struct mshv_vp *vp;
	unsigned int i;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->msg = kunit_kzalloc(test, sizeof(*ctx->msg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->msg);
	pt = kunit_kzalloc(test, sizeof(*pt), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pt);
	pt->pt_id = FAKE_PT_ID;
	init_completion(&pt->pt_async_done);
	for (i = 0; i < ARRAY_SIZE(mshv_fake_vps); i++) {
		vp = kunit_kzalloc(test, sizeof(*vp), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, vp);
		vp->vp_index = mshv_fake_vps[i];
		vp->vp_pt = pt;
		rcuwait_init(&vp->vp_wait);
		pt->pt_vps[vp->vp_index] = vp;
	}
	if (mshv_kunit_publish(pt))
		kunit_skip(test, "partition id %#llx in use", FAKE_PT_ID);
	ctx->pt = pt;
	test->priv = ctx;
	return 0;
}

static void mshv_synic_exit_test(struct kunit *test)
{
	struct mshv_synic_ctx *ctx = test->priv;

	if (ctx)
		mshv_kunit_unpublish(ctx->pt);
}

/* Bitmap of the kicked fake VPs, in mshv_fake_vps[] order; clears them. */
static unsigned int mshv_kicked(struct mshv_synic_ctx *ctx)
{
	unsigned int i, mask = 0;
	struct mshv_vp *vp;

	for (i = 0; i < ARRAY_SIZE(mshv_fake_vps); i++) {
		vp = ctx->pt->pt_vps[mshv_fake_vps[i]];
		if (vp->vp_kicked)
			mask |= BIT(i);
		vp->vp_kicked = false;
	}
	return mask;
}

static struct hv_message *mshv_msg(struct mshv_synic_ctx *ctx, u32 type)
{
	memset(ctx->msg, 0, sizeof(*ctx->msg));
	ctx->msg->header.message_type = type;
	ctx->msg->header.payload_size = HV_MESSAGE_PAYLOAD_BYTE_COUNT;
	return ctx->msg;
}

static void mshv_synic_pair(struct kunit *test)
{
	struct mshv_synic_ctx *ctx = test->priv;
	struct hv_message *msg = mshv_msg(ctx, HVMSG_SCHEDULER_VP_SIGNAL_PAIR);
	struct hv_vp_signal_pair_scheduler_message *m = (void *)msg->u.bytes;

	m->vp_count = 3;
	m->partition_ids[0] = FAKE_PT_ID;
	m->vp_indexes[0] = 0;
	m->partition_ids[1] = FAKE_PT_ID;
	m->vp_indexes[1] = 255;
	m->partition_ids[2] = OTHER_PT_ID;	/* unknown: ignored */
	m->vp_indexes[2] = 63;
	/* Beyond vp_count: not looked at. */
	m->partition_ids[3] = FAKE_PT_ID;
	m->vp_indexes[3] = 64;
	KUNIT_EXPECT_EQ(test, mshv_synic_dispatch(msg), 0);
	KUNIT_EXPECT_EQ(test, mshv_kicked(ctx), BIT(0) | BIT(3));
}

static void mshv_synic_pair_bad(struct kunit *test)
{
	struct mshv_synic_ctx *ctx = test->priv;
	struct hv_message *msg = mshv_msg(ctx, HVMSG_SCHEDULER_VP_SIGNAL_PAIR);
	struct hv_vp_signal_pair_scheduler_message *m = (void *)msg->u.bytes;
	unsigned int i;

	/* VP indexes past the array, or with no VP, are ignored. */
	m->vp_count = 4;
	for (i = 0; i < 4; i++)
		m->partition_ids[i] = FAKE_PT_ID;
	m->vp_indexes[0] = MSHV_MAX_VPS;
	m->vp_indexes[1] = U32_MAX;
	m->vp_indexes[2] = 0x80000000;
	m->vp_indexes[3] = 5;
	KUNIT_EXPECT_EQ(test, mshv_synic_dispatch(msg), 0);
	KUNIT_EXPECT_EQ(test, mshv_kicked(ctx), 0U);

	/* A count past the array is clamped to its 19 entries. */
	msg = mshv_msg(ctx, HVMSG_SCHEDULER_VP_SIGNAL_PAIR);
	m->vp_count = 0xff;
	for (i = 0; i < HV_SCHEDULER_PAIR_MAX; i++) {
		m->partition_ids[i] = OTHER_PT_ID;
		m->vp_indexes[i] = 0;
	}
	m->partition_ids[HV_SCHEDULER_PAIR_MAX - 1] = FAKE_PT_ID;
	m->vp_indexes[HV_SCHEDULER_PAIR_MAX - 1] = 64;
	m->reserved2[0] = 0xff;
	KUNIT_EXPECT_EQ(test, mshv_synic_dispatch(msg), 0);
	KUNIT_EXPECT_EQ(test, mshv_kicked(ctx), BIT(2));
}

static void mshv_synic_bitset(struct kunit *test)
{
	struct mshv_synic_ctx *ctx = test->priv;
	struct hv_message *msg =
		mshv_msg(ctx, HVMSG_SCHEDULER_VP_SIGNAL_BITSET);
	struct hv_vp_signal_bitset_scheduler_message *m = (void *)msg->u.bytes;

	/* Banks 0 and 3 present, in that order in the contents. */
	m->partition_id = FAKE_PT_ID;
	m->vpset_format = HV_GENERIC_SET_SPARSE_4K;
	m->vpset_valid_bank_mask = BIT_ULL(0) | BIT_ULL(3);
	m->vpset_bank_contents[0] = BIT_ULL(63);	/* VP 63 */
	m->vpset_bank_contents[1] = BIT_ULL(63);	/* VP 255 */
	KUNIT_EXPECT_EQ(test, mshv_synic_dispatch(msg), 0);
	KUNIT_EXPECT_EQ(test, mshv_kicked(ctx), BIT(1) | BIT(3));

	/* Bank 1 holds VP 64. */
	m->vpset_valid_bank_mask = BIT_ULL(1);
	m->vpset_bank_contents[0] = BIT_ULL(0) | BIT_ULL(5);
	KUNIT_EXPECT_EQ(test, mshv_synic_dispatch(msg), 0);
	KUNIT_EXPECT_EQ(test, mshv_kicked(ctx), BIT(2));
}

static void mshv_synic_bitset_bad(struct kunit *test)
{
	struct mshv_synic_ctx *ctx = test->priv;
	struct hv_message *msg =
		mshv_msg(ctx, HVMSG_SCHEDULER_VP_SIGNAL_BITSET);
	struct hv_vp_signal_bitset_scheduler_message *m = (void *)msg->u.bytes;
	unsigned int i;

	/* Every bank claimed present, every bit set: only the 26 banks in
	 * the message are read, and only banks 0..3 name VPs.
	 */
	m->partition_id = FAKE_PT_ID;
	m->vpset_format = HV_GENERIC_SET_SPARSE_4K;
	m->vpset_valid_bank_mask = U64_MAX;
	for (i = 0; i < HV_SCHEDULER_BITSET_BANKS; i++)
		m->vpset_bank_contents[i] = U64_MAX;
	KUNIT_EXPECT_EQ(test, mshv_synic_dispatch(msg), 0);
	KUNIT_EXPECT_EQ(test, mshv_kicked(ctx), 0xfU);

	/* Banks past the VP array are skipped. */
	m->vpset_valid_bank_mask = GENMASK_ULL(63, MSHV_MAX_VPS / 64);
	KUNIT_EXPECT_EQ(test, mshv_synic_dispatch(msg), 0);
	KUNIT_EXPECT_EQ(test, mshv_kicked(ctx), 0U);

	/* Unknown partition. */
	m->vpset_valid_bank_mask = U64_MAX;
	m->partition_id = OTHER_PT_ID;
	KUNIT_EXPECT_EQ(test, mshv_synic_dispatch(msg), 0);
	KUNIT_EXPECT_EQ(test, mshv_kicked(ctx), 0U);

	/* Unknown set format: rejected. */
	m->partition_id = FAKE_PT_ID;
	m->vpset_format = 1;
	KUNIT_EXPECT_EQ(test, mshv_synic_dispatch(msg), -EINVAL);
	KUNIT_EXPECT_EQ(test, mshv_kicked(ctx), 0U);
}

static void mshv_synic_opaque(struct kunit *test)
{
	struct mshv_synic_ctx *ctx = test->priv;
	struct hv_message *msg = mshv_msg(ctx, HVMSG_OPAQUE_INTERCEPT);
	struct hv_opaque_intercept_message *m = (void *)msg->u.bytes;

	msg->header.sender = FAKE_PT_ID;
	m->vp_index = 64;
	KUNIT_EXPECT_EQ(test, mshv_synic_dispatch(msg), 0);
	KUNIT_EXPECT_EQ(test, mshv_kicked(ctx), BIT(2));

	m->vp_index = MSHV_MAX_VPS;
	KUNIT_EXPECT_EQ(test, mshv_synic_dispatch(msg), 0);
	m->vp_index = U32_MAX;
	KUNIT_EXPECT_EQ(test, mshv_synic_dispatch(msg), 0);
	m->vp_index = 1;		/* no such VP */
	KUNIT_EXPECT_EQ(test, mshv_synic_dispatch(msg), 0);
	msg->header.sender = OTHER_PT_ID;
	m->vp_index = 0;
	KUNIT_EXPECT_EQ(test, mshv_synic_dispatch(msg), 0);
	KUNIT_EXPECT_EQ(test, mshv_kicked(ctx), 0U);
}

static void mshv_synic_async(struct kunit *test)
{
	struct mshv_synic_ctx *ctx = test->priv;
	struct hv_message *msg = mshv_msg(ctx, HVMSG_ASYNC_CALL_COMPLETION);
	struct hv_async_completion_message_payload *m = (void *)msg->u.bytes;

	/* For a partition that does not exist: nothing happens. */
	m->partition_id = OTHER_PT_ID;
	m->status = HV_STATUS_ACCESS_DENIED;
	KUNIT_EXPECT_EQ(test, mshv_synic_dispatch(msg), 0);
	KUNIT_EXPECT_FALSE(test, completion_done(&ctx->pt->pt_async_done));
	KUNIT_EXPECT_EQ(test, ctx->pt->pt_async_status, 0);

	m->partition_id = FAKE_PT_ID;
	m->status = 0x10000 | HV_STATUS_INVALID_PARAMETER;
	KUNIT_EXPECT_EQ(test, mshv_synic_dispatch(msg), 0);
	KUNIT_EXPECT_TRUE(test, completion_done(&ctx->pt->pt_async_done));
	/* The status is a 16-bit HV_STATUS_*. */
	KUNIT_EXPECT_EQ(test, ctx->pt->pt_async_status,
			(u16)HV_STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, mshv_kicked(ctx), 0U);
}

static void mshv_synic_unknown(struct kunit *test)
{
	struct mshv_synic_ctx *ctx = test->priv;
	static const u32 types[] = {
		HVMSG_NONE, HVMSG_UNMAPPED_GPA, HVMSG_X64_HALT,
		HVMSG_SYNIC_SINT_DELIVERABLE, 0xffffffff,
	};
	struct hv_message *msg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		msg = mshv_msg(ctx, types[i]);
		msg->header.sender = FAKE_PT_ID;
		memset(msg->u.bytes, 0, sizeof(msg->u.bytes));
		KUNIT_EXPECT_EQ(test, mshv_synic_dispatch(msg), -EINVAL);
	}
	KUNIT_EXPECT_EQ(test, mshv_kicked(ctx), 0U);
	KUNIT_EXPECT_FALSE(test, completion_done(&ctx->pt->pt_async_done));
}

static struct kunit_case mshv_synic_cases[] = {
	KUNIT_CASE(mshv_synic_pair),
	KUNIT_CASE(mshv_synic_pair_bad),
	KUNIT_CASE(mshv_synic_bitset),
	KUNIT_CASE(mshv_synic_bitset_bad),
	KUNIT_CASE(mshv_synic_opaque),
	KUNIT_CASE(mshv_synic_async),
	KUNIT_CASE(mshv_synic_unknown),
	{}
};

static struct kunit_suite mshv_synic_suite = {
	.name = "mshv_synic",
	.init = mshv_synic_init_test,
	.exit = mshv_synic_exit_test,
	.test_cases = mshv_synic_cases,
};

kunit_test_suite(mshv_synic_suite);
