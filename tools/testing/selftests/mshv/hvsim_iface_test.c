// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim's partition and VP interface, driven through MSHV_ROOT_HVCALL and
 * MSHV_GET/SET_VP_STATE: partition properties and their errors, the
 * asynchronous property set, the register file (reset values, round trips
 * per class, invalid values), VP state byte for byte, CPUID values and
 * registered results, intercept installation, SIGNAL_EVENT_DIRECT and
 * POST_MESSAGE_DIRECT, TRANSLATE_VIRTUAL_ADDRESS and hvsim's fault
 * injection.  Hypervisor errors come back as -1 with errno EIO or EINVAL
 * (the driver's status-to-errno table) and the status in the argument.
 */
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mshv_util.h"

#define FAULT_DIR		HVSIM_DEBUGFS_DIR "/fault"
#define STATE_BUF_SIZE		(16 * GUEST_PAGE_SIZE)
#define GUEST_MEM_SIZE		0x10000

#define SIEFP_GPA		0x5000ULL
#define SIMP_GPA		0x6000ULL

/* Hypervisor errors are EIO or EINVAL, with the status written back. */
#define EXPECT_HV_ERROR(ret, st, want) do {				\
		EXPECT_EQ(-1, (ret));					\
		EXPECT_TRUE(errno == EIO || errno == EINVAL);		\
		EXPECT_EQ((want), (st));				\
	} while (0)

static int write_file(const char *path, unsigned long long val)
{
	char buf[32];
	int fd, len, ret;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	len = snprintf(buf, sizeof(buf), "%llu", val);
	ret = write(fd, buf, len) == len ? 0 : -1;
	close(fd);
	return ret;
}

static long long read_file(const char *path)
{
	char buf[32];
	ssize_t len;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	return strtoll(buf, NULL, 0);
}

static int get_property_ex(int fd, __u32 code, void *out, __u16 out_sz,
			   __u16 *status)
{
	struct hv_input_get_partition_property_ex in = {
		.property_code = code,
	};

	return __mshv_hvcall(fd, HVCALL_GET_PARTITION_PROPERTY_EX, 0, &in,
			     sizeof(in), out, out_sz, status);
}

static int set_reg128(int fd, __u32 vp, __u32 name, __u64 lo, __u64 hi,
		      __u16 *status)
{
	struct hv_register_assoc a = { .name = name };

	a.value.reg128.low_part = lo;
	a.value.reg128.high_part = hi;
	return __mshv_set_regs(fd, vp, &a, 1, status);
}

static int set_reg(int fd, __u32 vp, __u32 name, __u64 v, __u16 *status)
{
	return set_reg128(fd, vp, name, v, 0, status);
}

static union hv_register_value get_reg128(struct __test_metadata *_metadata,
					  int fd, __u32 vp, __u32 name)
{
	union hv_register_value v;
	__u16 status = 0;

	memset(&v, 0xa5, sizeof(v));
	EXPECT_EQ(0, __mshv_get_regs(fd, vp, &name, &v, 1, &status)) {
		TH_LOG("GET 0x%x: status 0x%x", name, status);
	}
	return v;
}

/* GET_VP_CPUID_VALUES for one leaf. */
static int cpuid_values(int fd, __u32 vp, __u32 flags, __u32 leaf,
			__u32 subleaf, __u32 out[4], __u16 *status)
{
	struct {
		struct hv_input_get_vp_cpuid_values hdr;
		struct hv_cpuid_leaf_info leaf;
	} in = { 0 };

	in.hdr.vp_index = vp;
	in.hdr.flags = flags;
	in.leaf.eax = leaf;
	in.leaf.ecx = subleaf;
	return __mshv_hvcall(fd, HVCALL_GET_VP_CPUID_VALUES, 1, &in,
			     sizeof(in), out, 16, status);
}

static int register_cpuid(int fd, __u32 vp, __u32 leaf, __u32 ebx,
			  __u32 ebx_mask, __u16 *status)
{
	struct hv_input_register_intercept_result in = {
		.vp_index = vp,
		.intercept_type = HV_INTERCEPT_TYPE_X64_CPUID,
	};

	in.parameters.cpuid.input.eax = leaf;
	in.parameters.cpuid.result.ebx = ebx;
	in.parameters.cpuid.result.ebx_mask = ebx_mask;
	return __mshv_hvcall(fd, HVCALL_REGISTER_INTERCEPT_RESULT, 0, &in,
			     sizeof(in), NULL, 0, status);
}

static int install_intercept(int fd, __u32 type, __u32 access, __u64 param,
			     __u16 *status)
{
	struct hv_input_install_intercept in = {
		.access_type = access,
		.intercept_type = type,
		.intercept_parameter = param,
	};

	return __mshv_hvcall(fd, HVCALL_INSTALL_INTERCEPT, 0, &in, sizeof(in),
			     NULL, 0, status);
}

/* ------------------------------------------------------------------ */
/* A partition, not yet initialized, and optionally two VPs.          */
/* ------------------------------------------------------------------ */

FIXTURE(iface) {
	struct mshv_vm vm;
	int vp_fd[2];
};

