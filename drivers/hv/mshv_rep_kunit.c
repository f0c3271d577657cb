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
#include <linux/string.h>

#include "mshv_kunit.h"

#define FAKE_MAX_CALLS	160
#define FAKE_PID	0x1234ULL

struct mshv_fake;
/* The fake's answer to a call that is not a deposit. */
typedef u64 (*mshv_fake_fn)(struct mshv_fake *f, u32 start, u32 count);

/**
 * struct mshv_fake_cfg - how the fake platform answers
 * @main: result of every call that is not a deposit (the call under test)
 * @per_call: elements @main completes per call
 * @nomem_call: 1-based call number on which @main reports
 *	HV_STATUS_INSUFFICIENT_MEMORY, 0 for never
 * @fail_status: status @main reports once @fail_at elements are done
 * @fail_at: see @fail_status
 * @deposit_status: status of DEPOSIT_MEMORY (after @deposit_per_call pages)
 * @deposit_per_call: pages a deposit call accepts, 0 for all
 */
struct mshv_fake_cfg {
	mshv_fake_fn main;
	u32 per_call;
	unsigned int nomem_call;
	u16 fail_status;
	u32 fail_at;
	u16 deposit_status;
	u32 deposit_per_call;
};

/**
 * struct mshv_fake - state of the fake platform
 * @cfg: how it answers
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
	struct mshv_fake_cfg cfg;
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
	u32 done = min_t(u64, (u64)start + f->cfg.per_call, count);

	if (f->cfg.nomem_call && f->calls == f->cfg.nomem_call)
		return mshv_fake_result(HV_STATUS_INSUFFICIENT_MEMORY, start);
	if (f->cfg.fail_status && done >= f->cfg.fail_at)
		return mshv_fake_result(f->cfg.fail_status, f->cfg.fail_at);
	return mshv_fake_result(HV_STATUS_SUCCESS, done);
}

static u64 mshv_fake_always_nomem(struct mshv_fake *f, u32 start, u32 count)
{
	return mshv_fake_result(HV_STATUS_INSUFFICIENT_MEMORY, start);
}

static u64 mshv_fake_absent(struct mshv_fake *f, u32 start, u32 count)
{
	return HV_HYPERCALL_NO_HYPERVISOR;
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
	if (f->cfg.deposit_per_call)
		end = min_t(u64, (u64)start + f->cfg.deposit_per_call, count);
	if (f->cfg.deposit_status)
		end = start;
	f->deposit_next = end < count && !f->cfg.deposit_status ? end : 0;
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
	return mshv_fake_result(f->cfg.deposit_status, end);
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
	return f->cfg.main(f, start, count);
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
	ctx->fake.cfg.main = mshv_fake_progress;
	ctx->fake.cfg.per_call = U32_MAX;
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

/**
 * struct mshv_rep_param - one run of the rep loop against the fake
 * @name: the case
 * @fake: how the fake answers (a NULL @fake.main is mshv_fake_progress(),
 *	a @fake.per_call of 0 everything at once)
 * @count: rep count of the call
 * @pid: partition to deposit into, or HV_PARTITION_ID_INVALID
 * @pages: pages per ordinary deposit
 * @ret: the errno expected
 * @done: elements reported done
 * @status: last status reported
 * @calls: calls the fake receives, deposits aside
 * @starts: rep start of each of the first @nr_starts calls
 * @nr_starts: see @starts
 * @deposits: deposit calls
 * @taken: pages deposited (and kept) in all
 * @deposit_pid: the partition the deposits went to, if any
 */
struct mshv_rep_param {
	const char *name;
	struct mshv_fake_cfg fake;

	u32 count;
	u64 pid;
	u32 pages;

	int ret;
	u32 done;
	u16 status;
	unsigned int calls;
	u32 starts[4];
	unsigned int nr_starts;
	unsigned int deposits;
	u64 taken;
	u64 deposit_pid;
};

