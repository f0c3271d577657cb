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
 *
 * The doorbell SINT (set up "as intercept") has no message slot of its
 * own: a doorbell puts its port id into that SINT's ring of the event
 * ring page, at hvsim's head, and, unless the driver said it is draining
 * already (signal_masked), posts HVMSG_SYNIC_SINT_INTERCEPT naming the
 * SINT on the intercept SINT.  When the slot at the head is still taken
 * the ring is full: ring_full is set and the port id waits on a short
 * per-CPU list (a port already waiting is not added twice: its signals
 * merge) until the driver, having emptied the ring, calls
 * NOTIFY_PORT_RING_EMPTY.  While doorbell_hold (debugfs) is set no
 * notification is posted, so tests can fill the ring.
 */
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/irq_work.h>
#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/reboot.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>

#include "hvsim.h"

/* Port ids waiting for room in a full event ring, per CPU. */
#define HVSIM_RING_PENDING	64

/**
 * struct hvsim_synic - the root SynIC of one CPU
 * @lock: protects the fields below and writes to the message page
 * @pages: message, event flags and event ring pages
 * @enabled: bitmap of enabled SINTs; 0 while the CPU's SynIC is off
 * @queue: per SINT, messages waiting for the slot (struct hvsim_queued)
 * @spare: unused queue entries, for reuse
 * @irq: raises "the interrupt" when posting from this CPU
 * @ipi: raises it when posting from another CPU
 * @ipis_in_flight: @ipi sent and its function not finished yet
 * @intercept_sint: SINT the driver takes messages on
 * @doorbell_sint: SINT whose event ring carries doorbells
 * @ring_head: next slot hvsim writes in the doorbell ring
 * @nr_pending: entries in @pending
 * @pending: port ids waiting while the doorbell ring is full
 * @in_isr: the driver's handler is running on this CPU
 */
struct hvsim_synic {
	raw_spinlock_t lock;		/* see above */
	struct mshv_synic_pages pages;
	unsigned long enabled;
	struct list_head queue[HV_SYNIC_SINT_COUNT];
	struct list_head spare;
	struct irq_work irq;
	call_single_data_t ipi;
	atomic_t ipis_in_flight;
	unsigned int intercept_sint;
	unsigned int doorbell_sint;
	unsigned int ring_head;
	unsigned int nr_pending;
	u32 pending[HVSIM_RING_PENDING];
	bool in_isr;
};

struct hvsim_queued {
	struct list_head node;
	struct hv_message msg;
};

static DEFINE_PER_CPU(struct hvsim_synic, hvsim_synic);
static bool hvsim_ring_hold;
/*
 * debugfs ring_keep_head: when a CPU's SynIC is enabled again, keep its
 * doorbell ring (contents and head) as it was, as upstream Linux expects
 * of the real hypervisor (its driver keeps its ring tail across CPU
 * hotplug); by default the ring starts empty at slot 0.
 */
bool hvsim_ring_keep_head;

static void hvsim_synic_interrupt(struct hvsim_synic *s)
{
	if (READ_ONCE(s->enabled)) {
		WRITE_ONCE(s->in_isr, true);
		mshv_platform_isr();
		/* Everything the handler did is visible before this. */
		smp_store_release(&s->in_isr, false);
	}
}

static void hvsim_synic_ipi(void *data)
{
	struct hvsim_synic *s = data;

	hvsim_synic_interrupt(s);
	/* The last access to @s: hvsim_synic_exit() waits for it. */
	atomic_dec_return_release(&s->ipis_in_flight);
}

static void hvsim_synic_irq(struct irq_work *work)
{
	hvsim_synic_interrupt(container_of(work, struct hvsim_synic, irq));
}

/* Called with s->lock held (so without migration). */
static void hvsim_raise(struct hvsim_synic *s, unsigned int cpu)
{
	lockdep_assert_held(&s->lock);

	if (cpu == smp_processor_id()) {
		irq_work_queue(&s->irq);
		return;
	}
	atomic_inc(&s->ipis_in_flight);
	/* -EBUSY: an IPI is on its way and will see the slot. */
	if (smp_call_function_single_async(cpu, &s->ipi))
		atomic_dec(&s->ipis_in_flight);
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
	if (!READ_ONCE(hvsim_ring_keep_head)) {
		clear_page(s->pages.event_ring_page);
		s->ring_head = 0;
	}
	s->intercept_sint = intercept_sint;
	s->doorbell_sint = doorbell_sint;
	s->nr_pending = 0;
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
	s->nr_pending = 0;
	raw_spin_unlock_irqrestore(&s->lock, flags);
	put_cpu_ptr(&hvsim_synic);
}

