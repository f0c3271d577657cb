#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the test VM built by vm-run.sh (busybox sh, not bash).
# Loads /modules/* in the order listed in /modules/order, runs /cmd.sh
# from /mshv, prints the marker line MSHV-VM-EXIT=<rc> and powers off.
# A failing insmod ends the run with rc 125.

export PATH=/mshv:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
exec </dev/null >/dev/console 2>&1

finish() {
	echo "MSHV-VM-EXIT=$1"
	sync
	poweroff -f
	echo o >/proc/sysrq-trigger
}

cd /mshv || finish 125
while read -r mod; do
	[ -n "$mod" ] || continue
	if ! insmod "/modules/$mod"; then
		echo "vm-init: insmod $mod failed"
		finish 125
	fi
done </modules/order

sh /cmd.sh
finish $?
