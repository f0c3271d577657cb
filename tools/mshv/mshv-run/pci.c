// SPDX-License-Identifier: GPL-2.0
/*
 * mshv-run PCI bus (see pci.h).
 *
 * Configuration mechanism #1: the guest writes the address (enable bit,
 * bus, device, function, register) to 0xcf8 and accesses the dword at
 * 0xcfc..0xcff.  Bus 0 function 0 of each slot only; slot 0 is the host
 * bridge, devices take slots 1 onwards.  Everything else reads all ones.
 *
 * Each device has BAR0, a 32-bit non-prefetchable memory BAR of
 * PCI_BAR_SIZE that the VMM assigns (PCI_MMIO_BASE + slot * size) and
 * the guest may move; it decodes while the command register's memory
 * bit is set.  Its upper part holds the MSI-X table and PBA.  An unmasked
 * MSI-X vector of an enabled, not function-masked device is an MSI route
 * on its own GSI (irq.c); a vector raised while masked sets its PBA bit
 * and fires on unmask.  INTx is not wired (interrupt pin 0).
 */
#include <stdio.h>
#include <string.h>

#include "devices.h"
#include "pci.h"
#include "vmm.h"

#define PCI_CONF_ADDR	0xcf8
#define PCI_CONF_DATA	0xcfc

#define PCI_COMMAND		0x04
#define PCI_COMMAND_MEMORY	0x2
#define PCI_STATUS_CAP_LIST	0x10
#define PCI_BAR0		0x10
#define PCI_CAP_PTR		0x34
#define PCI_CAP_ID_MSIX		0x11
#define MSIX_ENABLE		0x8000
#define MSIX_MASKALL		0x4000

static struct {
	struct vmm *vmm;
	__u32 addr;
	struct pci_device bridge;
	struct pci_device *dev[PCI_MAX_DEVICES];
} bus;

static void put16(__u8 *p, __u16 v)
{
	memcpy(p, &v, 2);
}

static void put32(__u8 *p, __u32 v)
{
	memcpy(p, &v, 4);
}

static __u16 get16(const __u8 *p)
{
	__u16 v;

	memcpy(&v, p, 2);
	return v;
}

static void pci_header(struct pci_device *dev, __u16 vendor, __u16 device,
		       __u32 class, __u16 subsys)
{
	put16(dev->cfg + 0x00, vendor);
	put16(dev->cfg + 0x02, device);
	dev->cfg[0x08] = 1;			/* revision */
	dev->cfg[0x09] = class & 0xff;
	dev->cfg[0x0a] = (class >> 8) & 0xff;
	dev->cfg[0x0b] = class >> 16;
	put16(dev->cfg + 0x2c, vendor);		/* subsystem vendor */
	put16(dev->cfg + 0x2e, subsys);
	dev->cap_next = PCI_CAP_START;
}

/**
 * pci_add_cap() - append a capability to the configuration space
 * @dev: the device
 * @cap: the capability, its first two bytes (id, next) included
 * @len: its length
 *
 * Return: its offset in configuration space.
 */
__u8 pci_add_cap(struct pci_device *dev, const void *cap, unsigned int len)
{
	__u8 off = dev->cap_next, *p;

	memcpy(dev->cfg + off, cap, len);
	dev->cfg[off + 1] = 0;
	/* Link it at the end of the list. */
	p = dev->cfg + PCI_CAP_PTR;
	while (*p)
		p = dev->cfg + *p + 1;
	*p = off;
	dev->cfg[0x06] |= PCI_STATUS_CAP_LIST;
	dev->cap_next = (off + len + 3) & ~3;
	return off;
}

static bool msix_vector_live(struct pci_device *dev, unsigned int v)
{
	__u16 ctrl = get16(dev->cfg + dev->msix_cap + 2);

	return (ctrl & MSIX_ENABLE) && !(ctrl & MSIX_MASKALL) &&
	       !(dev->msix[v].ctrl & 1);
}

static void msix_update(struct pci_device *dev, unsigned int v)
{
	struct pci_msix_entry *e = &dev->msix[v];
	bool live = msix_vector_live(dev, v);

	irq_set_route(dev->vmm, dev->gsi[v], live, e->addr_lo, e->addr_hi,
		      e->data);
	if (live && dev->pending[v]) {
		dev->pending[v] = false;
		irq_signal(dev->vmm, dev->gsi[v]);
	}
}

/**
 * pci_msix_notify() - raise an MSI-X vector of @dev (vmm->lock held)
 * @dev: the device
 * @vector: the vector; PCI_NO_VECTOR or out of range does nothing
 */
