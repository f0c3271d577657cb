// SPDX-License-Identifier: GPL-2.0
/*
 * The one table of architecturally undefined status flags and results,
 * shared by the differential test (diff.c) and the oracle's generator
 * (oracle_gen.c).  Each row encodes one sentence of the "Flags Affected"
 * (Intel SDM vol. 2) or "rFLAGS Affected" (AMD APM vol. 3) section of
 * the instruction; where the two manuals differ, the row takes the union
 * of what either leaves undefined.  Intel and AMD CPUs really do produce
 * different values for these flags (e.g. OF after ROL by 2, SF after
 * MUL), so nothing here may depend on the host's vendor.
 *
 * Shift counts are those of the instruction, masked as the CPU masks
 * them (to 5 bits, 6 for 64-bit operands) before a row is chosen.
 */
#include <stdio.h>
#include <stdlib.h>
#include <linux/array_size.h>

#include "undef.h"

#define SZP	(UD_SF | UD_ZF | UD_PF)

/* when a row applies; the first matching row of an instruction wins */
enum ud_when {
	W_ANY,
	W_CNT0,		/* masked count 0 */
	W_CNT1,		/* masked count 1 */
	W_CNT_GE,	/* masked count >= operand width */
	W_CNT_GT,	/* masked count > operand width */
	W_SRC0,		/* source operand zero */
};

struct ud_row {
	enum ud_insn insn;
	enum ud_when when;
	struct ud_effect e;
};

#define ROW(i, w, def, undef, res, rule) { i, w, { def, undef, res, rule } }

