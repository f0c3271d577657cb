// SPDX-License-Identifier: GPL-2.0
/*
 * hvsim partition and system properties.
 *
 * Properties are table-driven: a property is either settable (its value
 * lives in hvsim_partition.props, indexed like the table) or a read-only
 * value computed by a callback.  Read-only properties can also be read on
 * the root partition.
 */
#include <linux/string.h>
#include <asm/tsc.h>

#include "hvsim.h"

#define HVSIM_PROP_SET		BIT(0)	/* settable */
#define HVSIM_PROP_EARLY	BIT(1)	/* settable only before initialize */
#define HVSIM_PROP_EX_ONLY	BIT(2)	/* read only via GET_PROPERTY_EX */

/**
 * struct hvsim_prop - a partition property
 * @code: HV_PARTITION_PROPERTY_*
 * @flags: HVSIM_PROP_*
 * @max: largest value a set may store
 * @value: read-only properties: computes the value
 */
struct hvsim_prop {
	u32 code;
	u32 flags;
	u64 max;
	u64 (*value)(void);
};

static u64 hvsim_prop_clock_frequency(void)
{
	return (u64)tsc_khz * 1000;
}

static u64 hvsim_prop_max_xsave_size(void)
{
	return HV_HYP_PAGE_SIZE;
}

static u64 hvsim_prop_zero(void)
{
	return 0;
}

static const struct hvsim_prop hvsim_props[] = {
	{ HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS,
	  HVSIM_PROP_SET | HVSIM_PROP_EARLY, U64_MAX },
	{ HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
	  HVSIM_PROP_SET | HVSIM_PROP_EARLY, U64_MAX },
	{ HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION, HVSIM_PROP_SET, 1 },
	{ HV_PARTITION_PROPERTY_GPA_PAGE_ACCESS_TRACKING, HVSIM_PROP_SET, 1 },
	{ HV_PARTITION_PROPERTY_PROCESSOR_CLOCK_FREQUENCY, 0, 0,
	  hvsim_prop_clock_frequency },
	{ HV_PARTITION_PROPERTY_MAX_XSAVE_DATA_SIZE, 0, 0,
	  hvsim_prop_max_xsave_size },
	/* A bank count of 0: no optional VMM capabilities. */
	{ HV_PARTITION_PROPERTY_VMM_CAPABILITIES, HVSIM_PROP_EX_ONLY, 0,
	  hvsim_prop_zero },
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

static u16 hvsim_prop_read(u64 pt_id, u32 code, bool ex, u64 *value)
{
	const struct hvsim_prop *prop = hvsim_prop_find(code);
	struct hvsim_partition *pt;
	u16 status;

	if (!prop || (!ex && (prop->flags & HVSIM_PROP_EX_ONLY)))
		return HV_STATUS_UNKNOWN_PROPERTY;
	status = hvsim_pt_get_locked(pt_id, HVSIM_PT_ANY, &pt);
	if (status)
		return status;
	if (prop->value)
		*value = prop->value();
	else if (pt->state == HVSIM_PT_ROOT)
		status = HV_STATUS_ACCESS_DENIED;
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
	u64 value;
	u16 status;

	if (in->padding)
		return HV_STATUS_INVALID_PARAMETER;
	status = hvsim_prop_read(in->partition_id, in->property_code, false,
				 &value);
	if (!status)
		out->property_value = value;
	return status;
}

/*
 * HVCALL_GET_PARTITION_PROPERTY_EX: the output is a property-specific
 * structure; every property hvsim has fits a u64 followed by zeroes.
 */
u16 hvsim_hc_get_property_ex(struct hvsim_hc *hc)
{
	const struct hv_input_get_partition_property_ex *in = hc->in;
	u64 *out = hc->out;
	u64 value;
	u16 status;

	if (in->padding || in->arg)
		return HV_STATUS_INVALID_PARAMETER;
	status = hvsim_prop_read(in->partition_id, in->property_code, true,
				 &value);
	if (!status) {
		out[0] = value;
		out[1] = 0;
	}
	return status;
}

/* HVCALL_SET_PARTITION_PROPERTY */
u16 hvsim_hc_set_property(struct hvsim_hc *hc)
{
	const struct hv_input_set_partition_property *in = hc->in;
	const struct hvsim_prop *prop;
	struct hvsim_partition *pt;
	u16 status;

	if (in->padding)
		return HV_STATUS_INVALID_PARAMETER;
	prop = hvsim_prop_find(in->property_code);
	if (!prop)
		return HV_STATUS_UNKNOWN_PROPERTY;
	if (!(prop->flags & HVSIM_PROP_SET))
		return HV_STATUS_ACCESS_DENIED;
	if (in->property_value > prop->max)
		return HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE;

	status = hvsim_pt_get_locked(in->partition_id,
				     HVSIM_PT_IS(CREATED) |
				     HVSIM_PT_IS(INITIALIZED), &pt);
	if (status)
		return status;
	if ((prop->flags & HVSIM_PROP_EARLY) &&
	    pt->state != HVSIM_PT_CREATED)
		status = HV_STATUS_INVALID_PARTITION_STATE;
	else
		pt->props[prop - hvsim_props] = in->property_value;
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
	out->scheduler_type = HV_SCHEDULER_TYPE_ROOT;
	out->reserved = 0;
	return HV_STATUS_SUCCESS;
}
