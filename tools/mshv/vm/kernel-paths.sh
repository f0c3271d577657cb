#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Find the newest installed Debian 6.12 generic amd64 kernel
# (e.g. 6.12.117+deb12-amd64; never the -cloud- or -rt- flavours).
#
#   . kernel-paths.sh          # exports KREL, KDIR, VMLINUZ
#   kernel-paths.sh            # prints KREL=..., KDIR=..., VMLINUZ=...
#   kernel-paths.sh KDIR       # prints only the value of KDIR (or KREL, VMLINUZ)

mshv_kernel_paths() {
	local v krel=""

	# A generic flavour release has exactly one '-' (before "amd64").
	for v in /boot/vmlinuz-6.12.*; do
		v=${v#/boot/vmlinuz-}
		[[ $v =~ ^6\.12\.[0-9.]+\+[^-]+-amd64$ ]] || continue
		krel+="$v"$'\n'
	done
	krel=$(printf '%s' "$krel" | sort -V | tail -n 1)
	if [[ -z $krel ]]; then
		echo "kernel-paths: no /boot/vmlinuz-6.12.*-amd64 found;" \
			"run tools/mshv/vm/install-deps.sh" >&2
		return 1
	fi

	KREL=$krel
	KDIR=/usr/src/linux-headers-$KREL
	[[ -d $KDIR ]] || KDIR=/lib/modules/$KREL/build
	VMLINUZ=/boot/vmlinuz-$KREL
	export KREL KDIR VMLINUZ
}

if [[ ${BASH_SOURCE[0]} != "$0" ]]; then
	# Sourced: leave the caller's shell options alone.
	mshv_kernel_paths
	return $?
fi

set -euo pipefail
mshv_kernel_paths
case ${1:-} in
"") printf 'KREL=%s\nKDIR=%s\nVMLINUZ=%s\n' "$KREL" "$KDIR" "$VMLINUZ" ;;
KREL | KDIR | VMLINUZ) printf '%s\n' "${!1}" ;;
*)
	echo "usage: $0 [KREL|KDIR|VMLINUZ]" >&2
	exit 2
	;;
esac
