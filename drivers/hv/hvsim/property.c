// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim partition and system properties.
 *
 * Properties are table-driven.  A property is read and written either
 * through callbacks or, by default, in hvsim_partition.props (indexed
 * like the table).  Rules, as the hypervisor applies them:
 *
 *  - an unknown code is UNKNOWN_PROPERTY; setting a read-only one is
 *    ACCESS_DENIED; a value outside the property's range is
 *    PROPERTY_VALUE_OUT_OF_RANGE;
 *  - "early" properties (privilege flags, synthetic processor features)
 *    can only be set before INITIALIZE_PARTITION, else
 *    INVALID_PARTITION_STATE;
 *  - the root (partition id SELF) answers reads of everything that
 *    describes the machine; its stored properties are not readable.
 *
 * SYNTHETIC_PROC_FEATURES is set asynchronously: the call answers
 * HV_STATUS_CALL_PENDING and a work item, async_delay_ms later, stores
 * the value and posts HVMSG_ASYNC_CALL_COMPLETION on SINT 0 of the CPU
 * that issued the call.  One such call may be in flight per partition; a
 * second one is refused with INVALID_PARTITION_STATE (the TLFS does not
 * say; the partition is "busy").
 */
#include <linux/cpufeature.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/processor.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <asm/tsc.h>

#include "hvsim.h"

#define HVSIM_PROP_SET		BIT(0)	/* settable */
#define HVSIM_PROP_EARLY	BIT(1)	/* settable only before initialize */
#define HVSIM_PROP_EX_ONLY	BIT(2)	/* read only via GET_PROPERTY_EX */
#define HVSIM_PROP_ASYNC	BIT(3)	/* set completes asynchronously */
#define HVSIM_PROP_MASK		BIT(4)	/* @max is a mask of valid bits */
#define HVSIM_PROP_BANKS	BIT(5)	/* EX output: bank count 1, then value */

/* XSAVE feature bits of the creation properties (disabled_xsave). */
#define HV_XSAVE_FEATURE_XSAVE		BIT_ULL(0)
#define HV_XSAVE_FEATURE_XSAVEOPT	BIT_ULL(1)
#define HV_XSAVE_FEATURE_AVX		BIT_ULL(2)
#define HV_XSAVE_FEATURE_AVX2		BIT_ULL(3)
#define HV_XSAVE_FEATURE_FMA		BIT_ULL(4)

/*
 * Synthetic processor features a VMM may assign: every bit the TLFS
 * defines for x64 in bank 0 (the gaps are reserved).
 */
#define HVSIM_ASSIGNABLE_SYNTH_FEATURES					\
	(GENMASK_ULL(40, 0) & ~(BIT_ULL(12) | BIT_ULL(13) | BIT_ULL(14) |	\
				BIT_ULL(16) | BIT_ULL(17) | BIT_ULL(19) |	\
				BIT_ULL(21) | BIT_ULL(23) | BIT_ULL(36) |	\
				BIT_ULL(39)))

static unsigned int hvsim_async_delay_ms = 1;
static atomic_t hvsim_async_posted = ATOMIC_INIT(0);
static void hvsim_async_complete(struct work_struct *work);
static struct workqueue_struct *hvsim_async_wq;

/**
 * struct hvsim_prop - a partition property
 * @code: HV_PARTITION_PROPERTY_*
 * @flags: HVSIM_PROP_*
 * @max: largest value a set may store (a mask with HVSIM_PROP_MASK)
 * @get: computes the value; NULL: the stored value
 * @set: applies a new value; NULL: store it
 */
struct hvsim_prop {
	u32 code;
	u32 flags;
	u64 max;
	u64 (*get)(struct hvsim_partition *pt);
	void (*set)(struct hvsim_partition *pt, u64 value);
};

static u64 hvsim_prop_clock_frequency(struct hvsim_partition *pt)
{
	return (u64)tsc_khz * 1000;
}

static u64 hvsim_prop_xsave_states(struct hvsim_partition *pt)
{
	return hvsim_xsave_states(pt);
}

static u64 hvsim_prop_max_xsave_size(struct hvsim_partition *pt)
{
	return hvsim_xsave_size(pt);
}