static const struct mshv_rep_param mshv_rep_params[] = {
	{
		/* Each call resumes at the number of elements done so far. */
		.name = "resumes", .fake = { .per_call = 3 },
		.count = 10, .pid = HV_PARTITION_ID_INVALID,
		.done = 10, .calls = 4, .starts = { 0, 3, 6, 9 }, .nr_starts = 4,
	}, {
		/* One call finishing everything is issued once. */
		.name = "single",
		.count = HV_HYPERCALL_REP_MAX, .pid = HV_PARTITION_ID_INVALID,
		.done = HV_HYPERCALL_REP_MAX, .calls = 1,
	}, {
		/*
		 * INSUFFICIENT_MEMORY mid-way: deposit into the right
		 * partition, retry from where the failed call stopped.
		 */
		.name = "deposit_resume",
		.fake = { .per_call = 4, .nomem_call = 2 },
		.count = 10, .pid = FAKE_PID, .pages = 3,
		.done = 10, .calls = 4, .starts = { 0, 4, 4, 8 }, .nr_starts = 4,
		.deposits = 1, .taken = 3, .deposit_pid = FAKE_PID,
	}, {
		/* Without a deposit partition, INSUFFICIENT_MEMORY fails. */
		.name = "nomem_no_deposit",
		.fake = { .per_call = 4, .nomem_call = 2 },
		.count = 10, .pid = HV_PARTITION_ID_INVALID, .pages = 3,
		.ret = -ENOMEM, .done = 4,
		.status = HV_STATUS_INSUFFICIENT_MEMORY, .calls = 2,
	}, {
		/* No progress however much is deposited: give up. */
		.name = "gives_up", .fake = { .main = mshv_fake_always_nomem },
		.count = 10, .pid = FAKE_PID, .pages = 1,
		.ret = -ENOMEM, .status = HV_STATUS_INSUFFICIENT_MEMORY,
		.calls = MSHV_MAX_DEPOSIT_RETRIES + 1,
		.deposits = MSHV_MAX_DEPOSIT_RETRIES + 1,
		.taken = MSHV_MAX_DEPOSIT_RETRIES + 1, .deposit_pid = FAKE_PID,
	}, {
		/* Progress resets the bound: many slow rounds complete. */
		.name = "progress_resets_bound", .fake = { .per_call = 1 },
		.count = MSHV_MAX_DEPOSIT_RETRIES * 2,
		.pid = HV_PARTITION_ID_INVALID,
		.done = MSHV_MAX_DEPOSIT_RETRIES * 2,
		.calls = MSHV_MAX_DEPOSIT_RETRIES * 2,
	}, {
		/* A failure ends the loop with its errno and the progress. */
		.name = "error_propagates",
		.fake = { .per_call = 2, .fail_at = 5,
			  .fail_status = HV_STATUS_INVALID_PARAMETER },
		.count = 10, .pid = FAKE_PID, .pages = 1,
		.ret = -EINVAL, .done = 5,
		.status = HV_STATUS_INVALID_PARAMETER, .calls = 3,
	}, {
		/* A failing deposit fails the call; its pages are freed. */
		.name = "deposit_fails",
		.fake = { .per_call = 4, .nomem_call = 1,
			  .deposit_status = HV_STATUS_ACCESS_DENIED },
		.count = 10, .pid = FAKE_PID, .pages = 5,
		.ret = -EIO, .status = HV_STATUS_INSUFFICIENT_MEMORY,
		.calls = 1, .deposits = 1, .deposit_pid = FAKE_PID,
	}, {
		/* Without a hypervisor: fail at once, deposit nothing. */
		.name = "absent", .fake = { .main = mshv_fake_absent },
		.count = 10, .pid = FAKE_PID, .pages = 1,
		.ret = -EOPNOTSUPP, .status = HV_STATUS_INVALID_HYPERCALL_CODE,
		.calls = 1,
	}, {
		/*
		 * The root is short at element 4 every time: deposits into
		 * the root, bounded, then ENOMEM.
		 */
		.name = "root_deposit",
		.fake = { .per_call = 4, .fail_at = 4,
			  .fail_status = HV_STATUS_INSUFFICIENT_ROOT_MEMORY },
		.count = 10, .pid = FAKE_PID, .pages = 16,
		.ret = -ENOMEM, .done = 4,
		.status = HV_STATUS_INSUFFICIENT_ROOT_MEMORY,
		.calls = MSHV_MAX_DEPOSIT_RETRIES + 1,
		.deposits = MSHV_MAX_DEPOSIT_RETRIES + 1,
		.taken = (MSHV_MAX_DEPOSIT_RETRIES + 1) * MSHV_RETRY_DEPOSIT,
		.deposit_pid = HV_PARTITION_ID_SELF,
	},
};

