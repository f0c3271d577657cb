// SPDX-License-Identifier: GPL-2.0
/*
 * No kernel bytes reach userspace uninitialised.
 *
 * Every test first sprays kernel memory with a marker: a throw-away
 * partition gets the marker in all its general-purpose and XMM registers,
 * in its hypercall input pages and in its VP state, and is destroyed, so
 * the pages and objects that held those copies go back to the allocators.
 * A fresh partition is then read through every path that copies kernel
 * or hypervisor memory out (MSHV_ROOT_HVCALL output, MSHV_RUN_VP's
 * message, MSHV_GET_VP_STATE, the mmapped VP pages); the marker must not
 * appear in any of them, and every byte the interface defines must be
 * written whatever the user buffer held before.
 *
 * Debian's kernel zeroes new pages and stack variables, which hides such
 * bugs; the debug kernel does not zero pages, and make check builds the
 * modules for it with stack variables filled with 0xAA, so that is the
 * run that catches them.
 */
#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mshv_util.h"

#define MARKER		0x6d73687664697363ULL	/* "cisdvhsm" */
#define GUEST_MEM_SIZE	0x10000
#define NR_GPRS		16
#define NR_XMMS		16

static const char * const state_names[] = {
	"LAPIC", "XSAVE", "SIMP", "SIEFP", "SYNTHETIC_TIMERS",
};

static_assert(ARRAY_SIZE(state_names) == MSHV_VP_STATE_COUNT);

/* True when the 8-byte marker appears at any byte offset of @buf. */
static bool has_marker(const void *buf, size_t len)
{
	const __u64 m = MARKER;

	return memmem(buf, len, &m, sizeof(m));
}

/* The first byte of @buf[0..@len) that is not @c, or NULL. */
static const void *first_not(const void *buf, int c, size_t len)
{
	const __u8 *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != (__u8)c)
			return p + i;
	return NULL;
}

static void fill_marker(void *buf, size_t len)
{
	__u64 *p = buf;
	size_t i;

	for (i = 0; i < len / sizeof(*p); i++)
		p[i] = MARKER;
}

/*
 * Leave the marker behind in freed kernel memory: registers (mirrored in
 * the register page and in hypercall output pages), hypercall input pages
 * and the VP state buffers, in a partition that is then destroyed.
 */
static void spray(struct __test_metadata *_metadata)
{
	struct hv_register_assoc regs[NR_GPRS + NR_XMMS] = {};
	union hv_register_value vals[NR_GPRS + NR_XMMS];
	__u32 names[NR_GPRS + NR_XMMS];
	__u64 in[GUEST_PAGE_SIZE / sizeof(__u64)];
	struct mshv_vcpu vcpu;
	struct mshv_vm vm;
	unsigned int i, round;
	__u8 *state;
	__u32 sz;

	mshv_vm_create(&vm, true);
	mshv_vcpu_create(&vcpu, vm.fd, 0);
	for (i = 0; i < NR_GPRS + NR_XMMS; i++) {
		regs[i].name = i < NR_GPRS ? HV_X64_REGISTER_RAX + i :
					     HV_X64_REGISTER_XMM0 + i - NR_GPRS;
		regs[i].value.reg128.low_part = MARKER;
		regs[i].value.reg128.high_part = MARKER;
		names[i] = regs[i].name;
	}
	ASSERT_EQ(0, __mshv_set_regs(vm.fd, 0, regs, ARRAY_SIZE(regs), NULL));
	state = mshv_alloc_state_buf(GUEST_PAGE_SIZE);
	for (round = 0; round < 8; round++) {
		ASSERT_EQ(0, __mshv_get_regs(vm.fd, 0, names, vals,
					     ARRAY_SIZE(names), NULL));
		ASSERT_TRUE(has_marker(vals, sizeof(vals)));
		fill_marker(in, sizeof(in));
		/* The hypervisor ignores input beyond the property code. */
		in[1] = HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS;
		__mshv_hvcall(vm.fd, HVCALL_GET_PARTITION_PROPERTY, 0, in,
			      sizeof(in), NULL, 0, NULL);
		for (i = 0; i < MSHV_VP_STATE_COUNT; i++) {
			fill_marker(state, GUEST_PAGE_SIZE);
			sz = GUEST_PAGE_SIZE;
			/* Some types refuse a buffer of markers: no matter. */
			__mshv_set_vp_state(vcpu.fd, i, state, &sz);
		}
	}
	free(state);
	mshv_vcpu_destroy(&vcpu);
	mshv_vm_destroy(&vm);
}

FIXTURE(disclosure) {
	struct mshv_vm vm;
	struct mshv_vcpu vcpu;
	__u8 *mem;
};

FIXTURE_SETUP(disclosure)
{
	self->vm.fd = -1;
	self->vm.dev_fd = -1;
	self->vcpu.fd = -1;
	self->mem = NULL;
	MSHV_REQUIRE_DEV();
	spray(_metadata);
	mshv_vm_create(&self->vm, true);
	self->mem = mshv_map_guest_mem(self->vm.fd, 0, GUEST_MEM_SIZE);
	mshv_vcpu_create(&self->vcpu, self->vm.fd, 0);
}

