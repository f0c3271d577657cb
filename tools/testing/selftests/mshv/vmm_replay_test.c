// SPDX-License-Identifier: GPL-2.0
/*
 * rust-vmm/mshv 0.7's VM creation and Cloud Hypervisor's vCPU save and
 * restore, replayed call by call (see include/vmm_replay.h for where each
 * call comes from):
 *
 *   1  open("/dev/mshv", O_NONBLOCK | O_CLOEXEC): read-only, as Mshv::new()
 *   2  self-targeted GET_PARTITION_PROPERTY(PHYSICAL_ADDRESS_WIDTH)
 *   3  self-targeted GET_PARTITION_PROPERTY_EX(VMM_CAPABILITIES)
 *   4  MSHV_CREATE_PARTITION with make_default_partition_create_arg():
 *      LAPIC | X2APIC | GPA_SUPER_PAGES | CPU_AND_XSAVE_FEATURES, two
 *      feature banks disabling only reserved_bank0, every XSAVE feature
 *      disabled but XSAVE, XSAVEOPT, AVX, compaction and supervisor state
 *   5  SET_PARTITION_PROPERTY(SYNTHETIC_PROC_FEATURES, the default mask)
 *   6  MSHV_INITIALIZE_PARTITION
 *   7  MSHV_CREATE_VP 0 and 1, mmap of the register page
 *   8  the partition's features, for the supported MSR list
 *   9  VP 0's state, group by group, one rep call per group
 *  10  the same state into VP 1, group by group
 *  11  VP 1 read back: what was saved is what is there
 *
 * and QEMU's MSR load and store (qemu_msr_set): one rep call for its
 * whole MSR set on each vCPU, the partition-wide MSRs on vCPU 0 only.
 *
 * A library that gets an error at any of these fails VM creation, vCPU
 * creation, or a snapshot.  Every step checks what the library checks and
 * a value that must hold.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mshv_util.h"
#include "vmm_replay.h"

#define STEP(n, what)	TH_LOG("step %d: %s", n, what)

#define NR_GROUPS	(VMM_NR_FIXED_GROUPS + 1)

FIXTURE(replay) {
	struct mshv_vm vm;
	struct mshv_vcpu vcpu[2];
	struct vmm_group_names groups[NR_GROUPS];
	union hv_register_value saved[NR_GROUPS][VMM_MAX_GROUP];
};

FIXTURE_SETUP(replay)
{
	self->vm.dev_fd = -1;
	self->vm.fd = -1;
	self->vcpu[0].fd = -1;
	self->vcpu[1].fd = -1;
	MSHV_REQUIRE_DEV();
}

FIXTURE_TEARDOWN(replay)
{
	mshv_vcpu_destroy(&self->vcpu[1]);
	mshv_vcpu_destroy(&self->vcpu[0]);
	mshv_vm_destroy(&self->vm);
}

/* 1-3: the device and the host properties a library reads first. */
static void open_and_host_properties(struct __test_metadata *_metadata,
				     FIXTURE_DATA(replay) *self)
{
	struct hv_partition_property_vmm_capabilities caps;
	struct hv_input_get_partition_property_ex in = {
		.property_code = HV_PARTITION_PROPERTY_VMM_CAPABILITIES,
	};
	__u64 width = 0;
	__u16 status = 0xffff;
	int ret;

	STEP(1, "open /dev/mshv with O_NONBLOCK | O_CLOEXEC (read-only)");
	self->vm.dev_fd = open(MSHV_DEV_PATH, O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, self->vm.dev_fd);

	STEP(2, "GET_PARTITION_PROPERTY(PHYSICAL_ADDRESS_WIDTH) on the root");
	ASSERT_EQ(0, __mshv_get_property(self->vm.dev_fd,
					 HV_PARTITION_PROPERTY_PHYSICAL_ADDRESS_WIDTH,
					 &width, &status)) {
		TH_LOG("status 0x%x", status);
	}
	EXPECT_LE(32ULL, width);
	EXPECT_GE(52ULL, width);

	STEP(3, "GET_PARTITION_PROPERTY_EX(VMM_CAPABILITIES) on the root");
	memset(&caps, 0xff, sizeof(caps));
	ret = __mshv_hvcall(self->vm.dev_fd, HVCALL_GET_PARTITION_PROPERTY_EX,
			    0, &in, sizeof(in), &caps, sizeof(caps), &status);
	/* rust-vmm reads ACCESS_DENIED as "no capabilities" */
	if (ret) {
		ASSERT_EQ(HV_STATUS_ACCESS_DENIED, status);
	} else {
		EXPECT_GE(1, caps.bank_count);
	}
}

