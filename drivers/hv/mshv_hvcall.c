// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: hypercall core.
 *
 * Control word encoding, result decoding, the status to errno table, the
 * rep loop with deposit-and-resume, and memory deposit and withdrawal.
 * The pure helpers at the top have no side effects so that the KUnit suite
 * (mshv_hvcall_kunit.c) can check them without a hypervisor.
 */

#include <kunit/static_stub.h>
#include <kunit/visibility.h>
#include <linux/bitfield.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "mshv_root.h"

/* ------------------------------------------------------------------ */
/* Pure helpers.                                                      */
/* ------------------------------------------------------------------ */

/**
 * mshv_hvcall_control() - encode a hypercall control word
 * @code: call code
 * @fast: register-based (fast) calling convention
 * @varhead_qwords: size of the variable header in 8-byte units
 * @rep_count: number of rep elements; 0 for a simple hypercall
 * @rep_start: first rep element to process
 *
 * Fields wider than the control word allows are truncated to their width;
 * callers keep counts within HV_HYPERCALL_REP_MAX.
 *
 * Return: the control word.
 */
u64 __mshv_hot mshv_hvcall_control(u16 code, bool fast, u32 varhead_qwords,
				   u32 rep_count, u32 rep_start)
{
	u64 control = FIELD_PREP(HV_HYPERCALL_CODE_MASK, code);

	if (fast)
		control |= HV_HYPERCALL_FAST_BIT;
	control |= FIELD_PREP(HV_HYPERCALL_VARHEAD_MASK,
			      varhead_qwords & FIELD_MAX(HV_HYPERCALL_VARHEAD_MASK));
	control |= FIELD_PREP(HV_HYPERCALL_REP_COMP_MASK,
			      rep_count & HV_HYPERCALL_REP_MAX);
	control |= FIELD_PREP(HV_HYPERCALL_REP_START_MASK,
			      rep_start & HV_HYPERCALL_REP_MAX);
	return control;
}
EXPORT_SYMBOL_IF_KUNIT(mshv_hvcall_control);

/**
 * mshv_hvcall_status() - the status code of a hypercall result
 * @result: value returned by the hypercall
 *
 * Return: HV_STATUS_* in bits 15:0 of @result.
 */
u16 mshv_hvcall_status(u64 result)
{
	return FIELD_GET(HV_HYPERCALL_RESULT_MASK, result);
}
EXPORT_SYMBOL_IF_KUNIT(mshv_hvcall_status);

/**
 * mshv_hvcall_reps_done() - the number of rep elements completed
 * @result: value returned by a rep hypercall
 *
 * Return: bits 43:32 of @result.
 */
VISIBLE_IF_KUNIT u32 mshv_hvcall_reps_done(u64 result)
{
	return FIELD_GET(HV_HYPERCALL_REP_COMP_MASK, result);
}
EXPORT_SYMBOL_IF_KUNIT(mshv_hvcall_reps_done);

static const struct {
	u16 status;
	int err;
} mshv_status_errno[] = {
	{ HV_STATUS_SUCCESS,				0 },
	{ HV_STATUS_INVALID_HYPERCALL_CODE,		-EINVAL },
	{ HV_STATUS_INVALID_HYPERCALL_INPUT,		-EINVAL },
	{ HV_STATUS_INVALID_ALIGNMENT,			-EIO },
	{ HV_STATUS_INVALID_PARAMETER,			-EINVAL },
	{ HV_STATUS_ACCESS_DENIED,			-EIO },
	{ HV_STATUS_INVALID_PARTITION_STATE,		-EIO },
	{ HV_STATUS_OPERATION_DENIED,			-EIO },
	{ HV_STATUS_UNKNOWN_PROPERTY,			-EIO },
	{ HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE,	-EIO },
	{ HV_STATUS_INSUFFICIENT_MEMORY,		-ENOMEM },
	{ HV_STATUS_INVALID_PARTITION_ID,		-EINVAL },
	{ HV_STATUS_INVALID_VP_INDEX,			-EINVAL },
	{ HV_STATUS_NOT_FOUND,				-EIO },
	{ HV_STATUS_INVALID_PORT_ID,			-EINVAL },
	{ HV_STATUS_INVALID_CONNECTION_ID,		-EINVAL },
	{ HV_STATUS_INSUFFICIENT_BUFFERS,		-EIO },
	{ HV_STATUS_NOT_ACKNOWLEDGED,			-EIO },
	{ HV_STATUS_INVALID_VP_STATE,			-EIO },
	{ HV_STATUS_NO_RESOURCES,			-EIO },
	{ HV_STATUS_PROCESSOR_FEATURE_NOT_SUPPORTED,	-EIO },
	{ HV_STATUS_INVALID_LP_INDEX,			-EINVAL },
	{ HV_STATUS_INVALID_REGISTER_VALUE,		-EINVAL },
	{ HV_STATUS_OPERATION_FAILED,			-EIO },
	{ HV_STATUS_INSUFFICIENT_ROOT_MEMORY,		-ENOMEM },
	{ HV_STATUS_INSUFFICIENT_CONTIGUOUS_MEMORY,	-ENOMEM },
	{ HV_STATUS_TIME_OUT,				-EIO },
	{ HV_STATUS_CALL_PENDING,			-EIO },
	{ HV_STATUS_INSUFFICIENT_CONTIGUOUS_ROOT_MEMORY, -ENOMEM },
	{ HV_STATUS_VTL_ALREADY_ENABLED,		-EIO },
};

