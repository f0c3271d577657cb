// SPDX-License-Identifier: GPL-2.0
/*
 * The differential oracle's generator: random 64-bit integer
 * instructions with operands the native run can execute safely (see
 * oracle.c), and the tracking of the flags the SDM and APM leave
 * undefined, from the table in undef.c.
 */
#include <string.h>
#include <linux/array_size.h>

#include "oracle.h"
#include "undef.h"

#define CF UD_CF

/* ---------------- random numbers ---------------- */

u64 rng_state;

u64 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

unsigned int rn(unsigned int n)
{
	return rnd() % n;
}

/* Interesting operand values: edges more often than uniform. */
u64 rval(void)
{
	static const u64 edge[] = {
		0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
		0x7fffffff, 0x80000000, 0xffffffff, 0x7fffffffffffffffULL,
		0x8000000000000000ULL, ~0ULL, 0x100, 0x10, 0xf,
	};

	switch (rn(4)) {
	case 0:
		return edge[rn(ARRAY_SIZE(edge))];
	case 1:
		return rnd() & 0xff;
	default:
		return rnd();
	}
}

/* ---------------- the generator ---------------- */

const char * const kname[K_NR] = {
	"alu", "logic", "inc/dec", "neg", "shift", "rotate", "mul/imul",
	"div/idiv", "bt*", "bsf/bsr", "shld/shrd", "xadd/cmpxchg", "string",
	"misc",
};


/* operand: a register, or [r15 + disp] / [r15 + r14 * scale + disp] */
struct opnd {
	bool mem;
	u8 reg;
	bool index;
	u8 scale;
	s32 disp;
};

static const u8 gprs[] = { 0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13 };

static u8 pick_reg(void)
{
	return gprs[rn(ARRAY_SIZE(gprs))];
}

static void emit(struct gen *g, u8 b)
{
	*g->p++ = b;
}

static void emit_n(struct gen *g, u64 v, unsigned int n)
{
	while (n--) {
		emit(g, v & 0xff);
		v >>= 8;
	}
}

static struct opnd rand_mem(void)
{
	struct opnd o = { .mem = true };

	o.index = rn(2);
	o.scale = rn(4);
	o.disp = rn(2) ? (s32)rn(256) - 128 : (s32)rn(0xe00) - 0x700;
	return o;
}

static struct opnd rand_rm(bool allow_mem)
{
	struct opnd o = { 0 };

	if (allow_mem && rn(3) == 0)
		return rand_mem();
	o.reg = pick_reg();
	return o;
}

/*
 * Byte operands: without REX, 4-7 are AH-BH; with REX they would be
 * SPL-DIL, and SPL is the stack pointer, so 4 is never used then.
 */
static bool need_rex(unsigned int size, u8 reg, const struct opnd *rm)
{
	return size == 8 || reg >= 8 || rm->mem || (!rm->mem && rm->reg >= 8);
}

/* Emit prefixes, opcode bytes and ModRM/SIB/displacement. */
static void emit_insn(struct gen *g, unsigned int size, const u8 *op,
		      unsigned int oplen, u8 reg, const struct opnd *rm,
		      bool force_rex)
{
	u8 rex = 0x40;
	unsigned int i;

	if (size == 2)
		emit(g, 0x66);
	if (size == 8)
		rex |= 8;
	if (reg >= 8)
		rex |= 4;
	if (rm->mem) {
		rex |= 1;		/* base r15 */
		if (rm->index)
			rex |= 2;	/* index r14 */
	} else if (rm->reg >= 8) {
		rex |= 1;
	}
	if (rex != 0x40 || force_rex || need_rex(size, reg, rm))
		emit(g, rex);
	for (i = 0; i < oplen; i++)
		emit(g, op[i]);
	if (!rm->mem) {
		emit(g, 0xc0 | (reg & 7) << 3 | (rm->reg & 7));
		return;
	}
	{
		bool d8 = rm->disp >= -128 && rm->disp < 128;
		u8 mod = d8 ? 0x40 : 0x80;

		if (rm->index) {
			emit(g, mod | (reg & 7) << 3 | 4);
			emit(g, rm->scale << 6 | 6 << 3 | 7);
		} else {
			emit(g, mod | (reg & 7) << 3 | 7);
		}
		emit_n(g, rm->disp, d8 ? 1 : 4);
	}
}

