#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the modules with W=1 and sparse (C=2 checks every file, not only
# the ones that were recompiled) and fail on any compiler or sparse
# warning.  Usage: build-checked.sh LOGFILE [extra make arguments...]
set -euo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
log=$1
shift
mkdir -p "$(dirname "$log")"

kdir=$(bash "$top/tools/mshv/vm/kernel-paths.sh" KDIR)
status=0
make -C "$kdir" M="$top" CONFIG_MSHV_ROOT=m CONFIG_MSHV_HVSIM=m \
	CONFIG_MSHV_HVSIM_X86_INTERP=y \
	W=1 C=2 "$@" modules >"$log" 2>&1 || status=$?

# Sparse reports "warning:"/"error:" too, so one pattern covers both tools.
if [ "$status" -ne 0 ] || grep -E -q '(warning|error):' "$log"; then
	grep -E '(warning|error):' "$log" || tail -n 30 "$log"
	echo "build-checked: FAILED (see $log)" >&2
	exit 1
fi
echo "build-checked: modules built with W=1 and sparse, no warnings"