/**
 * mshv_hvstatus_errno() - map a hypervisor status code to an errno
 * @status: HV_STATUS_*
 *
 * Return: 0 for success, a negative errno otherwise (-EIO if unknown).
 */
int mshv_hvstatus_errno(u16 status)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mshv_status_errno); i++)
		if (mshv_status_errno[i].status == status)
			return mshv_status_errno[i].err;
	return -EIO;
}
EXPORT_SYMBOL_IF_KUNIT(mshv_hvstatus_errno);

/**
 * mshv_hvcall_errno() - map a hypercall result to an errno
 * @result: value returned by the hypercall
 *
 * Return: 0 for success, -EOPNOTSUPP when there is no hypervisor to call,
 * otherwise the errno of the status code.
 */
int mshv_hvcall_errno(u64 result)
{
	if (result == HV_HYPERCALL_NO_HYPERVISOR)
		return -EOPNOTSUPP;
	return mshv_hvstatus_errno(mshv_hvcall_status(result));
}
EXPORT_SYMBOL_IF_KUNIT(mshv_hvcall_errno);

/**
 * mshv_hvstatus_deposit_kind() - does a status ask for a deposit, and which
 * @status: HV_STATUS_*
 *
 * The one place that knows which statuses mean "the hypervisor is out of
 * memory": every deposit-and-retry site asks here, then deposits with
 * mshv_hv_deposit_for().  The ROOT variants want memory in the root
 * partition itself, whatever partition the call was about; the
 * CONTIGUOUS variants want HV_MAX_CONTIGUOUS_ALLOCATION_PAGES physically
 * contiguous pages.
 *
 * Return: -1 if @status asks for no memory, else a mask of
 * MSHV_DEPOSIT_ROOT and MSHV_DEPOSIT_CONTIGUOUS (0: ordinary pages into
 * the partition the call charges).
 */
VISIBLE_IF_KUNIT int mshv_hvstatus_deposit_kind(u16 status)
{
	switch (status) {
	case HV_STATUS_INSUFFICIENT_MEMORY:
		return 0;
	case HV_STATUS_INSUFFICIENT_CONTIGUOUS_MEMORY:
		return MSHV_DEPOSIT_CONTIGUOUS;
	case HV_STATUS_INSUFFICIENT_ROOT_MEMORY:
		return MSHV_DEPOSIT_ROOT;
	case HV_STATUS_INSUFFICIENT_CONTIGUOUS_ROOT_MEMORY:
		return MSHV_DEPOSIT_ROOT | MSHV_DEPOSIT_CONTIGUOUS;
	default:
		return -1;
	}
}
EXPORT_SYMBOL_IF_KUNIT(mshv_hvstatus_deposit_kind);

/**
 * mshv_hvstatus_needs_memory() - is a status one that a deposit answers?
 * @status: HV_STATUS_*
 *
 * Return: true for the INSUFFICIENT_*MEMORY statuses.
 */
