#!/usr/bin/env bash
# The guest test suite against one kernel: TAP on stdout, progress on stderr.
#
#   vm/guest-suite.sh NAME KERNEL KDIR
#
# NAME     label and build directory (build/NAME/), e.g. stock or debug
# KERNEL   the bzImage to boot, e.g. /boot/vmlinuz-6.1.0-56-amd64
# KDIR     the matching kernel build tree the module is built against
#
# Builds and packs the guest (vm/prepare-guest.sh), boots it in check mode
# and passes on the guest's results live, each prefixed with NAME; then
# says whether the guest finished and what the kernel log holds. A step that
# fails becomes a failing test rather than an early exit, so one run shows
# everything that is wrong. QOTD_TIMEOUT bounds the guest (vm/run.sh).
# QOTD_EXPECT_RELEASE: the kernel release the guest must have booted (its
# "Linux version" line), so that a pinned kernel line cannot drift.
set -euo pipefail

[ $# -eq 3 ] || { echo "usage: $0 NAME KERNEL KDIR" >&2; exit 2; }
name=$1 kernel=$2 kdir=$3
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/build/$name

say() { echo "== $name: $*" >&2; }

. "$root/vm/lock.sh"
lock_build "$name"

if ! "$root/vm/prepare-guest.sh" "$name" "$kdir"; then
	echo "not ok - $name: guest tests (not run: nothing to boot)"
	exit 0
fi

say "booting $kernel under QEMU (timeout ${QOTD_TIMEOUT:-600}s)"
start=$(date +%s)
# Exists before tail looks at it; QEMU truncates it when it opens it.
: >"$out/tap.txt"
"$root/vm/run.sh" check "$kernel" "$out/initramfs.cpio.gz" "$out" \
	>"$out/qemu.log" 2>&1 &
qemu_pid=$!

# Show the guest's results as they come; tail exits once QEMU has gone,
# after a last read.
tail -n +1 -F --pid="$qemu_pid" "$out/tap.txt" 2>/dev/null |
	sed -u -E "s/^(not ok|ok)([[:space:]]+[0-9]+)?([[:space:]]+-)?[[:space:]]*/\\1 - $name: /" ||
	true
qemu_rc=0
wait "$qemu_pid" || qemu_rc=$?
say "QEMU ended after $(($(date +%s) - start))s (exit status $qemu_rc)"
[ $qemu_rc -eq 0 ] || sed 's/^/# qemu: /' "$out/qemu.log"

if [ -n "${QOTD_EXPECT_RELEASE:-}" ]; then
	booted=$(tr -d '\r' <"$out/console.log" 2>/dev/null |
		sed -n -E 's/.*Linux version ([^ ]+) .*/\1/p' | head -n 1)
	if [ "$booted" = "$QOTD_EXPECT_RELEASE" ]; then
		echo "ok - $name: the guest ran Linux $booted"
	else
		echo "not ok - $name: the guest ran Linux $QOTD_EXPECT_RELEASE (it ran ${booted:-nothing})"
	fi
fi
"$root/vm/done-check.sh" "$name" "$out/tap.txt" "$out/console.log"
"$root/vm/scan-log.sh" "$name" "$out/console.log"
