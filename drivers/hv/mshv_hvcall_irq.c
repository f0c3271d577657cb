// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: the hypercall wrappers for interrupts and doorbell ports.
 *
 * Like mshv_hvcall_typed.c: each wrapper fills a zeroed page pair, issues
 * the call (depositing memory where the hypervisor may ask for it), logs
 * unexpected failures and returns an errno.
 */

#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "mshv_root.h"

/**
 * mshv_hv_assert_virtual_interrupt() - raise an interrupt in a partition
 * @hp: a page pair owned by the caller for the duration of the call
 * @partition_id: the partition
 * @vector: interrupt vector
 * @dest: APIC id (physical mode) or logical destination mask
 * @control: interrupt type and trigger/destination mode flags
 *
 * Context: process context (the platform may sleep).
 * Return: 0 or a negative errno.
 */
int mshv_hv_assert_virtual_interrupt(struct mshv_hvpages *hp,
				     u64 partition_id, u32 vector, u64 dest,
				     const union hv_interrupt_control *control)
{
	struct hv_input_assert_virtual_interrupt *in = hp->in;
	u64 result;

	memset(in, 0, sizeof(*in));
	in->partition_id = partition_id;
	in->control = *control;
	in->dest_addr = dest;
	in->vector = vector;
	result = mshv_hvcall(mshv_hvcall_control(HVCALL_ASSERT_VIRTUAL_INTERRUPT,
						 false, 0, 0, 0),
			     in, hp->out);
	return mshv_hvcall_check(HVCALL_ASSERT_VIRTUAL_INTERRUPT, result);
}

/**
 * mshv_hv_clear_virtual_interrupt() - withdraw a pending ExtINT
 * @partition_id: the partition
 *
 * Context: process context (the platform may sleep).
 * Return: 0 or a negative errno.
 */
int mshv_hv_clear_virtual_interrupt(u64 partition_id)
{
	return mshv_hvcall_check(HVCALL_CLEAR_VIRTUAL_INTERRUPT,
				 mshv_hvcall_fast8(HVCALL_CLEAR_VIRTUAL_INTERRUPT,
						   partition_id));
}

/**
 * mshv_hv_create_port() - create a port owned by a partition
 * @port_pid: the owner (the root, for doorbells)
 * @port_id: id the owner chose, 1..HV_PORT_ID_MASK
 * @conn_pid: the partition that may connect to it
 * @info: port type and target
 *
 * The port is charged to its owner: memory is deposited there on demand.
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_create_port(u64 port_pid, u32 port_id, u64 conn_pid,
			const struct hv_port_info *info)
{
	struct hv_input_create_port in = {
		.port_partition_id = port_pid,
		.port_id = port_id,
		.connection_partition_id = conn_pid,
		.port_info = *info,
	};

	return mshv_hvcall_copy(HVCALL_CREATE_PORT, &in, sizeof(in), NULL, 0,
				port_pid);
}

/**
 * mshv_hv_connect_port() - connect a partition to a port
 * @port_pid: the port's owner
 * @port_id: the port
 * @conn_pid: the connecting partition
 * @conn_id: id of the connection in @conn_pid
 * @info: connection type and trigger
 *
 * The connection is charged to @conn_pid.
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_connect_port(u64 port_pid, u32 port_id, u64 conn_pid,
			 u32 conn_id, const struct hv_connection_info *info)
{
	struct hv_input_connect_port in = {
		.connection_partition_id = conn_pid,
		.connection_id = conn_id,
		.port_partition_id = port_pid,
		.port_id = port_id,
		.connection_info = *info,
	};

	return mshv_hvcall_copy(HVCALL_CONNECT_PORT, &in, sizeof(in), NULL, 0,
				conn_pid);
}

/**
 * mshv_hv_disconnect_port() - remove a doorbell connection
 * @conn_pid: the connecting partition
 * @conn_id: the connection
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_disconnect_port(u64 conn_pid, u32 conn_id)
{
	struct hv_input_disconnect_port in = {
		.connection_partition_id = conn_pid,
		.connection_id = conn_id,
		.flags = HV_DISCONNECT_PORT_IS_DOORBELL,
	};
	u64 words[2];

	memcpy(words, &in, sizeof(words));
	return mshv_hvcall_check(HVCALL_DISCONNECT_PORT,
				 mshv_hvcall_fast16(HVCALL_DISCONNECT_PORT,
						    words[0], words[1]));
}

/**
 * mshv_hv_delete_port() - delete a port
 * @port_pid: its owner
 * @port_id: the port
 *
 * Return: 0 or a negative errno.
 */
int mshv_hv_delete_port(u64 port_pid, u32 port_id)
{
	struct hv_input_delete_port in = {
		.port_partition_id = port_pid,
		.port_id = port_id,
	};
	u64 words[2];

	memcpy(words, &in, sizeof(words));
	return mshv_hvcall_check(HVCALL_DELETE_PORT,
				 mshv_hvcall_fast16(HVCALL_DELETE_PORT,
						    words[0], words[1]));
}

/**
 * mshv_hv_notify_port_ring_empty() - tell the hypervisor a full event
 *	ring of this CPU has been emptied
 * @sint: the SINT of the ring
 *
 * Context: any, including the SynIC interrupt handler.
 * Return: 0 or a negative errno.
 */
int mshv_hv_notify_port_ring_empty(u32 sint)
{
	struct hv_input_notify_port_ring_empty in = { .sint_index = sint };
	u64 word;

	memcpy(&word, &in, sizeof(word));
	return mshv_hvcall_check(HVCALL_NOTIFY_PORT_RING_EMPTY,
				 mshv_hvcall_fast8(HVCALL_NOTIFY_PORT_RING_EMPTY,
						   word));
}
