#!/usr/bin/env bash
# Build the Debian packages qotd-dkms and qotdctl from a copy of the tree.
#
#   tests/install/build-deb.sh OUTDIR
#
# dpkg-buildpackage writes its results beside the source directory, so the
# sources are copied to OUTDIR/qotd-VERSION/ first (the files git knows
# or would add, else everything but build/ and .git/; no binaries either
# way) and the .deb files end up in OUTDIR/. The build log is
# OUTDIR/build.log. QOTD_SRC builds from another copy of the sources.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
out=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
src=${QOTD_SRC:-$root}
version=$(tr -d '[:space:]' <"$src/VERSION")

for tool in dpkg-buildpackage dh dh_dkms; do
	command -v "$tool" >/dev/null || {
		echo "build-deb: $tool is missing (packages dpkg-dev, debhelper, dh-dkms)" >&2
		exit 1
	}
done

mkdir -p "$out"
out=$(cd "$out" && pwd)
tree=$out/qotd-$version
rm -rf "$tree" "$out"/*.deb "$out"/*.buildinfo "$out"/*.changes
mkdir -p "$tree"

list() {
	if [ "$(git -C "$src" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$src" && pwd -P)" ]; then
		git -C "$src" ls-files -z --cached --others --exclude-standard
	else
		(cd "$src" && find . -path ./build -prune -o -path ./.git -prune -o \
			-type f -print0 | sed -z 's|^\./||')
	fi
}
# Nothing built: no ELF file, nothing under build/.
list | while IFS= read -r -d '' f; do
	case $f in build/*) continue ;; esac
	[ -f "$src/$f" ] || continue
	[ "$(head -c 4 "$src/$f" | od -An -c | tr -d ' ')" = '177ELF' ] && continue
	printf '%s\0' "$f"
done | (cd "$src" && cpio -0 -p -d -m --quiet "$tree")

(cd "$tree" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1 || {
	tail -n 30 "$out/build.log" >&2
	echo "build-deb: dpkg-buildpackage failed; log: $out/build.log" >&2
	exit 1
}
ls "$out"/*.deb
