// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: the root's SynIC.
 *
 * Per-CPU setup through a CPU hotplug state, and the message ISR that the
 * platform calls on a CPU when the hypervisor wrote a message into that
 * CPU's intercept SINT slot.  Everything in a message is untrusted input.
 *
 * Doorbells arrive through the event ring of the doorbell SINT (SINT 5,
 * set up "as intercept"): the hypervisor queues port ids there and says
 * so with HVMSG_SYNIC_SINT_INTERCEPT naming SINT 5.  The ISR drains the
 * ring from its own per-CPU tail (kept across CPU hotplug, resynchronised
 * by a scan of the ring when needed), zeroing each slot it takes, with
 * signal_masked set meanwhile (the hypervisor need not notify again);
 * when the ring is empty it unmasks and looks once more.  A ring the
 * hypervisor marked full is acknowledged, once empty, with
 * NOTIFY_PORT_RING_EMPTY, after which the hypervisor refills it.
 */

#include <kunit/visibility.h>
#include <linux/cpuhotplug.h>
#include <linux/mutex.h>
#include <linux/nospec.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/reboot.h>

#include "mshv_root.h"
#include "mshv_trace.h"

/*
 * Port ids (and ring-full acknowledgements) one interrupt handles at
 * most, so a hypervisor that never stops cannot keep the CPU here.
 */
#define MSHV_RING_BUDGET	(4 * HV_SYNIC_EVENT_RING_MESSAGE_COUNT)

static DEFINE_PER_CPU(struct mshv_synic_pages, mshv_synic_pages);
/* The doorbell ring's next slot to read, per CPU; kept across hotplug. */
static DEFINE_PER_CPU(unsigned int, mshv_ring_tail);
/*
 * The producer may not continue where the tail is: set when the CPU's
 * SynIC is enabled again, cleared once a port id was found.
 */
static DEFINE_PER_CPU(bool, mshv_ring_resync);

atomic_t mshv_ring_resyncs;	/* see mshv_irq.h */

/*
 * The first taken slot after @tail, going round the ring; @tail if there
 * is none.  The oldest entry when the producer restarted elsewhere.
 */
static unsigned int mshv_ring_find(struct hv_synic_event_ring *ring,
				   unsigned int tail)
{
	unsigned int i, slot;

	for (i = 1; i < HV_SYNIC_EVENT_RING_MESSAGE_COUNT; i++) {
		slot = (tail + i) % HV_SYNIC_EVENT_RING_MESSAGE_COUNT;
		if (READ_ONCE(ring->data[slot]))
			return slot;
	}
	return tail;
}

/*
 * Drain this CPU's doorbell ring, signalling each port.  Context: hard
 * interrupt (the ISR), on the CPU whose ring it is.
 *
 * Where the hypervisor writes after the SynIC of a CPU was enabled again
 * is not something this driver decides: upstream Linux keeps its tail
 * (the hypervisor keeps its head), hvsim by default restarts at slot 0.
 * The tail is kept, and when the slot at the tail is empty although the
 * ring may hold entries elsewhere (after re-enabling, or the hypervisor
 * says the ring is full) the whole ring is looked at once.
 */