bool mshv_hvstatus_needs_memory(u16 status)
{
	return mshv_hvstatus_deposit_kind(status) >= 0;
}
EXPORT_SYMBOL_IF_KUNIT(mshv_hvstatus_needs_memory);

/**
 * mshv_hvcall_batch() - size of the next batch of a batched operation
 * @total: elements in the whole operation
 * @done: elements already processed
 * @max: largest batch one hypercall can carry
 *
 * Return: min(@total - @done, @max), or 0 when nothing is left.
 */
u32 mshv_hvcall_batch(u64 total, u64 done, u32 max)
{
	if (done >= total)
		return 0;
	return min_t(u64, total - done, max);
}
EXPORT_SYMBOL_IF_KUNIT(mshv_hvcall_batch);

#define MSHV_HVCALL_NAME(c)	{ HVCALL_##c, #c }

static const struct {
	u16 code;
	const char *name;
} mshv_hvcall_names[] = {
	MSHV_HVCALL_NAME(CREATE_PARTITION),
	MSHV_HVCALL_NAME(INITIALIZE_PARTITION),
	MSHV_HVCALL_NAME(FINALIZE_PARTITION),
	MSHV_HVCALL_NAME(DELETE_PARTITION),
	MSHV_HVCALL_NAME(GET_PARTITION_PROPERTY),
	MSHV_HVCALL_NAME(SET_PARTITION_PROPERTY),
	MSHV_HVCALL_NAME(GET_PARTITION_ID),
	MSHV_HVCALL_NAME(DEPOSIT_MEMORY),
	MSHV_HVCALL_NAME(WITHDRAW_MEMORY),
	MSHV_HVCALL_NAME(MAP_GPA_PAGES),
	MSHV_HVCALL_NAME(UNMAP_GPA_PAGES),
	MSHV_HVCALL_NAME(CREATE_VP),
	MSHV_HVCALL_NAME(DELETE_VP),
	MSHV_HVCALL_NAME(GET_VP_REGISTERS),
	MSHV_HVCALL_NAME(SET_VP_REGISTERS),
	MSHV_HVCALL_NAME(GET_SYSTEM_PROPERTY),
	MSHV_HVCALL_NAME(DISPATCH_VP),
	MSHV_HVCALL_NAME(MAP_VP_STATE_PAGE),
	MSHV_HVCALL_NAME(UNMAP_VP_STATE_PAGE),
	MSHV_HVCALL_NAME(GET_VP_STATE),
	MSHV_HVCALL_NAME(SET_VP_STATE),
	MSHV_HVCALL_NAME(ASSERT_VIRTUAL_INTERRUPT),
	MSHV_HVCALL_NAME(CLEAR_VIRTUAL_INTERRUPT),
	MSHV_HVCALL_NAME(CREATE_PORT),
	MSHV_HVCALL_NAME(CONNECT_PORT),
	MSHV_HVCALL_NAME(DISCONNECT_PORT),
	MSHV_HVCALL_NAME(DELETE_PORT),
	MSHV_HVCALL_NAME(NOTIFY_PORT_RING_EMPTY),
	MSHV_HVCALL_NAME(GET_GPA_PAGES_ACCESS_STATES),
};

/**
 * mshv_hvcall_name() - printable name of a call code, for log messages
 * @code: call code
 *
 * Return: the name, or "unknown" for codes the driver does not issue itself.
 */
VISIBLE_IF_KUNIT const char *mshv_hvcall_name(u16 code)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mshv_hvcall_names); i++)
		if (mshv_hvcall_names[i].code == code)
			return mshv_hvcall_names[i].name;
	return "unknown";
}
EXPORT_SYMBOL_IF_KUNIT(mshv_hvcall_name);

/* ------------------------------------------------------------------ */
/* Issuing hypercalls.                                                */
/* ------------------------------------------------------------------ */

/**
 * mshv_hvpages_alloc() - allocate a zeroed input/output page pair
 * @hp: filled with the two pages
 *
 * Zeroing both pages means a hypercall that writes less output than the
 * caller copies out can never leak stale kernel memory.
 *
 * Return: 0 or -ENOMEM.
 */
int mshv_hvpages_alloc(struct mshv_hvpages *hp)
{
	unsigned long addr = __get_free_pages(GFP_KERNEL | __GFP_ZERO, 1);

	if (!addr)
		return -ENOMEM;
	hp->in = (void *)addr;
	hp->out = (void *)(addr + PAGE_SIZE);
	hp->want = HV_STATUS_SUCCESS;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mshv_hvpages_alloc);

