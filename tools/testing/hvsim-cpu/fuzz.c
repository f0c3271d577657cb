// SPDX-License-Identifier: GPL-2.0
/*
 * Robustness test: random instruction bytes and register values, one
 * instruction at a time, in real mode, 32-bit protected mode, (with
 * EFER.LMA and CS.L forced, paging off) the 64-bit decoder, and with
 * 4-level or 32-bit paging over random page tables (the page walker
 * meets arbitrary entries).  Built with
 * ASan/UBSan this catches out-of-bounds and undefined behaviour on any
 * guest input; it also checks the exit invariants of cpu.h:
 *  - an instruction that exits with IO, UNMAPPED_GPA, GPA_INTERCEPT,
 *    UNSUPPORTED, CPUID, MSR or TRIPLE_FAULT changed neither registers
 *    nor memory (exceptions are delivered through the random IVT/IDT and
 *    count as a retired step);
 *  - no accessor call crosses a page; insn_bytes <= 16, insn_len <= 15.
 */
#include <stdio.h>
#include <string.h>
#include <linux/errno.h>

#include "cpu_internal.h"
#include "harness.h"

#define FUZZ_MEM	0x4000		/* mapped: GPA 0 - 16 KiB */
#define FUZZ_ITERS	40000

struct fuzz_mem {
	u8 ram[FUZZ_MEM];
	bool straddled;
};

static int fuzz_read(void *ctx, u64 gpa, void *buf, unsigned int len)
{
	struct fuzz_mem *m = ctx;

	if ((gpa & 0xfff) + len > 0x1000)
		m->straddled = true;
	if (gpa >= FUZZ_MEM || gpa + len > FUZZ_MEM)
		return -EFAULT;
	memcpy(buf, m->ram + gpa, len);
	return 0;
}

static int fuzz_write(void *ctx, u64 gpa, const void *buf, unsigned int len)
{
	struct fuzz_mem *m = ctx;

	if ((gpa & 0xfff) + len > 0x1000)
		m->straddled = true;
	/* the last mapped page is read-only */
	if (gpa >= FUZZ_MEM - 0x1000 || gpa + len > FUZZ_MEM - 0x1000)
		return -EFAULT;
	memcpy(m->ram + gpa, buf, len);
	return 0;
}

static const struct hvsim_mem_ops fuzz_ops = {
	.read = fuzz_read,
	.write = fuzz_write,
};

static u64 frng = 0x2545f4914f6cdd1dULL;

static u64 frnd(void)
{
	frng ^= frng << 13;
	frng ^= frng >> 7;
	frng ^= frng << 17;
	return frng;
}

static void fuzz_state(struct hvsim_cpu_state *st, int mode)
{
	int i;

	hvsim_cpu_reset(st);
	for (i = 0; i < HVSIM_NR_GPRS; i++)
		st->gpr[i] = (frnd() & 3) ? frnd() % FUZZ_MEM : frnd();
	st->rflags = (frnd() & 0xcd5) | HVSIM_FL_FIXED;
	for (i = HVSIM_ES; i <= HVSIM_GS; i++) {
		st->seg[i].selector = frnd() % 0x100;
		st->seg[i].base = st->seg[i].selector << 4;
	}
	st->rip = frnd() % 0x800;
	if (mode >= 1) {
		st->cr0 |= HVSIM_CR0_PE;
		st->seg[HVSIM_CS].attributes |= HVSIM_SEG_ATTR_DB;
		if (frnd() & 1)
			st->seg[HVSIM_SS].attributes |= HVSIM_SEG_ATTR_DB;
	}
	if (mode == 2 || mode == 3) {
		st->efer |= HVSIM_EFER_LMA;
		st->seg[HVSIM_CS].attributes |= HVSIM_SEG_ATTR_L;
		st->seg[HVSIM_CS].attributes &= ~HVSIM_SEG_ATTR_DB;
	}
	if (mode >= 3) {
		/* random tables in the mapped 16 KiB; some entries point out */
		st->cr0 |= HVSIM_CR0_PG | (frnd() & 1 ? HVSIM_CR0_WP : 0);
		st->cr3 = (frnd() % 3) << 12;
		st->cr4 = mode == 3 ? HVSIM_CR4_PAE :
			  frnd() & 1 ? HVSIM_CR4_PSE : 0;
		if (mode == 3)
			st->efer |= HVSIM_EFER_LME |
				    (frnd() & 1 ? HVSIM_EFER_NXE : 0);
		if (frnd() & 1)	/* user mode */
			st->seg[HVSIM_SS].attributes |= 3 << 5;
	}
}

