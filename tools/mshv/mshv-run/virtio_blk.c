// SPDX-License-Identifier: GPL-2.0
/*
 * mshv-run virtio-blk (virtio 1.x, 5.2): a disk backed by a host file.
 *
 * One request queue, serviced by the device thread on each doorbell
 * (requests: virtio_blk_req.c).  The capacity is the file's size in
 * 512-byte sectors (rounded down).  Features: FLUSH, SEG_MAX.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/stat.h>

#include "mshv_bits.h"

#include "devices.h"
#include "virtio.h"
#include "virtio_blk.h"
#include "vmm.h"

#define VIRTIO_BLK_F_SEG_MAX	BIT_ULL(2)
#define VIRTIO_BLK_F_FLUSH	BIT_ULL(9)

struct virtio_blk_config {
	__u64 capacity;
	__u32 size_max;
	__u32 seg_max;
} __packed;

static struct {
	struct virtio_dev vd;
	struct virtio_blk_config config;
	struct virtq_elem elem;
	int fd;
} blk;

static void blk_notify(struct virtio_dev *vd, unsigned int q)
{
	bool any = false;
	int rc;

	while ((rc = virtq_pop(&vd->vq[q], &vd->mem, &blk.elem)) > 0) {
		__u32 len = virtio_blk_request(blk.fd, blk.config.capacity,
					       &blk.elem);

		virtq_push(&vd->vq[q], &vd->mem, blk.elem.head, len);
		any = true;
	}
	if (rc < 0)
		fprintf(stderr, "mshv-run: virtio-blk: malformed request\n");
	if (any)
		virtio_used(vd, q);
}

static const struct virtio_ops blk_ops = {
	.notify = blk_notify,
};

int virtio_blk_create(struct vmm *vmm, const char *path)
{
	struct stat st;

	blk.fd = open(path, O_RDWR | O_CLOEXEC);
	if (blk.fd < 0 || fstat(blk.fd, &st)) {
		perror(path);
		return -1;
	}
	blk.config.capacity = st.st_size / 512;
	blk.config.seg_max = VIRTQ_MAX_SIZE - 2;
	blk.vd.name = "virtio-blk";
	blk.vd.type = VIRTIO_ID_BLOCK;
	blk.vd.features = VIRTIO_BLK_F_FLUSH | VIRTIO_BLK_F_SEG_MAX;
	blk.vd.nr_queues = 1;
	blk.vd.config = &blk.config;
	blk.vd.config_len = sizeof(blk.config);
	blk.vd.ops = &blk_ops;
	return virtio_dev_init(vmm, &blk.vd);
}
