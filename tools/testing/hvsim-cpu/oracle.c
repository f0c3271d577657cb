// SPDX-License-Identifier: GPL-2.0
/*
 * Differential oracle for hvsim's x86 interpreter: random sequences of
 * 64-bit integer instructions run natively (the host CPU is the
 * reference) and in the interpreter, then all GPRs, the status flags, DF
 * and a 4 KiB scratch buffer are compared.
 *
 * The code page and the scratch buffer are mapped at the same addresses
 * on the host and in the guest (paging off, so guest linear = guest
 * physical = host virtual), so absolute and RIP-relative addresses
 * agree.  Register use: RSP is never touched (the native run uses the
 * real stack), R15 holds the scratch base and R14 a small index; every
 * other GPR starts random.  Divisors are made nonzero and the dividend
 * small enough that DIV/IDIV cannot fault; string instructions get RSI,
 * RDI and RCX set up just before them; jumps only go forward.
 *
 * Flags the SDM or the APM documents as undefined (the table in undef.c)
 * are tracked through the sequence (a flag reader is preceded by a CMP
 * when its inputs are undefined) and excluded from the comparison; each
 * difference in an undefined flag is counted per instruction class and
 * reported, never failed.  An undefined result (BSF/BSR of zero) is made
 * defined by the generator before anything can read it.
 *
 * Usage: hvsim-cpu-oracle [sequences [seed]]   (default 2000 sequences)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/array_size.h>
#include <linux/errno.h>

#include "oracle.h"

#define CODE_ADDR	0x20000000UL
#define CODE_SIZE	0x2000
#define DATA_ADDR	0x10000000UL
#define DATA_SIZE	0x1000
#define DATA_MID	(DATA_ADDR + 0x800)
#define BATCH		250

struct regs {
	u64 gpr[16];
	u64 rflags;
};

/* The native trampoline: loads every GPR and RFLAGS, calls the code. */
void oracle_native(struct regs *r, void *code);
void *oracle_target;

asm(".text\n"
    ".globl oracle_native\n"
    "oracle_native:\n"
    "	push %rbx\n	push %rbp\n	push %r12\n	push %r13\n"
    "	push %r14\n	push %r15\n"
    "	push %rdi\n"
    "	mov %rsi, oracle_target(%rip)\n"
    "	pushq 128(%rdi)\n	popfq\n"
    "	mov 0(%rdi), %rax\n	mov 8(%rdi), %rcx\n	mov 16(%rdi), %rdx\n"
    "	mov 24(%rdi), %rbx\n	mov 40(%rdi), %rbp\n	mov 48(%rdi), %rsi\n"
    "	mov 64(%rdi), %r8\n	mov 72(%rdi), %r9\n	mov 80(%rdi), %r10\n"
    "	mov 88(%rdi), %r11\n	mov 96(%rdi), %r12\n	mov 104(%rdi), %r13\n"
    "	mov 112(%rdi), %r14\n	mov 120(%rdi), %r15\n"
    "	mov 56(%rdi), %rdi\n"
    "	call *oracle_target(%rip)\n"
    "	pushfq\n"
    "	push %rdi\n"
    "	mov 16(%rsp), %rdi\n"
    "	mov %rax, 0(%rdi)\n	mov %rcx, 8(%rdi)\n	mov %rdx, 16(%rdi)\n"
    "	mov %rbx, 24(%rdi)\n	mov %rbp, 40(%rdi)\n	mov %rsi, 48(%rdi)\n"
    "	mov %r8, 64(%rdi)\n	mov %r9, 72(%rdi)\n	mov %r10, 80(%rdi)\n"
    "	mov %r11, 88(%rdi)\n	mov %r12, 96(%rdi)\n	mov %r13, 104(%rdi)\n"
    "	mov %r14, 112(%rdi)\n	mov %r15, 120(%rdi)\n"
    "	popq 56(%rdi)\n"
    "	popq 128(%rdi)\n"
    "	add $8, %rsp\n"
    "	cld\n"
    "	pop %r15\n	pop %r14\n	pop %r13\n	pop %r12\n"
    "	pop %rbp\n	pop %rbx\n"
    "	ret\n");

/* ---------------- the interpreter side ---------------- */

struct omem {
	u8 *code;
	u8 *data;
};

static u8 *omem_ptr(struct omem *m, u64 gpa, unsigned int len)
{
	if (gpa >= CODE_ADDR && gpa + len <= CODE_ADDR + CODE_SIZE)
		return m->code + (gpa - CODE_ADDR);
	if (gpa >= DATA_ADDR && gpa + len <= DATA_ADDR + DATA_SIZE)
		return m->data + (gpa - DATA_ADDR);
	return NULL;
}

