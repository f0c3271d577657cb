#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the directory of the kernel's kselftest framework (lib.mk,
# kselftest.h, kselftest_harness.h, run_kselftest.sh, kselftest/runner.sh)
# that the mshv selftests build and run with.
#
# usage: ksft-framework.sh
#
# With KSRC=<Linux 6.12 source tree> that tree's tools/testing/selftests
# is used as it is.  Otherwise the framework files are taken from
# Debian's linux-source-6.12 tarball (the source the debug kernel and the
# in-tree KUnit run are built from), extracted once per tarball into
# ${MSHV_CACHE:-/var/cache/mshv}/ksft-<key>/ (key: the tarball's name,
# mtime and size); only those files are extracted (about 20 s).
#
# Environment: KSRC, MSHV_CACHE, MSHV_KERNEL_TARBALL
# (default /usr/src/linux-source-6.12.tar.xz).

set -euo pipefail

die() {
	echo "ksft-framework: error: $*" >&2
	exit 1
}

if [[ -n ${KSRC:-} ]]; then
	dir=$KSRC/tools/testing/selftests
	[[ -f $dir/lib.mk ]] || die "$dir/lib.mk not found"
	echo "$dir"
	exit 0
fi

tarball=${MSHV_KERNEL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
cache=${MSHV_CACHE:-/var/cache/mshv}
[[ -r $tarball ]] ||
	die "$tarball not found (apt-get install linux-source-6.12)"
key=$(stat -L -c 'tarball %n %Y %s' "$tarball" | sha256sum | cut -c 1-16)
dir=$cache/ksft-$key
if [[ ! -f $dir/.complete ]]; then
	mkdir -p "$cache" || die "cannot create $cache (set MSHV_CACHE)"
	tmp=$(mktemp -d "$cache/ksft-tmp.XXXXXX")
	chmod 755 "$tmp"
	trap 'rm -rf "$tmp"' EXIT
	# The tarball's top directory (tar stops early: SIGPIPE is fine).
	top=$(tar -tJf "$tarball" 2>/dev/null | head -n 1 || true)
	top=${top%%/*}
	[[ -n $top ]] || die "cannot list $tarball"
	sel=$top/tools/testing/selftests
	tar -xJf "$tarball" -C "$tmp" --strip-components=4 --wildcards \
		"$sel/lib.mk" "$sel/kselftest*" "$sel/run_kselftest.sh" ||
		die "cannot extract the kselftest framework from $tarball"
	[[ -f $tmp/lib.mk && -f $tmp/kselftest/runner.sh ]] ||
		die "$tarball has no kselftest framework"
	touch "$tmp/.complete"
	# Another caller may have won the race: keep its copy.
	mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"
	trap - EXIT
fi
echo "$dir"
