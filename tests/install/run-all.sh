#!/usr/bin/env bash
# The installation checks, in order: TAP on stdout (feed it to
# vm/tap-report.sh), progress on stderr.
#
#   tests/install/run-all.sh           checks that change nothing outside
#                                      build/ (two of them boot a guest)
#   tests/install/run-all.sh --system  also those that install into this
#                                      machine and remove it all again:
#                                      make install, DKMS, the packages (root)
#
# A check that dies is reported as a failing test, and the rest still run.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)

checks=(versions man-check modinfo install udev)
if [ "${1:-}" = --system ]; then
	checks+=(install-live dkms deb)
elif [ $# -gt 0 ]; then
	echo "usage: $0 [--system]" >&2
	exit 2
fi

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for check in "${checks[@]}"; do
	echo "== install: $check" >&2
	rc=0
	"$dir/$check.sh" | tee "$tmp" || rc=${PIPESTATUS[0]}
	# A check that fails says so; a non-zero exit with no failing test
	# means it died on the way.
	if [ "$rc" -ne 0 ] && ! grep -q '^not ok' "$tmp"; then
		echo "not ok - install check $check died (exit $rc)"
	fi
done