FIXTURE_SETUP(iface)
{
	self->vm.dev_fd = -1;
	self->vm.fd = -1;
	self->vp_fd[0] = self->vp_fd[1] = -1;
	MSHV_REQUIRE_DEV();
	self->vm.dev_fd = mshv_open_dev();
	self->vm.fd = mshv_create_partition(self->vm.dev_fd, true);
}

FIXTURE_TEARDOWN(iface)
{
	if (self->vp_fd[1] >= 0)
		close(self->vp_fd[1]);
	if (self->vp_fd[0] >= 0)
		close(self->vp_fd[0]);
	mshv_vm_destroy(&self->vm);
}

static void init_with_vps(struct __test_metadata *_metadata,
			  FIXTURE_DATA(iface) *self)
{
	ASSERT_EQ(0, __mshv_initialize_partition(self->vm.fd));
	self->vp_fd[0] = __mshv_create_vp(self->vm.fd, 0);
	ASSERT_LE(0, self->vp_fd[0]);
	self->vp_fd[1] = __mshv_create_vp(self->vm.fd, 1);
	ASSERT_LE(0, self->vp_fd[1]);
}

/* ------------------------------------------------------------------ */
/* Properties.                                                        */
/* ------------------------------------------------------------------ */

TEST_F(iface, property_errors)
{
	__u16 st = 0;

	EXPECT_HV_ERROR(__mshv_get_property(self->vm.fd, 0x12345, NULL, &st),
			st, HV_STATUS_UNKNOWN_PROPERTY);
	EXPECT_HV_ERROR(__mshv_set_property(self->vm.fd, 0x12345, 0, &st),
			st, HV_STATUS_UNKNOWN_PROPERTY);
	/* Read-only. */
	EXPECT_HV_ERROR(__mshv_set_property(self->vm.fd,
					    HV_PARTITION_PROPERTY_PROCESSOR_CLOCK_FREQUENCY,
					    1, &st),
			st, HV_STATUS_ACCESS_DENIED);
	/* Out of range. */
	EXPECT_HV_ERROR(__mshv_set_property(self->vm.fd,
					    HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION,
					    2, &st),
			st, HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE);
	EXPECT_HV_ERROR(__mshv_set_property(self->vm.fd,
					    HV_PARTITION_PROPERTY_TIME_FREEZE,
					    2, &st),
			st, HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE);
	EXPECT_HV_ERROR(__mshv_set_property(self->vm.fd,
					    HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
					    1ULL << 12, &st),
			st, HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE);
	/* VMM capabilities exist only through the _EX call. */
	EXPECT_HV_ERROR(__mshv_get_property(self->vm.fd,
					    HV_PARTITION_PROPERTY_VMM_CAPABILITIES,
					    NULL, &st),
			st, HV_STATUS_UNKNOWN_PROPERTY);

	/* Early properties: fine before initialize, refused after. */
	mshv_set_property(self->vm.fd, HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS,
			  0x1234);
	EXPECT_EQ(0x1234ULL, mshv_get_property(self->vm.fd,
					       HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS));
	ASSERT_EQ(0, __mshv_initialize_partition(self->vm.fd));
	EXPECT_HV_ERROR(__mshv_set_property(self->vm.fd,
					    HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS,
					    1, &st),
			st, HV_STATUS_INVALID_PARTITION_STATE);
	EXPECT_HV_ERROR(__mshv_set_property(self->vm.fd,
					    HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
					    1, &st),
			st, HV_STATUS_INVALID_PARTITION_STATE);
	/* Late ones still work. */
	mshv_set_property(self->vm.fd,
			  HV_PARTITION_PROPERTY_GPA_PAGE_ACCESS_TRACKING, 1);
	EXPECT_EQ(1ULL, mshv_get_property(self->vm.fd,
					  HV_PARTITION_PROPERTY_GPA_PAGE_ACCESS_TRACKING));
}

TEST_F(iface, host_properties)
{
	struct hv_partition_property_vmm_capabilities caps;
	__u64 v = 0, assignable = 0;
	__u16 st = 0;
	int fd = self->vm.dev_fd;

	v = mshv_get_property(fd, HV_PARTITION_PROPERTY_PHYSICAL_ADDRESS_WIDTH);
	EXPECT_LE(32ULL, v);
	EXPECT_GE(52ULL, v);
	v = mshv_get_property(fd, HV_PARTITION_PROPERTY_XSAVE_STATES);
	EXPECT_EQ(3ULL, v & 3);
	v = mshv_get_property(fd, HV_PARTITION_PROPERTY_MAX_XSAVE_DATA_SIZE);
	EXPECT_LE(576ULL, v);
	EXPECT_NE(0ULL, mshv_get_property(fd,
					  HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0));
	EXPECT_NE(0ULL, mshv_get_property(fd,
					  HV_PARTITION_PROPERTY_PROCESSOR_CLOCK_FREQUENCY));

	memset(&caps, 0xff, sizeof(caps));
	ASSERT_EQ(0, get_property_ex(fd, HV_PARTITION_PROPERTY_VMM_CAPABILITIES,
				     &caps, sizeof(caps), &st));
	EXPECT_EQ(1, caps.bank_count);
	EXPECT_TRUE(!!(caps.bank0 &
		       HV_VMM_CAP_ASSIGNABLE_SYNTHETIC_PROC_FEATURES));
	ASSERT_EQ(0, get_property_ex(fd,
				     HV_PARTITION_PROPERTY_ASSIGNABLE_SYNTHETIC_PROC_FEATURES,
				     &assignable, sizeof(assignable), &st));
	EXPECT_EQ(3ULL, assignable & 3);

	/* The root's own stored properties are not readable... */
	EXPECT_HV_ERROR(__mshv_get_property(fd,
					    HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS,
					    NULL, &st),
			st, HV_STATUS_ACCESS_DENIED);
}

