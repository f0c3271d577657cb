// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim GPA table: the data structure behind a partition's GFN -> PFN map
 * (the hypercalls and the CPU model's accessors are in gpa.c).
 *
 * GPA space is cut into 2 MiB chunks of 512 gfns.  An xarray keyed by
 * chunk index (gfn / 512) points to a struct hvsim_gpa_chunk for each
 * chunk with anything mapped in it, and each such chunk is charged one
 * page of the partition's deposit pool, as a real second-level page table
 * would be.  A chunk is either
 *  - large: one 2 MiB mapping, held as the entry of its first gfn (the
 *    entries of the others follow from it), so that a large-page rep of
 *    MAP_GPA_PAGES or UNMAP_GPA_PAGES costs O(1); or
 *  - a leaf: one entry per gfn, kept in the chunk's pool page (512
 *    entries of 8 bytes fill it), and a bitmap of the gfns mapped.  An
 *    entry whose bit is clear holds garbage, so the pool page needs no
 *    clearing.
 * Mapping 4 KiB pages into a large chunk, or unmapping part of it, first
 * splits it into the leaf it stands for; mapping a large page over a leaf
 * replaces the leaf.
 *
 * The accessed and dirty bits of the gfns of a chunk are two 512-bit
 * bitmaps, inverted as access.c describes: a set bit says "not accessed"
 * or "clean".  Unmapping a gfn clears its bits and a chunk starts zeroed,
 * so every new mapping starts accessed and dirty, while a mapping over a
 * mapping keeps the bits it had.
 *
 * Locking: the table changes only with the partition's gpa_lock
 * write-held; lookups need it read-held (a running VP holds it so).  The
 * access bitmaps change with atomic bit operations, because running VPs
 * set the accessed and dirty bits of their pages with gpa_lock only
 * read-held.
 */
#include <kunit/visibility.h>
#include <linux/bitmap.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "hvsim.h"

#define HVSIM_CHUNK_GFNS	HV_HYP_PAGES_PER_LARGE_PAGE

/**
 * struct hvsim_gpa_chunk - what is mapped in one 2 MiB chunk of GPA space
 * @page: the pool page it is charged; holds the leaf entries
 * @large: if nonzero, the chunk is one 2 MiB mapping and this is the
 *	entry of its first gfn; the leaf and @mapped are then unused
 * @nr_mapped: gfns mapped in the chunk; the chunk is freed at zero
 * @mapped: leaf entries that hold a mapping
 * @unaccessed: gfns whose accessed bit is clear
 * @clean: gfns whose dirty bit is clear
 */
struct hvsim_gpa_chunk {
	struct page *page;
	u64 large;
	unsigned int nr_mapped;
	DECLARE_BITMAP(mapped, HVSIM_CHUNK_GFNS);
	DECLARE_BITMAP(unaccessed, HVSIM_CHUNK_GFNS);
	DECLARE_BITMAP(clean, HVSIM_CHUNK_GFNS);
};

static u64 *hvsim_chunk_leaf(const struct hvsim_gpa_chunk *c)
{
	return page_address(c->page);
}

static u64 __hvsim_hot hvsim_chunk_entry(const struct hvsim_gpa_chunk *c, unsigned int k)
{
	if (c->large)
		return c->large + ((u64)k << HVSIM_GPA_PFN_SHIFT);
	return test_bit(k, c->mapped) ? hvsim_chunk_leaf(c)[k] : 0;
}

static u64 hvsim_gpa_mk_entry(u64 pfn, unsigned long flags)
{
	return pfn << HVSIM_GPA_PFN_SHIFT | HVSIM_GPA_PRESENT | flags;
}

/* Turn a large chunk into the leaf of the 512 entries it stands for. */
static void hvsim_chunk_split(struct hvsim_gpa_chunk *c)
{
	u64 *leaf = hvsim_chunk_leaf(c);
	unsigned int k;

	if (!c->large)
		return;
	for (k = 0; k < HVSIM_CHUNK_GFNS; k++)
		leaf[k] = c->large + ((u64)k << HVSIM_GPA_PFN_SHIFT);
	bitmap_fill(c->mapped, HVSIM_CHUNK_GFNS);
	c->large = 0;
}

/* Count @delta gfns (negative: unmapped ones) of chunk @c as mapped. */
static void hvsim_chunk_account(struct hvsim_gpa_table *t,
				struct hvsim_gpa_chunk *c, long delta)
{
	c->nr_mapped += delta;
	t->nr_mapped += delta;
	atomic_long_add(delta, &hvsim_stats.mapped_pages);
}

static void hvsim_chunk_free(struct hvsim_gpa_table *t, unsigned long idx,
			     struct hvsim_gpa_chunk *c)
{
	xa_erase(&t->chunks, idx);
	hvsim_pool_put(t->pool, c->page);
	kfree(c);
}

