// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of MSHV_GET_GPAP_ACCESS_BITMAP's parts: argument checks,
 * the mapping of access type and op to hypercall flags, bitmap packing,
 * and the GET_GPA_PAGES_ACCESS_STATES wrapper against a fake hypervisor
 * that completes only some reps per call.  Part of mshv_root_kunit
 * (CONFIG_MSHV_ROOT_KUNIT_TEST).
 */

#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/errno.h>
#include <uapi/linux/mshv.h>

#include "mshv_kunit.h"

#define GPAP_FAKE_PID		0x77ULL
#define GPAP_FAKE_PAGES		8192
#define GPAP_FAKE_MAX_CALLS	16

/**
 * struct gpap_fake - a hypervisor that only knows access states
 * @state: HV_GPA_PAGE_ACCESS_* of gfns 0..GPAP_FAKE_PAGES-1
 * @per_call: reps completed per call at most
 * @fail_status: if not 0, every call fails with it, completing nothing
 * @calls: calls seen
 * @start: rep start of each call
 * @count: rep count of each call
 * @gfn: input base gfn of each call
 * @flags: input flags of each call
 * @bad_pid: a call named another partition than GPAP_FAKE_PID
 */
struct gpap_fake {
	u8 state[GPAP_FAKE_PAGES];
	u32 per_call;
	u16 fail_status;
	unsigned int calls;
	u32 start[GPAP_FAKE_MAX_CALLS];
	u32 count[GPAP_FAKE_MAX_CALLS];
	u64 gfn[GPAP_FAKE_MAX_CALLS];
	u64 flags[GPAP_FAKE_MAX_CALLS];
	bool bad_pid;
};

static struct gpap_fake *gpap_fake;

static u8 gpap_fake_apply(u8 st, u64 flags)
{
	if (flags & HV_GPA_PAGE_ACCESS_STATE_CLEAR_ACCESSED)
		st &= ~HV_GPA_PAGE_ACCESS_ACCESSED;
	if (flags & HV_GPA_PAGE_ACCESS_STATE_SET_ACCESSED)
		st |= HV_GPA_PAGE_ACCESS_ACCESSED;
	if (flags & HV_GPA_PAGE_ACCESS_STATE_CLEAR_DIRTY)
		st &= ~HV_GPA_PAGE_ACCESS_DIRTY;
	if (flags & HV_GPA_PAGE_ACCESS_STATE_SET_DIRTY)
		st |= HV_GPA_PAGE_ACCESS_DIRTY;
	return st;
}

static u64 gpap_fake_hypercall(u64 control, void *input, void *output)
{
	const struct hv_input_get_gpa_pages_access_state *in = input;
	struct gpap_fake *f = gpap_fake;
	u32 count = FIELD_GET(HV_HYPERCALL_REP_COMP_MASK, control);
	u32 start = FIELD_GET(HV_HYPERCALL_REP_START_MASK, control);
	u8 *out = output;
	u32 end, i;
	u64 gfn;

	if (FIELD_GET(HV_HYPERCALL_CODE_MASK, control) !=
	    HVCALL_GET_GPA_PAGES_ACCESS_STATES)
		return HV_STATUS_INVALID_HYPERCALL_CODE;
	if (f->calls < GPAP_FAKE_MAX_CALLS) {
		f->start[f->calls] = start;
		f->count[f->calls] = count;
		f->gfn[f->calls] = in->hv_gpa_page_number;
		f->flags[f->calls] = in->flags;
	}
	f->calls++;
	if (in->partition_id != GPAP_FAKE_PID)
		f->bad_pid = true;
	if (f->fail_status)
		return f->fail_status | FIELD_PREP(HV_HYPERCALL_REP_COMP_MASK,
						   (u64)start);
	end = min_t(u64, (u64)start + f->per_call, count);
	for (i = start; i < end; i++) {
		gfn = in->hv_gpa_page_number + i;
		if (gfn >= GPAP_FAKE_PAGES) {
			out[i] = 0;
			continue;
		}
		out[i] = f->state[gfn];
		f->state[gfn] = gpap_fake_apply(f->state[gfn], in->flags);
	}
	return FIELD_PREP(HV_HYPERCALL_REP_COMP_MASK, (u64)end);
}

struct gpap_ctx {
	struct gpap_fake fake;
	struct mshv_hvpages hp;
};

