#!/usr/bin/env bash
# Pack the guest's initramfs.
#
#   vm/mkinitramfs.sh OUT.cpio.gz QOTD_KO QOTDCTL TESTS_DIR [EXTRA_DIR...]
#
# Contents: busybox-static with a link per applet, /init (vm/init), the
# module as /lib/modules/qotd.ko (and any other .ko built beside it),
# qotdctl in /bin, and every file of TESTS_DIR plus tests/guest/*.sh in
# /tests. QOTDCTL or TESTS_DIR may be "-" when they could not be built: the
# guest then still boots, and the tests that need them fail there, visibly.
# Each EXTRA_DIR (a further suite, built) goes to /tests/BASENAME/.
set -euo pipefail

[ $# -ge 4 ] || { echo "usage: $0 OUT KO QOTDCTL TESTS_DIR [EXTRA_DIR...]" >&2; exit 2; }
out=$1 ko=$2 qotdctl=$3 tests=$4
shift 4
root=$(cd "$(dirname "$0")/.." && pwd)
src=${QOTD_SRC:-$root}
busybox=/bin/busybox

stage=$out.d
rm -rf "$stage"
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,lib/modules,proc,sys,dev,tmp,root,tests,etc}

# Debian's busybox-static is built for exactly this: no shared libraries.
cp "$busybox" "$stage/bin/busybox"
"$busybox" --list-full | while read -r applet; do
	[ -e "$stage/$applet" ] || ln -s /bin/busybox "$stage/$applet"
done

install -m 0755 "$root/vm/init" "$stage/init"
install -m 0644 "$ko" "$stage/lib/modules/qotd.ko"
# Any other module built beside it (a test module, say) goes along.
for f in "$(dirname "$ko")"/*.ko; do
	if [ "$f" != "$ko" ]; then install -m 0644 "$f" "$stage/lib/modules/"; fi
done
if [ "$qotdctl" != - ]; then install -m 0755 "$qotdctl" "$stage/bin/qotdctl"; fi
if [ "$tests" != - ]; then cp -a "$tests"/. "$stage/tests/"; fi
for f in "$src"/tests/guest/*.sh; do
	if [ -e "$f" ]; then install -m 0755 "$f" "$stage/tests/"; fi
done
for extra in "$@"; do
	mkdir -p "$stage/tests/${extra##*/}"
	cp -a "$extra"/. "$stage/tests/${extra##*/}/"
done
# So that ls -l, id and friends show names, not numbers.
echo "root:x:0:0:root:/root:/bin/sh" >"$stage/etc/passwd"
echo "root:x:0:" >"$stage/etc/group"

# newc is the format the kernel unpacks; owner root whoever builds it.
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