static void mshv_synic_doorbells(struct hv_synic_event_ring *ring)
{
	unsigned int tail = __this_cpu_read(mshv_ring_tail);
	bool resync = __this_cpu_read(mshv_ring_resync);
	unsigned int budget = MSHV_RING_BUDGET;
	bool masked = false, scanned = false;
	u32 port;
	int ret;

	if (tail >= HV_SYNIC_EVENT_RING_MESSAGE_COUNT)
		tail = 0;
	while (budget) {
		port = READ_ONCE(ring->data[tail]);
		if (!port && !scanned &&
		    (resync || READ_ONCE(ring->ring_full))) {
			scanned = true;
			tail = mshv_ring_find(ring, tail);
			port = READ_ONCE(ring->data[tail]);
			if (port)
				atomic_inc(&mshv_ring_resyncs);
		}
		if (port) {
			resync = false;
			if (!masked) {
				WRITE_ONCE(ring->signal_masked, 1);
				masked = true;
			}
			WRITE_ONCE(ring->data[tail], 0);
			tail = (tail + 1) % HV_SYNIC_EVENT_RING_MESSAGE_COUNT;
			budget--;
			mshv_doorbell_signal(port);
		} else if (READ_ONCE(ring->ring_full)) {
			WRITE_ONCE(ring->ring_full, 0);
			budget--;
			ret = mshv_hv_notify_port_ring_empty(HV_SYNIC_DOORBELL_SINT_INDEX);
			trace_mshv_doorbell_ring_full(HV_SYNIC_DOORBELL_SINT_INDEX,
						      ret);
			if (ret)
				break;
		} else if (masked) {
			WRITE_ONCE(ring->signal_masked, 0);
			masked = false;
			/* Unmask, then the last look: pairs with the producer. */
			smp_mb();
		} else {
			break;
		}
	}
	/* Out of budget: have the hypervisor notify again. */
	if (masked)
		WRITE_ONCE(ring->signal_masked, 0);
	__this_cpu_write(mshv_ring_tail, tail);
	__this_cpu_write(mshv_ring_resync, resync);
}

static void mshv_isr_sint_intercept(const struct hv_message *msg)
{
	const struct hv_notification_message_payload *m =
		(const void *)msg->u.bytes;
	struct mshv_synic_pages *sp = this_cpu_ptr(&mshv_synic_pages);
	struct hv_synic_event_ring_page *page;
	u32 sint = READ_ONCE(m->sint_index);

	page = READ_ONCE(sp->event_ring_page);
	if (sint != HV_SYNIC_DOORBELL_SINT_INDEX || !page) {
		pr_warn_ratelimited("mshv: SINT intercept for SINT %u\n", sint);
		return;
	}
	mshv_synic_doorbells(&page->sint_event_ring[sint]);
}

/* Kick one VP of a partition.  Context: rcu_read_lock() held. */
static void mshv_isr_kick(struct mshv_partition *pt, u32 vp_index)
{
	struct mshv_vp *vp;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(),
			 "VP kick outside an RCU read side");

	if (vp_index >= MSHV_MAX_VPS)
		return;
	vp_index = array_index_nospec(vp_index, MSHV_MAX_VPS);
	/* Pairs with the release in mshv_vp_create(): vp is initialised. */
	vp = smp_load_acquire(&pt->pt_vps[vp_index]);
	if (vp)
		mshv_vp_kick(vp);
}

static void mshv_isr_kick_id(u64 partition_id, u32 vp_index)
{
	struct mshv_partition *pt;

	rcu_read_lock();
	pt = mshv_partition_find_rcu(partition_id);
	if (pt)
		mshv_isr_kick(pt, vp_index);
	rcu_read_unlock();
}

static int mshv_isr_bitset(const struct hv_message *msg)
{
	const struct hv_vp_signal_bitset_scheduler_message *m =
		(const void *)msg->u.bytes;
	struct mshv_partition *pt;
	unsigned long banks, bits;
	unsigned int bank, bit, slot = 0;

	if (m->vpset_format != HV_GENERIC_SET_SPARSE_4K) {
		pr_warn_ratelimited("mshv: VP signal bitset with format %llu\n",
				    m->vpset_format);
		return -EINVAL;
	}
	rcu_read_lock();
	pt = mshv_partition_find_rcu(m->partition_id);
	if (!pt)
		goto out;
	banks = m->vpset_valid_bank_mask;
	for_each_set_bit(bank, &banks, BITS_PER_LONG) {
		if (slot >= HV_SCHEDULER_BITSET_BANKS)
			break;
		bits = m->vpset_bank_contents[slot++];
		if (bank >= MSHV_MAX_VPS / 64)
			continue;
		for_each_set_bit(bit, &bits, BITS_PER_LONG)
			mshv_isr_kick(pt, bank * 64 + bit);
	}
out:
	rcu_read_unlock();
	return 0;
}