/* Byte-size register choice consistent with the REX rule above. */
static void byte_regs(u8 *reg, struct opnd *rm, bool *rex)
{
	*rex = rm->mem || rn(2);
	if (*rex) {
		do
			*reg = rn(14);
		while (*reg == 4);
		if (!rm->mem)
			do
				rm->reg = rn(14);
			while (rm->reg == 4);
	} else {
		*reg = rn(8);
		rm->reg = rn(8);
	}
}

static unsigned int rand_size(void)
{
	static const u8 s[] = { 1, 2, 4, 8 };

	return s[rn(4)];
}

/* Flags now written: @def defined, @und undefined, by class @k. */
static void flags_out(struct gen *g, u64 def, u64 und, int k)
{
	unsigned int b;

	g->undef = (g->undef & ~(def | und)) | und;
	for (b = 0; b < 12; b++)
		if (und & (1u << b))
			g->usrc[b] = k;
}

/*
 * The flags of one instruction of group @insn (undef.c), for @size and
 * shift @count; class @k is reported for the flags it leaves undefined.
 */
static void flags_insn(struct gen *g, enum ud_insn insn, unsigned int size,
		       unsigned int count, int k)
{
	struct ud_effect e = ud_lookup(insn, size, count, false);

	flags_out(g, e.def, e.undef, k);
}

/* Before an instruction reading @need: redefine undefined flags. */
static void flags_in(struct gen *g, u64 need)
{
	struct opnd rm = { .reg = pick_reg() };
	u8 op = 0x39;

	if (!(g->undef & need))
		return;
	emit_insn(g, 8, &op, 1, pick_reg(), &rm, false);	/* CMP */
	flags_insn(g, UD_ADD, 8, 0, K_ALU);
	g->n++;
}

static void gen_alu(struct gen *g)
{
	unsigned int size = rand_size(), alu = rn(8), form = rn(3);
	struct opnd rm = rand_rm(true);
	u8 reg = pick_reg(), op[1];
	bool rex = false;
	u64 imm;

	if (alu == 2 || alu == 3)
		flags_in(g, CF);
	if (size == 1)
		byte_regs(&reg, &rm, &rex);
	if (form == 0) {		/* r/m, reg or reg, r/m */
		op[0] = alu << 3 | (size > 1) | (rn(2) << 1);
		emit_insn(g, size, op, 1, reg, &rm, rex);
	} else if (form == 1) {		/* r/m, imm */
		bool imm8 = size > 1 && rn(2);

		op[0] = size == 1 ? 0x80 : imm8 ? 0x83 : 0x81;
		emit_insn(g, size, op, 1, alu, &rm, rex);
		imm = rval();
		emit_n(g, imm, size == 1 || imm8 ? 1 : size == 2 ? 2 : 4);
	} else {			/* AL/eAX, imm */
		if (size == 2)
			emit(g, 0x66);
		if (size == 8)
			emit(g, 0x48);
		emit(g, alu << 3 | 4 | (size > 1));
		emit_n(g, rval(), size == 1 ? 1 : size == 2 ? 2 : 4);
	}
	if (alu == 1 || alu == 4 || alu == 6)
		flags_insn(g, UD_LOGIC, size, 0, K_LOGIC);
	else
		flags_insn(g, UD_ADD, size, 0, K_ALU);
	g->n++;
}

static void gen_unary(struct gen *g)
{
	unsigned int size = rand_size(), kind = rn(5);
	struct opnd rm = rand_rm(true);
	u8 reg = 0, op;
	bool rex = false;

	if (size == 1)
		byte_regs(&reg, &rm, &rex);
	switch (kind) {
	case 0:
	case 1:		/* INC, DEC */
		op = size == 1 ? 0xfe : 0xff;
		emit_insn(g, size, &op, 1, kind, &rm, rex);
		flags_insn(g, UD_INCDEC, size, 0, K_INCDEC);
		break;
	case 2:		/* NOT */
	case 3:		/* NEG */
		op = size == 1 ? 0xf6 : 0xf7;
		emit_insn(g, size, &op, 1, kind, &rm, rex);
		if (kind == 3)
			flags_insn(g, UD_ADD, size, 0, K_NEG);
		break;
	default:	/* TEST r/m, reg */
		op = size == 1 ? 0x84 : 0x85;
		emit_insn(g, size, &op, 1, reg, &rm, rex);
		flags_insn(g, UD_LOGIC, size, 0, K_LOGIC);
		break;
	}
	g->n++;
}

