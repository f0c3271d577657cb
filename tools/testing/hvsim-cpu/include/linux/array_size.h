/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/array_size.h>. */
#ifndef _HVSIM_SHIM_LINUX_ARRAY_SIZE_H
#define _HVSIM_SHIM_LINUX_ARRAY_SIZE_H

#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))

#endif /* _HVSIM_SHIM_LINUX_ARRAY_SIZE_H */