/* 4-7: create, synthetic features, initialize, two VPs. */
static void create_vm_and_vcpus(struct __test_metadata *_metadata,
				FIXTURE_DATA(replay) *self)
{
	struct mshv_create_partition_v2 args;
	__u64 value = 0;
	__u16 status = 0xffff;
	int ret;

	STEP(4, "MSHV_CREATE_PARTITION as make_default_partition_create_arg()");
	memset(&args, 0, sizeof(args));
	args.pt_flags = (1ULL << MSHV_PT_BIT_LAPIC) |
			(1ULL << MSHV_PT_BIT_X2APIC) |
			(1ULL << MSHV_PT_BIT_GPA_SUPER_PAGES) |
			(1ULL << MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES);
	args.pt_isolation = MSHV_PT_ISOLATION_NONE;
	args.pt_num_cpu_fbanks = MSHV_NUM_CPU_FEATURES_BANKS;
	args.pt_cpu_fbanks[0] = HV_PROC_FEATURE0_RESERVED_BANK0;
	args.pt_cpu_fbanks[1] = 0;
	args.pt_disabled_xsave = ~(__u64)VMM_XSAVE_ENABLED;
	self->vm.fd = __mshv_create_partition(self->vm.dev_fd, &args);
	ASSERT_LE(0, self->vm.fd) TH_LOG("errno %d", errno);

	STEP(5, "SET_PARTITION_PROPERTY(SYNTHETIC_PROC_FEATURES) before initialize");
	ret = __mshv_set_property(self->vm.fd,
				  HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
				  VMM_SYNTHETIC_FEATURES, &status);
	ASSERT_EQ(0, ret) TH_LOG("errno %d status 0x%x", errno, status);
	ASSERT_EQ(0, __mshv_get_property(self->vm.fd,
					 HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
					 &value, &status));
	EXPECT_EQ((__u64)VMM_SYNTHETIC_FEATURES, value);

	STEP(6, "MSHV_INITIALIZE_PARTITION");
	ASSERT_EQ(0, __mshv_initialize_partition(self->vm.fd));

	STEP(7, "MSHV_CREATE_VP 0 and 1 with their register pages");
	mshv_vcpu_create(&self->vcpu[0], self->vm.fd, 0);
	mshv_vcpu_create(&self->vcpu[1], self->vm.fd, 1);
	EXPECT_EQ(HV_VP_REGISTER_PAGE_VERSION_1, self->vcpu[0].regs->version);
}

static __u64 property(struct __test_metadata *_metadata, int fd, __u32 code)
{
	__u64 value = 0;
	__u16 status = 0xffff;

	EXPECT_EQ(0, __mshv_get_property(fd, code, &value, &status))
		TH_LOG("GET_PARTITION_PROPERTY 0x%x: status 0x%x", code,
		       status);
	return value;
}

