/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by guest64_mmio_test.c (VMM, which emulates the device) and
 * guest64_mmio_guest.c: a small MMIO device at an unmapped GPA.
 */
#ifndef SELFTEST_MSHV_GUEST64_MMIO_H
#define SELFTEST_MSHV_GUEST64_MMIO_H

#include <linux/types.h>

#define MMIO_BASE		0xd0000000ULL	/* no RAM; identity mapped */
#define MMIO_REG_ID		0x00	/* 32-bit, read-only: MMIO_ID */
#define MMIO_REG_SCRATCH	0x04	/* 32-bit, read/write */
#define MMIO_REG_DOUBLE		0x08	/* 32-bit: reads 2 * last write */
#define MMIO_REG_WIDE		0x10	/* 64-bit, read/write */
#define MMIO_SIZE		0x18

#define MMIO_ID			0x4d534856U	/* "MSHV" */
#define MMIO_SCRATCH_VALUE	0xcafef00dU
#define MMIO_DOUBLE_VALUE	0x12345678U
#define MMIO_WIDE_VALUE		0x8000000180000001ULL

/* The number of MMIO accesses guest_mmio() makes. */
#define MMIO_NR_ACCESSES	7

void guest_mmio(void);

#endif /* SELFTEST_MSHV_GUEST64_MMIO_H */
