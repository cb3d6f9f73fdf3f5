#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The debug kernel's guest run (busybox sh): TAP without numbers on stdout.
#
#   kunit     load qotd.ko once: its KUnit suite runs; one result per case
#   guest     the whole guest suite, /tests/run-all.sh (every strategy)
#   failnth   every allocation of load, set size, discard and open failed in
#             turn (failnth), for each allocation strategy (a load with
#             instances=4 for the first only)
#   failtrace the trace of a failed allocation: each allocation of a set
#             size and a discard failed in turn with qotd's events on,
#             for each allocation strategy (failtrace)
#   stress    several processes, four instances, signals (stress), with
#             alloc=auto and with alloc=umem, where mappers join in
#   lockless  the sysfs attributes and poll read while another process
#             resizes, writes and discards (lockless)
#   cycles    200 load/unload cycles of four kinds (cycles)
#   trinity   the trinity fuzzer on four instances, as an unprivileged
#             user, for a bounded time with a fixed seed (fuzz.sh)
#   loadrace  loads with instances=4 failed at each of qotd's allocations
#             while another process opens the nodes (loadrace)
# After each phase but kunit, kmemleak scans and any leak it suspects is a
# failing result, with its report as comments.
#
# Environment: QOTD_DEBUG_ONLY (phases to run, separated by spaces or
# commas; default all of the above), QOTD_KMEMLEAK (0: the kernel has no
# kmemleak, so no leak checks),
# QOTD_ALLOCS (strategies, default "umem kmem auto"), QOTD_STRESS_SECONDS
# (default 24), QOTD_LOCKLESS_SECONDS (default 10), QOTD_CYCLES (default
# 200), QOTD_TRINITY_SECONDS (default 120) and QOTD_TRINITY_SEED.

dir=$(cd "$(dirname "$0")" && pwd)
QOTD_KO=${QOTD_KO:-/lib/modules/qotd.ko}
export QOTD_KO
allocs=${QOTD_ALLOCS:-umem kmem auto}
phases=$(echo "${QOTD_DEBUG_ONLY:-kunit guest failnth failtrace stress lockless cycles trinity loadrace}" | tr , ' ')
kmemleak=/sys/kernel/debug/kmemleak
failures=$(mktemp /tmp/debug-run.XXXXXX) || exit 1
tmp=$(mktemp -d /tmp/debug-out.XXXXXX) || exit 1

fail() { echo "not ok - $*"; echo x >>"$failures"; }
loaded() { [ -e /sys/module/qotd ]; }
want() { case " $phases " in *" $1 "*) return 0 ;; esac; return 1; }

unload_all() {
	for node in /dev/qotd*; do
		[ -c "$node" ] && qotdctl -d "$node" -r >/dev/null 2>&1
	done
	rmmod qotd 2>/dev/null
}

# run NAME COMMAND...: pass its TAP through; an exit status that no failing
# result explains, a death by signal, or no result at all is a failure.
run() {
	name=$1
	shift
	echo "# $name: $*"
	start=$(date +%s)
	"$@" </dev/null >"$tmp/out" 2>&1
	rc=$?
	results=0 failed=0
	while IFS= read -r line; do
		case $line in
		"ok - "* | "ok "[0-9]*) results=$((results + 1)); echo "$line" ;;
		"not ok"*) results=$((results + 1)); failed=$((failed + 1)); fail "${line#not ok - }" ;;
		"#"*) echo "$line" ;;
		"") ;;
		*) echo "# $name: $line" ;;
		esac
	done <"$tmp/out"
	if [ "$rc" -gt 128 ]; then
		fail "$name killed by signal $((rc - 128))"
	elif [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
		fail "$name exited $rc"
	elif [ "$results" -eq 0 ]; then
		fail "$name reported no results"
	fi
	echo "# $name took $(($(date +%s) - start)) s"
	if loaded; then
		fail "$name left qotd loaded"
		unload_all
	fi
}

