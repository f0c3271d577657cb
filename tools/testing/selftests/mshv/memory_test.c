// SPDX-License-Identifier: GPL-2.0
/*
 * MSHV_SET_GUEST_MEMORY: mapping and unmapping guest RAM, validation of
 * the region, and that failures leave nothing behind.
 */
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mshv_util.h"

#define REGION_GPA	0x100000ULL
#define REGION_PAGES	8
#define REGION_SIZE	(REGION_PAGES * GUEST_PAGE_SIZE)
#define RWX		(BIT(MSHV_SET_MEM_BIT_WRITABLE) | \
			 BIT(MSHV_SET_MEM_BIT_EXECUTABLE))
#define UNMAP		BIT(MSHV_SET_MEM_BIT_UNMAP)

FIXTURE(mem) {
	struct mshv_vm vm;
	void *hva;
	struct mshv_user_mem_region region;
};

FIXTURE_SETUP(mem)
{
	self->vm.fd = -1;
	self->vm.dev_fd = -1;
	self->hva = MAP_FAILED;
	MSHV_REQUIRE_DEV();
	mshv_vm_create(&self->vm, true);
	self->hva = mshv_alloc_guest_mem(REGION_SIZE);
	self->region = (struct mshv_user_mem_region) {
		.size = REGION_SIZE,
		.guest_pfn = REGION_GPA / GUEST_PAGE_SIZE,
		.userspace_addr = (__u64)(unsigned long)self->hva,
		.flags = RWX,
	};
}

FIXTURE_TEARDOWN(mem)
{
	mshv_vm_destroy(&self->vm);
	if (self->hva != MAP_FAILED)
		munmap(self->hva, REGION_SIZE);
}

static int set_mem(int fd, const struct mshv_user_mem_region *region)
{
	return ioctl(fd, MSHV_SET_GUEST_MEMORY, region);
}

/* Expect @region to be rejected with @err, changing no mapping. */
static void expect_fail(struct __test_metadata *_metadata, int fd,
			const struct mshv_user_mem_region *region, int err)
{
	long before = hvsim_counter("mapped_pages");

	EXPECT_EQ(-1, set_mem(fd, region));
	EXPECT_EQ(err, errno);
	EXPECT_EQ(before, hvsim_counter("mapped_pages"));
}

TEST_F(mem, map_unmap)
{
	long before = hvsim_counter("mapped_pages");
	struct mshv_user_mem_region unmap = self->region;

	ASSERT_EQ(0, set_mem(self->vm.fd, &self->region));
	if (before >= 0)
		EXPECT_EQ(before + REGION_PAGES, hvsim_counter("mapped_pages"));
	unmap.flags = UNMAP;
	ASSERT_EQ(0, set_mem(self->vm.fd, &unmap));
	EXPECT_EQ(before, hvsim_counter("mapped_pages"));
	/* Once unmapped, the range is free again. */
	ASSERT_EQ(0, set_mem(self->vm.fd, &self->region));
	ASSERT_EQ(0, set_mem(self->vm.fd, &unmap));
}

TEST_F(mem, overlap_eexist)
{
	struct mshv_user_mem_region other = self->region;
	void *hva2 = mshv_alloc_guest_mem(REGION_SIZE);

	ASSERT_EQ(0, set_mem(self->vm.fd, &self->region));
	other.userspace_addr = (__u64)(unsigned long)hva2;
	expect_fail(_metadata, self->vm.fd, &other, EEXIST);
	other.guest_pfn += REGION_PAGES / 2;
	expect_fail(_metadata, self->vm.fd, &other, EEXIST);
	other.guest_pfn -= REGION_PAGES;
	expect_fail(_metadata, self->vm.fd, &other, EEXIST);
	/* Adjacent is fine. */
	other.guest_pfn = self->region.guest_pfn + REGION_PAGES;
	EXPECT_EQ(0, set_mem(self->vm.fd, &other));
	munmap(hva2, REGION_SIZE);
}

TEST_F(mem, bad_alignment_and_size)
{
	struct mshv_user_mem_region r = self->region;

	r.userspace_addr += 8;
	expect_fail(_metadata, self->vm.fd, &r, EINVAL);
	r = self->region;
	r.size = GUEST_PAGE_SIZE + GUEST_PAGE_SIZE / 2;
	expect_fail(_metadata, self->vm.fd, &r, EINVAL);
	r.size = 0;
	expect_fail(_metadata, self->vm.fd, &r, EINVAL);
}

TEST_F(mem, gfn_wraps)
{
	struct mshv_user_mem_region r = self->region;

	r.guest_pfn = ~0ULL - 1;	/* the last page would be pfn 2^64 + 5 */
	expect_fail(_metadata, self->vm.fd, &r, EINVAL);
	r.guest_pfn = ~0ULL;
	r.size = GUEST_PAGE_SIZE * 2;
	expect_fail(_metadata, self->vm.fd, &r, EINVAL);
}

