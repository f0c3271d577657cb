#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Code-level checks of arch/x86/hyperv/mshv_hyperv.c, the real-hardware
# platform, which cannot run here (no Microsoft Hypervisor under the test
# VM).  They are static: they read the source, they do not prove the code
# works on Hyper-V.  Each check prints a TAP line; exit 1 if one failed.
#
#  1. the root's SynIC MSRs go through hv_{get,set}_non_nested_msr():
#     no call of hv_get_msr()/hv_set_msr(), which on a nested root
#     reach the outer hypervisor's nested copies;
#  2. the module refuses to load on a nested root, where VMBus owns the
#     only callback-vector hook of 6.12;
#  3. SINT registers are written from fresh values: no SINT MSR is read.
set -uo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
src=$top/arch/x86/hyperv/mshv_hyperv.c
n=0 fail=0

# The source without comments, one statement per line as written.
code=$(sed -e 's://.*$::' "$src" | perl -0pe 's:/\*.*?\*/::gs')

check() {
	n=$((n + 1))
	if "$2"; then
		echo "ok $n mshv_hyperv: $1"
	else
		echo "not ok $n mshv_hyperv: $1"
		fail=1
	fi
}

no_nested_accessors() {
	! grep -nE '\bhv_(get|set)_msr\(' <<<"$code"
}

refuses_nested() {
	grep -qE 'if \(hv_nested\)' <<<"$code" &&
		grep -qE 'hv_get_non_nested_msr' <<<"$code" &&
		grep -qE 'hv_set_non_nested_msr' <<<"$code"
}

sint_not_read() {
	! grep -nE '(rdmsr|get_non_nested_msr|get_msr)\(HV_MSR_SINT' <<<"$code"
}

echo "1..3"
check "SynIC MSRs through the non-nested accessors" no_nested_accessors
check "refuses to load on a nested root" refuses_nested
check "SINT registers written from fresh values" sint_not_read
exit $fail
