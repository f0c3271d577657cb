// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim root SynIC: the root partition's per-CPU message, event-flags and
 * event-ring pages, and message delivery into them.
 *
 * A message goes into its SINT's 256-byte slot of the target CPU's
 * message page when the slot is free (HVMSG_NONE); "the interrupt" is
 * mshv_platform_isr() called in hard interrupt context on that CPU: from an
 * irq_work when the target is the current CPU, from an IPI otherwise
 * (irq_work_queue_on() is not exported to modules).
 *
 * When the slot is busy the message is queued and the slot's
 * HV_MESSAGE_FLAG_PENDING is set: the driver, after freeing the slot,
 * sees the flag and signals end-of-message, which delivers the next
 * queued message.
 *
 * End-of-message comes from the driver's interrupt handler, so the lock
 * is a raw spinlock and nothing allocates or frees memory under it or in
 * hard interrupt context: queue entries are recycled through a per-CPU
 * spare list and only freed at module exit.
 */
#include <linux/gfp.h>
#include <linux/irq_work.h>
#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>

#include "hvsim.h"

/**
 * struct hvsim_synic - the root SynIC of one CPU
 * @lock: protects the fields below and writes to the message page
 * @pages: message, event flags and event ring pages
 * @enabled: bitmap of enabled SINTs; 0 while the CPU's SynIC is off
 * @queue: per SINT, messages waiting for the slot (struct hvsim_queued)
 * @spare: unused queue entries, for reuse
 * @irq: raises "the interrupt" when posting from this CPU
 * @ipi: raises it when posting from another CPU
 */
struct hvsim_synic {
	raw_spinlock_t lock;		/* see above */
	struct mshv_synic_pages pages;
	unsigned long enabled;
	struct list_head queue[HV_SYNIC_SINT_COUNT];
	struct list_head spare;
	struct irq_work irq;
	call_single_data_t ipi;
};

struct hvsim_queued {
	struct list_head node;
	struct hv_message msg;
};

static DEFINE_PER_CPU(struct hvsim_synic, hvsim_synic);

static void hvsim_synic_ipi(void *data)
{
	struct hvsim_synic *s = data;

	if (READ_ONCE(s->enabled))
		mshv_platform_isr();
}

static void hvsim_synic_irq(struct irq_work *work)
{
	hvsim_synic_ipi(container_of(work, struct hvsim_synic, irq));
}

/* Called with s->lock held (so without migration). */
static void hvsim_raise(struct hvsim_synic *s, unsigned int cpu)
{
	if (cpu == smp_processor_id())
		irq_work_queue(&s->irq);
	else
		/* -EBUSY: an IPI is on its way and will see the slot. */
		smp_call_function_single_async(cpu, &s->ipi);
}

static struct hv_message *hvsim_slot(struct hvsim_synic *s, unsigned int sint)
{
	struct hv_message_page *page = s->pages.message_page;

	return &page->sint_message[sint];
}

/* Write @msg into the free slot of @sint and raise the interrupt. */
static void hvsim_deliver(struct hvsim_synic *s, unsigned int cpu,
			  unsigned int sint, const struct hv_message *msg,
			  bool more)
{
	struct hv_message *slot = hvsim_slot(s, sint);

	memcpy(&slot->u, &msg->u, sizeof(slot->u));
	slot->header.payload_size = msg->header.payload_size;
	slot->header.message_flags = more ? HV_MESSAGE_FLAG_PENDING : 0;
	memset(slot->header.reserved, 0, sizeof(slot->header.reserved));
	slot->header.sender = msg->header.sender;
	/* The type is what the reader polls: it goes last. */
	smp_wmb();
	WRITE_ONCE(slot->header.message_type, msg->header.message_type);
	hvsim_raise(s, cpu);
}

/* If the slot of @sint is free, move the next queued message into it. */
static void hvsim_deliver_next(struct hvsim_synic *s, unsigned int cpu,
			       unsigned int sint)
{
	struct hvsim_queued *q;

	if (READ_ONCE(hvsim_slot(s, sint)->header.message_type) != HVMSG_NONE)
		return;
	q = list_first_entry_or_null(&s->queue[sint], struct hvsim_queued,
				     node);
	if (!q)
		return;
	list_move(&q->node, &s->spare);
	hvsim_deliver(s, cpu, sint, &q->msg, !list_empty(&s->queue[sint]));
}

