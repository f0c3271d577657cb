/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vm64 - a one-VP partition running freestanding C guest code in 64-bit
 * long mode, in the style of the KVM selftests.
 *
 * How the guest code gets into the guest: the test program is a static,
 * position-dependent (ET_EXEC) executable.  Its guest functions live in
 * *_guest.c files (and lib/guest_x86.c) compiled with GUEST_CFLAGS
 * (-ffreestanding -fno-stack-protector -mgeneral-regs-only -fno-pic
 * -mno-red-zone ...) and linked into the same binary as the host code.
 * vm64_create() loads the *whole* program image into guest RAM at its
 * link addresses, by reading the PT_LOAD segments of /proc/self/exe with
 * the ELF loader shared with mshv-run (lib/elf_load.c), and
 * builds an identity map (lib/x64_boot.c), so every address
 * the host sees in the program (functions, string literals, jump tables,
 * globals) means the same in the guest.  Loading the whole image rather
 * than one guest section keeps .rodata and .data usable from guest code;
 * the guest works on its own copy of the data (initial values from the
 * file), never on the host's.  Guest code must not call libc.
 *
 * Guest RAM is one region at GPA 0 covering the image (rounded up to
 * 2 MiB); x64_boot.h shows the layout of its first MiB.  The VP enters
 * the guest function with RSP = X64_STACK_TOP - 8 and a return address
 * that reports UCALL_DONE with the function's return value.  All IDT
 * vectors (0-255) go to the stubs of guest_x86.c (guest_install_handler()).
 *
 * A test then loops on vm64_run(), which returns the ucall command (see
 * guest_x86.h) or UCALL_NONE for any other exit, left in vm->msg.
 */
#ifndef SELFTEST_MSHV_VM64_H
#define SELFTEST_MSHV_VM64_H

#include <stdbool.h>

#include "mshv_util.h"
#include "guest_x86.h"

/**
 * struct vm64 - a partition with one VP in long mode
 * @vm: the partition
 * @vcpu: VP 0 and its mmapped pages
 * @ram: guest RAM, at GPA 0
 * @ram_size: its size
 * @msg: the message of the last vm64_run()
 * @uc: the ucall of the last vm64_run(), if it returned one
 */
struct vm64 {
	struct mshv_vm vm;
	struct mshv_vcpu vcpu;
	void *ram;
	__u64 ram_size;
	struct hv_message msg;
	struct ucall uc;
};

/**
 * struct vm64_mmio - a decoded MOV to or from an unmapped GPA
 * @gpa: the address accessed
 * @write: true for a store
 * @size: 1, 2, 4 or 8 bytes
 * @reg: the GPR (x86 encoding number) that is stored or loaded
 * @len: instruction length in bytes
 * @value: the value stored (for writes)
 */
struct vm64_mmio {
	__u64 gpa;
	bool write;
	unsigned int size;
	unsigned int reg;
	unsigned int len;
	__u64 value;
};

void vm64_create(struct vm64 *vm, void *guest_code);
void vm64_destroy(struct vm64 *vm);
void *vm64_gpa_ptr(struct vm64 *vm, __u64 gpa, __u64 len);
__u64 *vm64_pte(struct vm64 *vm, __u64 gva);
void vm64_set_arg(struct vm64 *vm, unsigned int n, __u64 value);
void vm64_set_idt(struct vm64 *vm, __u64 base, __u16 limit);

unsigned int vm64_run(struct vm64 *vm);
unsigned int vm64_run_ucall(struct vm64 *vm);
void vm64_check_ucall(struct vm64 *vm);
void vm64_expect_sync(struct vm64 *vm, unsigned int nargs);
void vm64_expect_done(struct vm64 *vm);
const char *vm64_msg_name(__u32 type);

bool vm64_decode_mmio(struct vm64 *vm, struct vm64_mmio *acc);
void vm64_complete_mmio(struct vm64 *vm, const struct vm64_mmio *acc,
			__u64 read_value);

#endif /* SELFTEST_MSHV_VM64_H */
