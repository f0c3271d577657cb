/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mshv_root: pending work before each guest entry (mshv_vp_entry.c).
 *
 * Kept apart from mshv_root.h: mshv_vp_entry.c includes KVM's headers,
 * which bring the kernel's own Hyper-V TLFS definitions with them.
 */
#ifndef _MSHV_VP_ENTRY_H
#define _MSHV_VP_ENTRY_H

#include <linux/types.h>

/* Whether TIF_NOTIFY_RESUME work runs before guest entry. */
extern bool mshv_vp_entry_notify_resume;

int mshv_vp_entry_init(void **entry);
int mshv_vp_entry_work(void *entry);
void mshv_vp_entry_free(void *entry);

#endif /* _MSHV_VP_ENTRY_H */
