#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# usage: scan-log.sh LOG
# Print every kernel splat line (WARN, BUG, Oops, lockdep, KASAN, ...)
# in a console log as LOG:LINE: text. Exit 1 if there is any, else 0.

set -euo pipefail

(($# == 1)) || {
	echo "usage: $0 LOG" >&2
	exit 2
}
log=$1
[[ -r $log ]] || {
	echo "scan-log: cannot read $log" >&2
	exit 2
}

splats=(
	'WARNING:' 'BUG:' 'KASAN' 'UBSAN' 'kernel BUG' 'Oops'
	'general protection fault' 'possible circular locking'
	'possible recursive locking' 'inconsistent lock state'
	'suspicious RCU usage' 'INFO: task .* blocked' 'unreferenced object'
	'Call Trace:' 'Kernel panic' 'sleeping function called from invalid context'
	'list_add corruption' 'list_del corruption' 'refcount_t:'
)
# Boot-time lines that match but are not bugs: CPU mitigation notices
# such as "RETBleed: WARNING: Spectre v2 mitigation leaves CPU vulnerable".
benign=(
	'(Spectre|RETBleed|MDS|TAA|MMIO Stale Data|SRBDS|GDS|SRSO|ITS|VMSCAPE)[^:]*: WARNING:'
)

args=()
for p in "${splats[@]}"; do args+=(-e "$p"); done
skip=()
for p in "${benign[@]}"; do skip+=(-e "$p"); done

found=$(tr -d '\r' <"$log" | grep -naE "${args[@]}" | grep -vaE "${skip[@]}" || true)
if [[ -z $found ]]; then
	exit 0
fi
awk -v f="$log" '{ print f ":" $0 }' <<<"$found"
echo "scan-log: $(wc -l <<<"$found") splat line(s) in $log" >&2
exit 1
