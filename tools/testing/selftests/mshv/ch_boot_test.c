// SPDX-License-Identifier: GPL-2.0
/*
 * Cloud Hypervisor's boot sequence on /dev/mshv, replayed step by step as
 * its mshv backend issues it for a non-confidential x86 guest:
 *
 *   host properties (self-targeted MSHV_ROOT_HVCALL), v2 create with
 *   feature banks, async SYNTHETIC_PROC_FEATURES, initialize, unimplemented
 *   MSR action, TIME_FREEZE = 1, guest memory, VP with register page,
 *   CPUID results, GET_VP_CPUID_VALUES, long-mode registers and MSRs,
 *   LAPIC through MSHV_SET_VP_STATE, TIME_FREEZE = 0, then MSHV_RUN_VP to
 *   an IO port intercept and a HLT; then the vCPU state a snapshot saves,
 *   group by group as rust-vmm reads it (include/vmm_replay.h).
 *
 * Every step checks the answer a hypervisor gives.  A step that fails
 * says which step it was and why.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "mshv_util.h"
#include "vmm_replay.h"

#define MEM_SIZE	0x200000ULL	/* 2 MiB at GPA 0 */
#define GDT_GPA		0x500
#define ZERO_PAGE_GPA	0x7000		/* "boot params", pointed to by RSI */
#define PML4_GPA	0x9000
#define PDPT_GPA	0xa000
#define PD_GPA		0xb000
#define CODE_GPA	0x100000
#define STACK_TOP	0x8ff0

#define CR0_PE		0x1ULL
#define CR0_ET		0x10ULL
#define CR0_PG		0x80000000ULL
#define CR4_PAE		0x20ULL
#define EFER_LME	0x100ULL
#define EFER_LMA	0x400ULL

#define SEL_CODE	0x08
#define SEL_DATA	0x10
#define SEL_TSS		0x18

#define CPUID_LEAF	0x1
#define CPUID_EBX	0x00010800	/* APIC id 0, 1 logical CPU, clflush 64 */

#define IO_PORT		0x80

#define PROP_ASSIGNABLE	HV_PARTITION_PROPERTY_ASSIGNABLE_SYNTHETIC_PROC_FEATURES

#define STEP(n, what)	TH_LOG("step %d: %s", n, what)

/*
 * mov eax, CPUID_LEAF; xor ecx, ecx; cpuid; mov eax, ebx;
 * out IO_PORT, eax; hlt
 */
static const __u8 guest_code[] = {
	0xb8, CPUID_LEAF, 0x00, 0x00, 0x00,
	0x31, 0xc9,
	0x0f, 0xa2,
	0x89, 0xd8,
	0xe7, IO_PORT,
	0xf4,
};

#define OUT_INSN_OFFSET	11
#define HLT_OFFSET	13

FIXTURE(ch_boot) {
	struct mshv_vm vm;
	struct mshv_vcpu vcpu;
	__u8 *mem;
	__u64 synthetic_features;
};

FIXTURE_SETUP(ch_boot)
{
	self->vm.fd = -1;
	self->vm.dev_fd = -1;
	self->vcpu.fd = -1;
	self->mem = NULL;
	MSHV_REQUIRE_DEV();
}

FIXTURE_TEARDOWN(ch_boot)
{
	mshv_vcpu_destroy(&self->vcpu);
	mshv_vm_destroy(&self->vm);
	if (self->mem)
		munmap(self->mem, MEM_SIZE);
}

/* GET_PARTITION_PROPERTY_EX; @out receives @out_sz bytes. */
static int get_property_ex(int fd, __u32 code, void *out, __u16 out_sz,
			   __u16 *status)
{
	struct hv_input_get_partition_property_ex in = {
		.property_code = code,
	};

	return __mshv_hvcall(fd, HVCALL_GET_PARTITION_PROPERTY_EX, 0, &in,
			     sizeof(in), out, out_sz, status);
}

