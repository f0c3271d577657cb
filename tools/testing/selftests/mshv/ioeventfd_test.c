// SPDX-License-Identifier: GPL-2.0
/*
 * MSHV_IOEVENTFD: guest MMIO writes that signal an eventfd through a
 * hypervisor doorbell instead of exiting to the VMM.
 *
 *  - assign/deassign argument checks and collision rules, no guest;
 *  - for each length (1, 2, 4, 8 and 0 = any): writes with a matching
 *    value signal the right eventfd and do not exit, writes with another
 *    value or size exit with HVMSG_UNMAPPED_GPA and signal nothing, and
 *    a deassigned doorbell exits again;
 *  - hypercalls of assign and deassign failing (hvsim fault injection):
 *    nothing left behind, teardown retried;
 *  - partitions closed with live ioeventfds, in a loop: once the
 *    partition fd is gone the doorbells are (the VP still runs and its
 *    writes exit), nothing is left behind;
 *  - a full doorbell ring (hvsim's doorbell_hold keeps the root from
 *    draining): nothing is lost but merged signals, and the ring works on;
 *  - latency of a guest write until the VMM has it, through a doorbell
 *    (eventfd read) and through an MMIO exit, printed.
 *
 * Fails if writes exit when they should not (or the reverse), if counts
 * differ, or if errnos differ from upstream's.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vm64.h"
#include "ioeventfd.h"

#define DM		(1U << MSHV_IOEVENTFD_BIT_DATAMATCH)
#define PIO		(1U << MSHV_IOEVENTFD_BIT_PIO)
#define DEASSIGN	(1U << MSHV_IOEVENTFD_BIT_DEASSIGN)


/* The eventfd's count, reset to 0; 0 if it was not signalled. */
static __u64 efd_take(int efd)
{
	__u64 v;

	if (read(efd, &v, sizeof(v)) != sizeof(v)) {
		TEST_ASSERT(errno == EAGAIN, "read(eventfd)");
		return 0;
	}
	return v;
}

static int new_efd(void)
{
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	TEST_ASSERT(efd >= 0, "eventfd");
	return efd;
}

