#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The tutorial's session as an acceptance test, end to end through the
# shell and qotdctl: load, read, write, resize, refused unload, reset,
# unload. Also qotdctl's exit statuses and messages against the real device.
#
# Runs in the test guest as root (busybox sh). The module is $QOTD_KO, loaded
# with the extra arguments $QOTD_INSMOD_ARGS (may be empty). The module is
# unloaded at the end, also when a step fails. Output: one TAP line a step.
# qotdctl -V must print QOTD_VERSION if that is set, else the module's version.

QOTDCTL=${QOTDCTL:-qotdctl}
KO=${QOTD_KO:-/lib/modules/qotd.ko}
DEV=/dev/qotd0
SYS=/sys/class/misc/qotd0
PARAMS=/sys/module/qotd/parameters
FIELDS="On the whole, I'd rather be in Philadelphia. - W. C. Fields"
ROBINSON="A life is not important except in the impact it has on others. - Jackie Robinson"
MISSING=/dev/qotd64	# instances is at most 64: qotd0 .. qotd63

failures=0
T=$(mktemp -d /tmp/t-session.XXXXXX) || exit 1

pass() { echo "ok - session: $*"; }
fail() { echo "not ok - session: $*"; failures=$((failures + 1)); }
diag() { echo "#   $*"; }

loaded() { grep -q '^qotd ' /proc/modules; }

