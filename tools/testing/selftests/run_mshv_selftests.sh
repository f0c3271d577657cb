#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the installed mshv kselftests (make -C tools/testing/selftests
# install) through the kernel's runner, run_kselftest.sh: one program at
# a time (-t COLLECTION:PROG, in kselftest-list.txt's order), each
# followed by "# time: PROG N s".  A failing program never stops the run;
# the runner's TAP (the program's own lines nested under "# ", then
# "ok N selftests: COLLECTION: PROG") is what tools/mshv/vm/count-results.sh
# counts.  The per-program timeout is each collection's settings file.
#
#   run_mshv_selftests.sh                    every program once, in order
#   run_mshv_selftests.sh --shuffle SEED N   then N more passes over every
#                                            single test, each pass in its
#                                            own random order (seeded),
#                                            one test per process
#
# A shuffled pass runs "PROG -r NAME" for each test NAME that the ordered
# pass reported, so a test that depends on what ran before it in its
# program (a counter, a leftover) fails there.
# MSHV_SKIP_PROGS="a b" in the environment skips those programs, each
# with one "ok - PROG # SKIP" line (MSHV_SKIP_WHY says why).
# Exit status: 0 if every program passed (or skipped), 1 otherwise.

cd "$(dirname "$0")" || exit 1
out=$(mktemp "${TMPDIR:-/tmp}/mshv-selftest.XXXXXX") || exit 1
names=$(mktemp "${TMPDIR:-/tmp}/mshv-names.XXXXXX") || exit 1
failed=0
seed=""
passes=0
if [ "${1:-}" = --shuffle ]; then
	seed=$2
	passes=$3
fi

while IFS=: read -r coll prog; do
	case " ${MSHV_SKIP_PROGS:-} " in
	*" $prog "*)
		echo "ok - $prog # SKIP ${MSHV_SKIP_WHY:-skipped}"
		continue
		;;
	esac
	t0=$(date +%s)
	# Appending: the runner also opens /dev/stdout (its log) for appending,
	# and two offsets into one file would overwrite each other.
	: >"$out"
	./run_kselftest.sh -t "$coll:$prog" >>"$out" 2>&1 </dev/null
	cat "$out"
	echo "# time: $prog $(($(date +%s) - t0)) s"
	grep -q "^not ok .* selftests: $coll: $prog" "$out" && failed=1
	grep -q "^ok .* selftests: $coll: $prog" "$out" || failed=1
	# "# ok 3 fixture.variant.test # SKIP .." -> "coll prog fixture.variant.test"
	sed -n "s/^# \(not \)\{0,1\}ok [0-9][0-9]* \([^ ]*\).*/$(echo "$coll" |
		sed 's|/|\\/|g') $prog \2/p" "$out" >>"$names"
done <kselftest-list.txt

pass=1
while [ "$pass" -le "$passes" ]; do
	echo "# ---- shuffled pass $pass of $passes, seed $seed"
	awk -v seed="$((seed + pass))" 'BEGIN { srand(seed) }
		{ printf "%.9f %s\n", rand(), $0 }' "$names" | sort -n |
		while read -r _ coll prog name; do
			t0=$(date +%s)
			(cd "$coll" && "./$prog" -r "$name") >"$out" 2>&1
			rc=$?
			echo "# time: $prog $name $(($(date +%s) - t0)) s"
			if [ "$rc" -ne 0 ]; then
				# The test's own lines first, nested: counted
				# once, as this summary line.
				sed 's/^/#   /' "$out"
				echo "not ok - pass $pass: $prog $name"
				: >"$out.failed"
			elif grep -q '^ok .* # SKIP' "$out"; then
				echo "ok - pass $pass: $prog $name # SKIP"
			else
				echo "ok - pass $pass: $prog $name"
			fi
		done
	[ -e "$out.failed" ] && failed=1
	pass=$((pass + 1))
done

rm -f "$out" "$out.failed" "$names"
exit "$failed"
