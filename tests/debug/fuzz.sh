#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# trinity, the system call fuzzer, against qotd (busybox sh; TAP without
# numbers on stdout).
#
#   fuzz.sh [SECONDS [SEED]]
#
# qotd.ko is loaded with instances=4. A directory of its own holds a node
# for each device (read-write, read-only, write-only, read-write), and is
# trinity's only victim path (-V): the file fds it fuzzes with are qotd's,
# beside pipes, its test files and a stand-in socket. Trinity runs as an
# unprivileged user (it refuses root) with 4 children, the file system
# calls of fuzzcount.h in 32- and 64-bit forms, a fixed seed, and qotd's
# ioctl commands handed to it by qotd-trinity.so; fuzzrun stops it after
# SECONDS (default 120) and counts the 64-bit calls made on qotd's fds.
# Then every device must be consistent: QOTDIOCGSZ matches the size
# attribute, a reset brings back the initial 128 bytes and clears changed;
# and the module must unload. The kernel must not have become tainted.
#
# To replay: the same seed, children and system calls (trinity's own
# scheduling still varies from run to run).

dir=$(cd "$(dirname "$0")" && pwd)
secs=${1:-${QOTD_TRINITY_SECONDS:-120}}
seed=${2:-${QOTD_TRINITY_SEED:-20261201}}
children=4
t=$dir/trinity
ko=${QOTD_KO:-/lib/modules/qotd.ko}
victims=/tmp/fuzz-victims
work=/tmp/fuzz-work
uid=64000
log=/tmp/fuzz-trinity.log
counts=/tmp/fuzz-counts
expected=/tmp/fuzz-expected
nfail=0

ok() { echo "ok - trinity: $*"; }
nok() { echo "not ok - trinity: $*"; nfail=$((nfail + 1)); }
check() {	# check DESC COMMAND...
	desc=$1
	shift
	if "$@"; then ok "$desc"; else nok "$desc"; fi
}

if [ ! -x "$t/trinity" ] || [ ! -e "$t/ld.so" ] || [ ! -e "$t/qotd-trinity.so" ]; then
	nok "trinity is in the image ($t: install Debian's trinity, then rebuild)"
	exit 1
fi

# shellcheck disable=SC2086 # QOTD_INSMOD_ARGS is words
if ! insmod "$ko" instances=4 $QOTD_INSMOD_ARGS; then
	nok "qotd.ko loads with instances=4"
	exit 1
fi

rm -rf "$victims" "$work"
mkdir -p "$victims" "$work"
chmod 755 "$victims"
i=0
for mode in 666 444 222 666; do
	mm=$(cat /sys/class/misc/qotd$i/dev)
	mknod -m "$mode" "$victims/qotd$i" c "${mm%%:*}" "${mm##*:}"
	i=$((i + 1))
done
grep -q "^fuzz:" /etc/passwd || echo "fuzz:x:$uid:$uid:fuzzer:$work:/bin/false" >>/etc/passwd
grep -q "^fuzz:" /etc/group || echo "fuzz:x:$uid:" >>/etc/group
chown "$uid:$uid" "$work"

# The preloaded table must be there, under its name, with every command.
"$t/ld.so" --library-path "$t" --preload "$t/qotd-trinity.so" "$t/trinity" -I \
	>/tmp/fuzz-ioctls 2>&1
n=$(grep -c -E '^  - 0x(8008c401|4008c402|0000c403|71746401|71746402|71746403) : QOTD' /tmp/fuzz-ioctls)
if grep -q '^- qotd:' /tmp/fuzz-ioctls && [ "$n" -eq 6 ]; then
	ok "trinity lists qotd's 6 ioctl commands (qotd-trinity.so)"
else
	nok "trinity lists qotd's 6 ioctl commands (qotd-trinity.so; $n found)"
	head -n 20 /tmp/fuzz-ioctls | sed 's/^/#   /'
fi

