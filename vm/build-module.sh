#!/usr/bin/env bash
# Build qotd.ko against one kernel tree, in a private copy of the sources.
#
#   vm/build-module.sh KDIR NAME [kbuild arguments...]
#
# The copy lives in build/NAME/ (driver/, include/, VERSION), so builds
# against different kernels, or with different checks (W=1, C=1), never
# share object files. Kbuild's output goes to stdout/stderr; the module
# ends up in build/NAME/driver/qotd.ko.
# QOTD_SRC overrides where the sources are copied from (the repository).
# QOTD_KBUILD_ARGS: more Kbuild arguments, before the others (LLVM=-19 for
# a kernel built with Clang, say: a module is built with its kernel's
# compiler).
set -euo pipefail

[ $# -ge 2 ] || { echo "usage: $0 KDIR NAME [kbuild args...]" >&2; exit 2; }
kdir=$1 name=$2
shift 2

root=$(cd "$(dirname "$0")/.." && pwd)
src=${QOTD_SRC:-$root}
out=$root/build/$name

if [ ! -f "$kdir/Makefile" ]; then
	echo "build-module: $kdir is not a kernel build tree (KDIR)" >&2
	exit 1
fi
if [ ! -d "$src/driver" ]; then
	echo "build-module: no driver/ in $src" >&2
	exit 1
fi

# A fresh copy each time: the module is small, and stale objects or files
# deleted upstream can then never leak into a build.
# Kbuild output left in driver/ by an in-place build (make -C driver) stays
# behind: stale objects and .cmd files could make Kbuild skip a file, and
# then W=1 and sparse would never see it.
rm -rf "$out/driver" "$out/include" "$out/VERSION"
mkdir -p "$out/driver" "$out/include"
tar -C "$src/driver" -cf - \
	--exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
	--exclude='.*.cmd' --exclude='.*.d' --exclude='*.a' \
	--exclude=Module.symvers --exclude=modules.order --exclude='.tmp*' . |
	tar -C "$out/driver" -xf -
cp -a "$src/include/." "$out/include/"
[ -f "$src/VERSION" ] && cp -a "$src/VERSION" "$out/"

read -ra kbuild_args <<<"${QOTD_KBUILD_ARGS:-}"
make -C "$kdir" M="$out/driver" ${kbuild_args[@]+"${kbuild_args[@]}"} "$@" modules
