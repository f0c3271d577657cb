#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The published x64 register names, tools/mshv/abi/hv-registers.tsv (name,
# value, what hvsim does, source, why), against the rest of the tree:
#
#  - every register name include/hyperv/hvgdk.h defines is in the list
#    with the same value;
#  - the table in Documentation/virt/mshv/hvsim.rst (between the
#    "hv-registers begin/end" comments) is the one the list gives.
#
# The hvsim_regnames_test selftest checks hvsim against the same list.
#
# usage: check-hv-registers.sh [--rst | --header]
#   --rst     print the documentation table
#   --header  print the selftest's C table
# Exit code 0 when everything agrees, 1 otherwise.
set -euo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
list=$top/tools/mshv/abi/hv-registers.tsv
doc=$top/Documentation/virt/mshv/hvsim.rst
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rows() {
	awk -F'\t' '!/^#/ && NF' "$list"
}

rst() {
	printf '.. list-table::\n   :header-rows: 1\n   :widths: 40 12 8 40\n\n'
	printf '   * - Name\n     - Value\n     - hvsim\n     - Why\n'
	rows | awk -F'\t' '{
		printf "   * - ``%s``\n     - ``%s``\n     - %s\n     - %s\n",
		       $1, $2, $3, $5 }'
}

header() {
	echo '/* Generated from tools/mshv/abi/hv-registers.tsv: do not edit. */'
	rows | awk -F'\t' '{
		printf "\t{ %s, HVREG_%s, \"%s\" },\n", $2, toupper($3), $1 }'
}

case ${1:-} in
--rst) rst; exit 0 ;;
--header) header; exit 0 ;;
esac

rc=0
bad=$(rows | awk -F'\t' 'NF != 5 || $3 !~ /^(rw|ro|wo|no)$/ ||
	$2 !~ /^0x[0-9a-f]+$/ || $4 == "" || $5 == ""')
if [[ -n $bad ]]; then
	echo "hv-registers: malformed rows:" >&2
	echo "$bad" >&2
	rc=1
fi
dups=$(rows | cut -f1 | sort | uniq -d)
if [[ -n $dups ]]; then
	echo "hv-registers: names listed twice: $dups" >&2
	rc=1
fi

# Register names of the headers, with their values, through the constants
# check's list mode (which compiles the headers).
bash "$top/tools/mshv/scripts/check-hv-constants.sh" --list |
	awk -F'\t' '$1 ~ /^HV_(X64_)?REGISTER_/ && $1 !~ /_CLASS_/' |
	sort >"$tmp/defined"
rows | awk -F'\t' '{ print $1 "\t" $2 }' | sort >"$tmp/listed"
missing=$(join -t $'\t' -v 1 "$tmp/defined" "$tmp/listed" | cut -f1)
if [[ -n $missing ]]; then
	echo "hv-registers: defined in include/hyperv/ but not listed:" >&2
	echo "$missing" | sed 's/^/  /' >&2
	rc=1
fi
differ=$(join -t $'\t' "$tmp/defined" "$tmp/listed" |
	 awk -F'\t' '$2 != $3 { print "  " $1 ": header " $2 ", list " $3 }')
if [[ -n $differ ]]; then
	echo "hv-registers: values differ:" >&2
	echo "$differ" >&2
	rc=1
fi

rst >"$tmp/want.rst"
sed -n '/^\.\. hv-registers begin/,/^\.\. hv-registers end/p' "$doc" |
	sed '1d;$d' | sed '1{/^$/d}' | sed '${/^$/d}' >"$tmp/have.rst"
if ! diff -u "$tmp/have.rst" "$tmp/want.rst" >"$tmp/diff"; then
	echo "hv-registers: the table in ${doc#"$top"/} differs from the list" \
	     "(regenerate it with $0 --rst):" >&2
	head -40 "$tmp/diff" >&2
	rc=1
fi

n=$(rows | wc -l)
echo "hv-registers: $n names: $(rows | cut -f3 | sort | uniq -c |
	awk '{ printf "%s%s %s", sep, $2, $1; sep = ", " }')"
exit $rc
