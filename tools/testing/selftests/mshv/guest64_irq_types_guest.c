// SPDX-License-Identifier: GPL-2.0
/*
 * Guest code of guest64_irq_types_test: NMIs, ExtINTs and INIT/SIPI
 * asserted by the VMM.
 */
#include "guest_x86.h"
#include "guest64_irq_types.h"

static volatile unsigned int nr_nmi;
static volatile unsigned int nmi_seen_in_handler;
static volatile unsigned int nr_fixed;
static volatile unsigned int nr_extint;
static volatile unsigned int extint_in_service;

static void apic_enable(void)
{
	guest_apic_write(GUEST_APIC_SVR, GUEST_APIC_SVR_ENABLE | 0xff);
}

static void fixed_isr(struct guest_frame *frame)
{
	nr_fixed++;
	guest_apic_write(GUEST_APIC_EOI, 0);
}

/* The first NMI stops in its handler, where the VMM asserts another. */
static void nmi_handler(struct guest_frame *frame)
{
	unsigned int n = ++nr_nmi;

	if (n == 1) {
		GUEST_SYNC(n);
		__asm__ __volatile__("nop; nop; nop" : : : "memory");
		nmi_seen_in_handler = nr_nmi;
	}
}

static void spin_until(volatile unsigned int *count, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < 100000 && *count < n; i++)
		__asm__ __volatile__("pause" : : : "memory");
}

/*
 * With interrupts off, an NMI (and the one asserted during its handler,
 * after the IRET) arrives; a fixed interrupt asserted with it waits for
 * STI.
 */
void guest_nmi(void)
{
	guest_install_handler(2, nmi_handler);
	guest_install_handler(IRQT_FIXED_VEC, fixed_isr);
	apic_enable();
	guest_cli();
	GUEST_SYNC(0);
	spin_until(&nr_nmi, 2);
	GUEST_SYNC(nr_nmi, nmi_seen_in_handler, nr_fixed,
		   !!(guest_read_rflags() & GUEST_RFLAGS_IF));
	guest_sti();
	spin_until(&nr_fixed, 1);
	guest_cli();
	GUEST_SYNC(nr_fixed);
}

static void extint_isr(struct guest_frame *frame)
{
	nr_extint++;
	extint_in_service = guest_apic_vec_test(GUEST_APIC_ISR,
						frame->vector);
	/* No EOI: an ExtINT is not in service in the APIC. */
}

/* Opens a window of a few instructions for interrupts. */
static void interrupt_window(void)
{
	guest_sti();
	__asm__ __volatile__("nop; nop; nop; nop" : : : "memory");
	guest_cli();
}

/*
 * An ExtINT passes a TPR that holds back every fixed vector and needs no
 * EOI; one the VMM withdraws is not delivered.
 */
void guest_extint(void)
{
	guest_install_handler(IRQT_EXTINT_VEC, extint_isr);
	guest_install_handler(IRQT_FIXED_VEC, fixed_isr);
	apic_enable();
	guest_cli();
	guest_apic_write(GUEST_APIC_TPR, IRQT_TPR_ALL);
	GUEST_SYNC(0);		/* ExtINT and a fixed vector asserted */
	interrupt_window();
	GUEST_SYNC(nr_extint, extint_in_service, nr_fixed);
	GUEST_SYNC(0);		/* ExtINT asserted, then withdrawn */
	interrupt_window();
	GUEST_SYNC(nr_extint);
}

/* Reports, then keeps reporting: INIT and SIPI take the VP elsewhere. */
void guest_wait_init(void)
{
	unsigned int n = 0;

	apic_enable();
	for (;;)
		GUEST_SYNC(n++);
}