/* 8: the register groups, the MSR one from the partition's features. */
static void build_groups(struct __test_metadata *_metadata,
			 FIXTURE_DATA(replay) *self)
{
	__u64 f0, f1, xsave, synth;
	unsigned int i;

	STEP(8, "the features behind the supported MSR list");
	f0 = property(_metadata, self->vm.fd,
		      HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0);
	f1 = property(_metadata, self->vm.fd,
		      HV_PARTITION_PROPERTY_PROCESSOR_FEATURES1);
	xsave = property(_metadata, self->vm.fd,
			 HV_PARTITION_PROPERTY_PROCESSOR_XSAVE_FEATURES);
	synth = property(_metadata, self->vm.fd,
			 HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES);
	/* disabled at creation: not reported */
	EXPECT_EQ(0ULL, f0 & HV_PROC_FEATURE0_RESERVED_BANK0);
	EXPECT_EQ(0ULL, xsave & ~(__u64)VMM_XSAVE_ENABLED);
	for (i = 0; i < VMM_NR_FIXED_GROUPS; i++)
		vmm_fixed_group(i, &self->groups[i]);
	vmm_msr_group(f0, f1, xsave, synth, &self->groups[VMM_NR_FIXED_GROUPS]);
	/* MSRS_COMMON, SynIC (19), REFERENCE_TSC and GUEST_OS_ID at least */
	EXPECT_LE(42U + 19 + 2, self->groups[VMM_NR_FIXED_GROUPS].n);
}

/* Is group @g written back on restore (set_sregs, not get_sregs)? */
static bool restored(unsigned int g)
{
	return g != VMM_SREGS_GET && g != VMM_SUSPEND;
}

static bool comparable(__u32 name)
{
	/* the TSC moves; EOM is write-only */
	return name != HV_X64_REGISTER_TSC && name != HV_REGISTER_EOM;
}

/* 9-11: save VP 0, restore into VP 1, compare. */
static void save_restore(struct __test_metadata *_metadata,
			 FIXTURE_DATA(replay) *self)
{
	struct hv_register_assoc assoc[VMM_MAX_GROUP];
	union hv_register_value again[VMM_MAX_GROUP];
	unsigned int g, i;
	__u16 status;

	STEP(9, "VP 0's state: one GET_VP_REGISTERS per group");
	for (g = 0; g < NR_GROUPS; g++) {
		struct vmm_group_names *n = &self->groups[g];

		status = 0xffff;
		ASSERT_EQ(0, __mshv_get_regs(self->vcpu[0].fd, 0, n->names,
					     self->saved[g], n->n, &status)) {
			TH_LOG("get_%s: status 0x%x", n->what, status);
		}
	}

	STEP(10, "into VP 1: one SET_VP_REGISTERS per group");
	for (g = 0; g < NR_GROUPS; g++) {
		struct vmm_group_names *n = &self->groups[g];

		if (!restored(g))
			continue;
		memset(assoc, 0, sizeof(assoc));
		for (i = 0; i < n->n; i++) {
			assoc[i].name = n->names[i];
			assoc[i].value = self->saved[g][i];
		}
		status = 0xffff;
		ASSERT_EQ(0, __mshv_set_regs(self->vcpu[1].fd, 1, assoc, n->n,
					     &status)) {
			TH_LOG("set_%s: status 0x%x", n->what, status);
		}
	}

	STEP(11, "VP 1 holds what VP 0 had");
	for (g = 0; g < NR_GROUPS; g++) {
		struct vmm_group_names *n = &self->groups[g];

		if (!restored(g))
			continue;
		ASSERT_EQ(0, __mshv_get_regs(self->vcpu[1].fd, 1, n->names,
					     again, n->n, &status));
		for (i = 0; i < n->n; i++) {
			if (!comparable(n->names[i]))
				continue;
			EXPECT_EQ(0, memcmp(&self->saved[g][i], &again[i],
					    sizeof(again[i])))
				TH_LOG("%s: register 0x%x", n->what,
				       n->names[i]);
		}
	}
}

TEST_F(replay, create_vm_and_vcpu_state)
{
	open_and_host_properties(_metadata, self);
	create_vm_and_vcpus(_metadata, self);
	build_groups(_metadata, self);
	save_restore(_metadata, self);
}

