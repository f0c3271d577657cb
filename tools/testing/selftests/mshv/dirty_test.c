// SPDX-License-Identifier: GPL-2.0
/*
 * Dirty page tracking: the GPA_PAGE_ACCESS_TRACKING partition property and
 * MSHV_GET_GPAP_ACCESS_BITMAP, on hvsim's accessed/dirty bits.
 *
 * dirty_exact: a 64-bit guest writes and reads exact sets of pages of its
 * scratch area; the DIRTY bitmap must equal the written set, the ACCESSED
 * bitmap the written and read ones, CLEAR must reset and SET must set,
 * a second round must show only its own writes, and tracking can only be
 * disabled after SET (the rule VMMs follow for the Microsoft Hypervisor).
 * The other tests need no guest: batching over more pages than one
 * hypercall carries, bitmap tails, the upstream errnos, and what the
 * hypervisor refuses.  Everything fails if the ioctl or the hypervisor's
 * access states are missing.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "vm64.h"
#include "dirty.h"

#define TRACKING	HV_PARTITION_PROPERTY_GPA_PAGE_ACCESS_TRACKING
#define ACCESSED	MSHV_GPAP_ACCESS_TYPE_ACCESSED
#define DIRTY		MSHV_GPAP_ACCESS_TYPE_DIRTY
#define NOOP		MSHV_GPAP_ACCESS_OP_NOOP
#define CLEAR		MSHV_GPAP_ACCESS_OP_CLEAR
#define SET		MSHV_GPAP_ACCESS_OP_SET

/* Pages of the batching test: more than one hypercall's 4032 states. */
#define BIG_GPA		0x40000000ULL
#define BIG_PAGES	5000ULL

static int gpap(int fd, __u8 type, __u8 op, __u64 gfn, __u64 count,
		void *bitmap)
{
	struct mshv_gpap_access_bitmap args = {
		.access_type = type,
		.access_op = op,
		.page_count = count,
		.gpap_base = gfn,
		.bitmap_ptr = (__u64)(unsigned long)bitmap,
	};

	return ioctl(fd, MSHV_GET_GPAP_ACCESS_BITMAP, &args);
}

/* The bitmap of the 64-page scratch area, as a mask (bit n = page n). */
static __u64 area_bits(struct __test_metadata *_metadata, int fd, __u8 type,
		       __u8 op)
{
	__u8 bytes[DIRTY_AREA_PAGES / 8];
	__u64 mask = 0;
	unsigned int i;

	memset(bytes, 0xa5, sizeof(bytes));
	EXPECT_EQ(0, gpap(fd, type, op, DIRTY_AREA_GPA / DIRTY_PAGE_SIZE,
			  DIRTY_AREA_PAGES, bytes));
	for (i = 0; i < sizeof(bytes); i++)
		mask |= (__u64)bytes[i] << (8 * i);
	return mask;
}

static __u64 page_mask(const unsigned int *pages, unsigned int n)
{
	__u64 mask = 0;

	while (n--)
		mask |= 1ULL << pages[n];
	return mask;
}

#define PAGE_MASK_OF(list) ({						\
		static const unsigned int __p[] = list;			\
		page_mask(__p, ARRAY_SIZE(__p));			\
	})

/* One bit of a bitmap buffer. */
static bool bit(const __u8 *bitmap, __u64 n)
{
	return bitmap[n / 8] & (1U << (n % 8));
}

static int set_tracking(int fd, __u64 value, __u16 *status)
{
	return __mshv_set_property(fd, TRACKING, value, status);
}

