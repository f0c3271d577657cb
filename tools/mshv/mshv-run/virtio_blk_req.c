// SPDX-License-Identifier: GPL-2.0
/*
 * mshv-run virtio-blk requests (virtio 1.x, 5.2.6).
 *
 * A request is a 16-byte header (type, reserved, sector) in the readable
 * segments, data segments, and a status byte as the last writable byte.
 * IN reads with preadv(), OUT writes with pwritev(), FLUSH is
 * fdatasync(), GET_ID returns "mshv-run".  Requests beyond the capacity
 * or of a partial sector fail with IOERR, unknown types with UNSUPP.
 */
#include <string.h>
#include <unistd.h>
#include <sys/uio.h>

#include "virtio_blk.h"

/**
 * virtio_blk_request() - carry out one request
 * @fd: the backing file
 * @capacity: its size in sectors
 * @elem: the request
 *
 * Return: the bytes written into the request's writable segments (the
 * data of an IN or GET_ID, and the status byte).
 */
__u32 virtio_blk_request(int fd, __u64 capacity, struct virtq_elem *elem)
{
	struct virtio_blk_req_hdr hdr;
	struct iovec data[VIRTQ_MAX_SEGS];
	unsigned int nr = 0, i;
	size_t in_len = iov_size(elem->in, elem->nr_in), len, skip;
	__u8 status = VIRTIO_BLK_S_IOERR;
	__u32 written = 0;
	ssize_t done;

	if (in_len < 1 ||
	    iov_to_buf(elem->out, elem->nr_out, 0, &hdr, sizeof(hdr)) !=
	    sizeof(hdr))
		return 0;

	/* The data: readable segments after the header, or writable ones before the status. */
	if (hdr.type == VIRTIO_BLK_T_OUT) {
		skip = sizeof(hdr);
		for (i = 0; i < elem->nr_out; i++) {
			struct iovec v = elem->out[i];

			if (skip >= v.iov_len) {
				skip -= v.iov_len;
				continue;
			}
			v.iov_base = (char *)v.iov_base + skip;
			v.iov_len -= skip;
			skip = 0;
			data[nr++] = v;
		}
	} else {
		len = in_len - 1;
		for (i = 0; i < elem->nr_in && len; i++) {
			struct iovec v = elem->in[i];

			if (v.iov_len > len)
				v.iov_len = len;
			len -= v.iov_len;
			data[nr++] = v;
		}
	}
	len = iov_size(data, nr);

	switch (hdr.type) {
	case VIRTIO_BLK_T_IN:
	case VIRTIO_BLK_T_OUT:
		if (len % 512 || hdr.sector > capacity ||
		    len / 512 > capacity - hdr.sector)
			break;
		if (hdr.type == VIRTIO_BLK_T_IN)
			done = preadv(fd, data, nr, hdr.sector * 512);
		else
			done = pwritev(fd, data, nr, hdr.sector * 512);
		if (done == (ssize_t)len) {
			status = VIRTIO_BLK_S_OK;
			if (hdr.type == VIRTIO_BLK_T_IN)
				written = len;
		}
		break;
	case VIRTIO_BLK_T_FLUSH:
		if (!fdatasync(fd))
			status = VIRTIO_BLK_S_OK;
		break;
	case VIRTIO_BLK_T_GET_ID: {
		char id[VIRTIO_BLK_ID_BYTES] = "mshv-run";

		written = iov_from_buf(data, nr, 0, id, sizeof(id));
		status = VIRTIO_BLK_S_OK;
		break;
	}
	default:
		status = VIRTIO_BLK_S_UNSUPP;
	}
	iov_from_buf(elem->in, elem->nr_in, in_len - 1, &status, 1);
	return written + 1;
}

