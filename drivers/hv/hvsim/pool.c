// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim deposit pools: the memory the root donates to the hypervisor.
 *
 * Each partition (the root included) owns the pages deposited into it.
 * hvsim charges its objects against them (a partition, a VP, a state page,
 * a "page table" page per 2 MiB of GPA space), even though it still
 * allocates its bookkeeping with kmalloc: what matters is that the driver
 * sees the hypervisor's appetite for memory and the INSUFFICIENT_MEMORY /
 * deposit / retry protocol.  A page is free (XA_MARK_0 set, withdrawable)
 * or used by an object; used pages come back when the object goes away.
 */
#include <kunit/visibility.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>

#include "hvsim.h"

#define HVSIM_POOL_FREE		XA_MARK_0

/* Every page any pool owns: pfn -> pool.  Catches double deposits. */
static DEFINE_XARRAY(hvsim_owned);

/*
 * How many owned pages each 2 MiB block of frames holds:
 * pfn / HVSIM_OWNED_BLOCK -> xa_mk_value(count); no entry for none.
 * MAP_GPA_PAGES asks about every frame it maps, and most frames lie in
 * blocks without any: one load in this small array answers for them.
 * Changed under hvsim_owned_lock; read locklessly.
 */
#define HVSIM_OWNED_BLOCK	512
static DEFINE_XARRAY(hvsim_owned_blocks);
static DEFINE_MUTEX(hvsim_owned_lock);

/* Add @delta to the owned-page count of @pfn's block. */
static int __hvsim_hot hvsim_owned_count(unsigned long pfn, long delta)
{
	unsigned long block = pfn / HVSIM_OWNED_BLOCK;
	void *old;
	long n;
	int ret;

	mutex_lock(&hvsim_owned_lock);
	old = xa_load(&hvsim_owned_blocks, block);
	n = (old ? xa_to_value(old) : 0) + delta;
	ret = xa_err(xa_store(&hvsim_owned_blocks, block,
			      n > 0 ? xa_mk_value(n) : NULL,
			      HVSIM_GFP_LOCKED));
	mutex_unlock(&hvsim_owned_lock);
	return ret;
}

/* Make @pfn owned by @pool: 0, -EBUSY if it is owned, or -ENOMEM. */
static int hvsim_owned_insert(unsigned long pfn, struct hvsim_pool *pool)
{
	int ret;

	/* Counted first, so that a lockless check never misses it. */
	ret = hvsim_owned_count(pfn, 1);
	if (ret)
		return ret;
	ret = xa_insert(&hvsim_owned, pfn, pool, HVSIM_GFP_LOCKED);
	if (ret)
		hvsim_owned_count(pfn, -1);
	return ret;
}

static void hvsim_owned_erase(unsigned long pfn)
{
	xa_erase(&hvsim_owned, pfn);
	/* Lowering a count that exists never allocates. */
	hvsim_owned_count(pfn, -1);
}

/**
 * hvsim_pfns_owned() - does hvsim own (deposited, not withdrawn) a page
 *	in a range?
 * @pfn: first page frame number
 * @count: number of pages
 *
 * Return: true if any page of the range belongs to one of the pools.
 */
bool hvsim_pfns_owned(unsigned long pfn, unsigned int count)
{
	unsigned long last = pfn + count - 1;
	unsigned long index = pfn / HVSIM_OWNED_BLOCK;

	/* Most frames: no owned page in their block. */
	if (index == last / HVSIM_OWNED_BLOCK ?
	    !xa_load(&hvsim_owned_blocks, index) :
	    !xa_find(&hvsim_owned_blocks, &index, last / HVSIM_OWNED_BLOCK,
		     XA_PRESENT))
		return false;
	if (count == 1)
		return xa_load(&hvsim_owned, pfn);
	index = pfn;
	return xa_find(&hvsim_owned, &index, last, XA_PRESENT);
}

