// SPDX-License-Identifier: GPL-2.0
/*
 * mshv-run legacy ports a PC guest pokes at:
 *
 *   0x70/0x71  CMOS RTC: the host's UTC time in BCD, update never in
 *              progress; other CMOS bytes read 0, writes are dropped.
 *   0x64       8042 controller: command 0xfe (pulse reset) resets the
 *              machine, which ends the run (exit code EXIT_REBOOT); the
 *              status register reads 0xff (no controller: Linux's i8042
 *              gives up at once).
 *   0x80       POST code: dropped.
 *
 *   0x40-0x43  PIT: reads 0, writes dropped.  There is no PIT; a counter
 *              that never moves makes Linux's quick PIT calibration give
 *              up at once (all ones would keep it polling 50000 times).
 *
 * No PIC: its ports read all ones, so Linux picks its null legacy PIC.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "devices.h"
#include "vmm.h"

#define CMOS_INDEX	0x70
#define I8042_CMD	0x64
#define I8042_RESET	0xfe
#define POST_PORT	0x80
#define PIT_BASE	0x40

static __u8 cmos_index;

static __u8 bcd(int v)
{
	return (v / 10) << 4 | (v % 10);
}

static __u8 cmos_byte(__u8 index)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	switch (index) {
	case 0x00: return bcd(tm.tm_sec);
	case 0x02: return bcd(tm.tm_min);
	case 0x04: return bcd(tm.tm_hour);
	case 0x06: return bcd(tm.tm_wday + 1);
	case 0x07: return bcd(tm.tm_mday);
	case 0x08: return bcd(tm.tm_mon + 1);
	case 0x09: return bcd(tm.tm_year % 100);
	case 0x0a: return 0x26;	/* 32.768 kHz, 1024 Hz, UIP clear */
	case 0x0b: return 0x02;	/* 24-hour, BCD */
	case 0x0d: return 0x80;	/* battery good */
	case 0x32: return bcd(1900 + tm.tm_year / 100);	/* century */
	default: return 0;
	}
}

static void cmos_read(void *opaque, __u64 off, void *data, unsigned int size)
{
	(void)opaque;
	memset(data, 0, size);
	*(__u8 *)data = off ? cmos_byte(cmos_index) : cmos_index;
}

static void cmos_write(void *opaque, __u64 off, const void *data,
		       unsigned int size)
{
	(void)opaque;
	(void)size;
	if (!off)
		cmos_index = *(const __u8 *)data & 0x7f;	/* bit 7: NMI mask */
}

static void i8042_write(void *opaque, __u64 off, const void *data,
			unsigned int size)
{
	struct vmm *vmm = opaque;

	(void)off;
	(void)size;
	if (*(const __u8 *)data == I8042_RESET) {
		fflush(stdout);
		fprintf(stderr, "mshv-run: guest reset\n");
		vmm_stop(vmm, EXIT_REBOOT);
	}
}

static void zero_read(void *opaque, __u64 off, void *data, unsigned int size)
{
	(void)opaque;
	(void)off;
	memset(data, 0, size);
}

static void drop_write(void *opaque, __u64 off, const void *data,
		       unsigned int size)
{
	(void)opaque;
	(void)off;
	(void)data;
	(void)size;
}

void legacy_init(struct vmm *vmm)
{
	struct io_handler cmos = {
		.base = CMOS_INDEX, .len = 2,
		.read = cmos_read, .write = cmos_write,
	};
	struct io_handler i8042 = {
		.base = I8042_CMD, .len = 1,
		.write = i8042_write, .opaque = vmm,
	};
	struct io_handler post = {
		.base = POST_PORT, .len = 1, .write = drop_write,
	};
	struct io_handler pit = {
		.base = PIT_BASE, .len = 4, .read = zero_read, .write = drop_write,
	};

	if (io_bus_add(&vmm->pio, &cmos) || io_bus_add(&vmm->pio, &i8042) ||
	    io_bus_add(&vmm->pio, &post) || io_bus_add(&vmm->pio, &pit))
		die("legacy: io_bus_add");
}
