// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the rep-hypercall loop and deposit-and-retry of mshv_root.
 *
 * A fake platform below the seam (struct mshv_platform_ops) completes a
 * configurable number of rep elements per call, or reports a status, and
 * records the control words it receives.  It owns the pages deposited into
 * it and frees them at once, as a hypervisor that gives them back would.
 * Part of mshv_root_kunit (CONFIG_MSHV_ROOT_KUNIT_TEST).
 */

#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/errno.h>
#include <linux/mm.h>

#include "mshv_kunit.h"

#define FAKE_MAX_CALLS	160
#define FAKE_PID	0x1234ULL

/**
 * struct mshv_fake - state of the fake platform
 * @main: result of every call that is not a deposit (the call under test)
 * @per_call: elements @main completes per call
 * @nomem_call: 1-based call number on which @main reports
 *	HV_STATUS_INSUFFICIENT_MEMORY, 0 for never
 * @fail_status: status @main reports once @fail_at elements are done
 * @fail_at: see @fail_status
 * @deposit_status: status of DEPOSIT_MEMORY (after @deposit_per_call pages)
 * @deposit_per_call: pages a deposit call accepts, 0 for all
 * @calls: calls other than deposits
 * @start: rep start of each such call
 * @count: rep count of each such call
 * @codes: call code of each such call
 * @deposits: DEPOSIT_MEMORY calls
 * @deposit_pid: partition id of the last deposit
 * @deposit_bad_pid: a deposit named another partition than @deposit_pid
 * @deposit_start: rep start of each deposit call
 * @deposit_next: rep start the next deposit call must have
 * @deposit_bad_start: a deposit did not resume where the last one stopped
 * @deposit_run: the last deposit call was one naturally aligned run of
 *	consecutive frames
 * @pages: pages accepted (and freed) by deposits
 */
struct mshv_fake {
	u64 (*main)(struct mshv_fake *f, u32 start, u32 count);
	u32 per_call;
	unsigned int nomem_call;
	u16 fail_status;
	u32 fail_at;
	u16 deposit_status;
	u32 deposit_per_call;

	unsigned int calls;
	u32 start[FAKE_MAX_CALLS];
	u32 count[FAKE_MAX_CALLS];
	u16 codes[FAKE_MAX_CALLS];
	unsigned int deposits;
	u64 deposit_pid;
	bool deposit_bad_pid;
	u32 deposit_start[FAKE_MAX_CALLS];
	u32 deposit_next;
	bool deposit_bad_start;
	bool deposit_run;
	u64 pages;
};

static struct mshv_fake *mshv_fake;

static u64 mshv_fake_result(u16 status, u32 done)
{
	return status | FIELD_PREP(HV_HYPERCALL_REP_COMP_MASK, (u64)done);
}

/* Completes per_call elements, with the optional failures configured. */
static u64 mshv_fake_progress(struct mshv_fake *f, u32 start, u32 count)
{
	u32 done = min_t(u64, (u64)start + f->per_call, count);

	if (f->nomem_call && f->calls == f->nomem_call)
		return mshv_fake_result(HV_STATUS_INSUFFICIENT_MEMORY, start);
	if (f->fail_status && done >= f->fail_at)
		return mshv_fake_result(f->fail_status, f->fail_at);
	return mshv_fake_result(HV_STATUS_SUCCESS, done);
}

static u64 mshv_fake_always_nomem(struct mshv_fake *f, u32 start, u32 count)
{
	return mshv_fake_result(HV_STATUS_INSUFFICIENT_MEMORY, start);
}