/**
 * hvsim_pool_init() - initialize an empty pool
 * @pool: the pool
 * @total: global counter the pool's pages are accounted in (debugfs)
 */
void hvsim_pool_init(struct hvsim_pool *pool, atomic_long_t *total)
{
	mutex_init(&pool->lock);
	xa_init(&pool->pages);
	pool->nr_free = 0;
	pool->nr_used = 0;
	pool->total = total;
}
EXPORT_SYMBOL_IF_KUNIT(hvsim_pool_init);

/**
 * hvsim_pool_deposit() - take one page the root gives away into a pool
 * @pool: the pool
 * @pfn: the page; a live order-0 page no pool owns yet
 *
 * Return: HV_STATUS_SUCCESS, HV_STATUS_INVALID_PARAMETER for a page that
 * cannot be taken, or HV_STATUS_INSUFFICIENT_MEMORY.
 */
VISIBLE_IF_KUNIT u16 hvsim_pool_deposit(struct hvsim_pool *pool, u64 pfn)
{
	struct page *page;
	int ret;

	if (!pfn_valid(pfn))
		return HV_STATUS_INVALID_PARAMETER;
	page = pfn_to_page(pfn);
	/* Only a live, order-0 page can be given away (and freed later). */
	if (PageCompound(page) || !page_ref_count(page))
		return HV_STATUS_INVALID_PARAMETER;

	ret = hvsim_owned_insert(pfn, pool);
	if (ret)
		return ret == -EBUSY ? HV_STATUS_INVALID_PARAMETER :
				       HV_STATUS_INSUFFICIENT_MEMORY;

	mutex_lock(&pool->lock);
	if (hvsim_fault_pool_full(pool))
		ret = -ENOSPC;
	else
		ret = xa_err(xa_store(&pool->pages, pfn, page,
				      HVSIM_GFP_LOCKED));
	if (!ret) {
		xa_set_mark(&pool->pages, pfn, HVSIM_POOL_FREE);
		pool->nr_free++;
		atomic_long_inc(pool->total);
	}
	mutex_unlock(&pool->lock);

	if (ret) {
		hvsim_owned_erase(pfn);
		return HV_STATUS_INSUFFICIENT_MEMORY;
	}
	return HV_STATUS_SUCCESS;
}
EXPORT_SYMBOL_IF_KUNIT(hvsim_pool_deposit);

/**
 * hvsim_pool_take() - take a free page for one of hvsim's objects
 * @pool: the pool
 *
 * The page holds whatever it held: for an object that writes all of it
 * before reading any.
 *
 * Return: the page, or NULL if the pool has no free page (the caller
 * answers HV_STATUS_INSUFFICIENT_MEMORY).
 */
struct page *hvsim_pool_take(struct hvsim_pool *pool)
{
	unsigned long index = 0;
	struct page *page;

	mutex_lock(&pool->lock);
	page = xa_find(&pool->pages, &index, ULONG_MAX, HVSIM_POOL_FREE);
	if (page) {
		xa_clear_mark(&pool->pages, index, HVSIM_POOL_FREE);
		pool->nr_free--;
		pool->nr_used++;
	}
	mutex_unlock(&pool->lock);
	return page;
}

/**
 * hvsim_pool_get() - take a free page for one of hvsim's objects, zeroed
 * @pool: the pool
 *
 * Return: the page, or NULL if the pool has no free page (the caller
 * answers HV_STATUS_INSUFFICIENT_MEMORY).
 */
struct page *hvsim_pool_get(struct hvsim_pool *pool)
{
	struct page *page = hvsim_pool_take(pool);

	if (page)
		clear_highpage(page);
	return page;
}
EXPORT_SYMBOL_IF_KUNIT(hvsim_pool_get);

/**
 * hvsim_pool_put() - give a page taken by hvsim_pool_get() back
 * @pool: the pool it came from
 * @page: the page; NULL is ignored
 */
