// SPDX-License-Identifier: GPL-2.0
/*
 * Every published x64 register name against hvsim: the list
 * tools/mshv/abi/hv-registers.tsv (also the table in hvsim.rst) says what
 * GET/SET_VP_REGISTERS do with each name, and this program asks.  Then the
 * register groups VMMs started to use, from their published meaning:
 * intermediate control registers, the internal activity state, debug
 * control, the prediction command and XSS MSRs, the partition-wide
 * reference TSC MSR, the deliverability notifications register and the
 * reserved fields of the pending interruption and pending event registers.
 */
#include "hvsim_iface.h"

enum { HVREG_RW, HVREG_RO, HVREG_WO, HVREG_NO };

static const struct hv_reg_name {
	__u32 value;
	int hvsim;
	const char *name;
} hv_reg_names[] = {
#include "hv_registers.h"
};

static int get_one(int fd, __u32 vp, __u32 name, union hv_register_value *v,
		   __u16 *status)
{
	memset(v, 0xa5, sizeof(*v));
	*status = 0xffff;
	return __mshv_get_regs(fd, vp, &name, v, 1, status);
}

static int set_one(int fd, __u32 vp, __u32 name,
		   const union hv_register_value *v, __u16 *status)
{
	struct hv_register_assoc a = { .name = name, .value = *v };

	*status = 0xffff;
	return __mshv_set_regs(fd, vp, &a, 1, status);
}

/*
 * Each name: read it, write back what was read (0 if nothing was).  A
 * supported register keeps the value; "ro" refuses the write with
 * ACCESS_DENIED, "no" refuses both with INVALID_PARAMETER.
 */
TEST_F(iface, every_register_name_as_documented)
{
	unsigned int i, counts[4] = { 0 };

	init_with_vps(_metadata, self);
	for (i = 0; i < ARRAY_SIZE(hv_reg_names); i++) {
		const struct hv_reg_name *r = &hv_reg_names[i];
		union hv_register_value v, again;
		__u16 st;
		int ret;

		counts[r->hvsim]++;
		ret = get_one(self->vm.fd, 1, r->value, &v, &st);
		if (r->hvsim == HVREG_NO) {
			EXPECT_EQ(-1, ret) TH_LOG("GET %s", r->name);
			EXPECT_EQ(HV_STATUS_INVALID_PARAMETER, st)
				TH_LOG("GET %s", r->name);
			memset(&v, 0, sizeof(v));
			EXPECT_EQ(-1, set_one(self->vm.fd, 1, r->value, &v,
					      &st)) TH_LOG("SET %s", r->name);
			EXPECT_EQ(HV_STATUS_INVALID_PARAMETER, st)
				TH_LOG("SET %s", r->name);
			continue;
		}
		EXPECT_EQ(0, ret) TH_LOG("GET %s: status 0x%x", r->name, st);
		if (r->hvsim == HVREG_WO) {
			EXPECT_EQ(0ULL, v.reg128.low_part) TH_LOG("%s", r->name);
			EXPECT_EQ(0ULL, v.reg128.high_part) TH_LOG("%s", r->name);
		}
		ret = set_one(self->vm.fd, 1, r->value, &v, &st);
		if (r->hvsim == HVREG_RO) {
			EXPECT_EQ(-1, ret) TH_LOG("SET %s", r->name);
			EXPECT_EQ(HV_STATUS_ACCESS_DENIED, st)
				TH_LOG("SET %s", r->name);
			continue;
		}
		EXPECT_EQ(0, ret) TH_LOG("SET %s: status 0x%x", r->name, st);
		if (r->hvsim != HVREG_RW || r->value == HV_X64_REGISTER_TSC)
			continue;
		EXPECT_EQ(0, get_one(self->vm.fd, 1, r->value, &again, &st));
		EXPECT_EQ(0, memcmp(&v, &again, sizeof(v)))
			TH_LOG("%s changed when written back", r->name);
	}
	/* the list covers what VMMs touch, so it is not mostly refusals */
	EXPECT_LT(100U, counts[HVREG_RW]);
	EXPECT_LT(100U, counts[HVREG_NO]);
}

