#!/usr/bin/env bash
# One kernel line of `make check`: TAP on stdout, progress on stderr.
#
#   vm/kernels/stage.sh LINE
#
#   6.12       Debian 12 backports' 6.12 (vm/kver.sh 6.12)
#   6.12-rt    the same line's PREEMPT_RT kernel
#   7.3        linux-source-7.3 built here with GCC (vm/kernels/build.sh)
#   7.3-clang  the same built with Clang (LLVM=-19), and qotd with it
# (Debian 12's own 6.1 is the stock stage, vm/guest-suite.sh, and the host
# checks.)
#
# 1. The kernel: installed (vm/kernels/deps.sh), or built or found cached.
# 2. qotd.ko built against its tree with W=1 and with C=1 (sparse): no
#    diagnostic, every driver source seen. On 7.3, with a sparse built
#    here (vm/kernels/sparse.sh): Debian 12's is too old for the tree.
# 3. On the 7.3 kernels, which refuse unsigned modules: an unsigned
#    qotd.ko is refused, one signed with another key too, one signed by
#    `make sign` with the kernel's key loads (tests/kernels/signed.sh).
#    The guest suite's modules are signed the same way.
# 4. The guest suite (vm/guest-suite.sh LINE): for the alloc= strategies in
#    QOTD_ALLOCS_<line> (6.12: QOTD_ALLOCS_6_12), by default all three;
#    the guest must have
#    booted the line's kernel release.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 LINE" >&2; exit 2; }
line=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
src=${QOTD_SRC:-$root}
name=$line
start=$(date +%s)
say() { echo "== $name: $*" >&2; }
mkdir -p "$root/build"

case $line in
6.12 | 6.12-rt | 7.3 | 7.3-clang) ;;
*) echo "kernels/stage: unknown line $line (6.12, 6.12-rt, 7.3, 7.3-clang)" >&2; exit 2 ;;
esac
var=QOTD_ALLOCS_${line//[.-]/_}
allocs=${!var:-umem kmem auto}

# --- 1. the kernel ------------------------------------------------------------
klog=$root/build/kernel-$line.log
case $line in
6.12*)
	if "$here/deps.sh" "$line" >"$klog" 2>&1 && release=$("$root/vm/kver.sh" "$line" 2>>"$klog") &&
		[ -f "/lib/modules/$release/build/Makefile" ]; then
		echo "ok - $name: Debian kernel $release and its headers are installed"
	else
		echo "not ok - $name: Debian $line kernel and headers are installed (vm/kernels/deps.sh)"
		tail -n 20 "$klog" | sed 's/^/#   /'
		exit 0
	fi
	kernel=/boot/vmlinuz-$release kdir=/lib/modules/$release/build
	;;
7.3*)
	say "building the $line kernel, or finding it cached (a first build takes 5 minutes here with GCC, 8 with Clang)"
	. "$root/vm/kernel-step.sh"
	kernel_step "$name" kernel "$klog" "$here/build.sh" "$line" || exit 0
	dir=$kernel_dir
	kernel=$dir/bzImage kdir=$dir/tree
	release=$(sed -n 's/^release=//p' "$dir/info")
	# A Clang-built kernel wants its modules built with the same LLVM=.
	args=$(sed -n 's/^kbuild_args=//p' "$dir/info")
	[ -z "$args" ] || export QOTD_KBUILD_ARGS="${QOTD_KBUILD_ARGS:+$QOTD_KBUILD_ARGS }$args"
	# Kbuild 7.x skips a sparse older than the tree: one built here.
	if sparse=$("$here/sparse.sh" 2>>"$klog" | tail -n 1) && [ -x "$sparse" ]; then
		export QOTD_KBUILD_ARGS="${QOTD_KBUILD_ARGS:+$QOTD_KBUILD_ARGS }CHECK=$sparse"
	else
		echo "not ok - $name: a sparse for $line (vm/kernels/sparse.sh failed)"
		tail -n 10 "$klog" | sed 's/^/#   /'
	fi
	# The kernel's own key: what it trusts.
	export QOTD_SIGN_KEY=$kdir/certs/signing_key.pem QOTD_SIGN_CERT=$kdir/certs/signing_key.x509
	;;
esac
echo "# $name: kernel $release ($kernel), tree $kdir${QOTD_KBUILD_ARGS:+, $QOTD_KBUILD_ARGS}"

# --- 2. W=1 and sparse --------------------------------------------------------
for build in w1:W=1 sparse:C=1; do
	QOTD_SRC=$src "$root/vm/kbuild-check.sh" "$name" "$kdir" "$name-${build%%:*}" "${build#*:}" \
		--what "$line ($release)"
done

# The compiler that built the kernel built the module too: vmlinux's
# .comment names it (beside the linker, with LLD), and qotd.ko's must hold
# the same string (a module built by another compiler would load all the
# same). Only the trees built here have a vmlinux with a .comment
# (Debian's headers carry one for BTF alone, without it).
comment() { readelf -p .comment "$1" 2>/dev/null | sed -n 's/^ *\[ *[0-9a-f]*\] *//p' || true; }
kcc=
[ ! -f "$kdir/vmlinux" ] || kcc=$(comment "$kdir/vmlinux" | { grep -v '^Linker:' || true; } | head -n 1)
if [ -n "$kcc" ]; then
	ko=$root/build/$name-w1/driver/qotd.ko
	if [ -f "$ko" ] && comment "$ko" | grep -qxF -- "$kcc"; then
		echo "ok - $name: qotd.ko was compiled by the kernel's compiler ($kcc)"
	else
		echo "not ok - $name: qotd.ko was compiled by the kernel's compiler (${kcc:-none named})"
		comment "$ko" | sed 's/^/#   /' | head -n 8
	fi
fi

# --- 3. signatures --------------------------------------------------------------
if [ -n "${QOTD_SIGN_KEY:-}" ]; then
	QOTD_SRC=$src "$root/tests/kernels/signed.sh" "$name" "$kernel" "$kdir" || true
fi

# --- 4. the guest suite -----------------------------------------------------------
say "the guest suite for alloc= ${allocs// /, }"
g0=$(date +%s)
QOTD_EXPECT_RELEASE=$release \
	QOTD_APPEND="qotdallocs=${allocs// /,}${QOTD_APPEND:+ $QOTD_APPEND}" \
	QOTD_SRC=$src "$root/vm/guest-suite.sh" "$name" "$kernel" "$kdir"
echo "# $name: guest suite (alloc= $allocs) took $(($(date +%s) - g0)) s"
echo "# $name: stage took $(($(date +%s) - start)) s"