void pci_msix_notify(struct pci_device *dev, __u16 vector)
{
	if (vector >= dev->nr_vectors)
		return;
	if (msix_vector_live(dev, vector))
		irq_signal(dev->vmm, dev->gsi[vector]);
	else
		dev->pending[vector] = true;
}

static void pci_decode(struct pci_device *dev)
{
	__u64 addr = 0;

	if ((dev->cfg[PCI_COMMAND] & PCI_COMMAND_MEMORY) && dev->bar &&
	    dev->bar != (__u32)~(PCI_BAR_SIZE - 1))
		addr = dev->bar;
	if (addr == dev->decoded)
		return;
	dev->decoded = addr;
	if (dev->ops && dev->ops->bar_moved)
		dev->ops->bar_moved(dev, addr);
}

static void pci_cfg_write(struct pci_device *dev, unsigned int reg,
			  __u32 val, unsigned int size)
{
	unsigned int i;

	if (reg == PCI_COMMAND) {
		memcpy(dev->cfg + reg, &val, size > 2 ? 2 : size);
		pci_decode(dev);
	} else if (reg == PCI_BAR0 && size == 4 && dev != &bus.bridge) {
		dev->bar = val & ~(PCI_BAR_SIZE - 1);
		put32(dev->cfg + PCI_BAR0, dev->bar);
		pci_decode(dev);
	} else if (dev->msix_cap && reg >= dev->msix_cap + 2U &&
		   reg < dev->msix_cap + 4U) {
		__u16 ctrl = get16(dev->cfg + dev->msix_cap + 2);
		__u16 v = size == 1 ? (reg & 1 ? (val & 0xff) << 8 | (ctrl & 0xff)
					       : (ctrl & 0xff00) | (val & 0xff))
				    : val;

		ctrl = (ctrl & ~(MSIX_ENABLE | MSIX_MASKALL)) |
		       (v & (MSIX_ENABLE | MSIX_MASKALL));
		put16(dev->cfg + dev->msix_cap + 2, ctrl);
		for (i = 0; i < dev->nr_vectors; i++)
			msix_update(dev, i);
		irq_commit(dev->vmm);
	} else if (reg == 0x3c && size == 1) {
		dev->cfg[reg] = val;		/* interrupt line: scratch */
	}
}

static struct pci_device *pci_selected(unsigned int *reg)
{
	__u32 a = bus.addr;
	unsigned int slot = (a >> 11) & 0x1f;

	if (!(a & 0x80000000) || (a >> 16) & 0xff || (a >> 8) & 7)
		return NULL;
	*reg = a & 0xfc;
	if (slot == 0)
		return &bus.bridge;
	return slot < PCI_MAX_DEVICES ? bus.dev[slot] : NULL;
}

static void pci_conf_read(void *opaque, __u64 off, void *data,
			  unsigned int size)
{
	struct pci_device *dev;
	unsigned int reg;

	(void)opaque;
	memset(data, 0xff, size);
	if (off < 4) {
		if (off == 0 && size == 4)
			memcpy(data, &bus.addr, 4);
		return;
	}
	dev = pci_selected(&reg);
	reg += off - 4;
	if (dev && reg + size <= 256) {
		memcpy(data, dev->cfg + reg, size);
		if (reg == PCI_BAR0 && size == 4 && dev->bar ==
		    (__u32)~(PCI_BAR_SIZE - 1))
			put32(data, dev->bar);	/* sizing */
	}
}

static void pci_conf_write(void *opaque, __u64 off, const void *data,
			   unsigned int size)
{
	struct pci_device *dev;
	unsigned int reg;
	__u32 val = 0;

	(void)opaque;
	memcpy(&val, data, size > 4 ? 4 : size);
	if (off < 4) {
		if (off == 0 && size == 4)
			bus.addr = val;
		return;
	}
	dev = pci_selected(&reg);
	reg += off - 4;
	if (dev && reg + size <= 256)
		pci_cfg_write(dev, reg, val, size);
}

static void msix_access(struct pci_device *dev, __u64 off, void *data,
			unsigned int size, bool write)
{
	unsigned int v, word;
	__u32 val = 0;

	if (off >= PCI_MSIX_PBA_OFF) {
		if (!write) {
			__u64 pba = 0;

			for (v = 0; v < dev->nr_vectors; v++)
				pba |= (__u64)dev->pending[v] << v;
			memset(data, 0, size);
			if (off == PCI_MSIX_PBA_OFF)
				memcpy(data, &pba, size > 8 ? 8 : size);
		}
		return;
	}
	v = (off - PCI_MSIX_TABLE_OFF) / 16;
	word = (off & 15) / 4;
	if (v >= dev->nr_vectors || size < 4) {
		if (!write)
			memset(data, 0, size);
		return;
	}
	if (!write) {
		memcpy(data, (__u32 *)&dev->msix[v] + word, size > 8 ? 8 : size);
		return;
	}
	memcpy(&val, data, 4);
	((__u32 *)&dev->msix[v])[word] = val;
	if (size == 8 && word < 3) {
		memcpy(&val, (const __u8 *)data + 4, 4);
		((__u32 *)&dev->msix[v])[word + 1] = val;
	}
	msix_update(dev, v);
	irq_commit(dev->vmm);
}

