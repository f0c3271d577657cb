/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/export.h>: nothing is exported here. */
#ifndef _HVSIM_SHIM_LINUX_EXPORT_H
#define _HVSIM_SHIM_LINUX_EXPORT_H

#endif /* _HVSIM_SHIM_LINUX_EXPORT_H */
