#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# boot-bench.sh: the same Linux guest booted through mshv-run on hvsim's
# SVM engine and through QEMU with KVM (Debian's kvm_amd), in the test
# VM (busybox sh, run from /mshv by make bench or make bench-boot).
#
# Same kernel, initramfs (tools/mshv/guest-linux, "mshv_bench" on the
# command line: it times a 32 MiB O_DIRECT write and read of /dev/vda,
# then powers off), command line, 1 vCPU, 256 MiB, and a virtio-blk disk
# backed by the same file.  Per VMM and run:
#  - boot: seconds from the VMM's start to the guest init's first line
#    ("guest: userspace ..."), by the test VM's clock, and the guest
#    kernel's own uptime at that line (the rest is the VMM's start-up:
#    QEMU's, with its libraries and firmware, is the larger);
#  - disk: MB/s of the write and the read, by the guest's clock;
#  - for mshv-run: hvsim's #VMEXITs (debugfs) and mshv-run's exits to
#    the VMM (--stats) per second of the run.
# Then a table of the best run of each VMM with the ratios mshv/KVM
# (targets, #17: boot <= 1.5x, disk >= 0.8x).  Prints numbers only; the
# exit code is 1 only if a run did not produce them.
#
# usage: boot-bench.sh [-r RUNS] [-o mshv|qemu_kvm] KERNEL INITRD
#        boot-bench.sh -t
#   Without -o, the two VMMs in turns, then the table; with -o, RUNS
#   runs of that VMM only, added to the results (make bench runs all
#   of hvsim's first, then KVM's with one KVM VM held throughout, see
#   mshv-engine-bench -H); -t prints the table of the results.
#   QEMU staged in ./bench-qemu (stage-qemu.sh), kvm modules in
#   ./bench-kvm (loaded here unless kvm_amd is already).

usage="usage: boot-bench.sh [-r RUNS] [-o mshv|qemu_kvm] KERNEL INITRD | -t"
runs=1 only='' table=''
while [ $# -gt 0 ]; do
	case $1 in
	-r) runs=$2; shift 2 ;;
	-o) only=$2; shift 2 ;;
	-t) table=1; shift ;;
	*) break ;;
	esac
done
case $only in
''|mshv|qemu_kvm) ;;
*) echo "$usage" >&2; exit 2 ;;
esac
if [ -z "$table" ]; then
	kernel=${1:?$usage}
	initrd=${2:?$usage}
fi
disk=/tmp/boot-bench.img
res=/tmp/boot-bench.txt
dbg=/sys/kernel/debug/hvsim/engine
cmdline="console=ttyS0 quiet pci=noearly panic=-1 mshv_bench"

now() { cut -d' ' -f1 /proc/uptime; }
vmexits() { awk '$1 == "vmexits" { print $2 }' $dbg 2>/dev/null; }

# qemu_kvm and mshv are called as "$name" (run()).
# shellcheck disable=SC2317
qemu_kvm() {
	./bench-qemu/ld-linux-x86-64.so.2 --library-path ./bench-qemu \
		./bench-qemu/qemu-system-x86_64 -L ./bench-qemu/fw \
		-machine q35,accel=kvm -cpu host -smp 1 -m 256M \
		-nodefaults -no-user-config -display none -serial stdio \
		-monitor none -no-reboot -bios qboot.rom \
		-kernel "$kernel" -initrd "$initrd" -append "$cmdline" \
		-drive file="$disk",if=virtio,format=raw
}

# shellcheck disable=SC2317
mshv() {
	./mshv-run --kernel "$kernel" --initrd "$initrd" --cmdline "$cmdline" \
		--disk "$disk" --smp 1 --mem 256M --stats
}

