// SPDX-License-Identifier: GPL-2.0
/*
 * mshv-run virtio-pci modern transport (virtio 1.x, 4.1.4).
 *
 * BAR0 (see virtio.h) holds the common configuration, the ISR byte, the
 * device configuration and the notification area, each described by a
 * vendor-specific capability; MSI-X (pci.c) carries the interrupts.
 *
 * Notifications: the driver writes the queue index to notify base +
 * queue * VIRTIO_NOTIFY_MULT.  Each queue's address is an ioeventfd
 * (MSHV_IOEVENTFD, a hypervisor doorbell): the write completes in the
 * hypervisor without an exit and signals an eventfd that the device's
 * thread polls; the thread then runs the device under vmm->lock.  The
 * ioeventfds follow BAR0 when the guest moves or disables it; a write
 * that does reach the VMM (no ioeventfd registered) is handled the same
 * way, inline.  Completions: virtio_used() sets the ISR and raises the
 * queue's MSI-X vector (an irqfd), unless the driver suppressed
 * interrupts.  Not offered: EVENT_IDX, INDIRECT_DESC, packed rings.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>

#include <linux/mshv.h>

#include "devices.h"
#include "virtio.h"
#include "vmm.h"

#define PCI_VENDOR_VIRTIO	0x1af4
#define PCI_DEVICE_VIRTIO_BASE	0x1040		/* + device type */
#define PCI_CAP_ID_VNDR		0x09

#define VIRTIO_PCI_CAP_COMMON	1
#define VIRTIO_PCI_CAP_NOTIFY	2
#define VIRTIO_PCI_CAP_ISR	3
#define VIRTIO_PCI_CAP_DEVICE	4

#define STATUS_DRIVER_OK	4
#define STATUS_NEEDS_RESET	0x40

/* struct virtio_pci_common_cfg offsets */
#define CC_DFSELECT	0x00
#define CC_DF		0x04
#define CC_GFSELECT	0x08
#define CC_GF		0x0c
#define CC_MSIX		0x10
#define CC_NUMQ		0x12
#define CC_STATUS	0x14
#define CC_GENERATION	0x15
#define CC_Q_SELECT	0x16
#define CC_Q_SIZE	0x18
#define CC_Q_MSIX	0x1a
#define CC_Q_ENABLE	0x1c
#define CC_Q_NOFF	0x1e
#define CC_Q_DESC	0x20
#define CC_Q_AVAIL	0x28
#define CC_Q_USED	0x30
#define CC_LEN		0x38

struct virtio_pci_cap {
	__u8 vndr, next, len, cfg_type, bar, id, pad[2];
	__u32 offset, length;
	__u32 notify_mult;	/* the notify capability only */
} __packed;

static struct virtio_dev *to_vd(struct pci_device *dev)
{
	return (struct virtio_dev *)dev;
}

bool virtio_queue_ready(const struct virtio_dev *vd, unsigned int q)
{
	return q < vd->nr_queues && vd->vq[q].ready &&
	       (vd->status & STATUS_DRIVER_OK);
}

/* Completed requests on queue @q: interrupt the driver (vmm->lock held). */
void virtio_used(struct virtio_dev *vd, unsigned int q)
{
	struct virtq *vq = &vd->vq[q];

	if (!virtq_needs_interrupt(vq, &vd->mem))
		return;
	vd->isr |= 1;
	pci_msix_notify(&vd->pci, vq->msix_vector);
}

static void virtio_reset(struct virtio_dev *vd)
{
	unsigned int q;

	vd->driver_features = 0;
	vd->status = 0;
	vd->isr = 0;
	vd->msix_config = PCI_NO_VECTOR;
	for (q = 0; q < vd->nr_queues; q++) {
		memset(&vd->vq[q], 0, sizeof(vd->vq[q]));
		vd->vq[q].size = VIRTQ_MAX_SIZE;
		vd->vq[q].msix_vector = PCI_NO_VECTOR;
	}
	if (vd->ops->reset)
		vd->ops->reset(vd);
}

static __u64 common_read(struct virtio_dev *vd, __u64 off)
{
	struct virtq *vq = vd->qselect < vd->nr_queues ?
			   &vd->vq[vd->qselect] : NULL;

	switch (off) {
	case CC_DFSELECT:	return vd->dfselect;
	case CC_DF:		return vd->dfselect < 2 ?
				       (__u32)(vd->features >> (32 * vd->dfselect)) : 0;
	case CC_GFSELECT:	return vd->gfselect;
	case CC_GF:		return vd->gfselect < 2 ?
				       (__u32)(vd->driver_features >> (32 * vd->gfselect)) : 0;
	case CC_MSIX:		return vd->msix_config;
	case CC_NUMQ:		return vd->nr_queues;
	case CC_STATUS:		return vd->status;
	case CC_GENERATION:	return vd->generation;
	case CC_Q_SELECT:	return vd->qselect;
	}
	if (!vq)
		return 0;
	switch (off) {
	case CC_Q_SIZE:		return vq->size;
	case CC_Q_MSIX:		return vq->msix_vector;
	case CC_Q_ENABLE:	return vq->ready;
	case CC_Q_NOFF:		return vd->qselect;
	case CC_Q_DESC:		return vq->desc;
	case CC_Q_DESC + 4:	return vq->desc >> 32;
	case CC_Q_AVAIL:	return vq->avail;
	case CC_Q_AVAIL + 4:	return vq->avail >> 32;
	case CC_Q_USED:		return vq->used;
	case CC_Q_USED + 4:	return vq->used >> 32;
	}
	return 0;
}

