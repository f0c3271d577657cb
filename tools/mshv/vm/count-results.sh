#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# usage: count-results.sh LOG...
# Count test results in console logs; the last line printed is
# "N passed, N failed" (", N skipped" added when there are skips).
# Exit 1 if anything failed or nothing passed. Failures are listed on stderr.
#
# Accepted lines (a CR at the end and a printk "[ 1.234567] " prefix are
# ignored; the nesting prefix is any run of spaces, tabs and '#'):
#   ok N desc, ok - desc       passed (also "ok N desc # XFAIL ...")
#   not ok N desc, not ok - .. failed (the number is optional in TAP)
#   ok|not ok N desc # SKIP .. skipped (# TODO counts as skipped, too)
#   MSHV-RESULT: FAIL name     failed (a whole program, from the runner)
#   TAP version N, KTAP version N   start of a (sub)test document
# Nested KTAP/kselftest output: a result line that follows more deeply
# nested results is its parent's summary; it is not counted again, except
# a "not ok" parent none of whose subtests failed, which is one failure.
# Everything else (plans "1..N", "# Totals:", "# PASSED:", harness
# "#  RUN"/"#  OK" lines, kernel messages) is ignored.

set -euo pipefail

(($#)) || {
	echo "usage: $0 LOG..." >&2
	exit 2
}

awk '
function fail(why) {
	failed++
	printf "count-results: FAIL %s:%d: %s\n", FILENAME, FNR, why > "/dev/stderr"
}
FNR == 1 { n = 0 }
{
	sub(/\r$/, "")
	sub(/^\[ *[0-9]+\.[0-9]+\] /, "")
}
/^[ \t]*MSHV-RESULT: FAIL/ { fail($0); n = 0; next }
/^[ \t#]*K?TAP version [0-9]+/ {
	match($0, /^[ \t#]*/)
	while (n > 0 && depth[n] >= RLENGTH)
		n--
	next
}
/^[ \t#]*(not )?ok( [0-9]+)?( |$)/ {
	match($0, /^[ \t#]*/)
	d = RLENGTH
	line = substr($0, d + 1)
	st = "pass"
	if (line ~ /^not /)
		st = "fail"
	if (line ~ /#[ \t]*([Ss][Kk][Ii][Pp]|[Tt][Oo][Dd][Oo])/)
		st = "skip"

	# Pop the subtests of this line, if any.
	parent = 0
	subfail = 0
	while (n > 0 && depth[n] > d) {
		parent = 1
		subfail = subfail || failseen[n]
		n--
	}
	if (!parent) {
		if (st == "pass") passed++
		else if (st == "skip") skipped++
		else fail(line)
		flag = (st == "fail")
	} else if (st == "fail" && !subfail) {
		fail(line)
		flag = 1
	} else {
		flag = subfail
	}
	n++
	depth[n] = d
	failseen[n] = flag
}
END {
	out = sprintf("%d passed, %d failed", passed, failed)
	if (skipped)
		out = out sprintf(", %d skipped", skipped)
	print out
	exit (failed > 0 || passed == 0) ? 1 : 0
}
' "$@"
