#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Overlay this repository onto a Linux 6.12 source tree, turning the
# out-of-tree modules into in-tree drivers.
#
# usage: overlay.sh KERNEL_TREE
#
# Copies include/hyperv/, include/uapi/linux/mshv.h, drivers/hv/mshv_*,
# drivers/hv/.kunitconfig,
# drivers/hv/hvsim/ (with svm/ and x86/), arch/x86/hyperv/mshv_hyperv.c and
# Documentation/virt/mshv/ into KERNEL_TREE, and splices the repository's
# Kbuild fragments into the kernel's own files:
#
#   drivers/hv/Makefile       += the repo's drivers/hv/Makefile
#   drivers/hv/Kconfig        the repo's drivers/hv/Kconfig, inserted
#                             before the final "endmenu" so the entries
#                             sit in the "Microsoft Hyper-V guest
#                             support" menu next to HYPERV
#   arch/x86/hyperv/Makefile  += the repo's arch/x86/hyperv/Makefile
#   Documentation/virt/index.rst  lists mshv/index after hyperv/index
#
# Each spliced block is fenced by marker comments; running the script
# again replaces the block, so it is idempotent.  Copied files are only
# rewritten when their content changed (an unchanged file keeps its
# mtime, so an incremental kernel build recompiles nothing), and files
# that an earlier overlay copied but the repository no longer has are
# removed (the list lives in KERNEL_TREE/.mshv-overlay-files).  A copy
# that would replace a file the kernel tree already had is refused.
#
# Note that in 6.12 the kernel descends into drivers/hv/ and
# arch/x86/hyperv/ only with CONFIG_HYPERV, which MSHV_ROOT depends on.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
self=$here/$(basename "${BASH_SOURCE[0]}")

say() {
	echo "mshv-overlay: $*" >&2
}

die() {
	say "error: $*"
	exit 1
}

