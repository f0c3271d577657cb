// SPDX-License-Identifier: GPL-2.0
/*
 * Guest code of engines_test: programs run under both hvsim execution
 * engines (their exits and final registers are compared), and programs
 * only hardware virtualization runs (SSE, a long compute loop).
 */
#include "guest_x86.h"
#include "engines.h"

static volatile __u64 table[512];

static inline __u32 guest_inl(__u16 port)
{
	__u32 v;

	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void guest_cpuid(__u32 leaf, __u32 r[4])
{
	__asm__ __volatile__("cpuid"
			     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			     : "a"(leaf), "c"(0));
}

/*
 * Integer work, memory, port I/O both ways, CPUID, an MSR, flags: every
 * kind of exit the SVM engine emulates with the interpreter.
 */
__u64 guest_mix(__u64 seed)
{
	__u64 acc = seed, apic;
	__u32 r[4];
	unsigned int i;

	for (i = 0; i < 512; i++) {
		acc = acc * 6364136223846793005ULL + 1442695040888963407ULL;
		table[i] = acc ^ (acc >> 29);
	}
	guest_outb(ENGINES_PORT, 1);
	for (i = 0; i < 512; i++)
		acc += table[(i * 7) & 511] >> (i & 31);
	acc ^= guest_inl(ENGINES_IN_PORT);
	guest_cpuid(0, r);
	acc += r[0] != 0;
	apic = guest_rdmsr(0x1b);	/* IA32_APIC_BASE */
	GUEST_SYNC(acc, apic & ~0xfffULL, r[1]);
	guest_outb(ENGINES_PORT, 2);
	/* Leave distinctive values in callee-saved registers. */
	__asm__ __volatile__("mov %0, %%r12\n\t"
			     "lea 1(%0), %%r13\n\t"
			     "not %0\n\t"
			     "mov %0, %%r14\n\t"
			     : "+r"(acc) : : "r12", "r13", "r14");
	return acc;
}

/* Page-table work: remap a page, INVLPG, read through both mappings. */
__u64 guest_paging(__u64 seed)
{
	volatile __u64 *pte = guest_pte((__u64)table);
	__u64 old = *pte, a, b;

	table[0] = seed;
	table[511] = ~seed;
	a = table[0];
	*pte = old | 2;		/* still writable, same frame */
	guest_invlpg((__u64)table);
	b = table[511];
	GUEST_SYNC(a, b, old & 0xfff);
	guest_outb(ENGINES_PORT, 3);
	return a + b;
}

/*
 * SSE2: turn on CR4.OSFXSR, then sum the squares of 0..ENGINES_SSE_N-1
 * two at a time in XMM registers.  The interpreter has no SSE.
 */
__u64 guest_sse(void)
{
	static __u64 vec[ENGINES_SSE_N] __aligned(16);
	__u64 lo, hi, cr4, n = ENGINES_SSE_N;
	__u64 *p = vec;
	unsigned int i;

	for (i = 0; i < ENGINES_SSE_N; i++)
		vec[i] = i;
	__asm__ __volatile__("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= (1ULL << 9) | (1ULL << 10);	/* OSFXSR, OSXMMEXCPT */
	__asm__ __volatile__("mov %0, %%cr4" : : "r"(cr4));
	/* One block: this code is built -mgeneral-regs-only (no clobbers). */
	__asm__ __volatile__("pxor %%xmm1, %%xmm1\n\t"
			     "1: movdqa (%2), %%xmm0\n\t"
			     "pmuludq %%xmm0, %%xmm0\n\t"
			     "paddq %%xmm0, %%xmm1\n\t"
			     "add $16, %2\n\t"
			     "sub $2, %3\n\t"
			     "jnz 1b\n\t"
			     "movq %%xmm1, %0\n\t"
			     "psrldq $8, %%xmm1\n\t"
			     "movq %%xmm1, %1\n\t"
			     : "=r"(lo), "=r"(hi), "+r"(p), "+r"(n)
			     : : "memory");
	GUEST_SYNC(lo + hi);
	return lo + hi;
}

/*
 * Report XMM0 and MXCSR as the VMM set them: SSE on in CR4, XCR0 left at
 * its reset value (x87 only).
 */
__u64 guest_xmm0(void)
{
	__u64 cr4, x;
	__u32 mxcsr;

	__asm__ __volatile__("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= (1ULL << 9) | (1ULL << 10);	/* OSFXSR, OSXMMEXCPT */
	__asm__ __volatile__("mov %0, %%cr4" : : "r"(cr4));
	__asm__ __volatile__("movq %%xmm0, %0\n\t"
			     "stmxcsr %1"
			     : "=r"(x), "=m"(mxcsr));
	GUEST_SYNC(x, mxcsr);
	return x;
}

/* A long integer loop: engines_long_hash(@n). */
__u64 guest_long_loop(__u64 n)
{
	__u64 h = 0xcbf29ce484222325ULL, i;

	for (i = 0; i < n; i++)
		h = (h ^ (i & 0xff)) * 0x100000001b3ULL;
	GUEST_SYNC(h);
	return h;
}

/* What CPUID @leaf (subleaf 0) returns: EDX, ECX. */
__u64 guest_cpuid_leaf(__u64 leaf)
{
	__u32 r[4];

	guest_cpuid((__u32)leaf, r);
	GUEST_SYNC(r[3], r[2]);
	return 0;
}

/*
 * A single-step trap (#DB) whose delivery pushes its frame onto a stack
 * (ending at @top) in 2 MiB of guest memory the guest never touched:
 * under svm the nested tables have no entry for it yet (neither a 4 KiB
 * nor a 2 MiB leaf), so the delivery exits with #NPF, and the trap must
 * still arrive after the one instruction it belongs to.  RFLAGS.TF is set
 * by POPF; the trap follows the instruction after it, the MOV to the new
 * stack.  Reports: traps seen, the RIP of the first, the expected RIP.
 */
/* Written by the handler inside the asm below ("memory" clobber). */
static __u64 db_count, db_rip;

static void db_handler(struct guest_frame *frame)
{
	if (!db_count++)
		db_rip = frame->rip;
	frame->rflags &= ~(__u64)ENGINES_RFLAGS_TF;
}

__u64 guest_db_fresh_stack(__u64 top)
{
	__u64 expect;

	guest_install_handler(ENGINES_VEC_DB, db_handler);
	__asm__ __volatile__("mov %%rsp, %%rbx\n\t"
			     "pushfq\n\t"
			     "orq %[tf], (%%rsp)\n\t"
			     "popfq\n\t"
			     "mov %[top], %%rsp\n\t"
			     "1: nop\n\t"
			     "nop\n\t"
			     "mov %%rbx, %%rsp\n\t"
			     "lea 1b(%%rip), %[expect]"
			     : [expect] "=r"(expect)
			     : [top] "r"(top),
			       [tf] "i"(ENGINES_RFLAGS_TF)
			     : "rbx", "memory", "cc");
	GUEST_SYNC(db_count, db_rip, expect);
	return 0;
}

/*
 * An SSE load is the first access to a page of a region that is mapped
 * on demand (a movable region): under svm it takes a #NPF the GPA map
 * refuses, which the interpreter cannot resolve by running the
 * instruction.  Reports the quadword loaded.
 */
__u64 guest_sse_first_touch(__u64 gva)
{
	__u64 cr4, v;

	__asm__ __volatile__("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= (1ULL << 9) | (1ULL << 10);	/* OSFXSR, OSXMMEXCPT */
	__asm__ __volatile__("mov %0, %%cr4" : : "r"(cr4));
	__asm__ __volatile__("movdqu (%1), %%xmm0\n\t"
			     "movq %%xmm0, %0"
			     : "=r"(v) : "r"(gva) : "memory");
	GUEST_SYNC(v);
	return 0;
}

/*
 * XSAVE the way a Linux guest uses it: CR4.OSXSAVE on, XCR0 = @xcr0 with
 * XSETBV, then CPUID leaf 0xD and XGETBV after a #VMEXIT (the CPUID is
 * one, under svm), and an XSAVE/XRSTOR round trip of XMM0 with a #VMEXIT
 * in between.  Reports XGETBV, leaf 0xD EDX:EAX and EBX after XSETBV,
 * leaf 0xD EBX before it; then XMM0 after XRSTOR, the XSTATE_BV XSAVE
 * wrote and XMM0 as XSAVE stored it.
 */
__u64 guest_xsave(__u64 xcr0)
{
	static __u64 area[512] __aligned(64);
	__u64 cr4, xmm0;
	__u32 r[4], ebx0, lo, hi;

	__asm__ __volatile__("mov %%cr4, %0" : "=r"(cr4));
	/* OSFXSR, OSXMMEXCPT, OSXSAVE (Intel SDM vol. 3A, 2.5) */
	cr4 |= (1ULL << 9) | (1ULL << 10) | (1ULL << 18);
	__asm__ __volatile__("mov %0, %%cr4" : : "r"(cr4));
	guest_cpuid(0xd, r);
	ebx0 = r[1];
	__asm__ __volatile__("xsetbv"
			     : : "c"(0), "a"((__u32)xcr0),
			       "d"((__u32)(xcr0 >> 32)));
	guest_cpuid(0xd, r);
	__asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	GUEST_SYNC(((__u64)hi << 32) | lo, ((__u64)r[3] << 32) | r[0], r[1],
		   ebx0);

	/* One register, no clobbers: built -mgeneral-regs-only. */
	__asm__ __volatile__("movq %0, %%xmm0" : : "r"(ENGINES_XMM0_VALUE));
	__asm__ __volatile__("xsave64 (%0)"
			     : : "r"(area), "a"((__u32)xcr0),
			       "d"((__u32)(xcr0 >> 32))
			     : "memory");
	__asm__ __volatile__("pxor %%xmm0, %%xmm0" : :);
	guest_cpuid(0xd, r);
	__asm__ __volatile__("xrstor64 (%0)"
			     : : "r"(area), "a"((__u32)xcr0),
			       "d"((__u32)(xcr0 >> 32))
			     : "memory");
	__asm__ __volatile__("movq %%xmm0, %0" : "=r"(xmm0));
	GUEST_SYNC(xmm0, area[ENGINES_XSAVE_BV / 8],
		   area[ENGINES_XSAVE_XMM0 / 8]);
	return 0;
}

/*
 * Between two syncs, read the first quadword of each of the @n 4 KiB
 * pages from @gva and write the page's index into the second.  Reports
 * the sum of the quadwords read (the first sync only marks the start).
 */
__u64 guest_touch_pages(__u64 gva, __u64 n)
{
	volatile __u64 *p = (volatile __u64 *)gva;
	__u64 sum = 0, i;

	GUEST_SYNC(0);
	for (i = 0; i < n; i++) {
		sum += p[i * ENGINES_PAGE_QWORDS];
		p[i * ENGINES_PAGE_QWORDS + 1] = i;
	}
	GUEST_SYNC(sum);
	return 0;
}

/*
 * Read the first quadword of the first, the next to last and the last
 * 4 KiB page of the 2 MiB at @gva; then, after the VMM took the last page
 * away, the last page again (an UNMAPPED_GPA exit the VMM completes), its
 * two neighbours, and the last page once more (now that its neighbours
 * are mapped again: another UNMAPPED_GPA exit).
 */
__u64 guest_2m_split(__u64 gva)
{
	volatile __u64 *p = (volatile __u64 *)gva;
	const __u64 last = (ENGINES_TOUCH_SIZE >> 12) - 1;
	__u64 a, b, c, d;

	GUEST_SYNC(0);
	a = p[0];
	b = p[(last - 1) * ENGINES_PAGE_QWORDS];
	c = p[last * ENGINES_PAGE_QWORDS];
	GUEST_SYNC(a, b, c);
	c = p[last * ENGINES_PAGE_QWORDS];
	a = p[0];
	b = p[(last - 1) * ENGINES_PAGE_QWORDS];
	d = p[last * ENGINES_PAGE_QWORDS];
	GUEST_SYNC(a, b, c, d);
	return 0;
}
