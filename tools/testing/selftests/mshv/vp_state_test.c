// SPDX-License-Identifier: GPL-2.0
/*
 * MSHV_GET_VP_STATE / MSHV_SET_VP_STATE: round trips for every state
 * type, the buf_sz size negotiation, argument validation, and which
 * buffers the kernel writes to.
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mshv_util.h"

/* Offsets in the legacy part of an XSAVE area. */
#define XSAVE_FCW	0
#define XSAVE_MXCSR	24
#define XSAVE_XMM0	160

static const char * const type_names[] = {
	"LAPIC", "XSAVE", "SIMP", "SIEFP", "SYNTHETIC_TIMERS",
};

static_assert(ARRAY_SIZE(type_names) == MSHV_VP_STATE_COUNT);

FIXTURE(vp_state) {
	struct mshv_vm vm;
	int vp_fd;
	int vp1_fd;
};

FIXTURE_SETUP(vp_state)
{
	self->vm.fd = -1;
	self->vm.dev_fd = -1;
	self->vp_fd = -1;
	self->vp1_fd = -1;
	MSHV_REQUIRE_DEV();
	mshv_vm_create(&self->vm, true);
	self->vp_fd = __mshv_create_vp(self->vm.fd, 0);
	ASSERT_LE(0, self->vp_fd);
	self->vp1_fd = __mshv_create_vp(self->vm.fd, 1);
	ASSERT_LE(0, self->vp1_fd);
}

FIXTURE_TEARDOWN(vp_state)
{
	if (self->vp1_fd >= 0)
		close(self->vp1_fd);
	if (self->vp_fd >= 0)
		close(self->vp_fd);
	mshv_vm_destroy(&self->vm);
}

static __u32 round_up_page(__u32 size)
{
	return (size + GUEST_PAGE_SIZE - 1) & ~(GUEST_PAGE_SIZE - 1);
}

/* The size the state needs, from one probe with a one-page buffer. */
static __u32 state_size(struct __test_metadata *_metadata, int vp_fd,
			__u8 type)
{
	void *buf = mshv_alloc_state_buf(GUEST_PAGE_SIZE);
	__u32 sz = GUEST_PAGE_SIZE;
	int ret;

	ret = __mshv_get_vp_state(vp_fd, type, buf, &sz);
	free(buf);
	TEST_ASSERT(ret == 0 || (errno == EINVAL && sz > GUEST_PAGE_SIZE),
		    "MSHV_GET_VP_STATE(%s) probe: buf_sz %u",
		    type_names[type], sz);
	return sz;
}

/* Change a few bytes that a VMM would change, per state type. */
static void mutate(__u8 type, __u8 *buf, __u32 size)
{
	struct hv_local_interrupt_controller_state *lapic = (void *)buf;
	struct hv_synthetic_timers_state *t = (void *)buf;
	unsigned int i;

	switch (type) {
	case MSHV_VP_STATE_LAPIC:
		lapic->apic_spurious = 0x1ff;		/* enabled */
		lapic->apic_lvt_lint0 = 0x700;		/* ExtINT */
		lapic->apic_lvt_lint1 = 0x400;		/* NMI */
		lapic->apic_ldr = 0x01000000;
		lapic->apic_divide_configuration = 0xb;
		break;
	case MSHV_VP_STATE_XSAVE:
		*(__u16 *)(buf + XSAVE_FCW) = 0x37f;
		*(__u32 *)(buf + XSAVE_MXCSR) = 0x1f80;
		for (i = 0; i < 16; i++)
			buf[XSAVE_XMM0 + i] = 0xa0 + i;
		break;
	case MSHV_VP_STATE_SIMP:
	case MSHV_VP_STATE_SIEFP:
		/* Plain guest memory as far as the hypervisor cares. */
		for (i = 0; i < size; i++)
			buf[i] = (__u8)(i * 7 + type);
		break;
	case MSHV_VP_STATE_SYNTHETIC_TIMERS:
		/* Disabled timers with counts and adjustments. */
		for (i = 0; i < HV_SYNIC_STIMER_COUNT; i++) {
			t->timers[i].config = 0;
			t->timers[i].count = 1000000ULL * (i + 1);
			t->timers[i].adjustment = 0;
		}
		break;
	}
}

/* get -> mutate -> set -> get: the second get returns what was set. */
static void round_trip(struct __test_metadata *_metadata, int vp_fd,
		       __u8 type)
{
	__u32 size = state_size(_metadata, vp_fd, type);
	__u32 bufsz = round_up_page(size), sz;
	__u8 *set = mshv_alloc_state_buf(bufsz);
	__u8 *got = mshv_alloc_state_buf(bufsz);

	TH_LOG("%s: %u bytes", type_names[type], size);
	sz = bufsz;
	ASSERT_EQ(0, __mshv_get_vp_state(vp_fd, type, set, &sz));
	ASSERT_EQ(size, sz);
	mutate(type, set, size);
	sz = bufsz;
	ASSERT_EQ(0, __mshv_set_vp_state(vp_fd, type, set, &sz)) {
		TH_LOG("MSHV_SET_VP_STATE(%s): errno %d", type_names[type],
		       errno);
	}
	ASSERT_EQ(size, sz);
	memset(got, 0x5a, bufsz);
	sz = bufsz;
	ASSERT_EQ(0, __mshv_get_vp_state(vp_fd, type, got, &sz));
	ASSERT_EQ(size, sz);
	EXPECT_EQ(0, memcmp(set, got, size)) {
		unsigned int i;

		for (i = 0; i < size; i++)
			if (set[i] != got[i]) {
				TH_LOG("first difference at %u: set 0x%x got 0x%x",
				       i, set[i], got[i]);
				break;
			}
	}
	free(set);
	free(got);
}

