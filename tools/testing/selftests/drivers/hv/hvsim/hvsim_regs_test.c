// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim's VP register file and VP state through MSHV_ROOT_HVCALL and
 * MSHV_GET/SET_VP_STATE: reset values, round trips per register class,
 * invalid values, and the state pages byte for byte.
 */
#include "hvsim_iface.h"

/* ------------------------------------------------------------------ */
/* Registers.                                                         */
/* ------------------------------------------------------------------ */

struct reg_value {
	__u32 name;
	__u64 lo, hi;
};

#define R(n, l)		{ .name = (n), .lo = (l) }
#define R2(n, l, h)	{ .name = (n), .lo = (l), .hi = (h) }

TEST_F(iface, register_reset_values)
{
	static const struct reg_value vp1[] = {
		R(HV_X64_REGISTER_RIP, 0xfff0),
		R(HV_X64_REGISTER_RFLAGS, 0x2),
		R(HV_X64_REGISTER_CR0, 0x60000010),
		R(HV_X64_REGISTER_EFER, 0),
		R(HV_X64_REGISTER_APIC_BASE, 0xfee00800),	/* not BSP */
		R(HV_X64_REGISTER_PAT, 0x0007040600070406ULL),
		R(HV_X64_REGISTER_DR6, 0xffff0ff0),
		R(HV_X64_REGISTER_DR7, 0x400),
		R(HV_X64_REGISTER_XFEM, 1),
		R(HV_X64_REGISTER_MSR_MTRR_CAP, 0x508),
		R(HV_X64_REGISTER_INITIAL_APIC_ID, 1),
		R(HV_REGISTER_VP_INDEX, 1),
		R(HV_REGISTER_SINT0, HV_SYNIC_SINT_MASKED),
		R(HV_REGISTER_SINT15, HV_SYNIC_SINT_MASKED),
		R(HV_REGISTER_SVERSION, 1),
		R(HV_REGISTER_SIMP, 0),
		R(HV_X64_REGISTER_FP_CONTROL_STATUS, 0x37f),
		/* last_fp_rdp, then MXCSR 0x1f80 and its mask 0xffff */
		R2(HV_X64_REGISTER_XMM_CONTROL_STATUS, 0, 0x0000ffff00001f80ULL),
		R(HV_X64_REGISTER_XMM0 + 3, 0),
	};
	union hv_register_value v;
	unsigned int i;

	init_with_vps(_metadata, self);
	for (i = 0; i < ARRAY_SIZE(vp1); i++) {
		v = get_reg128(_metadata, self->vm.fd, 1, vp1[i].name);
		EXPECT_EQ(vp1[i].lo, v.reg128.low_part)
			TH_LOG("register 0x%x", vp1[i].name);
		EXPECT_EQ(vp1[i].hi, v.reg128.high_part)
			TH_LOG("register 0x%x", vp1[i].name);
	}
	EXPECT_EQ(0xfee00900ULL, mshv_get_reg(self->vm.fd, 0,
					      HV_X64_REGISTER_APIC_BASE));
}

