// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim ports and connections: CREATE_PORT, CONNECT_PORT, DISCONNECT_PORT,
 * DELETE_PORT and NOTIFY_PORT_RING_EMPTY, and the doorbells they make of
 * guest writes.
 *
 * Only doorbell ports are modelled.  A doorbell port belongs to the root
 * and names the child partition that may connect to it and where its
 * signals go (a SINT of a root CPU, see synic.c).  A connection belongs
 * to the child and says which guest writes ring the doorbell: a GPA, an
 * access size (or any) and a value (or any).
 *
 * Memory: each port costs one page of the root's pool, each connection
 * one page of the child's pool, so the driver sees INSUFFICIENT_MEMORY and
 * deposits as it would on real hardware.  Finalizing a partition frees
 * its connections.
 *
 * A connection names its port by id only; a matching guest write looks
 * the port up when it happens, so a port deleted while still connected
 * merely silences its connections.
 *
 * Locking: ports and connections change in hypercalls only.  Root ports
 * live in an xarray whose lock also covers reading a port (the signal
 * path copies what it needs under xa_lock()); a child's connections change
 * under the child's partition lock, and the list the CPU model matches
 * writes against is guarded by a leaf spinlock, as the write callback runs
 * with vp->lock and the GPA lock held and must not sleep.
 */
#include <linux/slab.h>

#include "hvsim.h"

/**
 * struct hvsim_port - a doorbell port of the root
 * @conn_pt: the only partition allowed to connect
 * @target_sint: root SINT the signals are queued on
 * @target_vp: root CPU, or HV_ANY_VP (the CPU the write happens on)
 * @page: root pool page the port is charged
 */
struct hvsim_port {
	u64 conn_pt;
	u32 target_sint;
	u32 target_vp;
	struct page *page;
};

/**
 * struct hvsim_conn - a doorbell connection of a child partition
 * @node: entry on the child's hvsim_ports.doorbells
 * @port_id: the root port it signals
 * @gpa: guest physical address a write must hit exactly
 * @value: value it must write, unless @flags has TRIGGER_ANY_VALUE
 * @flags: HV_DOORBELL_FLAG_*
 * @page: child pool page the connection is charged
 */
struct hvsim_conn {
	struct list_head node;
	u32 port_id;
	u64 gpa;
	u64 value;
	u64 flags;
	struct page *page;
};

#define HVSIM_DOORBELL_FLAGS	(HV_DOORBELL_FLAG_TRIGGER_SIZE_MASK | \
				 HV_DOORBELL_FLAG_TRIGGER_ANY_VALUE)

/**
 * hvsim_ports_init() - empty port and connection tables
 * @pt: the partition
 */
void hvsim_ports_init(struct hvsim_partition *pt)
{
	xa_init(&pt->ports.ports);
	xa_init(&pt->ports.conns);
	spin_lock_init(&pt->ports.db_lock);
	INIT_LIST_HEAD(&pt->ports.doorbells);
	pt->ports.nr_doorbells = 0;
}

static void hvsim_conn_free(struct hvsim_partition *pt, struct hvsim_conn *c)
{
	spin_lock(&pt->ports.db_lock);
	list_del(&c->node);
	WRITE_ONCE(pt->ports.nr_doorbells, pt->ports.nr_doorbells - 1);
	spin_unlock(&pt->ports.db_lock);
	hvsim_pool_put(&pt->pool, c->page);
	kfree(c);
}

/**
 * hvsim_ports_clear() - free every port and connection of a partition
 * @pt: the partition; locked, or the root at module exit
 *
 * FINALIZE_PARTITION frees a child's connections with its other objects.
 */
void hvsim_ports_clear(struct hvsim_partition *pt)
{
	struct hvsim_port *port;
	struct hvsim_conn *c;
	unsigned long id;

	xa_for_each(&pt->ports.conns, id, c) {
		xa_erase(&pt->ports.conns, id);
		hvsim_conn_free(pt, c);
	}
	xa_for_each(&pt->ports.ports, id, port) {
		xa_erase(&pt->ports.ports, id);
		hvsim_pool_put(&pt->pool, port->page);
		kfree(port);
	}
}

