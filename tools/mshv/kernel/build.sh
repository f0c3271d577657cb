#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or reuse) the mshv debug test kernel: Debian's linux-source-6.12
# configured as "make allnoconfig" plus debug.config (KUnit, KASAN,
# lockdep, kmemleak, UBSAN, debug objects, fault injection).
#
# usage: build.sh [--force]
#
# --force reconfigures and reruns make even if the tree is complete.
# The last line of stdout is the path of the built tree (and the only
# one); progress goes to stderr.  Boot <tree>/arch/x86/boot/bzImage and
# build modules against it with "make -C <tree> M=...".
#
# The tree is cached in ${MSHV_CACHE:-/var/cache/mshv}/kernel-<key>; the
# key hashes the source tarball's name, mtime and size, debug.config,
# this script and the compiler version, so a change to any of them
# builds a new tree.  A tree is only reused once .mshv-complete exists
# in it; older kernel-* trees are deleted after a successful build.
#
# Environment: MSHV_CACHE (cache directory), MSHV_KERNEL_TARBALL
# (default /usr/src/linux-source-6.12.tar.xz), CC (default gcc),
# MSHV_JOBS (default: number of CPUs).

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fragment=$here/debug.config
self=$here/$(basename "${BASH_SOURCE[0]}")
tarball=${MSHV_KERNEL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
cache=${MSHV_CACHE:-/var/cache/mshv}
cc=${CC:-gcc}
jobs=${MSHV_JOBS:-$(nproc)}

force=0
case ${1:-} in
"") ;;
--force) force=1 ;;
*)
	sed -n '8p' "$self" | sed 's/^# //' >&2
	exit 2
	;;
esac

say() {
	echo "mshv-kernel: $*" >&2
}

die() {
	say "error: $*"
	exit 1
}

[[ -r $tarball ]] ||
	die "$tarball not found (apt-get install linux-source-6.12)"
[[ -r $fragment ]] || die "$fragment not found"
command -v "$cc" >/dev/null || die "compiler $cc not found"

# The cache key: whatever changes the resulting tree.
key=$({
	stat -L -c 'tarball %n %Y %s' "$tarball"
	sha256sum <"$fragment"
	sha256sum <"$self"
	"$cc" --version | head -n 1
} | sha256sum | cut -c 1-16)
tree=$cache/kernel-$key
stamp=$tree/.mshv-complete
log=$tree/.mshv-build.log

if ((!force)) && [[ -e $stamp ]]; then
	say "cached: $tree"
	echo "$tree"
	exit 0
fi

mkdir -p "$cache" || die "cannot create $cache (set MSHV_CACHE)"
# One build at a time per cache; a second caller waits, then finds the
# stamp that the first one wrote.
exec 9>"$cache/kernel.lock"
if ! flock -n 9; then
	say "waiting for another build in $cache"
	flock 9
fi
if ((!force)) && [[ -e $stamp ]]; then
	say "cached: $tree"
	echo "$tree"
	exit 0
fi

start=$SECONDS
rm -f "$stamp"

# An interrupted extraction is redone from scratch; an interrupted make
# simply resumes (make is incremental).
if [[ ! -e $tree/.mshv-extracted ]]; then
	say "extracting $(basename "$tarball") into $tree"
	rm -rf "$tree"
	mkdir -p "$tree"
	tar -xJf "$tarball" -C "$tree" --strip-components=1
	touch "$tree/.mshv-extracted"
fi

: >"$log"
say "configuring (allnoconfig + $(basename "$fragment")); log: $log"
{
	make -C "$tree" KCONFIG_ALLCONFIG="$fragment" allnoconfig
	make -C "$tree" olddefconfig
} >>"$log" 2>&1 || {
	tail -n 20 "$log" >&2
	die "configuration failed"
}

# Kconfig silently drops a symbol whose dependencies are not met, so
# check every line of the fragment against the result.
bad=0
while read -r line; do
	if [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
		sym=${BASH_REMATCH[1]} want=n
	elif [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
		sym=${BASH_REMATCH[1]} want=${BASH_REMATCH[2]}
	else
		continue
	fi
	got=$(grep -m 1 "^$sym=" "$tree/.config" | cut -d= -f2- || true)
	[[ -n $got ]] || got=n
	if [[ $got != "$want" ]]; then
		say "config: $sym=$got, but debug.config asks for $want"
		bad=1
	fi
done <"$fragment"
((!bad)) || die "debug.config not fully applied (missing dependencies?)"

# "modules" also writes Module.symvers, which modpost needs to resolve
# the symbols of modules built against this tree; with no =m options
# it only takes seconds.
targets=(bzImage modules modules_prepare)
say "building ${targets[*]} with $jobs jobs at nice 10 (log: $log)"
if ! nice -n 10 make -C "$tree" -j"$jobs" "${targets[@]}" >>"$log" 2>&1; then
	grep -E '(error|Error)[: ]' "$log" | head -n 20 >&2 || true
	tail -n 20 "$log" >&2
	die "build failed after $((SECONDS - start))s (log: $log)"
fi
for f in arch/x86/boot/bzImage Module.symvers; do
	[[ -s $tree/$f ]] || die "build produced no $f"
done

{
	echo "key $key"
	stat -L -c 'tarball %n %Y %s' "$tarball"
	"$cc" --version | head -n 1
	echo "built $(date -u +%FT%TZ) in $((SECONDS - start))s"
} >"$tree/.mshv-key"
touch "$stamp"

# Keep disk use bounded: only the current tree stays.
for old in "$cache"/kernel-*; do
	[[ $old == "$tree" || ! -d $old ]] && continue
	say "removing old tree $old"
	rm -rf "$old"
done

say "built $(make -s -C "$tree" kernelrelease) in $((SECONDS - start))s;" \
	"$(du -sh "$tree" | cut -f 1) in $tree"
echo "$tree"