static struct hv_synic_event_ring *hvsim_ring(struct hvsim_synic *s,
					      unsigned int sint)
{
	struct hv_synic_event_ring_page *page = s->pages.event_ring_page;

	return &page->sint_event_ring[sint];
}

/* Whether a doorbell notification is queued for the intercept slot. */
static bool hvsim_ring_notify_queued(struct hvsim_synic *s)
{
	const struct hv_notification_message_payload *p;
	struct hvsim_queued *q;

	list_for_each_entry(q, &s->queue[s->intercept_sint], node) {
		p = (const void *)q->msg.u.payload;
		if (q->msg.header.message_type == HVMSG_SYNIC_SINT_INTERCEPT &&
		    p->sint_index == s->doorbell_sint)
			return true;
	}
	return false;
}

/* Remember @port_id until the ring has room; merge repeated signals. */
static bool hvsim_ring_defer(struct hvsim_synic *s, u32 port_id)
{
	unsigned int i;

	for (i = 0; i < s->nr_pending; i++)
		if (s->pending[i] == port_id)
			return true;
	if (s->nr_pending == HVSIM_RING_PENDING)
		return false;
	s->pending[s->nr_pending++] = port_id;
	return true;
}

/*
 * Put @port_id into the doorbell ring at the head.  Called with s->lock.
 * Returns false if it had to be dropped; *notify says whether the driver
 * needs to be told.
 */
static bool hvsim_ring_push(struct hvsim_synic *s, u32 port_id, bool *notify)
{
	struct hv_synic_event_ring *ring = hvsim_ring(s, s->doorbell_sint);

	lockdep_assert_held(&s->lock);

	*notify = false;
	if (READ_ONCE(ring->data[s->ring_head])) {
		if (!READ_ONCE(ring->ring_full)) {
			WRITE_ONCE(ring->ring_full, 1);
			atomic_long_inc(&hvsim_stats.ring_full);
		}
		return hvsim_ring_defer(s, port_id);
	}
	WRITE_ONCE(ring->data[s->ring_head], port_id);
	s->ring_head = (s->ring_head + 1) % HV_SYNIC_EVENT_RING_MESSAGE_COUNT;
	/*
	 * The slot before the mask: the driver unmasks, then looks at the
	 * ring once more, so one of us sees the other.
	 */
	smp_mb();
	*notify = !READ_ONCE(ring->signal_masked) &&
		  !READ_ONCE(hvsim_ring_hold) && !hvsim_ring_notify_queued(s);
	return true;
}

static void hvsim_ring_notify(struct hvsim_synic *s, unsigned int cpu)
{
	struct hv_notification_message_payload *p;
	struct hv_message msg = {};

	msg.header.message_type = HVMSG_SYNIC_SINT_INTERCEPT;
	msg.header.payload_size = sizeof(*p);
	p = (void *)msg.u.payload;
	p->sint_index = s->doorbell_sint;
	/* -ENODEV: the CPU went offline, its ring was reset. */
	hvsim_post_root_message(cpu, s->intercept_sint, &msg);
}

/* The CPU a signal for @target_vp goes to, with its SynIC enabled. */
static int hvsim_ring_cpu(u32 target_vp, u32 sint)
{
	struct hvsim_synic *s;
	int cpu;

	cpu = target_vp == HV_ANY_VP ? raw_smp_processor_id() : target_vp;
	s = per_cpu_ptr(&hvsim_synic, cpu);
	if (cpu_online(cpu) && (READ_ONCE(s->enabled) & BIT(sint)))
		return cpu;
	for_each_online_cpu(cpu) {
		s = per_cpu_ptr(&hvsim_synic, cpu);
		if (READ_ONCE(s->enabled) & BIT(sint))
			return cpu;
	}
	return -ENODEV;
}

