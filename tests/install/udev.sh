#!/usr/bin/env bash
# udev/60-qotd.rules, applied by the real udev: the guest runs Debian's
# systemd-udevd (copied from this machine, with its libraries) under the
# Debian kernel and checks the owner, group and mode of the nodes with the
# rule and the group, with the rule but no group, with the rule in
# /usr/local/lib/udev/rules.d (make install's place), and without the rule
# (tests/install/guest/udev.sh). The host's own udev is never touched.
set -euo pipefail
# shellcheck source=tests/install/lib.sh
. "$(dirname "$0")/lib.sh"

name=install-udev
out=$root/build/$name
mkdir -p "$out"

udevadm=$(command -v udevadm || true)
if [ -z "$udevadm" ]; then
	fail "udev: udevadm is installed (package udev)"
	finish
	exit
fi
if ! QOTD_SRC=$src "$root/vm/build-module.sh" "$KDIR" "$name" >"$out/build.log" 2>&1; then
	fail "udev: qotd.ko builds against $KVER"
	tail -n 20 "$out/build.log" | diag
	finish
	exit
fi

# The guest's extra files: udevadm, which is also systemd-udevd when called
# by that name, the shared libraries it needs, the rule, two users.
ov=$out/files
rm -rf "$ov"
mkdir -p "$ov/usr/bin" "$ov/lib/systemd" "$ov/usr/lib/udev/rules.d" "$ov/etc"
cp -L "$udevadm" "$ov/usr/bin/udevadm"
ln -s /usr/bin/udevadm "$ov/lib/systemd/systemd-udevd"
ldd "$udevadm" | grep -o -E '/[^ ]+' | while read -r lib; do
	mkdir -p "$ov$(dirname "$lib")"
	cp -L "$lib" "$ov$lib"
done
install -m 0644 "$src/udev/60-qotd.rules" "$ov/usr/lib/udev/rules.d/"
cat >"$ov/etc/passwd" <<-'EOT'
	root:x:0:0:root:/root:/bin/sh
	alice:x:1000:1000:in group qotd:/tmp:/bin/sh
	bob:x:1001:1001:not in group qotd:/tmp:/bin/sh
EOT
cat >"$ov/etc/group" <<-'EOT'
	root:x:0:
	qotd:x:990:alice
	alice:x:1000:
	bob:x:1001:
EOT

"$root/tests/install/guest.sh" "$name" "$out/driver/qotd.ko" \
	"$root/tests/install/guest/udev.sh" "$ov" || failures=$((failures + 1))
finish
