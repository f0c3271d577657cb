/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvsim's local APIC, shared by its files (lapic.c, lapic_timer.c): the
 * register file and the timer's entry points.
 */
#ifndef _HVSIM_LAPIC_H
#define _HVSIM_LAPIC_H

#include <linux/bits.h>
#include <linux/stddef.h>
#include <linux/time64.h>

#include "hvsim.h"

/* The timer's clock, before the divider: HV_X64_MSR_APIC_FREQUENCY. */
#define HVSIM_APIC_TICK_NS		10	/* a 100 MHz APIC clock */
#define HVSIM_APIC_HZ			(NSEC_PER_SEC / HVSIM_APIC_TICK_NS)

#define HVSIM_APIC_TIMER_MODE		GENMASK(18, 17)

/*
 * The state page as hvsim uses it: the layout of struct
 * hv_local_interrupt_controller_state, whose fields are all naturally
 * aligned, without its __packed (so that fields can be pointed to).
 */
struct hvsim_apic_regs {
	u32 apic_id;
	u32 apic_version;
	u32 apic_ldr;
	u32 apic_dfr;
	u32 apic_spurious;
	u32 apic_isr[8];
	u32 apic_tmr[8];
	u32 apic_irr[8];
	u32 apic_esr;
	u32 apic_icr_high;
	u32 apic_icr_low;
	u32 apic_lvt_timer;
	u32 apic_lvt_thermal;
	u32 apic_lvt_perfmon;
	u32 apic_lvt_lint0;
	u32 apic_lvt_lint1;
	u32 apic_lvt_error;
	u32 apic_lvt_cmci;
	u32 apic_error_status;
	u32 apic_initial_count;
	u32 apic_counter_value;
	u32 apic_divide_configuration;
	u32 apic_remote_read;
};

static_assert(sizeof(struct hvsim_apic_regs) ==
	      sizeof(struct hv_local_interrupt_controller_state));
static_assert(offsetof(struct hvsim_apic_regs, apic_irr) ==
	      offsetof(struct hv_local_interrupt_controller_state, apic_irr));
static_assert(offsetof(struct hvsim_apic_regs, apic_remote_read) ==
	      offsetof(struct hv_local_interrupt_controller_state,
		       apic_remote_read));

static inline struct hvsim_apic_regs *hvsim_regs(struct hvsim_vp *vp)
{
	return vp->st.lapic;
}

void hvsim_lapic_timer_init(struct hvsim_vp *vp);
void hvsim_lapic_timer_load(struct hvsim_vp *vp, u32 count);
u32 hvsim_lapic_current_count(struct hvsim_vp *vp);

#endif /* _HVSIM_LAPIC_H */
