// SPDX-License-Identifier: GPL-2.0
/*
 * vm64 - the VMM side of the 64-bit C guests: partition and RAM set-up,
 * program image loading, long-mode entry, ucall decoding and a decoder for
 * the MOV forms guests use on MMIO.  See include/vm64.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "vm64.h"
#include "elf_load.h"

#define SZ_2M		0x200000ULL
#define ALIGN_UP_2M(x)	(((x) + SZ_2M - 1) & ~(SZ_2M - 1))

/**
 * vm64_create() - a partition whose VP 0 enters @guest_code in long mode
 * @vm: filled in; release with vm64_destroy()
 * @guest_code: a guest function of this program (compiled with
 *	GUEST_CFLAGS); it may take up to six integer arguments, see
 *	vm64_set_arg(), and returning from it reports UCALL_DONE
 */
void vm64_create(struct vm64 *vm, void *guest_code)
{
	struct hv_register_assoc regs[X64_NR_BOOT_REGS];
	struct elf_image img;
	__u64 rsp = X64_STACK_TOP - 8;
	unsigned int i, n;
	__u16 status;
	int ret;

	memset(vm, 0, sizeof(*vm));
	vm->vm.fd = -1;
	vm->vm.dev_fd = -1;
	vm->vcpu.fd = -1;

	ret = elf_open(&img, "/proc/self/exe");
	TEST_ASSERT(!ret, "loading /proc/self/exe: %s", img.error);
	TEST_ASSERT(img.lo >= X64_FREE_GPA,
		    "program image at 0x%llx overlaps the system area",
		    (unsigned long long)img.lo);
	vm->ram_size = ALIGN_UP_2M(img.hi > X64_MIN_RAM ? img.hi : X64_MIN_RAM);

	mshv_vm_create(&vm->vm, true);
	vm->ram = mshv_map_guest_mem(vm->vm.fd, 0, vm->ram_size);
	TEST_ASSERT(!x64_build(vm->ram, vm->ram_size), "x64_build");
	ret = elf_load(&img, vm->ram, vm->ram_size);
	TEST_ASSERT(!ret, "loading the program image: %s", img.error);
	elf_close(&img);

	for (i = 0; i < GUEST_NR_VECTORS; i++)
		x64_set_idt_gate(vm->ram, i, (__u64)(unsigned long)
				 (guest_exception_stubs + i * GUEST_STUB_SIZE), 0);
	/* Returning from the guest function lands in guest_return_trap. */
	*(__u64 *)vm64_gpa_ptr(vm, rsp, 8) = (__u64)(unsigned long)guest_return_trap;

	mshv_vcpu_create(&vm->vcpu, vm->vm.fd, 0);
	n = x64_boot_regs(regs, (__u64)(unsigned long)guest_code, rsp);
	ret = __mshv_set_regs(vm->vm.fd, 0, regs, n, &status);
	TEST_ASSERT(ret == 0, "SET_VP_REGISTERS (long mode): status 0x%x",
		    status);
}

void vm64_destroy(struct vm64 *vm)
{
	mshv_vcpu_destroy(&vm->vcpu);
	mshv_vm_destroy(&vm->vm);
	if (vm->ram)
		munmap(vm->ram, vm->ram_size);
	vm->ram = NULL;
}

/* Host pointer to @len bytes of guest RAM at @gpa; fails the test if outside. */
void *vm64_gpa_ptr(struct vm64 *vm, __u64 gpa, __u64 len)
{
	TEST_ASSERT(gpa < vm->ram_size && len <= vm->ram_size - gpa,
		    "GPA 0x%llx (+%llu) outside guest RAM",
		    (unsigned long long)gpa, (unsigned long long)len);
	return (char *)vm->ram + gpa;
}

