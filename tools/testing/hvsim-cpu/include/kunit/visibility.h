/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <kunit/visibility.h>: the interpreter's entry
 * points are exported to the kernel's hvsim_kunit module only; here they
 * are ordinary functions linked into the harness.
 */
#ifndef _HVSIM_SHIM_KUNIT_VISIBILITY_H
#define _HVSIM_SHIM_KUNIT_VISIBILITY_H

#define VISIBLE_IF_KUNIT
#define EXPORT_SYMBOL_IF_KUNIT(symbol)

#endif /* _HVSIM_SHIM_KUNIT_VISIBILITY_H */