taint0=$(cat /proc/sys/kernel/tainted)
# Other kinds of fd stay out, except pipes (for splice, tee and sendfile),
# and one socket and trinity's test files: trinity 2023.01 looks each
# ioctl's fd up in those lists, and crashes when one is missing. The socket
# is a stand-in (qotd-trinity.c says why), named in trinity's socket cache
# file: family 31 (Bluetooth), type 5, protocol 0, as three native ints.
printf '\037\000\000\000\005\000\000\000\000\000\000\000' >"$work/trinity.socketcache"
chown "$uid:$uid" "$work/trinity.socketcache"
check "trinity's socket cache file is 12 bytes" [ "$(wc -c <"$work/trinity.socketcache")" -eq 12 ]
# shellcheck disable=SC2046 # fuzzrun --syscalls prints words
set -- -q -l off -V "$victims" -C "$children" -s "$seed" \
	--disable-fds=perf,epoll,eventfd,timerfd,memfd,drm \
	$("$dir/fuzzrun" --syscalls)
echo "# trinity seed $seed, $children children, $secs s; replay: trinity $*"
start=$(date +%s)
"$dir/fuzzrun" "$uid" "$uid" "$secs" "$work" \
	"$t/ld.so" --library-path "$t" --preload "$t/qotd-trinity.so" "$t/trinity" "$@" \
	3>"$counts" >"$log" 2>&1
rc=$?
echo "# trinity ran $(($(date +%s) - start)) s"
taint1=$(cat /proc/sys/kernel/tainted)

# Trinity's own summary: the seed, the number of calls, how it stopped.
grep -a -E 'seed|Ran [0-9]+ syscalls|Enabled [0-9]+ syscalls|exit_reason|Bailing|tainted' "$log" |
	tail -n 12 | sed 's/^/#   trinity: /'
if [ $rc -ne 0 ]; then
	nok "fuzzrun ran trinity (exit $rc)"
	tail -n 20 "$log" | sed 's/^/#   /'
fi
sed 's/^/#   count: /' "$counts"
stopped=$(sed -n 's/^stopped //p' "$counts")
check "trinity stopped when asked ($stopped)" [ "$stopped" = interrupt ]
grep -q -a "Ran [0-9]* syscalls" "$log" ||
	nok "trinity printed its call count (no 'Ran N syscalls' in its output)"
calls=$(sed -n 's/^calls //p' "$counts")
check "trinity made calls on qotd's fds (${calls:-0} 64-bit ones)" [ "${calls:-0}" -gt 0 ]
# Each of the six commands reached qotd at least once.
ncmd=$(grep -c '^cmd ' "$counts")
missing=$(awk '$1 == "cmd" && $3 == 0 { printf " %s", $2 }' "$counts")
[ "$ncmd" -eq 6 ] || missing="$missing (only $ncmd counted)"
check "every qotd ioctl command was fuzzed${missing:+ (never:$missing)}" [ -z "$missing" ]
check "the kernel did not become tainted (tainted $taint0 -> $taint1)" [ "$taint0" = "$taint1" ]

# Nothing of the fuzzer's is left running.
left=
for s in /proc/[0-9]*/status; do
	p=${s#/proc/}
	grep -q "^Uid:[[:space:]]*${uid}[[:space:]]" "$s" 2>/dev/null && left="$left ${p%/status}"
done
check "no process of the fuzzer's user is left${left:+ (${left% })}" [ -z "$left" ]

# Every device is consistent, and a reset brings the initial quotation back.
printf '%s\n' "On the whole, I'd rather be in Philadelphia. - W. C. Fields" >"$expected"
head -c 68 /dev/zero >>"$expected"
for i in 0 1 2 3; do
	node=/dev/qotd$i sys=/sys/class/misc/qotd$i
	g=$(qotdctl -d "$node" -g 2>&1) s=$(cat "$sys/size")
	check "qotd$i: QOTDIOCGSZ ($g) matches size ($s) after fuzzing" [ "$g" = "$s" ]
	echo "#   qotd$i after fuzzing: size $s, changed $(cat "$sys/changed"), allocated $(cat "$sys/allocated")"
	qotdctl -d "$node" -r
	check "qotd$i: a reset restores 128 bytes (size $(cat "$sys/size"))" [ "$(cat "$sys/size")" = 128 ]
	check "qotd$i: ... and the initial quotation" cmp -s "$expected" "$node"
	check "qotd$i: ... and clears changed" [ "$(cat "$sys/changed")" = 0 ]
done
check "qotd unloads after the resets" rmmod qotd
rm -rf "$victims" "$work"
[ $nfail -eq 0 ]
