#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the initramfs of the Linux guest that mshv-run boots: static
# busybox, tools/mshv/guest-linux/init.sh as /init, and the modules the
# Debian kernel has as modules but the guest needs (virtio_blk,
# virtio-rng), taken from the host's /lib/modules/KREL.
#
# usage: mkinitramfs.sh OUT.cpio.gz [KREL]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:?usage: mkinitramfs.sh OUT.cpio.gz [KREL]}
krel=${2:-$(bash "$here/../vm/kernel-paths.sh" KREL)}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mshv-guest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
mkdir -p "$root"/{bin,dev,proc,sys,tmp,modules}
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
	[[ $applet == busybox ]] || ln -s busybox "$root/bin/$applet"
done
install -m 755 "$here/init.sh" "$root/init"

for m in drivers/block/virtio_blk drivers/char/hw_random/virtio-rng; do
	src=$(ls "/lib/modules/$krel/kernel/$m".ko* 2>/dev/null | head -n 1)
	[[ -n $src ]] || { echo "mkinitramfs: no $m module for $krel" >&2; exit 1; }
	case $src in
	*.xz) xz -dc "$src" ;;
	*.zst) zstd -qdc "$src" ;;
	*.gz) gzip -dc "$src" ;;
	*) cat "$src" ;;
	esac >"$root/modules/$(basename "$m").ko"
done

mkdir -p "$(dirname "$out")"
(cd "$root" && find . | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$out"
