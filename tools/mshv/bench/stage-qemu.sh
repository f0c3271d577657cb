#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stage the host's qemu-system-x86_64 for the test VM (boot-bench.sh runs
# it there with KVM): the binary, the shared libraries it links (ldd),
# the dynamic loader, and the firmware a q35 machine booting a kernel
# with -kernel needs (qboot, the linuxboot_dma option ROM, kvmvapic).
# The test VM's busybox initramfs has no /lib: boot-bench.sh starts QEMU
# through the staged loader with --library-path.
#
# usage: stage-qemu.sh OUTDIR
set -euo pipefail

out=${1:?usage: stage-qemu.sh OUTDIR}
qemu=$(command -v qemu-system-x86_64) ||
	{ echo "stage-qemu: no qemu-system-x86_64 (make deps)" >&2; exit 1; }
fw="qboot.rom linuxboot_dma.bin kvmvapic.bin"

rm -rf "$out.tmp"
mkdir -p "$out.tmp/fw"
cp -L "$qemu" "$out.tmp/qemu-system-x86_64"
# "libX.so => /path (addr)" and the loader's own "/lib64/ld-... (addr)".
ldd "$qemu" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
while read -r lib; do
	cp -L "$lib" "$out.tmp/"
done
[[ -e $out.tmp/ld-linux-x86-64.so.2 ]] ||
	{ echo "stage-qemu: no ld-linux-x86-64.so.2 in ldd's list" >&2; exit 1; }
for f in $fw; do
	cp -L "/usr/share/qemu/$f" "$out.tmp/fw/" ||
		{ echo "stage-qemu: no /usr/share/qemu/$f" >&2; exit 1; }
done
rm -rf "$out"
mv "$out.tmp" "$out"