/* Intermediate CRn are CRn, with CRn's reserved bits, on both names. */
TEST_F(iface, intermediate_control_registers)
{
	static const __u32 pairs[][2] = {
		{ HV_X64_REGISTER_INTERMEDIATE_CR0, HV_X64_REGISTER_CR0 },
		{ HV_X64_REGISTER_INTERMEDIATE_CR3, HV_X64_REGISTER_CR3 },
		{ HV_X64_REGISTER_INTERMEDIATE_CR4, HV_X64_REGISTER_CR4 },
		{ HV_X64_REGISTER_INTERMEDIATE_CR8, HV_X64_REGISTER_CR8 },
	};
	static const __u64 good[] = { 0x80000031ULL, 0x123000ULL, 0x620ULL,
				      5 };
	static const __u64 bad[] = { 1ULL << 40, 0, 1ULL << 31, 16 };
	unsigned int i;
	__u16 st;

	init_with_vps(_metadata, self);
	for (i = 0; i < ARRAY_SIZE(pairs); i++) {
		ASSERT_EQ(0, set_reg(self->vm.fd, 0, pairs[i][0], good[i], &st));
		EXPECT_EQ(good[i], mshv_get_reg(self->vm.fd, 0, pairs[i][1]));
		EXPECT_EQ(good[i], mshv_get_reg(self->vm.fd, 0, pairs[i][0]));
		ASSERT_EQ(0, set_reg(self->vm.fd, 0, pairs[i][1], good[i] & 0xf,
				     &st));
		EXPECT_EQ(good[i] & 0xf,
			  mshv_get_reg(self->vm.fd, 0, pairs[i][0]));
		if (!bad[i])
			continue;	/* CR3 has no reserved bits here */
		EXPECT_HV_ERROR(set_reg(self->vm.fd, 0, pairs[i][0], bad[i],
					&st), st, HV_STATUS_INVALID_PARAMETER);
		EXPECT_EQ(good[i] & 0xf,
			  mshv_get_reg(self->vm.fd, 0, pairs[i][1]));
	}
}

/*
 * INTERNAL_ACTIVITY_STATE: startup suspend (waiting for a SIPI), halt
 * suspend, neither; bit 2 (idle) is not offered, bits 63:3 are reserved.
 */
TEST_F(iface, internal_activity_state)
{
	const __u64 startup = HV_INTERNAL_ACTIVITY_STARTUP_SUSPEND;
	const __u64 halt = HV_INTERNAL_ACTIVITY_HALT_SUSPEND;
	const __u32 name = HV_REGISTER_INTERNAL_ACTIVITY_STATE;
	__u16 st;

	init_with_vps(_metadata, self);
	EXPECT_EQ(0ULL, mshv_get_reg(self->vm.fd, 0, name));
	ASSERT_EQ(0, set_reg(self->vm.fd, 1, name, startup, &st));
	EXPECT_EQ(startup, mshv_get_reg(self->vm.fd, 1, name));
	ASSERT_EQ(0, set_reg(self->vm.fd, 1, name, halt, &st));
	EXPECT_EQ(halt, mshv_get_reg(self->vm.fd, 1, name));
	ASSERT_EQ(0, set_reg(self->vm.fd, 1, name, 0, &st));
	EXPECT_EQ(0ULL, mshv_get_reg(self->vm.fd, 1, name));
	/* VP 0 was not touched */
	EXPECT_EQ(0ULL, mshv_get_reg(self->vm.fd, 0, name));
	EXPECT_HV_ERROR(set_reg(self->vm.fd, 1, name,
				HV_INTERNAL_ACTIVITY_IDLE_SUSPEND, &st),
			st, HV_STATUS_INVALID_PARAMETER);
	EXPECT_HV_ERROR(set_reg(self->vm.fd, 1, name, 1ULL << 3, &st),
			st, HV_STATUS_INVALID_PARAMETER);
	EXPECT_EQ(0ULL, mshv_get_reg(self->vm.fd, 1, name));
}

/* DEBUG_CTL keeps LBR and BTF; PRED_CMD takes IBPB; XSS only 0. */
TEST_F(iface, debugctl_pred_cmd_xss)
{
	__u16 st;

	init_with_vps(_metadata, self);
	EXPECT_EQ(0ULL, mshv_get_reg(self->vm.fd, 0,
				     HV_X64_REGISTER_DEBUG_CTL));
	ASSERT_EQ(0, set_reg(self->vm.fd, 0, HV_X64_REGISTER_DEBUG_CTL, 3,
			     &st));
	EXPECT_EQ(3ULL, mshv_get_reg(self->vm.fd, 0,
				     HV_X64_REGISTER_DEBUG_CTL));
	EXPECT_EQ(0ULL, mshv_get_reg(self->vm.fd, 1,
				     HV_X64_REGISTER_DEBUG_CTL));
	EXPECT_HV_ERROR(set_reg(self->vm.fd, 0, HV_X64_REGISTER_DEBUG_CTL,
				1ULL << 6, &st), st,
			HV_STATUS_INVALID_PARAMETER);
	EXPECT_EQ(3ULL, mshv_get_reg(self->vm.fd, 0,
				     HV_X64_REGISTER_DEBUG_CTL));

	ASSERT_EQ(0, set_reg(self->vm.fd, 0, HV_X64_REGISTER_PRED_CMD, 1,
			     &st));
	EXPECT_EQ(0ULL, mshv_get_reg(self->vm.fd, 0, HV_X64_REGISTER_PRED_CMD));
	EXPECT_HV_ERROR(set_reg(self->vm.fd, 0, HV_X64_REGISTER_PRED_CMD, 2,
				&st), st, HV_STATUS_INVALID_PARAMETER);

	ASSERT_EQ(0, set_reg(self->vm.fd, 0, HV_X64_REGISTER_XSS, 0, &st));
	EXPECT_HV_ERROR(set_reg(self->vm.fd, 0, HV_X64_REGISTER_XSS,
				1ULL << 11, &st), st,
			HV_STATUS_INVALID_PARAMETER);
	EXPECT_EQ(0ULL, mshv_get_reg(self->vm.fd, 0, HV_X64_REGISTER_XSS));
}

