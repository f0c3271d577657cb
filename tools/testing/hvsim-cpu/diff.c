// SPDX-License-Identifier: GPL-2.0
/*
 * Differential test: the interpreter's ALU helpers against the host CPU.
 * Each case runs one operation at one operand size over random and
 * boundary operands with random input flags, on both, and compares the
 * result and the six status flags, except the flags (and results) the
 * SDM and APM leave undefined for that case (undef.c): those differ
 * between Intel and AMD CPUs.  x86-64 hosts only.
 */
#include <stdio.h>
#include <string.h>
#include <linux/array_size.h>

#include "cpu_internal.h"
#include "harness.h"
#include "undef.h"

#define ITERS	20000
#define ARITH	HVSIM_FL_ARITH

/* Host result: value, high half (MUL), flags. */
struct hres {
	u64 val;
	u64 hi;
	u64 fl;
};

typedef void (*host_fn)(struct hres *r, u64 a, u64 b, u64 fin);

/*
 * Each macro defines one host function running one instruction with the
 * given input flags and capturing the output flags (harness is built
 * with -mno-red-zone, so push/pop in inline assembly are safe).
 */
#define HOST_BIN(fn, mn, T)						\
static void fn(struct hres *r, u64 a, u64 b, u64 fin)			\
{									\
	T x = a, y = b;							\
									\
	asm volatile("push %[fi]\n\tpopf\n\t" mn " %[y], %[x]\n\t"	\
		     "pushf\n\tpop %[f]"				\
		     : [x] "+r" (x), [f] "=&r" (r->fl)			\
		     : [y] "r" (y), [fi] "r" (fin) : "cc", "memory");	\
	r->val = x;							\
}

#define HOST_UN(fn, mn, T)						\
static void fn(struct hres *r, u64 a, u64 b, u64 fin)			\
{									\
	T x = a;							\
									\
	asm volatile("push %[fi]\n\tpopf\n\t" mn " %[x]\n\t"		\
		     "pushf\n\tpop %[f]"				\
		     : [x] "+r" (x), [f] "=&r" (r->fl)			\
		     : [fi] "r" (fin) : "cc", "memory");		\
	r->val = x;							\
}

#define HOST_SH(fn, mn, T)						\
static void fn(struct hres *r, u64 a, u64 b, u64 fin)			\
{									\
	T x = a;							\
	u8 c = b;							\
									\
	asm volatile("push %[fi]\n\tpopf\n\t" mn " %%cl, %[x]\n\t"	\
		     "pushf\n\tpop %[f]"				\
		     : [x] "+r" (x), [f] "=&r" (r->fl)			\
		     : "c" (c), [fi] "r" (fin) : "cc", "memory");	\
	r->val = x;							\
}

/* One-operand MUL/IMUL: rDX:rAX = rAX * src. */
#define HOST_MUL(fn, mn, T)						\
static void fn(struct hres *r, u64 a, u64 b, u64 fin)			\
{									\
	T x = a, d, y = b;						\
									\
	asm volatile("push %[fi]\n\tpopf\n\t" mn " %[y]\n\t"		\
		     "pushf\n\tpop %[f]"				\
		     : "+a" (x), "=&d" (d), [f] "=&r" (r->fl)		\
		     : [y] "r" (y), [fi] "r" (fin) : "cc", "memory");	\
	r->val = x;							\
	r->hi = d;							\
}

/* Byte MUL/IMUL: AX = AL * src8. */
#define HOST_MULB(fn, mn)						\
static void fn(struct hres *r, u64 a, u64 b, u64 fin)			\
{									\
	u16 ax = a & 0xff;						\
	u8 y = b;							\
									\
	asm volatile("push %[fi]\n\tpopf\n\t" mn " %[y]\n\t"		\
		     "pushf\n\tpop %[f]"				\
		     : "+a" (ax), [f] "=&r" (r->fl)			\
		     : [y] "q" (y), [fi] "r" (fin) : "cc", "memory");	\
	r->val = ax & 0xff;						\
	r->hi = ax >> 8;						\
}

