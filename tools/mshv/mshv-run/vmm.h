/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mshv-run - shared state of the VMM.
 *
 * One struct vmm per run: the partition, guest RAM, the vCPUs (one thread
 * each) and the devices.  Device emulation runs under vmm->lock, taken by
 * the vCPU threads for port and MMIO exits and by the device threads for
 * queue work: one big lock, because the exits it serialises are rare next
 * to the guest's own execution.
 *
 * Guest physical layout of a Linux guest:
 *
 *   0x00000000 - RAM (up to MEM_HOLE_START)
 *   0xe0000000   PCI memory BARs, PCI_BAR_SIZE per slot
 *   0xfec00000   I/O APIC (emulated here, unmapped-GPA intercepts)
 *   0xfee00000   local APIC (emulated by the hypervisor)
 */
#ifndef MSHV_RUN_VMM_H
#define MSHV_RUN_VMM_H

#include <pthread.h>
#include <stdbool.h>
#include <linux/types.h>
#include "hyperv_root.h"

#define MAX_VCPUS	8
#define MEM_HOLE_START	0xc0000000ULL
#define IOAPIC_BASE	0xfec00000ULL
#define IOAPIC_SIZE	0x1000ULL
#define IOAPIC_PINS	24
#define LAPIC_BASE	0xfee00000ULL

/* Exit codes. */
#define EXIT_HALTED	0	/* guest halted or powered off */
#define EXIT_ERROR	1	/* an ioctl or a system call failed */
#define EXIT_GUEST	2	/* the guest crashed */
#define EXIT_LIMIT	3	/* --max-exits reached */
#define EXIT_REBOOT	4	/* the guest asked for a reset */

struct vmm;

struct vcpu {
	struct vmm *vmm;
	unsigned int index;
	int fd;
	struct hv_vp_register_page *regs;
	pthread_t thread;
	unsigned long exits;
};

/* A range of port or MMIO space and the device behind it. */
struct io_handler {
	__u64 base;
	__u64 len;
	/* @off is relative to @base; @data is little-endian, @size bytes. */
	void (*read)(void *opaque, __u64 off, void *data, unsigned int size);
	void (*write)(void *opaque, __u64 off, const void *data,
		      unsigned int size);
	void *opaque;
};

#define MAX_IO_HANDLERS	32

struct io_bus {
	struct io_handler h[MAX_IO_HANDLERS];
	unsigned int nr;
};

struct vmm {
	int dev_fd;
	int pt_fd;
	void *ram;
	__u64 ram_size;
	unsigned int nr_vcpus;
	struct vcpu vcpus[MAX_VCPUS];
	bool verbose;
	bool stats;
	unsigned long max_exits;

	pthread_mutex_t lock;		/* the device lock */
	struct io_bus pio;
	struct io_bus mmio;

	/* Set once by the first vCPU that stops the guest. */
	pthread_mutex_t stop_lock;
	pthread_cond_t stop_cond;
	bool stopping;
	int exit_code;
};

/* main.c */
void die(const char *what);
void *gpa_to_hva(struct vmm *vmm, __u64 gpa, __u64 len);
void hvcall(struct vmm *vmm, __u16 code, __u16 reps, void *in, __u16 in_sz);
void vmm_stop(struct vmm *vmm, int code);

/* vcpu.c */
void vcpu_create(struct vmm *vmm, unsigned int index);
void vcpu_set_regs(struct vcpu *vcpu, const struct hv_register_assoc *regs,
		   unsigned int count);
int vcpus_run(struct vmm *vmm);
int io_bus_add(struct io_bus *bus, const struct io_handler *h);
bool io_bus_access(struct io_bus *bus, __u64 addr, void *data,
		   unsigned int size, bool write);

#endif /* MSHV_RUN_VMM_H */