/**
 * hvsim_synic_ring_signal() - queue a doorbell port on a root event ring
 * @target_vp: the port's target: a root CPU or HV_ANY_VP (this CPU)
 * @sint: the port's target SINT
 * @port_id: the port
 *
 * Context: process context; does not sleep.
 * Return: true if the port id was queued (or waits for room), false if
 * it was dropped (no CPU with @sint as doorbell SINT, or too many ports
 * waiting for a full ring).
 */
bool hvsim_synic_ring_signal(u32 target_vp, u32 sint, u32 port_id)
{
	struct hvsim_synic *s;
	unsigned long flags;
	bool queued = false, notify = false;
	int cpu;

	preempt_disable();
	cpu = hvsim_ring_cpu(target_vp, sint);
	if (cpu >= 0) {
		s = per_cpu_ptr(&hvsim_synic, cpu);
		raw_spin_lock_irqsave(&s->lock, flags);
		if ((s->enabled & BIT(sint)) && sint == s->doorbell_sint)
			queued = hvsim_ring_push(s, port_id, &notify);
		raw_spin_unlock_irqrestore(&s->lock, flags);
		if (notify)
			hvsim_ring_notify(s, cpu);
	}
	preempt_enable();
	return queued;
}

/**
 * hvsim_synic_ring_empty() - NOTIFY_PORT_RING_EMPTY on the calling CPU
 * @sint: the SINT whose ring the driver emptied
 *
 * Moves waiting port ids into the ring; if some still do not fit,
 * ring_full is set again.  Posts nothing: the driver looks at the ring
 * again after this call.
 *
 * Context: any, including the driver's interrupt handler.
 * Return: HV_STATUS_SUCCESS, or INVALID_PARAMETER if @sint is not the
 * CPU's doorbell SINT.
 */
u16 hvsim_synic_ring_empty(u32 sint)
{
	struct hv_synic_event_ring *ring;
	struct hvsim_synic *s;
	unsigned long flags;
	unsigned int n = 0;
	u16 status = HV_STATUS_SUCCESS;

	s = get_cpu_ptr(&hvsim_synic);
	raw_spin_lock_irqsave(&s->lock, flags);
	if (!(s->enabled & BIT(sint)) || sint != s->doorbell_sint) {
		status = HV_STATUS_INVALID_PARAMETER;
		goto out;
	}
	ring = hvsim_ring(s, sint);
	while (n < s->nr_pending && !READ_ONCE(ring->data[s->ring_head])) {
		WRITE_ONCE(ring->data[s->ring_head], s->pending[n++]);
		s->ring_head = (s->ring_head + 1) %
			       HV_SYNIC_EVENT_RING_MESSAGE_COUNT;
	}
	s->nr_pending -= n;
	memmove(s->pending, s->pending + n, s->nr_pending * sizeof(u32));
	if (s->nr_pending)
		WRITE_ONCE(ring->ring_full, 1);
out:
	raw_spin_unlock_irqrestore(&s->lock, flags);
	put_cpu_ptr(&hvsim_synic);
	return status;
}

/* Whether @s has doorbells the driver has not been told about. */
static bool hvsim_ring_busy(struct hvsim_synic *s)
{
	struct hv_synic_event_ring *ring;
	unsigned int i;

	if (!(s->enabled & BIT(s->doorbell_sint)))
		return false;
	ring = hvsim_ring(s, s->doorbell_sint);
	if (READ_ONCE(ring->ring_full))
		return true;
	for (i = 0; i < HV_SYNIC_EVENT_RING_MESSAGE_COUNT; i++)
		if (READ_ONCE(ring->data[i]))
			return true;
	return false;
}

/*
 * Whether every message posted to @s so far has been handled: nothing
 * queued, the intercept slot free and the driver's handler not running
 * (it frees the slot before it returns).
 */
static bool hvsim_synic_idle(struct hvsim_synic *s)
{
	unsigned long flags;
	bool idle;

	raw_spin_lock_irqsave(&s->lock, flags);
	idle = !(s->enabled & BIT(s->intercept_sint)) ||
	       (list_empty(&s->queue[s->intercept_sint]) &&
		READ_ONCE(hvsim_slot(s, s->intercept_sint)->header.message_type) ==
		HVMSG_NONE);
	raw_spin_unlock_irqrestore(&s->lock, flags);
	/*
	 * The slot is freed inside the handler, so a free slot and a
	 * handler that is not running mean it is done; the acquire pairs
	 * with the release in hvsim_synic_ipi(): its effects are visible.
	 */
	return idle && !smp_load_acquire(&s->in_isr);
}

