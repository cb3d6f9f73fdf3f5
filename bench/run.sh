#!/usr/bin/env bash
# Run the benchmark: build, boot the guest in bench mode, write the report.
#
#   bench/run.sh
#
# Builds qotd.ko against Debian 12's kernel in /boot (vm/kver.sh) and the static
# qotd-bench, packs them into an initramfs with bench/bench.sh as
# /tests/bench.sh, boots it (vm/run.sh bench: -smp 2, software emulation)
# and turns the records the guest prints on its test channel into
#   build/bench/results.json   every figure, and the targets
#   build/bench/results.md     the same as Markdown tables
#   build/bench/throughput.png throughput against block size (gnuplot)
# then prints results.md. Missed targets are reported, never an error: the
# exit status is non-zero only when the benchmark could not run.
#
# Environment:
#   KERNEL           the kernel image to boot (default: the newest
#                    /boot/vmlinuz-*-amd64, see vm/kver.sh)
#   KDIR             its build tree (default: /lib/modules/RELEASE/build)
#   QOTD_BENCH_ARGS  more qotd-bench arguments, e.g. "--reps 3 --sizes 64K,1M"
#                    or "small setsize" for only those phases
#   QOTD_BENCH_OUT   output directory, under build/ (default build/bench)
#   QOTD_SRC         where to take driver/ from (default: this repository)
#   QOTD_TIMEOUT     guest time limit in seconds (default 900)
#   QOTD_BENCH_ICOUNT=1  deterministic mode: QEMU's -icount shift=0 makes the
#                    guest clock count instructions (1 ns each), so the
#                    figures do not depend on what else the host runs, and
#                    two runs give the same figures. Costs are then guest
#                    instructions, not time: every iteration of a rep movsb
#                    counts as one, cache and TLB misses count as nothing.
#                    One CPU (single-threaded TCG), so no parallel phase.
#                    Needs vm/run.sh to pass QOTD_QEMU_ARGS on to QEMU.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${QOTD_BENCH_OUT:-$root/build/bench}
case $out in /*) ;; *) out=$PWD/$out ;; esac
name=${out#"$root/build/"}
[ "$name" != "$out" ] || { echo "bench: QOTD_BENCH_OUT must be under $root/build" >&2; exit 2; }
export QOTD_TIMEOUT=${QOTD_TIMEOUT:-900}

say() { echo "== bench: $*" >&2; }

if [ -z "${KERNEL:-}" ] || [ -z "${KDIR:-}" ]; then
	kver=$("$root/vm/kver.sh")
fi
kernel=${KERNEL:-/boot/vmlinuz-$kver}
kdir=${KDIR:-/lib/modules/$kver/build}
mkdir -p "$out"

# Two runs into the same directory take turns.
# shellcheck source=../vm/lock.sh
. "$root/vm/lock.sh"
lock_build "$name"

say "building qotd.ko against $kdir"
if ! "$root/vm/build-module.sh" "$kdir" "$name" >"$out/build-module.log" 2>&1; then
	tail -n 20 "$out/build-module.log" >&2
	echo "bench: module build failed (log: $out/build-module.log)" >&2
	exit 1
fi

say "building qotd-bench (static)"
if ! make -C "$root/bench" O="$out" >"$out/build-bench.log" 2>&1; then
	tail -n 20 "$out/build-bench.log" >&2
	echo "bench: qotd-bench build failed (log: $out/build-bench.log)" >&2
	exit 1
fi

# /tests in the guest: the program, the script /init runs, its arguments.
stage=$out/tests
rm -rf "$stage"
mkdir -p "$stage"
install -m 0755 "$out/qotd-bench" "$stage/qotd-bench"
install -m 0755 "$root/bench/bench.sh" "$stage/bench.sh"
args=${QOTD_BENCH_ARGS:-}
if [ "${QOTD_BENCH_ICOUNT:-0}" = 1 ]; then
	if ! grep -q QOTD_QEMU_ARGS "$root/vm/run.sh"; then
		echo "bench: vm/run.sh does not take QOTD_QEMU_ARGS: no icount mode" >&2
		exit 1
	fi
	# The last -smp wins. With -icount a second CPU never comes up.
	export QOTD_QEMU_ARGS="-icount shift=0,sleep=off -smp 1"
	[ -n "$args" ] || args="bulk small setsize mem"
fi
printf '%s\n' "$args" >"$stage/bench.args"

say "packing the initramfs"
"$root/vm/mkinitramfs.sh" "$out/initramfs.cpio.gz" "$out/driver/qotd.ko" - "$stage"

say "booting $(basename "$kernel") (timeout ${QOTD_TIMEOUT}s); records in $out/tap.txt"
# Measure the kernel as Debian ships it: vm/run.sh turns init_on_alloc off
# for the tests, and the last word on the command line wins.
export QOTD_APPEND="init_on_alloc=1 ${QOTD_APPEND:-}"
# The guest's vCPUs are host threads: whatever else the host runs shows in
# the figures. The report states the load around the run.
load_before=$(cut -d' ' -f1 /proc/loadavg)
start=$(date +%s)
rm -f "$out/tap.txt"
"$root/vm/run.sh" bench "$kernel" "$out/initramfs.cpio.gz" "$out" >"$out/qemu.log" 2>&1 &
qemu_pid=$!
# Progress: the phase comments and the finished phases, as they come.
tail -n +1 -F --pid="$qemu_pid" "$out/tap.txt" 2>/dev/null |
	grep --line-buffered -a -E '^# (bulk|small|setsize|parallel|mem)|test=(phase|error)' >&2 || true
qemu_rc=0
wait "$qemu_pid" || qemu_rc=$?
say "guest finished in $(($(date +%s) - start))s (QEMU exit $qemu_rc)"
echo "cpus=$(nproc) load_before=$load_before load_after=$(cut -d' ' -f1 /proc/loadavg)" \
	"seconds=$(($(date +%s) - start)) icount=${QOTD_BENCH_ICOUNT:-0}" >"$out/host.txt"

status=0
if ! grep -a -q -E '^# qotd-guest-done exit=0' "$out/tap.txt" 2>/dev/null; then
	echo "bench: the guest did not finish the benchmark; last lines of the channel and the console:" >&2
	tail -n 5 "$out/tap.txt" >&2 2>/dev/null || true
	tr -d '\r' <"$out/console.log" 2>/dev/null | tail -n 15 >&2 || true
	status=1
fi
# An oops or a warning makes the figures worthless: say so.
scan=$("$root/vm/scan-log.sh" bench "$out/console.log" || true)
if grep -q '^not ok' <<<"$scan"; then
	echo "$scan" >&2
	status=1
fi

"$root/bench/report.sh" "$out/tap.txt" "$out" || status=1
[ ! -f "$out/results.md" ] || cat "$out/results.md"
exit $status
