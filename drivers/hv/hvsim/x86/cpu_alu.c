// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim x86 interpreter: arithmetic, logic, shifts, multiply/divide and
 * the status flags they produce.
 *
 * Flags are computed eagerly.  Where the SDM leaves a flag undefined we
 * produce what one Intel CPU was seen to do; no guest may rely on it, and
 * the differential test in tools/testing/hvsim-cpu masks these flags in
 * every comparison with the host CPU, whatever its vendor (see the table
 * in Documentation/virt/mshv/hvsim.rst):
 *  - AND/OR/XOR/TEST clear AF;
 *  - SHL/SHR/SAR with a nonzero count clear AF;
 *  - shifts and rotates by more than one set OF as the first one-bit step
 *    would (SHL/ROL/RCL: the top two bits of the operand differ; ROR: top
 *    and bottom bits differ; RCR: top bit differs from CF; SHR: top bit);
 *  - SHL by more than the operand width (8/16-bit operands) gives CF=0;
 *  - MUL/IMUL set SF and PF from the low half of the result and clear ZF
 *    and AF;
 *  - DIV/IDIV leave the flags unchanged.
 */

#include "cpu_internal.h"

static u64 hvsim_msb(unsigned int size)
{
	return BIT_ULL(size * 8 - 1);
}

/* Set ZF, SF, PF from result @r; keep the other flags. */
static u64 hvsim_szp(u64 r, unsigned int size, u64 fl)
{
	u8 p = r & 0xff;

	fl &= ~(HVSIM_FL_ZF | HVSIM_FL_SF | HVSIM_FL_PF);
	if (!(r & hvsim_mask(size)))
		fl |= HVSIM_FL_ZF;
	if (r & hvsim_msb(size))
		fl |= HVSIM_FL_SF;
	p ^= p >> 4;
	p ^= p >> 2;
	p ^= p >> 1;
	if (!(p & 1))
		fl |= HVSIM_FL_PF;
	return fl;
}

static u64 hvsim_add_flags(u64 a, u64 b, u64 r, unsigned int size, u64 fl)
{
	u64 carries = (a & b) | ((a | b) & ~r);

	fl &= ~(HVSIM_FL_CF | HVSIM_FL_AF | HVSIM_FL_OF);
	if (carries & hvsim_msb(size))
		fl |= HVSIM_FL_CF;
	if ((a ^ b ^ r) & 0x10)
		fl |= HVSIM_FL_AF;
	if ((a ^ r) & (b ^ r) & hvsim_msb(size))
		fl |= HVSIM_FL_OF;
	return hvsim_szp(r, size, fl);
}

static u64 hvsim_sub_flags(u64 a, u64 b, u64 r, unsigned int size, u64 fl)
{
	u64 borrows = (~a & b) | ((~a | b) & r);

	fl &= ~(HVSIM_FL_CF | HVSIM_FL_AF | HVSIM_FL_OF);
	if (borrows & hvsim_msb(size))
		fl |= HVSIM_FL_CF;
	if ((a ^ b ^ r) & 0x10)
		fl |= HVSIM_FL_AF;
	if ((a ^ b) & (a ^ r) & hvsim_msb(size))
		fl |= HVSIM_FL_OF;
	return hvsim_szp(r, size, fl);
}

/**
 * hvsim_logic_flags() - flags of a logical operation (AND, OR, XOR, TEST)
 * @r: result
 * @size: operand size in bytes
 * @fl: RFLAGS, updated
 *
 * Return: @r truncated to @size.
 */
u64 hvsim_logic_flags(u64 r, unsigned int size, u64 *fl)
{
	r &= hvsim_mask(size);
	*fl = hvsim_szp(r, size, *fl & ~(HVSIM_FL_CF | HVSIM_FL_OF |
					 HVSIM_FL_AF));
	return r;
}

/**
 * hvsim_alu() - one of the eight classic two-operand ALU operations
 * @op: enum hvsim_alu_op
 * @a: destination operand
 * @b: source operand
 * @size: operand size in bytes
 * @fl: RFLAGS: CF is an input of ADC/SBB; the status flags are updated
 *
 * Return: the result (for CMP, the difference, which is not stored).
 */
