#!/usr/bin/env bash
# Boot the Debian kernel with a module and a guest script of our own: TAP on
# stdout, each description prefixed with NAME.
#
#   tests/install/guest.sh NAME KO SCRIPT [OVERLAY_DIR]
#
# The initramfs is vm/mkinitramfs.sh's (busybox, vm/init, KO as
# /lib/modules/qotd.ko) followed by a second archive holding SCRIPT as
# /tests/run-all.sh and the files of OVERLAY_DIR. The kernel unpacks the
# archives in order, so ours replace what the first had at the same paths;
# vm/init then runs SCRIPT in check mode. Whether the guest got to the end
# and what the kernel log says are reported as in the guest suite. Work
# files go to build/NAME/. KVER picks the kernel (/boot/vmlinuz-KVER);
# QOTD_GUEST_KERNEL names another image to boot.
set -euo pipefail
# shellcheck source=tests/install/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -ge 3 ] || { echo "usage: $0 NAME KO SCRIPT [OVERLAY_DIR]" >&2; exit 2; }
name=$1 ko=$2 script=$3 overlay=${4:-}
out=$root/build/$name
kernel=${QOTD_GUEST_KERNEL:-/boot/vmlinuz-$KVER}
mkdir -p "$out"

if [ ! -r "$kernel" ]; then
	fail "$name: kernel $kernel is readable"
	finish
	exit
fi
if ! "$root/vm/mkinitramfs.sh" "$out/base.cpio.gz" "$ko" - - >"$out/initramfs.log" 2>&1; then
	fail "$name: pack the initramfs"
	tail -n 20 "$out/initramfs.log" | diag
	finish
	exit
fi

stage=$out/overlay
rm -rf "$stage"
mkdir -p "$stage/tests"
[ -z "$overlay" ] || cp -a "$overlay"/. "$stage/"
install -m 0755 "$script" "$stage/tests/run-all.sh"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$out/overlay.cpio.gz"
cat "$out/base.cpio.gz" "$out/overlay.cpio.gz" >"$out/initramfs.cpio.gz"

rc=0
"$root/vm/run.sh" check "$kernel" "$out/initramfs.cpio.gz" "$out" >"$out/qemu.log" 2>&1 || rc=$?
[ $rc -eq 0 ] || sed 's/^/# qemu: /' "$out/qemu.log"

# The guest's own results, then the verdicts on the run as a whole.
tr -d '\r' <"$out/tap.txt" 2>/dev/null |
	sed -E "s/^(not ok|ok)([[:space:]]+[0-9]+)?([[:space:]]+-)?[[:space:]]*/\\1 - $name: /" || true
verdicts=$("$root/vm/done-check.sh" "$name" "$out/tap.txt" "$out/console.log"
	"$root/vm/scan-log.sh" "$name" "$out/console.log")
echo "$verdicts"
guest_failed=$(tr -d '\r' <"$out/tap.txt" 2>/dev/null | grep -c -E '^not ok' || true)
! grep -q '^not ok' <<<"$verdicts" && [ "$guest_failed" -eq 0 ]