static void gen_shift(struct gen *g)
{
	unsigned int size = rand_size(), sh = rn(8), form = rn(3);
	unsigned int bits = size * 8, cnt;
	struct opnd rm = rand_rm(true);
	u8 reg = 0, op;
	bool rex = false, rot = sh < 4;

	if (sh == 6)
		sh = 4;		/* SAL = SHL */
	if (sh == 2 || sh == 3)
		flags_in(g, CF);
	if (size == 1)
		byte_regs(&reg, &rm, &rex);
	if (form == 2) {
		/* count in CL: set it first so the flags are predictable */
		cnt = rn(bits == 64 ? 64 : 32);
		emit(g, 0xb1);
		emit(g, cnt);
		op = size == 1 ? 0xd2 : 0xd3;
		emit_insn(g, size, &op, 1, sh, &rm, rex);
	} else if (form == 1) {
		cnt = 1;
		op = size == 1 ? 0xd0 : 0xd1;
		emit_insn(g, size, &op, 1, sh, &rm, rex);
	} else {
		cnt = rn(bits);
		op = size == 1 ? 0xc0 : 0xc1;
		emit_insn(g, size, &op, 1, sh, &rm, rex);
		emit(g, cnt);
	}
	if (rot)
		flags_insn(g, sh < 2 ? UD_ROT : UD_RCX, size, cnt, K_ROT);
	else
		flags_insn(g, sh == 7 ? UD_SAR : UD_SHIFT, size, cnt, K_SHIFT);
	g->n++;
}

static void gen_mul(struct gen *g)
{
	unsigned int size = rand_size(), kind = rn(4);
	struct opnd rm = rand_rm(true);
	u8 reg = pick_reg(), op[2];
	bool rex = false;

	if (kind >= 2 && size == 1)
		size = 4;
	if (size == 1)
		byte_regs(&reg, &rm, &rex);
	switch (kind) {
	case 0:
	case 1:		/* MUL, IMUL r/m */
		op[0] = size == 1 ? 0xf6 : 0xf7;
		emit_insn(g, size, op, 1, 4 + kind, &rm, rex);
		break;
	case 2:		/* IMUL r, r/m */
		op[0] = 0x0f;
		op[1] = 0xaf;
		emit_insn(g, size, op, 2, reg, &rm, false);
		break;
	default:	/* IMUL r, r/m, imm */
		op[0] = rn(2) ? 0x6b : 0x69;
		emit_insn(g, size, op, 1, reg, &rm, false);
		emit_n(g, rval(), op[0] == 0x6b ? 1 : size == 2 ? 2 : 4);
		break;
	}
	flags_insn(g, UD_MUL, size, 0, K_MUL);
	g->n++;
}

/* DIV/IDIV by a register loaded with a divisor of magnitude >= 2. */
static void gen_div(struct gen *g)
{
	unsigned int size = rand_size();
	bool sign = rn(2);
	struct opnd rm = { 0 };
	u8 d, op;
	s32 v = 2 + rn(size == 1 ? 120 : 1000);

	do
		d = pick_reg();
	while (d == 0 || d == 2 || (size == 1 && d >= 4 && d < 8));
	if (sign && rn(2))
		v = -v;
	/* mov r32/64, imm (sign-extended for 64-bit) */
	emit(g, 0x48 | (d >= 8));
	emit(g, 0xc7);
	emit(g, 0xc0 | (d & 7));
	emit_n(g, (u32)v, 4);
	/* widen the dividend so that the quotient fits */
	if (size == 1) {
		emit_n(g, sign ? 0x9866 : 0xc0b60f, sign ? 2 : 3); /* CBW / MOVZX EAX, AL */
	} else {
		if (size == 2)
			emit(g, 0x66);
		if (size == 8)
			emit(g, 0x48);
		if (sign) {
			emit(g, 0x99);			/* CWD/CDQ/CQO */
		} else {
			emit(g, 0x31);
			emit(g, 0xd2);			/* XOR EDX, EDX */
		}
	}
	rm.reg = d;
	op = size == 1 ? 0xf6 : 0xf7;
	emit_insn(g, size, &op, 1, sign ? 7 : 6, &rm, size == 1);
	flags_insn(g, UD_DIV, size, 0, K_DIV);
	g->n++;
}