TEST_F(iface, disabled_feature_banks)
{
	struct mshv_create_partition_v2 args;
	__u64 host0, child0;
	int fd, vp_fd;
	__u32 out[4];
	__u16 st;

	host0 = mshv_get_property(self->vm.dev_fd,
				  HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0);
	ASSERT_NE(0ULL, host0 & 1) TH_LOG("host has no SSE3?");
	EXPECT_EQ(host0, mshv_get_property(self->vm.fd,
					   HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0));

	mshv_partition_args(&args, true);
	args.pt_cpu_fbanks[0] = 1;		/* disable SSE3 */
	fd = __mshv_create_partition(self->vm.dev_fd, &args);
	ASSERT_LE(0, fd);
	child0 = mshv_get_property(fd, HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0);
	EXPECT_EQ(host0 & ~1ULL, child0);

	ASSERT_EQ(0, __mshv_initialize_partition(fd));
	vp_fd = __mshv_create_vp(fd, 0);
	ASSERT_LE(0, vp_fd);
	ASSERT_EQ(0, cpuid_values(fd, 0, 0, 1, 0, out, &st));
	EXPECT_EQ(0U, out[2] & 1);		/* CPUID.1:ECX.SSE3 */
	close(vp_fd);
	close(fd);
}

TEST_F(iface, time_freeze_and_reference_time)
{
	__u64 t1, t2;
	__u16 st = 0;
	int i;

	ASSERT_EQ(0, __mshv_initialize_partition(self->vm.fd));
	EXPECT_HV_ERROR(__mshv_set_property(self->vm.fd,
					    HV_PARTITION_PROPERTY_REFERENCE_TIME,
					    5, &st),
			st, HV_STATUS_INVALID_PARTITION_STATE);

	mshv_set_property(self->vm.fd, HV_PARTITION_PROPERTY_TIME_FREEZE, 1);
	EXPECT_EQ(1ULL, mshv_get_property(self->vm.fd,
					  HV_PARTITION_PROPERTY_TIME_FREEZE));
	mshv_set_property(self->vm.fd, HV_PARTITION_PROPERTY_REFERENCE_TIME,
			  1000000);
	t1 = mshv_get_property(self->vm.fd, HV_PARTITION_PROPERTY_REFERENCE_TIME);
	t2 = mshv_get_property(self->vm.fd, HV_PARTITION_PROPERTY_REFERENCE_TIME);
	EXPECT_EQ(1000000ULL, t1);
	EXPECT_EQ(t1, t2);

	/* Thawed, the clock moves on from where it was set. */
	mshv_set_property(self->vm.fd, HV_PARTITION_PROPERTY_TIME_FREEZE, 0);
	for (i = 0; i < 1000000; i++) {
		t2 = mshv_get_property(self->vm.fd,
				       HV_PARTITION_PROPERTY_REFERENCE_TIME);
		if (t2 > t1)
			break;
	}
	EXPECT_LT(t1, t2);
}

TEST_F(iface, async_synthetic_features)
{
	const char *count = HVSIM_DEBUGFS_DIR "/async_completions";
	long long before = read_file(count);
	__u16 st = 0xffff;
	int ret;

	if (before < 0)
		SKIP(return, "no %s", count);
	ret = __mshv_set_property(self->vm.fd,
				  HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
				  HV_SYNTHETIC_PROC_FEATURE_HYPERVISOR_PRESENT |
				  HV_SYNTHETIC_PROC_FEATURE_HV1, &st);
	ASSERT_EQ(0, ret) TH_LOG("errno %d status 0x%x", errno, st);
	/*
	 * The hypervisor answered CALL_PENDING and posted exactly one
	 * completion message; the ioctl returned that message's status.
	 */
	EXPECT_EQ(HV_STATUS_SUCCESS, st);
	EXPECT_EQ(before + 1, read_file(count));
	EXPECT_EQ(3ULL, mshv_get_property(self->vm.fd,
					  HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES));
}

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

/* Get @type; SKIP the test if the driver does not have the ioctl. */
#define GET_STATE_OR_SKIP(fd, type, buf, sz) do {			\
		*(sz) = STATE_BUF_SIZE;					\
		if (__mshv_get_vp_state(fd, type, buf, sz) &&		\
		    (errno == ENOTTY || errno == EOPNOTSUPP))		\
			SKIP(goto out, "MSHV_GET_VP_STATE not supported"); \
	} while (0)

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

/* ------------------------------------------------------------------ */
/* CPUID and intercepts.                                              */
/* ------------------------------------------------------------------ */

