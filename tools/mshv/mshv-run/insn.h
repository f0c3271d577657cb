/* SPDX-License-Identifier: GPL-2.0 */
/*
 * insn - decode the instruction behind an MMIO intercept.
 *
 * The memory intercept message carries the guest physical address and
 * the instruction's bytes; the VMM still needs the access size, the
 * register (or immediate) and the instruction length.  Only the forms
 * compilers emit for readb/readw/readl/readq and their write siblings
 * are decoded: MOV r/m,r; MOV r,r/m; MOV r/m,imm; MOVZX; MOVSX.
 */
#ifndef MSHV_RUN_INSN_H
#define MSHV_RUN_INSN_H

#include <stdbool.h>
#include <linux/types.h>

struct mmio_insn {
	unsigned int len;	/* instruction length in bytes */
	unsigned int size;	/* memory access size: 1, 2, 4 or 8 */
	bool write;		/* the instruction stores to memory */
	int reg;		/* register number (rax=0..r15), -1: immediate */
	bool high8;		/* reg names AH, CH, DH or BH */
	unsigned int dst_size;	/* register width written by a load */
	bool sign_extend;	/* MOVSX */
	__u64 imm;		/* the immediate of MOV r/m, imm */
};

int mmio_decode(const __u8 *bytes, unsigned int count, struct mmio_insn *insn);
__u64 mmio_load_result(const struct mmio_insn *insn, __u64 old, __u64 value);
__u64 mmio_store_value(const struct mmio_insn *insn, const __u64 *gprs);

#endif /* MSHV_RUN_INSN_H */
