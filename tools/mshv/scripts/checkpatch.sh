#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the kernel's checkpatch.pl --strict over every C file and header of
# the tree that is kernel code (drivers/, arch/, include/).  checkpatch
# comes from Debian's linux-source-6.12 tarball; the few files it needs
# are extracted once into a cache directory outside the repository.
set -euo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
cache=${MSHV_CACHE:-/var/cache/mshv}
tarball=$(ls /usr/src/linux-source-6.12.tar.xz)
stamp=$(stat -c %Y-%s "$tarball")
dir=$cache/checkpatch-$stamp

if [ ! -x "$dir/scripts/checkpatch.pl" ]; then
	rm -rf "$cache"/checkpatch-*
	mkdir -p "$dir"
	tar -xJf "$tarball" -C "$dir" --strip-components=1 \
		linux-source-6.12/scripts/checkpatch.pl \
		linux-source-6.12/scripts/spelling.txt \
		linux-source-6.12/scripts/const_structs.checkpatch
fi

cd "$top"
# Tracked and not-yet-committed sources; generated files are .gitignored.
# Outside a git checkout (a copy of the tree), skip Kbuild's generated files.
if git rev-parse --git-dir >/dev/null 2>&1; then
	files=$(git ls-files --cached --others --exclude-standard -- \
		'drivers/*.[ch]' 'arch/*.[ch]' 'include/*.h')
else
	files=$(find drivers arch include -name '*.[ch]' ! -name '*.mod.c' | sort)
fi

out=$(perl "$dir/scripts/checkpatch.pl" --no-tree --strict --terse \
	--show-types -f $files || true)
if echo "$out" | grep -E -q '(ERROR|WARNING|CHECK):'; then
	echo "$out" | grep -E '(ERROR|WARNING|CHECK):'
	echo "checkpatch: FAILED" >&2
	exit 1
fi

# hvsim's x86 interpreter builds in userspace too (tools/testing/hvsim-cpu):
# besides its own headers it may include only these (its KUnit suite is
# kernel-only; export.h and kunit/visibility.h export its entry points to
# that suite's module, and are empty stand-ins in userspace).
allowed='types|bits|string|errno|array_size|export'
bad=$(grep -H '^#include <' drivers/hv/hvsim/x86/*.[ch] |
	grep -v '^drivers/hv/hvsim/x86/cpu_kunit\.c:' |
	grep -E -v "#include <(linux/($allowed)|kunit/visibility)\.h>" || true)
if [ -n "$bad" ]; then
	echo "$bad"
	echo "checkpatch: the x86 interpreter includes more than <linux/{${allowed//|/,}}.h> and <kunit/visibility.h>" >&2
	exit 1
fi
echo "checkpatch: $(echo "$files" | wc -l) files clean (--strict)"