TEST_F(vp_state, lapic_round_trip)
{
	round_trip(_metadata, self->vp_fd, MSHV_VP_STATE_LAPIC);
}

TEST_F(vp_state, xsave_round_trip)
{
	round_trip(_metadata, self->vp_fd, MSHV_VP_STATE_XSAVE);
}

TEST_F(vp_state, simp_round_trip)
{
	round_trip(_metadata, self->vp_fd, MSHV_VP_STATE_SIMP);
}

TEST_F(vp_state, siefp_round_trip)
{
	round_trip(_metadata, self->vp_fd, MSHV_VP_STATE_SIEFP);
}

TEST_F(vp_state, synthetic_timers_round_trip)
{
	round_trip(_metadata, self->vp_fd, MSHV_VP_STATE_SYNTHETIC_TIMERS);
}

/* State set on VP 0 is VP 0's: VP 1 still reads its own. */
TEST_F(vp_state, per_vp)
{
	__u8 *a = mshv_alloc_state_buf(GUEST_PAGE_SIZE);
	__u8 *b = mshv_alloc_state_buf(GUEST_PAGE_SIZE);
	__u32 sz = GUEST_PAGE_SIZE;

	ASSERT_EQ(0, __mshv_get_vp_state(self->vp1_fd, MSHV_VP_STATE_SIMP,
					 b, &sz));
	mutate(MSHV_VP_STATE_SIMP, a, GUEST_PAGE_SIZE);
	ASSERT_EQ(0, __mshv_set_vp_state(self->vp_fd, MSHV_VP_STATE_SIMP,
					 a, &sz));
	memset(a, 0, GUEST_PAGE_SIZE);
	ASSERT_EQ(0, __mshv_get_vp_state(self->vp1_fd, MSHV_VP_STATE_SIMP,
					 a, &sz));
	EXPECT_EQ(0, memcmp(a, b, GUEST_PAGE_SIZE));
	free(a);
	free(b);
}

/* The needed size is written back on success, per type. */
TEST_F(vp_state, sizes_written_back)
{
	__u64 xsave = mshv_get_property(self->vm.fd,
					HV_PARTITION_PROPERTY_MAX_XSAVE_DATA_SIZE);

	EXPECT_EQ((__u32)GUEST_PAGE_SIZE,
		  state_size(_metadata, self->vp_fd, MSHV_VP_STATE_LAPIC));
	EXPECT_EQ((__u32)GUEST_PAGE_SIZE,
		  state_size(_metadata, self->vp_fd, MSHV_VP_STATE_SIMP));
	EXPECT_EQ((__u32)GUEST_PAGE_SIZE,
		  state_size(_metadata, self->vp_fd, MSHV_VP_STATE_SIEFP));
	EXPECT_EQ((__u32)sizeof(struct hv_synthetic_timers_state),
		  state_size(_metadata, self->vp_fd,
			     MSHV_VP_STATE_SYNTHETIC_TIMERS));
	EXPECT_EQ(xsave, state_size(_metadata, self->vp_fd,
				    MSHV_VP_STATE_XSAVE));
}

/*
 * A buffer smaller than the state: EINVAL, and buf_sz says how much is
 * needed.  Only XSAVE can be bigger than a page; the others are checked
 * with a buffer that is too small for the same reason (zero bytes).
 */
TEST_F(vp_state, too_small)
{
	__u64 xsave = mshv_get_property(self->vm.fd,
					HV_PARTITION_PROPERTY_MAX_XSAVE_DATA_SIZE);
	void *buf = mshv_alloc_state_buf(GUEST_PAGE_SIZE);
	__u32 sz;

	if (xsave <= GUEST_PAGE_SIZE) {
		TH_LOG("XSAVE is %llu bytes: fits one page, no too-small case",
		       (unsigned long long)xsave);
	} else {
		sz = GUEST_PAGE_SIZE;
		EXPECT_EQ(-1, __mshv_get_vp_state(self->vp_fd,
						  MSHV_VP_STATE_XSAVE, buf,
						  &sz));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(xsave, sz);
		sz = GUEST_PAGE_SIZE;
		EXPECT_EQ(-1, __mshv_set_vp_state(self->vp_fd,
						  MSHV_VP_STATE_XSAVE, buf,
						  &sz));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(xsave, sz);
	}
	/* buf_sz 0 is rejected before anything is written back. */
	sz = 0;
	EXPECT_EQ(-1, __mshv_get_vp_state(self->vp_fd, MSHV_VP_STATE_LAPIC,
					  buf, &sz));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0U, sz);
	free(buf);
}

