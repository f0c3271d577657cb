// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: MSHV_GET_VP_STATE and MSHV_SET_VP_STATE.
 *
 * A VP's local APIC, XSAVE area and SynIC message and event-flag pages
 * are bigger than a hypercall page: they move through the caller's own
 * buffer, pinned and handed to the hypervisor as page frame numbers
 * (HV_GET_SET_VP_STATE_TYPE_PFN).  The synthetic timers are small and
 * travel inline in the hypercall's input or output page.
 *
 * Size negotiation: the size the state needs is always written back to
 * mshv_get_set_vp_state.buf_sz before the caller's buffer is checked
 * against it, so a caller may probe with one page and retry.
 */

#include <kunit/visibility.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <uapi/linux/mshv.h>

#include "mshv_root.h"

/* PFNs that fit the input page after the fixed header. */
#define MSHV_VP_STATE_MAX_PFNS \
	((HV_HYP_PAGE_SIZE - sizeof(struct hv_input_get_vp_state)) / sizeof(u64))

/* Bound on MAX_XSAVE_DATA_SIZE: the hypervisor's answer is not trusted. */
#define MSHV_XSAVE_MAX_SIZE	(16 * HV_HYP_PAGE_SIZE)

static_assert(sizeof(struct hv_input_set_vp_state) ==
	      sizeof(struct hv_input_get_vp_state));
static_assert(sizeof(struct hv_input_set_vp_state) +
	      sizeof(struct hv_synthetic_timers_state) <= HV_HYP_PAGE_SIZE);

/* GET_VP_STATE and SET_VP_STATE share their header. */
static_assert(offsetof(struct hv_input_get_vp_state, output_data_pfns) ==
	      offsetof(struct hv_input_set_vp_state, data));

/**
 * mshv_hv_vp_state_call() - HVCALL_GET_VP_STATE or HVCALL_SET_VP_STATE
 * @code: the call code
 * @partition_id: the partition
 * @vp_index: the VP
 * @sd: what to read or write
 * @var: the variable header: PFNs, or the inline state of a SET
 * @var_sz: bytes of @var; the variable header is padded to whole qwords
 * @out: receives @out_sz bytes of the output on success; or NULL
 * @out_sz: bytes of @out, at most one page
 *
 * Memory is deposited into the partition while the hypervisor asks for
 * it.  A failure is not logged: the caller's input can cause it.
 *
 * Return: 0 or a negative errno.
 */
static int mshv_hv_vp_state_call(u16 code, u64 partition_id, u32 vp_index,
				 const struct hv_vp_state_data *sd,
				 const void *var, size_t var_sz,
				 void *out, size_t out_sz)
{
	struct hv_input_set_vp_state *in;
	struct mshv_hvpages hp;
	u64 control, result;
	int ret;

	if (WARN_ON_ONCE(var_sz > HV_HYP_PAGE_SIZE - sizeof(*in)))
		return -EINVAL;
	ret = mshv_hvpages_alloc(&hp);
	if (ret)
		return ret;
	in = hp.in;
	in->partition_id = partition_id;
	in->vp_index = vp_index;
	in->state_data = *sd;
	/* The page is zeroed: padding to a whole qword is zero. */
	if (var_sz)
		memcpy(in->data, var, var_sz);
	control = mshv_hvcall_control(code, false,
				      DIV_ROUND_UP(var_sz, sizeof(u64)), 0, 0);
	result = mshv_hvcall_deposit_retry(control, in, hp.out, partition_id);
	ret = mshv_hvcall_errno(result);
	if (!ret && out)
		memcpy(out, hp.out, out_sz);
	mshv_hvpages_free(&hp);
	return ret;
}

/* PFN mode with @pfns, else inline output into @out. */
static int mshv_hv_get_vp_state(u64 partition_id, u32 vp_index,
				const struct hv_vp_state_data *sd,
				const u64 *pfns, u32 nr_pfns,
				void *out, size_t out_sz)
{
	return mshv_hv_vp_state_call(HVCALL_GET_VP_STATE, partition_id,
				     vp_index, sd, pfns,
				     nr_pfns * sizeof(u64), out, out_sz);
}

