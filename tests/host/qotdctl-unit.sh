#!/usr/bin/env bash
# qotdctl's own unit tests (make -C qotdctl check), which print TAP. A failing
# build or a non-zero exit without a failing test becomes a failing test.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$root/build/host-qotdctl
mkdir -p "$out"
rc=0
make -s --no-print-directory -C "$src/qotdctl" O="$out" check >"$out/check.log" 2>&1 || rc=$?
# Prefix descriptions so they read well among the other checks.
sed -E 's/^(not ok|ok)([[:space:]]+[0-9]+)?([[:space:]]+-)?[[:space:]]*/\1 - qotdctl: /' "$out/check.log"
if [ $rc -ne 0 ] && ! grep -q -E '^not ok([[:space:]]|$)' "$out/check.log"; then
	echo "not ok - qotdctl: make check exited with status $rc"
fi
if ! grep -q -E '^(ok|not ok)([[:space:]]|$)' "$out/check.log"; then
	echo "not ok - qotdctl: make check reported no test results"
fi