static void expect_einval(struct __test_metadata *_metadata, int vp_fd,
			  struct mshv_get_set_vp_state *a, const char *what)
{
	struct mshv_get_set_vp_state b = *a;

	TH_LOG("%s", what);
	EXPECT_EQ(-1, ioctl(vp_fd, MSHV_GET_VP_STATE, a));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(vp_fd, MSHV_SET_VP_STATE, &b));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(vp_state, bad_arguments)
{
	__u8 *buf = mshv_alloc_state_buf(2 * GUEST_PAGE_SIZE);
	struct mshv_get_set_vp_state good = {
		.type = MSHV_VP_STATE_LAPIC,
		.buf_sz = GUEST_PAGE_SIZE,
		.buf_ptr = (__u64)(unsigned long)buf,
	};
	struct mshv_get_set_vp_state a;

	a = good;
	ASSERT_EQ(0, ioctl(self->vp_fd, MSHV_GET_VP_STATE, &a));

	a = good;
	a.type = MSHV_VP_STATE_COUNT;
	expect_einval(_metadata, self->vp_fd, &a, "type COUNT");
	a = good;
	a.type = 0xff;
	expect_einval(_metadata, self->vp_fd, &a, "type 0xff");
	a = good;
	a.rsvd[0] = 1;
	expect_einval(_metadata, self->vp_fd, &a, "rsvd[0]");
	a = good;
	a.rsvd[2] = 0x80;
	expect_einval(_metadata, self->vp_fd, &a, "rsvd[2]");
	a = good;
	a.buf_ptr += 8;
	expect_einval(_metadata, self->vp_fd, &a, "buf_ptr + 8");
	a = good;
	a.buf_ptr += 2048;
	expect_einval(_metadata, self->vp_fd, &a, "buf_ptr + 2048");
	a = good;
	a.buf_sz = 4095;
	expect_einval(_metadata, self->vp_fd, &a, "buf_sz 4095");
	a = good;
	a.buf_sz = 4097;
	expect_einval(_metadata, self->vp_fd, &a, "buf_sz 4097");
	a = good;
	a.buf_sz = 200;
	a.type = MSHV_VP_STATE_SYNTHETIC_TIMERS;
	expect_einval(_metadata, self->vp_fd, &a, "buf_sz 200 (exact)");
	free(buf);
}

/*
 * GET writes the caller's buffer, so a read-only one is refused; SET only
 * reads it.  Unmapped memory fails both.
 */
TEST_F(vp_state, buffer_access)
{
	__u32 types[] = { MSHV_VP_STATE_LAPIC, MSHV_VP_STATE_SYNTHETIC_TIMERS };
	void *ro, *none;
	unsigned int i;
	__u32 sz;

	ro = mmap(NULL, GUEST_PAGE_SIZE, PROT_READ,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	none = mmap(NULL, GUEST_PAGE_SIZE, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, none);

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		TH_LOG("%s", type_names[types[i]]);
		sz = GUEST_PAGE_SIZE;
		EXPECT_EQ(-1, __mshv_get_vp_state(self->vp_fd, types[i], ro,
						  &sz));
		EXPECT_EQ(EFAULT, errno);
		sz = GUEST_PAGE_SIZE;
		EXPECT_EQ(-1, __mshv_get_vp_state(self->vp_fd, types[i], none,
						  &sz));
		EXPECT_EQ(EFAULT, errno);
		sz = GUEST_PAGE_SIZE;
		EXPECT_EQ(-1, __mshv_set_vp_state(self->vp_fd, types[i], none,
						  &sz));
		EXPECT_EQ(EFAULT, errno);
	}
	/* Setting SIMP from a read-only zero page is fine. */
	sz = GUEST_PAGE_SIZE;
	EXPECT_EQ(0, __mshv_set_vp_state(self->vp_fd, MSHV_VP_STATE_SIMP, ro,
					 &sz));
	munmap(ro, GUEST_PAGE_SIZE);
	munmap(none, GUEST_PAGE_SIZE);
}

/* Not a VP fd: the state ioctls are VP ioctls only. */
TEST_F(vp_state, wrong_fd)
{
	void *buf = mshv_alloc_state_buf(GUEST_PAGE_SIZE);
	struct mshv_get_set_vp_state a = {
		.type = MSHV_VP_STATE_LAPIC,
		.buf_sz = GUEST_PAGE_SIZE,
		.buf_ptr = (__u64)(unsigned long)buf,
	};

	EXPECT_EQ(-1, ioctl(self->vm.dev_fd, MSHV_GET_VP_STATE, &a));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->vm.fd, MSHV_SET_VP_STATE, &a));
	EXPECT_EQ(ENOTTY, errno);
	free(buf);
}

TEST_HARNESS_MAIN