u64 hvsim_alu(unsigned int op, u64 a, u64 b, unsigned int size, u64 *fl)
{
	u64 m = hvsim_mask(size);
	u64 c = (*fl & HVSIM_FL_CF) ? 1 : 0;
	u64 r;

	a &= m;
	b &= m;
	switch (op) {
	case HVSIM_ALU_ADD:
	case HVSIM_ALU_ADC:
		if (op == HVSIM_ALU_ADD)
			c = 0;
		r = (a + b + c) & m;
		*fl = hvsim_add_flags(a, b, r, size, *fl);
		return r;
	case HVSIM_ALU_SUB:
	case HVSIM_ALU_SBB:
	case HVSIM_ALU_CMP:
		if (op != HVSIM_ALU_SBB)
			c = 0;
		r = (a - b - c) & m;
		*fl = hvsim_sub_flags(a, b, r, size, *fl);
		return r;
	case HVSIM_ALU_OR:
		return hvsim_logic_flags(a | b, size, fl);
	case HVSIM_ALU_AND:
		return hvsim_logic_flags(a & b, size, fl);
	default:
		return hvsim_logic_flags(a ^ b, size, fl);
	}
}

/**
 * hvsim_incdec() - INC or DEC (CF is preserved)
 * @dec: true for DEC
 * @a: operand
 * @size: operand size in bytes
 * @fl: RFLAGS, updated
 *
 * Return: the result.
 */
u64 hvsim_incdec(bool dec, u64 a, unsigned int size, u64 *fl)
{
	u64 m = hvsim_mask(size), cf = *fl & HVSIM_FL_CF, r;

	a &= m;
	if (dec) {
		r = (a - 1) & m;
		*fl = hvsim_sub_flags(a, 1, r, size, *fl);
	} else {
		r = (a + 1) & m;
		*fl = hvsim_add_flags(a, 1, r, size, *fl);
	}
	*fl = (*fl & ~HVSIM_FL_CF) | cf;
	return r;
}

/**
 * hvsim_neg() - two's complement negation (0 - @a)
 * @a: operand
 * @size: operand size in bytes
 * @fl: RFLAGS, updated; CF is set unless @a is zero
 *
 * Return: the result.
 */
u64 hvsim_neg(u64 a, unsigned int size, u64 *fl)
{
	u64 m = hvsim_mask(size);
	u64 r = (0 - a) & m;

	*fl = hvsim_sub_flags(0, a & m, r, size, *fl);
	return r;
}

/*
 * For counts above 1 the SDM leaves OF undefined; Intel CPUs report the
 * OF of the first one-bit step, which only depends on the operand (and CF
 * for RCR).  That is what @of receives here.
 */
static u64 hvsim_rotate(unsigned int op, u64 a, unsigned int count,
			unsigned int size, u64 *fl)
{
	unsigned int bits = size * 8;
	u64 m = hvsim_mask(size), msb = hvsim_msb(size);
	u64 cf = (*fl & HVSIM_FL_CF) ? 1 : 0;
	u64 r = a, of;
	unsigned int i, n;

	switch (op) {
	case HVSIM_SH_ROL:
		n = count % bits;
		if (n)
			r = ((a << n) | (a >> (bits - n))) & m;
		cf = r & 1;
		of = !!(a & msb) ^ !!(a & (msb >> 1));
		break;
	case HVSIM_SH_ROR:
		n = count % bits;
		if (n)
			r = ((a >> n) | (a << (bits - n))) & m;
		cf = !!(r & msb);
		of = !!(a & msb) ^ (a & 1);
		break;
	case HVSIM_SH_RCL:
		of = !!(a & msb) ^ !!(a & (msb >> 1));
		n = count % (bits + 1);
		if (!n)		/* a whole turn: flags untouched too */
			return a;
		for (i = 0; i < n; i++) {
			u64 out = !!(r & msb);

			r = ((r << 1) | cf) & m;
			cf = out;
		}
		break;
	default:	/* RCR */
		of = !!(a & msb) ^ cf;
		n = count % (bits + 1);
		if (!n)
			return a;
		for (i = 0; i < n; i++) {
			u64 out = r & 1;

			r = (r >> 1) | (cf ? msb : 0);
			cf = out;
		}
		break;
	}
	*fl &= ~(HVSIM_FL_CF | HVSIM_FL_OF);
	*fl |= (cf ? HVSIM_FL_CF : 0) | (of ? HVSIM_FL_OF : 0);
	return r;
}