/* Ports live in the root; the root calls itself SELF or by its id. */
static bool hvsim_is_root_id(u64 id)
{
	return id == HV_PARTITION_ID_SELF || id == HVSIM_ROOT_ID;
}

/*
 * HVCALL_CREATE_PORT.  Doorbell ports only, owned by the root, targeting
 * a SINT of any root CPU or of one CPU; the connection partition must
 * exist.
 */
u16 hvsim_hc_create_port(struct hvsim_hc *hc)
{
	const struct hv_input_create_port *in = hc->in;
	const struct hv_port_info *info = &in->port_info;
	struct hvsim_partition *conn_pt;
	struct hvsim_port *port;
	u16 status;
	int ret;

	if (in->port_vtl || in->min_connection_vtl || in->padding ||
	    info->padding || info->doorbell.rsvdz)
		return HV_STATUS_INVALID_PARAMETER;
	if (!in->port_id || (in->port_id & ~HV_PORT_ID_MASK))
		return HV_STATUS_INVALID_PORT_ID;
	if (info->port_type != HV_PORT_TYPE_DOORBELL ||
	    info->doorbell.target_sint >= HV_SYNIC_SINT_COUNT ||
	    (info->doorbell.target_vp != HV_ANY_VP &&
	     info->doorbell.target_vp >= nr_cpu_ids))
		return HV_STATUS_INVALID_PARAMETER;
	if (!hvsim_is_root_id(in->port_partition_id))
		return HV_STATUS_ACCESS_DENIED;

	/* The connecting partition: a child that exists. */
	status = hvsim_pt_get_locked(in->connection_partition_id,
				     HVSIM_PT_IS(CREATED) |
				     HVSIM_PT_IS(INITIALIZED), &conn_pt);
	if (status)
		return status;
	hvsim_pt_unlock_put(conn_pt);

	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		return HV_STATUS_INSUFFICIENT_MEMORY;
	port->conn_pt = in->connection_partition_id;
	port->target_sint = info->doorbell.target_sint;
	port->target_vp = info->doorbell.target_vp;
	port->page = hvsim_pool_get(&hvsim_root.pool);
	if (!port->page) {
		status = HV_STATUS_INSUFFICIENT_MEMORY;
		goto err_free;
	}
	ret = xa_insert(&hvsim_root.ports.ports, in->port_id, port,
			GFP_KERNEL);
	if (ret) {
		status = ret == -EBUSY ? HV_STATUS_INVALID_PORT_ID :
					 HV_STATUS_INSUFFICIENT_MEMORY;
		goto err_put;
	}
	return HV_STATUS_SUCCESS;

err_put:
	hvsim_pool_put(&hvsim_root.pool, port->page);
err_free:
	kfree(port);
	return status;
}

/* HVCALL_DELETE_PORT (fast16).  Connections left behind go silent. */
u16 hvsim_hc_delete_port(struct hvsim_hc *hc)
{
	const struct hv_input_delete_port *in = hc->in;
	struct hvsim_port *port;

	if (in->reserved || (in->port_id & ~HV_PORT_ID_MASK))
		return HV_STATUS_INVALID_PARAMETER;
	if (!hvsim_is_root_id(in->port_partition_id))
		return HV_STATUS_INVALID_PORT_ID;
	port = xa_erase(&hvsim_root.ports.ports, in->port_id);
	if (!port)
		return HV_STATUS_INVALID_PORT_ID;
	hvsim_pool_put(&hvsim_root.pool, port->page);
	kfree(port);
	return HV_STATUS_SUCCESS;
}