/* 1: the host properties CH reads on /dev/mshv itself. */
static void host_properties(struct __test_metadata *_metadata,
			    FIXTURE_DATA(ch_boot) *self)
{
	struct hv_partition_property_assignable_synthetic_proc_features assignable;
	struct hv_partition_property_vmm_capabilities caps;
	__u64 freq = 0;
	__u16 status = 0xffff;

	STEP(1, "host properties through the self-targeted passthrough");
	self->vm.dev_fd = mshv_open_dev();
	ASSERT_EQ(0, __mshv_get_property(self->vm.dev_fd,
					 HV_PARTITION_PROPERTY_PROCESSOR_CLOCK_FREQUENCY,
					 &freq, &status)) {
		TH_LOG("GET_PARTITION_PROPERTY(PROCESSOR_CLOCK_FREQUENCY): status 0x%x",
		       status);
	}
	EXPECT_EQ(HV_STATUS_SUCCESS, status);
	EXPECT_LT(1000000ULL, freq);	/* at least 1 MHz */

	memset(&caps, 0xff, sizeof(caps));
	ASSERT_EQ(0, get_property_ex(self->vm.dev_fd,
				     HV_PARTITION_PROPERTY_VMM_CAPABILITIES,
				     &caps, sizeof(caps), &status)) {
		TH_LOG("GET_PARTITION_PROPERTY_EX(VMM_CAPABILITIES): status 0x%x",
		       status);
	}
	EXPECT_GE(1, caps.bank_count);

	/* CH asks for assignable features only if the capability says so. */
	self->synthetic_features = HV_SYNTHETIC_PROC_FEATURE_HYPERVISOR_PRESENT |
				   HV_SYNTHETIC_PROC_FEATURE_HV1;
	if (caps.bank_count &&
	    (caps.bank0 & HV_VMM_CAP_ASSIGNABLE_SYNTHETIC_PROC_FEATURES)) {
		memset(&assignable, 0xff, sizeof(assignable));
		ASSERT_EQ(0, get_property_ex(self->vm.dev_fd, PROP_ASSIGNABLE,
					     &assignable, sizeof(assignable),
					     &status)) {
			TH_LOG("GET_PARTITION_PROPERTY_EX(ASSIGNABLE_SYNTHETIC_PROC_FEATURES): status 0x%x",
			       status);
		}
		/* A bank count, three reserved u16, then bank 0 at byte 8. */
		ASSERT_EQ(1, assignable.bank_count);
		/* At least "hypervisor present" can be given to a guest. */
		EXPECT_NE(0ULL, assignable.banks[0] &
			  HV_SYNTHETIC_PROC_FEATURE_HYPERVISOR_PRESENT);
		self->synthetic_features &= assignable.banks[0];
	} else {
		TH_LOG("no assignable synthetic features capability: CH uses its default mask");
	}

	/* Only property reads may target the root. */
	EXPECT_EQ(-1, __mshv_set_property(self->vm.dev_fd,
					  HV_PARTITION_PROPERTY_TIME_FREEZE, 1,
					  NULL));
	EXPECT_EQ(EINVAL, errno);
}

/* 2-3: v2 create with feature banks, async synthetic features. */
static void create_partition(struct __test_metadata *_metadata,
			     FIXTURE_DATA(ch_boot) *self)
{
	struct mshv_create_partition_v2 args;
	__u64 value = 0;
	__u16 status = 0xffff;
	int ret;

	STEP(2, "MSHV_CREATE_PARTITION, v2 with two feature banks");
	mshv_partition_args(&args, true);
	args.pt_flags |= 1ULL << MSHV_PT_BIT_X2APIC;
	args.pt_num_cpu_fbanks = MSHV_NUM_CPU_FEATURES_BANKS;
	args.pt_cpu_fbanks[0] = 0;	/* disable nothing */
	args.pt_cpu_fbanks[1] = 0;
	args.pt_disabled_xsave = 0;
	do {
		ret = __mshv_create_partition(self->vm.dev_fd, &args);
	} while (ret < 0 && errno == EINTR);
	ASSERT_LE(0, ret);
	self->vm.fd = ret;

	STEP(3, "SET_PARTITION_PROPERTY(SYNTHETIC_PROC_FEATURES), asynchronous, before initialize");
	ret = __mshv_set_property(self->vm.fd,
				  HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
				  self->synthetic_features, &status);
	ASSERT_EQ(0, ret) {
		TH_LOG("errno %d status 0x%x", errno, status);
	}
	/* The ioctl returned after the completion, not at CALL_PENDING. */
	EXPECT_EQ(HV_STATUS_SUCCESS, status);
	ASSERT_EQ(0, __mshv_get_property(self->vm.fd,
					 HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
					 &value, &status));
	EXPECT_EQ(self->synthetic_features, value);
}