static void mshv_isr_pair(const struct hv_message *msg)
{
	const struct hv_vp_signal_pair_scheduler_message *m =
		(const void *)msg->u.bytes;
	unsigned int i, n = min_t(unsigned int, m->vp_count,
				  HV_SCHEDULER_PAIR_MAX);

	for (i = 0; i < n; i++)
		mshv_isr_kick_id(m->partition_ids[i], m->vp_indexes[i]);
}

static void mshv_isr_async_completion(const struct hv_message *msg)
{
	const struct hv_async_completion_message_payload *m =
		(const void *)msg->u.bytes;
	struct mshv_partition *pt;

	rcu_read_lock();
	pt = mshv_partition_find_rcu(m->partition_id);
	if (pt) {
		WRITE_ONCE(pt->pt_async_status, (u16)m->status);
		complete(&pt->pt_async_done);
	}
	rcu_read_unlock();
}

/* A level-triggered vector was EOIed: resample (see mshv_irqfd.c). */
static void mshv_isr_apic_eoi(const struct hv_message *msg)
{
	const struct hv_x64_apic_eoi_message *m = (const void *)msg->u.bytes;
	struct mshv_partition *pt;

	rcu_read_lock();
	pt = mshv_partition_find_rcu(msg->header.sender);
	if (pt)
		mshv_irq_eoi(pt, READ_ONCE(m->vp_index),
			     READ_ONCE(m->interrupt_vector));
	rcu_read_unlock();
}

/**
 * mshv_synic_dispatch() - act on one message of the intercept slot
 * @msg: the message; untrusted, only its own 256 bytes are read
 *
 * Scheduler signals and intercept notifications kick the VPs they name,
 * asynchronous hypercall completions complete the partition's wait, APIC
 * EOIs of level-triggered vectors signal the matching resamplefds, a
 * SINT intercept for the doorbell SINT drains this CPU's doorbell ring.  VP
 * indexes, counts and partition ids are all checked; what names nothing
 * known is ignored.
 *
 * Context: any; takes rcu_read_lock() itself.
 * Return: 0, or -EINVAL for an unknown message type or set format.
 */
VISIBLE_IF_KUNIT int mshv_synic_dispatch(const struct hv_message *msg)
{
	u32 type = READ_ONCE(msg->header.message_type);

	switch (type) {
	case HVMSG_SYNIC_SINT_INTERCEPT:
		mshv_isr_sint_intercept(msg);
		return 0;
	case HVMSG_ASYNC_CALL_COMPLETION:
		mshv_isr_async_completion(msg);
		return 0;
	case HVMSG_SCHEDULER_VP_SIGNAL_BITSET:
		return mshv_isr_bitset(msg);
	case HVMSG_SCHEDULER_VP_SIGNAL_PAIR:
		mshv_isr_pair(msg);
		return 0;
	case HVMSG_X64_APIC_EOI:
		mshv_isr_apic_eoi(msg);
		return 0;
	case HVMSG_OPAQUE_INTERCEPT: {
		const struct hv_opaque_intercept_message *m =
			(const void *)msg->u.bytes;

		mshv_isr_kick_id(msg->header.sender, m->vp_index);
		return 0;
	}
	default:
		pr_warn_ratelimited("mshv: unexpected message type %#x\n",
				    type);
		return -EINVAL;
	}
}
EXPORT_SYMBOL_IF_KUNIT(mshv_synic_dispatch);

/**
 * mshv_platform_isr() - handle the message in this CPU's intercept slot
 *
 * Dispatches the message (see mshv_synic_dispatch()), frees the slot and,
 * if the hypervisor has another message queued, signals end-of-message.
 *
 * Context: hard interrupt, on the CPU whose message page was written.
 */
