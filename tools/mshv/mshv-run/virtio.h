/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mshv-run virtio over PCI, modern transport (virtio 1.x, 4.1).
 */
#ifndef MSHV_RUN_VIRTIO_H
#define MSHV_RUN_VIRTIO_H

#include <pthread.h>
#include "mshv_bits.h"

#include "pci.h"
#include "virtq.h"

#define VIRTIO_MAX_QUEUES	4
#define VIRTIO_F_VERSION_1	BIT_ULL(32)

#define VIRTIO_ID_BLOCK		2
#define VIRTIO_ID_CONSOLE	3
#define VIRTIO_ID_RNG		4

/* BAR0 layout of a virtio device (the MSI-X table follows at 0x4000). */
#define VIRTIO_COMMON_OFF	0x0000
#define VIRTIO_ISR_OFF		0x1000
#define VIRTIO_DEVCFG_OFF	0x2000
#define VIRTIO_NOTIFY_OFF	0x3000
#define VIRTIO_NOTIFY_MULT	4

struct virtio_dev;

struct virtio_ops {
	/* A queue has requests (vmm->lock held). */
	void (*notify)(struct virtio_dev *vd, unsigned int q);
	/* The driver wrote device configuration (optional). */
	void (*cfg_write)(struct virtio_dev *vd, __u64 off, const void *data,
			  unsigned int size);
	/* The driver reset the device (optional). */
	void (*reset)(struct virtio_dev *vd);
};

struct virtio_dev {
	struct pci_device pci;		/* first: container_of by cast */
	const char *name;
	unsigned int type;		/* VIRTIO_ID_* */
	__u64 features;			/* offered */
	__u64 driver_features;
	__u32 dfselect, gfselect;
	__u16 msix_config;
	__u8 status;
	__u8 generation;
	__u8 isr;
	__u16 qselect;
	unsigned int nr_queues;
	struct virtq vq[VIRTIO_MAX_QUEUES];
	int efd[VIRTIO_MAX_QUEUES];	/* ioeventfd per queue */
	__u64 efd_addr;			/* where they are registered, 0: not */
	void *config;			/* device configuration, read-only here */
	unsigned int config_len;
	const struct virtio_ops *ops;
	struct guest_mem mem;
	pthread_t thread;
	void *priv;
};

int virtio_dev_init(struct vmm *vmm, struct virtio_dev *vd);
void virtio_used(struct virtio_dev *vd, unsigned int q);
bool virtio_queue_ready(const struct virtio_dev *vd, unsigned int q);

#endif /* MSHV_RUN_VIRTIO_H */