TEST_F(iface, register_round_trips)
{
	static const struct reg_value regs[] = {
		/* general, IP, flags */
		R(HV_X64_REGISTER_R15, 0x0123456789abcdefULL),
		R(HV_X64_REGISTER_RIP, 0x1000),
		R(HV_X64_REGISTER_RFLAGS, 0x246),
		/* control */
		R(HV_X64_REGISTER_CR0, 0x80050033),
		R(HV_X64_REGISTER_CR2, 0xdead000),
		R(HV_X64_REGISTER_CR3, 0x9000),
		R(HV_X64_REGISTER_CR4, 0x6f0),
		R(HV_X64_REGISTER_CR8, 7),
		R(HV_X64_REGISTER_EFER, 0xd01),
		R(HV_X64_REGISTER_XFEM, 3),
		/* debug */
		R(HV_X64_REGISTER_DR0, 0x1111),
		R(HV_X64_REGISTER_DR3, 0x4444),
		R(HV_X64_REGISTER_DR6, 0xffff4ff1),
		R(HV_X64_REGISTER_DR7, 0x401),
		/* x87 / SSE, 128 bits */
		R2(HV_X64_REGISTER_XMM0, 0x1122334455667788ULL, 0x99aabbccddeeff00ULL),
		R2(HV_X64_REGISTER_XMM15, 1, 2),
		R2(HV_X64_REGISTER_FP_MMX0 + 3, 0x8000000000000000ULL, 0x3fff),
		R2(HV_X64_REGISTER_FP_CONTROL_STATUS, 0x0000000000ff027fULL, 0x1234),
		R2(HV_X64_REGISTER_XMM_CONTROL_STATUS, 0x5678, 0x0000ffff00001fa0ULL),
		/* MSRs */
		R(HV_X64_REGISTER_KERNEL_GS_BASE, 0xffff888000000000ULL),
		R(HV_X64_REGISTER_STAR, 0x0023001000000000ULL),
		R(HV_X64_REGISTER_LSTAR, 0xffffffff81000000ULL),
		R(HV_X64_REGISTER_CSTAR, 0xffffffff82000000ULL),
		R(HV_X64_REGISTER_SFMASK, 0x47700),
		R(HV_X64_REGISTER_SYSENTER_CS, 0x10),
		R(HV_X64_REGISTER_SYSENTER_EIP, 0xffffffff81001000ULL),
		R(HV_X64_REGISTER_SYSENTER_ESP, 0xfffffe0000001000ULL),
		R(HV_X64_REGISTER_TSC_AUX, 3),
		R(HV_X64_REGISTER_PAT, 0x0407050600070106ULL),
		R(HV_X64_REGISTER_APIC_BASE, 0xfee00d00),
		R(HV_X64_REGISTER_MSR_MTRR_DEF_TYPE, 0xc06),
		R(HV_X64_REGISTER_MSR_MTRR_PHYS_BASE0 + 3, 0x80000006),
		R(HV_X64_REGISTER_MSR_MTRR_PHYS_MASK0 + 3, 0xfc0000800ULL),
		R(HV_X64_REGISTER_MSR_MTRR_FIX64K00000, 0x0606060606060606ULL),
		R(HV_X64_REGISTER_MSR_MTRR_FIX4KF8000, 0x0505050505050505ULL),
		R(HV_X64_REGISTER_SPEC_CTRL, 1),
		/* synthetic */
		R(HV_REGISTER_SINT0 + 3, 0x30052),
		R(HV_REGISTER_SCONTROL, 1),
		R(HV_REGISTER_SIEFP, SIEFP_GPA | 1),
		R(HV_REGISTER_SIMP, SIMP_GPA | 1),
		R(HV_REGISTER_GUEST_OS_ID, 0x8100000000000000ULL),
		R(HV_X64_REGISTER_HYPERCALL, 0x7001),
		R(HV_REGISTER_STIMER0_CONFIG + 4, 0x30002),	/* STIMER2 */
		R(HV_REGISTER_STIMER0_CONFIG + 5, 100000),
		/* interrupt state */
		R(HV_REGISTER_PENDING_INTERRUPTION, 0x80000031ULL),
		R(HV_REGISTER_INTERRUPT_STATE, 3),
		R2(HV_REGISTER_PENDING_EVENT0, 0x1234567800000001ULL, 0xfedcba98),
		R(HV_X64_REGISTER_DELIVERABILITY_NOTIFICATIONS, 0x5),
	};
	union hv_register_value v;
	unsigned int i;
	__u64 tsc;
	__u16 st;

	init_with_vps(_metadata, self);
	for (i = 0; i < ARRAY_SIZE(regs); i++) {
		ASSERT_EQ(0, set_reg128(self->vp_fd[1], 1, regs[i].name,
					regs[i].lo, regs[i].hi, &st))
			TH_LOG("SET 0x%x: status 0x%x", regs[i].name, st);
	}
	for (i = 0; i < ARRAY_SIZE(regs); i++) {
		v = get_reg128(_metadata, self->vm.fd, 1, regs[i].name);
		EXPECT_EQ(regs[i].lo, v.reg128.low_part)
			TH_LOG("register 0x%x", regs[i].name);
		EXPECT_EQ(regs[i].hi, v.reg128.high_part)
			TH_LOG("register 0x%x", regs[i].name);
	}
	/* The TSC runs on from the value written. */
	ASSERT_EQ(0, set_reg(self->vm.fd, 1, HV_X64_REGISTER_TSC,
			     1ULL << 40, &st));
	tsc = mshv_get_reg(self->vm.fd, 1, HV_X64_REGISTER_TSC);
	EXPECT_LE(1ULL << 40, tsc);
	EXPECT_GT((1ULL << 40) + (1ULL << 38), tsc);
	/* VP 0 was not touched. */
	EXPECT_EQ(0ULL, mshv_get_reg(self->vm.fd, 0, HV_X64_REGISTER_R15));
}

