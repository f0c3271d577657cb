#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the test VM (busybox sh, in /mshv, with hvsim and mshv_root
# loaded): the selftests, the demo guests through mshv-run, and a clean
# unload of both modules.  Every step prints TAP lines.

cd /mshv || exit 1

(cd selftests && ./run_tests.sh)

# guest NAME EXPECTED: run a demo guest and check its serial output.
guest() {
	if out=$(./mshv-bin/mshv-run "mshv-bin/$1.bin" 2>/tmp/err) &&
		echo "$out" | grep -q "$2"; then
		echo "ok - mshv-run $1"
	else
		echo "not ok - mshv-run $1"
		cat /tmp/err
		echo "$out"
	fi
}

guest hello "Hello"
guest arith "Fibonacci: 0 1 1 2 3 5 8 13 .* 4181"

if rmmod hvsim && rmmod mshv_root; then
	echo "ok - modules unload"
else
	echo "not ok - modules unload"
fi

# Failures were reported above as TAP lines; the VM run itself succeeded.
exit 0
