#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the mshv KUnit suites in-tree with the kernel's own kunit.py: the
# repository is overlaid onto Debian's linux-source-6.12, built with
# drivers/hv/.kunitconfig (MSHV_ROOT and MSHV_HVSIM built in) and booted in
# QEMU (x86_64, TCG).
#
# usage: kunit.sh [--debug] [KUNIT_PY_RUN_ARGS...]
#
# Extra arguments go to "kunit.py run" (a suite glob such as
# 'mshv_hvcall', --raw_output=all, --json, ...).  Prints kunit.py's
# output (the test results and the summary) and exits with its status,
# or with 1 if the console log (intree-<key>/build*/test.log) shows a
# kernel splat (tools/mshv/vm/scan-log.sh) although the tests passed.
#
# --debug adds mshv-debug.kunitconfig (SMP, KASAN, lockdep, UBSAN, ...)
# and boots two CPUs; it builds in its own directory (build-debug) so
# that switching between the two does not rebuild everything.
#
# The pristine tree is extracted once per tarball into
# ${MSHV_CACHE:-/var/cache/mshv}/intree-<key>/src (key: the tarball's
# name, mtime and size); every run re-overlays the repository onto it
# (overlay.sh only rewrites files that changed) and builds into
# intree-<key>/build, so a rebuild is incremental.  The whole output is
# also kept in intree-<key>/kunit.log.  Older intree-* trees are removed.
#
# Environment: MSHV_CACHE (cache directory), MSHV_KERNEL_TARBALL
# (default /usr/src/linux-source-6.12.tar.xz), MSHV_JOBS (make jobs,
# default 2), MSHV_KUNIT_TIMEOUT (seconds for the test run, default 900;
# TCG on a loaded machine is slow).

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tarball=${MSHV_KERNEL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
cache=${MSHV_CACHE:-/var/cache/mshv}
jobs=${MSHV_JOBS:-2}
timeout=${MSHV_KUNIT_TIMEOUT:-900}
kunitconfig=$here/../../../drivers/hv/.kunitconfig
scan=$here/../vm/scan-log.sh

say() {
	echo "mshv-intree: $*" >&2
}

die() {
	say "error: $*"
	exit 1
}

debug=0
case ${1:-} in
-h | --help)
	sed -n '9p' "$here/$(basename "${BASH_SOURCE[0]}")" | sed 's/^# //'
	exit 0
	;;
--debug)
	debug=1
	shift
	;;
esac

[[ -r $tarball ]] ||
	die "$tarball not found (apt-get install linux-source-6.12)"
[[ -r $kunitconfig ]] || die "$kunitconfig not found"
command -v python3 >/dev/null || die "kunit.py needs python3"
command -v qemu-system-x86_64 >/dev/null ||
	die "qemu-system-x86_64 not found (tools/mshv/vm/install-deps.sh)"

key=$(stat -L -c 'tarball %n %Y %s' "$tarball" | sha256sum | cut -c 1-16)
top=$cache/intree-$key
src=$top/src
build=$top/build
log=$top/kunit.log
kconfigs=(--kunitconfig="$kunitconfig")
qemu_args='-accel tcg'
if ((debug)); then
	build=$top/build-debug
	log=$top/kunit-debug.log
	kconfigs+=(--kunitconfig="$here/mshv-debug.kunitconfig")
	qemu_args+=' -smp 2'
fi

mkdir -p "$top" || die "cannot create $top (set MSHV_CACHE)"
# One run per tree: the overlay and the build directory are shared.
exec 9>"$top.lock"
if ! flock -n 9; then
	say "waiting for another run on $top"
	flock 9
fi

if [[ ! -e $src/.mshv-extracted ]]; then
	say "extracting $(basename "$tarball") into $src"
	rm -rf "$src"
	mkdir -p "$src"
	nice -n 10 tar -xJf "$tarball" -C "$src" --strip-components=1
	touch "$src/.mshv-extracted"
fi

for old in "$cache"/intree-*; do
	[[ $old == "$top" || $old == "$top.lock" ]] && continue
	[[ -d $old ]] || continue
	say "removing old tree $old"
	rm -rf "$old" "$old.lock"
done

bash "$here/overlay.sh" "$src"

# kunit.py's x86_64 QEMU config already runs TCG; say so explicitly so a
# future config asking for KVM does not change what this measures.
cmd=(nice -n 10 python3 "$src/tools/testing/kunit/kunit.py" run
	--arch=x86_64 "${kconfigs[@]}" --build_dir="$build"
	--jobs="$jobs" --timeout="$timeout" --qemu_args="$qemu_args" "$@")
say "running: ${cmd[*]}"
say "full output in $log"

start=$SECONDS
# The splat scan below must not see an earlier run's console.
rm -f "$build/test.log"
set +e
"${cmd[@]}" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

say "kunit.py exited with $status after $((SECONDS - start))s"
# KUnit fails a test on a KASAN report, but not on lockdep, UBSAN or a
# WARN: look at the whole console log.
if [[ -r $build/test.log ]] && ! bash "$scan" "$build/test.log"; then
	say "kernel splat in $build/test.log"
	((status)) || status=1
fi
exit "$status"