static u64 mshv_fake_deposit(struct mshv_fake *f, u32 start, u32 count,
			     const struct hv_input_deposit_memory *in)
{
	u32 end = count, i;

	if (f->deposits && in->partition_id != f->deposit_pid)
		f->deposit_bad_pid = true;
	f->deposit_pid = in->partition_id;
	if (f->deposits < FAKE_MAX_CALLS)
		f->deposit_start[f->deposits] = start;
	f->deposits++;

	/*
	 * A deposit that does not resume where the last one stopped would
	 * hand over pages already taken: refuse it rather than free them
	 * twice.
	 */
	if (start != f->deposit_next || start >= count) {
		f->deposit_bad_start = true;
		return mshv_fake_result(HV_STATUS_INVALID_PARAMETER, start);
	}
	if (f->deposit_per_call)
		end = min_t(u64, (u64)start + f->deposit_per_call, count);
	if (f->deposit_status)
		end = start;
	f->deposit_next = end < count && !f->deposit_status ? end : 0;
	f->deposit_run = end > start &&
			 !(in->gpa_page_list[start] % (end - start));
	for (i = start + 1; i < end; i++)
		if (in->gpa_page_list[i] != in->gpa_page_list[i - 1] + 1)
			f->deposit_run = false;
	/* Accepted pages belong to the "hypervisor": give them back. */
	for (i = start; i < end; i++) {
		__free_page(pfn_to_page(in->gpa_page_list[i]));
		f->pages++;
	}
	return mshv_fake_result(f->deposit_status, end);
}

static u64 mshv_fake_hypercall(u64 control, void *input, void *output)
{
	struct mshv_fake *f = mshv_fake;
	u16 code = FIELD_GET(HV_HYPERCALL_CODE_MASK, control);
	u32 count = FIELD_GET(HV_HYPERCALL_REP_COMP_MASK, control);
	u32 start = FIELD_GET(HV_HYPERCALL_REP_START_MASK, control);

	if (code == HVCALL_DEPOSIT_MEMORY)
		return mshv_fake_deposit(f, start, count, input);
	if (f->calls < FAKE_MAX_CALLS) {
		f->start[f->calls] = start;
		f->count[f->calls] = count;
		f->codes[f->calls] = code;
	}
	f->calls++;
	return f->main(f, start, count);
}

struct mshv_rep_ctx {
	struct mshv_fake fake;
	struct mshv_hvpages hp;
};

static int mshv_rep_init(struct kunit *test)
{
	struct mshv_rep_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	KUNIT_ASSERT_EQ(test, mshv_hvpages_alloc(&ctx->hp), 0);
	ctx->fake.main = mshv_fake_progress;
	ctx->fake.per_call = U32_MAX;
	mshv_fake = &ctx->fake;
	mshv_kunit_fake_platform(test, mshv_fake_hypercall);
	test->priv = ctx;
	return 0;
}

static void mshv_rep_exit(struct kunit *test)
{
	struct mshv_rep_ctx *ctx = test->priv;

	if (!ctx)
		return;
	mshv_fake = NULL;
	mshv_hvpages_free(&ctx->hp);
}

static int mshv_rep_call(struct mshv_rep_ctx *ctx, u32 count, u64 pid,
			 u32 pages, u32 *done, u16 *status)
{
	return mshv_hvcall_rep(HVCALL_MAP_GPA_PAGES, 3, count, ctx->hp.in,
			       ctx->hp.out, pid, pages, done, status);
}

/* Each call resumes at the number of elements completed so far. */
static void mshv_rep_resumes(struct kunit *test)
{
	struct mshv_rep_ctx *ctx = test->priv;
	struct mshv_fake *f = &ctx->fake;
	u32 done = 0;
	u16 st = 0xffff;

	f->per_call = 3;
	KUNIT_EXPECT_EQ(test, mshv_rep_call(ctx, 10, HV_PARTITION_ID_INVALID,
					    0, &done, &st), 0);
	KUNIT_EXPECT_EQ(test, done, 10U);
	KUNIT_EXPECT_EQ(test, st, (u16)HV_STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->calls, 4U);
	KUNIT_EXPECT_EQ(test, f->start[0], 0U);
	KUNIT_EXPECT_EQ(test, f->start[1], 3U);
	KUNIT_EXPECT_EQ(test, f->start[2], 6U);
	KUNIT_EXPECT_EQ(test, f->start[3], 9U);
	/* The rep count and the call code stay those of the whole call. */
	KUNIT_EXPECT_EQ(test, f->count[0], 10U);
	KUNIT_EXPECT_EQ(test, f->count[3], 10U);
	KUNIT_EXPECT_EQ(test, f->codes[3], (u16)HVCALL_MAP_GPA_PAGES);
	KUNIT_EXPECT_EQ(test, f->deposits, 0U);
}