# kmemleak_check PHASE: ask kmemleak for leaks since the last check. An
# object is reported once it is 5 s old and unchanged between two scans,
# so scan, wait until 6 s have passed since the phase ended, scan again.
kmemleak_check() {
	what="kmemleak: no suspected leaks after $1"
	# The KCSAN and KMSAN kernels leave kmemleak out (the KASAN kernel
	# has it); their stages say so with qotdkmemleak=0.
	if [ "${QOTD_KMEMLEAK:-1}" = 0 ]; then
		echo "# kmemleak: not in this kernel; no leak check after $1"
		return
	fi
	if [ ! -e "$kmemleak" ]; then
		fail "$what (no $kmemleak)"
		return
	fi
	t0=$(date +%s)
	if ! echo scan >"$kmemleak"; then
		fail "$what (kmemleak cannot scan: disabled?)"
		return
	fi
	waited=$(($(date +%s) - t0))
	[ "$waited" -ge 6 ] || sleep $((6 - waited))
	echo scan >"$kmemleak"
	cat "$kmemleak" >"$tmp/leaks" 2>&1
	n=$(grep -c '^unreferenced object' "$tmp/leaks")
	if [ "$n" -eq 0 ]; then
		echo "ok - $what"
	else
		fail "$what ($n found)"
		head -n 400 "$tmp/leaks" | sed 's/^/#   /'
		[ "$(wc -l <"$tmp/leaks")" -le 400 ] || echo "#   ..."
	fi
	echo "# kmemleak check after $1 took $(($(date +%s) - t0)) s"
	# Reported objects are not reported again.
	echo clear >"$kmemleak"
}

# KUnit: the suite is qotd_kunit.ko, which needs qotd.ko loaded first and
# runs when it loads; its results stay in debugfs until it is unloaded.
# qotd.ko alone runs no test and leaves the kernel untainted by one. One
# result per case; parameterised cases show their parameters as comments.
kunit() {
	results=/sys/kernel/debug/kunit/qotd/results
	kunit_ko=$(dirname "$QOTD_KO")/qotd_kunit.ko
	taint0=$(cat /proc/sys/kernel/tainted)
	if ! insmod "$QOTD_KO"; then
		fail "kunit: qotd.ko loads"
		return
	fi
	taint1=$(cat /proc/sys/kernel/tainted)
	# TAINT_TEST is bit 18 (T), set when a KUnit suite runs.
	if [ -e "$results" ] || [ $(((taint1 & ~taint0) & (1 << 18))) -ne 0 ]; then
		fail "kunit: loading qotd.ko runs no KUnit suite and sets no test taint"
	else
		echo "ok - kunit: loading qotd.ko runs no KUnit suite and sets no test taint"
	fi
	if ! insmod "$kunit_ko"; then
		fail "kunit: qotd_kunit.ko loads once qotd.ko is loaded"
		unload_all
		return
	fi
	if [ ! -r "$results" ]; then
		fail "kunit: suite qotd ran when qotd_kunit.ko loaded (no $results)"
		rmmod qotd_kunit
		unload_all
		return
	fi
	cp "$results" "$tmp/kunit"
	rmmod qotd_kunit || fail "kunit: qotd_kunit.ko unloads"
	unload_all
	awk '
	function indent(s) { match(s, /^ */); return RLENGTH }
	{ sub(/\r$/, "") }
	!found && /# Subtest: qotd$/ { found = 1; level = indent($0); next }
	!found { next }
	indent($0) == level && /^ *1\.\.[0-9]+$/ { plan = $1; sub(/^1\.\./, "", plan); next }
	indent($0) == level && /^ *(not )?ok [0-9]+ / {
		line = $0; sub(/^ */, "", line)
		pass = line !~ /^not ok/
		sub(/^(not )?ok [0-9]+ (- )?/, "", line)
		print (pass ? "ok" : "not ok") " - kunit qotd: " line
		cases++
		next
	}
	indent($0) < level && /^ *(not )?ok [0-9]+ (- )?qotd$/ { suite = $0; sub(/^ */, "", suite) }
	END {
		if (!found) { print "not ok - kunit: the results name the suite qotd"; exit }
		if (cases == 0) print "not ok - kunit qotd: no case reported a result"
		else if (plan == "" || cases != plan + 0)
			print "not ok - kunit qotd: " cases " case results for a plan of " plan
		else
			print "ok - kunit qotd: all " plan " cases reported"
		if (suite == "") print "not ok - kunit qotd: a result for the whole suite"
		else if (suite ~ /^not ok/) print "not ok - kunit qotd: the whole suite (" suite ")"
		else print "ok - kunit qotd: the whole suite (" suite ")"
	}' "$tmp/kunit" >"$tmp/kunit.tap"
	while IFS= read -r line; do
		case $line in
		"not ok - "*) fail "${line#not ok - }" ;;
		*) echo "$line" ;;
		esac
	done <"$tmp/kunit.tap"
	# The whole record, parameters and any failure's details included.
	sed 's/^/#   /' "$tmp/kunit"
}

