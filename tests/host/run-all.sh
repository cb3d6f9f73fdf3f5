#!/usr/bin/env bash
# All host-side checks, in order: TAP on stdout (feed it to vm/tap-report.sh).
# A check that dies is reported as a failing test, and the rest still run.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$dir/../.." && pwd)

# The checks build in build/host-*/: one run at a time.
. "$root/vm/lock.sh"
lock_build host

for check in kbuild checkpatch ioctl-number scan-log qotdctl-unit; do
	echo "== host: $check" >&2
	rc=0
	"$dir/$check.sh" || rc=$?
	[ $rc -eq 0 ] || echo "not ok - host check $check died (exit $rc)"
done
