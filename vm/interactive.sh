#!/usr/bin/env bash
# Build the guest and boot it for a person rather than for the test suite.
#
#   vm/interactive.sh demo|shell NAME KERNEL KDIR
#
# demo   the guest runs /tests/demo.sh; its output shows live here
# shell  the guest loads qotd.ko and opens a shell on the console here
# Builds in build/NAME/ (vm/prepare-guest.sh), so a check running at the
# same time under another name is not disturbed.
set -euo pipefail

[ $# -eq 4 ] || { echo "usage: $0 demo|shell NAME KERNEL KDIR" >&2; exit 2; }
mode=$1 name=$2 kernel=$3 kdir=$4
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/build/$name

. "$root/vm/lock.sh"
lock_build "$name"

# Build steps as TAP lines; the details of a failure are in the comments.
"$root/vm/prepare-guest.sh" "$name" "$kdir" || exit 1

case $mode in
demo)
	echo "== booting $kernel; the session follows (kernel log: $out/console.log)"
	rc=0
	"$root/vm/run.sh" demo "$kernel" "$out/initramfs.cpio.gz" "$out" || rc=$?
	# The demo is not a test, but a kernel warning during it is news.
	"$root/vm/scan-log.sh" "$name" "$out/console.log" | grep -v '^ok' || true
	exit $rc
	;;
shell)
	echo "== booting $kernel with qotd.ko loaded; Ctrl-A x quits QEMU"
	exec "$root/vm/run.sh" shell "$kernel" "$out/initramfs.cpio.gz" "$out"
	;;
*)
	echo "usage: $0 demo|shell NAME KERNEL KDIR" >&2
	exit 2
	;;
esac