/* One call finishing everything is issued once, from rep start 0. */
static void mshv_rep_single(struct kunit *test)
{
	struct mshv_rep_ctx *ctx = test->priv;
	struct mshv_fake *f = &ctx->fake;
	u32 done = 0;

	KUNIT_EXPECT_EQ(test, mshv_rep_call(ctx, HV_HYPERCALL_REP_MAX,
					    HV_PARTITION_ID_INVALID, 0, &done,
					    NULL), 0);
	KUNIT_EXPECT_EQ(test, done, (u32)HV_HYPERCALL_REP_MAX);
	KUNIT_EXPECT_EQ(test, f->calls, 1U);
	KUNIT_EXPECT_EQ(test, f->start[0], 0U);
}

/* INSUFFICIENT_MEMORY mid-way: deposit into the right partition, resume. */
static void mshv_rep_deposit_resume(struct kunit *test)
{
	struct mshv_rep_ctx *ctx = test->priv;
	struct mshv_fake *f = &ctx->fake;
	u32 done = 0;

	f->per_call = 4;
	f->nomem_call = 2;
	KUNIT_EXPECT_EQ(test, mshv_rep_call(ctx, 10, FAKE_PID, 3, &done, NULL),
			0);
	KUNIT_EXPECT_EQ(test, done, 10U);
	KUNIT_ASSERT_EQ(test, f->calls, 4U);
	KUNIT_EXPECT_EQ(test, f->start[0], 0U);
	KUNIT_EXPECT_EQ(test, f->start[1], 4U);
	/* Retried from where the failed call stopped. */
	KUNIT_EXPECT_EQ(test, f->start[2], 4U);
	KUNIT_EXPECT_EQ(test, f->start[3], 8U);
	KUNIT_EXPECT_EQ(test, f->deposits, 1U);
	KUNIT_EXPECT_EQ(test, f->deposit_pid, FAKE_PID);
	KUNIT_EXPECT_EQ(test, f->pages, 3ULL);
	KUNIT_EXPECT_FALSE(test, f->deposit_bad_start);
}

/* Without a deposit partition, INSUFFICIENT_MEMORY is an error at once. */
static void mshv_rep_nomem_no_deposit(struct kunit *test)
{
	struct mshv_rep_ctx *ctx = test->priv;
	struct mshv_fake *f = &ctx->fake;
	u32 done = 99;
	u16 st = 0;

	f->per_call = 4;
	f->nomem_call = 2;
	KUNIT_EXPECT_EQ(test, mshv_rep_call(ctx, 10, HV_PARTITION_ID_INVALID,
					    3, &done, &st), -ENOMEM);
	KUNIT_EXPECT_EQ(test, done, 4U);
	KUNIT_EXPECT_EQ(test, st, (u16)HV_STATUS_INSUFFICIENT_MEMORY);
	KUNIT_EXPECT_EQ(test, f->calls, 2U);
	KUNIT_EXPECT_EQ(test, f->deposits, 0U);
}

/* No progress however much is deposited: give up after the bound. */
static void mshv_rep_gives_up(struct kunit *test)
{
	struct mshv_rep_ctx *ctx = test->priv;
	struct mshv_fake *f = &ctx->fake;
	u32 done = 99;

	f->main = mshv_fake_always_nomem;
	KUNIT_EXPECT_EQ(test, mshv_rep_call(ctx, 10, FAKE_PID, 1, &done, NULL),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, done, 0U);
	KUNIT_EXPECT_EQ(test, f->calls, MSHV_MAX_DEPOSIT_RETRIES + 1U);
	KUNIT_EXPECT_EQ(test, f->deposits, MSHV_MAX_DEPOSIT_RETRIES + 1U);
	KUNIT_EXPECT_EQ(test, f->pages, MSHV_MAX_DEPOSIT_RETRIES + 1ULL);
	KUNIT_EXPECT_FALSE(test, f->deposit_bad_pid);
	KUNIT_EXPECT_EQ(test, f->deposit_pid, FAKE_PID);
}

