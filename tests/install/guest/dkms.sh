#!/bin/sh
# In the test guest (busybox sh, root): the module that DKMS built and
# installed on the host loads by name through the host's depmod entry.
# The host copied /lib/modules/KVER/updates/dkms/qotd.ko (or wherever DKMS
# put it), its modules.dep line naming it (/tests/modules.dep.dkms: the
# guest's /init writes a modules.dep of its own, which this replaces), and
# the version it expects (/tests/expected-version).

want_version=$(cat /tests/expected-version)
kver=$(uname -r)
FIELDS="On the whole, I'd rather be in Philadelphia. - W. C. Fields"
failures=0

pass() { echo "ok - dkms guest: $*"; }
fail() { echo "not ok - dkms guest: $*"; failures=$((failures + 1)); }
diag() { sed 's/^/#   /'; }

entry=$(cat /tests/modules.dep.dkms)
echo "$entry" >/lib/modules/"$kver"/modules.dep
if [ -n "$entry" ] && [ -f "/lib/modules/$kver/${entry%%:*}" ]; then
	pass "modules.dep of $kver names ${entry%%:*}, which is there"
else
	fail "modules.dep of $kver names a module that is there"
	echo "modules.dep: $entry" | diag
fi

if modprobe qotd 2>/tmp/modprobe.err; then
	pass "modprobe qotd"
else
	fail "modprobe qotd"
	diag </tmp/modprobe.err
	exit 1
fi

if [ -c /dev/qotd0 ]; then
	pass "/dev/qotd0 is a character device"
else
	fail "/dev/qotd0 is a character device"
fi
got=$(cat /sys/module/qotd/version 2>&1)
if [ "$got" = "$want_version" ]; then
	pass "loaded module has version $want_version"
else
	fail "loaded module has version $want_version"
	echo "got: $got" | diag
fi
got=$(head -n 1 /dev/qotd0 2>&1)
if [ "$got" = "$FIELDS" ]; then
	pass "/dev/qotd0 holds the initial quotation"
else
	fail "/dev/qotd0 holds the initial quotation"
	echo "got: $got" | diag
fi
got=$(wc -c </dev/qotd0 2>&1)
if [ "$got" -eq 128 ] 2>/dev/null; then
	pass "/dev/qotd0 reads 128 bytes"
else
	fail "/dev/qotd0 reads 128 bytes"
	echo "got: $got" | diag
fi

if rmmod qotd 2>/tmp/rmmod.err && [ ! -e /dev/qotd0 ]; then
	pass "rmmod qotd removes /dev/qotd0"
else
	fail "rmmod qotd removes /dev/qotd0"
	diag </tmp/rmmod.err
fi

[ $failures -eq 0 ]
