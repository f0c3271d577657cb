// SPDX-License-Identifier: GPL-2.0
/*
 * mshv_root: instantiates the tracepoints declared in mshv_trace.h.
 */

#define CREATE_TRACE_POINTS
#include "mshv_trace.h"