static void set_lo_hi(__u64 *reg, __u64 off, __u64 v, unsigned int size)
{
	if (size == 8)
		*reg = v;
	else if (off & 4)
		*reg = (*reg & 0xffffffffULL) | v << 32;
	else
		*reg = (*reg & ~0xffffffffULL) | (__u32)v;
}

static void common_write(struct virtio_dev *vd, __u64 off, __u64 v,
			 unsigned int size)
{
	struct virtq *vq = vd->qselect < vd->nr_queues ?
			   &vd->vq[vd->qselect] : NULL;

	switch (off) {
	case CC_DFSELECT:
		vd->dfselect = v;
		return;
	case CC_GFSELECT:
		vd->gfselect = v;
		return;
	case CC_GF:
		if (vd->gfselect < 2) {
			unsigned int sh = 32 * vd->gfselect;

			vd->driver_features &= ~(0xffffffffULL << sh);
			vd->driver_features |= (v << sh) & vd->features;
		}
		return;
	case CC_MSIX:
		vd->msix_config = v;
		return;
	case CC_STATUS:
		if (!(v & 0xff))
			virtio_reset(vd);
		else
			vd->status = v;
		return;
	case CC_Q_SELECT:
		vd->qselect = v;
		return;
	}
	if (!vq || vq->ready)
		goto queue_live;
	switch (off) {
	case CC_Q_SIZE:
		/* A power of 2 no larger than the maximum. */
		if (v && v <= VIRTQ_MAX_SIZE && !(v & (v - 1)))
			vq->size = v;
		return;
	case CC_Q_DESC:
	case CC_Q_DESC + 4:
		set_lo_hi(&vq->desc, off, v, size);
		return;
	case CC_Q_AVAIL:
	case CC_Q_AVAIL + 4:
		set_lo_hi(&vq->avail, off, v, size);
		return;
	case CC_Q_USED:
	case CC_Q_USED + 4:
		set_lo_hi(&vq->used, off, v, size);
		return;
	}
queue_live:
	if (!vq)
		return;
	if (off == CC_Q_MSIX)
		vq->msix_vector = v;
	else if (off == CC_Q_ENABLE && v == 1)
		vq->ready = true;
}

static void virtio_bar_read(struct pci_device *dev, __u64 off, void *data,
			    unsigned int size)
{
	struct virtio_dev *vd = to_vd(dev);
	__u64 v = 0;

	memset(data, 0, size);
	if (off < VIRTIO_COMMON_OFF + CC_LEN) {
		v = common_read(vd, off);
		memcpy(data, &v, size);
	} else if (off == VIRTIO_ISR_OFF) {
		*(__u8 *)data = vd->isr;
		vd->isr = 0;		/* reading acknowledges */
	} else if (off >= VIRTIO_DEVCFG_OFF &&
		   off - VIRTIO_DEVCFG_OFF + size <= vd->config_len) {
		memcpy(data, (__u8 *)vd->config + off - VIRTIO_DEVCFG_OFF, size);
	}
}

static void virtio_bar_write(struct pci_device *dev, __u64 off,
			     const void *data, unsigned int size)
{
	struct virtio_dev *vd = to_vd(dev);
	__u64 v = 0;

	memcpy(&v, data, size > 8 ? 8 : size);
	if (off < VIRTIO_COMMON_OFF + CC_LEN) {
		common_write(vd, off, v, size);
	} else if (off >= VIRTIO_NOTIFY_OFF &&
		   off < VIRTIO_NOTIFY_OFF + VIRTIO_MAX_QUEUES * VIRTIO_NOTIFY_MULT) {
		unsigned int q = (off - VIRTIO_NOTIFY_OFF) / VIRTIO_NOTIFY_MULT;

		if (virtio_queue_ready(vd, q))
			vd->ops->notify(vd, q);
	} else if (off >= VIRTIO_DEVCFG_OFF &&
		   off < VIRTIO_DEVCFG_OFF + vd->config_len &&
		   vd->ops->cfg_write) {
		vd->ops->cfg_write(vd, off - VIRTIO_DEVCFG_OFF, data, size);
	}
}

