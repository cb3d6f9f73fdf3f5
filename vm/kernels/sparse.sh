#!/usr/bin/env bash
# Build a sparse new enough for the 7.x kernels once and print its path.
#
#   vm/kernels/sparse.sh
#
# Kbuild 7.x runs sparse only if it understands __typeof_unqual__
# (scripts/checker-valid.sh); Debian 12's sparse 0.6.4 does not, and C=1
# then checks nothing. The binary package of a later release wants a newer
# C library, so sparse is built here from the source package of the first
# suite that has one (sid), fetched with `apt-get source` through a private
# apt sources list (vm/kernels/apt.sh --source), and kept in
# ${QOTD_CACHE:-/var/cache/qotd}/sparse/VERSION/. The last line on stdout
# is the sparse binary. Needs gcc, make and dpkg-source (vm/deps.sh).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=${QOTD_CACHE:-/var/cache/qotd}/sparse
suite=${QOTD_SPARSE_SUITE:-sid}
say() { echo "kernels/sparse: $*" >&2; }

for d in "$root"/*/; do
	if [ -x "$d/sparse" ]; then
		echo "${d%/}/sparse"
		exit 0
	fi
done

mkdir -p "$root"
tmp=$(mktemp -d "$root/.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
say "fetching the sources of sparse from $suite"
(cd "$tmp" && "$here/apt.sh" --source "$suite" source --download-only sparse >&2)
dsc=$(ls "$tmp"/sparse_*.dsc | head -n 1)
version=$(sed -n 's/^Version: //p' "$dsc")
dpkg-source --no-check -x "$dsc" "$tmp/src" >&2
say "building sparse $version"
# The package is made for its release's compiler; Debian 12 has gcc.
make -C "$tmp/src" -j"${QOTD_JOBS:-2}" CC=gcc sparse >"$tmp/build.log" 2>&1 ||
	{ tail -n 20 "$tmp/build.log" >&2; say "build failed"; exit 1; }
dest=$root/${version//[^A-Za-z0-9.+-]/_}
mkdir "$tmp/out"
cp "$tmp/src/sparse" "$tmp/build.log" "$tmp/out/"
echo "$version" >"$tmp/out/VERSION"
rm -rf "$dest"
mv "$tmp/out" "$dest"
echo "$dest/sparse"