/**
 * hvsim_shift() - shifts and rotates of group 2
 * @op: enum hvsim_shift_op
 * @a: operand
 * @count: shift count (masked here to 5 bits, 6 for 64-bit operands)
 * @size: operand size in bytes
 * @fl: RFLAGS, updated unless the masked count is zero
 *
 * Return: the result.
 */
u64 hvsim_shift(unsigned int op, u64 a, unsigned int count,
		unsigned int size, u64 *fl)
{
	unsigned int bits = size * 8;
	u64 m = hvsim_mask(size), msb = hvsim_msb(size);
	u64 r, cf, of;

	a &= m;
	count &= size == 8 ? 63 : 31;
	if (!count)
		return a;
	if (op < HVSIM_SH_SHL)
		return hvsim_rotate(op, a, count, size, fl);

	switch (op) {
	case HVSIM_SH_SHL:
	case HVSIM_SH_SAL:
		r = count < 64 ? (a << count) & m : 0;
		cf = count <= bits ? (a >> (bits - count)) & 1 : 0;
		of = !!(a & msb) ^ !!(a & (msb >> 1));
		break;
	case HVSIM_SH_SHR:
		r = a >> count;
		cf = (a >> (count - 1)) & 1;
		of = !!(a & msb);
		break;
	default: {	/* SAR */
		s64 sa = (s64)hvsim_sext(a, size);

		r = (u64)(sa >> count) & m;
		cf = (u64)(sa >> (count - 1)) & 1;
		of = 0;
		break;
	}
	}
	*fl &= ~(HVSIM_FL_CF | HVSIM_FL_OF | HVSIM_FL_AF);
	*fl |= (cf ? HVSIM_FL_CF : 0) | (of ? HVSIM_FL_OF : 0);
	*fl = hvsim_szp(r, size, *fl);
	return r;
}

