#!/usr/bin/env bash
# Build a kernel line of the matrix from its sources, or find it cached.
#
#   vm/kernels/build.sh LINE [vm/build-kernel.sh options...]
#
#   7.3        Debian's linux-source-7.3 (vm/kernels/source.sh), GCC
#   7.3-clang  the same sources built with Clang and LLVM's tools (clang-19)
#
# Both are `make tinyconfig` + vm/kernels/qemu.config, cached in
# ${QOTD_CACHE:-/var/cache/qotd}/kernel-LINE/<key>/ by vm/build-kernel.sh
# (the key: source version, fragment, recipe, compiler). The last line on
# stdout is the cache directory.
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 LINE [options...]" >&2; exit 2; }
line=$1
shift
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

case $line in
7.3) cc=() ;;
7.3-clang) cc=(--llvm -19) ;;
*) echo "kernels/build: no kernel line $line is built here" >&2; exit 2 ;;
esac
"$here/deps.sh" "$line"
src=$("$here/source.sh" linux-source-7.3 trixie-backports sid | tail -n 1)
version=$(cat "$(dirname "$src")/../../VERSION")
exec "$here/../build-kernel.sh" --name "kernel-$line" \
	--fragment "$here/qemu.config" --source "$src" --source-version "$version" \
	"${cc[@]}" "$@"