static int gpap_init(struct kunit *test)
{
	struct gpap_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	KUNIT_ASSERT_EQ(test, mshv_hvpages_alloc(&ctx->hp), 0);
	ctx->fake.per_call = U32_MAX;
	gpap_fake = &ctx->fake;
	mshv_kunit_fake_platform(test, gpap_fake_hypercall);
	test->priv = ctx;
	return 0;
}

static void gpap_exit(struct kunit *test)
{
	struct gpap_ctx *ctx = test->priv;

	if (!ctx)
		return;
	gpap_fake = NULL;
	mshv_hvpages_free(&ctx->hp);
}

static void gpap_check_args(struct kunit *test)
{
	struct mshv_gpap_access_bitmap ok = {
		.access_type = MSHV_GPAP_ACCESS_TYPE_DIRTY,
		.access_op = MSHV_GPAP_ACCESS_OP_SET,
		.page_count = 1,
		.gpap_base = 0,
		.bitmap_ptr = 0x1000,
	}, a;

	KUNIT_EXPECT_EQ(test, mshv_gpap_check(&ok), 0);
	a = ok;
	a.access_type = MSHV_GPAP_ACCESS_TYPE_COUNT;
	KUNIT_EXPECT_EQ(test, mshv_gpap_check(&a), -EINVAL);
	a = ok;
	a.access_op = MSHV_GPAP_ACCESS_OP_COUNT;
	KUNIT_EXPECT_EQ(test, mshv_gpap_check(&a), -EINVAL);
	a = ok;
	a.rsvd[0] = 1;
	KUNIT_EXPECT_EQ(test, mshv_gpap_check(&a), -EINVAL);
	a = ok;
	a.page_count = 0;
	KUNIT_EXPECT_EQ(test, mshv_gpap_check(&a), -EINVAL);
	a = ok;
	a.bitmap_ptr = 0;
	KUNIT_EXPECT_EQ(test, mshv_gpap_check(&a), -EINVAL);
	/* The last page of 52-bit GPA space is fine, one more is not. */
	a = ok;
	a.gpap_base = BIT_ULL(40) - 1;
	KUNIT_EXPECT_EQ(test, mshv_gpap_check(&a), 0);
	a.page_count = 2;
	KUNIT_EXPECT_EQ(test, mshv_gpap_check(&a), -EINVAL);
	a.gpap_base = 0;
	a.page_count = BIT_ULL(40);
	KUNIT_EXPECT_EQ(test, mshv_gpap_check(&a), 0);
	a.gpap_base = U64_MAX;
	a.page_count = 2;
	KUNIT_EXPECT_EQ(test, mshv_gpap_check(&a), -EINVAL);
}

static void gpap_flags(struct kunit *test)
{
	const u8 acc = MSHV_GPAP_ACCESS_TYPE_ACCESSED;
	const u8 dirty = MSHV_GPAP_ACCESS_TYPE_DIRTY;

	KUNIT_EXPECT_EQ(test, mshv_gpap_hv_flags(acc, MSHV_GPAP_ACCESS_OP_NOOP),
			0ULL);
	KUNIT_EXPECT_EQ(test, mshv_gpap_hv_flags(dirty, MSHV_GPAP_ACCESS_OP_NOOP),
			0ULL);
	KUNIT_EXPECT_EQ(test, mshv_gpap_hv_flags(acc, MSHV_GPAP_ACCESS_OP_CLEAR),
			HV_GPA_PAGE_ACCESS_STATE_CLEAR_ACCESSED |
			HV_GPA_PAGE_ACCESS_STATE_CLEAR_DIRTY);
	KUNIT_EXPECT_EQ(test, mshv_gpap_hv_flags(acc, MSHV_GPAP_ACCESS_OP_SET),
			HV_GPA_PAGE_ACCESS_STATE_SET_ACCESSED);
	KUNIT_EXPECT_EQ(test, mshv_gpap_hv_flags(dirty, MSHV_GPAP_ACCESS_OP_CLEAR),
			HV_GPA_PAGE_ACCESS_STATE_CLEAR_DIRTY);
	KUNIT_EXPECT_EQ(test, mshv_gpap_hv_flags(dirty, MSHV_GPAP_ACCESS_OP_SET),
			HV_GPA_PAGE_ACCESS_STATE_SET_DIRTY |
			HV_GPA_PAGE_ACCESS_STATE_SET_ACCESSED);
}

