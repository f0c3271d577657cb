#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Export the repository as a patch series against Debian's
# linux-source-6.12 (git format-patch), checking that every step builds
# and passes checkpatch.
#
# usage: export-series.sh [--out DIR] [--no-build] [--keep]
#
# The pristine tree is extracted into a scratch git repository in /tmp
# (one commit), the repository is overlaid onto it (overlay.sh), and the
# result is committed in steps, each a patch:
#
#   1. the hypervisor ABI headers and the /dev/mshv uAPI header
#   2. drivers/hv: mshv_root (its Kconfig and Makefile entries alone)
#   3. arch/x86/hyperv: the real-hardware platform
#   4. drivers/hv/hvsim: the simulator (the full Kconfig and Makefile,
#      and drivers/hv/.kunitconfig, which enables both modules' suites)
#   5. Documentation/virt/mshv, in the virtualization toctree
#   6. MAINTAINERS (tools/mshv/intree/MAINTAINERS)
#
# After each step that adds code (2, 3, 4; the headers are compiled from
# step 2 on) the touched directories are built, unless --no-build:
# x86_64_defconfig plus HYPERV=m, MSHV_ROOT=m, MSHV_HVSIM=m and their
# KUnit suites, W=1; a warning in our files fails the step.  The patches go to DIR (default build/series/) and
# each must pass "checkpatch.pl --strict" of the same tree; the
# "does MAINTAINERS need updating?" warning is not asked for, as the
# last patch adds the entries.  The series is then applied with git am to
# the pristine commit, and the result must be the overlaid tree.
#
# Environment: MSHV_KERNEL_TARBALL (default
# /usr/src/linux-source-6.12.tar.xz), MSHV_JOBS (default 2),
# MSHV_SERIES_AUTHOR ("Name <email>"; default: this repository's last
# commit author).
# Takes about 15 minutes on two CPUs (checkpatch of the hvsim patch alone
# about 5), so it is "make check-series", not part of make check.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
self=$here/$(basename "${BASH_SOURCE[0]}")
tarball=${MSHV_KERNEL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
jobs=${MSHV_JOBS:-2}

say() {
	echo "mshv-series: $*" >&2
}

die() {
	say "error: $*"
	exit 1
}

out=$repo/build/series
build=1
keep=0
while (($#)); do
	case $1 in
	--out)
		out=$(realpath -m "$2")
		shift 2
		;;
	--no-build)
		build=0
		shift
		;;
	--keep)
		keep=1
		shift
		;;
	*)
		sed -n '8p' "$self" | sed 's/^# //' >&2
		exit 2
		;;
	esac
done

[[ -r $tarball ]] ||
	die "$tarball not found (apt-get install linux-source-6.12)"
author=${MSHV_SERIES_AUTHOR:-$(git -C "$repo" log -1 --format='%an <%ae>')}
[[ $author =~ ^(.+)\ \<(.+)\>$ ]] || die "author '$author' is not 'Name <email>'"
name=${BASH_REMATCH[1]}
email=${BASH_REMATCH[2]}

scratch=$(mktemp -d /tmp/mshv-series.XXXXXX)
if ((keep)); then
	say "scratch tree: $scratch"
else
	trap 'rm -rf "$scratch"' EXIT
fi
src=$scratch/linux
obj=$scratch/build
mkdir -p "$src" "$obj"

say "extracting $(basename "$tarball")"
tar -xJf "$tarball" -C "$src" --strip-components=1
cd "$src"
export GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$email
export GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email
git init -q
git config core.autocrlf false
# Debian's .gitignore ignores the whole top level (its packaging repo
# does not hold the sources): everything is added by force.
git add -A -f
git commit -q -m "Linux $(make -s kernelversion) (Debian linux-source-6.12)"
base=$(git rev-parse HEAD)

# Everything at once, as the in-tree KUnit run gets it; the steps below
# commit it piece by piece.
bash "$here/overlay.sh" "$src" 2>/dev/null
rm -f .mshv-overlay-files
# The overlay fences what it splices in; a patch does not.
for f in drivers/hv/Makefile drivers/hv/Kconfig arch/x86/hyperv/Makefile; do
	grep -v -e '^# BEGIN mshv overlay' -e '^# END mshv overlay' "$f" \
		>"$f.tmp"
	mv "$f.tmp" "$f"
