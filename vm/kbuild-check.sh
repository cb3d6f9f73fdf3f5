#!/usr/bin/env bash
# Build qotd.ko once against a kernel tree with a checking Kbuild option
# and judge the log: TAP on stdout, progress on stderr.
#
#   vm/kbuild-check.sh NAME KDIR BUILD-NAME ARG [--what TEXT] [--covers FILE.c]...
#
# NAME        label of the results (a stage, a kernel line)
# KDIR        the kernel build tree
# BUILD-NAME  build/BUILD-NAME/ holds the copy and build.log
# ARG         W=1 (the kernel's extra warnings) or C=1 (sparse)
# --what      what the tree is, for the results (default: KDIR)
# --covers    the log must show that FILE.c was compiled (W=1) or checked
#             (C=1) too: a file Kbuild skipped was never looked at. Every
#             driver/*.c but the KUnit suite's, which only a kernel with
#             KUnit builds, is always required.
# Results: the module builds; the build reports nothing (compiler, sparse
# and modpost diagnostics); each --covers file was seen. Any further Kbuild
# arguments (LLVM=-19) come from QOTD_KBUILD_ARGS, as in vm/build-module.sh.
set -euo pipefail

[ $# -ge 4 ] || { echo "usage: $0 NAME KDIR BUILD-NAME W=1|C=1 [--what TEXT] [--covers FILE.c]..." >&2; exit 2; }
name=$1 kdir=$2 bname=$3 arg=$4
shift 4
root=$(cd "$(dirname "$0")/.." && pwd)
src=${QOTD_SRC:-$root}
what=$kdir covers=()
for f in "$src"/driver/*.c; do
	case ${f##*/} in *kunit*) ;; *) covers+=("${f##*/}") ;; esac
done
while [ $# -gt 0 ]; do
	case $1 in
	--what) what=${2:?}; shift ;;
	--covers) covers+=("${2:?}"); shift ;;
	*) echo "kbuild-check: unknown argument $1" >&2; exit 2 ;;
	esac
	shift
done
case $arg in
W=1) label="W=1 build" ;;
C=1) label="sparse (C=1)" ;;
*) echo "kbuild-check: ARG is W=1 or C=1, not $arg" >&2; exit 2 ;;
esac

# Compiler, sparse and modpost diagnostics, as tests/host/ looks for them,
# and Kbuild's note that it will not run a sparse too old for the tree
# (7.x wants one that knows __typeof_unqual__).
diag_re='(warning|error):|^WARNING:|^ERROR:|is not available or not up to date'
log=$root/build/$bname/build.log
mkdir -p "$root/build/$bname"
echo "== $name: building qotd.ko against $what with $arg ${QOTD_KBUILD_ARGS:-}" >&2
if ! "$root/vm/build-module.sh" "$kdir" "$bname" "$arg" >"$log" 2>&1; then
	echo "not ok - $name: qotd.ko builds against $what with $arg"
	tail -n 30 "$log" | sed 's/^/#   /'
	echo "#   full log: $log"
	exit 0
fi
echo "ok - $name: qotd.ko builds against $what with $arg"
if grep -E -- "$diag_re" "$log" >"$log.diag"; then
	echo "not ok - $name: $label reports nothing ($what)"
	head -n 40 "$log.diag" | sed 's/^/#   /'
else
	echo "ok - $name: $label reports nothing ($what)"
fi
for f in ${covers[@]+"${covers[@]}"}; do
	case $arg in
	# 6.x names the file with its directory, 7.x relative to it.
	W=1) pattern="^  CC \\[M\\] +(.*/)?${f%.c}\\.o\$" ;;
	*) pattern="^  CHECK +(.*/)?${f//./\\.}\$" ;;
	esac
	if grep -q -E -- "$pattern" "$log"; then
		echo "ok - $name: $label covered $f"
	else
		echo "not ok - $name: $label covered $f (no such line in $log)"
	fi
done