static u64 hvsim_prop_xsave_features(struct hvsim_partition *pt)
{
	u64 f = 0;

	if (boot_cpu_has(X86_FEATURE_XSAVE))
		f |= HV_XSAVE_FEATURE_XSAVE;
	if (boot_cpu_has(X86_FEATURE_XSAVEOPT))
		f |= HV_XSAVE_FEATURE_XSAVEOPT;
	if (boot_cpu_has(X86_FEATURE_AVX))
		f |= HV_XSAVE_FEATURE_AVX;
	if (boot_cpu_has(X86_FEATURE_AVX2))
		f |= HV_XSAVE_FEATURE_AVX2;
	if (boot_cpu_has(X86_FEATURE_FMA))
		f |= HV_XSAVE_FEATURE_FMA;
	return f & ~pt->disabled_xsave;
}

static u64 hvsim_prop_features0(struct hvsim_partition *pt)
{
	return hvsim_processor_features(0) & ~pt->disabled_features[0];
}

static u64 hvsim_prop_features1(struct hvsim_partition *pt)
{
	return hvsim_processor_features(1) & ~pt->disabled_features[1];
}

static u64 hvsim_prop_phys_bits(struct hvsim_partition *pt)
{
	return boot_cpu_data.x86_phys_bits;
}

static u64 hvsim_prop_vmm_caps(struct hvsim_partition *pt)
{
	return HV_VMM_CAP_ASSIGNABLE_SYNTHETIC_PROC_FEATURES;
}

static u64 hvsim_prop_assignable(struct hvsim_partition *pt)
{
	return HVSIM_ASSIGNABLE_SYNTH_FEATURES;
}

/* Reference time in 100 ns units; pt->lock held (or pt is the root). */
static u64 hvsim_ref_time(struct hvsim_partition *pt)
{
	if (pt->time_frozen)
		return pt->time_base;
	return pt->time_base + div_u64(ktime_get_ns() - pt->time_stamp, 100);
}

/**
 * hvsim_prop_reference_time() - the partition's reference time
 * @pt: the partition, locked
 *
 * Return: 100 ns units since creation, not counting frozen periods
 * (plus whatever REFERENCE_TIME set).
 */
u64 hvsim_prop_reference_time(struct hvsim_partition *pt)
{
	return hvsim_ref_time(pt);
}

static u64 hvsim_prop_get_ref_time(struct hvsim_partition *pt)
{
	return hvsim_ref_time(pt);
}

static void hvsim_prop_set_ref_time(struct hvsim_partition *pt, u64 value)
{
	pt->time_base = value;
	pt->time_stamp = ktime_get_ns();
}

static u64 hvsim_prop_get_freeze(struct hvsim_partition *pt)
{
	return pt->time_frozen;
}

static void hvsim_prop_set_freeze(struct hvsim_partition *pt, u64 value)
{
	if (!!value == pt->time_frozen)
		return;
	pt->time_base = hvsim_ref_time(pt);
	pt->time_stamp = ktime_get_ns();
	pt->time_frozen = value;
}