/* The 4 KiB PTE (in guest RAM) of @gva, which must be below 2 MiB. */
__u64 *vm64_pte(struct vm64 *vm, __u64 gva)
{
	__u64 *pte = x64_pte(vm->ram, gva);

	TEST_ASSERT(pte, "GVA 0x%llx is not mapped by a 4K page",
		    (unsigned long long)gva);
	return pte;
}

/* Set integer argument @n (0..5: RDI, RSI, RDX, RCX, R8, R9) of the guest. */
void vm64_set_arg(struct vm64 *vm, unsigned int n, __u64 value)
{
	static const __u32 names[] = {
		HV_X64_REGISTER_RDI, HV_X64_REGISTER_RSI, HV_X64_REGISTER_RDX,
		HV_X64_REGISTER_RCX, HV_X64_REGISTER_R8, HV_X64_REGISTER_R8 + 1,
	};

	TEST_ASSERT(n < 6, "argument %u", n);
	mshv_set_reg(vm->vm.fd, 0, names[n], value);
}

/* Replace the IDTR the VP starts with. */
void vm64_set_idt(struct vm64 *vm, __u64 base, __u16 limit)
{
	struct hv_register_assoc r;
	__u16 status;

	memset(&r, 0, sizeof(r));
	r.name = HV_X64_REGISTER_IDTR;
	r.value.table.base = base;
	r.value.table.limit = limit;
	TEST_ASSERT(!__mshv_set_regs(vm->vm.fd, 0, &r, 1, &status),
		    "SET_VP_REGISTERS IDTR: status 0x%x", status);
}

/* A NUL-terminated string of the guest image, or "?". */
static const char *guest_str(struct vm64 *vm, __u64 gva)
{
	const char *s;

	if (!gva || gva >= vm->ram_size)
		return "?";
	s = (char *)vm->ram + gva;
	return memchr(s, 0, vm->ram_size - gva) ? s : "?";
}

const char *vm64_msg_name(__u32 type)
{
	switch (type) {
	case HVMSG_NONE:			return "NONE";
	case HVMSG_UNMAPPED_GPA:		return "UNMAPPED_GPA";
	case HVMSG_GPA_INTERCEPT:		return "GPA_INTERCEPT";
	case HVMSG_UNRECOVERABLE_EXCEPTION:	return "UNRECOVERABLE_EXCEPTION";
	case HVMSG_UNSUPPORTED_FEATURE:		return "UNSUPPORTED_FEATURE";
	case HVMSG_X64_IO_PORT_INTERCEPT:	return "IO_PORT_INTERCEPT";
	case HVMSG_X64_MSR_INTERCEPT:		return "MSR_INTERCEPT";
	case HVMSG_X64_CPUID_INTERCEPT:		return "CPUID_INTERCEPT";
	case HVMSG_X64_EXCEPTION_INTERCEPT:	return "EXCEPTION_INTERCEPT";
	case HVMSG_X64_HALT:			return "HALT";
	}
	return "unknown";
}

/**
 * vm64_run() - run the VP until its next exit
 * @vm: the partition
 *
 * The message is left in @vm->msg.  A ucall (an OUT to UCALL_PORT) is read
 * into @vm->uc and stepped over, so the next vm64_run() resumes the guest
 * after it.
 *
 * Return: the ucall command, or UCALL_NONE if the exit was something else.
 */
