#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# usage: tap-run.sh PROGRAM [ARG...]
# Run one of the harness programs and pass its TAP through.  If it exits
# non-zero without a "not ok" line, or reports fewer results than its plan
# (it crashed: a sanitizer report, a signal), add a "not ok" line saying
# so, so that tools/mshv/vm/count-results.sh counts a failure.  The exit
# status is the program's.

set -u

out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT

"$@" | tee "$out"
rc=${PIPESTATUS[0]}

awk -v prog="${1##*/}" -v rc="$rc" '
/^1\.\.[0-9]+/ { plan += substr($1, 4) }
/^(not )?ok( |$)/ { n++ }
/^not ok( |$)/ { bad++ }
END {
	if (n < plan)
		printf "not ok - %s: %d of %d results, exit %d\n", prog, n, plan, rc
	else if (rc && !bad)
		printf "not ok - %s: exit %d and no failing case\n", prog, rc
}' "$out"
exit "$rc"
