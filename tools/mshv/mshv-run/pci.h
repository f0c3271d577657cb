/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mshv-run PCI: a host bridge on bus 0 (configuration mechanism #1 at
 * 0xcf8/0xcfc) and endpoint functions with one 32-bit memory BAR whose
 * upper part holds the MSI-X table and PBA.
 */
#ifndef MSHV_RUN_PCI_H
#define MSHV_RUN_PCI_H

#include <stdbool.h>
#include <linux/types.h>

#define PCI_MMIO_BASE		0xe0000000ULL
#define PCI_BAR_SIZE		0x8000U		/* per device, power of 2 */
#define PCI_MSIX_TABLE_OFF	0x4000U
#define PCI_MSIX_PBA_OFF	0x5000U
#define PCI_MSIX_MAX		8
#define PCI_MAX_DEVICES		8
#define PCI_CAP_START		0x40
#define PCI_NO_VECTOR		0xffff

struct vmm;
struct pci_device;

struct pci_device_ops {
	/* Accesses to BAR0 below PCI_MSIX_TABLE_OFF. */
	void (*bar_read)(struct pci_device *dev, __u64 off, void *data,
			 unsigned int size);
	void (*bar_write)(struct pci_device *dev, __u64 off, const void *data,
			  unsigned int size);
	/* BAR0 now decodes at @addr (0: not decoded). */
	void (*bar_moved)(struct pci_device *dev, __u64 addr);
};

struct pci_msix_entry {
	__u32 addr_lo;
	__u32 addr_hi;
	__u32 data;
	__u32 ctrl;		/* bit 0: masked */
};

struct pci_device {
	struct vmm *vmm;
	unsigned int slot;
	__u8 cfg[256];
	__u8 cap_next;		/* where the next capability goes */
	__u8 msix_cap;
	__u32 bar;		/* BAR0 address as programmed */
	__u64 decoded;		/* where BAR0 decodes now, 0 if nowhere */
	unsigned int nr_vectors;
	struct pci_msix_entry msix[PCI_MSIX_MAX];
	int gsi[PCI_MSIX_MAX];
	bool pending[PCI_MSIX_MAX];
	const struct pci_device_ops *ops;
};

int pci_device_add(struct vmm *vmm, struct pci_device *dev, __u16 vendor,
		   __u16 device, __u32 class, __u16 subsys, unsigned int nr_vectors);
__u8 pci_add_cap(struct pci_device *dev, const void *cap, unsigned int len);
void pci_msix_notify(struct pci_device *dev, __u16 vector);

#endif /* MSHV_RUN_PCI_H */