/* Free chunk @c if nothing is mapped in it any more. */
static void hvsim_chunk_put(struct hvsim_gpa_table *t, unsigned long idx,
			    struct hvsim_gpa_chunk *c)
{
	if (!c->nr_mapped)
		hvsim_chunk_free(t, idx, c);
}

/*
 * The chunk of index @idx, made (empty) if there is none.  Its pool page
 * is not cleared: no leaf entry is read before it is written, and
 * clearing a page was most of the cost of a large-page rep.
 */
static struct hvsim_gpa_chunk *hvsim_chunk_get(struct hvsim_gpa_table *t,
					       unsigned long idx)
{
	struct hvsim_gpa_chunk *c = xa_load(&t->chunks, idx);

	if (c)
		return c;
	c = kzalloc(sizeof(*c), HVSIM_GFP_LOCKED);
	if (!c)
		return NULL;
	c->page = hvsim_pool_take(t->pool);
	if (!c->page)
		goto err_free;
	if (xa_err(xa_store(&t->chunks, idx, c, HVSIM_GFP_LOCKED)))
		goto err_put;
	return c;

err_put:
	hvsim_pool_put(t->pool, c->page);
err_free:
	kfree(c);
	return NULL;
}

/**
 * hvsim_gpt_init() - set up an empty GPA table
 * @t: the table
 * @pool: the pool its chunks are charged to
 */
void hvsim_gpt_init(struct hvsim_gpa_table *t, struct hvsim_pool *pool)
{
	xa_init(&t->chunks);
	t->pool = pool;
	t->nr_mapped = 0;
}
EXPORT_SYMBOL_IF_KUNIT(hvsim_gpt_init);

/**
 * hvsim_gpt_destroy() - unmap everything and free the chunks
 * @t: the table; gpa_lock write-held or no other user left
 *
 * The table may be used again afterwards, empty.
 */
void hvsim_gpt_destroy(struct hvsim_gpa_table *t)
{
	struct hvsim_gpa_chunk *c;
	unsigned long idx;

	xa_for_each(&t->chunks, idx, c) {
		hvsim_chunk_account(t, c, -(long)c->nr_mapped);
		hvsim_chunk_free(t, idx, c);
	}
	xa_destroy(&t->chunks);
}
EXPORT_SYMBOL_IF_KUNIT(hvsim_gpt_destroy);

/**
 * hvsim_gpt_lookup() - the entry of a gfn
 * @t: the table; gpa_lock held
 * @gfn: the gfn
 *
 * Return: pfn << HVSIM_GPA_PFN_SHIFT | HVSIM_GPA_PRESENT | flags, or 0 if
 * @gfn is not mapped.
 */
u64 __hvsim_hot hvsim_gpt_lookup(struct hvsim_gpa_table *t, u64 gfn)
{
	const struct hvsim_gpa_chunk *c;

	c = xa_load(&t->chunks, gfn / HVSIM_CHUNK_GFNS);
	return c ? hvsim_chunk_entry(c, gfn % HVSIM_CHUNK_GFNS) : 0;
}
EXPORT_SYMBOL_IF_KUNIT(hvsim_gpt_lookup);

/**
 * hvsim_gpt_lookup_2m() - the entry of a chunk mapped as one 2 MiB piece
 * @t: the table; gpa_lock held
 * @gfn: a gfn of the chunk
 *
 * A chunk is one piece when its 512 gfns are all mapped, with the same
 * flags, to 512 consecutive frames from a 512-aligned one.  A large chunk
 * always is (hvsim_gpt_pfn_ok() checked its frame); a leaf is checked
 * entry by entry, at most 512 of them.
 *
 * Return: the entry of the chunk's first gfn, or 0 if the chunk is not one
 * piece.
 */
u64 hvsim_gpt_lookup_2m(struct hvsim_gpa_table *t, u64 gfn)
{
	const struct hvsim_gpa_chunk *c;
	const u64 *leaf;
	unsigned int k;

	c = xa_load(&t->chunks, gfn / HVSIM_CHUNK_GFNS);
	if (!c)
		return 0;
	if (c->large)
		return c->large;
	/* nr_mapped counts the bits set in @mapped: all 512 entries hold one. */
	if (c->nr_mapped != HVSIM_CHUNK_GFNS)
		return 0;
	leaf = hvsim_chunk_leaf(c);
	if (!IS_ALIGNED(leaf[0] >> HVSIM_GPA_PFN_SHIFT, HVSIM_CHUNK_GFNS))
		return 0;
	for (k = 1; k < HVSIM_CHUNK_GFNS; k++)
		if (leaf[k] != leaf[0] + ((u64)k << HVSIM_GPA_PFN_SHIFT))
			return 0;
	return leaf[0];
}
EXPORT_SYMBOL_IF_KUNIT(hvsim_gpt_lookup_2m);

