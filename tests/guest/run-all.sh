#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run every guest test once per buffer allocation strategy (busybox sh).
#
# For each strategy S in ${QOTD_ALLOCS:-umem kmem auto}, every executable
# /tests/t-* runs in sorted order with QOTD_INSMOD_ARGS="alloc=S"; each test
# loads $QOTD_KO itself and unloads it at its end. The output is TAP without
# numbers: every result gets "[S] " in front of its description, comments
# pass through, anything else becomes a comment. A program that exits
# non-zero without reporting a failure, dies of a signal, reports nothing,
# or leaves the module loaded gets a failing result of its own (and the
# module is then reset and unloaded by force).
#
# QOTD_TESTS (names separated by spaces or commas, e.g. "t-rw t-ioctl"):
# those tests only; a name with no test behind it is a failure.

QOTD_KO=${QOTD_KO:-/lib/modules/qotd.ko}
export QOTD_KO
dir=$(cd "$(dirname "$0")" && pwd)
allocs=${QOTD_ALLOCS:-umem kmem auto}
# One line per failure, whichever subshell found it: the exit status.
failures=$(mktemp /tmp/run-all.XXXXXX) || exit 1
fail() { echo "not ok - $*"; echo x >>"$failures"; }

loaded() { lsmod 2>/dev/null | grep -q '^qotd '; }

force_clean() {
	if [ -x "$dir/qotd-reset" ]; then
		"$dir/qotd-reset" 2>&1 | sed 's/^/#   /'
	else
		for node in /dev/qotd*; do
			[ -c "$node" ] && qotdctl -d "$node" -r 2>&1 | sed 's/^/#   /'
		done
	fi
	rmmod qotd 2>&1 | sed 's/^/#   /'
	if loaded; then
		echo "#   qotd is still loaded after the forced cleanup"
	fi
}

# filter S PROG: prefix the results of PROG with [S]; the last line of the
# stream is "__qotd_rc=N", the program's exit status.
filter() {
	s=$1 prog=$2 results=0 failed=0
	while IFS= read -r line; do
		case $line in
		__qotd_rc=*)
			rc=${line#__qotd_rc=}
			if [ "$rc" -gt 128 ]; then
				fail "[$s] $prog killed by signal $((rc - 128))"
			elif [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
				fail "[$s] $prog exited $rc"
			elif [ "$results" -eq 0 ]; then
				fail "[$s] $prog reported no results (exit $rc)"
			fi
			;;
		"ok - "*)
			echo "ok - [$s] ${line#ok - }"
			results=$((results + 1))
			;;
		"not ok - "*)
			fail "[$s] ${line#not ok - }"
			results=$((results + 1))
			failed=$((failed + 1))
			;;
		"#"*) echo "$line" ;;
		"") ;;
		*) echo "# $prog: $line" ;;
		esac
	done
}

if loaded; then
	echo "# qotd was loaded before the tests: resetting and unloading it"
	force_clean
fi

found=0
only=$(echo "${QOTD_TESTS:-}" | tr , ' ')
for t in $only; do
	[ -x "$dir/$t" ] || fail "QOTD_TESTS names $t, which is not a test in $dir"
done
for s in $allocs; do
	QOTD_INSMOD_ARGS="alloc=$s"
	export QOTD_INSMOD_ARGS
	echo "# allocation strategy $s ($QOTD_INSMOD_ARGS)"
	for t in "$dir"/t-*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		prog=${t##*/}
		if [ -n "$only" ]; then
			case " $only " in *" $prog "*) ;; *) continue ;; esac
		fi
		found=1
		echo "# $prog [$s]"
		{
			"$t" 2>&1 </dev/null
			printf '\n__qotd_rc=%d\n' "$?"
		} | filter "$s" "$prog"
		if loaded; then
			fail "[$s] $prog left the module loaded"
			force_clean
		fi
	done
done
[ "$found" -eq 1 ] || fail "no test programs in $dir"
status=0
[ -s "$failures" ] && status=1
rm -f "$failures"
exit $status