void hvsim_pool_put(struct hvsim_pool *pool, struct page *page)
{
	if (!page)
		return;
	mutex_lock(&pool->lock);
	xa_set_mark(&pool->pages, page_to_pfn(page), HVSIM_POOL_FREE);
	pool->nr_used--;
	pool->nr_free++;
	mutex_unlock(&pool->lock);
}
EXPORT_SYMBOL_IF_KUNIT(hvsim_pool_put);

/* Hand one free page back to the root; false if the pool has none. */
static bool hvsim_pool_withdraw(struct hvsim_pool *pool, unsigned long *pfn)
{
	bool found;

	*pfn = 0;
	mutex_lock(&pool->lock);
	found = xa_find(&pool->pages, pfn, ULONG_MAX, HVSIM_POOL_FREE);
	if (found) {
		xa_erase(&pool->pages, *pfn);
		pool->nr_free--;
		atomic_long_dec(pool->total);
	}
	mutex_unlock(&pool->lock);

	if (found)
		hvsim_owned_erase(*pfn);
	return found;
}

/**
 * hvsim_pool_destroy() - free every page of a pool, used or not
 * @pool: the pool; nothing may use its pages any more
 *
 * Used at partition deletion (the pool is empty then) and module exit.
 */
void hvsim_pool_destroy(struct hvsim_pool *pool)
{
	unsigned long pfn;
	struct page *page;

	xa_for_each(&pool->pages, pfn, page) {
		hvsim_owned_erase(pfn);
		__free_page(page);
		atomic_long_dec(pool->total);
	}
	xa_destroy(&pool->pages);
	pool->nr_free = 0;
	pool->nr_used = 0;
}
EXPORT_SYMBOL_IF_KUNIT(hvsim_pool_destroy);

/*
 * HVCALL_DEPOSIT_MEMORY: rep, input { u64 partition_id; u64 pfns[] }.
 * HV_PARTITION_ID_SELF (or the root's id) deposits into the root's own
 * pool, which the root never withdraws: it is freed at module exit.
 */
u16 hvsim_hc_deposit_memory(struct hvsim_hc *hc)
{
	const struct hv_input_deposit_memory *in = hc->in;
	const u64 *pfns = hc->reps;
	struct hvsim_partition *pt;
	u32 start = hc->reps_done;
	bool root;
	u16 status;

	status = hvsim_pt_get_locked(in->partition_id, HVSIM_PT_ANY, &pt);
	if (status)
		return status;
	root = pt == &hvsim_root;
	for (; hc->reps_done < hc->rep_count; hc->reps_done++) {
		status = hvsim_pool_deposit(&pt->pool,
					    READ_ONCE(pfns[hc->reps_done]));
		if (status)
			break;
	}
	hvsim_pt_unlock_put(pt);
	hvsim_fault_deposited(root, pfns + start,
			      hc->reps_done - start);
	return status;
}

/*
 * HVCALL_WITHDRAW_MEMORY: rep, input { u64 partition_id; u32 domain_id;
 * u32 flags }, output u64 pfns[]: one free page per rep, NO_RESOURCES when
 * the pool has none left.
 */
u16 hvsim_hc_withdraw_memory(struct hvsim_hc *hc)
{
	const struct hv_input_withdraw_memory *in = hc->in;
	struct hvsim_partition *pt;
	u64 *pfns = hc->out;
	unsigned long pfn;
	u16 status;

	status = hvsim_pt_get_locked(in->partition_id, HVSIM_PT_ANY, &pt);
	if (status)
		return status;
	for (; hc->reps_done < hc->rep_count; hc->reps_done++) {
		if (!hvsim_pool_withdraw(&pt->pool, &pfn)) {
			status = HV_STATUS_NO_RESOURCES;
			break;
		}
		pfns[hc->reps_done] = pfn;
	}
	hvsim_pt_unlock_put(pt);
	return status;
}