/* 4-6: initialize, MSR action, frozen time. */
static void init_partition(struct __test_metadata *_metadata,
			   FIXTURE_DATA(ch_boot) *self)
{
	STEP(4, "MSHV_INITIALIZE_PARTITION");
	ASSERT_EQ(0, __mshv_initialize_partition(self->vm.fd));

	STEP(5, "UNIMPLEMENTED_MSR_ACTION = IGNORE_WRITE_READ_ZERO");
	mshv_set_property(self->vm.fd,
			  HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION,
			  HV_UNIMPLEMENTED_MSR_ACTION_IGNORE_WRITE_READ_ZERO);
	EXPECT_EQ((__u64)HV_UNIMPLEMENTED_MSR_ACTION_IGNORE_WRITE_READ_ZERO,
		  mshv_get_property(self->vm.fd,
				    HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION));

	STEP(6, "TIME_FREEZE = 1: always create a frozen partition");
	mshv_set_property(self->vm.fd, HV_PARTITION_PROPERTY_TIME_FREEZE, 1);
	EXPECT_EQ(1ULL, mshv_get_property(self->vm.fd,
					  HV_PARTITION_PROPERTY_TIME_FREEZE));
}

/* 7: RAM, the payload and CH-style identity page tables and GDT. */
static void guest_memory(struct __test_metadata *_metadata,
			 FIXTURE_DATA(ch_boot) *self)
{
	__u64 *pml4, *pdpt, *pd, *gdt;

	STEP(7, "MSHV_SET_GUEST_MEMORY (EXECUTABLE | WRITABLE) and the payload");
	self->mem = mshv_map_guest_mem(self->vm.fd, 0, MEM_SIZE);

	gdt = (__u64 *)(self->mem + GDT_GPA);
	gdt[0] = 0;
	gdt[1] = 0x00af9b000000ffffULL;	/* 64-bit code */
	gdt[2] = 0x00cf93000000ffffULL;	/* data */
	gdt[3] = 0x00808b0000000067ULL;	/* 64-bit TSS */

	pml4 = (__u64 *)(self->mem + PML4_GPA);
	pdpt = (__u64 *)(self->mem + PDPT_GPA);
	pd = (__u64 *)(self->mem + PD_GPA);
	pml4[0] = PDPT_GPA | 0x3;	/* present, writable */
	pdpt[0] = PD_GPA | 0x3;
	pd[0] = 0x0 | 0x83;		/* 2 MiB page at 0 */

	mshv_load_guest(self->mem, CODE_GPA, guest_code, sizeof(guest_code));
}

/* 8: one VP, with its register and intercept message pages. */
static void create_vp(struct __test_metadata *_metadata,
		      FIXTURE_DATA(ch_boot) *self)
{
	STEP(8, "MSHV_CREATE_VP and mmap of the register page");
	mshv_vcpu_create(&self->vcpu, self->vm.fd, 0);
	EXPECT_EQ(HV_VP_REGISTER_PAGE_VERSION_1, self->vcpu.regs->version);
}

