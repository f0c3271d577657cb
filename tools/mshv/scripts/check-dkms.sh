#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms.conf works: "dkms add", "build" and "install" of the tracked
# sources, for the Debian 6.12 kernel whose headers are installed, into
# scratch trees (nothing of the system's DKMS state or /lib/modules is
# touched).  Each module must come out installed, built for that kernel.
#
# usage: check-dkms.sh   (from anywhere in the repository; needs dkms)

set -euo pipefail

top=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
cd "$top"
command -v dkms >/dev/null || { echo "check-dkms: dkms is not installed" >&2; exit 1; }

kdir=$(bash tools/mshv/vm/kernel-paths.sh KDIR)
kver=$(make -s -C "$kdir" kernelrelease)
name=$(sed -n 's/^PACKAGE_NAME="\(.*\)"$/\1/p' dkms.conf)
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
mods=$(sed -n 's/^BUILT_MODULE_NAME\[[0-9]*\]="\(.*\)"$/\1/p' dkms.conf)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=$tmp/src/$name-$ver
mkdir -p "$src" "$tmp/dkms" "$tmp/install/$kver"
git ls-files -z | xargs -0 cp --parents -t "$src"

trees=(--sourcetree "$tmp/src" --dkmstree "$tmp/dkms" --installtree "$tmp/install")
dkms add -m "$name" -v "$ver" "${trees[@]}" >"$tmp/log" 2>&1 &&
	dkms build -m "$name" -v "$ver" -k "$kver" "${trees[@]}" >>"$tmp/log" 2>&1 &&
	dkms install -m "$name" -v "$ver" -k "$kver" "${trees[@]}" \
		>>"$tmp/log" 2>&1 || { cat "$tmp/log" >&2; exit 1; }

fail=0
for m in $mods; do
	ko=$(find "$tmp/install/$kver" -name "$m.ko*" | head -n 1)
	if [[ -z $ko ]]; then
		echo "check-dkms: $m was not installed" >&2
		fail=1
		continue
	fi
	magic=$(modinfo -F vermagic "$ko")
	if [[ $magic != "$kver "* ]]; then
		echo "check-dkms: $m built for '$magic', not $kver" >&2
		fail=1
	fi
done
((fail == 0)) && echo "check-dkms: $name/$ver: $(echo $mods) installed for $kver"
exit $fail