/*
 * Make most 8-byte (mode 3) or 4-byte (mode 4) words of the first three
 * pages plausible page-table entries pointing inside the mapped memory,
 * so that walks go deep; the last page keeps random code bytes.
 */
static void fuzz_tables(u8 *ram, int mode)
{
	unsigned int esize = mode == 3 ? 8 : 4, off;
	u64 e;

	for (off = 0; off < 3 * 0x1000; off += esize) {
		if (frnd() % 8 == 0)
			continue;
		e = (frnd() % 4) << 12 | (frnd() & 0x7e) | 1;	/* P */
		if (frnd() % 8 == 0)
			e |= 0x80;	/* PS */
		if (esize == 8 && frnd() % 4 == 0)
			e |= BIT_ULL(63);	/* NX */
		memcpy(ram + off, &e, esize);
	}
}

static int fuzz_mode(int mode, char *msg, size_t len)
{
	static struct fuzz_mem m;
	static u8 snap[FUZZ_MEM];
	struct hvsim_cpu_state st, before;
	unsigned int count[HVSIM_EXIT_MSR + 1] = { 0 };
	struct hvsim_exit ex;
	unsigned long n;
	int i, j;

	for (i = 0; i < FUZZ_ITERS; i++) {
		if (!(i % 64))
			for (j = 0; j < FUZZ_MEM; j++)
				m.ram[j] = frnd();
		if (!(i % 64) && mode >= 3)
			fuzz_tables(m.ram, mode);
		fuzz_state(&st, mode);
		/* bias towards known opcodes: sprinkle prefixes and 0F */
		for (j = 0; j < 16; j++) {
			u64 r = frnd();

			if (!(r & 15))
				m.ram[st.rip + j] = "\x66\x67\x26\xf3\x0f\x48"[r % 6];
		}
		before = st;
		memcpy(snap, m.ram, FUZZ_MEM);
		m.straddled = false;
		n = hvsim_cpu_run(&st, &fuzz_ops, &m, 1, &ex);

		if (ex.reason >= 0 && ex.reason <= HVSIM_EXIT_MSR)
			count[ex.reason]++;
		if (m.straddled) {
			snprintf(msg, len, "accessor crossed a page");
			return 1;
		}
		if (ex.insn_bytes > 16 || ex.insn_len > 15) {
			snprintf(msg, len, "insn_bytes %u insn_len %u",
				 ex.insn_bytes, ex.insn_len);
			return 1;
		}
		switch (ex.reason) {
		case HVSIM_EXIT_NONE:
		case HVSIM_EXIT_HLT:
			if (n != 1 || !(st.rflags & HVSIM_FL_FIXED)) {
				snprintf(msg, len, "retired %lu", n);
				return 1;
			}
			break;
		case HVSIM_EXIT_IO:
			if (ex.io.size != 1 && ex.io.size != 2 &&
			    ex.io.size != 4) {
				snprintf(msg, len, "io size %u", ex.io.size);
				return 1;
			}
			fallthrough;
		case HVSIM_EXIT_UNMAPPED_GPA:
		case HVSIM_EXIT_GPA_INTERCEPT:
		case HVSIM_EXIT_UNSUPPORTED:
		case HVSIM_EXIT_TRIPLE_FAULT:
		case HVSIM_EXIT_CPUID:
		case HVSIM_EXIT_MSR:
			/* with paging, A/D bits may have been set */
			if (n || memcmp(&st, &before, sizeof(st)) ||
			    (mode < 3 && memcmp(snap, m.ram, FUZZ_MEM))) {
				snprintf(msg, len,
					 "exit %d changed state (insn %02x %02x %02x)",
					 ex.reason, ex.insn[0], ex.insn[1],
					 ex.insn[2]);
				return 1;
			}
			break;
		default:
			snprintf(msg, len, "exit reason %d", ex.reason);
			return 1;
		}
	}
	printf("# exits: none %u io %u hlt %u unmapped %u unsupported %u triple %u\n",
	       count[HVSIM_EXIT_NONE], count[HVSIM_EXIT_IO],
	       count[HVSIM_EXIT_HLT], count[HVSIM_EXIT_UNMAPPED_GPA],
	       count[HVSIM_EXIT_UNSUPPORTED],
	       count[HVSIM_EXIT_TRIPLE_FAULT]);
	return 0;
}

void fuzz_run(void)
{
	static const char * const names[] = {
		"fuzz_real_mode", "fuzz_protected32", "fuzz_long64_decoder",
		"fuzz_long64_paging", "fuzz_paging32",
	};
	char msg[160];
	int mode;

	for (mode = 0; mode < FUZZ_COUNT; mode++) {
		msg[0] = 0;
		tap_result(names[mode], fuzz_mode(mode, msg, sizeof(msg)), msg);
	}
}
