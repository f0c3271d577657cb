#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the Linux guest that mshv-run boots (busybox sh).  Loads the
# virtio modules, reports what the guest sees, exercises the virtio disk
# and console, then powers off.  Every check prints one "guest: ok - ..."
# or "guest: not ok - ..." line; the host side greps for them.
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

for m in /modules/*.ko; do
	[ -e "$m" ] && insmod "$m"
done

t0=$(cut -d' ' -f1 /proc/uptime)
echo "guest: userspace after ${t0}s of kernel uptime"
echo "guest: $(uname -a)"
echo "guest: $(grep -c ^processor /proc/cpuinfo) cpus, clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
# What the kernel made of the CPU: the XSAVE features it enabled (none
# with noxsave) and its paging depth (the la57 flag stays only when it
# runs with 5-level paging).
fpu=$(dmesg | grep -m1 'x86/fpu: Enabled xstate' | sed 's/^\[[^]]*\] //')
echo "guest: ${fpu:-x86/fpu: no XSAVE}"
grep -q -w la57 /proc/cpuinfo && echo "guest: paging: 5-level" ||
	echo "guest: paging: 4-level"

ok() { echo "guest: ok - $*"; }
nok() { echo "guest: not ok - $*"; }

# "mshv_bench" on the command line (tools/mshv/bench/boot-bench.sh, the
# same guest under mshv-run and under QEMU/KVM): disk throughput only,
# then power off.  32 MiB written, then read, with O_DIRECT at 1 MiB,
# each timed with the guest's clock.
case " $(cat /proc/cmdline) " in
*" mshv_bench "*)
	if [ -b /dev/vda ]; then
		a=$(cut -d' ' -f1 /proc/uptime)
		dd if=/dev/zero of=/dev/vda bs=1M count=32 oflag=direct 2>/dev/null
		b=$(cut -d' ' -f1 /proc/uptime)
		dd if=/dev/vda of=/dev/null bs=1M count=32 iflag=direct 2>/dev/null
		c=$(cut -d' ' -f1 /proc/uptime)
		echo "guest: bench-disk 32 MiB write $a $b read $b $c"
	else
		nok "no /dev/vda"
	fi
	poweroff -f
	;;
esac

# virtio-blk: the host wrote a marker in sector 0; append ours at 4 KiB.
if [ -b /dev/vda ]; then
	marker=$(dd if=/dev/vda bs=512 count=1 2>/dev/null | tr -d '\000' | head -n 1)
	echo "guest: disk says: $marker"
	echo "written by the mshv-run guest" | dd of=/dev/vda bs=4096 seek=1 conv=fsync 2>/dev/null
	back=$(dd if=/dev/vda bs=4096 skip=1 count=1 iflag=direct 2>/dev/null | tr -d '\000' | head -n 1)
	[ "$back" = "written by the mshv-run guest" ] && ok "virtio-blk round trip" || nok "virtio-blk round trip"
	# Throughput: 4 MiB written and read back with O_DIRECT at 2 MiB.
	a=$(cut -d' ' -f1 /proc/uptime)
	dd if=/dev/zero of=/dev/vda bs=1M seek=2 count=4 oflag=direct 2>/dev/null
	b=$(cut -d' ' -f1 /proc/uptime)
	dd if=/dev/vda of=/dev/null bs=1M skip=2 count=4 iflag=direct 2>/dev/null
	c=$(cut -d' ' -f1 /proc/uptime)
	echo "guest: virtio-blk 4 MiB write $a -> $b s, read $b -> $c s"
else
	nok "no /dev/vda"
fi

# virtio-console: write a line to hvc0, then wait up to 5 s for a line
# typed on the host (one open, so nothing typed in between is lost).
if [ -c /dev/hvc0 ] && exec 3<>/dev/hvc0; then
	stty -F /dev/hvc0 -echo 2>/dev/null
	echo "guest: hello from hvc0" >&3 && ok "virtio-console output" || nok "virtio-console output"
	if read -t 5 line <&3; then
		echo "guest: hvc0 read: $line"
	else
		echo "guest: nothing typed on hvc0"
	fi
	exec 3>&-
else
	nok "no /dev/hvc0"
fi

[ -e /dev/hwrng ] && dd if=/dev/hwrng bs=16 count=1 2>/dev/null | od -An -tx1 | sed 's/^/guest: hwrng:/'

# sleep 1, each end stamped with the guest's clock; the host stamps the
# same lines with its own and compares the two intervals.
s0=$(cut -d' ' -f1 /proc/uptime)
echo "guest: sleep-start $s0"
sleep 1
s1=$(cut -d' ' -f1 /proc/uptime)
echo "guest: sleep-end $s1"
echo "guest: sleep 1 took $s0 -> $s1 by the guest's clock"

[ -x /guest-cmd.sh ] && /guest-cmd.sh
echo "guest: powering off"
poweroff -f