/* 9-10: CPUID results registered per leaf, then read back. */
static void cpuid(struct __test_metadata *_metadata,
		  FIXTURE_DATA(ch_boot) *self)
{
	struct hv_input_register_intercept_result reg = {
		.vp_index = HV_ANY_VP,
		.intercept_type = HV_INTERCEPT_TYPE_X64_CPUID,
	};
	struct {
		struct hv_input_get_vp_cpuid_values hdr;
		struct hv_cpuid_leaf_info leaf;
	} in = { 0 };
	struct hv_output_get_vp_cpuid_values out = { 0 };
	__u16 status = 0xffff;
	int ret;

	STEP(9, "HVCALL_REGISTER_INTERCEPT_RESULT for a CPUID leaf");
	reg.parameters.cpuid.input.eax = CPUID_LEAF;
	reg.parameters.cpuid.input.always_override = 1;
	reg.parameters.cpuid.result.ebx = CPUID_EBX;
	reg.parameters.cpuid.result.ebx_mask = 0xffffffff;
	ret = __mshv_hvcall(self->vm.fd, HVCALL_REGISTER_INTERCEPT_RESULT, 0,
			    &reg, sizeof(reg), NULL, 0, &status);
	ASSERT_EQ(0, ret) {
		TH_LOG("REGISTER_INTERCEPT_RESULT: errno %d status 0x%x",
		       errno, status);
	}

	STEP(10, "HVCALL_GET_VP_CPUID_VALUES sees the registered result");
	in.hdr.vp_index = 0;
	in.hdr.flags = HV_GET_VP_CPUID_VALUES_APPLY_REGISTERED_VALUES;
	in.leaf.eax = CPUID_LEAF;
	ret = __mshv_hvcall(self->vm.fd, HVCALL_GET_VP_CPUID_VALUES, 1, &in,
			    sizeof(in), &out, sizeof(out), &status);
	ASSERT_EQ(0, ret) {
		TH_LOG("GET_VP_CPUID_VALUES: errno %d status 0x%x", errno,
		       status);
	}
	EXPECT_EQ((__u32)CPUID_EBX, out.ebx);
}

static void seg(struct hv_register_assoc *a, __u32 name, __u16 sel,
		__u32 limit, __u16 attributes)
{
	memset(a, 0, sizeof(*a));
	a->name = name;
	a->value.segment.base = 0;
	a->value.segment.limit = limit;
	a->value.segment.selector = sel;
	a->value.segment.attributes = attributes;
}

static void reg64(struct hv_register_assoc *a, __u32 name, __u64 v)
{
	memset(a, 0, sizeof(*a));
	a->name = name;
	a->value.reg64 = v;
}

