// SPDX-License-Identifier: GPL-2.0
/*
 * MSHV_CREATE_PARTITION (v1 and v2 layouts), MSHV_INITIALIZE_PARTITION,
 * argument validation, and which ioctls each kind of fd accepts.
 */
#include <errno.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mshv_util.h"

FIXTURE(dev) {
	int dev_fd;
	struct mshv_create_partition_v2 args;
};

FIXTURE_SETUP(dev)
{
	self->dev_fd = -1;
	MSHV_REQUIRE_DEV();
	self->dev_fd = mshv_open_dev();
	mshv_partition_args(&self->args, true);
}

FIXTURE_TEARDOWN(dev)
{
	if (self->dev_fd >= 0)
		close(self->dev_fd);
}

static void create_init_close(struct __test_metadata *_metadata, int dev_fd,
			      bool v2)
{
	long before = hvsim_counter("partitions");
	int fd;

	fd = mshv_create_partition(dev_fd, v2);
	if (before >= 0)
		EXPECT_EQ(before + 1, hvsim_counter("partitions"));
	EXPECT_EQ(0, __mshv_initialize_partition(fd));
	EXPECT_EQ(0, close(fd));
	if (before >= 0)
		EXPECT_EQ(before, hvsim_counter("partitions"));
}

TEST_F(dev, create_v1)
{
	create_init_close(_metadata, self->dev_fd, false);
}

TEST_F(dev, create_v2)
{
	create_init_close(_metadata, self->dev_fd, true);
}

TEST_F(dev, initialize_twice)
{
	int fd = mshv_create_partition(self->dev_fd, true);

	EXPECT_EQ(0, __mshv_initialize_partition(fd));
	EXPECT_EQ(0, __mshv_initialize_partition(fd));
	close(fd);
}

/* Expect MSHV_CREATE_PARTITION to fail with EINVAL and create nothing. */
static void expect_create_einval(struct __test_metadata *_metadata,
				 int dev_fd, const void *args)
{
	long before = hvsim_counter("partitions");
	int fd = __mshv_create_partition(dev_fd, args);

	if (fd >= 0)
		close(fd);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(before, hvsim_counter("partitions"));
}

TEST_F(dev, unknown_pt_flags)
{
	struct mshv_create_partition v1 = { .pt_flags = 1ULL << 6 };

	expect_create_einval(_metadata, self->dev_fd, &v1);
	v1.pt_flags = 1ULL << 63;
	expect_create_einval(_metadata, self->dev_fd, &v1);
	self->args.pt_flags |= 1ULL << MSHV_PT_BIT_COUNT;
	expect_create_einval(_metadata, self->dev_fd, &self->args);
}

TEST_F(dev, v2_reserved_nonzero)
{
	self->args.pt_rsvd[5] = 1;
	expect_create_einval(_metadata, self->dev_fd, &self->args);
	self->args.pt_rsvd[5] = 0;
	self->args.pt_rsvd1[1] = 1;
	expect_create_einval(_metadata, self->dev_fd, &self->args);
}

TEST_F(dev, v2_too_many_fbanks)
{
	self->args.pt_num_cpu_fbanks = MSHV_NUM_CPU_FEATURES_BANKS + 1;
	expect_create_einval(_metadata, self->dev_fd, &self->args);
}

TEST_F(dev, isolation_unsupported)
{
	struct mshv_create_partition v1 = { .pt_isolation = 1 };

	expect_create_einval(_metadata, self->dev_fd, &v1);
	self->args.pt_isolation = 1;
	expect_create_einval(_metadata, self->dev_fd, &self->args);
}

static void expect_enotty(struct __test_metadata *_metadata, int fd,
			  unsigned long cmd, const char *what)
{
	char arg[4096] = { 0 };

	TH_LOG("%s: ioctl 0x%lx", what, cmd);
	EXPECT_EQ(-1, ioctl(fd, cmd, arg));
	EXPECT_EQ(ENOTTY, errno);
}

#define MSHV_IOCTL_UNKNOWN	_IO(MSHV_IOCTL, 0x7f)
#define OTHER_MAGIC_IOCTL	_IOW('x', 0x00, struct mshv_create_partition)

TEST_F(dev, unknown_ioctl_enotty)
{
	struct mshv_vcpu vcpu;
	int pt_fd;

	pt_fd = mshv_create_partition(self->dev_fd, true);
	ASSERT_EQ(0, __mshv_initialize_partition(pt_fd));
	mshv_vcpu_create(&vcpu, pt_fd, 0);

	expect_enotty(_metadata, self->dev_fd, MSHV_IOCTL_UNKNOWN, "dev");
	expect_enotty(_metadata, self->dev_fd, OTHER_MAGIC_IOCTL, "dev");
	expect_enotty(_metadata, pt_fd, MSHV_IOCTL_UNKNOWN, "partition");
	expect_enotty(_metadata, pt_fd, OTHER_MAGIC_IOCTL, "partition");
	expect_enotty(_metadata, vcpu.fd, MSHV_IOCTL_UNKNOWN, "vp");
	expect_enotty(_metadata, vcpu.fd, OTHER_MAGIC_IOCTL, "vp");

	mshv_vcpu_destroy(&vcpu);
	close(pt_fd);
}

/* Ioctl numbers overlap between fd kinds: each kind must reject the others'. */
TEST_F(dev, cross_fd_ioctls_enotty)
{
	struct mshv_vcpu vcpu;
	int pt_fd;

	pt_fd = mshv_create_partition(self->dev_fd, true);
	ASSERT_EQ(0, __mshv_initialize_partition(pt_fd));
	mshv_vcpu_create(&vcpu, pt_fd, 0);

	expect_enotty(_metadata, self->dev_fd, MSHV_INITIALIZE_PARTITION,
		      "INITIALIZE_PARTITION on dev");
	expect_enotty(_metadata, self->dev_fd, MSHV_CREATE_VP,
		      "CREATE_VP on dev");
	expect_enotty(_metadata, self->dev_fd, MSHV_SET_GUEST_MEMORY,
		      "SET_GUEST_MEMORY on dev");
	expect_enotty(_metadata, self->dev_fd, MSHV_RUN_VP, "RUN_VP on dev");
	expect_enotty(_metadata, pt_fd, MSHV_CREATE_PARTITION,
		      "CREATE_PARTITION on partition");
	expect_enotty(_metadata, pt_fd, MSHV_RUN_VP, "RUN_VP on partition");
	expect_enotty(_metadata, pt_fd, MSHV_GET_VP_STATE,
		      "GET_VP_STATE on partition");
	expect_enotty(_metadata, vcpu.fd, MSHV_CREATE_VP, "CREATE_VP on vp");
	expect_enotty(_metadata, vcpu.fd, MSHV_CREATE_PARTITION,
		      "CREATE_PARTITION on vp");
	expect_enotty(_metadata, vcpu.fd, MSHV_INITIALIZE_PARTITION,
		      "INITIALIZE_PARTITION on vp");
	expect_enotty(_metadata, vcpu.fd, MSHV_SET_GUEST_MEMORY,
		      "SET_GUEST_MEMORY on vp");

	mshv_vcpu_destroy(&vcpu);
	close(pt_fd);
}

TEST_HARNESS_MAIN