TEST_F(iface, cpuid_values)
{
	__u32 out[4], host[4];
	__u16 st;

	mshv_set_property(self->vm.fd,
			  HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
			  HV_SYNTHETIC_PROC_FEATURE_HYPERVISOR_PRESENT |
			  HV_SYNTHETIC_PROC_FEATURE_HV1);
	init_with_vps(_metadata, self);

	/* Leaf 0 is the host's. */
	__cpuid_count(0, 0, host[0], host[1], host[2], host[3]);
	ASSERT_EQ(0, cpuid_values(self->vm.fd, 0, 0, 0, 0, out, &st));
	EXPECT_EQ(0, memcmp(host, out, sizeof(out)));

	/* The hypervisor leaves: "Microsoft Hv", "Hv#1". */
	ASSERT_EQ(0, cpuid_values(self->vm.fd, 0, 0, 0x40000000, 0, out, &st));
	EXPECT_LE(0x40000005U, out[0]);
	EXPECT_EQ(0, memcmp(&out[1], "Microsoft Hv", 12));
	ASSERT_EQ(0, cpuid_values(self->vm.fd, 1, 0, 0x40000001, 0, out, &st));
	EXPECT_EQ(0, memcmp(&out[0], "Hv#1", 4));

	/* Leaf 1: hypervisor bit, initial APIC id = VP index. */
	ASSERT_EQ(0, cpuid_values(self->vm.fd, 1, 0, 1, 0, out, &st));
	EXPECT_NE(0U, out[2] & (1U << 31));
	EXPECT_EQ(1U, out[1] >> 24);

	/* Registered results: for all VPs, then one VP; masked bits only. */
	ASSERT_EQ(0, register_cpuid(self->vm.fd, HV_ANY_VP, 0x80000002,
				    0x11223344, 0xffffffff, &st));
	ASSERT_EQ(0, register_cpuid(self->vm.fd, 1, 0x80000002, 0x0000aa00,
				    0x0000ff00, &st));
	ASSERT_EQ(0, cpuid_values(self->vm.fd, 0,
				  HV_GET_VP_CPUID_VALUES_APPLY_REGISTERED_VALUES,
				  0x80000002, 0, out, &st));
	EXPECT_EQ(0x11223344U, out[1]);
	ASSERT_EQ(0, cpuid_values(self->vm.fd, 1,
				  HV_GET_VP_CPUID_VALUES_APPLY_REGISTERED_VALUES,
				  0x80000002, 0, out, &st));
	EXPECT_EQ(0x1122aa44U, out[1]);
	/* Registering the same leaf again replaces the result. */
	ASSERT_EQ(0, register_cpuid(self->vm.fd, HV_ANY_VP, 0x80000002,
				    0x55667788, 0xffffffff, &st));
	ASSERT_EQ(0, cpuid_values(self->vm.fd, 0,
				  HV_GET_VP_CPUID_VALUES_APPLY_REGISTERED_VALUES,
				  0x80000002, 0, out, &st));
	EXPECT_EQ(0x55667788U, out[1]);
	/* Without the flag, the unregistered value. */
	__cpuid_count(0x80000002, 0, host[0], host[1], host[2], host[3]);
	ASSERT_EQ(0, cpuid_values(self->vm.fd, 1, 0, 0x80000002, 0, out, &st));
	EXPECT_EQ(host[1], out[1]);

	EXPECT_HV_ERROR(register_cpuid(self->vm.fd, 7, 1, 0, 0, &st),
			st, HV_STATUS_INVALID_VP_INDEX);
	EXPECT_HV_ERROR(cpuid_values(self->vm.fd, 0, 4, 0, 0, out, &st),
			st, HV_STATUS_INVALID_PARAMETER);
}

TEST_F(iface, install_intercept)
{
	__u16 st;

	/* Allowed before and after initialize. */
	EXPECT_EQ(0, install_intercept(self->vm.fd,
				       HV_INTERCEPT_TYPE_X64_CPUID,
				       HV_INTERCEPT_ACCESS_MASK_EXECUTE, 0x1,
				       &st));
	init_with_vps(_metadata, self);
	EXPECT_EQ(0, install_intercept(self->vm.fd,
				       HV_INTERCEPT_TYPE_X64_IO_PORT,
				       HV_INTERCEPT_ACCESS_MASK_READ |
				       HV_INTERCEPT_ACCESS_MASK_WRITE, 0x3f8,
				       &st));
	EXPECT_EQ(0, install_intercept(self->vm.fd,
				       HV_INTERCEPT_TYPE_X64_MSR_INDEX,
				       HV_INTERCEPT_ACCESS_MASK_WRITE,
				       0xc0000080, &st));
	EXPECT_EQ(0, install_intercept(self->vm.fd,
				       HV_INTERCEPT_TYPE_EXCEPTION,
				       HV_INTERCEPT_ACCESS_MASK_EXECUTE, 14,
				       &st));
	EXPECT_EQ(0, install_intercept(self->vm.fd, HV_INTERCEPT_TYPE_X64_MSR,
				       HV_INTERCEPT_ACCESS_MASK_READ, 0, &st));
	/* Access 0 removes. */
	EXPECT_EQ(0, install_intercept(self->vm.fd,
				       HV_INTERCEPT_TYPE_X64_CPUID, 0, 0x1,
				       &st));

	EXPECT_HV_ERROR(install_intercept(self->vm.fd,
					  HV_INTERCEPT_TYPE_X64_IO_PORT, 8,
					  0x3f8, &st),
			st, HV_STATUS_INVALID_PARAMETER);
	EXPECT_HV_ERROR(install_intercept(self->vm.fd,
					  HV_INTERCEPT_TYPE_X64_IO_PORT, 1,
					  0x10000, &st),
			st, HV_STATUS_INVALID_PARAMETER);
	EXPECT_HV_ERROR(install_intercept(self->vm.fd,
					  HV_INTERCEPT_TYPE_EXCEPTION, 4, 40,
					  &st),
			st, HV_STATUS_INVALID_PARAMETER);
	EXPECT_HV_ERROR(install_intercept(self->vm.fd, 0x55, 1, 0, &st),
			st, HV_STATUS_INVALID_PARAMETER);
	EXPECT_HV_ERROR(install_intercept(self->vm.fd,
					  HV_INTERCEPT_TYPE_X64_MSR, 1, 5,
					  &st),
			st, HV_STATUS_INVALID_PARAMETER);
}