/* REFERENCE_TSC is the partition's: written on VP 0, read on VP 1. */
TEST_F(iface, reference_tsc_is_partition_wide)
{
	const __u64 val = 0x12345000ULL | 0x7feULL | 1;	/* RsvdP kept */
	__u16 st;

	init_with_vps(_metadata, self);
	EXPECT_EQ(0ULL, mshv_get_reg(self->vm.fd, 1,
				     HV_REGISTER_REFERENCE_TSC));
	ASSERT_EQ(0, set_reg(self->vm.fd, 0, HV_REGISTER_REFERENCE_TSC, val,
			     &st));
	EXPECT_EQ(val, mshv_get_reg(self->vm.fd, 1,
				    HV_REGISTER_REFERENCE_TSC));
	EXPECT_EQ(val, mshv_get_reg(self->vm.fd, 0,
				    HV_REGISTER_REFERENCE_TSC));
}

/* DELIVERABILITY_NOTIFICATIONS: its fields round trip, 47:6 reserved. */
TEST_F(iface, deliverability_notifications_bits)
{
	const __u32 name = HV_X64_REGISTER_DELIVERABILITY_NOTIFICATIONS;
	const __u64 all = HV_DELIVERABILITY_NMI | HV_DELIVERABILITY_INTERRUPT |
			  HV_DELIVERABILITY_INTERRUPT_PRIORITY |
			  HV_DELIVERABILITY_SINTS;
	unsigned int bit;
	__u16 st;

	init_with_vps(_metadata, self);
	ASSERT_EQ(0, set_reg(self->vm.fd, 0, name, all, &st));
	EXPECT_EQ(all, mshv_get_reg(self->vm.fd, 0, name));
	for (bit = 6; bit < 48; bit++) {
		st = 0;
		EXPECT_EQ(-1, set_reg(self->vm.fd, 0, name, 1ULL << bit, &st))
			TH_LOG("bit %u", bit);
		EXPECT_EQ(HV_STATUS_INVALID_PARAMETER, st) TH_LOG("bit %u", bit);
	}
	EXPECT_EQ(all, mshv_get_reg(self->vm.fd, 0, name));
	ASSERT_EQ(0, set_reg(self->vm.fd, 0, name, 0, &st));
	EXPECT_EQ(0ULL, mshv_get_reg(self->vm.fd, 0, name));
}

/*
 * PENDING_INTERRUPTION: bits 15:10 are reserved (between nested_event and
 * the vector); PENDING_EVENT0/1: bits 7:4 and 15:9 of the first word.
 */
TEST_F(iface, pending_registers_reserved_bits)
{
	/* pending, type 3 (exception), error code, vector 14, code 2 */
	const __u64 intr = 1 | (3 << 1) | (1 << 4) | (14ULL << 16) | (2ULL << 32);
	/* pending, type 0 (exception), deliver_error_code, vector 13 */
	const __u64 event = 1 | (1 << 8) | (13ULL << 16) | (5ULL << 32);
	union hv_register_value v;
	unsigned int bit;
	__u16 st;

	init_with_vps(_metadata, self);
	ASSERT_EQ(0, set_reg(self->vm.fd, 0, HV_REGISTER_PENDING_INTERRUPTION,
			     intr, &st));
	EXPECT_EQ(intr, mshv_get_reg(self->vm.fd, 0,
				     HV_REGISTER_PENDING_INTERRUPTION));
	for (bit = 10; bit < 16; bit++) {
		st = 0;
		EXPECT_EQ(-1, set_reg(self->vm.fd, 0,
				      HV_REGISTER_PENDING_INTERRUPTION,
				      intr | 1ULL << bit, &st)) TH_LOG("bit %u", bit);
		EXPECT_EQ(HV_STATUS_INVALID_PARAMETER, st);
	}
	EXPECT_EQ(intr, mshv_get_reg(self->vm.fd, 0,
				     HV_REGISTER_PENDING_INTERRUPTION));

	ASSERT_EQ(0, set_reg128(self->vm.fd, 0, HV_REGISTER_PENDING_EVENT1,
				event, 0xabcdULL, &st));
	v = get_reg128(_metadata, self->vm.fd, 0, HV_REGISTER_PENDING_EVENT1);
	EXPECT_EQ(event, v.reg128.low_part);
	EXPECT_EQ(0xabcdULL, v.reg128.high_part);
	for (bit = 4; bit < 16; bit++) {
		if (bit == 8)
			continue;
		st = 0;
		EXPECT_EQ(-1, set_reg128(self->vm.fd, 0,
					 HV_REGISTER_PENDING_EVENT0,
					 event | 1ULL << bit, 0, &st))
			TH_LOG("bit %u", bit);
		EXPECT_EQ(HV_STATUS_INVALID_PARAMETER, st);
	}
}

TEST_HARNESS_MAIN
