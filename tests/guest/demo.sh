#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The tutorial's session, to watch: each step is explained in one line, then
# each command is shown after a "# " prompt and run, with its output and,
# when it fails, its exit status.
#
# Runs in the guest as root. Loads $QOTD_KO (with $QOTD_INSMOD_ARGS, if
# any) at the start and unloads it at the end.
#
# The driver's trace events are on throughout: after each step, the lines
# "[trace] TASK: qotd_...: ..." show what it allocated and freed. The
# load's allocation shows only where tracefs can enable the events of a
# module that is not loaded yet (":mod:qotd" in set_event); with
# qotddemo=load on the kernel command line, the demo is that load alone,
# for such a kernel (vm/demo.sh boots one for it when there is one).

KO=${QOTD_KO:-/lib/modules/qotd.ko}
ROBINSON="A life is not important except in the impact it has on others. - Jackie Robinson"

loaded() { grep -q '^qotd ' /proc/modules; }

# Should the demo stop half way, leave no module behind.
cleanup() {
	if loaded; then
		for node in /dev/qotd*; do
			[ -c "$node" ] && qotdctl -d "$node" -r >/dev/null 2>&1
		done
		rmmod qotd 2>/dev/null
	fi
	[ -z "$TRACE" ] || echo 0 >"$TRACE/events/enable" 2>/dev/null
	rm -f "$OUT"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

explain() {
	echo
	echo "$*"
}

OUT=$(mktemp /tmp/demo.XXXXXX) || exit 1

# Show a command line, run it, show what it printed (ending the line if the
# output did not, as after the NUL padding of a read), and its exit status
# if that is not 0.
run() {
	echo "# $1"
	eval "$1" >"$OUT" 2>&1
	rc=$?
	cat "$OUT"
	if [ -s "$OUT" ] && [ "$(tail -c 1 "$OUT" | od -An -c | tr -d ' ')" != '\n' ]; then
		echo
	fi
	[ "$rc" -eq 0 ] || echo "[exit status $rc]"
	return "$rc"
}

# The trace events: tracefs where the documentation says it is.
TRACE=/sys/kernel/tracing
[ -e "$TRACE/trace" ] || mount -t tracefs tracefs "$TRACE" 2>/dev/null
[ -e "$TRACE/trace" ] || TRACE=

# Print the qotd events recorded since the last call, one a line, as
# "[trace] TASK: EVENT: FIELDS", then empty the buffer.
trace() {
	[ -n "$TRACE" ] || return 0
	grep -v '^#' "$TRACE/trace" |
		sed -n -E 's/^ *(.*)-[0-9]+ +\[[0-9]+\] [^ ]+ +[0-9.]+: (qotd_[a-z]+: .*)$/  [trace] \1: \2/p'
	: >"$TRACE/trace"
}

# insmod, with the trace events of the module enabled before it exists;
# returns 1 when the load failed.
load_traced() {
	if [ -z "$TRACE" ]; then
		explain "This kernel has no tracefs: the demo runs without the trace events."
	elif grep -q 'Can enable module events via: :mod:' "$TRACE/README"; then
		explain "This kernel's tracefs can enable the events of a module that is not loaded yet: the load's own allocation will show."
		run "echo ':mod:qotd' > $TRACE/set_event"
	else
		explain "Linux $(uname -r | cut -d. -f1-2) cannot enable a module's events before the module is loaded, so the load's no-sleep allocation cannot be traced here (newer kernels accept ':mod:qotd' in set_event):"
		run "echo ':mod:qotd' > $TRACE/set_event"
	fi
	run "insmod $KO${QOTD_INSMOD_ARGS:+ $QOTD_INSMOD_ARGS}" || return 1
	if [ -n "$TRACE" ]; then
		echo 1 >"$TRACE/events/qotd/enable"
		trace
	fi
}

case " $(cat /proc/cmdline) " in
*" qotddemo=load "*)
	echo "Quote of the Day, version 3: the allocation at load, traced ($(uname -r))"
	[ -n "$TRACE" ] || { echo "This kernel has no tracefs."; exit 1; }
	grep -q 'Can enable module events via: :mod:' "$TRACE/README" || {
		echo "This kernel's tracefs cannot enable the events of a module before it is loaded."
		exit 1
	}
	: >"$TRACE/trace"
	load_traced || exit 1
	explain "GFP_NOWAIT: the load may not sleep for memory; if none is free at once it fails with ENOMEM."
	run "rmmod qotd"
	echo
	loaded && exit 1
	exit 0
	;;
