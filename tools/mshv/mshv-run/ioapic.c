// SPDX-License-Identifier: GPL-2.0
/*
 * mshv-run I/O APIC: 24 pins at IOAPIC_BASE, emulated from unmapped-GPA
 * intercepts (the hypervisor only provides the local APICs).
 *
 * Registers: IOREGSEL (offset 0x00) selects, IOWIN (0x10) reads/writes:
 * 0x00 id, 0x01 version (0x11, 24 entries), 0x02 arbitration, 0x10 + 2n
 * the low and 0x11 + 2n the high word of redirection entry n.  The EOI
 * register (0x40) is accepted and ignored.
 *
 * Each unmasked entry is an MSI route on GSI n (irq.c): the MSI a real
 * I/O APIC sends for it - address 0xfee00000 | dest << 12 | logical << 2,
 * data vector | delivery mode << 8 | level << 15.  A pin going from low
 * to high signals the GSI's irqfd.  Level-triggered entries are treated
 * as edges too, with Remote IRR never set: the devices here assert their
 * line only when a new event needs service.  A rising edge on a masked
 * pin is remembered and delivered when the entry is unmasked.
 */
#include <string.h>

#include "mshv_bits.h"

#include "devices.h"
#include "vmm.h"

#define IOREGSEL	0x00
#define IOWIN		0x10
#define IOAPIC_ID	0x00
#define IOAPIC_VER	0x01
#define IOAPIC_ARB	0x02
#define IOAPIC_REDTBL	0x10
#define IOAPIC_VERSION	(0x11 | (IOAPIC_PINS - 1) << 16)

#define RTE_VECTOR	0xffULL
#define RTE_DELMODE	(7ULL << 8)
#define RTE_LOGICAL	BIT_ULL(11)
#define RTE_LEVEL	BIT_ULL(15)
#define RTE_MASKED	BIT_ULL(16)
#define RTE_WRITABLE	(RTE_VECTOR | RTE_DELMODE | RTE_LOGICAL | \
			 BIT_ULL(13) | RTE_LEVEL | RTE_MASKED | \
			 (0xffULL << 56))

static struct {
	struct vmm *vmm;
	__u32 sel;
	__u32 id;
	__u64 rte[IOAPIC_PINS];
	bool line[IOAPIC_PINS];
	bool pending[IOAPIC_PINS];
} ioapic;

static void ioapic_route(unsigned int pin)
{
	__u64 e = ioapic.rte[pin];
	__u32 addr = LAPIC_BASE | (e >> 56) << 12 |
		     (e & RTE_LOGICAL ? 1 << 2 : 0);
	__u32 data = (e & (RTE_VECTOR | RTE_DELMODE)) |
		     (e & RTE_LEVEL ? 1 << 15 : 0);

	irq_set_route(ioapic.vmm, GSI_IOAPIC_BASE + pin,
		      !(e & RTE_MASKED), addr, 0, data);
	if (!(e & RTE_MASKED) && ioapic.pending[pin]) {
		ioapic.pending[pin] = false;
		irq_signal(ioapic.vmm, GSI_IOAPIC_BASE + pin);
	}
}

static __u32 ioapic_reg_read(__u32 reg)
{
	unsigned int pin = (reg - IOAPIC_REDTBL) / 2;

	switch (reg) {
	case IOAPIC_ID:
	case IOAPIC_ARB:
		return ioapic.id;
	case IOAPIC_VER:
		return IOAPIC_VERSION;
	}
	if (reg >= IOAPIC_REDTBL && pin < IOAPIC_PINS)
		return reg & 1 ? ioapic.rte[pin] >> 32 : (__u32)ioapic.rte[pin];
	return 0;
}

static void ioapic_reg_write(__u32 reg, __u32 val)
{
	unsigned int pin = (reg - IOAPIC_REDTBL) / 2;
	__u64 e;

	if (reg == IOAPIC_ID) {
		ioapic.id = val & 0x0f000000;
		return;
	}
	if (reg < IOAPIC_REDTBL || pin >= IOAPIC_PINS)
		return;
	e = ioapic.rte[pin];
	if (reg & 1)
		e = (e & 0xffffffffULL) | (__u64)val << 32;
	else
		e = (e & ~0xffffffffULL) | val;
	ioapic.rte[pin] = e & RTE_WRITABLE;
	ioapic_route(pin);
}

static void ioapic_read(void *opaque, __u64 off, void *data, unsigned int size)
{
	__u32 v = 0;

	(void)opaque;
	if (off == IOREGSEL)
		v = ioapic.sel;
	else if (off == IOWIN)
		v = ioapic_reg_read(ioapic.sel);
	memset(data, 0, size);
	memcpy(data, &v, size < 4 ? size : 4);
}

static void ioapic_write(void *opaque, __u64 off, const void *data,
			 unsigned int size)
{
	__u32 v = 0;

	(void)opaque;
	memcpy(&v, data, size < 4 ? size : 4);
	if (off == IOREGSEL)
		ioapic.sel = v & 0xff;
	else if (off == IOWIN)
		ioapic_reg_write(ioapic.sel, v);
	irq_commit(ioapic.vmm);
}

/**
 * ioapic_set_irq() - drive an I/O APIC pin
 * @vmm: the VMM; called with vmm->lock held
 * @pin: the pin (ISA IRQ n is pin n, except IRQ 0 on pin 2)
 * @level: the new line level; a rising edge raises the interrupt
 */
void ioapic_set_irq(struct vmm *vmm, unsigned int pin, bool level)
{
	bool rising;

	(void)vmm;
	if (pin >= IOAPIC_PINS)
		return;
	rising = level && !ioapic.line[pin];
	ioapic.line[pin] = level;
	if (!rising)
		return;
	if (ioapic.rte[pin] & RTE_MASKED)
		ioapic.pending[pin] = true;
	else
		irq_signal(ioapic.vmm, GSI_IOAPIC_BASE + pin);
}

void ioapic_init(struct vmm *vmm)
{
	struct io_handler h = {
		.base = IOAPIC_BASE,
		.len = IOAPIC_SIZE,
		.read = ioapic_read,
		.write = ioapic_write,
	};
	unsigned int i;

	ioapic.vmm = vmm;
	ioapic.id = vmm->nr_vcpus << 24;	/* the MP table's I/O APIC id */
	for (i = 0; i < IOAPIC_PINS; i++)
		ioapic.rte[i] = RTE_MASKED;
	if (io_bus_add(&vmm->mmio, &h))
		die("ioapic: io_bus_add");
}
