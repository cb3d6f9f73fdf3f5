#!/usr/bin/env bash
# Fetch the sources of a newer kernel line once and print the tarball.
#
#   vm/kernels/source.sh PACKAGE [SUITE...]
#   e.g. vm/kernels/source.sh linux-source-7.3 trixie-backports sid
#
# Debian's linux-source-X.Y of a later release installs nowhere here (its
# siblings need a newer C library), but its .deb is just a tarball: it is
# downloaded with `apt-get download` from the first SUITE that has it
# (vm/kernels/apt.sh: a private apt sources list) and unpacked with
# dpkg-deb -x into ${QOTD_CACHE:-/var/cache/qotd}/src/PACKAGE_VERSION/.
# The last line on stdout is the tarball (.../usr/src/PACKAGE.tar.xz);
# the package version is in the VERSION file beside it. Once fetched, no
# network is used again unless the cached copy is removed.
set -euo pipefail

[ $# -ge 2 ] || { echo "usage: $0 PACKAGE SUITE..." >&2; exit 2; }
package=$1
shift
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=${QOTD_CACHE:-/var/cache/qotd}/src

say() { echo "kernels/source: $*" >&2; }

# Any finished fetch will do: the newest, by package version.
found() {
	local d best=
	for d in "$root/${package}_"*/; do
		[ -f "$d/VERSION" ] && [ -f "$d/usr/src/$package.tar.xz" ] || continue
		best=$d
	done
	[ -n "$best" ] || return 1
	echo "${best%/}/usr/src/$package.tar.xz"
}
if tarball=$(found); then
	echo "$tarball"
	exit 0
fi

mkdir -p "$root"
tmp=$(mktemp -d "$root/.tmp-$package.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for suite in "$@"; do
	say "looking for $package in $suite"
	if (cd "$tmp" && "$here/apt.sh" "$suite" download "$package" >&2); then
		break
	fi
done
deb=$(ls "$tmp"/"${package}"_*.deb 2>/dev/null | head -n 1 || true)
[ -n "$deb" ] || { say "no suite of $* has $package"; exit 1; }
version=$(dpkg-deb -f "$deb" Version)
dest=$root/${package}_${version//[^A-Za-z0-9.+-]/_}
say "unpacking $(basename "$deb")"
mkdir "$tmp/x"
dpkg-deb -x "$deb" "$tmp/x"
[ -f "$tmp/x/usr/src/$package.tar.xz" ] || { say "$deb holds no usr/src/$package.tar.xz"; exit 1; }
echo "$version" >"$tmp/x/VERSION"
rm -rf "$dest"
mv "$tmp/x" "$dest"
echo "$dest/usr/src/$package.tar.xz"
