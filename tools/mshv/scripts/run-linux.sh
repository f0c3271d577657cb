#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot Debian's own kernel (the one the test VM runs) with a busybox
# initramfs through /dev/mshv: the test VM loads hvsim and mshv_root, and
# mshv-run boots the guest with a virtio disk.  The guest's console
# appears on the terminal; after the guest powers off, the VM checks what
# the guest wrote to the disk file.
#
# usage: run-linux.sh [--smp N] [--engine svm|interp] [--log FILE]
#                     [--timeout S] [-- MSHV-RUN-ARGS...]
# The guest runs on hvsim's SVM engine by default (the interpreter has
# no SSE and is far too slow for a Linux boot).
set -euo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$top"
smp=1 engine=svm log=build/run/linux.log timeout_s=900
while (($#)); do
	case $1 in
	--smp) smp=$2; shift 2 ;;
	--engine) engine=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--) shift; break ;;
	*) sed -n "10,11s/^# \\{0,1\\}//p" "$0" >&2; exit 2 ;;
	esac
done

vmlinuz=$(bash tools/mshv/vm/kernel-paths.sh VMLINUZ)
stage=build/run/linux
mkdir -p "$stage"
bash tools/mshv/guest-linux/mkinitramfs.sh "$stage/guest.cpio.gz"

extra=""
for a in "$@"; do
	extra+=" '${a//\'/\'\\\'\'}'"
done

cmd="
echo $engine >/sys/module/hvsim/parameters/engine || exit 125
dd if=/dev/zero of=/tmp/disk.img bs=1M count=8 2>/dev/null
echo 'marker written by the host' | dd of=/tmp/disk.img conv=notrunc 2>/dev/null
t0=\$(cut -d' ' -f1 /proc/uptime)
./mshv-run --kernel $(basename "$vmlinuz") --initrd guest.cpio.gz \
	--disk /tmp/disk.img --smp $smp --mem 256M $extra
rc=\$?
t1=\$(cut -d' ' -f1 /proc/uptime)
echo \"host: mshv-run exited with \$rc after \$t0 -> \$t1 s\"
back=\$(dd if=/tmp/disk.img bs=4096 skip=1 count=1 2>/dev/null | tr -d '\\000' | head -n 1)
echo \"host: disk block 1 says: \$back\"
[ \"\$back\" = 'written by the mshv-run guest' ] && echo 'host: ok - disk file written by the guest'
exit \$rc
"

exec bash tools/mshv/vm/vm-run.sh \
	--modules "drivers/hv/mshv_root.ko drivers/hv/hvsim/hvsim.ko" \
	--files "tools/mshv/build/mshv-run $vmlinuz $stage/guest.cpio.gz" \
	--mem 2G --timeout "$timeout_s" --log "$log" -- "$cmd"
