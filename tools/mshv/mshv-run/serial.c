// SPDX-License-Identifier: GPL-2.0
/*
 * mshv-run serial port: a 16550A at COM1 (0x3f8), interrupt on ISA IRQ 4
 * through the I/O APIC model (ioapic.c).
 *
 * Transmit is immediate: a byte written to THR goes to stdout, so THR is
 * always empty and a THRE interrupt is pending while IER enables it and
 * the guest has not read IIR since.  Receive: serial_input() fills a
 * 256-byte FIFO (the 16550's is 16 bytes, the guest cannot tell).  The
 * interrupt output is recomputed after every access and on input; a
 * rising edge is an edge on the I/O APIC pin.  Modem control and the
 * scratch register are stored; loopback is not modelled.  Without
 * --kernel (the flat and ELF test guests), no interrupt is wired.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "devices.h"
#include "vmm.h"

#define COM1_BASE	0x3f8

#define UART_RX		0	/* in: receive buffer (DLAB=0) */
#define UART_TX		0	/* out: transmit holding (DLAB=0) */
#define UART_IER	1
#define UART_IIR	2	/* in */
#define UART_FCR	2	/* out */
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_MSR	6
#define UART_SCR	7

#define IER_RDI		0x01
#define IER_THRI	0x02
#define IIR_NO_INT	0x01
#define IIR_THRI	0x02
#define IIR_RDI		0x04
#define IIR_FIFO	0xc0	/* FIFOs enabled */
#define LCR_DLAB	0x80
#define LSR_DR		0x01
#define LSR_THRE	0x20
#define LSR_TEMT	0x40
#define MSR_DCD_DSR_CTS	0xb0

#define RX_FIFO		256

static struct serial {
	struct vmm *vmm;
	bool irq_wired;
	bool irq_line;
	bool thri_pending;	/* THRE interrupt not acknowledged yet */
	__u8 ier, lcr, mcr, scr, fcr, dll, dlm;
	__u8 rx[RX_FIFO];
	unsigned int rx_head, rx_count;
} com1;

static void serial_update_irq(struct serial *s)
{
	bool line = ((s->ier & IER_RDI) && s->rx_count) ||
		    ((s->ier & IER_THRI) && s->thri_pending);

	if (s->irq_wired && line != s->irq_line)
		ioapic_set_irq(s->vmm, SERIAL_IRQ, line);
	s->irq_line = line;
}

static __u8 serial_iir(struct serial *s)
{
	__u8 fifo = s->fcr & 1 ? IIR_FIFO : 0;

	if ((s->ier & IER_RDI) && s->rx_count)
		return fifo | IIR_RDI;
	if ((s->ier & IER_THRI) && s->thri_pending) {
		s->thri_pending = false;	/* reading IIR acknowledges */
		return fifo | IIR_THRI;
	}
	return fifo | IIR_NO_INT;
}

static void serial_read(void *opaque, __u64 off, void *data, unsigned int size)
{
	struct serial *s = opaque;
	__u8 v = 0;

	switch (off) {
	case UART_RX:
		if (s->lcr & LCR_DLAB) {
			v = s->dll;
		} else if (s->rx_count) {
			v = s->rx[s->rx_head];
			s->rx_head = (s->rx_head + 1) % RX_FIFO;
			s->rx_count--;
		}
		break;
	case UART_IER:
		v = s->lcr & LCR_DLAB ? s->dlm : s->ier;
		break;
	case UART_IIR:
		v = serial_iir(s);
		break;
	case UART_LCR:
		v = s->lcr;
		break;
	case UART_MCR:
		v = s->mcr;
		break;
	case UART_LSR:
		v = LSR_THRE | LSR_TEMT | (s->rx_count ? LSR_DR : 0);
		break;
	case UART_MSR:
		v = MSR_DCD_DSR_CTS;
		break;
	case UART_SCR:
		v = s->scr;
		break;
	}
	memset(data, 0, size);
	*(__u8 *)data = v;
	serial_update_irq(s);
}

static void serial_write(void *opaque, __u64 off, const void *data,
			 unsigned int size)
{
	struct serial *s = opaque;
	__u8 v = *(const __u8 *)data;

	(void)size;
	switch (off) {
	case UART_TX:
		if (s->lcr & LCR_DLAB) {
			s->dll = v;
			break;
		}
		console_out(&v, 1);
		s->thri_pending = true;
		break;
	case UART_IER:
		if (s->lcr & LCR_DLAB) {
			s->dlm = v;
			break;
		}
		/* Enabling THRI with THR empty raises the interrupt. */
		if ((v & IER_THRI) && !(s->ier & IER_THRI))
			s->thri_pending = true;
		s->ier = v & 0x0f;
		break;
	case UART_FCR:
		s->fcr = v;
		if (v & 0x02) {		/* clear the receive FIFO */
			s->rx_head = 0;
			s->rx_count = 0;
		}
		break;
	case UART_LCR:
		s->lcr = v;
		break;
	case UART_MCR:
		s->mcr = v;
		break;
	case UART_SCR:
		s->scr = v;
		break;
	}
	serial_update_irq(s);
}

/**
 * serial_input() - bytes typed at the host's stdin
 * @vmm: the VMM; called with vmm->lock held
 * @buf: the bytes
 * @len: how many; what does not fit in the FIFO is dropped
 */
void serial_input(struct vmm *vmm, const char *buf, unsigned int len)
{
	struct serial *s = &com1;
	unsigned int i;

	(void)vmm;
	for (i = 0; i < len && s->rx_count < RX_FIFO; i++) {
		s->rx[(s->rx_head + s->rx_count) % RX_FIFO] = buf[i];
		s->rx_count++;
	}
	serial_update_irq(s);
}

void serial_init(struct vmm *vmm, bool irq)
{
	struct io_handler h = {
		.base = COM1_BASE,
		.len = 8,
		.read = serial_read,
		.write = serial_write,
		.opaque = &com1,
	};

	com1.vmm = vmm;
	com1.irq_wired = irq;
	if (io_bus_add(&vmm->pio, &h))
		die("serial: io_bus_add");
}
