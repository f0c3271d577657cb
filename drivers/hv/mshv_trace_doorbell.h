/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mshv_root tracepoints: ioeventfds, doorbells and the doorbell event ring.
 *
 * Instantiated in mshv_doorbell.c (CREATE_TRACE_POINTS).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mshv

#if !defined(_MSHV_TRACE_DOORBELL_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MSHV_TRACE_DOORBELL_H

#include <linux/tracepoint.h>

DECLARE_EVENT_CLASS(mshv_ioeventfd_class,
		    TP_PROTO(u64 partition_id, u64 addr, u32 len,
			     u64 datamatch, bool wildcard, u32 port_id),
		    TP_ARGS(partition_id, addr, len, datamatch, wildcard,
			    port_id),
		    TP_STRUCT__entry(__field(u64, partition_id)
				     __field(u64, addr)
				     __field(u64, datamatch)
				     __field(u32, len)
				     __field(u32, port_id)
				     __field(bool, wildcard)),
		    TP_fast_assign(__entry->partition_id = partition_id;
				   __entry->addr = addr;
				   __entry->datamatch = datamatch;
				   __entry->len = len;
				   __entry->port_id = port_id;
				   __entry->wildcard = wildcard;),
		    TP_printk("pt %#llx addr %#llx len %u %s %#llx port %u",
			      __entry->partition_id, __entry->addr,
			      __entry->len,
			      __entry->wildcard ? "any value, not" : "value",
			      __entry->datamatch, __entry->port_id)
);

/* MSHV_IOEVENTFD assigned a doorbell. */
DEFINE_EVENT(mshv_ioeventfd_class, mshv_ioeventfd_assign,
	     TP_PROTO(u64 partition_id, u64 addr, u32 len, u64 datamatch,
		      bool wildcard, u32 port_id),
	     TP_ARGS(partition_id, addr, len, datamatch, wildcard, port_id)
);

/* An ioeventfd's doorbell went (deassign or partition fd release). */
DEFINE_EVENT(mshv_ioeventfd_class, mshv_ioeventfd_deassign,
	     TP_PROTO(u64 partition_id, u64 addr, u32 len, u64 datamatch,
		      bool wildcard, u32 port_id),
	     TP_ARGS(partition_id, addr, len, datamatch, wildcard, port_id)
);

/* A port id taken from the doorbell ring; found: a live doorbell. */
TRACE_EVENT(mshv_doorbell_signal,
	    TP_PROTO(u32 port_id, bool found),
	    TP_ARGS(port_id, found),
	    TP_STRUCT__entry(__field(u32, port_id)
			     __field(bool, found)),
	    TP_fast_assign(__entry->port_id = port_id;
			   __entry->found = found;),
	    TP_printk("port %u%s", __entry->port_id,
		      __entry->found ? "" : " (no doorbell)")
);

/* The ISR emptied a ring the hypervisor had marked full. */
TRACE_EVENT(mshv_doorbell_ring_full,
	    TP_PROTO(u32 sint, int ret),
	    TP_ARGS(sint, ret),
	    TP_STRUCT__entry(__field(u32, sint)
			     __field(int, ret)),
	    TP_fast_assign(__entry->sint = sint;
			   __entry->ret = ret;),
	    TP_printk("sint %u notify_port_ring_empty %d", __entry->sint,
		      __entry->ret)
);

#endif /* _MSHV_TRACE_DOORBELL_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE mshv_trace_doorbell
#include <trace/define_trace.h>