/* 64x64 -> 128 unsigned multiply. */
static void hvsim_mul64(u64 a, u64 b, u64 *hi, u64 *lo)
{
	u64 al = a & 0xffffffff, ah = a >> 32;
	u64 bl = b & 0xffffffff, bh = b >> 32;
	u64 ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	u64 mid = (ll >> 32) + (lh & 0xffffffff) + (hl & 0xffffffff);

	*lo = (mid << 32) | (ll & 0xffffffff);
	*hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

/* 128/64 unsigned divide; false if the quotient does not fit in 64 bits. */
static bool hvsim_div128(u64 hi, u64 lo, u64 d, u64 *q, u64 *rem)
{
	int i;

	if (hi >= d)
		return false;
	for (i = 0; i < 64; i++) {
		u64 top = hi >> 63;

		hi = (hi << 1) | (lo >> 63);
		lo <<= 1;
		if (top || hi >= d) {
			hi -= d;
			lo |= 1;
		}
	}
	*q = lo;
	*rem = hi;
	return true;
}

static void hvsim_neg128(u64 *hi, u64 *lo)
{
	*lo = ~*lo + 1;
	*hi = ~*hi + (*lo == 0);
}

/* Full product of accumulator and @src: low half in @lo, high in @hi. */
static void hvsim_mul(bool sign, u64 a, u64 src, unsigned int size,
		      u64 *hi, u64 *lo)
{
	unsigned int bits = size * 8;
	u64 m = hvsim_mask(size), p;

	if (size == 8) {
		hvsim_mul64(a, src, hi, lo);
		if (sign) {
			if ((s64)a < 0)
				*hi -= src;
			if ((s64)src < 0)
				*hi -= a;
		}
		return;
	}
	if (sign)
		p = (u64)((s64)hvsim_sext(a, size) * (s64)hvsim_sext(src, size));
	else
		p = a * src;
	*lo = p & m;
	*hi = (p >> bits) & m;
}

static int hvsim_div(struct hvsim_insn *in, bool sign, u64 hi, u64 lo,
		     u64 src, unsigned int size, u64 *q, u64 *rem)
{
	unsigned int bits = size * 8;
	u64 m = hvsim_mask(size);
	bool nq = false, nr = false;

	if (!src)
		return hvsim_raise(in, HVSIM_DE, 0);
	if (sign) {
		nr = hi & hvsim_msb(size);
		nq = nr != !!(src & hvsim_msb(size));
		if (size < 8) {
			/* sign-extend the double-width dividend to 128 bits */
			lo = hvsim_sext((hi << bits) | lo, size * 2);
			hi = (s64)lo < 0 ? ~0ULL : 0;
		}
		if (nr)
			hvsim_neg128(&hi, &lo);
		if (src & hvsim_msb(size))
			src = (0 - src) & m;
	} else if (size < 8) {
		lo |= hi << bits;
		hi = 0;
	}
	if (!hvsim_div128(hi, lo, src, q, rem))
		return hvsim_raise(in, HVSIM_DE, 0);
	if (sign) {
		u64 lim = nq ? hvsim_msb(size) : hvsim_msb(size) - 1;

		if (*q > lim)
			return hvsim_raise(in, HVSIM_DE, 0);
		if (nq)
			*q = 0 - *q;
		if (nr)
			*rem = 0 - *rem;
	} else if (*q > m) {
		return hvsim_raise(in, HVSIM_DE, 0);
	}
	*q &= m;
	*rem &= m;
	return 0;
}

/**
 * hvsim_muldiv() - MUL, IMUL, DIV, IDIV with the implicit accumulator
 * @in: instruction
 * @op: ModRM reg field of group 3 (4 MUL, 5 IMUL, 6 DIV, 7 IDIV)
 * @size: operand size in bytes
 * @src: the explicit operand
 *
 * A divide error raises #DE.
 * Return: 0, HVSIM_EXC or an exit reason.
 */
int hvsim_muldiv(struct hvsim_insn *in, unsigned int op, unsigned int size,
		 u64 src)
{
	u64 *fl = &in->st->rflags;
	u64 *ax = &in->st->gpr[HVSIM_RAX];
	u64 a, hi, lo = 0;
	int rc;

	src &= hvsim_mask(size);
	/* The byte forms use AX (AH:AL), the others rDX:rAX. */
	a = *ax & hvsim_mask(size);
	hi = size == 1 ? (*ax >> 8) & 0xff :
	     in->st->gpr[HVSIM_RDX] & hvsim_mask(size);
	if (op == 4 || op == 5) {
		bool sign = op == 5;
		bool wide;

		hvsim_mul(sign, a, src, size, &hi, &lo);
		if (sign)
			wide = hi != ((lo & hvsim_msb(size)) ? hvsim_mask(size) : 0);
		else
			wide = hi != 0;
		*fl &= ~(HVSIM_FL_CF | HVSIM_FL_OF | HVSIM_FL_AF);
		if (wide)
			*fl |= HVSIM_FL_CF | HVSIM_FL_OF;
		*fl = hvsim_szp(lo, size, *fl) & ~HVSIM_FL_ZF;
	} else {
		rc = hvsim_div(in, op == 7, hi, a, src, size, &lo, &hi);
		if (rc)
			return rc;
	}
	if (size == 1) {
		hvsim_reg_set(in, HVSIM_RAX, 2, (hi << 8) | lo);
	} else {
		hvsim_reg_set(in, HVSIM_RAX, size, lo);
		hvsim_reg_set(in, HVSIM_RDX, size, hi);
	}
	return 0;
}

/**
 * hvsim_cond() - evaluate a condition code (the low nibble of Jcc/SETcc)
 * @cc: condition 0-15
 * @fl: RFLAGS
 *
 * Return: true if the condition holds.
 */
bool hvsim_cond(unsigned int cc, u64 fl)
{
	bool cf = fl & HVSIM_FL_CF, zf = fl & HVSIM_FL_ZF;
	bool sf = fl & HVSIM_FL_SF, of = fl & HVSIM_FL_OF;
	bool r;

	switch (cc >> 1) {
	case 0:
		r = of;
		break;
	case 1:
		r = cf;
		break;
	case 2:
		r = zf;
		break;
	case 3:
		r = cf || zf;
		break;
	case 4:
		r = sf;
		break;
	case 5:
		r = fl & HVSIM_FL_PF;
		break;
	case 6:
		r = sf != of;
		break;
	default:
		r = zf || sf != of;
		break;
	}
	return (cc & 1) ? !r : r;
}
