#!/bin/sh
# The benchmark inside the guest, run by /init in qotdmode=bench. Its output
# is the test channel: "BENCH key=value ..." records and "#" comments.
#
# qotd-bench loads qotd.ko itself (max_size=256 MiB for the throughput and
# set-size phases, then once per strategy and size for the memory phase), so
# nothing here needs the module loaded. /tests/bench.args, when present,
# holds more arguments for qotd-bench (one line, e.g. "--reps 3", or
# "small parallel" to run only those phases; none: every phase).

bench=/tests/qotd-bench
ko=${QOTD_KO:-/lib/modules/qotd.ko}
args=
[ -r /tests/bench.args ] && args=$(cat /tests/bench.args)

if [ ! -x "$bench" ]; then
	echo "BENCH test=error what=missing:$bench"
	exit 1
fi
echo "# guest: $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs," \
	"$(awk '/^MemTotal/ { print $2 " kB" }' /proc/meminfo)"
echo "# guest: cmdline $(cat /proc/cmdline)"
echo "# guest: qotd-bench --ko $ko $args"

# The memory phase loads the module 36 times with 64 devices each: keep the
# "created /dev/qotdK" lines off the serial console, warnings stay on it.
echo N >/sys/module/printk/parameters/ignore_loglevel 2>/dev/null
echo 5 >/proc/sys/kernel/printk 2>/dev/null

# shellcheck disable=SC2086 # $args is a list of words
"$bench" --ko "$ko" $args
rc=$?
echo Y >/sys/module/printk/parameters/ignore_loglevel 2>/dev/null
exit $rc