/* ------------------------------------------------------------------ */
/* Child SynIC and address translation.                               */
/* ------------------------------------------------------------------ */

static int signal_event(int fd, __u32 vp, __u8 sint, __u16 flag,
			__u8 *newly, __u16 *status)
{
	struct hv_input_signal_event_direct in = {
		.target_vp = vp,
		.target_sint = sint,
		.flag_number = flag,
	};
	struct hv_output_signal_event_direct out = { 0 };
	int ret;

	ret = __mshv_hvcall(fd, HVCALL_SIGNAL_EVENT_DIRECT, 0, &in, sizeof(in),
			    &out, sizeof(out), status);
	*newly = out.newly_signaled;
	return ret;
}

static int post_message(int fd, __u32 vp, __u32 sint, __u32 type,
			__u64 word, __u16 *status)
{
	struct hv_input_post_message_direct in = {
		.vp_index = vp,
		.sint_index = sint,
	};
	struct hv_message *msg = (void *)in.message;

	msg->header.message_type = type;
	msg->header.payload_size = 8;
	msg->u.payload[0] = word;
	return __mshv_hvcall(fd, HVCALL_POST_MESSAGE_DIRECT, 0, &in,
			     sizeof(in), NULL, 0, status);
}

TEST_F(iface, signal_and_post_direct)
{
	__u8 *buf = mshv_alloc_state_buf(STATE_BUF_SIZE);
	struct hv_message *slot;
	__u8 newly = 0xff;
	__u32 sz;
	__u16 st;

	init_with_vps(_metadata, self);
	/* SynIC pages not enabled yet. */
	EXPECT_HV_ERROR(signal_event(self->vm.fd, 0, 2, 5, &newly, &st),
			st, HV_STATUS_INVALID_VP_STATE);
	EXPECT_HV_ERROR(post_message(self->vm.fd, 0, 3, 0x1234, 1, &st),
			st, HV_STATUS_INVALID_VP_STATE);

	ASSERT_EQ(0, set_reg(self->vm.fd, 0, HV_REGISTER_SIEFP, SIEFP_GPA | 1,
			     &st));
	ASSERT_EQ(0, set_reg(self->vm.fd, 0, HV_REGISTER_SIMP, SIMP_GPA | 1,
			     &st));

	ASSERT_EQ(0, signal_event(self->vm.fd, 0, 2, 5, &newly, &st));
	EXPECT_EQ(1, newly);
	ASSERT_EQ(0, signal_event(self->vm.fd, 0, 2, 5, &newly, &st));
	EXPECT_EQ(0, newly);
	EXPECT_HV_ERROR(signal_event(self->vm.fd, 0, 16, 5, &newly, &st),
			st, HV_STATUS_INVALID_PARAMETER);

	ASSERT_EQ(0, post_message(self->vm.fd, 0, 3, 0x1234, 0xdeadbeef, &st));
	/* The slot is busy until the guest frees it. */
	EXPECT_HV_ERROR(post_message(self->vm.fd, 0, 3, 0x1234, 2, &st),
			st, HV_STATUS_INSUFFICIENT_BUFFERS);
	EXPECT_HV_ERROR(post_message(self->vm.fd, 0, 3, HVMSG_NONE, 2, &st),
			st, HV_STATUS_INVALID_PARAMETER);

	GET_STATE_OR_SKIP(self->vp_fd[0], MSHV_VP_STATE_SIEFP, buf, &sz);
	EXPECT_EQ(1 << 5, buf[2 * 256]);
	sz = STATE_BUF_SIZE;
	ASSERT_EQ(0, __mshv_get_vp_state(self->vp_fd[0], MSHV_VP_STATE_SIMP,
					 buf, &sz));
	slot = (struct hv_message *)buf + 3;
	EXPECT_EQ(0x1234U, slot->header.message_type);
	EXPECT_EQ(8, slot->header.payload_size);
	EXPECT_EQ(0xdeadbeefULL, slot->u.payload[0]);
out:
	free(buf);
}

static int translate(int fd, __u32 vp, __u64 flags, __u64 gva_page,
		     struct hv_output_translate_virtual_address *out,
		     __u16 *status)
{
	struct hv_input_translate_virtual_address in = {
		.vp_index = vp,
		.control_flags = flags,
		.gva_page = gva_page,
	};

	memset(out, 0xee, sizeof(*out));
	return __mshv_hvcall(fd, HVCALL_TRANSLATE_VIRTUAL_ADDRESS, 0, &in,
			     sizeof(in), out, sizeof(*out), status);
}