static __u64 size_mask(__u64 size)
{
	return size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

/*
 * Have the guest write @value (@size bytes) to @addr @count times; every
 * write that exits must be exactly that write and is completed.
 * Returns the number of exits.
 */
static unsigned int run_job(struct vm64 *vm, struct db_job *job, __u64 addr,
			    __u64 size, __u64 value, __u64 count)
{
	struct vm64_mmio acc;
	unsigned int cmd, exits = 0;

	job->addr = addr;
	job->size = size;
	job->value = value;
	job->count = count;
	job->ack = 0;
	job->roundtrip = 0;
	while ((cmd = vm64_run(vm)) == (unsigned int)UCALL_NONE) {
		TEST_ASSERT(vm->msg.header.message_type == HVMSG_UNMAPPED_GPA,
			    "exit with %s",
			    vm64_msg_name(vm->msg.header.message_type));
		TEST_ASSERT(vm64_decode_mmio(vm, &acc), "undecodable MMIO");
		TEST_ASSERT(acc.write && acc.gpa == addr && acc.size == size &&
			    acc.value == (value & size_mask(size)),
			    "MMIO %s 0x%llx size %u value 0x%llx",
			    acc.write ? "write" : "read",
			    (unsigned long long)acc.gpa, acc.size,
			    (unsigned long long)acc.value);
		vm64_complete_mmio(vm, &acc, 0);
		exits++;
	}
	vm64_check_ucall(vm);
	TEST_ASSERT(cmd == UCALL_SYNC && vm->uc.args[0] == count,
		    "ucall %u, count %llu", cmd,
		    (unsigned long long)vm->uc.args[0]);
	return exits;
}

static void finish(struct vm64 *vm, struct db_job *job)
{
	job->count = 0;
	vm64_expect_done(vm);
}

/* Write @val to hvsim's debugfs file @name; 0 or -1. */
static int write_debugfs(const char *name, unsigned long long val)
{
	char path[128], buf[32];
	int fd, len;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", HVSIM_DEBUGFS_DIR, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	len = snprintf(buf, sizeof(buf), "0x%llx\n", val);
	n = write(fd, buf, len);
	close(fd);
	return n == len ? 0 : -1;
}

static int write_hold(int val)
{
	return write_debugfs("doorbell_hold", val);
}


/* ------------------------------------------------------------------ */

TEST(assign_errnos)
{
	int efd, efd2, fd;
	struct mshv_vm vm;
	struct mshv_user_ioeventfd args = {
		.addr = DB_ADDR(0), .len = 4,
	};

	MSHV_REQUIRE_DEV();
	mshv_vm_create(&vm, false);
	efd = new_efd();
	efd2 = new_efd();
	fd = vm.fd;

	/* Bad arguments: nothing is assigned. */
	EXPECT_EQ(-1, __mshv_ioeventfd(fd, efd, DB_ADDR(0), 4, 1U << 3, 0));
	EXPECT_EQ(EINVAL, errno);
	args.fd = efd;
	args.rsvd[2] = 1;
	EXPECT_EQ(-1, ioctl(fd, MSHV_IOEVENTFD, &args));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, __mshv_ioeventfd(fd, efd, 0x60, 1, PIO, 0));
	EXPECT_EQ(EOPNOTSUPP, errno);
	EXPECT_EQ(-1, __mshv_ioeventfd(fd, efd, 0x60, 1, PIO | DEASSIGN, 0));
	EXPECT_EQ(EOPNOTSUPP, errno);
	EXPECT_EQ(-1, __mshv_ioeventfd(fd, efd, DB_ADDR(0), 3, 0, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, __mshv_ioeventfd(fd, efd, DB_ADDR(0), 16, 0, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, __mshv_ioeventfd(fd, efd, ~0ULL - 2, 4, 0, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, __mshv_ioeventfd(fd, -1, DB_ADDR(0), 4, 0, 0));
	EXPECT_EQ(EBADF, errno);
	/* Not an eventfd. */
	EXPECT_EQ(-1, __mshv_ioeventfd(fd, vm.dev_fd, DB_ADDR(0), 4, 0, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, __mshv_ioeventfd(fd, efd, DB_ADDR(0), 4, DEASSIGN, 0));
	EXPECT_EQ(ENOENT, errno);

	/* Same address and length: a wildcard collides with everything. */
	ASSERT_EQ(0, __mshv_ioeventfd(fd, efd, DB_ADDR(0), 4, 0, 0));
	EXPECT_EQ(-1, __mshv_ioeventfd(fd, efd2, DB_ADDR(0), 4, 0, 0));
	EXPECT_EQ(EEXIST, errno);
	EXPECT_EQ(-1, __mshv_ioeventfd(fd, efd2, DB_ADDR(0), 4, DM, 7));
	EXPECT_EQ(EEXIST, errno);
	/* Another length or address is another doorbell. */
	EXPECT_EQ(0, __mshv_ioeventfd(fd, efd2, DB_ADDR(0), 8, 0, 0));
	EXPECT_EQ(0, __mshv_ioeventfd(fd, efd2, DB_ADDR(0) + 4, 4, 0, 0));
	EXPECT_EQ(0, __mshv_ioeventfd(fd, efd, DB_ADDR(0), 0, DM, 1));

	/* Datamatch: distinct values coexist, equal ones and wildcards not. */
	EXPECT_EQ(0, __mshv_ioeventfd(fd, efd, DB_ADDR(1), 2, DM, 1));
	EXPECT_EQ(0, __mshv_ioeventfd(fd, efd2, DB_ADDR(1), 2, DM, 2));
	EXPECT_EQ(-1, __mshv_ioeventfd(fd, efd2, DB_ADDR(1), 2, DM, 1));
	EXPECT_EQ(EEXIST, errno);
	EXPECT_EQ(-1, __mshv_ioeventfd(fd, efd2, DB_ADDR(1), 2, 0, 0));
	EXPECT_EQ(EEXIST, errno);

	/* Deassign must name eventfd, address, length and datamatch. */
	EXPECT_EQ(-1, __mshv_ioeventfd(fd, efd, DB_ADDR(1), 2, DM | DEASSIGN, 2));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, __mshv_ioeventfd(fd, efd, DB_ADDR(1), 2, DEASSIGN, 0));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, __mshv_ioeventfd(fd, efd, DB_ADDR(1), 4, DM | DEASSIGN, 1));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, __mshv_ioeventfd(fd, efd2, DB_ADDR(0), 4, DEASSIGN, 0));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(0, __mshv_ioeventfd(fd, efd, DB_ADDR(1), 2, DM | DEASSIGN, 1));
	EXPECT_EQ(-1, __mshv_ioeventfd(fd, efd, DB_ADDR(1), 2, DM | DEASSIGN, 1));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(0, __mshv_ioeventfd(fd, efd, DB_ADDR(0), 4, DEASSIGN, 0));
	/* Gone: the place is free again. */
	EXPECT_EQ(0, __mshv_ioeventfd(fd, efd2, DB_ADDR(0), 4, DM, 7));
	EXPECT_EQ(-1, __mshv_ioeventfd(fd, efd, DB_ADDR(1), 2, 0, 0));
	EXPECT_EQ(EEXIST, errno);

	/* Live ioeventfds go with the partition. */
	close(efd);
	close(efd2);
	mshv_vm_destroy(&vm);
}

/*
 * hvsim's fault injection fails one hypercall of the assign or deassign
 * path: a failed assign leaves nothing behind (the port is deleted again,
 * the doorbell can be assigned right away), failed teardown calls are
 * retried.
 */
TEST(assign_failures)
{
	static const struct {
		__u16 code;
		__u16 undo;	/* call that must follow, or 0 */
	} fails[] = {
		{ HVCALL_CREATE_PORT, 0 },
		{ HVCALL_CONNECT_PORT, HVCALL_DELETE_PORT },
	};
	long before, del, disc;
	struct mshv_vm vm;
	unsigned int i;
	int efd, fd;

	MSHV_REQUIRE_DEV();
	if (write_debugfs("fault/fail_nth", 0))
		SKIP(return, "hvsim fault injection not available");
	mshv_vm_create(&vm, false);
	efd = new_efd();
	fd = vm.fd;

	for (i = 0; i < ARRAY_SIZE(fails); i++) {
		before = fails[i].undo ?
			 hvsim_hypercall_count(fails[i].undo) : 0;
		ASSERT_EQ(0, write_debugfs("fault/fail_status",
					   HV_STATUS_INVALID_PARAMETER));
		ASSERT_EQ(0, write_debugfs("fault/fail_code", fails[i].code));
		ASSERT_EQ(0, write_debugfs("fault/fail_nth", 1));
		EXPECT_EQ(-1, __mshv_ioeventfd(fd, efd, DB_ADDR(0), 4, 0, 0));
		EXPECT_EQ(EINVAL, errno);
		if (fails[i].undo)
			EXPECT_EQ(before + 1,
				  hvsim_hypercall_count(fails[i].undo));
		/* Nothing was left: the same doorbell is free. */
		EXPECT_EQ(-1, __mshv_ioeventfd(fd, efd, DB_ADDR(0), 4, DEASSIGN, 0));
		EXPECT_EQ(ENOENT, errno);
		EXPECT_EQ(0, __mshv_ioeventfd(fd, efd, DB_ADDR(0), 4, 0, 0));
		EXPECT_EQ(0, __mshv_ioeventfd(fd, efd, DB_ADDR(0), 4, DEASSIGN, 0));
	}

	/* Teardown calls that fail once are retried. */
	ASSERT_EQ(0, __mshv_ioeventfd(fd, efd, DB_ADDR(0), 4, 0, 0));
	del = hvsim_hypercall_count(HVCALL_DELETE_PORT);
	disc = hvsim_hypercall_count(HVCALL_DISCONNECT_PORT);
	ASSERT_EQ(0, write_debugfs("fault/fail_code", HVCALL_DISCONNECT_PORT));
	ASSERT_EQ(0, write_debugfs("fault/fail_nth", 1));
	EXPECT_EQ(0, __mshv_ioeventfd(fd, efd, DB_ADDR(0), 4, DEASSIGN, 0));
	EXPECT_EQ(disc + 2, hvsim_hypercall_count(HVCALL_DISCONNECT_PORT));
	EXPECT_EQ(del + 1, hvsim_hypercall_count(HVCALL_DELETE_PORT));

	ASSERT_EQ(0, __mshv_ioeventfd(fd, efd, DB_ADDR(0), 4, 0, 0));
	del = hvsim_hypercall_count(HVCALL_DELETE_PORT);
	ASSERT_EQ(0, write_debugfs("fault/fail_code", HVCALL_DELETE_PORT));
	ASSERT_EQ(0, write_debugfs("fault/fail_nth", 1));
	EXPECT_EQ(0, __mshv_ioeventfd(fd, efd, DB_ADDR(0), 4, DEASSIGN, 0));
	EXPECT_EQ(del + 2, hvsim_hypercall_count(HVCALL_DELETE_PORT));

	write_debugfs("fault/fail_nth", 0);
	write_debugfs("fault/fail_status", HV_STATUS_INSUFFICIENT_MEMORY);
	close(efd);
	mshv_vm_destroy(&vm);
}

/* ------------------------------------------------------------------ */

FIXTURE(db) {
	struct vm64 vm;
	struct db_job *job;
	bool created;
};

FIXTURE_VARIANT(db) {
	__u32 len;	/* ioeventfd length; 0 = any */
	__u64 size;	/* the guest's access size */
	__u64 other;	/* another access size */
	__u64 v1, v2, v3;
};

FIXTURE_VARIANT_ADD(db, len1) {
	.len = 1, .size = 1, .other = 2, .v1 = 0x5a, .v2 = 0xa5, .v3 = 0x01,
};

FIXTURE_VARIANT_ADD(db, len2) {
	.len = 2, .size = 2, .other = 4,
	.v1 = 0x1234, .v2 = 0xfedc, .v3 = 0x0012,
};

FIXTURE_VARIANT_ADD(db, len4) {
	.len = 4, .size = 4, .other = 8,
	.v1 = 0xcafef00d, .v2 = 0x80000001, .v3 = 0xf00d,
};

FIXTURE_VARIANT_ADD(db, len8) {
	.len = 8, .size = 8, .other = 4,
	.v1 = 0x8000000180000001ULL, .v2 = 0x0123456789abcdefULL,
	.v3 = 0x80000001ULL,
};

FIXTURE_VARIANT_ADD(db, any_len) {
	.len = 0, .size = 4, .other = 1, .v1 = 0x11, .v2 = 0x22, .v3 = 0x33,
};

/* A partition running guest_db_loop(), and its mailbox. */
static void db_vm_create(struct vm64 *vm, struct db_job **job)
{
	vm64_create(vm, guest_db_loop);
	TEST_ASSERT(DB_BASE > vm->ram_size, "RAM reaches the doorbells");
	*job = vm64_gpa_ptr(vm, (__u64)(unsigned long)&db_job,
			    sizeof(db_job));
}

FIXTURE_SETUP(db)
{
	self->created = false;
	MSHV_REQUIRE_DEV();
	db_vm_create(&self->vm, &self->job);
	self->created = true;
}

FIXTURE_TEARDOWN(db)
{
	if (self->created)
		vm64_destroy(&self->vm);
}

/* The same without variants, for the tests one length is enough for. */
FIXTURE(db1) {
	struct vm64 vm;
	struct db_job *job;
	bool created;
};

FIXTURE_SETUP(db1)
{
	self->created = false;
	MSHV_REQUIRE_DEV();
	db_vm_create(&self->vm, &self->job);
	self->created = true;
}

FIXTURE_TEARDOWN(db1)
{
	if (self->created)
		vm64_destroy(&self->vm);
}

TEST_F(db, datamatch)
{
	int fd = self->vm.vm.fd, e1 = new_efd(), e2 = new_efd(), e3 = new_efd();
	__u64 size = variant->size, a0 = DB_ADDR(0), a1 = DB_ADDR(1);
	long rung = hvsim_counter("doorbells");

	ASSERT_EQ(0, __mshv_ioeventfd(fd, e1, a0, variant->len, DM, variant->v1));
	ASSERT_EQ(0, __mshv_ioeventfd(fd, e2, a0, variant->len, DM, variant->v2));
	ASSERT_EQ(0, __mshv_ioeventfd(fd, e3, a1, variant->len, 0, 0));

	/* Hits: no exit, each to its own eventfd. */
	EXPECT_EQ(0U, run_job(&self->vm, self->job, a0, size, variant->v1, 5));
	EXPECT_EQ(5ULL, efd_take(e1));
	EXPECT_EQ(0ULL, efd_take(e2));
	EXPECT_EQ(0U, run_job(&self->vm, self->job, a0, size, variant->v2, 3));
	EXPECT_EQ(3ULL, efd_take(e2));
	EXPECT_EQ(0ULL, efd_take(e1));

	/* Datamatch misses exit to the VMM and signal nothing. */
	EXPECT_EQ(2U, run_job(&self->vm, self->job, a0, size, variant->v3, 2));
	EXPECT_EQ(0ULL, efd_take(e1));
	EXPECT_EQ(0ULL, efd_take(e2));

	/* Wildcard: any value; another size only if the length is any. */
	EXPECT_EQ(0U, run_job(&self->vm, self->job, a1, size, variant->v3, 4));
	EXPECT_EQ(0U, run_job(&self->vm, self->job, a1, size, variant->v1, 1));
	EXPECT_EQ(5ULL, efd_take(e3));
	EXPECT_EQ(variant->len ? 2U : 0U,
		  run_job(&self->vm, self->job, a1, variant->other,
			  variant->v1, 2));
	EXPECT_EQ(variant->len ? 0ULL : 2ULL, efd_take(e3));
	/* Next to a doorbell is not the doorbell. */
	EXPECT_EQ(1U, run_job(&self->vm, self->job, a1 + 8, size,
			      variant->v1, 1));
	EXPECT_EQ(0ULL, efd_take(e3));
	if (rung >= 0)
		EXPECT_EQ(rung + 13 + (variant->len ? 0 : 2),
			  hvsim_counter("doorbells"));

	/* Deassigned: the writes exit again, the other value still rings. */
	ASSERT_EQ(0, __mshv_ioeventfd(fd, e1, a0, variant->len, DM | DEASSIGN,
			       variant->v1));
	EXPECT_EQ(2U, run_job(&self->vm, self->job, a0, size, variant->v1, 2));
	EXPECT_EQ(0ULL, efd_take(e1));
	EXPECT_EQ(0U, run_job(&self->vm, self->job, a0, size, variant->v2, 1));
	EXPECT_EQ(1ULL, efd_take(e2));

	finish(&self->vm, self->job);
	close(e1);
	close(e2);
	close(e3);
}

/* ------------------------------------------------------------------ */

/*
 * Close partitions with live ioeventfds.  Even iterations close the
 * partition fd first: from then on the doorbells are gone, so the still
 * running VP's writes exit.  Nothing may be left in hvsim afterwards.
 */
TEST(close_live)
{
	long partitions = hvsim_counter("partitions");
	unsigned int i, n;
	struct vm64 vm;
	int efd[4];

	MSHV_REQUIRE_DEV();
	for (i = 0; i < 16; i++) {
		struct db_job *job;

		vm64_create(&vm, guest_db_loop);
		job = vm64_gpa_ptr(&vm, (__u64)(unsigned long)&db_job,
				   sizeof(db_job));
		for (n = 0; n < 4; n++) {
			efd[n] = new_efd();
			ASSERT_EQ(0, __mshv_ioeventfd(vm.vm.fd, efd[n], DB_ADDR(n),
					       n ? 8 : 0, 0, 0));
		}
		EXPECT_EQ(0U, run_job(&vm, job, DB_ADDR(1), 8, i, 3));
		EXPECT_EQ(3ULL, efd_take(efd[1]));
		if (i % 2 == 0) {
			mshv_vm_destroy(&vm.vm);
			EXPECT_EQ(3U, run_job(&vm, job, DB_ADDR(1), 8, i, 3));
			EXPECT_EQ(0ULL, efd_take(efd[1]));
		}
		/* Half the eventfds die before the partition. */
		for (n = 0; n < 4; n += 2)
			close(efd[n]);
		vm64_destroy(&vm);
		for (n = 1; n < 4; n += 2)
			close(efd[n]);
	}
	if (partitions >= 0)
		EXPECT_EQ(partitions, hvsim_counter("partitions"));
}

/* ------------------------------------------------------------------ */

/*
 * With the root kept from draining, 200 writes overfill the 63-slot ring
 * of the CPU(s) the VP ran on.  Once released, the driver drains, calls
 * NOTIFY_PORT_RING_EMPTY, drains what hvsim held back: every write is
 * accounted for, except that hvsim merges the signals of one port that
 * wait for a full ring (so one CPU yields 63 + 1).
 */
TEST_F(db1, ring_full)
{
	int fd = self->vm.vm.fd, efd = new_efd();
	long full, rung;
	__u64 got;
	long notify;

	if (write_hold(0))
		SKIP(return, "hvsim doorbell_hold not writable");
	full = hvsim_counter("ring_full");
	rung = hvsim_counter("doorbells");
	notify = hvsim_hypercall_count(HVCALL_NOTIFY_PORT_RING_EMPTY);

	ASSERT_EQ(0, __mshv_ioeventfd(fd, efd, DB_ADDR(2), 4, 0, 0));
	ASSERT_EQ(0, write_hold(1));
	EXPECT_EQ(0U, run_job(&self->vm, self->job, DB_ADDR(2), 4, 1, 200));
	/* Held: nothing reached the eventfd. */
	EXPECT_EQ(0ULL, efd_take(efd));
	ASSERT_EQ(0, write_hold(0));
	got = efd_take(efd);
	EXPECT_GE(got, 64ULL);
	EXPECT_LE(got, 200ULL);
	EXPECT_LT(full, hvsim_counter("ring_full"));
	EXPECT_EQ(rung + 200, hvsim_counter("doorbells"));
	EXPECT_LT(notify, hvsim_hypercall_count(HVCALL_NOTIFY_PORT_RING_EMPTY));
	TH_LOG("200 doorbells into a held ring: %llu signals after release",
	       (unsigned long long)got);

	/* The ring works on, one signal per write. */
	EXPECT_EQ(0U, run_job(&self->vm, self->job, DB_ADDR(2), 4, 2, 100));
	EXPECT_EQ(100ULL, efd_take(efd));
	finish(&self->vm, self->job);
	close(efd);
}

/* ------------------------------------------------------------------ */

/*
 * Best effort: keep the VMM threads apart, so that a guest spinning in
 * one does not delay the other by a scheduler tick.
 */
static void pin_to_cpu(int cpu)
{
	cpu_set_t set;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

struct acker {
	int efd;
	struct db_job *job;
	__u64 n;
	__u64 *lat;
	int err;
};

/*
 * VMM side of the round trip: take each signal, note how long after the
 * guest's write it became readable (TSC), acknowledge it in the guest.
 */
static void *acker_fn(void *arg)
{
	struct acker *a = arg;
	__u64 seen = 0, v, t;

	pin_to_cpu(1);

	while (seen < a->n) {
		if (read(a->efd, &v, sizeof(v)) != sizeof(v)) {
			a->err = errno;
			break;
		}
		t = __builtin_ia32_rdtsc();
		a->lat[seen] = t - __atomic_load_n(&a->job->tsc,
						   __ATOMIC_ACQUIRE);
		seen += v;
		__atomic_store_n(&a->job->ack, seen, __ATOMIC_RELEASE);
	}
	return NULL;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

/* Print min/median/p90/max of @n TSC deltas in microseconds. */
static void print_lat(const char *what, __u64 *lat, __u64 n, double ns_per_tsc)
{
	qsort(lat, n, sizeof(*lat), cmp_u64);
	printf("# %s: min %.1f median %.1f p90 %.1f max %.1f us (%llu samples)\n",
	       what, lat[0] * ns_per_tsc / 1e3, lat[n / 2] * ns_per_tsc / 1e3,
	       lat[n * 9 / 10] * ns_per_tsc / 1e3,
	       lat[n - 1] * ns_per_tsc / 1e3, (unsigned long long)n);
}

/*
 * Latency of a guest write until the VMM has it: through a doorbell
 * (until a VMM thread's read() of the eventfd returns; the guest then
 * waits for that thread's acknowledgement before the next write), and
 * through an MMIO exit (until MSHV_RUN_VP returns with it).  Uses the
 * guest's TSC, which hvsim takes from the host's.  Prints both, and the
 * cost of a doorbell write when nobody waits for it.
 */
TEST_F(db1, roundtrip)
{
	__u64 n = 500, i, *lat_db, *lat_exit;
	struct acker a = { .job = self->job, .n = n };
	double t0, t1, t_burst, ns_per_tsc;
	cpu_set_t old_set;
	__u64 c0, c1;
	pthread_t thr;

	lat_db = calloc(n, sizeof(*lat_db));
	lat_exit = calloc(n, sizeof(*lat_exit));
	ASSERT_TRUE(lat_db && lat_exit);
	a.lat = lat_db;
	ASSERT_EQ(0, sched_getaffinity(0, sizeof(old_set), &old_set));
	/* Root scheduler: the guest runs in this thread. */
	pin_to_cpu(0);
	a.efd = eventfd(0, EFD_CLOEXEC);
	ASSERT_GE(a.efd, 0);
	ASSERT_EQ(0, __mshv_ioeventfd(self->vm.vm.fd, a.efd, DB_ADDR(3), 8, 0, 0));

	t0 = now_ns();
	c0 = __builtin_ia32_rdtsc();
	self->job->addr = DB_ADDR(3);
	self->job->size = 8;
	self->job->value = 1;
	self->job->count = n;
	self->job->ack = 0;
	self->job->roundtrip = 1;
	ASSERT_EQ(0, pthread_create(&thr, NULL, acker_fn, &a));
	vm64_expect_sync(&self->vm, 2);
	pthread_join(thr, NULL);
	EXPECT_EQ(0, a.err);
	EXPECT_EQ(n, self->vm.uc.args[0]);

	/* The same writes, to an address without doorbell: MMIO exits. */
	self->job->addr = DB_ADDR(4);
	self->job->roundtrip = 0;
	for (i = 0; i < n; i++) {
		struct vm64_mmio acc;

		ASSERT_EQ((unsigned int)UCALL_NONE, vm64_run(&self->vm));
		lat_exit[i] = __builtin_ia32_rdtsc() - self->job->tsc;
		ASSERT_EQ(HVMSG_UNMAPPED_GPA, self->vm.msg.header.message_type);
		ASSERT_TRUE(vm64_decode_mmio(&self->vm, &acc));
		vm64_complete_mmio(&self->vm, &acc, 0);
	}
	vm64_expect_sync(&self->vm, 2);

	/* Doorbells without waiting for the VMM: the guest never stops. */
	t_burst = now_ns();
	EXPECT_EQ(0U, run_job(&self->vm, self->job, DB_ADDR(3), 8, 1, n));
	t_burst = now_ns() - t_burst;
	EXPECT_EQ(n, efd_take(a.efd));

	c1 = __builtin_ia32_rdtsc();
	t1 = now_ns();
	ns_per_tsc = (t1 - t0) / (double)(c1 - c0);

	print_lat("guest write -> eventfd read (doorbell)", lat_db, n,
		  ns_per_tsc);
	print_lat("guest write -> MSHV_RUN_VP return (MMIO exit)", lat_exit,
		  n, ns_per_tsc);
	printf("# %llu doorbell writes in one run: %.1f us per write\n",
	       (unsigned long long)n, t_burst / n / 1e3);
	/* Sane clocks: every sample is positive and below a second. */
	EXPECT_LT(lat_db[n - 1] * ns_per_tsc, 1e9);
	EXPECT_LT(lat_exit[n - 1] * ns_per_tsc, 1e9);
	finish(&self->vm, self->job);
	sched_setaffinity(0, sizeof(old_set), &old_set);
	close(a.efd);
	free(lat_db);
	free(lat_exit);
}

TEST_HARNESS_MAIN
