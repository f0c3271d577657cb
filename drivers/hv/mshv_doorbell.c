// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: doorbells.
 *
 * A doorbell is a hypervisor port of the root plus a connection of a child
 * partition to it: a guest write the connection matches makes the
 * hypervisor queue the port id on the root's doorbell event ring, and the
 * SynIC interrupt handler (mshv_synic.c) calls mshv_doorbell_signal().
 *
 * Port ids are allocated here, module-wide (the root owns every port),
 * and map to the callback to run.  The handler looks ids up under RCU;
 * unregistering removes the id, then the entry is freed after a grace
 * period, so a callback never runs on a freed entry.  The data it is
 * given must stay valid until the caller has waited for a grace period
 * after mshv_doorbell_unregister() (see mshv_ioeventfd.c).
 *
 * The connection id in the child is the port id (one connection per
 * port), so the two can never disagree.
 */

#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "mshv_trace.h"

#include "mshv_root.h"

/**
 * struct mshv_doorbell - what a port id rings
 * @fn: callback; NULL for an id whose port could not be deleted
 * @data: its argument
 * @rcu: deferred free
 */
struct mshv_doorbell {
	mshv_doorbell_fn fn;
	void *data;
	struct rcu_head rcu;
};

/* Port id -> struct mshv_doorbell.  RCU-readable for the ISR. */
static DEFINE_XARRAY_FLAGS(mshv_doorbells, XA_FLAGS_ALLOC1);

/*
 * Stands for a port the hypervisor may still signal because deleting it
 * failed: the id must never be handed out again.
 */
static struct mshv_doorbell mshv_doorbell_dead;

/**
 * mshv_doorbell_signal() - run the callback of a port the hypervisor
 *	queued on the doorbell ring
 * @port_id: port id read from the ring (untrusted)
 *
 * Ids that name no live doorbell (stale entries of an unregistered one,
 * garbage) are ignored.
 *
 * Context: any, including hard interrupts; takes rcu_read_lock() itself.
 */
void mshv_doorbell_signal(u32 port_id)
{
	struct mshv_doorbell *db;
	bool found = false;

	rcu_read_lock();
	db = xa_load(&mshv_doorbells, port_id);
	if (db && db->fn) {
		db->fn(db->data);
		found = true;
	}
	rcu_read_unlock();
	trace_mshv_doorbell_signal(port_id, found);
}

/* Undo a port in the hypervisor, a few tries each step. */
static bool mshv_doorbell_teardown(u64 partition_id, u32 port_id,
				   bool connected)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; connected && i < MSHV_TEARDOWN_TRIES; i++) {
		ret = mshv_hv_disconnect_port(partition_id, port_id);
		if (!ret)
			break;
	}
	/* A connection left behind stays with the partition until finalize. */
	for (i = 0; i < MSHV_TEARDOWN_TRIES; i++) {
		ret = mshv_hv_delete_port(mshv_root.root_id, port_id);
		if (!ret)
			return true;
	}
	return false;
}

/* Free a port id; one whose port is still live is kept, dead. */
static void mshv_doorbell_put_id(u32 port_id, bool deleted)
{
	struct mshv_doorbell *db;

	if (deleted) {
		db = xa_erase(&mshv_doorbells, port_id);
	} else {
		pr_err_ratelimited("mshv: doorbell port %u could not be deleted; its id is retired\n",
				   port_id);
		db = xa_store(&mshv_doorbells, port_id, &mshv_doorbell_dead,
			      GFP_KERNEL);
		/* Replacing an entry allocates nothing. */
		WARN_ON_ONCE(xa_is_err(db));
	}
	if (db && !xa_is_err(db) && db != &mshv_doorbell_dead)
		kfree_rcu(db, rcu);
}

/**
 * mshv_doorbell_register() - create and connect a doorbell port
 * @partition_id: the child partition whose writes ring it
 * @gpa: guest physical address of the doorbell
 * @value: value a write must carry (ignored with TRIGGER_ANY_VALUE)
 * @flags: HV_DOORBELL_FLAG_* (trigger size, any value)
 * @fn: callback, run in the SynIC interrupt, a raw hard interrupt where
 *	neither sleeping nor spinlock_t is allowed
 * @data: its argument
 * @port_id: receives the port id, for mshv_doorbell_unregister()
 *
 * The callback may run from the moment the port is connected, possibly
 * before this function returns.
 *
 * Context: process context; may sleep.
 * Return: 0 or a negative errno; on error nothing is left behind.
 */
int mshv_doorbell_register(u64 partition_id, u64 gpa, u64 value, u64 flags,
			   mshv_doorbell_fn fn, void *data, u32 *port_id)
{
	struct hv_connection_info conn = {};
	struct hv_port_info port = {};
	struct mshv_doorbell *db;
	u32 id;
	int ret;

	db = kzalloc(sizeof(*db), GFP_KERNEL);
	if (!db)
		return -ENOMEM;
	db->fn = fn;
	db->data = data;
	ret = xa_alloc(&mshv_doorbells, &id, db,
		       XA_LIMIT(1, HV_PORT_ID_MASK), GFP_KERNEL);
	if (ret) {
		kfree(db);
		return ret == -EBUSY ? -ENOSPC : ret;
	}

	port.port_type = HV_PORT_TYPE_DOORBELL;
	port.doorbell.target_sint = HV_SYNIC_DOORBELL_SINT_INDEX;
	port.doorbell.target_vp = HV_ANY_VP;
	ret = mshv_hv_create_port(mshv_root.root_id, id, partition_id, &port);
	if (ret)
		goto err_id;

	conn.port_type = HV_PORT_TYPE_DOORBELL;
	conn.doorbell.gpa = gpa;
	conn.doorbell.trigger_value = value;
	conn.doorbell.flags = flags;
	ret = mshv_hv_connect_port(mshv_root.root_id, id, partition_id, id,
				   &conn);
	if (ret)
		goto err_port;

	*port_id = id;
	return 0;

err_port:
	mshv_doorbell_put_id(id, mshv_doorbell_teardown(partition_id, id,
							false));
	return ret;
err_id:
	mshv_doorbell_put_id(id, true);
	return ret;
}

/**
 * mshv_doorbell_unregister() - disconnect and delete a doorbell port
 * @partition_id: the child partition
 * @port_id: from mshv_doorbell_register()
 *
 * Once this returns the callback is not started again; one running on
 * another CPU may still be finishing: wait for an RCU grace period before
 * freeing its data.  Hypercall failures are retried, then logged; a port
 * that could not be deleted keeps its id forever.
 *
 * Context: process context; may sleep.
 */
void mshv_doorbell_unregister(u64 partition_id, u32 port_id)
{
	mshv_doorbell_put_id(port_id, mshv_doorbell_teardown(partition_id,
							     port_id, true));
}

/**
 * mshv_doorbell_exit() - forget retired port ids when the platform goes
 *
 * Only ids of ports that could not be deleted are left by then (each
 * partition, and so each doorbell, pins the platform); with the platform
 * gone, so are its ports.
 *
 * Context: mshv_platform_unregister(), process context.
 */
void mshv_doorbell_exit(void)
{
	xa_destroy(&mshv_doorbells);
}
