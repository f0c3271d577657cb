#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Compare the hypervisor constants of include/hyperv/*.h with their table,
# tools/mshv/abi/hv-constants.tsv (name, value, source), on the host.
#
#  - every object-like #define and every struct/union of the headers must
#    have a row (a struct or union as "sizeof(struct NAME)"), and every row
#    must name something the headers still define;
#  - a generated C program, built against the headers with a small shim
#    for the kernel-only helpers, checks each row's value.
#
# usage: check-hv-constants.sh [--list]
#   --list  print NAME<TAB>VALUE for every define and struct the headers
#           have (to draft rows for new constants; sources are added by hand)
#
# Exit code 0 when the table and the headers agree, 1 otherwise.
set -euo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
table=$top/tools/mshv/abi/hv-constants.tsv
headers=(include/hyperv/hvgdk.h include/hyperv/hvhdk.h
	 include/hyperv/mshv_platform.h)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$top"

# Names the headers define: object-like macros (no '(' right after the
# name), minus include guards; structs and unions with a body.
for h in "${headers[@]}"; do
	sed -n 's/^#define[[:space:]]\{1,\}\([A-Za-z0-9_]\{1,\}\)\([[:space:]].*\)\{0,1\}$/\1/p' "$h" |
		grep -v '^_HYPERV_.*_H$' || true
done | sort -u >"$tmp/defines"
for h in "${headers[@]}"; do
	sed -n 's/^\(struct\|union\) \([a-z0-9_]\{1,\}\) {.*$/sizeof(\1 \2)/p' "$h"
done | sort -u >"$tmp/types"
cat "$tmp/defines" "$tmp/types" | sort -u >"$tmp/names"

# The shim: what the kernel provides to these headers.
mkdir -p "$tmp/shim/linux"
cat >"$tmp/shim/linux/types.h" <<'EOF'
#include <stdint.h>
#include <stddef.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;
#define __packed __attribute__((__packed__))
#define U64_MAX UINT64_MAX
EOF
cat >"$tmp/shim/linux/bits.h" <<'EOF'
#define BIT(n)		(1UL << (n))
#define BIT_ULL(n)	(1ULL << (n))
#define GENMASK(h, l)	((~0UL << (l)) & (~0UL >> (63 - (h))))
#define GENMASK_ULL(h, l) ((~0ULL << (l)) & (~0ULL >> (63 - (h))))
EOF
cat >"$tmp/shim/linux/build_bug.h" <<'EOF'
#define static_assert(e, ...) _Static_assert(e, #e)
EOF

if [[ ${1:-} == --list ]]; then
	{
		echo '#include <stdio.h>'
		for h in "${headers[@]}"; do echo "#include \"$top/$h\""; done
		echo 'int main(void) {'
		while read -r n; do
			printf '\tprintf("%%s\\t0x%%llx\\n", "%s", (unsigned long long)(%s));\n' "$n" "$n"
		done <"$tmp/names"
		echo 'return 0; }'
	} >"$tmp/list.c"
	cc -std=gnu11 -w -I"$tmp/shim" -I"$top/include" -o "$tmp/list" "$tmp/list.c"
	"$tmp/list"
	exit 0
fi

rc=0
# Rows: skip comments and blank lines; exactly three tab-separated fields.
awk -F'\t' '!/^#/ && NF {
	if (NF != 3 || $1 == "" || $2 == "" || $3 == "") {
		printf "hv-constants.tsv:%d: need name<TAB>value<TAB>source\n", NR
		bad = 1
	}
	print $1 > "/dev/stderr"
} END { exit bad }' "$table" 2>"$tmp/rows.raw" || rc=1
grep -v '^hv-constants.tsv:' "$tmp/rows.raw" | sort >"$tmp/rows" || true
grep '^hv-constants.tsv:' "$tmp/rows.raw" || true
dups=$(uniq -d "$tmp/rows")
if [[ -n $dups ]]; then
	echo "hv-constants: rows listed twice:" $dups
	rc=1
fi
missing=$(comm -23 "$tmp/names" <(sort -u "$tmp/rows"))
stale=$(comm -13 "$tmp/names" <(sort -u "$tmp/rows"))
if [[ -n $missing ]]; then
	echo "hv-constants: defined in include/hyperv/ but not in the table:"
	echo "$missing" | sed 's/^/  /'
	rc=1
fi
if [[ -n $stale ]]; then
	echo "hv-constants: in the table but not defined in include/hyperv/:"
	echo "$stale" | sed 's/^/  /'
	rc=1
fi

# Values: one check per row.
{
	echo '#include <stdio.h>'
	for h in "${headers[@]}"; do echo "#include \"$top/$h\""; done
	echo 'static int bad, n;'
	echo 'static void chk(const char *name, unsigned long long got, unsigned long long want)'
	echo '{'
	echo '	n++;'
	echo '	if (got != want) {'
	echo '		printf("hv-constants: %s is 0x%llx in the headers, 0x%llx in the table\n", name, got, want);'
	echo '		bad++;'
	echo '	}'
	echo '}'
	echo 'int main(void) {'
	awk -F'\t' '!/^#/ && NF == 3 {
		printf "\tchk(\"%s\", (unsigned long long)(%s), %sULL);\n", $1, $1, $2
	}' "$table" | grep -F -f <(sed 's/.*/"&"/' "$tmp/names") || true
	echo '	printf("hv-constants: %d values checked, %d mismatches\n", n, bad);'
	echo '	return !!bad;'
	echo '}'
} >"$tmp/check.c"
if ! cc -std=gnu11 -Wall -Werror -Wno-unused-function -I"$tmp/shim" \
		-I"$top/include" -o "$tmp/check" "$tmp/check.c"; then
	echo "hv-constants: the generated check does not build"
	exit 1
fi
"$tmp/check" || rc=1
echo "hv-constants: $(wc -l <"$tmp/names") names in include/hyperv/, $(wc -l <"$tmp/rows") rows"
exit $rc