HOST_BIN(h_add8, "add", u8)
HOST_BIN(h_add16, "add", u16)
HOST_BIN(h_add32, "add", u32)
HOST_BIN(h_add64, "add", u64)
HOST_BIN(h_or8, "or", u8)
HOST_BIN(h_or16, "or", u16)
HOST_BIN(h_or32, "or", u32)
HOST_BIN(h_or64, "or", u64)
HOST_BIN(h_adc8, "adc", u8)
HOST_BIN(h_adc16, "adc", u16)
HOST_BIN(h_adc32, "adc", u32)
HOST_BIN(h_adc64, "adc", u64)
HOST_BIN(h_sbb8, "sbb", u8)
HOST_BIN(h_sbb16, "sbb", u16)
HOST_BIN(h_sbb32, "sbb", u32)
HOST_BIN(h_sbb64, "sbb", u64)
HOST_BIN(h_and8, "and", u8)
HOST_BIN(h_and16, "and", u16)
HOST_BIN(h_and32, "and", u32)
HOST_BIN(h_and64, "and", u64)
HOST_BIN(h_sub8, "sub", u8)
HOST_BIN(h_sub16, "sub", u16)
HOST_BIN(h_sub32, "sub", u32)
HOST_BIN(h_sub64, "sub", u64)
HOST_BIN(h_xor8, "xor", u8)
HOST_BIN(h_xor16, "xor", u16)
HOST_BIN(h_xor32, "xor", u32)
HOST_BIN(h_xor64, "xor", u64)
HOST_BIN(h_cmp8, "cmp", u8)
HOST_BIN(h_cmp16, "cmp", u16)
HOST_BIN(h_cmp32, "cmp", u32)
HOST_BIN(h_cmp64, "cmp", u64)
HOST_UN(h_inc8, "inc", u8)
HOST_UN(h_inc16, "inc", u16)
HOST_UN(h_inc32, "inc", u32)
HOST_UN(h_inc64, "inc", u64)
HOST_UN(h_dec8, "dec", u8)
HOST_UN(h_dec16, "dec", u16)
HOST_UN(h_dec32, "dec", u32)
HOST_UN(h_dec64, "dec", u64)
HOST_UN(h_neg8, "neg", u8)
HOST_UN(h_neg16, "neg", u16)
HOST_UN(h_neg32, "neg", u32)
HOST_UN(h_neg64, "neg", u64)
HOST_SH(h_rol8, "rol", u8)
HOST_SH(h_rol16, "rol", u16)
HOST_SH(h_rol32, "rol", u32)
HOST_SH(h_rol64, "rol", u64)
HOST_SH(h_ror8, "ror", u8)
HOST_SH(h_ror16, "ror", u16)
HOST_SH(h_ror32, "ror", u32)
HOST_SH(h_ror64, "ror", u64)
HOST_SH(h_rcl8, "rcl", u8)
HOST_SH(h_rcl16, "rcl", u16)
HOST_SH(h_rcl32, "rcl", u32)
HOST_SH(h_rcl64, "rcl", u64)
HOST_SH(h_rcr8, "rcr", u8)
HOST_SH(h_rcr16, "rcr", u16)
HOST_SH(h_rcr32, "rcr", u32)
HOST_SH(h_rcr64, "rcr", u64)
HOST_SH(h_shl8, "shl", u8)
HOST_SH(h_shl16, "shl", u16)
HOST_SH(h_shl32, "shl", u32)
HOST_SH(h_shl64, "shl", u64)
HOST_SH(h_shr8, "shr", u8)
HOST_SH(h_shr16, "shr", u16)
HOST_SH(h_shr32, "shr", u32)
HOST_SH(h_shr64, "shr", u64)
HOST_SH(h_sar8, "sar", u8)
HOST_SH(h_sar16, "sar", u16)
HOST_SH(h_sar32, "sar", u32)
HOST_SH(h_sar64, "sar", u64)
HOST_MULB(h_mul8, "mulb")
HOST_MUL(h_mul16, "mul", u16)
HOST_MUL(h_mul32, "mul", u32)
HOST_MUL(h_mul64, "mul", u64)
HOST_MULB(h_imul8, "imulb")
HOST_MUL(h_imul16, "imul", u16)
HOST_MUL(h_imul32, "imul", u32)
HOST_MUL(h_imul64, "imul", u64)

enum kind { K_ALU, K_INC, K_DEC, K_NEG, K_SH, K_MUL, K_DIV };

/*
 * One operation at the four operand sizes (DIV: no host function);
 * @ud is its group in the table of undefined flags.
 */
struct dcase {
	const char *name;
	enum kind kind;
	unsigned int op;
	enum ud_insn ud;
	host_fn host[4];
};

