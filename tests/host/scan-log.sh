#!/usr/bin/env bash
# vm/scan-log.sh, which judges every guest's kernel log, on logs made up
# for the purpose: a clean log passes; a report of each kind fails it; the
# one warning it excuses (the kernel's own, when fault injection fails a
# field of a module's trace event as the module loads) is excused only
# right after an injected failure, and no other warning is.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$root/build/host-scan-log
mkdir -p "$out"
injected='FAULT_INJECTION: forcing a failure.'
trace_warn='WARNING: CPU: 1 PID: 79 at kernel/trace/trace_events.c:2556 event_define_fields+0x463/0x700'
# The same warning as 7.3 words it.
trace_warn7='WARNING: kernel/trace/trace_events.c:3147 at event_define_fields+0x48f/0x750, CPU#1: failnth/1212'

# expect PASS|FAIL DESCRIPTION LINE...: scan a log of those lines.
expect() {
	local want=$1 what=$2 log=$out/log.txt verdict
	shift 2
	printf '%s\n' "[    0.000000] Linux version 6.1.0" "$@" "[    9.000000] reboot: Power down" >"$log"
	verdict=$("$root/vm/scan-log.sh" t "$log" | grep -E '^(not )?ok' || true)
	if { [ "$want" = PASS ] && [ "$verdict" = "ok - t: kernel log has no oops, BUG, WARNING, lockdep or sanitizer report" ]; } ||
		{ [ "$want" = FAIL ] && grep -q '^not ok' <<<"$verdict"; }; then
		echo "ok - scan-log: $what"
	else
		echo "not ok - scan-log: $what"
		sed 's/^/#   /' <<<"$verdict"
	fi
}

expect PASS "a clean log passes" "[    1.0] qotd: created /dev/qotd0"
expect FAIL "a WARNING fails the log" "[    1.0] WARNING: CPU: 0 PID: 1 at drivers/x.c:1 f+0x1/0x2"
expect FAIL "a KASAN report fails the log" "[    1.0] BUG: KASAN: slab-out-of-bounds in qotd_write_iter+0x1/0x2"
expect FAIL "a UBSAN report fails the log" "[    1.0] UBSAN: shift-out-of-bounds in driver/qotd_main.c:1:2"
expect FAIL "a lockdep report fails the log" "[    1.0] WARNING: possible circular locking dependency detected"
expect FAIL "a kmemleak report fails the log" "[    1.0] kmemleak: 1 new suspected memory leaks (see /sys/kernel/debug/kmemleak)"
expect PASS "the trace-event field warning is excused right after an injected failure" \
	"[    1.0] $injected" "[    1.0] name failslab, interval 1" "[    1.1] $trace_warn"
expect FAIL "the same warning with nothing injected is not" "[    1.1] $trace_warn"
expect PASS "the trace-event field warning as 7.3 words it is excused right after an injected failure" \
	"[    1.0] $injected" "[    1.0] name failslab, interval 1" "[    1.1] $trace_warn7"
expect FAIL "that one with nothing injected is not either" "[    1.1] $trace_warn7"
filler=()
for i in $(seq 1 90); do filler+=("[    1.0] line $i"); done
expect FAIL "nor is it 90 lines after an injected failure" "[    1.0] $injected" "${filler[@]}" "[    1.1] $trace_warn"
expect FAIL "another warning right after an injected failure is not" \
	"[    1.0] $injected" "[    1.1] WARNING: CPU: 1 PID: 79 at drivers/char/qotd.c:1 qotd_x+0x1/0x2"
expect FAIL "nor one in 7.3's words" \
	"[    1.0] $injected" "[    1.1] WARNING: drivers/char/qotd.c:1 at qotd_x+0x1/0x2, CPU#1: t/1"