static int ioeventfd(struct virtio_dev *vd, unsigned int q, __u64 base,
		     bool assign)
{
	struct mshv_user_ioeventfd args = {
		.addr = base + VIRTIO_NOTIFY_OFF + q * VIRTIO_NOTIFY_MULT,
		.fd = vd->efd[q],
		.flags = assign ? 0 : 1 << MSHV_IOEVENTFD_BIT_DEASSIGN,
	};

	return ioctl(vd->pci.vmm->pt_fd, MSHV_IOEVENTFD, &args);
}

/* BAR0 moved: move the doorbells with it. */
static void virtio_bar_moved(struct pci_device *dev, __u64 addr)
{
	struct virtio_dev *vd = to_vd(dev);
	unsigned int q;

	for (q = 0; q < vd->nr_queues; q++) {
		if (vd->efd_addr && ioeventfd(vd, q, vd->efd_addr, false))
			perror("mshv-run: MSHV_IOEVENTFD deassign");
		if (addr && ioeventfd(vd, q, addr, true))
			die("MSHV_IOEVENTFD");
	}
	vd->efd_addr = addr;
}

static const struct pci_device_ops virtio_pci_ops = {
	.bar_read = virtio_bar_read,
	.bar_write = virtio_bar_write,
	.bar_moved = virtio_bar_moved,
};

static void *virtio_thread(void *arg)
{
	struct virtio_dev *vd = arg;
	struct vmm *vmm = vd->pci.vmm;
	struct pollfd pfd[VIRTIO_MAX_QUEUES];
	unsigned int q;
	__u64 count;

	for (q = 0; q < vd->nr_queues; q++) {
		pfd[q].fd = vd->efd[q];
		pfd[q].events = POLLIN;
	}
	for (;;) {
		if (poll(pfd, vd->nr_queues, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		for (q = 0; q < vd->nr_queues; q++) {
			if (!(pfd[q].revents & POLLIN))
				continue;
			if (read(vd->efd[q], &count, sizeof(count)) < 0)
				continue;
			pthread_mutex_lock(&vmm->lock);
			if (virtio_queue_ready(vd, q))
				vd->ops->notify(vd, q);
			pthread_mutex_unlock(&vmm->lock);
		}
	}
	return NULL;
}

static void add_cap(struct virtio_dev *vd, __u8 type, __u32 off, __u32 len)
{
	struct virtio_pci_cap cap = {
		.vndr = PCI_CAP_ID_VNDR,
		.len = type == VIRTIO_PCI_CAP_NOTIFY ? 20 : 16,
		.cfg_type = type,
		.offset = off,
		.length = len,
		.notify_mult = VIRTIO_NOTIFY_MULT,
	};

	pci_add_cap(&vd->pci, &cap, cap.len);
}

/**
 * virtio_dev_init() - put a virtio device on the PCI bus
 * @vmm: the VMM
 * @vd: the device: type, name, features, nr_queues, config, ops filled in
 *
 * Gives it one MSI-X vector per queue plus one for configuration changes,
 * and a thread that services its queue notifications.
 *
 * Return: 0 or -1.
 */
int virtio_dev_init(struct vmm *vmm, struct virtio_dev *vd)
{
	unsigned int q;
	__u32 class = vd->type == VIRTIO_ID_BLOCK ? 0x018000 :
		      vd->type == VIRTIO_ID_CONSOLE ? 0x078000 : 0xff0000;

	vd->features |= VIRTIO_F_VERSION_1;
	vd->mem.base = vmm->ram;
	vd->mem.size = vmm->ram_size;
	vd->pci.ops = &virtio_pci_ops;
	if (pci_device_add(vmm, &vd->pci, PCI_VENDOR_VIRTIO,
			   PCI_DEVICE_VIRTIO_BASE + vd->type, class, 0x40,
			   vd->nr_queues + 1))
		return -1;
	add_cap(vd, VIRTIO_PCI_CAP_COMMON, VIRTIO_COMMON_OFF, CC_LEN);
	add_cap(vd, VIRTIO_PCI_CAP_ISR, VIRTIO_ISR_OFF, 1);
	add_cap(vd, VIRTIO_PCI_CAP_NOTIFY, VIRTIO_NOTIFY_OFF,
		VIRTIO_MAX_QUEUES * VIRTIO_NOTIFY_MULT);
	if (vd->config_len)
		add_cap(vd, VIRTIO_PCI_CAP_DEVICE, VIRTIO_DEVCFG_OFF,
			vd->config_len);
	for (q = 0; q < vd->nr_queues; q++) {
		vd->efd[q] = eventfd(0, EFD_CLOEXEC);
		if (vd->efd[q] < 0)
			die("eventfd");
	}
	virtio_reset(vd);
	if (pthread_create(&vd->thread, NULL, virtio_thread, vd))
		die("pthread_create");
	return 0;
}