/* Whether a doorbell port @port_id exists that @conn_pt may connect to. */
static u16 hvsim_port_check(u32 port_id, u64 conn_pt)
{
	struct hvsim_port *port;
	u16 status = HV_STATUS_SUCCESS;

	xa_lock(&hvsim_root.ports.ports);
	port = xa_load(&hvsim_root.ports.ports, port_id);
	if (!port)
		status = HV_STATUS_INVALID_PORT_ID;
	else if (port->conn_pt != conn_pt)
		status = HV_STATUS_ACCESS_DENIED;
	xa_unlock(&hvsim_root.ports.ports);
	return status;
}

static u16 hvsim_conn_check(const struct hv_input_connect_port *in)
{
	const struct hv_connection_info *info = &in->connection_info;
	u64 size = info->doorbell.flags & HV_DOORBELL_FLAG_TRIGGER_SIZE_MASK;

	if (in->connection_vtl || in->rsvdz0 || in->rsvdz1 ||
	    in->reserved2 || info->padding)
		return HV_STATUS_INVALID_PARAMETER;
	if (in->connection_id & ~HV_CONNECTION_ID_MASK)
		return HV_STATUS_INVALID_CONNECTION_ID;
	if (!in->port_id || (in->port_id & ~HV_PORT_ID_MASK))
		return HV_STATUS_INVALID_PORT_ID;
	if (info->port_type != HV_PORT_TYPE_DOORBELL ||
	    (info->doorbell.flags & ~HVSIM_DOORBELL_FLAGS) ||
	    size > HV_DOORBELL_FLAG_TRIGGER_SIZE_QWORD)
		return HV_STATUS_INVALID_PARAMETER;
	if (!hvsim_is_root_id(in->port_partition_id))
		return HV_STATUS_INVALID_PORT_ID;
	return HV_STATUS_SUCCESS;
}

/*
 * HVCALL_CONNECT_PORT: the child (initialized) connects to a root
 * doorbell port created for it.
 */
u16 hvsim_hc_connect_port(struct hvsim_hc *hc)
{
	const struct hv_input_connect_port *in = hc->in;
	struct hvsim_partition *pt;
	struct hvsim_conn *c;
	u16 status;
	int ret;

	status = hvsim_conn_check(in);
	if (status)
		return status;
	status = hvsim_pt_get_locked(in->connection_partition_id,
				     HVSIM_PT_IS(INITIALIZED), &pt);
	if (status)
		return status;
	status = hvsim_port_check(in->port_id, pt->id);
	if (status)
		goto out;

	c = kzalloc(sizeof(*c), HVSIM_GFP_LOCKED);
	if (!c) {
		status = HV_STATUS_INSUFFICIENT_MEMORY;
		goto out;
	}
	c->port_id = in->port_id;
	c->gpa = in->connection_info.doorbell.gpa;
	c->value = in->connection_info.doorbell.trigger_value;
	c->flags = in->connection_info.doorbell.flags;
	c->page = hvsim_pool_get(&pt->pool);
	if (!c->page) {
		status = HV_STATUS_INSUFFICIENT_MEMORY;
		goto err_free;
	}
	ret = xa_insert(&pt->ports.conns, in->connection_id, c,
			HVSIM_GFP_LOCKED);
	if (ret) {
		status = ret == -EBUSY ? HV_STATUS_INVALID_CONNECTION_ID :
					 HV_STATUS_INSUFFICIENT_MEMORY;
		goto err_put;
	}
	spin_lock(&pt->ports.db_lock);
	list_add_tail(&c->node, &pt->ports.doorbells);
	WRITE_ONCE(pt->ports.nr_doorbells, pt->ports.nr_doorbells + 1);
	spin_unlock(&pt->ports.db_lock);
	goto out;

err_put:
	hvsim_pool_put(&pt->pool, c->page);
err_free:
	kfree(c);
out:
	hvsim_pt_unlock_put(pt);
	return status;
}

