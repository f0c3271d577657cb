// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: the MSI routing table (MSHV_SET_MSI_ROUTING).
 *
 * The VMM hands over the whole table at once; it replaces the previous
 * one.  The new table is built and checked completely before anything
 * changes, swapped in under pt_irq.lock, pushed to every irqfd's cached
 * route, and the old one is freed after an SRCU grace period: once the
 * ioctl returns, no injection uses an old route any more.
 *
 * Also here: decoding an x86 MSI (address, data) into the fields of
 * HVCALL_ASSERT_VIRTUAL_INTERRUPT.
 */

#include <kunit/visibility.h>
#include <linux/bitfield.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <uapi/linux/mshv.h>

#include "mshv_root.h"
#include "mshv_trace.h"

/* x86 MSI format (Intel SDM vol. 3, "Message Signalled Interrupts"). */
#define MSHV_MSI_ADDR_LOGICAL	BIT(2)		/* destination mode */
#define MSHV_MSI_ADDR_DEST	GENMASK(19, 12)	/* destination id */
#define MSHV_MSI_DATA_VECTOR	GENMASK(7, 0)
#define MSHV_MSI_DATA_TYPE	GENMASK(10, 8)	/* delivery mode */
#define MSHV_MSI_DATA_LEVEL	BIT(15)		/* trigger mode */

/* Physical destination id that addresses every APIC. */
#define MSHV_MSI_DEST_BROADCAST	0xff

/**
 * mshv_msi_decode() - decode an x86 MSI into interrupt-control terms
 * @address_lo: MSI address, low 32 bits
 * @data: MSI data
 * @msi: receives the decoded MSI, marked valid
 */
VISIBLE_IF_KUNIT void mshv_msi_decode(u32 address_lo, u32 data, struct mshv_msi *msi)
{
	msi->valid = true;
	msi->vector = FIELD_GET(MSHV_MSI_DATA_VECTOR, data);
	msi->type = FIELD_GET(MSHV_MSI_DATA_TYPE, data);
	msi->level = data & MSHV_MSI_DATA_LEVEL;
	msi->logical = address_lo & MSHV_MSI_ADDR_LOGICAL;
	msi->dest = FIELD_GET(MSHV_MSI_ADDR_DEST, address_lo);
}
EXPORT_SYMBOL_IF_KUNIT(mshv_msi_decode);

/**
 * mshv_msi_targets_vp() - whether an MSI may be delivered to a VP
 * @msi: a decoded MSI
 * @vp_index: the VP (its APIC id is its index)
 *
 * Physical mode names one APIC id, or all of them with 0xff; logical mode
 * is the flat model: one bit per APIC, for the first eight.
 *
 * Return: true if @vp_index is among the destinations.
 */
bool mshv_msi_targets_vp(const struct mshv_msi *msi, u32 vp_index)
{
	if (!msi->valid)
		return false;
	if (msi->logical)
		return vp_index < 8 && (msi->dest & BIT(vp_index));
	return msi->dest == MSHV_MSI_DEST_BROADCAST || msi->dest == vp_index;
}
EXPORT_SYMBOL_IF_KUNIT(mshv_msi_targets_vp);

/**
 * mshv_irq_table_build() - check MSHV_SET_MSI_ROUTING entries, make a table
 * @entries: the entries, in kernel memory
 * @nr: number of entries
 * @table: receives the new table, or NULL when @nr is 0 (no routes)
 *
 * Rules (those of upstream): at most MSHV_MAX_GUEST_IRQS entries, every
 * gsi below MSHV_MAX_GUEST_IRQS, address_hi zero, one entry per gsi.
 *
 * Return: 0; -EINVAL if an entry breaks a rule; -ENOMEM.
 */
VISIBLE_IF_KUNIT int mshv_irq_table_build(const struct mshv_user_irq_entry *entries, u32 nr,
					  struct mshv_irq_table **table)
{
	struct mshv_irq_table *t;
	u32 i, nr_slots = 0;

	*table = NULL;
	if (nr > MSHV_MAX_GUEST_IRQS)
		return -EINVAL;
	for (i = 0; i < nr; i++) {
		if (entries[i].gsi >= MSHV_MAX_GUEST_IRQS ||
		    entries[i].address_hi)
			return -EINVAL;
		nr_slots = max(nr_slots, entries[i].gsi + 1);
	}
	if (!nr)
		return 0;

