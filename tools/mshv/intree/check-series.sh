#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make check-series": export the patch series (export-series.sh) into a
# scratch directory and report in TAP: the export itself (every step
# builds, checkpatch --strict is clean, git am of the series gives the
# overlaid tree), the number of patches and a Signed-off-by in each.
# Too slow for make check (about 15 minutes on two CPUs).
#
# usage: check-series.sh

set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=$(mktemp -d /tmp/mshv-check-series.XXXXXX)
trap 'rm -rf "$out"' EXIT
failed=0

echo "TAP version 13"
echo "1..3"
if bash "$here/export-series.sh" --out "$out/series" 2>"$out/log"; then
	echo "ok 1 export-series: every step builds, checkpatch clean, git am"
else
	echo "not ok 1 export-series"
	sed 's/^/# /' "$out/log" | tail -n 40
	failed=1
fi
n=$(find "$out/series" -name '*.patch' 2>/dev/null | wc -l)
if [[ $n -eq 6 ]]; then
	echo "ok 2 six patches"
else
	echo "not ok 2 six patches (found $n)"
	failed=1
fi
if ((n)) && ! grep -L '^Signed-off-by: ' "$out"/series/*.patch | grep -q .; then
	echo "ok 3 every patch is signed off"
else
	echo "not ok 3 every patch is signed off"
	failed=1
fi
exit "$failed"
