// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim's local APIC timer: one-shot and periodic, counting down at
 * HVSIM_APIC_TICK_NS per count before the divider, on a soft hrtimer of
 * the host.  Periods are at least HVSIM_APIC_MIN_PERIOD_NS, so a guest
 * cannot flood the host.  The current count is computed from the time
 * the count was loaded; an expiry posts HVSIM_LAPIC_EV_TIMER (lapic.c
 * turns it into the LVT's vector).  TSC-deadline mode is not modelled.
 */
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <asm/apicdef.h>

#include "hvsim.h"
#include "lapic.h"

#define HVSIM_APIC_MIN_PERIOD_NS	50000ULL

static enum hrtimer_restart hvsim_lapic_timer_fn(struct hrtimer *t)
{
	struct hvsim_lapic *a = container_of(t, struct hvsim_lapic, timer);
	struct hvsim_vp *vp = container_of(a, struct hvsim_vp, lapic);

	set_bit(HVSIM_LAPIC_EV_TIMER, &a->events);
	hvsim_lapic_kick(vp);
	if (!READ_ONCE(a->timer_periodic))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(t, ns_to_ktime(READ_ONCE(a->timer_period)));
	return HRTIMER_RESTART;
}

/* Divide configuration -> divisor: 2, 4, ... 128, then 1 for 0b1011. */
static u32 hvsim_lapic_divisor(u32 tdcr)
{
	u32 v = ((tdcr & 8) >> 1) | (tdcr & 3);

	return v == 7 ? 1 : 2U << v;
}

/**
 * hvsim_lapic_timer_load() - (re)load the count
 * @vp: the VP, locked
 * @count: the timer runs this many counts from now, in the mode and with
 *	the divider its registers hold; 0 stops it
 */
void hvsim_lapic_timer_load(struct hvsim_vp *vp, u32 count)
{
	struct hvsim_lapic *a = &vp->lapic;
	struct hvsim_apic_regs *r = hvsim_regs(vp);
	u32 mode = r->apic_lvt_timer & HVSIM_APIC_TIMER_MODE;
	u64 period;

	lockdep_assert_held(&vp->lock);

	hrtimer_cancel(&a->timer);
	WRITE_ONCE(a->timer_period, 0);
	if (!count || (mode != APIC_LVT_TIMER_ONESHOT &&
		       mode != APIC_LVT_TIMER_PERIODIC))
		return;
	a->timer_unit = (u64)hvsim_lapic_divisor(r->apic_divide_configuration) *
			HVSIM_APIC_TICK_NS;
	period = count * a->timer_unit;
	WRITE_ONCE(a->timer_periodic, mode == APIC_LVT_TIMER_PERIODIC);
	if (a->timer_periodic)
		period = max(period, HVSIM_APIC_MIN_PERIOD_NS);
	a->timer_start = ktime_get_ns();
	WRITE_ONCE(a->timer_period, period);
	hrtimer_start(&a->timer, ns_to_ktime(period), HRTIMER_MODE_REL_SOFT);
}

/**
 * hvsim_lapic_current_count() - the timer's current count register
 * @vp: the VP, locked
 *
 * Return: the counts left until the timer fires, 0 if it is stopped.
 */
u32 hvsim_lapic_current_count(struct hvsim_vp *vp)
{
	struct hvsim_lapic *a = &vp->lapic;
	u64 elapsed, left;

	lockdep_assert_held(&vp->lock);

	if (!a->timer_period)
		return 0;
	elapsed = ktime_get_ns() - a->timer_start;
	if (a->timer_periodic)
		div64_u64_rem(elapsed, a->timer_period, &elapsed);
	else if (elapsed >= a->timer_period)
		return 0;
	left = div64_u64(a->timer_period - elapsed + a->timer_unit - 1,
			 a->timer_unit);
	return min_t(u64, left, hvsim_regs(vp)->apic_initial_count);
}

/**
 * hvsim_lapic_stop() - stop the APIC timer
 * @vp: the VP, locked or dead (nothing re-arms the timer meanwhile)
 */
void hvsim_lapic_stop(struct hvsim_vp *vp)
{
	hrtimer_cancel(&vp->lapic.timer);
	WRITE_ONCE(vp->lapic.timer_period, 0);
}

/**
 * hvsim_lapic_timer_init() - set up a new VP's APIC timer, stopped
 * @vp: the VP
 */
void hvsim_lapic_timer_init(struct hvsim_vp *vp)
{
	hrtimer_init(&vp->lapic.timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	vp->lapic.timer.function = hvsim_lapic_timer_fn;
}