unsigned int vm64_run(struct vm64 *vm)
{
	struct hv_x64_io_port_intercept_message *io = (void *)vm->msg.u.payload;
	struct hv_vp_register_page *regs = vm->vcpu.regs;

	memset(&vm->uc, 0, sizeof(vm->uc));
	mshv_run_vp(vm->vcpu.fd, &vm->msg);
	if (vm->msg.header.message_type != HVMSG_X64_IO_PORT_INTERCEPT ||
	    io->port_number != UCALL_PORT)
		return UCALL_NONE;

	TEST_ASSERT(io->header.intercept_access_type == HV_INTERCEPT_ACCESS_WRITE &&
		    (io->access_info & HV_X64_IO_PORT_ACCESS_SIZE_MASK) == 4,
		    "ucall port: access type %u, info 0x%x",
		    io->header.intercept_access_type, io->access_info);
	memcpy(&vm->uc, vm64_gpa_ptr(vm, io->rdi, sizeof(vm->uc)),
	       sizeof(vm->uc));
	TEST_ASSERT(vm->uc.cmd == (__u32)io->rax && vm->uc.cmd < UCALL_MAX &&
		    vm->uc.cmd != UCALL_NONE && vm->uc.nargs <= UCALL_MAX_ARGS,
		    "bad ucall: eax 0x%llx, struct at 0x%llx: cmd %llu nargs %llu",
		    (unsigned long long)io->rax, (unsigned long long)io->rdi,
		    (unsigned long long)vm->uc.cmd,
		    (unsigned long long)vm->uc.nargs);

	regs->rip = io->header.rip + (io->header.instruction_length_cr8 & 0xf);
	regs->dirty |= 1U << HV_X64_REGISTER_CLASS_IP;
	return vm->uc.cmd;
}

/*
 * vm64_check_ucall() - fail the test, with the guest's report, if the last
 * exit was a GUEST_ASSERT*() failure, an unhandled exception or no ucall.
 */
void vm64_check_ucall(struct vm64 *vm)
{
	struct hv_x64_intercept_message_header *h = (void *)vm->msg.u.payload;
	const struct ucall *uc = &vm->uc;
	unsigned int cmd = uc->cmd;

	TEST_ASSERT(cmd != UCALL_NONE,
		    "expected a ucall, got message 0x%x (%s) at rip 0x%llx",
		    vm->msg.header.message_type,
		    vm64_msg_name(vm->msg.header.message_type),
		    (unsigned long long)h->rip);
	TEST_ASSERT(cmd != UCALL_ASSERT,
		    "guest assertion failed at %s:%llu: %s (0x%llx, 0x%llx)",
		    guest_str(vm, uc->file), (unsigned long long)uc->line,
		    guest_str(vm, uc->expr),
		    (unsigned long long)uc->args[0],
		    (unsigned long long)uc->args[1]);
	TEST_ASSERT(cmd != UCALL_UNHANDLED,
		    "unhandled guest exception %llu, error code 0x%llx, rip 0x%llx, cr2 0x%llx",
		    (unsigned long long)uc->args[0],
		    (unsigned long long)uc->args[1],
		    (unsigned long long)uc->args[2],
		    (unsigned long long)uc->args[3]);
}

/* Run until the next exit, which must be a ucall; see vm64_check_ucall(). */
unsigned int vm64_run_ucall(struct vm64 *vm)
{
	unsigned int cmd = vm64_run(vm);

	vm64_check_ucall(vm);
	return cmd;
}

/* Run; the guest must report GUEST_SYNC() with @nargs values. */
void vm64_expect_sync(struct vm64 *vm, unsigned int nargs)
{
	unsigned int cmd = vm64_run_ucall(vm);

	TEST_ASSERT(cmd == UCALL_SYNC, "expected UCALL_SYNC, got %u", cmd);
	TEST_ASSERT(vm->uc.nargs == nargs, "GUEST_SYNC with %llu values, expected %u",
		    (unsigned long long)vm->uc.nargs, nargs);
}

/* Run; the guest must report GUEST_DONE() or return. */
void vm64_expect_done(struct vm64 *vm)
{
	unsigned int cmd = vm64_run_ucall(vm);

	TEST_ASSERT(cmd == UCALL_DONE, "expected UCALL_DONE, got %u", cmd);
}

/* Size of the operand of a MOV: 1 for the byte forms, else prefixes. */
static unsigned int mov_size(__u8 op, __u8 rex, bool opsize16)
{
	if (op == 0x88 || op == 0x8a)
		return 1;
	if (rex & 0x8)
		return 8;
	return opsize16 ? 2 : 4;
}