done
cp "$src/MAINTAINERS" "$scratch/MAINTAINERS.orig"

# The MAINTAINERS entries, in alphabetical order among the others.
awk -v frag="$here/MAINTAINERS" '
function title(s) { return toupper(s) }
BEGIN {
	while ((getline l < frag) > 0)
		if (l !~ /^#/)
			block = block l "\n"
	split(block, first, "\n")
	ours = title(first[1])
}
/^3C59X NETWORK DRIVER$/ { started = 1 }
started && !done && prev == "" && $0 ~ /^[A-Z0-9]/ && title($0) > ours {
	printf "%s\n", block
	done = 1
}
{ print; prev = $0 }
' "$scratch/MAINTAINERS.orig" >MAINTAINERS
grep -qF "$(head -n 1 <(grep -v '^#' "$here/MAINTAINERS"))" MAINTAINERS ||
	die "the MAINTAINERS entries found no place"

git add -A -f
git commit -q -m overlaid
overlaid=$(git rev-parse HEAD)
git reset -q --hard "$base"

# commit SUBJECT BODY PATH...: take PATHs as the overlay left them.
commit() {
	local subject=$1 body=$2

	shift 2
	git checkout -q "$overlaid" -- "$@"
	git add -A -f -- "$@"
	git commit -q -s -F - <<-EOF
	$subject

	$body
	EOF
}

# Only mshv_root's lines of drivers/hv/Kconfig and Makefile (the entries
# of hvsim follow those of mshv_root in the repository's fragments).
root_only() {
	git show "$overlaid:drivers/hv/Kconfig" | awk '
		/^(config |menu|endmenu|endif)/ { skip = /^config MSHV_HVSIM/ }
		!skip' >drivers/hv/Kconfig
	git show "$overlaid:drivers/hv/Makefile" |
		grep -v 'CONFIG_MSHV_HVSIM' >drivers/hv/Makefile
	git add -f drivers/hv/Kconfig drivers/hv/Makefile
}

steps=()
# build_step NAME DIR...: build DIRs of the tree as it is now.
build_step() {
	local name=$1 log=$scratch/build-$1.log

	shift
	((build)) || return 0
	say "building step $name: $*"
	if ! make -s O="$obj" -j"$jobs" olddefconfig >"$log" 2>&1 ||
		! make O="$obj" -j"$jobs" W=1 "$@" >>"$log" 2>&1; then
		tail -n 30 "$log" >&2
		die "step $name does not build (log: $log)"
	fi
	# W=1 also rebuilds the Hyper-V guest drivers: only ours count.
	if grep -E '(drivers/hv/(mshv_|hvsim/)|arch/x86/hyperv/mshv_|include/(uapi/linux/mshv|hyperv/)).*(warning|error):' \
		"$log" >&2; then
		die "step $name builds with warnings (log: $log)"
	fi
}

if ((build)); then
	say "configuring x86_64 defconfig + HYPERV + MSHV_ROOT + MSHV_HVSIM"
	make -s O="$obj" x86_64_defconfig >"$scratch/config.log" 2>&1
fi
# Re-applied before each step's olddefconfig: a symbol the tree does not
# have yet is dropped by olddefconfig and comes back with its step.
set_config() {
	((build)) || return 0
	scripts/config --file "$obj/.config" -e HYPERVISOR_GUEST -e PARAVIRT \
		-m HYPERV -m MSHV_ROOT -m MSHV_HVSIM -e KUNIT \
		-m MSHV_ROOT_KUNIT_TEST -m MSHV_HVSIM_KUNIT_TEST
}
if ((build)); then
	set_config
	say "make modules_prepare"
	make -s O="$obj" -j"$jobs" olddefconfig modules_prepare \
		>>"$scratch/config.log" 2>&1 ||
		die "modules_prepare failed (log: $scratch/config.log)"
fi

commit "hyperv: Add the root partition's hypervisor ABI and the /dev/mshv uAPI" \
"The Microsoft Hypervisor interfaces a root partition uses to create and
run child partitions (hypercall codes and layouts, status codes, register
names, intercept and SynIC messages) in include/hyperv/, and the /dev/mshv
userspace API in include/uapi/linux/mshv.h.  Values follow the Hypervisor
Top Level Functional Specification and upstream Linux." \
	include/hyperv include/uapi/linux/mshv.h
steps+=(1)

commit "Drivers: hv: Add mshv_root, /dev/mshv for the root partition" \
"A virtual machine monitor running in the root partition of the
Microsoft Hypervisor creates, runs and tears down child partitions
through /dev/mshv: partitions, guest memory regions (pinned and movable),
VPs and their register and intercept pages, interrupts (irqfd, MSI
routing), ioeventfds and dirty page tracking.  The hypervisor below is
reached through a platform seam (include/hyperv/mshv_platform.h)." \
	drivers/hv/mshv_*
root_only
git commit -q --amend --no-edit
set_config
build_step 2 drivers/hv/
steps+=(2)

commit "x86/hyperv: Add the mshv_root platform for a Linux root partition" \
"The real-hardware platform below /dev/mshv: hypercalls through the
hypercall page and the per-CPU input and output pages, the SynIC of the
root's CPUs, and memory deposits." \
	arch/x86/hyperv
set_config
build_step 3 arch/x86/hyperv/ drivers/hv/
steps+=(3)

commit "Drivers: hv: Add hvsim, a software Microsoft Hypervisor for testing" \
"A developer testing tool, as netdevsim is for networking: a simulator of
the Microsoft Hypervisor's root-partition interface below /dev/mshv, with
an x86 interpreter and an AMD-V execution engine, so that mshv_root and
the VMMs built on it can be tested on any x86-64 machine." \
	drivers/hv/hvsim drivers/hv/Kconfig drivers/hv/Makefile \
	drivers/hv/.kunitconfig
set_config
build_step 4 drivers/hv/
steps+=(4)

commit "Documentation: virt: Document mshv_root and hvsim" \
"Design, /dev/mshv API, locking, hvsim and testing, listed in the
virtualization toctree next to the Hyper-V pages." \
	Documentation/virt/mshv Documentation/virt/index.rst
steps+=(5)

commit "MAINTAINERS: Add mshv_root and hvsim" \
"The root partition driver and its simulator." \
	MAINTAINERS
steps+=(6)

git diff --quiet "$overlaid" HEAD ||
	die "the series does not add up to the overlaid tree"

rm -rf "$out"
mkdir -p "$out"
git format-patch -q -o "$out" "$base..HEAD"
say "checkpatch --strict on $(find "$out" -name '*.patch' | wc -l) patches"
bad=0
for p in "$out"/*.patch; do
	# spdxcheck.py (python3-ply, python3-git; Debian's python3 first) reports on
	# stderr; a finding makes the exit status non-zero.
	if ! PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --terse \
		--ignore FILE_PATH_CHANGES "$p" >"$p.checkpatch" \
		2>"$scratch/checkpatch.err"; then
		say "$(basename "$p"): checkpatch findings:"
		grep -v '^total:' "$p.checkpatch" | head -n 20 >&2
		bad=$((bad + 1))
	fi
	[[ -s $scratch/checkpatch.err ]] && head -n 5 "$scratch/checkpatch.err" >&2
	rm -f "$p.checkpatch"
done

# The patches apply to the pristine tree and give the overlaid one.
git checkout -q -b applied "$base"
git am -q "$out"/*.patch || die "the series does not apply with git am"
git diff --quiet "$overlaid" HEAD ||
	die "the applied series differs from the overlaid tree"
say "git am of the series gives the overlaid tree"
((!bad)) || die "checkpatch findings in $bad of the patches"

say "${#steps[@]} patches in $out, every step built (build=$build)," \
	"checkpatch --strict clean, git am gives the overlaid tree"
