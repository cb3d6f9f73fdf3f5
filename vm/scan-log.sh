#!/usr/bin/env bash
# Judge a guest's kernel console log: TAP on stdout.
#
#   vm/scan-log.sh NAME CONSOLE_LOG
#
# One failing test per kind of problem found (oops, BUG, WARNING, lockdep,
# KASAN, ...), with the offending lines as comments; one passing test when
# the log is clean. A line is counted once, under the first kind it matches,
# so a lockdep report ("WARNING: possible circular locking ...") is not also
# counted as a plain WARNING.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 NAME CONSOLE_LOG" >&2; exit 2; }
name=$1 log=$2

# kind|extended regex. Patterns are chosen not to match the lines a debug
# kernel prints at boot ("kmemleak: Kernel memory leak detector initialized",
# "kasan: KernelAddressSanitizer initialized").
kinds=(
	'possible circular locking|possible circular locking dependency'
	'possible recursive locking|possible recursive locking detected'
	'lockdep|inconsistent lock state|suspicious RCU usage|lock held when returning to user space|bad unlock balance detected|lock held at task exit'
	'sleeping function called from invalid context|sleeping function called from invalid context'
	'KASAN|KASAN:'
	'UBSAN|UBSAN:'
	'kmemleak|kmemleak: .*suspected memory leak'
	# kmemleak's own trouble: it stops tracking, or tracks wrongly.
	'kmemleak trouble|kmemleak: .*(Cannot allocate a kmemleak_object|Memory pool empty|unknown object|Found object by alias|Scan area larger|detector disabled)'
	'hung task|INFO: task .* blocked'
	'RCU stall|rcu: INFO: .*detected stall'
	'Kernel panic|Kernel panic'
	'general protection fault|general protection fault'
	'Oops|Oops'
	'BUG|BUG:'
	'WARNING|WARNING:'
)

if [ ! -s "$log" ]; then
	echo "not ok - $name: kernel log is missing or empty ($log)"
	exit 0
fi

# CRs come from the serial console; drop them once.
text=$(tr -d '\r' <"$log")
clean=1
for entry in "${kinds[@]}"; do
	kind=${entry%%|*} re=${entry#*|}
	hits=$(grep -E -- "$re" <<<"$text" || true)
	[ -n "$hits" ] || continue
	clean=0
	count=$(wc -l <<<"$hits")
	echo "not ok - $name: kernel log reports $kind ($count line(s))"
	head -n 20 <<<"$hits" | sed 's/^/#   /'
	[ "$count" -le 20 ] || echo "#   ..."
	echo "#   full log: $log"
	# Do not count these lines again under a later, broader kind.
	text=$(grep -v -E -- "$re" <<<"$text" || true)
done
[ $clean -eq 0 ] || echo "ok - $name: kernel log has no oops, BUG, WARNING, lockdep or sanitizer report"