TEST(dirty_exact)
{
	__u64 w1 = PAGE_MASK_OF(DIRTY_W1), r1 = PAGE_MASK_OF(DIRTY_R1);
	__u64 w2 = PAGE_MASK_OF(DIRTY_W2);
	__u64 ram_pages, stack_page, i;
	__u8 *ram_bits;
	struct vm64 vm;
	__u16 st = 0;
	int fd;

	vm.vm.fd = -1;
	vm.vm.dev_fd = -1;
	vm.vcpu.fd = -1;
	MSHV_REQUIRE_DEV();
	vm64_create(&vm, guest_dirty);
	fd = vm.vm.fd;
	ram_pages = vm.ram_size / DIRTY_PAGE_SIZE;
	ram_bits = calloc(1, ram_pages / 8);
	ASSERT_NE(NULL, ram_bits);

	/* Freshly mapped memory starts accessed and dirty. */
	EXPECT_EQ(~0ULL, area_bits(_metadata, fd, DIRTY, NOOP));
	EXPECT_EQ(0ULL, mshv_get_property(fd, TRACKING));
	mshv_set_property(fd, TRACKING, 1);
	EXPECT_EQ(1ULL, mshv_get_property(fd, TRACKING));

	/* Clear both bits of all RAM: CLEAR of ACCESSED clears DIRTY too. */
	ASSERT_EQ(0, gpap(fd, ACCESSED, CLEAR, 0, ram_pages, ram_bits));
	EXPECT_EQ(0xff, ram_bits[0]);
	EXPECT_EQ(0ULL, area_bits(_metadata, fd, DIRTY, NOOP));
	EXPECT_EQ(0ULL, area_bits(_metadata, fd, ACCESSED, NOOP));

	vm64_expect_sync(&vm, 2);
	EXPECT_EQ(1ULL, vm.uc.args[0]);
	/* Exactly the pages written; the read ones are accessed only. */
	EXPECT_EQ(w1, area_bits(_metadata, fd, DIRTY, NOOP));
	EXPECT_EQ(w1 | r1, area_bits(_metadata, fd, ACCESSED, NOOP));

	/* Outside the area: the stack was written, the page tables walked. */
	ASSERT_EQ(0, gpap(fd, DIRTY, NOOP, 0, ram_pages, ram_bits));
	stack_page = (X64_STACK_TOP - 8) / DIRTY_PAGE_SIZE;
	EXPECT_TRUE(bit(ram_bits, stack_page));
	ASSERT_EQ(0, gpap(fd, ACCESSED, NOOP, 0, ram_pages, ram_bits));
	EXPECT_TRUE(bit(ram_bits, X64_PML4_GPA / DIRTY_PAGE_SIZE));
	EXPECT_TRUE(bit(ram_bits, X64_PT_GPA / DIRTY_PAGE_SIZE));
	/* The untouched upper half of the scratch space stays clean. */
	for (i = (DIRTY_AREA_GPA / DIRTY_PAGE_SIZE) + DIRTY_AREA_PAGES;
	     i < X64_SCRATCH_END / DIRTY_PAGE_SIZE; i++)
		EXPECT_FALSE(bit(ram_bits, i));

	/* CLEAR returns the bits as they were, then they are gone. */
	EXPECT_EQ(w1, area_bits(_metadata, fd, DIRTY, CLEAR));
	EXPECT_EQ(0ULL, area_bits(_metadata, fd, DIRTY, NOOP));
	/* Clearing DIRTY leaves ACCESSED alone. */
	EXPECT_EQ(w1 | r1, area_bits(_metadata, fd, ACCESSED, CLEAR));
	EXPECT_EQ(0ULL, area_bits(_metadata, fd, ACCESSED, NOOP));

	/* Round 2 sees only its own writes. */
	vm64_expect_sync(&vm, 2);
	EXPECT_EQ(2ULL, vm.uc.args[0]);
	EXPECT_EQ(0x2000ULL, vm.uc.args[1]);
	EXPECT_EQ(w2, area_bits(_metadata, fd, DIRTY, NOOP));
	EXPECT_EQ(w2, area_bits(_metadata, fd, ACCESSED, NOOP));

	/* SET of DIRTY sets ACCESSED too; the op comes after the read. */
	EXPECT_EQ(w2, area_bits(_metadata, fd, DIRTY, SET));
	EXPECT_EQ(~0ULL, area_bits(_metadata, fd, DIRTY, NOOP));
	EXPECT_EQ(~0ULL, area_bits(_metadata, fd, ACCESSED, NOOP));
	/* SET of ACCESSED alone leaves DIRTY clear. */
	EXPECT_EQ(~0ULL, area_bits(_metadata, fd, ACCESSED, CLEAR));
	EXPECT_EQ(0ULL, area_bits(_metadata, fd, DIRTY, NOOP));
	EXPECT_EQ(0ULL, area_bits(_metadata, fd, ACCESSED, SET));
	EXPECT_EQ(~0ULL, area_bits(_metadata, fd, ACCESSED, NOOP));
	EXPECT_EQ(0ULL, area_bits(_metadata, fd, DIRTY, NOOP));

	/* Disabling needs every page dirty first. */
	EXPECT_EQ(-1, set_tracking(fd, 0, &st));
	EXPECT_EQ(EIO, errno);
	EXPECT_EQ(HV_STATUS_INVALID_PARTITION_STATE, st);
	EXPECT_EQ(1ULL, mshv_get_property(fd, TRACKING));
	ASSERT_EQ(0, gpap(fd, DIRTY, SET, 0, ram_pages, ram_bits));
	EXPECT_EQ(0, set_tracking(fd, 0, &st));
	EXPECT_EQ(0ULL, mshv_get_property(fd, TRACKING));
	/* Only 0 and 1 are values (large-page granularity is not modelled). */
	EXPECT_EQ(-1, set_tracking(fd, 2, &st));
	EXPECT_EQ(HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE, st);

	/* With tracking off, guest writes are not recorded... */
	EXPECT_EQ(~0ULL, area_bits(_metadata, fd, ACCESSED, CLEAR));
	vm64_expect_sync(&vm, 2);
	EXPECT_EQ(3ULL, vm.uc.args[0]);
	EXPECT_EQ(0x3000ULL, vm.uc.args[1]);
	EXPECT_EQ(0ULL, area_bits(_metadata, fd, DIRTY, NOOP));
	EXPECT_EQ(0ULL, area_bits(_metadata, fd, ACCESSED, NOOP));
	/* ...and enabling it again leaves the bits as they are. */
	mshv_set_property(fd, TRACKING, 1);
	EXPECT_EQ(0ULL, area_bits(_metadata, fd, DIRTY, NOOP));

	vm64_expect_done(&vm);
	free(ram_bits);
	vm64_destroy(&vm);
}

