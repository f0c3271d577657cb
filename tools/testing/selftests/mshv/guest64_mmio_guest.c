// SPDX-License-Identifier: GPL-2.0
/*
 * Guest code of guest64_mmio_test: register accesses to an MMIO device
 * the VMM emulates.  The accessors use fixed MOV encodings (inline asm),
 * the forms the VMM's decoder understands.
 */
#include "guest_x86.h"
#include "guest64_mmio.h"

static inline void mmio_write32(__u64 reg, __u32 value)
{
	/* 89 02 */
	__asm__ __volatile__("movl %%eax, (%%rdx)"
			     : : "a"(value), "d"(MMIO_BASE + reg) : "memory");
}

static inline __u32 mmio_read32(__u64 reg)
{
	__u32 value;

	/* 8b 02 */
	__asm__ __volatile__("movl (%%rdx), %%eax"
			     : "=a"(value) : "d"(MMIO_BASE + reg) : "memory");
	return value;
}

static inline void mmio_write64(__u64 reg, __u64 value)
{
	/* 48 89 02 */
	__asm__ __volatile__("movq %%rax, (%%rdx)"
			     : : "a"(value), "d"(MMIO_BASE + reg) : "memory");
}

static inline __u64 mmio_read64(__u64 reg)
{
	__u64 value;

	/* 4c 8b 42 08: a REX.R destination and a displacement */
	__asm__ __volatile__("movq 8(%%rdx), %%r8\n\t"
			     "mov %%r8, %0"
			     : "=r"(value) : "d"(MMIO_BASE + reg - 8)
			     : "r8", "memory");
	return value;
}

void guest_mmio(void)
{
	__u32 id, scratch, doubled;
	__u64 wide;

	id = mmio_read32(MMIO_REG_ID);
	GUEST_ASSERT_EQ(id, MMIO_ID);
	mmio_write32(MMIO_REG_SCRATCH, MMIO_SCRATCH_VALUE);
	scratch = mmio_read32(MMIO_REG_SCRATCH);
	GUEST_ASSERT_EQ(scratch, MMIO_SCRATCH_VALUE);
	mmio_write32(MMIO_REG_DOUBLE, MMIO_DOUBLE_VALUE);
	doubled = mmio_read32(MMIO_REG_DOUBLE);
	GUEST_ASSERT_EQ(doubled, 2 * MMIO_DOUBLE_VALUE);
	mmio_write64(MMIO_REG_WIDE, MMIO_WIDE_VALUE);
	wide = mmio_read64(MMIO_REG_WIDE);
	GUEST_ASSERT_EQ(wide, MMIO_WIDE_VALUE);
	GUEST_SYNC(id, scratch, doubled, wide);
}