TEST_F(iface, register_invalid_values)
{
	static const struct reg_value bad[] = {
		R(HV_X64_REGISTER_RFLAGS, 0),			/* bit 1 clear */
		R(HV_X64_REGISTER_RFLAGS, 0x2 | (1ULL << 22)),
		R(HV_X64_REGISTER_CR0, 0x60000010 | (1ULL << 40)),
		R(HV_X64_REGISTER_CR0, 0x80000000),		/* PG without PE */
		R(HV_X64_REGISTER_CR4, 1ULL << 31),
		R(HV_X64_REGISTER_CR8, 16),
		R(HV_X64_REGISTER_EFER, 1ULL << 5),
		R(HV_X64_REGISTER_DR7, 1ULL << 32),
		R(HV_X64_REGISTER_XFEM, 2),			/* no x87 */
		R(HV_X64_REGISTER_PAT, 0x02),
		R(HV_X64_REGISTER_APIC_BASE, 0xfee00001),
		R(HV_X64_REGISTER_TSC_AUX, 1ULL << 32),
		R(HV_X64_REGISTER_LSTAR, 0x0000800000000000ULL),
		R(HV_X64_REGISTER_MSR_MTRR_DEF_TYPE, 2),
		R(HV_REGISTER_SINT0, 1ULL << 30),
		R(HV_REGISTER_SCONTROL, 2),
		R(HV_REGISTER_INTERRUPT_STATE, 4),
		R(0x0001ffff, 0),				/* no such name */
	};
	struct hv_register_assoc three[3] = {
		{ .name = HV_X64_REGISTER_RAX, .value.reg64 = 1 },
		{ .name = HV_X64_REGISTER_CR4, .value.reg64 = 1ULL << 63 },
		{ .name = HV_X64_REGISTER_RBX, .value.reg64 = 2 },
	};
	struct mshv_root_hvcall args;
	struct {
		struct hv_input_set_vp_registers hdr;
		struct hv_register_assoc el[3];
	} in = { 0 };
	unsigned int i;
	__u16 st;

	init_with_vps(_metadata, self);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		st = 0;
		EXPECT_EQ(-1, set_reg(self->vm.fd, 0, bad[i].name, bad[i].lo,
				      &st));
		EXPECT_EQ(HV_STATUS_INVALID_PARAMETER, st)
			TH_LOG("register 0x%x = 0x%llx", bad[i].name,
			       (unsigned long long)bad[i].lo);
	}
	/* Non-canonical RIP only matters in long mode. */
	ASSERT_EQ(0, set_reg(self->vm.fd, 0, HV_X64_REGISTER_RIP,
			     0x0000800000000000ULL, &st));
	ASSERT_EQ(0, set_reg(self->vm.fd, 0, HV_X64_REGISTER_EFER, 0x500, &st));
	EXPECT_HV_ERROR(set_reg(self->vm.fd, 0, HV_X64_REGISTER_RIP,
				0x0000800000000000ULL, &st),
			st, HV_STATUS_INVALID_PARAMETER);
	/* Read-only registers. */
	EXPECT_HV_ERROR(set_reg(self->vm.fd, 0, HV_REGISTER_SVERSION, 2, &st),
			st, HV_STATUS_ACCESS_DENIED);
	EXPECT_HV_ERROR(set_reg(self->vm.fd, 0, HV_REGISTER_VP_INDEX, 2, &st),
			st, HV_STATUS_ACCESS_DENIED);

	/* A bad element stops the call there: reps completed = its index. */
	memcpy(in.el, three, sizeof(three));
	memset(&args, 0, sizeof(args));
	args.code = HVCALL_SET_VP_REGISTERS;
	args.reps = 3;
	args.in_sz = sizeof(in);
	args.in_ptr = (__u64)(unsigned long)&in;
	EXPECT_EQ(-1, ioctl(self->vm.fd, MSHV_ROOT_HVCALL, &args));
	EXPECT_EQ(HV_STATUS_INVALID_PARAMETER, args.status);
	EXPECT_EQ(1, args.reps);
	EXPECT_EQ(1ULL, mshv_get_reg(self->vm.fd, 0, HV_X64_REGISTER_RAX));
	EXPECT_EQ(0ULL, mshv_get_reg(self->vm.fd, 0, HV_X64_REGISTER_RBX));
}

/* ------------------------------------------------------------------ */
/* VP state.                                                          */
/* ------------------------------------------------------------------ */

static void fill_pattern(void *buf, size_t len, unsigned int seed)
{
	unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(i * 7 + seed * 13 + (i >> 8));
}