static const struct ud_row ud_rows[] = {
	ROW(UD_ADD, W_ANY, UD_ARITH, 0, false,
	    "ADD ADC SUB SBB CMP NEG XADD CMPXCHG CMPS SCAS: all six per result"),
	ROW(UD_INCDEC, W_ANY, UD_ARITH & ~UD_CF, 0, false,
	    "INC/DEC: CF not affected, the others per result"),
	ROW(UD_LOGIC, W_ANY, UD_ARITH & ~UD_AF, UD_AF, false,
	    "AND/OR/XOR/TEST: OF CF cleared, SF ZF PF per result, AF undefined"),

	/* ROL/ROR: SF ZF AF PF are never affected */
	ROW(UD_ROT, W_CNT0, 0, 0, false,
	    "ROL/ROR: masked count 0, flags not affected"),
	ROW(UD_ROT, W_CNT1, UD_CF | UD_OF, 0, false,
	    "ROL/ROR: masked count 1, CF and OF affected"),
	ROW(UD_ROT, W_ANY, UD_CF, UD_OF, false,
	    "ROL/ROR: masked count > 1, CF affected, OF undefined"),
	/*
	 * RCL/RCR rotate by the masked count modulo width + 1 (8/16-bit);
	 * when that is 0 nothing rotates and CF keeps its value, which is
	 * still defined, so the rows are those of ROL/ROR.
	 */
	ROW(UD_RCX, W_CNT0, 0, 0, false,
	    "RCL/RCR: masked count 0, flags not affected"),
	ROW(UD_RCX, W_CNT1, UD_CF | UD_OF, 0, false,
	    "RCL/RCR: masked count 1, CF and OF affected"),
	ROW(UD_RCX, W_ANY, UD_CF, UD_OF, false,
	    "RCL/RCR: masked count > 1, CF affected, OF undefined"),

	/*
	 * SHL/SHR/SAR: CF is the last bit shifted out, SF ZF PF are set
	 * per the result, OF is defined for 1-bit shifts only, AF is
	 * undefined for any nonzero count.  CF is undefined for SHL and
	 * SHR (not SAR) by counts >= the width, which the 5-bit count mask
	 * allows for 8/16-bit operands only.
	 */
	ROW(UD_SHIFT, W_CNT0, 0, 0, false,
	    "SHL/SHR: masked count 0, flags not affected"),
	ROW(UD_SHIFT, W_CNT1, UD_CF | UD_OF | SZP, UD_AF, false,
	    "SHL/SHR: 1-bit shift, OF defined, AF undefined"),
	ROW(UD_SHIFT, W_CNT_GE, SZP, UD_CF | UD_OF | UD_AF, false,
	    "SHL/SHR: count >= width, CF OF AF undefined"),
	ROW(UD_SHIFT, W_ANY, UD_CF | SZP, UD_OF | UD_AF, false,
	    "SHL/SHR: masked count > 1, OF AF undefined"),
	ROW(UD_SAR, W_CNT0, 0, 0, false,
	    "SAR: masked count 0, flags not affected"),
	ROW(UD_SAR, W_CNT1, UD_CF | UD_OF | SZP, UD_AF, false,
	    "SAR: 1-bit shift, OF cleared, AF undefined"),
	ROW(UD_SAR, W_ANY, UD_CF | SZP, UD_OF | UD_AF, false,
	    "SAR: masked count > 1, OF AF undefined"),

	/*
	 * SHLD/SHRD: as the shifts (OF on 1-bit shifts only, AF undefined
	 * if a shift occurs); a count greater than the operand size (16-bit
	 * operands only) leaves the result and all the flags undefined.
	 */
	ROW(UD_SHXD, W_CNT0, 0, 0, false,
	    "SHLD/SHRD: masked count 0, flags not affected"),
	ROW(UD_SHXD, W_CNT_GT, 0, UD_ARITH, true,
	    "SHLD/SHRD: count > operand size, result and flags undefined"),
	ROW(UD_SHXD, W_CNT1, UD_CF | UD_OF | SZP, UD_AF, false,
	    "SHLD/SHRD: 1-bit shift, OF defined, AF undefined"),
	ROW(UD_SHXD, W_ANY, UD_CF | SZP, UD_OF | UD_AF, false,
	    "SHLD/SHRD: masked count > 1, OF AF undefined"),

	ROW(UD_MUL, W_ANY, UD_CF | UD_OF, SZP | UD_AF, false,
	    "MUL/IMUL: CF OF tell a significant upper half, SF ZF AF PF undefined"),
	ROW(UD_DIV, W_ANY, 0, UD_ARITH, false,
	    "DIV/IDIV: CF OF SF ZF AF PF undefined"),
	ROW(UD_BT, W_ANY, UD_CF, UD_OF | UD_SF | UD_AF | UD_PF, false,
	    "BT*: CF the bit, ZF not affected, OF SF AF PF undefined"),
	/* the SDM: destination undefined; the APM: destination unchanged */
	ROW(UD_BSF, W_SRC0, UD_ZF, UD_ARITH & ~UD_ZF, true,
	    "BSF/BSR: source 0, ZF set, destination and the others undefined"),
	ROW(UD_BSF, W_ANY, UD_ZF, UD_ARITH & ~UD_ZF, false,
	    "BSF/BSR: ZF cleared, CF OF SF AF PF undefined"),
	ROW(UD_CARRY, W_ANY, UD_CF, 0, false,
	    "STC/CLC/CMC: CF set, cleared or complemented, no other flag"),
	ROW(UD_SAHF, W_ANY, UD_SF | UD_ZF | UD_AF | UD_PF | UD_CF, 0, false,
	    "SAHF: SF ZF AF PF CF from AH, OF not affected"),
};

static bool ud_when_holds(enum ud_when w, unsigned int size, u64 count,
			  bool src_zero)
{
	unsigned int bits = size * 8;

	count &= size == 8 ? 63 : 31;
	switch (w) {
	case W_CNT0:
		return count == 0;
	case W_CNT1:
		return count == 1;
	case W_CNT_GE:
		return count >= bits;
	case W_CNT_GT:
		return count > bits;
	case W_SRC0:
		return src_zero;
	default:
		return true;
	}
}

/**
 * ud_lookup() - flags an instruction defines and leaves undefined
 * @insn: instruction group
 * @size: operand size in bytes
 * @count: shift or rotate count as given to the instruction (unmasked)
 * @src_zero: BSF/BSR: the source operand is zero
 *
 * Every group ends with a W_ANY row, so a lookup always finds one; a
 * group without rows is a bug in the table and aborts the program (a
 * missing row must neither hide nor make up a difference).
 *
 * Return: the effect of the first row of @insn that applies.
 */
struct ud_effect ud_lookup(enum ud_insn insn, unsigned int size, u64 count,
			   bool src_zero)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ud_rows); i++)
		if (ud_rows[i].insn == insn &&
		    ud_when_holds(ud_rows[i].when, size, count, src_zero))
			return ud_rows[i].e;
	fprintf(stderr, "hvsim-cpu: no flag rule for group %d\n", insn);
	abort();
}