TEST_F(mem, unknown_flags_and_rsvd)
{
	struct mshv_user_mem_region r = self->region;

	r.flags |= BIT(MSHV_SET_MEM_BIT_COUNT);
	expect_fail(_metadata, self->vm.fd, &r, EINVAL);
	r.flags = 0x80;
	expect_fail(_metadata, self->vm.fd, &r, EINVAL);
	r = self->region;
	r.rsvd[6] = 1;
	expect_fail(_metadata, self->vm.fd, &r, EINVAL);
}

/* Unmap must match a region exactly; a near miss changes nothing. */
TEST_F(mem, unmap_must_match)
{
	struct mshv_user_mem_region unmap = self->region;
	long mapped;

	ASSERT_EQ(0, set_mem(self->vm.fd, &self->region));
	mapped = hvsim_counter("mapped_pages");
	unmap.flags = UNMAP;

	unmap.size = GUEST_PAGE_SIZE;
	EXPECT_EQ(-1, set_mem(self->vm.fd, &unmap));
	EXPECT_TRUE(errno == ENOENT || errno == EINVAL);
	unmap.size = self->region.size;
	unmap.guest_pfn++;
	EXPECT_EQ(-1, set_mem(self->vm.fd, &unmap));
	EXPECT_TRUE(errno == ENOENT || errno == EINVAL);
	unmap.guest_pfn = self->region.guest_pfn + REGION_PAGES * 4;
	EXPECT_EQ(-1, set_mem(self->vm.fd, &unmap));
	EXPECT_TRUE(errno == ENOENT || errno == EINVAL);
	unmap.guest_pfn = self->region.guest_pfn;
	unmap.userspace_addr += GUEST_PAGE_SIZE;
	EXPECT_EQ(-1, set_mem(self->vm.fd, &unmap));
	EXPECT_TRUE(errno == ENOENT || errno == EINVAL);
	EXPECT_EQ(mapped, hvsim_counter("mapped_pages"));

	/* Still mapped: the exact unmap succeeds, once. */
	unmap = self->region;
	unmap.flags = UNMAP;
	EXPECT_EQ(0, set_mem(self->vm.fd, &unmap));
	EXPECT_EQ(-1, set_mem(self->vm.fd, &unmap));
}

/* A hole in the user range: EFAULT, and no page of the region stays. */
/* Pinning finds the hole at once (a movable region only on a fault). */
TEST_F(mem, failed_map_leaves_nothing)
{
	long before = hvsim_counter("mapped_pages");
	void *hole = (char *)self->hva + REGION_SIZE / 2;
	int movable = mshv_set_movable(self->vm.fd, false);
	void *good;

	ASSERT_EQ(0, munmap(hole, GUEST_PAGE_SIZE));
	expect_fail(_metadata, self->vm.fd, &self->region, EFAULT);
	if (movable >= 0)
		mshv_set_movable(self->vm.fd, movable);

	good = mshv_alloc_guest_mem(REGION_SIZE);
	self->region.userspace_addr = (__u64)(unsigned long)good;
	EXPECT_EQ(0, set_mem(self->vm.fd, &self->region));
	if (before >= 0)
		EXPECT_EQ(before + REGION_PAGES, hvsim_counter("mapped_pages"));
	self->region.flags = UNMAP;
	EXPECT_EQ(0, set_mem(self->vm.fd, &self->region));
	EXPECT_EQ(before, hvsim_counter("mapped_pages"));
	munmap(good, REGION_SIZE);
}

/* Several one-page regions side by side, each unmapped on its own. */
TEST_F(mem, many_regions)
{
	struct mshv_user_mem_region r = self->region;
	long before = hvsim_counter("mapped_pages");
	int i;

	r.size = GUEST_PAGE_SIZE;
	for (i = 0; i < REGION_PAGES; i += 2) {
		r.guest_pfn = self->region.guest_pfn + i;
		r.userspace_addr = self->region.userspace_addr +
				   i * GUEST_PAGE_SIZE;
		ASSERT_EQ(0, set_mem(self->vm.fd, &r));
	}
	if (before >= 0)
		EXPECT_EQ(before + REGION_PAGES / 2,
			  hvsim_counter("mapped_pages"));
	/* The region spanning them all overlaps every one. */
	expect_fail(_metadata, self->vm.fd, &self->region, EEXIST);
	r.flags = UNMAP;
	for (i = 0; i < REGION_PAGES; i += 2) {
		r.guest_pfn = self->region.guest_pfn + i;
		r.userspace_addr = self->region.userspace_addr +
				   i * GUEST_PAGE_SIZE;
		ASSERT_EQ(0, set_mem(self->vm.fd, &r));
	}
	EXPECT_EQ(before, hvsim_counter("mapped_pages"));
}

TEST_HARNESS_MAIN