TEST_F(iface, vp_state_reset_values)
{
	struct hv_local_interrupt_controller_state *lapic;
	struct hv_synthetic_timers_state *timers;
	__u8 *buf = mshv_alloc_state_buf(STATE_BUF_SIZE);
	__u32 sz;
	__u16 fcw;
	__u32 mxcsr;

	init_with_vps(_metadata, self);
	GET_STATE_OR_SKIP(self->vp_fd[1], MSHV_VP_STATE_LAPIC, buf, &sz);
	ASSERT_EQ((__u32)GUEST_PAGE_SIZE, sz);
	lapic = (void *)buf;
	EXPECT_EQ(1U, lapic->apic_id);
	EXPECT_EQ(0x50014U, lapic->apic_version);
	EXPECT_EQ(0xffU, lapic->apic_spurious);
	EXPECT_EQ(0x10000U, lapic->apic_lvt_lint0);

	sz = STATE_BUF_SIZE;
	ASSERT_EQ(0, __mshv_get_vp_state(self->vp_fd[1], MSHV_VP_STATE_XSAVE,
					 buf, &sz));
	EXPECT_LE(576U, sz);
	memcpy(&fcw, buf, sizeof(fcw));
	memcpy(&mxcsr, buf + 24, sizeof(mxcsr));
	EXPECT_EQ(0x37f, fcw);
	EXPECT_EQ(0x1f80U, mxcsr);

	sz = STATE_BUF_SIZE;
	memset(buf, 0xff, GUEST_PAGE_SIZE);
	ASSERT_EQ(0, __mshv_get_vp_state(self->vp_fd[1],
					 MSHV_VP_STATE_SYNTHETIC_TIMERS,
					 buf, &sz));
	EXPECT_EQ(sizeof(*timers), sz);
	timers = (void *)buf;
	EXPECT_EQ(0ULL, timers->timers[3].config);
out:
	free(buf);
}

TEST_F(iface, vp_state_round_trips)
{
	static const __u8 types[] = {
		MSHV_VP_STATE_LAPIC, MSHV_VP_STATE_XSAVE, MSHV_VP_STATE_SIMP,
		MSHV_VP_STATE_SIEFP, MSHV_VP_STATE_SYNTHETIC_TIMERS,
	};
	__u8 *set = mshv_alloc_state_buf(STATE_BUF_SIZE);
	__u8 *get = mshv_alloc_state_buf(STATE_BUF_SIZE);
	__u64 bv = 3;
	__u32 sz, size, mxcsr = 0x1f80;
	unsigned int i;

	init_with_vps(_metadata, self);
	GET_STATE_OR_SKIP(self->vp_fd[0], MSHV_VP_STATE_LAPIC, get, &sz);
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		sz = STATE_BUF_SIZE;
		ASSERT_EQ(0, __mshv_get_vp_state(self->vp_fd[0], types[i], get,
						 &sz));
		size = sz;
		fill_pattern(set, STATE_BUF_SIZE, i + 1);
		if (types[i] == MSHV_VP_STATE_XSAVE) {
			/* Legal XSAVE: MXCSR, XSTATE_BV, XCOMP_BV = 0. */
			memcpy(set + 24, &mxcsr, sizeof(mxcsr));
			memcpy(set + 512, &bv, sizeof(bv));
			memset(set + 520, 0, 56);
		}
		if (types[i] == MSHV_VP_STATE_LAPIC) {
			/*
			 * The page is the live APIC: a stopped timer reads
			 * back unchanged (a running one counts down).
			 */
			struct hv_local_interrupt_controller_state *l =
				(void *)set;

			l->apic_initial_count = 0;
			l->apic_counter_value = 0;
		}
		sz = STATE_BUF_SIZE;
		ASSERT_EQ(0, __mshv_set_vp_state(self->vp_fd[0], types[i], set,
						 &sz));
		memset(get, 0, STATE_BUF_SIZE);
		sz = STATE_BUF_SIZE;
		ASSERT_EQ(0, __mshv_get_vp_state(self->vp_fd[0], types[i], get,
						 &sz));
		EXPECT_EQ(size, sz);
		EXPECT_EQ(0, memcmp(set, get, size))
			TH_LOG("state type %u", types[i]);
		/* VP 1 is unaffected. */
		sz = STATE_BUF_SIZE;
		ASSERT_EQ(0, __mshv_get_vp_state(self->vp_fd[1], types[i], get,
						 &sz));
		EXPECT_NE(0, memcmp(set, get, size));
	}

	/* XSAVE in compacted form is refused and changes nothing. */
	sz = STATE_BUF_SIZE;
	ASSERT_EQ(0, __mshv_get_vp_state(self->vp_fd[0], MSHV_VP_STATE_XSAVE,
					 set, &sz));
	size = sz;
	memcpy(get, set, size);
	get[527] = 0x80;		/* XCOMP_BV bit 63 */
	sz = STATE_BUF_SIZE;
	EXPECT_EQ(-1, __mshv_set_vp_state(self->vp_fd[0], MSHV_VP_STATE_XSAVE,
					  get, &sz));
	sz = STATE_BUF_SIZE;
	ASSERT_EQ(0, __mshv_get_vp_state(self->vp_fd[0], MSHV_VP_STATE_XSAVE,
					 get, &sz));
	EXPECT_EQ(0, memcmp(set, get, size));

	/* The XMM registers are the XSAVE area's. */
	EXPECT_EQ(*(__u64 *)(set + 160),
		  mshv_get_reg(self->vm.fd, 0, HV_X64_REGISTER_XMM0));
out:
	free(set);
	free(get);
}

TEST_HARNESS_MAIN
