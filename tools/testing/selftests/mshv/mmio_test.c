// SPDX-License-Identifier: GPL-2.0
/*
 * Device memory regions (a VM_IO | VM_PFNMAP user mapping) last only as
 * long as the VMM's mapping: a 64-bit guest (the movable_test guest, which
 * reads what the VMM tells it to) reads device frames through a region,
 * the VMM munmap()s them, and from then on the guest must get an
 * HVMSG_UNMAPPED_GPA exit instead of reaching the frames, and hvsim must
 * no longer map them.  Removing the revoked region and adding the
 * device mapping again gives the guest its frames back.
 *
 * The frames are the legacy VGA window at 0xa0000 (/dev/mem): device
 * memory that has struct pages, so hvsim's CPU model really reads it (a
 * PCI BAR above the end of RAM it would report as unmapped anyway; see
 * regions_test's mmio_munmap_revokes for a BAR).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vm64.h"
#include "movable.h"

#define VGA_PHYS	0xa0000ULL
#define VGA_LEN		(4 * MOV_PAGE)
#define DEV_GPA		0x40000000ULL	/* 1 GiB, inside the identity map */
#define RW		BIT(MSHV_SET_MEM_BIT_WRITABLE)
#define UNMAP		BIT(MSHV_SET_MEM_BIT_UNMAP)

/* /dev/mem at the VGA window, or NULL. */
static void *map_vga(void)
{
	int fd = open("/dev/mem", O_RDWR | O_CLOEXEC);
	void *p;

	if (fd < 0)
		return NULL;
	p = mmap(NULL, VGA_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 VGA_PHYS);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

static void set_read(struct vm64 *vm, __u64 gpa)
{
	struct mov_cmd *c = vm64_gpa_ptr(vm, MOV_CMD_GPA, sizeof(*c));

	c->op = MOV_READ;
	c->gpa = gpa;
	c->val = 0;
	c->count = 0;
}

FIXTURE(mmio) {
	struct vm64 vm;
	long mapped;
	void *dev;
};

FIXTURE_SETUP(mmio)
{
	self->vm.vm.fd = -1;
	self->vm.vm.dev_fd = -1;
	self->vm.vcpu.fd = -1;
	self->dev = NULL;
	MSHV_REQUIRE_DEV();
	MSHV_REQUIRE_HVSIM_DEBUGFS();
	self->dev = map_vga();
	if (!self->dev)
		SKIP(return, "cannot mmap /dev/mem at %#llx", VGA_PHYS);
	vm64_create(&self->vm, guest_movable);
	self->mapped = hvsim_counter("mapped_pages");
}

FIXTURE_TEARDOWN(mmio)
{
	vm64_destroy(&self->vm);
	if (self->dev)
		munmap(self->dev, VGA_LEN);
}

TEST_F(mmio, munmap_revokes)
{
	struct hv_x64_memory_intercept_message *mm;
	__u64 gpa = DEV_GPA + MOV_PAGE + 8;
	void *old = self->dev;

	ASSERT_EQ(0, __mshv_set_guest_memory(self->vm.vm.fd, DEV_GPA, VGA_LEN,
					     self->dev, RW));
	EXPECT_EQ(self->mapped + (long)(VGA_LEN / MOV_PAGE),
		  hvsim_counter("mapped_pages"));

	/* The guest reaches the device frames. */
	set_read(&self->vm, gpa);
	vm64_expect_sync(&self->vm, 2);
	EXPECT_EQ((__u64)MOV_READ, self->vm.uc.args[0]);

	/* The VMM lets go of them: so must the guest. */
	ASSERT_EQ(0, munmap(self->dev, VGA_LEN));
	self->dev = NULL;
	EXPECT_EQ(self->mapped, hvsim_counter("mapped_pages"));
	set_read(&self->vm, gpa);
	ASSERT_EQ((unsigned int)UCALL_NONE, vm64_run(&self->vm));
	mm = (void *)self->vm.msg.u.payload;
	EXPECT_EQ(HVMSG_UNMAPPED_GPA, self->vm.msg.header.message_type);
	EXPECT_EQ(gpa, mm->guest_physical_address);

	/* Removed and added again, the region works as before. */
	EXPECT_EQ(0, __mshv_set_guest_memory(self->vm.vm.fd, DEV_GPA, VGA_LEN,
					     old, UNMAP));
	EXPECT_EQ(self->mapped, hvsim_counter("mapped_pages"));
	self->dev = map_vga();
	ASSERT_NE(NULL, self->dev);
	ASSERT_EQ(0, __mshv_set_guest_memory(self->vm.vm.fd, DEV_GPA, VGA_LEN,
					     self->dev, RW));
	/* The VP retries the read it stopped on. */
	vm64_expect_sync(&self->vm, 2);
	EXPECT_EQ((__u64)MOV_READ, self->vm.uc.args[0]);
	EXPECT_EQ(0, __mshv_set_guest_memory(self->vm.vm.fd, DEV_GPA, VGA_LEN,
					     self->dev, UNMAP));
	EXPECT_EQ(self->mapped, hvsim_counter("mapped_pages"));
}

/* Read-only access to the frames goes the same way (mprotect). */
TEST_F(mmio, mprotect_revokes)
{
	__u64 gpa = DEV_GPA + 16;

	ASSERT_EQ(0, __mshv_set_guest_memory(self->vm.vm.fd, DEV_GPA, VGA_LEN,
					     self->dev, RW));
	set_read(&self->vm, gpa);
	vm64_expect_sync(&self->vm, 2);
	ASSERT_EQ(0, mprotect(self->dev, VGA_LEN, PROT_READ));
	EXPECT_EQ(self->mapped, hvsim_counter("mapped_pages"));
	set_read(&self->vm, gpa);
	ASSERT_EQ((unsigned int)UCALL_NONE, vm64_run(&self->vm));
	EXPECT_EQ(HVMSG_UNMAPPED_GPA, self->vm.msg.header.message_type);
	EXPECT_EQ(0, __mshv_set_guest_memory(self->vm.vm.fd, DEV_GPA, VGA_LEN,
					     self->dev, UNMAP));
}

TEST_HARNESS_MAIN