cleanup() {
	if loaded; then
		for node in /dev/qotd*; do
			[ -c "$node" ] && "$QOTDCTL" -d "$node" -r >/dev/null 2>&1
		done
		rmmod qotd >/dev/null 2>&1 || diag "cleanup: could not unload qotd"
	fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# Show a captured file as TAP comments (binary-safe through od).
show_file() {	# LABEL FILE
	if [ ! -s "$2" ]; then
		diag "$1: (empty)"
	elif tr -d '\011\012\040-\176' <"$2" | grep -q .; then
		diag "$1 (od -c, first lines):"
		od -c "$2" | head -n 12 | sed 's/^/#     /'
	else
		head -n 20 "$2" | sed "s/^/#   $1: /"
	fi
}

# Write TEXT (plus a newline) to FILE, or make FILE empty if TEXT is empty.
text_file() {	# FILE TEXT
	if [ -n "$2" ]; then printf '%s\n' "$2" >"$1"; else : >"$1"; fi
}

# expect DESC STATUS STDOUT STDERR CMD...
# Run CMD; check its exit status and its exact stdout and stderr (each given
# as the text without the final newline, "" for no output, or "*" for not
# checked); STATUS "!0" accepts any failure. $rc, $T/out and $T/err keep the
# results for further checks.
expect() {
	desc=$1 want_rc=$2 want_out=$3 want_err=$4
	shift 4
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	why=
	if [ "$want_rc" = "!0" ]; then
		[ "$rc" -ne 0 ] || why="exit status 0, expected a failure"
	else
		[ "$rc" = "$want_rc" ] || why="exit status $rc, expected $want_rc"
	fi
	if [ "$want_out" != "*" ]; then
		text_file "$T/want" "$want_out"
		cmp -s "$T/want" "$T/out" || why="$why${why:+; }stdout is not as expected"
	fi
	if [ "$want_err" != "*" ]; then
		text_file "$T/want" "$want_err"
		cmp -s "$T/want" "$T/err" || why="$why${why:+; }stderr is not as expected"
	fi
	if [ -z "$why" ]; then
		pass "$desc"
		return 0
	fi
	fail "$desc"
	diag "command: $*"
	diag "$why"
	[ "$want_out" = "*" ] || [ -z "$want_out" ] || diag "expected stdout: $want_out"
	[ "$want_err" = "*" ] || [ -z "$want_err" ] || diag "expected stderr: $want_err"
	show_file stdout "$T/out"
	show_file stderr "$T/err"
	return 1
}

# check DESC CMD...: one TAP line for whether CMD succeeds.
check() {
	desc=$1
	shift
	if "$@"; then
		pass "$desc"
	else
		fail "$desc"
		diag "failed: $*"
	fi
}

# The shell's own commands, as the tutorial types them.
write_robinson() { echo "$ROBINSON" >"$DEV"; }
# What cat shows on a terminal: the text without the NUL padding.
# shellcheck disable=SC2002 # cat is the point
cat_text() { cat "$DEV" | tr -d '\000'; }

sysval() { cat "$SYS/$1" 2>/dev/null || echo "(unreadable)"; }

# state DESC SIZE CHANGED: the driver's own view, through sysfs.
state() {
	s=$(sysval size) c=$(sysval changed)
	if [ "$s" = "$2" ] && [ "$c" = "$3" ]; then
		pass "$1 (sysfs: size $s, changed $c)"
	else
		fail "$1"
		diag "sysfs size '$s' changed '$c', expected size '$2' changed '$3'"
	fi
}

# Expected device contents: TEXT, a newline, then NUL bytes up to SIZE.
contents() {	# FILE TEXT SIZE
	printf '%s\n' "$2" >"$1"
	pad=$(($3 - ${#2} - 1))
	[ "$pad" -le 0 ] || head -c "$pad" /dev/zero >>"$1"
}

# same_as EXPECTED-FILE DESC: the whole device reads back as the file.
same_as() {
	cat "$DEV" >"$T/dev" 2>"$T/err"
	if cmp -s "$1" "$T/dev" && [ ! -s "$T/err" ]; then
		pass "$2"
	else
		fail "$2"
		diag "cat $DEV gave $(wc -c <"$T/dev") bytes, expected $(wc -c <"$1")"
		show_file "read" "$T/dev"
		show_file "stderr" "$T/err"
	fi
}

# ---------------------------------------------------------------------------
if loaded; then
	diag "qotd was already loaded; resetting and unloading it first"
	cleanup
	T=$(mktemp -d /tmp/t-session.XXXXXX) || exit 1
	if loaded; then
		fail "qotd is not loaded before the session"
		exit 1
	fi
fi

# 1. Load: /dev/qotd0 appears, mode 0600, owner root.
# shellcheck disable=SC2086 # QOTD_INSMOD_ARGS is a list of words
if ! expect "1. insmod qotd.ko${QOTD_INSMOD_ARGS:+ $QOTD_INSMOD_ARGS}" 0 "" "" insmod "$KO" ${QOTD_INSMOD_ARGS:-}; then
	diag "the module did not load: the session cannot go on"
	exit 1
fi
check "1. $DEV is a character device" test -c "$DEV"
expect "1. $DEV has mode 0600, owner root:root" 0 "600 0 0" "" stat -c '%a %u %g' "$DEV"
state "1. a new device is 128 bytes, unchanged" 128 0

# 2. cat prints the Fields quote; wc -c says 128.
contents "$T/fields" "$FIELDS" 128
expect "2. cat $DEV prints the Fields quote" 0 "$FIELDS" "" cat_text
expect "2. cat $DEV | wc -c says 128" 0 "128" "" sh -c "cat $DEV | wc -c"
same_as "$T/fields" "2. the 128 bytes are the quote, a newline and 68 NULs"

# 3. Write the Robinson quote, then cat prints it.
expect "3. echo \"...Jackie Robinson\" > $DEV" 0 "" "" write_robinson
expect "3. cat $DEV prints the Robinson quote" 0 "$ROBINSON" "" cat_text
contents "$T/robinson128" "$ROBINSON" 128
same_as "$T/robinson128" "3. the buffer is the Robinson quote, a newline and NULs, 128 bytes"
state "3. the write marked the device changed" 128 1

# 4. qotdctl -V and -h. Both the tool and the module take their version
# from the project's VERSION file, so they must agree.
# (busybox modinfo wants a modules.dep; the .modinfo strings say it too.)
version=${QOTD_VERSION:-$(tr '\000' '\n' <"$KO" 2>/dev/null | sed -n 's/^version=//p' | head -n 1)}
if [ -n "$version" ]; then
	expect "4. qotdctl -V prints 'qotdctl $version'" 0 "qotdctl $version" "" "$QOTDCTL" -V
else
	expect "4. qotdctl -V exits 0 with nothing on stderr" 0 "*" "" "$QOTDCTL" -V
	check "4. qotdctl -V prints 'qotdctl VERSION'" \
		grep -Eqx 'qotdctl [0-9]+(\.[0-9]+)+([-+~.][0-9A-Za-z.+~-]+)?' "$T/out"
fi
expect "4. qotdctl -h exits 0, usage on stdout" 0 "*" "" "$QOTDCTL" -h
check "4. qotdctl -h starts with the usage line" grep -q '^Usage: qotdctl ' "$T/out"
check "4. qotdctl -h describes -g, -s and -r" \
	sh -c "grep -q -- '--get-size' $T/out && grep -q -- '--set-size SIZE' $T/out && grep -q -- '--reset' $T/out"

# 5. -g 128, -s 512, -g 512; the text is kept and the new bytes are zero.
expect "5. qotdctl -g prints 128" 0 "128" "" "$QOTDCTL" -g
expect "5. qotdctl -s 512" 0 "" "" "$QOTDCTL" -s 512
expect "5. qotdctl -g prints 512" 0 "512" "" "$QOTDCTL" -g
state "5. after -s 512" 512 1
cat "$DEV" >"$T/dev512" 2>/dev/null
check "5. cat $DEV gives 512 bytes" test "$(wc -c <"$T/dev512")" -eq 512
head -c 128 "$T/dev512" >"$T/head"
check "5. the first 128 bytes are kept (cmp)" cmp -s "$T/robinson128" "$T/head"
tail -c 384 "$T/dev512" >"$T/tail"
head -c 384 /dev/zero >"$T/zero384"
if cmp -s "$T/zero384" "$T/tail"; then
	pass "5. the 384 new bytes are zero"
else
	fail "5. the 384 new bytes are zero"
	od -A d -t x1 "$T/tail" | head -n 10 | sed 's/^/#     /'
fi
contents "$T/robinson512" "$ROBINSON" 512
expect "5. cat $DEV still prints the Robinson quote" 0 "$ROBINSON" "" cat_text

# 6. rmmod refuses while the quotation is changed.
expect "6. rmmod qotd fails while the device is changed" "!0" "" "*" rmmod qotd
[ -s "$T/err" ] && diag "rmmod said: $(cat "$T/err")"
check "6. the module is still loaded" loaded
check "6. $DEV is still there" test -c "$DEV"
same_as "$T/robinson512" "6. the failed rmmod kept the data"

# qotdctl's errors against the real device; none of them changes anything.
max=$(cat "$PARAMS/max_size" 2>/dev/null || echo 65536)
over=$((max + 1))
expect "qotdctl -s $over (max_size + 1): exit 4, EINVAL named" 4 "" \
	"qotdctl: set size $over on $DEV: Invalid argument" "$QOTDCTL" -s "$over"
for bad in 0 -1 +1 12x "" " 1" 1k 1KB 0x10 18446744073709551616 17592186044416M; do
	expect "qotdctl -s '$bad': exit 1, invalid size named" 1 "" "*" "$QOTDCTL" -s "$bad"
	case $(head -n 1 "$T/err") in
	"qotdctl: invalid size '$bad': "?*) ;;
	*)
		fail "qotdctl -s '$bad': the message names the value"
		show_file stderr "$T/err"
		;;
	esac
done
expect "qotdctl -g -r: exit 1 (two actions), usage on stderr" 1 "" "*" "$QOTDCTL" -g -r
check "qotdctl -g -r: the usage is on stderr" grep -q '^Usage: qotdctl ' "$T/err"
expect "qotdctl with no action: exit 1" 1 "" "*" "$QOTDCTL"
expect "qotdctl -r extra: exit 1 (stray argument)" 1 "" "*" "$QOTDCTL" -r extra
expect "qotdctl -d $MISSING -g: exit 3, path and reason named" 3 "" \
	"qotdctl: $MISSING: No such file or directory" "$QOTDCTL" -d "$MISSING" -g
expect "qotdctl -d $MISSING -r: exit 3" 3 "" \
	"qotdctl: $MISSING: No such file or directory" "$QOTDCTL" -d "$MISSING" -r
state "none of the failed commands changed the device" 512 1
same_as "$T/robinson512" "none of the failed commands changed the data"

# 7. Reset: -r, -g prints 128, cat prints the Fields quote again.
expect "7. qotdctl -r" 0 "" "" "$QOTDCTL" -r
expect "7. qotdctl -g prints 128" 0 "128" "" "$QOTDCTL" -g
state "7. after -r the device is unchanged again" 128 0
expect "7. cat $DEV prints the Fields quote again" 0 "$FIELDS" "" cat_text
same_as "$T/fields" "7. the buffer is exactly the initial 128 bytes"

# 8. rmmod succeeds and /dev/qotd0 is gone.
expect "8. rmmod qotd succeeds" 0 "" "" rmmod qotd
check "8. the module is unloaded" sh -c "! grep -q '^qotd ' /proc/modules"
check "8. $DEV is gone" sh -c "[ ! -e $DEV ]"
check "8. $SYS is gone" sh -c "[ ! -e $SYS ]"
expect "8. qotdctl -g with no device: exit 3, path and reason named" 3 "" \
	"qotdctl: $DEV: No such file or directory" "$QOTDCTL" -g

[ "$failures" -eq 0 ] || diag "t-session: $failures step(s) failed"
[ "$failures" -eq 0 ]
