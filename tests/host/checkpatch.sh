#!/usr/bin/env bash
# checkpatch.pl --strict has nothing to say about the driver and the UAPI
# header: one test per file.
#
# checkpatch comes from Debian's linux-source tarball. Unpacking it costs
# ~10 s, so the three files it needs are kept in a cache
# (QOTD_CACHE, default /var/cache/qotd, else build/cache) per tarball.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$tarball" ]; then
	echo "not ok - checkpatch: no /usr/src/linux-source-*.tar.xz (run vm/deps.sh)"
	exit 0
fi
top=$(basename "$tarball" .tar.xz)

cache=${QOTD_CACHE:-/var/cache/qotd}
mkdir -p "$cache" 2>/dev/null && [ -w "$cache" ] || cache=$root/build/cache
dir=$cache/$top
checkpatch=$dir/scripts/checkpatch.pl
if [ ! -f "$checkpatch" ]; then
	echo "# unpacking checkpatch.pl from $tarball (once)"
	rm -rf "$dir.tmp"
	mkdir -p "$dir.tmp"
	# --occurrence: stop reading once the three members are out.
	tar -xJf "$tarball" -C "$dir.tmp" --strip-components=1 --occurrence=1 \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch"
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
fi

cd "$src"
# Not the *.mod.c that an in-place module build leaves behind.
files=$(ls driver/*.c driver/*.h include/uapi/linux/qotd.h 2>/dev/null |
	grep -v '\.mod\.c$' || true)
if [ -z "$files" ]; then
	echo "not ok - checkpatch: no driver sources found in $src"
	exit 0
fi
out=$root/build/host-checkpatch
mkdir -p "$out"
for f in $files; do
	report=$out/$(echo "$f" | tr / _).txt
	# The compatibility header is the one file whose job is to compare
	# kernel versions (LINUX_VERSION_CODE, put on the left as everyone
	# reads it) and to define what newer kernels' headers define
	# (EXPORT_SYMBOL_IF_KUNIT, which may use no argument): those rules
	# alone are off there.
	ignore=
	[ "$f" = driver/qotd_compat.h ] &&
		ignore=--ignore=LINUX_VERSION_CODE,CONSTANT_COMPARISON,EXPORT_SYMBOL,MACRO_ARG_UNUSED
	# Clean means exit 0 and a "0 errors, 0 warnings, 0 checks" summary.
	if perl "$checkpatch" --strict --no-tree --no-color --show-types $ignore -f "$f" \
		>"$report" 2>&1 &&
		grep -q 'total: 0 errors, 0 warnings, 0 checks' "$report"; then
		tap_result ok "checkpatch --strict: $f"
	else
		# The findings, without the closing advice.
		sed '/^total:/,$d' "$report" >"$report.short"
		tap_result not-ok "checkpatch --strict: $f" "$report.short"
	fi
done
