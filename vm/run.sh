#!/usr/bin/env bash
# Boot the guest under QEMU (software emulation: KVM is not usable here).
#
#   vm/run.sh MODE KERNEL INITRD OUTDIR
#
# MODE is passed to the guest's /init as qotdmode=MODE:
#   check, bench  kernel console -> OUTDIR/console.log,
#                 test channel   -> OUTDIR/tap.txt; nothing on the terminal
#   demo          kernel console -> OUTDIR/console.log,
#                 test channel   -> the terminal, live
#   shell         kernel console and a shell on the terminal (Ctrl-A x quits),
#                 no time limit
# QOTD_TIMEOUT (seconds, default 600) bounds every mode but shell: a guest
# that hangs is killed and its missing done marker tells the rest.
# QOTD_APPEND adds words to the kernel command line.
set -euo pipefail

[ $# -eq 4 ] || { echo "usage: $0 check|demo|bench|shell KERNEL INITRD OUTDIR" >&2; exit 2; }
mode=$1 kernel=$2 initrd=$3 outdir=$4
timeout_s=${QOTD_TIMEOUT:-600}

for f in "$kernel" "$initrd"; do
	[ -r "$f" ] || { echo "run: cannot read $f" >&2; exit 1; }
done
mkdir -p "$outdir"

# panic=-1: a panicking guest reboots at once, and -no-reboot makes that an
# exit, so a crash ends the run instead of waiting for the timeout.
# ignore_loglevel: every message reaches the console log we scan.
# init_on_alloc=0: Debian's kernel zeroes every allocation by default, which
# would hide a driver that forgot to zero its buffers from the tests.
append="console=ttyS0 panic=-1 ignore_loglevel init_on_alloc=0 qotdmode=$mode ${QOTD_APPEND:-}"

qemu=(qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 1G
	-nographic -no-reboot -nic none
	-kernel "$kernel" -initrd "$initrd" -append "$append")
# QOTD_QEMU_ARGS: more QEMU options, after the others (a later -smp wins).
read -ra extra <<<"${QOTD_QEMU_ARGS:-}"
qemu+=("${extra[@]}")

# Emptied first, so that a QEMU that fails to start leaves no stale log or
# results from an earlier run to be read as this one's.
case $mode in
check | bench)
	: >"$outdir/console.log"
	: >"$outdir/tap.txt"
	qemu+=(-monitor none
		-serial "file:$outdir/console.log"
		-serial "file:$outdir/tap.txt")
	;;
demo)
	: >"$outdir/console.log"
	qemu+=(-monitor none
		-serial "file:$outdir/console.log"
		-serial stdio)
	;;
shell)
	exec "${qemu[@]}" -serial mon:stdio -serial null
	;;
*)
	echo "run: unknown mode $mode" >&2
	exit 2
	;;
esac

# --foreground: QEMU may need the terminal (demo), and it has no children
# that the timeout would miss.
boot() {
	rc=0
	if [ "$mode" = demo ]; then
		timeout --foreground -k 10 "$timeout_s" "${qemu[@]}" || rc=$?
	else
		timeout --foreground -k 10 "$timeout_s" "${qemu[@]}" </dev/null || rc=$?
	fi
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		echo "run: guest killed after ${timeout_s}s" >&2
	fi
}

# A kernel that crashes in its own boot, before it starts /init, has run
# nothing of qotd's: the module is loaded by /init. Under QEMU's software
# emulation that happens now and then (an int3 left by the kernel patching
# its own text, in a Debian 6.12 boot, seen once); such a boot is tried
# once more, its log kept as console.boot1.log and named in boot-retried,
# which vm/done-check.sh reports. A crash after /init started is judged as
# it is.
: >"$outdir/boot-retried"
boot
if [ "$mode" != demo ] && ! grep -q 'Run /init as init process' "$outdir/console.log" &&
	grep -q -E 'Kernel panic|Oops' "$outdir/console.log"; then
	mv "$outdir/console.log" "$outdir/console.boot1.log"
	grep -m 1 -E 'Oops|Kernel panic' "$outdir/console.boot1.log" | tr -d '\r' >"$outdir/boot-retried"
	echo "run: the kernel crashed before /init ($(cat "$outdir/boot-retried")); booting once more" >&2
	: >"$outdir/console.log"
	: >"$outdir/tap.txt"
	boot
fi
exit $rc