static const struct hvsim_prop hvsim_props[] = {
	{ HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS,
	  HVSIM_PROP_SET | HVSIM_PROP_EARLY, U64_MAX },
	{ HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
	  HVSIM_PROP_SET | HVSIM_PROP_EARLY | HVSIM_PROP_ASYNC |
	  HVSIM_PROP_MASK, HVSIM_ASSIGNABLE_SYNTH_FEATURES },
	{ HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION, HVSIM_PROP_SET,
	  HV_UNIMPLEMENTED_MSR_ACTION_IGNORE_WRITE_READ_ZERO },
	/* Set through hvsim_access_set_tracking(), which may refuse. */
	{ HV_PARTITION_PROPERTY_GPA_PAGE_ACCESS_TRACKING, HVSIM_PROP_SET, 1,
	  hvsim_access_get_tracking },
	{ HV_PARTITION_PROPERTY_TIME_FREEZE, HVSIM_PROP_SET, 1,
	  hvsim_prop_get_freeze, hvsim_prop_set_freeze },
	{ HV_PARTITION_PROPERTY_REFERENCE_TIME, HVSIM_PROP_SET, U64_MAX,
	  hvsim_prop_get_ref_time, hvsim_prop_set_ref_time },
	{ HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0, 0, 0,
	  hvsim_prop_features0 },
	{ HV_PARTITION_PROPERTY_PROCESSOR_FEATURES1, 0, 0,
	  hvsim_prop_features1 },
	{ HV_PARTITION_PROPERTY_PROCESSOR_XSAVE_FEATURES, 0, 0,
	  hvsim_prop_xsave_features },
	{ HV_PARTITION_PROPERTY_XSAVE_STATES, 0, 0, hvsim_prop_xsave_states },
	{ HV_PARTITION_PROPERTY_MAX_XSAVE_DATA_SIZE, 0, 0,
	  hvsim_prop_max_xsave_size },
	{ HV_PARTITION_PROPERTY_PROCESSOR_CLOCK_FREQUENCY, 0, 0,
	  hvsim_prop_clock_frequency },
	{ HV_PARTITION_PROPERTY_PHYSICAL_ADDRESS_WIDTH, 0, 0,
	  hvsim_prop_phys_bits },
	{ HV_PARTITION_PROPERTY_VMM_CAPABILITIES,
	  HVSIM_PROP_EX_ONLY | HVSIM_PROP_BANKS, 0, hvsim_prop_vmm_caps },
	/*
	 * struct hv_partition_property_assignable_synthetic_proc_features:
	 * a bank count, then one union hv_partition_synthetic_processor_features.
	 */
	{ HV_PARTITION_PROPERTY_ASSIGNABLE_SYNTHETIC_PROC_FEATURES,
	  HVSIM_PROP_EX_ONLY | HVSIM_PROP_BANKS, 0, hvsim_prop_assignable },
};

static_assert(ARRAY_SIZE(hvsim_props) <= HVSIM_NR_PROPS);

static const struct hvsim_prop *hvsim_prop_find(u32 code)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hvsim_props); i++)
		if (hvsim_props[i].code == code)
			return &hvsim_props[i];
	return NULL;
}

/**
 * hvsim_prop_peek() - a stored property's value, read without the lock
 * @pt: the partition
 * @code: HV_PARTITION_PROPERTY_* of a stored (not computed) property
 *
 * For readers that cannot take pt->lock (the interpreter's callbacks).
 *
 * Return: the value, 0 for other codes.
 */
u64 hvsim_prop_peek(struct hvsim_partition *pt, u32 code)
{
	const struct hvsim_prop *prop = hvsim_prop_find(code);

	if (!prop || prop->get)
		return 0;
	return READ_ONCE(pt->props[prop - hvsim_props]);
}

/**
 * hvsim_prop_init() - property state of a new partition
 * @pt: the partition (child, or the root with @in NULL)
 * @in: the CREATE_PARTITION input, or NULL
 */
void hvsim_prop_init(struct hvsim_partition *pt,
		     const struct hv_input_create_partition *in)
{
	const struct hv_partition_creation_properties *cp;

	pt->time_stamp = ktime_get_ns();
	INIT_WORK(&pt->async.work, hvsim_async_complete);
	if (!in)
		return;
	cp = &in->partition_creation_properties;
	memcpy(pt->disabled_features, cp->disabled_processor_features,
	       sizeof(pt->disabled_features));
	pt->disabled_xsave = cp->disabled_processor_xsave_features;
}

static u16 hvsim_prop_read(u64 pt_id, u32 code, bool ex, u64 *value,
			   bool *banks)
{
	const struct hvsim_prop *prop = hvsim_prop_find(code);
	struct hvsim_partition *pt;
	u16 status;

	if (!prop || (!ex && (prop->flags & HVSIM_PROP_EX_ONLY)))
		return HV_STATUS_UNKNOWN_PROPERTY;
	status = hvsim_pt_get_locked(pt_id, HVSIM_PT_ANY, &pt);
	if (status)
		return status;
	*banks = prop->flags & HVSIM_PROP_BANKS;
	if (pt->state == HVSIM_PT_ROOT && (prop->flags & HVSIM_PROP_SET))
		status = HV_STATUS_ACCESS_DENIED;
	else if (prop->get)
		*value = prop->get(pt);
	else
		*value = pt->props[prop - hvsim_props];
	hvsim_pt_unlock_put(pt);
	return status;
}