/* 11: long mode, as CH's configure_vcpu leaves a VP before the kernel. */
static void registers(struct __test_metadata *_metadata,
		      FIXTURE_DATA(ch_boot) *self)
{
	static const __u32 check[] = {
		HV_X64_REGISTER_RIP, HV_X64_REGISTER_CR0, HV_X64_REGISTER_CR3,
		HV_X64_REGISTER_CR4, HV_X64_REGISTER_EFER,
		HV_X64_REGISTER_PAT, HV_X64_REGISTER_RSI,
	};
	struct hv_register_assoc r[40];
	union hv_register_value got[ARRAY_SIZE(check)];
	__u16 status = 0xffff;
	unsigned int n = 0, i;
	int ret;

	STEP(11, "SET_VP_REGISTERS: GPRs, segments, CRs, EFER, MSRs, FPU");
	reg64(&r[n++], HV_X64_REGISTER_RIP, CODE_GPA);
	reg64(&r[n++], HV_X64_REGISTER_RFLAGS, 0x2);
	reg64(&r[n++], HV_X64_REGISTER_RSP, STACK_TOP);
	reg64(&r[n++], HV_X64_REGISTER_RBP, STACK_TOP);
	reg64(&r[n++], HV_X64_REGISTER_RSI, ZERO_PAGE_GPA);
	reg64(&r[n++], HV_X64_REGISTER_RAX, 0);
	reg64(&r[n++], HV_X64_REGISTER_RBX, 0);
	seg(&r[n++], HV_X64_REGISTER_CS, SEL_CODE, 0xffffffff, 0xa09b);
	seg(&r[n++], HV_X64_REGISTER_DS, SEL_DATA, 0xffffffff, 0xc093);
	seg(&r[n++], HV_X64_REGISTER_ES, SEL_DATA, 0xffffffff, 0xc093);
	seg(&r[n++], HV_X64_REGISTER_FS, SEL_DATA, 0xffffffff, 0xc093);
	seg(&r[n++], HV_X64_REGISTER_GS, SEL_DATA, 0xffffffff, 0xc093);
	seg(&r[n++], HV_X64_REGISTER_SS, SEL_DATA, 0xffffffff, 0xc093);
	seg(&r[n++], HV_X64_REGISTER_TR, SEL_TSS, 0x67, 0x008b);
	seg(&r[n++], HV_X64_REGISTER_LDTR, 0, 0xffff, 0x0082);
	memset(&r[n], 0, sizeof(r[n]));
	r[n].name = HV_X64_REGISTER_GDTR;
	r[n].value.table.base = GDT_GPA;
	r[n++].value.table.limit = 4 * 8 - 1;
	memset(&r[n], 0, sizeof(r[n]));
	r[n].name = HV_X64_REGISTER_IDTR;
	r[n++].value.table.limit = 0;
	reg64(&r[n++], HV_X64_REGISTER_CR0, CR0_PG | CR0_ET | CR0_PE);
	reg64(&r[n++], HV_X64_REGISTER_CR3, PML4_GPA);
	reg64(&r[n++], HV_X64_REGISTER_CR4, CR4_PAE);
	reg64(&r[n++], HV_X64_REGISTER_EFER, EFER_LME | EFER_LMA);
	/* The MSRs CH's boot MSR list sets. */
	reg64(&r[n++], HV_X64_REGISTER_SYSENTER_CS, 0);
	reg64(&r[n++], HV_X64_REGISTER_SYSENTER_ESP, 0);
	reg64(&r[n++], HV_X64_REGISTER_SYSENTER_EIP, 0);
	reg64(&r[n++], HV_X64_REGISTER_STAR, 0);
	reg64(&r[n++], HV_X64_REGISTER_CSTAR, 0);
	reg64(&r[n++], HV_X64_REGISTER_KERNEL_GS_BASE, 0);
	reg64(&r[n++], HV_X64_REGISTER_SFMASK, 0);
	reg64(&r[n++], HV_X64_REGISTER_LSTAR, 0);
	reg64(&r[n++], HV_X64_REGISTER_PAT, 0x0007040600070406ULL);
	reg64(&r[n++], HV_X64_REGISTER_MSR_MTRR_DEF_TYPE, 0x806);
	/* FPU: FCW 0x37f, MXCSR 0x1f80. */
	memset(&r[n], 0, sizeof(r[n]));
	r[n].name = HV_X64_REGISTER_FP_CONTROL_STATUS;
	r[n++].value.reg128.low_part = 0x37f;
	memset(&r[n], 0, sizeof(r[n]));
	r[n].name = HV_X64_REGISTER_XMM_CONTROL_STATUS;
	r[n++].value.reg128.high_part = 0x1f80;
	ASSERT_GE(ARRAY_SIZE(r), n);

	for (i = 0; i < n; i++) {
		ret = __mshv_set_regs(self->vcpu.fd, 0, &r[i], 1, &status);
		EXPECT_EQ(0, ret) {
			TH_LOG("SET_VP_REGISTERS 0x%x: errno %d status 0x%x",
			       r[i].name, errno, status);
		}
	}
	/* And all of them in one rep call, as CH's set_regs/set_sregs do. */
	ret = __mshv_set_regs(self->vcpu.fd, 0, r, n, &status);
	ASSERT_EQ(0, ret) {
		TH_LOG("SET_VP_REGISTERS x%u: errno %d status 0x%x", n, errno,
		       status);
	}

	ret = __mshv_get_regs(self->vcpu.fd, 0, check, got, ARRAY_SIZE(check),
			      &status);
	ASSERT_EQ(0, ret);
	EXPECT_EQ((__u64)CODE_GPA, got[0].reg64);
	EXPECT_EQ(CR0_PG | CR0_ET | CR0_PE, got[1].reg64);
	EXPECT_EQ((__u64)PML4_GPA, got[2].reg64);
	EXPECT_EQ(CR4_PAE, got[3].reg64);
	EXPECT_EQ(EFER_LME | EFER_LMA, got[4].reg64);
	EXPECT_EQ(0x0007040600070406ULL, got[5].reg64);
	EXPECT_EQ((__u64)ZERO_PAGE_GPA, got[6].reg64);
}