/**
 * vm64_decode_mmio() - decode the MOV behind an HVMSG_UNMAPPED_GPA exit
 * @vm: the partition; @vm->msg holds the message
 * @acc: filled in
 *
 * Understands MOV r/m,reg and MOV reg,r/m (opcodes 0x88, 0x89, 0x8a,
 * 0x8b) with an optional 0x66 prefix and REX prefix, every memory
 * addressing form (ModRM, SIB, displacements, RIP-relative).  The byte
 * forms using AH..BH are refused.
 *
 * Return: true if decoded.
 */
bool vm64_decode_mmio(struct vm64 *vm, struct vm64_mmio *acc)
{
	struct hv_x64_memory_intercept_message *m = (void *)vm->msg.u.payload;
	unsigned int n = m->instruction_byte_count, i = 0;
	const __u8 *b = m->instruction_bytes;
	bool opsize16 = false;
	__u8 rex = 0, op, modrm, mod, rm;

	if (vm->msg.header.message_type != HVMSG_UNMAPPED_GPA || n > 16)
		return false;
	if (i < n && b[i] == 0x66) {
		opsize16 = true;
		i++;
	}
	if (i < n && (b[i] & 0xf0) == 0x40)
		rex = b[i++];
	if (i + 2 > n)
		return false;
	op = b[i++];
	modrm = b[i++];
	if (op < 0x88 || op > 0x8b)
		return false;
	mod = modrm >> 6;
	rm = modrm & 7;
	if (mod == 3)
		return false;
	if (rm == 4) {			/* SIB; base 5 with mod 0: disp32 */
		if (i >= n)
			return false;
		if ((b[i++] & 7) == 5 && mod == 0)
			i += 4;
	} else if (rm == 5 && mod == 0) {
		i += 4;			/* RIP-relative */
	}
	i += mod == 1 ? 1 : mod == 2 ? 4 : 0;
	if (i > n)
		return false;

	acc->gpa = m->guest_physical_address;
	acc->write = op == 0x88 || op == 0x89;
	acc->size = mov_size(op, rex, opsize16);
	acc->reg = ((modrm >> 3) & 7) | (rex & 0x4 ? 8 : 0);
	acc->len = i;
	if (acc->size == 1 && !rex && acc->reg >= 4)
		return false;
	acc->value = 0;
	if (acc->write) {
		acc->value = vm->vcpu.regs->gp_registers[acc->reg];
		if (acc->size < 8)
			acc->value &= (1ULL << (acc->size * 8)) - 1;
	}
	return true;
}

/**
 * vm64_complete_mmio() - finish an emulated MOV and step over it
 * @vm: the partition
 * @acc: the access, from vm64_decode_mmio()
 * @read_value: for a load, the value read (ignored for stores)
 *
 * A 4-byte load zero-extends into the 64-bit register, 1- and 2-byte loads
 * replace the low bytes only.  Changes go through the register page.
 */
void vm64_complete_mmio(struct vm64 *vm, const struct vm64_mmio *acc,
			__u64 read_value)
{
	struct hv_x64_intercept_message_header *h = (void *)vm->msg.u.payload;
	struct hv_vp_register_page *regs = vm->vcpu.regs;

	if (!acc->write) {
		__u64 reg = regs->gp_registers[acc->reg];

		if (acc->size >= 4) {
			reg = acc->size == 8 ? read_value : (__u32)read_value;
		} else {
			__u64 mask = (1ULL << (acc->size * 8)) - 1;

			reg = (reg & ~mask) | (read_value & mask);
		}
		regs->gp_registers[acc->reg] = reg;
		regs->dirty |= 1U << HV_X64_REGISTER_CLASS_GENERAL;
	}
	regs->rip = h->rip + acc->len;
	regs->dirty |= 1U << HV_X64_REGISTER_CLASS_IP;
}
