#!/usr/bin/env bash
# Judge the end of a guest run from its test channel: TAP on stdout.
#
#   vm/done-check.sh NAME TAP_FILE CONSOLE_LOG
#
# The guest's /init ends the channel with "# qotd-guest-done exit=N". No
# marker means the guest hung, crashed or was killed before its tests
# finished, whatever they had printed so far. A marker with a non-zero exit
# and no failing test means the test script died without saying why.
set -euo pipefail

[ $# -eq 3 ] || { echo "usage: $0 NAME TAP_FILE CONSOLE_LOG" >&2; exit 2; }
name=$1 tap=$2 log=$3

retried=$(dirname "$log")/boot-retried
if [ -s "$retried" ]; then
	echo "# $name: the first boot crashed before /init, so before anything of qotd ran, and was retried: $(cat "$retried") (log: $(dirname "$log")/console.boot1.log)"
fi

marker=$(grep -a -E '^# qotd-guest-done exit=[0-9]+' "$tap" 2>/dev/null | tail -n 1 || true)
if [ -z "$marker" ]; then
	echo "not ok - $name: guest ran its tests to the end (no done marker: hung, crashed or timed out)"
	if [ -s "$log" ]; then
		echo "#   last lines of $log:"
		tr -d '\r' <"$log" | tail -n 15 | sed 's/^/#   /'
	fi
	exit 0
fi
echo "ok - $name: guest ran its tests to the end"

status=${marker##*exit=}
results=$(grep -a -c -E '^(ok|not ok)([[:space:]]|$)' "$tap" || true)
failures=$(grep -a -c -E '^not ok([[:space:]]|$)' "$tap" || true)
if [ "$results" -eq 0 ]; then
	echo "not ok - $name: guest reported no test results (exit $status)"
elif [ "$status" -ne 0 ] && [ "$failures" -eq 0 ]; then
	echo "not ok - $name: guest test script exited with status $status but reported no failure"
fi
