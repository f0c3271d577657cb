#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Documentation/virt/mshv/ builds with Sphinx, with the kernel's kernel-doc
# extension, and without a single warning.  The extension and
# scripts/kernel-doc are taken from Debian's linux-source-6.12 tarball.
#
# usage: check-docs.sh [OUTDIR]   (default build/docs)

set -euo pipefail

top=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
cd "$top"
out=${1:-build/docs}
tarball=${MSHV_KERNEL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
ksrc=$out/kernel
command -v sphinx-build >/dev/null ||
	{ echo "check-docs: sphinx-build is not installed" >&2; exit 1; }

if [[ ! -x $ksrc/scripts/kernel-doc || $tarball -nt $ksrc/scripts/kernel-doc ]]; then
	rm -rf "$ksrc"
	mkdir -p "$ksrc"
	tar -xJf "$tarball" -C "$ksrc" --strip-components=1 \
		linux-source-6.12/Documentation/sphinx \
		linux-source-6.12/scripts/kernel-doc
fi

MSHV_KERNEL_SPHINX=$(realpath "$ksrc") MSHV_SRCTREE=$top \
	sphinx-build -q -W --keep-going -b html -c tools/mshv/docs \
	-d "$out/doctrees" Documentation/virt/mshv "$out/html"
echo "check-docs: $(find "$out/html" -name '*.html' | wc -l) pages in $out/html"
