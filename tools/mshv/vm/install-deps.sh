#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what building and VM-testing mshv needs (Debian 12).
# Idempotent: when everything is already installed apt is not touched.
#
#   tools/mshv/vm/install-deps.sh      # as root (non-root only checks)

set -euo pipefail

PKGS=(
	linux-image-6.12-amd64 linux-headers-6.12-amd64 linux-source-6.12
	qemu-system-x86 busybox-static sparse cpio gcc make libc6-dev perl
	xz-utils bc flex bison libelf-dev libssl-dev dkms
	python3-sphinx rsync python3-ply python3-git
)

missing=()
for p in "${PKGS[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	[[ $st == ii* ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
	echo "install-deps: all ${#PKGS[@]} packages already installed"
	exit 0
fi

if ((EUID != 0)); then
	echo "install-deps: missing: ${missing[*]}" >&2
	echo "install-deps: run as root: $0" >&2
	exit 1
fi

# We boot with our own initramfs, so skip generating the Debian initrd
# (it costs minutes per kernel install).
conf=/etc/kernel-img.conf
if ! grep -qsx 'INITRD = No' "$conf"; then
	echo 'INITRD = No' >>"$conf"
fi
uif=/usr/sbin/update-initramfs
if ! dpkg-divert --list "$uif" | grep -q .; then
	dpkg-divert --local --rename --divert "$uif.distrib" --add "$uif"
fi
if ! grep -qs 'mshv: no-op' "$uif"; then
	printf '#!/bin/sh\n# mshv: no-op, see tools/mshv/vm/install-deps.sh\nexit 0\n' >"$uif"
	chmod 755 "$uif"
fi

echo "install-deps: installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