static void gen_mov(struct gen *g)
{
	unsigned int size = rand_size(), kind = rn(8);
	struct opnd rm = rand_rm(true);
	u8 reg = pick_reg(), op[2];
	bool rex = false;

	if (size == 1 && kind < 3)
		byte_regs(&reg, &rm, &rex);
	switch (kind) {
	case 0:		/* MOV r/m, r and MOV r, r/m */
		op[0] = 0x88 | (size > 1) | (rn(2) << 1);
		emit_insn(g, size, op, 1, reg, &rm, rex);
		break;
	case 1:		/* MOV r/m, imm */
		op[0] = size == 1 ? 0xc6 : 0xc7;
		emit_insn(g, size, op, 1, 0, &rm, rex);
		emit_n(g, rval(), size == 1 ? 1 : size == 2 ? 2 : 4);
		break;
	case 2:		/* XCHG r/m, r */
		op[0] = size == 1 ? 0x86 : 0x87;
		emit_insn(g, size, op, 1, reg, &rm, rex);
		break;
	case 3:		/* MOVZX/MOVSX */
		op[0] = 0x0f;
		op[1] = 0xb6 | (rn(2) << 3) | rn(2);
		if (size < 4)
			size = 4 << rn(2);
		if (!(op[1] & 1) && !rm.mem && rm.reg >= 4 && rm.reg < 8)
			rex = true;	/* SIL/DIL/BPL, never SPL */
		if (rex && rm.reg == 4)
			rm.reg = 5;
		emit_insn(g, size, op, 2, reg, &rm, rex);
		break;
	case 4:		/* MOVSXD */
		op[0] = 0x63;
		emit_insn(g, rn(2) ? 8 : 4, op, 1, reg, &rm, false);
		break;
	case 5:		/* MOV r, imm64 / imm32 */
		emit(g, (rn(2) ? 0x48 : 0x40) | (reg >= 8));
		emit(g, 0xb8 | (reg & 7));
		emit_n(g, rval(), g->p[-2] & 8 ? 8 : 4);
		break;
	case 6:		/* LEA r, [b + i*s + d] with arbitrary registers */
		rm = rand_mem();
		op[0] = 0x8d;
		emit_insn(g, size == 1 ? 4 : size, op, 1, reg, &rm, false);
		break;
	default:	/* BSWAP */
		emit(g, (size == 8 ? 0x48 : 0x40) | (reg >= 8));
		emit(g, 0x0f);
		emit(g, 0xc8 | (reg & 7));
		break;
	}
	g->n++;
}

static void gen_bits(struct gen *g)
{
	unsigned int size = 2 << rn(3), kind = rn(6);
	struct opnd rm = rand_rm(true);
	u8 reg = pick_reg(), op[2] = { 0x0f };
	unsigned int cc = rn(16);

	switch (kind) {
	case 0:		/* BT* r/m(register), r */
		rm.mem = false;
		rm.reg = pick_reg();
		op[1] = 0xa3 | rn(4) << 3;
		emit_insn(g, size, op, 2, reg, &rm, false);
		flags_insn(g, UD_BT, size, 0, K_BT);
		break;
	case 1:		/* BT* r/m, imm8 */
		op[1] = 0xba;
		emit_insn(g, size, op, 2, 4 + rn(4), &rm, false);
		emit(g, rn(256));
		flags_insn(g, UD_BT, size, 0, K_BT);
		break;
	case 2:		/* BSF/BSR */
		op[1] = 0xbc | rn(2);
		emit_insn(g, size, op, 2, reg, &rm, false);
		flags_insn(g, UD_BSF, size, 0, K_BSF);
		/*
		 * A zero source leaves the destination undefined (the
		 * source is not known here): CMOVZ reg, R15 then gives it
		 * a defined value, R15 being the scratch base on both sides.
		 * The 32-bit CMOV writes the whole register either way.
		 */
		if (ud_lookup(UD_BSF, size, 0, true).res_undef) {
			struct opnd base = { .reg = 15 };

			op[1] = 0x44;
			emit_insn(g, size, op, 2, reg, &base, false);
			g->n++;
		}
		break;
	case 3:		/* SETcc r/m8 */
		flags_in(g, FL_ARITH);
		op[1] = 0x90 | cc;
		if (!rm.mem && rm.reg == 4)
			rm.reg = 5;
		emit_insn(g, 1, op, 2, 0, &rm, true);
		break;
	case 4:		/* CMOVcc r, r/m */
		flags_in(g, FL_ARITH);
		op[1] = 0x40 | cc;
		emit_insn(g, size, op, 2, reg, &rm, false);
		break;
	default: {	/* SHLD/SHRD r/m, r, imm8 */
		unsigned int cnt = rn(size * 8);

		op[1] = rn(2) ? 0xa4 : 0xac;
		emit_insn(g, size, op, 2, reg, &rm, false);
		emit(g, cnt);
		/* cnt < size * 8: the result is always defined */
		flags_insn(g, UD_SHXD, size, cnt, K_SHXD);
		break;
	}
	}
	g->n++;
}

