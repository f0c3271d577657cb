#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: every test of the project, ending with "N passed, N failed".
#
#  1. static checks on the host: W=1 + sparse build, checkpatch --strict;
#  2. userspace programs and selftests are built;
#  3. one QEMU boot of the 6.12 kernel: hvsim and mshv_root are loaded,
#     the selftests and the demo guests run, the modules are unloaded;
#  4. the console log is scanned for kernel splats, and every TAP result
#     (static checks included) is counted.
# Exits non-zero if anything failed or any splat was seen.
set -uo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$top"
out=build/check
rm -rf "$out"
mkdir -p "$out"
static_log=$out/static.tap
console=$out/console.log

start=$(date +%s)
n=0
# record NAME COMMAND...: run a host-side check and log a TAP line for it.
record() {
	local name=$1
	shift
	n=$((n + 1))
	if "$@" >"$out/$name.log" 2>&1; then
		echo "ok $n host: $name" | tee -a "$static_log"
	else
		echo "not ok $n host: $name (see $out/$name.log)" | tee -a "$static_log"
		tail -n 20 "$out/$name.log"
	fi
}

record build-w1-sparse bash tools/mshv/scripts/build-checked.sh "$out/kbuild.log"
record checkpatch bash tools/mshv/scripts/checkpatch.sh
# The interpreter's unit tests and differential checks against the host
# CPU, in userspace; each case is one TAP line.
cpu_tap=$out/hvsim-cpu.tap
if ! make -s -C tools/testing/hvsim-cpu run >"$cpu_tap" 2>&1 &&
	! grep -q '^not ok' "$cpu_tap"; then
	echo "not ok - hvsim-cpu harness did not run (see $cpu_tap)" >>"$cpu_tap"
fi

record tools make -C tools/mshv
record selftests-build make -C tools/testing/selftests/mshv

modules="drivers/hv/mshv_root.ko drivers/hv/hvsim/hvsim.ko"
# The VM gets: selftests/ (the selftest build), mshv-bin/ (mshv-run and the
# demo guests) and the in-guest driver script.
stage=$out/vmfiles
mkdir -p "$stage/selftests" "$stage/mshv-bin"
cp -r tools/testing/selftests/mshv/build/. "$stage/selftests/"
cp tools/mshv/build/mshv-run tools/mshv/build/*.bin "$stage/mshv-bin/"
cp tools/mshv/scripts/guest-tests.sh "$stage/"
files="$stage/selftests $stage/mshv-bin $stage/guest-tests.sh"

bash tools/mshv/vm/vm-run.sh --modules "$modules" --files "$files" \
	--log "$console" --timeout 900 -- ./guest-tests.sh
rc=$?
# guest-tests.sh reports every failure as a TAP line and exits 0, so a
# non-zero status here means the VM itself failed (panic, timeout).
if [ "$rc" -ne 0 ]; then
	echo "MSHV-RESULT: FAIL vm-run (exit $rc)" >>"$console"
fi

splats=0
if ! bash tools/mshv/vm/scan-log.sh "$console" >"$out/splats.txt"; then
	splats=1
	echo "Kernel splats in the guest log:"
	cat "$out/splats.txt"
fi

echo "check: $(($(date +%s) - start)) s; logs in $out/"
bash tools/mshv/vm/count-results.sh "$static_log" "$cpu_tap" "$console"
counted=$?
[ "$counted" -eq 0 ] && [ "$splats" -eq 0 ]