static int omem_read(void *ctx, u64 gpa, void *buf, unsigned int len)
{
	u8 *p = omem_ptr(ctx, gpa, len);

	if (!p)
		return -EFAULT;
	memcpy(buf, p, len);
	return 0;
}

static int omem_write(void *ctx, u64 gpa, const void *buf, unsigned int len)
{
	u8 *p = omem_ptr(ctx, gpa, len);

	if (!p)
		return -EFAULT;
	memcpy(p, buf, len);
	return 0;
}

static const struct hvsim_mem_ops omem_ops = {
	.read = omem_read,
	.write = omem_write,
};

static int interp(struct regs *r, u8 *code, u8 *data, char *why, size_t len)
{
	struct omem m = { .code = code, .data = data };
	struct hvsim_cpu_state st;
	struct hvsim_exit ex;
	int i;

	hvsim_cpu_reset(&st);
	st.cr0 = 0x11;
	st.efer = HVSIM_EFER_LME | HVSIM_EFER_LMA;
	for (i = HVSIM_ES; i <= HVSIM_GS; i++) {
		st.seg[i].selector = i == HVSIM_CS ? 0x8 : 0x10;
		st.seg[i].base = 0;
		st.seg[i].limit = 0xffffffff;
		st.seg[i].attributes = i == HVSIM_CS ? 0xa09b : 0xc093;
	}
	memcpy(st.gpr, r->gpr, sizeof(st.gpr));
	st.rflags = r->rflags;
	st.rip = CODE_ADDR;
	hvsim_cpu_run(&st, &omem_ops, &m, 100000, &ex);
	if (ex.reason != HVSIM_EXIT_HLT) {
		snprintf(why, len, "exit %d at +%#llx (%02x %02x %02x %02x)",
			 ex.reason, (unsigned long long)(ex.rip - CODE_ADDR),
			 ex.insn[0], ex.insn[1], ex.insn[2], ex.insn[3]);
		return 1;
	}
	memcpy(r->gpr, st.gpr, sizeof(st.gpr));
	r->rflags = st.rflags;
	return 0;
}

/* ---------------- the campaign ---------------- */

static unsigned long undef_diff[K_NR][12];

static void dump(const u8 *code, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		printf(" %02x", code[i]);
	printf("\n");
}

struct pair {
	u8 *ncode, *ndata, *icode, *idata;
	u8 data0[DATA_SIZE];	/* initial scratch contents */
	struct regs in;
};

/*
 * Run the first @len code bytes on both sides from the same inputs.
 * Return: 0 if they agree (under ~@undef), 1 otherwise; if @verbose,
 * the differences are printed.
 */