/**
 * hvsim_gpt_map_large() - map a 2 MiB chunk to 512 contiguous frames
 * @t: the table; gpa_lock write-held
 * @gfn: first gfn of the chunk, 512-aligned
 * @pfn: first frame, checked by the caller
 * @flags: entry flags (permissions, HVSIM_GPA_NO_ACCESS, ...)
 *
 * Whatever was mapped in the chunk is replaced; access bits are kept.
 *
 * Return: HV_STATUS_SUCCESS, or HV_STATUS_INSUFFICIENT_MEMORY with
 * nothing changed.
 */
u16 hvsim_gpt_map_large(struct hvsim_gpa_table *t, u64 gfn, u64 pfn,
			unsigned long flags)
{
	struct hvsim_gpa_chunk *c;

	c = hvsim_chunk_get(t, gfn / HVSIM_CHUNK_GFNS);
	if (!c)
		return HV_STATUS_INSUFFICIENT_MEMORY;
	hvsim_chunk_account(t, c, HVSIM_CHUNK_GFNS - c->nr_mapped);
	c->large = hvsim_gpa_mk_entry(pfn, flags);
	return HV_STATUS_SUCCESS;
}
EXPORT_SYMBOL_IF_KUNIT(hvsim_gpt_map_large);

/**
 * hvsim_gpt_pfn_ok() - may a run of frames be mapped into a partition?
 * @pfn: first frame
 * @count: number of frames; @pfn must be aligned to it
 *
 * A partition must never see hvsim's own pages.
 *
 * Return: true if the frames are aligned, addressable and not hvsim's.
 */
bool hvsim_gpt_pfn_ok(u64 pfn, unsigned int count)
{
	return IS_ALIGNED(pfn, count) && pfn <= HVSIM_GPA_MAX_FN + 1 - count &&
	       !hvsim_pfns_owned(pfn, count);
}
EXPORT_SYMBOL_IF_KUNIT(hvsim_gpt_pfn_ok);

/**
 * hvsim_gpt_map() - map gfns of one chunk to single frames
 * @t: the table; gpa_lock write-held
 * @gfn: first gfn
 * @pfns: one frame per gfn, each read once and checked with
 *	hvsim_gpt_pfn_ok()
 * @count: number of gfns; all in the chunk of @gfn
 * @flags: entry flags (permissions, HVSIM_GPA_NO_ACCESS, ...)
 * @done: receives the number of gfns mapped, from @gfn on
 *
 * Existing mappings are replaced; access bits are kept.
 *
 * Return: HV_STATUS_SUCCESS; HV_STATUS_INVALID_PARAMETER at the first
 * frame that may not be mapped; HV_STATUS_INSUFFICIENT_MEMORY (nothing
 * mapped) if the chunk cannot be made.
 */
u16 hvsim_gpt_map(struct hvsim_gpa_table *t, u64 gfn, const u64 *pfns,
		  unsigned int count, unsigned long flags, unsigned int *done)
{
	unsigned long idx = gfn / HVSIM_CHUNK_GFNS;
	unsigned int k0 = gfn % HVSIM_CHUNK_GFNS, i, added = 0;
	u16 status = HV_STATUS_SUCCESS;
	struct hvsim_gpa_chunk *c;
	u64 *leaf, pfn;

	*done = 0;
	if (WARN_ON_ONCE(k0 + count > HVSIM_CHUNK_GFNS))
		return HV_STATUS_INVALID_PARAMETER;
	c = hvsim_chunk_get(t, idx);
	if (!c)
		return HV_STATUS_INSUFFICIENT_MEMORY;
	hvsim_chunk_split(c);
	leaf = hvsim_chunk_leaf(c);
	for (i = 0; i < count; i++) {
		pfn = READ_ONCE(pfns[i]);
		if (!hvsim_gpt_pfn_ok(pfn, 1)) {
			status = HV_STATUS_INVALID_PARAMETER;
			break;
		}
		/* Changed only with gpa_lock write-held: not atomic. */
		if (!__test_and_set_bit(k0 + i, c->mapped))
			added++;
		leaf[k0 + i] = hvsim_gpa_mk_entry(pfn, flags);
	}
	hvsim_chunk_account(t, c, added);
	hvsim_chunk_put(t, idx, c);
	*done = i;
	return status;
}
EXPORT_SYMBOL_IF_KUNIT(hvsim_gpt_map);

/**
 * hvsim_gpt_unmap() - unmap gfns of one chunk
 * @t: the table; gpa_lock write-held
 * @gfn: first gfn
 * @count: number of gfns, all in the chunk of @gfn
 *
 * Gfns not mapped are skipped.  The unmapped gfns forget their access
 * bits.
 */
