#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# usage: vm-lifecycle.sh [OUTDIR]
# The driver's life around reboots, in two short boots of the test VM:
#
#  1. reboot: hvsim and mshv_root are loaded and the VM powers off with
#     them still loaded.  hvsim's lowest-priority reboot notifier WARNs if
#     the root SynIC is still enabled on any CPU (the real hypervisor
#     would hand it to a kexec'd kernel), so the console must be free of
#     splats: mshv_root's reboot notifier tore the SynIC down first;
#  2. kdump: a kernel booted with elfcorehdr= (is_kdump_kernel() is true;
#     the address holds no ELF header, so vmcore just gives up) refuses
#     to load mshv_root with ENODEV and says why.
#
# Prints a TAP line per boot; exits 1 if one failed.
set -uo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$top" || exit 2
out=${1:-build/lifecycle}
mkdir -p "$out"
modules="drivers/hv/mshv_root.ko drivers/hv/hvsim/hvsim.ko"
fail=0

echo "1..2"
log=$out/console-reboot.log
if bash tools/mshv/vm/vm-run.sh --modules "$modules" --log "$log" \
	-- 'test -e /dev/mshv' >/dev/null 2>&1 &&
	bash tools/mshv/vm/scan-log.sh "$log"; then
	echo "ok 1 lifecycle: power-off with the modules loaded leaves no SynIC enabled"
else
	echo "not ok 1 lifecycle: power-off with the modules loaded (see $log)"
	fail=1
fi

# Outside guest RAM (1G), inside the VM's physical address width.
log=$out/console-kdump.log
if bash tools/mshv/vm/vm-run.sh --files "drivers/hv/mshv_root.ko" \
	--append "elfcorehdr=0x4000000000" --log "$log" -- \
	'if insmod mshv_root.ko; then exit 1; fi
	 dmesg | grep -q "mshv: not loading in a kdump kernel"' \
	>/dev/null 2>&1 && bash tools/mshv/vm/scan-log.sh "$log"; then
	echo "ok 2 lifecycle: mshv_root refuses to load in a kdump kernel"
else
	echo "not ok 2 lifecycle: kdump kernel (see $log)"
	fail=1
fi
exit $fail
