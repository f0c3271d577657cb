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
#                     [--timeout S] [--kernel BZIMAGE --modules "KOS"]
#                     [-- MSHV-RUN-ARGS...]
# The guest runs on hvsim's SVM engine by default (the interpreter has
# no SSE and is far too slow for a Linux boot).  --kernel and --modules
# pick the test VM's kernel and the modules built for it (make check's
# debug kernel); the guest is always Debian's kernel.
set -euo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$top"
smp=1 engine=svm log=build/run/linux.log timeout_s=900
vm_kernel=() modules="drivers/hv/mshv_root.ko drivers/hv/hvsim/hvsim.ko"
while (($#)); do
	case $1 in
	--smp) smp=$2; shift 2 ;;
	--engine) engine=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--kernel) vm_kernel=(--kernel "$2"); shift 2 ;;
	--modules) modules=$2; shift 2 ;;
	--) shift; break ;;
	*) sed -n "10,12s/^# \\{0,1\\}//p" "$0" >&2; exit 2 ;;
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

# In the VM: a disk with a marker, mshv-run stamping each guest line with
# its own clock (--stamp, for the wall-clock check), a line typed on
# the guest's hvc0 (--console virtio) once the guest wrote to it, then
# the host-side checks.  Exit
# code: mshv-run's, or 1 if a check failed.
cmd="
echo $engine >/sys/module/hvsim/parameters/engine || exit 125
dd if=/dev/zero of=/tmp/disk.img bs=1M count=8 2>/dev/null
echo 'marker written by the host' | dd of=/tmp/disk.img conv=notrunc 2>/dev/null
t0=\$(cut -d' ' -f1 /proc/uptime)
{
	for i in \$(seq 1200); do
		grep -q 'hello from hvc0' /tmp/out.txt 2>/dev/null && break
		sleep 0.2
	done
	echo 'typed on the host'
} |
./mshv-run --kernel $(basename "$vmlinuz") --initrd guest.cpio.gz \
	--disk /tmp/disk.img --smp $smp --mem 256M --console virtio --stats \
	--stamp $extra 2>&1 | tee /tmp/out.txt
t1=\$(cut -d' ' -f1 /proc/uptime)
echo \"host: mshv-run ran \$t0 -> \$t1 s of VM uptime\"
# What the engine did (exits by code, nested page table leaves, ...).
sed \"s/^/# $engine /\" /sys/kernel/debug/hvsim/engine 2>/dev/null
rc=0
back=\$(dd if=/tmp/disk.img bs=4096 skip=1 count=1 2>/dev/null | tr -d '\\000' | head -n 1)
if [ \"\$back\" = 'written by the mshv-run guest' ]; then
	echo 'host: ok - the disk file has what the guest wrote'
else
	echo \"host: not ok - disk block 1 says '\$back'\"; rc=1
fi
grep -q 'disk says: marker written by the host' /tmp/out.txt &&
	echo 'host: ok - the guest read the host marker' ||
	{ echo 'host: not ok - guest did not read the marker'; rc=1; }
grep -q 'hvc0 read: typed on the host' /tmp/out.txt &&
	echo 'host: ok - virtio-console input' ||
	{ echo 'host: not ok - virtio-console input'; rc=1; }
grep -q 'guest: $smp cpus,' /tmp/out.txt &&
	echo 'host: ok - the guest runs on $smp cpus' ||
	{ echo 'host: not ok - the guest does not see $smp cpus'; rc=1; }
grep -q 'guest halted' /tmp/out.txt &&
	echo 'host: ok - poweroff ended mshv-run' ||
	{ echo 'host: not ok - no clean poweroff'; rc=1; }
# XSAVE: the guest's kernel enabled it (every CPU the SVM engine runs
# on has it).  Its paging depth is shown: 5-level where the CPU has LA57.
grep -q 'guest: x86/fpu: Enabled xstate features' /tmp/out.txt &&
	echo 'host: ok - the guest kernel uses XSAVE' ||
	{ echo 'host: not ok - the guest kernel does not use XSAVE'; rc=1; }
grep -h 'guest: paging:' /tmp/out.txt | sed 's/.*guest: /host: the guest says: /'
# The guest's clock against the VM's over the guest's sleep 1: the sleep
# lasts at least 0.9 s of wall time, and the guest's clock advances by
# the wall time +-10%.  The wall time is mshv-run's stamp of each line
# (when the guest wrote it), not when a busy VM gets round to reading
# the pipe.  (How late the sleep ends depends on the load of the
# machine; the rate of the guest's clock does not.)
s=\$(awk '/guest: sleep-start/ { sub(\"mshv-run@\", \"\", \$1); print \$1, \$4 }' /tmp/out.txt)
e=\$(awk '/guest: sleep-end/ { sub(\"mshv-run@\", \"\", \$1); print \$1, \$4 }' /tmp/out.txt)
if [ -n \"\$s\" ] && [ -n \"\$e\" ]; then
	set -- \$s \$e
	w=\$(awk -v s=\$1 -v e=\$3 'BEGIN { printf \"%d\", (e - s) * 1000 }')
	g=\$(awk -v s=\$2 -v e=\$4 'BEGIN { printf \"%d\", (e - s) * 1000 }')
	if [ \$w -ge 900 ] && [ \$((g * 10)) -ge \$((w * 9)) ] &&
	   [ \$((g * 10)) -le \$((w * 11)) ]; then
		echo \"host: ok - guest sleep 1: \$w ms of wall time, \$g ms of guest time\"
	else
		echo \"host: not ok - guest sleep 1: \$w ms of wall time, \$g ms of guest time\"; rc=1
	fi
else
	echo 'host: not ok - no sleep timing'; rc=1
fi
exit \$rc
"

exec bash tools/mshv/vm/vm-run.sh "${vm_kernel[@]}" --modules "$modules" \
	--files "tools/mshv/build/mshv-run $vmlinuz $stage/guest.cpio.gz" \
	--mem 2G --timeout "$timeout_s" --log "$log" -- "$cmd"