/**
 * mshv_hvpages_free() - free a page pair from mshv_hvpages_alloc()
 * @hp: the pair; may be all NULL
 */
void mshv_hvpages_free(struct mshv_hvpages *hp)
{
	if (hp->in)
		free_pages((unsigned long)hp->in, 1);
	hp->in = NULL;
	hp->out = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(mshv_hvpages_free);

/**
 * mshv_hvcall() - issue a memory-based hypercall through the platform
 * @control: control word
 * @in: input page
 * @out: output page
 *
 * A KUnit test may redirect its own calls to a fake (mshv_kunit.h).
 *
 * Context: process context; may sleep.
 * Return: the raw hypercall result.
 */
u64 __mshv_hot mshv_hvcall(u64 control, void *in, void *out)
{
	KUNIT_STATIC_STUB_REDIRECT(mshv_hvcall, control, in, out);
	return mshv_root.ops->hypercall(control, in, out);
}
EXPORT_SYMBOL_IF_KUNIT(mshv_hvcall);

/**
 * mshv_hvcall_fast8() - issue a fast hypercall with 8 bytes of input
 * @code: call code
 * @arg: input
 *
 * Return: the raw hypercall result.
 */
u64 mshv_hvcall_fast8(u16 code, u64 arg)
{
	KUNIT_STATIC_STUB_REDIRECT(mshv_hvcall_fast8, code, arg);
	return mshv_root.ops->fast_hypercall8(mshv_hvcall_control(code, true,
								  0, 0, 0),
					      arg);
}
EXPORT_SYMBOL_IF_KUNIT(mshv_hvcall_fast8);

/**
 * mshv_hvcall_fast16() - issue a fast hypercall with 16 bytes of input
 * @code: call code
 * @arg1: first 8 bytes of input
 * @arg2: second 8 bytes of input
 *
 * Return: the raw hypercall result.
 */
u64 mshv_hvcall_fast16(u16 code, u64 arg1, u64 arg2)
{
	KUNIT_STATIC_STUB_REDIRECT(mshv_hvcall_fast16, code, arg1, arg2);
	return mshv_root.ops->fast_hypercall16(mshv_hvcall_control(code, true,
								   0, 0, 0),
					       arg1, arg2);
}
EXPORT_SYMBOL_IF_KUNIT(mshv_hvcall_fast16);

/**
 * mshv_hvcall_check() - turn a result into an errno, logging failures
 * @code: call code, for the message
 * @result: raw hypercall result
 *
 * For hypercalls the driver issues on its own behalf, where a failure
 * means something unexpected happened.
 *
 * Return: 0 or a negative errno.
 */
int __mshv_hot mshv_hvcall_check(u16 code, u64 result)
{
	int err = mshv_hvcall_errno(result);

	if (err)
		pr_err_ratelimited("mshv: %s (%#x) failed: status %#x\n",
				   mshv_hvcall_name(code), code,
				   mshv_hvcall_status(result));
	return err;
}

/**
 * mshv_hvcall_deposit_retry() - issue a simple hypercall, depositing memory
 *	while the hypervisor reports it needs some
 * @control: control word (not fast)
 * @in: input page
 * @out: output page
 * @deposit_pid: partition the call charges
 *
 * Each answer that asks for memory gets the deposit mshv_hv_deposit_for()
 * makes for it (one page, into @deposit_pid or the root), then the call is
 * issued again, at most MSHV_MAX_DEPOSIT_RETRIES times.
 *
 * Return: the raw result of the last attempt.
 */
u64 mshv_hvcall_deposit_retry(u64 control, void *in, void *out,
			      u64 deposit_pid)
{
	unsigned int tries = 0;
	u64 result;

	for (;;) {
		result = mshv_hvcall(control, in, out);
		if (result == HV_HYPERCALL_NO_HYPERVISOR ||
		    !mshv_hvstatus_needs_memory(mshv_hvcall_status(result)) ||
		    ++tries > MSHV_MAX_DEPOSIT_RETRIES)
			return result;
		if (mshv_hv_deposit_for(deposit_pid, mshv_hvcall_status(result),
					MSHV_RETRY_DEPOSIT))
			return result;
		cond_resched();
	}
}
EXPORT_SYMBOL_IF_KUNIT(mshv_hvcall_deposit_retry);

/**
 * mshv_hvcall_deposit_checked() - a simple hypercall, with memory deposited
 *	on demand, turned into an errno
 * @code: call code
 * @in: input page
 * @out: output page
 * @deposit_pid: partition charged for what the hypervisor asks for
 *
 * Return: 0 or a negative errno (failures are logged, as by
 * mshv_hvcall_check()).
 */
int mshv_hvcall_deposit_checked(u16 code, void *in, void *out,
				u64 deposit_pid)
{
	u64 control = mshv_hvcall_control(code, false, 0, 0, 0);

	return mshv_hvcall_check(code, mshv_hvcall_deposit_retry(control, in,
								 out,
								 deposit_pid));
}

/**
 * mshv_hvcall_copy() - a simple hypercall through a fresh page pair
 * @code: call code
 * @in: the input, copied into the (zeroed) input page
 * @in_size: bytes of @in, at most a page
 * @out: receives the first @out_size bytes of the output on success, or
 *	NULL
 * @out_size: bytes of @out, at most a page
 * @deposit_pid: partition charged for what the hypervisor asks for, or
 *	HV_PARTITION_ID_INVALID for a call that never needs memory
 *
 * The allocate, fill, call, check, copy out and free of the typed
 * wrappers (mshv_hvcall_typed.c, mshv_hvcall_irq.c) in one place.
 *
 * Return: 0 or a negative errno (failures are logged, as by
 * mshv_hvcall_check()).
 */
int mshv_hvcall_copy(u16 code, const void *in, size_t in_size, void *out,
		     size_t out_size, u64 deposit_pid)
{
	struct mshv_hvpages hp;
	u64 control;
	int ret;

	if (WARN_ON_ONCE(in_size > PAGE_SIZE || out_size > PAGE_SIZE))
		return -EINVAL;
	ret = mshv_hvpages_alloc(&hp);
	if (ret)
		return ret;
	memcpy(hp.in, in, in_size);
	if (deposit_pid == HV_PARTITION_ID_INVALID) {
		control = mshv_hvcall_control(code, false, 0, 0, 0);
		ret = mshv_hvcall_check(code, mshv_hvcall(control, hp.in,
							  hp.out));
	} else {
		ret = mshv_hvcall_deposit_checked(code, hp.in, hp.out,
						  deposit_pid);
	}
	if (!ret && out)
		memcpy(out, hp.out, out_size);
	mshv_hvpages_free(&hp);
	return ret;
}

/**
 * mshv_hvcall_rep() - issue a rep hypercall until every element is done
 * @code: call code
 * @varhead_qwords: variable header size in 8-byte units
 * @rep_count: elements to process, 1..HV_HYPERCALL_REP_MAX
 * @in: input page
 * @out: output page
 * @deposit_pid: partition charged when the hypervisor asks for memory
 *	(mshv_hvstatus_deposit_kind()), or HV_PARTITION_ID_INVALID to fail
 *	with -ENOMEM instead
 * @deposit_pages: pages per ordinary deposit (see mshv_hv_deposit_for())
 * @reps_done: if not NULL, receives the number of elements completed
 * @status: if not NULL, receives the last status code
 *
 * The call is reissued with rep start = elements completed until all are
 * done or the hypervisor fails.  Rounds without progress are bounded.
 *
 * Return: 0 when all elements completed, else a negative errno.
 */
int mshv_hvcall_rep(u16 code, u32 varhead_qwords, u32 rep_count,
		    void *in, void *out, u64 deposit_pid, u32 deposit_pages,
		    u32 *reps_done, u16 *status)
{
	unsigned int stalls = 0;
	u32 done = 0, now;
	u16 st = HV_STATUS_SUCCESS;
	u64 result;
	int ret;

	if (WARN_ON_ONCE(!rep_count || rep_count > HV_HYPERCALL_REP_MAX)) {
		ret = -EINVAL;
		goto out;
	}

	for (;;) {
		result = mshv_hvcall(mshv_hvcall_control(code, false,
							 varhead_qwords,
							 rep_count, done),
				     in, out);
		if (result == HV_HYPERCALL_NO_HYPERVISOR) {
			st = HV_STATUS_INVALID_HYPERCALL_CODE;
			ret = -EOPNOTSUPP;
			break;
		}
		st = mshv_hvcall_status(result);
		now = mshv_hvcall_reps_done(result);
		if (now < done || now > rep_count) {
			/* The hypervisor's answer is not trusted blindly. */
			pr_err_ratelimited("mshv: %s: bogus rep count %u of %u\n",
					   mshv_hvcall_name(code), now,
					   rep_count);
			ret = -EIO;
			break;
		}
		if (now > done)
			stalls = 0;
		done = now;

		if (st == HV_STATUS_SUCCESS) {
			if (done == rep_count) {
				ret = 0;
				break;
			}
		} else if (mshv_hvstatus_needs_memory(st) &&
			   deposit_pid != HV_PARTITION_ID_INVALID) {
			ret = mshv_hv_deposit_for(deposit_pid, st,
						  deposit_pages);
			if (ret)
				break;
		} else {
			ret = mshv_hvstatus_errno(st);
			break;
		}
		if (++stalls > MSHV_MAX_DEPOSIT_RETRIES) {
			ret = mshv_hvstatus_needs_memory(st) ? -ENOMEM : -EIO;
			break;
		}
		cond_resched();
	}
out:
	if (reps_done)
		*reps_done = done;
	if (status)
		*status = st;
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(mshv_hvcall_rep);

/* ------------------------------------------------------------------ */
/* Memory deposit and withdrawal.                                     */
/* ------------------------------------------------------------------ */

/*
 * Donate @count pages, allocated in physically contiguous, naturally
 * aligned chunks of 2^@order pages, to the hypervisor for @partition_id.
 * Each chunk is split, so that the hypervisor may hand its pages back one
 * by one.  @count is a multiple of the chunk size.
 */
static int mshv_hv_deposit(u64 partition_id, u32 count, unsigned int order)
{
	const u32 chunk = 1U << order;
	const u32 batch = round_down(MSHV_DEPOSIT_BATCH, chunk);
	struct hv_input_deposit_memory *in;
	struct mshv_hvpages hp;
	u32 n, i, j, done = 0;
	struct page *pg;
	int ret;

	if (WARN_ON_ONCE(!IS_ALIGNED(count, chunk) || !batch))
		return -EINVAL;
	ret = mshv_hvpages_alloc(&hp);
	if (ret)
		return ret;
	in = hp.in;

	while (count) {
		n = mshv_hvcall_batch(count, 0, batch);
		in->partition_id = partition_id;
		for (i = 0; i < n; i += chunk) {
			pg = alloc_pages(GFP_KERNEL, order);
			if (!pg) {
				ret = -ENOMEM;
				done = 0;
				n = i;
				goto free_rest;
			}
			if (order)
				split_page(pg, order);
			for (j = 0; j < chunk; j++)
				in->gpa_page_list[i + j] = page_to_pfn(pg) + j;
		}
		ret = mshv_hvcall_rep(HVCALL_DEPOSIT_MEMORY, 0, n, in, hp.out,
				      HV_PARTITION_ID_INVALID, 0, &done, NULL);
		if (ret) {
			pr_err_ratelimited("mshv: deposit of %u pages into %#llx failed: %d\n",
					   n, partition_id, ret);
			goto free_rest;
		}
		count -= n;
	}
	goto out;

free_rest:
	for (i = done; i < n; i++)
		__free_page(pfn_to_page(in->gpa_page_list[i]));
out:
	mshv_hvpages_free(&hp);
	return ret;
}

/**
 * mshv_hv_deposit_pages() - donate pages to the hypervisor for a partition
 * @partition_id: partition the pages are charged to
 * @count: number of 4 KiB pages
 *
 * The hypervisor owns the pages from now on; they come back only through
 * mshv_hv_withdraw_all().  Pages it did not accept are freed here.
 *
 * Context: process context; may sleep.
 * Return: 0, -ENOMEM, or the errno of the hypervisor's status.
 */
int mshv_hv_deposit_pages(u64 partition_id, u32 count)
{
	return mshv_hv_deposit(partition_id, count, 0);
}
EXPORT_SYMBOL_IF_KUNIT(mshv_hv_deposit_pages);

/**
 * mshv_hv_deposit_for() - make the deposit a hypervisor status asks for
 * @partition_id: partition the failed call charges
 * @status: the status, one mshv_hvstatus_needs_memory() accepts
 * @count: pages an ordinary deposit gives @partition_id
 *
 * HV_STATUS_INSUFFICIENT_MEMORY gets @count pages into @partition_id.
 * The ROOT variants are the hypervisor running short of the root's own
 * memory while working for @partition_id: they get a single page
 * (MSHV_RETRY_DEPOSIT) into the root, HV_PARTITION_ID_SELF, where it
 * stays (the driver withdraws only what it deposited into its guests).
 * The CONTIGUOUS variants get one naturally aligned, physically
 * contiguous chunk of HV_MAX_CONTIGUOUS_ALLOCATION_PAGES, which satisfies
 * any single allocation the hypervisor makes; it is -ENOMEM if the
 * kernel has no such chunk.  This follows upstream Linux's handling of
 * the same statuses.
 *
 * Context: process context; may sleep.
 * Return: 0, -ENOMEM, -EINVAL for a status that asks for no memory, or
 * the errno of the deposit's failure.
 */
int mshv_hv_deposit_for(u64 partition_id, u16 status, u32 count)
{
	int kind = mshv_hvstatus_deposit_kind(status);

	BUILD_BUG_ON_NOT_POWER_OF_2(HV_MAX_CONTIGUOUS_ALLOCATION_PAGES);
	if (WARN_ON_ONCE(kind < 0))
		return -EINVAL;
	if (kind & MSHV_DEPOSIT_ROOT) {
		partition_id = HV_PARTITION_ID_SELF;
		count = MSHV_RETRY_DEPOSIT;
	}
	if (kind & MSHV_DEPOSIT_CONTIGUOUS)
		return mshv_hv_deposit(partition_id,
				       HV_MAX_CONTIGUOUS_ALLOCATION_PAGES,
				       ilog2(HV_MAX_CONTIGUOUS_ALLOCATION_PAGES));
	return mshv_hv_deposit(partition_id, count, 0);
}
EXPORT_SYMBOL_IF_KUNIT(mshv_hv_deposit_for);

/**
 * mshv_hv_withdraw_all() - take back every page deposited to a partition
 * @hp: a page pair owned by the caller for the duration of the call
 * @partition_id: the partition
 *
 * Loops until the hypervisor has nothing left (HV_STATUS_NO_RESOURCES).
 * Every returned frame is checked before it is freed.  Other failures are
 * retried a few times in a row, then logged: the pages stay with the
 * hypervisor, which still owns them.
 *
 * Allocates nothing, so that partition teardown, which cannot delete the
 * partition before its pages are back, never depends on an allocation.
 *
 * Context: process context; may sleep.
 * Return: 0 once the hypervisor reported nothing left, else the errno of
 * the last failure.
 */
int mshv_hv_withdraw_all(struct mshv_hvpages *hp, u64 partition_id)
{
	struct hv_input_withdraw_memory *in = hp->in;
	unsigned int failures = 0;
	u64 *pfns = hp->out, pfn;
	u32 done, i;
	u16 status;
	int ret;

	for (;;) {
		memset(in, 0, sizeof(*in));
		in->partition_id = partition_id;
		ret = mshv_hvcall_rep(HVCALL_WITHDRAW_MEMORY, 0,
				      MSHV_WITHDRAW_BATCH, in, pfns,
				      HV_PARTITION_ID_INVALID, 0, &done,
				      &status);
		for (i = 0; i < done; i++) {
			pfn = pfns[i];
			if (!pfn_valid(pfn)) {
				pr_err_ratelimited("mshv: withdraw returned invalid pfn %#llx\n",
						   pfn);
				continue;
			}
			__free_page(pfn_to_page(pfn));
		}
		cond_resched();
		if (!ret) {
			failures = 0;
			continue;
		}
		if (status == HV_STATUS_NO_RESOURCES)
			return 0;
		if (++failures >= MSHV_TEARDOWN_TRIES) {
			pr_err_ratelimited("mshv: withdrawing pages of partition %#llx failed: status %#x\n",
					   partition_id, status);
			return ret;
		}
	}
}