/* 12: CH's LAPIC setup: LINT0 ExtINT, LINT1 NMI, via MSHV_SET_VP_STATE. */
static void lapic(struct __test_metadata *_metadata,
		  FIXTURE_DATA(ch_boot) *self)
{
	struct hv_local_interrupt_controller_state *l;
	__u8 *buf = mshv_alloc_state_buf(GUEST_PAGE_SIZE);
	__u32 sz = GUEST_PAGE_SIZE;

	STEP(12, "LAPIC via MSHV_GET_VP_STATE / MSHV_SET_VP_STATE");
	ASSERT_EQ(0, __mshv_get_vp_state(self->vcpu.fd, MSHV_VP_STATE_LAPIC,
					 buf, &sz)) {
		TH_LOG("MSHV_GET_VP_STATE(LAPIC): errno %d", errno);
	}
	ASSERT_EQ((__u32)GUEST_PAGE_SIZE, sz);
	l = (void *)buf;
	EXPECT_EQ(0U, l->apic_id);
	l->apic_lvt_lint0 = 0x700;	/* ExtINT */
	l->apic_lvt_lint1 = 0x400;	/* NMI */
	ASSERT_EQ(0, __mshv_set_vp_state(self->vcpu.fd, MSHV_VP_STATE_LAPIC,
					 buf, &sz)) {
		TH_LOG("MSHV_SET_VP_STATE(LAPIC): errno %d", errno);
	}
	memset(buf, 0, GUEST_PAGE_SIZE);
	ASSERT_EQ(0, __mshv_get_vp_state(self->vcpu.fd, MSHV_VP_STATE_LAPIC,
					 buf, &sz));
	EXPECT_EQ(0x700U, l->apic_lvt_lint0);
	EXPECT_EQ(0x400U, l->apic_lvt_lint1);
	free(buf);
}

/* 13-15: resume and run to the IO intercept and the HLT. */
static void run(struct __test_metadata *_metadata,
		FIXTURE_DATA(ch_boot) *self)
{
	struct hv_x64_io_port_intercept_message *io;
	struct hv_x64_halt_message *halt;
	struct hv_message msg;
	__u8 len;

	STEP(13, "TIME_FREEZE = 0: resume");
	mshv_set_property(self->vm.fd, HV_PARTITION_PROPERTY_TIME_FREEZE, 0);
	EXPECT_EQ(0ULL, mshv_get_property(self->vm.fd,
					  HV_PARTITION_PROPERTY_TIME_FREEZE));

	STEP(14, "MSHV_RUN_VP: CPUID answered from the registered result, OUT exits");
	mshv_run_vp(self->vcpu.fd, &msg);
	ASSERT_EQ(HVMSG_X64_IO_PORT_INTERCEPT, msg.header.message_type) {
		TH_LOG("message 0x%x instead", msg.header.message_type);
	}
	io = (void *)msg.u.bytes;
	EXPECT_EQ(IO_PORT, io->port_number);
	EXPECT_EQ(HV_INTERCEPT_ACCESS_WRITE, io->header.intercept_access_type);
	EXPECT_EQ(4UL, io->access_info & HV_X64_IO_PORT_ACCESS_SIZE_MASK);
	EXPECT_EQ((__u64)CPUID_EBX, io->rax & 0xffffffff);
	EXPECT_EQ((__u64)CODE_GPA + OUT_INSN_OFFSET, io->header.rip);
	/* The guest really runs in long mode. */
	EXPECT_NE(0UL, io->header.execution_state & HV_X64_EXEC_STATE_EFER_LMA);
	EXPECT_NE(0UL, io->header.execution_state & HV_X64_EXEC_STATE_CR0_PE);
	EXPECT_EQ(0x8U, io->header.cs_segment.selector);

	/* CH completes PIO through the register page: RIP and a dirty bit. */
	len = io->header.instruction_length_cr8 & 0xf;
	EXPECT_EQ(2, len);
	self->vcpu.regs->rip = io->header.rip + len;
	self->vcpu.regs->dirty |= 1U << HV_X64_REGISTER_CLASS_IP;

	STEP(15, "MSHV_RUN_VP again: HLT");
	mshv_run_vp(self->vcpu.fd, &msg);
	ASSERT_EQ(HVMSG_X64_HALT, msg.header.message_type) {
		TH_LOG("message 0x%x instead", msg.header.message_type);
	}
	halt = (void *)msg.u.bytes;
	EXPECT_EQ((__u64)CODE_GPA + HLT_OFFSET, halt->header.rip);
}

