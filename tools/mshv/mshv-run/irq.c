// SPDX-License-Identifier: GPL-2.0
/*
 * mshv-run interrupt routing: every interrupt source of the VMM is a GSI
 * with an MSI route and an irqfd.
 *
 *   GSI 0..23   the I/O APIC's pins (ioapic.c turns a redirection entry
 *               into the MSI address/data a real I/O APIC would send);
 *   GSI 24..    MSI-X vectors of the PCI devices (pci.c), one each.
 *
 * The routes live here; irq_commit() hands the whole table to the driver
 * with MSHV_SET_MSI_ROUTING (it replaces the previous one).  Each GSI has
 * one eventfd, bound with MSHV_IRQFD when the GSI is first used; a device
 * raises its interrupt by writing the eventfd, and the driver asserts the
 * interrupt with the route current at that moment (a GSI without a route
 * drops it).  All calls are made with vmm->lock held.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>

#include <linux/mshv.h>

#include "devices.h"
#include "vmm.h"

static struct {
	struct mshv_user_irq_entry route[MAX_GSIS];
	bool valid[MAX_GSIS];
	int efd[MAX_GSIS];
	unsigned int next_msi;
	bool dirty;
} irq;

int irq_init(struct vmm *vmm)
{
	unsigned int i;

	(void)vmm;
	for (i = 0; i < MAX_GSIS; i++)
		irq.efd[i] = -1;
	irq.next_msi = GSI_MSI_BASE;
	return 0;
}

/* Return: a fresh GSI for an MSI-X vector, or -1. */
int irq_alloc_gsi(struct vmm *vmm)
{
	(void)vmm;
	return irq.next_msi < MAX_GSIS ? (int)irq.next_msi++ : -1;
}

static void irq_bind(struct vmm *vmm, unsigned int gsi)
{
	struct mshv_user_irqfd args = { .resamplefd = -1, .gsi = gsi };

	irq.efd[gsi] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (irq.efd[gsi] < 0)
		die("eventfd");
	args.fd = irq.efd[gsi];
	if (ioctl(vmm->pt_fd, MSHV_IRQFD, &args))
		die("MSHV_IRQFD");
}

/**
 * irq_set_route() - set or clear the route of a GSI (takes effect at the
 *	next irq_commit())
 * @vmm: the VMM
 * @gsi: the GSI
 * @valid: false removes the route
 * @addr_lo: MSI address, low half
 * @addr_hi: MSI address, high half
 * @data: MSI data
 */
void irq_set_route(struct vmm *vmm, unsigned int gsi, bool valid,
		   __u32 addr_lo, __u32 addr_hi, __u32 data)
{
	struct mshv_user_irq_entry *e = &irq.route[gsi];

	if (gsi >= MAX_GSIS)
		return;
	if (irq.efd[gsi] < 0)
		irq_bind(vmm, gsi);
	if (irq.valid[gsi] == valid &&
	    (!valid || (e->address_lo == addr_lo && e->address_hi == addr_hi &&
			 e->data == data)))
		return;
	irq.valid[gsi] = valid;
	e->gsi = gsi;
	e->address_lo = addr_lo;
	e->address_hi = addr_hi;
	e->data = data;
	irq.dirty = true;
}

/* Send the route table to the driver if it changed. */
void irq_commit(struct vmm *vmm)
{
	struct {
		struct mshv_user_irq_table hdr;
		struct mshv_user_irq_entry e[MAX_GSIS];
	} t;
	unsigned int i;

	if (!irq.dirty)
		return;
	memset(&t.hdr, 0, sizeof(t.hdr));
	for (i = 0; i < MAX_GSIS; i++)
		if (irq.valid[i])
			t.e[t.hdr.nr++] = irq.route[i];
	if (ioctl(vmm->pt_fd, MSHV_SET_MSI_ROUTING, &t))
		die("MSHV_SET_MSI_ROUTING");
	irq.dirty = false;
}

/* Raise the interrupt routed at @gsi (an edge). */
void irq_signal(struct vmm *vmm, unsigned int gsi)
{
	__u64 one = 1;

	if (gsi >= MAX_GSIS || irq.efd[gsi] < 0)
		return;
	irq_commit(vmm);
	if (write(irq.efd[gsi], &one, sizeof(one)) != sizeof(one) &&
	    vmm->verbose)
		perror("mshv-run: irqfd write");
}
