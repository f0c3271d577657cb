// SPDX-License-Identifier: GPL-2.0
/*
 * Guest code of guest64_lapic_test: the local APIC through its xAPIC page
 * or its x2APIC MSRs - the timer waking a halted CPU, self-IPIs with
 * priorities and the TPR, interrupts the VMM asserts.
 */
#include "guest_x86.h"
#include "guest64_lapic.h"

static int use_x2apic;
static volatile unsigned int timer_ticks;
static volatile unsigned int nr_ipis;
static volatile __u32 ipi_order[4];
static volatile __u32 isr_seen;
static volatile unsigned int nr_asserted;

static __u32 apic_read(__u32 reg)
{
	if (use_x2apic)
		return guest_rdmsr(GUEST_X2APIC_MSR(reg));
	return guest_apic_read(reg);
}

static void apic_write(__u32 reg, __u32 value)
{
	if (use_x2apic)
		guest_wrmsr(GUEST_X2APIC_MSR(reg), value);
	else
		guest_apic_write(reg, value);
}

static int apic_vec_test(__u32 reg, unsigned int vector)
{
	return (apic_read(reg + (vector / 32) * 16) >> (vector % 32)) & 1;
}

static void apic_enable(__u64 x2apic)
{
	__u64 base = guest_rdmsr(GUEST_MSR_APIC_BASE);

	if (x2apic)
		guest_wrmsr(GUEST_MSR_APIC_BASE, base | GUEST_APIC_BASE_X2APIC);
	use_x2apic = x2apic;
	apic_write(GUEST_APIC_SVR, GUEST_APIC_SVR_ENABLE | 0xff);
}

static void apic_eoi(void)
{
	apic_write(GUEST_APIC_EOI, 0);
}

static void timer_isr(struct guest_frame *frame)
{
	timer_ticks++;
	apic_eoi();
}

/* One-shot: HLT with interrupts on; the timer's interrupt ends it. */
void guest_timer_oneshot(__u64 x2apic)
{
	__u32 lvt;

	guest_install_handler(LAPIC_TIMER_VEC, timer_isr);
	apic_enable(x2apic);
	apic_write(GUEST_APIC_TIMER_DCR, GUEST_APIC_DIV_1);
	apic_write(GUEST_APIC_LVT_TIMER, LAPIC_TIMER_VEC);
	lvt = apic_read(GUEST_APIC_LVT_TIMER);
	apic_write(GUEST_APIC_TIMER_ICR, LAPIC_ONESHOT_COUNT);
	GUEST_ASSERT(apic_read(GUEST_APIC_TIMER_CCR) <= LAPIC_ONESHOT_COUNT);
	guest_sti_hlt();
	guest_cli();
	/* Reported: ticks, count left, the timer vector still in service */
	GUEST_SYNC(timer_ticks, apic_read(GUEST_APIC_TIMER_CCR),
		   apic_vec_test(GUEST_APIC_ISR, LAPIC_TIMER_VEC), lvt);
}

/*
 * Periodic: one count loaded, ticks until stopped; each HLT ends with at
 * least one (more if the guest is slower than the period).
 */
void guest_timer_periodic(__u64 x2apic)
{
	unsigned int halts = 0;

	guest_install_handler(LAPIC_TIMER_VEC, timer_isr);
	apic_enable(x2apic);
	apic_write(GUEST_APIC_TIMER_DCR, GUEST_APIC_DIV_1);
	apic_write(GUEST_APIC_LVT_TIMER,
		   LAPIC_TIMER_VEC | GUEST_APIC_LVT_PERIODIC);
	apic_write(GUEST_APIC_TIMER_ICR, LAPIC_PERIODIC_COUNT);
	while (timer_ticks < LAPIC_PERIODIC_TICKS) {
		guest_sti_hlt();
		guest_cli();
		halts++;
	}
	apic_write(GUEST_APIC_LVT_TIMER,
		   LAPIC_TIMER_VEC | GUEST_APIC_LVT_MASKED);
	apic_write(GUEST_APIC_TIMER_ICR, 0);
	GUEST_SYNC(timer_ticks, halts, apic_read(GUEST_APIC_TIMER_CCR));
}

static void ipi_isr(struct guest_frame *frame)
{
	if (nr_ipis < 4)
		ipi_order[nr_ipis] = frame->vector;
	nr_ipis++;
	if (apic_vec_test(GUEST_APIC_ISR, frame->vector))
		isr_seen++;
	apic_eoi();
}

static void self_ipi(__u32 vector)
{
	apic_write(GUEST_APIC_ICR, GUEST_APIC_ICR_SELF | vector);
}

/* Self-IPIs: pending while IF=0 or masked by the TPR, then by priority. */
void guest_self_ipi(__u64 x2apic)
{
	__u32 ppr;

	guest_install_handler(LAPIC_IPI_LOW, ipi_isr);
	guest_install_handler(LAPIC_IPI_MID, ipi_isr);
	guest_install_handler(LAPIC_IPI_HIGH, ipi_isr);
	apic_enable(x2apic);

	self_ipi(LAPIC_IPI_LOW);
	GUEST_ASSERT(apic_vec_test(GUEST_APIC_IRR, LAPIC_IPI_LOW));
	apic_write(GUEST_APIC_TPR, LAPIC_TPR_BLOCK);
	ppr = apic_read(GUEST_APIC_PPR);
	guest_sti();
	__asm__ __volatile__("nop; nop; nop" : : : "memory");
	/* Class 4 does not pass a TPR of 0x50. */
	GUEST_ASSERT_EQ(0U, nr_ipis);
	apic_write(GUEST_APIC_TPR, 0);
	__asm__ __volatile__("nop" : : : "memory");
	GUEST_ASSERT_EQ(1U, nr_ipis);
	GUEST_ASSERT(!apic_vec_test(GUEST_APIC_IRR, LAPIC_IPI_LOW));
	GUEST_ASSERT(!apic_vec_test(GUEST_APIC_ISR, LAPIC_IPI_LOW));

	guest_cli();
	self_ipi(LAPIC_IPI_LOW);
	self_ipi(LAPIC_IPI_HIGH);
	self_ipi(LAPIC_IPI_MID);
	guest_sti();
	__asm__ __volatile__("nop" : : : "memory");
	guest_cli();
	GUEST_SYNC(nr_ipis, ppr, isr_seen,
		   ipi_order[1] << 16 | ipi_order[2] << 8 | ipi_order[3]);
}

static void assert_isr(struct guest_frame *frame)
{
	nr_asserted++;
	apic_eoi();
}

/* Halts with interrupts on until the VMM's interrupt arrives. */
void guest_wait_asserted(void)
{
	guest_install_handler(LAPIC_ASSERT_VEC, assert_isr);
	apic_enable(0);
	GUEST_SYNC(0);
	while (!nr_asserted)
		guest_sti_hlt();
	guest_cli();
	GUEST_SYNC(nr_asserted);
}

/* HLT with interrupts off cannot be woken: the VMM sees it. */
void guest_hlt_cli(void)
{
	apic_enable(0);
	guest_cli();
	__asm__ __volatile__("hlt");
	GUEST_SYNC(1);
}