# run NAME: boot the guest with VMM NAME; one result line to $res.
run() {
	name=$1
	dd if=/dev/zero of="$disk" bs=1M count=40 2>/dev/null
	x0=$(vmexits)
	t0=$(now)
	$name </dev/null 2>&1 | while IFS= read -r l; do
		case $l in
		*"guest: userspace"*) echo "$(now) $l" ;;
		*) echo "$l" ;;
		esac
	done >"/tmp/boot-$name.out"
	t1=$(now)
	x1=$(vmexits)
	sed "s/^/$name: /" "/tmp/boot-$name.out" | grep -v '^.*: *$' | tail -n 8
	awk -v name="$name" -v t0="$t0" -v t1="$t1" -v x0="${x0:-0}" \
	    -v x1="${x1:-0}" '
		/guest: userspace/ {
			boot = $1 - t0
			for (i = 2; i < NF; i++)
				if ($i == "after")
					kern = $(i + 1) + 0
		}
		/guest: bench-disk/ {
			w = $(NF - 3) - $(NF - 4); r = $NF - $(NF - 1)
			wr = w > 0 ? 33.554432 / w : 0
			rd = r > 0 ? 33.554432 / r : 0
		}
		/mshv-run: .* exits in/ { ve = $2 / (t1 - t0) }
		END {
			if (!boot || !wr || !rd) {
				printf "%s: no boot time or disk numbers\n", name
				exit 1
			}
			he = name == "mshv" ? (x1 - x0) / (t1 - t0) : 0
			printf "%s: boot %.2f s (kernel %.2f s), disk write %.1f MB/s, read %.1f MB/s", \
			       name, boot, kern, wr, rd
			if (name == "mshv")
				printf ", %.0f #VMEXIT/s, %.0f VMM exits/s", he, ve
			printf " (run %.2f s)\n", t1 - t0
			printf "%s %f %f %f %f %f %f\n", name, boot, wr, rd, he, ve, \
			       kern >>"'$res'"
		}' "/tmp/boot-$name.out"
}

# Best of each VMM's runs: shortest boot, fastest write and read.
table() {
	awk '
	{ n[$1]++
	  if (!b[$1] || $2 < b[$1]) b[$1] = $2
	  if ($3 > w[$1]) w[$1] = $3
	  if ($4 > r[$1]) r[$1] = $4
	  if (!k[$1] || $7 < k[$1]) k[$1] = $7
	  if ($1 == "mshv") { he = $5; ve = $6 } }
	END {
		printf "boot-bench (best of %d runs)  boot s  (kernel s)  write MB/s  read MB/s\n", n["mshv"]
		printf "mshv-run, hvsim svm       %7.2f  (%7.2f)  %10.1f  %9.1f\n", b["mshv"], k["mshv"], w["mshv"], r["mshv"]
		printf "QEMU, KVM                 %7.2f  (%7.2f)  %10.1f  %9.1f\n", b["qemu_kvm"], k["qemu_kvm"], w["qemu_kvm"], r["qemu_kvm"]
		if (b["qemu_kvm"] && k["qemu_kvm"] && w["qemu_kvm"] && r["qemu_kvm"])
			printf "mshv / KVM                %7.2fx (%7.2fx) %10.2fx %9.2fx  (targets: boot <= 1.5x, disk >= 0.8x)\n", \
			       b["mshv"] / b["qemu_kvm"], k["mshv"] / k["qemu_kvm"], w["mshv"] / w["qemu_kvm"], r["mshv"] / r["qemu_kvm"]
		printf "mshv-run boot (last run): %.0f hvsim #VMEXITs/s, %.0f exits to the VMM/s\n", he, ve
	}' $res
}

if [ -n "$table" ]; then
	table
	exit
fi
if [ "$only" != mshv ] && ! grep -q '^kvm_amd ' /proc/modules; then
	for m in irqbypass ccp kvm kvm-amd; do
		a=
		[ $m = kvm ] && a=enable_virt_at_load=0
		grep -q "^$(echo $m | tr - _) " /proc/modules ||
			insmod bench-kvm/$m.ko $a || exit 1
	done
fi
echo svm >/sys/module/hvsim/parameters/engine || exit 1

[ -n "$only" ] || : >$res
rc=0
i=0
while [ $i -lt "$runs" ]; do
	if [ -n "$only" ]; then
		run "$only" || rc=1
	else
		run mshv || rc=1
		run qemu_kvm || rc=1
	fi
	i=$((i + 1))
done
[ -n "$only" ] || table
exit $rc
