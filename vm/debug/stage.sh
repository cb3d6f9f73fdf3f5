#!/usr/bin/env bash
# The debug stage of `make check`: TAP on stdout, progress on stderr.
#
#   vm/debug/stage.sh
#   QOTD_DEBUG_KERNEL=kcsan QOTD_DEBUG_NAME=kcsan vm/debug/stage.sh
#
# QOTD_DEBUG_KERNEL picks the kernel (vm/debug/build-kernel.sh):
#   debug  7.3, GCC: KASAN, lockdep, kmemleak, UBSAN, fault injection,
#          KUnit (debug.config, 7.3.config); every phase
#   kcsan  6.1, GCC: KCSAN in place of KASAN and kmemleak (kcsan.config);
#          phases guest, stress, lockless and loadrace
#   kmsan  7.3, Clang: KMSAN in place of KASAN (kmsan.config); phases
#          kunit and guest, the latter with the guest tests that move the
#          buffer's bytes to user space only (QOTD_DEBUG_TESTS, below)
# QOTD_DEBUG_PHASES and QOTD_DEBUG_TESTS say otherwise. Only the debug
# kernel runs step 2; the others would say the same again.
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

# Under KMSAN, the tests that can show an uninitialised byte: growth,
# shrink then grow, discard from several sizes (t-ioctl, 64- and 32-bit),
# reads, writes and partial copies on faults (t-rw), fresh mappings and
# growth through them (t-mmap), splice (t-splice), the sysfs attributes
# (t-sysfs), concurrent reads beside resizes (t-stress), the trace events
# (t-trace: skipped, as this kernel has no tracefs) and the tutorial's
# session (t-session.sh).
kmsan_tests=t-ioctl,t-ioctl-m32,t-mmap,t-rw,t-session.sh,t-splice,t-stress,t-sysfs,t-trace

case $kind in
debug) ;;
# Phases the debug kernel's run covers already are left out.
kcsan) QOTD_DEBUG_PHASES=${QOTD_DEBUG_PHASES:-guest,stress,lockless,loadrace} ;;
kmsan)
	QOTD_DEBUG_PHASES=${QOTD_DEBUG_PHASES:-kunit,guest}
	QOTD_DEBUG_TESTS=${QOTD_DEBUG_TESTS-$kmsan_tests}
	;;
*)
	echo "not ok - $name: QOTD_DEBUG_KERNEL=$kind: no such kernel (debug, kcsan or kmsan)"
	exit 0 ;;
esac

# --- 1. the kernel ----------------------------------------------------------
say "building the $kind kernel, or finding it cached (a first build takes 4 to 9 minutes, KMSAN's about 12)"
. "$root/vm/kernel-step.sh"
kernel_step "$name" "$kind kernel" "$root/build/$kind-kernel.log" \
	"$here/build-kernel.sh" --kernel "$kind" || exit 0
kernel=$kernel_dir
kdir=$kernel/tree
# A Clang-built kernel wants its modules built with the same LLVM=.
args=$(sed -n 's/^kbuild_args=//p' "$kernel/info")
[ -z "$args" ] || export QOTD_KBUILD_ARGS="${QOTD_KBUILD_ARGS:+$QOTD_KBUILD_ARGS }$args"

# --- 2. host checks against the debug tree ----------------------------------
# Against the kcsan and kmsan kernels' trees these would only say the same
# again (the 7.3-clang line builds qotd with Clang W=1 and sparse).
if [ "$kind" = debug ]; then
	# Kbuild 7.x skips a sparse older than the tree: one built here.
	if sparse=$("$root/vm/kernels/sparse.sh" 2>>"$root/build/$kind-kernel.log" | tail -n 1) &&
		[ -x "$sparse" ]; then
		export QOTD_KBUILD_ARGS="${QOTD_KBUILD_ARGS:+$QOTD_KBUILD_ARGS }CHECK=$sparse"
	else
		echo "not ok - $name: a sparse for the 7.3 tree (vm/kernels/sparse.sh failed)"
	fi
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
# qotdtests: which guest tests the guest phase runs (default all).
# The kcsan and kmsan kernels have neither KASAN nor kmemleak (qotdkmemleak=0
# tells run-all.sh to expect none). KMSAN keeps two pages of metadata for
# every page, hence the kmsan guest's 3 GiB.
append="qotdsuite=debug panic_on_warn=0 oops=panic printk.devkmsg=on"
if [ "$kind" = debug ]; then
	append="$append kmemleak=on kasan_multi_shot"
else
	append="$append qotdkmemleak=0"
fi
append="$append${QOTD_DEBUG_PHASES:+ qotdphases=$QOTD_DEBUG_PHASES}"
append="$append${QOTD_DEBUG_TESTS:+ qotdtests=$QOTD_DEBUG_TESTS}"
[ "$kind" != kmsan ] || export QOTD_QEMU_ARGS="-m 3G${QOTD_QEMU_ARGS:+ $QOTD_QEMU_ARGS}"
QOTD_GUEST_EXTRA="tests/debug${QOTD_GUEST_EXTRA:+ $QOTD_GUEST_EXTRA}" \
	QOTD_APPEND="$append${QOTD_APPEND:+ $QOTD_APPEND}" \
	"$root/vm/guest-suite.sh" "$name" "$kernel/bzImage" "$kdir"
echo "# $name: kernel log kept in $root/build/$name/console.log"
echo "# $name: stage took $(($(date +%s) - start)) s"
