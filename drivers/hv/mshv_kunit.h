/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fake platform of mshv_root's KUnit suites: a test redirects its own
 * hypercalls (only those made by its own thread) to a fake with KUnit's
 * static stubs, whatever platform is registered, so the suites run the
 * same with hvsim or a real hypervisor below (in-tree, hvsim is built in
 * and registered before the suites run).  The redirection ends with the
 * test.
 */
#ifndef _MSHV_KUNIT_H
#define _MSHV_KUNIT_H

#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/xarray.h>

#include "mshv_root.h"

/* Fast hypercalls: no fake implements one. */
static inline u64 mshv_kunit_fast8_unknown(u16 code, u64 arg)
{
	return HV_STATUS_INVALID_HYPERCALL_CODE;
}

static inline u64 mshv_kunit_fast16_unknown(u16 code, u64 arg1, u64 arg2)
{
	return HV_STATUS_INVALID_HYPERCALL_CODE;
}

/*
 * Send @test's memory-based hypercalls to @fake_hypercall (a function
 * with mshv_hvcall()'s arguments), and fail its fast ones.
 */
#define mshv_kunit_fake_platform(test, fake_hypercall)			\
do {									\
	struct kunit *__t = (test);					\
									\
	kunit_activate_static_stub(__t, mshv_hvcall, fake_hypercall);	\
	kunit_activate_static_stub(__t, mshv_hvcall_fast8,		\
				   mshv_kunit_fast8_unknown);		\
	kunit_activate_static_stub(__t, mshv_hvcall_fast16,		\
				   mshv_kunit_fast16_unknown);		\
} while (0)

/**
 * mshv_kunit_publish() - make a fake partition visible to the SynIC ISR
 * @pt: a partition built by a KUnit test, with @pt->pt_id set
 *
 * Return: 0, or -EBUSY if the id is taken.
 */
static inline int mshv_kunit_publish(struct mshv_partition *pt)
{
	return xa_insert(&mshv_partitions, pt->pt_id, pt, GFP_KERNEL);
}

/**
 * mshv_kunit_unpublish() - undo mshv_kunit_publish()
 * @pt: the fake partition; may be freed once this returns
 */
static inline void mshv_kunit_unpublish(struct mshv_partition *pt)
{
	xa_erase(&mshv_partitions, pt->pt_id);
	synchronize_rcu();
}

#endif /* _MSHV_KUNIT_H */