TEST_F(iface, translate_virtual_address)
{
	struct hv_output_translate_virtual_address out;
	__u16 st;

	init_with_vps(_metadata, self);
	mshv_map_guest_mem(self->vm.fd, 0, GUEST_MEM_SIZE);

	/* Paging off: the identity, checked against the GPA map. */
	ASSERT_EQ(0, translate(self->vm.fd, 0, HV_TRANSLATE_GVA_VALIDATE_READ,
			       0x3, &out, &st));
	EXPECT_EQ((__u32)HV_TRANSLATE_GVA_SUCCESS, out.result_code);
	EXPECT_EQ(0x3ULL, out.gpa_page);
	ASSERT_EQ(0, translate(self->vm.fd, 0, HV_TRANSLATE_GVA_VALIDATE_READ,
			       0x900, &out, &st));
	EXPECT_EQ((__u32)HV_TRANSLATE_GVA_GPA_UNMAPPED, out.result_code);
	EXPECT_HV_ERROR(translate(self->vm.fd, 0, 1ULL << 20, 0x3, &out, &st),
			st, HV_STATUS_INVALID_PARAMETER);

	/* Paging on, CR3 = 0: the walk finds a zero (not present) entry. */
	ASSERT_EQ(0, set_reg(self->vm.fd, 0, HV_X64_REGISTER_CR0, 0x80000011,
			     &st));
	ASSERT_EQ(0, translate(self->vm.fd, 0, 0, 0x3, &out, &st));
	EXPECT_EQ((__u32)HV_TRANSLATE_GVA_PAGE_NOT_PRESENT, out.result_code);
}

/* ------------------------------------------------------------------ */
/* Fault injection.                                                   */
/* ------------------------------------------------------------------ */

FIXTURE(fault) {
	struct mshv_vm vm;
	int vp_fd;
};

FIXTURE_SETUP(fault)
{
	self->vm.dev_fd = -1;
	self->vm.fd = -1;
	self->vp_fd = -1;
	MSHV_REQUIRE_DEV();
	if (access(FAULT_DIR "/fail_nth", W_OK))
		SKIP(return, "no %s", FAULT_DIR);
	mshv_vm_create(&self->vm, true);
	self->vp_fd = __mshv_create_vp(self->vm.fd, 0);
	ASSERT_LE(0, self->vp_fd);
}

FIXTURE_TEARDOWN(fault)
{
	write_file(FAULT_DIR "/fail_nth", 0);
	write_file(FAULT_DIR "/pool_cap", 0);
	write_file(FAULT_DIR "/fail_status", HV_STATUS_INSUFFICIENT_MEMORY);
	if (self->vp_fd >= 0)
		close(self->vp_fd);
	mshv_vm_destroy(&self->vm);
}

TEST_F(fault, fail_nth_passthrough)
{
	long long before = read_file(FAULT_DIR "/injected");
	__u32 name = HV_X64_REGISTER_RIP;
	union hv_register_value v;
	__u16 st;

	ASSERT_EQ(0, write_file(FAULT_DIR "/fail_code",
				HVCALL_GET_VP_REGISTERS));
	ASSERT_EQ(0, write_file(FAULT_DIR "/fail_status",
				HV_STATUS_OPERATION_FAILED));
	ASSERT_EQ(0, write_file(FAULT_DIR "/fail_nth", 2));

	EXPECT_EQ(0, __mshv_get_regs(self->vm.fd, 0, &name, &v, 1, &st));
	EXPECT_EQ(-1, __mshv_get_regs(self->vm.fd, 0, &name, &v, 1, &st));
	EXPECT_EQ(EIO, errno);
	EXPECT_EQ(HV_STATUS_OPERATION_FAILED, st);
	/* One shot. */
	EXPECT_EQ(0, __mshv_get_regs(self->vm.fd, 0, &name, &v, 1, &st));
	EXPECT_EQ(0, read_file(FAULT_DIR "/fail_nth"));
	EXPECT_EQ(before + 1, read_file(FAULT_DIR "/injected"));
}

TEST_F(fault, pool_cap)
{
	long long hits = read_file(FAULT_DIR "/pool_cap_hits");
	int fd;

	/* A child pool of one page cannot be initialized. */
	ASSERT_EQ(0, write_file(FAULT_DIR "/pool_cap", 1));
	fd = mshv_create_partition(self->vm.dev_fd, true);
	EXPECT_EQ(-1, __mshv_initialize_partition(fd));
	EXPECT_EQ(ENOMEM, errno);
	EXPECT_LT(hits, read_file(FAULT_DIR "/pool_cap_hits"));
	ASSERT_EQ(0, write_file(FAULT_DIR "/pool_cap", 0));
	/* Lifted, it works (the initialize is retried). */
	EXPECT_EQ(0, __mshv_initialize_partition(fd));
	close(fd);
}

/* ------------------------------------------------------------------ */
/* What a running guest sees: CPUID, MSRs, intercepts, SynIC overlay. */
/* ------------------------------------------------------------------ */