/* PFN mode with @pfns, else the inline state in @bytes. */
static int mshv_hv_set_vp_state(u64 partition_id, u32 vp_index,
				const struct hv_vp_state_data *sd,
				const u64 *pfns, u32 nr_pfns,
				const void *bytes, size_t nr_bytes)
{
	if (nr_pfns)
		return mshv_hv_vp_state_call(HVCALL_SET_VP_STATE,
					     partition_id, vp_index, sd, pfns,
					     nr_pfns * sizeof(u64), NULL, 0);
	return mshv_hv_vp_state_call(HVCALL_SET_VP_STATE, partition_id,
				     vp_index, sd, bytes, nr_bytes, NULL, 0);
}

/*
 * The XSAVE area's size and components, read from the partition's
 * properties once.  Two VPs may race to fill the cache; they store the
 * same values, and the size is published last.
 */
static int mshv_vp_state_xsave(struct mshv_partition *pt, u32 *size,
			       u64 *states)
{
	u64 sz, st;
	int ret;

	/* Pairs with the release below: a size seen means states are set. */
	sz = smp_load_acquire(&pt->pt_xsave_size);
	if (sz) {
		*size = sz;
		*states = READ_ONCE(pt->pt_xsave_states);
		return 0;
	}

	ret = mshv_hv_get_partition_property(pt->pt_id,
					     HV_PARTITION_PROPERTY_MAX_XSAVE_DATA_SIZE,
					     &sz);
	if (ret)
		return ret;
	if (!sz || sz > MSHV_XSAVE_MAX_SIZE) {
		pr_err_ratelimited("mshv: partition %#llx: bad XSAVE size %llu\n",
				   pt->pt_id, sz);
		return -EIO;
	}
	ret = mshv_hv_get_partition_property(pt->pt_id,
					     HV_PARTITION_PROPERTY_XSAVE_STATES,
					     &st);
	if (ret)
		return ret;
	/* The legacy x87 and SSE parts are always part of the area. */
	st |= HV_X64_XSAVE_LEGACY_X87 | HV_X64_XSAVE_LEGACY_SSE;

	WRITE_ONCE(pt->pt_xsave_states, st);
	/* Publish the size last; pairs with the acquire above. */
	smp_store_release(&pt->pt_xsave_size, sz);
	*size = sz;
	*states = st;
	return 0;
}

/* Translate the uAPI type; @size receives the bytes the state needs. */
static int mshv_vp_state_describe(struct mshv_partition *pt, u8 type,
				  struct hv_vp_state_data *sd, u32 *size)
{
	memset(sd, 0, sizeof(*sd));
	switch (type) {
	case MSHV_VP_STATE_LAPIC:
		sd->type = HV_GET_SET_VP_STATE_LAPIC_STATE;
		*size = HV_HYP_PAGE_SIZE;
		return 0;
	case MSHV_VP_STATE_XSAVE:
		sd->type = HV_GET_SET_VP_STATE_XSAVE;
		return mshv_vp_state_xsave(pt, size, &sd->xsave_states);
	case MSHV_VP_STATE_SIMP:
		sd->type = HV_GET_SET_VP_STATE_SIM_PAGE;
		*size = HV_HYP_PAGE_SIZE;
		return 0;
	case MSHV_VP_STATE_SIEFP:
		sd->type = HV_GET_SET_VP_STATE_SIEF_PAGE;
		*size = HV_HYP_PAGE_SIZE;
		return 0;
	case MSHV_VP_STATE_SYNTHETIC_TIMERS:
		sd->type = HV_GET_SET_VP_STATE_SYNTHETIC_TIMERS;
		*size = sizeof(struct hv_synthetic_timers_state);
		return 0;
	default:
		return -EINVAL;
	}
}