/* Progress resets the bound: many slow rounds still complete. */
static void mshv_rep_progress_resets_bound(struct kunit *test)
{
	struct mshv_rep_ctx *ctx = test->priv;
	struct mshv_fake *f = &ctx->fake;
	u32 done = 0;

	f->per_call = 1;
	KUNIT_EXPECT_EQ(test, mshv_rep_call(ctx, MSHV_MAX_DEPOSIT_RETRIES * 2,
					    HV_PARTITION_ID_INVALID, 0, &done,
					    NULL), 0);
	KUNIT_EXPECT_EQ(test, done, MSHV_MAX_DEPOSIT_RETRIES * 2U);
	KUNIT_EXPECT_EQ(test, f->calls, MSHV_MAX_DEPOSIT_RETRIES * 2U);
}

/* A failure status ends the loop with its errno and the progress made. */
static void mshv_rep_error_propagates(struct kunit *test)
{
	struct mshv_rep_ctx *ctx = test->priv;
	struct mshv_fake *f = &ctx->fake;
	u32 done = 0;
	u16 st = 0;

	f->per_call = 2;
	f->fail_status = HV_STATUS_INVALID_PARAMETER;
	f->fail_at = 5;
	KUNIT_EXPECT_EQ(test, mshv_rep_call(ctx, 10, FAKE_PID, 1, &done, &st),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, done, 5U);
	KUNIT_EXPECT_EQ(test, st, (u16)HV_STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, f->calls, 3U);
	KUNIT_EXPECT_EQ(test, f->deposits, 0U);
}

/* A failing deposit fails the call; the rejected pages are freed. */
static void mshv_rep_deposit_fails(struct kunit *test)
{
	struct mshv_rep_ctx *ctx = test->priv;
	struct mshv_fake *f = &ctx->fake;
	u32 done = 99;

	f->per_call = 4;
	f->nomem_call = 1;
	f->deposit_status = HV_STATUS_ACCESS_DENIED;
	KUNIT_EXPECT_EQ(test, mshv_rep_call(ctx, 10, FAKE_PID, 5, &done, NULL),
			-EIO);
	KUNIT_EXPECT_EQ(test, done, 0U);
	KUNIT_EXPECT_EQ(test, f->calls, 1U);
	KUNIT_EXPECT_EQ(test, f->deposits, 1U);
	KUNIT_EXPECT_EQ(test, f->pages, 0ULL);
}

static u64 mshv_fake_backwards(struct mshv_fake *f, u32 start, u32 count)
{
	/* First call claims 6 done, the next one 2: never trusted. */
	return mshv_fake_result(HV_STATUS_SUCCESS, f->calls == 1 ? 6 : 2);
}

static u64 mshv_fake_too_many(struct mshv_fake *f, u32 start, u32 count)
{
	return mshv_fake_result(HV_STATUS_SUCCESS, count + 1);
}

static u64 mshv_fake_absent(struct mshv_fake *f, u32 start, u32 count)
{
	return HV_HYPERCALL_NO_HYPERVISOR;
}

/* Rep counts that go backwards or beyond the request are -EIO. */
static void mshv_rep_bogus_counts(struct kunit *test)
{
	struct mshv_rep_ctx *ctx = test->priv;
	struct mshv_fake *f = &ctx->fake;
	u32 done = 99;

	f->main = mshv_fake_backwards;
	KUNIT_EXPECT_EQ(test, mshv_rep_call(ctx, 10, FAKE_PID, 1, &done, NULL),
			-EIO);
	KUNIT_EXPECT_EQ(test, done, 6U);
	KUNIT_EXPECT_EQ(test, f->calls, 2U);

	f->calls = 0;
	f->main = mshv_fake_too_many;
	KUNIT_EXPECT_EQ(test, mshv_rep_call(ctx, 10, FAKE_PID, 1, &done, NULL),
			-EIO);
	KUNIT_EXPECT_EQ(test, done, 0U);
	KUNIT_EXPECT_EQ(test, f->calls, 1U);
}

/* Without a hypervisor the call fails at once and deposits nothing. */
static void mshv_rep_absent(struct kunit *test)
{
	struct mshv_rep_ctx *ctx = test->priv;
	struct mshv_fake *f = &ctx->fake;
	u32 done = 99;

	f->main = mshv_fake_absent;
	KUNIT_EXPECT_EQ(test, mshv_rep_call(ctx, 10, FAKE_PID, 1, &done, NULL),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, done, 0U);
	KUNIT_EXPECT_EQ(test, f->deposits, 0U);
	KUNIT_EXPECT_EQ(test, f->calls, 1U);
}

