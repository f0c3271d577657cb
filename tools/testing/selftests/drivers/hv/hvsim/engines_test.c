// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim execution engines (engine=interp and engine=svm).  hvsim's
 * engine= module parameter is writable and is read when a partition is
 * created, so one process can run the same guest under both engines:
 *  - differential: 64-bit guest programs run under each engine; every
 *    exit (message type, RIP, port, ucall and its values, the whole port
 *    intercept message) and the final registers must be the same;
 *  - guests only hardware virtualization runs: SSE code and a long
 *    compute loop under engine=svm, with the interpreter turning the SSE
 *    guest into an unrecoverable exception;
 *  - SSE state the VMM sets while the guest's XCR0 is x87 only runs on
 *    the hardware (no invalid_fallbacks) and reaches the guest;
 *  - CPUID tells the truth per engine: no x87/SSE under the interpreter,
 *    the host's under svm;
 *  - an exception whose delivery exits (#NPF on a fresh stack page) is
 *    delivered after all, where it belongs (svm: EXITINTINFO);
 *  - an SSE load that is the first access to a region mapped on demand
 *    runs under svm (a GPA intercept mshv_root resolves, not an
 *    unrecoverable exception);
 *  - XSAVE as Linux uses it under svm: the XCR0 the guest sets with
 *    XSETBV stays its XCR0 across #VMEXITs, CPUID leaf 0xD follows it,
 *    and XSAVE/XRSTOR keep the SSE state;
 *  - 5-level paging (CR4.LA57) under both engines: the interpreter
 *    walks the guest's five levels for what it emulates;
 *  - svm maps guest memory a hugetlb page (or a THP) backs with 2 MiB
 *    nested leaves, and memory without such backing with 4 KiB ones only;
 *    unmapping one 4 KiB page under a 2 MiB leaf takes that page, and only
 *    it, away.
 * Skips where hvsim is not the hypervisor or cannot run engine=svm (no
 * AMD-V with nested paging).
 */
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "vm64.h"
#include "engines.h"

#define ENGINE_PARAM	"/sys/module/hvsim/parameters/engine"
#define NR_HUGEPAGES	"/proc/sys/vm/nr_hugepages"
#define PAGE_4K		0x1000ULL
#define MAX_EXITS	16

struct exit_rec {
	__u32 type;
	__u64 rip;
	__u32 port;
	__u64 cmd;
	__u64 args[UCALL_MAX_ARGS];
	struct hv_x64_io_port_intercept_message io;	/* port exits */
};

struct trace {
	unsigned int n;
	struct exit_rec exits[MAX_EXITS];
	__u64 gprs[16];
	__u64 rip, rflags, cr0, cr3, cr4, efer;
	__u16 sel[6];
};

/* Write engine=@name; return 0 or -errno. */
static int set_engine(const char *name)
{
	int fd = open(ENGINE_PARAM, O_WRONLY);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, name, strlen(name)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static void get_engine(char *buf, size_t len)
{
	int fd = open(ENGINE_PARAM, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, len - 1);

	buf[n > 0 ? n : 0] = 0;
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = 0;
	if (fd >= 0)
		close(fd);
}

/* One "name value" line of hvsim's debugfs engine file; *@v kept if absent. */
static void read_engine_counter(const char *name, long *v)
{
	char line[128];
	size_t len = strlen(name);
	FILE *f = fopen("/sys/kernel/debug/hvsim/engine", "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, len) && line[len] == ' ')
			*v = strtol(line + len + 1, NULL, 10);
	fclose(f);
}

/*
 * Run @code(@arg) to its return, recording each exit; a plain IO exit on
 * ENGINES_PORT or ENGINES_IN_PORT is completed here.
 */
static void run_trace(struct vm64 *vm, void *code, __u64 arg, struct trace *t)
{
	struct hv_x64_io_port_intercept_message *io = (void *)vm->msg.u.payload;
	struct hv_vp_register_page *regs;
	struct exit_rec *e;
	unsigned int cmd, i;

	memset(t, 0, sizeof(*t));
	vm64_create(vm, code);
	vm64_set_arg(vm, 0, arg);
	regs = vm->vcpu.regs;
	for (;;) {
		cmd = vm64_run(vm);
		TEST_ASSERT(t->n < MAX_EXITS, "too many exits");
		e = &t->exits[t->n++];
		e->type = vm->msg.header.message_type;
		e->rip = io->header.rip;
		e->cmd = cmd;
		memcpy(e->args, vm->uc.args, sizeof(e->args));
		if (e->type == HVMSG_X64_IO_PORT_INTERCEPT) {
			e->port = io->port_number;
			e->io = *io;
		}
		if (cmd == UCALL_DONE)
			break;
		if (cmd == UCALL_SYNC)
			continue;
		TEST_ASSERT(cmd == UCALL_NONE &&
			    e->type == HVMSG_X64_IO_PORT_INTERCEPT &&
			    (io->port_number == ENGINES_PORT ||
			     io->port_number == ENGINES_IN_PORT),
			    "unexpected exit: message 0x%x (%s) at rip 0x%llx, ucall %u",
			    e->type, vm64_msg_name(e->type),
			    (unsigned long long)e->rip, cmd);
		if (io->port_number == ENGINES_IN_PORT) {
			regs->gp_registers[0] = ENGINES_IN_VALUE;
			regs->dirty |= 1U << HV_X64_REGISTER_CLASS_GENERAL;
		}
		regs->rip = io->header.rip +
			    (io->header.instruction_length_cr8 & 0xf);
		regs->dirty |= 1U << HV_X64_REGISTER_CLASS_IP;
	}
	memcpy(t->gprs, regs->gp_registers, sizeof(t->gprs));
	t->rip = regs->rip;
	t->rflags = regs->rflags;
	t->cr0 = regs->cr0;
	t->cr3 = regs->cr3;
	t->cr4 = regs->cr4;
	t->efer = regs->efer;
	for (i = 0; i < 6; i++)
		t->sel[i] = regs->segment_registers[i].selector;
	vm64_destroy(vm);
}

FIXTURE(engines) {
	struct vm64 vm;
	char saved[32];
	void *mem;
	long nr_huge;
};

FIXTURE_SETUP(engines)
{
	self->vm.vm.fd = -1;
	self->vm.vm.dev_fd = -1;
	self->vm.vcpu.fd = -1;
	self->nr_huge = -1;
	MSHV_REQUIRE_DEV();
	if (access(ENGINE_PARAM, W_OK))
		SKIP(return, "no writable hvsim engine= parameter");
	get_engine(self->saved, sizeof(self->saved));
	if (set_engine("svm"))
		SKIP(return, "hvsim cannot run engine=svm here");
}

FIXTURE_TEARDOWN(engines)
{
	vm64_destroy(&self->vm);
	if (self->mem)
		munmap(self->mem, ENGINES_TOUCH_SIZE);
	if (self->nr_huge >= 0)
		write_num_file(NR_HUGEPAGES, self->nr_huge);
	if (self->saved[0])
		set_engine(self->saved);
}

static void expect_same(struct __test_metadata *_metadata,
			const struct trace *a, const struct trace *b)
{
	unsigned int i, j;

	ASSERT_EQ(a->n, b->n);
	for (i = 0; i < a->n; i++) {
		const struct exit_rec *x = &a->exits[i], *y = &b->exits[i];

		EXPECT_EQ(x->type, y->type) TH_LOG("exit %u", i);
		EXPECT_EQ(x->rip, y->rip) TH_LOG("exit %u", i);
		EXPECT_EQ(x->port, y->port) TH_LOG("exit %u", i);
		EXPECT_EQ(x->cmd, y->cmd) TH_LOG("exit %u", i);
		for (j = 0; j < UCALL_MAX_ARGS; j++)
			EXPECT_EQ(x->args[j], y->args[j])
				TH_LOG("exit %u arg %u", i, j);
		/* The whole message: length, bytes, access, registers. */
		EXPECT_EQ(0, memcmp(&x->io, &y->io, sizeof(x->io)))
			TH_LOG("exit %u: port messages differ", i);
	}
	for (i = 0; i < 16; i++)
		EXPECT_EQ(a->gprs[i], b->gprs[i]) TH_LOG("gpr %u", i);
	EXPECT_EQ(a->rip, b->rip);
	EXPECT_EQ(a->rflags, b->rflags);
	EXPECT_EQ(a->cr0, b->cr0);
	EXPECT_EQ(a->cr3, b->cr3);
	EXPECT_EQ(a->cr4, b->cr4);
	EXPECT_EQ(a->efer, b->efer);
	for (i = 0; i < 6; i++)
		EXPECT_EQ(a->sel[i], b->sel[i]) TH_LOG("segment %u", i);
}

static void differential(struct __test_metadata *_metadata, struct vm64 *vm,
			 void *code, __u64 arg)
{
	static struct trace interp, svm;

	ASSERT_EQ(0, set_engine("interp"));
	run_trace(vm, code, arg, &interp);
	ASSERT_EQ(0, set_engine("svm"));
	run_trace(vm, code, arg, &svm);
	/* Exits seen: the run did get somewhere. */
	ASSERT_GE(interp.n, 3U);
	expect_same(_metadata, &interp, &svm);
}

TEST_F(engines, differential_mix)
{
	differential(_metadata, &self->vm, guest_mix, 0x1234567890abcdefULL);
}

TEST_F(engines, differential_paging)
{
	differential(_metadata, &self->vm, guest_paging, 0xfeedfacecafebeefULL);
}

/* SSE code runs under svm, and is an unrecoverable exception under interp. */
TEST_F(engines, sse_only_svm)
{
	struct vm64 *vm = &self->vm;
	__u64 expect = 0, i;

	for (i = 0; i < ENGINES_SSE_N; i++)
		expect += i * i;
	vm64_create(vm, guest_sse);
	vm64_expect_sync(vm, 1);
	EXPECT_EQ(expect, vm->uc.args[0]);
	vm64_expect_done(vm);
	vm64_destroy(vm);

	ASSERT_EQ(0, set_engine("interp"));
	vm64_create(vm, guest_sse);
	EXPECT_EQ((unsigned int)UCALL_NONE, vm64_run(vm));
	EXPECT_EQ(HVMSG_UNRECOVERABLE_EXCEPTION, vm->msg.header.message_type);
}

/*
 * SSE state the VMM sets before the guest enables SSE in XCR0 (as Cloud
 * Hypervisor's boot does with MXCSR) is the guest's under svm, and runs on
 * the hardware: no slice refused as an invalid state.
 */
TEST_F(engines, sse_state_from_vmm)
{
	struct vm64 *vm = &self->vm;
	struct hv_register_assoc r[2];
	long refused = -1;
	__u16 status;

	memset(r, 0, sizeof(r));
	vm64_create(vm, guest_xmm0);
	r[0].name = HV_X64_REGISTER_XMM0;
	r[0].value.reg128.low_part = 0x1122334455667788ULL;
	r[1].name = HV_X64_REGISTER_XMM_CONTROL_STATUS;
	/* MXCSR: all exceptions masked, PE set */
	r[1].value.reg128.high_part = 0x1fa0;
	ASSERT_EQ(0, __mshv_set_regs(vm->vcpu.fd, 0, r, 2, &status));
	ASSERT_EQ(HV_STATUS_SUCCESS, status);
	read_engine_counter("invalid_fallbacks", &refused);
	vm64_expect_sync(vm, 2);
	EXPECT_EQ(0x1122334455667788ULL, vm->uc.args[0]);
	EXPECT_EQ(0x1fa0ULL, vm->uc.args[1]);
	if (refused >= 0) {
		long now = -1;

		read_engine_counter("invalid_fallbacks", &now);
		EXPECT_EQ(refused, now);
	}
}

/* Hundreds of millions of instructions: seconds under svm. */
TEST_F(engines, long_loop)
{
	struct vm64 *vm = &self->vm;
	__u64 expect = engines_long_hash(ENGINES_LONG_N);

	vm64_create(vm, guest_long_loop);
	vm64_set_arg(vm, 0, ENGINES_LONG_N);
	vm64_expect_sync(vm, 1);
	EXPECT_EQ(expect, vm->uc.args[0]);
	vm64_expect_done(vm);
}

#define CPUID1_EDX_FPU	BIT(0)
#define CPUID1_EDX_SSE2	BIT(26)
#define CPUID1_ECX_AVX	BIT(28)
#define CPUID1_ECX_TSC_DEADLINE	BIT(24)
#define CPUID81_ECX_SVM	BIT(2)

/* CPUID @leaf as the guest sees it under @engine: EDX, ECX. */
static void guest_cpuid_under(struct __test_metadata *_metadata,
			      struct vm64 *vm, const char *engine,
			      __u32 leaf, __u64 out[2])
{
	ASSERT_EQ(0, set_engine(engine));
	vm64_create(vm, guest_cpuid_leaf);
	vm64_set_arg(vm, 0, leaf);
	vm64_expect_sync(vm, 2);
	out[0] = vm->uc.args[0];
	out[1] = vm->uc.args[1];
	vm64_expect_done(vm);
	vm64_destroy(vm);
}

/* Each engine advertises only what it executes. */
TEST_F(engines, cpuid_per_engine)
{
	__u64 interp[2], svm[2];

	guest_cpuid_under(_metadata, &self->vm, "interp", 1, interp);
	guest_cpuid_under(_metadata, &self->vm, "svm", 1, svm);
	EXPECT_EQ(0U, interp[0] & (CPUID1_EDX_FPU | CPUID1_EDX_SSE2));
	EXPECT_EQ(0U, interp[1] & CPUID1_ECX_AVX);
	/* Every x86-64 CPU with SVM has x87 and SSE2. */
	EXPECT_EQ(CPUID1_EDX_FPU | CPUID1_EDX_SSE2,
		  svm[0] & (CPUID1_EDX_FPU | CPUID1_EDX_SSE2));
}

/*
 * Neither engine advertises what hvsim does not model, whatever the host
 * has: the LAPIC has no TSC-deadline mode, and child partitions get no
 * nested SVM (the test VM's CPU has SVM, so the second check fails when
 * the host's bit leaks through).
 */
TEST_F(engines, cpuid_hides_unmodelled)
{
	static const char * const names[] = { "interp", "svm" };
	__u64 l1[2], l81[2];
	unsigned int i;

	for (i = 0; i < 2; i++) {
		guest_cpuid_under(_metadata, &self->vm, names[i], 1, l1);
		guest_cpuid_under(_metadata, &self->vm, names[i], 0x80000001,
				  l81);
		EXPECT_EQ(0U, l1[1] & CPUID1_ECX_TSC_DEADLINE);
		EXPECT_EQ(0U, l81[1] & CPUID81_ECX_SVM);
	}
}

/* Map @size bytes at @hva to @gpa, writable and executable. */
static int set_mem(struct vm64 *vm, __u64 gpa, __u64 size, void *hva,
		   bool unmap)
{
	return __mshv_set_guest_memory(vm->vm.fd, gpa, size, hva,
				       BIT(MSHV_SET_MEM_BIT_WRITABLE) |
				       BIT(MSHV_SET_MEM_BIT_EXECUTABLE) |
				       (unmap ? BIT(MSHV_SET_MEM_BIT_UNMAP) : 0));
}

/*
 * Run guest_db_fresh_stack under @engine: exactly one single-step trap,
 * after the instruction that follows POPF.  The stack is a region of its
 * own, pinned (mapped when it is made, so that the #NPF is the nested
 * tables', not a GPA intercept), that the guest has not touched: the 2 MiB
 * around a page of the program image are mapped with their first access
 * wherever a THP backs them.
 */
static void db_fresh_stack_under(struct __test_metadata *_metadata,
				 struct vm64 *vm, const char *engine)
{
	void *stack = mshv_alloc_guest_mem(ENGINES_TOUCH_SIZE);

	ASSERT_EQ(0, set_engine(engine));
	vm64_create(vm, guest_db_fresh_stack);
	ASSERT_LE(0, mshv_set_movable(vm->vm.fd, false));
	ASSERT_EQ(0, set_mem(vm, ENGINES_TOUCH_GPA, ENGINES_TOUCH_SIZE, stack,
			     false));
	vm64_set_arg(vm, 0, ENGINES_TOUCH_GPA + ENGINES_TOUCH_SIZE);
	vm64_expect_sync(vm, 3);
	EXPECT_EQ(1ULL, vm->uc.args[0]) TH_LOG("engine=%s: traps", engine);
	EXPECT_EQ(vm->uc.args[2], vm->uc.args[1])
		TH_LOG("engine=%s: trap RIP", engine);
	vm64_expect_done(vm);
	vm64_destroy(vm);
	munmap(stack, ENGINES_TOUCH_SIZE);
}

/*
 * A trap whose delivery the SVM engine's nested tables interrupt (#NPF
 * on the stack page, EXITINTINFO valid) must not be lost or moved to a
 * later instruction; the event counts as re-injected.
 */
TEST_F(engines, event_delivery_exit)
{
	long before = -1, after = -1;

	read_engine_counter("reinjected", &before);
	db_fresh_stack_under(_metadata, &self->vm, "svm");
	read_engine_counter("reinjected", &after);
	if (before >= 0)
		EXPECT_LT(before, after);
	db_fresh_stack_under(_metadata, &self->vm, "interp");
}

/*
 * The first access to a movable region's page is a GPA intercept that
 * MSHV_RUN_VP resolves itself; under svm the access is an SSE load, which
 * the interpreter lacks, and which must run on the hardware once the page
 * is there.  The partition's region is movable (its movable_regions
 * switch), so the #NPF must have become an intercept.
 */
TEST_F(engines, sse_first_touch)
{
	struct vm64 *vm = &self->vm;
	long before = -1, after = -1;
	__u64 *mem;

	vm64_create(vm, guest_sse_first_touch);
	ASSERT_LE(0, mshv_set_movable(vm->vm.fd, true));
	mem = mshv_map_guest_mem(vm->vm.fd, ENGINES_TOUCH_GPA,
				 ENGINES_TOUCH_SIZE);
	mem[0] = ENGINES_TOUCH_VALUE;
	vm64_set_arg(vm, 0, ENGINES_TOUCH_GPA);
	read_engine_counter("npf_intercepts", &before);
	EXPECT_EQ((unsigned int)UCALL_SYNC, vm64_run(vm))
		TH_LOG("exit: message 0x%x (%s)", vm->msg.header.message_type,
		       vm64_msg_name(vm->msg.header.message_type));
	EXPECT_EQ(ENGINES_TOUCH_VALUE, vm->uc.args[0]);
	read_engine_counter("npf_intercepts", &after);
	if (before >= 0)
		EXPECT_LT(before, after);
	vm64_expect_done(vm);
	munmap(mem, ENGINES_TOUCH_SIZE);
}

/* XCR0 state components (Intel SDM vol. 1, 13.1; AMD APM vol. 2, 11.5.2). */
#define XCR0_X87	BIT_ULL(0)
#define XCR0_SSE	BIT_ULL(1)
#define XCR0_YMM	BIT_ULL(2)
/* Legacy region and XSAVE header: the XSAVE area of x87/SSE alone. */
#define XSAVE_LEGACY_SIZE	576U

/*
 * The standard-form XSAVE area size for @xcr0, from this CPU's CPUID leaf
 * 0xD: sub-leaf n >= 2 gives component n's size (EAX) and offset (EBX)
 * (Intel SDM vol. 2A, CPUID; AMD APM vol. 3, E.3.10).
 */
static __u32 xsave_size(__u64 xcr0)
{
	unsigned int a, b, c, d, i;
	__u32 size = XSAVE_LEGACY_SIZE;

	for (i = 2; i < 63; i++) {
		if (!(xcr0 & BIT_ULL(i)))
			continue;
		__cpuid_count(0xd, i, a, b, c, d);
		if (a + b > size)
			size = a + b;
	}
	return size;
}

/*
 * The XCR0 a Linux guest sets with XSETBV is its XCR0 after the next
 * #VMEXIT too (QEMU's AMD-V runs XSETBV without the intercept: hvsim put
 * the old XCR0 back at the next VMRUN, and Linux's signal frames then
 * failed XRSTOR, "bad frame in rt_sigreturn"); CPUID leaf 0xD reports
 * the components hvsim holds (x87, SSE, AVX) and, in EBX, the size for
 * the guest's XCR0 before and after XSETBV, not for the host's; XMM0
 * goes through XSAVE, a #VMEXIT and XRSTOR.
 */
TEST_F(engines, xsave_follows_xsetbv)
{
	struct vm64 *vm = &self->vm;
	unsigned int a, b, c, d;
	__u64 want;

	__cpuid_count(0xd, 0, a, b, c, d);
	want = XCR0_X87 | XCR0_SSE | (a & XCR0_YMM);
	vm64_create(vm, guest_xsave);
	vm64_set_arg(vm, 0, want);
	vm64_expect_sync(vm, 4);
	EXPECT_EQ(want, vm->uc.args[0]) TH_LOG("XGETBV after a #VMEXIT");
	EXPECT_EQ(want, vm->uc.args[1]) TH_LOG("CPUID 0xD.0 EDX:EAX");
	EXPECT_EQ(xsave_size(want), vm->uc.args[2])
		TH_LOG("CPUID 0xD.0 EBX for XCR0 %#llx",
		       (unsigned long long)want);
	EXPECT_EQ(XSAVE_LEGACY_SIZE, vm->uc.args[3])
		TH_LOG("CPUID 0xD.0 EBX for XCR0 1");
	vm64_expect_sync(vm, 3);
	EXPECT_EQ(ENGINES_XMM0_VALUE, vm->uc.args[2]) TH_LOG("XMM0 saved");
	EXPECT_EQ(XCR0_SSE, vm->uc.args[1] & XCR0_SSE) TH_LOG("XSTATE_BV");
	EXPECT_EQ(ENGINES_XMM0_VALUE, vm->uc.args[0]) TH_LOG("XMM0 restored");
	vm64_expect_done(vm);
}

/* 5-level paging (Intel SDM vol. 3A, 4.5; CPUID.(EAX=07H,ECX=0):ECX[16]). */
#define CPUID7_ECX_LA57	BIT(16)
#define CR4_LA57	BIT_ULL(12)
/* The PML5 table: a free page of the scratch area. */
#define LA57_PML5_GPA	(X64_SCRATCH_END - 0x1000)

/*
 * Run guest_cpuid_leaf(7) under @engine in 5-level paging, as Linux runs
 * once its decompressor switched to it: CR4.LA57 and CR3 at a PML5
 * table whose first entry is vm64's PML4.  The CPUID (under svm an
 * intercept the interpreter emulates) and the ucall's OUT are fetched
 * through the interpreter's walk of the guest's tables.
 */
static void la57_under(struct __test_metadata *_metadata, struct vm64 *vm,
		       const char *engine)
{
	__u64 *pml5, cr4;

	ASSERT_EQ(0, set_engine(engine));
	vm64_create(vm, guest_cpuid_leaf);
	vm64_set_arg(vm, 0, 7);
	pml5 = vm64_gpa_ptr(vm, LA57_PML5_GPA, 4096);
	memset(pml5, 0, 4096);
	pml5[0] = X64_PML4_GPA | X64_PTE_P | X64_PTE_RW;
	cr4 = mshv_get_reg(vm->vcpu.fd, 0, HV_X64_REGISTER_CR4);
	mshv_set_reg(vm->vcpu.fd, 0, HV_X64_REGISTER_CR4, cr4 | CR4_LA57);
	mshv_set_reg(vm->vcpu.fd, 0, HV_X64_REGISTER_CR3, LA57_PML5_GPA);
	EXPECT_EQ((unsigned int)UCALL_SYNC, vm64_run_ucall(vm))
		TH_LOG("engine=%s: exit: message 0x%x (%s)", engine,
		       vm->msg.header.message_type,
		       vm64_msg_name(vm->msg.header.message_type));
	EXPECT_EQ(CPUID7_ECX_LA57, vm->uc.args[1] & CPUID7_ECX_LA57)
		TH_LOG("engine=%s: CPUID 7 ECX", engine);
	vm64_expect_done(vm);
	vm64_destroy(vm);
}

TEST_F(engines, la57_walk)
{
	unsigned int a, b, c, d;

	__cpuid_count(7, 0, a, b, c, d);
	if (!(c & CPUID7_ECX_LA57))
		SKIP(return, "no 5-level paging on this CPU");
	la57_under(_metadata, &self->vm, "svm");
	la57_under(_metadata, &self->vm, "interp");
}

/* 2 MiB of hugetlb memory, or MAP_FAILED; see map_2m_backed(). */
static void *map_hugetlb_2m(FIXTURE_DATA(engines) *self)
{
	const int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
			  (21 << MAP_HUGE_SHIFT);
	void *p = mmap(NULL, ENGINES_TOUCH_SIZE, PROT_READ | PROT_WRITE, flags,
		       -1, 0);
	long long n;

	if (p != MAP_FAILED)
		return p;
	n = read_num_file(NR_HUGEPAGES);
	if (n < 0 || write_num_file(NR_HUGEPAGES, n + 1))
		return MAP_FAILED;
	self->nr_huge = n;
	return mmap(NULL, ENGINES_TOUCH_SIZE, PROT_READ | PROT_WRITE, flags,
		    -1, 0);
}

/*
 * 2 MiB of memory for @self->mem that one 2 MiB-aligned run of host
 * frames backs: a hugetlb page (if the pool has none free,
 * vm.nr_hugepages is raised by one, and put back by the teardown), or
 * where the kernel has no hugetlbfs (the debug kernel) a THP, checked in
 * /proc/self/pagemap.
 * Return: false if neither can be had.
 */
static bool map_2m_backed(FIXTURE_DATA(engines) *self)
{
	__u64 pfn, i;
	char *p;

	p = map_hugetlb_2m(self);
	if (p != MAP_FAILED) {
		self->mem = p;
		return true;
	}
	p = mshv_alloc_2m_aligned(ENGINES_TOUCH_SIZE);
	self->mem = p;
	madvise(p, ENGINES_TOUCH_SIZE, MADV_HUGEPAGE);
	memset(p, 0, ENGINES_TOUCH_SIZE);
	pfn = mshv_host_pfn(p);
	if (!pfn || pfn % (ENGINES_TOUCH_SIZE / PAGE_4K))
		return false;
	for (i = 1; i < ENGINES_TOUCH_SIZE / PAGE_4K; i++)
		if (mshv_host_pfn(p + i * PAGE_4K) != pfn + i)
			return false;
	return true;
}

/* A value for the first quadword of page @i of the test region. */
static __u64 page_tag(unsigned int i)
{
	return 0x5eed000000000000ULL | (__u64)i << 12 | i;
}

/* Tag each page of @mem; return the sum of the tags as the guest reads them. */
static __u64 tag_pages(__u64 *mem)
{
	__u64 sum = 0;
	unsigned int i;

	for (i = 0; i < ENGINES_TOUCH_SIZE / PAGE_4K; i++)
		mem[i * ENGINES_PAGE_QWORDS] = page_tag(i);
	for (i = 0; i < ENGINES_TOUCH_SIZE / PAGE_4K; i++)
		sum += mem[i * ENGINES_PAGE_QWORDS];
	return sum;
}

/*
 * Run guest_touch_pages() over the test region, which the caller mapped;
 * return by how much npt_maps and npt_maps_2m grew while the guest
 * touched it (after its first sync, when its own pages are mapped).
 */
static void touch_region(struct __test_metadata *_metadata, struct vm64 *vm,
			 __u64 expect_sum, long *maps, long *maps_2m)
{
	long m0 = -1, m1 = -1, l0 = -1, l1 = -1;

	vm64_set_arg(vm, 0, ENGINES_TOUCH_GPA);
	vm64_set_arg(vm, 1, ENGINES_TOUCH_SIZE / PAGE_4K);
	vm64_expect_sync(vm, 1);
	read_engine_counter("npt_maps", &m0);
	read_engine_counter("npt_maps_2m", &l0);
	vm64_expect_sync(vm, 1);
	read_engine_counter("npt_maps", &m1);
	read_engine_counter("npt_maps_2m", &l1);
	EXPECT_EQ(expect_sum, vm->uc.args[0]);
	vm64_expect_done(vm);
	ASSERT_LE(0, m0);
	ASSERT_LE(0, l0) TH_LOG("no npt_maps_2m in hvsim's engine file");
	*maps = m1 - m0;
	*maps_2m = l1 - l0;
}

/*
 * Guest memory a hugetlb page or a THP backs (a region mapped on demand,
 * which mshv_root maps as one large page) gets a 2 MiB nested leaf.
 */
TEST_F(engines, npt_2m_leaf)
{
	struct vm64 *vm = &self->vm;
	long maps, maps_2m;
	__u64 *mem, sum;
	unsigned int i;

	if (!map_2m_backed(self))
		SKIP(return, "no 2 MiB-backed memory (hugetlb or THP)");
	mem = self->mem;
	sum = tag_pages(mem);
	vm64_create(vm, guest_touch_pages);
	ASSERT_EQ(0, set_mem(vm, ENGINES_TOUCH_GPA, ENGINES_TOUCH_SIZE, mem,
			     false));
	touch_region(_metadata, vm, sum, &maps, &maps_2m);
	EXPECT_LE(1, maps_2m);
	/* The guest's writes went to the pages behind the leaf. */
	for (i = 0; i < ENGINES_TOUCH_SIZE / PAGE_4K; i++)
		ASSERT_EQ(i, mem[i * ENGINES_PAGE_QWORDS + 1]) TH_LOG("page %u", i);
}

/*
 * Guest memory without 2 MiB backing: 4 KiB pages of a memfd, the second
 * of them the first one again (so the frames are certainly not one run),
 * in a region pinned when it is made.  Every page gets a 4 KiB leaf and
 * none a 2 MiB one.
 */
TEST_F(engines, npt_no_2m_leaf)
{
	struct vm64 *vm = &self->vm;
	long maps, maps_2m;
	__u64 *mem, sum;
	char *p;
	int fd;

	fd = memfd_create("npt_no_2m", 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, ENGINES_TOUCH_SIZE));
	p = mshv_alloc_2m_aligned(ENGINES_TOUCH_SIZE);
	self->mem = p;
	ASSERT_NE(MAP_FAILED, mmap(p, ENGINES_TOUCH_SIZE,
				   PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_FIXED, fd, 0));
	ASSERT_NE(MAP_FAILED, mmap(p + PAGE_4K, PAGE_4K,
				   PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_FIXED, fd, 0));
	close(fd);
	mem = (__u64 *)p;
	sum = tag_pages(mem);
	vm64_create(vm, guest_touch_pages);
	ASSERT_LE(0, mshv_set_movable(vm->vm.fd, false));
	ASSERT_EQ(0, set_mem(vm, ENGINES_TOUCH_GPA, ENGINES_TOUCH_SIZE, mem,
			     false));
	touch_region(_metadata, vm, sum, &maps, &maps_2m);
	EXPECT_EQ(0, maps_2m);
	EXPECT_LE(ENGINES_TOUCH_SIZE / PAGE_4K, (unsigned long)maps);
}

/* Run to an UNMAPPED_GPA exit, a load from @gpa; complete it with @value. */
static void expect_unmapped_read(struct __test_metadata *_metadata,
				 struct vm64 *vm, __u64 gpa, __u64 value)
{
	struct vm64_mmio acc;

	ASSERT_EQ((unsigned int)UCALL_NONE, vm64_run(vm));
	ASSERT_EQ(HVMSG_UNMAPPED_GPA, vm->msg.header.message_type)
		TH_LOG("exit: message 0x%x (%s)", vm->msg.header.message_type,
		       vm64_msg_name(vm->msg.header.message_type));
	ASSERT_TRUE(vm64_decode_mmio(vm, &acc));
	EXPECT_EQ(gpa, acc.gpa);
	EXPECT_FALSE(acc.write);
	vm64_complete_mmio(vm, &acc, value);
}

/*
 * One hugetlb page (or THP) as two pinned regions, all of it but its last
 * 4 KiB page and that page: one run of frames in GPA order, mapped page by
 * page, so a 2 MiB leaf.  Once the VMM unmaps the last page, every read
 * of it is an UNMAPPED_GPA exit, also after its neighbours were mapped
 * again, and they still read what the VMM wrote, through 4 KiB leaves.
 */
TEST_F(engines, npt_2m_unmap_one)
{
	const __u64 last_gpa = ENGINES_TOUCH_GPA + ENGINES_TOUCH_SIZE - PAGE_4K;
	const unsigned int last = ENGINES_TOUCH_SIZE / PAGE_4K - 1;
	const __u64 mmio_value = 0x0ddba11c0ffee000ULL;
	struct vm64 *vm = &self->vm;
	long l0 = -1, l1 = -1, m1 = -1, m2 = -1;
	__u64 *mem;

	if (!map_2m_backed(self))
		SKIP(return, "no 2 MiB-backed memory (hugetlb or THP)");
	mem = self->mem;
	tag_pages(mem);
	vm64_create(vm, guest_2m_split);
	ASSERT_LE(0, mshv_set_movable(vm->vm.fd, false));
	ASSERT_EQ(0, set_mem(vm, ENGINES_TOUCH_GPA,
			     ENGINES_TOUCH_SIZE - PAGE_4K, mem, false));
	ASSERT_EQ(0, set_mem(vm, last_gpa, PAGE_4K,
			     mem + last * ENGINES_PAGE_QWORDS, false));
	vm64_set_arg(vm, 0, ENGINES_TOUCH_GPA);

	vm64_expect_sync(vm, 1);
	read_engine_counter("npt_maps_2m", &l0);
	vm64_expect_sync(vm, 3);
	read_engine_counter("npt_maps_2m", &l1);
	read_engine_counter("npt_maps", &m1);
	EXPECT_EQ(page_tag(0), vm->uc.args[0]);
	EXPECT_EQ(page_tag(last - 1), vm->uc.args[1]);
	EXPECT_EQ(page_tag(last), vm->uc.args[2]);
	ASSERT_LE(0, l0) TH_LOG("no npt_maps_2m in hvsim's engine file");
	EXPECT_LT(l0, l1);

	ASSERT_EQ(0, set_mem(vm, last_gpa, PAGE_4K,
			     mem + last * ENGINES_PAGE_QWORDS, true));
	expect_unmapped_read(_metadata, vm, last_gpa, mmio_value);
	expect_unmapped_read(_metadata, vm, last_gpa, ~mmio_value);
	vm64_expect_sync(vm, 4);
	read_engine_counter("npt_maps", &m2);
	EXPECT_EQ(page_tag(0), vm->uc.args[0]);
	EXPECT_EQ(page_tag(last - 1), vm->uc.args[1]);
	EXPECT_EQ(mmio_value, vm->uc.args[2]);
	EXPECT_EQ(~mmio_value, vm->uc.args[3]);
	/* The neighbours came back as 4 KiB leaves. */
	EXPECT_LE(m1 + 2, m2);
	vm64_expect_done(vm);
}

TEST_HARNESS_MAIN
