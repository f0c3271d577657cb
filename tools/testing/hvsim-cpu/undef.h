/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an instruction does to the six status flags, and which flags and
 * results the Intel SDM and the AMD APM leave undefined (undef.c).  Every
 * comparison of the interpreter with the host CPU masks what is undefined
 * here, whatever the host's vendor.
 */
#ifndef _HVSIM_CPU_UNDEF_H
#define _HVSIM_CPU_UNDEF_H

#include <linux/types.h>

#define UD_CF		0x001ULL
#define UD_PF		0x004ULL
#define UD_AF		0x010ULL
#define UD_ZF		0x040ULL
#define UD_SF		0x080ULL
#define UD_OF		0x800ULL
#define UD_ARITH	(UD_CF | UD_PF | UD_AF | UD_ZF | UD_SF | UD_OF)

/* instruction groups with the same flag rules */
enum ud_insn {
	UD_ADD,		/* ADD ADC SUB SBB CMP NEG XADD CMPXCHG CMPS SCAS */
	UD_INCDEC,	/* INC DEC */
	UD_LOGIC,	/* AND OR XOR TEST */
	UD_ROT,		/* ROL ROR */
	UD_RCX,		/* RCL RCR */
	UD_SHIFT,	/* SHL/SAL SHR */
	UD_SAR,		/* SAR */
	UD_SHXD,	/* SHLD SHRD */
	UD_MUL,		/* MUL, IMUL (all three forms) */
	UD_DIV,		/* DIV IDIV (when they do not fault) */
	UD_BT,		/* BT BTS BTR BTC */
	UD_BSF,		/* BSF BSR */
	UD_CARRY,	/* STC CLC CMC */
	UD_SAHF,	/* SAHF */
	UD_NR
};

/**
 * struct ud_effect - an instruction's effect on the status flags
 * @def: flags written with an architecturally defined value
 * @undef: flags whose value is architecturally undefined
 * @res_undef: the destination operand's value is undefined
 * @rule: the manuals' rule this case encodes
 *
 * A status flag in neither @def nor @undef is left unchanged.
 */
struct ud_effect {
	u64 def;
	u64 undef;
	bool res_undef;
	const char *rule;
};

struct ud_effect ud_lookup(enum ud_insn insn, unsigned int size, u64 count,
			   bool src_zero);

#endif /* _HVSIM_CPU_UNDEF_H */