FIXTURE_TEARDOWN(disclosure)
{
	mshv_vcpu_destroy(&self->vcpu);
	mshv_vm_destroy(&self->vm);
	if (self->mem)
		munmap(self->mem, GUEST_MEM_SIZE);
}

/*
 * A whole page of MSHV_ROOT_HVCALL output for a hypercall that writes
 * eight bytes: the rest is zero, not the user's bytes nor stale kernel
 * memory.
 */
TEST_F(disclosure, hvcall_output_page)
{
	__u64 in[2] = { 0, HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS };
	__u8 *out = malloc(GUEST_PAGE_SIZE);
	unsigned int i;

	ASSERT_NE(NULL, out);
	for (i = 0; i < 16; i++) {
		memset(out, 0xa5, GUEST_PAGE_SIZE);
		ASSERT_EQ(0, __mshv_hvcall(self->vm.fd,
					   HVCALL_GET_PARTITION_PROPERTY, 0,
					   in, sizeof(in), out,
					   GUEST_PAGE_SIZE, NULL));
		EXPECT_FALSE(has_marker(out, GUEST_PAGE_SIZE));
		ASSERT_EQ(NULL, first_not(out + 8, 0, GUEST_PAGE_SIZE - 8)) {
			TH_LOG("round %u: output past the property", i);
		}
	}
	free(out);
}

/*
 * MSHV_RUN_VP's message: all 256 bytes are written, and those past the
 * payload the message type defines are zero.
 */
TEST_F(disclosure, run_vp_message)
{
	/* out %al,$0x80; hlt */
	static const __u8 code[] = { 0xe6, 0x80, 0xf4 };
	struct mshv_run_vp run;
	struct hv_message *m = (void *)run.msg_buf;
	size_t end;

	mshv_load_guest(self->mem, GUEST_CODE_GPA, code, sizeof(code));
	mshv_set_real_mode(self->vm.fd, 0, GUEST_CODE_GPA);
	memset(&run, 0xa5, sizeof(run));
	ASSERT_EQ(0, ioctl(self->vcpu.fd, MSHV_RUN_VP, &run));
	ASSERT_EQ(HVMSG_X64_IO_PORT_INTERCEPT, m->header.message_type);
	ASSERT_GE(HV_MESSAGE_PAYLOAD_BYTE_COUNT, m->header.payload_size);
	EXPECT_FALSE(has_marker(&run, sizeof(run)));
	EXPECT_EQ(0, m->header.reserved[0]);
	EXPECT_EQ(0, m->header.reserved[1]);
	end = offsetof(struct hv_message, u) + m->header.payload_size;
	EXPECT_EQ(NULL, first_not(run.msg_buf + end, 0,
				  sizeof(run.msg_buf) - end));
	/* The mmapped copy says the same. */
	EXPECT_EQ(0, memcmp(self->vcpu.msg, run.msg_buf, sizeof(run.msg_buf)));
}

/* A fresh VP's mmapped pages hold nothing of an earlier partition. */
TEST_F(disclosure, vp_pages)
{
	EXPECT_FALSE(has_marker(self->vcpu.regs, GUEST_PAGE_SIZE));
	EXPECT_FALSE(has_marker(self->vcpu.msg, GUEST_PAGE_SIZE));
	/* No intercept yet: the message page is empty. */
	EXPECT_EQ(NULL, first_not(self->vcpu.msg, 0, GUEST_PAGE_SIZE));
}

/*
 * MSHV_GET_VP_STATE writes every byte of the state whatever the buffer
 * held, the same bytes for two different fillings, no marker among them,
 * and nothing past the state's size.
 */
TEST_F(disclosure, vp_state)
{
	__u8 *a = mshv_alloc_state_buf(4 * GUEST_PAGE_SIZE);
	__u8 *b = mshv_alloc_state_buf(4 * GUEST_PAGE_SIZE);
	__u32 sz_a, sz_b;
	unsigned int t;

	for (t = 0; t < MSHV_VP_STATE_COUNT; t++) {
		memset(a, 0xa5, 4 * GUEST_PAGE_SIZE);
		memset(b, 0x5a, 4 * GUEST_PAGE_SIZE);
		sz_a = 4 * GUEST_PAGE_SIZE;
		sz_b = sz_a;
		ASSERT_EQ(0, __mshv_get_vp_state(self->vcpu.fd, t, a, &sz_a));
		ASSERT_EQ(0, __mshv_get_vp_state(self->vcpu.fd, t, b, &sz_b));
		ASSERT_EQ(sz_a, sz_b);
		TH_LOG("%s: %u bytes", state_names[t], sz_a);
		EXPECT_EQ(0, memcmp(a, b, sz_a)) {
			TH_LOG("%s: bytes depend on the user buffer",
			       state_names[t]);
		}
		EXPECT_FALSE(has_marker(a, sz_a)) {
			TH_LOG("%s: holds the marker", state_names[t]);
		}
		EXPECT_EQ(NULL, first_not(a + sz_a, 0xa5,
					  4 * GUEST_PAGE_SIZE - sz_a));
	}
	free(a);
	free(b);
}

TEST_HARNESS_MAIN