/* HVCALL_GET_PARTITION_PROPERTY */
u16 hvsim_hc_get_property(struct hvsim_hc *hc)
{
	const struct hv_input_get_partition_property *in = hc->in;
	struct hv_output_get_partition_property *out = hc->out;
	bool banks;
	u64 value;
	u16 status;

	if (in->padding)
		return HV_STATUS_INVALID_PARAMETER;
	status = hvsim_prop_read(in->partition_id, in->property_code, false,
				 &value, &banks);
	if (!status)
		out->property_value = value;
	return status;
}

/*
 * HVCALL_GET_PARTITION_PROPERTY_EX: the output is a property-specific
 * structure.  Plain properties are a u64 followed by zeroes; the bank
 * sets (VMM capabilities, assignable synthetic processor features) are a
 * u16 bank count (1), three reserved u16, then bank 0 at byte 8.
 */
u16 hvsim_hc_get_property_ex(struct hvsim_hc *hc)
{
	const struct hv_input_get_partition_property_ex *in = hc->in;
	u64 *out = hc->out;
	bool banks;
	u64 value;
	u16 status;

	if (in->padding || in->arg)
		return HV_STATUS_INVALID_PARAMETER;
	status = hvsim_prop_read(in->partition_id, in->property_code, true,
				 &value, &banks);
	if (status)
		return status;
	if (banks) {
		out[0] = 1;
		out[1] = value;
	} else {
		out[0] = value;
		out[1] = 0;
	}
	return HV_STATUS_SUCCESS;
}

/* Post the completion of @pt's asynchronous call on some CPU's SINT 0. */
static void hvsim_async_post(struct hvsim_partition *pt, unsigned int cpu,
			     u16 status, u32 count)
{
	struct hv_async_completion_message_payload *p;
	struct hv_message msg = {};
	unsigned int other;

	msg.header.message_type = HVMSG_ASYNC_CALL_COMPLETION;
	msg.header.payload_size = sizeof(*p);
	p = (void *)msg.u.payload;
	p->partition_id = pt->id;
	p->status = status;
	p->completion_count = count;

	/*
	 * Count first: the root may act on the message (and look at the
	 * count) before hvsim_post_root_message() even returns.
	 */
	atomic_inc(&hvsim_async_posted);
	if (!hvsim_post_root_message(cpu, HV_SYNIC_INTERCEPTION_SINT_INDEX,
				     &msg))
		return;
	/* That CPU's SynIC went away: any CPU will do. */
	for_each_online_cpu(other)
		if (!hvsim_post_root_message(other,
					     HV_SYNIC_INTERCEPTION_SINT_INDEX,
					     &msg))
			return;
	atomic_dec(&hvsim_async_posted);
	pr_warn_ratelimited("hvsim: async completion of partition %llu lost\n",
			    pt->id);
}

static void hvsim_async_complete(struct work_struct *work)
{
	struct hvsim_partition *pt = container_of(work, struct hvsim_partition,
						  async.work);
	const struct hvsim_prop *prop;
	unsigned int cpu;
	u16 status;
	u32 count;

	msleep(READ_ONCE(hvsim_async_delay_ms));

	mutex_lock(&pt->lock);
	prop = hvsim_prop_find(pt->async.code);
	if (pt->state != HVSIM_PT_CREATED && pt->state != HVSIM_PT_INITIALIZED)
		status = HV_STATUS_INVALID_PARTITION_STATE;
	else if ((prop->flags & HVSIM_PROP_EARLY) &&
		 pt->state != HVSIM_PT_CREATED)
		status = HV_STATUS_INVALID_PARTITION_STATE;
	else
		status = HV_STATUS_SUCCESS;
	if (!status)
		WRITE_ONCE(pt->props[prop - hvsim_props], pt->async.value);
	pt->async.busy = false;
	count = ++pt->async.count;
	cpu = pt->async.cpu;
	mutex_unlock(&pt->lock);

	hvsim_async_post(pt, cpu, status, count);
	hvsim_pt_put(pt);
}