static int run_pair(struct pair *pr, const u8 *code, size_t len, u64 undef,
		    const int *usrc, bool verbose, unsigned long seq)
{
	static const char * const rn16[16] = {
		"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	};
	struct regs nat = pr->in, emu = pr->in;
	char why[128];
	u64 d;
	int i, bad = 0;

	memcpy(pr->ncode, code, len);
	memcpy(pr->icode, code, len);
	pr->icode[len] = 0xf4;		/* HLT ends the interpreter's run */
	pr->ncode[len] = 0xc3;		/* RET back to the trampoline */
	memcpy(pr->ndata, pr->data0, DATA_SIZE);
	memcpy(pr->idata, pr->data0, DATA_SIZE);

	oracle_native(&nat, pr->ncode);
	if (interp(&emu, pr->icode, pr->idata, why, sizeof(why))) {
		if (verbose)
			printf("# seq %lu: interpreter %s\n", seq, why);
		return 1;
	}
	for (i = 0; i < 16; i++) {
		if (i == HVSIM_RSP || nat.gpr[i] == emu.gpr[i])
			continue;
		if (verbose)
			printf("# seq %lu: %s native %#llx interp %#llx\n",
			       seq, rn16[i], (unsigned long long)nat.gpr[i],
			       (unsigned long long)emu.gpr[i]);
		bad = 1;
	}
	d = nat.rflags ^ emu.rflags;
	if (d & ((FL_ARITH & ~undef) | FL_DF)) {
		if (verbose)
			printf("# seq %lu: rflags native %#llx interp %#llx (undefined %#llx)\n",
			       seq, (unsigned long long)nat.rflags,
			       (unsigned long long)emu.rflags,
			       (unsigned long long)undef);
		bad = 1;
	}
	if (memcmp(pr->ndata, pr->idata, DATA_SIZE)) {
		for (i = 0; i < DATA_SIZE && pr->ndata[i] == pr->idata[i]; i++)
			;
		if (verbose)
			printf("# seq %lu: scratch differs at +%#x\n", seq, i);
		bad = 1;
	}
	if (usrc && !bad) {
		d &= undef;
		for (i = 0; i < 12; i++)
			if (d & (1u << i))
				undef_diff[usrc[i]][i]++;
	}
	return bad;
}

/* Run one sequence.  Return: 0 if both agree, 1 otherwise. */
static int one_seq(struct pair *pr, unsigned long seq)
{
	static u8 code[CODE_SIZE];
	struct gen g = { .p = code, .start = code };
	size_t len;
	int i;

	for (i = 0; i < SEQ_LEN; i++) {
		g.bound[i] = g.p - code;
		gen_one(&g);
	}
	len = g.p - code;
	g.bound[SEQ_LEN] = len;

	for (i = 0; i < 16; i++)
		pr->in.gpr[i] = rval();
	pr->in.gpr[HVSIM_RSP] = 0;
	pr->in.gpr[HVSIM_R14] = rn(16);
	pr->in.gpr[HVSIM_R15] = DATA_MID;
	pr->in.rflags = 2 | (rnd() & FL_ARITH);
	for (i = 0; i < DATA_SIZE; i++)
		pr->data0[i] = rnd();

	if (!run_pair(pr, code, len, g.undef, g.usrc, false, seq))
		return 0;
	run_pair(pr, code, len, g.undef, NULL, true, seq);
	/*
	 * Find the first top-level instruction after which the two differ
	 * (flags compared only where the whole prefix leaves them defined
	 * is not tracked per prefix, so the flags are ignored here).
	 */
	for (i = 1; i <= SEQ_LEN; i++)
		if (run_pair(pr, code, g.bound[i], FL_ARITH, NULL, false, seq))
			break;
	if (i <= SEQ_LEN) {
		printf("#   first difference after instruction %d:", i);
		dump(code + g.bound[i - 1], g.bound[i] - g.bound[i - 1]);
	} else {
		printf("#   code:");
		dump(code, len);
	}
	return 1;
}

int main(int argc, char **argv)
{
	unsigned long nseq = argc > 1 ? strtoul(argv[1], NULL, 0) : 2000;
	unsigned long seed = argc > 2 ? strtoul(argv[2], NULL, 0) : 1;
	unsigned long s, mism = 0, bmism = 0, nb;
	static u8 icode[CODE_SIZE + 16], idata[DATA_SIZE];
	static struct pair pr;
	u8 *ncode, *ndata;
	int k, b;

	rng_state = 0x9e3779b97f4a7c15ULL ^ (seed * 0x2545f4914f6cdd1dULL);
	ncode = mmap((void *)CODE_ADDR, CODE_SIZE,
		     PROT_READ | PROT_WRITE | PROT_EXEC,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	ndata = mmap((void *)DATA_ADDR, DATA_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (ncode != (void *)CODE_ADDR || ndata != (void *)DATA_ADDR) {
		printf("1..0 # SKIP cannot map the fixed code/data pages\n");
		return 0;
	}

	pr.ncode = ncode;
	pr.ndata = ndata;
	pr.icode = icode;
	pr.idata = idata;
	nb = (nseq + BATCH - 1) / BATCH;
	printf("TAP version 13\n1..%lu\n", nb);
	for (b = 0; (unsigned long)b < nb; b++) {
		unsigned long from = b * BATCH, to = from + BATCH;

		if (to > nseq)
			to = nseq;
		bmism = 0;
		for (s = from; s < to; s++)
			bmism += one_seq(&pr, s);
		mism += bmism;
		printf("%s %d oracle_seq_%lu_%lu%s\n", bmism ? "not ok" : "ok",
		       b + 1, from, to - 1, bmism ? "" : "");
		if (bmism)
			printf("# %lu mismatching sequences\n", bmism);
	}
	printf("# oracle: %lu sequences of %d instructions (seed %lu), %lu mismatches\n",
	       nseq, SEQ_LEN, seed, mism);
	for (k = 0; k < K_NR; k++)
		for (b = 0; b < 12; b++)
			if (undef_diff[k][b])
				printf("# undefined flag %s after %s differed in %lu sequences (masked)\n",
				       b == 0 ? "CF" : b == 2 ? "PF" : b == 4 ? "AF" :
				       b == 6 ? "ZF" : b == 7 ? "SF" : "OF",
				       kname[k], undef_diff[k][b]);
	return mism ? 1 : 0;
}