void mshv_platform_isr(void)
{
	struct mshv_synic_pages *sp = this_cpu_ptr(&mshv_synic_pages);
	struct hv_message_page *page = READ_ONCE(sp->message_page);
	struct hv_message *msg;

	if (!page)
		return;
	msg = &page->sint_message[HV_SYNIC_INTERCEPTION_SINT_INDEX];
	if (READ_ONCE(msg->header.message_type) == HVMSG_NONE)
		return;

	mshv_synic_dispatch(msg);

	WRITE_ONCE(msg->header.message_type, HVMSG_NONE);
	/* Free the slot before asking for the next message. */
	mb();
	if (READ_ONCE(msg->header.message_flags) & HV_MESSAGE_FLAG_PENDING)
		mshv_root.ops->synic_eom();
}
EXPORT_SYMBOL_GPL(mshv_platform_isr);

/*
 * CPU hotplug callbacks: run in the hotplug thread bound to @cpu, in
 * process context, so the platform may sleep here (see mshv_platform.h).
 */
static int mshv_synic_cpu_online(unsigned int cpu)
{
	might_sleep();
	/*
	 * The tail stays where it was; where the hypervisor goes on is
	 * found on the first doorbell (see mshv_synic_doorbells()).
	 */
	__this_cpu_write(mshv_ring_resync, true);
	return mshv_root.ops->synic_cpu_init(this_cpu_ptr(&mshv_synic_pages),
					     HV_SYNIC_INTERCEPTION_SINT_INDEX,
					     HV_SYNIC_DOORBELL_SINT_INDEX);
}

static int mshv_synic_cpu_offline(unsigned int cpu)
{
	struct mshv_synic_pages *sp = this_cpu_ptr(&mshv_synic_pages);
	struct mshv_synic_pages pages = *sp;

	might_sleep();
	/*
	 * The ISR only runs on this CPU and only looks at message_page:
	 * once it reads NULL here, the pages can go.
	 */
	WRITE_ONCE(sp->message_page, NULL);
	barrier();
	mshv_root.ops->synic_cpu_exit(&pages);
	memset(sp, 0, sizeof(*sp));
	return 0;
}

/*
 * Serialises the removal of the hotplug state between the reboot notifier
 * and mshv_synic_exit(): whichever comes first tears the SynIC down.
 */
static DEFINE_MUTEX(mshv_synic_lock);

static void mshv_synic_teardown(void)
{
	mutex_lock(&mshv_synic_lock);
	if (mshv_root.cpuhp_state > 0) {
		cpuhp_remove_state(mshv_root.cpuhp_state);
		mshv_root.cpuhp_state = 0;
	}
	mutex_unlock(&mshv_synic_lock);
}

/*
 * Before a reboot or kexec, disable the SynIC on every CPU: the
 * hypervisor keeps a CPU's SynIC programmed across a kexec, and the next
 * kernel would otherwise receive messages into pages it does not know
 * about.  Runs in process context, so the hotplug state's teardown
 * callbacks run on each CPU's hotplug thread as at module unload.
 */
static int mshv_synic_reboot(struct notifier_block *nb, unsigned long code,
			     void *unused)
{
	mshv_synic_teardown();
	return NOTIFY_DONE;
}

static struct notifier_block mshv_synic_reboot_nb = {
	.notifier_call = mshv_synic_reboot,
};

/**
 * mshv_synic_init() - set up the SynIC on every CPU, now and when onlined
 *
 * Also registers a reboot notifier that disables it again on every CPU.
 *
 * Return: 0 or a negative errno.
 */
int mshv_synic_init(void)
{
	int ret;

	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "mshv/synic:online",
				mshv_synic_cpu_online, mshv_synic_cpu_offline);
	if (ret < 0)
		return ret;
	mshv_root.cpuhp_state = ret;
	ret = register_reboot_notifier(&mshv_synic_reboot_nb);
	if (ret)
		mshv_synic_teardown();
	return ret;
}

/**
 * mshv_synic_exit() - undo mshv_synic_init() on every CPU
 */
void mshv_synic_exit(void)
{
	unregister_reboot_notifier(&mshv_synic_reboot_nb);
	mshv_synic_teardown();
}
