#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The userspace copy of the hypervisor ABI
# (tools/testing/selftests/mshv/include/hyperv.h and hyperv_root.h, used
# by the selftests, the benchmarks and mshv-run) against the kernel's
# (include/hyperv/hvgdk.h and hvhdk.h): every macro of the copy must have
# the kernel's value, every struct and union its size, and every member
# the copy names (at the top level of a struct) its offset.  Nothing in
# the copy may be missing from the kernel's headers.
#
# usage: check-hv-userspace.sh

set -euo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
inc=$top/tools/testing/selftests/mshv/include
hdrs=("$inc/hyperv.h" "$inc/hyperv_root.h")
cc=${CC:-gcc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The names: object-like macros (not the include guards), and the
# structs and unions with their top-level members.
awk '
/^#define [A-Z_0-9]+[ \t]/ && $2 !~ /_H$/ { print "macro", $2 }
/^(struct|union) [a-z_0-9]+ \{/ { agg = $1 " " $2; depth = 1; print "type", agg; next }
agg != "" {
	if (depth == 1 && $0 ~ /^\t[a-z_].*[ \t*][a-z_0-9]+(\[[^]]*\])*;/) {
		m = $0
		sub(/;.*/, "", m)
		sub(/(\[[^]]*\])+$/, "", m)
		n = split(m, w, /[ \t*]+/)
		if (w[n] != "" && w[1] !~ /^(struct|union)$/ || n > 2)
			print "member", agg, w[n]
	}
	depth += gsub(/\{/, "{") - gsub(/\}/, "}")
	if (depth <= 0)
		agg = ""
}
' "${hdrs[@]}" >"$tmp/names"

{
	echo '#include <stddef.h>'
	echo '#include <stdio.h>'
	echo '#include HEADER'
	echo 'int main(void)'
	echo '{'
	awk '
	$1 == "macro" {
		printf "\tprintf(\"%s %%llu\\n\", (unsigned long long)(%s));\n", $2, $2
	}
	$1 == "type" {
		printf "\tprintf(\"sizeof %s %s %%zu\\n\", sizeof(%s %s));\n", $2, $3, $2, $3
	}
	$1 == "member" {
		printf "\tprintf(\"offsetof %s %s.%s %%zu\\n\", offsetof(%s %s, %s));\n", $2, $3, $4, $2, $3, $4
	}' "$tmp/names"
	echo '	return 0;'
	echo '}'
} >"$tmp/dump.c"

# The kernel's headers want the kernel's <linux/bits.h>, <linux/build_bug.h>
# and types: stand-ins for this comparison only.
mkdir -p "$tmp/kinc/linux"
cat >"$tmp/kinc/kernel-types.h" <<'EOF'
#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <linux/types.h>
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;
#define __packed __attribute__((__packed__))
#define U64_MAX ((u64)~0ULL)
#define BIT(nr) (1UL << (nr))
#define BIT_ULL(nr) (1ULL << (nr))
#define GENMASK(h, l) ((~0UL << (l)) & (~0UL >> (63 - (h))))
#define GENMASK_ULL(h, l) ((~0ULL << (l)) & (~0ULL >> (63 - (h))))
EOF
: >"$tmp/kinc/linux/bits.h"
: >"$tmp/kinc/linux/build_bug.h"

"$cc" -Wall -Werror -include "$tmp/kinc/kernel-types.h" -I"$tmp/kinc" \
	-I"$top/include" '-DHEADER=<hyperv/hvhdk.h>' \
	-o "$tmp/kernel" "$tmp/dump.c" 2>"$tmp/kernel.err" || {
	echo "check-hv-userspace: not in include/hyperv/ (or different):" >&2
	grep -E 'error' "$tmp/kernel.err" | head -n 20 >&2
	exit 1
}
"$cc" -Wall -Werror -I"$inc" '-DHEADER="hyperv_root.h"' \
	-o "$tmp/user" "$tmp/dump.c"
"$tmp/kernel" >"$tmp/kernel.out"
"$tmp/user" >"$tmp/user.out"
if ! diff -u "$tmp/kernel.out" "$tmp/user.out" >"$tmp/diff"; then
	echo "check-hv-userspace: userspace header differs from include/hyperv/" \
		"(- kernel, + userspace):" >&2
	grep '^[-+][^-+]' "$tmp/diff" >&2
	exit 1
fi
echo "check-hv-userspace: $(grep -c '^macro' "$tmp/names") macros," \
	"$(grep -c '^type' "$tmp/names") types," \
	"$(grep -c '^member' "$tmp/names") members as in include/hyperv/"