/**
 * hvsim_post_root_message() - send a message to the root on a CPU's SINT
 * @cpu: target CPU
 * @sint: target SINT; must be enabled on @cpu
 * @msg: the message; its type must not be HVMSG_NONE
 *
 * May be called from any context but hard interrupts: it may allocate.
 *
 * Return: 0, -EINVAL for a bad argument, -ENODEV if the SINT is not
 * enabled, -ENOMEM if the message had to be queued and could not be.
 */
int hvsim_post_root_message(unsigned int cpu, unsigned int sint,
			    const struct hv_message *msg)
{
	struct hvsim_queued *q;
	struct hvsim_synic *s;
	struct hv_message *slot;
	unsigned long flags;
	int ret = 0;

	if (cpu >= nr_cpu_ids || !cpu_possible(cpu) ||
	    sint >= HV_SYNIC_SINT_COUNT ||
	    msg->header.message_type == HVMSG_NONE)
		return -EINVAL;
	s = per_cpu_ptr(&hvsim_synic, cpu);

	/* Have a queue entry at hand before taking the lock for good. */
	raw_spin_lock_irqsave(&s->lock, flags);
	q = list_first_entry_or_null(&s->spare, struct hvsim_queued, node);
	if (q)
		list_del(&q->node);
	raw_spin_unlock_irqrestore(&s->lock, flags);
	if (!q) {
		q = kmalloc(sizeof(*q), GFP_ATOMIC);
		if (!q)
			return -ENOMEM;
	}
	q->msg = *msg;

	raw_spin_lock_irqsave(&s->lock, flags);
	slot = hvsim_slot(s, sint);
	if (!(s->enabled & BIT(sint))) {
		ret = -ENODEV;
		list_add(&q->node, &s->spare);
	} else if (list_empty(&s->queue[sint]) &&
		   READ_ONCE(slot->header.message_type) == HVMSG_NONE) {
		list_add(&q->node, &s->spare);
		hvsim_deliver(s, cpu, sint, &q->msg, false);
	} else {
		list_add_tail(&q->node, &s->queue[sint]);
		WRITE_ONCE(slot->header.message_flags,
			   slot->header.message_flags | HV_MESSAGE_FLAG_PENDING);
		/*
		 * The driver frees the slot, then reads the flag.  If it
		 * freed the slot before seeing our flag it will not signal
		 * EOM: deliver now.
		 */
		smp_mb();
		hvsim_deliver_next(s, cpu, sint);
	}
	raw_spin_unlock_irqrestore(&s->lock, flags);
	return ret;
}

/**
 * hvsim_synic_eom() - end of message on the calling CPU
 *
 * Delivers the next queued message of every SINT whose slot is free.
 */
void hvsim_synic_eom(void)
{
	struct hvsim_synic *s;
	unsigned long flags;
	unsigned int sint;
	int cpu;

	cpu = get_cpu();
	s = per_cpu_ptr(&hvsim_synic, cpu);
	raw_spin_lock_irqsave(&s->lock, flags);
	for (sint = 0; sint < HV_SYNIC_SINT_COUNT; sint++)
		hvsim_deliver_next(s, cpu, sint);
	raw_spin_unlock_irqrestore(&s->lock, flags);
	put_cpu();
}

/* Drop every queued message (their entries become spares). */
static void hvsim_synic_flush(struct hvsim_synic *s)
{
	unsigned int sint;

	for (sint = 0; sint < HV_SYNIC_SINT_COUNT; sint++)
		list_splice_init(&s->queue[sint], &s->spare);
}

/**
 * hvsim_synic_cpu_init() - platform op: enable the calling CPU's SynIC
 * @pages: filled with the CPU's SynIC pages
 * @intercept_sint: SINT for intercept messages
 * @doorbell_sint: SINT for doorbell events
 *
 * Runs on the CPU it sets up; does not sleep.
 *
 * Return: 0 or -EINVAL.
 */
