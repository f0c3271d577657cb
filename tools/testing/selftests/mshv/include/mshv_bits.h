/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BIT(), BIT_ULL(), __packed and __aligned() as the kernel has them, for the
 * selftests, their freestanding guest code and the programs built on
 * their library.
 */
#ifndef SELFTEST_MSHV_BITS_H
#define SELFTEST_MSHV_BITS_H

#ifndef BIT
#define BIT(nr)			(1UL << (nr))
#endif
#ifndef BIT_ULL
#define BIT_ULL(nr)		(1ULL << (nr))
#endif

#ifndef __packed
#define __packed		__attribute__((__packed__))
#endif
#ifndef __aligned
#define __aligned(x)		__attribute__((__aligned__(x)))
#endif

#endif /* SELFTEST_MSHV_BITS_H */
