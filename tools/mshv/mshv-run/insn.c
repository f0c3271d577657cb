// SPDX-License-Identifier: GPL-2.0
/*
 * insn - decode the MOV forms that access MMIO (see insn.h).
 *
 * 64-bit mode only: that is where a Linux guest touches its devices.  The
 * address itself comes with the intercept, so the ModRM/SIB bytes are
 * only walked to find the instruction's length.
 */
#include <errno.h>
#include <string.h>

#include "insn.h"

#define REX_W	0x8
#define REX_R	0x4

/* Bytes of ModRM + SIB + displacement starting at @p, or -1. */
static int modrm_len(const __u8 *p, unsigned int avail)
{
	unsigned int mod, rm, len = 1;

	if (avail < 1)
		return -1;
	mod = p[0] >> 6;
	rm = p[0] & 7;
	if (mod == 3)
		return -1;	/* a register operand: not a memory access */
	if (rm == 4) {
		if (avail < 2)
			return -1;
		len++;
		if (mod == 0 && (p[1] & 7) == 5)
			len += 4;
	} else if (mod == 0 && rm == 5) {
		len += 4;	/* RIP-relative */
	}
	if (mod == 1)
		len += 1;
	else if (mod == 2)
		len += 4;
	return len <= avail ? (int)len : -1;
}

static __u64 read_imm(const __u8 *p, unsigned int size)
{
	__u64 v = 0;

	memcpy(&v, p, size);
	return v;
}

/**
 * mmio_decode() - decode a MOV-type instruction that accessed memory
 * @bytes: the instruction bytes from the intercept message
 * @count: how many of them are valid
 * @insn: the result
 *
 * Return: 0, or -EINVAL for an instruction this decoder does not know.
 */
int mmio_decode(const __u8 *bytes, unsigned int count, struct mmio_insn *insn)
{
	unsigned int i = 0, rex = 0, opsize = 4, op, ml;
	bool twobyte = false, has_rex = false;
	int n;

	memset(insn, 0, sizeof(*insn));
	/* Legacy prefixes, then at most one REX. */
	for (; i < count; i++) {
		__u8 b = bytes[i];

		if (b == 0x66)
			opsize = 2;
		else if (b == 0xf0 || b == 0xf2 || b == 0xf3 || b == 0x2e ||
			 b == 0x36 || b == 0x3e || b == 0x26 || b == 0x64 ||
			 b == 0x65 || b == 0x67)
			continue;
		else
			break;
	}
	if (i < count && (bytes[i] & 0xf0) == 0x40) {
		rex = bytes[i++] & 0xf;
		has_rex = true;	/* even 0x40: SPL/BPL/SIL/DIL, not AH..BH */
	}
	if (rex & REX_W)
		opsize = 8;
	if (i >= count)
		return -EINVAL;
	op = bytes[i++];
	if (op == 0x0f) {
		if (i >= count)
			return -EINVAL;
		twobyte = true;
		op = bytes[i++];
	}
	if (i >= count)
		return -EINVAL;
	n = modrm_len(bytes + i, count - i);
	if (n < 0)
		return -EINVAL;
	ml = n;
	insn->reg = ((bytes[i] >> 3) & 7) | (rex & REX_R ? 8 : 0);

	if (!twobyte) {
		switch (op) {
		case 0x88:		/* mov r/m8, r8 */
		case 0x8a:		/* mov r8, r/m8 */
			insn->size = 1;
			insn->write = op == 0x88;
			insn->high8 = !has_rex && insn->reg >= 4 && insn->reg < 8;
			if (insn->high8)
				insn->reg -= 4;
			insn->dst_size = 1;
			break;
		case 0x89:		/* mov r/m, r */
		case 0x8b:		/* mov r, r/m */
			insn->size = opsize;
			insn->write = op == 0x89;
			insn->dst_size = opsize;
			break;
		case 0xc6:		/* mov r/m8, imm8 */
		case 0xc7:		/* mov r/m, imm16/32 */
			if (insn->reg & 7)
				return -EINVAL;
			insn->size = op == 0xc6 ? 1 : opsize;
			insn->write = true;
			insn->reg = -1;
			n = insn->size > 4 ? 4 : insn->size;
			if (i + ml + n > count)
				return -EINVAL;
			insn->imm = read_imm(bytes + i + ml, n);
			if (insn->size == 8 && (insn->imm & 0x80000000))
				insn->imm |= 0xffffffff00000000ULL;
			ml += n;
			break;
		default:
			return -EINVAL;
		}
	} else {
		switch (op) {
		case 0xb6:		/* movzx r, r/m8 */
		case 0xb7:		/* movzx r, r/m16 */
		case 0xbe:		/* movsx r, r/m8 */
		case 0xbf:		/* movsx r, r/m16 */
			insn->size = op & 1 ? 2 : 1;
			insn->dst_size = opsize;
			insn->sign_extend = op >= 0xbe;
			break;
		default:
			return -EINVAL;
		}
	}
	insn->len = i + ml;
	return 0;
}

/**
 * mmio_load_result() - the register's new value after a load
 * @insn: the decoded load
 * @old: the register's value before
 * @value: what the device returned (@insn->size bytes, zero-extended)
 *
 * 32-bit destinations zero the upper half, 8- and 16-bit ones merge, as
 * the processor does.  For AH..BH, @old is the whole RAX..RBX register.
 */
__u64 mmio_load_result(const struct mmio_insn *insn, __u64 old, __u64 value)
{
	unsigned int bits = insn->size * 8;

	if (bits < 64)
		value &= (1ULL << bits) - 1;
	if (insn->sign_extend && (value & (1ULL << (bits - 1))))
		value |= ~0ULL << bits;
	if (insn->high8)
		return (old & ~0xff00ULL) | (value & 0xff) << 8;
	switch (insn->dst_size) {
	case 1:
		return (old & ~0xffULL) | (value & 0xff);
	case 2:
		return (old & ~0xffffULL) | (value & 0xffff);
	case 4:
		return value & 0xffffffffULL;
	default:
		return value;
	}
}

/**
 * mmio_store_value() - the data a store writes
 * @insn: the decoded store
 * @gprs: the general registers, rax..r15
 */
__u64 mmio_store_value(const struct mmio_insn *insn, const __u64 *gprs)
{
	__u64 v;

	if (insn->reg < 0)
		v = insn->imm;
	else if (insn->high8)
		v = gprs[insn->reg] >> 8;
	else
		v = gprs[insn->reg];
	if (insn->size < 8)
		v &= (1ULL << (insn->size * 8)) - 1;
	return v;
}
