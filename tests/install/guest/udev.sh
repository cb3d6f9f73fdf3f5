#!/bin/sh
# In the test guest (busybox sh, root): Debian's own systemd-udevd applies
# udev/60-qotd.rules to the nodes the module creates. Four cases:
#   rule and group qotd  nodes root:qotd 0660; a member of the group can open
#                        them for reading and writing, anyone else cannot
#   rule, no group       udev cannot resolve the group: root:root 0660
#   rule in /usr/local   (make install's default place) read all the same
#   no rule              the driver's default, root:root 0600
# The host put udevadm (with its libraries), the rule, and users alice (in
# group qotd) and bob (not) into the initramfs.

KO=${QOTD_KO:-/lib/modules/qotd.ko}
RULE=/usr/lib/udev/rules.d/60-qotd.rules
LOCAL_RULES=/usr/local/lib/udev/rules.d
LOG=/tmp/udevd.log
failures=0

pass() { echo "ok - udev: $*"; }
fail() { echo "not ok - udev: $*"; failures=$((failures + 1)); }
diag() { sed 's/^/#   /'; }

# expect DESCRIPTION GOT WANTED
expect() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1"
		echo "got \"$2\", wanted \"$3\"" | diag
	fi
}

# Numbers as well as names: a name alone cannot tell a group that vanished.
perms() { stat -c '%U:%G(%u:%g) %a' "$1" 2>&1; }

# load ARGS...: insmod and wait until udev has handled the new devices.
load() {
	if ! insmod "$KO" "$@" 2>/tmp/insmod.err; then
		fail "insmod qotd.ko $*"
		diag </tmp/insmod.err
		return 1
	fi
	udevadm settle --timeout=60
}

unload() {
	rmmod qotd || fail "rmmod qotd"
	udevadm settle --timeout=60
}

mkdir -p /run
udevd=

# Start systemd-udevd afresh, so that it reads the rules and resolves the
# group now, as at boot. Its messages go to $LOG.
start_udevd() {
	stop_udevd
	SYSTEMD_LOG_LEVEL=debug SYSTEMD_LOG_TARGET=console \
		/lib/systemd/systemd-udevd >>"$LOG" 2>&1 &
	udevd=$!
	i=0
	while [ ! -S /run/udev/control ] && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if [ -S /run/udev/control ]; then
		pass "systemd-udevd starts ($1)"
	else
		fail "systemd-udevd starts ($1)"
		tail -n 20 "$LOG" | diag
		exit 1
	fi
}

stop_udevd() {
	[ -n "$udevd" ] || return 0
	kill "$udevd" 2>/dev/null
	wait "$udevd" 2>/dev/null
	rm -f /run/udev/control
	udevd=
}

# 1. The rule, and the group exists.
start_udevd "rule and group"
mark=$(wc -l <"$LOG")
if load instances=2; then
	expect "rule and group: /dev/qotd0 is root:qotd 0660" "$(perms /dev/qotd0)" "root:qotd(0:990) 660"
	expect "rule and group: /dev/qotd1 is root:qotd 0660" "$(perms /dev/qotd1)" "root:qotd(0:990) 660"
	got=$(su alice -c 'wc -c </dev/qotd0' 2>&1)
	expect "a member of group qotd reads the quotation" "$got" 128
	if su alice -c ': <>/dev/qotd0' 2>/tmp/su.err; then
		pass "a member of group qotd opens the device for writing"
	else
		fail "a member of group qotd opens the device for writing"
		diag </tmp/su.err
	fi
	if su bob -c ': </dev/qotd0' 2>/dev/null; then
		fail "a user outside group qotd cannot open the device"
	else
		pass "a user outside group qotd cannot open the device"
	fi
	unload
fi
applied=$(tail -n +"$((mark + 1))" "$LOG" | grep -E '60-qotd\.rules:[0-9]+ (GROUP|MODE)' || true)
if [ -n "$applied" ]; then
	pass "udevd's log shows 60-qotd.rules setting GROUP and MODE"
	echo "$applied" | head -n 4 | diag
else
	fail "udevd's log shows 60-qotd.rules setting GROUP and MODE"
	grep -i qotd "$LOG" | tail -n 20 | diag
fi

# 2. The rule, but no group qotd.
cp /etc/group /tmp/group.saved
grep -v '^qotd:' /tmp/group.saved >/etc/group
mark=$(wc -l <"$LOG")
start_udevd "rule, no group"
if load; then
	expect "rule without the group: /dev/qotd0 is root:root 0660" "$(perms /dev/qotd0)" "root:root(0:0) 660"
	unload
fi
tail -n +"$((mark + 1))" "$LOG" | grep -i "group" | grep -i qotd | head -n 3 | diag
cp /tmp/group.saved /etc/group

# 3. The rule where make install puts it with the default PREFIX.
mkdir -p "$LOCAL_RULES"
mv "$RULE" "$LOCAL_RULES/"
start_udevd "rule in $LOCAL_RULES"
if load; then
	expect "rule in $LOCAL_RULES: /dev/qotd0 is root:qotd 0660" "$(perms /dev/qotd0)" "root:qotd(0:990) 660"
	unload
fi

# 4. No rule: what the driver asks for.
mv "$LOCAL_RULES/60-qotd.rules" /tmp/60-qotd.rules
start_udevd "no rule"
if load; then
	expect "no rule: /dev/qotd0 is root:root 0600" "$(perms /dev/qotd0)" "root:root(0:0) 600"
	unload
fi
mv /tmp/60-qotd.rules "$RULE"

# Anything udevd found wrong with the rule file itself.
complaints=$(grep -E '60-qotd\.rules' "$LOG" |
	grep -i -E 'invalid|error|fail|unknown key|ignor|deprecat' |
	grep -v -E "Failed to resolve group|Unknown group|group .qotd." || true)
if [ -z "$complaints" ]; then
	pass "udevd reports no problem in 60-qotd.rules"
else
	fail "udevd reports no problem in 60-qotd.rules"
	echo "$complaints" | head -n 20 | diag
fi

stop_udevd
[ $failures -eq 0 ]