/*
 * A restore of a state saved while the VP was halted and had events
 * pending: the vCPU events group carries them to another VP.
 */
TEST_F(replay, vcpu_events_carry_over)
{
	struct hv_register_assoc ev[5];
	union hv_register_value got[5];
	struct vmm_group_names n;
	unsigned int i;
	__u16 status;

	open_and_host_properties(_metadata, self);
	create_vm_and_vcpus(_metadata, self);
	vmm_fixed_group(VMM_EVENTS, &n);
	ASSERT_EQ(5U, n.n);
	memset(ev, 0, sizeof(ev));
	for (i = 0; i < n.n; i++)
		ev[i].name = n.names[i];
	ev[1].value.reg64 = 1;		/* interrupt shadow */
	ev[2].value.reg64 = HV_INTERNAL_ACTIVITY_HALT_SUSPEND;
	ev[3].value.reg128.low_part = 0x00000005000e0101ULL; /* #PF, code 5 */
	ASSERT_EQ(0, __mshv_set_regs(self->vcpu[1].fd, 1, ev, n.n, &status))
		TH_LOG("set_vcpu_events: status 0x%x", status);
	ASSERT_EQ(0, __mshv_get_regs(self->vcpu[1].fd, 1, n.names, got, n.n,
				     &status));
	EXPECT_EQ(1ULL, got[1].reg64);
	EXPECT_EQ((__u64)HV_INTERNAL_ACTIVITY_HALT_SUSPEND, got[2].reg64);
	EXPECT_EQ(0x00000005000e0101ULL, got[3].reg128.low_part);
	/* VP 0 untouched */
	ASSERT_EQ(0, __mshv_get_regs(self->vcpu[0].fd, 0, n.names, got, n.n,
				     &status));
	EXPECT_EQ(0ULL, got[2].reg64);
}

/* QEMU's mshv_get_msrs()/mshv_set_msrs() on vCPUs 0 and 1. */
TEST_F(replay, qemu_msr_set)
{
	struct hv_register_assoc assoc[VMM_MAX_GROUP];
	union hv_register_value v[VMM_MAX_GROUP];
	struct vmm_group_names g;
	unsigned int vp, i, n;
	__u64 f0, f1;
	__u16 status;

	open_and_host_properties(_metadata, self);
	create_vm_and_vcpus(_metadata, self);
	f0 = property(_metadata, self->vm.fd,
		      HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0);
	f1 = property(_metadata, self->vm.fd,
		      HV_PARTITION_PROPERTY_PROCESSOR_FEATURES1);
	vmm_qemu_msr_group(f0, f1, &g);
	EXPECT_LE(19U + 27, g.n);

	for (vp = 0; vp < 2; vp++) {
		status = 0xffff;
		ASSERT_EQ(0, __mshv_get_regs(self->vcpu[vp].fd, vp, g.names, v,
					     g.n, &status)) {
			TH_LOG("vCPU %u: get MSRs: status 0x%x", vp, status);
		}
		memset(assoc, 0, sizeof(assoc));
		for (i = 0, n = 0; i < g.n; i++) {
			/* partition-wide: QEMU writes them on vCPU 0 only */
			if (vp && (g.names[i] == HV_X64_REGISTER_HYPERCALL ||
				   g.names[i] == HV_REGISTER_GUEST_OS_ID ||
				   g.names[i] == HV_REGISTER_REFERENCE_TSC))
				continue;
			assoc[n].name = g.names[i];
			assoc[n++].value = v[i];
		}
		status = 0xffff;
		ASSERT_EQ(0, __mshv_set_regs(self->vcpu[vp].fd, vp, assoc, n,
					     &status)) {
			TH_LOG("vCPU %u: set MSRs: status 0x%x", vp, status);
		}
	}
}

TEST_HARNESS_MAIN