/* Simple calls: deposit one page per INSUFFICIENT_MEMORY, bounded. */
static void mshv_deposit_retry_simple(struct kunit *test)
{
	struct mshv_rep_ctx *ctx = test->priv;
	struct mshv_fake *f = &ctx->fake;
	u64 control = mshv_hvcall_control(HVCALL_CREATE_VP, false, 0, 0, 0);
	u64 r;

	f->main = mshv_fake_always_nomem;
	r = mshv_hvcall_deposit_retry(control, ctx->hp.in, ctx->hp.out,
				      FAKE_PID);
	KUNIT_EXPECT_EQ(test, mshv_hvcall_status(r),
			(u16)HV_STATUS_INSUFFICIENT_MEMORY);
	KUNIT_EXPECT_EQ(test, f->calls, MSHV_MAX_DEPOSIT_RETRIES + 1U);
	KUNIT_EXPECT_EQ(test, f->deposits, (unsigned int)MSHV_MAX_DEPOSIT_RETRIES);
	KUNIT_EXPECT_EQ(test, f->pages,
			(u64)MSHV_MAX_DEPOSIT_RETRIES * MSHV_RETRY_DEPOSIT);
	KUNIT_EXPECT_EQ(test, f->deposit_pid, FAKE_PID);
	KUNIT_EXPECT_FALSE(test, f->deposit_bad_pid);
	KUNIT_EXPECT_EQ(test, f->codes[0], (u16)HVCALL_CREATE_VP);

	/* Succeeds on the second attempt after one deposit. */
	memset(f, 0, sizeof(*f));
	f->main = mshv_fake_progress;
	f->per_call = U32_MAX;
	f->nomem_call = 1;
	r = mshv_hvcall_deposit_retry(control, ctx->hp.in, ctx->hp.out,
				      FAKE_PID + 1);
	KUNIT_EXPECT_EQ(test, r, 0ULL);
	KUNIT_EXPECT_EQ(test, f->calls, 2U);
	KUNIT_EXPECT_EQ(test, f->deposits, 1U);
	KUNIT_EXPECT_EQ(test, f->deposit_pid, FAKE_PID + 1);
}

/* Deposits are batched per input page and resumed within a batch. */
static void mshv_deposit_batches(struct kunit *test)
{
	struct mshv_rep_ctx *ctx = test->priv;
	struct mshv_fake *f = &ctx->fake;

	f->deposit_per_call = 200;
	KUNIT_EXPECT_EQ(test, mshv_hv_deposit_pages(FAKE_PID, 1000), 0);
	KUNIT_EXPECT_EQ(test, f->pages, 1000ULL);
	KUNIT_EXPECT_EQ(test, f->deposit_pid, FAKE_PID);
	KUNIT_EXPECT_FALSE(test, f->deposit_bad_pid);
	/* 511 = 200 + 200 + 111, then 489 = 200 + 200 + 89. */
	KUNIT_ASSERT_EQ(test, f->deposits, 6U);
	KUNIT_EXPECT_EQ(test, f->deposit_start[0], 0U);
	KUNIT_EXPECT_EQ(test, f->deposit_start[1], 200U);
	KUNIT_EXPECT_EQ(test, f->deposit_start[2], 400U);
	KUNIT_EXPECT_EQ(test, f->deposit_start[3], 0U);
	KUNIT_EXPECT_EQ(test, f->deposit_start[5], 400U);
	KUNIT_EXPECT_FALSE(test, f->deposit_bad_start);
	KUNIT_EXPECT_EQ(test, f->calls, 0U);
}