/* Give up waiting for a CPU's handler after this long. */
#define HVSIM_HOLD_WAIT_MS	2000

/**
 * hvsim_synic_ring_hold() - stop or restart doorbell notifications
 * @hold: true to stop
 *
 * On release, every CPU whose doorbell ring holds port ids is notified,
 * and the call returns once every CPU has handled all messages posted to
 * it (or after a timeout, with a warning).
 *
 * Context: process context (debugfs).
 */
void hvsim_synic_ring_hold(bool hold)
{
	struct hvsim_synic *s;
	unsigned long flags;
	unsigned int cpu;
	bool busy;

	WRITE_ONCE(hvsim_ring_hold, hold);
	if (hold)
		return;
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		s = per_cpu_ptr(&hvsim_synic, cpu);
		raw_spin_lock_irqsave(&s->lock, flags);
		busy = hvsim_ring_busy(s);
		raw_spin_unlock_irqrestore(&s->lock, flags);
		if (busy)
			hvsim_ring_notify(s, cpu);
	}
	/* Return once the driver has drained what it was told about. */
	for_each_online_cpu(cpu) {
		unsigned long end = jiffies +
				    msecs_to_jiffies(HVSIM_HOLD_WAIT_MS);

		s = per_cpu_ptr(&hvsim_synic, cpu);
		while (!hvsim_synic_idle(s)) {
			if (time_after(jiffies, end)) {
				pr_warn("hvsim: CPU %u did not take its messages\n",
					cpu);
				break;
			}
			usleep_range(20, 100);
		}
	}
	cpus_read_unlock();
}

/**
 * hvsim_synic_ring_held() - whether doorbell notifications are held
 *
 * Return: the doorbell_hold setting.
 */
bool hvsim_synic_ring_held(void)
{
	return READ_ONCE(hvsim_ring_hold);
}

/*
 * The real hypervisor keeps a CPU's root SynIC programmed across a kexec:
 * a root that reboots with it enabled leaves the next kernel messages and
 * interrupts aimed at pages it never set up.  hvsim cannot follow into
 * the next kernel, so it complains instead.  Lowest priority: runs after
 * every other reboot notifier, the driver's included.
 */
static int hvsim_synic_reboot(struct notifier_block *nb, unsigned long code,
			      void *unused)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		if (READ_ONCE(per_cpu_ptr(&hvsim_synic, cpu)->enabled)) {
			WARN(1, "hvsim: root SynIC of CPU %u still enabled at reboot; a kexec'd kernel would inherit it\n",
			     cpu);
			break;
		}
	}
	return NOTIFY_DONE;
}

static struct notifier_block hvsim_synic_reboot_nb = {
	.notifier_call = hvsim_synic_reboot,
	.priority = INT_MIN,
};

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
	register_reboot_notifier(&hvsim_synic_reboot_nb);
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

	/* Not registered yet when hvsim_synic_init() failed: harmless. */
	unregister_reboot_notifier(&hvsim_synic_reboot_nb);
	/* After this, nothing raises an interrupt any more... */
	for_each_possible_cpu(cpu) {
		s = per_cpu_ptr(&hvsim_synic, cpu);
		if (!s->irq.func)
			continue;
		raw_spin_lock_irqsave(&s->lock, flags);
		WRITE_ONCE(s->enabled, 0);
		raw_spin_unlock_irqrestore(&s->lock, flags);
	}
	/*
	 * ...and interrupts in flight are done.  An asynchronous IPI cannot
	 * be waited for through the IPI machinery (a synchronous call sent
	 * now may run before it), hence the count.
	 */
	for_each_possible_cpu(cpu) {
		s = per_cpu_ptr(&hvsim_synic, cpu);
		if (!s->irq.func)	/* hvsim_synic_init() stopped before */
			continue;
		while (atomic_read_acquire(&s->ipis_in_flight))
			cpu_relax();
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