	t = kvzalloc(struct_size(t, slots, nr_slots), GFP_KERNEL_ACCOUNT);
	if (!t)
		return -ENOMEM;
	t->nr_slots = nr_slots;
	t->nr_routes = nr;
	for (i = 0; i < nr; i++) {
		struct mshv_irq_route *r = &t->slots[entries[i].gsi];

		if (r->valid) {
			kvfree(t);
			return -EINVAL;
		}
		r->valid = true;
		r->address_lo = entries[i].address_lo;
		r->data = entries[i].data;
	}
	*table = t;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mshv_irq_table_build);

/**
 * mshv_irq_route_lookup() - the decoded route of a GSI
 * @table: a routing table (may be NULL: no routes)
 * @gsi: the GSI
 * @msi: receives the route; not valid if the GSI has none
 *
 * Context: pt_irq.srcu read side or pt_irq.lock held, for @table.
 */
void mshv_irq_route_lookup(const struct mshv_irq_table *table, u32 gsi,
			   struct mshv_msi *msi)
{
	const struct mshv_irq_route *r;

	memset(msi, 0, sizeof(*msi));
	if (!table || gsi >= table->nr_slots)
		return;
	r = &table->slots[array_index_nospec(gsi, table->nr_slots)];
	if (r->valid)
		mshv_msi_decode(r->address_lo, r->data, msi);
}
EXPORT_SYMBOL_IF_KUNIT(mshv_irq_route_lookup);

/**
 * mshv_irq_state_init() - set up a partition's interrupt state
 * @irq: the state, zeroed
 *
 * Return: 0 or -ENOMEM.
 */
int mshv_irq_state_init(struct mshv_irq_state *irq)
{
	mutex_init(&irq->lock);
	spin_lock_init(&irq->irqfds_lock);
	INIT_LIST_HEAD(&irq->irqfds);
	INIT_LIST_HEAD(&irq->resamplers);
	RCU_INIT_POINTER(irq->table, NULL);
	irq->fast_path = true;
	return init_srcu_struct(&irq->srcu);
}

/**
 * mshv_irq_state_destroy() - free a partition's interrupt state
 * @irq: the state; no irqfd is left and no reader can come
 */
void mshv_irq_state_destroy(struct mshv_irq_state *irq)
{
	WARN_ON(!list_empty(&irq->irqfds) || !list_empty(&irq->resamplers));
	kvfree(rcu_dereference_protected(irq->table, true));
	cleanup_srcu_struct(&irq->srcu);
}

/**
 * mshv_set_msi_routing() - MSHV_SET_MSI_ROUTING
 * @pt: the partition, pt_mutex held
 * @uarg: struct mshv_user_irq_table followed by its entries
 *
 * Return: 0 or a negative errno; on error the old table stays.
 */
long mshv_set_msi_routing(struct mshv_partition *pt, void __user *uarg)
{
	struct mshv_user_irq_table __user *utable = uarg;
	struct mshv_user_irq_entry *entries = NULL;
	struct mshv_irq_table *new, *old;
	struct mshv_user_irq_table hdr;
	int ret;

	lockdep_assert_held(&pt->pt_mutex);

	if (copy_from_user(&hdr, utable, sizeof(hdr)))
		return -EFAULT;
	if (hdr.nr > MSHV_MAX_GUEST_IRQS || hdr.rsvd)
		return -EINVAL;
	if (hdr.nr) {
		entries = vmemdup_array_user(utable->entries, hdr.nr,
					     sizeof(*entries));
		if (IS_ERR(entries))
			return PTR_ERR(entries);
	}
	ret = mshv_irq_table_build(entries, hdr.nr, &new);
	kvfree(entries);
	if (ret)
		return ret;

	mutex_lock(&pt->pt_irq.lock);
	old = rcu_replace_pointer(pt->pt_irq.table, new,
				  lockdep_is_held(&pt->pt_irq.lock));
	mshv_irqfd_routing_update(pt, new);
	mutex_unlock(&pt->pt_irq.lock);

	/* Injections that may have seen an old route are over after this. */
	synchronize_srcu_expedited(&pt->pt_irq.srcu);
	trace_mshv_irq_routing_update(pt->pt_id, old ? old->nr_routes : 0,
				      hdr.nr, new ? new->nr_slots : 0);
	atomic_inc(&pt->pt_irq.stats.routing_updates);
	kvfree(old);
	return 0;
}
