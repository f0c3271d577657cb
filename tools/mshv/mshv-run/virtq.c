// SPDX-License-Identifier: GPL-2.0
/*
 * virtq - the device side of a split virtqueue (see virtq.h).
 *
 * Layout (little-endian, as the x86 host): the descriptor table (16 bytes
 * each: addr, len, flags, next), the available ring (flags, idx, ring[],
 * used_event) and the used ring (flags, idx, {id, len}[], avail_event).
 * Every guest address is checked against guest memory, every chain is
 * bounded by the queue size; a malformed request is reported as -EINVAL
 * and the queue is left for the caller to mark broken.
 */
#include <errno.h>
#include <string.h>

#include "virtq.h"

struct vring_desc {
	__u64 addr;
	__u32 len;
	__u16 flags;
	__u16 next;
};

struct vring_used_elem {
	__u32 id;
	__u32 len;
};

/**
 * guest_ptr() - host address of a guest physical range
 * @mem: guest memory
 * @gpa: start
 * @len: length
 *
 * Return: the host pointer, or NULL if the range is not all RAM.
 */
void *guest_ptr(const struct guest_mem *mem, __u64 gpa, __u64 len)
{
	if (gpa > mem->size || len > mem->size - gpa)
		return NULL;
	return (char *)mem->base + gpa;
}

static __u16 load16(const void *p)
{
	return __atomic_load_n((const __u16 *)p, __ATOMIC_ACQUIRE);
}

/**
 * virtq_pop() - take the next available request
 * @vq: the queue (ready)
 * @mem: guest memory
 * @elem: receives the request's segments
 *
 * Return: 1 if a request was taken, 0 if none is available, -EINVAL if
 * the ring or the request is malformed.
 */
int virtq_pop(struct virtq *vq, const struct guest_mem *mem,
	      struct virtq_elem *elem)
{
	const struct vring_desc *table;
	const __u16 *avail;
	unsigned int i, steps = 0;
	__u16 idx;

	table = guest_ptr(mem, vq->desc, (__u64)vq->size * sizeof(*table));
	avail = guest_ptr(mem, vq->avail, 4 + 2ULL * vq->size);
	if (!table || !avail || !vq->size)
		return -EINVAL;
	idx = load16(&avail[1]);
	if (idx == vq->last_avail)
		return 0;
	if ((__u16)(idx - vq->last_avail) > vq->size)
		return -EINVAL;
	/* Read the ring entry after seeing idx (load16 is an acquire). */
	elem->head = avail[2 + (vq->last_avail & (vq->size - 1))];
	elem->nr_out = 0;
	elem->nr_in = 0;
	if (elem->head >= vq->size)
		return -EINVAL;

	for (i = elem->head;; i = table[i].next) {
		const struct vring_desc *d;
		struct iovec *iov;
		void *p;

		if (i >= vq->size || ++steps > vq->size)
			return -EINVAL;
		d = &table[i];
		if (d->flags & VIRTQ_DESC_F_INDIRECT)
			return -EINVAL;		/* not offered */
		p = guest_ptr(mem, d->addr, d->len);
		if (!p)
			return -EINVAL;
		if (d->flags & VIRTQ_DESC_F_WRITE) {
			iov = &elem->in[elem->nr_in++];
		} else {
			/* Readable segments must come first. */
			if (elem->nr_in)
				return -EINVAL;
			iov = &elem->out[elem->nr_out++];
		}
		iov->iov_base = p;
		iov->iov_len = d->len;
		if (!(d->flags & VIRTQ_DESC_F_NEXT))
			break;
	}
	vq->last_avail++;
	return 1;
}

/**
 * virtq_push() - return a finished request to the driver
 * @vq: the queue
 * @mem: guest memory
 * @head: the request's head descriptor (virtq_elem.head)
 * @len: bytes the device wrote into the request's writable segments
 *
 * Return: 0, or -EINVAL if the used ring is not in guest memory.
 */
int virtq_push(struct virtq *vq, const struct guest_mem *mem, __u16 head,
	       __u32 len)
{
	__u16 *used = guest_ptr(mem, vq->used, 4 + 8ULL * vq->size);
	struct vring_used_elem *e;
	__u16 idx;

	if (!used || !vq->size)
		return -EINVAL;
	idx = used[1];
	e = (struct vring_used_elem *)(used + 2) + (idx & (vq->size - 1));
	e->id = head;
	e->len = len;
	/* The element before the index that publishes it. */
	__atomic_store_n(&used[1], (__u16)(idx + 1), __ATOMIC_RELEASE);
	return 0;
}

/* Does the driver want an interrupt for used buffers (no EVENT_IDX)? */
bool virtq_needs_interrupt(const struct virtq *vq, const struct guest_mem *mem)
{
	const __u16 *avail = guest_ptr(mem, vq->avail, 4);

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return !avail || !(load16(avail) & VIRTQ_AVAIL_F_NO_INTERRUPT);
}

size_t iov_size(const struct iovec *iov, unsigned int n)
{
	size_t s = 0;

	while (n--)
		s += iov++->iov_len;
	return s;
}

/*
 * Copy @len bytes between @buf and the segments, from byte @off of the
 * segments; @to_iov picks the direction.  Return: bytes copied.
 */
static size_t iov_copy(const struct iovec *iov, unsigned int n, size_t off,
		       void *buf, size_t len, bool to_iov)
{
	size_t done = 0;

	for (; n && done < len; n--, iov++) {
		char *seg = iov->iov_base;
		size_t c;

		if (off >= iov->iov_len) {
			off -= iov->iov_len;
			continue;
		}
		c = iov->iov_len - off;
		if (c > len - done)
			c = len - done;
		if (to_iov)
			memcpy(seg + off, (char *)buf + done, c);
		else
			memcpy((char *)buf + done, seg + off, c);
		done += c;
		off = 0;
	}
	return done;
}

/* Copy @len bytes of @buf into the segments from byte @off.  Return: copied. */
size_t iov_from_buf(const struct iovec *iov, unsigned int n, size_t off,
		    const void *buf, size_t len)
{
	return iov_copy(iov, n, off, (void *)buf, len, true);
}

/* Copy @len bytes from the segments, from byte @off, into @buf.  Return: copied. */
size_t iov_to_buf(const struct iovec *iov, unsigned int n, size_t off,
		  void *buf, size_t len)
{
	return iov_copy(iov, n, off, buf, len, false);
}
