// SPDX-License-Identifier: GPL-2.0
/*
 * mshv-run virtio-console and virtio-rng.
 *
 * virtio-console (virtio 1.x, 5.3): one port (no MULTIPORT, no SIZE), the
 * guest's hvc0.  Queue 0 receives: bytes from the host's stdin (when the
 * console takes the input, --console virtio) wait in a buffer until the
 * driver posts receive buffers.  Queue 1 transmits: every buffer goes to
 * stdout.
 *
 * virtio-rng (5.4): one queue whose writable buffers are filled from
 * getrandom().
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>

#include "devices.h"
#include "virtio.h"
#include "vmm.h"

#define CONSOLE_RX	0
#define CONSOLE_TX	1
#define CONSOLE_BUF	4096

static struct {
	struct virtio_dev vd;
	struct virtq_elem elem;
	char in[CONSOLE_BUF];
	unsigned int in_len;
} con;

static struct {
	struct virtio_dev vd;
	struct virtq_elem elem;
} rng;

/* Move buffered input into receive buffers the driver posted. */
static void console_rx(struct virtio_dev *vd)
{
	bool any = false;

	while (con.in_len && virtio_queue_ready(vd, CONSOLE_RX) &&
	       virtq_pop(&vd->vq[CONSOLE_RX], &vd->mem, &con.elem) > 0) {
		size_t n = iov_from_buf(con.elem.in, con.elem.nr_in, 0,
					con.in, con.in_len);

		memmove(con.in, con.in + n, con.in_len - n);
		con.in_len -= n;
		virtq_push(&vd->vq[CONSOLE_RX], &vd->mem, con.elem.head, n);
		any = true;
	}
	if (any)
		virtio_used(vd, CONSOLE_RX);
}

static void console_tx(struct virtio_dev *vd)
{
	bool any = false;
	unsigned int i;

	while (virtq_pop(&vd->vq[CONSOLE_TX], &vd->mem, &con.elem) > 0) {
		for (i = 0; i < con.elem.nr_out; i++)
			console_out(con.elem.out[i].iov_base,
				    con.elem.out[i].iov_len);
		virtq_push(&vd->vq[CONSOLE_TX], &vd->mem, con.elem.head, 0);
		any = true;
	}
	if (any)
		virtio_used(vd, CONSOLE_TX);
}

static void console_notify(struct virtio_dev *vd, unsigned int q)
{
	if (q == CONSOLE_TX)
		console_tx(vd);
	else
		console_rx(vd);
}

/**
 * virtio_console_input() - bytes typed at the host's stdin
 * @vmm: the VMM; called with vmm->lock held
 * @buf: the bytes
 * @len: how many; what does not fit in the buffer is dropped
 */
void virtio_console_input(struct vmm *vmm, const char *buf, unsigned int len)
{
	(void)vmm;
	if (len > CONSOLE_BUF - con.in_len)
		len = CONSOLE_BUF - con.in_len;
	memcpy(con.in + con.in_len, buf, len);
	con.in_len += len;
	console_rx(&con.vd);
}

static void console_reset(struct virtio_dev *vd)
{
	(void)vd;
	con.in_len = 0;
}

static const struct virtio_ops console_ops = {
	.notify = console_notify,
	.reset = console_reset,
};

int virtio_console_create(struct vmm *vmm)
{
	con.vd.name = "virtio-console";
	con.vd.type = VIRTIO_ID_CONSOLE;
	con.vd.nr_queues = 2;
	con.vd.ops = &console_ops;
	return virtio_dev_init(vmm, &con.vd);
}

static void rng_notify(struct virtio_dev *vd, unsigned int q)
{
	bool any = false;
	unsigned int i;

	while (virtq_pop(&vd->vq[q], &vd->mem, &rng.elem) > 0) {
		__u32 len = 0;

		for (i = 0; i < rng.elem.nr_in; i++) {
			ssize_t n = getrandom(rng.elem.in[i].iov_base,
					      rng.elem.in[i].iov_len, 0);

			if (n < 0)
				break;
			len += n;
		}
		virtq_push(&vd->vq[q], &vd->mem, rng.elem.head, len);
		any = true;
	}
	if (any)
		virtio_used(vd, q);
}

static const struct virtio_ops rng_ops = {
	.notify = rng_notify,
};

int virtio_rng_create(struct vmm *vmm)
{
	rng.vd.name = "virtio-rng";
	rng.vd.type = VIRTIO_ID_RNG;
	rng.vd.nr_queues = 1;
	rng.vd.ops = &rng_ops;
	return virtio_dev_init(vmm, &rng.vd);
}
