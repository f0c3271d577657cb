/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mshv_root tracepoints (trace system "mshv").
 *
 * Interrupts: routing-table updates, irqfd assign/deassign, each injection
 * with the path it took, and APIC EOIs reported by the hypervisor.
 * Doorbells: ioeventfd assign/deassign, port ids taken from the doorbell
 * event ring, and full rings.
 * Movable memory: each GPA intercept handled by faulting in a window, and
 * each notifier invalidation that revoked frames.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mshv

#if !defined(_MSHV_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MSHV_TRACE_H

#include <linux/tracepoint.h>

/* How an interrupt was injected (mshv_irq_inject.path). */
#define MSHV_IRQ_PATH_FAST      0       /* register page + VP kick */
#define MSHV_IRQ_PATH_SLOW      1       /* HVCALL_ASSERT_VIRTUAL_INTERRUPT */
#define MSHV_IRQ_PATH_DROPPED   2       /* the GSI has no route */

TRACE_EVENT(mshv_irq_routing_update,
	    TP_PROTO(u64 partition_id, u32 old_routes, u32 new_routes,
		     u32 nr_slots),
	    TP_ARGS(partition_id, old_routes, new_routes, nr_slots),
	    TP_STRUCT__entry(__field(u64, partition_id)
			     __field(u32, old_routes)
			     __field(u32, new_routes)
			     __field(u32, nr_slots)),
	    TP_fast_assign(__entry->partition_id = partition_id;
			   __entry->old_routes = old_routes;
			   __entry->new_routes = new_routes;
			   __entry->nr_slots = nr_slots;),
	    TP_printk("partition %#llx routes %u -> %u (%u slots)",
		      __entry->partition_id, __entry->old_routes,
		      __entry->new_routes, __entry->nr_slots)
);

TRACE_EVENT(mshv_irqfd,
	    TP_PROTO(u64 partition_id, u32 gsi, u32 flags, int ret),
	    TP_ARGS(partition_id, gsi, flags, ret),
	    TP_STRUCT__entry(__field(u64, partition_id)
			     __field(u32, gsi)
			     __field(u32, flags)
			     __field(int, ret)),
	    TP_fast_assign(__entry->partition_id = partition_id;
			   __entry->gsi = gsi;
			   __entry->flags = flags;
			   __entry->ret = ret;),
	    TP_printk("partition %#llx gsi %u flags %#x ret %d",
		      __entry->partition_id, __entry->gsi, __entry->flags,
		      __entry->ret)
);

TRACE_EVENT(mshv_irq_inject,
	    TP_PROTO(u64 partition_id, u32 gsi, u32 vector, u32 dest, u32 type,
		     bool level, bool logical, int path, int ret),
	    TP_ARGS(partition_id, gsi, vector, dest, type, level, logical, path,
		    ret),
	    TP_STRUCT__entry(__field(u64, partition_id)
			     __field(u32, gsi)
			     __field(u32, vector)
			     __field(u32, dest)
			     __field(u32, type)
			     __field(bool, level)
			     __field(bool, logical)
			     __field(int, path)
			     __field(int, ret)),
	    TP_fast_assign(__entry->partition_id = partition_id;
			   __entry->gsi = gsi;
			   __entry->vector = vector;
			   __entry->dest = dest;
			   __entry->type = type;
			   __entry->level = level;
			   __entry->logical = logical;
			   __entry->path = path;
			   __entry->ret = ret;),
	    TP_printk("partition %#llx gsi %u vector %u dest %u%s type %u %s path %s ret %d",
		      __entry->partition_id, __entry->gsi, __entry->vector,
		      __entry->dest, __entry->logical ? " (logical)" : "",
		      __entry->type, __entry->level ? "level" : "edge",
		      __print_symbolic(__entry->path,
				       { MSHV_IRQ_PATH_FAST, "fast" },
				       { MSHV_IRQ_PATH_SLOW, "slow" },
				       { MSHV_IRQ_PATH_DROPPED, "dropped" }),
		      __entry->ret)
);

TRACE_EVENT(mshv_irq_eoi,
	    TP_PROTO(u64 partition_id, u32 vp_index, u32 vector,
		     unsigned int resampled),
	    TP_ARGS(partition_id, vp_index, vector, resampled),
	    TP_STRUCT__entry(__field(u64, partition_id)
			     __field(u32, vp_index)
			     __field(u32, vector)
			     __field(unsigned int, resampled)),
	    TP_fast_assign(__entry->partition_id = partition_id;
			   __entry->vp_index = vp_index;
			   __entry->vector = vector;
			   __entry->resampled = resampled;),
	    TP_printk("partition %#llx vp %u vector %u resamplefds %u",
		      __entry->partition_id, __entry->vp_index, __entry->vector,
		      __entry->resampled)
);

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

TRACE_EVENT(mshv_movable_fault,
	    TP_PROTO(u64 partition_id, u32 vp_index, u64 gfn, u8 access,
		     u64 window_gfn, u64 count, bool large, int ret),
	    TP_ARGS(partition_id, vp_index, gfn, access, window_gfn, count,
		    large, ret),
	    TP_STRUCT__entry(__field(u64, partition_id)
			     __field(u32, vp_index)
			     __field(u64, gfn)
			     __field(u8, access)
			     __field(u64, window_gfn)
			     __field(u64, count)
			     __field(bool, large)
			     __field(int, ret)),
	    TP_fast_assign(__entry->partition_id = partition_id;
			   __entry->vp_index = vp_index;
			   __entry->gfn = gfn;
			   __entry->access = access;
			   __entry->window_gfn = window_gfn;
			   __entry->count = count;
			   __entry->large = large;
			   __entry->ret = ret;),
	    TP_printk("partition %#llx vp %u gfn %#llx access %u window %#llx+%llu%s ret %d",
		      __entry->partition_id, __entry->vp_index, __entry->gfn,
		      __entry->access, __entry->window_gfn, __entry->count,
		      __entry->large ? " large" : "", __entry->ret)
);

TRACE_EVENT(mshv_movable_invalidate,
	    TP_PROTO(u64 partition_id, u64 gfn, u64 count, int event, int ret),
	    TP_ARGS(partition_id, gfn, count, event, ret),
	    TP_STRUCT__entry(__field(u64, partition_id)
			     __field(u64, gfn)
			     __field(u64, count)
			     __field(int, event)
			     __field(int, ret)),
	    TP_fast_assign(__entry->partition_id = partition_id;
			   __entry->gfn = gfn;
			   __entry->count = count;
			   __entry->event = event;
			   __entry->ret = ret;),
	    TP_printk("partition %#llx gfn %#llx+%llu event %d ret %d",
		      __entry->partition_id, __entry->gfn, __entry->count,
		      __entry->event, __entry->ret)
);

#endif /* _MSHV_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE mshv_trace
#include <trace/define_trace.h>