/* 16: a snapshot of the stopped guest: every group rust-vmm reads. */
static void snapshot(struct __test_metadata *_metadata,
		     FIXTURE_DATA(ch_boot) *self)
{
	union hv_register_value v[VMM_MAX_GROUP];
	struct vmm_group_names g;
	__u64 f[4] = { 0 };
	static const __u32 codes[4] = {
		HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0,
		HV_PARTITION_PROPERTY_PROCESSOR_FEATURES1,
		HV_PARTITION_PROPERTY_PROCESSOR_XSAVE_FEATURES,
		HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
	};
	unsigned int i;
	__u16 status;

	STEP(16, "vCPU state for a snapshot: one GET_VP_REGISTERS per group");
	mshv_set_property(self->vm.fd, HV_PARTITION_PROPERTY_TIME_FREEZE, 1);
	for (i = 0; i < ARRAY_SIZE(codes); i++)
		ASSERT_EQ(0, __mshv_get_property(self->vm.fd, codes[i], &f[i],
						 &status));
	for (i = 0; i <= VMM_NR_FIXED_GROUPS; i++) {
		if (i < VMM_NR_FIXED_GROUPS)
			vmm_fixed_group(i, &g);
		else
			vmm_msr_group(f[0], f[1], f[2], f[3], &g);
		status = 0xffff;
		ASSERT_EQ(0, __mshv_get_regs(self->vcpu.fd, 0, g.names, v, g.n,
					     &status)) {
			TH_LOG("get_%s: status 0x%x", g.what, status);
		}
		if (i == VMM_REGS)	/* RIP is past the HLT */
			EXPECT_EQ((__u64)CODE_GPA + HLT_OFFSET + 1, v[16].reg64);
		if (i == VMM_SREGS_GET)	/* CR3 as the VMM set it */
			EXPECT_EQ((__u64)PML4_GPA, v[12].reg64);
	}
}

TEST_F(ch_boot, boot_sequence)
{
	host_properties(_metadata, self);
	create_partition(_metadata, self);
	init_partition(_metadata, self);
	guest_memory(_metadata, self);
	create_vp(_metadata, self);
	cpuid(_metadata, self);
	registers(_metadata, self);
	lapic(_metadata, self);
	run(_metadata, self);
	snapshot(_metadata, self);
}

/* Pause and resume as CH does it: TIME_FREEZE 1/0 on a running guest. */
TEST_F(ch_boot, pause_resume)
{
	host_properties(_metadata, self);
	create_partition(_metadata, self);
	init_partition(_metadata, self);
	mshv_set_property(self->vm.fd, HV_PARTITION_PROPERTY_TIME_FREEZE, 0);
	mshv_set_property(self->vm.fd, HV_PARTITION_PROPERTY_TIME_FREEZE, 1);
	EXPECT_EQ(1ULL, mshv_get_property(self->vm.fd,
					  HV_PARTITION_PROPERTY_TIME_FREEZE));
	mshv_set_property(self->vm.fd, HV_PARTITION_PROPERTY_TIME_FREEZE, 0);
	EXPECT_EQ(0ULL, mshv_get_property(self->vm.fd,
					  HV_PARTITION_PROPERTY_TIME_FREEZE));
}

TEST_HARNESS_MAIN