static void gen_xadd(struct gen *g)
{
	unsigned int size = rand_size();
	struct opnd rm = rand_rm(true);
	u8 reg = pick_reg(), op[2] = { 0x0f, 0 };
	bool rex = false;

	if (size == 1)
		byte_regs(&reg, &rm, &rex);
	op[1] = (rn(2) ? 0xc0 : 0xb0) | (size > 1);
	emit_insn(g, size, op, 2, reg, &rm, rex);
	flags_insn(g, UD_ADD, size, 0, K_XADD);
	g->n++;
}

static void gen_string(struct gen *g)
{
	static const u8 sops[] = { 0xa4, 0xa6, 0xaa, 0xac, 0xae };
	u8 sop = sops[rn(5)] | rn(2);
	unsigned int size = sop & 1 ? 2 << rn(3) : 1, n = rn(6);
	bool down = rn(4) == 0, rep = rn(3);
	int i;

	/* LEA RSI/RDI, [R15 + d]: room for n elements either way */
	for (i = 6; i <= 7; i++) {
		emit(g, 0x49);
		emit(g, 0x8d);
		emit(g, 0x80 | i << 3 | 7);
		emit_n(g, (u32)(s32)(rn(0x600) - 0x300), 4);
	}
	emit(g, 0xb9);
	emit_n(g, n, 4);			/* MOV ECX, n */
	emit(g, down ? 0xfd : 0xfc);		/* STD / CLD */
	if (rep)
		emit(g, (sop & 0xf6) == 0xa6 && rn(2) ? 0xf2 : 0xf3);
	if (size == 2)
		emit(g, 0x66);
	if (size == 8)
		emit(g, 0x48);
	emit(g, sop);
	if ((sop & 0xf6) == 0xa6 && (!rep || n))
		flags_insn(g, UD_ADD, size, 0, K_STR);
	emit(g, 0xfc);				/* CLD */
	g->n++;
}

static void gen_misc(struct gen *g)
{
	switch (rn(6)) {
	case 0:
		emit(g, rn(2) ? 0x48 : 0x66);
		emit(g, 0x98 | rn(2));		/* CBW/CDQE, CWD/CQO */
		break;
	case 1:
		if (rn(2))
			emit(g, 0x98 | rn(2));	/* CWDE, CDQ */
		else
			emit(g, 0x90);
		break;
	case 2:
		flags_in(g, CF);
		emit(g, 0xf5 + rn(2) * 3 + rn(2) * 0);	/* CMC or CLC */
		flags_insn(g, UD_CARRY, 8, 0, K_MISC);
		break;
	case 3:
		emit(g, 0xf9);			/* STC */
		flags_insn(g, UD_CARRY, 8, 0, K_MISC);
		break;
	case 4:
		flags_in(g, FL_ARITH);
		emit(g, 0x9f);			/* LAHF */
		break;
	default:
		emit(g, 0x9e);			/* SAHF */
		flags_insn(g, UD_SAHF, 8, 0, K_MISC);
		break;
	}
	g->n++;
}

/* Jcc/JMP rel8 over the next generated instruction. */
static void gen_jump(struct gen *g)
{
	u64 before;
	int src[12];
	unsigned int b;
	u8 *rel;

	if (rn(4)) {
		flags_in(g, FL_ARITH);
		emit(g, 0x70 | rn(16));
	} else {
		emit(g, 0xeb);
	}
	rel = g->p;
	emit(g, 0);
	before = g->undef;
	memcpy(src, g->usrc, sizeof(src));
	g->depth++;
	gen_one(g);
	g->depth--;
	*rel = g->p - rel - 1;
	/* if the jump was taken, flags undefined before still are */
	for (b = 0; b < 12; b++)
		if ((before & ~g->undef) & (1u << b))
			g->usrc[b] = src[b];
	g->undef |= before;
	g->n++;
}

void gen_one(struct gen *g)
{
	switch (rn(20)) {
	case 0 ... 4:
		gen_alu(g);
		break;
	case 5 ... 6:
		gen_unary(g);
		break;
	case 7 ... 8:
		gen_shift(g);
		break;
	case 9:
		gen_mul(g);
		break;
	case 10:
		gen_div(g);
		break;
	case 11 ... 13:
		gen_mov(g);
		break;
	case 14 ... 15:
		gen_bits(g);
		break;
	case 16:
		gen_xadd(g);
		break;
	case 17:
		gen_string(g);
		break;
	case 18:
		gen_misc(g);
		break;
	default:
		if (!g->depth)
			gen_jump(g);
		else
			gen_misc(g);
		break;
	}
}