/* PFN mode: pin the user buffer and pass its frames. */
static int mshv_vp_state_pfn(struct mshv_vp *vp,
			     const struct hv_vp_state_data *sd,
			     u64 uaddr, u32 size, bool set)
{
	u32 nr = DIV_ROUND_UP(size, PAGE_SIZE), i;
	struct page **pages;
	int pinned = 0, ret;
	u64 *pfns;

	if (nr > MSHV_VP_STATE_MAX_PFNS)
		return -EINVAL;
	pages = kcalloc(nr, sizeof(*pages), GFP_KERNEL);
	pfns = kcalloc(nr, sizeof(*pfns), GFP_KERNEL);
	if (!pages || !pfns) {
		ret = -ENOMEM;
		goto free;
	}

	/* The hypervisor writes the pages on a get, reads them on a set. */
	pinned = pin_user_pages_fast(uaddr, nr, set ? 0 : FOLL_WRITE, pages);
	if (pinned < 0) {
		ret = pinned;
		goto free;
	}
	if (pinned != nr) {
		ret = -EFAULT;
		goto unpin;
	}
	for (i = 0; i < nr; i++)
		pfns[i] = page_to_pfn(pages[i]);

	if (set)
		ret = mshv_hv_set_vp_state(vp->vp_pt->pt_id, vp->vp_index, sd,
					   pfns, nr, NULL, 0);
	else
		ret = mshv_hv_get_vp_state(vp->vp_pt->pt_id, vp->vp_index, sd,
					   pfns, nr, NULL, 0);
unpin:
	/* Dirty only what the hypervisor may have written into. */
	if (pinned > 0)
		unpin_user_pages_dirty_lock(pages, pinned, !set);
free:
	kfree(pfns);
	kfree(pages);
	return ret;
}

/* Inline mode: the state fits the hypercall page. */
static int mshv_vp_state_inline(struct mshv_vp *vp,
				const struct hv_vp_state_data *sd,
				void __user *ubuf, u32 size, bool set)
{
	union hv_output_get_vp_state state;
	int ret;

	if (WARN_ON_ONCE(size > sizeof(state)))
		return -EINVAL;
	if (set) {
		if (copy_from_user(&state, ubuf, size))
			return -EFAULT;
		return mshv_hv_set_vp_state(vp->vp_pt->pt_id, vp->vp_index,
					    sd, NULL, 0, &state, size);
	}
	ret = mshv_hv_get_vp_state(vp->vp_pt->pt_id, vp->vp_index, sd, NULL,
				   0, &state, size);
	if (ret)
		return ret;
	if (copy_to_user(ubuf, &state, size))
		return -EFAULT;
	return 0;
}

/**
 * mshv_vp_state_check() - validate an MSHV_GET/SET_VP_STATE argument
 * @args: the argument
 *
 * Return: 0, or -EINVAL for an unknown type, nonzero reserved bytes, or a
 * zero or unaligned buffer size or address.
 */
VISIBLE_IF_KUNIT int mshv_vp_state_check(const struct mshv_get_set_vp_state *args)
{
	if (args->type >= MSHV_VP_STATE_COUNT ||
	    memchr_inv(args->rsvd, 0, sizeof(args->rsvd)) ||
	    !args->buf_sz || !PAGE_ALIGNED(args->buf_sz) ||
	    !PAGE_ALIGNED(args->buf_ptr))
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mshv_vp_state_check);

/**
 * mshv_vp_get_set_state() - MSHV_GET_VP_STATE and MSHV_SET_VP_STATE
 * @vp: the VP, vp_mutex held
 * @uarg: struct mshv_get_set_vp_state
 * @set: MSHV_SET_VP_STATE
 *
 * Return: 0 or a negative errno.  -EINVAL when the buffer is smaller than
 * the state; buf_sz then holds the size needed.
 */
long mshv_vp_get_set_state(struct mshv_vp *vp, void __user *uarg, bool set)
{
	struct mshv_get_set_vp_state __user *user = uarg;
	struct mshv_get_set_vp_state args;
	struct hv_vp_state_data sd;
	u32 size;
	int ret;

	lockdep_assert_held(&vp->vp_mutex);

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (mshv_vp_state_check(&args))
		return -EINVAL;
	if (!access_ok(u64_to_user_ptr(args.buf_ptr), args.buf_sz))
		return -EFAULT;

	ret = mshv_vp_state_describe(vp->vp_pt, args.type, &sd, &size);
	if (ret)
		return ret;
	if (put_user(size, &user->buf_sz))
		return -EFAULT;
	if (size > args.buf_sz)
		return -EINVAL;

	if (sd.type & HV_GET_SET_VP_STATE_TYPE_PFN)
		return mshv_vp_state_pfn(vp, &sd, args.buf_ptr, size, set);
	return mshv_vp_state_inline(vp, &sd, u64_to_user_ptr(args.buf_ptr),
				    size, set);
}