static void mshv_rep_param_desc(const struct mshv_rep_param *p, char *desc)
{
	strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mshv_rep, mshv_rep_params, mshv_rep_param_desc);

/*
 * The rep loop against the fake configured as @test's parameter says.  Every
 * call carries the whole rep count and the call's code, the first starts
 * at 0, and deposits resume where the last one stopped, into one partition.
 */
static void mshv_rep_test(struct kunit *test)
{
	const struct mshv_rep_param *p = test->param_value;
	struct mshv_rep_ctx *ctx = test->priv;
	struct mshv_fake *f = &ctx->fake;
	u32 done = 0xdead;
	u16 st = 0xffff;
	unsigned int i;

	f->cfg = p->fake;
	if (!f->cfg.main)
		f->cfg.main = mshv_fake_progress;
	if (!f->cfg.per_call)
		f->cfg.per_call = U32_MAX;

	KUNIT_EXPECT_EQ(test, mshv_rep_call(ctx, p->count, p->pid, p->pages,
					    &done, &st), p->ret);
	KUNIT_EXPECT_EQ(test, done, p->done);
	KUNIT_EXPECT_EQ(test, st, p->status);
	KUNIT_ASSERT_EQ(test, f->calls, p->calls);
	KUNIT_EXPECT_EQ(test, f->start[0], 0U);
	for (i = 0; i < p->nr_starts; i++)
		KUNIT_EXPECT_EQ_MSG(test, f->start[i], p->starts[i], "call %u", i);
	for (i = 0; i < min_t(unsigned int, f->calls, FAKE_MAX_CALLS); i++) {
		KUNIT_EXPECT_EQ_MSG(test, f->count[i], p->count, "call %u", i);
		KUNIT_EXPECT_EQ_MSG(test, f->codes[i], (u16)HVCALL_MAP_GPA_PAGES,
				    "call %u", i);
	}
	KUNIT_EXPECT_EQ(test, f->deposits, p->deposits);
	KUNIT_EXPECT_EQ(test, f->pages, p->taken);
	if (p->deposits)
		KUNIT_EXPECT_EQ(test, f->deposit_pid, p->deposit_pid);
	KUNIT_EXPECT_FALSE(test, f->deposit_bad_pid);
	KUNIT_EXPECT_FALSE(test, f->deposit_bad_start);
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

/* Rep counts that go backwards or beyond the request are -EIO. */
static void mshv_rep_bogus_counts(struct kunit *test)
{
	struct mshv_rep_ctx *ctx = test->priv;
	struct mshv_fake *f = &ctx->fake;
	u32 done = 99;

	f->cfg.main = mshv_fake_backwards;
	KUNIT_EXPECT_EQ(test, mshv_rep_call(ctx, 10, FAKE_PID, 1, &done, NULL),
			-EIO);
	KUNIT_EXPECT_EQ(test, done, 6U);
	KUNIT_EXPECT_EQ(test, f->calls, 2U);

	f->calls = 0;
	f->cfg.main = mshv_fake_too_many;
	KUNIT_EXPECT_EQ(test, mshv_rep_call(ctx, 10, FAKE_PID, 1, &done, NULL),
			-EIO);
	KUNIT_EXPECT_EQ(test, done, 0U);
	KUNIT_EXPECT_EQ(test, f->calls, 1U);
}

/* Simple calls: deposit one page per INSUFFICIENT_MEMORY, bounded. */
static void mshv_deposit_retry_simple(struct kunit *test)
{
	struct mshv_rep_ctx *ctx = test->priv;
	struct mshv_fake *f = &ctx->fake;
	u64 control = mshv_hvcall_control(HVCALL_CREATE_VP, false, 0, 0, 0);
	u64 r;

	f->cfg.main = mshv_fake_always_nomem;
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
	f->cfg.main = mshv_fake_progress;
	f->cfg.per_call = U32_MAX;
	f->cfg.nomem_call = 1;
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

	f->cfg.deposit_per_call = 200;
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

/**
 * struct mshv_deposit_kind_param - what a memory status is answered with
 * @name: the case
 * @status: the status mshv_hv_deposit_for() is given (with 3 pages)
 * @pid: the partition the deposit goes to
 * @pages: pages deposited
 * @run: in one call, as one naturally aligned run of frames
 */
struct mshv_deposit_kind_param {
	const char *name;
	u16 status;
	u64 pid;
	u64 pages;
	bool run;
};

static const struct mshv_deposit_kind_param mshv_deposit_kind_params[] = {
	{ "memory", HV_STATUS_INSUFFICIENT_MEMORY, FAKE_PID, 3, false },
	{ "root_memory", HV_STATUS_INSUFFICIENT_ROOT_MEMORY,
	  HV_PARTITION_ID_SELF, MSHV_RETRY_DEPOSIT, false },
	{ "contiguous_memory", HV_STATUS_INSUFFICIENT_CONTIGUOUS_MEMORY,
	  FAKE_PID, HV_MAX_CONTIGUOUS_ALLOCATION_PAGES, true },
	{ "contiguous_root_memory",
	  HV_STATUS_INSUFFICIENT_CONTIGUOUS_ROOT_MEMORY, HV_PARTITION_ID_SELF,
	  HV_MAX_CONTIGUOUS_ALLOCATION_PAGES, true },
};

static void mshv_deposit_kind_desc(const struct mshv_deposit_kind_param *p,
				   char *desc)
{
	strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mshv_deposit_kind, mshv_deposit_kind_params,
		  mshv_deposit_kind_desc);

/* Each memory status gets its own kind of deposit. */
static void mshv_deposit_for_kinds(struct kunit *test)
{
	const struct mshv_deposit_kind_param *p = test->param_value;
	struct mshv_rep_ctx *ctx = test->priv;
	struct mshv_fake *f = &ctx->fake;

	KUNIT_EXPECT_EQ(test, mshv_hv_deposit_for(FAKE_PID, p->status, 3), 0);
	KUNIT_EXPECT_EQ(test, f->deposit_pid, p->pid);
	KUNIT_EXPECT_EQ(test, f->pages, p->pages);
	if (p->run) {
		KUNIT_EXPECT_EQ(test, f->deposits, 1U);
		KUNIT_EXPECT_TRUE(test, f->deposit_run);
	}
	KUNIT_EXPECT_FALSE(test, f->deposit_bad_start);
	KUNIT_EXPECT_EQ(test, f->calls, 0U);
}

static struct kunit_case mshv_rep_cases[] = {
	KUNIT_CASE_PARAM(mshv_rep_test, mshv_rep_gen_params),
	KUNIT_CASE(mshv_rep_bogus_counts),
	KUNIT_CASE(mshv_deposit_retry_simple),
	KUNIT_CASE(mshv_deposit_batches),
	KUNIT_CASE_PARAM(mshv_deposit_for_kinds, mshv_deposit_kind_gen_params),
	{}
};

static struct kunit_suite mshv_rep_suite = {
	.name = "mshv_rep",
	.init = mshv_rep_init,
	.exit = mshv_rep_exit,
	.test_cases = mshv_rep_cases,
};

kunit_test_suite(mshv_rep_suite);
