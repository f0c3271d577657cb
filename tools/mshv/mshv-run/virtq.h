/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtq - the device side of a split virtqueue (virtio 1.x, 2.7).
 *
 * Pure functions over guest memory given as (base, size), so the host
 * unit test (test/virtq-test.c) runs them without a partition.  Callers
 * serialise access to one queue.
 */
#ifndef MSHV_RUN_VIRTQ_H
#define MSHV_RUN_VIRTQ_H

#include <stdbool.h>
#include <sys/uio.h>
#include <linux/types.h>

#define VIRTQ_MAX_SIZE		256
#define VIRTQ_MAX_SEGS		VIRTQ_MAX_SIZE

#define VIRTQ_DESC_F_NEXT	1
#define VIRTQ_DESC_F_WRITE	2
#define VIRTQ_DESC_F_INDIRECT	4
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1

struct guest_mem {
	void *base;
	__u64 size;
};

struct virtq {
	__u16 size;		/* entries; a power of 2 */
	bool ready;
	__u64 desc, avail, used;	/* guest physical addresses */
	__u16 last_avail;
	__u16 msix_vector;
};

/* One request: the device-readable segments, then the writable ones. */
struct virtq_elem {
	__u16 head;
	unsigned int nr_out, nr_in;
	struct iovec out[VIRTQ_MAX_SEGS];
	struct iovec in[VIRTQ_MAX_SEGS];
};

void *guest_ptr(const struct guest_mem *mem, __u64 gpa, __u64 len);
int virtq_pop(struct virtq *vq, const struct guest_mem *mem,
	      struct virtq_elem *elem);
int virtq_push(struct virtq *vq, const struct guest_mem *mem, __u16 head,
	       __u32 len);
bool virtq_needs_interrupt(const struct virtq *vq, const struct guest_mem *mem);
size_t iov_from_buf(const struct iovec *iov, unsigned int n, size_t off,
		    const void *buf, size_t len);
size_t iov_to_buf(const struct iovec *iov, unsigned int n, size_t off,
		  void *buf, size_t len);
size_t iov_size(const struct iovec *iov, unsigned int n);

#endif /* MSHV_RUN_VIRTQ_H */