int hvsim_synic_cpu_init(struct mshv_synic_pages *pages,
			 unsigned int intercept_sint,
			 unsigned int doorbell_sint)
{
	struct hvsim_synic *s;
	unsigned long flags;

	if (intercept_sint >= HV_SYNIC_SINT_COUNT ||
	    doorbell_sint >= HV_SYNIC_SINT_COUNT)
		return -EINVAL;

	s = get_cpu_ptr(&hvsim_synic);
	raw_spin_lock_irqsave(&s->lock, flags);
	clear_page(s->pages.message_page);
	clear_page(s->pages.event_flags_page);
	clear_page(s->pages.event_ring_page);
	WRITE_ONCE(s->enabled, BIT(intercept_sint) | BIT(doorbell_sint));
	*pages = s->pages;
	raw_spin_unlock_irqrestore(&s->lock, flags);
	put_cpu_ptr(&hvsim_synic);
	return 0;
}

/**
 * hvsim_synic_cpu_exit() - platform op: disable the calling CPU's SynIC
 * @pages: the pages hvsim_synic_cpu_init() returned
 */
void hvsim_synic_cpu_exit(struct mshv_synic_pages *pages)
{
	struct hvsim_synic *s;
	unsigned long flags;

	s = get_cpu_ptr(&hvsim_synic);
	raw_spin_lock_irqsave(&s->lock, flags);
	WRITE_ONCE(s->enabled, 0);
	hvsim_synic_flush(s);
	raw_spin_unlock_irqrestore(&s->lock, flags);
	put_cpu_ptr(&hvsim_synic);
}

/**
 * hvsim_synic_init() - allocate the SynIC pages of every possible CPU
 *
 * Allocating up front keeps synic_cpu_init() (a CPU hotplug callback)
 * free of allocations.
 *
 * Return: 0 or -ENOMEM.
 */
int hvsim_synic_init(void)
{
	struct irq_work hard = IRQ_WORK_INIT_HARD(hvsim_synic_irq);
	struct hvsim_synic *s;
	unsigned int cpu, sint;

	for_each_possible_cpu(cpu) {
		s = per_cpu_ptr(&hvsim_synic, cpu);
		raw_spin_lock_init(&s->lock);
		for (sint = 0; sint < HV_SYNIC_SINT_COUNT; sint++)
			INIT_LIST_HEAD(&s->queue[sint]);
		INIT_LIST_HEAD(&s->spare);
		s->irq = hard;
		INIT_CSD(&s->ipi, hvsim_synic_ipi, s);
		s->pages.message_page = (void *)get_zeroed_page(GFP_KERNEL);
		s->pages.event_flags_page = (void *)get_zeroed_page(GFP_KERNEL);
		s->pages.event_ring_page = (void *)get_zeroed_page(GFP_KERNEL);
		if (!s->pages.message_page || !s->pages.event_flags_page ||
		    !s->pages.event_ring_page)
			goto err;
	}
	return 0;

err:
	hvsim_synic_exit();
	return -ENOMEM;
}

/**
 * hvsim_synic_exit() - free everything hvsim_synic_init() allocated
 *
 * Called once mshv_root has stopped using the SynIC.
 */
void hvsim_synic_exit(void)
{
	struct hvsim_queued *q, *tmp;
	struct hvsim_synic *s;
	unsigned long flags;
	unsigned int cpu;

	/* After this, nothing raises an interrupt any more... */
	for_each_possible_cpu(cpu) {
		s = per_cpu_ptr(&hvsim_synic, cpu);
		if (!s->irq.func)
			continue;
		raw_spin_lock_irqsave(&s->lock, flags);
		WRITE_ONCE(s->enabled, 0);
		raw_spin_unlock_irqrestore(&s->lock, flags);
	}
	/* ...and IPIs in flight are done: a CPU's call queue runs in order. */
	kick_all_cpus_sync();

	for_each_possible_cpu(cpu) {
		s = per_cpu_ptr(&hvsim_synic, cpu);
		if (!s->irq.func)	/* hvsim_synic_init() stopped before */
			continue;
		irq_work_sync(&s->irq);
		hvsim_synic_flush(s);
		list_for_each_entry_safe(q, tmp, &s->spare, node)
			kfree(q);
		free_page((unsigned long)s->pages.message_page);
		free_page((unsigned long)s->pages.event_flags_page);
		free_page((unsigned long)s->pages.event_ring_page);
		s->pages = (struct mshv_synic_pages) {};
	}
}
