#!/usr/bin/env bash
# Build a qotd detector kernel once and keep it in a cache outside the clone.
#
# usage: vm/debug/build-kernel.sh [--kernel KIND] [-j N] [-v] [--rebuild]
#        vm/debug/build-kernel.sh [--kernel KIND] --print-dir
#        vm/debug/build-kernel.sh [--kernel KIND] --print-key
#        vm/debug/build-kernel.sh [--kernel KIND] --prune
#
# KIND (default debug, or QOTD_DEBUG_KERNEL):
#   debug  linux-source-7.3, GCC: debug.config with 7.3.config over it
#          (KASAN, lockdep, kmemleak, UBSAN, fault injection, KUnit)
#   kcsan  Debian's linux-source-6.1, GCC: debug.config with kcsan.config
#          over it (KCSAN in place of KASAN and kmemleak)
#   kmsan  linux-source-7.3, Clang (LLVM=-19): debug.config, 7.3.config,
#          then kmsan.config (KMSAN in place of KASAN)
# A fragment laid over another replaces the lines of the options it sets;
# the merged fragment (build/KIND.config) is what vm/build-kernel.sh
# configures, checks and keys the cache by: `make tinyconfig` + it, cached
# in ${QOTD_CACHE:-/var/cache/qotd}/KIND-kernel/<key>/. The last line on
# stdout is the cache directory.
#
# Environment: QOTD_CACHE (root of the qotd caches), QOTD_JOBS (make -j).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
kind=${QOTD_DEBUG_KERNEL:-debug}
args=()
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) shift; kind=${1:?--kernel needs debug, kcsan or kmsan} ;;
	-h|--help) sed -n '2,/^set -e/{/^set -e/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
	*) args+=("$1") ;;
	esac
	shift
done

# merge BASE OVERLAY: BASE without the options OVERLAY sets, then OVERLAY.
merge() {
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

# The 7.3 sources, fetched once (vm/kernels/source.sh), and their version.
source_7_3() {
	local src
	src=$("$root/vm/kernels/source.sh" linux-source-7.3 trixie-backports sid | tail -n 1)
	echo --source "$src" --source-version "$(cat "$(dirname "$src")/../../VERSION")"
}

# The fragments over debug.config, and what the 7.3 kernels need first.
from=() src_args=()
case $kind in
debug) overlays=(7.3.config); line=7.3 ;;
kcsan) overlays=(kcsan.config); line= ;;
kmsan) overlays=(7.3.config kmsan.config); line=7.3-clang; from=(--llvm -19) ;;
*) echo "debug/build-kernel: no kernel $kind (debug, kcsan or kmsan)" >&2; exit 2 ;;
esac
if [ -n "$line" ]; then
	"$root/vm/kernels/deps.sh" "$line" >&2
	read -ra src_args < <(source_7_3)
fi

mkdir -p "$root/build"
merged=$root/build/$kind.config
# Two builds at once must not see each other's half-written file.
tmp=$(mktemp "$merged.XXXXXX")
cp "$here/debug.config" "$tmp"
for o in "${overlays[@]}"; do
	merge "$tmp" "$here/$o" >"$tmp.next"
	mv "$tmp.next" "$tmp"
done
mv "$tmp" "$merged"

exec "$root/vm/build-kernel.sh" --name "$kind-kernel" --fragment "$merged" \
	${src_args[@]+"${src_args[@]}"} ${from[@]+"${from[@]}"} ${args[@]+"${args[@]}"}
