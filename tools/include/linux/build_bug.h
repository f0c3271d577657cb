/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for the kernel's <linux/build_bug.h>. */
#ifndef _TOOLS_LINUX_BUILD_BUG_H
#define _TOOLS_LINUX_BUILD_BUG_H

#include <assert.h>
#include <stddef.h>

#endif /* _TOOLS_LINUX_BUILD_BUG_H */