FIXTURE(run) {
	struct mshv_vm vm;
	struct mshv_vcpu vcpu;
	void *mem;
	struct hv_message msg;
};

FIXTURE_SETUP(run)
{
	self->vm.dev_fd = -1;
	self->vm.fd = -1;
	self->vcpu.fd = -1;
	MSHV_REQUIRE_DEV();
	self->vm.dev_fd = mshv_open_dev();
	self->vm.fd = mshv_create_partition(self->vm.dev_fd, true);
	mshv_set_property(self->vm.fd,
			  HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
			  HV_SYNTHETIC_PROC_FEATURE_HYPERVISOR_PRESENT |
			  HV_SYNTHETIC_PROC_FEATURE_HV1);
	ASSERT_EQ(0, __mshv_initialize_partition(self->vm.fd));
	self->mem = mshv_map_guest_mem(self->vm.fd, 0, GUEST_MEM_SIZE);
	mshv_vcpu_create(&self->vcpu, self->vm.fd, 0);
}

FIXTURE_TEARDOWN(run)
{
	mshv_vcpu_destroy(&self->vcpu);
	mshv_vm_destroy(&self->vm);
}

/* Load real-mode @code at GUEST_CODE_GPA and run until the first exit. */
static void run_code(struct __test_metadata *_metadata,
		     FIXTURE_DATA(run) *self, const void *code, size_t len)
{
	mshv_load_guest(self->mem, GUEST_CODE_GPA, code, len);
	mshv_set_real_mode(self->vm.fd, 0, GUEST_CODE_GPA);
	mshv_run_vp(self->vcpu.fd, &self->msg);
}

TEST_F(run, cpuid_registered_and_intercepted)
{
	/* mov eax, 4; xor ecx, ecx; cpuid; hlt */
	static const __u8 code[] = {
		0x66, 0xb8, 0x04, 0x00, 0x00, 0x00, 0x66, 0x31, 0xc9,
		0x0f, 0xa2, 0xf4,
	};
	struct hv_x64_cpuid_intercept_message *c = (void *)self->msg.u.payload;
	__u16 st;

	/* A registered result is what the guest's CPUID returns. */
	ASSERT_EQ(0, register_cpuid(self->vm.fd, HV_ANY_VP, 4, 0xabcd1234,
				    0xffffffff, &st));
	run_code(_metadata, self, code, sizeof(code));
	ASSERT_EQ(HVMSG_X64_HALT, self->msg.header.message_type);
	EXPECT_EQ(0xabcd1234ULL,
		  mshv_get_reg(self->vm.fd, 0, HV_X64_REGISTER_RBX));

	/* Intercepted, the VMM gets the leaf and the default answer. */
	ASSERT_EQ(0, install_intercept(self->vm.fd,
				       HV_INTERCEPT_TYPE_X64_CPUID,
				       HV_INTERCEPT_ACCESS_MASK_EXECUTE, 4,
				       &st));
	run_code(_metadata, self, code, sizeof(code));
	ASSERT_EQ(HVMSG_X64_CPUID_INTERCEPT, self->msg.header.message_type);
	EXPECT_EQ(4ULL, c->rax);
	EXPECT_EQ(0xabcd1234ULL, c->default_result_rbx);
	EXPECT_EQ(GUEST_CODE_GPA + 9, c->header.rip);
}

TEST_F(run, msrs)
{
	/* mov ecx, 0x40000000 (GUEST_OS_ID); rdmsr; hlt */
	static const __u8 synthetic[] = {
		0x66, 0xb9, 0x00, 0x00, 0x00, 0x40, 0x0f, 0x32, 0xf4,
	};
	/* mov ecx, 0x12345 (no such MSR); rdmsr; hlt */
	static const __u8 unknown[] = {
		0x66, 0xb9, 0x45, 0x23, 0x01, 0x00, 0x0f, 0x32, 0xf4,
	};
	/* mov ecx, 0x174 (SYSENTER_CS); rdmsr; hlt */
	static const __u8 sysenter[] = {
		0x66, 0xb9, 0x74, 0x01, 0x00, 0x00, 0x0f, 0x32, 0xf4,
	};
	struct hv_x64_msr_intercept_message *m = (void *)self->msg.u.payload;
	__u16 st;

	mshv_set_reg(self->vm.fd, 0, HV_REGISTER_GUEST_OS_ID, 0x8100123456ULL);
	run_code(_metadata, self, synthetic, sizeof(synthetic));
	ASSERT_EQ(HVMSG_X64_HALT, self->msg.header.message_type);
	EXPECT_EQ(0x00123456ULL, mshv_get_reg(self->vm.fd, 0,
					      HV_X64_REGISTER_RAX));
	EXPECT_EQ(0x81ULL, mshv_get_reg(self->vm.fd, 0, HV_X64_REGISTER_RDX));

	/* Unimplemented MSRs read as zero when the partition says so. */
	mshv_set_property(self->vm.fd,
			  HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION,
			  HV_UNIMPLEMENTED_MSR_ACTION_IGNORE_WRITE_READ_ZERO);
	mshv_set_reg(self->vm.fd, 0, HV_X64_REGISTER_RAX, 0x77);
	run_code(_metadata, self, unknown, sizeof(unknown));
	ASSERT_EQ(HVMSG_X64_HALT, self->msg.header.message_type);
	EXPECT_EQ(0ULL, mshv_get_reg(self->vm.fd, 0, HV_X64_REGISTER_RAX));

	ASSERT_EQ(0, install_intercept(self->vm.fd,
				       HV_INTERCEPT_TYPE_X64_MSR_INDEX,
				       HV_INTERCEPT_ACCESS_MASK_READ, 0x174,
				       &st));
	run_code(_metadata, self, sysenter, sizeof(sysenter));
	ASSERT_EQ(HVMSG_X64_MSR_INTERCEPT, self->msg.header.message_type);
	EXPECT_EQ(0x174U, m->msr_number);
	EXPECT_EQ(HV_INTERCEPT_ACCESS_READ, m->header.intercept_access_type);
}