struct guest_runner {
	struct vm64 *vm;
	unsigned int cmd;
	bool done;
};

static void *run_guest(void *arg)
{
	struct guest_runner *r = arg;

	r->cmd = vm64_run(r->vm);
	__atomic_store_n(&r->done, true, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * Pre-copy migration while the guest runs: copy the area, then keep
 * copying the pages the DIRTY bitmap (with CLEAR) reports until the guest
 * is done, and once more after.  The copy must equal the guest's memory:
 * no write may fall between a report and its clear.  The guest runs in
 * another thread (its VP in hvsim's thread under the hyp scheduler),
 * so fetches and guest writes really interleave.
 */
TEST(dirty_concurrent)
{
	const size_t len = DIRTY_AREA_PAGES * DIRTY_PAGE_SIZE;
	__u64 bits;
	struct guest_runner r = { 0 };
	unsigned int rounds = 0, copied = 0, n;
	struct vm64 vm;
	pthread_t thread;
	__u8 *mem, *copy;
	bool last = false;

	vm.vm.fd = -1;
	vm.vm.dev_fd = -1;
	vm.vcpu.fd = -1;
	MSHV_REQUIRE_DEV();
	vm64_create(&vm, guest_dirty_loop);
	mem = vm64_gpa_ptr(&vm, DIRTY_AREA_GPA, len);
	copy = malloc(len);
	ASSERT_NE(NULL, copy);

	mshv_set_property(vm.vm.fd, TRACKING, 1);
	area_bits(_metadata, vm.vm.fd, DIRTY, CLEAR);
	memcpy(copy, mem, len);

	r.vm = &vm;
	ASSERT_EQ(0, pthread_create(&thread, NULL, run_guest, &r));
	while (!last) {
		last = __atomic_load_n(&r.done, __ATOMIC_ACQUIRE);
		bits = area_bits(_metadata, vm.vm.fd, DIRTY, CLEAR);
		for (n = 0; n < DIRTY_AREA_PAGES; n++) {
			if (!(bits & (1ULL << n)))
				continue;
			memcpy(copy + n * DIRTY_PAGE_SIZE,
			       mem + n * DIRTY_PAGE_SIZE, DIRTY_PAGE_SIZE);
			copied++;
		}
		rounds++;
	}
	ASSERT_EQ(0, pthread_join(thread, NULL));
	TH_LOG("%u fetches, %u page copies", rounds, copied);
	vm64_check_ucall(&vm);
	EXPECT_EQ((unsigned int)UCALL_DONE, r.cmd);
	for (n = 0; n < DIRTY_AREA_PAGES; n++)
		EXPECT_EQ(0, memcmp(copy + n * DIRTY_PAGE_SIZE,
				    mem + n * DIRTY_PAGE_SIZE,
				    DIRTY_PAGE_SIZE)) {
			TH_LOG("page %u differs", n);
		}
	/* The guest's last iteration is in the copy, not only in memory. */
	EXPECT_EQ((__u64)DIRTY_LOOP_ITERS,
		  *(__u64 *)(copy + DIRTY_LOOP_ITERS * 8 % DIRTY_PAGE_SIZE));
	free(copy);
	vm64_destroy(&vm);
}

FIXTURE(gpap)
{
	struct mshv_vm vm;
	void *mem;
	__u8 *bitmap;
};

FIXTURE_SETUP(gpap)
{
	self->vm.fd = -1;
	self->vm.dev_fd = -1;
	self->mem = NULL;
	self->bitmap = NULL;
	MSHV_REQUIRE_DEV();
	mshv_vm_create(&self->vm, false);
	self->mem = mshv_map_guest_mem(self->vm.fd, BIG_GPA,
				       BIG_PAGES * DIRTY_PAGE_SIZE);
	/* One spare byte past the bitmap, to see that it is not written. */
	self->bitmap = calloc(1, BIG_PAGES / 8 + 2);
	ASSERT_NE(NULL, self->bitmap);
}

FIXTURE_TEARDOWN(gpap)
{
	mshv_vm_destroy(&self->vm);
	if (self->mem)
		munmap(self->mem, BIG_PAGES * DIRTY_PAGE_SIZE);
	free(self->bitmap);
}

/*
 * More pages than one hypercall reports: clear all, set a run across the
 * boundary of the driver's first batch (page 4032), read back exactly.
 */
TEST_F(gpap, batches)
{
	__u64 base = BIG_GPA / DIRTY_PAGE_SIZE, i;
	size_t len = (BIG_PAGES + 7) / 8;
	__u8 *b = self->bitmap;

	/* Fresh pages are accessed; CLEAR of ACCESSED clears DIRTY too. */
	memset(b, 0, len);
	ASSERT_EQ(0, gpap(self->vm.fd, ACCESSED, CLEAR, base, BIG_PAGES, b));
	for (i = 0; i < BIG_PAGES; i++)
		ASSERT_TRUE(bit(b, i));
	ASSERT_EQ(0, gpap(self->vm.fd, DIRTY, NOOP, base, BIG_PAGES, b));
	for (i = 0; i < len; i++)
		ASSERT_EQ(0, b[i]);

	ASSERT_EQ(0, gpap(self->vm.fd, DIRTY, SET, base + 4029, 7, b));
	EXPECT_EQ(0, b[0]);
	memset(b, 0xff, len + 2);
	ASSERT_EQ(0, gpap(self->vm.fd, DIRTY, NOOP, base, BIG_PAGES, b));
	for (i = 0; i < BIG_PAGES; i++)
		ASSERT_EQ(i >= 4029 && i < 4036, bit(b, i)) {
			TH_LOG("page %llu", (unsigned long long)i);
		}
	/* 5000 pages: the last byte holds 0 in its 8 - 5000 % 8 top bits... */
	EXPECT_EQ(0xff, b[len]);	/* ...and nothing past it is written */
	/* SET of DIRTY set ACCESSED too. */
	ASSERT_EQ(0, gpap(self->vm.fd, ACCESSED, NOOP, base + 4029, 7, b));
	EXPECT_EQ(0x7f, b[0]);

	/* An unaligned base and a count that ends mid-byte. */
	memset(b, 0xff, 4);
	ASSERT_EQ(0, gpap(self->vm.fd, DIRTY, NOOP, base + 4030, 3, b));
	EXPECT_EQ(0x07, b[0]);
	EXPECT_EQ(0xff, b[1]);
	ASSERT_EQ(0, gpap(self->vm.fd, DIRTY, NOOP, base + 4020, 20, b));
	EXPECT_EQ(0x00, b[0]);
	EXPECT_EQ(0xfe, b[1]);		/* pages 4029..4035 */
	EXPECT_EQ(0x00, b[2]);		/* and the top four bits are 0 */

	/* Pages with nothing mapped read as 0 and ignore the op. */
	memset(b, 0xff, 2);
	ASSERT_EQ(0, gpap(self->vm.fd, DIRTY, SET, base + BIG_PAGES, 16, b));
	EXPECT_EQ(0, b[0]);
	EXPECT_EQ(0, b[1]);
	ASSERT_EQ(0, gpap(self->vm.fd, DIRTY, NOOP, base + BIG_PAGES, 16, b));
	EXPECT_EQ(0, b[0]);
}

/* The errnos of the upstream driver, and no state change on them. */
TEST_F(gpap, bad_input)
{
	__u64 base = BIG_GPA / DIRTY_PAGE_SIZE;
	struct mshv_gpap_access_bitmap args = {
		.access_type = DIRTY,
		.access_op = NOOP,
		.page_count = 8,
		.gpap_base = base,
		.bitmap_ptr = (__u64)(unsigned long)self->bitmap,
	};
	struct mshv_gpap_access_bitmap bad;
	int fd = self->vm.fd;

	ASSERT_EQ(0, ioctl(fd, MSHV_GET_GPAP_ACCESS_BITMAP, &args));
	EXPECT_EQ(0xff, self->bitmap[0]);	/* fresh pages are dirty */

#define EXPECT_GPAP_ERRNO(err, field, value) do {			\
		bad = args;						\
		bad.field = value;					\
		EXPECT_EQ(-1, ioctl(fd, MSHV_GET_GPAP_ACCESS_BITMAP, &bad)); \
		EXPECT_EQ(err, errno);					\
	} while (0)

	EXPECT_GPAP_ERRNO(EINVAL, access_type, MSHV_GPAP_ACCESS_TYPE_COUNT);
	EXPECT_GPAP_ERRNO(EINVAL, access_op, MSHV_GPAP_ACCESS_OP_COUNT);
	EXPECT_GPAP_ERRNO(EINVAL, rsvd[5], 1);
	EXPECT_GPAP_ERRNO(EINVAL, page_count, 0);
	EXPECT_GPAP_ERRNO(EINVAL, bitmap_ptr, 0);
	/* Ranges that wrap or leave 52-bit GPA space. */
	EXPECT_GPAP_ERRNO(EINVAL, gpap_base, ~0ULL - 3);
	EXPECT_GPAP_ERRNO(EINVAL, gpap_base, 1ULL << 40);
	EXPECT_GPAP_ERRNO(EINVAL, page_count, (1ULL << 40) - base + 1);
	EXPECT_EQ(-1, ioctl(fd, MSHV_GET_GPAP_ACCESS_BITMAP, NULL));
	EXPECT_EQ(EFAULT, errno);

	/* An unwritable bitmap fails before anything is cleared. */
	args.access_op = CLEAR;
	EXPECT_GPAP_ERRNO(EFAULT, bitmap_ptr, 8);
	args.access_op = NOOP;
	self->bitmap[0] = 0;
	ASSERT_EQ(0, ioctl(fd, MSHV_GET_GPAP_ACCESS_BITMAP, &args));
	EXPECT_EQ(0xff, self->bitmap[0]);
#undef EXPECT_GPAP_ERRNO
}

/* What the hypervisor itself refuses, through the passthrough. */
TEST_F(gpap, hypercall_input)
{
	struct hv_input_get_gpa_pages_access_state in = {
		.hv_gpa_page_number = BIG_GPA / DIRTY_PAGE_SIZE,
	};
	__u8 out[16];
	__u16 st = 0;

	memset(out, 0xee, sizeof(out));
	ASSERT_EQ(0, __mshv_hvcall(self->vm.fd,
				   HVCALL_GET_GPA_PAGES_ACCESS_STATES, 16, &in,
				   sizeof(in), out, sizeof(out), &st));
	EXPECT_EQ(HV_GPA_PAGE_ACCESS_ACCESSED | HV_GPA_PAGE_ACCESS_DIRTY,
		  out[15]);

	in.flags = 1ULL << 4;
	EXPECT_EQ(-1, __mshv_hvcall(self->vm.fd,
				    HVCALL_GET_GPA_PAGES_ACCESS_STATES, 16, &in,
				    sizeof(in), out, sizeof(out), &st));
	EXPECT_EQ(HV_STATUS_INVALID_PARAMETER, st);
	in.flags = HV_GPA_PAGE_ACCESS_STATE_CLEAR_DIRTY |
		   HV_GPA_PAGE_ACCESS_STATE_SET_DIRTY;
	EXPECT_EQ(-1, __mshv_hvcall(self->vm.fd,
				    HVCALL_GET_GPA_PAGES_ACCESS_STATES, 16, &in,
				    sizeof(in), out, sizeof(out), &st));
	EXPECT_EQ(HV_STATUS_INVALID_PARAMETER, st);
	/* Nothing was cleared by the refused calls. */
	in.flags = 0;
	ASSERT_EQ(0, __mshv_hvcall(self->vm.fd,
				   HVCALL_GET_GPA_PAGES_ACCESS_STATES, 16, &in,
				   sizeof(in), out, sizeof(out), &st));
	EXPECT_EQ(HV_GPA_PAGE_ACCESS_ACCESSED | HV_GPA_PAGE_ACCESS_DIRTY,
		  out[0]);
}

TEST_HARNESS_MAIN