static const struct dcase cases[] = {
	{ "add", K_ALU, HVSIM_ALU_ADD, UD_ADD,
	  { h_add8, h_add16, h_add32, h_add64 } },
	{ "or", K_ALU, HVSIM_ALU_OR, UD_LOGIC,
	  { h_or8, h_or16, h_or32, h_or64 } },
	{ "adc", K_ALU, HVSIM_ALU_ADC, UD_ADD,
	  { h_adc8, h_adc16, h_adc32, h_adc64 } },
	{ "sbb", K_ALU, HVSIM_ALU_SBB, UD_ADD,
	  { h_sbb8, h_sbb16, h_sbb32, h_sbb64 } },
	{ "and", K_ALU, HVSIM_ALU_AND, UD_LOGIC,
	  { h_and8, h_and16, h_and32, h_and64 } },
	{ "sub", K_ALU, HVSIM_ALU_SUB, UD_ADD,
	  { h_sub8, h_sub16, h_sub32, h_sub64 } },
	{ "xor", K_ALU, HVSIM_ALU_XOR, UD_LOGIC,
	  { h_xor8, h_xor16, h_xor32, h_xor64 } },
	{ "cmp", K_ALU, HVSIM_ALU_CMP, UD_ADD,
	  { h_cmp8, h_cmp16, h_cmp32, h_cmp64 } },
	{ "inc", K_INC, 0, UD_INCDEC,
	  { h_inc8, h_inc16, h_inc32, h_inc64 } },
	{ "dec", K_DEC, 0, UD_INCDEC,
	  { h_dec8, h_dec16, h_dec32, h_dec64 } },
	{ "neg", K_NEG, 0, UD_ADD,
	  { h_neg8, h_neg16, h_neg32, h_neg64 } },
	{ "rol", K_SH, HVSIM_SH_ROL, UD_ROT,
	  { h_rol8, h_rol16, h_rol32, h_rol64 } },
	{ "ror", K_SH, HVSIM_SH_ROR, UD_ROT,
	  { h_ror8, h_ror16, h_ror32, h_ror64 } },
	{ "rcl", K_SH, HVSIM_SH_RCL, UD_RCX,
	  { h_rcl8, h_rcl16, h_rcl32, h_rcl64 } },
	{ "rcr", K_SH, HVSIM_SH_RCR, UD_RCX,
	  { h_rcr8, h_rcr16, h_rcr32, h_rcr64 } },
	{ "shl", K_SH, HVSIM_SH_SHL, UD_SHIFT,
	  { h_shl8, h_shl16, h_shl32, h_shl64 } },
	{ "shr", K_SH, HVSIM_SH_SHR, UD_SHIFT,
	  { h_shr8, h_shr16, h_shr32, h_shr64 } },
	{ "sar", K_SH, HVSIM_SH_SAR, UD_SAR,
	  { h_sar8, h_sar16, h_sar32, h_sar64 } },
	{ "mul", K_MUL, 4, UD_MUL,
	  { h_mul8, h_mul16, h_mul32, h_mul64 } },
	{ "imul", K_MUL, 5, UD_MUL,
	  { h_imul8, h_imul16, h_imul32, h_imul64 } },
	{ "div", K_DIV, 6, UD_DIV },
	{ "idiv", K_DIV, 7, UD_DIV },
};

static u64 rng = 0x9e3779b97f4a7c15ULL;

static u64 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static u64 operand(unsigned int size)
{
	u64 m = hvsim_mask(size), msb = 1ULL << (size * 8 - 1);
	static const u64 pick[] = { 0, 1, 2, 0xf, 0x10, 0x7f, 0x80, 0xff };

	switch (rnd() % 8) {
	case 0:
		return pick[rnd() % 8] & m;
	case 1:
		return (msb + (rnd() % 3) - 1) & m;
	case 2:
		return (m - (rnd() % 2)) & m;
	default:
		return rnd() & m;
	}
}

static u64 model(const struct dcase *c, unsigned int size, u64 a, u64 b,
		 u64 *fl, u64 *hi)
{
	struct hvsim_cpu_state st;
	struct hvsim_insn in;

	switch (c->kind) {
	case K_ALU:
		return hvsim_alu(c->op, a, b, size, fl);
	case K_INC:
	case K_DEC:
		return hvsim_incdec(c->kind == K_DEC, a, size, fl);
	case K_NEG:
		return hvsim_neg(a, size, fl);
	case K_SH:
		return hvsim_shift(c->op, a, b & 0xff, size, fl);
	default:
		memset(&st, 0, sizeof(st));
		memset(&in, 0, sizeof(in));
		in.st = &st;
		st.gpr[HVSIM_RAX] = a;
		st.rflags = *fl;
		hvsim_muldiv(&in, c->op, size, b);
		*fl = st.rflags;
		if (size == 1) {
			*hi = (st.gpr[HVSIM_RAX] >> 8) & 0xff;
			return st.gpr[HVSIM_RAX] & 0xff;
		}
		*hi = st.gpr[HVSIM_RDX];
		return st.gpr[HVSIM_RAX];
	}
}

/*
 * DIV/IDIV: the reference is C's 128-bit arithmetic (x86 and C both
 * truncate towards zero); a quotient out of range or a zero divisor must
 * raise #DE (HVSIM_EXC with vector 0).
 */