TEST_F(run, synic_overlay)
{
	/* mov eax, [SIMP_GPA + 256 + 16]: SINT 1's first payload word; hlt */
	static const __u8 code[] = { 0x66, 0xa1, 0x10, 0x61, 0xf4 };
	__u32 *ram = (__u32 *)((char *)self->mem + SIMP_GPA + 256 + 16);
	__u16 st;

	*ram = 0x11111111;
	mshv_set_reg(self->vm.fd, 0, HV_REGISTER_SIMP, SIMP_GPA | 1);
	ASSERT_EQ(0, post_message(self->vm.fd, 0, 1, 0x4242, 0x55aa55aa, &st));
	run_code(_metadata, self, code, sizeof(code));
	ASSERT_EQ(HVMSG_X64_HALT, self->msg.header.message_type);
	/* The guest read the hypervisor's page, not its RAM behind it. */
	EXPECT_EQ(0x55aa55aaULL, mshv_get_reg(self->vm.fd, 0,
					      HV_X64_REGISTER_RAX));
	EXPECT_EQ(0x11111111U, *ram);

	/* Disabled, the RAM shows through again. */
	mshv_set_reg(self->vm.fd, 0, HV_REGISTER_SIMP, SIMP_GPA);
	run_code(_metadata, self, code, sizeof(code));
	ASSERT_EQ(HVMSG_X64_HALT, self->msg.header.message_type);
	EXPECT_EQ(0x11111111ULL, mshv_get_reg(self->vm.fd, 0,
					      HV_X64_REGISTER_RAX));
}

TEST_F(run, register_page_xmm)
{
	struct hv_vp_register_page *rp = self->vcpu.regs;
	union hv_register_value v;
	__u16 st;

	/* SET_VP_REGISTERS is mirrored into the page... */
	ASSERT_EQ(0, set_reg128(self->vm.fd, 0, HV_X64_REGISTER_XMM0 + 2,
				0x1111222233334444ULL, 0x5555666677778888ULL,
				&st));
	ASSERT_EQ(0, set_reg(self->vm.fd, 0, HV_X64_REGISTER_XFEM, 3, &st));
	EXPECT_EQ(0x1111222233334444ULL, rp->xmm_registers[2].low_part);
	EXPECT_EQ(0x5555666677778888ULL, rp->xmm_registers[2].high_part);
	EXPECT_EQ(3ULL, rp->xfem);

	/* ...and the VMM's dirty XMM class is taken from it. */
	rp->xmm_registers[5].low_part = 0xabcdef;
	rp->xmm_registers[5].high_part = 0x123456;
	rp->dirty |= 1U << HV_X64_REGISTER_CLASS_XMM;
	v = get_reg128(_metadata, self->vm.fd, 0, HV_X64_REGISTER_XMM0 + 5);
	EXPECT_EQ(0xabcdefULL, v.reg128.low_part);
	EXPECT_EQ(0x123456ULL, v.reg128.high_part);
}

TEST_F(run, no_execute)
{
	struct hv_x64_memory_intercept_message *m = (void *)self->msg.u.payload;
	void *page = mshv_alloc_guest_mem(GUEST_PAGE_SIZE);
	struct mshv_user_mem_region r = {
		.size = GUEST_PAGE_SIZE,
		.guest_pfn = 0x10,
		.userspace_addr = (__u64)(unsigned long)page,
		.flags = BIT(MSHV_SET_MEM_BIT_WRITABLE),
	};
	struct hv_register_assoc cs = { .name = HV_X64_REGISTER_CS };

	memset(page, 0xf4, GUEST_PAGE_SIZE);		/* hlt */
	ASSERT_EQ(0, ioctl(self->vm.fd, MSHV_SET_GUEST_MEMORY, &r));
	mshv_set_real_mode(self->vm.fd, 0, 0);
	cs.value.segment.base = 0x10000;
	cs.value.segment.limit = 0xffff;
	cs.value.segment.selector = 0x1000;
	cs.value.segment.attributes = 0x9b;
	ASSERT_EQ(0, __mshv_set_regs(self->vm.fd, 0, &cs, 1, NULL));
	mshv_run_vp(self->vcpu.fd, &self->msg);
	ASSERT_EQ(HVMSG_GPA_INTERCEPT, self->msg.header.message_type);
	EXPECT_EQ(HV_INTERCEPT_ACCESS_EXECUTE, m->header.intercept_access_type);
	EXPECT_EQ(0x10000ULL, m->guest_physical_address);
}

TEST_HARNESS_MAIN