static void gpap_pack(struct kunit *test)
{
	u8 states[12] = { 3, 0, 2, 1, 0, 0, 0, 2, 2, 0, 1, 2 };
	u8 bitmap[3];

	memset(bitmap, 0xff, sizeof(bitmap));
	mshv_gpap_pack(states, 12, HV_GPA_PAGE_ACCESS_DIRTY, bitmap);
	KUNIT_EXPECT_EQ(test, bitmap[0], 0x85);	/* pages 0, 2, 7 */
	KUNIT_EXPECT_EQ(test, bitmap[1], 0x09);	/* 8, 11; top bits 0 */
	KUNIT_EXPECT_EQ(test, bitmap[2], 0xff);	/* not written */
	mshv_gpap_pack(states, 12, HV_GPA_PAGE_ACCESS_ACCESSED, bitmap);
	KUNIT_EXPECT_EQ(test, bitmap[0], 0x09);	/* pages 0, 3 */
	KUNIT_EXPECT_EQ(test, bitmap[1], 0x04);	/* 10 */
}

/* A batch the hypervisor completes in pieces is resumed, not reissued. */
static void gpap_wrapper_resumes(struct kunit *test)
{
	struct gpap_ctx *ctx = test->priv;
	struct gpap_fake *f = &ctx->fake;
	const u8 *out = ctx->hp.out;
	u32 i;

	for (i = 0; i < GPAP_FAKE_PAGES; i++)
		f->state[i] = i % 4;
	f->per_call = 1000;
	KUNIT_ASSERT_EQ(test, mshv_hv_get_gpa_access_states(&ctx->hp,
							    GPAP_FAKE_PID, 100,
							    MSHV_GPA_ACCESS_BATCH,
							    HV_GPA_PAGE_ACCESS_STATE_CLEAR_DIRTY),
			0);
	KUNIT_ASSERT_EQ(test, f->calls, 5U);	/* 4032 = 4 * 1000 + 32 */
	for (i = 0; i < 5; i++) {
		KUNIT_EXPECT_EQ(test, f->start[i], i * 1000);
		KUNIT_EXPECT_EQ(test, f->count[i], (u32)MSHV_GPA_ACCESS_BATCH);
		KUNIT_EXPECT_EQ(test, f->gfn[i], 100ULL);
		KUNIT_EXPECT_EQ(test, f->flags[i],
				HV_GPA_PAGE_ACCESS_STATE_CLEAR_DIRTY);
	}
	KUNIT_EXPECT_FALSE(test, f->bad_pid);
	for (i = 0; i < MSHV_GPA_ACCESS_BATCH; i++) {
		KUNIT_EXPECT_EQ(test, out[i], (u8)((100 + i) % 4));
		KUNIT_EXPECT_EQ(test, f->state[100 + i], (u8)((100 + i) % 2));
	}
	KUNIT_EXPECT_EQ(test, f->state[99], (u8)3);
	KUNIT_EXPECT_EQ(test, f->state[100 + MSHV_GPA_ACCESS_BATCH], (u8)0);
}

static void gpap_wrapper_error(struct kunit *test)
{
	struct gpap_ctx *ctx = test->priv;
	struct gpap_fake *f = &ctx->fake;

	f->fail_status = HV_STATUS_INVALID_PARAMETER;
	KUNIT_EXPECT_EQ(test, mshv_hv_get_gpa_access_states(&ctx->hp,
							    GPAP_FAKE_PID, 0, 8,
							    0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, f->calls, 1U);
	f->fail_status = HV_STATUS_INVALID_PARTITION_STATE;
	KUNIT_EXPECT_EQ(test, mshv_hv_get_gpa_access_states(&ctx->hp,
							    GPAP_FAKE_PID, 0, 8,
							    0),
			-EIO);
}

/* Pure helpers: no platform needed. */
static struct kunit_case gpap_cases[] = {
	KUNIT_CASE(gpap_check_args),
	KUNIT_CASE(gpap_flags),
	KUNIT_CASE(gpap_pack),
	{}
};

static struct kunit_suite gpap_suite = {
	.name = "mshv_gpap",
	.test_cases = gpap_cases,
};

/* The hypercall wrapper, on the fake platform. */
static struct kunit_case gpap_hvcall_cases[] = {
	KUNIT_CASE(gpap_wrapper_resumes),
	KUNIT_CASE(gpap_wrapper_error),
	{}
};

static struct kunit_suite gpap_hvcall_suite = {
	.name = "mshv_gpap_hvcall",
	.init = gpap_init,
	.exit = gpap_exit,
	.test_cases = gpap_hvcall_cases,
};

kunit_test_suites(&gpap_suite, &gpap_hvcall_suite);
