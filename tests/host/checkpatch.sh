#!/usr/bin/env bash
# checkpatch.pl --strict has nothing to say about the driver and the UAPI
# header: one test per file.
#
# checkpatch comes from the newest kernel source tarball there is (Debian's
# linux-source, or a newer one the kernel builds fetched). Unpacking costs
# seconds, so the three files it needs are kept in a cache (QOTD_CACHE,
# default /var/cache/qotd, else build/cache) per tarball.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# The newest tree's rules: checkpatch learns new ones with each release.
tarball=$(newest_source_tarball)
if [ -z "$tarball" ]; then
	echo "not ok - checkpatch: a kernel source tarball to take it from (run vm/deps.sh)"
	exit 0
fi
dir=$(unpack_source_files "$tarball" scripts/checkpatch.pl scripts/spelling.txt \
	scripts/const_structs.checkpatch)
checkpatch=$dir/scripts/checkpatch.pl
echo "# checkpatch.pl of $(basename "$tarball" .tar.xz)"

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
# A trace header is laid out as the kernel's own (include/trace/events/):
# "TRACE_EVENT(name," then each TP_*() part on lines of its own, which
# --strict reads as a function call whose arguments are misaligned and
# whose lines end in '('. Those two checks, and only they, are left out,
# and only for a file that defines trace events.
trace_layout=PARENTHESIS_ALIGNMENT,OPEN_ENDED_LINE
for f in $files; do
	report=$out/$(echo "$f" | tr / _).txt
	# The compatibility header is the one file whose job is to compare
	# kernel versions (LINUX_VERSION_CODE, put on the left as everyone
	# reads it) and to define what newer kernels' headers define
	# (EXPORT_SYMBOL_IF_KUNIT, which may use no argument): those rules
	# alone are off there.
	ignore=() note=
	[ "$f" = driver/qotd_compat.h ] &&
		ignore=(--ignore=LINUX_VERSION_CODE,CONSTANT_COMPARISON,EXPORT_SYMBOL,MACRO_ARG_UNUSED)
	if grep -q '^TRACE_EVENT(' "$f"; then
		ignore=(--ignore "$trace_layout")
		note=" (trace event layout: $trace_layout not checked)"
	fi
	# Clean means exit 0 and a "0 errors, 0 warnings, 0 checks" summary.
	if perl "$checkpatch" --strict --no-tree --no-color --show-types \
		${ignore[@]+"${ignore[@]}"} -f "$f" >"$report" 2>&1 &&
		grep -q 'total: 0 errors, 0 warnings, 0 checks' "$report"; then
		tap_result ok "checkpatch --strict: $f$note"
	else
		# The findings, without the closing advice.
		sed '/^total:/,$d' "$report" >"$report.short"
		tap_result not-ok "checkpatch --strict: $f$note" "$report.short"
	fi
done
