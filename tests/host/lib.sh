# shellcheck shell=bash
# Sourced by the host checks: where things are, and TAP helpers.
# KDIR (the kernel build tree) comes from the environment, as the top-level
# Makefile exports it; run alone, a check picks Debian 12's 6.1 kernel (vm/kver.sh).

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
src=${QOTD_SRC:-$root}
if [ -z "${KDIR:-}" ]; then
	KDIR=/lib/modules/$("$root/vm/kver.sh")/build
fi

# tap_result OK? DESCRIPTION [FILE-WITH-DETAILS]
tap_result() {
	if [ "$1" = ok ]; then
		echo "ok - $2"
	else
		echo "not ok - $2"
		[ -z "${3:-}" ] || sed 's/^/#   /' "$3"
	fi
}

# The newest kernel source tarball, whose tree's rules (checkpatch.pl) and
# registry (ioctl-number.rst) the host checks apply. QOTD_NEWEST_SRC names
# it when set (make check: 7.3's, fetched by vm/kernels/source.sh; set but
# empty, it could not be had). Otherwise the newest this machine has:
# Debian's linux-source in /usr/src, or one unpacked from a newer suite's
# package into the cache. Prints its path, or nothing.
newest_source_tarball() {
	local cache=${QOTD_CACHE:-/var/cache/qotd}

	if [ -n "${QOTD_NEWEST_SRC+set}" ]; then
		echo "$QOTD_NEWEST_SRC"
		return
	fi
	ls /usr/src/linux-source-*.tar.xz \
		"$cache"/src/*/usr/src/linux-source-*.tar.xz 2>/dev/null |
		awk -F/ '{ print $NF "\t" $0 }' | sort -V | tail -n 1 | cut -f2 || true
}

# unpack_source_files TARBALL MEMBER...: the members (paths below the
# tarball's top directory) unpacked from a kernel source tarball once, into
# the cache; prints the directory they are in.
unpack_source_files() {
	local tarball=$1 top cache dir tmp m missing=()
	shift
	top=$(basename "$tarball" .tar.xz)
	cache=${QOTD_CACHE:-/var/cache/qotd}
	mkdir -p "$cache" 2>/dev/null && [ -w "$cache" ] || cache=$root/build/cache
	dir=$cache/$top
	for m; do
		[ -f "$dir/$m" ] || missing+=("$top/$m")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		echo "# unpacking ${*} from $tarball (once)" >&2
		tmp=$(mktemp -d "$cache/.unpack.XXXXXX")
		# --occurrence: stop reading once the members are out.
		tar -xJf "$tarball" -C "$tmp" --strip-components=1 --occurrence=1 "${missing[@]}"
		# Moved into place whole: an interrupted unpack leaves nothing.
		for m in "${missing[@]}"; do
			m=${m#"$top"/}
			mkdir -p "$dir/$(dirname "$m")"
			mv "$tmp/$m" "$dir/$m"
		done
		rm -rf "$tmp"
	fi
	echo "$dir"
}