static int div_case(const struct dcase *c, unsigned int size, char *msg,
		    size_t len)
{
	unsigned int bits = size * 8;
	u64 m = hvsim_mask(size);
	bool sign = c->op == 7;
	int i;

	for (i = 0; i < ITERS; i++) {
		struct hvsim_cpu_state st;
		struct hvsim_insn in;
		u64 d = operand(size), lo = operand(size), hi, q, r;
		__uint128_t dividend;
		bool de = false;
		int rc;

		hi = (rnd() & 1) ? operand(size) :
		     d ? operand(size) % d : 0;
		if (sign && (rnd() & 1))
			hi = (lo & (1ULL << (bits - 1))) ? m : 0;
		dividend = ((__uint128_t)hi << bits) | lo;
		if (!d) {
			de = true;
		} else if (!sign) {
			__uint128_t uq = dividend / d;

			de = uq > m;
			q = uq;
			r = dividend % d;
		} else {
			__int128_t sd = (__int128_t)(dividend << (128 - 2 * bits)) >>
				      (128 - 2 * bits);
			__int128_t sv = (s64)hvsim_sext(d, size);
			__int128_t lim = (__int128_t)1 << (bits - 1);

			if (sd == (__int128_t)((__uint128_t)1 << 127) && sv == -1) {
				de = true;
			} else {
				__int128_t sq = sd / sv;

				de = sq >= lim || sq < -lim;
				q = (u64)sq & m;
				r = (u64)(sd % sv) & m;
			}
		}

		memset(&st, 0, sizeof(st));
		memset(&in, 0, sizeof(in));
		in.st = &st;
		if (size == 1) {
			st.gpr[HVSIM_RAX] = (hi << 8) | lo;
		} else {
			st.gpr[HVSIM_RAX] = lo;
			st.gpr[HVSIM_RDX] = hi;
		}
		rc = hvsim_muldiv(&in, c->op, size, d);
		if (rc != (de ? HVSIM_EXC : 0) || (de && in.exc_vec != HVSIM_DE))
			goto fail;
		if (de)
			continue;
		if (size == 1 ? st.gpr[HVSIM_RAX] != ((r << 8) | q) :
		    st.gpr[HVSIM_RAX] != q || st.gpr[HVSIM_RDX] != r)
			goto fail;
		continue;
fail:
		snprintf(msg, len, "%#llx:%#llx / %#llx: rc %d (#DE %d)",
			 (unsigned long long)hi, (unsigned long long)lo,
			 (unsigned long long)d, rc, de);
		return 1;
	}
	return 0;
}

/*
 * Compare one operation with the host over ITERS operand pairs.  Flags
 * the table leaves undefined for the pair are not compared; a flag the
 * instruction does not affect must keep its input value on both sides.
 * Return: 0 if all agree, 1 (and @msg) at the first difference.
 */
static int run_case(const struct dcase *c, unsigned int size, char *msg,
		    size_t len)
{
	u64 m = hvsim_mask(size);
	int i;

	if (c->kind == K_DIV)
		return div_case(c, size, msg, len);
	for (i = 0; i < ITERS; i++) {
		u64 a = operand(size), b;
		u64 fin = (rnd() & ARITH) | HVSIM_FL_FIXED;
		struct hres h = { 0 };
		u64 mf = fin, mr, mhi = 0, cmp;
		struct ud_effect e;

		b = c->kind == K_SH ? rnd() % 72 : operand(size);
		e = ud_lookup(c->ud, size, b, false);
		cmp = ARITH & ~e.undef;
		c->host[size == 8 ? 3 : size / 2](&h, a, b, fin);
		mr = model(c, size, a, b, &mf, &mhi) & m;
		if (c->kind == K_ALU && c->op == HVSIM_ALU_CMP)
			mr = a;		/* CMP does not write its operand */
		if ((!e.res_undef && ((h.val & m) != mr ||
				      (h.hi & m) != (mhi & m))) ||
		    ((h.fl ^ mf) & cmp)) {
			snprintf(msg, len,
				 "a=%#llx b=%#llx fin=%#llx: host %#llx:%#llx fl %#llx, model %#llx:%#llx fl %#llx (compared %#llx: %s)",
				 (unsigned long long)a, (unsigned long long)b,
				 (unsigned long long)fin,
				 (unsigned long long)(h.hi & m),
				 (unsigned long long)(h.val & m),
				 (unsigned long long)(h.fl & ARITH),
				 (unsigned long long)(mhi & m),
				 (unsigned long long)mr,
				 (unsigned long long)(mf & ARITH),
				 (unsigned long long)cmp, e.rule);
			return 1;
		}
	}
	return 0;
}

size_t diff_count(void)
{
	return ARRAY_SIZE(cases) * 4;
}

void diff_run(void)
{
	char name[64], msg[512];
	unsigned int size;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (size = 1; size <= 8; size *= 2) {
			msg[0] = 0;
			snprintf(name, sizeof(name), "diff_%s%u", cases[i].name,
				 size * 8);
			tap_result(name, run_case(&cases[i], size, msg,
						  sizeof(msg)), msg);
		}
	}
}