/* HVCALL_DISCONNECT_PORT (fast16); doorbells must say they are one. */
u16 hvsim_hc_disconnect_port(struct hvsim_hc *hc)
{
	const struct hv_input_disconnect_port *in = hc->in;
	struct hvsim_partition *pt;
	struct hvsim_conn *c;
	u16 status;

	if (in->flags != HV_DISCONNECT_PORT_IS_DOORBELL)
		return HV_STATUS_INVALID_PARAMETER;
	if (in->connection_id & ~HV_CONNECTION_ID_MASK)
		return HV_STATUS_INVALID_CONNECTION_ID;
	status = hvsim_pt_get_locked(in->connection_partition_id,
				     HVSIM_PT_IS(INITIALIZED) |
				     HVSIM_PT_IS(FINALIZED), &pt);
	if (status)
		return status;
	c = xa_erase(&pt->ports.conns, in->connection_id);
	if (c)
		hvsim_conn_free(pt, c);
	else
		status = HV_STATUS_INVALID_CONNECTION_ID;
	hvsim_pt_unlock_put(pt);
	return status;
}

/* HVCALL_NOTIFY_PORT_RING_EMPTY (fast8): may come from hard interrupts. */
u16 hvsim_hc_notify_port_ring_empty(struct hvsim_hc *hc)
{
	const struct hv_input_notify_port_ring_empty *in = hc->in;

	if (in->reserved || in->sint_index >= HV_SYNIC_SINT_COUNT)
		return HV_STATUS_INVALID_PARAMETER;
	return hvsim_synic_ring_empty(in->sint_index);
}

static bool hvsim_conn_match(const struct hvsim_conn *c, u64 gpa, u64 value,
			     unsigned int len)
{
	u64 size = c->flags & HV_DOORBELL_FLAG_TRIGGER_SIZE_MASK;

	if (c->gpa != gpa)
		return false;
	if (size != HV_DOORBELL_FLAG_TRIGGER_SIZE_ANY &&
	    len != 1U << (size - 1))
		return false;
	return (c->flags & HV_DOORBELL_FLAG_TRIGGER_ANY_VALUE) ||
	       c->value == value;
}

/* Queue @port_id on the root event ring its port targets. */
static bool hvsim_port_signal(u32 port_id)
{
	struct hvsim_port *port;
	u32 sint = 0, vp = 0;

	xa_lock(&hvsim_root.ports.ports);
	port = xa_load(&hvsim_root.ports.ports, port_id);
	if (port) {
		sint = port->target_sint;
		vp = port->target_vp;
	}
	xa_unlock(&hvsim_root.ports.ports);
	return port && hvsim_synic_ring_signal(vp, sint, port_id);
}

/**
 * hvsim_doorbell_write() - ring the doorbell a guest write matches, if any
 * @pt: the writing partition
 * @gpa: guest physical address written
 * @buf: the bytes written (little endian)
 * @len: how many
 *
 * A write matches a connection when it hits its GPA exactly, with the
 * connection's size (unless any size) and value (unless any value); the
 * first connection that matches is signalled.  A matching write is
 * consumed (the VP does not exit), even if the port went away.
 *
 * Context: the CPU model's write callback (vp->lock, GPA lock held);
 * does not sleep.
 * Return: true if the write rang a doorbell.
 */
bool hvsim_doorbell_write(struct hvsim_partition *pt, u64 gpa,
			  const void *buf, unsigned int len)
{
	struct hvsim_conn *c;
	bool hit = false;
	u32 port_id = 0;
	u64 value = 0;

	lockdep_assert_held(&pt->gpa_lock);

	if (!READ_ONCE(pt->ports.nr_doorbells) || !len || len > sizeof(value))
		return false;
	memcpy(&value, buf, len);
	le64_to_cpus(&value);

	spin_lock(&pt->ports.db_lock);
	list_for_each_entry(c, &pt->ports.doorbells, node) {
		if (hvsim_conn_match(c, gpa, value, len)) {
			port_id = c->port_id;
			hit = true;
			break;
		}
	}
	spin_unlock(&pt->ports.db_lock);
	if (!hit)
		return false;
	if (hvsim_port_signal(port_id))
		atomic_long_inc(&hvsim_stats.doorbells);
	else
		atomic_long_inc(&hvsim_stats.doorbells_dropped);
	return true;
}
