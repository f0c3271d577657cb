/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interpreter test vectors, part 2: protected mode, long mode, paging,
 * exceptions, system instructions and the CPUID/MSR callbacks, run in
 * the machine of cpu_test_env.h.  Included by cpu_test_vectors.h only.
 * The code bytes were produced by an assembler; the source is in the
 * comment above each vector.
 */
#ifndef _HVSIM_CPU_TEST_VECTORS_PM_H
#define _HVSIM_CPU_TEST_VECTORS_PM_H

#include "cpu_test_env.h"

static const struct hvt_vec hvt_vectors_pm[] = {
	/* jmp 0x08:0x120; .org 0x20; hlt */
	{ .name = "pm32_far_jmp_gdt",
	  HVT_C("\xea\x20\x01\x00\x00\x08\x00"),
	  .code_at = { { 0x120, 1,
			"\xf4" } },
	  .setup = hvt_setup_pm32, .rip = 0x121, .check = hvt_chk_cs08 },
	/* mov ax, 0x50; mov ds, ax; mov eax, [0x10]; hlt */
	{ .name = "pm32_mov_ds_base_and_accessed",
	  HVT_C("\x66\xb8\x50\x00\x8e\xd8\xa1\x10\x00\x00\x00\xf4"),
	  .setup = hvt_setup_pm32, .poke = { { 0xa010, 4, "\x78\x56\x34\x12" } },
	  .out = { [HVSIM_RAX] = 0x12345678 }, .gm = HVT_R(RAX),
	  .expect = { { 0x1055, 1, "\x93" } } },
	/* mov ax, 0x48; mov ds, ax; hlt */
	{ .name = "pm32_mov_ds_not_present_np",
	  HVT_C("\x66\xb8\x48\x00\x8e\xd8\xf4"),
	  .setup = hvt_setup_pm32, .rip = HVT_HANDLER(11) + 1,
	  /* error code = selector, EIP of the MOV, CS */
	  .expect = { { 0xeff0, 12, "\x48\0\0\0\x04\x01\0\0\x08\0\0\0" } } },
	/* mov ax, 0x40; mov ds, ax; mov eax, [0xffd]; hlt */
	{ .name = "pm32_limit_gp",
	  HVT_C("\x66\xb8\x40\x00\x8e\xd8\xa1\xfd\x0f\x00\x00\xf4"),
	  .setup = hvt_setup_pm32, .rip = HVT_HANDLER(13) + 1,
	  .expect = { { 0xeff0, 8, "\0\0\0\0\x06\x01\0\0" } } },
	/* mov ax, 0x40; mov ds, ax; mov eax, [0xffc]; hlt */
	{ .name = "pm32_limit_last_byte_ok",
	  HVT_C("\x66\xb8\x40\x00\x8e\xd8\xa1\xfc\x0f\x00\x00\xf4"),
	  .setup = hvt_setup_pm32, .rip = 0x10c },
	/* xor eax, eax; mov ds, ax; mov eax, [0]; hlt */
	{ .name = "pm32_null_ds_use_gp",
	  HVT_C("\x31\xc0\x8e\xd8\xa1\x00\x00\x00\x00\xf4"),
	  .setup = hvt_setup_pm32, .rip = HVT_HANDLER(13) + 1,
	  .expect = { { 0xeff0, 8, "\0\0\0\0\x04\x01\0\0" } } },
	/* xor eax, eax; mov ss, ax; hlt */
	{ .name = "pm32_null_ss_gp",
	  HVT_C("\x31\xc0\x8e\xd0\xf4"),
	  .setup = hvt_setup_pm32, .rip = HVT_HANDLER(13) + 1,
	  .expect = { { 0xeff0, 8, "\0\0\0\0\x02\x01\0\0" } } },
	/* mov ax, 0x33; mov ss, ax; hlt */
	{ .name = "pm32_ss_dpl_mismatch_gp",
	  HVT_C("\x66\xb8\x33\x00\x8e\xd0\xf4"),
	  .setup = hvt_setup_pm32, .rip = HVT_HANDLER(13) + 1,
	  .expect = { { 0xeff0, 4, "\x30\0\0\0" } } },
	/* mov ax, 0x60; mov es, ax; mov es:[0x10], eax; hlt */
	{ .name = "pm32_write_readonly_seg_gp",
	  HVT_C("\x66\xb8\x60\x00\x8e\xc0\x26\xa3\x10\x00\x00\x00"
		"\xf4"),
	  .setup = hvt_setup_pm32, .rip = HVT_HANDLER(13) + 1,
	  .expect = { { 0xeff0, 4, "\0\0\0\0" } } },
	/* call 0x08:0x120; hlt; .org 0x20; retf */
	{ .name = "pm32_far_call_retf",
	  HVT_C("\x9a\x20\x01\x00\x00\x08\x00\xf4"),
	  .code_at = { { 0x120, 1,
			"\xcb" } },
	  .setup = hvt_setup_pm32, .rip = 0x108,
	  .out = { [HVSIM_RSP] = 0xf000 }, .gm = HVT_R(RSP),
	  .expect = { { 0xeff8, 8, "\x07\x01\0\0\x08\0\0\0" } } },
	/* pushfd; push cs; push 0x130; iretd; .org 0x30; hlt */
	{ .name = "pm32_iretd_same_level",
	  HVT_C("\x9c\x0e\x68\x30\x01\x00\x00\xcf"),
	  .code_at = { { 0x130, 1,
			"\xf4" } },
	  .setup = hvt_setup_pm32, .rip = 0x131,
	  .out = { [HVSIM_RSP] = 0xf000 }, .gm = HVT_R(RSP) },
	/* int 0x80; hlt */
	{ .name = "pm32_user_int80_stack_switch",
	  HVT_C("\xcd\x80\xf4"),
	  .setup = hvt_setup_pm32_user, .rip = HVT_HANDLER(0x80) + 1,
	  .out = { [HVSIM_RSP] = 0xdfec }, .gm = HVT_R(RSP),
	  /* EIP, CS, EFLAGS, ESP, SS of the user code on the TSS stack */
	  .expect = { { 0xdfec, 8, "\x02\x01\0\0\x2b\0\0\0" },
		      { 0xdff8, 8, "\0\xf0\0\0\x33\0\0\0" } },
	  .check = hvt_chk_kernel32 },
	/* cli; hlt */
	{ .name = "pm32_user_cli_gp",
	  HVT_C("\xfa\xf4"),
	  .setup = hvt_setup_pm32_user, .rip = HVT_HANDLER(13) + 1,
	  .expect = { { 0xdfe8, 8, "\0\0\0\0\x00\x01\0\0" } } },
	/* hlt */
	{ .name = "pm32_user_hlt_gp",
	  HVT_C("\xf4"),
	  .setup = hvt_setup_pm32_user, .rip = HVT_HANDLER(13) + 1 },
	/* out 0x80, al */
	{ .name = "pm32_user_out_gp",
	  HVT_C("\xe6\x80"),
	  .setup = hvt_setup_pm32_user, .rip = HVT_HANDLER(13) + 1 },
	/* int 0x0e; hlt */
	{ .name = "pm32_user_int_dpl0_gp",
	  HVT_C("\xcd\x0e\xf4"),
	  .setup = hvt_setup_pm32_user, .rip = HVT_HANDLER(13) + 1,
	  /* error code: IDT index 0x0e, IDT bit */
	  .expect = { { 0xdfe8, 4, "\x72\0\0\0" } } },
	/* mov ax, 0x68; ltr ax; str ebx; hlt */
	{ .name = "pm32_ltr_str_busy",
	  HVT_C("\x66\xb8\x68\x00\x0f\x00\xd8\x0f\x00\xcb\xf4"),
	  .setup = hvt_setup_pm32_no_tr, .out = { [HVSIM_RBX] = 0x68 }, .gm = HVT_R(RBX),
	  .expect = { { 0x106d, 1, "\x8b" } }, .check = hvt_chk_tr },
	/* sidt [0x600]; sgdt [0x610]; hlt */
	{ .name = "pm32_sidt",
	  HVT_C("\x0f\x01\x0d\x00\x06\x00\x00\x0f\x01\x05\x10\x06"
		"\x00\x00\xf4"),
	  .setup = hvt_setup_pm32,
	  .expect = { { 0x600, 6, "\xff\x07\0\x20\0\0" },
		      { 0x610, 6, "\x77\0\0\x10\0\0" } } },
	/* sti; nop; hlt */
	{ .name = "pm32_sti_sets_shadow",
	  HVT_C("\xfb\x90\xf4"),
	  .setup = hvt_setup_pm32, .steps = 1, .check = hvt_chk_shadow },
	/* sti; nop; hlt */
	{ .name = "pm32_shadow_ends_after_next",
	  HVT_C("\xfb\x90\xf4"),
	  .setup = hvt_setup_pm32, .steps = 2, .check = hvt_chk_no_shadow },
	/* mov ax, 0x10; mov ss, ax; nop */
	{ .name = "pm32_mov_ss_sets_shadow",
	  HVT_C("\x66\xb8\x10\x00\x8e\xd0\x90"),
	  .setup = hvt_setup_pm32, .steps = 2, .check = hvt_chk_shadow },
	/* mov eax, 0x8000 (bit 15, reserved); mov cr4, eax; hlt */
	{ .name = "pm32_cr4_reserved_gp",
	  HVT_C("\xb8\x00\x80\x00\x00\x0f\x22\xe0\xf4"),
	  .setup = hvt_setup_pm32, .rip = HVT_HANDLER(13) + 1 },
	/* clts; mov eax, 0x401; mov dr7, eax; mov ebx, dr7; mov ecx, cr0; hlt */
	{ .name = "pm32_clts_dr7",
	  HVT_C("\x0f\x06\xb8\x01\x04\x00\x00\x0f\x23\xf8\x0f\x21"
		"\xfb\x0f\x20\xc1\xf4"),
	  .setup = hvt_setup_pm32, .cr0 = 0x19,
	  .out = { [HVSIM_RBX] = 0x401, [HVSIM_RCX] = 0x11 },
	  .gm = HVT_R(RBX) | HVT_R(RCX) },
	/* mov eax, dr4; hlt */
	{ .name = "pm32_dr4_ud_with_cr4_de",
	  HVT_C("\x0f\x21\xe0\xf4"),
	  .setup = hvt_setup_pm32_de, .rip = HVT_HANDLER(6) + 1 },
	/* mov ax, 0x40; mov ds, ax; mov eax, [0x2000]; hlt */
	{ .name = "pm32_nested_np_in_gp_gives_df",
	  HVT_C("\x66\xb8\x40\x00\x8e\xd8\xa1\x00\x20\x00\x00\xf4"),
	  .setup = hvt_setup_pm32_gp_np, .rip = HVT_HANDLER(8) + 1,
	  .expect = { { 0xeff0, 8, "\0\0\0\0\x06\x01\0\0" } } },
	/* mov eax, [0x9010]; mov [0x9020], eax; hlt */
	{ .name = "paging32_4k_alias_accessed",
	  HVT_C("\xa1\x10\x90\x00\x00\xa3\x20\x90\x00\x00\xf4"),
	  .setup = hvt_setup_paging32, .poke = { { 0xa010, 4, "\x44\x33\x22\x11" } },
	  .out = { [HVSIM_RAX] = 0x11223344 }, .gm = HVT_R(RAX),
	  /* PTE 9 (4 bytes) got A and D; the data went through the alias */
	  .expect = { { 0x5024, 1, "\x67" }, { 0xa020, 4, "\x44\x33\x22\x11" } } },
	/* mov eax, [0x40a010]; hlt */
	{ .name = "paging32_pse_4m_page",
	  HVT_C("\xa1\x10\xa0\x40\x00\xf4"),
	  .setup = hvt_setup_paging32, .poke = { { 0xa010, 4, "\x01\x02\x03\x04" } },
	  .out = { [HVSIM_RAX] = 0x04030201 }, .gm = HVT_R(RAX),
	  .expect = { { 0x4004, 1, "\xa7" } } },
	/* mov eax, [0xb000]; hlt */
	{ .name = "paging32_pf_not_present",
	  HVT_C("\xa1\x00\xb0\x00\x00\xf4"),
	  .setup = hvt_setup_paging32, .rip = HVT_HANDLER(14) + 1,
	  .expect = { { 0xeff0, 8, "\0\0\0\0\x00\x01\0\0" } },
	  .check = hvt_chk_cr2_b000 },
	/* mov eax, [0x9010]; mov [0xf000], eax; hlt */
	{ .name = "pae_alias_and_pf_write_ro",
	  HVT_C("\xa1\x10\x90\x00\x00\xa3\x00\xf0\x00\x00\xf4"),
	  .setup = hvt_setup_pae, .poke = { { 0xa010, 4, "\x44\x33\x22\x11" } },
	  .out = { [HVSIM_RAX] = 0x11223344 }, .gm = HVT_R(RAX),
	  .rip = HVT_HANDLER(14) + 1,
	  /* #PF: present, write (CR0.WP); the alias PTE got A only */
	  .expect = { { 0xeff0, 8, "\x03\0\0\0\x05\x01\0\0" },
		      { 0x7048, 1, "\x27" } } },
	/* mov rax, [0x9010]; hlt */
	{ .name = "lm_paging_alias_read_accessed",
	  HVT_C("\x48\x8b\x04\x25\x10\x90\x00\x00\xf4"),
	  .setup = hvt_setup_lm, .poke = { { 0xa010, 8, "\x88\x77\x66\x55\x44\x33\x22\x11" } },
	  .out = { [HVSIM_RAX] = 0x1122334455667788ULL }, .gm = HVT_R(RAX),
	  .expect = { { 0x7048, 1, "\x27" }, { 0x4000, 1, "\x27" } } },
	/* mov [0x9010], eax; hlt */
	{ .name = "lm_paging_write_dirty",
	  HVT_C("\x89\x04\x25\x10\x90\x00\x00\xf4"),
	  .setup = hvt_setup_lm, .gpr = { [HVSIM_RAX] = 0xdeadbeef },
	  .expect = { { 0x7048, 1, "\x67" }, { 0xa010, 4, "\xef\xbe\xad\xde" } } },
	/* mov rax, [0xb010]; hlt */
	{ .name = "lm_pf_not_present_read",
	  HVT_C("\x48\x8b\x04\x25\x10\xb0\x00\x00\xf4"),
	  .setup = hvt_setup_lm, .rip = HVT_HANDLER(14) + 1,
	  .out = { [HVSIM_RSP] = 0xefd0 }, .gm = HVT_R(RSP),
	  .expect = { { 0xefd0, 16, "\0\0\0\0\0\0\0\0\x00\x01\0\0\0\0\0\0" } },
	  .check = hvt_chk_cr2_b010 },
	/* mov [0xb010], eax; hlt */
	{ .name = "lm_pf_not_present_write",
	  HVT_C("\x89\x04\x25\x10\xb0\x00\x00\xf4"),
	  .setup = hvt_setup_lm, .rip = HVT_HANDLER(14) + 1,
	  .expect = { { 0xefd0, 1, "\x02" } }, .check = hvt_chk_cr2_b010 },
	/* mov [0xf010], eax; hlt */
	{ .name = "lm_pf_write_readonly_wp",
	  HVT_C("\x89\x04\x25\x10\xf0\x00\x00\xf4"),
	  .setup = hvt_setup_lm, .rip = HVT_HANDLER(14) + 1,
	  .expect = { { 0xefd0, 1, "\x03" } } },
	/* mov [0xf010], eax; hlt */
	{ .name = "lm_write_readonly_no_wp",
	  HVT_C("\x89\x04\x25\x10\xf0\x00\x00\xf4"),
	  .setup = hvt_setup_lm_nowp, .gpr = { [HVSIM_RAX] = 0x55 },
	  .rip = 0x108, .expect = { { 0xf010, 1, "\x55" } } },
	/* mov rax, [0xd010]; hlt */
	{ .name = "lm_pf_user_supervisor_page",
	  HVT_C("\x48\x8b\x04\x25\x10\xd0\x00\x00\xf4"),
	  .setup = hvt_setup_lm_user, .rip = HVT_HANDLER(14) + 1,
	  /* P|U; the frame is on the TSS RSP0 stack */
	  .out = { [HVSIM_RSP] = 0xdfd0 }, .gm = HVT_R(RSP),
	  .expect = { { 0xdfd0, 1, "\x05" },
		      { 0xdfe0, 8, "\x3b\0\0\0\0\0\0\0" } },
	  .check = hvt_chk_kernel64 },
	/* mov eax, 0x9000; jmp rax */
	{ .name = "lm_pf_nx_fetch",
	  HVT_C("\xb8\x00\x90\x00\x00\xff\xe0"),
	  .setup = hvt_setup_lm_nx, .rip = HVT_HANDLER(14) + 1,
	  /* P|I, RIP = the page */
	  .expect = { { 0xefd0, 16, "\x11\0\0\0\0\0\0\0\0\x90\0\0\0\0\0\0" } } },
	/* mov rax, [0x9010]; hlt */
	{ .name = "lm_pf_rsvd_nx_without_nxe",
	  HVT_C("\x48\x8b\x04\x25\x10\x90\x00\x00\xf4"),
	  .setup = hvt_setup_lm_nonxe, .rip = HVT_HANDLER(14) + 1,
	  .expect = { { 0xefd0, 1, "\x09" } } },
	/* mov [0x20a010], eax; hlt */
	{ .name = "lm_2m_page_dirty",
	  HVT_C("\x89\x04\x25\x10\xa0\x20\x00\xf4"),
	  .setup = hvt_setup_lm, .gpr = { [HVSIM_RAX] = 0x11223344 },
	  .expect = { { 0xa010, 4, "\x44\x33\x22\x11" }, { 0x6008, 1, "\xe7" } } },
	/* mov rax, [0x4000a010]; hlt */
	{ .name = "lm_1g_page",
	  HVT_C("\x48\x8b\x04\x25\x10\xa0\x00\x40\xf4"),
	  .setup = hvt_setup_lm, .poke = { { 0xa010, 8, "\x01\x02\x03\x04\x05\x06\x07\x08" } },
	  .out = { [HVSIM_RAX] = 0x0807060504030201ULL }, .gm = HVT_R(RAX),
	  .expect = { { 0x5008, 1, "\xa7" } } },
	/* nop */
	{ .name = "lm_walk_unmapped_gpa",
	  HVT_C("\x90"),
	  .setup = hvt_setup_lm_cr3_hole, .exit = HVSIM_EXIT_UNMAPPED_GPA,
	  .gpa = 0x20000, .chk_exec = true, .mem_walk = true, .rip = 0x100 },
	/* mov [0x9010], eax; hlt */
	{ .name = "lm_gpa_intercept_write",
	  HVT_C("\x89\x04\x25\x10\x90\x00\x00\xf4"),
	  .setup = hvt_setup_lm, .ro_acc = 0xa000, .gpr = { [HVSIM_RAX] = 7 },
	  .exit = HVSIM_EXIT_GPA_INTERCEPT, .gpa = 0xa010, .mem_write = true,
	  .rip = 0x100, .exit_rip = 0x100, .insn_len = 7,
	  .expect = { { 0xa010, 4, "\0\0\0\0" } } },
	/* mov eax, 0x9000; jmp rax */
	{ .name = "lm_gpa_intercept_exec",
	  HVT_C("\xb8\x00\x90\x00\x00\xff\xe0"),
	  .setup = hvt_setup_lm, .noexec = 0xa000,
	  .exit = HVSIM_EXIT_GPA_INTERCEPT, .gpa = 0xa000, .chk_exec = true,
	  .mem_exec = true, .rip = 0x9000, .exit_rip = 0x9000 },
	/* xor ecx, ecx; div ecx; hlt */
	{ .name = "lm_de_handler",
	  HVT_C("\x31\xc9\xf7\xf1\xf4"),
	  .setup = hvt_setup_lm, .rip = HVT_HANDLER(0) + 1,
	  /* no error code: RIP of the DIV, CS, RFLAGS, RSP, SS */
	  .expect = { { 0xefd8, 16, "\x02\x01\0\0\0\0\0\0\x18\0\0\0\0\0\0\0" },
		      { 0xeff0, 8, "\0\xf0\0\0\0\0\0\0" } } },
	/* ud2 */
	{ .name = "lm_ud2_handler",
	  HVT_C("\x0f\x0b"),
	  .setup = hvt_setup_lm, .rip = HVT_HANDLER(6) + 1,
	  .expect = { { 0xefd8, 2, "\x00\x01" } } },
	/* int3; hlt */
	{ .name = "lm_int3_trap_next_rip",
	  HVT_C("\xcc\xf4"),
	  .setup = hvt_setup_lm, .rip = HVT_HANDLER(3) + 1,
	  .expect = { { 0xefd8, 2, "\x01\x01" } } },
	/* ud2 */
	{ .name = "lm_ist_stack",
	  HVT_C("\x0f\x0b"),
	  .setup = hvt_setup_lm_ist, .rip = HVT_HANDLER(6) + 1,
	  .out = { [HVSIM_RSP] = 0xcfd8 }, .gm = HVT_R(RSP),
	  .expect = { { 0xcfd8, 2, "\x00\x01" } } },
	/* xor ecx, ecx; div ecx; hlt */
	{ .name = "lm_np_in_de_gives_df",
	  HVT_C("\x31\xc9\xf7\xf1\xf4"),
	  .setup = hvt_setup_lm_de_np, .rip = HVT_HANDLER(8) + 1,
	  .expect = { { 0xefd0, 16, "\0\0\0\0\0\0\0\0\x02\x01\0\0\0\0\0\0" } } },
	/* xor ecx, ecx; div ecx; hlt */
	{ .name = "lm_triple_fault",
	  HVT_C("\x31\xc9\xf7\xf1\xf4"),
	  .setup = hvt_setup_lm_no_idt, .exit = HVSIM_EXIT_TRIPLE_FAULT,
	  .rip = 0x102, .exit_rip = 0x102 },
	/* nop; hlt */
	{ .name = "lm_single_step_trap",
	  HVT_C("\x90\xf4"),
	  .setup = hvt_setup_lm, .fl = 0x100, .rip = HVT_HANDLER(1) + 1,
	  /* RIP after the NOP; the saved RFLAGS has TF */
	  .expect = { { 0xefd8, 2, "\x01\x01" }, { 0xefe9, 1, "\x01" } },
	  .check = hvt_chk_dr6_bs },
	/* int 0x80; hlt */
	{ .name = "lm_user_int80_stack_switch",
	  HVT_C("\xcd\x80\xf4"),
	  .setup = hvt_setup_lm_user, .rip = HVT_HANDLER(0x80) + 1,
	  .out = { [HVSIM_RSP] = 0xdfd8 }, .gm = HVT_R(RSP),
	  .expect = { { 0xdfd8, 16, "\x02\x01\0\0\0\0\0\0\x3b\0\0\0\0\0\0\0" },
		      { 0xdff0, 16, "\0\xf0\0\0\0\0\0\0\x33\0\0\0\0\0\0\0" } },
	  .check = hvt_chk_kernel64 },
	/* int 0x0d; hlt */
	{ .name = "lm_user_int_dpl0_gp",
	  HVT_C("\xcd\x0d\xf4"),
	  .setup = hvt_setup_lm_user, .rip = HVT_HANDLER(13) + 1,
	  .expect = { { 0xdfd0, 2, "\x6a\x00" } } },
	/* hlt */
	{ .name = "lm_user_hlt_gp",
	  HVT_C("\xf4"),
	  .setup = hvt_setup_lm_user, .rip = HVT_HANDLER(13) + 1 },
	/*
	 * push 0x33; push 0xf000; push 2; push 0x3b; push 0x400; iretq; .org 0x300; int
	 * 0x80
	 */
	{ .name = "lm_iretq_to_user",
	  HVT_C("\x6a\x33\x68\x00\xf0\x00\x00\x6a\x02\x6a\x3b\x68"
		"\x00\x04\x00\x00\x48\xcf"),
	  .code_at = { { 0x400, 2,
			"\xcd\x80" } },
	  .setup = hvt_setup_lm, .rip = HVT_HANDLER(0x80) + 1,
	  .expect = { { 0xdfd8, 16, "\x02\x04\0\0\0\0\0\0\x3b\0\0\0\0\0\0\0" } } },
	/* push 0x33; push 0xf000; push 0x3b; push 0x400; retfq; .org 0x300; int 0x80 */
	{ .name = "lm_retfq_to_user",
	  HVT_C("\x6a\x33\x68\x00\xf0\x00\x00\x6a\x3b\x68\x00\x04"
		"\x00\x00\x48\xcb"),
	  .code_at = { { 0x400, 2,
			"\xcd\x80" } },
	  .setup = hvt_setup_lm, .rip = HVT_HANDLER(0x80) + 1,
	  .expect = { { 0xdfd8, 16, "\x02\x04\0\0\0\0\0\0\x3b\0\0\0\0\0\0\0" } } },
	/* syscall; int 0x80; .org 0x200; sysretq */
	{ .name = "lm_syscall_sysret",
	  HVT_C("\x0f\x05\xcd\x80"),
	  .code_at = { { 0x300, 3,
			"\x48\x0f\x07" } },
	  .setup = hvt_setup_lm_syscall, .rip = HVT_HANDLER(0x80) + 1,
	  /* back at CPL 3 with CS = STAR[63:48] + 16 | 3 */
	  .expect = { { 0xdfd8, 16, "\x04\x01\0\0\0\0\0\0\x3b\0\0\0\0\0\0\0" } },
	  .out = { [HVSIM_RCX] = 0x102 }, .gm = HVT_R(RCX) },
	/* swapgs; mov ecx, 0xc0000101; rdmsr; hlt */
	{ .name = "lm_swapgs_rdmsr",
	  HVT_C("\x0f\x01\xf8\xb9\x01\x01\x00\xc0\x0f\x32\xf4"),
	  .setup = hvt_setup_lm_kgs, .out = { [HVSIM_RAX] = 0x1234, [HVSIM_RDX] = 0x5 },
	  .gm = HVT_R(RAX) | HVT_R(RDX) },
	/*
	 * mov ecx, 0xc0000082; mov eax, 0x5678; mov edx, 0xffff8000; wrmsr; xor eax, eax;
	 * xor edx, edx; rdmsr; hlt
	 */
	{ .name = "lm_wrmsr_rdmsr_lstar",
	  HVT_C("\xb9\x82\x00\x00\xc0\xb8\x78\x56\x00\x00\xba\x00"
		"\x80\xff\xff\x0f\x30\x31\xc0\x31\xd2\x0f\x32\xf4"),
	  .setup = hvt_setup_lm, .out = { [HVSIM_RAX] = 0x5678, [HVSIM_RDX] = 0xffff8000 },
	  .gm = HVT_R(RAX) | HVT_R(RDX) },
	/* mov ecx, 0xc0000082; mov eax, 0x5678; mov edx, 0x00008000; wrmsr; hlt */
	{ .name = "lm_wrmsr_noncanonical_gp",
	  HVT_C("\xb9\x82\x00\x00\xc0\xb8\x78\x56\x00\x00\xba\x00"
		"\x80\x00\x00\x0f\x30\xf4"),
	  .setup = hvt_setup_lm, .rip = HVT_HANDLER(13) + 1 },
	/* mov ecx, 0x12345; rdmsr; hlt */
	{ .name = "lm_rdmsr_unknown_gp",
	  HVT_C("\xb9\x45\x23\x01\x00\x0f\x32\xf4"),
	  .setup = hvt_setup_lm, .rip = HVT_HANDLER(13) + 1,
	  .expect = { { 0xefd0, 16, "\0\0\0\0\0\0\0\0\x05\x01\0\0\0\0\0\0" } } },
	/* mov eax, 5; mov cr8, rax; mov rbx, cr8; mov rcx, cr3; hlt */
	{ .name = "lm_cr8_and_cr3",
	  HVT_C("\xb8\x05\x00\x00\x00\x44\x0f\x22\xc0\x44\x0f\x20"
		"\xc3\x0f\x20\xd9\xf4"),
	  .setup = hvt_setup_lm, .out = { [HVSIM_RBX] = 5, [HVSIM_RCX] = 0x4000 },
	  .gm = HVT_R(RBX) | HVT_R(RCX) },
	/* lidt [0x600]; sidt [0x610]; hlt */
	{ .name = "lm_lidt_sidt_10_bytes",
	  HVT_C("\x0f\x01\x1c\x25\x00\x06\x00\x00\x0f\x01\x0c\x25"
		"\x10\x06\x00\x00\xf4"),
	  .setup = hvt_setup_lm,
	  .poke = { { 0x600, 10, "\xff\x0f\0\x20\0\0\0\0\0\0" } },
	  .expect = { { 0x610, 10, "\xff\x0f\0\x20\0\0\0\0\0\0" } } },
	/* mov eax, 5; dec eax; push eax; hlt */
	{ .name = "lm_compat_mode_32bit_code",
	  HVT_C("\xb8\x05\x00\x00\x00\x48\x50\xf4"),
	  .setup = hvt_setup_lm_compat, .out = { [HVSIM_RAX] = 4, [HVSIM_RSP] = 0xeffc },
	  .gm = HVT_R(RAX) | HVT_R(RSP), .expect = { { 0xeffc, 4, "\x04\0\0\0" } } },
	/* mov rax, 0x800000000000; mov rbx, [rax]; hlt */
	{ .name = "lm_noncanonical_gp",
	  HVT_C("\x48\xb8\x00\x00\x00\x00\x00\x80\x00\x00\x48\x8b"
		"\x18\xf4"),
	  .setup = hvt_setup_lm, .rip = HVT_HANDLER(13) + 1 },
	/* mov rax, 0x1000000000a000; mov rbx, [rax]; hlt (5-level paging) */
	{ .name = "lm_la57_walk",
	  HVT_C("\x48\xb8\x00\xa0\x00\x00\x00\x00\x01\x00\x48\x8b"
		"\x18\xf4"),
	  .setup = hvt_setup_lm_la57, .out = { [HVSIM_RBX] = 0x1122334455667788ULL },
	  .gm = HVT_R(RBX) },
	/* mov rax, cr4; and eax, ~0x1000; mov cr4, rax; hlt: LA57 fixed in long mode */
	{ .name = "lm_la57_clear_gp",
	  HVT_C("\x0f\x20\xe0\x25\xff\xef\xff\xff\x0f\x22\xe0\xf4"),
	  .setup = hvt_setup_lm_la57, .rip = HVT_HANDLER(13) + 1 },
	/*
	 * xor ecx, ecx; xor edx, edx; mov eax, 7; xsetbv; xor eax, eax; xgetbv;
	 * mov ebx, eax; hlt
	 */
	{ .name = "lm_xsetbv_avx",
	  HVT_C("\x31\xc9\x31\xd2\xb8\x07\x00\x00\x00\x0f\x01\xd1\x31\xc0"
		"\x0f\x01\xd0\x89\xc3\xf4"),
	  .cb = true, .setup = hvt_setup_lm_osxsave, .out = { [HVSIM_RBX] = 7 },
	  .gm = HVT_R(RBX) },
	/* the same with XCR0 = x87 | AVX: AVX needs SSE, #GP */
	{ .name = "lm_xsetbv_avx_without_sse_gp",
	  HVT_C("\x31\xc9\x31\xd2\xb8\x05\x00\x00\x00\x0f\x01\xd1\x31\xc0"
		"\x0f\x01\xd0\x89\xc3\xf4"),
	  .cb = true, .setup = hvt_setup_lm_osxsave, .rip = HVT_HANDLER(13) + 1 },
	/* the same with XCR0 = x87 | SSE | AVX | PKRU: PKRU not offered, #GP */
	{ .name = "lm_xsetbv_unsupported_gp",
	  HVT_C("\x31\xc9\x31\xd2\xb8\x07\x02\x00\x00\x0f\x01\xd1\x31\xc0"
		"\x0f\x01\xd0\x89\xc3\xf4"),
	  .cb = true, .setup = hvt_setup_lm_osxsave, .rip = HVT_HANDLER(13) + 1 },
	/*
	 * lgdt [0x600]; mov eax, cr0; or al, 1; mov cr0, eax; jmp 0x08:0x120; .org 0x20;
	 * mov ax, 0x10; mov ds, ax; mov ss, ax; mov esp, 0xf000; mov eax, cr4; or eax,
	 * 0x20; mov cr4, eax; mov eax, 0x4000; mov cr3, eax; mov ecx, 0xc0000080; rdmsr;
	 * or eax, 0x100; wrmsr; mov eax, cr0; or eax, 0x80000000; mov cr0, eax; jmp
	 * 0x18:0x180; .org 0x80; mov rax, 0x1122334455667788; push rax; hlt
	 */
	{ .name = "real_to_protected_to_long",
	  HVT_C("\x0f\x01\x16\x00\x06\x0f\x20\xc0\x0c\x01\x0f\x22"
		"\xc0\xea\x20\x01\x08\x00"),
	  .code_at = { { 0x120, 62,
			"\x66\xb8\x10\x00\x8e\xd8\x8e\xd0\xbc\x00\xf0\x00"
			"\x00\x0f\x20\xe0\x83\xc8\x20\x0f\x22\xe0\xb8\x00"
			"\x40\x00\x00\x0f\x22\xd8\xb9\x80\x00\x00\xc0\x0f"
			"\x32\x0d\x00\x01\x00\x00\x0f\x30\x0f\x20\xc0\x0d"
			"\x00\x00\x00\x80\x0f\x22\xc0\xea\x80\x01\x00\x00"
			"\x18\x00" },
		      { 0x180, 12,
			"\x48\xb8\x88\x77\x66\x55\x44\x33\x22\x11\x50\xf4" } },
	  .setup = hvt_setup_tables_only,
	  .poke = { { 0x600, 6, "\x77\0\0\x10\0\0" } },
	  .out = { [HVSIM_RAX] = 0x1122334455667788ULL, [HVSIM_RSP] = 0xeff8 },
	  .gm = HVT_R(RAX) | HVT_R(RSP), .check = hvt_chk_long_mode },
	/* xor eax, eax; cpuid; hlt */
	{ .name = "cpuid_default_vendor",
	  HVT_C("\x66\x31\xc0\x0f\xa2\xf4"),
	  .out = { [HVSIM_RAX] = 1, [HVSIM_RBX] = 0x756e6547,
		      [HVSIM_RDX] = 0x49656e69, [HVSIM_RCX] = 0x6c65746e },
	  .gm = HVT_R(RAX) | HVT_R(RBX) | HVT_R(RCX) | HVT_R(RDX) },
	/* mov eax, 0x80000001; cpuid; and edx, 0x20100800; hlt */
	{ .name = "cpuid_default_long_mode_nx",
	  HVT_C("\x66\xb8\x01\x00\x00\x80\x0f\xa2\x66\x81\xe2\x00"
		"\x08\x10\x20\xf4"),
	  .out = { [HVSIM_RDX] = 0x20100800 }, .gm = HVT_R(RDX) },
	/* mov eax, 0x40000000; cpuid; hlt */
	{ .name = "cpuid_callback_intercept",
	  HVT_C("\x66\xb8\x00\x00\x00\x40\x0f\xa2\xf4"),
	  .cb = true, .exit = HVSIM_EXIT_CPUID, .rip = 0x106, .exit_rip = 0x106,
	  .insn_len = 2, .check = hvt_chk_cpuid_exit },
	/* mov eax, 0x40000001; mov ecx, 5; cpuid; hlt */
	{ .name = "cpuid_callback_done",
	  HVT_C("\x66\xb8\x01\x00\x00\x40\x66\xb9\x05\x00\x00\x00"
		"\x0f\xa2\xf4"),
	  .cb = true, .out = { [HVSIM_RAX] = 0x11, [HVSIM_RBX] = 0x22,
		      [HVSIM_RCX] = 5, [HVSIM_RDX] = 0x44 },
	  .gm = HVT_R(RAX) | HVT_R(RBX) | HVT_R(RCX) | HVT_R(RDX) },
	/* mov ecx, 0x40000000; mov eax, 9; wrmsr; hlt */
	{ .name = "msr_callback_intercept",
	  HVT_C("\x66\xb9\x00\x00\x00\x40\x66\xb8\x09\x00\x00\x00"
		"\x0f\x30\xf4"),
	  .cb = true, .exit = HVSIM_EXIT_MSR, .exit_rip = 0x10c, .rip = 0x10c,
	  .insn_len = 2, .check = hvt_chk_msr_exit },
	/* mov ecx, 0x40000002; rdmsr; hlt */
	{ .name = "msr_callback_value",
	  HVT_C("\x66\xb9\x02\x00\x00\x40\x0f\x32\xf4"),
	  .cb = true, .out = { [HVSIM_RAX] = 0x55667788, [HVSIM_RDX] = 0x11223344 },
	  .gm = HVT_R(RAX) | HVT_R(RDX) },
	/* mov ecx, 0x40000001; rdmsr; hlt */
	{ .name = "msr_callback_gp",
	  HVT_C("\xb9\x01\x00\x00\x40\x0f\x32\xf4"),
	  .cb = true, .setup = hvt_setup_lm, .rip = HVT_HANDLER(13) + 1 },
	/* rdtsc; mov ebx, eax; nop; rdtsc; sub eax, ebx; hlt */
	{ .name = "rdtsc_counts_instructions",
	  HVT_C("\x0f\x31\x66\x89\xc3\x90\x0f\x31\x66\x29\xd8\xf4"),
	  .out = { [HVSIM_RAX] = 3 }, .gm = HVT_R(RAX) },
};

#endif /* _HVSIM_CPU_TEST_VECTORS_PM_H */
