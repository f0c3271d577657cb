/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/errno.h>. */
#ifndef _HVSIM_SHIM_LINUX_ERRNO_H
#define _HVSIM_SHIM_LINUX_ERRNO_H

#include_next <linux/errno.h>	/* the uapi one: EFAULT etc. */

#endif /* _HVSIM_SHIM_LINUX_ERRNO_H */