echo "# debug kernel $(uname -r); phases: $phases"
if loaded; then
	echo "# qotd was loaded before the tests: resetting and unloading it"
	unload_all
fi

if want kunit; then
	kunit
fi
if want guest; then
	start=$(date +%s)
	if [ -x /tests/run-all.sh ]; then
		QOTD_ALLOCS="$allocs" /tests/run-all.sh || echo x >>"$failures"
	else
		fail "guest suite: /tests/run-all.sh is missing"
	fi
	echo "# guest suite took $(($(date +%s) - start)) s"
	kmemleak_check "the guest suite"
fi
if want failnth; then
	# instances=4 with the first strategy only: the strategy changes
	# nothing but the buffer allocation, which instances=1 covers.
	# QOTD_FAILNTH (e.g. "ioctl") picks the parts, for every strategy.
	ops=${QOTD_FAILNTH:-load load4 ioctl open}
	for s in $allocs; do
		# shellcheck disable=SC2086 # words
		QOTD_INSMOD_ARGS="alloc=$s" run "failnth [$s]" "$dir/failnth" $ops
		ops=${QOTD_FAILNTH:-load ioctl open}
	done
	kmemleak_check "fault injection"
fi
if want failtrace; then
	for s in $allocs; do
		QOTD_INSMOD_ARGS="alloc=$s" run "failtrace [$s]" "$dir/failtrace"
	done
	kmemleak_check "fault injection with the trace events on"
fi
if want stress; then
	# auto: slab and pages in one run; umem: with mappers as well.
	QOTD_INSMOD_ARGS="alloc=auto" run "stress [auto]" "$dir/stress" "${QOTD_STRESS_SECONDS:-24}"
	QOTD_INSMOD_ARGS="alloc=umem" run "stress [umem]" "$dir/stress" "${QOTD_STRESS_SECONDS:-24}"
	kmemleak_check "the stress test"
fi
if want lockless; then
	# KCSAN watches one access in about 4000: too few for the few
	# instructions that touch these fields. One in 500 for this phase
	# (a plain read in size_show() was reported 2 and 3 times in two
	# 10 s runs so, and not at all at the default).
	watch=/sys/module/kcsan/parameters/skip_watch
	skip=$(cat "$watch" 2>/dev/null)
	[ -n "$skip" ] && echo 500 >"$watch"
	QOTD_INSMOD_ARGS="alloc=${allocs%% *}" run lockless "$dir/lockless" "${QOTD_LOCKLESS_SECONDS:-10}"
	[ -n "$skip" ] && echo "$skip" >"$watch"
	kmemleak_check "the lockless readers"
fi
if want cycles; then
	run cycles "$dir/cycles" "${QOTD_CYCLES:-200}"
	kmemleak_check "the load/unload cycles"
fi
if want trinity; then
	QOTD_INSMOD_ARGS="alloc=auto" run trinity "$dir/fuzz.sh"
	kmemleak_check "the fuzzer"
fi
# Last: a driver that gets this wrong crashes the kernel (oops=panic).
if want loadrace; then
	QOTD_INSMOD_ARGS="alloc=${allocs%% *}" run loadrace "$dir/loadrace"
	kmemleak_check "the racing loads"
fi

status=0
[ -s "$failures" ] && status=1
rm -rf "$failures" "$tmp"
exit $status