/* Start an asynchronous set; pt->lock held. */
static u16 hvsim_async_start(struct hvsim_partition *pt,
			     const struct hvsim_prop *prop, u64 value)
{
	lockdep_assert_held(&pt->lock);

	if (pt->async.busy)
		return HV_STATUS_INVALID_PARTITION_STATE;
	pt->async.busy = true;
	pt->async.code = prop->code;
	pt->async.value = value;
	pt->async.cpu = raw_smp_processor_id();
	/* The work drops this reference; it may free the partition. */
	kref_get(&pt->ref);
	queue_work(hvsim_async_wq, &pt->async.work);
	return HV_STATUS_CALL_PENDING;
}

/* HVCALL_SET_PARTITION_PROPERTY */
u16 hvsim_hc_set_property(struct hvsim_hc *hc)
{
	const struct hv_input_set_partition_property *in = hc->in;
	const struct hvsim_prop *prop;
	struct hvsim_partition *pt;
	u64 value = in->property_value;
	u16 status;

	if (in->padding)
		return HV_STATUS_INVALID_PARAMETER;
	prop = hvsim_prop_find(in->property_code);
	if (!prop)
		return HV_STATUS_UNKNOWN_PROPERTY;
	if (!(prop->flags & HVSIM_PROP_SET))
		return HV_STATUS_ACCESS_DENIED;
	if ((prop->flags & HVSIM_PROP_MASK) ? (value & ~prop->max) :
					      value > prop->max)
		return HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE;

	status = hvsim_pt_get_locked(in->partition_id,
				     HVSIM_PT_IS(CREATED) |
				     HVSIM_PT_IS(INITIALIZED), &pt);
	if (status)
		return status;
	if ((prop->flags & HVSIM_PROP_EARLY) &&
	    pt->state != HVSIM_PT_CREATED)
		status = HV_STATUS_INVALID_PARTITION_STATE;
	else if (prop->code == HV_PARTITION_PROPERTY_REFERENCE_TIME &&
		 !pt->time_frozen)
		/* The clock may only be moved while it stands still. */
		status = HV_STATUS_INVALID_PARTITION_STATE;
	else if (prop->code == HV_PARTITION_PROPERTY_GPA_PAGE_ACCESS_TRACKING)
		status = hvsim_access_set_tracking(pt, value);
	else if (prop->flags & HVSIM_PROP_ASYNC)
		status = hvsim_async_start(pt, prop, value);
	else if (prop->set)
		prop->set(pt, value);
	else
		WRITE_ONCE(pt->props[prop - hvsim_props], value);
	hvsim_pt_unlock_put(pt);
	return status;
}

/* HVCALL_GET_SYSTEM_PROPERTY: only the scheduler type so far. */
u16 hvsim_hc_get_system_property(struct hvsim_hc *hc)
{
	const struct hv_input_get_system_property *in = hc->in;
	struct hv_output_get_system_property *out = hc->out;

	if (in->reserved || in->arg)
		return HV_STATUS_INVALID_PARAMETER;
	if (in->property_id != HV_SYSTEM_PROPERTY_SCHEDULER_TYPE)
		return HV_STATUS_UNKNOWN_PROPERTY;
	out->scheduler_type = hvsim_sched_type();
	out->reserved = 0;
	return HV_STATUS_SUCCESS;
}

/**
 * hvsim_async_init() - create the workqueue of asynchronous completions
 *
 * Return: 0 or -ENOMEM.
 */
int hvsim_async_init(void)
{
	hvsim_async_wq = alloc_workqueue("hvsim_async", 0, 0);
	return hvsim_async_wq ? 0 : -ENOMEM;
}

/**
 * hvsim_async_exit() - wait for every asynchronous completion, then free
 *	the workqueue
 */
void hvsim_async_exit(void)
{
	if (hvsim_async_wq)
		destroy_workqueue(hvsim_async_wq);
	hvsim_async_wq = NULL;
}

/**
 * hvsim_async_debugfs_init() - the async_delay_ms knob and the count of
 *	completion messages posted to the root
 * @parent: hvsim's debugfs directory
 */
void hvsim_async_debugfs_init(struct dentry *parent)
{
	debugfs_create_u32("async_delay_ms", 0644, parent,
			   &hvsim_async_delay_ms);
	debugfs_create_atomic_t("async_completions", 0444, parent,
				&hvsim_async_posted);
}