void hvsim_gpt_unmap(struct hvsim_gpa_table *t, u64 gfn, unsigned int count)
{
	unsigned long idx = gfn / HVSIM_CHUNK_GFNS;
	unsigned int k0 = gfn % HVSIM_CHUNK_GFNS, k, removed = 0;
	struct hvsim_gpa_chunk *c = xa_load(&t->chunks, idx);

	if (!c || WARN_ON_ONCE(k0 + count > HVSIM_CHUNK_GFNS))
		return;
	if (count == HVSIM_CHUNK_GFNS) {
		hvsim_chunk_account(t, c, -(long)c->nr_mapped);
		hvsim_chunk_free(t, idx, c);
		return;
	}
	hvsim_chunk_split(c);
	for (k = k0; k < k0 + count; k++) {
		if (!__test_and_clear_bit(k, c->mapped))
			continue;
		clear_bit(k, c->unaccessed);
		clear_bit(k, c->clean);
		removed++;
	}
	hvsim_chunk_account(t, c, -(long)removed);
	hvsim_chunk_put(t, idx, c);
}
EXPORT_SYMBOL_IF_KUNIT(hvsim_gpt_unmap);

/**
 * hvsim_gpt_note_access() - set the accessed (and dirty) bit of a gfn
 * @t: the table; gpa_lock read-held
 * @gfn: the gfn; nothing happens if it is not mapped
 * @write: set the dirty bit too
 *
 * Context: does not sleep.
 */
void hvsim_gpt_note_access(struct hvsim_gpa_table *t, u64 gfn, bool write)
{
	struct hvsim_gpa_chunk *c = xa_load(&t->chunks, gfn / HVSIM_CHUNK_GFNS);
	unsigned int k = gfn % HVSIM_CHUNK_GFNS;

	if (!c || !hvsim_chunk_entry(c, k))
		return;
	/* Test first: the bits are mostly clear already. */
	if (test_bit(k, c->unaccessed))
		clear_bit(k, c->unaccessed);
	if (write && test_bit(k, c->clean))
		clear_bit(k, c->clean);
}
EXPORT_SYMBOL_IF_KUNIT(hvsim_gpt_note_access);

/**
 * hvsim_gpt_access_state() - report a gfn's access state and change it
 * @t: the table; gpa_lock write-held if @flags clears a bit, else
 *	read-held
 * @gfn: the gfn
 * @flags: HV_GPA_PAGE_ACCESS_STATE_* (checked by the caller)
 *
 * Return: HV_GPA_PAGE_ACCESS_ACCESSED and _DIRTY as they were before
 * @flags applied; 0, with nothing changed, if @gfn is not mapped.
 */
u8 hvsim_gpt_access_state(struct hvsim_gpa_table *t, u64 gfn, u64 flags)
{
	struct hvsim_gpa_chunk *c = xa_load(&t->chunks, gfn / HVSIM_CHUNK_GFNS);
	unsigned int k = gfn % HVSIM_CHUNK_GFNS;
	u8 state = 0;

	if (!c || !hvsim_chunk_entry(c, k))
		return 0;
	if (!test_bit(k, c->unaccessed))
		state |= HV_GPA_PAGE_ACCESS_ACCESSED;
	if (!test_bit(k, c->clean))
		state |= HV_GPA_PAGE_ACCESS_DIRTY;
	if (flags & HV_GPA_PAGE_ACCESS_STATE_CLEAR_ACCESSED)
		set_bit(k, c->unaccessed);
	if (flags & HV_GPA_PAGE_ACCESS_STATE_SET_ACCESSED)
		clear_bit(k, c->unaccessed);
	if (flags & HV_GPA_PAGE_ACCESS_STATE_CLEAR_DIRTY)
		set_bit(k, c->clean);
	if (flags & HV_GPA_PAGE_ACCESS_STATE_SET_DIRTY)
		clear_bit(k, c->clean);
	return state;
}
EXPORT_SYMBOL_IF_KUNIT(hvsim_gpt_access_state);

/**
 * hvsim_gpt_any_clean() - whether some mapped gfn has its dirty bit clear
 * @t: the table; gpa_lock held
 *
 * Return: true if one has.
 */
bool hvsim_gpt_any_clean(struct hvsim_gpa_table *t)
{
	struct hvsim_gpa_chunk *c;
	unsigned long idx;

	/* Only mapped gfns ever have a bit set. */
	xa_for_each(&t->chunks, idx, c)
		if (!bitmap_empty(c->clean, HVSIM_CHUNK_GFNS))
			return true;
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(hvsim_gpt_any_clean);
