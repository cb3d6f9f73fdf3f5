#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The tutorial's session, to watch: each step is explained in one line, then
# each command is shown after a "# " prompt and run, with its output and,
# when it fails, its exit status.
#
# Runs in the guest as root. Loads $QOTD_KO (with $QOTD_INSMOD_ARGS, if
# any) at the start and unloads it at the end.

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

echo "Quote of the Day, version 3: the tutorial's session"

explain "Load the driver. It creates one device node, readable and writable by root only."
run "insmod $KO${QOTD_INSMOD_ARGS:+ $QOTD_INSMOD_ARGS}" || {
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
run "cat /dev/qotd0"

explain "The driver now holds a changed quotation, and says so in sysfs."
run "cat /sys/class/misc/qotd0/changed"

explain "qotdctl, the control command, gets and sets the buffer size and resets it."
run "qotdctl -V"
run "qotdctl -h"

explain "Get the size, grow the buffer to 512 bytes, get the size again."
run "qotdctl -g"
run "qotdctl -s 512"
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
run "qotdctl -g"
run "cat /dev/qotd0"
run "cat /sys/class/misc/qotd0/changed"

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
