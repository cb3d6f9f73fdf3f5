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
	'KCSAN|KCSAN:'
	'KMSAN|KMSAN:'
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

# One kernel warning is not a finding: when fault injection fails an
# allocation inside the kernel's own registration of a module's trace
# events (trace_define_field_ext() from event_define_fields(), while the
# module loads), the kernel says WARN_ON_ONCE where it could say ENOMEM, and
# the load carries on without those fields. It is excused only within 80
# lines after fault injection's "forcing a failure", so a real warning
# there, with nothing injected, still fails the run. The line reads
# "WARNING: CPU: 1 PID: 79 at kernel/trace/trace_events.c:N
# event_define_fields+..." on 6.1 and "WARNING:
# kernel/trace/trace_events.c:N at event_define_fields+..., CPU#1: ..."
# on 7.3.
excused=$(awk '
	/FAULT_INJECTION: forcing a failure/ { injected = NR }
	/WARNING: (.* at )?kernel\/trace\/trace_events\.c:[0-9]+ (at )?event_define_fields/ &&
	    injected && NR - injected <= 80 { print NR }' <<<"$text")
if [ -n "$excused" ]; then
	while read -r n; do
		echo "# $name: excused, after an injected allocation failure: $(sed -n "${n}p" <<<"$text")"
	done <<<"$excused"
	text=$(awk -v lines="$(tr '\n' ' ' <<<"$excused")" '
		BEGIN { split(lines, l, " "); for (i in l) skip[l[i]] = 1 }
		!(NR in skip)' <<<"$text")
fi
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
