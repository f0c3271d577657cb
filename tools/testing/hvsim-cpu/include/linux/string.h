/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/string.h>. */
#ifndef _HVSIM_SHIM_LINUX_STRING_H
#define _HVSIM_SHIM_LINUX_STRING_H

#include <string.h>

#endif /* _HVSIM_SHIM_LINUX_STRING_H */