if (($# != 1)) || [[ $1 == -* ]]; then
	sed -n '7p' "$self" | sed 's/^# //' >&2
	exit 2
fi
[[ -d $1 ]] || die "$1: not a directory"
tree=$(cd "$1" && pwd)

for f in Makefile drivers/hv/Makefile drivers/hv/Kconfig \
	arch/x86/hyperv/Makefile; do
	[[ -f $tree/$f ]] || die "$tree does not look like a kernel tree (no $f)"
done
[[ $tree != "$repo" ]] || die "refusing to overlay the repository onto itself"

manifest=$tree/.mshv-overlay-files
begin_mark="# BEGIN mshv overlay (tools/mshv/intree/overlay.sh; do not edit)"
end_mark="# END mshv overlay"

# The files to copy, relative to both trees.  Only sources: the repo
# also holds the objects of its out-of-tree build.
list_sources() {
	local f

	(
		cd "$repo"
		shopt -s nullglob
		for f in include/hyperv/*.h include/uapi/linux/mshv.h \
			drivers/hv/mshv_*.[ch] drivers/hv/.kunitconfig \
			drivers/hv/hvsim/*.[ch] drivers/hv/hvsim/Makefile \
			drivers/hv/hvsim/x86/*.[ch] \
			drivers/hv/hvsim/svm/*.[chS] \
			arch/x86/hyperv/mshv_hyperv.c \
			Documentation/virt/mshv/*; do
			[[ -f $f && $f != *.mod.c ]] && echo "$f"
		done
	) | LC_ALL=C sort
}

# Replace $2 by $1 only if they differ; either way $1 is gone afterwards.
replace_if_changed() {
	if cmp -s "$1" "$2"; then
		rm -f "$1"
	else
		mv -f "$1" "$2"
	fi
}

# A repo fragment without its SPDX header, fenced by the markers.
fragment() {
	echo "$begin_mark"
	awk 'NR == 1 && /^# SPDX-License-Identifier:/ { spdx = 1; next }
	     NR == 2 && spdx && /^$/ { next }
	     { print }' "$repo/$1"
	echo "$end_mark"
}

# Print file $1 without a previous overlay block.
strip_block() {
	awk -v b="$begin_mark" -v e="$end_mark" '
		$0 == b { skip = 1; next }
		$0 == e { skip = 0; next }
		!skip' "$1"
}

# Append the repo's fragment $1 to the kernel's file $2.
splice_append() {
	local dst=$tree/$2

	{
		strip_block "$dst"
		fragment "$1"
	} >"$dst.mshv-tmp"
	replace_if_changed "$dst.mshv-tmp" "$dst"
}

# Insert the repo's Kconfig fragment before the last "endmenu" of $1.
splice_kconfig() {
	local dst=$tree/$1 last

	strip_block "$dst" >"$dst.mshv-tmp"
	last=$(grep -n '^endmenu' "$dst.mshv-tmp" | tail -n 1 | cut -d: -f1)
	if [[ -z $last ]]; then
		rm -f "$dst.mshv-tmp"
		die "$1 has no endmenu: the layout of the kernel's hv menu changed"
	fi
	{
		head -n "$((last - 1))" "$dst.mshv-tmp"
		fragment drivers/hv/Kconfig
		tail -n "+$last" "$dst.mshv-tmp"
	} >"$dst.mshv-tmp2"
	rm -f "$dst.mshv-tmp"
	replace_if_changed "$dst.mshv-tmp2" "$dst"
}

# List Documentation/virt/mshv/ in the kernel's virtualization toctree,
# next to the Hyper-V guest pages (one line; kept if already there).
splice_toctree() {
	local dst=$tree/Documentation/virt/index.rst entry='   mshv/index'

	grep -qxF "$entry" "$dst" && return
	awk -v e="$entry" '{ print } $0 == "   hyperv/index" { print e }' \
		"$dst" >"$dst.mshv-tmp"
	if ! grep -qxF "$entry" "$dst.mshv-tmp"; then
		rm -f "$dst.mshv-tmp"
		die "Documentation/virt/index.rst lists no hyperv/index"
	fi
	mv -f "$dst.mshv-tmp" "$dst"
}

mapfile -t new < <(list_sources)
((${#new[@]})) || die "no sources found under $repo"
old=()
[[ -f $manifest ]] && mapfile -t old <"$manifest"

declare -A was_ours=() is_new=()
for f in "${old[@]}"; do
	was_ours[$f]=1
done
for f in "${new[@]}"; do
	is_new[$f]=1
	if [[ -e $tree/$f && -z ${was_ours[$f]:-} ]]; then
		die "$f already exists in $tree and was not put there by an overlay"
	fi
done

# Record the union first, so that an interrupted run still knows every
# file it may have created.
printf '%s\n' "${old[@]}" "${new[@]}" | grep -v '^$' | LC_ALL=C sort -u \
	>"$manifest"

copied=0
for f in "${new[@]}"; do
	dst=$tree/$f
	cmp -s "$repo/$f" "$dst" && continue
	mkdir -p "$(dirname "$dst")"
	cp "$repo/$f" "$dst.mshv-tmp"
	mv -f "$dst.mshv-tmp" "$dst"
	copied=$((copied + 1))
done

removed=0
for f in "${old[@]}"; do
	[[ -n $f && -z ${is_new[$f]:-} ]] || continue
	rm -f "$tree/$f"
	# Directories the overlay created and emptied go too (relative, so
	# rmdir -p stops at the tree's top).
	(cd "$tree" && rmdir -p --ignore-fail-on-non-empty "$(dirname "$f")") \
		2>/dev/null || true
	removed=$((removed + 1))
done
printf '%s\n' "${new[@]}" >"$manifest"

splice_append drivers/hv/Makefile drivers/hv/Makefile
splice_append arch/x86/hyperv/Makefile arch/x86/hyperv/Makefile
splice_kconfig drivers/hv/Kconfig
splice_toctree

say "${#new[@]} files (${copied} updated, ${removed} removed) onto $tree"