/* Each memory status gets its own kind of deposit. */
static void mshv_deposit_for_kinds(struct kunit *test)
{
	struct mshv_rep_ctx *ctx = test->priv;
	struct mshv_fake *f = &ctx->fake;

	KUNIT_EXPECT_EQ(test, mshv_hv_deposit_for(FAKE_PID,
						  HV_STATUS_INSUFFICIENT_MEMORY,
						  3), 0);
	KUNIT_EXPECT_EQ(test, f->deposit_pid, FAKE_PID);
	KUNIT_EXPECT_EQ(test, f->pages, 3ULL);

	memset(f, 0, sizeof(*f));
	KUNIT_EXPECT_EQ(test,
			mshv_hv_deposit_for(FAKE_PID,
					    HV_STATUS_INSUFFICIENT_ROOT_MEMORY,
					    3), 0);
	KUNIT_EXPECT_EQ(test, f->deposit_pid, HV_PARTITION_ID_SELF);
	KUNIT_EXPECT_EQ(test, f->pages, (u64)MSHV_RETRY_DEPOSIT);

	memset(f, 0, sizeof(*f));
	KUNIT_EXPECT_EQ(test,
			mshv_hv_deposit_for(FAKE_PID,
					    HV_STATUS_INSUFFICIENT_CONTIGUOUS_MEMORY,
					    3), 0);
	KUNIT_EXPECT_EQ(test, f->deposit_pid, FAKE_PID);
	KUNIT_EXPECT_EQ(test, f->pages,
			(u64)HV_MAX_CONTIGUOUS_ALLOCATION_PAGES);
	KUNIT_EXPECT_EQ(test, f->deposits, 1U);
	KUNIT_EXPECT_TRUE(test, f->deposit_run);

	memset(f, 0, sizeof(*f));
	KUNIT_EXPECT_EQ(test,
			mshv_hv_deposit_for(FAKE_PID,
					    HV_STATUS_INSUFFICIENT_CONTIGUOUS_ROOT_MEMORY,
					    3), 0);
	KUNIT_EXPECT_EQ(test, f->deposit_pid, HV_PARTITION_ID_SELF);
	KUNIT_EXPECT_EQ(test, f->pages,
			(u64)HV_MAX_CONTIGUOUS_ALLOCATION_PAGES);
	KUNIT_EXPECT_TRUE(test, f->deposit_run);
	KUNIT_EXPECT_EQ(test, f->calls, 0U);
}

/* The rep loop deposits into the root when the root is short. */
static void mshv_rep_root_deposit(struct kunit *test)
{
	struct mshv_rep_ctx *ctx = test->priv;
	struct mshv_fake *f = &ctx->fake;
	u16 st;

	f->per_call = 4;
	f->fail_status = HV_STATUS_INSUFFICIENT_ROOT_MEMORY;
	f->fail_at = 4;
	/* Fails at element 4 every time: bounded, then ENOMEM. */
	KUNIT_EXPECT_EQ(test, mshv_rep_call(ctx, 10, FAKE_PID, 16, NULL, &st),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, st, (u16)HV_STATUS_INSUFFICIENT_ROOT_MEMORY);
	KUNIT_EXPECT_EQ(test, f->deposit_pid, HV_PARTITION_ID_SELF);
	KUNIT_EXPECT_FALSE(test, f->deposit_bad_pid);
	KUNIT_EXPECT_EQ(test, f->pages,
			(MSHV_MAX_DEPOSIT_RETRIES + 1ULL) * MSHV_RETRY_DEPOSIT);
}

static struct kunit_case mshv_rep_cases[] = {
	KUNIT_CASE(mshv_rep_resumes),
	KUNIT_CASE(mshv_rep_single),
	KUNIT_CASE(mshv_rep_deposit_resume),
	KUNIT_CASE(mshv_rep_nomem_no_deposit),
	KUNIT_CASE(mshv_rep_gives_up),
	KUNIT_CASE(mshv_rep_progress_resets_bound),
	KUNIT_CASE(mshv_rep_error_propagates),
	KUNIT_CASE(mshv_rep_deposit_fails),
	KUNIT_CASE(mshv_rep_bogus_counts),
	KUNIT_CASE(mshv_rep_absent),
	KUNIT_CASE(mshv_deposit_retry_simple),
	KUNIT_CASE(mshv_deposit_batches),
	KUNIT_CASE(mshv_deposit_for_kinds),
	KUNIT_CASE(mshv_rep_root_deposit),
	{}
};

static struct kunit_suite mshv_rep_suite = {
	.name = "mshv_rep",
	.init = mshv_rep_init,
	.exit = mshv_rep_exit,
	.test_cases = mshv_rep_cases,
};

kunit_test_suite(mshv_rep_suite);
