/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mshv-run devices: the entry points main.c wires together.
 */
#ifndef MSHV_RUN_DEVICES_H
#define MSHV_RUN_DEVICES_H

#include <stdbool.h>
#include <linux/types.h>

struct vmm;
struct pci_device;

/* irq.c: MSI routes (GSIs) and their irqfds. */
#define GSI_IOAPIC_BASE	0	/* GSI n = I/O APIC pin n */
#define GSI_MSI_BASE	24	/* then the MSI-X vectors */
#define MAX_GSIS	128

int irq_init(struct vmm *vmm);
int irq_alloc_gsi(struct vmm *vmm);
void irq_set_route(struct vmm *vmm, unsigned int gsi, bool valid,
		   __u32 addr_lo, __u32 addr_hi, __u32 data);
void irq_commit(struct vmm *vmm);
void irq_signal(struct vmm *vmm, unsigned int gsi);

/* ioapic.c */
void ioapic_init(struct vmm *vmm);
void ioapic_set_irq(struct vmm *vmm, unsigned int pin, bool level);

/* serial.c: COM1 at 0x3f8, IRQ 4; legacy.c: CMOS, reset, port 0x80. */
#define SERIAL_IRQ	4
void serial_init(struct vmm *vmm, bool irq);
void serial_input(struct vmm *vmm, const char *buf, unsigned int len);
void legacy_init(struct vmm *vmm);

/* console_out.c: the guest's console output to stdout */
void console_stamp_lines(void);
void console_out(const void *buf, size_t len);

/* mptable.c */
int mptable_write(void *ram, __u64 ram_size, __u64 gpa, unsigned int nr_cpus);

/* pci.c */
void pci_init(struct vmm *vmm);

/* virtio devices */
int virtio_blk_create(struct vmm *vmm, const char *path);
int virtio_console_create(struct vmm *vmm);
int virtio_rng_create(struct vmm *vmm);
void virtio_console_input(struct vmm *vmm, const char *buf, unsigned int len);

#endif /* MSHV_RUN_DEVICES_H */
