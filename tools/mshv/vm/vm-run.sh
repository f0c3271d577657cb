#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a kernel in QEMU (TCG) with a throw-away busybox initramfs, load
# modules, run one command and return its exit code.
#
# usage: vm-run.sh [--kernel VMLINUZ] [--modules "a.ko b.ko"]
#                  [--files "p1 p2 dir3"] [--log FILE] [--timeout SECONDS]
#                  [--append "kernel args"] [--mem 1G] -- CMD [ARGS...]
#
# In the guest, modules go to /modules (loaded in the given order; .ko.xz,
# .ko.gz and .ko.zst are decompressed first), files and directories to
# /mshv (by basename), and CMD runs from /mshv via sh with PATH=/mshv:/bin.
# CMD is shell code ("./a && ./b" works); ARGS are appended, quoted.
#
# Exit code: CMD's, 125 if an insmod failed, 124 on timeout,
# 126 if the guest never reported (panic, crash). The console output is
# shown and saved, without CRs, to --log (default build/vm/console.log).
# QEMU's own log of CPU resets (a triple fault of the test VM's kernel
# ends QEMU without a word on the console) goes to LOG.qemu.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
	sed -n '7,9s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
	exit 2
}

kernel="" modules="" files="" log=build/vm/console.log
timeout_s=300 append="" mem=1G
while (($#)); do
	[[ $1 == -- ]] && shift && break
	(($# >= 2)) || usage
	case $1 in
	--kernel) kernel=$2 ;;
	--modules) modules=$2 ;;
	--files) files=$2 ;;
	--log) log=$2 ;;
	--timeout) timeout_s=$2 ;;
	--append) append=$2 ;;
	--mem) mem=$2 ;;
	*) usage ;;
	esac
	shift 2
done
if ((!$#)) || [[ ! $timeout_s =~ ^[0-9]+$ ]]; then
	usage
fi
if [[ -z $kernel ]]; then
	kernel=$("$here/kernel-paths.sh" VMLINUZ)
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mshv-vm.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
root=$tmp/root
mkdir -p "$root"/{bin,dev,proc,sys,tmp,modules,mshv}

# busybox and its applets ("busybox" itself is in the list: skip it).
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
	[[ $applet == busybox ]] || ln -s busybox "$root/bin/$applet"
done
install -m 755 "$here/init.sh" "$root/init"

: >"$root/modules/order"
for m in $modules; do
	name=$(basename "$m")
	case $name in
	*.ko.xz) xz -dc "$m" >"$root/modules/${name%.xz}" ;;
	*.ko.gz) gzip -dc "$m" >"$root/modules/${name%.gz}" ;;
	*.ko.zst) zstd -qdc "$m" >"$root/modules/${name%.zst}" ;;
	*.ko) cp "$m" "$root/modules/" ;;
	*) echo "vm-run: not a module: $m" >&2 && exit 2 ;;
	esac
	echo "${name%.ko*}.ko" >>"$root/modules/order"
done

for f in $files; do
	cp -RL "$f" "$root/mshv/"
done

# /cmd.sh: CMD verbatim, then each ARG single-quoted.
{
	printf '%s' "$1"
	shift
	for a in "$@"; do
		printf " '%s'" "${a//\'/\'\\\'\'}"
	done
	echo
} >"$root/cmd.sh"

initrd=$tmp/initrd.gz
(cd "$root" && find . | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$initrd"

mkdir -p "$(dirname "$log")"
rm -f "$log.qemu"

# trace_options=norecord-cmd: enabling a trace event (irqfd_test turns on
# the mshv events) then does not also hook sched_switch to record comms.
# Hooking it patches __schedule() with an INT3 while the other vCPU runs
# it, and QEMU 7.2's multi-threaded TCG sometimes executes the INT3 after
# the patch is done: "Oops: int3" in __schedule, the test VM panics (seen
# in make check's stock boot).  Nothing here reads the recorded comms.

set +e
timeout --foreground -k 10 "$timeout_s" qemu-system-x86_64 \
	-machine q35 -accel tcg -cpu max -smp 2 -m "$mem" \
	-nographic -no-reboot -nic none -bios qboot.rom \
	-d cpu_reset -D "$log.qemu" \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 oops=panic panic=-1 quiet loglevel=5 trace_options=norecord-cmd $append" \
	</dev/null 2>&1 | sed -u 's/\r//g' | tee "$log"
qemu_rc=${PIPESTATUS[0]}
set -e

rc=$(grep -ao 'MSHV-VM-EXIT=[0-9]*' "$log" | tail -n 1 | cut -d= -f2 || true)
if ((qemu_rc == 124 || qemu_rc == 137)); then
	echo "vm-run: timed out after ${timeout_s}s (log: $log)" >&2
	exit 124
elif [[ -z $rc ]]; then
	echo "vm-run: guest did not report an exit code;" \
		"QEMU exited with $qemu_rc (log: $log)" >&2
	if grep -q 'Triple fault' "$log.qemu" 2>/dev/null; then
		echo "vm-run: the test VM's kernel triple-faulted;" \
			"CPU state at the reset:" >&2
		sed -n '/Triple fault/,$p' "$log.qemu" | head -n 40 >&2
	fi
	exit 126
fi
exit "$rc"
