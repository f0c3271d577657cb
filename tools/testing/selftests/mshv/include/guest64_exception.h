/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by guest64_exception_test.c (VMM) and guest64_exception_guest.c.
 */
#ifndef SELFTEST_MSHV_GUEST64_EXCEPTION_H
#define SELFTEST_MSHV_GUEST64_EXCEPTION_H

#include <linux/types.h>

#define EXC_NONCANONICAL	0x8000000000000000ULL
#define EXC_UD_RAX		0x1122334455667788ULL	/* set by the #UD handler */
#define EXC_KEEP		0xa5a5a5a5f00dfaceULL	/* RBX across the faults */

void guest_exceptions(void);

#endif /* SELFTEST_MSHV_GUEST64_EXCEPTION_H */
