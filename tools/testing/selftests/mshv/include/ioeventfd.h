/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by ioeventfd_test.c (VMM) and ioeventfd_guest.c: the guest rings
 * doorbells as the VMM tells it through a mailbox in guest memory.
 */
#ifndef SELFTEST_MSHV_IOEVENTFD_H
#define SELFTEST_MSHV_IOEVENTFD_H

#include <linux/types.h>

/* Doorbells live in MMIO space: no RAM there, identity mapped. */
#define DB_BASE		0xd0000000ULL
#define DB_ADDR(n)	(DB_BASE + 0x100ULL * (n))

/**
 * struct db_job - one batch of writes, set by the VMM before a run
 * @addr: guest physical (= virtual) address to write
 * @size: access size: 1, 2, 4 or 8
 * @value: value written
 * @count: writes; 0 ends the guest
 * @ack: round-trip mode: after each write the guest waits until the VMM
 *	sets @ack to the write's sequence number (1, 2, ...)
 * @roundtrip: non-zero selects round-trip mode
 * @tsc: the guest's TSC just before its latest write
 */
struct db_job {
	__u64 addr;
	__u64 size;
	__u64 value;
	__u64 count;
	__u64 ack;
	__u64 roundtrip;
	__u64 tsc;
};

/* The guest's mailbox (its own copy: the VMM writes it in guest RAM). */
extern struct db_job db_job;

/*
 * For each job: @count writes, then GUEST_SYNC(count, size); returns
 * (UCALL_DONE) at a job with count 0.
 */
void guest_db_loop(void);

#endif /* SELFTEST_MSHV_IOEVENTFD_H */