/* The PCI memory window: find the device whose BAR0 decodes @off. */
static void pci_mmio(void *opaque, __u64 off, void *data, unsigned int size,
		     bool write)
{
	__u64 addr = PCI_MMIO_BASE + off, boff;
	struct pci_device *dev = NULL;
	unsigned int i;

	(void)opaque;
	for (i = 1; i < PCI_MAX_DEVICES; i++) {
		struct pci_device *d = bus.dev[i];

		if (d && d->decoded && addr >= d->decoded &&
		    addr < d->decoded + PCI_BAR_SIZE) {
			dev = d;
			break;
		}
	}
	if (!dev) {
		if (!write)
			memset(data, 0xff, size);
		return;
	}
	boff = addr - dev->decoded;
	if (boff >= PCI_MSIX_TABLE_OFF)
		msix_access(dev, boff, data, size, write);
	else if (write && dev->ops->bar_write)
		dev->ops->bar_write(dev, boff, data, size);
	else if (!write && dev->ops->bar_read)
		dev->ops->bar_read(dev, boff, data, size);
	else if (!write)
		memset(data, 0, size);
}

static void pci_mmio_read(void *opaque, __u64 off, void *data,
			  unsigned int size)
{
	pci_mmio(opaque, off, data, size, false);
}

static void pci_mmio_write(void *opaque, __u64 off, const void *data,
			   unsigned int size)
{
	pci_mmio(opaque, off, (void *)data, size, true);
}

/**
 * pci_device_add() - plug a device into the next free slot
 * @vmm: the VMM
 * @dev: the device, zeroed except ->ops
 * @vendor: vendor id
 * @device: device id
 * @class: class code (class << 16 | subclass << 8 | prog-if)
 * @subsys: subsystem id
 * @nr_vectors: MSI-X vectors (1..PCI_MSIX_MAX)
 *
 * Return: 0, or -1 if the bus is full.
 */
int pci_device_add(struct vmm *vmm, struct pci_device *dev, __u16 vendor,
		   __u16 device, __u32 class, __u16 subsys, unsigned int nr_vectors)
{
	__u8 msix[12] = { PCI_CAP_ID_MSIX };
	unsigned int slot, i;

	for (slot = 1; slot < PCI_MAX_DEVICES && bus.dev[slot]; slot++)
		;
	if (slot >= PCI_MAX_DEVICES || nr_vectors > PCI_MSIX_MAX)
		return -1;
	dev->vmm = vmm;
	dev->slot = slot;
	pci_header(dev, vendor, device, class, subsys);
	dev->bar = PCI_MMIO_BASE + slot * PCI_BAR_SIZE;
	put32(dev->cfg + PCI_BAR0, dev->bar);
	dev->nr_vectors = nr_vectors;
	put16(msix + 2, nr_vectors - 1);
	put32(msix + 4, PCI_MSIX_TABLE_OFF);	/* BIR 0 */
	put32(msix + 8, PCI_MSIX_PBA_OFF);
	dev->msix_cap = pci_add_cap(dev, msix, sizeof(msix));
	for (i = 0; i < nr_vectors; i++) {
		dev->msix[i].ctrl = 1;
		dev->gsi[i] = irq_alloc_gsi(vmm);
		if (dev->gsi[i] < 0)
			return -1;
	}
	bus.dev[slot] = dev;
	return 0;
}

void pci_init(struct vmm *vmm)
{
	struct io_handler conf = {
		.base = PCI_CONF_ADDR, .len = 8,
		.read = pci_conf_read, .write = pci_conf_write,
	};
	struct io_handler mmio = {
		.base = PCI_MMIO_BASE, .len = PCI_MAX_DEVICES * PCI_BAR_SIZE * 16,
		.read = pci_mmio_read, .write = pci_mmio_write,
	};

	bus.vmm = vmm;
	/* Host bridge: 1b36:0008 (QEMU's generic PCIe host bridge id), class 0x0600. */
	pci_header(&bus.bridge, 0x1b36, 0x0008, 0x060000, 0);
	if (io_bus_add(&vmm->pio, &conf) || io_bus_add(&vmm->mmio, &mmio))
		die("pci: io_bus_add");
}