esac

echo "Quote of the Day, version 3: the tutorial's session"
if [ -n "$TRACE" ]; then
	explain "The driver's trace events show each allocation as it happens; they are enabled in $TRACE, and the lines \"[trace] TASK: EVENT: ...\" after a step are what it recorded."
	: >"$TRACE/trace"
fi

explain "Load the driver. It creates one device node, readable and writable by root only."
load_traced || {
	echo "The driver did not load; the demo stops here."
	exit 1
}
run "ls -l /dev/qotd0"
run "dmesg | grep 'created /dev/qotd0' | tail -n 1"

explain "Read the device: the quotation of the day."
run "cat /dev/qotd0"

explain "The buffer is 128 bytes: the quotation, then NUL bytes (which a terminal does not show)."
run "cat /dev/qotd0 | wc -c"

explain "Write a new quotation over the old one; reading shows it."
run "echo \"$ROBINSON\" > /dev/qotd0"
trace
run "cat /dev/qotd0"

explain "The driver now holds a changed quotation, and says so in sysfs."
run "cat /sys/class/misc/qotd0/changed"

explain "qotdctl, the control command, gets and sets the buffer size and resets it."
run "qotdctl -V"
run "qotdctl -h"

explain "Get the size, grow the buffer to 512 bytes, get the size again."
run "qotdctl -g"
run "qotdctl -s 512"
trace
[ -z "$TRACE" ] || explain "The new buffer came first, from memory that may sleep and is charged to the caller's cgroup (GFP_KERNEL_ACCOUNT), before the lock; then the old one was freed."
run "qotdctl -g"

explain "The text is kept; the 384 new bytes are zero (od prints * for repeated lines)."
run "od -A d -c /dev/qotd0"

explain "The driver refuses to be unloaded while it holds a changed quotation."
run "rmmod qotd"

explain "qotdctl refuses a malformed size itself (exit status 1) ..."
run "qotdctl -s 12x"
explain "... and the driver refuses a size above its max_size parameter (exit status 4)."
run "qotdctl -s $(($(cat /sys/module/qotd/parameters/max_size 2>/dev/null || echo 65536) + 1))"

explain "qotdctl -w watches the device: it prints the quotation now, and again each time the device changes. It runs in the background while another command writes."
echo "# qotdctl -w &"
qotdctl -w &
watcher=$!
sleep 1
run "printf 'Simplicity is prerequisite for reliability. - Edsger Dijkstra\\n\\000' > /dev/qotd0"
sleep 1
echo "# kill -INT \$!"
kill -INT "$watcher"
wait "$watcher"
rc=$?
[ "$rc" -eq 0 ] || echo "[exit status $rc]"

explain "Discard the changes: the initial quotation and size come back."
run "qotdctl -r"
trace
[ -z "$TRACE" ] || explain "The size was 512, so the discard needed a new 128-byte buffer (realloc=1)."
run "qotdctl -g"
run "cat /dev/qotd0"
run "cat /sys/class/misc/qotd0/changed"
if [ -n "$TRACE" ]; then
	explain "Discard again: at the initial size no buffer is allocated (realloc=0)."
	run "qotdctl -r"
	trace
fi

explain "Nothing is changed any more, so the driver unloads, and its node goes away."
run "rmmod qotd"
run "ls -l /dev/qotd0"
run "qotdctl -g"

echo
if loaded; then
	echo "The driver is still loaded: the demo did not go as the tutorial says."
	exit 1
fi
echo "End of the session."
