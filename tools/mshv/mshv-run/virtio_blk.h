/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mshv-run virtio-blk request handling, shared with the host unit test.
 */
#ifndef MSHV_RUN_VIRTIO_BLK_H
#define MSHV_RUN_VIRTIO_BLK_H

#include <linux/types.h>

#include "virtq.h"

#define VIRTIO_BLK_T_IN		0
#define VIRTIO_BLK_T_OUT	1
#define VIRTIO_BLK_T_FLUSH	4
#define VIRTIO_BLK_T_GET_ID	8
#define VIRTIO_BLK_S_OK		0
#define VIRTIO_BLK_S_IOERR	1
#define VIRTIO_BLK_S_UNSUPP	2
#define VIRTIO_BLK_ID_BYTES	20

struct virtio_blk_req_hdr {
	__u32 type;
	__u32 reserved;
	__u64 sector;
};

__u32 virtio_blk_request(int fd, __u64 capacity, struct virtq_elem *elem);

#endif /* MSHV_RUN_VIRTIO_BLK_H */
