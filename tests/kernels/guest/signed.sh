#!/bin/sh
# In the guest (busybox sh, root) of a kernel built to refuse unsigned
# modules: /tests/signed/unsigned.ko and foreign.ko (signed with a key the
# kernel does not trust) must be refused, signed.ko (signed with the
# kernel's key) must load, give /dev/qotd0 and unload. TAP on stdout.

dir=/tests/signed
failures=0
pass() { echo "ok - $*"; }
fail() { echo "not ok - $*"; failures=$((failures + 1)); }
diag() { sed 's/^/#   /'; }

enforce=$(cat /sys/module/module/parameters/sig_enforce 2>&1)
if [ "$enforce" = Y ]; then
	pass "the kernel enforces module signatures (sig_enforce is Y)"
else
	fail "the kernel enforces module signatures (sig_enforce: $enforce)"
fi

for m in unsigned foreign; do
	if insmod "$dir/$m.ko" 2>/tmp/insmod.err; then
		fail "insmod of the $m module is refused (it loaded)"
		rmmod qotd
	else
		pass "insmod of the $m module is refused: $(cat /tmp/insmod.err)"
	fi
done

if insmod "$dir/signed.ko" 2>/tmp/insmod.err; then
	pass "insmod of the module signed with the kernel's key"
	# The module works: its node is there and reads.
	if [ -c /dev/qotd0 ] && cat /dev/qotd0 >/dev/null 2>/tmp/cat.err; then
		pass "/dev/qotd0 is there and reads"
	else
		fail "/dev/qotd0 is there and reads"
		diag </tmp/cat.err
	fi
	# Taint flag E: an unsigned module was loaded.
	taint=$(cat /sys/module/qotd/taint 2>&1)
	case $taint in
	*E*) fail "the signed module does not taint the kernel as unsigned (taint: $taint)" ;;
	*) pass "the signed module does not taint the kernel as unsigned (taint: '$taint')" ;;
	esac
	if rmmod qotd 2>/tmp/rmmod.err; then
		pass "rmmod qotd"
	else
		fail "rmmod qotd"
		diag </tmp/rmmod.err
	fi
else
	fail "insmod of the module signed with the kernel's key"
	diag </tmp/insmod.err
	dmesg | tail -n 5 | diag
fi
[ $failures -eq 0 ]
