// SPDX-License-Identifier: GPL-2.0
/*
 * MSHV_CREATE_VP and the pages a VP fd can mmap.
 */
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mshv_util.h"

FIXTURE(vp) {
	struct mshv_vm vm;
};

FIXTURE_SETUP(vp)
{
	self->vm.fd = -1;
	self->vm.dev_fd = -1;
	MSHV_REQUIRE_DEV();
	mshv_vm_create(&self->vm, true);
}

FIXTURE_TEARDOWN(vp)
{
	mshv_vm_destroy(&self->vm);
}

TEST_F(vp, create_two)
{
	long before = hvsim_counter("vps");
	int fd0, fd1;

	fd0 = __mshv_create_vp(self->vm.fd, 0);
	ASSERT_LE(0, fd0);
	fd1 = __mshv_create_vp(self->vm.fd, 1);
	ASSERT_LE(0, fd1);
	EXPECT_NE(fd0, fd1);
	if (before >= 0)
		EXPECT_EQ(before + 2, hvsim_counter("vps"));
	close(fd0);
	close(fd1);
}

TEST_F(vp, duplicate_index)
{
	long before = hvsim_counter("vps");
	int fd = __mshv_create_vp(self->vm.fd, 3);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, __mshv_create_vp(self->vm.fd, 3));
	EXPECT_EQ(EEXIST, errno);
	if (before >= 0)
		EXPECT_EQ(before + 1, hvsim_counter("vps"));
	close(fd);
	/* The index is taken for as long as the partition lives. */
	EXPECT_EQ(-1, __mshv_create_vp(self->vm.fd, 3));
	EXPECT_EQ(EEXIST, errno);
}

TEST_F(vp, index_out_of_range)
{
	EXPECT_EQ(-1, __mshv_create_vp(self->vm.fd, 256));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, __mshv_create_vp(self->vm.fd, 0xffffffffU));
	EXPECT_EQ(EINVAL, errno);
	/* The last valid index works. */
	EXPECT_LE(0, __mshv_create_vp(self->vm.fd, 255));
}

TEST_F(vp, before_initialize)
{
	int fd = mshv_create_partition(self->vm.dev_fd, true);

	EXPECT_EQ(-1, __mshv_create_vp(fd, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, __mshv_initialize_partition(fd));
	EXPECT_LE(0, __mshv_create_vp(fd, 0));
	close(fd);
}

TEST_F(vp, mmap_state_pages)
{
	struct hv_vp_register_page *regs;
	struct hv_message *msg, *msg2;
	int fd = __mshv_create_vp(self->vm.fd, 0);

	ASSERT_LE(0, fd);
	regs = mshv_mmap_vp_page(fd, MSHV_VP_MMAP_OFFSET_REGISTERS);
	ASSERT_NE(MAP_FAILED, regs);
	msg = mshv_mmap_vp_page(fd, MSHV_VP_MMAP_OFFSET_INTERCEPT_MESSAGE);
	ASSERT_NE(MAP_FAILED, msg);
	/* Both are readable; no message has been delivered yet. */
	TH_LOG("register page version %u", regs->version);
	EXPECT_EQ((__u32)HVMSG_NONE, msg->header.message_type);
	/* Mapping the same page twice gives the same memory. */
	msg2 = mshv_mmap_vp_page(fd, MSHV_VP_MMAP_OFFSET_INTERCEPT_MESSAGE);
	ASSERT_NE(MAP_FAILED, msg2);
	EXPECT_EQ(0, memcmp(msg2, msg, sizeof(*msg)));
	munmap(msg2, GUEST_PAGE_SIZE);
	munmap(regs, GUEST_PAGE_SIZE);
	munmap(msg, GUEST_PAGE_SIZE);
	close(fd);
}

TEST_F(vp, mmap_bad_offsets)
{
	long psz = sysconf(_SC_PAGESIZE);
	int fd = __mshv_create_vp(self->vm.fd, 0);
	void *p;

	ASSERT_LE(0, fd);
	p = mshv_mmap_vp_page(fd, MSHV_VP_MMAP_OFFSET_GHCB);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(ENODEV, errno);
	p = mshv_mmap_vp_page(fd, MSHV_VP_MMAP_OFFSET_COUNT);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	p = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

TEST_F(vp, mapping_survives_fd_close)
{
	struct hv_message *msg;
	int fd = __mshv_create_vp(self->vm.fd, 0);

	ASSERT_LE(0, fd);
	msg = mshv_mmap_vp_page(fd, MSHV_VP_MMAP_OFFSET_INTERCEPT_MESSAGE);
	ASSERT_NE(MAP_FAILED, msg);
	close(fd);
	/* The mapping keeps the page alive: no SIGBUS. */
	EXPECT_EQ((__u32)HVMSG_NONE, msg->header.message_type);
	munmap(msg, GUEST_PAGE_SIZE);
}

TEST_HARNESS_MAIN
