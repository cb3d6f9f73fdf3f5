#!/usr/bin/env bash
# The debug stage of `make check`: TAP on stdout, progress on stderr.
#
#   vm/debug/stage.sh
#   QOTD_DEBUG_KERNEL=kcsan QOTD_DEBUG_NAME=kcsan vm/debug/stage.sh
#
# QOTD_DEBUG_KERNEL picks the kernel: debug (default: KASAN, lockdep,
# kmemleak, UBSAN, fault injection, KUnit; vm/debug/debug.config) or kcsan
# (the same with KCSAN in place of KASAN and kmemleak: debug.config merged
# with vm/debug/kcsan.config, the latter's lines replacing the former's;
# its own cache, /var/cache/qotd/kcsan-kernel/). The kcsan kernel runs the
# phases guest, stress, lockless and loadrace unless QOTD_DEBUG_PHASES says others,
# and skips step 2, which the debug kernel's run covers.
#
# 1. Builds the debug kernel, or finds it cached (build-kernel.sh).
# 2. Builds qotd.ko and qotd_kunit.ko against its tree with W=1 and with
#    C=1 (sparse): the only builds that compile qotd_kunit.c, as only that
#    kernel has KUnit; checks that qotd.ko holds no KUnit symbol.
# 3. Boots it with the guest suite (vm/guest-suite.sh, name "debug", 2 CPUs)
#    running tests/debug/run-all.sh: the KUnit suite, the whole guest suite,
#    fault injection at every allocation, stress, load/unload cycles, loads
#    failing while the nodes are opened, and kmemleak scans (or only the
#    phases in QOTD_DEBUG_PHASES). vm/scan-log.sh then fails the stage on
#    any KASAN, lockdep, BUG, WARNING, sleep-in-atomic or kmemleak report in
#    the kernel log (build/NAME/console.log, kept).
# A step that fails is a failing test; only a missing kernel stops early.
# QOTD_TIMEOUT bounds the guest (the Makefile gives this stage longer).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
src=${QOTD_SRC:-$root}
name=${QOTD_DEBUG_NAME:-debug}
kind=${QOTD_DEBUG_KERNEL:-debug}
start=$(date +%s)

say() { echo "== $name: $*" >&2; }
mkdir -p "$root/build"

# Another kernel than the debug kernel: its fragment merged over debug.config.
# merge_fragment BASE OVERLAY: BASE without the options OVERLAY sets, then OVERLAY.
merge_fragment() {
	awk 'function opt(line) {
		if (match(line, /^CONFIG_[A-Za-z0-9_]+=/)) return substr(line, 1, RLENGTH - 1)
		if (match(line, /^# CONFIG_[A-Za-z0-9_]+ is not set$/)) return substr(line, 3, RLENGTH - 13)
		return ""
	}
	FNR == NR { if ((o = opt($0)) != "") over[o] = 1; next }
	{ o = opt($0); if (o == "" || !(o in over)) print }
	END { print ""; print "# --- " overlay " replaces the lines above of the options it sets ---" }' \
		overlay="$(basename "$2")" "$2" "$1"
	cat "$2"
}
bk_args=()
case $kind in
debug) ;;
kcsan)
	merged=$root/build/kcsan.config
	# Two stages at once must not see each other's half-written file.
	tmp=$(mktemp "$merged.XXXXXX")
	merge_fragment "$here/debug.config" "$here/kcsan.config" >"$tmp"
	mv "$tmp" "$merged"
	bk_args=(--fragment "$merged" --name kcsan-kernel)
	QOTD_DEBUG_PHASES=${QOTD_DEBUG_PHASES:-guest,stress,lockless,loadrace}
	;;
*)
	echo "not ok - $name: QOTD_DEBUG_KERNEL=$kind: no such kernel (debug or kcsan)"
	exit 0 ;;
esac

# --- 1. the kernel ----------------------------------------------------------
say "building the $kind kernel, or finding it cached (a first build takes 4 to 9 minutes)"
. "$root/vm/kernel-step.sh"
kernel_step "$name" "$kind kernel" "$root/build/$kind-kernel.log" \
	"$here/build-kernel.sh" ${bk_args[@]+"${bk_args[@]}"} || exit 0
kernel=$kernel_dir
kdir=$kernel/tree

# --- 2. host checks against the debug tree ----------------------------------
# Against the kcsan kernel's tree these would only say the same again.
if [ "$kind" = debug ]; then
	# Each build must have compiled (W=1) or checked (C=1) the KUnit file too.
	for build in debug-w1:W=1 debug-sparse:C=1; do
		QOTD_SRC=$src "$root/vm/kbuild-check.sh" "$name" "$kdir" "${build%%:*}" "${build#*:}" \
			--what "the debug kernel, KUnit tests included" --covers qotd_kunit.c
	done

	# The tests are a module of their own: qotd.ko, built against a kernel with
	# KUnit, refers to no KUnit symbol (so loading it never runs a test nor
	# taints the kernel), and qotd_kunit.ko holds the suite.
	kos=$root/build/debug-w1/driver
	if [ -f "$kos/qotd.ko" ] && [ -f "$kos/qotd_kunit.ko" ]; then
		if nm "$kos/qotd.ko" | grep -i kunit >"$kos/qotd.kunit-symbols"; then
			echo "not ok - $name: qotd.ko has no KUnit symbol (nm)"
			head -n 20 "$kos/qotd.kunit-symbols" | sed 's/^/#   /'
		else
			echo "ok - $name: qotd.ko has no KUnit symbol (nm)"
		fi
		if nm "$kos/qotd_kunit.ko" | grep -q ' U kunit_'; then
			echo "ok - $name: qotd_kunit.ko is built and uses KUnit"
		else
			echo "not ok - $name: qotd_kunit.ko is built and uses KUnit (no kunit_ symbol in nm)"
		fi
	else
		echo "not ok - $name: qotd.ko and qotd_kunit.ko built in $kos"
	fi
fi

# --- 3. the guest -------------------------------------------------------------
# kmemleak=on: harmless, it is on from boot anyway. panic_on_warn=0: a
# WARNING is reported by the log scan, and the run goes on to show the rest.
# kasan_multi_shot: every KASAN report, not just the first.
# oops=panic: an oops would leave the guest hung until the timeout; a panic
# ends it at once (panic=-1), and done-check.sh and scan-log.sh say why.
# printk.devkmsg=on: the tests' notes in /dev/kmsg are not rate-limited.
# qotdphases: which phases of tests/debug/run-all.sh to run (default all).
# The kcsan kernel has neither KASAN nor kmemleak.
append="qotdsuite=debug panic_on_warn=0 oops=panic printk.devkmsg=on"
[ "$kind" != debug ] || append="$append kmemleak=on kasan_multi_shot"
append="$append${QOTD_DEBUG_PHASES:+ qotdphases=$QOTD_DEBUG_PHASES}"
QOTD_GUEST_EXTRA="tests/debug${QOTD_GUEST_EXTRA:+ $QOTD_GUEST_EXTRA}" \
	QOTD_APPEND="$append${QOTD_APPEND:+ $QOTD_APPEND}" \
	"$root/vm/guest-suite.sh" "$name" "$kernel/bzImage" "$kdir"
echo "# $name: kernel log kept in $root/build/$name/console.log"
echo "# $name: stage took $(($(date +%s) - start)) s"
