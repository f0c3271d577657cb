/* SPDX-License-Identifier: GPL-2.0 */
/* The differential oracle's random instruction generator (oracle_gen.c). */
#ifndef _HVSIM_ORACLE_H
#define _HVSIM_ORACLE_H

#include "cpu_internal.h"

#define SEQ_LEN		24	/* top-level instructions per sequence */

#define FL_ARITH	0x8d5ULL
#define FL_DF		0x400ULL

/* instruction classes, for the undefined-flag report */
enum {
	K_ALU, K_LOGIC, K_INCDEC, K_NEG, K_SHIFT, K_ROT, K_MUL, K_DIV, K_BT,
	K_BSF, K_SHXD, K_XADD, K_STR, K_MISC, K_NR
};

extern const char * const kname[K_NR];
extern u64 rng_state;

/**
 * struct gen - generator state for one sequence
 * @p: next code byte
 * @undef: status flags currently undefined (SDM)
 * @usrc: for each flag bit, the class that made it undefined
 * @n: instructions generated
 * @depth: jumps being generated (no nesting)
 * @start: first code byte
 * @bound: offsets of the top-level instructions
 */
struct gen {
	u8 *p;
	u64 undef;
	int usrc[12];
	unsigned int n;
	unsigned int depth;
	u8 *start;
	unsigned short bound[SEQ_LEN + 1];
};

u64 rnd(void);
unsigned int rn(unsigned int n);
u64 rval(void);
void gen_one(struct gen *g);

#endif /* _HVSIM_ORACLE_H */
